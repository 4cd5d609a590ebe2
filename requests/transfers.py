"""Passing a request on to the organisation that must answer it.

A request is passed on only for a processing activity where the registry says someone other than
AIM answers: AIM is a processor (the controller answers, Art. 28(3)(e)), or the activity names
another organisation or the person's own health insurer as the one that answers rights requests
(`rights_handled_by`, which for joint controllers records their arrangement, Art. 26). The
organisation must take rights requests (at least one channel in the registry) and is never AIM,
the supervisory authority or a processor. The form offers only such pairs; the service checks
again, so a forged POST is refused with the reason.
"""

import dataclasses

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from registry.models import ChannelSource, Organisation, ProcessingActivity
from requests.models import DataSubjectRequest, Notification, RequestEvent
from requests.outbox import notification_render
from requests.routing import channels_of
from requests.services import decision_deliver, event_add, locked_request, require_open

Status = DataSubjectRequest.Status
Kind = RequestEvent.Kind
Role = ProcessingActivity.Role
Handler = ProcessingActivity.RightsHandler

# Never the organisation a requester is sent to: AIM itself (nothing to pass on), the authority
# (it takes complaints, not rights requests) and processors (they act for a controller).
NEVER_ANSWERING = (Organisation.Kind.AIM, Organisation.Kind.AUTHORITY, Organisation.Kind.PROCESSOR)
RIGHTS_CHANNELS = [name for name in ChannelSource.Channel.values if name.startswith("rights_")]


def answering_organisations():
    """Organisations that take rights requests: a channel for them, and not of a kind above."""
    has_channel = Q()
    for name in RIGHTS_CHANNELS:
        # The translated fields may hold NULL for "not given", like "".
        has_channel |= Q(**{f"{name}__isnull": False}) & ~Q(**{name: ""})
    return Organisation.objects.exclude(kind__in=NEVER_ANSWERING).filter(has_channel)


def transfer_activities():
    """Approved activities for which someone other than AIM answers rights requests."""
    return (
        ProcessingActivity.objects.in_force()
        .filter(Q(aim_role=Role.PROCESSOR) | ~Q(rights_handled_by=Handler.AIM))
        .select_related("controller", "rights_organisation")
    )


def organisations_for(activity):
    """Who must answer for this activity: its controller when AIM is a processor, and the
    organisation or the insurers the registry names; only those that take rights requests."""
    which = Q(pk__in=[])
    if activity.aim_role == Role.PROCESSOR:
        which |= Q(pk=activity.controller_id)
    if activity.rights_handled_by == Handler.ORGANISATION:
        which |= Q(pk=activity.rights_organisation_id)
    if activity.rights_handled_by == Handler.OWN_INSURER:
        which |= Q(kind=Organisation.Kind.INSURER)
    return answering_organisations().filter(which)


def transfer_refusal(*, activity, organisation):
    """Why the request cannot be passed on to this organisation for this activity, or None."""
    if activity is None or not transfer_activities().filter(pk=activity.pk).exists():
        return _(
            "Choose an approved processing activity for which another organisation answers "
            "rights requests: AIM answers for this one itself."
        )
    if not organisations_for(activity).filter(pk=organisation.pk).exists():
        return _(
            "%(organisation)s does not answer rights requests for “%(activity)s” according to "
            "the registry, or has no channel for them: choose the organisation the registry "
            "names."
        ) % {"organisation": organisation, "activity": activity}
    return None


def one_line(text):
    """A postal address on one line of the e-mail: its lines joined by commas."""
    return ", ".join(line.strip() for line in text.splitlines() if line.strip())


def wording(activity, organisation):
    """What the e-mail says of AIM's role and of why this organisation answers; every case
    rests on the activity's registry entry."""
    if activity.aim_role == Role.PROCESSOR and organisation.pk == activity.controller_id:
        answer = "controller"
    elif activity.rights_handled_by == Handler.OWN_INSURER:
        answer = "own_insurer"
    else:
        answer = "designated"
    return {"role": activity.aim_role, "answer": answer}


@transaction.atomic
def request_transfer(*, subject_request, activity, to_organisation, on, by, acknowledged_on=None):
    """Another organisation must answer for `activity` (see the module's docstring)."""
    subject_request = locked_request(subject_request)
    require_open(subject_request)
    refusal = transfer_refusal(activity=activity, organisation=to_organisation)
    if refusal:
        raise ValidationError(refusal)
    subject_request.status = Status.TRANSFERRED
    subject_request.transferred_to = to_organisation
    subject_request.transferred_on = on
    subject_request.controller_acknowledged_on = acknowledged_on
    # AIM's part ends with the transfer: the retention period runs from here.
    subject_request.closed_at = subject_request.closed_at or timezone.now()
    subject_request.save(
        update_fields=[
            "status",
            "transferred_to",
            "transferred_on",
            "controller_acknowledged_on",
            "closed_at",
        ]
    )
    # The timeline keeps which activity the transfer rested on (registry names, no personal
    # data), in the site's language like the other events.
    with translation.override(subject_request.language):
        # The channels in the requester's language, marked where published in the other only.
        channels = [
            dataclasses.replace(channel, value=one_line(channel.value))
            for channel in channels_of(to_organisation)
        ]
    controller = activity.controller
    subject, body = notification_render(
        kind=Notification.Kind.TRANSFERRED,
        language=subject_request.language,
        context={
            "request": subject_request,
            "organisation": to_organisation,
            "activity": activity,
            # Never "AIM and AIM": a registry row naming AIM as its own partner says nothing.
            "controller": None if controller.kind == Organisation.Kind.AIM else controller,
            "channels": channels,
            **wording(activity, to_organisation),
        },
    )
    # A request recorded without an e-mail address: the timeline keeps the letter to post.
    letter = decision_deliver(subject_request, Notification.Kind.TRANSFERRED, subject, body)
    text = "\n\n".join(filter(None, [f"{to_organisation} · {activity}", letter]))
    event_add(subject_request, Kind.TRANSFERRED, by=by, text=text)
    return subject_request
