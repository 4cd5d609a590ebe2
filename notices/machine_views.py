"""A published version for machines: TILT (JSON) and W3C DPV (JSON-LD), in each language.

Both are rebuilt from the frozen snapshot on each request (no registry read, no session, no
cookie) and answer conditional requests like the version's own JSON. The DPV document never
changes: immutable for a year. The TILT document says whether the version is in force today
(`meta.status`), so it is cached briefly and its ETag and Last-Modified follow the day the
version in force last changed.
"""

import datetime
import functools

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from notices import dpv, tilt
from notices.conditional import CURRENT_MAX_AGE, IMMUTABLE_MAX_AGE, conditional, etag
from notices.models import NoticeVersion
from notices.views import primary_notice

LANGUAGES = ("fr", "nl")


def readable_from_any_origin(view):
    """Public documents without cookies: a transparency tool running on another site may read
    them (CORS `*`, never with credentials). CORP `same-origin` stays: it only concerns pages
    that embed a resource without CORS."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapped


def _published(number, language, url_name):
    """The version and its notice, or a 404; a redirect when the URL's language is not the
    document's (…/fr/…/tilt-nl.json → …/nl/…/tilt-nl.json)."""
    if language not in LANGUAGES:
        raise Http404
    if language != translation.get_language():
        with translation.override(language):
            target = reverse(url_name, kwargs={"number": number, "language": language})
        redirect = HttpResponsePermanentRedirect(target)
        patch_cache_control(redirect, public=True, max_age=IMMUTABLE_MAX_AGE)
        return None, redirect
    notice = primary_notice()
    version = get_object_or_404(NoticeVersion.objects.published(), notice=notice, number=number)
    return version, None


def _status_changed_at(current):
    """When the version in force last changed: its publication, or the start of the day it
    took effect if that came later."""
    if current is None:
        return None
    if current.effective_from is None:  # historical, in force before the portal opened
        return current.published_at
    start = datetime.datetime.combine(current.effective_from, datetime.time.min)
    return max(current.published_at, timezone.make_aware(start))


@readable_from_any_origin
@require_safe
def version_tilt(request, number, language):
    version, redirect = _published(number, language, "notices:version-tilt")
    if redirect:
        return redirect
    current = (
        NoticeVersion.objects.filter(notice_id=version.notice_id)
        .defer("snapshot")
        .current(at=timezone.localdate())
    )
    status = "active" if current is not None and current.pk == version.pk else "inactive"

    def build():
        document = tilt.version_tilt(
            snapshot=version.snapshot,
            sha256=version.sha256,
            number=version.number,
            language=language,
            status=status,
        )
        return HttpResponse(tilt.tilt_bytes(document), content_type="application/json")

    changed = _status_changed_at(current)
    return conditional(
        request,
        build,
        etag=etag("tilt", tilt.FORMAT, version.sha256, language, status),
        last_modified=max(filter(None, [version.published_at, changed])),
        max_age=CURRENT_MAX_AGE,
    )


@readable_from_any_origin
@require_safe
def version_dpv(request, number, language):
    version, redirect = _published(number, language, "notices:version-dpv")
    if redirect:
        return redirect

    def build():
        document = dpv.version_dpv(
            snapshot=version.snapshot,
            sha256=version.sha256,
            number=version.number,
            language=language,
        )
        return HttpResponse(dpv.dpv_bytes(document), content_type="application/ld+json")

    return conditional(
        request,
        build,
        etag=etag("dpv", dpv.FORMAT, version.sha256, language),
        last_modified=version.published_at,
        max_age=IMMUTABLE_MAX_AGE,
        immutable=True,
    )
