"""A notice version as a printable PDF: per language a cover, contents with page numbers, the text.

A published version prints from its snapshot (texts, registry data and rendered HTML frozen at
publication), so its PDF shows exactly what was published. A draft prints live, from its
sections and the registry as it is now, with a "DRAFT" watermark on every page.

Both languages make one document: French, then Dutch inside an element with lang="nl", each
with its own cover and contents. Hyphenation follows each part's lang attribute.

Per-language texts of the page margins (running title, "Page X of Y", version, the watermark)
cannot come from gettext inside CSS: they are translated here and written, CSS-escaped, into a
<style> element of the document. A PDF is never served as HTML to a browser, so the site's
Content-Security-Policy does not concern that element; the rest is in static/css/pdf.css.
"""

import datetime
import re
from urllib.parse import quote

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from aim_privacy.pdf import render_pdf
from notices.models import NoticeVersion
from notices.registry_data import registry_data
from notices.rendering import render_document, section_parts

LANGUAGES = ("fr", "nl")

# Attributes holding ids or references to ids in the rendered notice: in a document with both
# languages every id is prefixed with the part's language, so that anchors stay unique.
_ID_ATTRIBUTES = re.compile(r'(\s)(id|aria-labelledby|aria-describedby|href)="([^"]*)"')
_PAGE_PLACEHOLDERS = re.compile(r"(%\(page\)s|%\(pages\)s)")


def _languages(languages) -> tuple[str, ...]:
    """The asked languages in document order (French first), each once; unknown ones refused."""
    unknown = set(languages) - set(LANGUAGES)
    if unknown or not languages:
        raise ValueError(f"languages must be among {LANGUAGES}, got {languages!r}")
    return tuple(code for code in LANGUAGES if code in languages)


def _prefix_ids(html: str, prefix: str) -> str:
    def replace(match):
        space, name, value = match.groups()
        if name == "href":
            if not value.startswith("#"):
                return match.group(0)
            value = f"#{prefix}{value[1:]}"
        else:
            value = " ".join(f"{prefix}{token}" for token in value.split())
        return f'{space}{name}="{value}"'

    return _ID_ATTRIBUTES.sub(replace, html)


def css_string(text: str) -> str:
    """A quoted CSS string of any text: everything but letters, digits and spaces is escaped,
    so that no admin-entered title can close the string or the <style> element."""
    escaped = "".join(
        char if char.isalnum() or char == " " else f"\\{ord(char):x} " for char in text
    )
    return f'"{escaped}"'


def _page_of_pages_css() -> str:
    """CSS `content` for "Page X of Y" in the active language, counters where the numbers go."""
    # Translators: footer of every page of the PDF; keep both placeholders.
    wording = gettext("Page %(page)s of %(pages)s")
    pieces = []
    for piece in _PAGE_PLACEHOLDERS.split(wording):
        if piece == "%(page)s":
            pieces.append("counter(page)")
        elif piece == "%(pages)s":
            pieces.append("counter(pages)")
        elif piece:
            pieces.append(css_string(piece))
    return " ".join(pieces)


def _watermark_url(word: str) -> str:
    """A data: URL of an A4-sized SVG with the word across the page, light and diagonal."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" '
        'viewBox="0 0 210 297"><text x="105" y="160" text-anchor="middle" '
        'transform="rotate(-55 105 148.5)" font-family="Liberation Sans, DejaVu Sans, Arial, '
        'sans-serif" font-weight="bold" font-size="34" letter-spacing="2" fill="#b00020" '
        f'fill-opacity="0.13">{escape(word)}</text></svg>'
    )
    return "data:image/svg+xml," + quote(svg, safe="")


def _page_css(*, language: str, title: str, version_label: str, draft: bool) -> str:
    """@page rules of one language part: named pages `<lang>` (text) and `<lang>-cover`."""
    footer = (
        f"@bottom-left {{ content: {css_string(version_label)} }} "
        f"@bottom-right {{ content: {_page_of_pages_css()} }}"
    )
    background = (
        f' background: url("{_watermark_url(gettext("Draft").upper())}") no-repeat center / '
        "100% 100%;"
        if draft
        else ""
    )
    return (
        f"@page {language} {{{background} @top-left {{ content: {css_string(title)} }} "
        f"{footer} }}\n"
        f"@page {language}-cover {{{background} {footer} }}\n"
    )


def _content(version: NoticeVersion, language: str, *, registry, sections) -> dict:
    """Title, section list and rendered body of one language: snapshot, or live for a draft."""
    if version.is_published:
        snapshot = version.snapshot
        title = snapshot["notice"]["title"][language]
        body = snapshot["html"][language]
    else:
        title = getattr(version.notice, f"title_{language}") or ""
        body = render_document(sections=sections, registry=registry, language=language)
    prefix = f"{language}-"
    return {
        "title": title,
        "toc": [
            {"anchor": f"{prefix}{part['anchor']}", "title": part["title"][language]}
            for part in sections
        ],
        "body": mark_safe(_prefix_ids(body, prefix)),  # noqa: S308 - our own rendered notice
        "prefix": prefix,
    }


def _document_title(title: str, number: int, languages, draft: bool) -> str:
    label = gettext("version %(number)s") % {"number": number}
    text = f"{title} \u2013 {label} ({'/'.join(languages)})"
    return f"{text} \u2013 {gettext('Draft')}" if draft else text


def notice_pdf_html(
    *, version: NoticeVersion, languages: tuple[str, ...], draft_watermark: bool
) -> str:
    """The complete HTML document of the print design, in the asked languages (FR then NL)."""
    return _document(version, _languages(languages), draft_watermark)[0]


def _document(version, languages, draft_watermark) -> tuple[str, str]:
    """(HTML document, its title)."""
    if version.is_published:
        snapshot = version.snapshot
        registry = snapshot["registry"]
        sections = snapshot["sections"]
        # None for a historical version whose start was not recorded.
        effective_from = snapshot["effective_from"] and datetime.date.fromisoformat(
            snapshot["effective_from"]
        )
        number = snapshot["version"]
    else:
        registry = registry_data()
        sections = [section_parts(section) for section in version.sections.all()]
        effective_from = None
        number = version.number

    parts = []
    page_css = []
    for language in languages:
        with translation.override(language):
            content = _content(version, language, registry=registry, sections=sections)
            version_label = gettext("Version %(number)s") % {"number": number}
            if not version.is_published:
                version_label = f"{version_label} \u2013 {gettext('Draft')}"
            page_css.append(
                _page_css(
                    language=language,
                    title=content["title"],
                    version_label=version_label,
                    draft=draft_watermark,
                )
            )
            if language == languages[0]:
                document_title = _document_title(
                    content["title"], number, languages, draft=not version.is_published
                )
        parts.append({"language": language, **content})

    html = render_to_string(
        "pdf/notice.html",
        {
            "html_language": languages[0],
            "document_title": document_title,
            "page_css": mark_safe("".join(page_css)),  # noqa: S308 - every text CSS-escaped
            "parts": parts,
            "registry": registry,
            "number": number,
            "effective_from": effective_from,
            "is_published": version.is_published,
            "draft_watermark": draft_watermark,
        },
    )
    return html, document_title


def notice_pdf(*, version: NoticeVersion, languages: tuple[str, ...]) -> bytes:
    """The PDF (PDF/UA-1) of a version; a draft's pages carry a "DRAFT" watermark."""
    languages = _languages(languages)
    html, title = _document(version, languages, draft_watermark=not version.is_published)
    return render_pdf(
        html,
        title=title,
        language="-".join(languages),
        purpose="notice",
        part_languages=languages if len(languages) > 1 else (),
    )
