"""Publishing: refusals that say what and where, the frozen snapshot, immutability, dates."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from notices.models import NoticeVersion, PublishedVersionIsImmutable, Section
from notices.services import notice_version_create_draft, snapshot_digest
from registry.models import RetentionRule
from tests.notices.conftest import SECTIONS

pytestmark = pytest.mark.django_db


def test_publish_refuses_missing_dutch_and_says_where(complete_registry, publish):
    broken = [dict(SECTIONS[0], title_nl=""), dict(SECTIONS[1], body_nl="", registry_block="")]
    with translation.override("en"), pytest.raises(ValidationError) as refusal:
        publish(sections=broken)
    messages = refusal.value.messages
    assert "Section “Responsable du traitement”: the title in Dutch is missing." in messages
    assert "Section “Conservation”: the text in Dutch is missing." in messages
    assert not NoticeVersion.objects.published().exists()


def test_publish_refuses_registry_gaps_article_by_article(complete_registry, publish):
    complete_registry.legal_bases.clear()
    with translation.override("en"), pytest.raises(ValidationError) as refusal:
        publish()
    assert any(m.startswith("Art. 6(1)") and "legal basis" in m for m in refusal.value.messages)


def test_publish_refuses_a_missing_change_summary(complete_registry, publish):
    with translation.override("en"), pytest.raises(ValidationError) as refusal:
        publish(summary=("Résumé", ""))
    assert "The change summary in Dutch is missing." in refusal.value.messages


def test_publish_freezes_html_registry_data_and_hash(complete_registry, publish, admin_user):
    version = publish()
    assert version.status == NoticeVersion.Status.PUBLISHED
    assert version.published_by == admin_user
    assert version.sha256 == snapshot_digest(version.snapshot)
    assert "Responsable du traitement" in version.snapshot["html"]["fr"]
    assert "Verwerkingsverantwoordelijke" in version.snapshot["html"]["nl"]
    assert version.snapshot["registry"]["activities"][0]["slug"] == "analysis"


def test_registry_changes_after_publication_leave_the_snapshot_identical(
    complete_registry, publish
):
    version = publish()
    html, digest = dict(version.snapshot["html"]), version.sha256
    rule = complete_registry.retention_rules.get()
    RetentionRule.objects.filter(pk=rule.pk).update(duration=30, name_fr="Autre", name_nl="Ander")
    complete_registry.recipients.clear()

    stored = NoticeVersion.objects.get(pk=version.pk)
    assert stored.snapshot["html"] == html
    assert stored.sha256 == digest == snapshot_digest(stored.snapshot)


def test_a_published_version_never_changes_through_the_orm(complete_registry, publish):
    version = publish()
    version.change_summary_fr = "Autre chose"
    with pytest.raises(PublishedVersionIsImmutable):
        version.save()
    with pytest.raises(PublishedVersionIsImmutable):
        version.delete()
    with pytest.raises(PublishedVersionIsImmutable):
        NoticeVersion.objects.filter(pk=version.pk).update(change_summary_fr="x")
    with pytest.raises(PublishedVersionIsImmutable):
        NoticeVersion.objects.filter(pk=version.pk).delete()
    section = version.sections.first()
    section.body_fr = "Changé"
    with pytest.raises(PublishedVersionIsImmutable):
        section.save()
    with pytest.raises(PublishedVersionIsImmutable):
        Section.objects.filter(version=version).update(body_fr="x")
    with pytest.raises(PublishedVersionIsImmutable):
        section.delete()
    assert NoticeVersion.objects.get(pk=version.pk).change_summary_fr == "Résumé"


def test_a_new_draft_copies_the_latest_version(complete_registry, publish, notice):
    first = publish()
    draft = notice_version_create_draft(notice=notice)
    assert draft.number == first.number + 1
    assert draft.based_on == first
    assert list(draft.sections.values_list("anchor", "title_nl")) == list(
        first.sections.values_list("anchor", "title_nl")
    )
    # The copy is a draft: editing it leaves the published version alone.
    draft.sections.filter(anchor="retention").update(body_fr="30 ans")
    assert first.sections.get(anchor="retention").body_fr == SECTIONS[1]["body_fr"]


def test_a_version_cannot_take_effect_in_the_past(complete_registry, publish):
    with pytest.raises(ValidationError) as refusal:
        publish(effective_from=timezone.localdate() - datetime.timedelta(days=1))
    assert "effective_from" in refusal.value.message_dict


def test_a_future_version_becomes_current_on_its_date(complete_registry, publish, notice, travel):
    today = timezone.localdate()
    first = publish()
    second = publish(
        sections=[SECTIONS[0], dict(SECTIONS[1], body_fr="30 ans.", body_nl="30 jaar.")],
        effective_from=today + datetime.timedelta(days=10),
    )
    versions = NoticeVersion.objects.filter(notice=notice)
    assert versions.current() == first
    travel(today + datetime.timedelta(days=9))
    assert versions.current() == first
    travel(today + datetime.timedelta(days=10))
    assert versions.current() == second
    assert versions.current(at=today) == first
