"""A database that is down or does not answer gives readers a plain 503 page, not a 500."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 120

# Only if the page itself cannot be rendered; no template, no translation catalog.
PLAIN_FALLBACK = (
    "Page temporairement indisponible. Veuillez réessayer dans quelques minutes.\n"
    "Pagina tijdelijk niet beschikbaar. Probeer het over enkele minuten opnieuw.\n"
)


def dpo_fallback_contact():
    """AIM's DPO, from the settings: reachable when the registry is not."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    addresses = settings.DPO_FALLBACK_POSTAL_ADDRESS
    return {
        "dpo_email": settings.DPO_FALLBACK_EMAIL,
        "dpo_postal_address": addresses.get(language) or addresses[settings.LANGUAGE_CODE],
    }


def database_unavailable_response(request):
    """503 with Retry-After, rendered without touching the database or `request.user`."""
    context = {"request_was_post": request.method == "POST", **dpo_fallback_contact()}
    try:
        content = render_to_string("503.html", context, request=request)
        response = HttpResponse(content, status=503)
    except Exception:  # the page must go out whatever else is broken
        logger.exception("The 503 page could not be rendered")
        response = HttpResponse(PLAIN_FALLBACK, status=503, content_type="text/plain")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    # Logged by the caller without the path: django.request would add one with the path, and a
    # confirmation link's path holds its token.
    response._has_been_logged = True
    return response


class DatabaseUnavailableMiddleware:
    """Turns OperationalError / InterfaceError raised by a view into the 503 page.

    The log line names the view and the exception's class only: no path (a confirmation link
    holds a token), no query string, no body, no error text (which may quote data).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        match = request.resolver_match
        logger.error(
            "Database unavailable (%s) in %s %s: answered 503",
            type(exception).__name__,
            request.method,
            match.view_name if match else "an unresolved view",
        )
        return database_unavailable_response(request)
