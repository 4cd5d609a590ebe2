"""The home pages as a reader sees them: accessible, local-only, switchable, usable on a phone."""

import pytest

from tests.browser.conftest import format_violations


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("fr", "Vos données à caractère personnel à l'Agence Intermutualiste"),
        ("nl", "Uw persoonsgegevens bij het InterMutualistisch Agentschap"),
    ],
)
def test_home_page_passes_axe_and_stays_on_its_origin(visit_factory, language, heading, width):
    visit = visit_factory(width=width)
    visit.open(f"/{language}/")

    assert visit.page.locator("html").get_attribute("lang") == language
    assert visit.page.get_by_role("heading", level=1).inner_text() == heading
    violations = visit.axe_violations()
    assert violations == [], format_violations(violations)
    assert visit.off_origin_requests() == []
    assert any(url.endswith("bootstrap.min.css") for url in visit.requests)
    assert visit.page.context.cookies() == []


MAIN_NAV = {"fr": "Navigation principale", "nl": "Hoofdnavigatie"}
ABOUT = {
    "fr": ("À propos de ce site", "/fr/a-propos-de-ce-site/"),
    "nl": ("Over deze website", "/nl/over-deze-website/"),
}


@pytest.mark.parametrize(
    ("locale", "language", "other", "other_name"),
    [("nl-BE", "nl", "fr", "Français"), ("fr-BE", "fr", "nl", "Nederlands")],
)
def test_root_follows_browser_language_and_switcher_keeps_the_page(
    visit_factory, locale, language, other, other_name
):
    visit = visit_factory(locale=locale)
    visit.open("/")
    assert visit.page.url == f"{visit.origin}/{language}/"

    about_name, about_path = ABOUT[language]
    visit.page.get_by_role("navigation", name=MAIN_NAV[language]).get_by_role(
        "link", name=about_name
    ).click()
    assert visit.page.url == visit.origin + about_path

    visit.page.get_by_role("link", name=other_name).click()
    assert visit.page.url == visit.origin + ABOUT[other][1]
    assert visit.page.locator("html").get_attribute("lang") == other
    assert visit.page.get_by_role("heading", level=1).inner_text() == ABOUT[other][0]
    assert visit.page.context.cookies() == []
    assert visit.off_origin_requests() == []


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(visit_factory):
    visit = visit_factory()
    visit.open("/nl/")
    visit.page.keyboard.press("Tab")
    focused = visit.page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Naar de hoofdinhoud"
    visit.page.keyboard.press("Enter")
    assert visit.page.evaluate("document.activeElement.id") == "content"


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_no_horizontal_scrolling_at_320_px(visit_factory, language):
    visit = visit_factory(width=320, height=640)
    visit.open(f"/{language}/")
    overflow = visit.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


@pytest.mark.parametrize("path", ["/fr/a-propos-de-ce-site/", "/nl/over-deze-website/"])
def test_about_page_passes_axe_on_a_phone(visit_factory, path):
    visit = visit_factory(width=375)
    visit.open(path)
    violations = visit.axe_violations()
    assert violations == [], format_violations(violations)
    assert visit.off_origin_requests() == []
