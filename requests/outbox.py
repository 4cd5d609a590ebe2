"""Queue e-mails in the outbox (same transaction as their cause) and deliver them by time.

Delivery of one row, by a Celery task or the relay:

1. claim it in a short transaction (SELECT … FOR UPDATE SKIP LOCKED on a due row: pending,
   next attempt come, no live lease), setting a lease `claimed_until` and counting the attempt;
2. send it outside any transaction, with the row's stable Message-ID;
3. record the result in a second short transaction: sent, or the error's class name and the
   next attempt after an exponential backoff; past the row's give-up time, failed for good.

A relay run stops at the first row whose server cannot be reached (refused, timed out): the
other rows would wait EMAIL_TIMEOUT each for the same answer; they stay due for the next run.

Delivery is at least once: a worker that dies after the SMTP server accepted the message but
before step 3 leaves its lease to expire, and the row is sent again, with the same Message-ID
(so a mail client shows the two copies as one message). The lease is longer than any send can
take (EMAIL_TIMEOUT per SMTP operation), so a live worker's row is never taken from it.
"""

import datetime
import logging
import smtplib
import socket

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aim_privacy.background import publish_later
from requests.email_templates import reply_address
from requests.models import Notification
from requests.models.outbox import delivery_horizon

logger = logging.getLogger(__name__)

LEASE = datetime.timedelta(minutes=5)
FIRST_BACKOFF = datetime.timedelta(minutes=1)
MAX_BACKOFF = datetime.timedelta(hours=1)


def notification_queue(*, kind, to, language, context, request=None) -> Notification:
    """Write the e-mail as a pending row now; hand it to Celery once the transaction commits.

    Every template may name the address replies go to, {{ dpo_email }} (DPO_REPLY_TO)."""
    subject, body = notification_render(kind=kind, language=language, context=context)
    return notification_queue_rendered(
        kind=kind, to=to, subject=subject, body=body, request=request
    )


def notification_render(*, kind, language, context) -> tuple[str, str]:
    """(subject, body) of the e-mail `kind` from its file templates, in `language`."""
    context = {"dpo_email": reply_address(), **context}
    with translation.override(language):
        subject = render_to_string(f"requests/email/{kind}_subject.txt", context).strip()
        body = render_to_string(f"requests/email/{kind}.txt", context)
    return subject, body


def notification_queue_rendered(*, kind, to, subject, body, request=None) -> Notification:
    """The same, for an e-mail already rendered (the DPO's templates: email_templates.py)."""
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
    transaction.on_commit(lambda: publish_later(_hand_to_celery, notification.pk))
    return notification


def _hand_to_celery(notification_id):
    """Publish the send task; run by `publish_later`, off the request path (a hung broker
    never holds a citizen's response), or at once when Celery runs eagerly."""
    from requests.tasks import send_notification

    try:
        send_notification.delay(notification_id)
    except Exception:  # broker down or slow: the periodic relay sends it later
        logger.warning("Could not queue e-mail %s; the relay will send it", notification_id)


def backoff(attempts) -> datetime.timedelta:
    """1 minute after the first failed attempt, doubling, at most an hour."""
    doublings = min(max(attempts - 1, 0), 16)  # 2**16 minutes is past the cap already
    return min(FIRST_BACKOFF * 2**doublings, MAX_BACKOFF)


def _claim(*, notification_id=None) -> Notification | None:
    """Lease one due row (that one, or the next due) for this worker; None when there is none."""
    with transaction.atomic():
        now = timezone.now()
        due = Notification.objects.due(now=now).select_for_update(skip_locked=True)
        if notification_id is not None:
            due = due.filter(pk=notification_id)
        notification = due.order_by("next_attempt_at", "pk").first()
        if notification is None:
            return None
        notification.claimed_until = now + LEASE
        notification.attempts += 1
        notification.save(update_fields=["claimed_until", "attempts"])
    return notification


# E-mails to the DPO team, not to a requester: from the portal's own address, no Reply-To.
STAFF_KINDS = frozenset({Notification.Kind.DPO_DIGEST})


def sender(kind) -> tuple[str, list[str]]:
    """(From, Reply-To) of an e-mail of this kind. A requester's e-mail comes from
    DPO_FROM_EMAIL (an address the relay may send for) and their reply goes to DPO_REPLY_TO,
    the DPO's mailbox; the DPO digest keeps DEFAULT_FROM_EMAIL."""
    if kind in STAFF_KINDS:
        return settings.DEFAULT_FROM_EMAIL, []
    return settings.DPO_FROM_EMAIL, [settings.DPO_REPLY_TO]


def _deliver(notification):
    from_email, reply_to = sender(notification.kind)
    EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=from_email,
        to=[notification.to],
        reply_to=reply_to,
        headers={"Message-ID": notification.message_id_header},
    ).send()


def _record_sent(notification):
    # Whoever sent it, it went out: sent, unless another worker recorded that first.
    Notification.objects.filter(pk=notification.pk).exclude(status=Notification.Status.SENT).update(
        status=Notification.Status.SENT, sent_at=timezone.now(), claimed_until=None
    )


def _record_failure(notification, error):
    with transaction.atomic():
        now = timezone.now()
        # Only while this worker's claim stands: after its lease expired another worker may
        # have claimed the row (and counted an attempt), sent it, or given up on it.
        current = (
            Notification.objects.select_for_update()
            .filter(
                pk=notification.pk,
                status=Notification.Status.PENDING,
                attempts=notification.attempts,
            )
            .first()
        )
        if current is None:
            return
        current.last_error = type(error).__name__[:200]
        current.claimed_until = None
        current.next_attempt_at = now + backoff(current.attempts)
        if now >= current.give_up_at:
            current.status = Notification.Status.FAILED
        current.save(update_fields=["last_error", "claimed_until", "next_attempt_at", "status"])
    # The row's number and kind only: no address, no subject, no server message.
    if current.status == Notification.Status.FAILED:
        logger.error(
            "E-mail %s (%s) failed for good after %d attempts (%s); retry it from the outbox",
            current.pk,
            current.kind,
            current.attempts,
            current.last_error,
        )
    else:
        logger.warning(
            "E-mail %s (%s) not sent (%s); next attempt at %s",
            current.pk,
            current.kind,
            current.last_error,
            current.next_attempt_at.isoformat(timespec="seconds"),
        )


# The server cannot be reached at all: the next rows of this relay run would fail the same way,
# each after EMAIL_TIMEOUT, so the run stops (their next attempt is unchanged: still due).
UNREACHABLE = (
    ConnectionError,
    TimeoutError,
    socket.gaierror,
    smtplib.SMTPConnectError,
    smtplib.SMTPServerDisconnected,
)


class _Unreachable(Exception):
    pass


def _attempt(notification) -> bool:
    try:
        _deliver(notification)
    except Exception as error:  # SMTP down, refused, timed out…: retried later, by time
        _record_failure(notification, error)
        if isinstance(error, UNREACHABLE):
            raise _Unreachable from error
        return False
    _record_sent(notification)
    return True


def notification_send(notification_id) -> bool:
    """One attempt at one e-mail, if it is due; True when this call sent it.

    Not due (sent, failed for good, backing off, or leased by another worker): nothing
    happens. A failure is recorded on the row and never raised: the relay retries it when its
    next attempt comes (see the module docstring: at least once, same Message-ID).
    """
    notification = _claim(notification_id=notification_id)
    if notification is None:
        return False
    try:
        return _attempt(notification)
    except _Unreachable:
        return False


def relay_pending(*, limit=100) -> int:
    """Attempt every e-mail that is due (at most `limit` attempts); returns how many were sent.

    Each row is claimed just before its own attempt, so relays and workers running at the same
    time share the rows between them.
    """
    sent = 0
    for _attempt_number in range(limit):
        notification = _claim()
        if notification is None:
            break
        try:
            sent += _attempt(notification)
        except _Unreachable:
            logger.warning("Relay stopped: the mail server cannot be reached")
            break
    return sent


@transaction.atomic
def notification_retry(notification, *, now=None) -> Notification:
    """Put an e-mail that failed for good back in the outbox, with a new delivery horizon, and
    hand it to Celery once the transaction commits (the DPO's "Retry now")."""
    now = now or timezone.now()
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if notification.status != Notification.Status.FAILED:
        raise ValidationError(
            _("Only an e-mail that failed for good can be retried."), code="not_failed"
        )
    notification.status = Notification.Status.PENDING
    notification.next_attempt_at = now
    notification.claimed_until = None
    notification.give_up_at = now + delivery_horizon()
    notification.save(update_fields=["status", "next_attempt_at", "claimed_until", "give_up_at"])
    transaction.on_commit(lambda: publish_later(_hand_to_celery, notification.pk))
    return notification
