from requests.models.outbox import Notification
from requests.models.requests import DataSubjectRequest, ReferenceCounter, RequestEvent
from requests.models.routing import RIGHT_ARTICLES, Right, RoutingCount, Topic

__all__ = [
    "RIGHT_ARTICLES",
    "DataSubjectRequest",
    "Notification",
    "ReferenceCounter",
    "RequestEvent",
    "Right",
    "RoutingCount",
    "Topic",
]
