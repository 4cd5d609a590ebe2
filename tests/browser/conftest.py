"""Browser test harness: Playwright driving Debian's Chromium against pytest-django's live server.

Playwright cannot download its own browser here, so it launches /usr/bin/chromium. Where that
browser is absent the tests skip with the command that installs it, except when
AIM_REQUIRE_BROWSER is set (CI), where a missing browser fails the run.
axe-core comes from node_modules (package.json) and is injected into each page it audits.
"""

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls that fixtures make
# between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("AIM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _missing_prerequisite():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM}: install it with `sudo apt-get install chromium`"
    if not AXE_SCRIPT.exists():
        return "axe-core not found in node_modules: install Node.js and npm, then run `make test`"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing_prerequisite()
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            if reason and not os.environ.get("AIM_REQUIRE_BROWSER"):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser():
    reason = _missing_prerequisite()
    if reason:
        pytest.fail(f"AIM_REQUIRE_BROWSER is set but {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@dataclass
class Visit:
    """One browsing session against the live server, recording every request it made."""

    page: object
    origin: str
    requests: list = field(default_factory=list)

    def open(self, path):
        response = self.page.goto(self.origin + path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        return response

    def off_origin_requests(self):
        return [url for url in self.requests if not _same_origin(url, self.origin)]

    def axe_violations(self):
        """Run axe-core with the WCAG 2.1 A and AA rules; return a readable list of violations."""
        self.page.add_script_tag(content=AXE_SCRIPT.read_text())
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_A_AA
        )
        # An audit that checked nothing proves nothing.
        assert len(result["passes"]) >= 10, "axe-core ran almost no rule on this page"
        return [
            {
                "rule": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "targets": [node["target"] for node in violation["nodes"]][:5],
            }
            for violation in result["violations"]
        ]


def _same_origin(url, origin):
    if url.startswith(("data:", "blob:", "about:")):
        return True
    a, b = urlsplit(url), urlsplit(origin)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


@pytest.fixture
def visit_factory(browser, live_server):
    contexts = []

    def make(width=1280, height=900, locale="fr-BE"):
        # bypass_csp lets the test inject axe-core; the policy itself stays on for users and
        # is checked in tests/test_shell.py.
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale=locale, bypass_csp=True
        )
        contexts.append(context)
        page = context.new_page()
        visit = Visit(page=page, origin=live_server.url)

        def record(route):
            visit.requests.append(route.request.url)
            if _same_origin(route.request.url, live_server.url):
                route.continue_()
            else:
                route.abort()

        context.route("**/*", record)
        return visit

    yield make
    for context in contexts:
        context.close()


def format_violations(violations):
    return json.dumps(violations, indent=2, ensure_ascii=False)
