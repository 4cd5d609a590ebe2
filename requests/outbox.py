"""Queue e-mails in the outbox (same transaction as their cause) and send them (idempotently)."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from requests.models import Notification

logger = logging.getLogger(__name__)


def notification_queue(*, kind, to, language, context, request=None) -> Notification:
    """Write the e-mail as a pending row now; hand it to Celery once the transaction commits."""
    with translation.override(language):
        subject = render_to_string(f"requests/email/{kind}_subject.txt", context).strip()
        body = render_to_string(f"requests/email/{kind}.txt", context)
    notification = Notification.objects.create(
        request=request, kind=kind, to=to, subject=" ".join(subject.split()), body=body
    )
    if request is not None:
        from requests.models import RequestEvent

        RequestEvent.objects.create(
            request=request,
            kind=RequestEvent.Kind.EMAIL,
            text=notification.get_kind_display(),
        )
    transaction.on_commit(lambda: _hand_to_celery(notification.pk))
    return notification


def _hand_to_celery(notification_id):
    from requests.tasks import send_notification

    try:
        send_notification.delay(notification_id)
    except Exception:  # broker down or slow: the periodic relay sends it later
        logger.warning("Could not queue e-mail %s; the relay will send it", notification_id)


class SendFailed(Exception):
    pass


def notification_send(notification_id) -> bool:
    """Send one pending e-mail; True when this call sent it.

    The row is claimed with SELECT … FOR UPDATE SKIP LOCKED: two workers never send the same
    e-mail, and an e-mail already sent is never sent again.
    """
    error = None
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, status=Notification.Status.PENDING)
            .first()
        )
        if notification is None:
            return False
        try:
            EmailMessage(
                subject=notification.subject,
                body=notification.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[notification.to],
            ).send()
        except Exception as exc:  # SMTP down, refused…: counted, retried later
            error = exc
            notification.attempts += 1
            notification.last_error = type(exc).__name__[:200]
            if notification.attempts >= Notification.MAX_ATTEMPTS:
                notification.status = Notification.Status.FAILED
            notification.save(update_fields=["attempts", "last_error", "status"])
        else:
            notification.status = Notification.Status.SENT
            notification.sent_at = timezone.now()
            notification.attempts += 1
            notification.save(update_fields=["status", "sent_at", "attempts"])
    if error is not None:
        logger.warning("E-mail %s not sent (%s)", notification_id, type(error).__name__)
        raise SendFailed(type(error).__name__) from error
    return True


def relay_pending(*, limit=100) -> int:
    """Send what is still pending (the broker was down, a worker died…); returns how many."""
    sent = 0
    ids = list(
        Notification.objects.pending().order_by("created_at").values_list("pk", flat=True)[:limit]
    )
    for notification_id in ids:
        try:
            sent += notification_send(notification_id)
        except SendFailed:
            continue
    return sent
