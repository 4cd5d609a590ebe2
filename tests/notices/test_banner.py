"""The material-change banner lasts 30 days whatever minor versions follow, and the current
page's Last-Modified and ETag change on the days its content changes by the calendar alone."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from notices.models import NoticeVersion
from notices.templatetags.dates import long_date
from tests.notices.conftest import SECTIONS

pytestmark = pytest.mark.django_db

MATERIAL = NoticeVersion.ChangeKind.MATERIAL


def url(name, **kwargs):
    with translation.override("fr"):
        return reverse(f"notices:{name}", kwargs=kwargs or None)


def changed(days):
    return [SECTIONS[0], dict(SECTIONS[1], body_fr=f"{days} ans.", body_nl=f"{days} jaar.")]


def test_the_banner_survives_a_later_minor_version(citizen, complete_registry, publish, travel):
    day0 = timezone.localdate()
    publish()
    travel(day0 + datetime.timedelta(days=1))
    material = publish(
        sections=changed(30), change_kind=MATERIAL, effective_from=day0 + datetime.timedelta(2)
    )
    travel(day0 + datetime.timedelta(days=3))
    minor = publish(sections=changed(31), effective_from=day0 + datetime.timedelta(days=4))
    changes_link = url("changes", old=1, new=2)

    travel(day0 + datetime.timedelta(days=4))
    page = citizen.get(url("current")).content.decode()
    assert f"<dd>{minor.number}</dd>" in page  # the minor version is the one in force
    assert "notice-changed" in page
    banner = page.split("notice-changed")[1].split("</div>")[0]
    assert changes_link in banner
    assert long_date(material.effective_from, "fr") in banner  # the material change's day
    travel(day0 + datetime.timedelta(days=31))
    assert changes_link in citizen.get(url("current")).content.decode()
    travel(day0 + datetime.timedelta(days=32))
    assert changes_link not in citizen.get(url("current")).content.decode()


def test_a_later_material_change_takes_over_the_banner(citizen, complete_registry, publish, travel):
    day0 = timezone.localdate()
    publish()
    publish(sections=changed(30), change_kind=MATERIAL)
    travel(day0 + datetime.timedelta(days=10))
    publish(sections=changed(40), change_kind=MATERIAL)
    page = citizen.get(url("current")).content.decode()
    assert url("changes", old=2, new=3) in page
    assert url("changes", old=1, new=2) not in page


def conditional_headers(response):
    return {"if-modified-since": response["Last-Modified"]}, {"if-none-match": response["ETag"]}


def test_old_validators_get_the_new_page_the_day_an_upcoming_version_takes_effect(
    citizen, complete_registry, publish, travel
):
    day0 = timezone.localdate()
    publish()
    upcoming = publish(sections=changed(30), effective_from=day0 + datetime.timedelta(days=1))
    before = citizen.get(url("current"))
    since, match = conditional_headers(before)
    assert citizen.get(url("current"), headers=since).status_code == 304

    travel(day0 + datetime.timedelta(days=1))
    for headers in (since, match):
        response = citizen.get(url("current"), headers=headers)
        assert response.status_code == 200
        assert f"<dd>{upcoming.number}</dd>" in response.content.decode()
    after = citizen.get(url("current"))
    assert citizen.get(url("current"), headers=conditional_headers(after)[0]).status_code == 304


def test_old_validators_get_the_new_page_the_day_the_banner_expires(
    citizen, complete_registry, publish, travel
):
    day0 = timezone.localdate()
    publish()
    publish(sections=changed(30), change_kind=MATERIAL)
    travel(day0 + datetime.timedelta(days=29))
    before = citizen.get(url("current"))
    assert "notice-changed" in before.content.decode()
    since, match = conditional_headers(before)

    travel(day0 + datetime.timedelta(days=30))
    for headers in (since, match):
        response = citizen.get(url("current"), headers=headers)
        assert response.status_code == 200
        assert "notice-changed" not in response.content.decode()
    after = citizen.get(url("current"))
    assert after["Last-Modified"] != before["Last-Modified"]
    assert after["ETag"] != before["ETag"]
