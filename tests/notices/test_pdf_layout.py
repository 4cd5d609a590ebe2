"""The notice's PDF as a reader and a screen reader meet it: each part in its own language in
the structure tree (PDF/UA-1, 7.2), and no page left mostly blank by a figure pushed to the next.
"""

import io

import pytest
from pypdf import PdfReader

from notices.demo import demo_content_load
from notices.pdf import notice_pdf

pytestmark = pytest.mark.django_db

_PDF: dict = {}


def pdf(languages) -> PdfReader:
    """The PDF of version 1 of the demo content, rendered once per session and language set."""
    if languages not in _PDF:
        _PDF[languages] = notice_pdf(version=demo_content_load(), languages=languages)
    return PdfReader(io.BytesIO(_PDF[languages]))


def _page_languages(reader):
    """{page index: the /Lang of the top-level structure elements drawn on it}."""
    pages = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
    document = reader.trailer["/Root"]["/StructTreeRoot"]["/K"]
    document = document[0].get_object() if isinstance(document, list) else document.get_object()
    found = {}
    for kid in document["/K"]:
        element = kid.get_object()
        page = element.get("/Pg")
        if page is None:
            continue
        found.setdefault(pages[page.idnum], set()).add(element.get("/Lang"))
    return found


def _lowest_text(page):
    """How far down the page the body text reaches, as a share of the page's height (0 top,
    1 bottom); the running footer (version, "Page X of Y") in the bottom margin is left out."""
    height = float(page.mediabox.height)
    lowest = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            lowest.append((height - (tm[5] * cm[3] + cm[5])) / height)

    page.extract_text(visitor_text=visit)
    return max((y for y in lowest if y < FOOTER), default=0)


# The bottom margin is 22 mm of 297: the footer's text sits below 93 % of the height.
FOOTER = 0.93
# A page whose text stops above 40 % of its height is "mostly blank".
MOSTLY_BLANK = 0.4


def test_each_language_part_is_tagged_with_its_language():
    languages = _page_languages(pdf(("fr", "nl")))
    french = [page for page, found in languages.items() if found == {"fr"}]
    dutch = [page for page, found in languages.items() if found == {"nl"}]
    assert french and dutch
    # Every page is one language's, French first, then Dutch to the end.
    assert sorted(french + dutch) == sorted(languages)
    assert max(french) < min(dutch)
    reader = pdf(("fr", "nl"))
    assert any(
        "Verwerkingsverantwoordelijke" in reader.pages[page].extract_text() for page in dutch
    )
    assert not any(
        "Verwerkingsverantwoordelijke" in reader.pages[page].extract_text() for page in french
    )


def test_a_one_language_pdf_keeps_its_language_in_the_catalogue_only():
    reader = pdf(("nl",))
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    assert set().union(*_page_languages(reader).values()) == {None}


@pytest.mark.parametrize("languages", [("fr",), ("nl",), ("fr", "nl")])
def test_no_page_is_left_mostly_blank(languages):
    """The cover and the contents end where they end; every other page but the last of each
    part is filled down to at least 40 % of its height (a diagram too tall for the rest of a
    page once pushed everything after a nearly empty page)."""
    reader = pdf(languages)
    texts = [page.extract_text() for page in reader.pages]
    # The last page of each part: the page before the next part's cover, and the last page.
    covers = [index for index, text in enumerate(texts) if index == 0 or _is_cover(text)]
    ends = {index - 1 for index in covers if index} | {len(texts) - 1}
    contents = {index + 1 for index in covers}
    for index, page in enumerate(reader.pages):
        if index in covers or index in contents or index in ends:
            continue
        assert _lowest_text(page) >= MOSTLY_BLANK, f"page {index + 1} is mostly blank"


def _is_cover(text):
    return text.lstrip().startswith(("AIM", "IMA"))
