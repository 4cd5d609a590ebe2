"""A form posted without its CSRF cookie (cookies blocked) gets the site's own page, which keeps
what was typed (aim_privacy/csrf.py, CSRF_FAILURE_VIEW)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

TYPED = {
    "name": "Anne <b>Dupont</b>",
    "email": "anne@example.be",
    "right": "access",
    "description": 'Quelles données gardez-vous ? <script>alert("x")</script>',
    "phone": "0470 12 34 56",
    "website": "zzhoneypot <i>value</i>",
    "csrfmiddlewaretoken": "a" * 64,
}
DJANGO_DEFAULT = ("CSRF verification failed", "Forbidden", "More information is available")
POSTAL = {"fr": "Tour Manhattan Center", "nl": "Bolwerklaan 21, 1210 Brussel"}
LABEL = {"fr": "Votre adresse e-mail", "nl": "Uw e-mailadres"}


def request_url(language):
    with translation.override(language):
        return reverse("rights:request")


@pytest.fixture
def cookieless():
    """A browser that blocks cookies: it never sends the CSRF cookie back."""
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_request_form_posted_without_cookie_gets_own_page_keeping_what_was_typed(
    cookieless, language
):
    response = cookieless.post(request_url(language), TYPED)

    assert response.status_code == 403
    page = response.content.decode()
    for text in DJANGO_DEFAULT:
        assert text not in page
    assert f'<html lang="{language}">' in page
    assert LABEL[language] in page  # the request form, in the URL's language
    assert f'action="{request_url(language)}"' in page
    # What was typed, escaped, in fields that can be sent again.
    assert 'value="Anne &lt;b&gt;Dupont&lt;/b&gt;"' in page
    assert 'value="anne@example.be"' in page
    assert 'value="0470 12 34 56"' in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert '<option value="access" selected>' in page
    assert "<script>alert" not in page and "<b>Dupont" not in page
    # Never the robots' trap, never the posted token.
    assert "zzhoneypot" not in page
    assert "a" * 64 not in page
    # Why, and another way to the DPO without cookies.
    assert settings.CSRF_COOKIE_NAME in page
    assert settings.DPO_FALLBACK_EMAIL in page
    assert POSTAL[language] in page
    # The other language is summarised and linked.
    other = "nl" if language == "fr" else "fr"
    assert f'lang="{other}"' in page
    assert f'href="{request_url(other)}"' in page
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_a_resubmission_with_the_cookie_from_the_failure_page_goes_through(cookieless):
    """Once cookies are allowed, the failure page's own form works (its token matches the
    cookie it set)."""
    first = cookieless.post(request_url("fr"), TYPED)
    assert first.status_code == 403
    assert settings.CSRF_COOKIE_NAME in first.cookies  # set with the page, kept by the client
    token = first.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    second = cookieless.post(request_url("fr"), {**TYPED, "csrfmiddlewaretoken": token})
    assert second.status_code != 403


def test_a_post_from_another_site_is_not_shown_back():
    """With the cookie in place but another site's Origin, nothing posted is shown back: that
    site could otherwise fill in the form a person then sees on this one."""
    client = Client(enforce_csrf_checks=True)
    client.get(request_url("fr"))  # the cookie
    response = client.post(request_url("fr"), TYPED, HTTP_ORIGIN="https://evil.example")

    assert response.status_code == 403
    page = response.content.decode()
    assert "Dupont" not in page and "anne@example.be" not in page
    assert settings.DPO_FALLBACK_EMAIL in page


def test_other_forms_get_the_page_without_any_field_echoed(cookieless, admin_user):
    with translation.override("nl"):
        login = reverse("admin:login")
    response = cookieless.post(login, {"username": "root", "password": "secret-pw-1234"})

    assert response.status_code == 403
    page = response.content.decode()
    assert "secret-pw-1234" not in page
    assert "root" not in page.split("<main", 1)[1]
    assert settings.DPO_FALLBACK_EMAIL in page


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b"\xff\xfe\x00bad=\xff", "application/x-www-form-urlencoded"),
        (b"--x\r\nbroken", "multipart/form-data; boundary=x"),
        (b"name=" + b"A" * 100_000, "application/x-www-form-urlencoded"),
        (b"&".join(b"f%d=1" % i for i in range(2000)), "application/x-www-form-urlencoded"),
        (b"{}", "application/json"),
    ],
)
def test_no_post_body_makes_it_fail(cookieless, body, content_type):
    response = cookieless.post(request_url("fr"), body, content_type=content_type)
    assert response.status_code in (400, 403)
    assert b"CSRF verification failed" not in response.content


def test_long_values_are_cut_to_the_fields_length(cookieless):
    response = cookieless.post(request_url("nl"), {**TYPED, "name": "B" * 5000})
    assert response.status_code == 403
    page = response.content.decode()
    assert "B" * 200 in page
    assert "B" * 201 not in page
