import copy
import hmac
import logging
import threading
import time

import redis
from csp.utils import build_policy
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import load_backend
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe
from redis.backoff import NoBackoff
from redis.retry import Retry

from aim_privacy.csrf import cookie_facts
from aim_privacy.headers import add_security_headers

logger = logging.getLogger(__name__)

# /healthz answers within this many seconds, whatever hangs (load balancers often wait 5 s).
HEALTHZ_DEADLINE = 2.5
DATABASE_CONNECT_TIMEOUT = 2  # seconds; libpq counts whole seconds (and took 1 for 2)
REDIS_TIMEOUT = 0.5


@require_safe
def language_redirect(request):
    """/ sends the reader to /fr/ or /nl/ by Accept-Language; French when nothing matches.

    The language then lives in the URL: no cookie is set for it.
    """
    language = translation.get_language_from_request(request)
    with translation.override(language):
        response = HttpResponseRedirect(reverse("home"))
    patch_vary_headers(response, ["Accept-Language"])
    return response


@require_safe
@cache_control(public=True, max_age=300)
def home(request):
    return render(request, "home.html")


@require_safe
@cache_control(public=True, max_age=300)
def about(request):
    # The cookies the portal sets, named and timed from the settings (aim_privacy.csrf).
    return render(request, "about.html", cookie_facts())


# The Federal Ombudsman's site, in the reader's language.
FEDERAL_OMBUDSMAN = {
    "fr": "https://www.mediateurfederal.be",
    "nl": "https://www.federaalombudsman.be",
}


@require_safe
@cache_control(public=True, max_age=300)
def accessibility(request):
    """The accessibility statement (EU model, implementing decision (EU) 2018/1523): from the
    settings alone, like the footer whose contacts it repeats."""
    context = {
        "prepared_on": settings.ACCESSIBILITY_STATEMENT_PREPARED_ON,
        "reviewed_on": settings.ACCESSIBILITY_REVIEWED_ON,
        "site_url": settings.SITE_URL,
        "ombudsman_url": FEDERAL_OMBUDSMAN.get(translation.get_language(), FEDERAL_OMBUDSMAN["fr"]),
    }
    return render(request, "accessibility.html", context)


def _check_database():
    """SELECT 1 through a connection of its own, closed after: Django's pooled connection may be
    the one that is stuck. It gives up connecting after DATABASE_CONNECT_TIMEOUT seconds."""
    settings_dict = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
    if settings_dict["ENGINE"] == "django.db.backends.postgresql":
        settings_dict["OPTIONS"]["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
    backend = load_backend(settings_dict["ENGINE"])
    wrapper = backend.DatabaseWrapper(settings_dict, alias="healthz")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        # The raw close: Django's close() keeps an in-memory SQLite database (tests) open.
        if wrapper.connection is not None:
            wrapper.connection.close()


def _check_redis(timeout):
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
        retry=Retry(NoBackoff(), 0),
    )
    try:
        client.ping()
    finally:
        client.close()


# One check of each kind at a time per process: while a check is still stuck past its deadline,
# the next probes answer "unavailable" at once instead of piling up threads. A stuck check ends
# when the server answers again or TCP keepalives (settings.DATABASES) find it gone; Redis's is
# bounded by its socket timeout.
_running = {"database": threading.Lock(), "redis": threading.Lock()}


def _run_checks(checks, deadline):
    """{name: True/False}: the checks run side by side, and one that has not answered after
    `deadline` seconds in all is False (its thread is left to finish on its own)."""
    results = dict.fromkeys(checks, False)
    answer = dict.fromkeys(checks, False)
    threads = []

    def run(name, check):
        try:
            check()
        except Exception as exc:  # whatever the cause, that dependency is not usable
            logger.warning("Health check: %s unavailable (%s)", name, type(exc).__name__)
        else:
            results[name] = True
        finally:
            _running[name].release()

    for name, check in checks.items():
        if not _running[name].acquire(blocking=False):
            logger.warning("Health check: %s still stuck in the previous check", name)
            continue
        thread = threading.Thread(target=run, args=(name, check), daemon=True)
        thread.start()
        threads.append((name, thread))
    end = time.monotonic() + deadline
    for name, thread in threads:
        thread.join(max(0.0, end - time.monotonic()))
        if thread.is_alive():
            logger.warning("Health check: %s did not answer within %s s", name, deadline)
        else:
            answer[name] = results[name]
    return answer


def _is_staff_probe(request):
    token = settings.HEALTHZ_TOKEN
    given = request.headers.get("X-Healthz-Token", "")
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


@require_safe
@never_cache
def healthz(request):
    """For the load balancer: 200 `ok` when this node can serve pages, 503 `unavailable` when
    it cannot; it answers within HEALTHZ_DEADLINE seconds whatever hangs.

    - The database is required: without it no page that matters works, so it is a 503. It is
      checked through a fresh connection with a short connect timeout.
    - Redis (when REDIS_URL is set) is not: without it the site still works (the rate limit of
      the request form is skipped, e-mails wait in the outbox for the relay), and since every
      node shares the same Redis, a 503 would take every node out of the load balancer at
      once. A Redis outage alone is therefore 200; staff see it in the details.

    The body names the failing dependency ("database", "redis") only for staff: requests with an
    `X-Healthz-Token` header equal to the HEALTHZ_TOKEN setting (empty: never). Others get
    `ok` or `unavailable`, nothing about the infrastructure.
    """
    checks = {"database": _check_database}
    if settings.REDIS_URL:
        checks["redis"] = lambda: _check_redis(REDIS_TIMEOUT)
    results = _run_checks(checks, HEALTHZ_DEADLINE)
    healthy = results["database"]
    status = 200 if healthy else 503
    lines = ["ok" if healthy else "unavailable"]
    if _is_staff_probe(request):
        lines += [f"{name}: {'ok' if fine else 'unavailable'}" for name, fine in results.items()]
    return HttpResponse("\n".join(lines) + "\n", status=status, content_type="text/plain")


# --- Error pages ------------------------------------------------------------------------------
# handler400 and handler500 (aim_privacy/urls.py). They never read the database, request.user or
# request.POST (Django's own read request.POST to set a CSRF token, which raises again when the
# body is what could not be parsed), and if their template cannot be rendered they still answer,
# in plain text.

PLAIN_400 = (
    "Requête incorrecte : rien n'a été enregistré. Revenez à la page précédente et réessayez.\n"
    "Ongeldige aanvraag: er is niets geregistreerd. Ga terug naar de vorige pagina en probeer "
    "het opnieuw.\n"
)
PLAIN_500 = (
    "Erreur du serveur. Veuillez réessayer dans quelques minutes.\n"
    "Serverfout. Probeer het over enkele minuten opnieuw.\n"
)


def _with_security_headers(response):
    """What the middleware chain adds, set here too (only where missing): a 500 may come from a
    middleware that failed, and then the response skips the middleware outside it."""
    policy = build_policy()
    if policy:
        response.headers.setdefault("Content-Security-Policy", policy)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
    response.headers.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
    response.headers.setdefault(
        "Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY
    )
    add_security_headers(response)
    add_never_cache_headers(response)
    return response


def _error_page(status, render_page, plain):
    try:
        response = HttpResponse(render_page(), status=status)
    except Exception:  # the error page must go out whatever else is broken
        logger.exception("The %s page could not be rendered", status)
        response = HttpResponse(plain, status=status, content_type="text/plain; charset=utf-8")
    try:
        _with_security_headers(response)
    except Exception:
        logger.exception("Security headers could not be added to the %s page", status)
    return response


def bad_request(request, exception=None):
    """400 in the site's layout and the page's language."""
    return _error_page(400, lambda: loader.render_to_string("400.html", request=request), PLAIN_400)


def server_error(request):
    """500: a static page in both languages (templates/500.html), rendered without a request."""
    return _error_page(500, lambda: loader.get_template("500.html").render(), PLAIN_500)


# --- security.txt (RFC 9116) ------------------------------------------------------------------


@require_safe
def security_txt(request):
    """Where to report a vulnerability. Served only once AIM has said where (SECURITY_CONTACT)
    and until when (SECURITY_TXT_EXPIRES): the portal does not invent a contact; a deploy check
    warns while either is missing (aim_privacy/checks.py)."""
    contact, expires = settings.SECURITY_CONTACT, settings.SECURITY_TXT_EXPIRES
    if not (contact and expires):
        raise Http404("security.txt is not configured")
    lines = [
        f"Contact: {contact}",
        # The file holds through the whole day given (UTC).
        f"Expires: {expires.isoformat()}T23:59:59Z",
        "Preferred-Languages: fr, nl, en",
        f"Canonical: {settings.SITE_URL}{reverse('security-txt')}",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    patch_cache_control(response, public=True, max_age=86400)
    return response
