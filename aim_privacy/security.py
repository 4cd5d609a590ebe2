"""Who reaches the admin, for how long, and what is kept about trying.

- The client address as django-axes counts and stores it: a keyed pseudonym of the address
  `requests.rate_limits.client_ip` finds (which honours TRUSTED_PROXIES), shaped as an IPv6
  address in the unique-local range fd00::/8 because axes stores it in a GenericIPAddressField.
  Equal addresses give equal pseudonyms, so the lockout per address works; the database, the
  axes admin and axes' log lines never hold the address itself.
- The lockout page (AXES_LOCKOUT_CALLABLE): the admin's layout, 429 and Retry-After.
- Log lines of admin logins (logger "aim_privacy.security"): the username and a keyed hash of
  the client address; never a password, a code or the address.
- SessionLifetimeMiddleware: a logged-in session ends after SESSION_IDLE_MINUTES without a
  request (its expiry, SESSION_COOKIE_AGE, is renewed by each request) and SESSION_MAX_HOURS
  after its login, however active.

The signal receivers are connected by aim_privacy.admin_config.PortalAdminConfig.ready().
"""

import contextlib
import ipaddress
import logging

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import InterfaceError, OperationalError
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from requests.rate_limits import client_ip

logger = logging.getLogger("aim_privacy.security")

# Where the session keeps when its user logged in (seconds since the epoch).
LOGIN_AT_SESSION_KEY = "aim_login_at"
_CLIENT_HASH_SALT = "aim_privacy.security.client-address"
# Longer usernames are cut in log lines: what was typed in the username field is logged as is.
_USERNAME_LOG_LENGTH = 150


def _client_digest(request):
    address = client_ip(request) if request is not None else ""
    if not address:
        return None
    # Keyed with SECRET_KEY: a plain hash of an IPv4 address is reversed by trying them all.
    return salted_hmac(_CLIENT_HASH_SALT, address, algorithm="sha256").digest()


def client_pseudonym(request):
    """AXES_CLIENT_IP_CALLABLE: the client's address as axes counts and stores it.

    "fd" followed by the first 120 bits of the keyed hash that client_hash() shows in log lines
    (the log line's 16 hex digits follow "fd" in the first groups of the address).
    """
    digest = _client_digest(request)
    if digest is None:
        return None
    return str(ipaddress.IPv6Address(b"\xfd" + digest[:15]))


def client_hash(request):
    """The client's address in a log line: 16 hex digits of a keyed hash, "-" when unknown."""
    digest = _client_digest(request)
    return digest[:8].hex() if digest is not None else "-"


def _logged_username(value):
    return str(value or "")[:_USERNAME_LOG_LENGTH]


# --- The lockout page -----------------------------------------------------------------------


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: what a login attempt gets while its account or address is locked.

    Axes calls it with (request, original_response, credentials), and retries with two
    arguments when the call raises TypeError: keep the three.
    """
    from django.contrib import admin

    minutes = settings.ADMIN_LOCKOUT_COOLOFF_MINUTES
    context = {
        **admin.site.each_context(request),
        "title": _("Too many failed login attempts"),
        "cooloff_minutes": minutes,
        "login_url": reverse("admin:login"),
    }
    response = render(request, "admin/lockout.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    add_never_cache_headers(response)
    return response


# --- Log lines ------------------------------------------------------------------------------


def log_login_failed(sender, credentials, request=None, reason=None, **kwargs):
    """Every failed admin login: wrong password, wrong or missing code, locked out.

    Django sends user_login_failed with the credentials it cleansed (password masked); only the
    username is read here. The login form adds `reason` when the password was right and the
    second factor was not: that line means someone knows the password.
    """
    if reason is None:
        # Axes' backend flags a request it refused before any password was checked; a failure
        # it counted carries its count (whichever receiver runs first).
        refused = getattr(request, "axes_locked_out", False) and (
            getattr(request, "axes_failures_since_start", None) is None
        )
        reason = "locked_out" if refused else "credentials"
    logger.warning(
        "admin login failed: user=%r client=%s reason=%s",
        _logged_username((credentials or {}).get("username")),
        client_hash(request),
        reason,
    )


def log_login_succeeded(sender, request, user, **kwargs):
    if request is None:
        return
    # The session was rotated by django.contrib.auth.login() before this signal: the time is
    # stored in the new session.
    request.session[LOGIN_AT_SESSION_KEY] = int(timezone.now().timestamp())
    device = getattr(user, "otp_device", None)
    logger.info(
        "admin login succeeded: user=%r client=%s second_factor=%s",
        _logged_username(user.get_username()),
        client_hash(request),
        "totp" if device is not None else "none",
    )


def log_locked_out(sender, request=None, username=None, **kwargs):
    logger.warning(
        "admin login locked out: user=%r client=%s for %d minutes",
        _logged_username(username),
        client_hash(request),
        settings.ADMIN_LOCKOUT_COOLOFF_MINUTES,
    )


def connect_receivers():
    from axes.signals import user_locked_out

    user_login_failed.connect(log_login_failed, dispatch_uid="aim_privacy.security.failed")
    user_logged_in.connect(log_login_succeeded, dispatch_uid="aim_privacy.security.logged_in")
    user_locked_out.connect(log_locked_out, dispatch_uid="aim_privacy.security.locked_out")


# --- Absolute session lifetime --------------------------------------------------------------


class SessionLifetimeMiddleware:
    """Ends a logged-in session after SESSION_IDLE_MINUTES without a request, and
    SESSION_MAX_HOURS after its login however active it has been.

    Idle: each request of a logged-in user marks the session modified, so SessionMiddleware
    saves it with a fresh expiry (SESSION_COOKIE_AGE); a session not renewed in time has expired
    in the database and loads empty. This stands in for SESSION_SAVE_EVERY_REQUEST, which would
    also save sessions nobody is logged in to, and would load every session from the database
    in SessionMiddleware even when it is down, turning the 503 page into a 500.

    Lifetime: a session older than SESSION_MAX_HOURS, or without a login time (one opened
    before this protection existed), is logged out.

    Requests without a session cookie (every reading page) are not looked at, so they still set
    no cookie and vary on none. Install after AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.session_key is not None:
            # A database that is down: the view meets the same error and
            # DatabaseUnavailableMiddleware answers 503.
            with contextlib.suppress(OperationalError, InterfaceError):
                self._renew_or_end(request)
        return self.get_response(request)

    @staticmethod
    def _renew_or_end(request):
        if not request.user.is_authenticated:
            return
        started = request.session.get(LOGIN_AT_SESSION_KEY)
        now = timezone.now().timestamp()
        if isinstance(started, int) and now - started <= settings.SESSION_MAX_HOURS * 3600:
            request.session.modified = True
            return
        logger.info(
            "admin session ended: user=%r logged in more than %d hours ago",
            _logged_username(request.user.get_username()),
            settings.SESSION_MAX_HOURS,
        )
        auth.logout(request)
