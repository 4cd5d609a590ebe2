"""How long a request is kept, and from when its clock runs.

- The one-month deadline (GDPR Art. 12(3)) runs from receipt: the moment the request reached
  AIM, not the moment its sender confirmed the e-mail address.
- Every request whose handling by AIM has ended (answered, refused, transferred or closed)
  reaches anonymisation after the registry's retention period, counted from that end; the
  seed ships the rule, so this happens without anyone having to create it first.
- Expired sessions are cleared every day.
"""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import models

from registry.models import Organisation, ProcessingActivity, RetentionRule
from registry.seed import registry_seed_load
from requests import services, transfers
from requests.models import DataSubjectRequest, RequestEvent
from tests.registry.factories import (
    OrganisationFactory,
    ProcessingActivityFactory,
    RetentionRuleFactory,
)

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
Status = DataSubjectRequest.Status
pytestmark = pytest.mark.django_db

# Every personal value a request can hold, each distinct so that a leftover copy is found.
PERSONAL = {
    "name": "Annelies Vermeulen-Dupont",
    "email": "annelies.vermeulen.dupont@example.be",
    "phone": "+32 470 12 34 56",
    "description": "Annelies wil weten welke gegevens het IMA over haar bewaart (dossier 7781).",
}
EXTENSION_REASON = "Annelies heeft drie eerdere verzoeken ingediend (dossier 7781)."
NOTE = "Gebeld met Annelies Vermeulen-Dupont op +32 470 12 34 56."


def at(*args):
    return datetime.datetime(*args, tzinfo=BRUSSELS)


def submit_full(language="nl"):
    return services.request_submit(data={"right": "access", **PERSONAL}, language=language)


def run(command):
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue().strip()


def leftovers(values):
    """Every (model, field) of the whole database that still holds one of `values`: all the
    text columns of every installed model, history and outbox included."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        text_fields = [
            field.name
            for field in model._meta.get_fields()
            if isinstance(field, models.CharField | models.TextField)
            and not field.is_relation
            and field.concrete
        ]
        for name in text_fields:
            for value in values:
                if model._default_manager.filter(**{f"{name}__icontains": value}).exists():
                    found.append((model._meta.label, name, value))
    return found


# --- The deadline runs from receipt ----------------------------------------------------------


def test_a_request_sent_late_on_31_january_and_confirmed_on_2_february_is_due_on_28_february():
    with time_machine.travel(at(2026, 1, 31, 23, 30), tick=False):
        request, token = submit_full()
    assert request.received_on == datetime.date(2026, 1, 31)

    with time_machine.travel(at(2026, 2, 2, 9, 0), tick=False):
        confirmed = services.request_confirm(token=token)

    assert confirmed.received_on == datetime.date(2026, 1, 31)
    assert confirmed.due_on == datetime.date(2026, 2, 28)
    assert confirmed.confirmed_at == at(2026, 2, 2, 9, 0)


def test_an_extension_counts_three_months_from_receipt_too():
    with time_machine.travel(at(2026, 1, 31, 23, 30), tick=False):
        request, token = submit_full()
    with time_machine.travel(at(2026, 2, 2, 9, 0), tick=False):
        request = services.request_confirm(token=token)
        request = services.request_extend(subject_request=request, reason=EXTENSION_REASON, by=None)
    assert request.due_on == datetime.date(2026, 4, 30)


# --- Every finished request reaches anonymisation --------------------------------------------


@pytest.fixture
def controller():
    """A controller for which AIM is a processor: the organisation a request is passed on to."""
    organisation = OrganisationFactory(
        kind=Organisation.Kind.PARTNER, rights_email="privacy@controller.example"
    )
    activity = ProcessingActivityFactory(
        aim_role=ProcessingActivity.Role.PROCESSOR, controller=organisation
    )
    return organisation, activity


def handled(finish, *, when):
    """A request with every personal field filled, extended, annotated, then finished by
    `finish(request)` at `when`."""
    with time_machine.travel(when - datetime.timedelta(days=20), tick=False):
        request, token = submit_full()
        request = services.request_confirm(token=token)
        request = services.request_extend(subject_request=request, reason=EXTENSION_REASON, by=None)
        services.request_note(subject_request=request, text=NOTE, by=None)
    with time_machine.travel(when, tick=False):
        return finish(request)


def transfer_to(controller):
    organisation, activity = controller

    def finish(request):
        return transfers.request_transfer(
            subject_request=request,
            activity=activity,
            to_organisation=organisation,
            on=datetime.date.today(),
            by=None,
        )

    return finish


def set_status(status):
    def finish(request):
        return services.request_set_status(subject_request=request, status=status, by=None)

    return finish


@pytest.mark.parametrize("finish", ["transferred", "answered", "refused"])
def test_a_finished_request_is_anonymised_after_the_period_history_and_outbox_included(
    finish, controller
):
    RetentionRuleFactory(
        slug=settings.RIGHTS_REQUESTS_RETENTION_RULE, duration=1, unit=RetentionRule.Unit.YEARS
    )
    finisher = transfer_to(controller) if finish == "transferred" else set_status(finish)
    request = handled(finisher, when=at(2025, 3, 10, 14, 0))
    # A transferred request is never closed by hand: AIM's part ended with the transfer.
    assert request.status == finish
    assert request.closed_at == at(2025, 3, 10, 14, 0)
    values = [*PERSONAL.values(), EXTENSION_REASON, NOTE]
    assert {value for _model, _field, value in leftovers(values)} == set(values)

    with time_machine.travel(at(2026, 3, 10, 13, 0), tick=False):  # not a full year yet
        assert run("anonymise_closed_requests") == "Closed requests: 0 anonymised."
    with time_machine.travel(at(2026, 3, 11, 3, 15), tick=False):
        assert run("anonymise_closed_requests") == "Closed requests: 1 anonymised."

    assert leftovers(values) == []
    after = DataSubjectRequest.objects.get(pk=request.pk)
    assert (after.name, after.phone, after.description, after.extension_reason) == ("",) * 4
    assert after.email == "anonymised@invalid"
    assert after.status == finish and after.reference == request.reference
    assert not after.history.exists()
    assert after.notifications.exists()
    assert all(event.text == "" for event in after.events.all())
    assert after.events.filter(kind=RequestEvent.Kind.ANONYMISED).count() == 1


def test_the_seeded_rule_anonymises_without_anyone_creating_it_first(controller):
    """With the registry as the seed loads it, requests do reach anonymisation: five years
    after AIM's part ended."""
    registry_seed_load()
    request = handled(transfer_to(controller), when=at(2026, 3, 10, 14, 0))

    with time_machine.travel(at(2031, 3, 9, 12, 0), tick=False):
        assert run("anonymise_closed_requests") == "Closed requests: 0 anonymised."
    with time_machine.travel(at(2031, 3, 11, 3, 15), tick=False):
        assert run("anonymise_closed_requests") == "Closed requests: 1 anonymised."
    assert DataSubjectRequest.objects.get(pk=request.pk).anonymised_at is not None


def test_open_requests_are_never_anonymised():
    RetentionRuleFactory(
        slug=settings.RIGHTS_REQUESTS_RETENTION_RULE, duration=1, unit=RetentionRule.Unit.DAYS
    )
    with time_machine.travel(at(2025, 1, 10, 10, 0), tick=False):
        request, token = submit_full()
        services.request_confirm(token=token)
    with time_machine.travel(at(2026, 6, 1, 3, 15), tick=False):
        assert run("anonymise_closed_requests") == "Closed requests: 0 anonymised."
    assert DataSubjectRequest.objects.get(pk=request.pk).name == PERSONAL["name"]


# --- Expired sessions are cleared daily ------------------------------------------------------


def test_expired_sessions_are_cleared_by_the_daily_task():
    from aim_privacy.tasks import clear_expired_sessions

    expired, active = SessionStore(), SessionStore()
    expired.set_expiry(1)
    expired["who"] = "a staff member"
    expired.create()
    active["who"] = "another staff member"
    active.create()

    # Admin sessions expire after SESSION_IDLE_MINUTES (30) without a request.
    with time_machine.travel(datetime.timedelta(minutes=10)):
        clear_expired_sessions.apply()

    assert list(Session.objects.values_list("session_key", flat=True)) == [active.session_key]
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "aim_privacy.tasks.clear_expired_sessions" in schedule
