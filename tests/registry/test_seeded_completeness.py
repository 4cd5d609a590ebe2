"""The completeness check on the seeded registry reports what the declaration really lacks,
and nothing that it states."""

import pytest
from django.urls import reverse

from registry.completeness import registry_gaps
from registry.models import Organisation, Transfer
from registry.seed import registry_seed_load

pytestmark = pytest.mark.django_db

# What AIM's current declaration does not say (each checked against the seed text).
EXPECTED_GAPS = {
    # The declaration contradicts itself on AIM's role for the insurers' data: controller in its
    # first section, processor in its rights section, which sends people to their mutuality.
    # The seed keeps one role (controller) and that routing: the DPO must settle which is true.
    ("controller_rights_elsewhere", "legal-missions"),
    ("controller_rights_elsewhere", "research-projects"),
    # The insurers publish some contacts in one language only (a head office, a privacy
    # statement: GLOSSARY.md), and the seed translates none of them.
    ("translation_missing", "legal-missions"),
    ("legal_basis_without_article_6", "legal-missions"),  # the Programme Law, no Art. 6(1) point
    ("special_category_without_article_9", "legal-missions"),  # billing data reveal health
    ("legal_basis_without_article_6", "research-projects"),
    ("special_category_without_article_9", "research-projects"),
    ("no_legal_basis", "newsletter"),
    # ("no_recipients", "newsletter") is gone: "En aucun cas l'AIM ne transmet ni ne revend
    # ces données" is recorded as the explicit "no recipients".
    ("no_retention", "newsletter"),
    ("processor_outside_eea", "newsletter"),  # Mailchimp, United States, no safeguard
    ("no_security_measures", "newsletter"),
    ("no_legal_basis", "contacts"),
    ("no_data_categories", "contacts"),
    ("no_recipients", "contacts"),
    ("no_retention", "contacts"),
    ("no_security_measures", "contacts"),
}


def gap_keys():
    return {(gap.code, gap.activity.slug if gap.activity else None) for gap in registry_gaps()}


def test_seeded_registry_reports_exactly_what_the_declaration_lacks():
    registry_seed_load()
    assert gap_keys() == EXPECTED_GAPS


def test_recording_the_missing_safeguard_clears_that_gap_only():
    registry_seed_load()
    mailchimp = Organisation.objects.get(country="US", kind=Organisation.Kind.PROCESSOR)
    activity = mailchimp.processor_for.get()
    Transfer.objects.create(
        activity=activity,
        country="US",
        recipient_organisation=mailchimp,
        safeguard=Transfer.Safeguard.STANDARD_CLAUSES,
    )
    assert gap_keys() == EXPECTED_GAPS - {("processor_outside_eea", "newsletter")}


def test_overview_page_lists_the_seeded_gaps(dpo_client):
    registry_seed_load()
    response = dpo_client.get(reverse("admin:registry_overview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mailchimp" in html
    assert "Art. 44" in html
