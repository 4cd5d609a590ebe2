"""Turn a version's sections and the registry data into the HTML a citizen reads.

Editorial text is Markdown limited to what a legal text needs (paragraphs, emphasis, lists,
links, sub-headings), rendered by markdown-it-py with raw HTML off, then sanitised by nh3
(ammonia): whatever an editor types, only the allowed tags and https/mailto links survive.
"""

import nh3
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

from notices.blocks import render_block

ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "h3", "h4", "br", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
URL_SCHEMES = {"https", "mailto"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.disable(["image", "code", "fence", "html_block", "html_inline", "table"], True)


def render_markdown(text):
    """Sanitised HTML of an editor's Markdown; ## and # become sub-headings of the section."""
    text = (text or "").replace("\r\n", "\n")
    html = _markdown.render(text)
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>")
    html = html.replace("<h2>", "<h3>").replace("</h2>", "</h3>")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 output, allow-listed tags only


def section_parts(section):
    """What one section contributes, per language: title, anchor, text and registry block."""
    return {
        "anchor": section.anchor,
        "registry_block": section.registry_block,
        "title": {lang: getattr(section, f"title_{lang}") or "" for lang in ("fr", "nl")},
        "body": {lang: getattr(section, f"body_{lang}") or "" for lang in ("fr", "nl")},
    }


def render_document(*, sections, registry, language):
    """The body of the declaration in one language: one <section> per section, in order."""
    with translation.override(language):
        rendered = [
            {
                "anchor": part["anchor"],
                "title": part["title"][language],
                "body": render_markdown(part["body"][language]),
                "block": (
                    render_block(part["registry_block"], registry, language)
                    if part["registry_block"]
                    else ""
                ),
            }
            for part in sections
        ]
        return render_to_string(
            "notices/includes/document.html", {"sections": rendered, "LANGUAGE_CODE": language}
        )
