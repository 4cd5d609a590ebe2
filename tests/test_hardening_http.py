"""HTTP hardening: links built from the path and SITE_URL, bodies the portal cannot read, the
headers every response carries, strict yes/no settings, security.txt and the deploy check."""

import datetime
import logging
import re
import secrets

import pytest
from django.core.checks import run_checks
from django.core.exceptions import BadRequest
from django.test import Client, RequestFactory
from django.urls import get_resolver, reverse
from django.utils import translation

from tests.test_settings import run_with_env

FOREIGN_HOST = "evil.example"
SECURITY_HEADERS = {
    "Permissions-Policy": "camera=()",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def assert_security_headers(response):
    for name, expected in SECURITY_HEADERS.items():
        assert expected in response.get(name, ""), (name, response.get(name))
    policy = response["Permissions-Policy"]
    for feature in ("geolocation", "microphone", "payment", "usb", "browsing-topics"):
        assert f"{feature}=()" in policy


def heading(language, text):
    """The <h1> of a page, as the catalog of `language` translates it."""
    with translation.override(language):
        return f"<h1>{translation.gettext(text)}</h1>"


def errors_logged(caplog):
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


# --- Links built from the path ----------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        f"//{FOREIGN_HOST}/fr/declaration/",
        f"//{FOREIGN_HOST}/nl/verklaring/",
        f"//{FOREIGN_HOST}/",
        f"/fr//{FOREIGN_HOST}/",
        f"/nl//{FOREIGN_HOST}/verklaring/",
    ],
)
def test_a_path_that_looks_like_a_host_puts_no_foreign_link_on_the_page(citizen, path):
    """translate_url() read `//evil.example/fr/declaration/` as a URL with a host: the switcher
    linked to //evil.example/nl/verklaring/ and the hreflang alternates to https://evil.example/.
    PATH_INFO is given as is (the test client would itself read `//host/` as a host)."""
    response = citizen.get("/", PATH_INFO=path)
    assert response.status_code == 404
    body = response.content.decode()
    assert FOREIGN_HOST not in body
    # A page that matched no URL links each language's home page and claims no alternate.
    assert 'href="/nl/" hreflang="nl"' in body or 'href="/fr/" hreflang="fr"' in body
    assert 'rel="alternate"' not in body


def test_alternates_come_from_site_url_and_the_path_never_from_the_request(citizen):
    """Another allowed host name and a query string change nothing in the links."""
    response = citizen.get(
        "/fr/a-propos-de-ce-site/", {"next": f"//{FOREIGN_HOST}/"}, headers={"host": "localhost"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert FOREIGN_HOST not in body
    assert "localhost" not in body
    assert (
        '<link rel="alternate" hreflang="nl" href="https://testserver/nl/over-deze-website/">'
        in body
    )
    assert 'href="/nl/over-deze-website/" hreflang="nl"' in body


@pytest.mark.django_db
def test_the_declaration_links_its_other_language_from_site_url(citizen):
    from notices.demo import demo_content_load

    demo_content_load()
    response = citizen.get("/nl/verklaring/", headers={"host": "127.0.0.1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert '<link rel="alternate" hreflang="fr" href="https://testserver/fr/declaration/">' in body
    assert 'href="/fr/declaration/" hreflang="fr"' in body
    assert "127.0.0.1" not in body


# --- Bodies the portal cannot read ------------------------------------------------------------


def csrf_token_of(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "url_name"),
    [("fr", "admin:login"), ("nl", "admin:login"), ("fr", "rights:request")],
)
def test_a_utf16_form_body_is_a_400_page_with_the_headers_and_no_error_logged(
    caplog, language, url_name
):
    """Production: gunicorn's bare 500 and three tracebacks at ERROR. The CSRF check reads
    request.POST, Django refuses a non-UTF-8 urlencoded body (BadRequest), and its own error
    page reads request.POST again. Here with the CSRF check on, cookie and token in place."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    with translation.override(language):
        url = reverse(url_name)
    token = csrf_token_of(client.get(url).content.decode())
    caplog.set_level(logging.DEBUG)
    body = f"csrfmiddlewaretoken={token}&username=someone&password=a-password-in-utf16"
    response = client.post(
        url, data=body, content_type="application/x-www-form-urlencoded; charset=utf-16"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert heading(language, "Bad request") in html
    assert 'class="language-switcher"' in html
    assert_security_headers(response)
    assert errors_logged(caplog) == []
    assert not any("a-password-in-utf16" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_a_multipart_body_in_another_charset_is_refused_not_decoded(citizen, caplog):
    """Django would decode the fields of a multipart body declared in UTF-16 as UTF-16 (or
    ignore an unknown charset): FormBodyCharsetMiddleware answers 400 before anyone reads it."""
    url = reverse("rights:request")
    boundary = "aimboundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nA. Person\r\n'
        f"--{boundary}--\r\n"
    ).encode()
    caplog.set_level(logging.WARNING)
    response = citizen.generic(
        "POST",
        url,
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}; charset=utf-16",
    )
    assert response.status_code == 400
    assert heading("fr", "Bad request") in response.content.decode()
    assert_security_headers(response)
    assert errors_logged(caplog) == []
    assert any(r.name == "aim_privacy.headers" for r in caplog.records)


def test_a_body_with_too_many_fields_is_a_400_page_logged_as_a_warning(caplog):
    """Django logs this client error (answered 400) at ERROR with a traceback; the portal
    keeps one WARNING line without."""
    client = Client(raise_request_exception=False)
    caplog.set_level(logging.DEBUG)
    body = "&".join(f"field{number}=x" for number in range(1200))
    response = client.post(
        "/nl/uw-rechten/", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert heading("nl", "Bad request") in html
    assert_security_headers(response)
    assert errors_logged(caplog) == []
    warnings = [r for r in caplog.records if r.name == "django.security.TooManyFieldsSent"]
    assert [r.levelname for r in warnings] == ["WARNING"]
    assert warnings[0].exc_info is None


@pytest.mark.parametrize("status", [400, 500])
def test_the_error_pages_answer_without_reading_a_body_that_cannot_be_read(settings, status):
    """Django's own error views run the CSRF check, which reads request.POST: for a body Django
    cannot parse, that raises again inside the error page (the bare 500 of production). Called
    directly, outside the middleware, they also set the security headers themselves."""
    request = RequestFactory().post(
        "/fr/vos-droits/",
        data="a=b",
        content_type="application/x-www-form-urlencoded; charset=utf-16",
    )
    request.COOKIES[settings.CSRF_COOKIE_NAME] = "a" * 32
    handler = get_resolver().resolve_error_handler(status)
    if status == 400:
        response = handler(request, exception=BadRequest("unreadable body"))
    else:
        response = handler(request)
    assert response.status_code == status
    assert_security_headers(response)


# --- Headers on every response ----------------------------------------------------------------


@pytest.mark.parametrize("path", ["/fr/", "/nl/over-deze-website/", "/fr/no-such-page/"])
def test_pages_and_404_carry_the_security_headers(citizen, path):
    response = citizen.get(path)
    assert response.status_code in (200, 404)
    assert_security_headers(response)


def test_a_400_carries_the_security_headers(citizen):
    response = citizen.post(
        "/fr/vos-droits/",
        data="x=1",
        content_type="application/x-www-form-urlencoded; charset=latin-1",
    )
    assert response.status_code == 400
    assert_security_headers(response)


def test_a_500_is_the_static_page_with_the_security_headers(monkeypatch, caplog):
    import aim_privacy.views

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(aim_privacy.views, "render", broken)
    response = Client(raise_request_exception=False).get("/fr/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Erreur du serveur" in body and "Serverfout" in body
    assert_security_headers(response)


def test_a_500_goes_out_even_when_its_own_template_cannot_render(monkeypatch):
    """Django's server_error lets anything but TemplateDoesNotExist escape: the client would
    get the server's bare 500 without any header."""
    import django.template.loader

    def broken(*args, **kwargs):
        raise RuntimeError("templates unreadable")

    monkeypatch.setattr(django.template.loader, "get_template", broken)
    response = Client(raise_request_exception=False).get("/fr/")
    assert response.status_code == 500
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Serverfout" in response.content.decode()
    assert_security_headers(response)


# --- Strict yes/no settings -------------------------------------------------------------------

PRODUCTION = {
    "ALLOWED_HOSTS": "privacy.example.org",
    "SITE_URL": "https://privacy.example.org",
    "TRUSTED_PROXIES": "1",
}


def production_environment(**overrides):
    today = datetime.date.today()
    return {
        **PRODUCTION,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURITY_CONTACT": "mailto:security@example.org",
        "SECURITY_TXT_EXPIRES": (today + datetime.timedelta(days=180)).isoformat(),
        **overrides,
    }


@pytest.mark.parametrize(
    ("name", "value"),
    [("SECURE_SSL_REDIRECT", "ture"), ("DEBUG", "flase"), ("SECURE_HSTS_PRELOAD", "maybe")],
)
def test_a_yes_no_setting_refuses_anything_but_yes_or_no(name, value):
    """env.bool("SECURE_SSL_REDIRECT") read `ture` as off: the redirect went away silently."""
    result = run_with_env(["manage.py", "check"], **production_environment(**{name: value}))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Configuration error: {name} must be one of true/false")
    assert repr(value) in lines[0]


PRINT_BOOLEANS = """
import django
from django.conf import settings
django.setup()
print(settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
      settings.SECURE_HSTS_PRELOAD)
"""


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "True True True"),
        (
            {
                "SECURE_SSL_REDIRECT": "Off",
                "SECURE_HSTS_INCLUDE_SUBDOMAINS": " NO ",
                "SECURE_HSTS_PRELOAD": "0",
            },
            "False False False",
        ),
        ({"SECURE_SSL_REDIRECT": "YES", "SECURE_HSTS_PRELOAD": "on"}, "True True True"),
    ],
)
def test_yes_no_settings_read_every_spelling_and_default_to_on(env, expected):
    result = run_with_env(["-c", PRINT_BOOLEANS], **production_environment(**env))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_hsts_preload_without_subdomains_is_refused():
    result = run_with_env(
        ["manage.py", "check"], **production_environment(SECURE_HSTS_INCLUDE_SUBDOMAINS="0")
    )
    assert result.returncode == 2
    assert "SECURE_HSTS_PRELOAD needs SECURE_HSTS_INCLUDE_SUBDOMAINS" in result.stderr


# --- security.txt -----------------------------------------------------------------------------


def test_security_txt_says_where_and_until_when(citizen, settings):
    settings.SECURITY_CONTACT = "mailto:security@example.org"
    settings.SECURITY_TXT_EXPIRES = datetime.date(2027, 6, 30)
    response = citizen.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "Contact: mailto:security@example.org\n"
        "Expires: 2027-06-30T23:59:59Z\n"
        "Preferred-Languages: fr, nl, en\n"
        "Canonical: https://testserver/.well-known/security.txt\n"
    )
    assert not response.cookies
    assert_security_headers(response)


@pytest.mark.parametrize(
    ("contact", "expires"),
    [("", None), ("mailto:security@example.org", None), ("", datetime.date(2027, 6, 30))],
)
def test_security_txt_is_absent_until_both_are_configured(citizen, settings, contact, expires):
    settings.SECURITY_CONTACT = contact
    settings.SECURITY_TXT_EXPIRES = expires
    response = citizen.get("/.well-known/security.txt")
    assert response.status_code == 404
    assert b"Contact:" not in response.content


def test_security_txt_is_redirected_to_https_like_every_page(citizen, settings):
    """RFC 9116: served over HTTPS. Only /healthz is exempt from the redirect."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURITY_CONTACT = "mailto:security@example.org"
    settings.SECURITY_TXT_EXPIRES = datetime.date(2027, 6, 30)
    response = citizen.get("/.well-known/security.txt")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/.well-known/security.txt"


def deploy_check_ids():
    return {message.id for message in run_checks(include_deployment_checks=True)}


@pytest.mark.parametrize(
    ("contact", "days_ahead", "warning"),
    [
        ("", None, "aim_privacy.W010"),
        ("mailto:security@example.org", None, "aim_privacy.W010"),
        ("mailto:security@example.org", -1, "aim_privacy.W011"),
        ("mailto:security@example.org", 400, "aim_privacy.W011"),
        ("https://www.example.org/security", 200, None),
    ],
)
def test_the_deploy_check_warns_while_security_txt_is_missing_or_stale(
    settings, contact, days_ahead, warning
):
    settings.SECURITY_CONTACT = contact
    settings.SECURITY_TXT_EXPIRES = (
        None if days_ahead is None else datetime.date.today() + datetime.timedelta(days_ahead)
    )
    ids = deploy_check_ids() & {"aim_privacy.W010", "aim_privacy.W011"}
    assert ids == ({warning} if warning else set())


def test_a_security_contact_that_is_not_a_uri_is_refused():
    result = run_with_env(
        ["manage.py", "check"], **production_environment(SECURITY_CONTACT="security@example.org")
    )
    assert result.returncode == 2
    assert result.stderr.startswith("Configuration error: SECURITY_CONTACT must be a mailto:")


# --- The deploy check as production runs it ---------------------------------------------------


def test_the_deploy_check_passes_with_production_variables():
    result = run_with_env(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **production_environment()
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_fails_while_security_txt_is_not_configured():
    result = run_with_env(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **production_environment(SECURITY_CONTACT="", SECURITY_TXT_EXPIRES=""),
    )
    assert result.returncode == 1
    assert "aim_privacy.W010" in result.stderr
