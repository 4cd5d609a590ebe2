"""The ready-to-send letter: addressed from the registry, in the reader's language, as a page or
a PDF — and what the person types is never stored, logged or cached."""

import io
import logging
import pickle
import re
from datetime import date

import pytest
from django.apps import apps
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from pypdf import PdfReader

from registry.seed import registry_seed_load
from requests.letter_forms import LetterForm
from requests.letter_wording import letter_context
from requests.models import Right, Topic
from requests.routing import route

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.requests.letter_urls")]

NAME = "Zzmarker Q7x"
ADDRESS = "Rue Marker 9\n1000 Bruxelles"
MARKERS = ("Zzmarker", "Q7x", "Rue Marker")


@pytest.fixture(autouse=True)
def registry():
    registry_seed_load()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Letters are rate-limited per client address: start each test with none counted."""
    caches["default"].clear()
    yield
    caches["default"].clear()


def letter_url(language):
    with translation.override(language):
        return reverse("rights:letter")


def post_letter(client, language="fr", **overrides):
    data = {
        "topic": Topic.INSURER_DATA,
        "right": Right.ACCESS,
        "insurer": "500",
        "name": NAME,
        "address": ADDRESS,
        "output": "html",
        **overrides,
    }
    return client.post(letter_url(language), data)


def page_text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_french_letter_is_addressed_to_the_insurer_and_holds_what_was_typed(client):
    response = post_letter(client, "fr")

    assert response.status_code == 200
    text = page_text(response)
    # Addressed as the insurer publishes its DPO's address.
    assert "Mutualités Libres \u2013 DPO" in text
    assert "Route de Lennik 788 A" in text
    assert "Mutualités Libres" in text
    assert "Onafhankelijke" not in text
    subject = re.search(r'id="letter-subject">([^<]*)<', text).group(1)
    assert "15" in subject
    assert "article 15, paragraphe 1, du RGPD" in text
    assert NAME in text
    assert "Rue Marker 9" in text
    assert "1000 Bruxelles" in text
    # The place of writing comes from the postcode line of the address.
    assert "Bruxelles, " in text
    assert "privacy@mloz.be" in text
    assert 'href="/static/css/letter.css"' in text
    assert "Imprimez cette lettre : vérifiez-la ci-dessous" in text
    assert response["Cache-Control"].count("no-store") == 1


def test_dutch_letter_uses_the_dutch_name(client):
    response = post_letter(client, "nl")

    assert response.status_code == 200
    text = page_text(response)
    assert "Landsbond van de Onafhankelijke Ziekenfondsen" in text
    assert "Union nationale des mutualités libres" not in text
    assert NAME in text


def test_letter_to_aim_names_the_dpo_and_the_postal_address(client):
    response = post_letter(client, "fr", topic=Topic.AIM_DATA, right=Right.ERASURE, insurer="")

    assert response.status_code == 200
    text = page_text(response)
    assert "Agence Intermutualiste" in text
    assert "Dirk De Kesel" in text
    assert "Avenue du Boulevard 21" in text
    assert "17" in text


@pytest.mark.parametrize("right", Right.values)
def test_every_right_has_its_own_paragraph(right):
    found = route(topic=Topic.INSURER_DATA, right=right, insurer="500")
    context = letter_context(
        route=found, name=NAME, address=ADDRESS, today=date(2025, 5, 9), language="fr"
    )
    others = [
        letter_context(
            route=route(topic=Topic.INSURER_DATA, right=other, insurer="500"),
            name=NAME,
            address=ADDRESS,
            today=date(2025, 5, 9),
            language="fr",
        )["paragraphs"][2:]
        for other in Right.values
        if other != right
    ]
    assert context["paragraphs"][2:] not in others
    assert f"(article {found.article} du RGPD)" in context["subject"]
    assert context["place_date"] == "Bruxelles, le 9 mai 2025"
    assert context["sender"] == {"name": NAME, "address_lines": ["Rue Marker 9", "1000 Bruxelles"]}


def test_portability_asks_for_a_machine_readable_format():
    found = route(topic=Topic.INSURER_DATA, right=Right.PORTABILITY, insurer="500")
    context = letter_context(
        route=found, name=NAME, address=ADDRESS, today=date(2025, 5, 9), language="nl"
    )
    assert any(
        "gestructureerde, gangbare en machineleesbare vorm" in p for p in context["paragraphs"]
    )
    assert any(
        "binnen een maand" in p and "met nog twee maanden" in p
        for p in context["closing_paragraphs"]
    )


def test_rectification_and_objection_leave_room_for_details():
    for right in (Right.RECTIFICATION, Right.OBJECTION):
        found = route(topic=Topic.INSURER_DATA, right=right, insurer="500")
        context = letter_context(
            route=found, name=NAME, address=ADDRESS, today=date(2025, 5, 9), language="fr"
        )
        assert context["details_label"]
        assert len(context["details_lines"]) > 0


def test_pdf_is_an_attachment_holding_the_name_and_the_subject(client):
    response = post_letter(client, "fr", output="pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="lettre-acces.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert NAME in text
    assert "Rue Marker 9" in text
    # Addressed as the insurer publishes its DPO's address.
    assert "Mutualités Libres \u2013 DPO" in text
    assert "Route de Lennik 788 A" in text
    with translation.override("fr"):
        subject = letter_context(
            route=route(topic=Topic.INSURER_DATA, right=Right.ACCESS, insurer="500"),
            name=NAME,
            address=ADDRESS,
            today=date(2025, 5, 9),
            language="fr",
        )["subject"]
    assert subject in text
    assert reader.metadata.title == subject


def test_get_leads_back_to_the_wizard(client):
    response = client.get(letter_url("nl"))

    assert response.status_code == 303
    assert response["Location"] == "/nl/uw-rechten/"
    assert client.put(letter_url("fr")).status_code == 405


@pytest.mark.parametrize(
    "tampered",
    [
        {"topic": "nonsense"},
        {"right": "nonsense"},
        {"insurer": "nonsense"},
        {"insurer": "700"},
        {"insurer": ""},
        {"right": ""},
        {"topic": Topic.AIM_DATA},  # AIM's data take no insurer
        {"topic": Topic.OTHER, "right": "", "insurer": ""},
        {"topic": "x" * 500},
        {"topic": ""},
    ],
)
def test_tampered_choices_give_a_form_error_and_no_letter(client, tampered):
    response = post_letter(client, "fr", **tampered)

    assert response.status_code == 400
    text = page_text(response)
    assert "Ces réponses ne permettent pas de préparer une lettre." in text
    assert "letter-subject" not in text
    assert "Union nationale des mutualités libres" not in text


def test_unknown_insurer_asks_to_choose_the_insurer(client):
    response = post_letter(client, "fr", insurer="unknown")

    assert response.status_code == 400
    assert escape(
        "Choisissez d'abord votre organisme assureur : la lettre doit lui être adressée."
    ) in page_text(response)
    assert "letter-subject" not in page_text(response)


def test_complaint_is_not_a_letter(client):
    response = post_letter(client, "fr", topic=Topic.COMPLAINT, right="", insurer="")

    assert response.status_code == 400
    assert escape(
        "Une réclamation auprès de l'Autorité de protection des données ne s'introduit pas au "
        "moyen de cette lettre"
    ) in page_text(response)
    assert "letter-subject" not in page_text(response)


def test_missing_name_and_address_keep_what_was_typed_and_point_to_the_errors(client):
    response = post_letter(client, "fr", name="", address="Rue Marker 9")
    text = page_text(response)

    assert response.status_code == 400
    assert "Indiquez votre nom : la lettre doit être signée." in text
    assert re.search(r"<textarea [^>]*>\s*Rue Marker 9</textarea>", text)
    assert 'aria-describedby="letter-name_error letter-privacy-note"' in text
    assert 'id="letter-name_error"' in text
    assert 'aria-describedby="letter-privacy-note"' in text  # the address, which is fine
    # The routing choices are kept for the next try.
    assert 'name="insurer" value="500"' in text


def test_output_must_be_html_or_pdf(client):
    response = post_letter(client, "fr", output="docx")

    assert response.status_code == 400
    assert "letter-subject" not in page_text(response)


@pytest.mark.parametrize("output", ["html", "pdf"])
def test_no_cookie_is_set(client, output):
    for response in (post_letter(client, "fr", output=output), post_letter(client, name="")):
        assert response.cookies == {}
        assert "Set-Cookie" not in response.headers


def test_the_form_include_renders_for_the_result_page(rf):
    from django.template.loader import render_to_string

    found = route(topic=Topic.INSURER_DATA, right=Right.ACCESS, insurer="500")
    with translation.override("fr"):
        html = render_to_string(
            "requests/includes/letter_form.html",
            {"letter_form": LetterForm.for_route(found)},
            request=rf.get("/fr/"),
        )
    assert f'action="{letter_url("fr")}"' in html
    assert 'name="topic" value="insurer-data"' in html
    assert 'name="right" value="access"' in html
    assert 'name="insurer" value="500"' in html
    assert html.count('name="output"') == 2
    assert 'aria-describedby="letter-privacy-note"' in html
    assert '<label class="form-label" for="letter-name">' in html
    assert "csrfmiddlewaretoken" not in html


def all_database_values():
    tables = set(connection.introspection.table_names())
    tables |= {model._meta.db_table for model in apps.get_models()}
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    yield table, str(value)


def cache_entries(cache):
    """(key, raw value) of every entry of the configured cache backend."""
    if isinstance(cache, LocMemCache):
        yield from cache._cache.items()
        return
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client()
        for key in client.scan_iter(match=f"{cache.key_prefix}*"):
            value = client.get(key)
            if value is not None:
                yield key.decode(), value
        return
    raise AssertionError(f"no way to list the entries of {type(cache).__name__}")


def test_privacy_nothing_typed_is_logged_stored_or_cached(client, caplog, mailoutbox):
    cache = caches["default"]
    cache.clear()
    caplog.set_level(logging.DEBUG)
    for name in ["django", *logging.root.manager.loggerDict]:
        caplog.set_level(logging.DEBUG, logger=name)

    responses = [
        post_letter(client, "fr", output="html"),
        post_letter(client, "nl", output="pdf"),
        post_letter(client, "fr", insurer="unknown"),  # a form error with the marker typed
        post_letter(client, "fr", topic="tampered"),
        client.get(letter_url("fr")),
    ]
    assert [r.status_code for r in responses] == [200, 200, 400, 400, 303]
    assert NAME in page_text(responses[0])  # the marker did reach the view

    # No log record, at any level, from any logger, holds the marker: neither in its message
    # nor in its arguments.
    assert caplog.records, "logging was captured"
    for record in caplog.records:
        args = record.args if isinstance(record.args, tuple) else (record.args,)
        for value in (record.msg, record.getMessage(), *args):
            assert not any(marker in str(value) for marker in MARKERS), record.name

    # Not in any row of any table.
    leaks = [
        (table, value)
        for table, value in all_database_values()
        if any(marker in value for marker in MARKERS)
    ]
    assert leaks == []

    # Not in the cache (local memory by default, Redis when REDIS_URL is set, as in CI).
    entries = list(cache_entries(cache))
    for key, value in entries:
        assert "127.0.0.1" not in key  # the rate limit keys on a keyed hash of the address
        for marker in MARKERS:
            assert marker not in key
            assert marker.encode() not in value
            # Django's Redis serializer stores an int (the letter's rate-limit count) as its
            # digits, unpickled, so that INCR works on it.
            decoded = int(value) if value.isdigit() else pickle.loads(value)  # noqa: S301
            assert marker not in str(decoded)

    # Not in any response header, nor in an e-mail.
    for response in responses[:4]:
        for header, value in response.headers.items():
            assert not any(marker in header + value for marker in MARKERS)
    assert mailoutbox == []
