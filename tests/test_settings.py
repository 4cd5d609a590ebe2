"""Configuration from the environment: embedded defaults, and a loud refusal without secrets."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.subprocess_env import read_json, run_with_env

ROOT = Path(__file__).resolve().parent.parent

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "cache": settings.CACHES["default"]["BACKEND"],
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "email": settings.EMAIL_BACKEND,
    "email_host": getattr(settings, "EMAIL_HOST", ""),
    "debug": settings.DEBUG,
}))
"""


SITE = "https://privacy.example.org"


def read_settings(**env):
    return read_json(PRINT_SETTINGS, **env)


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"ALLOWED_HOSTS": "example.org", "SITE_URL": SITE}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 50, "SITE_URL": SITE}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": " ", "SITE_URL": SITE}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"}, "SITE_URL"),
    ],
)
def test_refuses_to_start_without_a_required_variable(env, missing):
    result = run_with_env(["manage.py", "check"], **env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Configuration error: {missing} is not set")


def test_starts_with_debug_off_when_both_are_set():
    result = run_with_env(
        ["manage.py", "check", "--deploy", "--fail-level", "ERROR"],
        SECRET_KEY="a-long-random-production-key-" + "k" * 40,
        ALLOWED_HOSTS="privacy.example.org",
        SITE_URL=SITE,
    )
    assert result.returncode == 0, result.stderr


def test_refuses_a_site_url_without_https_when_debug_is_off():
    """Every confirmation link in e-mails is built from SITE_URL: never plain http, never a
    silent localhost default in production."""
    result = run_with_env(
        ["manage.py", "check"],
        SECRET_KEY="k" * 50,
        ALLOWED_HOSTS="privacy.example.org",
        SITE_URL="http://privacy.example.org",
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "SITE_URL must start with https://" in lines[0]


def test_embedded_defaults_without_any_url():
    values = read_settings(DEBUG="1")
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(ROOT / "var" / "db.sqlite3")
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["eager"] is True
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"


def test_urls_select_postgresql_redis_and_smtp():
    values = read_settings(
        DEBUG="1",
        DATABASE_URL="postgres://aim@db.internal:5432/aim",
        REDIS_URL="redis://cache.internal:6379/0",
        EMAIL_URL="smtp+tls://mailer:pw@smtp.internal:587",
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "aim"
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["eager"] is False
    assert values["broker"] == "redis://cache.internal:6379/0"
    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["email_host"] == "smtp.internal"


def test_debug_is_off_unless_asked_for():
    values = read_settings(SECRET_KEY="k" * 50, ALLOWED_HOSTS="example.org", SITE_URL=SITE)
    assert values["debug"] is False


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")
def test_cache_round_trip_through_the_configured_redis():
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    cache.set("settings-test-key", {"ok": 1}, timeout=30)
    assert cache.get("settings-test-key") == {"ok": 1}
    cache.delete("settings-test-key")


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="DATABASE_URL is not set")
@pytest.mark.django_db
def test_suite_runs_on_the_configured_postgresql():
    from django.db import connection

    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 130000
