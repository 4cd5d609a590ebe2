"""Requests that reach AIM another way than the portal's form, recorded by the DPO, and who may
hold a request in the queue.

A letter, an e-mail to the DPO's address, a phone call or a visit is a request all the same
(GDPR Art. 12(3) runs the month "from receipt of the request", whatever its channel): the DPO
records it with the day it reached AIM, and the clock starts on that day, not on the day it was
typed in. Nobody confirms an address for it (the DPO read it on the letter), so it enters the
queue at once, with a reference and a deadline.
"""

import unicodedata

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from requests import services
from requests.models import DataSubjectRequest, RequestEvent
from requests.models.requests import INVISIBLE_MESSAGE, due_date, has_invisible_characters

Channel = DataSubjectRequest.Channel
DPO_GROUP = "DPO"
PROCESS_PERMISSION = "rights_requests.change_datasubjectrequest"
# Channels the DPO records by hand: a request sent through the portal's form records itself.
ENTERED_CHANNELS = (Channel.EMAIL, Channel.POST, Channel.PHONE, Channel.IN_PERSON)
# How far back a day of receipt may go. A letter is normally recorded within days; a date more
# than a year ago is almost always a mistyped year (2016 for 2026), and a request truly that old
# is long overdue and needs the DPO's own look rather than a form that takes it as routine.
RECEIVED_AT_MOST = relativedelta(years=1)


def dpo_members():
    """Who can hold a request: active staff in the group "DPO". Someone who leaves the group
    (or the organisation: inactive) can no longer be chosen."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, groups__name=DPO_GROUP)
        .order_by("first_name", "last_name", "username")
        .distinct()
    )


def require_processor(user):
    """Only someone who processes requests (the DPO group) records or assigns one."""
    if user is None or not user.has_perm(PROCESS_PERMISSION):
        raise PermissionDenied(_("Only the DPO group can record or assign a request."))


def received_on_error(day, *, today=None):
    """Why `day` cannot be the day a request reached AIM, or None."""
    today = today or timezone.localdate()
    if day > today:
        return _("The request cannot have reached AIM after today: check the date.")
    earliest = today - RECEIVED_AT_MOST
    if day < earliest:
        return _(
            "A request received before %(date)s (more than a year ago) cannot be recorded "
            "here: check the year."
        ) % {"date": date_format(earliest)}
    return None


NO_ADDRESS_MESSAGE = _(
    "Give an e-mail address or a postal address: AIM must be able to send the answer."
)


def _address_error(address):
    """A postal address spans lines; any other invisible character (a text-direction mark)
    could disguise it."""
    lines = address.split("\n")
    if any(has_invisible_characters(line) for line in lines):
        return INVISIBLE_MESSAGE
    return None


def _tidy_name(name):
    """One plain space between words, as the public form stores a name; a name holding a line
    break or another invisible character is kept as typed, so the model refuses it rather
    than this tidying hiding it."""
    if has_invisible_characters(name):
        return name
    return " ".join(unicodedata.normalize("NFC", name).split())


@transaction.atomic
def request_enter(*, data, by) -> DataSubjectRequest:
    """Record a request received by e-mail, post, phone or in person.

    `data`: channel, received_on (a date), right, name, email, phone, postal_address,
    language, description. It enters the queue as new, due one month after received_on; an
    acknowledgement goes to its e-mail address, if it has one, in its language.
    """
    require_processor(by)
    now = timezone.now()
    errors = {}
    channel = data.get("channel")
    if channel not in ENTERED_CHANNELS:
        errors["channel"] = [_("Choose how the request reached AIM: e-mail, post, phone or visit.")]
    received_on = data.get("received_on")
    if received_on is None:
        errors["received_on"] = [_("Give the day the request reached AIM.")]
    elif message := received_on_error(received_on, today=timezone.localdate(now)):
        errors["received_on"] = [message]
    email = (data.get("email") or "").strip()
    address = unicodedata.normalize("NFC", data.get("postal_address") or "").replace("\r\n", "\n")
    if message := _address_error(address):
        errors["postal_address"] = [message]
    else:
        # One line per line of the envelope, without blank lines or doubled spaces.
        address = "\n".join(" ".join(line.split()) for line in address.split("\n") if line.strip())
    if not email and not address:
        errors[NON_FIELD_ERRORS] = [NO_ADDRESS_MESSAGE]
    subject_request = DataSubjectRequest(
        created_at=now,
        confirmed_at=now,
        status=DataSubjectRequest.Status.NEW,
        channel=channel or "",
        received_on=received_on,
        due_on=due_date(received_on, 1) if received_on else None,
        right=data.get("right") or "",
        language=data.get("language") or "",
        name=_tidy_name(data.get("name") or ""),
        email=email,
        phone=(data.get("phone") or "").strip(),
        postal_address=address,
        description=(data.get("description") or "").strip(),
    )
    # The model's own checks (required fields, lengths, choices, invisible characters in a
    # name or phone), all at once with ours; the reference is taken only for a valid request.
    try:
        subject_request.full_clean(exclude=["reference"])
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    # The year of entry, like a confirmed request's: references follow the queue's order.
    subject_request.reference = services.next_reference(timezone.localdate(now).year)
    subject_request.save()
    services.event_add(
        subject_request,
        RequestEvent.Kind.ENTERED,
        by=by,
        text=str(subject_request.get_channel_display()),
    )
    services.acknowledgement_queue(subject_request)
    return subject_request


def request_assign_member(*, subject_request, to, by) -> DataSubjectRequest:
    """Assign the request to a member of the DPO group (`to=None`: unassign it).

    The rules of services.request_assign (an open request, not anonymised), plus: the person
    assigning processes requests, and the person assigned is an active member of the DPO group
    now (someone who left it is refused even if a page still listed them)."""
    require_processor(by)
    if to is not None and not dpo_members().filter(pk=to.pk).exists():
        raise ValidationError(
            {"assignee": _("Only an active member of the DPO group can be assigned a request.")},
            code="not_dpo",
        )
    return services.request_assign(subject_request=subject_request, to=to, by=by)
