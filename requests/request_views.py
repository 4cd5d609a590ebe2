"""Citizen side of stored requests: send one, confirm the e-mail address, see it received.

Nothing personal goes in a URL or a log line: the confirmation link holds a random token only
(its SHA-256 is what the database keeps, cleared once the link is used), and the rate limits
key on keyed hashes of the IP and of the e-mail address, never on either in clear.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from aim_privacy.middleware import RETRY_AFTER_SECONDS, dpo_fallback_contact
from requests.models import DataSubjectRequest, Right, Topic
from requests.models.requests import CONFIRMATION_HOURS
from requests.rate_limits import (
    Quota,
    client_ip,
    keyed_hash,
    normalised_email,
    parse_rate,
    quotas_give_back,
    quotas_take,
)
from requests.request_forms import RequestForm
from requests.services import request_by_token, request_confirm, request_submit
from requests.views import wizard_url

logger = logging.getLogger(__name__)

PERSONAL_FIELDS = ("name", "email", "phone", "description", "website")
DEFAULT_RATE_LIMIT = "5/h"
DEFAULT_EMAIL_RATE_LIMIT = "3/d"


def rate_limit():
    """(submissions, seconds) per client address, from RIGHTS_REQUESTS_RATE_LIMIT."""
    return parse_rate("RIGHTS_REQUESTS_RATE_LIMIT", DEFAULT_RATE_LIMIT)


def email_rate_limit():
    """(submissions, seconds) per e-mail address, from RIGHTS_REQUESTS_RATE_LIMIT_PER_EMAIL."""
    return parse_rate("RIGHTS_REQUESTS_RATE_LIMIT_PER_EMAIL", DEFAULT_EMAIL_RATE_LIMIT)


def _rate_key(request):
    return f"rights-request-rate:{keyed_hash('rate-limit', client_ip(request))}"


@sensitive_variables("address")
def _email_rate_key(address):
    return f"rights-request-email-rate:{keyed_hash('email-rate-limit', normalised_email(address))}"


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
        # The title starts with "Error: " and the focus goes to what went wrong (base.html).
        "page_has_errors": bool(form.errors or rate_limited or database_down),
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
