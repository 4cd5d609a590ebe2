"""The DPO's daily digest: requests due soon or overdue, and e-mails that failed for good."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from requests.models import DataSubjectRequest, Notification
from requests.outbox import notification_queue


def dpo_digest_queue(*, today=None) -> int:
    """One e-mail per member of the DPO group: open requests overdue or due within 7 days, and
    the e-mails that failed for good (by number, kind and reference; never the address).
    Nothing is sent when there is neither."""
    from requests.models.requests import DUE_SOON_DAYS

    today = today or timezone.localdate()
    due = list(
        DataSubjectRequest.objects.due_by(today + datetime.timedelta(days=DUE_SOON_DAYS))
        .select_related("assignee")
        .order_by("due_on")
    )
    failed = list(
        Notification.objects.failed()
        .select_related("request")
        .only("pk", "kind", "created_at", "request", "request__reference")
        .order_by("created_at", "pk")
    )
    if not due and not failed:
        return 0
    recipients = (
        get_user_model().objects.filter(groups__name="DPO", is_active=True).exclude(email="")
    )
    queued = 0
    with transaction.atomic():
        for user in recipients.distinct():
            notification_queue(
                kind=Notification.Kind.DPO_DIGEST,
                to=user.email,
                language=settings.LANGUAGE_CODE,
                context={"requests": due, "failed": failed, "today": today},
            )
            queued += 1
    return queued
