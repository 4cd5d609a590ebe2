"""The outbox: every e-mail is a row first, written in the transaction that causes it.

It is handed to Celery after commit; a periodic relay sends whatever is still pending (rows
claimed with SELECT … FOR UPDATE SKIP LOCKED), so a broker or SMTP outage delays mail and loses
none.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Notification.Status.PENDING)


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

    MAX_ATTEMPTS = 8

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

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails (outbox)")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="rr_outbox_pending_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()})"
