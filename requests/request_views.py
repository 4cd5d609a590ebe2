"""Citizen side of stored requests: send one, confirm the e-mail address, see it received.

Nothing personal goes in a URL or a log line: the confirmation link holds a random token only
(its SHA-256 is what the database keeps, cleared once the link is used), and the rate limits
key on keyed hashes of the IP and of the e-mail address, never on either in clear.
"""

import logging
import re
from typing import NamedTuple

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
DEFAULT_EMAIL_RATE_LIMIT = "3/d"
RATE_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE_PATTERN = re.compile(r"^\s*(?P<count>\d+)\s*/\s*(?P<every>\d*)\s*(?P<period>[smhd])\s*$")


def parse_rate(name, default):
    """(count, seconds) from the setting `name`, e.g. "5/h", "3/d" or "10/10m"; fails loudly."""
    value = getattr(settings, name, default)
    match = RATE_PATTERN.match(str(value))
    every = int(match["every"] or 1) if match else 0
    if not every:
        raise ValueError(f"{name} must look like '5/h' or '10/10m', not {value!r}")
    return int(match["count"]), every * RATE_PERIODS[match["period"]]


def rate_limit():
    """(submissions, seconds) per client address, from RIGHTS_REQUESTS_RATE_LIMIT."""
    return parse_rate("RIGHTS_REQUESTS_RATE_LIMIT", DEFAULT_RATE_LIMIT)


def email_rate_limit():
    """(submissions, seconds) per e-mail address, from RIGHTS_REQUESTS_RATE_LIMIT_PER_EMAIL."""
    return parse_rate("RIGHTS_REQUESTS_RATE_LIMIT_PER_EMAIL", DEFAULT_EMAIL_RATE_LIMIT)


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


@sensitive_variables("value")
def keyed_hash(purpose, value):
    # Keyed with SECRET_KEY: a plain SHA-256 of an IPv4 address, or of a known e-mail address,
    # is reversed by trying them all.
    return salted_hmac(f"requests.{purpose}", value, algorithm="sha256").hexdigest()


def _rate_key(request):
    return f"rights-request-rate:{keyed_hash('rate-limit', client_ip(request))}"


@sensitive_variables("address", "local", "domain")
def normalised_email(address):
    """One mailbox, one counter: letter case, a "+tag" and Gmail's dots make no other mailbox."""
    local, _at, domain = address.strip().casefold().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


@sensitive_variables("address")
def _email_rate_key(address):
    return f"rights-request-email-rate:{keyed_hash('email-rate-limit', normalised_email(address))}"


class Quota(NamedTuple):
    """At most `limit` uses per `period` seconds of one cache counter."""

    name: str  # which limit, for the page that says it was reached ("address", "email", …)
    key: str
    limit: int
    period: int


def _take(quota):
    """Count one use (an atomic increment in the cache); the count, this use included."""
    cache.add(quota.key, 0, timeout=quota.period)
    try:
        return cache.incr(quota.key)
    except ValueError:  # expired between add() and incr()
        cache.set(quota.key, 1, timeout=quota.period)
        return 1


def quotas_give_back(taken):
    """Give back uses taken by `quotas_take` for something that did not happen after all."""
    for quota in taken:
        try:
            cache.decr(quota.key)
        except ValueError:  # expired meanwhile: nothing left to give back
            pass
        except Exception as exc:
            logger.warning("Rate limit not given back, cache unavailable (%s)", type(exc).__name__)
            return


def quotas_take(quotas):
    """Take one use of each quota, or none: (the quota that refused, or None; the uses taken).

    Counting is an atomic increment, so a burst of parallel posts cannot all slip under a limit;
    a refused post gives back what it took, and so does the caller when what it counted did not
    happen (a request not stored): only what was done counts. When the cache fails, everything
    goes through: a person's request matters more than a robot's nuisance, and the honeypot
    still stands.
    """
    taken = []
    try:
        for quota in quotas:
            count = _take(quota)
            taken.append(quota)
            if count > quota.limit:
                quotas_give_back(taken)
                return quota, []
    except Exception as exc:
        logger.warning("Rate limit not checked, cache unavailable (%s)", type(exc).__name__)
        quotas_give_back(taken)
        return None, []
    return None, taken


@sensitive_variables("address")
def _submission_quotas(request, address):
    """Per client address, and per recipient: the form must not mail one person all day."""
    return [
        Quota("address", _rate_key(request), *rate_limit()),
        Quota("email", _email_rate_key(address), *email_rate_limit()),
    ]


def _initial_right(request):
    right = request.GET.get("right", "")
    return {"right": right} if right in Right.values else {}


def _form_page(request, form, *, status=200, rate_limited=None, database_down=False):
    """The form page; with `database_down`, it says the request was not recorded and gives the
    DPO's contact from the settings (the registry cannot be read), without reading the
    database. `rate_limited`: the Quota that refused the submission (True: the per-address
    one)."""
    if rate_limited is True:
        rate_limited = Quota("address", "", *rate_limit())
    right = form.data.get("right") if form.is_bound else form.initial.get("right")
    context = {
        "form": form,
        "title": _("Send your request to AIM's data protection officer"),
        "rate_limited": rate_limited.name if rate_limited else "",
        "retry_hours": -(-rate_limited.period // 3600) if rate_limited else 0,
        "database_down": database_down,
        "other_channels_url": wizard_url(Topic.AIM_DATA, right if right in Right.values else ""),
        "wizard_url": wizard_url(),
        "hours": CONFIRMATION_HOURS,
    }
    if database_down:
        context.update(dpo_fallback_contact())
    response = render(request, "requests/request_form.html", context, status=status)
    if rate_limited:
        response["Retry-After"] = str(rate_limited.period)
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
    refused, taken = quotas_take(_submission_quotas(request, form.cleaned_data["email"]))
    if refused:
        return _form_page(request, form, status=429, rate_limited=refused)
    try:
        _store(form, taken)
    except (OperationalError, InterfaceError) as error:
        # Nothing was stored: say so, keep what they typed, and give another way to the DPO.
        logger.error("Request not stored, database unavailable (%s)", type(error).__name__)
        return _form_page(request, form, status=503, database_down=True)
    except ValidationError as error:  # the model's own checks, should the form ever differ
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return _form_page(request, form, status=400)
    return HttpResponseRedirect(sent_url, status=303)


@sensitive_variables("form")
def _store(form, taken):
    """Store the request; one that was not stored gives back the uses it took of the limits."""
    try:
        request_submit(data=form.stored_data(), language=translation.get_language())
    except BaseException:
        quotas_give_back(taken)
        raise


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
        # A link works once, and a used one leaves no trace to tell it from a wrong one.
        404: _("This confirmation link is not valid or has already been used"),
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
    """GET shows what is to be confirmed and changes nothing; POST confirms, and answers with
    the reference. The link works once: confirming clears its hash, so a link found in a
    browser's history or an access log shows nothing afterwards; the requester keeps the
    reference from the acknowledgement e-mail."""
    if request.method == "POST":
        try:
            found = request_confirm(token=token)
        except ValidationError as error:
            if error.code == "expired":
                return _link_problem(request, status=410, found=request_by_token(token))
            return _link_problem(request, status=404)
        if found.confirmation_token_hash:  # confirmed before links were cleared on use
            return _link_problem(request, status=404)
        return _received(request, found)

    found = request_by_token(token)
    if found is None or found.status != DataSubjectRequest.Status.UNCONFIRMED:
        return _link_problem(request, status=404)
    if _is_expired(found):
        return _link_problem(request, status=410, found=found)
    context = {
        "title": _("Confirm your request"),
        "found": found,
        "problem": None,
        "action": request.path,
    }
    return render(request, "requests/request_confirm.html", context)
