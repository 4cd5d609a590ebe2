"""Abuse of the public forms: e-mails that echo nothing typed, names and phones that are names and
phone numbers, a limit per recipient, same-origin wizard posts counted once an hour per address,
a rate-limited letter, the proxy check, and a confirmation link that works once."""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache, caches
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from aim_privacy import checks
from registry.models import ProcessingActivity
from registry.seed import registry_seed_load
from requests import request_views
from requests.models import DataSubjectRequest, Notification, RoutingCount
from requests.models.requests import INVISIBLE_MESSAGE
from requests.request_forms import PHONE_MESSAGE
from requests.services import request_extend, request_submit
from requests.transfers import request_transfer
from tests.registry.factories import InsurerFactory, ProcessingActivityFactory
from tests.requests.test_letter import cache_entries

pytestmark = pytest.mark.django_db

NAME = "Zzmarker Qvx"
EMAIL = "zzmarker.qvx@example.be"
DESCRIPTION = "Zzdescription: which of my contact data do you keep for the newsletter?"
PHONE = "0470 12 34 56"
# Whatever the requester typed, in every form it could take in an e-mail.
TYPED_MARKERS = ("Zzmarker", "Qvx", "Zzdescription", "470 12 34 56", "470123456")
DATA = {
    "name": NAME,
    "email": EMAIL,
    "right": "access",
    "description": DESCRIPTION,
    "phone": PHONE,
    "website": "",
}
EVIL = "https://evil.example"
PHISHING_NAME = "Jan. URGENT: votre compte expire, reconnectez-vous sur https://evil.example"
# Control (Cc), format (Cf, the bidi controls among them), line and paragraph separators.
INVISIBLE = ["\x07", "\x1b", "\u00ad", "\u200b", "\u061c", "\u200f", "\u202e", "\u2066", "\u2028"]
INVISIBLE += ["\u2029"]
Status = DataSubjectRequest.Status


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def url(name, language="fr", **kwargs):
    with translation.override(language):
        return reverse(f"rights:{name}", kwargs=kwargs or None)


def wizard(language="fr", *choices):
    names = ["topic", "right", "insurer"][: len(choices)]
    with translation.override(language):
        return reverse("rights:wizard", kwargs=dict(zip(names, choices, strict=True)) or None)


def in_language(language, message):
    """`message` (a msgid, or a lazy translation) as the page shows it in `language`."""
    with translation.override(language):
        return escape(translation.gettext(message) if isinstance(message, str) else str(message))


def send(client, capture, language="fr", ip="198.51.100.1", **changes):
    with capture(execute=True):
        return client.post(url("request", language), {**DATA, **changes}, REMOTE_ADDR=ip)


def confirm_path(message):
    link = re.search(r"https?://\S+", message.body).group(0)
    return "/" + link.split("/", 3)[3]


def page_text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def stored_requests():
    return DataSubjectRequest.objects.count()


# --- E-mails echo nothing the requester typed ---------------------------------------------


@pytest.mark.parametrize(
    ("language", "greeting"),
    [("fr", "Madame, Monsieur,"), ("nl", "Geachte mevrouw, geachte heer,")],
)
def test_no_email_to_the_requester_holds_what_they_typed(
    citizen, django_capture_on_commit_callbacks, language, greeting
):
    assert send(citizen, django_capture_on_commit_callbacks, language).status_code == 303
    with django_capture_on_commit_callbacks(execute=True):
        assert citizen.post(confirm_path(mail.outbox[0])).status_code == 200
    stored = DataSubjectRequest.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        request_extend(subject_request=stored, reason="The DPO's own words", by=None)
    insurer = InsurerFactory(rights_email="privacy@insurer.example")
    activity = ProcessingActivityFactory(
        rights_handled_by=ProcessingActivity.RightsHandler.OWN_INSURER
    )
    with django_capture_on_commit_callbacks(execute=True):
        request_transfer(
            subject_request=stored,
            activity=activity,
            to_organisation=insurer,
            on=datetime.date(2026, 3, 2),
            by=None,
        )

    kinds = list(Notification.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["confirm", "acknowledge", "extended", "transferred"]
    assert len(mail.outbox) == 4
    for message in mail.outbox:
        assert message.to == [EMAIL]
        assert message.body.startswith(greeting), message.body[:80]
        for marker in TYPED_MARKERS:
            assert marker not in message.subject, (message.subject, marker)
            assert marker not in message.body, (message.subject, marker)


@pytest.mark.parametrize(
    "name",
    [
        PHISHING_NAME,
        "www.evil.example",
        "Jan evil.example",
        "Marie Dubois\nURGENT: reconnectez-vous",
        "Marie Dubois\r\nBcc: x",
    ],
)
def test_a_name_with_a_web_address_or_a_line_break_is_refused(
    citizen, django_capture_on_commit_callbacks, name
):
    response = send(citizen, django_capture_on_commit_callbacks, name=name)

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert 'id="id_name_error"' in html
    address_like = (
        "Type only your first name and surname, without a web or e-mail address. After the dot "
        "of an initial, leave a space (J. Dupont)."
    )
    expected = INVISIBLE_MESSAGE if "\n" in name else address_like
    assert in_language("fr", expected).split(".")[0] in html
    assert stored_requests() == 0
    assert mail.outbox == []


@pytest.mark.parametrize("char", INVISIBLE)
@pytest.mark.parametrize("field", ["name", "phone"])
def test_control_format_and_bidi_characters_are_refused(
    citizen, django_capture_on_commit_callbacks, char, field
):
    value = {"name": f"Marie{char}Dubois", "phone": f"0470{char}123456"}[field]
    response = send(citizen, django_capture_on_commit_callbacks, "nl", **{field: value})

    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert in_language("nl", INVISIBLE_MESSAGE) in html
    assert stored_requests() == 0
    assert mail.outbox == []


@pytest.mark.parametrize("char", ["\u202e", "\n", "\u200b"])
def test_the_model_refuses_invisible_characters_whatever_the_form(char):
    data = {**DATA, "name": f"Marie{char}Dubois", "phone": f"0470{char}123456"}
    with pytest.raises(ValidationError) as refused:
        request_submit(data=data, language="fr")
    assert set(refused.value.message_dict) == {"name", "phone"}
    assert stored_requests() == 0


@pytest.mark.parametrize(
    "name",
    ["José García-López", "Jean-Pierre O\u2019Neil", "Maarten d'Hondt", "J. Dupont", "Łukasz Żółć"],
)
def test_real_names_are_accepted(citizen, django_capture_on_commit_callbacks, name):
    assert send(citizen, django_capture_on_commit_callbacks, name=name).status_code == 303
    assert DataSubjectRequest.objects.get().name == name


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0470 12 34 56", "+32 470 12 34 56"),
        ("+32 2 000 00 00", "+32 2 000 00 00"),
        ("0032 2 555 01 23", "+32 2 555 01 23"),
        ("+33 1 23 45 67 89", "+33 1 23 45 67 89"),
        ("", ""),
    ],
)
def test_phone_numbers_are_stored_in_international_form(
    citizen, django_capture_on_commit_callbacks, typed, stored
):
    response = send(citizen, django_capture_on_commit_callbacks, phone=typed)
    assert response.status_code == 303
    assert DataSubjectRequest.objects.get().phone == stored


@pytest.mark.parametrize("typed", ["12", "call me", "0470 12 34 56 https://evil.example", "+"])
def test_what_is_not_a_phone_number_is_refused(citizen, django_capture_on_commit_callbacks, typed):
    response = send(citizen, django_capture_on_commit_callbacks, "nl", phone=typed)

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_phone_error"' in html
    assert in_language("nl", PHONE_MESSAGE) in html
    assert stored_requests() == 0


# --- A limit per recipient, counted only for stored requests -------------------------------


def test_the_fourth_request_for_one_address_in_a_day_is_refused_whoever_sends_it(
    citizen, django_capture_on_commit_callbacks, settings
):
    settings.RIGHTS_REQUESTS_RATE_LIMIT_PER_EMAIL = "3/d"
    # The same mailbox however it is spelt.
    spellings = [EMAIL, EMAIL.upper(), "zzmarker.qvx+tag@example.be"]
    for number, email in enumerate(spellings):
        response = send(
            citizen, django_capture_on_commit_callbacks, ip=f"203.0.113.{number}", email=email
        )
        assert response.status_code == 303

    refused = send(citizen, django_capture_on_commit_callbacks, "nl", ip="203.0.113.99")

    assert refused.status_code == 429
    assert refused["Retry-After"] == "86400"
    html = refused.content.decode()
    assert 'id="request-rate-limited"' in html
    assert f'value="{NAME}"' in html  # what was typed is kept
    assert stored_requests() == 3
    assert len(mail.outbox) == 3
    # Another recipient is not affected, from the same client address.
    other = send(
        citizen, django_capture_on_commit_callbacks, ip="203.0.113.99", email="other@example.be"
    )
    assert other.status_code == 303
    # The cache holds keyed hashes, never an address.
    for key, value in cache_entries(caches["default"]):
        for clear in ("zzmarker", "example.be", "203.0.113"):
            assert clear not in str(key).lower()
            assert clear.encode() not in value


def test_a_request_that_was_not_stored_uses_no_quota(
    citizen, django_capture_on_commit_callbacks, settings, monkeypatch
):
    settings.RIGHTS_REQUESTS_RATE_LIMIT = "1/h"
    settings.RIGHTS_REQUESTS_RATE_LIMIT_PER_EMAIL = "1/d"
    store = request_views.request_submit

    def database_down(**kwargs):
        raise OperationalError("the database is down")

    monkeypatch.setattr(request_views, "request_submit", database_down)
    for _attempt in range(3):
        assert send(citizen, django_capture_on_commit_callbacks).status_code == 503
    monkeypatch.setattr(request_views, "request_submit", store)

    assert send(citizen, django_capture_on_commit_callbacks).status_code == 303
    assert stored_requests() == 1
    # The limits still hold: the one request stored used the one allowed.
    assert send(citizen, django_capture_on_commit_callbacks).status_code == 429
    assert send(citizen, django_capture_on_commit_callbacks, ip="203.0.113.50").status_code == 429
    assert stored_requests() == 1


def test_a_rate_limit_with_a_multiple_of_a_unit(settings):
    settings.RIGHTS_LETTER_RATE_LIMIT = "10/10m"
    assert request_views.parse_rate("RIGHTS_LETTER_RATE_LIMIT", "") == (10, 600)
    settings.RIGHTS_LETTER_RATE_LIMIT = "10/0m"
    with pytest.raises(ValueError, match="RIGHTS_LETTER_RATE_LIMIT"):
        request_views.parse_rate("RIGHTS_LETTER_RATE_LIMIT", "")


# --- The wizard: same-origin posts only, one count per route and address an hour -----------


@pytest.fixture
def seeded():
    registry_seed_load()


def counted():
    return sum(RoutingCount.objects.values_list("count", flat=True))


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": EVIL},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_ORIGIN": "http://testserver.evil.example"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_REFERER": f"{EVIL}/fr/vos-droits/"},
    ],
)
def test_a_wizard_post_from_another_site_is_refused_and_counts_nothing(citizen, seeded, headers):
    response = citizen.post(wizard("fr"), {"choice": "complaint"}, **headers)

    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="fr">' in html and 'class="site-header"' in html  # the site's layout
    assert f'href="{wizard("fr")}"' in html
    assert counted() == 0
    assert not response.cookies


def test_fifty_cross_origin_posts_add_nothing_to_the_statistics(citizen, seeded):
    for number in range(50):
        response = citizen.post(
            wizard("nl", "insurer-data", "access"),
            {"choice": "500"},
            HTTP_ORIGIN=EVIL,
            REMOTE_ADDR=f"198.51.100.{number}",
        )
        assert response.status_code == 403
    assert counted() == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "http://testserver"},  # as the request reached the site
        {"HTTP_ORIGIN": "https://testserver"},  # SITE_URL, behind a TLS proxy
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_REFERER": "http://testserver/fr/vos-droits/"},
        {},  # an old browser that sends none of them
    ],
)
def test_a_wizard_post_from_the_site_itself_counts(citizen, seeded, headers):
    response = citizen.post(wizard("fr"), {"choice": "complaint"}, **headers)

    assert response.status_code == 303
    assert response["Location"] == wizard("fr", "complaint")
    assert counted() == 1


def test_one_address_counts_one_route_once_an_hour(citizen, seeded):
    for _post in range(50):
        response = citizen.post(
            wizard("fr", "insurer-data", "access"),
            {"choice": "500"},
            HTTP_ORIGIN="http://testserver",
            REMOTE_ADDR="203.0.113.7",
        )
        assert response.status_code == 303
    assert counted() == 1
    # Another route from the same address, and the same route from another address, count.
    citizen.post(wizard("fr"), {"choice": "complaint"}, REMOTE_ADDR="203.0.113.7")
    citizen.post(
        wizard("fr", "insurer-data", "access"), {"choice": "500"}, REMOTE_ADDR="203.0.113.8"
    )
    assert counted() == 3
    # The cache remembers a keyed hash of the address and the route, never the address.
    for key, value in cache_entries(caches["default"]):
        assert "203.0.113" not in str(key)
        assert b"203.0.113" not in value


def test_with_the_cache_down_every_route_counts(citizen, seeded, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "add", down)
    for _post in range(2):
        citizen.post(wizard("fr"), {"choice": "complaint"}, REMOTE_ADDR="203.0.113.7")
    assert counted() == 2


# --- The letter: same origin, and a rate limit per address ----------------------------------


def letter_data(**changes):
    return {
        "topic": "insurer-data",
        "right": "access",
        "insurer": "500",
        "name": NAME,
        "address": "Rue Marker 9\n1000 Bruxelles",
        "output": "pdf",
        **changes,
    }


def test_the_letter_is_rate_limited_per_address(citizen, seeded, settings):
    settings.RIGHTS_LETTER_RATE_LIMIT = "1/10m"
    first = citizen.post(url("letter"), letter_data(), REMOTE_ADDR="203.0.113.7")
    assert first.status_code == 200
    assert first.content.startswith(b"%PDF")

    again = citizen.post(url("letter"), letter_data(), REMOTE_ADDR="203.0.113.7")
    assert again.status_code == 429
    assert again["Retry-After"] == "600"
    assert again["Content-Type"].startswith("text/html")
    html = again.content.decode()
    assert 'id="letter-rate-limited"' in html
    assert NAME in html  # what was typed is kept for the next try, in the page only
    html_letter = citizen.post(url("letter"), letter_data(output="html"), REMOTE_ADDR="203.0.113.7")
    assert html_letter.status_code == 429
    # A form error renders nothing and counts nothing; another address is not affected.
    assert (
        citizen.post(url("letter"), letter_data(name=""), REMOTE_ADDR="203.0.113.7").status_code
        == 400
    )
    other = citizen.post(url("letter"), letter_data(output="html"), REMOTE_ADDR="203.0.113.8")
    assert other.status_code == 200
    for key, value in cache_entries(caches["default"]):
        assert "203.0.113" not in str(key) and "Zzmarker" not in str(key)
        assert b"203.0.113" not in value and b"Zzmarker" not in value


def test_a_letter_posted_from_another_site_is_refused(citizen, seeded):
    response = citizen.post(url("letter"), letter_data(), HTTP_ORIGIN=EVIL)
    assert response.status_code == 403
    assert not response.content.startswith(b"%PDF")
    assert NAME not in response.content.decode()


# --- The proxy check ----------------------------------------------------------------------


def test_the_proxy_check_warns_when_no_proxy_is_trusted(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.USE_X_FORWARDED_HOST = False
    settings.TRUSTED_PROXIES = 0
    [warning] = checks.proxy_without_trusted_proxies(None)
    assert warning.id == "aim_privacy.W001"
    assert "TRUSTED_PROXIES=1" in warning.hint

    from django.core.checks import run_checks

    assert "aim_privacy.W001" in {message.id for message in run_checks()}

    settings.SECURE_PROXY_SSL_HEADER = None
    settings.USE_X_FORWARDED_HOST = True
    assert [w.id for w in checks.proxy_without_trusted_proxies(None)] == ["aim_privacy.W001"]


def test_the_proxy_check_is_silent_when_the_proxies_are_trusted_or_absent(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = 1
    assert checks.proxy_without_trusted_proxies(None) == []

    settings.SECURE_PROXY_SSL_HEADER = None
    settings.USE_X_FORWARDED_HOST = False
    settings.TRUSTED_PROXIES = 0
    assert checks.proxy_without_trusted_proxies(None) == []


# --- The confirmation link works once -------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_used_confirmation_link_shows_nothing_of_the_request(
    citizen, django_capture_on_commit_callbacks, language
):
    send(citizen, django_capture_on_commit_callbacks, language)
    path = confirm_path(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        received = citizen.post(path)
    assert received.status_code == 200
    stored = DataSubjectRequest.objects.get()
    assert stored.status == Status.NEW
    assert stored.reference in page_text(received)  # the confirming POST shows it, once
    assert stored.confirmation_token_hash == ""

    for response in (citizen.get(path), citizen.post(path)):
        assert response.status_code == 404
        text = page_text(response)
        title = "This confirmation link is not valid or has already been used"
        assert in_language(language, title) in text
        for personal in (stored.reference, NAME, EMAIL, stored.get_right_display()):
            assert personal not in text
    assert len(mail.outbox) == 2  # no second acknowledgement


def test_a_link_confirmed_before_links_were_cleared_shows_nothing_either(
    citizen, django_capture_on_commit_callbacks
):
    send(citizen, django_capture_on_commit_callbacks)
    path = confirm_path(mail.outbox[0])
    token_hash = DataSubjectRequest.objects.get().confirmation_token_hash
    with django_capture_on_commit_callbacks(execute=True):
        citizen.post(path)
    # A request confirmed by an earlier version of the portal kept its hash.
    DataSubjectRequest.objects.update(confirmation_token_hash=token_hash)
    reference = DataSubjectRequest.objects.get().reference

    for response in (citizen.get(path), citizen.post(path)):
        assert response.status_code == 404
        assert reference not in page_text(response)
