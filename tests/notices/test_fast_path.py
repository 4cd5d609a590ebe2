"""The declaration's busiest pages answered by notices.middleware.PublishedPagesMiddleware give
exactly what the usual path gives: same status, body and headers; the rest takes the usual path.
"""

from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

FAST = "notices.middleware.PublishedPagesMiddleware"
# Headers that differ between two answers whatever the path.
VOLATILE = {"Date"}


def without_fast_path():
    return override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != FAST])


def url(name, language):
    with translation.override(language):
        return reverse(f"notices:{name}")


def answer(path, **headers):
    """The page as a new reader gets it, rendered afresh (nothing cached by the other path)."""
    from django.core.cache import cache

    from notices.page_cache import local_clear

    cache.clear()
    local_clear()
    response = Client().get(path, **headers)
    return (
        response.status_code,
        response.content,
        {name: value for name, value in response.headers.items() if name not in VOLATILE},
    )


@pytest.mark.parametrize("name", ["current", "archive", "feed"])
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_fast_path_answers_what_the_usual_path_answers(
    complete_registry, publish, name, language
):
    publish()
    path = url(name, language)
    fast = answer(path)
    with without_fast_path():
        usual = answer(path)
    assert fast[0] == usual[0] == 200
    assert fast[1] == usual[1]
    assert fast[2] == usual[2]
    assert fast[2]["X-Frame-Options"] == "DENY"
    # The language links of the page (built from the URL's match) lead to the same page.
    other = "nl" if language == "fr" else "fr"
    if name != "feed":
        assert f'href="{url(name, other)}" hreflang="{other}"'.encode() in fast[1]
    # And the conditional request.
    etag = fast[2]["ETag"]
    assert answer(path, HTTP_IF_NONE_MATCH=etag)[0] == 304


def test_the_fast_path_takes_no_url_resolution_and_no_later_middleware(complete_registry, publish):
    publish()
    path = url("current", "fr")
    Client().get(path)
    with mock.patch("django.urls.resolvers.URLResolver.resolve") as resolve:
        response = Client().get(path)
    assert response.status_code == 200
    resolve.assert_not_called()


def test_a_query_string_takes_the_usual_path(complete_registry, publish):
    publish()
    response = Client().get(url("archive", "fr"), {"date": "2026-02-30"})
    assert response.status_code == 400  # the on-date form's error, from the usual path


def test_a_database_error_is_answered_as_on_the_usual_path(complete_registry, publish):
    publish()
    with mock.patch("notices.page_cache._index_from_database", side_effect=OperationalError):
        from notices.page_cache import local_clear

        local_clear()
        response = Client().get(url("current", "nl"))
    assert response.status_code == 503
    assert response["Retry-After"]


def test_no_version_in_force_is_a_404(notice):
    response = Client().get(url("current", "fr"))
    assert response.status_code == 404
