"""Citizen side of stored requests: send one, confirm the e-mail address, see it received.

Nothing personal goes in a URL or a log line: the confirmation link holds a random token only
(its SHA-256 is what the database keeps), and the rate limit keys on a keyed hash of the IP.
"""

import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from aim_privacy.middleware import RETRY_AFTER_SECONDS, dpo_fallback_contact
from requests.models import DataSubjectRequest, Right, Topic
from requests.models.requests import CONFIRMATION_HOURS
from requests.request_forms import RequestForm
from requests.services import request_by_token, request_confirm, request_submit
from requests.views import wizard_url

logger = logging.getLogger(__name__)

PERSONAL_FIELDS = ("name", "email", "phone", "description", "website")
DEFAULT_RATE_LIMIT = "5/h"
RATE_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE_PATTERN = re.compile(r"^\s*(?P<count>\d+)\s*/\s*(?P<period>[smhd])\s*$")


def rate_limit():
    """(submissions, seconds) from RIGHTS_REQUESTS_RATE_LIMIT, e.g. "5/h"; fails loudly."""
    value = getattr(settings, "RIGHTS_REQUESTS_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    match = RATE_PATTERN.match(str(value))
    if not match:
        raise ValueError(f"RIGHTS_REQUESTS_RATE_LIMIT must look like '5/h', not {value!r}")
    return int(match["count"]), RATE_PERIODS[match["period"]]


def client_ip(request):
    """The client's address. Behind TRUSTED_PROXIES reverse proxies (each appending to
    X-Forwarded-For), the address the outermost trusted proxy saw; never a value the client
    could forge by sending its own X-Forwarded-For."""
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _rate_key(request):
    # Keyed with SECRET_KEY: a plain SHA-256 of an IPv4 address is reversed by trying them all.
    ip = client_ip(request)
    digest = salted_hmac("requests.rate-limit", ip, algorithm="sha256").hexdigest()
    return f"rights-request-rate:{digest}"


@sensitive_variables("key")
def _over_rate_limit(request):
    """Count one submission from this address; True when it is over the limit.

    The counter lives in the cache (Redis in production) and expires one period after the
    first submission. When the cache fails, submissions go through: a person's request matters
    more than a robot's nuisance, and the honeypot still stands.
    """
    limit, period = rate_limit()
    key = _rate_key(request)
    try:
        cache.add(key, 0, timeout=period)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=period)
            count = 1
    except Exception as exc:
        logger.warning("Rate limit not checked, cache unavailable (%s)", type(exc).__name__)
        return False
    return count > limit


def _initial_right(request):
    right = request.GET.get("right", "")
    return {"right": right} if right in Right.values else {}


def _form_page(request, form, *, status=200, rate_limited=False, database_down=False):
    """The form page; with `database_down`, it says the request was not recorded and gives the
    DPO's contact from the settings (the registry cannot be read), without reading the
    database."""
    right = form.data.get("right") if form.is_bound else form.initial.get("right")
    context = {
        "form": form,
        "title": _("Send your request to AIM's data protection officer"),
        "rate_limited": rate_limited,
        "database_down": database_down,
        "other_channels_url": wizard_url(Topic.AIM_DATA, right if right in Right.values else ""),
        "wizard_url": wizard_url(),
        "hours": CONFIRMATION_HOURS,
    }
    if database_down:
        context.update(dpo_fallback_contact())
    response = render(request, "requests/request_form.html", context, status=status)
    if rate_limited:
        response["Retry-After"] = str(rate_limit()[1])
    if database_down:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@sensitive_post_parameters(*PERSONAL_FIELDS)
@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_variables("form")
def submit(request):
    if request.method != "POST":
        return _form_page(request, RequestForm(initial=_initial_right(request)))
    sent_url = reverse("rights:request-sent")
    if RequestForm.is_trap_filled(request.POST):
        # A robot: answer as if it worked, so it learns nothing, and keep nothing.
        return HttpResponseRedirect(sent_url, status=303)
    form = RequestForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    if _over_rate_limit(request):
        return _form_page(request, form, status=429, rate_limited=True)
    try:
        request_submit(data=form.stored_data(), language=translation.get_language())
    except (OperationalError, InterfaceError) as error:
        # Nothing was stored: say so, keep what they typed, and give another way to the DPO.
        logger.error("Request not stored, database unavailable (%s)", type(error).__name__)
        return _form_page(request, form, status=503, database_down=True)
    except ValidationError as error:  # the model's own checks, should the form ever differ
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return _form_page(request, form, status=400)
    return HttpResponseRedirect(sent_url, status=303)


@never_cache
@require_http_methods(["GET", "HEAD"])
def sent(request):
    return render(
        request,
        "requests/request_sent.html",
        {"title": _("Check your e-mail"), "hours": CONFIRMATION_HOURS},
    )


def _is_expired(found):
    return DataSubjectRequest.objects.unconfirmed_expired().filter(pk=found.pk).exists()


def _link_problem(request, *, status, found=None):
    titles = {
        404: _("This confirmation link is not valid"),
        410: _("This confirmation link has expired"),
    }
    context = {
        "title": titles[status],
        "problem": status,
        "hours": CONFIRMATION_HOURS,
        "found": found,
    }
    return render(request, "requests/request_confirm.html", context, status=status)


def _received(request, found):
    return render(
        request,
        "requests/request_received.html",
        {"title": _("Your request has been received"), "found": found},
    )


@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_variables("token")
def confirm(request, token):
    """GET shows what is to be confirmed and changes nothing; POST confirms."""
    if request.method == "POST":
        try:
            found = request_confirm(token=token)
        except ValidationError as error:
            if error.code == "expired":
                return _link_problem(request, status=410, found=request_by_token(token))
            return _link_problem(request, status=404)
        return _received(request, found)

    found = request_by_token(token)
    if found is None:
        return _link_problem(request, status=404)
    if found.status != DataSubjectRequest.Status.UNCONFIRMED:
        return _received(request, found)
    if _is_expired(found):
        return _link_problem(request, status=410, found=found)
    context = {
        "title": _("Confirm your request"),
        "found": found,
        "problem": None,
        "action": request.path,
    }
    return render(request, "requests/request_confirm.html", context)
