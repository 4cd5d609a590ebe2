"""Writes on data subject requests, one verb each, each in one transaction with its e-mails."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from requests.email_templates import decision_email
from requests.models import DataSubjectRequest, Notification, ReferenceCounter, RequestEvent
from requests.models.requests import CONFIRMATION_HOURS, due_date
from requests.outbox import notification_queue, notification_queue_rendered

Status = DataSubjectRequest.Status
Kind = RequestEvent.Kind


def _token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _site_url(path):
    return settings.SITE_URL.rstrip("/") + path


def event_add(subject_request, kind, *, by=None, text=""):
    RequestEvent.objects.create(request=subject_request, kind=kind, actor=by, text=text)


def next_reference(year) -> str:
    """AIM-2026-000123: the counter row of the year is locked, so concurrent confirmations
    get distinct numbers."""
    try:
        with transaction.atomic():
            ReferenceCounter.objects.get_or_create(year=year)
    except IntegrityError:  # created at the same moment by another confirmation
        pass
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"AIM-{year}-{counter.last:06d}"


@transaction.atomic
def request_submit(*, data, language) -> tuple[DataSubjectRequest, str]:
    """Store the request first, then queue the e-mail that asks to confirm the address."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    subject_request = DataSubjectRequest(
        created_at=now,
        # Art. 12(3): the month runs from receipt, i.e. when the request reached AIM (now),
        # whenever the address is confirmed.
        received_on=timezone.localdate(now),
        language=language,
        right=data["right"],
        name=data["name"],
        email=data["email"],
        phone=data.get("phone", ""),
        description=data["description"],
        confirmation_token_hash=_token_hash(token),
    )
    subject_request.full_clean()
    subject_request.save()
    event_add(subject_request, Kind.SUBMITTED)
    with translation.override(language):
        link = _site_url(reverse("rights:request-confirm", kwargs={"token": token}))
    notification_queue(
        kind=Notification.Kind.CONFIRM,
        to=subject_request.email,
        language=language,
        request=subject_request,
        context={"request": subject_request, "link": link, "hours": CONFIRMATION_HOURS},
    )
    return subject_request, token


def request_by_token(token):
    return DataSubjectRequest.objects.filter(confirmation_token_hash=_token_hash(token)).first()


@transaction.atomic
def request_confirm(*, token, now=None) -> DataSubjectRequest:
    """Confirm the address: the request enters the queue with a reference and a deadline."""
    now = now or timezone.now()
    found = request_by_token(token)
    if found is None:
        raise ValidationError(_("This confirmation link is not valid."), code="invalid")
    subject_request = DataSubjectRequest.objects.select_for_update().get(pk=found.pk)
    if subject_request.status != Status.UNCONFIRMED:
        return subject_request  # confirmed already: the same answer, no second acknowledgement
    # 48 hours from when the confirmation e-mail was sent, not from submission.
    if (
        DataSubjectRequest.objects.unconfirmed_expired(now=now)
        .filter(pk=subject_request.pk)
        .exists()
    ):
        raise ValidationError(
            _("This confirmation link has expired. Please send your request again."),
            code="expired",
        )
    # The clock started at submission (Art. 12(3): "from receipt of the request"): a request
    # confirmed late keeps its original due date.
    received_on = subject_request.received_on or timezone.localdate(subject_request.created_at)
    subject_request.reference = next_reference(timezone.localdate(now).year)
    subject_request.status = Status.NEW
    subject_request.confirmed_at = now
    subject_request.received_on = received_on
    subject_request.due_on = due_date(received_on, 1)
    # The link works once: a copy in an access log or a browser's history opens nothing after.
    subject_request.confirmation_token_hash = ""
    subject_request.save()
    event_add(subject_request, Kind.CONFIRMED)
    acknowledgement_queue(subject_request)
    return subject_request


def acknowledgement_queue(subject_request):
    """The acknowledgement (reference, date received, deadline) in the requester's language,
    when there is an address to send it to."""
    if subject_request.email:
        notification_queue(
            kind=Notification.Kind.ACKNOWLEDGE,
            to=subject_request.email,
            language=subject_request.language,
            request=subject_request,
            context={"request": subject_request},
        )


def locked_request(subject_request):
    return DataSubjectRequest.objects.select_for_update().get(pk=subject_request.pk)


def anonymised_refusal(subject_request):
    """Why nothing may be written on this request any more, or None.

    Anonymisation removed who asked and what (request_anonymise): a note, a status note, an
    extension reason or a transfer written afterwards could bring personal data back."""
    if subject_request.anonymised_at:
        return _("This request has been anonymised: nothing can be added to it or changed.")
    return None


def require_not_anonymised(subject_request):
    refusal = anonymised_refusal(subject_request)
    if refusal:
        raise ValidationError(refusal, code="anonymised")


def open_refusal(subject_request):
    """Why no decision can be taken on this request any more, or None."""
    refusal = anonymised_refusal(subject_request)
    if refusal:
        return refusal
    if subject_request.status == Status.UNCONFIRMED:
        return _("This request is not in the queue.")
    if subject_request.status not in DataSubjectRequest.OPEN_STATUSES:
        return _("This request is no longer open.")
    return None


def require_open(subject_request):
    require_not_anonymised(subject_request)
    refusal = open_refusal(subject_request)
    if refusal:
        raise ValidationError(refusal, code="not_open")


def decision_deliver(subject_request, kind, subject, body) -> str:
    """Queue the decision e-mail to the requester; for a request without an e-mail address
    (recorded from a letter or a call), queue nothing and return the text the timeline keeps
    so the DPO can print it and send it by post."""
    if subject_request.email:
        notification_queue_rendered(
            kind=kind, to=subject_request.email, subject=subject, body=body, request=subject_request
        )
        return ""
    address = subject_request.postal_address.strip()
    if address:
        note = _("No e-mail address: print this letter and send it by post to:") + f"\n{address}"
    else:
        note = _(
            "No e-mail address and no postal address are recorded: this letter has not been "
            "sent. Find how to reach the requester, then print it."
        )
    return f"{note}\n\n{subject}\n\n{body}".rstrip()


@transaction.atomic
def request_assign(*, subject_request, to, by) -> DataSubjectRequest:
    subject_request = locked_request(subject_request)
    require_open(subject_request)
    subject_request.assignee = to
    subject_request.save(update_fields=["assignee"])
    event_add(subject_request, Kind.ASSIGNED, by=by, text=to.get_username() if to else "")
    return subject_request


@transaction.atomic
def request_set_status(*, subject_request, status, by, note="") -> DataSubjectRequest:
    """In progress, waiting for the requester, answered, refused or closed, without an e-mail:
    the admin offers only "in progress" (its bulk action and status page); the decisions the
    requester is told of are in answers.py."""
    allowed = {Status.IN_PROGRESS, Status.WAITING, Status.ANSWERED, Status.REFUSED, Status.CLOSED}
    if status not in allowed:
        raise ValidationError(_("Use the extension or transfer actions for that status."))
    subject_request = locked_request(subject_request)
    # Also when only closing a finished request: the note could carry personal data.
    require_not_anonymised(subject_request)
    finished = {Status.ANSWERED, Status.REFUSED, Status.TRANSFERRED}
    if not (status == Status.CLOSED and subject_request.status in finished):
        require_open(subject_request)
    previous = subject_request.get_status_display()
    if subject_request.status == Status.WAITING and subject_request.waiting_for:
        # Back in progress from a question: what came back is taken as received today, with
        # the rule of the clock for it (answers.waiting_end).
        from requests.answers import waiting_end

        note = f"{waiting_end(subject_request, timezone.localdate())}\n{note}"
    subject_request.status = status
    fields = ["status"]
    if status == Status.CLOSED or status in (Status.ANSWERED, Status.REFUSED):
        subject_request.closed_at = subject_request.closed_at or timezone.now()
        fields.append("closed_at")
    subject_request.save(update_fields=fields)
    text = f"{previous} → {subject_request.get_status_display()}"
    event_add(subject_request, Kind.STATUS, by=by, text=f"{text}\n{note}".strip())
    return subject_request


def suspended_days(subject_request) -> datetime.timedelta:
    """How far the deadline was moved by waiting for proof of identity (answers.py)."""
    if not (subject_request.received_on and subject_request.due_on):
        return datetime.timedelta(0)
    months = 3 if subject_request.extension_reason else 1
    return max(
        subject_request.due_on - due_date(subject_request.received_on, months),
        datetime.timedelta(0),
    )


def extended_due_on(subject_request):
    """Three months from receipt, plus any time the clock stood still for proof of identity."""
    return due_date(subject_request.received_on, 3) + suspended_days(subject_request)


def extension_refusal(subject_request, *, today=None):
    """Why this request cannot be extended, or None when it can.

    Art. 12(3): the requester is told of an extension, with its reasons, "within one month of
    receipt of the request". The due day itself is still within that month, so an extension
    decided on it is accepted; from the next day (in the portal's time zone) it is refused:
    the deadline has been missed and cannot be moved afterwards. One extension only, of two
    months at most: a request extended once (the status may have moved on since, the reason
    stays) is not extended again."""
    # request_extend requires a reason and only anonymisation clears it.
    if subject_request.status == Status.EXTENDED or subject_request.extension_reason:
        return _("This request has already been extended.")
    today = today or timezone.localdate()
    due_on = subject_request.due_on or due_date(subject_request.received_on, 1)
    if today > due_on:
        return _(
            "The deadline of %(date)s has passed: an extension must be decided and told to the "
            "requester within one month of receipt (GDPR Art. 12(3)). Answer the request now."
        ) % {"date": date_format(due_on)}
    return None


@transaction.atomic
def request_extend(*, subject_request, reason, by) -> DataSubjectRequest:
    """Art. 12(3): two more months, the requester told why, in their language; only once, and
    only until the due day (extension_refusal)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    subject_request = locked_request(subject_request)
    require_open(subject_request)
    refusal = extension_refusal(subject_request)
    if refusal:
        raise ValidationError(refusal, code="not_extendable")
    subject_request.due_on = extended_due_on(subject_request)
    subject_request.status = Status.EXTENDED
    subject_request.extension_reason = reason
    subject_request.save(update_fields=["status", "extension_reason", "due_on"])
    # The DPO's template 'extended' (email_templates.py), in the requester's language.
    subject, body = decision_email(subject_request, Notification.Kind.EXTENDED, reason)
    post = decision_deliver(subject_request, Notification.Kind.EXTENDED, subject, body)
    event_add(subject_request, Kind.EXTENDED, by=by, text=f"{reason}\n\n{post}".strip())
    return subject_request


@transaction.atomic
def request_note(*, subject_request, text, by) -> RequestEvent:
    """An internal note in the timeline; never on an anonymised request (anonymised_refusal)."""
    if not (text or "").strip():
        raise ValidationError({"text": _("The note is empty.")})
    subject_request = locked_request(subject_request)
    require_not_anonymised(subject_request)
    return RequestEvent.objects.create(request=subject_request, kind=Kind.NOTE, actor=by, text=text)


@transaction.atomic
def request_anonymise(*, subject_request) -> DataSubjectRequest:
    """Keep the reference, the right, the dates and the statuses; remove who and what."""
    subject_request = locked_request(subject_request)
    subject_request.name = ""
    subject_request.email = "anonymised@invalid"
    subject_request.phone = ""
    subject_request.postal_address = ""
    subject_request.description = ""
    subject_request.extension_reason = ""
    subject_request.confirmation_token_hash = ""
    subject_request.anonymised_at = timezone.now()
    subject_request.save()
    # The incoming letter, the answer's copy and the links to it (files leave the disk once
    # this commits: requests/signals.py).
    from requests.attachments import attachments_delete  # attachments imports services

    attachments_delete(subject_request=subject_request)
    subject_request.notifications.update(to="anonymised@invalid", subject="", body="")
    subject_request.events.exclude(kind=Kind.ANONYMISED).update(text="")
    subject_request.history.all().delete()
    event_add(subject_request, Kind.ANONYMISED)
    return subject_request


@transaction.atomic
def unconfirmed_delete(*, now=None) -> int:
    """Requests never confirmed within 48 hours of their confirmation e-mail being sent are
    deleted, with their e-mails, their timeline and their history (which holds copies of the
    name, address and description); returns how many requests. A request whose confirmation
    e-mail has not left (pending, or failed for good) is kept: see unconfirmed_expired."""
    expired = list(
        DataSubjectRequest.objects.unconfirmed_expired(now=now)
        .select_for_update()
        .values_list("pk", flat=True)
    )
    if not expired:
        return 0
    _total, deleted = DataSubjectRequest.objects.filter(pk__in=expired).delete()
    # After the delete: simple_history records the deletion itself as one more copy.
    DataSubjectRequest.history.filter(id__in=expired).delete()
    return deleted.get(DataSubjectRequest._meta.label, 0)


def closed_anonymise(*, now=None) -> int:
    """Anonymise closed requests older than the retention period the registry sets for them.

    The rule is the registry's RetentionRule `settings.RIGHTS_REQUESTS_RETENTION_RULE`; without
    it nothing is anonymised (and the DPO sees it in the completeness check of that activity).
    """
    from dateutil.relativedelta import relativedelta

    from registry.models import RetentionRule

    rule = RetentionRule.objects.filter(slug=settings.RIGHTS_REQUESTS_RETENTION_RULE).first()
    if rule is None or rule.duration is None:
        return 0
    now = now or timezone.now()
    delta = {
        "days": relativedelta(days=rule.duration),
        "months": relativedelta(months=rule.duration),
        "years": relativedelta(years=rule.duration),
    }[rule.unit]
    done = 0
    finished = [Status.ANSWERED, Status.REFUSED, Status.TRANSFERRED, Status.CLOSED]
    for subject_request in DataSubjectRequest.objects.filter(
        anonymised_at__isnull=True, status__in=finished, closed_at__lt=now - delta
    ):
        request_anonymise(subject_request=subject_request)
        done += 1
    return done
