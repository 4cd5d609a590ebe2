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
from registry.completeness import object_label, registry_gaps

LANGUAGES = ("fr", "nl")


def _language_name(code):
    return dict(settings.LANGUAGES)[code]


def gap_key(gap) -> str:
    """A gap's identity on the publish form: its code, activity, object and language."""
    labels = [
        f"{obj._meta.label_lower}:{obj.pk}" if obj is not None else ""
        for obj in (
            gap.activity,
            gap.obj,
        )
    ]
    return "|".join([gap.code, *labels, gap.language or ""])


def keyed_gaps(gaps):
    """(key, gap) pairs, the key made unique when two gaps would share one."""
    seen = {}
    pairs = []
    for gap in gaps:
        key = gap_key(gap)
        seen[key] = seen.get(key, 0) + 1
        pairs.append((key if seen[key] == 1 else f"{key}#{seen[key]}", gap))
    return pairs


def gap_line(gap) -> str:
    """A gap in one line that names its article and, when it has one, its activity."""
    if gap.activity is None:
        return f"{gap.article}: {gap.message}"
    return _("%(article)s, activity “%(activity)s”: %(message)s") % {
        "article": gap.article,
        "activity": object_label(gap.activity),
        "message": gap.message,
    }


def _compared_texts(section, language):
    return tuple(
        " ".join((getattr(section, f"{name}_{language}") or "").split())
        for name in ("title", "body")
    )


def translation_problems(*, version: NoticeVersion) -> list[tuple[Section, str]]:
    """Sections changed in one language only since the version this draft copies.

    Each section is compared with the section of the same anchor in `based_on`; a new section
    needs both languages anyway, a removed one asks nothing. A section the DPO marked
    "translation checked" (for its current texts) passes.
    """
    if version.based_on_id is None:
        return []
    before = {section.anchor: section for section in version.based_on.sections.all()}
    problems = []
    for section in version.sections.all():
        old = before.get(section.anchor)
        if old is None or section.translation_checked:
            continue
        changed = [
            language
            for language in LANGUAGES
            if _compared_texts(section, language) != _compared_texts(old, language)
        ]
        if len(changed) != 1:
            continue
        unchanged = next(language for language in LANGUAGES if language not in changed)
        problems.append(
            (
                section,
                _(
                    "Section “%(section)s”: the text in %(changed)s changed since version "
                    "%(number)s, but not the text in %(unchanged)s. Update it, or mark the "
                    "section “translation checked” if it is still right."
                )
                % {
                    "section": section.title_fr or section.title_nl or section.anchor,
                    "changed": _language_name(changed[0]),
                    "unchanged": _language_name(unchanged),
                    "number": version.based_on.number,
                },
            )
        )
    return problems


@transaction.atomic
def section_mark_translation_checked(*, section: Section, by) -> Section:
    """The DPO checked that a section's other language is still right: recorded with who and
    when, for the texts as they are now (a later change of either text undoes it)."""
    section = Section.objects.select_for_update().select_related("version").get(pk=section.pk)
    if section.version.is_published:
        raise ValidationError(_("This version is already published."))
    section.translation_checked_at = timezone.now()
    section.translation_checked_by = by
    section.translation_checked_digest = section.texts_digest()
    section.save()
    return section


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
    problems.extend(message for _section, message in translation_problems(version=version))
    if include_registry:
        problems.extend(gap_line(gap) for gap in registry_gaps())
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
    gaps_reason="",
) -> NoticeVersion:
    """Publish a draft: check it, freeze its snapshot, and make it immutable.

    It takes effect today or later, never in the past: a text that was already in force goes
    through `notice_version_record_historical`. Registry gaps refuse, except those acknowledged
    for this publication: `acknowledge_registry_gaps` is True (all of them) or the keys
    (`gap_key`) of those the DPO saw; any other gap still refuses, and `gaps_reason` says why it
    cannot wait. The snapshot keeps each acknowledged gap with that reason.
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
        gaps_reason=gaps_reason,
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


def _split_gaps(acknowledge):
    """(acknowledged, refused) registry gaps of this moment."""
    acknowledged, refused = [], []
    for key, gap in keyed_gaps(registry_gaps()):
        if acknowledge is True or (acknowledge and key in acknowledge):
            acknowledged.append(gap)
        else:
            refused.append(gap)
    return acknowledged, refused


def _freeze(
    version, *, by, effective_from, acknowledge_registry_gaps, gaps_reason="", historical=None
):
    """Check the draft, build and digest its snapshot, publish it (the version is locked)."""
    problems = notice_version_problems(version=version, include_registry=False)
    acknowledged, refused = _split_gaps(acknowledge_registry_gaps)
    problems.extend(gap_line(gap) for gap in refused)
    reason = (gaps_reason or "").strip() or historical or ""
    if acknowledged and not reason:
        missing = _("Say why this version cannot wait for these gaps to be fixed.")
        raise ValidationError(
            {"gaps_reason": missing, **({"__all__": problems} if problems else {})}
        )
    if problems:
        raise ValidationError(problems)

    published_at = timezone.now()
    snapshot = notice_snapshot_build(
        version=version, effective_from=effective_from, published_at=published_at
    )
    if historical is not None:
        snapshot["historical"] = {"effective_from_known": effective_from is not None}
    if acknowledged:
        # Who acknowledged them is the version's publisher (published_by), kept out of the
        # snapshot, which is public as data; when is its published_at.
        snapshot["registry_gaps_acknowledged"] = [
            {
                "code": gap.code,
                "article": gap.article,
                "activity": gap.activity.slug if gap.activity is not None else None,
                "reason": reason,
            }
            for gap in acknowledged
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
    from notices.page_cache import index_forget
    from notices.pdf_store import queue_pdf_rendering

    transaction.on_commit(lambda: queue_pdf_rendering(version.pk))
    # The public pages decide from a cached index of published versions: the next request
    # rebuilds it with this one.
    slug = version.notice.slug
    transaction.on_commit(lambda: index_forget(slug))
    return version
