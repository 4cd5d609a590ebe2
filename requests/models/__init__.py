from requests.models.attachments import DownloadLink, RequestAttachment
from requests.models.outbox import Notification
from requests.models.requests import DataSubjectRequest, ReferenceCounter, RequestEvent
from requests.models.routing import RIGHT_ARTICLES, Right, RoutingCount, Topic
from requests.models.staff import StaffLanguage
from requests.models.templates import EmailTemplate

__all__ = [
    "RIGHT_ARTICLES",
    "DataSubjectRequest",
    "DownloadLink",
    "EmailTemplate",
    "Notification",
    "ReferenceCounter",
    "RequestAttachment",
    "RequestEvent",
    "Right",
    "RoutingCount",
    "StaffLanguage",
    "Topic",
]
