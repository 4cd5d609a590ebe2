"""The notice as a PDF: content per language, cover, contents with true page numbers, margins,
metadata, tagging, and the watermark of drafts.

Each PDF is rendered once per test session (about half a second each): the module-level cache
keeps the bytes and the text of every page. The database is rolled back after every test, so a
PDF is rendered inside the first test that needs it, from version 1 of the demo content (the
declaration in force, with the seeded registry), which every test loads again.
"""

import io
import re
from dataclasses import dataclass

import pytest
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from aim_privacy.pdf import pdf_rendered
from notices.demo import demo_content_load
from notices.pdf import notice_pdf, notice_pdf_html
from notices.services import notice_version_create_draft

pytestmark = pytest.mark.django_db

BOTH = ("fr", "nl")
KEY_STATEMENTS = {
    "fr": ["pseudonymisées deux ou trois fois", "0478.655.210", "dpo@intermut.be"],
    "nl": ["gepseudonimiseerd", "Verwerkingsverantwoordelijke", "0478.655.210", "dpo@intermut.be"],
}
WATERMARK = {"fr": "BROUILLON", "nl": "ONTWERP"}
TOC_TITLE = {"fr": "Sommaire", "nl": "Inhoud"}


@dataclass
class Rendered:
    pdf: bytes
    reader: PdfReader
    pages: list[str]  # the text of every page, as extracted
    signal: dict  # what render_pdf announced through pdf_rendered


_RENDERED: dict[tuple[tuple[str, ...], bool], Rendered] = {}
_SNAPSHOT: dict = {}


def snapshot() -> dict:
    """The snapshot of version 1 (loaded once: the demo content is the same in every test)."""
    if not _SNAPSHOT:
        _SNAPSHOT.update(demo_content_load().snapshot)
    return _SNAPSHOT


def rendered(languages, *, draft=False) -> Rendered:
    """The PDF of version 1 (or of a new draft copied from it), rendered once per session."""
    key = (tuple(languages), draft)
    if key not in _RENDERED:
        version = demo_content_load()
        if draft:
            version = notice_version_create_draft(notice=version.notice)
        announced = {}

        def record(sender, **kwargs):
            announced.update(kwargs)

        pdf_rendered.connect(record)
        try:
            pdf = notice_pdf(version=version, languages=tuple(languages))
        finally:
            pdf_rendered.disconnect(record)
        reader = PdfReader(io.BytesIO(pdf))
        pages = [page.extract_text() for page in reader.pages]
        _RENDERED[key] = Rendered(pdf=pdf, reader=reader, pages=pages, signal=announced)
    return _RENDERED[key]


def flat(text: str) -> str:
    """Page text as one line: hyphenation breaks undone, every run of white space one space."""
    text = text.replace("\u2010\n", "").replace("\u00ad", "").replace("-\n", "-")
    return " ".join(text.split())


def heading_at_line_start(title: str) -> re.Pattern:
    """A heading as printed: it starts a line, and may wrap between words or after a hyphen."""
    words = [re.escape(word).replace("\\-", "-\\s*") for word in title.split()]
    return re.compile(r"(?:^|\n)\s*" + r"\s+".join(words))


def section_titles(language) -> list[str]:
    return [section["title"][language] for section in snapshot()["sections"]]


def only_in(language) -> list[str]:
    other = "nl" if language == "fr" else "fr"
    return [title for title in section_titles(language) if title not in section_titles(other)]


def part_pages(document: Rendered, language: str, languages) -> list[str]:
    """The pages of one language part of a document: FR first, NL from the second cover on."""
    if len(languages) == 1:
        return document.pages
    dutch_title = flat(snapshot()["notice"]["title"]["nl"])
    nl_cover = next(index for index, text in enumerate(document.pages) if dutch_title in flat(text))
    return document.pages[:nl_cover] if language == "fr" else document.pages[nl_cover:]


# --- Content ----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_pdf_holds_the_declaration_in_its_language_only(language):
    document = rendered((language,))
    text = flat("\n".join(document.pages))
    titles = snapshot()["notice"]["title"]

    assert flat(titles[language]) in text
    with translation.override(language):
        assert gettext("Version %(number)s") % {"number": 1} in text
    for title in section_titles(language):
        assert flat(title) in text, title
    for statement in KEY_STATEMENTS[language]:
        assert statement in text, statement
    other = "nl" if language == "fr" else "fr"
    for title in only_in(other):
        assert flat(title) not in text, title
    assert flat(titles[other]) not in text


def test_the_version_is_named_in_the_language_of_the_part():
    assert "Version 1" in flat(rendered(("fr",)).pages[0])
    assert "Versie 1" in flat(rendered(("nl",)).pages[0])


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_cover_shows_the_version_its_date_and_aims_identity(language):
    registry = snapshot()["registry"]
    aim = registry["organisations"][registry["controller"]]
    cover = flat(rendered((language,)).pages[0])

    assert flat(snapshot()["notice"]["title"][language]) in cover
    # Version 1 of the demo content is historical, its start not recorded (the setting
    # DEMO_V1_EFFECTIVE_FROM is empty): the cover says so and shows no date at all.
    assert snapshot()["effective_from"] is None
    with translation.override(language):
        assert flat(gettext("In force before the portal opened (date not recorded)")) in cover
        assert gettext("In force from") not in cover
    assert not re.search(r"\b20\d\d\b", cover.replace("0478.655.210", ""))
    assert aim["name"][language] in cover
    assert flat(aim["address"][language]) in cover
    assert aim["enterprise_number"] == "0478.655.210"
    assert "0478.655.210" in cover


def test_both_languages_make_one_document_french_first_each_with_cover_and_contents():
    document = rendered(BOTH)
    titles = snapshot()["notice"]["title"]
    french = flat("\n".join(part_pages(document, "fr", BOTH)))
    dutch = flat("\n".join(part_pages(document, "nl", BOTH)))

    assert titles["fr"] in flat(document.pages[0])
    for language, text in (("fr", french), ("nl", dutch)):
        assert flat(titles[language]) in text
        assert TOC_TITLE[language] in text
        for title in section_titles(language):
            assert flat(title) in text, title
        for statement in KEY_STATEMENTS[language]:
            assert statement in text, statement
    for title in only_in("nl"):
        assert flat(title) not in french, title
    for title in only_in("fr"):
        assert flat(title) not in dutch, title
    assert document.reader.trailer["/Root"].get("/Lang") == "fr"
    assert len(document.pages) == len(rendered(("fr",)).pages) + len(rendered(("nl",)).pages)


def test_the_dutch_part_of_both_languages_is_marked_dutch_and_ids_stay_unique():
    html = notice_pdf_html(version=demo_content_load(), languages=BOTH, draft_watermark=False)
    assert re.search(r'<html lang="fr">', html)
    dutch_part = html[html.index('<div class="part part--nl" lang="nl">') :]
    assert "gepseudonimiseerd" in dutch_part
    assert "pseudonymisées" not in dutch_part
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    for target in re.findall(r'href="#([^"]+)"', html):
        assert target in ids, target


# --- Metadata and structure ----------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_metadata_title_and_language(language):
    document = rendered((language,))
    title = snapshot()["notice"]["title"][language]
    label = {"fr": "version 1", "nl": "versie 1"}[language]

    assert document.reader.metadata.title == f"{title} \u2013 {label} ({language})"
    assert document.reader.trailer["/Root"].get("/Lang") == language
    assert document.signal["purpose"] == "notice"
    assert document.signal["language"] == language
    assert document.signal["refused"] == ()


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_pdf_is_tagged(language):
    catalog = rendered((language,)).reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalog


@pytest.mark.parametrize("languages", [("fr",), ("nl",), BOTH])
def test_every_page_says_page_x_of_y_and_the_version(languages):
    document = rendered(languages)
    total = len(document.reader.pages)
    for language in languages:
        pages = part_pages(document, language, languages)
        first = document.pages.index(pages[0])
        with translation.override(language):
            wording = gettext("Page %(page)s of %(pages)s")
            version = gettext("Version %(number)s") % {"number": 1}
        for offset, text in enumerate(pages):
            expected = wording % {"page": first + offset + 1, "pages": total}
            assert expected in flat(text), (language, first + offset)
            assert version in flat(text)


@pytest.mark.parametrize("languages", [("fr",), ("nl",), BOTH])
def test_contents_page_numbers_are_the_pages_of_the_headings(languages):
    document = rendered(languages)
    for language in languages:
        pages = part_pages(document, language, languages)
        first = document.pages.index(pages[0])
        toc_index = next(
            index for index, text in enumerate(pages) if flat(text).startswith(TOC_TITLE[language])
        )
        contents = flat(pages[toc_index])
        body_start = toc_index + 1
        for title in section_titles(language):
            listed = re.search(re.escape(flat(title)) + r"\s*\.{3,}\s*(\d+)", contents)
            assert listed, title
            pattern = heading_at_line_start(title)
            page = next(
                first + index + 1
                for index in range(body_start, len(pages))
                if pattern.search(pages[index])
            )
            assert int(listed.group(1)) == page, (language, title)


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_hyphenation_follows_the_language_of_each_part(language):
    html = notice_pdf_html(version=demo_content_load(), languages=BOTH, draft_watermark=False)
    assert f'<div class="part part--{language}" lang="{language}">' in html
    # WeasyPrint hyphenated words of the text (with U+2010) in each part.
    document = rendered(BOTH)
    assert any("\u2010\n" in text for text in part_pages(document, language, BOTH))


# --- Drafts --------------------------------------------------------------------------------


def test_every_page_of_a_draft_carries_the_watermark_of_its_language():
    french = rendered(("fr",), draft=True)
    for text in french.pages:
        assert "BROUILLON" in text
        assert "ONTWERP" not in text
    cover = flat(french.pages[0])
    assert "Version 2" in cover and "Brouillon" in cover
    assert "En vigueur" not in cover

    both = rendered(BOTH, draft=True)
    for language in BOTH:
        for text in part_pages(both, language, BOTH):
            other = "nl" if language == "fr" else "fr"
            assert WATERMARK[language] in text
            assert WATERMARK[other] not in text


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_published_version_has_no_watermark(language):
    for text in rendered((language,)).pages:
        assert "BROUILLON" not in text
        assert "ONTWERP" not in text


def test_an_admin_entered_title_cannot_leave_its_css_string():
    version = demo_content_load()
    notice = version.notice
    notice.title_fr = 'Titre "</style><script>alert(1)</script> \\ fin'
    notice.save()
    draft = notice_version_create_draft(notice=notice)

    html = notice_pdf_html(version=draft, languages=("fr",), draft_watermark=True)

    assert html.count("</style>") == 1
    assert "<script" not in html
    style = html[html.index("<style>") : html.index("</style>")]
    assert 'content: "Titre \\22 \\3c \\2f style\\3e \\3c script\\3e alert\\28 1\\29 ' in style
    assert "\\5c  fin" in style
