"""The registry seed: the facts of AIM's declaration, in FR and NL, loaded idempotently."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from registry import models
from registry.seed import registry_seed_load

pytestmark = pytest.mark.django_db

INSURER_CODES = [100, 200, 300, 400, 500, 600, 900]
INSURER_RIGHTS_EMAILS = {
    200: "ivc@vnz.be",
    500: "privacy@mloz.be",
    900: "dataprotection_kgv-css@hr-rail.be",
}


def _row_counts():
    """Rows of every model of the registry app, the change history and M2M tables included."""
    counts = {}
    for model in apps.get_app_config("registry").get_models(include_auto_created=True):
        counts[model._meta.label] = model.objects.count()
    return counts


def test_loading_twice_changes_nothing():
    first = registry_seed_load()
    rows_after_first = _row_counts()
    second = registry_seed_load()

    assert second == first
    assert _row_counts() == rows_after_first
    assert rows_after_first["registry.Organisation"] == first["organisation"] == 20
    # The declaration's four activities, and the portal's own processing of requests (draft).
    assert rows_after_first["registry.ProcessingActivity"] == first["processingactivity"] == 5
    assert rows_after_first["registry.Transfer"] == first["transfer"] == 2
    # The second load saved nothing, so the change history did not grow either.
    assert rows_after_first["registry.HistoricalOrganisation"] == 20


def test_loading_restores_a_value_changed_since():
    registry_seed_load()
    models.Organisation.objects.filter(slug="mailchimp").update(country="IE")

    registry_seed_load()

    assert models.Organisation.objects.get(slug="mailchimp").country.code == "US"
    assert models.Organisation.objects.filter(slug="mailchimp").count() == 1


def test_every_vocabulary_row_is_named_in_both_languages():
    registry_seed_load()
    recipients = models.Recipient.objects.all()
    sources = models.Organisation.objects.filter(source_of__isnull=False).distinct()
    for queryset in (
        models.Organisation.objects.all(),
        sources,
        recipients,
        models.LegalBasis.objects.all(),
        models.RetentionRule.objects.all(),
        models.DataCategory.objects.all(),
        models.DataSubjectCategory.objects.all(),
        models.ProcessingActivity.objects.all(),
    ):
        assert queryset.exists()
        for row in queryset:
            assert row.name_fr.strip(), row.slug
            assert row.name_nl.strip(), row.slug
    assert recipients.count() == 7  # the declaration's six, and the portal's own
    assert sources.count() == 13  # 7 insurers + BCSS, Statbel, Healthdata, Cancer Registry,...


def test_the_seven_insurers_and_their_only_known_privacy_contacts():
    registry_seed_load()
    insurers = models.Organisation.objects.insurers()

    assert list(insurers.values_list("insurer_code", flat=True)) == INSURER_CODES
    emails = {i.insurer_code: i.rights_email for i in insurers if i.rights_email}
    assert emails == INSURER_RIGHTS_EMAILS
    christian = insurers.get(insurer_code=100)
    assert christian.name_nl == "Landsbond der Christelijke Mutualiteiten"
    assert (christian.website_fr, christian.website_nl) == (
        "https://www.mc.be",
        "https://www.cm.be",
    )
    assert insurers.get(insurer_code=400).website_fr == ""


def test_aim_and_its_dpo():
    registry_seed_load()
    aim = models.Organisation.objects.aim()

    assert aim.enterprise_number == "0478655210"
    assert aim.enterprise_number_display == "0478.655.210"
    assert aim.address_nl == "Manhattan Center, 7de verdieping, Bolwerklaan 21, 1210 Brussel"
    assert aim.dpo.name == "Dirk De Kesel"
    assert aim.dpo.email == "dpo@intermut.be"
    assert aim.dpo.postal_address_fr == aim.address_fr
    aim.full_clean()  # the enterprise number passes the mod-97 check


def test_mailchimp_is_a_processor_in_the_united_states_with_no_safeguard_recorded():
    registry_seed_load()
    mailchimp = models.Organisation.objects.get(slug="mailchimp")
    newsletter = models.ProcessingActivity.objects.get(slug="newsletter")

    assert mailchimp.country.code == "US"
    assert not mailchimp.in_eea
    assert list(newsletter.processors.all()) == [mailchimp]
    assert not newsletter.transfers.exists()
    assert not newsletter.legal_bases.exists()
    assert not newsletter.retention_rules.exists()


def test_gaps_of_the_declaration_stay_empty():
    registry_seed_load()
    inami = models.Organisation.objects.get(slug="inami-riziv")
    programme_law = models.LegalBasis.objects.get(slug="programme-law-2002")

    assert inami.contact_directory_url_fr.startswith("https://www.riziv.fgov.be/fr/")
    assert inami.contact_directory_url_nl == ""
    assert programme_law.article_6 == ""
    assert programme_law.article_9 == ""
    assert models.LegalBasis.objects.get(slug="isc-deliberations").rests_on_deliberation


def test_activities_of_the_declaration():
    registry_seed_load()
    activities = models.ProcessingActivity.objects.in_force().with_relations()
    missions = activities.get(slug="legal-missions")
    research = activities.get(slug="research-projects")

    assert activities.count() == 4
    assert missions.rights_handled_by == models.ProcessingActivity.RightsHandler.OWN_INSURER
    assert missions.profiling and not missions.automated_decisions
    assert sorted(s.insurer_code for s in missions.sources.all()) == INSURER_CODES
    assert missions.recipients.count() == 6
    assert [r.duration for r in missions.retention_rules.all()] == [30]
    transfer = missions.transfers.get()
    assert transfer.any_country
    assert transfer.safeguard == models.Transfer.Safeguard.DELIBERATION
    assert research.retention_rules.filter(fixed_by_deliberation=True).exists()
    assert research.sources.filter(slug="cancer-registry").exists()
    assert activities.get(slug="contacts").rights_handled_by == "aim"


def test_the_command_loads_the_seed_and_prints_the_counts_on_one_line():
    out = StringIO()
    call_command("load_registry_seed", stdout=out)

    printed = out.getvalue().strip()
    assert "\n" not in printed
    assert "organisation=20" in printed
    assert "processingactivity=5" in printed
    assert models.Organisation.objects.count() == 20


def test_if_empty_leaves_an_edited_registry_alone():
    registry_seed_load()
    activity = models.ProcessingActivity.objects.get(slug="newsletter")
    activity.name_nl = "Nieuwsbrief (aangepast in de admin)"
    activity.save()
    out = StringIO()
    call_command("load_registry_seed", "--if-empty", stdout=out)
    assert "not loaded again" in out.getvalue()
    activity.refresh_from_db()
    assert activity.name_nl == "Nieuwsbrief (aangepast in de admin)"


def test_the_portal_s_own_processing_of_requests_is_seeded_as_a_draft_with_its_rule():
    """Eat our own cooking: the requests the portal stores have an activity and a retention rule
    (which the anonymisation job reads); the activity waits for the DPO's approval, so the
    declaration AIM published before the portal stays as it was."""
    from django.conf import settings

    from registry.completeness import registry_gaps

    registry_seed_load()
    activity = models.ProcessingActivity.objects.get(slug="portal-rights-requests")
    rule = models.RetentionRule.objects.get(slug=settings.RIGHTS_REQUESTS_RETENTION_RULE)

    assert activity.status == models.ProcessingActivity.Status.DRAFT
    assert not models.ProcessingActivity.objects.in_force().filter(pk=activity.pk).exists()
    assert list(activity.retention_rules.all()) == [rule]
    assert (rule.duration, rule.unit) == (5, models.RetentionRule.Unit.YEARS)
    assert rule.starts_at_fr and rule.starts_at_nl
    assert [basis.article_6 for basis in activity.legal_bases.all()] == ["c"]
    assert activity.purposes_fr and activity.purposes_nl
    assert activity.recipients.exists()
    # The seeded registry has the rule, so the check asks nothing about it ...
    assert "no_requests_retention" not in {gap.code for gap in registry_gaps()}
    # ... and flags it as soon as it is gone: requests would never be anonymised.
    activity.retention_rules.clear()
    rule.delete()
    assert "no_requests_retention" in {gap.code for gap in registry_gaps()}
