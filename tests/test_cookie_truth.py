"""The about page tells the truth about cookies (issue #16).

Every public page is visited in both languages on the demo content, as a citizen would: the
reading pages and every link they lead to, every step of the rights wizard (each choice posted),
the letter and request forms (shown, and posted with mistakes) and an error page. Every cookie
any of them sets must be named on the about page in both languages, and the about page must not
claim "no cookies" while one is set.
"""

import html
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from notices.demo import demo_content_load

pytestmark = pytest.mark.django_db

LANGUAGES = ("fr", "nl")
MAX_PAGES = 250
# Blanket claims that no cookie is set, in the three languages the page may be read in.
NO_COOKIE_PHRASES = (
    "aucun cookie",
    "pas de cookie",
    "sans cookie",
    "ne dépose pas de",
    "geen cookie",
    "zonder cookie",
    "plaatst geen",
    "no cookie",
    "sets no cookie",
    "without cookie",
)
HREF = re.compile(r'href="([^"#]+)')
RADIO = re.compile(r'<input[^>]*type="radio"[^>]*>')
VALUE = re.compile(r'value="([^"]*)"')
NAME = re.compile(r'name="([^"]*)"')


def text_of(markup):
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


@pytest.fixture(autouse=True)
def demo_content():
    cache.clear()  # the wizard and the forms count per client address
    demo_content_load()
    yield
    cache.clear()


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def is_public(path, language):
    admin = f"/{language}/{settings.ADMIN_PATH}"
    return path.startswith(f"/{language}/") and not path.startswith(admin)


class Crawl:
    """Visits pages with a fresh client per request (no cookie carried over), and records every
    cookie set, with the page that set it."""

    def __init__(self, language):
        self.language = language
        self.cookies = {}
        self.seen = set()

    def record(self, label, response):
        for name in response.cookies:
            self.cookies.setdefault(name, label)
        return response

    def get(self, path):
        return self.record(f"GET {path}", Client().get(path))

    def post(self, path, data, **headers):
        return self.record(f"POST {path}", Client().post(path, data, **headers))

    def links(self, response):
        if "text/html" not in response.get("Content-Type", ""):
            return []
        found = []
        for href in HREF.findall(response.content.decode()):
            parts = urlsplit(html.unescape(href))
            if parts.netloc and parts.netloc != "testserver":
                continue
            if is_public(parts.path, self.language) and not parts.path.endswith("/pdf/"):
                found.append(parts.path)
        return found

    def wizard_choices(self, response):
        choices = []
        for tag in RADIO.findall(response.content.decode()):
            name, value = NAME.search(tag), VALUE.search(tag)
            if name and value:
                choices.append((name.group(1), html.unescape(value.group(1))))
        return choices

    def run(self, starts):
        queue = list(starts)
        while queue and len(self.seen) < MAX_PAGES:
            path = queue.pop(0)
            if path in self.seen:
                continue
            self.seen.add(path)
            response = self.get(path)
            queue.extend(self.links(response))
            # A wizard step: post each of its choices, as a person would, and go on from there.
            for name, value in self.wizard_choices(response):
                answer = self.post(path, {name: value})
                if answer.status_code in (301, 302, 303):
                    queue.append(urlsplit(answer["Location"]).path)


def crawl(language):
    crawl = Crawl(language)
    crawl.run(
        [
            url("home", language),
            url("about", language),
            url("notices:current", language),
            url("notices:archive", language),
            url("notices:version", language, number=1),
            url("rights:wizard", language),
            url("rights:request", language),
        ]
    )
    # The forms posted with mistakes, and a page that does not exist.
    crawl.post(url("rights:request", language), {"name": "", "email": "not-an-address"})
    crawl.post(url("rights:letter", language), {"name": ""}, HTTP_ORIGIN="http://testserver")
    crawl.get(f"/{language}/no-such-page/")
    crawl.get(url("notices:on-date", language, date="2001-01-01"))
    return crawl


def about_text(language):
    return text_of(Client().get(url("about", language)).content.decode())


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_cookie_a_public_page_sets_is_named_on_the_about_page(language):
    crawled = crawl(language)
    assert len(crawled.seen) > 20, crawled.seen  # the crawl really walked the site
    # The request form is a public page that does set one: the test is not vacuous.
    assert settings.CSRF_COOKIE_NAME in crawled.cookies
    for about_language in LANGUAGES:
        page = about_text(about_language)
        for name, where in crawled.cookies.items():
            assert name in page, (about_language, name, where)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_about_page_claims_no_cookies_only_if_no_public_page_sets_one(language):
    crawled = crawl(language)
    if not crawled.cookies:
        return
    for about_language in LANGUAGES:
        page = about_text(about_language).lower()
        claims = [phrase for phrase in NO_COOKIE_PHRASES if phrase in page]
        assert not claims, (about_language, claims, crawled.cookies)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_about_page_gives_the_cookie_lifetime_from_the_settings(language, settings):
    settings.CSRF_COOKIE_AGE = 3 * 86400
    page = about_text(language)
    assert re.search(r"\b3 (jours|dagen|days)\b", page), page
    assert str(settings.SESSION_IDLE_MINUTES) in page


def test_reading_pages_set_no_cookie():
    """What the about page says of reading pages: they set none."""
    for language in LANGUAGES:
        for name in ("home", "about", "notices:current", "notices:archive", "rights:wizard"):
            response = Client().get(url(name, language))
            assert response.status_code == 200
            assert not response.cookies, (language, name)
