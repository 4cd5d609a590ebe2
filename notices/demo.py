"""Load version 1 of the declaration: the text AIM had in force before the portal existed."""

from django.db import transaction

from notices.content import CHANGE_SUMMARY_V1_FR, CHANGE_SUMMARY_V1_NL, NOTICE, SECTIONS_V1
from notices.models import Notice, NoticeVersion, Section
from notices.services import notice_version_create_draft, notice_version_publish
from registry.models import ProcessingActivity
from registry.seed import registry_seed_load


@transaction.atomic
def demo_content_load(*, by=None) -> NoticeVersion:
    """Publish version 1 once; later calls change nothing and return it.

    The registry seed is loaded only into an empty registry, so that a registry the DPO has
    already edited is never brought back to the seed. Version 1 is published with its registry
    gaps acknowledged: it records the declaration already in force, gaps included (the snapshot
    lists them).
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
    return notice_version_publish(version=draft, by=by, acknowledge_registry_gaps=True)
