"""Test settings: the production settings with DEBUG off, plus what keeps tests quick and local.

DATABASE_URL and REDIS_URL are honoured, so the same suite runs on SQLite and locmem by default
and on PostgreSQL and Redis in CI.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SITE_URL", "https://testserver")
os.environ["DEBUG"] = "false"

from aim_privacy.settings import *  # noqa: F403
from aim_privacy.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The tests speak plain HTTP to the test client and the live server.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# A browser drops a __Host- cookie that is not Secure: plain names over plain http.
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
SECURE_HSTS_SECONDS = 0
# No collectstatic before tests: plain storage, as WhiteNoise's manifest needs a manifest.
# Each test run its own private directory (attachments), removed by the OS's tmp cleaning.
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="aim-private-")
STORAGES = {
    **STORAGES,
    "private": {
        "BACKEND": "aim_privacy.storage.PrivateStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
