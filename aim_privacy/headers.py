"""HTTP at the edge: the security headers Django has no setting for, and request bodies the
portal cannot read.

- `SecurityHeadersMiddleware` adds Permissions-Policy and Cross-Origin-Resource-Policy to every
  response (Django's SecurityMiddleware sends the others: HSTS, nosniff, Referrer-Policy, COOP).
- `FormBodyCharsetMiddleware` refuses a form body declared in a charset other than UTF-8 with
  the 400 page, before the CSRF check or a view reads `request.POST`: Django cannot parse it
  (BadRequest), and Django's own error views read `request.POST` again to set a CSRF token, so
  such a body used to end as gunicorn's bare 500 with a traceback at ERROR.
- `ClientErrorsAsWarnings` turns Django's ERROR-with-traceback for an oversized or overfull
  body (a client's mistake, answered 400) into a one-line WARNING.
"""

import logging

from django.conf import settings

logger = logging.getLogger(__name__)

FORM_CONTENT_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def permissions_policy():
    """The Permissions-Policy header value: every listed feature denied to every origin."""
    return ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENIED)


def add_security_headers(response):
    """Permissions-Policy and Cross-Origin-Resource-Policy, unless a view set its own."""
    response.headers.setdefault("Permissions-Policy", permissions_policy())
    response.headers.setdefault(
        "Cross-Origin-Resource-Policy", settings.SECURE_CROSS_ORIGIN_RESOURCE_POLICY
    )
    return response


class SecurityHeadersMiddleware:
    """First in MIDDLEWARE, so that every response gets the headers, redirects and static files
    included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return add_security_headers(self.get_response(request))


def declared_charset(request):
    """The charset a form body declares, lower-cased; "" when none is given."""
    if request.content_type not in FORM_CONTENT_TYPES:
        return ""
    return request.content_params.get("charset", "").strip().strip('"').lower()


class FormBodyCharsetMiddleware:
    """Every form of the portal is UTF-8 (and RFC 1866 says a urlencoded body is): a form body
    that declares anything else is answered 400 before anyone reads it. Django refuses such a
    urlencoded body itself, but only when something reads `request.POST`, and an unknown
    charset on a multipart body would be silently decoded as UTF-8 or as mojibake."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        charset = declared_charset(request)
        if charset and charset != "utf-8":
            # The charset is the client's text: logged as a bounded repr, with no path (a
            # confirmation link's path holds its token) and never the body.
            logger.warning(
                "Refused a %s %s body declared in charset %r: answered 400",
                request.method,
                request.content_type,
                charset[:40],
            )
            from aim_privacy.views import bad_request

            return bad_request(request, exception=None)
        return self.get_response(request)


class ClientErrorsAsWarnings(logging.Filter):
    """For the django.security loggers of a body that is too big or holds too many fields or
    files: Django logs these at ERROR with a traceback although the client is at fault and gets
    a 400. Keep one WARNING line (the message names the limit, not the body)."""

    def filter(self, record):
        if record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True
