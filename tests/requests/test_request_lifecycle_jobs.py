"""The scheduled jobs on stored requests, run as the cron commands: unconfirmed requests are
deleted after 48 hours, closed ones anonymised after the registry's retention period, the DPO
gets a daily digest of due requests, and the outbox relay sends what is still pending."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command

from registry.models import RetentionRule
from requests.models import DataSubjectRequest, Notification, RequestEvent
from requests.services import request_confirm, request_set_status, request_submit
from tests.registry.factories import RetentionRuleFactory

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
Status = DataSubjectRequest.Status


def at(*args):
    return datetime.datetime(*args, tzinfo=BRUSSELS)


@pytest.fixture(autouse=True)
def eager_celery(settings):
    """The outbox hand-off runs in this process (in CI, REDIS_URL makes Celery use a broker).
    The Celery app reads its configuration from the Django settings each time, live."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


def submit(name="Marie Dubois", email="marie.dubois@example.be", language="fr"):
    return request_submit(
        data={
            "right": "access",
            "name": name,
            "email": email,
            "description": f"{name} voudrait savoir quelles données l'AIM conserve.",
        },
        language=language,
    )


def confirmed(name, **kwargs):
    _request, token = submit(name=name, **kwargs)
    return request_confirm(token=token)


def run(command):
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue().strip()


# --- Unconfirmed requests: deleted after 48 hours -------------------------------------------


@pytest.mark.django_db
def test_unconfirmed_requests_older_than_48_hours_are_deleted_with_all_their_data():
    # The 48 hours run from when the confirmation e-mail was sent (here: at once, by the relay).
    with time_machine.travel(at(2026, 3, 1, 9, 0), tick=False):
        old, _token = submit(name="Ancienne Demande", email="old@example.be")
        kept_confirmed = confirmed("Confirmée Àtemps", email="confirmed@example.be")
        run("relay_emails")
        # Its confirmation e-mail never left (SMTP refused it for three days): kept.
        never_sent, _token = submit(name="Jamais Envoyée", email="never@example.be")
        Notification.objects.filter(request=never_sent).update(status=Notification.Status.FAILED)
    with time_machine.travel(at(2026, 3, 3, 8, 0), tick=False):  # 47 hours later
        young, _token = submit(name="Jeune Demande", email="young@example.be")
        run("relay_emails")
    assert Notification.objects.filter(request=old).exists()

    with time_machine.travel(at(2026, 3, 3, 9, 30), tick=False):  # 48.5 hours after the first
        assert run("delete_unconfirmed_requests") == "Unconfirmed requests: 1 deleted."

    assert not DataSubjectRequest.objects.filter(pk=old.pk).exists()
    assert DataSubjectRequest.objects.filter(pk=young.pk, status=Status.UNCONFIRMED).exists()
    assert DataSubjectRequest.objects.filter(pk=never_sent.pk, status=Status.UNCONFIRMED).exists()
    assert DataSubjectRequest.objects.get(pk=kept_confirmed.pk).status == Status.NEW
    # Its e-mails and timeline go with it, and the history keeps no copy of who asked what.
    assert not Notification.objects.filter(to="old@example.be").exists()
    assert not RequestEvent.objects.filter(request_id=old.pk).exists()
    assert not DataSubjectRequest.history.filter(id=old.pk).exists()
    assert not DataSubjectRequest.history.filter(name="Ancienne Demande").exists()
    assert DataSubjectRequest.history.filter(id=young.pk).exists()

    with time_machine.travel(at(2026, 3, 3, 9, 30), tick=False):
        assert run("delete_unconfirmed_requests") == "Unconfirmed requests: 0 deleted."


# --- Closed requests: anonymised after the registry's retention period ----------------------


def closed_on(day, name, email):
    """A request received a month before `day` and closed on `day`."""
    with time_machine.travel(day - datetime.timedelta(days=30), tick=False):
        request = confirmed(name, email=email)
    with time_machine.travel(day, tick=False):
        return request_set_status(
            subject_request=request, status=Status.CLOSED, by=None, note="Réglé."
        )


@pytest.fixture
def closed_requests():
    """Closed 13 months and 11 months before 15 June 2026, plus one still open."""
    old = closed_on(at(2025, 5, 15, 10, 0), "Vieux Dossier", "vieux@example.be")
    recent = closed_on(at(2025, 7, 15, 10, 0), "Récent Dossier", "recent@example.be")
    with time_machine.travel(at(2024, 1, 10, 10, 0), tick=False):
        still_open = confirmed("Toujours Ouvert", email="ouvert@example.be")
    return old, recent, still_open


@pytest.mark.django_db
def test_closed_requests_are_anonymised_after_the_registry_retention_period(closed_requests):
    RetentionRuleFactory(slug="data-subject-requests", duration=1, unit=RetentionRule.Unit.YEARS)
    old, recent, still_open = closed_requests
    before = DataSubjectRequest.objects.get(pk=old.pk)
    recent_before = DataSubjectRequest.objects.get(pk=recent.pk)
    recent_history = recent.history.count()
    assert before.history.exists()

    with time_machine.travel(at(2026, 6, 15, 3, 15), tick=False):
        assert run("anonymise_closed_requests") == "Closed requests: 1 anonymised."

    after = DataSubjectRequest.objects.get(pk=old.pk)
    # Who and what are gone…
    assert (after.name, after.phone, after.description) == ("", "", "")
    assert after.email == "anonymised@invalid"
    assert after.confirmation_token_hash == ""
    assert after.anonymised_at == at(2026, 6, 15, 3, 15)
    assert not after.history.exists()
    assert not DataSubjectRequest.history.filter(name="Vieux Dossier").exists()
    notifications = list(after.notifications.all())
    assert {n.kind for n in notifications} == {
        Notification.Kind.CONFIRM,
        Notification.Kind.ACKNOWLEDGE,
    }
    for notification in notifications:
        assert (notification.to, notification.subject, notification.body) == (
            "anonymised@invalid",
            "",
            "",
        )
    assert not Notification.objects.filter(body__contains="Vieux Dossier").exists()
    assert all(event.text == "" for event in after.events.all())
    assert after.events.filter(kind=RequestEvent.Kind.ANONYMISED).count() == 1
    # …what the statistics and the accountability need stays.
    for field in (
        "reference",
        "right",
        "status",
        "language",
        "created_at",
        "confirmed_at",
        "received_on",
        "due_on",
        "closed_at",
    ):
        assert getattr(after, field) == getattr(before, field), field

    # Closed 11 months ago, or still open: untouched.
    recent_after = DataSubjectRequest.objects.get(pk=recent.pk)
    assert recent_after.name == "Récent Dossier"
    assert recent_after.email == recent_before.email
    assert recent_after.anonymised_at is None
    assert recent.history.count() == recent_history
    assert recent_after.notifications.exclude(body="").count() == 2
    assert DataSubjectRequest.objects.get(pk=still_open.pk).name == "Toujours Ouvert"

    with time_machine.travel(at(2026, 6, 15, 3, 15), tick=False):
        assert run("anonymise_closed_requests") == "Closed requests: 0 anonymised."


@pytest.mark.django_db
def test_without_the_registry_rule_nothing_is_anonymised(closed_requests):
    RetentionRuleFactory(slug="another-rule", duration=1, unit=RetentionRule.Unit.DAYS)
    with time_machine.travel(at(2026, 6, 15, 3, 15), tick=False):
        assert run("anonymise_closed_requests") == "Closed requests: 0 anonymised."
    assert not DataSubjectRequest.objects.filter(anonymised_at__isnull=False).exists()
    assert set(DataSubjectRequest.objects.values_list("name", flat=True)) == {
        "Vieux Dossier",
        "Récent Dossier",
        "Toujours Ouvert",
    }


# --- The DPO's daily digest -----------------------------------------------------------------


@pytest.fixture
def dpo_team(django_user_model):
    group = Group.objects.get(name="DPO")

    def member(username, email, *, is_active=True, groups=(group,)):
        user = django_user_model.objects.create_user(
            username=username, email=email, is_staff=True, is_active=is_active
        )
        user.groups.add(*groups)
        return user

    return {
        "dpo": member("dpo-one", "dpo.one@intermut.be"),
        "deputy": member("dpo-two", "dpo.two@intermut.be"),
        "no-email": member("dpo-three", ""),
        "inactive": member("dpo-gone", "gone@intermut.be", is_active=False),
        "editor": member("editor", "editor@intermut.be", groups=[Group.objects.get(name="Editor")]),
    }


TODAY = datetime.date(2026, 3, 10)


def due(name, days):
    request = confirmed(name, email=f"{name.split()[0].lower().replace('é', 'e')}@example.be")
    DataSubjectRequest.objects.filter(pk=request.pk).update(
        due_on=TODAY + datetime.timedelta(days=days)
    )
    request.refresh_from_db()
    return request


@pytest.mark.django_db
def test_dpo_digest_lists_overdue_and_soon_due_requests_by_reference(
    dpo_team, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(2026, 3, 10, 7, 30), tick=False):
        overdue = due("Anne Retard", -3)
        today = due("Bruno Jour", 0)
        in_a_week = due("Chloé Semaine", 7)
        later = due("David Tard", 8)
        closed = due("Emma Fermée", -5)
        request_set_status(subject_request=closed, status=Status.CLOSED, by=dpo_team["dpo"])
        unconfirmed, _token = submit(name="Félix Inconnu", email="felix@example.be")
        mail.outbox.clear()

        with django_capture_on_commit_callbacks(execute=True):
            assert run("send_dpo_digest") == "DPO digest: 2 e-mail(s) queued."

    assert sorted(message.to[0] for message in mail.outbox) == [
        "dpo.one@intermut.be",
        "dpo.two@intermut.be",
    ]
    assert all(len(message.to) == 1 for message in mail.outbox)
    body = mail.outbox[0].body
    assert mail.outbox[1].body == body
    assert "3" in mail.outbox[0].subject
    listed = [overdue.reference, today.reference, in_a_week.reference]
    assert [body.index(reference) for reference in listed] == sorted(
        body.index(reference) for reference in listed
    )
    for absent in (later.reference, closed.reference):
        assert absent not in body
    # References only: no requester's name, address or description in a DPO's mailbox.
    for name in ("Anne", "Bruno", "Chloé", "David", "Emma", "Félix", "example.be", "voudrait"):
        assert name not in body
    digests = Notification.objects.filter(kind=Notification.Kind.DPO_DIGEST)
    assert digests.count() == 2
    assert set(digests.values_list("status", flat=True)) == {Notification.Status.SENT}
    assert not digests.filter(request__isnull=False).exists()
    assert unconfirmed.reference is None


@pytest.mark.django_db
def test_no_digest_when_nothing_is_due(dpo_team, django_capture_on_commit_callbacks):
    with time_machine.travel(at(2026, 3, 10, 7, 30), tick=False):
        due("David Tard", 8)
        submit(name="Félix Inconnu", email="felix@example.be")
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert run("send_dpo_digest") == "DPO digest: 0 e-mail(s) queued."
    assert mail.outbox == []
    assert not Notification.objects.filter(kind=Notification.Kind.DPO_DIGEST).exists()


# --- The outbox relay, for cron ------------------------------------------------------------


@pytest.mark.django_db
def test_relay_command_sends_what_is_pending_once():
    # Submitted inside the test's transaction: the on-commit hand-off never ran.
    request, _token = submit()
    notification = Notification.objects.get(request=request)
    assert notification.status == Notification.Status.PENDING
    assert mail.outbox == []

    assert run("relay_emails") == "Outbox relay: 1 e-mail(s) sent."
    assert [message.to for message in mail.outbox] == [["marie.dubois@example.be"]]
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.SENT, 1)
    assert notification.sent_at is not None

    assert run("relay_emails") == "Outbox relay: 0 e-mail(s) sent."
    assert len(mail.outbox) == 1
