"""Template helpers of the registry blocks (templates/notices/blocks/<kind>.html).

They read the registry data of a snapshot (notices.registry_data.registry_data()) and nothing
else: no query, so that a published version renders the same for ever. A text is taken in the
language asked for and never in the other one: Dutch is never a fallback for French, nor French
for Dutch. Where only the other language has a link or an organisation's own contact (a postal
address, a privacy statement, a head office: what it publishes, not text of the notice), the
template says in which language it is and marks it with lang (hreflang on a link).
"""

import hashlib
import re
import textwrap

from django import template
from django.utils.translation import gettext

register = template.Library()

LANGUAGES = ("fr", "nl")


# --- Values --------------------------------------------------------------------------------


@register.filter
def in_lang(value, lang):
    """`{{ value|in_lang:lang }}`: the text of a {"fr": ..., "nl": ...} pair, or "" if missing."""
    if isinstance(value, dict):
        return value.get(lang) or ""
    return ""


@register.filter
def other_lang(lang):
    """`{{ lang|other_lang }}`: "nl" for "fr", "fr" for "nl"."""
    return next((code for code in LANGUAGES if code != lang), "")


@register.filter
def org(registry, slug):
    """`{{ registry|org:slug }}`: the organisation of that slug in the data, or None."""
    if not registry or not slug:
        return None
    return (registry.get("organisations") or {}).get(slug)


@register.simple_tag
def organisation(registry, slug):
    """`{% organisation registry slug as org %}`: same as the `org` filter."""
    return org(registry, slug)


@register.filter
def org_name(organisation, lang):
    """`{{ org|org_name:lang }}`: "Name (Short)", or the name alone when the short name adds
    nothing. A short name that has its own parentheses follows a dash instead."""
    if not organisation:
        return ""
    name = in_lang(organisation.get("name"), lang)
    short = in_lang(organisation.get("short_name"), lang)
    if not name or not short or short in name:
        return name or short
    if "(" in short:
        return f"{name} \u2013 {short}"  # an en dash
    return f"{name} ({short})"


@register.filter
def org_short(organisation, lang):
    """`{{ org|org_short:lang }}`: the short name, or the name when there is none."""
    if not organisation:
        return ""
    return in_lang(organisation.get("short_name"), lang) or in_lang(organisation.get("name"), lang)


@register.filter
def tel_href(phone):
    """`{{ phone|tel_href }}`: a tel: URL ("+32 2 274 48 00" -> "tel:+3222744800")."""
    digits = re.sub(r"[^\d+]", "", phone or "")
    return f"tel:{digits}" if digits else ""


@register.filter
def url_display(url):
    """`{{ url|url_display }}`: a URL as people read it, without scheme or trailing slash."""
    return re.sub(r"^https?://", "", url or "").rstrip("/")


# --- Collections over all activities ------------------------------------------------------


def _activities(registry):
    return (registry or {}).get("activities") or []


@register.simple_tag
def registry_sources(registry):
    """`{% registry_sources registry as sources %}`: the source organisations of every
    activity, each once, in the order they first appear."""
    seen = {}
    for activity in _activities(registry):
        for slug in activity.get("sources", []):
            found = org(registry, slug)
            if found is not None and slug not in seen:
                seen[slug] = found
    return list(seen.values())


@register.simple_tag
def registry_recipients(registry):
    """`{% registry_recipients registry as recipients %}`: every recipient once, by slug."""
    seen = {}
    for activity in _activities(registry):
        for recipient in activity.get("recipients", []):
            seen.setdefault(recipient["slug"], recipient)
    return list(seen.values())


@register.simple_tag
def registry_processors(registry):
    """`{% registry_processors registry as processors %}`: [{organisation, activities}], each
    processor once with the activities it serves."""
    seen = {}
    for activity in _activities(registry):
        for slug in activity.get("processors", []):
            found = org(registry, slug)
            if found is None:
                continue
            entry = seen.setdefault(slug, {"organisation": found, "activities": []})
            entry["activities"].append(activity)
    return list(seen.values())


@register.simple_tag
def registry_retention(registry):
    """`{% registry_retention registry as rules %}`: every retention rule once, by slug."""
    seen = {}
    for activity in _activities(registry):
        for rule in activity.get("retention", []):
            seen.setdefault(rule["slug"], rule)
    return list(seen.values())


@register.simple_tag
def activities_with(registry, field):
    """`{% activities_with registry "transfers" as activities %}`: the activities whose
    `field` is not empty."""
    return [activity for activity in _activities(registry) if activity.get(field)]


@register.simple_tag
def profiling_split(registry):
    """`{% profiling_split registry as split %}`: split.with (activities with profiling or
    automated decisions) and split.without (the others)."""
    split = {"with": [], "without": []}
    for activity in _activities(registry):
        flagged = activity.get("profiling") or activity.get("automated_decisions")
        split["with" if flagged else "without"].append(activity)
    return split


def _handler_code(activity):
    return (activity.get("rights_handled_by") or {}).get("code")


@register.simple_tag
def rights_groups(registry):
    """`{% rights_groups registry as groups %}`: who answers a rights request, and for which
    activities: groups.own_insurer and groups.aim (lists of activities), groups.organisations
    ([{organisation, activities}] for activities answered by another named organisation)."""
    groups = {"own_insurer": [], "aim": [], "organisations": []}
    others = {}
    for activity in _activities(registry):
        code = _handler_code(activity)
        if code in ("own_insurer", "aim"):
            groups[code].append(activity)
        elif code == "organisation":
            found = org(registry, activity.get("rights_organisation"))
            if found is not None:
                entry = others.setdefault(found["slug"], {"organisation": found, "activities": []})
                entry["activities"].append(activity)
    groups["organisations"] = list(others.values())
    return groups


def in_lang_or_other(value, lang):
    """(text, language) of a {"fr": ..., "nl": ...} pair: the text in `lang` with language "",
    else the other language's text with that language named, else ("", "")."""
    own = in_lang(value, lang)
    if own:
        return own, ""
    other = other_lang(lang)
    text = in_lang(value, other)
    return (text, other) if text else ("", "")


@register.simple_tag
def contact_channels(contact, lang):
    """`{% contact_channels contact lang as channels %}`: the ways to reach an organisation's
    rights desk (its "rights" data) or the DPO, those that exist: [{kind, label, text, href,
    language}] with kind web_form, email, postal_address or phone. A web form or postal
    address published only in the other language is given with `language` naming it (the
    template says so and marks it), else `language` is ""."""
    if not contact:
        return []
    # An organisation keeps its rights channels under "rights"; the DPO has them at top level.
    rights = contact.get("rights") or contact
    channels = []
    web_form, language = in_lang_or_other(rights.get("web_form"), lang)
    if web_form:
        channels.append(
            {
                "kind": "web_form",
                "label": gettext("Web form"),
                "text": url_display(web_form),
                "href": web_form,
                "language": language,
            }
        )
    email = rights.get("email") or ""
    if email:
        channels.append(
            {
                "kind": "email",
                "label": gettext("E-mail"),
                "text": email,
                "href": f"mailto:{email}",
                "language": "",
            }
        )
    postal, language = in_lang_or_other(rights.get("postal_address"), lang)
    if postal:
        channels.append(
            {
                "kind": "postal_address",
                "label": gettext("Postal address"),
                "text": postal,
                "href": "",
                "language": language,
            }
        )
    phone = rights.get("phone") or ""
    if phone:
        channels.append(
            {
                "kind": "phone",
                "label": gettext("Phone"),
                "text": phone,
                "href": tel_href(phone),
                "language": "",
            }
        )
    return channels


@register.simple_tag
def insurer_contact(insurer, lang):
    """`{% insurer_contact insurer lang as contact %}`: contact.channels (as contact_channels),
    contact.privacy_statement and contact.head_office ({text, language} or None, in the other
    language when only that one exists), and contact.sourced: whether the snapshot records
    privacy statements at all (those published before it did show their channels only)."""
    if not insurer:
        return None
    statement, statement_language = in_lang_or_other(insurer.get("privacy_statement_url"), lang)
    office, office_language = in_lang_or_other(insurer.get("address"), lang)
    return {
        "channels": contact_channels(insurer, lang),
        "privacy_statement": (
            {"text": url_display(statement), "href": statement, "language": statement_language}
            if statement
            else None
        ),
        "head_office": {"text": office, "language": office_language} if office else None,
        "sourced": "privacy_statement_url" in insurer,
    }


@register.simple_tag
def contact_directory(registry, lang):
    """`{% contact_directory registry lang as directory %}`: the official list of the insurers'
    contacts: {organisation, url, language, is_other_language}, or None when there is none.

    When the list has no address in this language but has one in the other, it is returned
    with is_other_language so that the template says so and marks the link's language."""
    found = org(registry, (registry or {}).get("contact_directory"))
    if found is None:
        return None
    urls = found.get("contact_directory_url") or {}
    for code in (lang, other_lang(lang)):
        if urls.get(code):
            return {
                "organisation": found,
                "url": urls[code],
                "language": code,
                "is_other_language": code != lang,
            }
    return None


# --- Diagram -------------------------------------------------------------------------------

WIDTH = 400
MARGIN = 12
GAP = 8
PADDING = 8
FONT_SIZE = 14
LINE_HEIGHT = 18
# A generous average advance of a sans-serif glyph at FONT_SIZE, so that no line overflows.
CHAR_WIDTH = 7.8
ARROW = 34


def _lines(text, width):
    chars = max(8, int((width - 2 * PADDING) / CHAR_WIDTH))
    return textwrap.wrap(text, chars) or [""]


def _box(x, y, width, text, emphasis=False):
    lines = _lines(text, width)
    first_baseline = y + PADDING + 12
    return {
        "x": x,
        "y": y,
        "width": width,
        "height": len(lines) * LINE_HEIGHT + 2 * PADDING - 4,
        "text_x": x + PADDING,
        "lines": [
            {"y": first_baseline + index * LINE_HEIGHT, "text": line}
            for index, line in enumerate(lines)
        ],
        "emphasis": emphasis,
    }


def _grid(texts, top, columns):
    """Boxes in rows of `columns`; returns (boxes, bottom)."""
    inner = WIDTH - 2 * MARGIN
    width = (inner - (columns - 1) * GAP) // columns
    boxes = []
    y = top
    for start in range(0, len(texts), columns):
        row = [
            _box(MARGIN + index * (width + GAP), y, width, text)
            for index, text in enumerate(texts[start : start + columns])
        ]
        height = max(box["height"] for box in row)
        for box in row:
            # Same height across a row; shorter texts are centred vertically.
            shift = (height - box["height"]) // 2
            box["height"] = height
            for line in box["lines"]:
                line["y"] += shift
        boxes.extend(row)
        y += height + GAP
    return boxes, y - GAP


def _arrow(top):
    center = WIDTH // 2
    bottom = top + ARROW
    return {
        "x": center,
        "y1": top + 4,
        "y2": bottom - 10,
        "points": f"{center - 7},{bottom - 12} {center + 7},{bottom - 12} {center},{bottom - 2}",
    }


@register.simple_tag
def diagram(registry, lang):
    """`{% diagram registry lang as d %}`: the layout of the data-flow diagram, top to bottom:
    the sources (two columns), an arrow, AIM, an arrow, the recipients (one column).

    Coordinates are in the SVG's own units (d.width x d.height, for its viewBox); the page
    scales the drawing, so it needs no style. d.id is stable for the same content and language,
    which keeps a snapshot's HTML reproducible."""
    sources = [org_short(found, lang) for found in registry_sources(registry)]
    recipients = [in_lang(r.get("name"), lang) for r in registry_recipients(registry)]
    controller = org_name(org(registry, (registry or {}).get("controller")), lang)
    headings, frames, boxes, arrows = [], [], [], []
    y = MARGIN
    if sources:
        headings.append({"x": MARGIN, "y": y + FONT_SIZE, "text": gettext("Sources of the data")})
        y += LINE_HEIGHT + 8
        grid, bottom = _grid(sources, y + GAP, columns=2)
        frames.append({"x": MARGIN - 6, "y": y, "width": WIDTH - 2 * MARGIN + 12, "height": 0})
        boxes.extend(grid)
        y = bottom + GAP
        frames[-1]["height"] = y - frames[-1]["y"]
        arrows.append(_arrow(y))
        y += ARROW
    aim_box = _box(MARGIN, y, WIDTH - 2 * MARGIN, controller, emphasis=True)
    boxes.append(aim_box)
    y += aim_box["height"]
    if recipients:
        arrows.append(_arrow(y))
        y += ARROW
        headings.append(
            {"x": MARGIN, "y": y + FONT_SIZE, "text": gettext("Categories of recipients")}
        )
        y += LINE_HEIGHT + 8
        grid, bottom = _grid(recipients, y + GAP, columns=1)
        frames.append({"x": MARGIN - 6, "y": y, "width": WIDTH - 2 * MARGIN + 12, "height": 0})
        boxes.extend(grid)
        y = bottom + GAP
        frames[-1]["height"] = y - frames[-1]["y"]
    digest = hashlib.sha256(
        "\n".join([lang, controller, *sources, "", *recipients]).encode()
    ).hexdigest()[:8]
    return {
        "id": f"registry-diagram-{lang}-{digest}",
        "width": WIDTH,
        "height": y + MARGIN,
        "font_size": FONT_SIZE,
        "headings": headings,
        "frames": frames,
        "boxes": boxes,
        "arrows": arrows,
    }
