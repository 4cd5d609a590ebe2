"""Public pages of the declaration, all served from published snapshots.

No view here reads the registry, touches the session or sets a cookie; each answers
conditional requests (ETag, Last-Modified) and says how long it may be cached: a version's own
URL never changes (immutable, a year), the current one briefly.
"""

import datetime

from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from notices import page_cache
from notices.conditional import (
    CURRENT_MAX_AGE,
    EPOCH,
    IMMUTABLE_MAX_AGE,
    conditional,
    current_last_modified,
    etag,
    material_change,
    midnight,
)
from notices.forms import CompareForm, OnDateForm
from notices.models import Notice, NoticeVersion


def primary_notice():
    return get_object_or_404(Notice, slug=settings.NOTICES_PRIMARY_SLUG)


def published_versions(notice):
    """The archive: every published version, newest first (snapshot left out: it is large)."""
    return NoticeVersion.objects.filter(notice=notice).archive()


def _version_context(version, language):
    snapshot = version.snapshot
    return {
        "version": version,
        "notice_title": snapshot["notice"]["title"][language],
        "sections": [
            {"anchor": section["anchor"], "title": section["title"][language]}
            for section in snapshot["sections"]
        ],
        "document": snapshot["html"][language],
        "change_summary": snapshot["change_summary"][language],
    }


@require_safe
def current(request):
    """The version in force today. Which one, the banner and the validators come from the
    cached index (no query); the page itself is rendered once per state (page_cache)."""
    index = page_cache.notice_index()
    today = timezone.localdate()
    entry = index.current(today)
    if entry is None:
        raise Http404(_("No version of the declaration is in force yet."))
    language = translation.get_language()
    material, previous, shown = material_change(index.entries, today)
    upcoming = index.upcoming(today)
    tag = etag(
        entry.sha256,
        language,
        shown and f"{previous.number}-{material.number}",
        upcoming and upcoming.sha256,
    )

    def build():
        # The banner and the announcement need only dates and numbers: the current version's
        # snapshot is the one loaded.
        wanted = {v.number for v in (entry, material, previous, upcoming) if v is not None}
        rows = {
            v.number: v
            for v in NoticeVersion.objects.published()
            .filter(notice_id=index.notice_id, number__in=wanted - {entry.number})
            .defer("snapshot")
        }
        rows[entry.number] = _published(index, entry.number)
        context = _version_context(rows[entry.number], language)
        context.update(
            {
                "is_current": True,
                "material_change": (
                    {"version": rows[material.number], "previous": rows[previous.number]}
                    if shown
                    else None
                ),
                "upcoming": rows[upcoming.number] if upcoming else None,
            }
        )
        return render(request, "notices/version.html", context)

    return conditional(
        request,
        lambda: page_cache.cached_body(("current", tag), build),
        etag=tag,
        last_modified=current_last_modified(entry, upcoming, material, today),
        max_age=CURRENT_MAX_AGE,
    )


def _entry_or_404(index, number):
    entry = index.by_number(number)
    if entry is None:
        raise Http404(_("This version does not exist."))
    return entry


def _published(index, number):
    return NoticeVersion.objects.published().get(notice_id=index.notice_id, number=number)


@require_safe
def version_detail(request, number):
    """A version at its permanent URL: the snapshot and links that never change."""
    index = page_cache.notice_index()
    entry = _entry_or_404(index, number)
    language = translation.get_language()
    tag = etag(entry.sha256, language)

    def build():
        version = _published(index, number)
        return render(request, "notices/version.html", _version_context(version, language))

    return conditional(
        request,
        lambda: page_cache.cached_body(("version", tag), build),
        etag=tag,
        last_modified=entry.published_at,
        max_age=IMMUTABLE_MAX_AGE,
        immutable=True,
    )


@require_safe
def version_json(request, number):
    index = page_cache.notice_index()
    entry = _entry_or_404(index, number)

    def build():
        version = _published(index, number)
        return JsonResponse(
            {"sha256": version.sha256, "snapshot": version.snapshot},
            json_dumps_params={"ensure_ascii": False, "sort_keys": True},
        )

    return conditional(
        request,
        lambda: page_cache.cached_body(("json", entry.sha256), build),
        etag=quote_etag(entry.sha256),
        last_modified=entry.published_at,
        max_age=IMMUTABLE_MAX_AGE,
        immutable=True,
    )


@require_safe
def archive(request):
    if request.GET:  # the on-date form: a redirect, or the page with its error
        return _archive_page(request, page_cache.notice_index(), timezone.localdate())
    index = page_cache.notice_index()
    today = timezone.localdate()
    in_force = index.current(today)
    language = translation.get_language()
    tag = etag("archive", index.generation, in_force and in_force.number, today, language)
    moments = [index.last_published_at or EPOCH]
    if in_force is not None and in_force.effective_from is not None:
        moments.append(midnight(in_force.effective_from))
    return conditional(
        request,
        lambda: page_cache.cached_body(
            ("archive", tag), lambda: _archive_page(request, index, today)
        ),
        etag=tag,
        last_modified=max(moments),
        max_age=CURRENT_MAX_AGE,
    )


def _archive_page(request, index, today):
    notice = Notice.objects.get(pk=index.notice_id)
    versions = list(published_versions(notice))
    in_force = NoticeVersion.objects.filter(notice=notice).defer("snapshot").current(at=today)
    form = OnDateForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return HttpResponseRedirect(
            reverse("notices:on-date", kwargs={"date": form.cleaned_data["date"].isoformat()})
        )
    context = {
        "notice": notice,
        "versions": versions,
        "in_force": in_force,
        "today": today,
        "on_date_form": form,
        "compare_form": CompareForm(versions=versions),
        "page_has_errors": bool(form.errors),
    }
    response = render(request, "notices/archive.html", context, status=400 if form.errors else 200)
    patch_cache_control(response, public=True, max_age=CURRENT_MAX_AGE)
    return response


@require_safe
def on_date(request, date):
    notice = primary_notice()
    try:
        day = datetime.date.fromisoformat(date)
    except ValueError:
        raise Http404(_("This is not a date.")) from None
    versions = NoticeVersion.objects.filter(notice=notice).defer("snapshot")
    version = versions.current(at=day)
    if version is None:
        # Before the portal recorded a version whose start is unknown, the portal cannot tell
        # which text applied: it says what it knows (200). Otherwise none applied yet (404).
        earliest = versions.earliest_undated()
        first = versions.published().order_by("number").first()
        return render(
            request,
            "notices/no_version_on_date.html",
            {
                "day": day,
                "earliest_undated": earliest,
                "first": first,
                "on_date_form": OnDateForm(initial={"date": day}),
            },
            status=200 if earliest else 404,
        )
    response = HttpResponseRedirect(reverse("notices:version", kwargs={"number": version.number}))
    patch_cache_control(response, public=True, max_age=CURRENT_MAX_AGE)
    return response


@require_safe
def compare(request):
    notice = primary_notice()
    versions = list(published_versions(notice))
    form = CompareForm(request.GET or None, versions=versions)
    if form.is_bound and form.is_valid():
        old, new = sorted([form.cleaned_data["old"], form.cleaned_data["new"]])
        return HttpResponseRedirect(reverse("notices:changes", kwargs={"old": old, "new": new}))
    response = render(
        request,
        "notices/compare.html",
        {"compare_form": form, "versions": versions},
        status=400 if form.errors else 200,
    )
    patch_cache_control(response, public=True, max_age=CURRENT_MAX_AGE)
    return response


@require_safe
def changes(request, old, new):
    """What changed from version `old` to version `new`: one URL per pair, the older first
    (the other order answers 301 to it, so that a comparison is cached and linked once)."""
    from notices.diff_registry import registry_changes
    from notices.diff_text import text_diff_html

    if old > new:
        response = HttpResponsePermanentRedirect(
            reverse("notices:changes", kwargs={"old": new, "new": old})
        )
        patch_cache_control(response, public=True, max_age=IMMUTABLE_MAX_AGE)
        return response
    if old == new:
        raise Http404(_("Choose two different versions."))
    index = page_cache.notice_index()
    older_entry, newer_entry = index.by_number(old), index.by_number(new)
    if older_entry is None or newer_entry is None:
        raise Http404(_("One of these versions does not exist."))
    language = translation.get_language()
    tag = etag(older_entry.sha256, newer_entry.sha256, language)

    def build():
        found = {
            v.number: v
            for v in NoticeVersion.objects.published().filter(
                notice_id=index.notice_id, number__in=[old, new]
            )
        }
        older, newer = found[old], found[new]
        return render(
            request,
            "notices/changes.html",
            {
                "older": older,
                "newer": newer,
                "registry_changes": registry_changes(
                    older.snapshot["registry"], newer.snapshot["registry"], language=language
                ),
                "sections": text_diff_html(
                    older.snapshot["sections"], newer.snapshot["sections"], language=language
                ),
                "change_summary": newer.snapshot["change_summary"][language],
            },
        )

    return conditional(
        request,
        lambda: page_cache.cached_body(("changes", tag), build),
        etag=tag,
        last_modified=max(older_entry.published_at, newer_entry.published_at),
        max_age=IMMUTABLE_MAX_AGE,
        immutable=True,
    )


@require_safe
def feed(request):
    """The Atom feed of published versions, rendered once per publication and language."""
    from notices.feeds import VersionFeed

    index = page_cache.notice_index()
    tag = etag("feed", index.generation, translation.get_language())
    return conditional(
        request,
        lambda: page_cache.cached_body(("feed", tag), lambda: VersionFeed()(request)),
        etag=tag,
        last_modified=index.last_published_at or EPOCH,
        max_age=CURRENT_MAX_AGE,
    )


@require_safe
def version_pdf(request, number):
    """The stored PDF of a version in the page's language, rendered once on first request."""
    from notices.pdf_store import notice_pdf_stored

    notice = primary_notice()
    version = get_object_or_404(
        NoticeVersion.objects.published().defer("snapshot"), notice=notice, number=number
    )
    language = translation.get_language()

    def build():
        stored = notice_pdf_stored(version=version, language=language)
        return FileResponse(
            stored.file.open("rb"),
            content_type="application/pdf",
            as_attachment=False,
            filename=stored.filename,
        )

    return conditional(
        request,
        build,
        etag=quote_etag(f"{version.sha256[:32]}-{language}"),
        last_modified=version.published_at,
        max_age=IMMUTABLE_MAX_AGE,
        immutable=True,
    )
