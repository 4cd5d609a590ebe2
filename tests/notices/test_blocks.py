"""Registry blocks rendered from the seeded registry data, in French and in Dutch."""

import re
from html import escape
from html.parser import HTMLParser

import pytest
from django.utils import translation

from notices.blocks import render_block
from notices.models import Section
from notices.registry_data import registry_data
from notices.templatetags.notice_blocks import (
    contact_directory,
    in_lang,
    org_name,
    registry_sources,
)
from registry.seed import registry_seed_load

KINDS = Section.Block.values
LANGUAGES = ["fr", "nl"]
RIGHTS_EMAILS = ["privacy@mloz.be", "dataprotection_kgv-css@hr-rail.be"]
INAMI_LIST_FR = (
    "https://www.riziv.fgov.be/fr/professionnels/autres/mutualites/Pages/contactez-mutualites.aspx"
)


class Elements(HTMLParser):
    """Every start tag as (tag, attributes), and the text of each link and list item."""

    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.links = []
        self.items = []
        self._open = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag in ("a", "li"):
            self._open.append({"tag": tag, "attrs": attributes, "text": ""})

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index]["tag"] == tag:
                element = self._open.pop(index)
                element["text"] = " ".join(element["text"].split())
                (self.links if tag == "a" else self.items).append(element)
                break

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data


@pytest.fixture
def registry(db):
    registry_seed_load()
    return registry_data()


def names(registry, slugs, language):
    return [registry["organisations"][slug]["name"][language] for slug in slugs]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_block_renders_without_inline_style_or_script(registry, kind, language):
    html = render_block(kind, registry, language)

    assert f"<p>{language} {kind}</p>" not in html
    assert len(Elements(html).tags) > 0
    assert "style=" not in html
    assert "<style" not in html
    assert "<script" not in html


def test_rendering_every_block_reads_the_data_only(registry, django_assert_num_queries):
    with django_assert_num_queries(0):
        for language in LANGUAGES:
            for kind in KINDS:
                render_block(kind, registry, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_rights_lists_the_seven_insurers_by_their_names_in_the_language(registry, language):
    other = "nl" if language == "fr" else "fr"
    html = render_block("rights", registry, language)

    assert len(registry["insurers"]) == 7
    for name in names(registry, registry["insurers"], language):
        assert escape(name) in html
    for own, foreign in zip(
        names(registry, registry["insurers"], language),
        names(registry, registry["insurers"], other),
        strict=True,
    ):
        if foreign not in own:
            assert escape(foreign) not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_rights_gives_the_known_rights_emails_as_mailto_links(registry, language):
    links = Elements(render_block("rights", registry, language)).links

    for email in RIGHTS_EMAILS:
        assert {"href": f"mailto:{email}"} in [link["attrs"] for link in links]


def test_rights_invents_no_channel_for_an_insurer_without_one(registry):
    items = Elements(render_block("rights", registry, "fr")).items
    christian = next(
        item for item in items if "Alliance nationale des mutualités chrétiennes" in item["text"]
    )

    assert "@" not in christian["text"]
    assert "E-mail" not in christian["text"]


def test_rights_links_the_official_list_in_french(registry):
    links = Elements(render_block("rights", registry, "fr")).links

    directory = [link for link in links if link["attrs"]["href"] == INAMI_LIST_FR]
    assert len(directory) == 1
    assert "hreflang" not in directory[0]["attrs"]


def test_rights_in_dutch_links_the_dutch_list_and_never_says_it_is_french_only(registry):
    dutch_list = registry["organisations"]["inami-riziv"]["contact_directory_url"]["nl"]
    assert dutch_list
    html = render_block("rights", registry, "nl")
    directory = [link for link in Elements(html).links if link["attrs"]["href"] == dutch_list]
    assert len(directory) == 1
    assert "hreflang" not in directory[0]["attrs"]
    with translation.override("nl"):
        for sentence in (
            "The official list of every mutuality's contacts is only available in French:",
            "The official list of every mutuality's contacts is only available in Dutch:",
        ):
            assert translation.gettext(sentence) not in html


def test_rights_gives_aim_dpo_for_its_own_activities_and_the_authority(registry):
    html = render_block("rights", registry, "nl")
    hrefs = [link["attrs"]["href"] for link in Elements(html).links]

    assert "mailto:dpo@intermut.be" in hrefs
    assert "Gegevensbeschermingsautoriteit" in html
    assert "Drukpersstraat 35, 1000 Brussel" in html
    assert "https://www.gegevensbeschermingsautoriteit.be" in hrefs
    assert "tel:+3222744800" in hrefs


@pytest.mark.parametrize("language", LANGUAGES)
def test_controller_shows_the_enterprise_number_and_the_dpo(registry, language):
    html = render_block("controller", registry, language)
    hrefs = [link["attrs"]["href"] for link in Elements(html).links]

    assert "0478.655.210" in html
    assert "mailto:dpo@intermut.be" in hrefs
    assert "Dirk De Kesel" in html
    assert escape(registry["organisations"]["aim"]["address"][language]) in html


def test_sources_are_listed_once_each_by_their_names_in_the_language(registry):
    fr = Elements(render_block("sources", registry, "fr")).items
    nl_html = render_block("sources", registry, "nl")
    nl = Elements(nl_html).items
    fr_texts = [item["text"] for item in fr]

    assert len(fr_texts) == len(set(fr_texts)) == 13
    for expected in ("Statbel", "Sciensano", "Banque Carrefour de la sécurité sociale"):
        assert any(expected in text for text in fr_texts), expected
    assert any("Kruispuntbank van de Sociale Zekerheid" in item["text"] for item in nl)
    assert any("Statbel" in item["text"] for item in nl)
    assert "Banque Carrefour" not in nl_html
    assert "Statistics Belgium" not in nl_html


@pytest.mark.parametrize(("language", "duration"), [("fr", "30 ans"), ("nl", "30 jaar")])
def test_retention_shows_the_duration_with_its_unit(registry, language, duration):
    assert duration in render_block("retention", registry, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_processors_say_mailchimp_is_outside_the_eea(registry, language):
    html = render_block("processors", registry, language)
    mailchimp = registry["organisations"]["mailchimp"]
    with translation.override(language):
        sentence = translation.gettext(
            "Established in %(country)s, outside the European Economic Area (EEA)."
        ) % {"country": escape(mailchimp["country"][language])}

    assert "Mailchimp" in html
    assert sentence in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_data_flags_special_categories(registry, language):
    html = render_block("data", registry, language)
    with translation.override(language):
        label = translation.gettext("special category, Art. 9")

    assert f"({label})" in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_diagram_is_a_labelled_image_followed_by_its_text(registry, language):
    html = render_block("diagram", registry, language)
    elements = Elements(html)
    svg = next(attrs for tag, attrs in elements.tags if tag == "svg")
    ids = {attrs.get("id") for _, attrs in elements.tags}

    assert svg["role"] == "img"
    assert re.fullmatch(r"0 0 \d+ \d+", svg["viewbox"])
    assert [tag for tag, _ in elements.tags].count("title") == 1
    assert all(reference in ids for reference in svg["aria-labelledby"].split())
    text = html.split("</svg>", 1)[1]
    sources = [org_name(source, language) for source in registry_sources(registry)]
    assert len(sources) == 13
    for source in sources:
        assert escape(source) in text


def test_dutch_blocks_show_no_french_only_organisation_name(registry):
    html = "".join(render_block(kind, registry, "nl") for kind in KINDS)

    for organisation in registry["organisations"].values():
        french, dutch = organisation["name"]["fr"], organisation["name"]["nl"]
        # A name that is the same word in Dutch (Statbel, as its short name) is not French-only.
        short_nl = (organisation.get("short_name") or {}).get("nl", "")
        if dutch and french not in dutch and french != short_nl:
            assert escape(french) not in html, french


def test_in_lang_never_falls_back_to_the_other_language():
    assert in_lang({"fr": "Bruxelles", "nl": ""}, "nl") == ""
    assert in_lang({"fr": "Bruxelles"}, "nl") == ""
    assert in_lang({"fr": "Bruxelles", "nl": "Brussel"}, "nl") == "Brussel"
    assert in_lang(None, "fr") == ""


def test_contact_directory_is_marked_when_only_the_other_language_has_it(registry):
    registry["organisations"]["inami-riziv"]["contact_directory_url"]["nl"] = ""
    assert contact_directory(registry, "fr")["is_other_language"] is False
    dutch = contact_directory(registry, "nl")
    assert dutch["is_other_language"] is True
    assert dutch["language"] == "fr"
    assert dutch["url"] == INAMI_LIST_FR
