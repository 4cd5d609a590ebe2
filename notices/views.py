"""Public pages of the declaration, all served from published snapshots.

No view here reads the registry, touches the session or sets a cookie; each answers
conditional requests (ETag, Last-Modified) and says how long it may be cached: a version's own
URL never changes (immutable, a year), the current one briefly.
"""

import datetime
import hashlib

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from notices.models import Notice, NoticeVersion

MATERIAL_CHANGE_NOTICE_DAYS = 30
CURRENT_MAX_AGE = 300
IMMUTABLE_MAX_AGE = 365 * 24 * 3600


def primary_notice():
    return get_object_or_404(Notice, slug=settings.NOTICES_PRIMARY_SLUG)


def published_versions(notice):
    """The archive: every published version, newest first (snapshot left out: it is large)."""
    return NoticeVersion.objects.published().filter(notice=notice).defer("snapshot").newest_first()


def _etag(*parts):
    return quote_etag(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32])


def _conditional(request, response_factory, *, etag, last_modified, max_age, immutable=False):
    """Answer 304 when the client's copy is current; otherwise build and stamp the response."""
    timestamp = int(last_modified.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is None:
        response = response_factory()
    response["ETag"] = etag
    response["Last-Modified"] = http_date(timestamp)
    patch_cache_control(response, public=True, max_age=max_age)
    if immutable:
        patch_cache_control(response, immutable=True)
    return response


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


def _material_change(notice, current, today):
    """The previous version when `current` is a material change less than 30 days old."""
    if current.change_kind != NoticeVersion.ChangeKind.MATERIAL or not current.effective_from:
        return None
    if (today - current.effective_from).days >= MATERIAL_CHANGE_NOTICE_DAYS:
        return None
    return (
        published_versions(notice)
        .filter(
            Q(effective_from__lte=current.effective_from) | Q(effective_from__isnull=True),
            number__lt=current.number,
        )
        .first()
    )


@require_safe
def current(request):
    notice = primary_notice()
    today = timezone.localdate()
    version = NoticeVersion.objects.filter(notice=notice).current(at=today)
    if version is None:
        raise Http404(_("No version of the declaration is in force yet."))
    language = translation.get_language()
    previous = _material_change(notice, version, today)
    upcoming = (
        published_versions(notice).filter(effective_from__gt=today).order_by("effective_from")
    ).first()

    def build():
        context = _version_context(version, language)
        context.update({"is_current": True, "material_change_from": previous, "upcoming": upcoming})
        return render(request, "notices/version.html", context)

    return _conditional(
        request,
        build,
        etag=_etag(
            version.sha256, language, previous and previous.pk, upcoming and upcoming.sha256
        ),
        last_modified=max(v.published_at for v in filter(None, [version, upcoming])),
        max_age=CURRENT_MAX_AGE,
    )


@require_safe
def version_detail(request, number):
    """A version at its permanent URL: the snapshot and links that never change."""
    notice = primary_notice()
    version = get_object_or_404(NoticeVersion.objects.published(), notice=notice, number=number)
    language = translation.get_language()

    def build():
        return render(request, "notices/version.html", _version_context(version, language))

    return _conditional(
        request,
        build,
        etag=_etag(version.sha256, language),
        last_modified=version.published_at,
        max_age=IMMUTABLE_MAX_AGE,
        immutable=True,
    )


@require_safe
def version_json(request, number):
    notice = primary_notice()
    version = get_object_or_404(NoticeVersion.objects.published(), notice=notice, number=number)

    def build():
        return JsonResponse(
            {"sha256": version.sha256, "snapshot": version.snapshot},
            json_dumps_params={"ensure_ascii": False, "sort_keys": True},
        )

    return _conditional(
        request,
        build,
        etag=quote_etag(version.sha256),
        last_modified=version.published_at,
        max_age=IMMUTABLE_MAX_AGE,
        immutable=True,
    )


class TypedDateField(forms.DateField):
    """A DateField whose "invalid" message can quote what was typed (`%(value)s`)."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            typed = str(value).strip()
            typed = typed if len(typed) <= 40 else f"{typed[:40]}…"
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": typed}
            ) from None


class OnDateForm(forms.Form):
    # A date input's value must be a valid date or empty: a bound invalid form is rendered
    # without it (on_date_form.html), and the message quotes what was typed instead.
    date = TypedDateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Enter a date."),
            "invalid": _(
                "“%(value)s” is not a date: enter it as day/month/year, for example 15/03/2026."
            ),
        },
    )


@require_safe
def archive(request):
    notice = primary_notice()
    versions = list(published_versions(notice))
    today = timezone.localdate()
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


class CompareForm(forms.Form):
    old = forms.TypedChoiceField(label=_("From version"), coerce=int)
    new = forms.TypedChoiceField(label=_("To version"), coerce=int)

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v.number, _("Version %(number)s") % {"number": v.number}) for v in versions]
        self.fields["old"].choices = choices
        self.fields["new"].choices = choices
        if len(versions) >= 2:
            self.fields["old"].initial = versions[1].number
            self.fields["new"].initial = versions[0].number

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("old") is not None and cleaned.get("old") == cleaned.get("new"):
            raise forms.ValidationError(_("Choose two different versions."))
        return cleaned


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
    from notices.diff import registry_changes, text_diff_html

    notice = primary_notice()
    if old == new:
        raise Http404(_("Choose two different versions."))
    found = {
        v.number: v
        for v in NoticeVersion.objects.published().filter(notice=notice, number__in=[old, new])
    }
    if len(found) != 2:
        raise Http404(_("One of these versions does not exist."))
    older, newer = sorted(found.values(), key=lambda v: v.number)
    language = translation.get_language()

    def build():
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

    return _conditional(
        request,
        build,
        etag=_etag(older.sha256, newer.sha256, language),
        last_modified=max(older.published_at, newer.published_at),
        max_age=IMMUTABLE_MAX_AGE,
        immutable=True,
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

    return _conditional(
        request,
        build,
        etag=quote_etag(f"{version.sha256[:32]}-{language}"),
        last_modified=version.published_at,
        max_age=IMMUTABLE_MAX_AGE,
        immutable=True,
    )
