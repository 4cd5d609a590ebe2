"""Writes on notices: start a draft, check it, publish it (freezing its snapshot).

Two ways to publish, kept apart: `notice_version_publish` (ordinary publishing: takes effect
today or later, never backdated) and `notice_version_record_historical` (the DPO records a text
that was already in force: a date in the past, or none when nobody recorded it).
"""

import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from notices.models import Notice, NoticeVersion, Section
from notices.registry_data import registry_data
from notices.rendering import render_document, section_parts
from notices.templatetags.dates import long_date
from notices.tilt import tilt_problems
from registry.completeness import registry_gaps

LANGUAGES = ("fr", "nl")


def _language_name(code):
    return dict(settings.LANGUAGES)[code]


@transaction.atomic
def notice_version_create_draft(*, notice: Notice) -> NoticeVersion:
    """A new draft, its sections copied from the latest version (published or not)."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    latest = notice.versions.order_by("-number").first()
    number = (notice.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    draft = NoticeVersion.objects.create(notice=notice, number=number, based_on=latest)
    if latest is not None:
        Section.objects.bulk_create(
            Section(
                version=draft,
                position=section.position,
                anchor=section.anchor,
                registry_block=section.registry_block,
                title_fr=section.title_fr,
                title_nl=section.title_nl,
                body_fr=section.body_fr,
                body_nl=section.body_nl,
            )
            for section in latest.sections.all()
        )
    return draft


def notice_version_problems(*, version: NoticeVersion, include_registry=True) -> list[str]:
    """Everything that stops a version from being published, each saying what and where."""
    problems = []
    sections = list(version.sections.all())
    if not sections:
        problems.append(_("The version has no section."))
    for section in sections:
        where = section.title_fr or section.title_nl or section.anchor
        for language in LANGUAGES:
            if not (getattr(section, f"title_{language}") or "").strip():
                problems.append(
                    _("Section “%(section)s”: the title in %(language)s is missing.")
                    % {"section": where, "language": _language_name(language)}
                )
            has_body = (getattr(section, f"body_{language}") or "").strip()
            if not has_body and not section.registry_block:
                problems.append(
                    _("Section “%(section)s”: the text in %(language)s is missing.")
                    % {"section": where, "language": _language_name(language)}
                )
    for language in LANGUAGES:
        if not (getattr(version, f"change_summary_{language}") or "").strip():
            problems.append(
                _("The change summary in %(language)s is missing.")
                % {"language": _language_name(language)}
            )
        if not (getattr(version.notice, f"title_{language}") or "").strip():
            problems.append(
                _("The notice's title in %(language)s is missing.")
                % {"language": _language_name(language)}
            )
    if include_registry:
        problems.extend(f"{gap.article}: {gap.message}" for gap in registry_gaps())
    return problems


def canonical_json(data) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def snapshot_digest(snapshot) -> str:
    return hashlib.sha256(canonical_json(snapshot)).hexdigest()


def notice_snapshot_build(*, version: NoticeVersion, effective_from, published_at) -> dict:
    """The frozen content of a version: texts, registry data and rendered HTML per language."""
    registry = registry_data()
    sections = [section_parts(section) for section in version.sections.all()]
    return {
        "format": 1,
        "notice": {
            "slug": version.notice.slug,
            "title": {lang: getattr(version.notice, f"title_{lang}") for lang in LANGUAGES},
        },
        "version": version.number,
        "effective_from": effective_from.isoformat() if effective_from else None,
        "published_at": published_at.isoformat(),
        "change_kind": version.change_kind,
        "change_summary": {lang: getattr(version, f"change_summary_{lang}") for lang in LANGUAGES},
        "sections": sections,
        "registry": registry,
        "html": {
            lang: render_document(sections=sections, registry=registry, language=lang)
            for lang in LANGUAGES
        },
    }


def _latest_effective(version):
    return (
        NoticeVersion.objects.published()
        .filter(notice=version.notice)
        .aggregate(latest=Max("effective_from"))["latest"]
    )


def _not_before_latest(version, effective_from):
    latest_effective = _latest_effective(version)
    if latest_effective and effective_from < latest_effective:
        raise ValidationError(
            {
                "effective_from": _(
                    "A later version already takes effect on %(date)s: choose that date or later."
                )
                % {"date": long_date(latest_effective)}
            }
        )


def _locked_draft(version):
    version = NoticeVersion.objects.select_for_update().select_related("notice").get(pk=version.pk)
    if version.is_published:
        raise ValidationError(_("This version is already published."))
    return version


@transaction.atomic
def notice_version_publish(
    *,
    version: NoticeVersion,
    by,
    effective_from=None,
    acknowledge_registry_gaps=False,
) -> NoticeVersion:
    """Publish a draft: check it, freeze its snapshot, and make it immutable.

    It takes effect today or later, never in the past: a text that was already in force goes
    through `notice_version_record_historical`. `acknowledge_registry_gaps` keeps the registry
    gaps in the snapshot instead of refusing; the admin never passes it.
    """
    version = _locked_draft(version)
    effective_from = effective_from or timezone.localdate()
    if effective_from < timezone.localdate():
        raise ValidationError(
            {"effective_from": _("A version takes effect today or later, not in the past.")}
        )
    _not_before_latest(version, effective_from)
    return _freeze(
        version,
        by=by,
        effective_from=effective_from,
        acknowledge_registry_gaps=acknowledge_registry_gaps,
    )


@transaction.atomic
def notice_version_record_historical(
    *, version: NoticeVersion, by, effective_from=None, reason: str
) -> NoticeVersion:
    """Record a draft as a text that was already in force (historical import), and publish it.

    `effective_from` is the day it took effect, in the past; None when nobody recorded it: the
    version then reads "in force before the portal opened (date not recorded)", which only the
    first version of a notice may be. `reason` says where the text and its date come from; it
    is kept with the version. The registry gaps of the day are kept in the snapshot, not refused:
    the text was in force whatever the registry holds now.
    """
    version = _locked_draft(version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"historical_note": _("Say where the historical text and its date come from.")}
        )
    if effective_from is None:
        if NoticeVersion.objects.published().filter(notice=version.notice).exists():
            raise ValidationError(
                {
                    "effective_from": _(
                        "Only the first version may have an unknown start: a later one took "
                        "effect on a known date."
                    )
                }
            )
    else:
        if effective_from >= timezone.localdate():
            raise ValidationError(
                {
                    "effective_from": _(
                        "A historical version took effect before today; publish it normally "
                        "otherwise."
                    )
                }
            )
        _not_before_latest(version, effective_from)
    return _freeze(
        version,
        by=by,
        effective_from=effective_from,
        acknowledge_registry_gaps=True,
        historical=reason,
    )


def _freeze(version, *, by, effective_from, acknowledge_registry_gaps, historical=None):
    """Check the draft, build and digest its snapshot, publish it (the version is locked)."""
    problems = notice_version_problems(version=version, include_registry=False)
    gaps = registry_gaps()
    if not acknowledge_registry_gaps:
        problems.extend(f"{gap.article}: {gap.message}" for gap in gaps)
    if problems:
        raise ValidationError(problems)

    published_at = timezone.now()
    snapshot = notice_snapshot_build(
        version=version, effective_from=effective_from, published_at=published_at
    )
    if historical is not None:
        snapshot["historical"] = {"effective_from_known": effective_from is not None}
    if acknowledge_registry_gaps and gaps:
        snapshot["registry_gaps_acknowledged"] = [
            {"code": gap.code, "article": gap.article} for gap in gaps
        ]
    sha256 = snapshot_digest(snapshot)
    # Whatever the registry holds, its machine-readable export (TILT, both languages) must pass
    # the schema: refused here, before anything is saved, saying what is missing.
    tilt_refusals = tilt_problems(snapshot=snapshot, sha256=sha256, number=version.number)
    if tilt_refusals:
        raise ValidationError(tilt_refusals)
    version.status = NoticeVersion.Status.PUBLISHED
    version.effective_from = effective_from
    version.historical = historical is not None
    version.historical_note = historical or ""
    version.published_at = published_at
    version.published_by = by
    version.snapshot = snapshot
    version.sha256 = sha256
    version.full_clean(exclude=["snapshot"])
    version.save()
    from notices.pdf_store import queue_pdf_rendering

    transaction.on_commit(lambda: queue_pdf_rendering(version.pk))
    return version
