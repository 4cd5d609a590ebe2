"""The outbox: every e-mail is a row first, written in the transaction that causes it.

It is handed to Celery after commit; a periodic relay sends whatever is due. Delivery is
governed by time, not by a count of attempts: a row is tried until it is sent or its give-up
time (created + EMAIL_DELIVERY_HORIZON_DAYS) has passed, backing off between attempts
(requests/outbox.py). `attempts` is information only.
"""

import datetime
import uuid
from email.utils import parseaddr

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_DELIVERY_HORIZON_DAYS = 3
FALLBACK_MESSAGE_ID_DOMAIN = "aim-ima.invalid"


def delivery_horizon():
    """How long an e-mail is tried before it fails for good (EMAIL_DELIVERY_HORIZON_DAYS)."""
    days = getattr(settings, "EMAIL_DELIVERY_HORIZON_DAYS", DEFAULT_DELIVERY_HORIZON_DAYS)
    return datetime.timedelta(days=days)


def message_id_domain():
    """The domain of DEFAULT_FROM_EMAIL's address ("AIM-IMA <no-reply@aim-ima.be>")."""
    _name, address = parseaddr(getattr(settings, "DEFAULT_FROM_EMAIL", "") or "")
    domain = address.rpartition("@")[2].strip() if "@" in address else ""
    return domain or FALLBACK_MESSAGE_ID_DOMAIN


class NotificationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Notification.Status.PENDING)

    def due(self, *, now):
        """Pending rows whose next attempt has come and that no live lease holds."""
        return self.pending().filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lte=now),
            next_attempt_at__lte=now,
        )

    def failed(self):
        return self.filter(status=Notification.Status.FAILED)


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed for good")

    class Kind(models.TextChoices):
        CONFIRM = "confirm", _("Confirm your e-mail address")
        ACKNOWLEDGE = "acknowledge", _("Acknowledgement of receipt")
        EXTENDED = "extended", _("Deadline extended")
        TRANSFERRED = "transferred", _("Request transferred")
        DPO_DIGEST = "dpo_digest", _("Requests due soon (DPO)")
        ANSWERED = "answered", _("Answer")
        INFO_REQUESTED = "info_requested", _("Request for information")
        IDENTITY_REQUESTED = "identity_requested", _("Request for proof of identity")
        REFUSED = "refused", _("Refusal")
        CLOSED = "closed", _("Request closed")

    request = models.ForeignKey(
        "rights_requests.DataSubjectRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("request"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    to = models.EmailField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    # A worker's lease on the row while it sends; a worker that dies leaves it to expire.
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    give_up_at = models.DateTimeField(_("give up at"), blank=True)
    # The same Message-ID on every attempt: a message delivered twice (a worker killed after
    # the server accepted it) is recognisably one message.
    message_id = models.UUIDField(_("message ID"), default=uuid.uuid4, unique=True, editable=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails (outbox)")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="rr_outbox_due_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        if self.give_up_at is None:
            self.give_up_at = self.created_at + delivery_horizon()
        super().save(*args, **kwargs)

    @property
    def message_id_header(self):
        return f"<notification-{self.message_id}@{message_id_domain()}>"
