"""Passing a request on to the organisation that must answer it."""

from django.db import transaction
from django.utils import timezone

from requests.models import DataSubjectRequest, Notification, RequestEvent
from requests.outbox import notification_queue
from requests.services import event_add, locked_request, require_open

Status = DataSubjectRequest.Status
Kind = RequestEvent.Kind


@transaction.atomic
def request_transfer(*, subject_request, to_organisation, on, by, acknowledged_on=None):
    """Another controller must answer (AIM assists as processor, Art. 28(3)(e))."""
    subject_request = locked_request(subject_request)
    require_open(subject_request)
    subject_request.status = Status.TRANSFERRED
    subject_request.transferred_to = to_organisation
    subject_request.transferred_on = on
    subject_request.controller_acknowledged_on = acknowledged_on
    # AIM's part ends with the transfer: the retention period runs from here.
    subject_request.closed_at = subject_request.closed_at or timezone.now()
    subject_request.save(
        update_fields=[
            "status",
            "transferred_to",
            "transferred_on",
            "controller_acknowledged_on",
            "closed_at",
        ]
    )
    event_add(subject_request, Kind.TRANSFERRED, by=by, text=str(to_organisation))
    notification_queue(
        kind=Notification.Kind.TRANSFERRED,
        to=subject_request.email,
        language=subject_request.language,
        request=subject_request,
        context={"request": subject_request, "organisation": to_organisation},
    )
    return subject_request
