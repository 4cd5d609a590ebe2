"""Public pages of the declaration: served from snapshots, cacheable, cookie-free, bilingual."""

import datetime
import json
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from notices.models import NoticeVersion
from notices.templatetags.dates import long_date
from tests.notices.conftest import SECTIONS
from tests.registry import factories

pytestmark = pytest.mark.django_db


def url(name, language="fr", **kwargs):
    with translation.override(language):
        return reverse(f"notices:{name}", kwargs=kwargs or None)


def test_urls_are_translated():
    assert url("current", "fr") == "/fr/declaration/"
    assert url("current", "nl") == "/nl/verklaring/"
    assert url("version", "nl", number=3) == "/nl/verklaring/versies/3/"


@pytest.mark.parametrize(
    ("language", "title", "section"),
    [
        ("fr", "Déclaration relative à la protection", "Responsable du traitement"),
        ("nl", "Verklaring betreffende de bescherming", "Verwerkingsverantwoordelijke"),
    ],
)
def test_current_page_in_each_language(
    citizen, complete_registry, publish, language, title, section
):
    version = publish()
    response = citizen.get(url("current", language))
    assert response.status_code == 200
    html = response.content.decode()
    assert title in html
    assert f'<a href="#controller">{section}</a>' in html  # table of contents
    # The date in words in the page, ISO only in the machine-readable datetime attribute.
    assert long_date(version.effective_from, language) in html
    assert f'datetime="{version.effective_from.isoformat()}"' in html
    assert url("archive", language) in html
    assert not response.cookies
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=300"}
    assert response["ETag"] and response["Last-Modified"]


def test_current_answers_304_to_a_conditional_request(citizen, complete_registry, publish):
    publish()
    first = citizen.get(url("current"))
    again = citizen.get(url("current"), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    since = citizen.get(url("current"), headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304


def test_version_url_is_immutable_and_stays_after_a_new_version(
    citizen, complete_registry, publish
):
    first = publish()
    page = citizen.get(url("version", number=first.number))
    assert page.status_code == 200
    assert "immutable" in page["Cache-Control"]
    assert "max-age=31536000" in page["Cache-Control"]
    publish(
        sections=[SECTIONS[0], dict(SECTIONS[1], body_fr="Trente ans.", body_nl="Dertig jaar.")]
    )
    again = citizen.get(url("version", number=first.number))
    assert again.content == page.content
    assert again["ETag"] == page["ETag"]


def test_drafts_are_never_public(citizen, complete_registry, publish, notice):
    from notices.services import notice_version_create_draft

    publish()
    draft = notice_version_create_draft(notice=notice)
    assert citizen.get(url("version", number=draft.number)).status_code == 404
    assert citizen.get(url("version-json", number=draft.number)).status_code == 404


def test_snapshot_json_is_stable_and_verifiable(citizen, complete_registry, publish):
    from notices.services import snapshot_digest

    version = publish()
    response = citizen.get(url("version-json", number=version.number))
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["sha256"] == version.sha256 == snapshot_digest(data["snapshot"])
    assert citizen.get(url("version-json", "nl", number=version.number)).content == response.content


def test_archive_lists_versions_with_dates_summaries_and_hashes(
    citizen, complete_registry, publish
):
    first = publish(summary=("Première version", "Eerste versie"))
    second = publish(summary=("Deuxième version", "Tweede versie"))
    html = citizen.get(url("archive", "nl")).content.decode()
    assert "Eerste versie" in html and "Tweede versie" in html
    assert first.sha256 in html and second.sha256 in html
    assert url("version", "nl", number=1) in html
    assert not citizen.get(url("archive", "nl")).cookies


def test_on_date_form_and_url(citizen, complete_registry, publish):
    version = publish()
    today = timezone.localdate().isoformat()
    response = citizen.get(url("archive"), {"date": today})
    assert response.status_code == 302
    assert response["Location"] == url("on-date", date=today)
    landing = citizen.get(response["Location"])
    assert landing.status_code == 302
    assert landing["Location"] == url("version", number=version.number)


def test_on_date_before_the_first_version_says_so(citizen, complete_registry, publish):
    publish()
    response = citizen.get(url("on-date", "nl", date="2001-01-01"))
    assert response.status_code == 404
    assert "2001" in response.content.decode()


@pytest.mark.parametrize("value", ["31/02/2026", "yesterday", "2026-13-01"])
def test_a_bad_date_is_a_form_error_not_a_500(citizen, complete_registry, publish, value):
    publish()
    response = citizen.get(url("archive"), {"date": value})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert citizen.get(f"/fr/declaration/on/{quote(value, safe='')}/").status_code == 404


@pytest.mark.parametrize(
    "query", [{"old": "1", "new": "1"}, {"old": "x", "new": "2"}, {"old": "9"}]
)
def test_tampered_comparisons_are_form_errors(citizen, complete_registry, publish, query):
    publish()
    publish()
    response = citizen.get(url("compare"), query)
    assert response.status_code == 400


def test_compare_form_redirects_to_the_changes_page(citizen, complete_registry, publish):
    publish()
    publish()
    response = citizen.get(url("compare"), {"old": "2", "new": "1"})
    assert response.status_code == 302
    assert response["Location"] == url("changes", old=1, new=2)


def test_material_change_is_announced_for_thirty_days(citizen, complete_registry, publish, travel):
    today = timezone.localdate()
    publish()
    travel(today + datetime.timedelta(days=1))
    publish(
        sections=[SECTIONS[0], dict(SECTIONS[1], body_fr="30 ans.", body_nl="30 jaar.")],
        change_kind=NoticeVersion.ChangeKind.MATERIAL,
        effective_from=today + datetime.timedelta(days=2),
    )
    changes_link = url("changes", old=1, new=2)
    travel(today + datetime.timedelta(days=2))
    assert changes_link in citizen.get(url("current")).content.decode()
    travel(today + datetime.timedelta(days=31))
    assert changes_link in citizen.get(url("current")).content.decode()
    travel(today + datetime.timedelta(days=32))
    assert changes_link not in citizen.get(url("current")).content.decode()


def test_minor_change_is_not_announced(citizen, complete_registry, publish):
    publish()
    publish()
    assert "notice-changed" not in citizen.get(url("current")).content.decode()


def test_feed_lists_new_versions(citizen, complete_registry, publish):
    publish(summary=("Première version", "Eerste versie"))
    response = citizen.get(url("feed", "nl"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "Eerste versie" in body
    assert url("version", "nl", number=1) in body


def _grow_registry(rows):
    activity = factories.ProcessingActivityFactory()
    for _ in range(rows // 2):
        activity.recipients.add(factories.RecipientFactory())
        factories.OrganisationFactory()


@pytest.mark.parametrize("name", ["current", "archive"])
def test_page_queries_do_not_depend_on_the_registry_size(citizen, complete_registry, publish, name):
    publish()

    def queries():
        citizen.get(url(name))  # warm caches
        with CaptureQueriesContext(connection) as captured:
            assert citizen.get(url(name)).status_code == 200
        return len(captured)

    _grow_registry(10)
    small = queries()
    _grow_registry(1000)
    assert queries() == small <= 4


def test_version_page_costs_a_constant_small_number_of_queries(citizen, complete_registry, publish):
    publish()
    with CaptureQueriesContext(connection) as captured:
        citizen.get(url("version", number=1))
    assert len(captured) <= 2  # the index (cold cache), the version


def test_changes_page_shows_exactly_the_changed_words_and_plain_registry_changes(
    citizen, complete_registry, publish
):
    import re

    from registry.models import RetentionRule

    publish()
    rule = complete_registry.retention_rules.get()
    RetentionRule.objects.filter(pk=rule.pk).update(duration=30)
    body = "Les données sont conservées pendant 30 ans au maximum."
    body_nl = "De gegevens worden maximaal 30 jaar bewaard."
    publish(sections=[SECTIONS[0], dict(SECTIONS[1], body_fr=body, body_nl=body_nl)])

    with translation.override("en"):
        response = citizen.get(url("changes", old=1, new=2))
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    html = response.content.decode()
    text_part = html.split('class="text-diff"')[1]
    deleted = re.findall(r"<del>(.*?)</del>", text_part, flags=re.DOTALL)
    inserted = re.findall(r"<ins>(.*?)</ins>", text_part, flags=re.DOTALL)
    # The legend shows one example of each; the section shows exactly 10 → 30.
    assert [re.sub(r"<[^>]+>|\[[^\]]*: |\]", "", d).strip() for d in deleted[1:]] == ["10"]
    assert [re.sub(r"<[^>]+>|\[[^\]]*: |\]", "", i).strip() for i in inserted[1:]] == ["30"]
    plain = html.split('id="plain-title"')[1].split("</section>")[0]
    assert "10" in plain and "30" in plain
    assert not response.cookies


def test_changes_between_unknown_versions_is_a_404(citizen, complete_registry, publish):
    publish()
    assert citizen.get(url("changes", old=1, new=7)).status_code == 404
