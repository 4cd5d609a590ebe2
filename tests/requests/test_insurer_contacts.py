"""A contact for every insurer: every insurer code, every right, both languages, through the
real wizard result page on the seeded registry; the routing's fallback to a channel published in
the other language; and the declaration's rights block, which shows the same."""

import re
from html import unescape

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from notices.blocks import render_block
from notices.registry_data import registry_data
from registry.models import Organisation
from registry.seed import registry_seed_load
from requests.models import Right, Topic
from requests.routing import UNKNOWN_INSURER, route

pytestmark = pytest.mark.django_db

LANGUAGES = ["fr", "nl"]
CODES = [str(code) for code in Organisation.InsurerCode.values]
NOT_CONFIRMED = "AIM has not confirmed a direct address for privacy requests at %(name)s."
ONLY_IN_FRENCH = [
    "The official list of every mutuality's contacts is only available in French:",
    "The official list of every mutuality's contacts is only available in Dutch:",
]


@pytest.fixture(autouse=True)
def seeded():
    registry_seed_load()
    cache.clear()
    yield
    cache.clear()


def result_url(language, right, insurer):
    """The wizard's result page for the insurer's data (stored values; the URL converters write
    the slugs of the language)."""
    with translation.override(language):
        return reverse(
            "rights:wizard",
            kwargs={"topic": Topic.INSURER_DATA, "right": right, "insurer": insurer},
        )


def who_section(html):
    match = re.search(r'<section aria-labelledby="who">(.*?)</section>', html, re.S)
    assert match, "the result page names who answers"
    return match.group(1)


def text(html):
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


def tr(language, message):
    with translation.override(language):
        return translation.gettext(message)


def contact_list_paragraph(section):
    urls = Organisation.objects.exclude(contact_directory_url_fr="").get()
    for paragraph in re.findall(r"<p>(.*?)</p>", section, re.S):
        if urls.contact_directory_url_fr in paragraph or urls.contact_directory_url_nl in (
            paragraph
        ):
            return paragraph
    raise AssertionError("no link to the official list of insurers' contacts")


def values_in_any_language(insurer, name):
    return [v for v in (getattr(insurer, f"{name}_fr"), getattr(insurer, f"{name}_nl")) if v]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", CODES)
def test_every_insurer_page_says_where_to_write(citizen, code, language):
    """Every right offered for the insurer's data, for this insurer in this language."""
    for right in Right.values:
        assert_page_says_where_to_write(citizen, code, right, language)


def assert_page_says_where_to_write(citizen, code, right, language):
    response = citizen.get(result_url(language, right, code))
    assert response.status_code == 200
    section = who_section(response.content.decode())
    readable = text(section)
    insurer = Organisation.objects.get(insurer_code=int(code))

    shown = []
    for value in [insurer.rights_email, insurer.rights_phone]:
        if value:
            assert value in readable
            shown.append(value)
    for name in ("rights_web_form", "rights_postal_address", "privacy_statement_url", "address"):
        own = getattr(insurer, f"{name}_{language}")
        expected = own or next(iter(values_in_any_language(insurer, name)), "")
        if expected:
            assert expected in readable, (name, expected)
            shown.append(expected)
    assert shown, "no insurer page is empty"

    name = getattr(insurer, f"short_name_{language}") or getattr(insurer, f"name_{language}")
    sentence = tr(language, NOT_CONFIRMED) % {"name": name}
    assert (sentence in readable) == (not insurer.has_rights_channel)

    # The official list, in the reader's language, never said to exist in one language only.
    directory = contact_list_paragraph(section)
    inami = Organisation.objects.exclude(contact_directory_url_fr="").get()
    assert getattr(inami, f"contact_directory_url_{language}") in directory
    assert "hreflang" not in directory
    for marker in (tr(language, "in French"), tr(language, "in Dutch")):
        assert marker not in text(directory)


@pytest.mark.parametrize("language", LANGUAGES)
def test_union_200_no_longer_shows_the_flemish_funds_address(citizen, language):
    for right in Right.values:
        html = citizen.get(result_url(language, right, "200")).content.decode()
        assert "ivc@vnz.be" not in html
        assert "Hoogstratenplein" not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_says_the_list_exists_only_in_one_language(citizen, language):
    for insurer in [*CODES, UNKNOWN_INSURER]:
        html = citizen.get(result_url(language, Right.ACCESS, insurer)).content.decode()
        for sentence in ONLY_IN_FRENCH:
            assert tr(language, sentence) not in html
        assert "alleen in het Frans" not in html
        assert "bestaat alleen" not in html


def test_a_channel_in_the_other_language_says_so_and_marks_its_language(citizen):
    # CAAMI publishes its DPO's postal address in French only.
    html = who_section(citizen.get(result_url("nl", Right.ACCESS, "600")).content.decode())
    caami = Organisation.objects.get(insurer_code=600)

    postal = re.search(r'<span class="postal" lang="fr">([^<]*)</span>\s*\(([^)]*)\)', html)
    assert postal, html
    assert unescape(postal.group(1)) == caami.rights_postal_address_fr
    assert postal.group(2) == tr("nl", "in French")
    statement = re.search(r'<a href="([^"]+)" hreflang="fr" lang="fr">', html)
    assert statement and unescape(statement.group(1)) == caami.privacy_statement_url_fr


def test_a_channel_in_the_reader_language_is_not_marked(citizen):
    html = who_section(citizen.get(result_url("fr", Right.ACCESS, "600")).content.decode())

    assert 'lang="nl"' not in html
    assert tr("fr", "in Dutch") not in text(html)


# --- Routing ------------------------------------------------------------------------------


def insurer_route(code, language):
    with translation.override(language):
        return route(topic=Topic.INSURER_DATA, right=Right.ACCESS, insurer=code)


def test_routing_falls_back_to_the_other_language_and_names_it():
    dutch = insurer_route("600", "nl")
    (postal,) = dutch.channels
    assert (postal.kind, postal.language) == ("postal_address", "fr")
    assert postal.value.startswith("CAAMI Data Protection Officer")
    assert dutch.privacy_statement.language == "fr"
    assert (dutch.head_office, dutch.head_office_language) == ("Troonstraat 30A, 1000 Brussel", "")
    assert dutch.letter_address == postal.value

    french = insurer_route("900", "fr")
    postal = next(c for c in french.channels if c.kind == "postal_address")
    assert postal.language == "nl"
    assert french.email == "dataprotection_kgv-css@hr-rail.be"
    assert french.direct_channel_known


def test_routing_without_a_direct_channel_gives_the_statement_and_the_head_office():
    christian = insurer_route("100", "fr")
    assert not christian.direct_channel_known
    assert christian.email == ""
    assert (
        christian.privacy_statement.value == "https://mc.be/disclaimer/politique-confidentialite-mc"
    )
    assert christian.privacy_statement.language == ""
    assert (christian.head_office_language, christian.letter_address) == (
        "nl",
        "Haachtsesteenweg 579 bus 40, 1031 Schaarbeek",
    )

    solidaris = insurer_route("300", "fr")
    assert solidaris.privacy_statement is None
    assert solidaris.head_office == "Sint-Jansstraat 32-38, 1000 Brussel"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", CODES)
def test_routing_never_leaves_an_insurer_without_a_way_to_write(code, language):
    found = insurer_route(code, language)
    assert found.channels or found.privacy_statement or found.head_office
    assert found.letter_address
    assert found.contact_list_language == language


# --- The declaration's rights block -------------------------------------------------------


def insurer_items(html):
    return re.findall(r"<li>\s*<strong>(.*?)</li>", html, re.S)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_rights_block_gives_each_insurer_a_way_to_write(language):
    data = registry_data()
    with translation.override(language):
        html = render_block("rights", data, language)
    items = insurer_items(html)
    assert len(items) == 7
    sentence = tr(
        language, "AIM has not confirmed a direct address for privacy requests at this mutuality."
    )
    for slug, item in zip(data["insurers"], items, strict=True):
        insurer = data["organisations"][slug]
        has_channel = bool(insurer["rights"]["email"]) or any(
            insurer["rights"][name][code]
            for name in ("web_form", "postal_address")
            for code in LANGUAGES
        )
        assert "<dd>" in item, slug
        assert (sentence in text(item)) == (not has_channel), slug
    assert "ivc@vnz.be" not in html
    for message in ONLY_IN_FRENCH:
        assert tr(language, message) not in html
    inami = data["organisations"][data["contact_directory"]]
    assert inami["contact_directory_url"][language] in html


def test_the_rights_block_marks_a_head_office_in_the_other_language():
    data = registry_data()
    with translation.override("fr"):
        html = render_block("rights", data, "fr")
    christian = insurer_items(html)[0]

    assert '<span lang="nl">Haachtsesteenweg 579 bus 40, 1031 Schaarbeek</span>' in christian
    assert tr("fr", "in Dutch") in christian


def test_an_old_snapshot_without_privacy_statements_still_renders():
    data = registry_data()
    for organisation in data["organisations"].values():
        organisation.pop("privacy_statement_url")
    with translation.override("nl"):
        html = render_block("rights", data, "nl")

    assert len(insurer_items(html)) == 7
    assert "privacy@mloz.be" in html
    # What such a version published is shown as it was: no sentence it did not contain.
    assert tr("nl", "Privacy statement") not in html
    assert "not confirmed" not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_list_of_insurers_names_each_once(client, language):
    """Not "Solidaris, Nationaal Verbond ... - Solidaris": a name people know that the full name
    already contains is not said twice."""
    html = client.get(result_url(language, Right.ACCESS, UNKNOWN_INSURER)).content.decode()
    items = re.findall(r"<li><a href=\"[^\"]*/(\d{3})/\">(.*?)</li>", html, re.S)
    assert len(items) == len(CODES)
    for _code, item in items:
        dash = " \N{EN DASH} "
        names = [part.strip() for part in text(item).split(dash)]
        known_as, full = names[0], dash.join(names[1:])
        assert not (full and known_as.casefold() in full.casefold()), item
