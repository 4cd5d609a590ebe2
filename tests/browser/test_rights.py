"""The rights wizard in a browser, in French and Dutch: every step audited with axe-core."""

import pytest

from registry.seed import registry_seed_load
from tests.browser.conftest import format_violations

LABELS = {
    "fr": {"next": "Suivant", "back": "Étape précédente"},
    "nl": {"next": "Volgende", "back": "Vorige stap"},
}


@pytest.fixture
def seeded(transactional_db):
    registry_seed_load()


def audit(visit):
    violations = visit.axe_violations()
    assert violations == [], format_violations(violations)
    assert visit.off_origin_requests() == []
    assert visit.page.context.cookies() == []


def choose(visit, value, language):
    visit.page.locator(f"#choice-{value}").check()
    visit.page.get_by_role("button", name=LABELS[language]["next"]).click()


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize(
    ("language", "insurer_name"),
    [("fr", "Union nationale des mutualités libres"), ("nl", "Onafhankelijke Ziekenfondsen")],
)
def test_insurer_path_every_step_passes_axe(visit_factory, seeded, language, insurer_name, width):
    visit = visit_factory(width=width)
    visit.open(f"/{language}/")
    visit.page.get_by_role(
        "navigation", name={"fr": "Navigation principale", "nl": "Hoofdnavigatie"}[language]
    ).get_by_role("link", name={"fr": "Vos droits", "nl": "Uw rechten"}[language]).click()
    audit(visit)
    choose(visit, "insurer-data", language)
    audit(visit)
    choose(visit, "access", language)
    audit(visit)
    choose(visit, "500", language)
    assert visit.page.url.endswith(
        {"fr": "/donnees-mutualite/acces/500/", "nl": "/gegevens-ziekenfonds/inzage/500/"}[language]
    )
    assert insurer_name in visit.page.locator("main").inner_text()
    assert "privacy@mloz.be" in visit.page.locator("main").inner_text()
    audit(visit)
    # The browser's back button returns to the insurer step, with its own URL.
    visit.page.go_back()
    assert visit.page.url.endswith(
        {"fr": "/donnees-mutualite/acces/", "nl": "/gegevens-ziekenfonds/inzage/"}[language]
    )


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_missing_choice_is_announced_and_accessible(visit_factory, seeded, language):
    visit = visit_factory(width=375)
    visit.open(f"/{language}/" + {"fr": "vos-droits/", "nl": "uw-rechten/"}[language])
    visit.page.get_by_role("button", name=LABELS[language]["next"]).click()
    assert visit.page.get_by_role("alert").is_visible()
    audit(visit)


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_complaint_and_aim_paths(visit_factory, seeded, language):
    visit = visit_factory()
    start = f"/{language}/" + {"fr": "vos-droits/", "nl": "uw-rechten/"}[language]
    visit.open(start)
    choose(visit, "complaint", language)
    assert "+32 2 274 48 00" in visit.page.locator("main").inner_text()
    audit(visit)
    visit.open(start)
    choose(visit, "aim-data", language)
    choose(visit, "erasure", language)
    assert "dpo@intermut.be" in visit.page.locator("main").inner_text()
    audit(visit)


def test_unknown_insurer_then_choose_it(visit_factory, seeded):
    visit = visit_factory()
    visit.open("/nl/uw-rechten/gegevens-ziekenfonds/inzage/")
    choose(visit, "unknown", "nl")
    assert "Mijngezondheid" in visit.page.locator("main").inner_text()
    audit(visit)
    visit.page.get_by_role("link", name="CAAMI").or_(
        visit.page.get_by_role("link", name="HZIV")
    ).first.click()
    assert visit.page.url.endswith("/gegevens-ziekenfonds/inzage/600/")


@pytest.mark.parametrize(
    ("language", "path"), [("fr", "/fr/vos-droits/demande/"), ("nl", "/nl/uw-rechten/verzoek/")]
)
def test_request_form_and_its_errors_pass_axe(visit_factory, seeded, language, path):
    visit = visit_factory(width=375)
    visit.open(path + "?right=access")
    audit_form = visit.axe_violations()
    assert audit_form == [], format_violations(audit_form)
    visit.page.locator("#request-form [type=submit]").click()
    assert visit.page.get_by_role("alert").first.is_visible()
    violations = visit.axe_violations()
    assert violations == [], format_violations(violations)
    assert visit.off_origin_requests() == []
