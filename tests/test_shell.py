"""The bilingual site shell: language redirect, translated URLs, switcher, headers, no cookies."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

READING_PAGES = ["home", "about"]


def heading_of(html):
    return unescape(re.search(r"<h1>(.*?)</h1>", html, flags=re.DOTALL).group(1)).strip()


def url_in(language, name):
    with translation.override(language):
        return reverse(name)


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("nl-BE,nl;q=0.9,en;q=0.5", "/nl/"),
        ("fr-BE,fr;q=0.9", "/fr/"),
        ("nl", "/nl/"),
        ("de-DE,de;q=0.9,nl;q=0.4", "/nl/"),
        ("en-GB,en;q=0.9", "/fr/"),
        ("", "/fr/"),
    ],
)
def test_root_redirects_by_accept_language(citizen, accept_language, expected):
    response = citizen.get("/", headers={"accept-language": accept_language})
    assert response.status_code == 302
    assert response["Location"] == expected
    assert "Accept-Language" in response["Vary"]
    assert not response.cookies


def test_url_slugs_are_translated():
    assert url_in("fr", "about") == "/fr/a-propos-de-ce-site/"
    assert url_in("nl", "about") == "/nl/over-deze-website/"


@pytest.mark.parametrize(
    ("language", "title", "other", "other_name"),
    [
        ("fr", "Vos données à caractère personnel à l'Agence Intermutualiste", "nl", "Nederlands"),
        ("nl", "Uw persoonsgegevens bij het InterMutualistisch Agentschap", "fr", "Français"),
    ],
)
def test_home_page_in_each_language(citizen, language, title, other, other_name):
    response = citizen.get(url_in(language, "home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert heading_of(html) == title
    assert (
        f'href="{url_in(other, "home")}" hreflang="{other}" lang="{other}">{other_name}</a>' in html
    )
    # Says what the portal offers: the declaration, its versions, how to exercise your rights.
    assert html.count('<section class="col-12 col-lg-4"') == 3


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_switcher_keeps_the_reader_on_the_same_page(citizen, language):
    other = "nl" if language == "fr" else "fr"
    html = citizen.get(url_in(language, "about")).content.decode()
    assert f'href="{url_in(other, "about")}" hreflang="{other}"' in html
    for code in ("fr", "nl"):
        # From SITE_URL (https://testserver in the test settings), not from the request.
        alternate = f"https://testserver{url_in(code, 'about')}"
        assert f'<link rel="alternate" hreflang="{code}" href="{alternate}">' in html


@pytest.mark.parametrize("name", READING_PAGES)
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_reading_pages_set_no_cookie_and_send_a_strict_csp(citizen, language, name):
    response = citizen.get(url_in(language, name))
    assert response.status_code == 200
    assert not response.cookies
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


class InlineCodeFinder(HTMLParser):
    """Collects what a strict CSP would block (inline scripts, <style>, style=, on*=) and
    assets loaded from another origin."""

    def __init__(self):
        super().__init__()
        self.problems = []
        self.external = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes:
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> element")
        for name, _value in attrs:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")
        for name in ("src", "href"):
            value = attributes.get(name) or ""
            is_alternate = tag == "link" and attributes.get("rel") == "alternate"
            if (
                tag in {"script", "link", "img"}
                and value.startswith(("http:", "https:", "//"))
                and not is_alternate
            ):
                self.external.append(value)


@pytest.mark.parametrize("name", READING_PAGES)
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_pages_have_no_inline_code_and_no_third_party_assets(citizen, language, name):
    finder = InlineCodeFinder()
    finder.feed(citizen.get(url_in(language, name)).content.decode())
    assert finder.problems == []
    assert finder.external == []


@pytest.mark.parametrize(
    ("language", "text"), [("fr", "Page introuvable"), ("nl", "Pagina niet gevonden")]
)
def test_unknown_page_is_a_translated_404(citizen, language, text):
    response = citizen.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    assert text in response.content.decode()
    assert not response.cookies


def test_post_to_a_reading_page_is_refused(citizen):
    assert citizen.post(url_in("fr", "home")).status_code == 405


@pytest.mark.django_db
def test_healthz_answers_when_the_database_does(citizen):
    response = citizen.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_admin_requires_login(citizen):
    response = citizen.get("/nl/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/nl/admin/login/")
