"""The DPO's decisions on a request, each told to the requester in their language: answer, ask
for information or proof of identity, record what came back, refuse, close.

Each e-mail is the DPO's template for that decision (EmailTemplate, email_templates.py) with
the DPO's text as {{ message }}; what the law requires whatever the DPO writes is added by the
code after it: the download link of an answer's files (with its expiry), and in a refusal the
Art. 12(4) information (refusal_rights.txt). A request without an e-mail address gets no
e-mail: the timeline keeps the letter's text and where to post it (services.decision_deliver).
Like every write, nothing is done on an anonymised request or one no longer open.

The clock while waiting for the requester (request_ask, request_info_received), after the
EDPB Guidelines 01/2022 on the right of access (version 2.1; section 3 on identification and
section 5.3 "Timing for the provision of access"; the paragraph numbers are to be confirmed by
the DPO against the EDPB's PDF, which could not be read here):

- proof of identity (Art. 12(6): the controller "may request the provision of additional
  information necessary to confirm the identity of the data subject" when it has reasonable
  doubts): the time limit stands still while AIM waits for it. When it arrives, the due date
  moves by the days waited (from the day asked to the day received), and an extension later
  keeps that shift (services.extended_due_on). The suspension is only fair when the question
  was asked without undue delay and is proportionate: the DPO asks at once, and only what is
  needed to confirm who asks;
- any other information (what the request is about, which period...): the clock keeps running
  from receipt (Art. 12(3)), so the due date does not move; when the answer takes time, the
  DPO extends the deadline within the month, with the reason.

The original receipt date is never changed: received_on stays, only due_on moves.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notices.templatetags.dates import long_date
from requests import attachments, services
from requests.email_templates import decision_email
from requests.models import DataSubjectRequest, Notification, RequestAttachment, RequestEvent

Status = DataSubjectRequest.Status
WaitingFor = DataSubjectRequest.WaitingFor
Kind = RequestEvent.Kind
ASK_KINDS = {
    WaitingFor.IDENTITY: Notification.Kind.IDENTITY_REQUESTED,
    WaitingFor.INFORMATION: Notification.Kind.INFO_REQUESTED,
}
# The finished states a request may still be closed from (the DPO's "closed" after an answer).
CLOSABLE = {*DataSubjectRequest.OPEN_STATUSES, Status.ANSWERED, Status.REFUSED, Status.TRANSFERRED}


def _required(text, field, message):
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


def download_block(subject_request, link, expires_at) -> str:
    """The answer's download link and its expiry in words, in the requester's language."""
    language = subject_request.language
    with translation.override(language):
        return render_to_string(
            "requests/email/answer_download.txt",
            {"link": link, "expires": long_date(expires_at, language)},
        )


def refusal_block(subject_request) -> str:
    """Art. 12(4): the complaint to the Authority and the judicial remedy, in the requester's
    language; the Authority's name and address from the registry when it has them."""
    from registry.models import Organisation

    language = subject_request.language
    authority = Organisation.objects.filter(kind=Organisation.Kind.AUTHORITY).first()
    found = {}
    if authority is not None:
        found = {
            "name": getattr(authority, f"name_{language}", "") or "",
            "address": getattr(authority, f"address_{language}", "")
            or getattr(authority, f"rights_postal_address_{language}", "")
            or "",
            "page": getattr(authority, f"rights_web_form_{language}", "") or "",
        }
    fallback = settings_authority(language)
    context = {key: found.get(key) or value for key, value in fallback.items()}
    with translation.override(language):
        return render_to_string("requests/email/refusal_rights.txt", context)


def settings_authority(language):
    """GLOSSARY.md's sourced values (Partners and authorities; complaint pages)."""
    return {
        "fr": {
            "name": "Autorité de protection des données",
            "address": "Rue de la Presse 35, 1000 Bruxelles",
            "page": "https://www.autoriteprotectiondonnees.be/citoyen/agir/introduire-une-plainte",
        },
        "nl": {
            "name": "Gegevensbeschermingsautoriteit",
            "address": "Drukpersstraat 35, 1000 Brussel",
            "page": "https://www.gegevensbeschermingsautoriteit.be/burger/acties/klacht-indienen",
        },
    }[language]


def preview(subject_request, kind, message, *, with_files=False):
    """(subject, body) the requester would get, saving nothing (the admin's Preview)."""
    block = ""
    if kind == Notification.Kind.REFUSED:
        block = refusal_block(subject_request)
    elif with_files and subject_request.email:
        expires_at = timezone.now() + datetime.timedelta(days=settings.DOWNLOAD_LINK_DAYS)
        with translation.override(subject_request.language):
            link = _("(the link is created when the answer is sent)")
        block = download_block(subject_request, link, expires_at)
    return decision_email(subject_request, kind, message, block=block)


def _decide(subject_request, kind, message, event_kind, event_text, by, *, block=""):
    subject, body = decision_email(subject_request, kind, message, block=block)
    post = services.decision_deliver(subject_request, kind, subject, body)
    services.event_add(subject_request, event_kind, by=by, text=f"{event_text}\n\n{post}".strip())


@transaction.atomic
def request_answer(*, subject_request, message, by, files=()) -> DataSubjectRequest:
    """The answer: the request is answered (and AIM's part ends: closed_at), its files kept as
    answer attachments and, for a requester with an e-mail address, linked from the e-mail."""
    message = _required(message, "message", _("Write the answer."))
    subject_request = services.locked_request(subject_request)
    services.require_open(subject_request)
    now = timezone.now()
    subject_request.status = Status.ANSWERED
    subject_request.answered_on = timezone.localdate(now)
    subject_request.closed_at = subject_request.closed_at or now
    subject_request.save(update_fields=["status", "answered_on", "closed_at"])
    for uploaded_file in files:
        attachments.attachment_add(
            subject_request=subject_request,
            uploaded_file=uploaded_file,
            direction=RequestAttachment.Direction.ANSWER,
            by=by,
        )
    block = ""
    text = _("Answered on %(date)s.") % {"date": long_date(subject_request.answered_on)}
    if files and subject_request.email:
        link, expires_at = attachments.download_link_create(
            subject_request=subject_request, now=now
        )
        block = download_block(subject_request, link, expires_at)
    elif files:
        # The download page asks for the requester's e-mail address: a letter carries the files.
        text = f"{text} {_('Print the attached files and send them with the letter.')}"
    _decide(
        subject_request,
        Notification.Kind.ANSWERED,
        message,
        Kind.ANSWERED,
        f"{text}\n{message}",
        by,
        block=block,
    )
    return subject_request


def ask_refusal(subject_request):
    """One question at a time: the clock rule needs the day each one was asked."""
    if subject_request.status == Status.WAITING:
        return _(
            "This request is already waiting for the requester: record what you received "
            "(“Information received”) before asking again."
        )
    return None


@transaction.atomic
def request_ask(*, subject_request, what, message, by) -> DataSubjectRequest:
    """Ask the requester for proof of identity or for information; the request waits (see the
    module docstring for what that does to the deadline)."""
    if what not in ASK_KINDS:
        raise ValidationError({"what": _("Choose what you ask the requester for.")})
    message = _required(message, "message", _("Write what you ask the requester for."))
    subject_request = services.locked_request(subject_request)
    services.require_open(subject_request)
    refusal = ask_refusal(subject_request)
    if refusal:
        raise ValidationError(refusal, code="already_waiting")
    subject_request.status = Status.WAITING
    subject_request.waiting_for = what
    subject_request.waiting_since = timezone.localdate()
    subject_request.save(update_fields=["status", "waiting_for", "waiting_since"])
    label = WaitingFor(what).label
    _decide(
        subject_request, ASK_KINDS[what], message, Kind.INFO_REQUESTED, f"{label}\n{message}", by
    )
    return subject_request


def waiting_end(subject_request, on) -> str:
    """Back in progress after the requester answered on `on`: for proof of identity the due
    date moves by the days waited (module docstring); returns what the timeline says."""
    today = timezone.localdate()
    since = subject_request.waiting_since or on
    if on > today:
        raise ValidationError({"on": _("The date cannot be in the future.")})
    if on < since:
        raise ValidationError(
            {
                "on": _("The date cannot be before the question was asked (%(date)s).")
                % {"date": long_date(since)}
            }
        )
    waited = subject_request.waiting_for
    if waited == WaitingFor.IDENTITY and subject_request.due_on:
        days = (on - since).days
        subject_request.due_on += datetime.timedelta(days=days)
        text = _(
            "Proof of identity received on %(date)s: the deadline stood still for %(days)d "
            "days and is now %(due)s."
        ) % {"date": long_date(on), "days": days, "due": long_date(subject_request.due_on)}
    else:
        text = _(
            "Information received on %(date)s: the deadline runs from receipt and stays %(due)s."
        ) % {"date": long_date(on), "due": long_date(subject_request.due_on)}
    subject_request.status = Status.IN_PROGRESS
    subject_request.waiting_for = ""
    subject_request.waiting_since = None
    subject_request.save(update_fields=["status", "waiting_for", "waiting_since", "due_on"])
    return text


@transaction.atomic
def request_info_received(*, subject_request, on, by) -> DataSubjectRequest:
    subject_request = services.locked_request(subject_request)
    services.require_open(subject_request)
    if subject_request.status != Status.WAITING:
        raise ValidationError(
            _("This request is not waiting for the requester."), code="not_waiting"
        )
    text = waiting_end(subject_request, on)
    services.event_add(subject_request, Kind.INFO_RECEIVED, by=by, text=text)
    return subject_request


@transaction.atomic
def request_refuse(*, subject_request, reasons, by) -> DataSubjectRequest:
    """Art. 12(4): not acting on the request, with the reasons, the right to complain to the
    Authority and the right to a judicial remedy (refusal_rights.txt, added by the code)."""
    reasons = _required(reasons, "reasons", _("Give the reasons for the refusal."))
    subject_request = services.locked_request(subject_request)
    services.require_open(subject_request)
    now = timezone.now()
    subject_request.status = Status.REFUSED
    subject_request.answered_on = timezone.localdate(now)
    subject_request.closed_at = subject_request.closed_at or now
    subject_request.save(update_fields=["status", "answered_on", "closed_at"])
    _decide(
        subject_request,
        Notification.Kind.REFUSED,
        reasons,
        Kind.REFUSED,
        reasons,
        by,
        block=refusal_block(subject_request),
    )
    return subject_request


@transaction.atomic
def request_close(*, subject_request, message, by, notify=True) -> DataSubjectRequest:
    """Closed: an open request given up (withdrawn, no answer from the requester) or a
    finished one filed; the requester is told when `notify`."""
    message = (message or "").strip()
    if notify and not message:
        raise ValidationError({"message": _("Write the message for the requester.")})
    subject_request = services.locked_request(subject_request)
    services.require_not_anonymised(subject_request)
    if subject_request.status not in CLOSABLE:
        raise ValidationError(services.open_refusal(subject_request) or "", code="not_open")
    subject_request.status = Status.CLOSED
    subject_request.closed_at = subject_request.closed_at or timezone.now()
    subject_request.save(update_fields=["status", "closed_at"])
    if notify:
        _decide(subject_request, Notification.Kind.CLOSED, message, Kind.CLOSED, message, by)
    else:
        services.event_add(subject_request, Kind.CLOSED, by=by, text=message)
    return subject_request
