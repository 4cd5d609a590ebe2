"""The citizen side of stored requests: send, confirm the address, see it received — in FR and
NL; expired and unknown links, the honeypot, form errors, the per-IP rate limit, and no
personal data in a log line."""

import datetime
import logging
import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.db.models import F
from django.urls import reverse
from django.utils import translation

from registry.seed import registry_seed_load
from requests import request_views
from requests.models import DataSubjectRequest, Notification

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
NAME = "Zzmarker Qvx"  # a name: letters only (digits are refused)
EMAIL = "zzmarker.q7x@example.be"
DATA = {
    "name": NAME,
    "email": EMAIL,
    "right": "access",
    "description": "Which of my contact data do you keep for the newsletter?",
    "phone": "",
    "website": "",
}
# 31 January: the deadline one month later is the last day of February.
SUBMITTED_AT = datetime.datetime(2026, 1, 31, 10, 0, tzinfo=BRUSSELS)
RECEIVED = {"fr": "31 janvier 2026", "nl": "31 januari 2026"}
DUE = {"fr": "28 février 2026", "nl": "28 februari 2026"}
Status = DataSubjectRequest.Status


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def frozen():
    with time_machine.travel(SUBMITTED_AT, tick=False):
        yield


def url(name, language="fr", **kwargs):
    with translation.override(language):
        return reverse(f"rights:{name}", kwargs=kwargs or None)


def page_text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def send(client, django_capture_on_commit_callbacks, language="fr", ip="198.51.100.1", **changes):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url("request", language), {**DATA, **changes}, REMOTE_ADDR=ip)


def confirm_path(message):
    """The path of the confirmation link in an e-mail, and its token."""
    link = re.search(r"https?://\S+/confirm\S*", message.body) or re.search(
        r"https?://\S+", message.body
    )
    assert link, message.body
    path = urlsplit(link.group(0)).path
    token = path.rstrip("/").rsplit("/", 1)[-1]
    return path, token


def capture_all_logs(caplog):
    caplog.set_level(logging.DEBUG)
    for name in ["django", *logging.root.manager.loggerDict]:
        caplog.set_level(logging.DEBUG, logger=name)


def assert_no_personal_data_logged(caplog):
    assert caplog.records, "logging was captured"
    for record in caplog.records:
        args = record.args if isinstance(record.args, tuple) else (record.args,)
        for value in (record.msg, record.getMessage(), *args):
            text = str(value)
            assert NAME not in text, record.name
            assert EMAIL not in text, record.name
            assert "zzmarker" not in text.lower(), record.name


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_citizen_sends_confirms_and_receives_the_reference(
    citizen, django_capture_on_commit_callbacks, caplog, frozen, language
):
    capture_all_logs(caplog)

    form = citizen.get(url("request", language) + "?right=access")
    assert form.status_code == 200
    assert '<option value="access" selected>' in form.content.decode()

    response = send(citizen, django_capture_on_commit_callbacks, language)
    assert response.status_code == 303
    assert response["Location"] == url("request-sent", language)
    assert NAME not in response["Location"] and EMAIL not in response["Location"]

    stored = DataSubjectRequest.objects.get()
    assert stored.status == Status.UNCONFIRMED
    assert stored.language == language
    assert stored.reference is None
    assert (stored.name, stored.email, stored.right) == (NAME, EMAIL, "access")

    assert len(mail.outbox) == 1
    confirmation = mail.outbox[0]
    assert confirmation.to == [EMAIL]
    path, token = confirm_path(confirmation)
    assert path == url("request-confirm", language, token=token)
    assert path.startswith(f"/{language}/")

    sent_page = citizen.get(url("request-sent", language))
    assert sent_page.status_code == 200
    assert "48" in page_text(sent_page)
    assert NAME not in page_text(sent_page) and EMAIL not in page_text(sent_page)

    # Opening the link shows what is to be confirmed and changes nothing.
    shown = citizen.get(path)
    assert shown.status_code == 200
    assert f'action="{path}"' in shown.content.decode()
    stored.refresh_from_db()
    assert stored.status == Status.UNCONFIRMED
    assert len(mail.outbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        received = citizen.post(path)
    assert received.status_code == 200
    stored.refresh_from_db()
    assert stored.status == Status.NEW
    assert stored.reference == "AIM-2026-000001"
    assert stored.received_on == datetime.date(2026, 1, 31)
    assert stored.due_on == datetime.date(2026, 2, 28)
    text = page_text(received)
    assert "AIM-2026-000001" in text
    assert RECEIVED[language] in text
    assert DUE[language] in text

    assert len(mail.outbox) == 2
    acknowledgement = mail.outbox[1]
    assert acknowledgement.to == [EMAIL]
    assert "AIM-2026-000001" in acknowledgement.subject
    assert "AIM-2026-000001" in acknowledgement.body
    assert DUE[language] in acknowledgement.body  # the date is written in the request's language

    # The link works once: afterwards it shows neither the request nor its reference, and
    # sends no second acknowledgement.
    with django_capture_on_commit_callbacks(execute=True):
        again = citizen.post(path)
    assert again.status_code == 404
    assert "AIM-2026-000001" not in page_text(again)
    assert citizen.get(path).status_code == 404
    assert len(mail.outbox) == 2
    assert DataSubjectRequest.objects.get().reference == "AIM-2026-000001"

    assert_no_personal_data_logged(caplog)


def test_the_link_expires_after_48_hours(citizen, django_capture_on_commit_callbacks):
    send(citizen, django_capture_on_commit_callbacks, "nl")
    path, _token = confirm_path(mail.outbox[0])
    # The 48 hours run from when the confirmation e-mail was sent.
    DataSubjectRequest.objects.update(created_at=F("created_at") - datetime.timedelta(hours=49))
    Notification.objects.update(sent_at=F("sent_at") - datetime.timedelta(hours=49))

    shown = citizen.get(path)
    assert shown.status_code == 410
    assert f'href="{url("request", "nl")}?right=access"' in shown.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        posted = citizen.post(path)
    assert posted.status_code == 410
    assert f'href="{url("request", "nl")}' in posted.content.decode()

    stored = DataSubjectRequest.objects.get()
    assert stored.status == Status.UNCONFIRMED
    assert stored.reference is None
    assert len(mail.outbox) == 1


def test_a_link_just_within_48_hours_still_works(citizen, django_capture_on_commit_callbacks):
    send(citizen, django_capture_on_commit_callbacks)
    path, _token = confirm_path(mail.outbox[0])
    DataSubjectRequest.objects.update(created_at=F("created_at") - datetime.timedelta(hours=47))
    Notification.objects.update(sent_at=F("sent_at") - datetime.timedelta(hours=47))

    assert citizen.get(path).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert citizen.post(path).status_code == 200
    assert DataSubjectRequest.objects.get().status == Status.NEW


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_an_unknown_link_is_a_clear_404(citizen, language):
    path = url("request-confirm", language, token="not-a-token-we-ever-gave")
    shown = citizen.get(path)
    assert shown.status_code == 404
    assert url("request", language) in shown.content.decode()
    assert citizen.post(path).status_code == 404
    assert not DataSubjectRequest.objects.exists()


def test_get_on_the_confirmation_link_never_confirms(citizen, django_capture_on_commit_callbacks):
    send(citizen, django_capture_on_commit_callbacks)
    path, _token = confirm_path(mail.outbox[0])
    for _ in range(3):
        assert citizen.get(path).status_code == 200
        assert citizen.head(path).status_code == 200
    assert DataSubjectRequest.objects.get().status == Status.UNCONFIRMED
    assert citizen.put(path).status_code == 405


def test_a_filled_honeypot_pretends_success_and_keeps_nothing(
    citizen, django_capture_on_commit_callbacks
):
    response = send(citizen, django_capture_on_commit_callbacks, website="https://spam.example")
    assert response.status_code == 303
    assert response["Location"] == url("request-sent")
    assert not DataSubjectRequest.objects.exists()
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_the_honeypot_is_hidden_from_people(citizen):
    html = citizen.get(url("request")).content.decode()
    assert re.search(r'class="visually-hidden"\s+aria-hidden="true"', html)
    field = re.search(r'<input[^>]*name="website"[^>]*>', html).group(0)
    assert 'tabindex="-1"' in field
    assert 'autocomplete="off"' in field


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"description": ""}, "description"),
        ({"right": "fly"}, "right"),
        ({"name": ""}, "name"),
        ({"description": "x" * 5001}, "description"),
    ],
)
def test_an_invalid_form_is_shown_again_with_its_errors(
    citizen, django_capture_on_commit_callbacks, changes, field
):
    response = send(citizen, django_capture_on_commit_callbacks, "nl", **changes)
    assert response.status_code == 400
    html = response.content.decode()
    # The title says there is an error, and the summary comes right after the heading.
    assert re.search(r"<title>Fout: ", html)
    summary = re.search(
        r'</h1>\s*<div[^>]*role="alert"[^>]*id="error-summary"[^>]*tabindex="-1".*?</div>',
        html,
        re.S,
    )
    assert summary, "an error summary right after the heading"
    assert f'href="#id_{field}"' in summary.group(0)
    control = re.search(rf'<(?:input|select|textarea)[^>]*name="{field}"[^>]*>', html).group(0)
    assert f"id_{field}_error" in control
    assert 'aria-invalid="true"' in control
    if field != "name":
        assert f'value="{NAME}"' in html  # what was typed is kept
    assert not DataSubjectRequest.objects.exists()
    assert mail.outbox == []


def test_the_form_without_mistakes_has_a_plain_title(citizen):
    html = citizen.get(url("request")).content.decode()
    assert not re.search(r"<title>(Erreur|Fout)", html)
    assert 'id="error-summary"' not in html and "error-summary.js" not in html


def test_the_description_help_is_linked_to_its_field(citizen):
    html = citizen.get(url("request")).content.decode()
    control = re.search(r'<textarea[^>]*name="description"[^>]*>', html).group(0)
    assert 'aria-describedby="id_description_helptext"' in control
    assert 'id="id_description_helptext"' in html


def test_a_form_without_csrf_token_is_refused(django_capture_on_commit_callbacks):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = send(strict, django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert not DataSubjectRequest.objects.exists()


def test_the_sixth_submission_in_an_hour_from_one_address_is_refused(
    citizen, django_capture_on_commit_callbacks, settings
):
    settings.RIGHTS_REQUESTS_RATE_LIMIT = "5/h"
    settings.RIGHTS_REQUESTS_RATE_LIMIT_PER_EMAIL = "10/d"  # the per-recipient limit aside
    for _ in range(5):
        response = send(citizen, django_capture_on_commit_callbacks, "nl", ip="203.0.113.7")
        assert response.status_code == 303
    refused = send(citizen, django_capture_on_commit_callbacks, "nl", ip="203.0.113.7")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert 'role="alert"' in refused.content.decode()
    assert 'id="request-rate-limited"' in refused.content.decode()
    # The title says it failed, and the script moves the focus to the explanation.
    assert "<title>Fout: " in refused.content.decode()
    assert re.search(
        r'id="request-rate-limited" tabindex="-1" data-focus-on-load', refused.content.decode()
    )
    assert DataSubjectRequest.objects.count() == 5
    assert len(mail.outbox) == 5

    # Another address is not affected.
    other = send(citizen, django_capture_on_commit_callbacks, "nl", ip="203.0.113.8")
    assert other.status_code == 303
    assert DataSubjectRequest.objects.count() == 6


def test_the_rate_limit_key_does_not_hold_the_address(rf):
    request = rf.post("/", REMOTE_ADDR="203.0.113.7")
    key = request_views._rate_key(request)
    assert "203.0.113.7" not in key
    assert re.fullmatch(r"rights-request-rate:[0-9a-f]{64}", key)
    assert key != request_views._rate_key(rf.post("/", REMOTE_ADDR="203.0.113.8"))


@pytest.mark.parametrize("value", ["5", "five/h", "5/w"])
def test_a_bad_rate_limit_setting_fails_loudly(settings, value):
    settings.RIGHTS_REQUESTS_RATE_LIMIT = value
    with pytest.raises(ValueError, match="RIGHTS_REQUESTS_RATE_LIMIT"):
        request_views.rate_limit()


def test_when_the_cache_is_down_the_submission_goes_through(
    citizen, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "add", down)
    monkeypatch.setattr(cache, "incr", down)
    capture_all_logs(caplog)

    response = send(citizen, django_capture_on_commit_callbacks, ip="203.0.113.9")

    assert response.status_code == 303
    assert DataSubjectRequest.objects.count() == 1
    assert len(mail.outbox) == 1
    warnings = [r for r in caplog.records if r.name == "requests.request_views"]
    assert [r.levelno for r in warnings] == [logging.WARNING]
    assert "203.0.113.9" not in warnings[0].getMessage()
    assert_no_personal_data_logged(caplog)


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_result_page_for_aims_own_data_links_to_the_form(citizen, language):
    registry_seed_load()
    with translation.override(language):
        result = reverse("rights:wizard", kwargs={"topic": "aim-data", "right": "erasure"})
    html = citizen.get(result).content.decode()
    assert f'href="{url("request", language)}?right=erasure"' in html


def test_the_result_page_for_an_insurer_does_not_offer_the_form(citizen):
    registry_seed_load()
    result = reverse(
        "rights:wizard", kwargs={"topic": "insurer-data", "right": "access", "insurer": "100"}
    )
    assert url("request") not in citizen.get(result).content.decode()


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "6.6.6.6", "10.0.0.1", "10.0.0.1"),  # no proxy: a forged header is ignored
        (1, "6.6.6.6, 203.0.113.7", "10.0.0.1", "203.0.113.7"),  # the proxy's own entry
        (1, "", "10.0.0.1", "10.0.0.1"),
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.9", "10.0.0.1", "203.0.113.7"),
    ],
)
def test_client_address_behind_trusted_proxies(settings, rf, proxies, forwarded, remote, expected):
    from requests.request_views import client_ip

    settings.TRUSTED_PROXIES = proxies
    request = rf.post("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
