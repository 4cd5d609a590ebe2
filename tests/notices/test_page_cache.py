"""Published pages at the framework's floor (notices/page_cache.py): decided from a cached index,
rendered once, answered 304 without loading a snapshot, and still served when the cache is down.

Query counts and template renders are what these tests count (times belong to `make bench`).
"""

import datetime
import hashlib

import pytest
import time_machine
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from notices import page_cache
from notices.models import NoticeVersion
from notices.services import notice_version_create_draft, notice_version_publish

pytestmark = pytest.mark.django_db

PAGES = [
    ("current", {}),
    ("archive", {}),
    ("version", {"number": 1}),
    ("version-json", {"number": 1}),
    ("changes", {"old": 1, "new": 2}),
    ("feed", {}),
]


def url(name, language="fr", **kwargs):
    with translation.override(language):
        return reverse(f"notices:{name}", kwargs=kwargs)


def copies(version, count):
    """`count` more published versions like `version` (its snapshot, new numbers and dates):
    a long history without publishing each one through the gates."""
    for number in range(version.number + 1, version.number + 1 + count):
        NoticeVersion.objects.create(
            notice=version.notice,
            number=number,
            status=NoticeVersion.Status.PUBLISHED,
            change_kind=NoticeVersion.ChangeKind.MINOR,
            change_summary_fr="Résumé",
            change_summary_nl="Samenvatting",
            effective_from=version.effective_from + datetime.timedelta(days=number),
            published_at=timezone.now(),
            published_by=version.published_by,
            snapshot=version.snapshot,
            sha256=hashlib.sha256(f"copy {number}".encode()).hexdigest(),
        )


@pytest.fixture
def history(complete_registry, publish):
    """history(n): n published versions."""

    def make(count):
        # Published 400 days ago (a version never takes effect in the past), the copies after.
        with time_machine.travel(timezone.now() - datetime.timedelta(days=400), tick=False):
            first = publish()
        copies(first, count - 1)
        return first

    return make


class Renders:
    def __init__(self):
        self.count = 0

    def __call__(self, sender, **kwargs):
        self.count += 1


@pytest.fixture
def renders():
    counter = Renders()
    template_rendered.connect(counter)
    yield counter
    template_rendered.disconnect(counter)


def queries(client, path, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **headers)
    assert response.status_code in (200, 304), (path, response.status_code)
    return len(captured), response


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_each_page_costs_the_same_queries_with_thirty_versions_as_with_two(
    citizen, history, name, kwargs
):
    from django.core.cache import cache

    history(2)
    cold_two, _ = queries(citizen, url(name, **kwargs))
    warm_two, _ = queries(citizen, url(name, **kwargs))
    cache.clear()
    page_cache.local_clear()
    copies(NoticeVersion.objects.get(number=2), 28)
    cold_thirty, _ = queries(citizen, url(name, **kwargs))
    warm_thirty, _ = queries(citizen, url(name, **kwargs))
    assert NoticeVersion.objects.published().count() == 30
    assert cold_thirty == cold_two <= 5
    # Served from the cache: not one query, whatever the history.
    assert warm_two == warm_thirty == 0


# The pages built from templates (the JSON and the feed are not: the query counts above show
# they are served from the cache).
HTML_PAGES = [page for page in PAGES if page[0] not in ("version-json", "feed")]


@pytest.mark.parametrize(("name", "kwargs"), HTML_PAGES)
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_second_request_renders_no_template(citizen, history, renders, name, kwargs, language):
    history(2)
    first = citizen.get(url(name, language, **kwargs))
    assert first.status_code == 200
    rendered = renders.count
    second = citizen.get(url(name, language, **kwargs))
    assert second.status_code == 200
    assert renders.count == rendered
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"] == first["Content-Type"]


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_a_conditional_request_loads_no_snapshot(citizen, history, name, kwargs):
    history(2)
    first = citizen.get(url(name, **kwargs))
    # Only the index is needed: no page body, no version row.
    count, response = queries(citizen, url(name, **kwargs), HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 304
    assert count == 0


def test_a_new_publication_shows_at_once(
    citizen, complete_registry, publish, notice, admin_user, django_capture_on_commit_callbacks
):
    publish()
    before = citizen.get(url("current"))
    # Published through the service itself (the fixture would drop the index on its own), and
    # as in production what it does after its commit runs.
    draft = notice_version_create_draft(notice=notice)
    draft.change_summary_fr, draft.change_summary_nl = "Deuxième version", "Tweede versie"
    draft.save()
    with django_capture_on_commit_callbacks(execute=True):
        notice_version_publish(version=draft, by=admin_user, effective_from=timezone.localdate())
    after = citizen.get(url("current"))
    assert after["ETag"] != before["ETag"]
    assert f'href="{url("version", number=2)}"' in after.content.decode()
    archive = citizen.get(url("archive")).content.decode()
    assert "Deuxième version" in archive


def test_a_new_deployment_renders_again(citizen, history, renders, monkeypatch):
    history(2)
    citizen.get(url("version", number=1))
    rendered = renders.count
    monkeypatch.setattr(page_cache, "render_fingerprint", lambda: "another-release")
    citizen.get(url("version", number=1))
    assert renders.count > rendered


DEAD_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        # Nothing listens on port 1: every cache call fails at once.
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_pages_are_served_when_the_cache_is_down(citizen, history, name, kwargs):
    history(2)
    with override_settings(CACHES=DEAD_CACHE):
        first = citizen.get(url(name, **kwargs))
        second = citizen.get(url(name, **kwargs), HTTP_IF_NONE_MATCH=first["ETag"])
    assert first.status_code == 200
    assert second.status_code == 304
