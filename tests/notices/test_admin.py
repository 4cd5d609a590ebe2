"""The declaration in the admin: read-only published versions, preview, publish, groups."""

import pytest
from django.urls import reverse
from django.utils import timezone

from notices.models import NoticeVersion, Section
from notices.services import notice_version_create_draft
from tests.notices.conftest import SECTIONS

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(notice):
    version = notice_version_create_draft(notice=notice)
    for position, data in enumerate(SECTIONS):
        Section.objects.create(version=version, position=position, **data)
    version.change_summary_fr, version.change_summary_nl = "Résumé", "Samenvatting"
    version.save()
    return version


def test_published_version_is_read_only_in_the_admin(admin_client, complete_registry, publish):
    version = publish()
    url = reverse("admin:notices_noticeversion_change", args=[version.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert admin_client.post(url, {"change_summary_fr": "x"}).status_code == 403
    delete_url = reverse("admin:notices_noticeversion_delete", args=[version.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert NoticeVersion.objects.get(pk=version.pk).sha256 == version.sha256


def test_preview_shows_both_languages_side_by_side(admin_client, complete_registry, draft):
    response = admin_client.get(reverse("admin:notices_noticeversion_preview", args=[draft.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="fr"' in html and 'lang="nl"' in html
    assert "Responsable du traitement" in html and "Verwerkingsverantwoordelijke" in html


def test_dpo_publishes_from_the_admin(client, dpo, complete_registry, draft):
    client.force_login(dpo)
    url = reverse("admin:notices_noticeversion_publish", args=[draft.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"effective_from": timezone.localdate().isoformat()})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published
    assert draft.published_by == dpo


def test_publish_refusal_lists_what_is_missing(client, dpo, complete_registry, draft):
    complete_registry.legal_bases.clear()
    Section.objects.filter(version=draft, anchor="retention").update(title_nl="")
    client.force_login(dpo)
    url = reverse("admin:notices_noticeversion_publish", args=[draft.pk])
    response = client.post(url, {"effective_from": timezone.localdate().isoformat()})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "Art. 6(1)" in errors
    assert "Conservation" in errors
    draft.refresh_from_db()
    assert not draft.is_published


def test_a_bad_date_is_a_field_error(client, dpo, complete_registry, draft):
    client.force_login(dpo)
    url = reverse("admin:notices_noticeversion_publish", args=[draft.pk])
    response = client.post(url, {"effective_from": "not a date"})
    assert response.status_code == 200
    assert "effective_from" in response.context["form"].errors


def test_editor_drafts_but_cannot_publish(client, editor, complete_registry, draft):
    client.force_login(editor)
    change = reverse("admin:notices_noticeversion_change", args=[draft.pk])
    assert client.get(change).status_code == 200
    publish = reverse("admin:notices_noticeversion_publish", args=[draft.pk])
    assert client.get(publish).status_code == 403
    assert client.post(publish, {"effective_from": "2030-01-01"}).status_code == 403


def test_start_a_new_draft_action(admin_client, complete_registry, publish, notice):
    publish()
    response = admin_client.post(
        reverse("admin:notices_notice_changelist"),
        {"action": "start_draft", "_selected_action": [notice.pk]},
    )
    assert response.status_code == 302
    draft = NoticeVersion.objects.get(notice=notice, number=2)
    assert draft.status == NoticeVersion.Status.DRAFT
    assert draft.sections.count() == len(SECTIONS)
