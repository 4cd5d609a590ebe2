"""The one cookie public pages set, told truthfully, and the page for a form posted without it.

- `cookie_facts()`: what the about page says about cookies, read from the settings (name and
  lifetime of the CSRF cookie, lifetime of the admin's session), so that it cannot drift from
  what the site does.
- `csrf_failure()` (CSRF_FAILURE_VIEW): a form posted without its CSRF cookie, usually because
  the browser blocks cookies, gets the site's own 403 page in the URL's language instead of
  Django's bare English one. For the request form it keeps what was typed, in a form that can be
  sent again once cookies are allowed, and gives the DPO's e-mail and postal address (from the
  settings: no cookie needed). Nothing typed is logged; only the known fields of the request form
  are shown again (never the robots' trap, never a field of another form such as a password).
"""

import logging

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import (
    REASON_INSECURE_REFERER,
    REASON_MALFORMED_REFERER,
    REASON_NO_CSRF_COOKIE,
    REASON_NO_REFERER,
)
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from aim_privacy.middleware import dpo_fallback_contact

logger = logging.getLogger(__name__)

# The request form's fields shown again, in its order; the trap field "website" is not one.
KEPT_FIELDS = ("name", "email", "right", "description", "phone")
REQUEST_FORM_VIEW = "rights:request"
# A post another site made (Origin or Referer not ours): show nothing of it back, or that site
# could fill in the form a person then sees on ours.
CROSS_SITE_REASONS = (REASON_NO_REFERER, REASON_MALFORMED_REFERER, REASON_INSECURE_REFERER)
CROSS_SITE_PREFIXES = ("Origin checking failed", "Referer checking failed")

PLAIN_403 = (
    "Le formulaire n'a pas pu être envoyé : votre navigateur n'a pas renvoyé le cookie qui le "
    "protège. Rien n'a été enregistré. Vous pouvez écrire au délégué à la protection des données "
    "de l'AIM : {email}.\n"
    "Het formulier kon niet worden verstuurd: uw browser heeft de cookie die het beveiligt niet "
    "teruggestuurd. Er is niets geregistreerd. U kunt schrijven naar de functionaris voor "
    "gegevensbescherming van het IMA: {email}.\n"
)


def cookie_facts():
    """What the about page says about cookies, from the settings."""
    csrf_age = None if settings.CSRF_USE_SESSIONS else settings.CSRF_COOKIE_AGE
    return {
        "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        # None: the cookie ends when the browser is closed.
        "csrf_cookie_days": (csrf_age // 86400) if csrf_age else None,
        "session_cookie_name": settings.SESSION_COOKIE_NAME,
        "session_idle_minutes": settings.SESSION_IDLE_MINUTES,
        "session_max_hours": settings.SESSION_MAX_HOURS,
    }


def _posted_to_request_form(request):
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name == REQUEST_FORM_VIEW


def _is_cross_site(reason):
    return reason in CROSS_SITE_REASONS or reason.startswith(CROSS_SITE_PREFIXES)


def _kept_values(request, reason):
    """What was typed in the request form's known fields, cut to their maximum length; {} when
    the body cannot be read, the post was not the request form's or came from another site."""
    if not _posted_to_request_form(request) or _is_cross_site(reason):
        return {}
    from requests.request_forms import RequestForm

    try:
        posted = request.POST
        fields = RequestForm.base_fields
        kept = {}
        for name in KEPT_FIELDS:
            value = posted.get(name, "")
            if not isinstance(value, str) or not value.strip():
                continue
            limit = getattr(fields[name], "max_length", None)
            kept[name] = value[:limit] if limit else value
        return kept
    except Exception as error:  # an unreadable body: explain anyway, keep nothing
        logger.warning("CSRF failure page: body not read (%s)", type(error).__name__)
        return {}


def _request_form(kept):
    from requests.models import Right
    from requests.request_forms import RequestForm

    if kept.get("right") not in Right.values:
        kept.pop("right", None)
    return RequestForm(initial=kept)


def _other_language():
    current = translation.get_language()
    return next((code for code, _name in settings.LANGUAGES if code != current), current)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: 403 in the site's layout, in the URL's language."""
    try:
        kept = _kept_values(request, reason or "")
        context = {
            "cookie_missing": reason == REASON_NO_CSRF_COOKIE,
            "is_request_form": _posted_to_request_form(request),
            "kept": bool(kept),
            "form": _request_form(kept) if kept else None,
            "other_language": _other_language(),
            **cookie_facts(),
            **dpo_fallback_contact(),
        }
        content = loader.render_to_string("403_csrf.html", context, request=request)
        response = HttpResponse(content, status=403)
    except Exception:  # the page must go out whatever else is broken
        logger.exception("The CSRF failure page could not be rendered")
        response = HttpResponse(
            PLAIN_403.format(email=settings.DPO_FALLBACK_EMAIL),
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    add_never_cache_headers(response)
    return response
