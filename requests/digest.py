"""The DPO's daily digest: requests due soon or overdue, and e-mails that failed for good.

Each member of the DPO group gets it in the language they last signed in to the admin in
(requests/staff_language.py), with a link to each request's page in that language.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from requests.models import DataSubjectRequest, Notification, StaffLanguage
from requests.outbox import notification_queue


def _lines(requests, language):
    """(request, link to its admin page in `language`) for each due request."""
    with translation.override(language):
        return [
            {
                "request": request,
                "url": settings.SITE_URL
                + reverse("admin:rights_requests_datasubjectrequest_change", args=[request.pk]),
            }
            for request in requests
        ]


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
    recipients = list(
        get_user_model()
        .objects.filter(groups__name="DPO", is_active=True)
        .exclude(email="")
        .distinct()
    )
    languages = dict(
        StaffLanguage.objects.filter(user__in=recipients).values_list("user_id", "language")
    )
    queued = 0
    with transaction.atomic():
        for user in recipients:
            language = languages.get(user.pk, settings.LANGUAGE_CODE)
            notification_queue(
                kind=Notification.Kind.DPO_DIGEST,
                to=user.email,
                language=language,
                context={
                    "requests": due,
                    "lines": _lines(due, language),
                    "failed": failed,
                    "today": today,
                },
            )
            queued += 1
    return queued
