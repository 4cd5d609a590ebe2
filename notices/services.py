"""Writes on notices: start a draft, check it, publish it (freezing its snapshot)."""

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
        "effective_from": effective_from.isoformat(),
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


@transaction.atomic
def notice_version_publish(
    *,
    version: NoticeVersion,
    by,
    effective_from=None,
    acknowledge_registry_gaps=False,
) -> NoticeVersion:
    """Publish a draft: check it, freeze its snapshot, and make it immutable.

    `acknowledge_registry_gaps` is for recording a declaration that was already in force before
    the portal existed (version 1, loaded by `load_demo_content`): its sections must still be
    complete in both languages, and the registry gaps it had are kept in the snapshot.
    The admin never passes it.
    """
    version = NoticeVersion.objects.select_for_update().select_related("notice").get(pk=version.pk)
    if version.is_published:
        raise ValidationError(_("This version is already published."))
    effective_from = effective_from or timezone.localdate()
    if effective_from < timezone.localdate():
        raise ValidationError(
            {"effective_from": _("A version takes effect today or later, not in the past.")}
        )
    latest_effective = (
        NoticeVersion.objects.published()
        .filter(notice=version.notice)
        .aggregate(latest=Max("effective_from"))["latest"]
    )
    if latest_effective and effective_from < latest_effective:
        raise ValidationError(
            {
                "effective_from": _(
                    "A later version already takes effect on %(date)s: choose that date or later."
                )
                % {"date": latest_effective.isoformat()}
            }
        )
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
    version.published_at = published_at
    version.published_by = by
    version.snapshot = snapshot
    version.sha256 = sha256
    version.full_clean(exclude=["snapshot"])
    version.save()
    from notices.pdf_store import queue_pdf_rendering

    transaction.on_commit(lambda: queue_pdf_rendering(version.pk))
    return version
