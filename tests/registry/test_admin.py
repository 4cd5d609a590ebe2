"""The registry admin: bounded queries, field errors instead of 500s, history, permissions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry import models
from tests.registry import factories

pytestmark = pytest.mark.django_db

MODEL_FACTORIES = {
    "organisation": factories.OrganisationFactory,
    "dataprotectionofficer": None,
    "legalbasis": factories.LegalBasisFactory,
    "datacategory": factories.DataCategoryFactory,
    "datasubjectcategory": factories.DataSubjectCategoryFactory,
    "recipient": factories.RecipientFactory,
    "retentionrule": factories.RetentionRuleFactory,
    "processingactivity": factories.ProcessingActivityFactory,
    "transfer": factories.TransferFactory,
    "channelsource": factories.ChannelSourceFactory,
}


def make_rows(model_name, count):
    if model_name == "dataprotectionofficer":
        for _ in range(count):
            factories.DataProtectionOfficerFactory(organisation=factories.OrganisationFactory())
        return
    if model_name == "recipient":
        for _ in range(count):
            factories.RecipientFactory().organisations.add(factories.OrganisationFactory())
        return
    if model_name == "processingactivity":
        for _ in range(count):
            factories.ProcessingActivityFactory(complete=True)
        return
    if model_name == "channelsource":
        for _ in range(count):
            factories.ChannelSourceFactory(organisation=factories.OrganisationFactory())
        return
    MODEL_FACTORIES[model_name].create_batch(count)


def count_queries(client, url):
    client.get(url)  # warm the per-process caches (content types, site) before counting
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("model_name", list(MODEL_FACTORIES))
def test_list_page_queries_do_not_grow_with_rows(admin_client, model_name):
    url = reverse(f"admin:registry_{model_name}_changelist")
    make_rows(model_name, 2)
    few = count_queries(admin_client, url)
    make_rows(model_name, 30)
    many = count_queries(admin_client, url)
    assert many == few


def test_activity_change_page_queries_do_not_grow_with_relations(admin_client):
    small = factories.ProcessingActivityFactory(complete=True)
    large = factories.ProcessingActivityFactory(complete=True)
    for _ in range(25):
        large.legal_bases.add(factories.LegalBasisFactory())
        large.recipients.add(factories.RecipientFactory())
        large.sources.add(factories.OrganisationFactory())
        factories.TransferFactory(activity=large)
    factories.TransferFactory(activity=small)
    factories.OrganisationFactory.create_batch(50)

    def change_url(activity):
        return reverse("admin:registry_processingactivity_change", args=[activity.pk])

    assert count_queries(admin_client, change_url(large)) == count_queries(
        admin_client, change_url(small)
    )


def test_organisation_change_page_queries_do_not_grow(admin_client):
    first = factories.OrganisationFactory()
    url = reverse("admin:registry_organisation_change", args=[first.pk])
    few = count_queries(admin_client, url)
    factories.OrganisationFactory.create_batch(40)
    assert count_queries(admin_client, url) == few


def organisation_form(**overrides):
    data = {
        "slug": "new-org",
        "kind": "partner",
        "name_fr": "Nouvelle organisation",
        "name_nl": "Nieuwe organisatie",
        "country": "BE",
        "dpo-TOTAL_FORMS": "0",
        "dpo-INITIAL_FORMS": "0",
        "dpo-MIN_NUM_FORMS": "0",
        "dpo-MAX_NUM_FORMS": "1",
        "channel_sources-TOTAL_FORMS": "0",
        "channel_sources-INITIAL_FORMS": "0",
        "channel_sources-MIN_NUM_FORMS": "0",
        "channel_sources-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_wrong_enterprise_number_is_a_field_error(admin_client):
    url = reverse("admin:registry_organisation_add")
    response = admin_client.post(url, organisation_form(enterprise_number="0478655211"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "enterprise_number" in errors
    assert not models.Organisation.objects.filter(slug="new-org").exists()


def test_enterprise_number_is_stored_compact_and_shown_with_dots(admin_client):
    url = reverse("admin:registry_organisation_add")
    response = admin_client.post(url, organisation_form(enterprise_number="0478.655.210"))
    assert response.status_code == 302
    organisation = models.Organisation.objects.get(slug="new-org")
    assert organisation.enterprise_number == "0478655210"
    assert organisation.enterprise_number_display == "0478.655.210"


def test_negative_retention_is_a_field_error(admin_client):
    url = reverse("admin:registry_retentionrule_add")
    response = admin_client.post(
        url,
        {"slug": "r", "name_fr": "Durée", "name_nl": "Duur", "duration": "-1", "unit": "years"},
    )
    assert response.status_code == 200
    assert "duration" in response.context["adminform"].form.errors
    assert not models.RetentionRule.objects.exists()


def activity_form(controller, **overrides):
    data = {
        "slug": "act",
        "name_fr": "Traitement",
        "name_nl": "Verwerking",
        "purposes_fr": "But",
        "purposes_nl": "Doel",
        "status": "draft",
        "position": "0",
        "aim_role": "controller",
        "controller": str(controller.pk),
        "rights_handled_by": "aim",
        "transfers-TOTAL_FORMS": "1",
        "transfers-INITIAL_FORMS": "0",
        "transfers-MIN_NUM_FORMS": "0",
        "transfers-MAX_NUM_FORMS": "1000",
        "transfers-0-country": "",
        "transfers-0-safeguard": "scc",
        "transfers-0-reference_fr": "Clauses",
        "transfers-0-reference_nl": "Clausules",
    }
    data.update(overrides)
    return data


def test_transfer_without_country_is_a_field_error(admin_client):
    aim = factories.AimFactory()
    url = reverse("admin:registry_processingactivity_add")
    response = admin_client.post(url, activity_form(aim))
    assert response.status_code == 200
    inline_errors = response.context["inline_admin_formsets"][0].formset.errors
    assert "country" in inline_errors[0]
    assert not models.ProcessingActivity.objects.exists()


def test_ended_activity_without_end_date_is_a_field_error(admin_client):
    aim = factories.AimFactory()
    url = reverse("admin:registry_processingactivity_add")
    response = admin_client.post(
        url, activity_form(aim, status="ended", **{"transfers-TOTAL_FORMS": "0"})
    )
    assert response.status_code == 200
    assert "ended_on" in response.context["adminform"].form.errors


def test_history_records_who_changed_what(admin_client, admin_user):
    organisation = factories.OrganisationFactory(slug="kce")
    url = reverse("admin:registry_organisation_change", args=[organisation.pk])
    data = organisation_form(
        slug="kce", name_fr="KCE", name_nl="KCE", website_fr="https://kce.fgov.be"
    )
    assert admin_client.post(url, data).status_code == 302
    latest = organisation.history.latest()
    assert latest.history_user == admin_user
    assert latest.website_fr == "https://kce.fgov.be"
    history_page = admin_client.get(
        reverse("admin:registry_organisation_history", args=[organisation.pk])
    )
    assert history_page.status_code == 200
    assert "kce.fgov.be" in history_page.content.decode() or admin_user.username in (
        history_page.content.decode()
    )


def test_dpo_group_can_change_and_editor_can_only_view(client, dpo, editor):
    organisation = factories.OrganisationFactory()
    change_url = reverse("admin:registry_organisation_change", args=[organisation.pk])
    add_url = reverse("admin:registry_organisation_add")
    client.force_login(dpo)
    assert client.get(add_url).status_code == 200
    client.force_login(editor)
    assert client.get(add_url).status_code == 403
    response = client.get(change_url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False


def test_staff_without_group_sees_no_registry(client, staff_without_access):
    client.force_login(staff_without_access)
    assert client.get(reverse("admin:registry_organisation_changelist")).status_code == 403


def test_admin_pages_load_no_third_party_asset(admin_client):
    activity = factories.ProcessingActivityFactory()
    url = reverse("admin:registry_processingactivity_change", args=[activity.pk])
    html = admin_client.get(url).content.decode()
    assert "jquery-ui.min.js" in html
    assert "googleapis" not in html
    assert 'src="http' not in html


def test_registry_index_links_to_the_overview_and_the_exports(dpo_client):
    html = dpo_client.get(reverse("admin:app_list", args=["registry"])).content.decode()
    assert reverse("admin:registry_overview") in html
    assert reverse("admin:registry_export", args=["xlsx"]) + "?language=nl" in html
