"""The DPO's decision pages on a request (requests/admin/decisions.py): each one previews the
e-mail in the requester's language without saving anything, then calls its service."""

import datetime
import itertools

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from requests import answers, services
from requests.models import DataSubjectRequest, Notification, RequestEvent

pytestmark = pytest.mark.django_db

Status = DataSubjectRequest.Status
Kind = RequestEvent.Kind
NOW = datetime.datetime(2026, 3, 10, 11, 0, tzinfo=datetime.UTC)
DECISIONS = ("answer", "ask", "refuse", "close")


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def submit(django_capture_on_commit_callbacks):
    numbers = itertools.count(1)

    def _submit(language="fr"):
        number = next(numbers)
        data = {
            "right": "access",
            "name": f"Requester {number}",
            "email": f"requester{number}@example.org",
            "phone": "",
            "description": "x",
        }
        with django_capture_on_commit_callbacks(execute=True):
            subject_request, token = services.request_submit(data=data, language=language)
            subject_request = services.request_confirm(token=token)
        mail.outbox.clear()
        return subject_request

    return _submit


@pytest.fixture
def post(dpo_client, django_capture_on_commit_callbacks):
    def _post(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return dpo_client.post(url, data)

    return _post


def url(name, obj):
    return reverse(f"admin:rights_requests_datasubjectrequest_{name}", args=[obj.pk])


def untouched(subject_request):
    """Only the submission and confirmation so far: nothing saved, nothing sent."""
    subject_request.refresh_from_db()
    assert subject_request.status == Status.NEW
    assert set(subject_request.events.values_list("kind", flat=True)) == {
        Kind.SUBMITTED,
        Kind.CONFIRMED,
        Kind.EMAIL,
    }
    assert subject_request.notifications.count() == 2
    assert mail.outbox == []
    return True


PREVIEWS = [
    ("answer", {"message": "Voici votre réponse."}, "Voici votre réponse."),
    ("ask", {"what": "identity", "message": "Une copie de la carte."}, "Une copie de la carte."),
    ("refuse", {"reasons": "Motif du refus."}, "Motif du refus."),
    ("close", {"message": "Demande retirée.", "notify": "on"}, "Demande retirée."),
    ("extend", {"reason": "Dix ans de données."}, "Dix ans de données."),
]


@pytest.mark.parametrize(("name", "data", "text"), PREVIEWS)
@pytest.mark.parametrize(
    ("language", "greeting", "foreign"),
    [("fr", "Madame, Monsieur,", "Geachte"), ("nl", "Geachte mevrouw", "Madame")],
)
def test_the_preview_shows_the_email_in_the_requesters_language_and_saves_nothing(
    post, submit, name, data, text, language, greeting, foreign
):
    subject_request = submit(language)
    with translation.override("fr"):  # the DPO's admin language is not the requester's
        response = post(url(name, subject_request), {**data, "_preview": "Preview"})

    assert response.status_code == 200
    preview = response.context["preview"]
    assert subject_request.reference in preview["subject"]
    assert text in preview["body"]
    assert greeting in preview["body"]
    assert foreign not in preview["body"]
    assert text in response.content.decode()
    assert untouched(subject_request)


def test_the_refusal_preview_carries_the_complaint_and_the_remedy(post, submit):
    subject_request = submit("nl")
    response = post(url("refuse", subject_request), {"reasons": "Reden.", "_preview": "1"})
    body = response.context["preview"]["body"]
    assert "Gegevensbeschermingsautoriteit" in body
    assert "Drukpersstraat 35, 1000 Brussel" in body
    assert "79" in body


def test_answer_page_sends_the_answer_with_its_files(post, dpo, submit):
    subject_request = submit()
    copy = SimpleUploadedFile("copie.pdf", b"%PDF-1.4\n% copy\n", content_type="application/pdf")

    response = post(url("answer", subject_request), {"message": "Ci-joint.", "files": [copy]})

    assert response.status_code == 302
    assert response["Location"] == url("change", subject_request)
    subject_request.refresh_from_db()
    assert subject_request.status == Status.ANSWERED
    assert subject_request.attachments.count() == 1
    [email] = mail.outbox
    assert "Ci-joint." in email.body
    assert "https://testserver/" in email.body
    assert subject_request.events.get(kind=Kind.ANSWERED).actor == dpo


def test_a_file_of_a_refused_type_is_an_error_on_the_page(post, submit):
    subject_request = submit()
    program = SimpleUploadedFile("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00")
    response = post(url("answer", subject_request), {"message": "Ci-joint.", "files": [program]})
    assert response.status_code == 200
    assert "files" in response.context["form"].errors
    assert untouched(subject_request)


def test_ask_then_record_what_came_back(dpo_client, post, dpo, submit):
    subject_request = submit()
    change = dpo_client.get(url("change", subject_request)).content.decode()
    assert url("received", subject_request) not in change

    response = post(url("ask", subject_request), {"what": "identity", "message": "Votre carte."})
    assert response.status_code == 302
    subject_request.refresh_from_db()
    assert subject_request.status == Status.WAITING
    change = dpo_client.get(url("change", subject_request)).content.decode()
    assert url("received", subject_request) in change
    assert url("ask", subject_request) not in change  # one question at a time

    later = NOW + datetime.timedelta(days=4)
    with time_machine.travel(later, tick=False):
        dpo_client.force_login(dpo)  # the admin session of four days ago has expired
        future = post(url("received", subject_request), {"on": "2026-03-20"})
        assert "on" in future.context["form"].errors
        response = post(url("received", subject_request), {"on": "2026-03-14"})
    assert response.status_code == 302
    subject_request.refresh_from_db()
    assert subject_request.status == Status.IN_PROGRESS
    assert subject_request.due_on == datetime.date(2026, 4, 14)


def test_the_received_page_refuses_a_request_that_waits_for_nothing(dpo_client, post, submit):
    subject_request = submit()
    page = dpo_client.get(url("received", subject_request))
    assert page.context["refusal"]
    assert 'name="on"' not in page.content.decode()
    response = post(url("received", subject_request), {"on": "2026-03-10"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert untouched(subject_request)


def test_refusal_needs_reasons_on_the_page(post, submit):
    subject_request = submit()
    response = post(url("refuse", subject_request), {"reasons": "   "})
    assert response.status_code == 200
    assert "reasons" in response.context["form"].errors
    assert untouched(subject_request)


def test_close_without_telling_the_requester(post, submit):
    subject_request = submit()
    empty = post(url("close", subject_request), {"message": "", "notify": "on"})
    assert "message" in empty.context["form"].errors
    response = post(url("close", subject_request), {"message": "Doublon."})
    assert response.status_code == 302
    subject_request.refresh_from_db()
    assert subject_request.status == Status.CLOSED
    assert mail.outbox == []
    assert not subject_request.notifications.filter(kind=Notification.Kind.CLOSED).exists()


def test_a_finished_request_offers_only_closing(dpo_client, dpo, submit):
    subject_request = submit()
    answers.request_answer(subject_request=subject_request, message="Fait.", by=dpo)
    change = dpo_client.get(url("change", subject_request)).content.decode()
    for name in ("answer", "ask", "refuse", "status", "extend"):
        assert url(name, subject_request) not in change, name
    assert url("close", subject_request) in change
    page = dpo_client.get(url("answer", subject_request))
    assert 'name="message"' not in page.content.decode()


def test_an_anonymised_request_offers_no_decision(dpo_client, post, dpo, submit):
    subject_request = submit()
    answers.request_answer(subject_request=subject_request, message="Fait.", by=dpo)
    services.request_anonymise(subject_request=subject_request)
    change = dpo_client.get(url("change", subject_request)).content.decode()
    for name in DECISIONS:
        assert url(name, subject_request) not in change
        response = post(url(name, subject_request), {"message": "x", "reasons": "x"})
        assert response.status_code == 200
        assert response.context["form"].non_field_errors()
    subject_request.refresh_from_db()
    assert subject_request.status == Status.ANSWERED
    assert mail.outbox == []
