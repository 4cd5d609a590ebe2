"""The requester's page for the files of an answer, reached by the link of the answer e-mail.

The link holds a random token (only its SHA-256 is stored) and works until it expires; the page
then asks for the request's reference and the e-mail address it was sent from. Every failure
(an unknown link, a wrong reference or address, an anonymised request) gets the same message,
so the page tells nobody whether a reference exists, and failures are rate limited per client
address and per link. Each file is downloaded by a POST carrying a signed grant (link, file,
time) that lasts a few minutes: no e-mail address in a URL, no cookie but the CSRF one.

Responses are never cached, not indexed, and send only the origin as Referer: "no-referrer"
would also make browsers send "Origin: null" with the form's POST, which Django's CSRF check
refuses, while "strict-origin" keeps the token's path out of every Referer all the same.
"""

import hmac

from django.conf import settings
from django.core import signing
from django.db.models import F
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from requests.attachment_forms import DownloadForm
from requests.attachments import token_hash
from requests.models import DownloadLink, RequestAttachment
from requests.rate_limits import (
    Quota,
    client_ip,
    keyed_hash,
    parse_rate,
    quotas_give_back,
    quotas_take,
)

GRANT_SALT = "rights_requests.download.grant"
GRANT_SECONDS = 15 * 60
DEFAULT_RATE_LIMIT = "10/h"
DEFAULT_LINK_RATE_LIMIT = "5/h"
REFERRER_POLICY = "strict-origin"


def neutral_message():
    return _(
        "The reference or the e-mail address does not match this link. Check both in the "
        "e-mails we sent you about your request, and the whole link from the e-mail."
    )


def _protected(response):
    add_never_cache_headers(response)  # no-store, private
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = REFERRER_POLICY
    return response


@sensitive_variables("token")
def _link(token):
    links = DownloadLink.objects.select_related("request")
    return links.filter(token_hash=token_hash(token)).first()


def _is_expired(link, now=None):
    return link.expires_at <= (now or timezone.now())


@sensitive_variables("link", "reference", "email")
def _matches(link, reference, email):
    """The reference and the address the request came from (letter case aside); never for an
    anonymised request. Compared in constant time: the timing tells no more than the message."""
    subject_request = link.request
    if subject_request.anonymised_at or not subject_request.email or not subject_request.reference:
        return False
    same_reference = hmac.compare_digest(
        reference.strip().upper().encode(), subject_request.reference.upper().encode()
    )
    same_email = hmac.compare_digest(
        email.strip().casefold().encode(), subject_request.email.strip().casefold().encode()
    )
    return same_reference and same_email


@sensitive_variables("token")
def _quotas(request, token):
    return [
        Quota(
            "address",
            f"rights-download-rate:{keyed_hash('download-rate', client_ip(request))}",
            *parse_rate("RIGHTS_DOWNLOAD_RATE_LIMIT", DEFAULT_RATE_LIMIT),
        ),
        Quota(
            "link",
            f"rights-download-link-rate:{keyed_hash('download-link-rate', token_hash(token))}",
            *parse_rate("RIGHTS_DOWNLOAD_RATE_LIMIT_PER_LINK", DEFAULT_LINK_RATE_LIMIT),
        ),
    ]


def _page(request, form, *, status=200, files=None, link=None, rate_limited=None, problem=""):
    context = {
        "title": _("The files of the answer to your request")
        if files is not None
        else _("Download the files of the answer to your request"),
        "form": form,
        "files": files,
        "link": link,
        "rate_limited": rate_limited,
        "retry_hours": -(-rate_limited.period // 3600) if rate_limited else 0,
        "problem": problem,
        "page_has_errors": bool((form is not None and form.errors) or rate_limited or problem),
        "dpo_email": settings.DPO_REPLY_TO,
    }
    response = render(request, "requests/download.html", context, status=status)
    if rate_limited:
        response["Retry-After"] = str(rate_limited.period)
    return _protected(response)


def _expired_page(request, link):
    context = {
        "title": _("This download link has expired"),
        "days": settings.DOWNLOAD_LINK_DAYS,
        "dpo_email": settings.DPO_REPLY_TO,
    }
    return _protected(render(request, "requests/download_expired.html", context, status=410))


def grant_for(link, attachment):
    return signing.dumps([link.pk, attachment.pk], salt=GRANT_SALT, compress=False)


def _granted(grant):
    """(link id, attachment id) from a grant no older than GRANT_SECONDS, or None."""
    try:
        link_pk, attachment_pk = signing.loads(grant, salt=GRANT_SALT, max_age=GRANT_SECONDS)
        return int(link_pk), int(attachment_pk)
    except (signing.BadSignature, TypeError, ValueError):
        return None


def _answer_files(link):
    return link.request.attachments.filter(direction=RequestAttachment.Direction.ANSWER)


@sensitive_post_parameters("reference", "email")
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_variables("token", "form", "data")
def download(request, token):
    """GET: the form (or the page of an expired link); POST: the files, or the one message."""
    link = _link(token)
    if link is not None and _is_expired(link):
        return _expired_page(request, link)
    if request.method != "POST":
        return _page(request, DownloadForm(action=request.path))
    form = DownloadForm(request.POST, action=request.path)
    if not form.is_valid():
        return _page(request, form, status=400)
    refused, taken = quotas_take(_quotas(request, token))
    if refused:
        return _page(request, form, status=429, rate_limited=refused)
    data = form.cleaned_data
    if link is None or not _matches(link, data["reference"], data["email"]):
        form.add_error(None, neutral_message())
        return _page(request, form, status=400)
    quotas_give_back(taken)  # only failures count
    files = [(attachment, grant_for(link, attachment)) for attachment in _answer_files(link)]
    return _page(request, None, files=files, link=link)


@csrf_protect
@require_http_methods(["POST"])
@sensitive_variables("token")
def download_file(request, token):
    """One file, for a grant that the page of the files gave for this link a few minutes ago."""
    link = _link(token)
    if link is not None and _is_expired(link):
        return _expired_page(request, link)
    granted = _granted(request.POST.get("grant", ""))
    attachment = None
    if link is not None and granted and granted[0] == link.pk and not link.request.anonymised_at:
        attachment = _answer_files(link).filter(pk=granted[1]).first()
    if attachment is None:
        form = DownloadForm(action=reverse("rights:download", kwargs={"token": token}))
        problem = _(
            "This download button no longer works: enter your reference and your e-mail "
            "address again to see the files."
        )
        return _page(request, form, status=400, problem=problem)
    try:
        opened = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    DownloadLink.objects.filter(pk=link.pk).update(
        downloads=F("downloads") + 1, last_download_at=timezone.now()
    )
    response = FileResponse(
        opened,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    # Whatever the file holds, a browser shows nothing of it as a page.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return _protected(response)
