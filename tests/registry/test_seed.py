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
    # The declaration links the French page only; GLOSSARY.md gives the Dutch one.
    assert inami.contact_directory_url_nl.startswith("https://www.inami.fgov.be/nl/")
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


# GLOSSARY.md, "Data-protection contacts, as published by the insurers themselves": every
# contact channel each insurer gives, and nothing else (a field not listed is empty).
MLOZ_FR = (
    "https://mloz.be/fr/disclaimer-donnees-vie-privee-assurance-obligatoire-en-ce-compris-les-"
    "matieres-regionalisees"
)
HR_RAIL_NL = (
    "https://hr-railcare.be/nl/Toegangsvoorwaarden-en-juridische-info-privacy-en-cookies/"
    "Privacy-policy-en-disclaimer-van-de-Kas-der-geneeskundige-verzorging-van-HR-Rail"
)
GLOSSARY_CONTACTS = {
    100: {
        "enterprise_number": "0411702543",
        "address_nl": "Haachtsesteenweg 579 bus 40, 1031 Schaarbeek",
        "privacy_statement_url_fr": "https://mc.be/disclaimer/politique-confidentialite-mc",
        "privacy_statement_url_nl": "https://www.cm.be/disclaimer/privacyverklaring-cm",
    },
    200: {
        "enterprise_number": "0411709768",
        "address_nl": "Charleroisesteenweg 145, 1060 Brussel",
        "privacy_statement_url_nl": "https://www.vnz.be/privacyverklaring/",
    },
    300: {
        "enterprise_number": "0411724220",
        "address_nl": "Sint-Jansstraat 32-38, 1000 Brussel",
    },
    400: {
        "address_fr": "Rue de Livourne 25, 1050 Bruxelles",
        "address_nl": "Livornostraat 25, 1050 Brussel",
        "privacy_statement_url_nl": (
            "https://www.lm-ml.be/nl/externe-verklaring-over-de-bescherming-van-persoonsgegevens"
        ),
    },
    500: {
        "enterprise_number": "0411766483",
        "address_fr": "Route de Lennik 788A, 1070 Bruxelles",
        "address_nl": "Lenniksebaan 788A, 1070 Brussel",
        "privacy_statement_url_fr": MLOZ_FR,
        "rights_email": "privacy@mloz.be",
        "rights_web_form_fr": "https://www.mloz.be/fr/privacy_form",
        "rights_web_form_nl": "https://www.mloz.be/nl/privacy_form",
        "rights_postal_address_fr": (
            "Mutualités Libres – DPO, Route de Lennik 788 A, 1070 Bruxelles"  # noqa: RUF001
        ),
        "rights_postal_address_nl": (
            "Landsbond van de Onafhankelijke Ziekenfondsen – DPO, "  # noqa: RUF001
            "Lenniksebaan 788 A, 1070 Brussel"
        ),
    },
    600: {
        "enterprise_number": "0206732437",
        "address_fr": "Rue du Trône 30A, 1000 Bruxelles",
        "address_nl": "Troonstraat 30A, 1000 Brussel",
        "privacy_statement_url_fr": (
            "https://caami-hziv.fgov.be/fr/vie-privee-reglement-sur-la-protection-des-donnees-"
            "rgpd-gdpr"
        ),
        "rights_postal_address_fr": (
            "CAAMI Data Protection Officer, Rue du Trône 30A, 1000 Bruxelles"
        ),
    },
    900: {
        "enterprise_number": "0250871001",
        "address_fr": "Rue de France 85, 1060 Bruxelles",
        "address_nl": "Frankrijkstraat 85, 1060 Brussel",
        "privacy_statement_url_nl": HR_RAIL_NL,
        "rights_email": "dataprotection_kgv-css@hr-rail.be",
        "rights_postal_address_nl": (
            "10-04 Bureau H-HR.003 – Information Security Data Protection Office, "  # noqa: RUF001
            "Frankrijkstraat 85, 1060 Brussel"
        ),
    },
}
CONTACT_FIELDS = ["enterprise_number", *models.ChannelSource.Channel.values]


@pytest.mark.parametrize("code", INSURER_CODES)
def test_each_insurer_carries_exactly_the_glossary_contacts(code):
    registry_seed_load()
    insurer = models.Organisation.objects.get(insurer_code=code)

    given = {name: getattr(insurer, name) for name in CONTACT_FIELDS if getattr(insurer, name)}
    assert given == GLOSSARY_CONTACTS[code]
    insurer.full_clean()  # enterprise numbers pass the mod-97 check, URLs are valid


def test_union_200_no_longer_gives_the_flemish_member_funds_address():
    registry_seed_load()
    neutral = models.Organisation.objects.get(insurer_code=200)

    assert not neutral.has_rights_channel
    assert "ivc@vnz.be" in neutral.notes  # kept for the DPO, never shown


def test_every_seeded_channel_has_a_source_and_was_never_checked_by_aim():
    counts = registry_seed_load()
    organisations = models.Organisation.objects.prefetch_related("channel_sources")
    checked = 0
    for organisation in organisations:
        sources = {source.channel: source for source in organisation.channel_sources.all()}
        assert set(sources) == set(organisation.filled_channels()), organisation.slug
        for source in sources.values():
            assert source.has_source
            assert source.checked_on is None
            source.full_clean()
            checked += 1
    assert checked == counts["channelsource"] == models.ChannelSource.objects.count() > 30


def test_insurer_channels_are_sourced_from_their_own_privacy_statement():
    registry_seed_load()
    mloz = models.Organisation.objects.get(insurer_code=500)

    for source in mloz.channel_sources.all():
        assert source.source_url == MLOZ_FR
        assert "date of that copy is unknown" in source.source_note


def test_a_channel_removed_from_the_seed_loses_its_source():
    registry_seed_load()
    neutral = models.Organisation.objects.get(insurer_code=200)
    models.ChannelSource.objects.create(
        organisation=neutral, channel="rights_email", source_note="an old note"
    )

    registry_seed_load()
    assert not neutral.channel_sources.filter(channel="rights_email").exists()
