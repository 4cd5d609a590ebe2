"""The editorial text of two versions compared word by word, as a citizen reads it.

Editors write Markdown; citizens read the rendered page. So each body is rendered first
(notices.rendering.render_markdown), then read back with an HTML parser into blocks (paragraphs,
list items, sub-headings) of plain text, links keeping their text: no `**`, `[` or `](` ever
reaches the comparison. Blocks are paired between the versions, then compared word by word.
The result is escaped HTML with <del> and <ins> runs that a screen reader announces (the label
is in a visually hidden span: colour is not the only cue), a space between a deletion and the
insertion that replaces it (two words never read as one), and a note where only a link changed.
"""

import difflib
import re
from collections import defaultdict
from html.parser import HTMLParser

from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext

from notices.rendering import render_markdown

__all__ = ["changed_word_counts", "text_blocks", "text_diff_html"]

TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
WORD = re.compile(r"\w+")
SPACES = re.compile(r"[ \t\r\n\f]+")
# Below this similarity two blocks are a removal and an addition, not one changed block.
PAIRING_THRESHOLD = 0.4


# --- Rendered text ------------------------------------------------------------------------------


class _BlockReader(HTMLParser):
    """Reads rendered, sanitised HTML into [(kind, text, links)]: kind is "p", "h3", "h4", "ul"
    or "ol" (a list item, by the kind of its list), text is what a reader sees (a <br> kept as a
    newline), links the addresses its links lead to."""

    BLOCKS = {"p", "li", "h3", "h4"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        # blocks read; "ul"/"ol" of the open lists, innermost last; the block being read
        self.blocks, self.lists, self.kind, self.parts, self.links = [], [], None, [], []

    def _flush(self):
        # Spacing collapses as a browser shows it; a <br> (kept as \v meanwhile) stays a newline.
        text = re.sub(r" ?\v ?", "\n", SPACES.sub(" ", "".join(self.parts))).strip()
        if text:
            self.blocks.append((self.kind or "p", text, tuple(self.links)))
        self.kind, self.parts, self.links = None, [], []

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self._flush()
            self.lists.append(tag)
        elif tag == "li":
            self._flush()
            self.kind = self.lists[-1] if self.lists else "ul"
        elif tag == "p" and self.kind in ("ul", "ol") and not "".join(self.parts).strip():
            pass  # the first paragraph of a loose list item is that item
        elif tag in self.BLOCKS or tag == "blockquote":
            self._flush()
            self.kind = tag if tag in self.BLOCKS else None
        elif tag == "br":
            self.parts.append("\v")
        elif tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS or tag in ("ul", "ol", "blockquote"):
            self._flush()
            if tag in ("ul", "ol") and self.lists:
                self.lists.pop()

    def handle_data(self, data):
        self.parts.append(data)


def text_blocks(markdown: str) -> list[tuple[str, str, tuple]]:
    """The blocks of plain text that an editor's Markdown shows once rendered."""
    reader = _BlockReader()
    reader.feed(str(render_markdown(markdown or "")))
    reader.close()
    reader._flush()
    return reader.blocks


# --- Word diff of one block ---------------------------------------------------------------------


def _runs(old_text, new_text):
    """[(op, text)] with op "equal", "delete" or "insert", spaces between changes folded in.

    A change such as "a b" -> "x y" would otherwise come out as a/x, space kept, b/y: two
    changes where a reader sees one. Equal runs of spaces (not a line break) between two
    changes are folded into both the deletion and the insertion.
    """
    a, b = TOKEN.findall(old_text), TOKEN.findall(new_text)
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
            and "\n" not in chunk[1]
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
    """How well a run of deleted or inserted tokens sits on word boundaries."""
    score = 0
    if not before or before[-1].isspace():
        score += 1  # starts at the start of the text or after a space
    if not run[0].isspace():
        score += 1  # starts with a word or a sign, not with spacing
    if run[-1].isspace() or not after or after[0].isspace():
        score += 1  # ends at a space
    if not after:
        score += 1  # ends the block
    return score


def _slide(chunks):
    """Move each pure deletion or insertion to the equivalent place that reads best.

    "Un. Deux. Trois." -> "Un. Trois." can be aligned as "Un[. Deux]. Trois." or as
    "Un. [Deux. ]Trois.": the same edit, but only the second deletes a sentence.
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


def _labels():
    return {
        "delete": pgettext("screen reader label in a comparison of two texts", "deleted"),
        "insert": pgettext("screen reader label in a comparison of two texts", "inserted"),
        "link": pgettext("in a comparison of two texts", "a link's address changed"),
    }


def _marked(op, text, labels):
    """One run: escaped, line breaks kept, wrapped in <del> or <ins> when it changed."""
    if op != "equal" and text.isspace():
        return "" if op == "delete" else " "  # spacing alone: nothing to read or announce
    if op == "equal":
        return "<br>".join(escape(line) for line in text.split("\n"))
    tag = "del" if op == "delete" else "ins"
    html = "<br>".join(escape(line) for line in text.strip(" ").split("\n"))
    # Spaces at the edges of a run stay outside the mark, where they separate words.
    lead, trail = (" " if text.startswith(" ") else ""), (" " if text.endswith(" ") else "")
    return (
        f'{lead}<{tag}><span class="visually-hidden">[{escape(labels[op])}: </span>{html}'
        f'<span class="visually-hidden">]</span></{tag}>{trail}'
    )


def _runs_html(runs, labels):
    html = []
    for index, (op, text) in enumerate(runs):
        html.append(_marked(op, text, labels))
        following = runs[index + 1][0] if index + 1 < len(runs) else None
        # "essentiellement" replaced by "principalement": two words, not one.
        if op == "delete" and following == "insert" and html[-1] and not html[-1].endswith(" "):
            html.append("" if runs[index + 1][1].startswith(" ") else " ")
    return "".join(html)


def _count(runs, counts):
    """The runs, their deleted and inserted words added to `counts`."""
    for op, text in runs:
        if op != "equal":
            counts["deleted" if op == "delete" else "inserted"] += len(WORD.findall(text))
    return runs


def changed_word_counts(old_text: str, new_text: str) -> dict:
    """How many words were deleted and inserted from `old_text` to `new_text`."""
    counts = {"deleted": 0, "inserted": 0}
    _count(_runs(old_text, new_text), counts)
    return counts


# --- Blocks paired between two versions ---------------------------------------------------------


def _similarity(old, new):
    return difflib.SequenceMatcher(
        None, TOKEN.findall(old[1]), TOKEN.findall(new[1]), autojunk=False
    ).ratio()


def _pair_replaced(old_blocks, new_blocks):
    """Within a replaced stretch, the pairing of blocks that keeps most similar text together
    (in order), so that an added paragraph does not shift every comparison after it. Between
    two such pairs, as many blocks removed as added were rewritten in place: paired in order."""
    n, m = len(old_blocks), len(new_blocks)
    similarity = [[_similarity(o, w) for w in new_blocks] for o in old_blocks]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            paired = similarity[i][j] + best[i + 1][j + 1]
            if similarity[i][j] < PAIRING_THRESHOLD:
                paired = -1.0
            best[i][j] = max(paired, best[i + 1][j], best[i][j + 1])
    matches, i, j = [], 0, 0
    while i < n and j < m:
        if similarity[i][j] >= PAIRING_THRESHOLD and best[i][j] == (
            similarity[i][j] + best[i + 1][j + 1]
        ):
            matches.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    pairs, i, j = [], 0, 0
    for next_i, next_j in [*matches, (n, m)]:
        removed, added = old_blocks[i:next_i], new_blocks[j:next_j]
        if len(removed) == len(added):
            pairs.extend(zip(removed, added, strict=True))
        else:
            pairs.extend([(block, None) for block in removed] + [(None, b) for b in added])
        if next_i < n:
            pairs.append((old_blocks[next_i], new_blocks[next_j]))
        i, j = next_i + 1, next_j + 1
    return pairs


def _paired_blocks(old_blocks, new_blocks):
    """[(old block or None, new block or None)] in reading order."""
    pairs = []
    matcher = difflib.SequenceMatcher(None, old_blocks, new_blocks, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pairs.extend(zip(old_blocks[i1:i2], new_blocks[j1:j2], strict=True))
        else:
            pairs.extend(_pair_replaced(old_blocks[i1:i2], new_blocks[j1:j2]))
    return pairs


def _body_html(old_blocks, new_blocks, labels):
    """The blocks as HTML, list items grouped back into their lists; a sub-heading of the text
    is a bold paragraph here (the comparison's own headings give the outline)."""
    html, open_list, counts = [], None, {"deleted": 0, "inserted": 0}
    for old, new in _paired_blocks(old_blocks, new_blocks):
        kind = (new or old)[0]
        runs = _count(_runs(old[1] if old else "", new[1] if new else ""), counts)
        content = _runs_html(runs, labels)
        if old and new and old[2] != new[2]:  # same words, but a link leads elsewhere now
            content += f' <span class="diff-note">({escape(labels["link"])})</span>'
        if kind != open_list and open_list:
            html.append(f"</{open_list}>")
            open_list = None
        if kind in ("ul", "ol"):
            if open_list is None:
                html.append(f"<{kind}>")
                open_list = kind
            html.append(f"<li>{content}</li>")
        elif kind in ("h3", "h4"):
            html.append(f'<p class="diff-heading"><strong>{content}</strong></p>')
        else:
            html.append(f"<p>{content}</p>")
    if open_list:
        html.append(f"</{open_list}>")
    return "".join(html), counts


# --- Sections -----------------------------------------------------------------------------------


def text_diff_html(old_sections: list, new_sections: list, *, language: str) -> list[dict]:
    """The sections of the new version (and those removed, right after the section that preceded
    them), paired by anchor, each compared word by word: {"anchor", "status" ("added",
    "removed", "changed" or "unchanged"), "title_html", "body_html" ("" when unchanged),
    "registry_block", "registry_block_changed", "deleted_words", "inserted_words"}."""
    old_by_anchor = {section.get("anchor"): section for section in old_sections or []}
    new_by_anchor = {section.get("anchor"): section for section in new_sections or []}
    removed_after = defaultdict(list)  # anchor of the preceding kept section (None: at the top)
    preceding = None
    for section in old_sections or []:
        if section.get("anchor") in new_by_anchor:
            preceding = section.get("anchor")
        else:
            removed_after[preceding].append(section)
    with translation.override(language):
        labels = _labels()
        result = [_compare(section, None, language, labels) for section in removed_after[None]]
        for section in new_sections or []:
            old = old_by_anchor.get(section.get("anchor"))
            result.append(_compare(old, section, language, labels))
            result.extend(
                _compare(removed, None, language, labels)
                for removed in removed_after[section.get("anchor")]
            )
    return result


def _part(section, field, language):
    value = (section or {}).get(field) or {}
    return value if isinstance(value, str) else value.get(language) or ""


def _compare(old, new, language, labels):
    section = new or old
    old_title = SPACES.sub(" ", _part(old, "title", language)).strip()
    new_title = SPACES.sub(" ", _part(new, "title", language)).strip()
    old_blocks = text_blocks(_part(old, "body", language)) if old else []
    new_blocks = text_blocks(_part(new, "body", language)) if new else []
    old_block = (old or {}).get("registry_block") or ""
    new_block = (new or {}).get("registry_block") or ""
    if old is None:
        status = "added"
    elif new is None:
        status = "removed"
    elif old_title == new_title and old_blocks == new_blocks and old_block == new_block:
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
        title_html, body_html, counts = escape(new_title), "", {"deleted": 0, "inserted": 0}
    else:
        body_html, counts = _body_html(old_blocks, new_blocks, labels)
        title_html = _runs_html(_count(_runs(old_title, new_title), counts), labels)
    item.update(
        title_html=mark_safe(title_html),  # noqa: S308 - escaped runs
        body_html=mark_safe(body_html),  # noqa: S308 - escaped runs in our own tags
        deleted_words=counts["deleted"],
        inserted_words=counts["inserted"],
    )
    return item
