"""What changed between two published versions of a notice, in plain words and word by word.

Both functions are pure: they compare two snapshots (see notices.services.notice_snapshot_build)
and never read the database, so a comparison stays what it was when the versions were frozen.

- `registry_changes(old, new, language=...)` lists the changes of the registry data (activities,
  sources, recipients, retention periods, transfers, contacts...) as sentences in one language.
- `text_diff_html(old_sections, new_sections, language=...)` compares the editorial text section
  by section, word by word, as escaped HTML with <del> and <ins> runs that a screen reader
  announces (the label is in a visually hidden span: colour is not the only cue).
"""

import difflib
import re
from collections import defaultdict

from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

__all__ = ["changed_word_counts", "registry_changes", "text_diff_html"]


# ---------------------------------------------------------------------------------------------
# Registry changes
# ---------------------------------------------------------------------------------------------


def _text(value, language):
    """One language of a {"fr", "nl"} text (or of a {code, fr, nl} label), the other as fallback."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    other = "nl" if language == "fr" else "fr"
    return value.get(language) or value.get(other) or value.get("code") or ""


def _same_text(old, new, language):
    return (_text(old, language) or "").strip() == (_text(new, language) or "").strip()


def _code(label):
    return label.get("code") if isinstance(label, dict) else label


class _Registry:
    """Read access to one registry snapshot, tolerant of missing keys."""

    def __init__(self, data):
        self.data = data or {}
        self.organisations = self.data.get("organisations") or {}
        self.activities = {
            act["slug"]: act for act in self.data.get("activities") or [] if act.get("slug")
        }
        self.order = [act["slug"] for act in self.data.get("activities") or [] if act.get("slug")]

    def org_name(self, slug, language):
        org = self.organisations.get(slug)
        if not org:
            return slug or ""
        name = _text(org.get("name"), language).strip()
        short = _text(org.get("short_name"), language).strip()
        if not name:
            return short or slug
        if short and short.casefold() not in name.casefold():
            return f"{name} ({short})"
        return name

    def items(self, kind):
        """Every item of one kind used by some activity, by key, in order of first use."""
        found = {}
        for slug in self.order:
            for item in self.activities[slug].get(kind) or []:
                key = _key(item)
                found.setdefault(key, item)
        return found


def _key(item):
    return item if isinstance(item, str) else item.get("slug")


def _keys(activity, kind):
    return [_key(item) for item in activity.get(kind) or []]


class _Messages:
    def __init__(self):
        self.lines = []

    def add(self, message):
        message = str(message)
        if message not in self.lines:
            self.lines.append(message)


# Messages for the collections, each a function so that gettext runs in the right language.
# "notice": the item is new to (or gone from) the whole notice, reported once;
# "activity": the item was already in the notice and is now used (no longer used) by one activity.
def _collection_messages():
    return {
        "legal_bases": {
            "added": lambda a, x: (
                _("Legal basis added to “%(activity)s”: %(item)s") % {"activity": a, "item": x}
            ),
            "removed": lambda a, x: (
                _("Legal basis removed from “%(activity)s”: %(item)s") % {"activity": a, "item": x}
            ),
        },
        "data_categories": {
            "added": lambda a, x: (
                _("Data category added to “%(activity)s”: %(item)s") % {"activity": a, "item": x}
            ),
            "removed": lambda a, x: (
                _("Data category removed from “%(activity)s”: %(item)s")
                % {"activity": a, "item": x}
            ),
        },
        "subject_categories": {
            "added": lambda a, x: (
                _("Category of persons added to “%(activity)s”: %(item)s")
                % {"activity": a, "item": x}
            ),
            "removed": lambda a, x: (
                _("Category of persons removed from “%(activity)s”: %(item)s")
                % {"activity": a, "item": x}
            ),
        },
        "sources": {
            "new": lambda x: _("New source: %(item)s") % {"item": x},
            "gone": lambda x: _("Source no longer used: %(item)s") % {"item": x},
            "added": lambda a, x: (
                _("Source added to “%(activity)s”: %(item)s") % {"activity": a, "item": x}
            ),
            "removed": lambda a, x: (
                _("Source removed from “%(activity)s”: %(item)s") % {"activity": a, "item": x}
            ),
        },
        "recipients": {
            "new": lambda x: _("Recipient added: %(item)s") % {"item": x},
            "gone": lambda x: _("Recipient removed: %(item)s") % {"item": x},
            "added": lambda a, x: (
                _("Recipient added to “%(activity)s”: %(item)s") % {"activity": a, "item": x}
            ),
            "removed": lambda a, x: (
                _("Recipient removed from “%(activity)s”: %(item)s") % {"activity": a, "item": x}
            ),
        },
        "processors": {
            "new": lambda x: _("New processor: %(item)s") % {"item": x},
            "gone": lambda x: _("Processor removed: %(item)s") % {"item": x},
            "added": lambda a, x: (
                _("Processor added to “%(activity)s”: %(item)s") % {"activity": a, "item": x}
            ),
            "removed": lambda a, x: (
                _("Processor removed from “%(activity)s”: %(item)s") % {"activity": a, "item": x}
            ),
        },
        "retention": {
            "new": lambda x: _("New retention period: %(item)s") % {"item": x},
            "gone": lambda x: _("Retention period removed: %(item)s") % {"item": x},
            "added": lambda a, x: (
                _("Retention period added to “%(activity)s”: %(item)s") % {"activity": a, "item": x}
            ),
            "removed": lambda a, x: (
                _("Retention period removed from “%(activity)s”: %(item)s")
                % {"activity": a, "item": x}
            ),
        },
    }


# Collections whose items are reported once for the whole notice when they appear or disappear.
_NOTICE_WIDE = ("sources", "recipients", "processors", "retention")
# Collections of organisation slugs (the other collections hold dicts with a slug and a name).
_ORGANISATION_KINDS = ("sources", "processors")
_VOCABULARY_KINDS = ("legal_bases", "data_categories", "subject_categories", "recipients")


def registry_changes(old: dict, new: dict, *, language: str) -> list[str]:
    """The changes from the registry snapshot `old` to `new`, as sentences in `language`.

    Ordered (contacts, activities, notice-wide items, organisations) and without repetition.
    """
    with translation.override(language):
        return _registry_changes(_Registry(old), _Registry(new), language)


def _registry_changes(old, new, language):
    out = _Messages()
    _contacts(old, new, language, out)
    collection_messages = _collection_messages()

    def item_name(registry, kind, item):
        if kind in _ORGANISATION_KINDS:
            return registry.org_name(item, language)
        name = _text(item.get("name"), language)
        if kind == "retention":
            duration = _text(item.get("display"), language)
            if duration:
                return _("%(rule)s (%(duration)s)") % {"rule": name, "duration": duration}
        return name

    old_items = {kind: old.items(kind) for kind in collection_messages}
    new_items = {kind: new.items(kind) for kind in collection_messages}

    # Activities: added, removed, renamed, then what changed in each.
    for slug in new.order:
        act = new.activities[slug]
        name = _text(act.get("name"), language)
        previous = old.activities.get(slug)
        if previous is None:
            out.add(_("New processing activity: %(activity)s") % {"activity": name})
            _switches({}, act, name, out)
            _transfers(old, new, {}, act, name, language, out)
            continue
        if not _same_text(previous.get("name"), act.get("name"), language):
            out.add(
                _("The processing activity “%(old)s” is now called “%(new)s”")
                % {"old": _text(previous.get("name"), language), "new": name}
            )
        if not _same_text(previous.get("purposes"), act.get("purposes"), language):
            out.add(_("The purposes of “%(activity)s” changed") % {"activity": name})
        _activity_roles(old, new, previous, act, name, language, out)
        for kind, messages in collection_messages.items():
            before, after = _keys(previous, kind), _keys(act, kind)
            for key in after:
                if key in before:
                    continue
                if kind in _NOTICE_WIDE and key not in old_items[kind]:
                    continue  # new to the notice: reported once below
                item = new_items[kind][key]
                out.add(messages["added"](name, item_name(new, kind, item)))
            for key in before:
                if key in after:
                    continue
                if kind in _NOTICE_WIDE and key not in new_items[kind]:
                    continue  # gone from the notice: reported once below
                item = old_items[kind][key]
                out.add(messages["removed"](name, item_name(old, kind, item)))
        _transfers(old, new, previous, act, name, language, out)
        _switches(previous, act, name, out)
    for slug in old.order:
        if slug not in new.activities:
            out.add(
                _("Processing activity removed: %(activity)s")
                % {"activity": _text(old.activities[slug].get("name"), language)}
            )

    # Items new to the notice or gone from it, once each.
    for kind in _NOTICE_WIDE:
        messages = collection_messages[kind]
        for key, item in new_items[kind].items():
            if key not in old_items[kind]:
                out.add(messages["new"](item_name(new, kind, item)))
        for key, item in old_items[kind].items():
            if key not in new_items[kind]:
                out.add(messages["gone"](item_name(old, kind, item)))

    # Shared vocabulary that changed in place.
    for kind in _VOCABULARY_KINDS:
        for key, item in new_items[kind].items():
            before = old_items[kind].get(key)
            if before is None:
                continue
            if not _same_text(before.get("name"), item.get("name"), language):
                out.add(
                    _("“%(old)s” is now called “%(new)s”")
                    % {
                        "old": _text(before.get("name"), language),
                        "new": _text(item.get("name"), language),
                    }
                )
            if kind == "legal_bases" and (
                _code(before.get("article_6")) != _code(item.get("article_6"))
                or _code(before.get("article_9")) != _code(item.get("article_9"))
                or any(
                    not _same_text(before.get(field), item.get(field), language)
                    for field in ("description", "national_law", "national_law_articles")
                )
            ):
                out.add(
                    _("The legal basis “%(basis)s” changed")
                    % {"basis": _text(item.get("name"), language)}
                )
            if kind == "recipients" and not _same_text(
                before.get("condition"), item.get("condition"), language
            ):
                out.add(
                    _("The conditions for disclosing data to “%(recipient)s” changed")
                    % {"recipient": _text(item.get("name"), language)}
                )
    for key, rule in new_items["retention"].items():
        before = old_items["retention"].get(key)
        if before is None:
            continue
        rule_name = _text(rule.get("name"), language)
        if not _same_text(before.get("name"), rule.get("name"), language):
            out.add(
                _("“%(old)s” is now called “%(new)s”")
                % {"old": _text(before.get("name"), language), "new": rule_name}
            )
        old_display = _text(before.get("display"), language)
        new_display = _text(rule.get("display"), language)
        if (
            old_display != new_display
            or before.get("duration") != rule.get("duration")
            or _code(before.get("unit")) != _code(rule.get("unit"))
            or bool(before.get("fixed_by_deliberation")) != bool(rule.get("fixed_by_deliberation"))
        ):
            out.add(
                _("Retention of “%(rule)s” changed from %(old)s to %(new)s")
                % {"rule": rule_name, "old": old_display, "new": new_display}
            )
        if not _same_text(before.get("starts_at"), rule.get("starts_at"), language):
            out.add(
                _("The retention period “%(rule)s” now starts at: %(start)s")
                % {"rule": rule_name, "start": _text(rule.get("starts_at"), language)}
            )

    _organisations(old, new, language, out)
    return out.lines


def _contacts(old, new, language, out):
    """The controller (AIM) and its data protection officer."""
    old_slug, new_slug = old.data.get("controller"), new.data.get("controller")
    if old_slug != new_slug:
        if new_slug:
            out.add(_("The controller is now %(org)s") % {"org": new.org_name(new_slug, language)})
    elif new_slug:
        before = old.organisations.get(old_slug) or {}
        after = new.organisations.get(new_slug) or {}
        if not _same_text(before.get("name"), after.get("name"), language):
            out.add(
                _("The controller's name changed from %(old)s to %(new)s")
                % {
                    "old": _text(before.get("name"), language),
                    "new": _text(after.get("name"), language),
                }
            )
        if (before.get("email") or "") != (after.get("email") or ""):
            out.add(
                _("The controller's e-mail address changed from %(old)s to %(new)s")
                % {"old": before.get("email") or "—", "new": after.get("email") or "—"}
            )
        if not _same_text(before.get("address"), after.get("address"), language):
            out.add(_("The controller's postal address changed"))
        if not _same_text(before.get("website"), after.get("website"), language):
            out.add(_("The controller's website changed"))

    old_dpo, new_dpo = old.data.get("dpo"), new.data.get("dpo")
    if old_dpo and not new_dpo:
        out.add(_("The contact details of the data protection officer were removed"))
    elif new_dpo:
        old_dpo = old_dpo or {}
        if (old_dpo.get("name") or "") != (new_dpo.get("name") or ""):
            out.add(
                _("The data protection officer is now %(name)s") % {"name": new_dpo.get("name")}
            )
        if (old_dpo.get("email") or "") != (new_dpo.get("email") or ""):
            out.add(
                _("The data protection officer's e-mail address changed from %(old)s to %(new)s")
                % {"old": old_dpo.get("email") or "—", "new": new_dpo.get("email") or "—"}
            )
        if (old_dpo.get("phone") or "") != (new_dpo.get("phone") or ""):
            out.add(
                _("The data protection officer's phone number changed from %(old)s to %(new)s")
                % {"old": old_dpo.get("phone") or "—", "new": new_dpo.get("phone") or "—"}
            )
        if not _same_text(old_dpo.get("postal_address"), new_dpo.get("postal_address"), language):
            out.add(_("The data protection officer's postal address changed"))


def _activity_roles(old, new, before, after, name, language, out):
    """Who is responsible for an activity and who answers requests about it."""
    if before.get("controller") != after.get("controller") and after.get("controller"):
        out.add(
            _("The controller of “%(activity)s” is now %(org)s")
            % {"activity": name, "org": new.org_name(after["controller"], language)}
        )
    if _code(before.get("aim_role")) != _code(after.get("aim_role")) and after.get("aim_role"):
        out.add(
            _("The role of the Agency in “%(activity)s” changed from %(old)s to %(new)s")
            % {
                "activity": name,
                "old": _text(before.get("aim_role"), language) or "—",
                "new": _text(after.get("aim_role"), language),
            }
        )
    if _code(before.get("rights_handled_by")) != _code(after.get("rights_handled_by")) or (
        before.get("rights_organisation") != after.get("rights_organisation")
    ):
        answered_by = _text(after.get("rights_handled_by"), language)
        if after.get("rights_organisation"):
            answered_by = _("%(who)s: %(org)s") % {
                "who": answered_by,
                "org": new.org_name(after["rights_organisation"], language),
            }
        out.add(
            _("Who answers your requests about “%(activity)s” changed: %(who)s")
            % {"activity": name, "who": answered_by}
        )
    if _code(before.get("pseudonymisation")) != _code(after.get("pseudonymisation")):
        out.add(
            _("How the data of “%(activity)s” identify people changed from %(old)s to %(new)s")
            % {
                "activity": name,
                "old": _text(before.get("pseudonymisation"), language) or "—",
                "new": _text(after.get("pseudonymisation"), language) or "—",
            }
        )


def _switches(before, after, name, out):
    """Profiling and automated decisions, switched on or off."""
    if bool(before.get("profiling")) != bool(after.get("profiling")):
        if after.get("profiling"):
            out.add(_("“%(activity)s” now involves profiling") % {"activity": name})
        else:
            out.add(_("“%(activity)s” no longer involves profiling") % {"activity": name})
    if bool(before.get("automated_decisions")) != bool(after.get("automated_decisions")):
        if after.get("automated_decisions"):
            out.add(
                _("“%(activity)s” now involves automated individual decisions") % {"activity": name}
            )
        else:
            out.add(
                _("“%(activity)s” no longer involves automated individual decisions")
                % {"activity": name}
            )


def _transfer_key(transfer):
    country = transfer.get("country")
    destination = "*" if transfer.get("any_country") else _code(country)
    return (destination, transfer.get("recipient"))


def _destination(registry, transfer, language):
    if transfer.get("any_country"):
        place = _("any country, decided case by case")
    else:
        place = _text(transfer.get("country"), language)
    if transfer.get("recipient"):
        return _("%(country)s (%(organisation)s)") % {
            "country": place,
            "organisation": registry.org_name(transfer["recipient"], language),
        }
    return place


def _transfers(old, new, before, after, name, language, out):
    previous = {_transfer_key(t): t for t in before.get("transfers") or []}
    current = {_transfer_key(t): t for t in after.get("transfers") or []}
    for key, transfer in current.items():
        if key not in previous:
            out.add(
                _("New transfer outside the European Economic Area for “%(activity)s”: %(to)s")
                % {"activity": name, "to": _destination(new, transfer, language)}
            )
        elif _code(previous[key].get("safeguard")) != _code(transfer.get("safeguard")):
            out.add(
                _(
                    "The safeguard for the transfer to %(to)s (“%(activity)s”) changed "
                    "from %(old)s to %(new)s"
                )
                % {
                    "to": _destination(new, transfer, language),
                    "activity": name,
                    "old": _text(previous[key].get("safeguard"), language) or _("none"),
                    "new": _text(transfer.get("safeguard"), language) or _("none"),
                }
            )
    for key, transfer in previous.items():
        if key not in current:
            out.add(
                _("Transfer outside the European Economic Area ended for “%(activity)s”: %(to)s")
                % {"activity": name, "to": _destination(old, transfer, language)}
            )


def _rights_channels(org, language):
    rights = org.get("rights") or {}
    return (
        _text(rights.get("web_form"), language).strip(),
        (rights.get("email") or "").strip(),
        _text(rights.get("postal_address"), language).strip(),
        (rights.get("phone") or "").strip(),
        _text(org.get("contact_directory_url"), language).strip(),
    )


def _contact_details(org, language):
    return (
        *_rights_channels(org, language),
        (org.get("email") or "").strip(),
        _text(org.get("address"), language).strip(),
        _text(org.get("website"), language).strip(),
    )


def _organisations(old, new, language, out):
    """Organisations renamed, their contact details or rights channels changed; insurers."""
    controller = new.data.get("controller")
    insurers = set(new.data.get("insurers") or [])
    for slug, org in new.organisations.items():
        before = old.organisations.get(slug)
        if before is None:
            continue
        if slug != controller and not _same_text(before.get("name"), org.get("name"), language):
            out.add(
                _("%(old)s is now called %(new)s")
                % {"old": old.org_name(slug, language), "new": new.org_name(slug, language)}
            )
        if slug in insurers or org.get("kind") == "insurer":
            if _contact_details(before, language) != _contact_details(org, language):
                out.add(
                    _("The contact details of %(org)s changed")
                    % {"org": new.org_name(slug, language)}
                )
        elif _rights_channels(before, language) != _rights_channels(org, language):
            out.add(
                _("How to exercise your rights with %(org)s changed")
                % {"org": new.org_name(slug, language)}
            )
    old_insurers = old.data.get("insurers") or []
    for slug in new.data.get("insurers") or []:
        if slug not in old_insurers:
            out.add(_("New health insurance fund: %(org)s") % {"org": new.org_name(slug, language)})
    for slug in old_insurers:
        if slug not in insurers:
            out.add(
                _("Health insurance fund no longer listed: %(org)s")
                % {"org": old.org_name(slug, language)}
            )


# ---------------------------------------------------------------------------------------------
# Word-by-word text diff
# ---------------------------------------------------------------------------------------------

TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
WORD = re.compile(r"\w+")


def _tokens(text):
    return TOKEN.findall((text or "").replace("\r\n", "\n").replace("\r", "\n"))


def _runs(old_text, new_text):
    """[(op, text)] with op "equal", "delete" or "insert", whitespace between changes folded in.

    A change such as "a b" → "x y" would otherwise come out as a/x, space kept, b/y: two
    changes where a reader sees one. Equal runs of plain spaces (no paragraph break) between two
    changes are folded into both the deletion and the insertion.
    """
    a, b = _tokens(old_text), _tokens(new_text)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    token_chunks = [["equal", [], []]]  # every change between two (maybe empty) equal chunks
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            if token_chunks[-1][0] == "equal":
                token_chunks[-1][1].extend(a[i1:i2])
                token_chunks[-1][2].extend(a[i1:i2])
            else:
                token_chunks.append(["equal", a[i1:i2], a[i1:i2]])
        else:
            if token_chunks[-1][0] != "equal":
                token_chunks.append(["equal", [], []])
            token_chunks.append(["change", a[i1:i2], b[j1:j2]])
    if token_chunks[-1][0] != "equal":
        token_chunks.append(["equal", [], []])
    _slide(token_chunks)
    chunks = [  # [kind, deleted, inserted] with kind "equal" or "change"
        [kind, "".join(deleted), "".join(inserted)]
        for kind, deleted, inserted in token_chunks
        if deleted or inserted
    ]
    merged = []
    for index, chunk in enumerate(chunks):
        is_gap = (
            chunk[0] == "equal"
            and chunk[1].isspace()
            and not PARAGRAPH_BREAK.search(chunk[1])
            and 0 < index < len(chunks) - 1
            and chunks[index + 1][0] == "change"
            and merged
            and merged[-1][0] == "change"
        )
        if is_gap or (chunk[0] == "change" and merged and merged[-1][0] == "change"):
            merged[-1][1] += chunk[1]
            merged[-1][2] += chunk[2]
        else:
            merged.append(list(chunk))
    runs = []
    for kind, deleted, inserted in merged:
        if kind == "equal":
            runs.append(("equal", deleted))
            continue
        if deleted:
            runs.append(("delete", deleted))
        if inserted:
            runs.append(("insert", inserted))
    return runs


def _boundary_score(before, run, after):
    """How well a run of deleted or inserted tokens sits on word and paragraph boundaries."""
    score = 0
    if not before or before[-1].isspace():
        score += 1  # starts at the start of the text or after a space
    if not run[0].isspace():
        score += 1  # starts with a word or a sign, not with spacing
    if run[-1].isspace() or not after or after[0].isspace():
        score += 1  # ends at a space
    if PARAGRAPH_BREAK.search(run[-1]) or not after:
        score += 1  # a whole paragraph
    return score


def _slide(chunks):
    """Move each pure deletion or insertion to the equivalent place that reads best.

    "Un.¶Deux.¶Trois." → "Un.¶Trois." can be aligned as "Un[.¶Deux].¶Trois." or as
    "Un.¶[Deux.¶]Trois.": the same edit, but only the second deletes a paragraph.
    `chunks` alternates equal and change chunks, starting and ending with an equal one.
    """
    for index in range(1, len(chunks) - 1, 2):
        _, deleted, inserted = chunks[index]
        if bool(deleted) == bool(inserted):
            continue  # a replacement (or nothing): its place is fixed
        side = 1 if deleted else 2
        before, run = list(chunks[index - 1][1]), list(chunks[index][side])
        after = list(chunks[index + 1][1])
        while before and before[-1] == run[-1]:
            token = before.pop()
            after.insert(0, run.pop())
            run.insert(0, token)
        best = (_boundary_score(before, run, after), list(before), list(run), list(after))
        while after and run[0] == after[0]:
            before.append(run.pop(0))
            run.append(after.pop(0))
            score = _boundary_score(before, run, after)
            if score > best[0]:
                best = (score, list(before), list(run), list(after))
        _, before, run, after = best
        chunks[index - 1][1:] = [before, before]
        chunks[index][side] = run
        chunks[index + 1][1:] = [after, after]


def _wrap(op, html, labels):
    if op == "equal" or not html.strip():
        return html
    tag = "del" if op == "delete" else "ins"
    return (
        f'<{tag}><span class="visually-hidden">[{escape(labels[op])}: </span>{html}'
        f'<span class="visually-hidden">]</span></{tag}>'
    )


def _inline_html(text, op, labels):
    """One run inside a paragraph: escaped, line breaks kept, marked when deleted or inserted."""
    if op == "delete" and text.isspace():
        return ""  # deleted spacing: nothing to read, and nothing to announce
    if op == "insert" and text.isspace():
        return escape(text.replace("\n", " "))
    lines = text.split("\n")
    html = "<br>".join(_wrap(op, escape(line), labels) for line in lines)
    return html


def _paragraphs_html(runs, labels):
    """The runs as paragraphs: a blank line (in any run) starts a new paragraph."""
    paragraphs = [[]]
    for op, text in runs:
        pieces = PARAGRAPH_BREAK.split(text)
        for index, piece in enumerate(pieces):
            if index:
                # Also for a deleted or inserted break: a removed or added paragraph stays one.
                paragraphs.append([])
            if piece:
                paragraphs[-1].append(_inline_html(piece, op, labels))
    html = []
    for parts in paragraphs:
        content = "".join(parts).strip()
        if content:
            html.append(f"<p>{content}</p>")
    return "".join(html)


def _labels():
    return {
        "delete": pgettext("screen reader label in a comparison of two texts", "deleted"),
        "insert": pgettext("screen reader label in a comparison of two texts", "inserted"),
    }


def word_diff_html(old_text, new_text, *, language, paragraphs=True):
    """Escaped HTML of `new_text` with the words removed from `old_text` and those added marked."""
    with translation.override(language):
        labels = _labels()
        runs = _runs(old_text, new_text)
        if paragraphs:
            html = _paragraphs_html(runs, labels)
        else:
            html = "".join(_inline_html(text.replace("\n", " "), op, labels) for op, text in runs)
    return mark_safe(html)  # noqa: S308 - every text run is escaped above


def changed_word_counts(old_text: str, new_text: str) -> dict:
    """How many words were deleted and inserted from `old_text` to `new_text`."""
    counts = {"deleted": 0, "inserted": 0}
    for op, text in _runs(old_text, new_text):
        if op == "delete":
            counts["deleted"] += len(WORD.findall(text))
        elif op == "insert":
            counts["inserted"] += len(WORD.findall(text))
    return counts


def _plain_title(text):
    return mark_safe(escape(text or ""))  # noqa: S308 - escaped


def text_diff_html(old_sections: list, new_sections: list, *, language: str) -> list[dict]:
    """The sections of the new version (and those removed), each compared word by word.

    Sections are paired by their anchor. Each item: {"anchor", "status" ("added", "removed",
    "changed" or "unchanged"), "title_html", "body_html" (paragraphs, "" when unchanged),
    "registry_block", "registry_block_changed", "deleted_words", "inserted_words"}. Removed
    sections come right after the section that preceded them in the old version.
    """
    old_by_anchor = {section.get("anchor"): section for section in old_sections or []}
    new_by_anchor = {section.get("anchor"): section for section in new_sections or []}

    removed_after = defaultdict(list)  # anchor of the preceding kept section (None: at the top)
    preceding = None
    for section in old_sections or []:
        if section.get("anchor") in new_by_anchor:
            preceding = section.get("anchor")
        else:
            removed_after[preceding].append(section)

    result = [_compare(section, None, language) for section in removed_after[None]]
    for section in new_sections or []:
        result.append(_compare(old_by_anchor.get(section.get("anchor")), section, language))
        result.extend(
            _compare(removed, None, language) for removed in removed_after[section.get("anchor")]
        )
    return result


def _part(section, field, language):
    if not section:
        return ""
    value = section.get(field) or {}
    text = value if isinstance(value, str) else value.get(language) or ""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _compare(old, new, language):
    section = new or old
    old_title, new_title = _part(old, "title", language), _part(new, "title", language)
    old_body, new_body = _part(old, "body", language), _part(new, "body", language)
    old_block = (old or {}).get("registry_block") or ""
    new_block = (new or {}).get("registry_block") or ""
    if old is None:
        status = "added"
    elif new is None:
        status = "removed"
    elif old_title == new_title and old_body.strip() == new_body.strip() and old_block == new_block:
        status = "unchanged"
    else:
        status = "changed"
    item = {
        "anchor": section.get("anchor"),
        "status": status,
        "registry_block": new_block if new is not None else old_block,
        "registry_block_changed": old is not None and new is not None and old_block != new_block,
    }
    if status == "unchanged":
        item.update(
            title_html=_plain_title(new_title),
            body_html=mark_safe(""),
            deleted_words=0,
            inserted_words=0,
        )
        return item
    counts = {"deleted": 0, "inserted": 0}
    for before, after in ((old_title, new_title), (old_body, new_body)):
        for key, value in changed_word_counts(before, after).items():
            counts[key] += value
    item.update(
        title_html=word_diff_html(old_title, new_title, language=language, paragraphs=False),
        body_html=word_diff_html(old_body, new_body, language=language),
        deleted_words=counts["deleted"],
        inserted_words=counts["inserted"],
    )
    return item
