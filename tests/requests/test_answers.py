"""Every answer out (requests/answers.py): each decision reaches the requester in their language,
from the DPO's address, with what the law requires added by the code; the clock while waiting;
nothing is written on an anonymised or finished request."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from notices.templatetags.dates import long_date
from registry.models import Organisation
from requests import answers, services
from requests.models import DataSubjectRequest, Notification, RequestAttachment, RequestEvent
from requests.outbox import notification_queue_rendered
from tests.registry.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

Status = DataSubjectRequest.Status
WaitingFor = DataSubjectRequest.WaitingFor
Kind = RequestEvent.Kind

# Noon in Brussels on Tuesday 10 March 2026: received that day, due on 10 April.
NOW = datetime.datetime(2026, 3, 10, 11, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 10)
FROM = "AIM-IMA DPO <dpo-mail@aim-ima.test>"
REPLY_TO = "dpo-desk@aim-ima.test"
# Words only the other language's e-mail has.
FOREIGN = {
    "fr": ["Geachte", "verzoek", "ontvangen", "Gegevensbeschermingsautoriteit", "maart"],
    "nl": ["Madame", "demande", "reçue", "Autorité", "mars"],
}
MONTH = {"fr": "mars", "nl": "maart"}


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def senders(settings):
    settings.DPO_FROM_EMAIL = FROM
    settings.DPO_REPLY_TO = REPLY_TO
    settings.DEFAULT_FROM_EMAIL = "AIM-IMA <no-reply@aim-ima.test>"


@pytest.fixture
def received(django_capture_on_commit_callbacks):
    """received(language) → a confirmed request, its first e-mails cleared."""

    def _received(language="fr", **data):
        fields = {
            "right": "access",
            "name": "Requester",
            "email": f"{language}@example.org",
            "phone": "",
            "description": "My data.",
            **data,
        }
        with django_capture_on_commit_callbacks(execute=True):
            subject_request, token = services.request_submit(data=fields, language=language)
            subject_request = services.request_confirm(token=token)
        mail.outbox.clear()
        return subject_request

    return _received


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """run(service, **kwargs): the service, its e-mails handed over after commit."""

    def _run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return _run


def assert_only_language(email, language):
    for word in FOREIGN[language]:
        assert word not in email.subject + email.body, word


def assert_from_the_dpo(email):
    assert email.from_email == FROM
    assert email.reply_to == [REPLY_TO]
    assert email.message()["Reply-To"] == REPLY_TO


# --- Answer ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_answer_reaches_the_requester_in_their_language(received, run, dpo, language):
    subject_request = received(language)
    message = "Nous ne traitons aucune donnée vous concernant." if language == "fr" else "Geen."

    answered = run(answers.request_answer, subject_request=subject_request, message=message, by=dpo)

    assert answered.status == Status.ANSWERED
    assert answered.answered_on == TODAY
    assert answered.closed_at == NOW
    event = answered.events.get(kind=Kind.ANSWERED)
    assert event.actor == dpo
    assert message in event.text
    assert long_date(TODAY) in event.text  # the timeline speaks the DPO's language
    [email] = mail.outbox
    assert email.to == [f"{language}@example.org"]
    assert subject_request.reference in email.subject
    assert message in email.body
    assert f"10 {MONTH[language]} 2026" in email.body
    assert REPLY_TO in email.body
    assert_only_language(email, language)
    assert_from_the_dpo(email)
    assert answered.notifications.get(kind=Notification.Kind.ANSWERED).body == email.body


@pytest.mark.parametrize(("language", "expires"), [("fr", "9 avril 2026"), ("nl", "9 april 2026")])
def test_answer_files_are_kept_and_linked_with_their_expiry(
    received, run, dpo, settings, language, expires
):
    settings.DOWNLOAD_LINK_DAYS = 30
    subject_request = received(language)
    copy = SimpleUploadedFile("copie.pdf", b"%PDF-1.4\n% the copy of the data\n")

    run(
        answers.request_answer,
        subject_request=subject_request,
        message="Voir le document joint.",
        by=dpo,
        files=[copy],
    )

    [attachment] = subject_request.attachments.all()
    assert attachment.direction == RequestAttachment.Direction.ANSWER
    assert subject_request.download_links.count() == 1
    [email] = mail.outbox
    links = re.findall(r"https://testserver/\S+", email.body)
    assert len(links) == 1
    assert f"/{language}/" in links[0]
    assert expires in email.body
    # The code's block comes after the DPO's text, which stays whole.
    assert email.body.index("Voir le document joint.") < email.body.index(links[0])


def test_a_refused_file_leaves_the_request_unanswered(received, run, dpo):
    subject_request = received()
    program = SimpleUploadedFile("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00")
    with pytest.raises(ValidationError):
        run(
            answers.request_answer,
            subject_request=subject_request,
            message="Answer.",
            by=dpo,
            files=[program],
        )
    subject_request.refresh_from_db()
    assert subject_request.status == Status.NEW
    assert not subject_request.attachments.exists()
    assert mail.outbox == []


# --- Asking, and the clock ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("what", "kind"),
    [
        (WaitingFor.IDENTITY, Notification.Kind.IDENTITY_REQUESTED),
        (WaitingFor.INFORMATION, Notification.Kind.INFO_REQUESTED),
    ],
)
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_asking_makes_the_request_wait_and_tells_the_requester(
    received, run, dpo, what, kind, language
):
    subject_request = received(language)
    asked = run(
        answers.request_ask,
        subject_request=subject_request,
        what=what,
        message="Une copie recto de votre carte d'identité.",
        by=dpo,
    )
    assert asked.status == Status.WAITING
    assert asked.waiting_for == what
    assert asked.waiting_since == TODAY
    event = asked.events.get(kind=Kind.INFO_REQUESTED)
    assert "Une copie recto" in event.text
    [email] = mail.outbox
    assert asked.notifications.get(kind=kind).to == email.to[0]
    assert "Une copie recto" in email.body
    assert_only_language(email, language)
    assert_from_the_dpo(email)


def ask_then_receive(run, dpo, subject_request, what, days):
    run(answers.request_ask, subject_request=subject_request, what=what, message="?", by=dpo)
    later = NOW + datetime.timedelta(days=days)
    with time_machine.travel(later, tick=False):
        return run(
            answers.request_info_received,
            subject_request=subject_request,
            on=later.date(),
            by=dpo,
        )


def test_waiting_for_proof_of_identity_stops_the_clock(received, run, dpo):
    """Art. 12(6), EDPB Guidelines 01/2022: the month stands still while AIM waits for it."""
    subject_request = received()
    assert subject_request.due_on == datetime.date(2026, 4, 10)

    resumed = ask_then_receive(run, dpo, subject_request, WaitingFor.IDENTITY, days=12)

    assert resumed.status == Status.IN_PROGRESS
    assert resumed.received_on == TODAY  # the receipt date itself never moves
    assert resumed.due_on == datetime.date(2026, 4, 22)
    assert resumed.waiting_for == ""
    assert resumed.waiting_since is None
    assert "22 avril 2026" in resumed.events.get(kind=Kind.INFO_RECEIVED).text
    # An extension afterwards keeps the days the clock stood still.
    with time_machine.travel(NOW + datetime.timedelta(days=20), tick=False):
        extended = run(
            services.request_extend, subject_request=resumed, reason="Ten years.", by=dpo
        )
    assert extended.due_on == datetime.date(2026, 6, 22)


def test_waiting_for_other_information_does_not_stop_the_clock(received, run, dpo):
    subject_request = received()
    resumed = ask_then_receive(run, dpo, subject_request, WaitingFor.INFORMATION, days=12)
    assert resumed.status == Status.IN_PROGRESS
    assert resumed.due_on == datetime.date(2026, 4, 10)


def test_received_date_is_checked(received, run, dpo):
    subject_request = received()
    run(
        answers.request_ask,
        subject_request=subject_request,
        what=WaitingFor.IDENTITY,
        message="?",
        by=dpo,
    )
    for on in (TODAY - datetime.timedelta(days=1), TODAY + datetime.timedelta(days=1)):
        with pytest.raises(ValidationError) as refused:
            run(answers.request_info_received, subject_request=subject_request, on=on, by=dpo)
        assert "on" in refused.value.error_dict
    subject_request.refresh_from_db()
    assert subject_request.status == Status.WAITING
    assert subject_request.due_on == datetime.date(2026, 4, 10)


def test_the_bulk_mark_in_progress_counts_identity_as_received_today(received, run, dpo):
    subject_request = received()
    run(
        answers.request_ask,
        subject_request=subject_request,
        what=WaitingFor.IDENTITY,
        message="?",
        by=dpo,
    )
    with time_machine.travel(NOW + datetime.timedelta(days=5), tick=False):
        resumed = services.request_set_status(
            subject_request=subject_request, status=Status.IN_PROGRESS, by=dpo
        )
    assert resumed.due_on == datetime.date(2026, 4, 15)
    assert resumed.waiting_for == ""


# --- Refusal: Art. 12(4) -----------------------------------------------------------------------


AUTHORITY = {
    "fr": ["Autorité de protection des données", "Rue de la Presse 35, 1000 Bruxelles"],
    "nl": ["Gegevensbeschermingsautoriteit", "Drukpersstraat 35, 1000 Brussel"],
}
COMPLAINT_PAGE = {
    "fr": "https://www.autoriteprotectiondonnees.be/citoyen/agir/introduire-une-plainte",
    "nl": "https://www.gegevensbeschermingsautoriteit.be/burger/acties/klacht-indienen",
}


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_refusal_gives_the_reasons_the_complaint_and_the_judicial_remedy(
    received, run, dpo, language
):
    subject_request = received(language)
    reasons = "Aucune donnée ne peut être liée à votre adresse."

    refused = run(answers.request_refuse, subject_request=subject_request, reasons=reasons, by=dpo)

    assert refused.status == Status.REFUSED
    assert refused.answered_on == TODAY
    assert refused.closed_at == NOW
    assert refused.events.get(kind=Kind.REFUSED).text == reasons
    [email] = mail.outbox
    body = email.body
    assert reasons in body
    for words in AUTHORITY[language]:
        assert words in body
    assert COMPLAINT_PAGE[language] in body
    assert "77" in body  # the complaint (and Art. 12(4)), whatever the catalogs say
    assert "79" in body  # the judicial remedy
    assert_only_language(email, language)
    assert_from_the_dpo(email)


def test_the_refusal_takes_the_authority_from_the_registry(received, run, dpo):
    OrganisationFactory(
        slug="dpa",
        kind=Organisation.Kind.AUTHORITY,
        name_fr="Autorité Témoin",
        name_nl="Getuige-autoriteit",
        address_fr="Rue Témoin 1, 1000 Bruxelles",
        rights_web_form_fr="https://authority.example/plainte",
    )
    subject_request = received("fr")
    run(answers.request_refuse, subject_request=subject_request, reasons="Motif.", by=dpo)
    [email] = mail.outbox
    assert "Autorité Témoin" in email.body
    assert "Rue Témoin 1, 1000 Bruxelles" in email.body
    assert "https://authority.example/plainte" in email.body


def test_a_refusal_needs_reasons(received, run, dpo):
    subject_request = received()
    with pytest.raises(ValidationError) as refused:
        run(answers.request_refuse, subject_request=subject_request, reasons="  ", by=dpo)
    assert "reasons" in refused.value.error_dict
    subject_request.refresh_from_db()
    assert subject_request.status == Status.NEW
    assert mail.outbox == []


# --- Close, extend -----------------------------------------------------------------------------


def test_close_tells_the_requester_only_when_asked(received, run, dpo):
    told, untold = received(), received(email="other@example.org")
    run(answers.request_close, subject_request=told, message="Votre demande est retirée.", by=dpo)
    run(answers.request_close, subject_request=untold, message="", by=dpo, notify=False)
    for subject_request in (told, untold):
        subject_request.refresh_from_db()
        assert subject_request.status == Status.CLOSED
        assert subject_request.closed_at == NOW
        assert subject_request.events.filter(kind=Kind.CLOSED).count() == 1
    [email] = mail.outbox
    assert email.to == [told.email]
    assert "Votre demande est retirée." in email.body
    assert not untold.notifications.filter(kind=Notification.Kind.CLOSED).exists()


def test_an_answered_request_can_be_closed_once(received, run, dpo):
    subject_request = received()
    run(answers.request_answer, subject_request=subject_request, message="Done.", by=dpo)
    closed = run(
        answers.request_close, subject_request=subject_request, message="", by=dpo, notify=False
    )
    assert closed.status == Status.CLOSED
    assert closed.closed_at == NOW  # the end of AIM's handling, not moved by the filing
    with pytest.raises(ValidationError):
        run(answers.request_close, subject_request=closed, message="", by=dpo, notify=False)


@pytest.mark.parametrize(("language", "due"), [("fr", "10 juin 2026"), ("nl", "10 juni 2026")])
def test_the_extension_uses_the_dpos_template(received, run, dpo, language, due):
    subject_request = received(language)
    run(services.request_extend, subject_request=subject_request, reason="Dix ans.", by=dpo)
    [email] = mail.outbox
    assert "Dix ans." in email.body
    assert due in email.body
    assert subject_request.reference in email.subject
    assert_only_language(email, language)
    assert_from_the_dpo(email)


# --- A request without an e-mail address -------------------------------------------------------


def test_without_an_email_the_timeline_keeps_the_letter_to_post(received, run, dpo):
    subject_request = received()
    DataSubjectRequest.objects.filter(pk=subject_request.pk).update(
        email="", postal_address="Rue du Test 1\n1000 Bruxelles"
    )
    subject_request.refresh_from_db()
    notifications = Notification.objects.count()

    run(answers.request_answer, subject_request=subject_request, message="Réponse.", by=dpo)

    assert Notification.objects.count() == notifications
    assert mail.outbox == []
    text = subject_request.events.get(kind=Kind.ANSWERED).text
    assert "Rue du Test 1\n1000 Bruxelles" in text
    assert "Madame, Monsieur," in text  # the whole letter, ready to print
    assert "Réponse." in text
    assert subject_request.reference in text


# --- Nothing on an anonymised or finished request ----------------------------------------------


def decisions(dpo):
    return {
        "answer": lambda r: answers.request_answer(subject_request=r, message="x", by=dpo),
        "ask": lambda r: answers.request_ask(
            subject_request=r, what=WaitingFor.INFORMATION, message="x", by=dpo
        ),
        "refuse": lambda r: answers.request_refuse(subject_request=r, reasons="x", by=dpo),
        "close": lambda r: answers.request_close(subject_request=r, message="x", by=dpo),
        "extend": lambda r: services.request_extend(subject_request=r, reason="x", by=dpo),
    }


@pytest.mark.parametrize("name", ["answer", "ask", "refuse", "close", "extend"])
def test_nothing_is_decided_on_an_anonymised_request(received, run, dpo, name):
    subject_request = services.request_anonymise(subject_request=received())
    events = subject_request.events.count()
    with pytest.raises(ValidationError) as refused:
        decisions(dpo)[name](subject_request)
    assert refused.value.code == "anonymised"
    subject_request.refresh_from_db()
    assert subject_request.status == Status.NEW
    assert subject_request.events.count() == events
    assert not subject_request.notifications.exclude(
        kind__in=[Notification.Kind.CONFIRM, Notification.Kind.ACKNOWLEDGE]
    ).exists()


@pytest.mark.parametrize("name", ["answer", "ask", "refuse", "close", "extend"])
def test_nothing_is_decided_on_a_closed_request(received, run, dpo, name):
    subject_request = run(
        answers.request_close, subject_request=received(), message="", by=dpo, notify=False
    )
    mail.outbox.clear()
    with pytest.raises(ValidationError):
        decisions(dpo)[name](subject_request)
    subject_request.refresh_from_db()
    assert subject_request.status == Status.CLOSED
    assert mail.outbox == []


# --- Senders -----------------------------------------------------------------------------------


def test_the_acknowledgement_gives_the_reply_address(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _subject_request, token = services.request_submit(
            data={
                "right": "access",
                "name": "Requester",
                "email": "ack@example.org",
                "phone": "",
                "description": "x",
            },
            language="nl",
        )
        services.request_confirm(token=token)
    confirm, acknowledge = mail.outbox
    assert REPLY_TO in acknowledge.body
    for email in (confirm, acknowledge):
        assert_from_the_dpo(email)


def test_the_dpo_digest_keeps_the_portals_own_sender(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification_queue_rendered(
            kind=Notification.Kind.DPO_DIGEST, to="dpo@example.org", subject="Due", body="x"
        )
    [email] = mail.outbox
    assert email.from_email == "AIM-IMA <no-reply@aim-ima.test>"
    assert email.reply_to == []
    assert "Reply-To" not in email.message()
