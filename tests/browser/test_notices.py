"""The declaration as a reader sees it: current page, archive, a version, the diff, FR and NL."""

import re

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from notices.models import Notice, Section
from notices.services import notice_version_create_draft, notice_version_publish
from tests.browser.conftest import format_violations

PAGES = {
    "fr": {
        "current": "/fr/declaration/",
        "archive": "/fr/declaration/versions/",
        "version": "/fr/declaration/versions/1/",
        "changes": "/fr/declaration/modifications/1-2/",
    },
    "nl": {
        "current": "/nl/verklaring/",
        "archive": "/nl/verklaring/versies/",
        "version": "/nl/verklaring/versies/1/",
        "changes": "/nl/verklaring/wijzigingen/1-2/",
    },
}


@pytest.fixture
def two_versions(transactional_db, django_user_model):
    """AIM's declaration (version 1) and a version 2 that changes one sentence in each language."""
    from notices.demo import demo_content_load

    staff = django_user_model.objects.create_user("staff-publisher", is_staff=True)
    first = demo_content_load(by=staff)
    draft = notice_version_create_draft(notice=Notice.objects.get(pk=first.notice_id))
    section = draft.sections.order_by("position").first()
    Section.objects.filter(pk=section.pk).update(
        body_fr=section.body_fr + "\n\nCette phrase est nouvelle.",
        body_nl=section.body_nl + "\n\nDeze zin is nieuw.",
    )
    draft.change_summary_fr = "Une phrase ajoutée."
    draft.change_summary_nl = "Een zin toegevoegd."
    draft.change_kind = "material"
    draft.save()
    notice_version_publish(
        version=draft,
        by=staff,
        effective_from=timezone.localdate(),
        acknowledge_registry_gaps=True,
        gaps_reason="Demo content: the seed leaves gaps for the DPO.",
    )
    return first


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("language", ["fr", "nl"])
@pytest.mark.parametrize("page", ["current", "archive", "version", "changes"])
def test_declaration_pages_pass_axe(visit_factory, two_versions, language, page, width):
    visit = visit_factory(width=width)
    visit.open(PAGES[language][page])
    assert visit.page.locator("html").get_attribute("lang") == language
    violations = visit.axe_violations()
    assert violations == [], format_violations(violations)
    assert visit.off_origin_requests() == []
    assert visit.page.context.cookies() == []
    if width == 375:
        overflow = visit.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0


@pytest.mark.parametrize(
    ("language", "other", "other_name", "new_sentence"),
    [
        ("fr", "nl", "Nederlands", "Deze zin is nieuw."),
        ("nl", "fr", "Français", "Cette phrase est nouvelle."),
    ],
)
def test_reader_goes_from_the_declaration_to_what_changed_and_switches_language(
    visit_factory, two_versions, language, other, other_name, new_sentence
):
    visit = visit_factory()
    visit.open(PAGES[language]["current"])
    # The material change is announced, with a link to what changed.
    visit.page.locator(".notice-changed a").click()
    assert visit.page.url == visit.origin + PAGES[language]["changes"]
    assert visit.page.locator("ins").count() >= 2  # the legend's example and the new sentence
    visit.page.get_by_role("link", name=other_name).click()
    assert visit.page.url == visit.origin + PAGES[other]["changes"]
    assert new_sentence in visit.page.locator(".text-diff").inner_text()


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_table_of_contents_leads_to_each_section(visit_factory, two_versions, language):
    visit = visit_factory()
    visit.open(PAGES[language]["version"])
    links = visit.page.locator(".toc a")
    assert links.count() >= 8
    last = links.nth(links.count() - 1)
    target = last.get_attribute("href")
    last.click()
    assert visit.page.url.endswith(target)
    assert visit.page.locator(target).is_visible()


def test_archive_date_form_finds_the_version(visit_factory, two_versions):
    visit = visit_factory()
    visit.open(PAGES["nl"]["archive"])
    visit.page.fill("#id_date", timezone.localdate().isoformat())
    with translation.override("nl"):
        button = gettext("Show that version")
    visit.page.get_by_role("button", name=button).click()
    assert visit.page.url == visit.origin + "/nl/verklaring/versies/2/"


def test_archive_date_form_before_the_portal_says_what_is_known(visit_factory, two_versions):
    # Version 1 is AIM's declaration from before the portal, its start not recorded: on a date
    # before the portal recorded it, the answer neither shows version 1 as in force nor says
    # that no version applied; it names version 1 as the earliest one the portal holds.
    visit = visit_factory()
    visit.open(PAGES["fr"]["archive"])
    visit.page.fill("#id_date", "2024-05-01")
    with translation.override("fr"):
        button = gettext("Show that version")
        read_v1 = gettext("Read version %(number)s") % {"number": 1}
    visit.page.get_by_role("button", name=button).click()
    assert visit.page.url == visit.origin + "/fr/declaration/a-la-date-du/2024-05-01/"
    heading = visit.page.locator("h1").inner_text()
    assert "1er mai 2024" in heading
    assert visit.page.get_by_role("link", name=read_v1).count() == 1
    assert visit.axe_violations() == []


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_version_1_shows_no_false_start_date(visit_factory, two_versions, language):
    visit = visit_factory()
    visit.open(PAGES[language]["version"])
    facts = visit.page.locator(".version-facts").inner_text()
    assert not re.search(r"\d{4}-\d{2}-\d{2}", facts)
    assert visit.page.locator(".version-facts time").count() == 1  # recorded on, not "from"
