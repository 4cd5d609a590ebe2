"""The letter form after a failed POST: "Error: " in the title and an error summary right
after the heading, focusable, linking each error to its field (WCAG 3.3.1, 2.4.2)."""

import html
import re

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import translation

from registry.seed import registry_seed_load
from requests.models import Right, Topic

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.requests.letter_urls")]

PREFIX = {"fr": "Erreur : ", "nl": "Fout: "}


@pytest.fixture(autouse=True)
def registry():
    registry_seed_load()
    caches["default"].clear()


def post(client, language, **overrides):
    with translation.override(language):
        url = reverse("rights:letter")
    data = {"topic": Topic.INSURER_DATA, "right": Right.ACCESS, "insurer": "500"}
    data |= {"name": "A. Person", "address": "Rue X 1\n1000 Bruxelles", "output": "html"}
    return client.post(url, data | overrides)


def title_of(text):
    return html.unescape(re.search(r"<title>(.*?)</title>", text, re.S)[1])


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_missing_fields_give_an_error_title_and_a_summary_linking_to_them(client, language):
    response = post(client, language, name="", address="")
    text = response.content.decode()
    assert response.status_code == 400
    assert title_of(text).startswith(PREFIX[language])
    opening = re.search(r"</h1>\s*(<div[^>]*>)", text)[1]
    assert 'id="error-summary"' in opening
    assert 'tabindex="-1"' in opening
    summary = re.search(r'id="error-summary".*?</div>', text, re.S)[0]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert targets == ["letter-name", "letter-address"]
    for target in targets:
        assert f'id="{target}"' in text


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_answers_that_make_no_letter_are_summarised_without_links_to_nothing(client, language):
    response = post(client, language, topic=Topic.OTHER, right="", insurer="", name="")
    text = response.content.decode()
    assert response.status_code == 400
    assert title_of(text).startswith(PREFIX[language])
    summary = re.search(r'id="error-summary".*?</div>', text, re.S)[0]
    with translation.override(language):
        message = translation.gettext(
            "A letter cannot be prepared from these answers. Please answer the questions again."
        )
    assert html.escape(message) in summary
    assert "href=" not in summary  # the form is not shown again, so nothing to link to


def test_a_letter_page_is_not_an_error_page(client):
    text = post(client, "fr").content.decode()
    assert not title_of(text).startswith(PREFIX["fr"])
    assert 'id="error-summary"' not in text
