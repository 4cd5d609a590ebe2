"""Gates that read the text: a section changed in one language only, and registry gaps that the
DPO acknowledges for one publication with a reason instead of all-or-nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from notices.models import NoticeVersion, Section
from notices.services import (
    keyed_gaps,
    notice_version_create_draft,
    notice_version_publish,
    section_mark_translation_checked,
)
from registry.completeness import registry_gaps

pytestmark = pytest.mark.django_db

FRENCH_ONLY = "Les données sont conservées pendant 30 ans au maximum."


def draft_of(notice, **retention):
    """The next draft, copied from the latest version, its retention section changed."""
    draft = notice_version_create_draft(notice=notice)
    section = draft.sections.get(anchor="retention")
    for name, value in retention.items():
        setattr(section, name, value)
    section.save()
    draft.change_summary_fr, draft.change_summary_nl = "Conservation revue", "Bewaring herzien"
    draft.save()
    return draft


def refusal(**kwargs):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        notice_version_publish(**kwargs)
    return refused.value.messages


# --- Translation gate ------------------------------------------------------------------------


def test_a_french_only_change_is_refused_then_accepted_once_marked_checked(
    complete_registry, publish, notice, dpo
):
    publish()
    draft = draft_of(notice, body_fr=FRENCH_ONLY)
    assert (
        "Section “Conservation”: the text in French changed since version 1, but not the text "
        "in Dutch. Update it, or mark the section “translation checked” if it is still right."
    ) in refusal(version=draft, by=dpo)
    assert not NoticeVersion.objects.filter(pk=draft.pk, status="published").exists()

    section = section_mark_translation_checked(
        section=draft.sections.get(anchor="retention"), by=dpo
    )
    assert section.translation_checked_by == dpo
    assert section.translation_checked_at is not None
    version = notice_version_publish(version=draft, by=dpo)
    assert version.is_published
    assert FRENCH_ONLY in version.snapshot["html"]["fr"]


def test_a_dutch_only_change_is_refused_too(complete_registry, publish, notice, dpo):
    publish()
    draft = draft_of(notice, title_nl="Bewaartermijn")
    messages = refusal(version=draft, by=dpo)
    assert any("the text in Dutch changed" in m and "not the text in French" in m for m in messages)


def test_a_change_after_the_check_undoes_it(complete_registry, publish, notice, dpo):
    publish()
    draft = draft_of(notice, body_fr=FRENCH_ONLY)
    section = section_mark_translation_checked(
        section=draft.sections.get(anchor="retention"), by=dpo
    )
    # Through save(): the mark is cleared.
    section.body_fr = "Les données sont conservées pendant 40 ans."
    section.save()
    section.refresh_from_db()
    assert section.translation_checked_at is None and section.translation_checked_by is None
    assert refusal(version=draft, by=dpo)
    # Through a path that skips save(): the mark no longer matches the text, so it holds nothing.
    section = section_mark_translation_checked(section=section, by=dpo)
    Section.objects.filter(pk=section.pk).update(body_fr="Les données sont conservées 50 ans.")
    assert any("Conservation" in m for m in refusal(version=draft, by=dpo))


def test_both_languages_changed_a_new_and_a_removed_section_pass(
    complete_registry, publish, notice, dpo
):
    publish()
    draft = draft_of(notice, body_fr=FRENCH_ONLY, body_nl="Maximaal 30 jaar bewaard.")
    draft.sections.get(anchor="controller").delete()
    Section.objects.create(
        version=draft,
        position=5,
        anchor="rights",
        title_fr="Vos droits",
        title_nl="Uw rechten",
        body_fr="Vous pouvez demander l'accès.",
        body_nl="U kunt inzage vragen.",
    )
    assert notice_version_publish(version=draft, by=dpo).is_published


def test_a_new_section_still_needs_both_languages(complete_registry, publish, notice, dpo):
    publish()
    draft = draft_of(notice)
    Section.objects.create(
        version=draft, position=5, anchor="rights", title_fr="Vos droits", body_fr="Accès."
    )
    messages = refusal(version=draft, by=dpo)
    assert "Section “Vos droits”: the title in Dutch is missing." in messages


def test_dpo_marks_a_section_checked_from_the_publish_page(
    client, dpo, editor, complete_registry, publish, notice
):
    publish()
    draft = draft_of(notice, body_fr=FRENCH_ONLY)
    section = draft.sections.get(anchor="retention")
    mark = reverse("admin:notices_noticeversion_translation_checked", args=[draft.pk, section.pk])
    page = reverse("admin:notices_noticeversion_publish", args=[draft.pk])

    client.force_login(editor)
    assert client.post(mark).status_code == 403
    client.force_login(dpo)
    html = client.get(page).content.decode()
    assert mark in html  # the button next to the refusal
    assert client.get(mark).status_code == 405
    assert client.post(mark).status_code == 302
    section.refresh_from_db()
    assert section.translation_checked_by == dpo

    response = client.post(page, {"effective_from": timezone.localdate().isoformat()})
    assert response.status_code == 302
    assert NoticeVersion.objects.get(pk=draft.pk).is_published


# --- Registry gaps acknowledged for one publication ------------------------------------------


def test_a_gap_acknowledged_with_a_reason_publishes_and_the_reason_is_in_the_snapshot(
    complete_registry, publish, notice, dpo
):
    publish()
    complete_registry.legal_bases.clear()
    draft = draft_of(notice)
    keys = [key for key, _gap in keyed_gaps(registry_gaps())]
    assert keys

    messages = refusal(version=draft, by=dpo, acknowledge_registry_gaps=set(keys), gaps_reason=" ")
    assert "Say why this version cannot wait for these gaps to be fixed." in messages
    assert not NoticeVersion.objects.get(pk=draft.pk).is_published

    reason = "Correction urgente de l'adresse du délégué; base juridique en cours de vérification."
    version = notice_version_publish(
        version=draft, by=dpo, acknowledge_registry_gaps=set(keys), gaps_reason=reason
    )
    acknowledged = version.snapshot["registry_gaps_acknowledged"]
    assert {"code": "no_legal_basis", "article": "Art. 6(1), 13(1)(c), 14(1)(c)"}.items() <= (
        acknowledged[0].items()
    )
    assert acknowledged[0]["activity"] == "analysis"
    assert all(entry["reason"] == reason for entry in acknowledged)
    assert version.published_by == dpo


def test_a_gap_not_acknowledged_still_refuses(complete_registry, publish, notice, dpo):
    publish()
    complete_registry.legal_bases.clear()
    complete_registry.retention_rules.clear()
    draft = draft_of(notice)
    gaps = keyed_gaps(registry_gaps())
    retention = [key for key, gap in gaps if gap.code == "no_retention"]
    assert retention and len(gaps) > 1
    messages = refusal(
        version=draft, by=dpo, acknowledge_registry_gaps=set(retention), gaps_reason="Urgent."
    )
    assert any(m.startswith("Art. 6(1)") and "legal basis" in m for m in messages)
    assert not any("retention rule" in m for m in messages)


def test_publish_page_names_each_gaps_activity_and_links_to_it(
    client, dpo, complete_registry, publish, notice
):
    publish()
    complete_registry.legal_bases.clear()
    draft = draft_of(notice)
    client.force_login(dpo)
    with translation.override("fr"):
        html = client.get(
            reverse("admin:notices_noticeversion_publish", args=[draft.pk])
        ).content.decode()
    activity_url = reverse("admin:registry_processingactivity_change", args=[complete_registry.pk])
    gaps_table = html.split('id="registry-gaps"')[1]
    assert complete_registry.name_fr in gaps_table
    assert f'href="{activity_url}"' in gaps_table
    assert 'type="checkbox"' in gaps_table


def test_dpo_acknowledges_a_gap_on_the_publish_page(
    client, dpo, complete_registry, publish, notice
):
    publish()
    complete_registry.legal_bases.clear()
    draft = draft_of(notice)
    keys = [key for key, _gap in keyed_gaps(registry_gaps())]
    client.force_login(dpo)
    url = reverse("admin:notices_noticeversion_publish", args=[draft.pk])
    today = timezone.localdate().isoformat()

    # Ticked without a reason: a field error, nothing published.
    response = client.post(url, {"effective_from": today, "acknowledge": keys})
    assert response.status_code == 200
    assert "gaps_reason" in response.context["form"].errors
    # A gap that is no longer there (the registry changed): a clear error, not a 500.
    response = client.post(
        url, {"effective_from": today, "acknowledge": ["gone|x"], "gaps_reason": "Urgent."}
    )
    assert response.status_code == 200
    assert "acknowledge" in response.context["form"].errors
    assert not NoticeVersion.objects.get(pk=draft.pk).is_published

    reason = "Correction urgente."
    response = client.post(
        url, {"effective_from": today, "acknowledge": keys, "gaps_reason": reason}
    )
    assert response.status_code == 302
    version = NoticeVersion.objects.get(pk=draft.pk)
    assert version.snapshot["registry_gaps_acknowledged"][0]["reason"] == reason


def test_the_reason_is_shown_to_staff_and_never_on_public_pages(
    client, citizen, dpo, complete_registry, publish, notice
):
    publish()
    complete_registry.legal_bases.clear()
    draft = draft_of(notice)
    reason = "Motif interne de publication avec lacunes."
    version = notice_version_publish(
        version=draft, by=dpo, acknowledge_registry_gaps=True, gaps_reason=reason
    )
    admin_page = reverse("admin:notices_noticeversion_change", args=[version.pk])
    client.force_login(dpo)
    assert reason in client.get(admin_page).content.decode()

    assert citizen.get(admin_page).status_code == 302  # to the login page
    for name, kwargs in [("current", None), ("archive", None), ("version", {"number": 2})]:
        with translation.override("fr"):
            public = reverse(f"notices:{name}", kwargs=kwargs)
        assert reason not in citizen.get(public).content.decode()
        assert reason not in client.get(public).content.decode()  # not even to staff there
