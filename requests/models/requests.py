"""Requests that AIM itself must answer: stored, confirmed by e-mail, triaged by the DPO."""

import datetime
import unicodedata

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from requests.models.routing import RIGHT_ARTICLES, Right

CONFIRMATION_HOURS = 48
DUE_SOON_DAYS = 7
# Line breaks, control and format characters (the bidi controls that reorder what is read are
# among them): a name or phone holding one could split or disguise what staff and e-mails show.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
BIDI_CONTROLS = frozenset(
    map(chr, [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
)
INVISIBLE_MESSAGE = _(
    "Type this on a single line, without invisible characters such as line breaks or "
    "text-direction marks."
)


def has_invisible_characters(text):
    return any(
        char in BIDI_CONTROLS or unicodedata.category(char) in INVISIBLE_CATEGORIES
        for char in text or ""
    )


class ReferenceCounter(models.Model):
    """The last reference number given in a year; its row is locked while a number is taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference counter")

    def __str__(self):
        return f"{self.year}: {self.last}"


class DataSubjectRequestQuerySet(models.QuerySet):
    def in_queue(self):
        """What the DPO sees: confirmed requests (an unconfirmed one may be anyone's typo)."""
        return self.exclude(status=DataSubjectRequest.Status.UNCONFIRMED)

    def open(self):
        return self.in_queue().filter(status__in=DataSubjectRequest.OPEN_STATUSES)

    def due_by(self, day):
        """Open requests whose deadline is on or before `day` (overdue ones included)."""
        return self.open().filter(due_on__lte=day)

    def unconfirmed_expired(self, *, now=None):
        """Unconfirmed requests whose confirmation link has expired: 48 hours after their
        confirmation e-mail was sent. One whose e-mail is still pending or failed is kept (the
        person never got the link); one that never had a confirmation e-mail counts from its
        submission."""
        from django.db.models import Exists, OuterRef

        from requests.models.outbox import Notification

        now = now or timezone.now()
        cutoff = now - datetime.timedelta(hours=CONFIRMATION_HOURS)
        confirmation = Notification.objects.filter(
            request=OuterRef("pk"), kind=Notification.Kind.CONFIRM
        )
        return self.filter(status=DataSubjectRequest.Status.UNCONFIRMED).filter(
            Exists(confirmation.filter(status=Notification.Status.SENT, sent_at__lt=cutoff))
            | (~Exists(confirmation) & Q(created_at__lt=cutoff))
        )


class DataSubjectRequest(models.Model):
    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Waiting for e-mail confirmation")
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        WAITING = "waiting", _("Waiting for the requester")
        EXTENDED = "extended", _("Extended")
        ANSWERED = "answered", _("Answered")
        REFUSED = "refused", _("Refused")
        TRANSFERRED = "transferred", _("Transferred")
        CLOSED = "closed", _("Closed")

    OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.WAITING, Status.EXTENDED)

    class Language(models.TextChoices):
        FR = "fr", _("French")
        NL = "nl", _("Dutch")

    class Channel(models.TextChoices):
        """How the request reached AIM; the portal's form is one channel among others."""

        WEB = "web", _("Portal form")
        EMAIL = "email", _("E-mail")
        POST = "post", _("Post")
        PHONE = "phone", _("Phone")
        IN_PERSON = "in_person", _("In person")

    class WaitingFor(models.TextChoices):
        """What the DPO asked the requester for while the request waits (RequestEvent holds
        the words of the question)."""

        IDENTITY = "identity", _("Proof of identity (GDPR Art. 12(6))")
        INFORMATION = "information", _("Information to clarify the request")

    reference = models.CharField(
        _("reference"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UNCONFIRMED
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    right = models.CharField(_("right"), max_length=20, choices=Right.choices)
    channel = models.CharField(
        _("received by"), max_length=20, choices=Channel.choices, default=Channel.WEB
    )
    name = models.CharField(_("name"), max_length=200)
    # Blank only for a request the DPO recorded from a letter or a call that gave no address:
    # its answers then go by post (the timeline keeps their text).
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True, max_length=500)
    description = models.TextField(_("description"), max_length=5000)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)
    confirmation_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    received_on = models.DateField(
        _("received on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The day the request reached AIM (Brussels time). GDPR Art. 12(3): the one-month "
            "deadline runs from receipt, not from the confirmation of the e-mail address."
        ),
    )
    due_on = models.DateField(
        _("due on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "One calendar month from receipt, three when extended (GDPR Art. 12(3)); the last "
            "day of a shorter month when that month has no such day."
        ),
    )
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    waiting_for = models.CharField(
        _("waiting for"), max_length=20, choices=WaitingFor.choices, blank=True
    )
    waiting_since = models.DateField(_("waiting since"), null=True, blank=True, editable=False)
    # The day AIM's answer or refusal was sent (Brussels date): the dashboard's "days to answer"
    # run from received_on to here.
    answered_on = models.DateField(_("answered on"), null=True, blank=True, editable=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_requests",
        verbose_name=_("assigned to"),
    )
    transferred_to = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transferred to"),
    )
    transferred_on = models.DateField(_("transferred on"), null=True, blank=True)
    controller_acknowledged_on = models.DateField(
        _("acknowledged by the controller on"), null=True, blank=True
    )
    # When AIM's part ended (answered, refused, transferred or closed): the retention period of
    # the registry's rule runs from here.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)

    objects = DataSubjectRequestQuerySet.as_manager()
    # Who changed what, when (not translated, so a plain field works; see DESIGN.md).
    history = HistoricalRecords(excluded_fields=["confirmation_token_hash"])

    class Meta:
        verbose_name = _("data subject request")
        verbose_name_plural = _("data subject requests")
        ordering = ["due_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="unconfirmed")
                | Q(reference__isnull=False, received_on__isnull=False, due_on__isnull=False),
                name="rights_requests_confirmed_request_has_reference_and_deadline",
            ),
        ]

    def __str__(self):
        # Never the requester's name: the admin log and history show this text.
        return self.reference or str(_("Unconfirmed request"))

    def clean_fields(self, exclude=None):
        # Here rather than as field validators, which would take a migration; the form checks
        # more (which characters a name may hold, a real phone number).
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in ("name", "phone"):
            if field in (exclude or ()) or field in errors:
                continue
            if has_invisible_characters(getattr(self, field)):
                errors[field] = [ValidationError(INVISIBLE_MESSAGE, code="invisible")]
        if errors:
            raise ValidationError(errors)

    @property
    def article(self):
        return RIGHT_ARTICLES.get(self.right, "")

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    def due_state(self, today=None):
        """'overdue', 'soon' (within 7 days) or '' for an open request; '' otherwise."""
        if not self.is_open or not self.due_on:
            return ""
        today = today or timezone.localdate()
        if self.due_on < today:
            return "overdue"
        if self.due_on <= today + datetime.timedelta(days=DUE_SOON_DAYS):
            return "soon"
        return ""


def due_date(received_on, months):
    """GDPR Art. 12(3): one calendar month from receipt (a 31 January request is due on the
    last day of February), plus two more months when extended."""
    return received_on + relativedelta(months=months)


class RequestEvent(models.Model):
    """The timeline of a request: status changes, e-mails, notes. Texts are the DPO's own."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        CONFIRMED = "confirmed", _("Confirmed by the requester")
        STATUS = "status", _("Status changed")
        ASSIGNED = "assigned", _("Assigned")
        EXTENDED = "extended", _("Deadline extended")
        TRANSFERRED = "transferred", _("Transferred")
        EMAIL = "email", _("E-mail queued")
        NOTE = "note", _("Internal note")
        ANONYMISED = "anonymised", _("Anonymised")
        ENTERED = "entered", _("Recorded by the DPO")
        ANSWERED = "answered", _("Answer sent")
        REFUSED = "refused", _("Refusal sent")
        INFO_REQUESTED = "info_requested", _("Information requested")
        INFO_RECEIVED = "info_received", _("Information received")
        ATTACHMENT = "attachment", _("Attachment added")
        CLOSED = "closed", _("Closed")

    request = models.ForeignKey(
        DataSubjectRequest,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("request"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("timeline")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
