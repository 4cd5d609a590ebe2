"""Historical versions: a text already in force before the portal, recorded with the day it took
effect or with none ("before the portal opened, date not recorded"), and every page telling
only what is known. Ordinary publishing never backdates.
"""

import datetime
import json
import re
from html import unescape
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from notices.demo import demo_content_load
from notices.models import NoticeVersion, PublishedVersionIsImmutable, Section
from notices.pdf import notice_pdf_html
from notices.services import (
    notice_version_create_draft,
    notice_version_publish,
    notice_version_record_historical,
)
from tests.notices.conftest import SECTIONS

pytestmark = pytest.mark.django_db

MAY_1_2024 = datetime.date(2024, 5, 1)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
UNKNOWN = "before the portal opened (date not recorded)"
REASON = "Déclaration publiée sur intermut.be avant le portail."


def url(name, language="fr", /, **kwargs):
    with translation.override(language):
        return reverse(f"notices:{name}", kwargs=kwargs or None)


def said(msgid, language):
    with translation.override(language):
        return gettext(msgid)


def visible_text(html):
    """The page's text without tags and attributes (ISO dates belong in datetime="…" only)."""
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def draft(notice):
    def _draft(summary=("Texte d'avant le portail", "Tekst van vóór het portaal")):
        version = notice_version_create_draft(notice=notice)
        if not version.sections.exists():
            for position, data in enumerate(SECTIONS):
                Section.objects.create(version=version, position=position, **data)
        version.change_summary_fr, version.change_summary_nl = summary
        version.save()
        return version

    return _draft


@pytest.fixture
def undated_v1(complete_registry, draft, admin_user):
    return notice_version_record_historical(
        version=draft(), by=admin_user, effective_from=None, reason=REASON
    )


# --- The two paths --------------------------------------------------------------------------


def test_ordinary_publishing_never_backdates(complete_registry, draft, admin_user):
    version = draft()
    with pytest.raises(ValidationError) as refusal:
        notice_version_publish(
            version=version,
            by=admin_user,
            effective_from=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert "effective_from" in refusal.value.message_dict
    version.refresh_from_db()
    assert not version.is_published and not version.historical


def test_a_historical_version_keeps_its_past_date_and_its_source(
    complete_registry, draft, admin_user, notice
):
    version = notice_version_record_historical(
        version=draft(), by=admin_user, effective_from=MAY_1_2024, reason=REASON
    )
    version.refresh_from_db()
    assert version.is_published and version.historical
    assert version.effective_from == MAY_1_2024
    assert version.historical_note == REASON
    assert version.snapshot["effective_from"] == "2024-05-01"
    assert version.snapshot["historical"] == {"effective_from_known": True}
    versions = NoticeVersion.objects.filter(notice=notice)
    assert versions.current(at=MAY_1_2024) == version
    assert versions.current(at=MAY_1_2024 - datetime.timedelta(days=1)) is None


def test_an_unknown_start_is_in_force_from_the_day_it_was_recorded_only(undated_v1, notice):
    recorded = timezone.localdate(undated_v1.published_at)
    versions = NoticeVersion.objects.filter(notice=notice)

    assert undated_v1.effective_from is None
    assert undated_v1.snapshot["effective_from"] is None
    assert undated_v1.snapshot["historical"] == {"effective_from_known": False}
    assert versions.current() == undated_v1
    assert versions.current(at=recorded) == undated_v1
    # Before the portal recorded it, nobody knows: no claim either way.
    assert versions.current(at=MAY_1_2024) is None
    assert versions.earliest_undated() == undated_v1


def test_a_later_ordinary_version_supersedes_the_undated_one(undated_v1, draft, admin_user):
    today = timezone.localdate()
    second = notice_version_publish(
        version=draft(), by=admin_user, effective_from=today + datetime.timedelta(days=5)
    )
    versions = NoticeVersion.objects.filter(notice=undated_v1.notice)
    assert versions.current() == undated_v1
    assert versions.current(at=today + datetime.timedelta(days=5)) == second
    # The archive lists the undated version last, not first (NULLs sort first in DESC).
    assert list(versions.published().newest_first()) == [second, undated_v1]


@pytest.mark.parametrize(
    ("effective_from", "reason"),
    [
        ("today", REASON),
        ("tomorrow", REASON),
        ("past", ""),
        ("past", "   "),
    ],
)
def test_historical_recording_refuses_present_future_or_unsourced(
    complete_registry, draft, admin_user, effective_from, reason
):
    today = timezone.localdate()
    day = {
        "today": today,
        "tomorrow": today + datetime.timedelta(days=1),
        "past": MAY_1_2024,
    }[effective_from]
    version = draft()
    with pytest.raises(ValidationError):
        notice_version_record_historical(
            version=version, by=admin_user, effective_from=day, reason=reason
        )
    version.refresh_from_db()
    assert not version.is_published


def test_only_the_first_version_may_have_an_unknown_start(undated_v1, draft, admin_user):
    with pytest.raises(ValidationError) as refusal:
        notice_version_record_historical(
            version=draft(), by=admin_user, effective_from=None, reason=REASON
        )
    assert "effective_from" in refusal.value.message_dict


def test_historical_dates_do_not_go_back_before_a_later_version(
    complete_registry, draft, admin_user
):
    notice_version_record_historical(
        version=draft(), by=admin_user, effective_from=MAY_1_2024, reason=REASON
    )
    with pytest.raises(ValidationError):
        notice_version_record_historical(
            version=draft(),
            by=admin_user,
            effective_from=MAY_1_2024 - datetime.timedelta(days=1),
            reason=REASON,
        )


def test_a_historical_version_is_immutable_and_recorded_once(undated_v1, admin_user):
    undated_v1.effective_from = MAY_1_2024
    with pytest.raises(PublishedVersionIsImmutable):
        undated_v1.save()
    with pytest.raises(PublishedVersionIsImmutable):
        NoticeVersion.objects.filter(pk=undated_v1.pk).update(effective_from=MAY_1_2024)
    with pytest.raises(ValidationError):
        notice_version_record_historical(
            version=undated_v1, by=admin_user, effective_from=MAY_1_2024, reason=REASON
        )
    undated_v1.refresh_from_db()
    assert undated_v1.effective_from is None


def test_the_database_refuses_an_undated_version_that_is_not_historical(undated_v1):
    # Only the historical path may leave the start empty; a draft cannot be flagged either.
    # (QuerySet.update itself, past the immutability guard, to reach the database's check.)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuerySet.update(NoticeVersion.objects.filter(pk=undated_v1.pk), historical=False)
    draft = notice_version_create_draft(notice=undated_v1.notice)
    with pytest.raises(IntegrityError), transaction.atomic():
        NoticeVersion.objects.filter(pk=draft.pk).update(historical=True, historical_note="x")


# --- The demo content -----------------------------------------------------------------------


def test_demo_version_1_is_historical_with_an_unknown_start_by_default(settings):
    settings.DEMO_V1_EFFECTIVE_FROM = None
    version = demo_content_load()
    assert version.historical
    assert version.effective_from is None
    assert "DEMO_V1_EFFECTIVE_FROM" in version.historical_note


def test_demo_version_1_takes_its_start_from_the_setting(settings):
    settings.DEMO_V1_EFFECTIVE_FROM = datetime.date(2018, 5, 25)
    version = demo_content_load()
    assert version.historical
    assert version.effective_from == datetime.date(2018, 5, 25)
    assert version.snapshot["effective_from"] == "2018-05-25"


def test_a_demo_start_in_the_future_stops_the_command_with_a_message(settings):
    settings.DEMO_V1_EFFECTIVE_FROM = timezone.localdate() + datetime.timedelta(days=3)
    with pytest.raises(CommandError, match=r"before today|avant aujourd'hui"):
        call_command("load_demo_content", stdout=StringIO())
    assert not NoticeVersion.objects.published().exists()


# --- The management command -----------------------------------------------------------------


def test_the_command_records_a_draft_as_historical(complete_registry, draft, admin_user):
    version = draft()
    out = StringIO()
    call_command(
        "record_historical_version",
        "declaration",
        str(version.number),
        "--effective-from=unknown",
        f"--reason={REASON}",
        f"--by={admin_user.username}",
        stdout=out,
    )
    version.refresh_from_db()
    assert version.historical and version.effective_from is None
    assert "not recorded" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--effective-from=01/05/2024"], "must be a date"),
        (["--effective-from=2024-05-01", "--by=nobody"], "No user"),
        (["--effective-from=2999-01-01"], r"before today|avant aujourd'hui"),
    ],
)
def test_the_command_explains_refusals(complete_registry, draft, admin_user, args, message):
    version = draft()
    base = {"--reason": REASON, "--by": admin_user.username}
    given = dict(arg.split("=", 1) for arg in args)
    options = [f"{key}={value}" for key, value in {**base, **given}.items()]
    with pytest.raises(CommandError, match=message):
        call_command("record_historical_version", "declaration", str(version.number), *options)


# --- What the pages say ---------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_version_page_says_the_start_is_unknown(citizen, undated_v1, language):
    html = citizen.get(url("version", language, number=1)).content.decode()
    text = visible_text(html)

    assert said(UNKNOWN, language) in text
    assert said("In force from", language) not in text
    recorded = {"fr": "Recorded in the portal", "nl": "Recorded in the portal"}[language]
    assert said(recorded, language) in text
    assert not ISO_DATE.search(text)
    current = citizen.get(url("current", language)).content.decode()
    assert said(UNKNOWN, language) in visible_text(current)


@pytest.mark.parametrize(("language", "words"), [("fr", "1er mai 2024"), ("nl", "1 mei 2024")])
def test_version_page_gives_a_known_historical_date_in_words(
    citizen, complete_registry, draft, admin_user, language, words
):
    notice_version_record_historical(
        version=draft(), by=admin_user, effective_from=MAY_1_2024, reason=REASON
    )
    html = citizen.get(url("version", language, number=1)).content.decode()
    assert words in html
    assert 'datetime="2024-05-01"' in html
    assert not ISO_DATE.search(visible_text(html))


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_archive_says_the_start_is_unknown_and_marks_it_in_force(citizen, undated_v1, language):
    html = citizen.get(url("archive", language)).content.decode()
    text = visible_text(html)
    assert said(UNKNOWN, language) in text
    assert said("in force", language) in text
    assert not ISO_DATE.search(text)


@pytest.mark.parametrize(("language", "words"), [("fr", "1er mai 2024"), ("nl", "1 mei 2024")])
def test_the_version_on_a_date_before_the_portal_says_what_is_known(
    citizen, undated_v1, language, words
):
    response = citizen.get(url("on-date", language, date="2024-05-01"))
    # Not a redirect to version 1: the portal does not know it applied on that day.
    assert response.status_code == 200
    html = response.content.decode()
    text = visible_text(html)
    assert words in text
    assert url("version", language, number=1) in html
    recorded = timezone.localdate(undated_v1.published_at)
    with translation.override(language):
        from notices.templatetags.dates import long_date

        assert long_date(recorded) in text
    assert not ISO_DATE.search(text)


def test_the_version_on_a_date_after_it_was_recorded_is_the_undated_one(citizen, undated_v1):
    today = timezone.localdate().isoformat()
    response = citizen.get(url("on-date", date=today))
    assert response.status_code == 302
    assert response["Location"] == url("version", number=1)


def test_before_a_known_first_date_the_answer_gives_that_date_in_words(
    citizen, complete_registry, draft, admin_user
):
    notice_version_record_historical(
        version=draft(), by=admin_user, effective_from=MAY_1_2024, reason=REASON
    )
    response = citizen.get(url("on-date", date="2024-04-30"))
    assert response.status_code == 404
    text = visible_text(response.content.decode())
    assert "30 avril 2024" in text and "1er mai 2024" in text


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_changes_page_with_an_undated_first_version(
    citizen, undated_v1, draft, admin_user, language
):
    notice_version_publish(version=draft(), by=admin_user)
    response = citizen.get(url("changes", language, old=1, new=2))
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    with translation.override(language):
        from notices.templatetags.dates import long_date

        assert long_date(timezone.localdate()) in text
    assert not ISO_DATE.search(text)


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_feed_titles_say_unknown_or_the_date_in_words(
    citizen, undated_v1, draft, admin_user, language
):
    notice_version_publish(version=draft(), by=admin_user)
    body = citizen.get(url("feed", language)).content.decode()
    titles = re.findall(r"<title>(.*?)</title>", body)
    with translation.override(language):
        from notices.templatetags.dates import long_date

        today = long_date(timezone.localdate())
        unknown = gettext(
            "Version %(number)s, in force before the portal opened (date not recorded)"
        ) % {"number": 1}
    assert unknown in titles
    assert any(title.startswith(said("Version", language)) and today in title for title in titles)
    assert not any(ISO_DATE.search(title) for title in titles)


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_pdf_cover_says_the_start_is_unknown(undated_v1, language):
    html = notice_pdf_html(version=undated_v1, languages=(language,), draft_watermark=False)
    cover = html.split('class="cover"')[1].split("</section>")[0]
    assert said("In force before the portal opened (date not recorded)", language) in cover
    assert said("In force from", language) not in cover


def test_pdf_cover_gives_a_known_date_in_words(complete_registry, draft, admin_user):
    version = notice_version_record_historical(
        version=draft(), by=admin_user, effective_from=MAY_1_2024, reason=REASON
    )
    html = notice_pdf_html(version=version, languages=("fr", "nl"), draft_watermark=False)
    assert "1er mai 2024" in html and "1 mei 2024" in html


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_machine_exports_of_an_undated_version_invent_no_date(citizen, undated_v1, language):
    tilt = citizen.get(url("version-tilt", language, number=1, language=language))
    assert tilt.status_code == 200
    assert json.loads(tilt.content)["meta"]["status"] == "active"
    dpv = citizen.get(url("version-dpv", language, number=1, language=language))
    assert dpv.status_code == 200
    assert "dct:valid" not in dpv.content.decode()
    assert "null" not in dpv.content.decode()


# --- The on-date form -----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_an_invalid_date_is_quoted_in_the_message_not_echoed_into_the_date_input(
    citizen, undated_v1, language
):
    response = citizen.get(url("archive", language), {"date": "31/02/2026"})
    assert response.status_code == 400
    html = response.content.decode()
    field = re.search(r'<input type="date"[^>]*>', html).group(0)
    assert "value=" not in field
    assert 'aria-invalid="true"' in field
    error = re.search(r'<p id="id_date_error"[^>]*>(.*?)</p>', html, flags=re.S).group(1)
    assert "31/02/2026" in error
    assert response.context["page_has_errors"] is True


def test_a_valid_archive_page_has_no_error_flag(citizen, undated_v1):
    response = citizen.get(url("archive"))
    assert response.context["page_has_errors"] is False


def test_the_on_date_answer_prefills_the_date_it_answers(citizen, undated_v1):
    html = citizen.get(url("on-date", date="2024-05-01")).content.decode()
    field = re.search(r'<input type="date"[^>]*>', html).group(0)
    assert 'value="2024-05-01"' in field
