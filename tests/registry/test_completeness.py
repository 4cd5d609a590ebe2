"""The completeness check: what GDPR Art. 13, 14 and 30 require and the registry lacks."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import escape

from registry.admin_overview import registry_overview
from registry.completeness import Gap, registry_gaps
from registry.models import DataCategory, Organisation, ProcessingActivity, Transfer
from tests.registry import factories
from tests.registry.factories import (
    AimFactory,
    DataCategoryFactory,
    DataProtectionOfficerFactory,
    LegalBasisFactory,
    OrganisationFactory,
    ProcessingActivityFactory,
    RecipientFactory,
    TransferFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice_wide():
    """AIM with its address and DPO, and the Data Protection Authority: nothing missing there."""
    aim = AimFactory(
        address_fr="Rue du Trône 30 bte A, 1000 Bruxelles",
        address_nl="Troonstraat 30 bus A, 1000 Brussel",
    )
    DataProtectionOfficerFactory(organisation=aim)
    OrganisationFactory(
        slug="apd-gba",
        kind=Organisation.Kind.AUTHORITY,
        name_fr="Autorité de protection des données",
        name_nl="Gegevensbeschermingsautoriteit",
        website_fr="https://www.autoriteprotectiondonnees.be",
        website_nl="https://www.gegevensbeschermingsautoriteit.be",
    )
    factories.requests_retention_rule()
    return aim


@pytest.fixture
def english():
    # The messages are English in the source; the checks below read them in that language.
    with translation.override("en"):
        yield


def codes(gaps, activity=None):
    return [gap.code for gap in gaps if activity is None or gap.activity == activity]


def processor_in(country, **kwargs):
    return OrganisationFactory(kind=Organisation.Kind.PROCESSOR, country=country, **kwargs)


# --- Complete registry ----------------------------------------------------------------------


def test_a_complete_registry_has_no_gap(notice_wide):
    ProcessingActivityFactory(complete=True)

    assert registry_gaps() == []


def test_gaps_are_frozen_and_carry_their_article(notice_wide, english):
    activity = ProcessingActivityFactory(complete=True)
    activity.legal_bases.clear()

    (gap,) = registry_gaps()

    assert isinstance(gap, Gap)
    assert gap.code == "no_legal_basis"
    assert gap.article.startswith("Art. 6(1)")
    assert gap.activity == activity
    assert gap.obj is None and gap.language is None
    assert gap.message == "No legal basis is given."
    with pytest.raises(AttributeError):
        gap.article = "Art. 1"


def test_a_message_is_rendered_in_the_active_language(notice_wide):
    ProcessingActivityFactory(complete=True, name_nl="")
    (gap,) = registry_gaps()

    with translation.override("en"):
        english = gap.message
    with translation.override("nl"):
        dutch = gap.message

    # Whatever the catalogs say, the object is named in the language being read, never blank.
    assert "Traitement" in english
    assert "“”" not in dutch


# --- Notice as a whole ----------------------------------------------------------------------


def test_without_aim_the_controller_identity_is_missing(english):
    gaps = registry_gaps()

    assert "no_controller" in codes(gaps)
    gap = next(g for g in gaps if g.code == "no_controller")
    assert gap.article.startswith("Art. 13(1)(a)")
    assert "30(1)(a)" in gap.article
    assert gap.activity is None


def test_aim_without_address_dpo_or_authority(english):
    ProcessingActivityFactory(complete=True)  # creates AIM with its name and enterprise number
    factories.requests_retention_rule()

    gaps = registry_gaps()

    assert codes(gaps) == ["controller_field_missing", "no_dpo", "no_authority"]
    address, dpo, authority = gaps
    assert "postal address" in address.message
    assert address.obj == Organisation.objects.aim()
    assert "37(7)" in dpo.article
    assert authority.article.startswith("Art. 13(2)(d)")


def test_dpo_without_any_contact(notice_wide):
    dpo = notice_wide.dpo
    dpo.email = ""
    dpo.save()
    ProcessingActivityFactory(complete=True)

    (gap,) = registry_gaps()

    assert gap.code == "dpo_without_contact"
    assert gap.obj == dpo
    assert "Art. 13(1)(b)" in gap.article


def test_an_authority_without_website_or_address_is_not_enough(notice_wide):
    Organisation.objects.filter(kind=Organisation.Kind.AUTHORITY).update(
        website_fr="", website_nl=""
    )
    ProcessingActivityFactory(complete=True)

    assert codes(registry_gaps()) == ["no_authority"]


def test_rights_at_the_insurer_need_the_official_contact_list(notice_wide):
    ProcessingActivityFactory(
        complete=True,
        aim_role=ProcessingActivity.Role.PROCESSOR,
        rights_handled_by=ProcessingActivity.RightsHandler.OWN_INSURER,
    )

    assert codes(registry_gaps()) == ["no_contact_directory"]


def test_the_official_contact_list_in_one_language_only(notice_wide, english):
    inami = OrganisationFactory(contact_directory_url_fr="https://www.inami.fgov.be/fr/mutuelles")
    ProcessingActivityFactory(
        complete=True,
        aim_role=ProcessingActivity.Role.PROCESSOR,
        rights_handled_by=ProcessingActivity.RightsHandler.OWN_INSURER,
    )

    (gap,) = registry_gaps()

    assert gap.code == "contact_directory_language_missing"
    assert (gap.obj, gap.language) == (inami, "nl")
    assert "Dutch" in gap.message


def test_the_official_contact_list_in_both_languages(notice_wide):
    OrganisationFactory(
        contact_directory_url_fr="https://www.inami.fgov.be/fr/mutuelles",
        contact_directory_url_nl="https://www.riziv.fgov.be/nl/ziekenfondsen",
    )
    ProcessingActivityFactory(
        complete=True,
        aim_role=ProcessingActivity.Role.PROCESSOR,
        rights_handled_by=ProcessingActivity.RightsHandler.OWN_INSURER,
    )

    assert registry_gaps() == []


def test_no_activity_in_force(notice_wide):
    assert codes(registry_gaps()) == ["no_activity"]


# --- Each activity --------------------------------------------------------------------------


def test_an_empty_activity_lacks_every_element(notice_wide):
    activity = ProcessingActivityFactory(
        purposes_fr="", purposes_nl="", security_measures_fr="", security_measures_nl=""
    )

    assert codes(registry_gaps(), activity) == [
        "no_purposes",
        "no_legal_basis",
        "no_data_categories",
        "no_subject_categories",
        "no_recipients",
        "no_retention",
        "no_security_measures",
    ]


def test_a_legal_basis_without_article_6_point_is_reported_once(notice_wide):
    basis = LegalBasisFactory(article_6="")
    for _ in range(2):
        ProcessingActivityFactory(complete=True).legal_bases.add(basis)

    gaps = registry_gaps()

    assert codes(gaps) == ["legal_basis_without_article_6"]
    assert gaps[0].obj == basis
    assert gaps[0].article == "Art. 6(1)"


def test_special_category_without_article_9(notice_wide, english):
    activity = ProcessingActivityFactory(complete=True)
    activity.data_categories.add(
        DataCategoryFactory(
            name_fr="Santé",
            name_nl="Gezondheid",
            kind=DataCategory.Kind.HEALTH,
            is_special_category=True,
        )
    )

    (gap,) = registry_gaps()

    assert gap.code == "special_category_without_article_9"
    assert gap.article == "Art. 9(2)"
    assert "Santé" in gap.message or "Gezondheid" in gap.message

    activity.legal_bases.add(LegalBasisFactory(article_9="j"))
    assert registry_gaps() == []


def test_sources_are_required_when_the_data_come_from_the_insurers(notice_wide):
    OrganisationFactory(
        contact_directory_url_fr="https://www.inami.fgov.be/fr/mutuelles",
        contact_directory_url_nl="https://www.riziv.fgov.be/nl/ziekenfondsen",
    )
    activity = ProcessingActivityFactory(
        complete=True,
        aim_role=ProcessingActivity.Role.PROCESSOR,
        rights_handled_by=ProcessingActivity.RightsHandler.OWN_INSURER,
    )
    activity.sources.clear()

    (gap,) = registry_gaps()
    assert (gap.code, gap.article) == ("no_sources", "Art. 14(2)(f)")

    # Contact data a person gives AIM itself come from that person: no source to name.
    activity.data_categories.set([DataCategoryFactory(kind=DataCategory.Kind.CONTACT)])
    assert registry_gaps() == []


def test_a_processor_outside_the_eea_without_transfer(notice_wide, english):
    activity = ProcessingActivityFactory(complete=True)
    mailchimp = processor_in("US", name_fr="Mailchimp", name_nl="Mailchimp")
    activity.processors.add(mailchimp)

    (gap,) = registry_gaps()

    assert gap.code == "processor_outside_eea"
    # Fixed by adding a transfer to the activity, not by changing Mailchimp.
    assert gap.target == activity and gap.anchor == "transfers-group"
    assert gap.activity == activity
    assert "Art. 44-46" in gap.article and "13(1)(f)" in gap.article
    assert "Mailchimp" in gap.message and "United States" in gap.message


def test_a_processor_outside_the_eea_with_a_safeguarded_transfer(notice_wide):
    activity = ProcessingActivityFactory(complete=True)
    mailchimp = processor_in("US")
    activity.processors.add(mailchimp)
    TransferFactory(
        activity=activity,
        recipient_organisation=mailchimp,
        safeguard=Transfer.Safeguard.STANDARD_CLAUSES,
    )

    assert registry_gaps() == []


def test_a_transfer_to_another_activity_does_not_cover_the_processor(notice_wide):
    activity = ProcessingActivityFactory(complete=True)
    mailchimp = processor_in("US")
    activity.processors.add(mailchimp)
    TransferFactory(activity=ProcessingActivityFactory(complete=True), country="US")

    assert codes(registry_gaps()) == ["processor_outside_eea"]


def test_a_processor_inside_the_eea_needs_no_transfer(notice_wide):
    activity = ProcessingActivityFactory(complete=True)
    activity.processors.add(processor_in("NO"), processor_in("BE"))

    assert registry_gaps() == []


def test_a_recipient_outside_the_eea_without_transfer(notice_wide):
    activity = ProcessingActivityFactory(complete=True)
    recipient = RecipientFactory()
    recipient.organisations.add(OrganisationFactory(country="CH"))
    activity.recipients.add(recipient)

    assert codes(registry_gaps()) == ["recipient_outside_eea"]


def test_a_transfer_without_safeguard(notice_wide):
    activity = ProcessingActivityFactory(complete=True)
    mailchimp = processor_in("US")
    activity.processors.add(mailchimp)
    transfer = TransferFactory(activity=activity, recipient_organisation=mailchimp, safeguard="")

    (gap,) = registry_gaps()

    assert gap.code == "transfer_without_safeguard"
    assert gap.obj == transfer
    assert gap.article.startswith("Art. 46")


def test_profiling_and_automated_decisions_need_a_description(notice_wide):
    activity = ProcessingActivityFactory(complete=True, profiling=True, automated_decisions=True)

    gaps = registry_gaps()

    assert codes(gaps) == [
        "profiling_without_description",
        "automated_decisions_without_description",
    ]
    assert all(gap.article.startswith("Art. 13(2)(f)") for gap in gaps)

    activity.profiling_description_fr = "Profils de consommation de soins."
    activity.profiling_description_nl = "Profielen van zorggebruik."
    activity.automated_decisions = False
    activity.save()
    assert registry_gaps() == []


def test_rights_at_another_organisation_need_its_channel(notice_wide):
    partner = OrganisationFactory()
    ProcessingActivityFactory(
        complete=True,
        aim_role=ProcessingActivity.Role.PROCESSOR,
        rights_handled_by=ProcessingActivity.RightsHandler.ORGANISATION,
        rights_organisation=partner,
    )

    (gap,) = registry_gaps()
    assert (gap.code, gap.obj) == ("rights_organisation_without_channel", partner)

    partner.rights_email = "privacy@example.be"
    partner.save()
    assert registry_gaps() == []


# --- Translations ---------------------------------------------------------------------------


def test_missing_dutch_name_of_the_activity(notice_wide, english):
    activity = ProcessingActivityFactory(complete=True, name_nl="")

    (gap,) = registry_gaps()

    assert gap.code == "translation_missing"
    assert gap.article == "Art. 12(1)"
    assert gap.language == "nl"
    assert (gap.activity, gap.obj) == (activity, activity)
    assert gap.message == (
        f"Text missing in Dutch: name of the processing activity “{activity.name_fr}”."
    )


def test_missing_french_text_of_a_shared_object_is_reported_once(notice_wide, english):
    recipient = RecipientFactory(condition_nl="Na een beraadslaging.")
    for _ in range(3):
        ProcessingActivityFactory(complete=True).recipients.add(recipient)

    (gap,) = registry_gaps()

    assert (gap.obj, gap.language) == (recipient, "fr")
    assert "French" in gap.message and "condition" in gap.message


def test_missing_translation_of_aim_belongs_to_the_notice(notice_wide):
    notice_wide.address_nl = ""
    notice_wide.save()
    ProcessingActivityFactory(complete=True)

    (gap,) = registry_gaps()

    assert (gap.activity, gap.obj, gap.language) == (None, notice_wide, "nl")


# --- Which activities -----------------------------------------------------------------------


def test_draft_and_ended_activities_are_ignored(notice_wide):
    ProcessingActivityFactory(complete=True)
    ProcessingActivityFactory(status=ProcessingActivity.Status.DRAFT, name_nl="")
    ProcessingActivityFactory(
        status=ProcessingActivity.Status.ENDED, ended_on=datetime.date(2024, 12, 31)
    )

    assert registry_gaps() == []


def test_the_activities_to_check_can_be_given(notice_wide):
    draft = ProcessingActivityFactory(status=ProcessingActivity.Status.DRAFT)

    gaps = registry_gaps(activities=ProcessingActivity.objects.filter(pk=draft.pk))

    assert "no_legal_basis" in codes(gaps, draft)


# --- Queries --------------------------------------------------------------------------------


def _busy_activity():
    activity = ProcessingActivityFactory(complete=True, name_nl="")
    processor = processor_in("US")
    activity.processors.add(processor, processor_in("BE"))
    recipient = RecipientFactory()
    recipient.organisations.add(OrganisationFactory())
    activity.recipients.add(recipient)
    TransferFactory(activity=activity, recipient_organisation=processor, safeguard="")
    return activity


def test_the_number_of_queries_does_not_grow_with_the_activities(
    notice_wide, django_assert_max_num_queries
):
    for _ in range(2):
        _busy_activity()
    with CaptureQueriesContext(connection) as two:
        gaps_for_two = registry_gaps()
    for _ in range(18):
        _busy_activity()
    with CaptureQueriesContext(connection) as twenty:
        gaps_for_twenty = registry_gaps()

    assert len(gaps_for_twenty) == 10 * len(gaps_for_two) > 0
    assert len(twenty.captured_queries) == len(two.captured_queries)
    with django_assert_max_num_queries(15):
        registry_gaps()


# --- Admin overview -------------------------------------------------------------------------


def _overview_request(user):
    request = RequestFactory().get("/en/admin/registry/overview/")
    request.user = user
    return request


def test_the_overview_lists_the_gaps(notice_wide, dpo, english):
    activity = ProcessingActivityFactory(complete=True)
    activity.legal_bases.clear()
    (gap,) = registry_gaps()

    response = registry_overview(_overview_request(dpo))

    assert response.status_code == 200
    content = response.content.decode()
    assert escape(gap.message) in content
    assert gap.article in content
    assert escape(activity.name) in content
    try:
        change_url = reverse("admin:registry_processingactivity_change", args=[activity.pk])
    except NoReverseMatch:  # the activity admin is not registered
        change_url = ""
    assert change_url in content
    assert "<script>" not in content.replace('<script src="', "")
    assert "style=" not in content


def test_the_overview_of_a_complete_registry(notice_wide, dpo, english):
    ProcessingActivityFactory(complete=True)

    response = registry_overview(_overview_request(dpo))

    assert response.status_code == 200
    assert "Nothing is missing" in response.content.decode()


def test_the_overview_needs_the_permission_to_view_activities(staff_without_access):
    with pytest.raises(PermissionDenied):
        registry_overview(_overview_request(staff_without_access))


def test_the_overview_at_its_admin_url(notice_wide, dpo_client):
    ProcessingActivityFactory(complete=True).legal_bases.clear()
    with translation.override("fr"):
        try:
            url = reverse("admin:registry_overview")
        except NoReverseMatch:
            pytest.skip("admin:registry_overview is not wired into the admin yet")
        (gap,) = registry_gaps()
        expected = escape(gap.message)

    response = dpo_client.get(url)

    assert response.status_code == 200
    assert expected in response.content.decode()


def test_requests_to_aim_without_their_retention_rule_are_a_gap(notice_wide, english, settings):
    """Requests AIM answers itself are stored by the portal; the rule that limits how long is
    the registry's, and its absence is reported (nothing would ever be anonymised)."""
    ProcessingActivityFactory(complete=True)
    assert registry_gaps() == []

    settings.RIGHTS_REQUESTS_RETENTION_RULE = "no-such-rule"
    (gap,) = registry_gaps()
    assert gap.code == "no_requests_retention"
    assert gap.article.startswith("Art. 5(1)(e)")
    assert "no-such-rule" in gap.message


def test_the_requests_retention_rule_is_not_asked_for_when_aim_answers_no_request(notice_wide):
    activity = ProcessingActivityFactory(complete=True)
    activity.aim_role = ProcessingActivity.Role.PROCESSOR
    activity.rights_handled_by = ProcessingActivity.RightsHandler.OWN_INSURER
    activity.save()
    Organisation.objects.filter(slug="apd-gba").update(
        contact_directory_url_fr="https://www.inami.fgov.be/fr",
        contact_directory_url_nl="https://www.riziv.fgov.be/nl",
    )
    from registry.models import RetentionRule

    RetentionRule.objects.filter(slug="data-subject-requests").delete()
    assert "no_requests_retention" not in codes(registry_gaps())


# --- One role per activity, and rights routed as that role implies ---------------------------

Role = ProcessingActivity.Role
Handler = ProcessingActivity.RightsHandler
ROLE_CODES = {"controller_rights_elsewhere", "processor_rights_to_aim"}


def role_gaps():
    return [gap for gap in registry_gaps() if gap.code in ROLE_CODES]


@pytest.mark.parametrize(
    ("role", "handler", "code"),
    [
        (Role.CONTROLLER, Handler.OWN_INSURER, "controller_rights_elsewhere"),
        (Role.CONTROLLER, Handler.ORGANISATION, "controller_rights_elsewhere"),
        (Role.PROCESSOR, Handler.AIM, "processor_rights_to_aim"),
    ],
)
def test_a_role_that_contradicts_the_rights_routing_is_flagged(
    notice_wide, english, role, handler, code
):
    partner = OrganisationFactory(rights_email="privacy@partner.example")
    activity = ProcessingActivityFactory(
        complete=True,
        aim_role=role,
        rights_handled_by=handler,
        rights_organisation=partner if handler == Handler.ORGANISATION else None,
    )

    (gap,) = role_gaps()
    assert (gap.code, gap.activity, gap.target) == (code, activity, activity)
    assert gap.article == "Art. 13(1)(a), 26, 28"
    assert "Settle in the registry" in gap.message
    if handler == Handler.ORGANISATION:
        assert partner.name_fr in str(gap.params["handler"]) or partner.name_nl in str(
            gap.params["handler"]
        )


@pytest.mark.parametrize(
    ("role", "handler"),
    [
        (Role.CONTROLLER, Handler.AIM),
        (Role.PROCESSOR, Handler.OWN_INSURER),
        (Role.PROCESSOR, Handler.ORGANISATION),
        (Role.JOINT_CONTROLLER, Handler.OWN_INSURER),
        (Role.JOINT_CONTROLLER, Handler.AIM),
    ],
)
def test_a_consistent_role_is_not_flagged(notice_wide, role, handler):
    partner = OrganisationFactory(rights_email="privacy@partner.example")
    ProcessingActivityFactory(
        complete=True,
        aim_role=role,
        rights_handled_by=handler,
        rights_organisation=partner if handler == Handler.ORGANISATION else None,
    )

    assert role_gaps() == []


def test_the_role_contradiction_links_to_the_activity_in_the_overview(notice_wide, admin_user):
    activity = ProcessingActivityFactory(
        complete=True, aim_role=Role.CONTROLLER, rights_handled_by=Handler.OWN_INSURER
    )
    request = RequestFactory().get("/en/admin/registry/overview/")
    request.user = admin_user

    html = registry_overview(request).content.decode()
    assert reverse("admin:registry_processingactivity_change", args=[activity.pk]) in html
    assert "Art. 13(1)(a), 26, 28" in html


# --- Every insurer channel says where it was found ------------------------------------------


def test_an_insurer_channel_without_source_is_flagged_until_one_is_recorded(notice_wide, english):
    ProcessingActivityFactory(complete=True)
    insurer = factories.InsurerFactory(
        rights_email="dpo@insurer.example", address_fr="Rue de la Loi 1, 1000 Bruxelles"
    )
    OrganisationFactory(rights_email="privacy@partner.example")  # not an insurer: not checked

    (gap,) = registry_gaps()
    assert (gap.code, gap.obj, gap.activity) == ("channel_without_source", insurer, None)
    assert gap.article == "Art. 5(1)(d), 12(2)"
    assert "rights requests: e-mail" in gap.message
    assert "head office address (French)" in gap.message

    factories.ChannelSourceFactory(organisation=insurer, channel="rights_email")
    (gap,) = registry_gaps()
    assert "rights requests: e-mail" not in gap.message

    factories.ChannelSourceFactory(
        organisation=insurer, channel="address_fr", source_url="", source_note="Its letterhead."
    )
    assert registry_gaps() == []
