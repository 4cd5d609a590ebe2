"""Load version 1 of the declaration: the text AIM had in force before the portal existed.

Version 1 is recorded as historical (notices.services.notice_version_record_historical), never
published as if it took effect the day it was loaded: its start is the setting
DEMO_V1_EFFECTIVE_FROM, or unknown when that is empty.
"""

from django.conf import settings
from django.db import transaction

from notices.content import CHANGE_SUMMARY_V1_FR, CHANGE_SUMMARY_V1_NL, NOTICE, SECTIONS_V1
from notices.models import Notice, NoticeVersion, Section
from notices.services import notice_version_create_draft, notice_version_record_historical
from registry.models import ProcessingActivity
from registry.seed import registry_seed_load

# Kept with version 1 (NoticeVersion.historical_note): where its text and its date come from.
V1_SOURCE = (
    "AIM's privacy declaration as published before the portal (shared/seed/declaration-fr.txt); "
    "demo content loaded by `manage.py load_demo_content`. Start date: setting "
    "DEMO_V1_EFFECTIVE_FROM ({date})."
)


@transaction.atomic
def demo_content_load(*, by=None) -> NoticeVersion:
    """Record version 1 once; later calls change nothing and return it.

    The registry seed is loaded only into an empty registry, so that a registry the DPO has
    already edited is never brought back to the seed. As a historical record, version 1 keeps
    the registry gaps of the day in its snapshot instead of being refused for them.
    """
    if not ProcessingActivity.objects.exists():
        registry_seed_load()
    notice, _created = Notice.objects.get_or_create(
        slug=NOTICE["slug"],
        defaults={"title_fr": NOTICE["title_fr"], "title_nl": NOTICE["title_nl"]},
    )
    existing = notice.versions.filter(number=1).first()
    if existing is not None:
        return existing

    draft = notice_version_create_draft(notice=notice)
    Section.objects.bulk_create(
        Section(version=draft, position=position, **section)
        for position, section in enumerate(SECTIONS_V1)
    )
    draft.change_summary_fr = CHANGE_SUMMARY_V1_FR
    draft.change_summary_nl = CHANGE_SUMMARY_V1_NL
    draft.change_kind = NoticeVersion.ChangeKind.MINOR
    draft.save()
    effective_from = settings.DEMO_V1_EFFECTIVE_FROM
    return notice_version_record_historical(
        version=draft,
        by=by,
        effective_from=effective_from,
        reason=V1_SOURCE.format(
            date=effective_from.isoformat() if effective_from else "not recorded"
        ),
    )
