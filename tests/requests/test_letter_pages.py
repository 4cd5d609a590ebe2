"""The letter on paper: a short letter is one A4 page in both languages, its signature with it,
and the download is named in the page's language."""

import io
import re
from datetime import date

import pytest
from django.core.cache import caches
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from aim_privacy.pdf import render_pdf
from registry.seed import registry_seed_load
from requests.letter_wording import letter_context
from requests.models import Right, Topic
from requests.routing import route
from requests.slugs import RIGHT_SLUGS

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.requests.letter_urls")]

# A typical sender: a full name and a three-line Belgian address.
NAME = "Marie-Christine Vandenberghe-Dupont"
ADDRESS = (
    "Avenue des Combattants 123, boîte 4\nRésidence Les Tilleuls\n1340 Ottignies-Louvain-la-Neuve"
)


@pytest.fixture(autouse=True)
def registry():
    registry_seed_load()
    caches["default"].clear()  # letters are rate-limited per client address


def pdf_pages(found, language):
    context = letter_context(
        route=found, name=NAME, address=ADDRESS, today=date(2025, 9, 30), language=language
    )
    with translation.override(language):
        html = render_to_string("pdf/letter.html", {**context, "in_pdf": True})
    reader = PdfReader(io.BytesIO(render_pdf(html, title=context["subject"], language=language)))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


@pytest.mark.parametrize("language", ["fr", "nl"])
@pytest.mark.parametrize(
    ("topic", "right", "insurer"),
    [
        (Topic.INSURER_DATA, Right.ACCESS, "500"),  # the longest paragraph of all the rights
        (Topic.INSURER_DATA, Right.ERASURE, "100"),
        (Topic.INSURER_DATA, Right.AUTOMATED, "900"),
        (Topic.AIM_DATA, Right.PORTABILITY, ""),
    ],
)
def test_a_short_letter_is_one_a4_page_with_its_signature(language, topic, right, insurer):
    pages = pdf_pages(route(topic=topic, right=right, insurer=insurer), language)
    assert len(pages) == 1, f"{len(pages)} pages; the last: {pages[-1][:200]}"
    assert NAME in pages[0]


@pytest.mark.parametrize(
    ("language", "expected"), [("fr", "lettre-acces.pdf"), ("nl", "brief-inzage.pdf")]
)
def test_the_download_is_named_in_the_pages_language(client, language, expected):
    with translation.override(language):
        url = reverse("rights:letter")
    data = {"topic": Topic.INSURER_DATA, "right": Right.ACCESS, "insurer": "500"}
    data |= {"name": NAME, "address": ADDRESS, "output": "pdf"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'


@pytest.mark.parametrize("language", ["fr", "nl"])
@pytest.mark.parametrize("right", Right.values)
def test_every_rights_file_name_is_in_the_pages_language(client, language, right):
    with translation.override(language):
        url = reverse("rights:letter")
    data = {"topic": Topic.AIM_DATA, "right": right, "insurer": ""}
    data |= {"name": NAME, "address": ADDRESS, "output": "pdf"}
    response = client.post(url, data)
    word = {"fr": "lettre", "nl": "brief"}[language]
    expected = f"{word}-{RIGHT_SLUGS[right][language]}.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
    assert "letter" not in expected
    assert language not in expected.removesuffix(".pdf").split("-")
