"""Who a letter goes to: each name once, an address or an honest line saying where to find it
(never blank lines), and "by e-mail" only where an e-mail is known — for every insurer and AIM,
in both languages."""

import html
import re

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import translation

from registry.models import Organisation
from registry.seed import registry_seed_load
from requests.models import Right, Topic
from requests.routing import route

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.requests.letter_urls")]

CODES = ["100", "200", "300", "400", "500", "600", "900"]
# (topic, insurer) of every addressee a letter can have: the seven insurers and AIM.
ADDRESSEES = [(Topic.INSURER_DATA, code) for code in CODES] + [(Topic.AIM_DATA, "")]
EMAIL_SENTENCE = (
    "Date and sign it, add a copy of your identity card, and send it by post or attach it to an "
    "e-mail."
)
POST_SENTENCE = "Date and sign it, add a copy of your identity card, and send it by post."


@pytest.fixture(autouse=True)
def registry():
    registry_seed_load()


@pytest.fixture(autouse=True)
def fresh_cache():
    caches["default"].clear()
    yield
    caches["default"].clear()


def post_letter(client, language, topic, insurer, right=Right.ACCESS):
    with translation.override(language):
        url = reverse("rights:letter")
    data = {"topic": topic, "right": right, "insurer": insurer, "output": "html"}
    response = client.post(url, data | {"name": "A. Person", "address": "Rue X 1\n1000 Bruxelles"})
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def addressee_block(text):
    block = re.search(r'<div class="letter-addressee">(.*?)</div>', text, re.S)[1]
    lines = [re.sub(r"\s+", " ", line).strip() for line in re.findall(r">([^<]+)<", block)]
    return block, [line for line in lines if line]


def organisation_of(topic, insurer):
    if insurer:
        return Organisation.objects.get(insurer_code=int(insurer))
    return Organisation.objects.get(kind=Organisation.Kind.AIM)


@pytest.mark.parametrize("language", ["fr", "nl"])
@pytest.mark.parametrize(("topic", "insurer"), ADDRESSEES)
def test_the_addressee_names_each_name_once_and_has_an_address_or_says_where(
    client, language, topic, insurer
):
    block, lines = addressee_block(post_letter(client, language, topic, insurer))
    organisation = organisation_of(topic, insurer)
    text = " ".join(lines).casefold()
    names = [getattr(organisation, f"{field}_{language}") for field in ("name", "short_name")]
    for name in filter(None, names):
        assert text.count(name.casefold()) <= 1, (name, lines)
    assert any(name.casefold() in text for name in filter(None, names))  # it is named
    assert "((" not in text and "))" not in text
    assert len(lines) == len({line.casefold() for line in lines}), lines
    # Never blank lines to fill in: an address, or the line that says where it is published.
    assert "letter-rule" not in block
    assert len(lines) >= 3, lines


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_without_an_address_the_letter_points_to_the_privacy_statement(client, language):
    insurer = Organisation.objects.get(insurer_code=100)
    for field in ("address", "rights_postal_address"):
        setattr(insurer, f"{field}_fr", "")
        setattr(insurer, f"{field}_nl", "")
    insurer.privacy_statement_url_fr = "https://privacy.example.org/fr"
    insurer.privacy_statement_url_nl = "https://privacy.example.org/nl"
    insurer.save()

    block, lines = addressee_block(post_letter(client, language, Topic.INSURER_DATA, "100"))
    with translation.override(language):
        expected = translation.gettext("Address: see the privacy statement at %(url)s") % {
            "url": f"https://privacy.example.org/{language}"
        }
    assert expected in lines
    assert "letter-rule" not in block


@pytest.mark.parametrize("language", ["fr", "nl"])
@pytest.mark.parametrize(("topic", "insurer"), ADDRESSEES)
def test_by_email_only_when_an_email_is_known(client, language, topic, insurer):
    text = re.sub(r"\s+", " ", post_letter(client, language, topic, insurer))
    with translation.override(language):
        email = route(topic=topic, right=Right.ACCESS, insurer=insurer).email
        by_email = translation.gettext(EMAIL_SENTENCE)
        by_post = translation.gettext(POST_SENTENCE)
    assert (by_email in text) == bool(email)
    assert (by_post in text) == (not email)


def test_some_insurers_have_no_email_and_one_has(client):
    """The test above sees both cases with the registry's seed."""
    with translation.override("fr"):
        emails = [
            route(topic=Topic.INSURER_DATA, right=Right.ACCESS, insurer=c).email for c in CODES
        ]
    assert any(emails) and not all(emails)
