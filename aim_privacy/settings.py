"""Settings of the AIM privacy portal, read from the environment.

Every value has an embedded default that is safe for a laptop (SQLite under var/, local-memory
cache, Celery in eager mode, e-mail on the console), except the two that must never have one in
production: with DEBUG off, SECRET_KEY and ALLOWED_HOSTS are required.
The variables are listed in README.md ("Configuration").
"""

import datetime
import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from redis.backoff import NoBackoff
from redis.retry import Retry

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()


def required(name: str) -> str:
    """A variable that has no default once DEBUG is off; the message fits on one line."""
    value = env.str(name, default="").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set: it is required when DEBUG is off (see README.md, Configuration)."
        )
    return value


TRUE_WORDS = {"true", "1", "yes", "on"}
FALSE_WORDS = {"false", "0", "no", "off"}


def env_bool(name: str, *, default: bool) -> bool:
    """A yes/no variable: true/false, 1/0, yes/no, on/off (any case); unset or empty is the
    default. Anything else stops the portal (env.bool would read `ture` as off, silently)."""
    raw = os.environ.get(name, "")
    value = raw.strip().lower()
    if not value:
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of true/false, 1/0, yes/no, on/off, not {raw!r} "
        "(see README.md, Configuration)."
    )


def env_date(name: str) -> datetime.date | None:
    """An ISO date (YYYY-MM-DD), or None when unset or empty; anything else stops the portal."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a date such as 2027-06-30, not {raw!r} (see README.md, Configuration)."
        ) from None


# --- Core -----------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", default=False)

if DEBUG:
    # Only a developer's own machine runs with DEBUG on; `make run` writes a random key to
    # var/secret_key and passes it, so this fallback is for one-off commands.
    SECRET_KEY = env.str("SECRET_KEY", default="") or "insecure-key-for-local-debug-only"
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
else:
    SECRET_KEY = required("SECRET_KEY")
    ALLOWED_HOSTS = [host.strip() for host in required("ALLOWED_HOSTS").split(",") if host.strip()]

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before django.contrib.admin.
    "modeltranslation",
    # django.contrib.admin, with the portal's admin site (second factor): admin_config.py.
    "aim_privacy.admin_config.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_countries",
    "simple_history",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "aim_privacy",
    "registry",
    "notices",
    "requests",
]

MIDDLEWARE = [
    # First, so that every response gets Permissions-Policy and CORP (aim_privacy/headers.py).
    "aim_privacy.headers.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # django-csp, its fixed header built once (aim_privacy/csp.py).
    "aim_privacy.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # The current declaration, the archive and the feed from the page cache, without the
    # middleware below that they do not use (notices/middleware.py).
    "notices.middleware.PublishedPagesMiddleware",
    # After the language is known (its 400 page is translated), before anything reads the body.
    "aim_privacy.headers.FormBodyCharsetMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has the session passed the second factor?
    "django_otp.middleware.OTPMiddleware",
    # Renews a logged-in session at each request; logs it out SESSION_MAX_HOURS after login.
    "aim_privacy.security.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns a locked-out login into the lockout page (AXES_LOCKOUT_CALLABLE).
    "axes.middleware.AxesMiddleware",
    # Last, so that its process_exception sees a view's database error first.
    "aim_privacy.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "aim_privacy.urls"
WSGI_APPLICATION = "aim_privacy.wsgi.application"
ASGI_APPLICATION = "aim_privacy.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # AIM's address and contacts for the footer, from the settings alone.
                "aim_privacy.context_processors.institution",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A database that does not answer must not hold a worker until gunicorn kills it: give up
    # connecting after DATABASE_CONNECT_TIMEOUT seconds (libpq counts the whole handshake, so a
    # port that accepts and never answers fails too), let the server cancel a statement after
    # DATABASE_STATEMENT_TIMEOUT ms (0: no limit, e.g. for one long migration), and let TCP
    # keepalives notice a server that vanished (after about a minute, not the kernel's hours).
    # Values given in DATABASE_URL's query string win.
    _database_options = DATABASES["default"].setdefault("OPTIONS", {})
    _database_options.setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3))
    _statement_timeout = env.int("DATABASE_STATEMENT_TIMEOUT", default=5000)
    if "statement_timeout" not in _database_options.get("options", ""):
        _database_options["options"] = " ".join(
            [_database_options.get("options", ""), f"-c statement_timeout={_statement_timeout}"]
        ).strip()
    for _name, _value in {
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 3,
    }.items():
        _database_options.setdefault(_name, _value)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# --- Cache and Celery -----------------------------------------------------------------------

REDIS_URL = env.str("REDIS_URL", default="")

# A hung Redis must not hang a page: Redis answers in a millisecond or not at all, so give up
# after 0.3 s, and try once (Django's RedisCache hands OPTIONS to redis-py's ConnectionPool,
# whose connections retry nothing unless told to; said here so that no library default can
# quietly turn one timeout into several). Every user of the cache copes with it failing.
REDIS_CACHE_OPTIONS = {
    "socket_connect_timeout": 0.3,
    "socket_timeout": 0.3,
    "retry": Retry(NoBackoff(), 0),
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "aim",
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# kombu's socket timeouts default to none: against a hung Redis, .delay() would block. Web
# requests never publish themselves (aim_privacy.background does it off the request path), but
# that thread must not be stuck either: a publish gives up after about 2 s in all (1 s timeouts,
# one retry), and the outbox's relay sends what it could not hand over. The worker's BRPOP runs
# on kombu's event loop, so a short socket timeout does not cut its long polls.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 1,
    "socket_connect_timeout": 1,
    "max_retries": 1,
    "visibility_timeout": 3600,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Brussels"
CELERY_BEAT_SCHEDULE = {
    "relay-pending-emails": {
        "task": "requests.tasks.relay_pending_notifications",
        "schedule": 60.0,
    },
    "delete-unconfirmed-requests": {
        "task": "requests.tasks.delete_unconfirmed_requests",
        "schedule": 3600.0,
    },
    "dpo-digest": {
        "task": "requests.tasks.send_dpo_digest",
        "schedule": crontab(hour=7, minute=30),
    },
    "anonymise-closed-requests": {
        "task": "requests.tasks.anonymise_closed_requests",
        "schedule": crontab(hour=3, minute=15),
    },
    # Expired admin sessions hold who was logged in: Django never deletes them by itself.
    "clear-expired-sessions": {
        "task": "aim_privacy.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=45),
    },
}

# How many reverse proxies in front of the app append to X-Forwarded-For (0: none; the client
# address is REMOTE_ADDR). Used for the per-IP rate limits and the wizard's hourly count; behind
# a proxy, 0 puts every citizen in one bucket (a system check warns: aim_privacy/checks.py).
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
# Rate limits: "N/s", "N/m", "N/h", "N/d", or "N/Mm" etc. for N per M units ("10/10m").
RIGHTS_REQUESTS_RATE_LIMIT = env.str("RIGHTS_REQUESTS_RATE_LIMIT", default="5/h")
# Confirmation e-mails per recipient address (case, "+tag" and Gmail dots ignored), whatever
# the client address: the form must not become a way to mail one person over and over.
RIGHTS_REQUESTS_RATE_LIMIT_PER_EMAIL = env.str(
    "RIGHTS_REQUESTS_RATE_LIMIT_PER_EMAIL", default="3/d"
)
# Letters (HTML or PDF) per client address: a PDF costs about 0.15 s of CPU.
RIGHTS_LETTER_RATE_LIMIT = env.str("RIGHTS_LETTER_RATE_LIMIT", default="10/10m")
# Wrong tries at the download page of an answer's files (reference and e-mail), per client address
# and per link (requests/download_views.py).
RIGHTS_DOWNLOAD_RATE_LIMIT = env.str("RIGHTS_DOWNLOAD_RATE_LIMIT", default="10/h")
RIGHTS_DOWNLOAD_RATE_LIMIT_PER_LINK = env.str("RIGHTS_DOWNLOAD_RATE_LIMIT_PER_LINK", default="5/h")

# Links in e-mails (confirmation) point here: required, and https, once DEBUG is off (a
# silent default would send every citizen a confirmation link to localhost).
if DEBUG:
    SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
else:
    SITE_URL = required("SITE_URL")
    if not SITE_URL.startswith("https://"):
        raise ImproperlyConfigured(
            f"SITE_URL must start with https:// when DEBUG is off, not {SITE_URL!r} "
            "(see README.md, Configuration)."
        )
SITE_URL = SITE_URL.rstrip("/")
# The registry's retention rule for stored data subject requests (eat our own cooking).
RIGHTS_REQUESTS_RETENTION_RULE = env.str(
    "RIGHTS_REQUESTS_RETENTION_RULE", default="data-subject-requests"
)

# --- When a dependency is down --------------------------------------------------------------

# How to reach AIM's data protection officer when the database (and so the registry) cannot be
# read, e.g. on the request form when a request could not be stored. Copied from AIM's
# declaration, as registry/seed.py loads it (tests/test_dead_services.py checks they agree).
DPO_FALLBACK_EMAIL = env.str("DPO_FALLBACK_EMAIL", default="dpo@intermut.be")
DPO_FALLBACK_POSTAL_ADDRESS = {
    "fr": env.str(
        "DPO_FALLBACK_POSTAL_ADDRESS_FR",
        default="Tour Manhattan Center, 7e étage, Avenue du Boulevard 21, 1210 Bruxelles",
    ),
    "nl": env.str(
        "DPO_FALLBACK_POSTAL_ADDRESS_NL",
        default="Manhattan Center, 7de verdieping, Bolwerklaan 21, 1210 Brussel",
    ),
}

# /healthz names the failing dependency only to a request whose X-Healthz-Token header equals
# this; empty: never.
HEALTHZ_TOKEN = env.str("HEALTHZ_TOKEN", default="")

# --- AIM's identity and the accessibility statement -----------------------------------------

# The footer of every page (the 503 page too, so never from the database), as registry/seed.py
# loads them (tests/test_accessibility_statement.py checks they agree). The Dutch building
# wording is still to confirm (GLOSSARY.md): the footer gives only the checked street address.
AIM_ENTERPRISE_NUMBER = "0478.655.210"
AIM_FOOTER_ADDRESS = {
    "fr": DPO_FALLBACK_POSTAL_ADDRESS["fr"],
    "nl": "Bolwerklaan 21, 1210 Brussel",
}
# When the accessibility statement was first prepared and last reviewed (a self-assessment):
# change ACCESSIBILITY_REVIEWED_ON (YYYY-MM-DD) after each new review.
ACCESSIBILITY_STATEMENT_PREPARED_ON = datetime.date(2026, 11, 30)
ACCESSIBILITY_REVIEWED_ON = env_date("ACCESSIBILITY_REVIEWED_ON") or datetime.date(2026, 11, 30)

# --- E-mail ---------------------------------------------------------------------------------

if env.str("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))
elif env.str("EMAIL_HOST", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env.str("EMAIL_HOST")
    EMAIL_PORT = env.int("EMAIL_PORT", default=587)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = 10
# An e-mail of the outbox is retried (with backoff) for this many days before it is given up
# and listed for the DPO; never because of how many times it was tried.
EMAIL_DELIVERY_HORIZON_DAYS = env.int("EMAIL_DELIVERY_HORIZON_DAYS", default=3)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="AIM-IMA <no-reply@localhost>")
# What requesters receive about their request (acknowledgement, answer, refusal…) comes from the
# DPO: DPO_FROM_EMAIL must be an address the mail relay may send for (SPF/DKIM), and replies go
# to DPO_REPLY_TO, the DPO's mailbox.
DPO_FROM_EMAIL = env.str("DPO_FROM_EMAIL", default=DEFAULT_FROM_EMAIL)
DPO_REPLY_TO = env.str("DPO_REPLY_TO", default=DPO_FALLBACK_EMAIL)
# How long the link to an answer's attachments works (days).
DOWNLOAD_LINK_DAYS = env.int("DOWNLOAD_LINK_DAYS", default=30)
# Largest file the DPO may attach to a request (bytes).
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation -------------------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("nl", _("Dutch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True

# django-modeltranslation: every translated field exists in both languages, and a reader never
# sees the other language in place of their own (Dutch is not a fallback for French, nor the
# reverse): an empty translation is a completeness error, not something to paper over.
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_LANGUAGES = ("fr", "nl")
MODELTRANSLATION_FALLBACK_LANGUAGES = ()
# The admin's FR/NL tabs use jQuery UI; served from static/, never from a CDN
# (django-modeltranslation reads these two unprefixed names).
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"
JQUERY_URL = "admin/js/vendor/jquery/jquery.min.js"

# --- Static and media files -----------------------------------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Files kept with data subject requests (an incoming letter, an Art. 15 copy): never under
# MEDIA_ROOT and never served by a URL; staff open them through the admin, the requester through
# an expiring download link (requests/models/attachments.py). Web and worker processes must
# share this directory.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "aim_privacy.storage.PrivateStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The notice the public pages under /fr/declaration/ and /nl/verklaring/ serve.
NOTICES_PRIMARY_SLUG = "declaration"
# The day version 1 of the demo content (AIM's declaration before the portal) took effect, as
# YYYY-MM-DD; empty (the default) when it is not known: the portal then says "in force before
# the portal opened (date not recorded)" rather than a date.
DEMO_V1_EFFECTIVE_FROM = env_date("DEMO_V1_EFFECTIVE_FROM")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -------------------------------------------------------------------------------

# Reading pages fetch nothing from another origin and run no inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Sent by aim_privacy.headers.SecurityHeadersMiddleware (Django has no setting for these): no
# other origin may embed the portal's responses, and no page may use a powerful browser
# feature; the portal uses none of them. Only features Chromium recognises are listed (it
# prints a console error for each unknown one, e.g. ambient-light-sensor, bluetooth, web-share).
SECURE_CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
PERMISSIONS_POLICY_DENIED = [
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "clipboard-read",
    "compute-pressure",
    "digital-credentials-get",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "gamepad",
    "geolocation",
    "gyroscope",
    "hid",
    "identity-credentials-get",
    "idle-detection",
    "interest-cohort",
    "local-fonts",
    "magnetometer",
    "microphone",
    "midi",
    "otp-credentials",
    "payment",
    "picture-in-picture",
    "publickey-credentials-create",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "speaker-selection",
    "storage-access",
    "usb",
    "window-management",
    "xr-spatial-tracking",
]
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# No script of the portal reads the CSRF cookie (forms carry the token).
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "aim_privacy.csrf.csrf_failure"  # own page, keeps what was typed
if not DEBUG:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    # A commitment for the whole domain: every subdomain of the portal's host must serve HTTPS
    # only (includeSubDomains), and `preload` lets the domain be submitted to the browsers'
    # built-in list, which takes months to leave. Turn them off only for a domain that has a
    # subdomain on plain HTTP; the preload list requires includeSubDomains.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    if SECURE_HSTS_PRELOAD and not SECURE_HSTS_INCLUDE_SUBDOMAINS:
        raise ImproperlyConfigured(
            "SECURE_HSTS_PRELOAD needs SECURE_HSTS_INCLUDE_SUBDOMAINS: turn both off, or both on "
            "(see README.md, Configuration)."
        )
    # __Host- cookies: a browser keeps them only when Secure, with Path=/ and no Domain, so no
    # subdomain and no plain-http page can plant or overwrite them. (The test settings, on
    # plain http, turn Secure off and so go back to the plain names.)
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# security.txt (RFC 9116, /.well-known/security.txt): where to report a vulnerability, and until
# when that holds. AIM's decision, so no default: until both are set the file is a 404 and
# `manage.py check --deploy` warns (aim_privacy/checks.py).
SECURITY_CONTACT = env.str("SECURITY_CONTACT", default="").strip()
if SECURITY_CONTACT and not SECURITY_CONTACT.startswith(("mailto:", "https://", "tel:")):
    raise ImproperlyConfigured(
        f"SECURITY_CONTACT must be a mailto:, https:// or tel: URI, not {SECURITY_CONTACT!r} "
        "(see README.md, Configuration)."
    )
SECURITY_TXT_EXPIRES = env_date("SECURITY_TXT_EXPIRES")

# --- Admin access ---------------------------------------------------------------------------

# The admin's address under /fr/ and /nl/: a relative path ending with "/".
ADMIN_PATH = env.str("ADMIN_PATH", default="admin/")
if not re.fullmatch(r"([A-Za-z0-9_~.-]+/)+", ADMIN_PATH) or ".." in ADMIN_PATH:
    raise ImproperlyConfigured(
        f"ADMIN_PATH must be a relative path ending with '/' such as 'admin/', without '..', "
        f"not {ADMIN_PATH!r} (see README.md, Configuration)."
    )
# Staff log in to the admin with a password and the code of an authenticator app (TOTP,
# django-otp; enrol with `manage.py add_totp_device USERNAME`). Only a developer's laptop
# (DEBUG on) may go without.
ADMIN_OTP_REQUIRED = env_bool("ADMIN_OTP_REQUIRED", default=not DEBUG)
if not DEBUG and not ADMIN_OTP_REQUIRED:
    raise ImproperlyConfigured(
        "ADMIN_OTP_REQUIRED cannot be off when DEBUG is off (see README.md, Configuration)."
    )
# The name authenticator apps show for the account: the host tells production from staging.
OTP_TOTP_ISSUER = f"AIM-IMA {urlsplit(SITE_URL).hostname}"
# Never show a device's secret key or its QR code in the admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Lockout (django-axes): ADMIN_LOCKOUT_FAILURES failed logins for one username, or from one
# client address, lock it for ADMIN_LOCKOUT_COOLOFF_MINUTES counted from the failure that
# locked it (attempts during the lockout do not extend it). The DPO unlocks by deleting the
# access attempt in the admin.
ADMIN_LOCKOUT_FAILURES = env.int("ADMIN_LOCKOUT_FAILURES", default=5)
ADMIN_LOCKOUT_COOLOFF_MINUTES = env.int("ADMIN_LOCKOUT_COOLOFF_MINUTES", default=30)
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = ADMIN_LOCKOUT_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=ADMIN_LOCKOUT_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The client address as TRUSTED_PROXIES says, stored and logged by axes only as a keyed
# pseudonym (aim_privacy/security.py).
AXES_CLIENT_IP_CALLABLE = "aim_privacy.security.client_pseudonym"
AXES_LOCKOUT_CALLABLE = "aim_privacy.security.lockout_response"
# Masked in the form data axes keeps with an attempt (the password always is).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token", "csrfmiddlewaretoken"]
# Axes' log lines name no user agent; our own (logger aim_privacy.security) say who and whence.
AXES_VERBOSE = False
# No row per successful login kept for ever: the log line is the record.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False

# Admin sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after
# their login, however active. aim_privacy.security.SessionLifetimeMiddleware renews a logged-in
# session's expiry at each request (SESSION_SAVE_EVERY_REQUEST stays off: it would make
# SessionMiddleware read the session even when the database is down, and 500 the 503 page).
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_MAX_HOURS = env.int("SESSION_MAX_HOURS", default=12)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
for _name in (
    "ADMIN_LOCKOUT_FAILURES",
    "ADMIN_LOCKOUT_COOLOFF_MINUTES",
    "SESSION_IDLE_MINUTES",
    "SESSION_MAX_HOURS",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(
            f"{_name} must be at least 1, not {globals()[_name]} (see README.md, Configuration)."
        )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Logging --------------------------------------------------------------------------------

# Log lines never carry personal data: no request bodies, no e-mail addresses, no IPs.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "filters": {"client_errors": {"()": "aim_privacy.headers.ClientErrorsAsWarnings"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # A body too big or with too many fields is the client's mistake, answered 400: one
        # WARNING line, not an ERROR with a traceback.
        **{
            f"django.security.{name}": {"filters": ["client_errors"]}
            for name in ("RequestDataTooBig", "TooManyFieldsSent", "TooManyFilesSent")
        },
        # The default request logger writes the path of every 404, which may hold a token.
        "django.request": {"level": "ERROR"},
        # WeasyPrint narrates every step at INFO; keep its warnings (refused URLs) only.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
