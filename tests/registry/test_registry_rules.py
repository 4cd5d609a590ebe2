"""The registry's rules from issue #13: "no recipients" said explicitly, third-country transfers
outside the EEA only, retention until an event, gaps that link to what fixes them, approval only
of a complete activity, and activities ended, never deleted."""

import datetime
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from notices import dpv, tilt
from notices.blocks import render_block
from notices.registry_data import registry_data
from registry import exports
from registry.completeness import registry_gaps
from registry.gaps import gap_admin_url
from registry.models import Organisation, ProcessingActivity, RetentionRule, Transfer
from registry.seed import registry_seed_load
from registry.services import activity_gaps
from tests.registry import factories

pytestmark = pytest.mark.django_db

Status = ProcessingActivity.Status


@pytest.fixture
def notice_wide():
    """AIM with its address and DPO, and the authority: nothing missing for the notice."""
    aim = factories.AimFactory(
        address_fr="Rue du Trône 30 bte A, 1000 Bruxelles",
        address_nl="Troonstraat 30 bus A, 1000 Brussel",
    )
    factories.DataProtectionOfficerFactory(organisation=aim)
    factories.OrganisationFactory(
        slug="apd-gba",
        kind=Organisation.Kind.AUTHORITY,
        name_fr="Autorité de protection des données",
        name_nl="Gegevensbeschermingsautoriteit",
        website_fr="https://www.autoriteprotectiondonnees.be",
        website_nl="https://www.gegevensbeschermingsautoriteit.be",
    )
    factories.requests_retention_rule()
    return aim


def codes(gaps):
    return [gap.code for gap in gaps]


def mailchimp():
    return factories.OrganisationFactory(
        slug="mailchimp",
        kind=Organisation.Kind.PROCESSOR,
        country="US",
        name_fr="Mailchimp",
        name_nl="Mailchimp",
    )


def newsletter(**kwargs):
    """A newsletter-like activity: complete, except that it has no recipient."""
    activity = factories.ProcessingActivityFactory(
        complete=True, slug="newsletter", name_fr="Lettre d'information", name_nl="Nieuwsbrief"
    )
    activity.recipients.clear()
    for name, value in kwargs.items():
        setattr(activity, name, value)
    activity.save()
    return activity


# --- No recipients -------------------------------------------------------------------------


def test_no_recipients_said_explicitly_removes_the_gap(notice_wide):
    activity = newsletter()
    assert codes(registry_gaps()) == ["no_recipients"]

    activity.no_recipients = True
    activity.save()
    assert registry_gaps() == []


def test_no_recipients_with_recipients_listed_is_a_contradiction(notice_wide, admin_client):
    activity = newsletter(no_recipients=True)
    activity.recipients.add(factories.RecipientFactory())
    assert codes(registry_gaps()) == ["recipients_and_no_recipients"]


@pytest.mark.parametrize(
    ("language", "statement", "processed_by"),
    [
        (
            "fr",
            "L'AIM ne communique les données à caractère personnel des traitements suivants "
            "à aucun destinataire",
            "Ses données sont traitées pour le compte de l'AIM (RGPD, art. 28) par :",
        ),
        (
            "nl",
            "Het IMA verstrekt de persoonsgegevens van de volgende verwerkingen aan geen enkele "
            "ontvanger",
            "De gegevens ervan worden in opdracht van het IMA verwerkt (AVG, art. 28) door:",
        ),
    ],
)
def test_no_recipients_renders_in_the_notice(notice_wide, language, statement, processed_by):
    activity = newsletter(no_recipients=True)
    activity.processors.add(mailchimp())
    factories.ProcessingActivityFactory(complete=True)  # another one, with a recipient

    html = unescape(render_block("recipients", registry_data(), language))

    assert statement in html
    assert (activity.name_fr if language == "fr" else activity.name_nl) in html
    assert processed_by in html and "Mailchimp" in html
    # The other activity's recipient is still listed, and nothing says "no one" in general.
    assert "Destinataire" in html or "Ontvanger" in html


def test_the_seeded_newsletter_has_no_recipients_and_no_fake_one():
    registry_seed_load()
    activity = ProcessingActivity.objects.get(slug="newsletter")
    assert activity.no_recipients and not activity.recipients.exists()
    html = unescape(render_block("recipients", registry_data(), "fr"))
    assert "Lettre d'information" in html and "Mailchimp" in html


def test_the_admin_refuses_no_recipients_with_recipients_listed(admin_client, notice_wide):
    activity = factories.ProcessingActivityFactory(complete=True)
    data = change_data(activity, no_recipients="on", name_fr="Autre nom")

    response = admin_client.post(change_url(activity), data)

    assert response.status_code == 200
    assert "no_recipients" in response.context["adminform"].form.errors
    activity.refresh_from_db()
    assert not activity.no_recipients and activity.name_fr != "Autre nom"


def test_the_register_says_no_recipients_instead_of_an_empty_cell(notice_wide):
    newsletter(no_recipients=True)
    unknown = factories.ProcessingActivityFactory(complete=True, slug="unknown")
    unknown.recipients.clear()

    rows = {row["identifier"]: row for row in exports.register_rows(language="en")}

    assert rows["newsletter"]["recipients"] == "None: AIM discloses these data to no one"
    assert rows[unknown.slug]["recipients"] == ""


# --- Third-country transfers -----------------------------------------------------------------


def test_a_transfer_to_france_is_refused_with_the_country_named():
    transfer = Transfer(
        activity=factories.ProcessingActivityFactory(),
        country="FR",
        safeguard=Transfer.Safeguard.STANDARD_CLAUSES,
    )
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        transfer.full_clean()
    (message,) = refused.value.message_dict["country"]
    assert "France" in message and "European Economic Area" in message


@pytest.mark.parametrize("country", ["US", "CH", "GB"])
def test_a_transfer_outside_the_eea_is_accepted(country):
    transfer = Transfer(
        activity=factories.ProcessingActivityFactory(),
        country=country,
        safeguard=Transfer.Safeguard.STANDARD_CLAUSES,
    )
    transfer.full_clean()


def test_the_admin_refuses_a_transfer_to_norway_and_saves_nothing(admin_client, notice_wide):
    activity = newsletter(no_recipients=True)
    data = change_data(activity, name_fr="Nouveau nom")
    data.update(
        {
            "transfers-TOTAL_FORMS": "1",
            "transfers-0-country": "NO",
            "transfers-0-safeguard": "scc",
            "transfers-0-reference_fr": "Clauses",
            "transfers-0-reference_nl": "Clausules",
        }
    )
    response = admin_client.post(change_url(activity), data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert "country" in errors[0]
    activity.refresh_from_db()
    assert activity.name_fr == "Lettre d'information" and not activity.transfers.exists()


def test_an_eea_transfer_saved_before_the_rule_is_a_gap_that_targets_it(notice_wide):
    activity = factories.ProcessingActivityFactory(complete=True)
    transfer = Transfer.objects.create(activity=activity, country="FR", safeguard="scc")

    (gap,) = registry_gaps()

    assert gap.code == "transfer_inside_eea"
    assert gap.target == transfer
    assert gap_admin_url(gap) == reverse("admin:registry_transfer_change", args=[transfer.pk])


# --- Gaps link to what fixes them ------------------------------------------------------------


def test_the_mailchimp_gap_links_to_the_activity_transfers_not_to_mailchimp(
    notice_wide, dpo_client
):
    activity = factories.ProcessingActivityFactory(complete=True)
    processor = mailchimp()
    activity.processors.add(processor)

    (gap,) = registry_gaps()

    assert gap.code == "processor_outside_eea"
    assert gap.target == activity
    assert gap_admin_url(gap) == change_url(activity) + "#transfers-group"
    assert 'id="transfers-group"' in dpo_client.get(change_url(activity)).content.decode()
    html = dpo_client.get(reverse("admin:registry_overview")).content.decode()
    assert f'href="{change_url(activity)}#transfers-group"' in html
    organisation_url = reverse("admin:registry_organisation_change", args=[processor.pk])
    assert organisation_url not in html

    # Once the transfer is recorded without its safeguard, the gap targets the transfer.
    transfer = Transfer.objects.create(activity=activity, country="US", safeguard="")
    (gap,) = registry_gaps()
    assert gap.target == transfer
    assert gap_admin_url(gap) == reverse("admin:registry_transfer_change", args=[transfer.pk])


# --- Retention until an event ----------------------------------------------------------------


def until_unsubscription(**kwargs):
    return factories.RetentionRuleFactory(
        name_fr="Données de la lettre d'information",
        name_nl="Gegevens van de nieuwsbrief",
        duration=None,
        unit="",
        until_event=RetentionRule.Event.UNSUBSCRIPTION,
        **kwargs,
    )


def test_retention_until_unsubscription_renders_in_french_and_dutch(notice_wide):
    activity = newsletter(no_recipients=True)
    activity.retention_rules.set([until_unsubscription()])

    data = registry_data()

    french = unescape(render_block("retention", data, "fr"))
    assert french.count("jusqu'à votre désinscription") == 1
    assert unescape(render_block("retention", data, "nl")).count("tot u zich uitschrijft") == 1


def test_retention_after_the_event_says_the_period_after_it(notice_wide):
    activity = newsletter(no_recipients=True)
    rule = until_unsubscription(slug="after")
    rule.duration, rule.unit = 30, RetentionRule.Unit.DAYS
    rule.save()
    activity.retention_rules.set([rule])

    (displayed,) = [r["display"] for a in registry_data()["activities"] for r in a["retention"]]

    assert displayed == {
        "fr": "jusqu'à votre désinscription, puis au maximum 30 jours de plus",
        "nl": "tot u zich uitschrijft, daarna nog maximaal 30 dagen",
    }


def test_an_event_rule_is_neither_fixed_by_deliberation_nor_started_elsewhere():
    rule = RetentionRule(
        slug="x",
        name_fr="X",
        name_nl="X",
        until_event=RetentionRule.Event.CONTRACT_END,
        fixed_by_deliberation=True,
        starts_at_fr="la collecte",
    )
    with pytest.raises(ValidationError) as refused:
        rule.full_clean()
    assert {"fixed_by_deliberation", "starts_at_fr"} <= set(refused.value.message_dict)
    # The database refuses the event combined with the deliberation too.
    with pytest.raises(IntegrityError), transaction.atomic():
        RetentionRule.objects.create(
            slug="y", until_event="contract_end", fixed_by_deliberation=True
        )


def test_machine_readable_exports_state_the_event_not_a_fixed_duration(notice_wide):
    activity = newsletter(no_recipients=True)
    rule = until_unsubscription(slug="after")
    rule.duration, rule.unit = 30, RetentionRule.Unit.DAYS
    rule.save()
    activity.retention_rules.set([rule])
    data = registry_data()
    (exported,) = [a for a in data["activities"] if a["slug"] == "newsletter"]

    (storage,) = tilt._storage(exported, "fr")
    assert "temporal" not in storage
    assert any("jusqu'à votre désinscription" in text for text in storage["purposeConditional"])

    graph = dpv.Graph(base="https://example.test/dpv", language="fr", registry=data)
    dpv._storage(graph, exported["retention"][0])
    duration = graph.nodes[graph.iri("retention-after-duration")]
    assert duration["@type"] == ["dpv:UntilEventDuration"]
    assert "rdf:value" not in duration


# --- Approval runs the completeness check ----------------------------------------------------


def change_url(activity):
    return reverse("admin:registry_processingactivity_change", args=[activity.pk])


def change_data(activity, **overrides):
    """The change form of the activity as the admin posts it, without transfers."""

    def pks(relation):
        return [str(pk) for pk in getattr(activity, relation).values_list("pk", flat=True)]

    data = {
        "slug": activity.slug,
        "name_fr": activity.name_fr,
        "name_nl": activity.name_nl,
        "purposes_fr": activity.purposes_fr,
        "purposes_nl": activity.purposes_nl,
        "status": activity.status,
        "position": str(activity.position),
        "aim_role": activity.aim_role,
        "controller": str(activity.controller_id),
        "rights_handled_by": activity.rights_handled_by,
        "pseudonymisation": activity.pseudonymisation,
        "security_measures_fr": activity.security_measures_fr,
        "security_measures_nl": activity.security_measures_nl,
        "transfers-TOTAL_FORMS": "0",
        "transfers-INITIAL_FORMS": "0",
        "transfers-MIN_NUM_FORMS": "0",
        "transfers-MAX_NUM_FORMS": "1000",
    }
    for relation in (
        "legal_bases",
        "data_categories",
        "subject_categories",
        "sources",
        "recipients",
        "processors",
        "retention_rules",
    ):
        data[relation] = pks(relation)
    if activity.no_recipients:
        data["no_recipients"] = "on"
    data.update(overrides)
    return data


def test_an_incomplete_activity_is_not_approved_and_the_gaps_are_listed(notice_wide, admin_client):
    activity = newsletter(status=Status.DRAFT)
    data = change_data(activity, status="approved", name_fr="Lettre d'information de l'AIM")

    response = admin_client.post(change_url(activity), data, follow=True)

    activity.refresh_from_db()
    assert activity.status == Status.DRAFT
    assert activity.name_fr == "Lettre d'information de l'AIM"  # the other change is kept
    (message,) = [str(m) for m in response.context["messages"]]
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        (gap,) = activity_gaps(activity)
        assert escape(gap.message) in message
    assert gap.code == "no_recipients"
    assert f'href="{change_url(activity)}"' in message
    # The activity's own page lists what it lacks.
    assert "recipient" in response.content.decode()


def test_a_complete_activity_is_approved_from_its_form(notice_wide, admin_client):
    activity = newsletter(status=Status.DRAFT, no_recipients=True)

    response = admin_client.post(change_url(activity), change_data(activity, status="approved"))

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == Status.APPROVED


def test_the_approve_action_approves_only_complete_activities(notice_wide, admin_client):
    incomplete = newsletter(status=Status.DRAFT)
    complete = factories.ProcessingActivityFactory(complete=True, status=Status.DRAFT)
    changelist = reverse("admin:registry_processingactivity_changelist")

    response = admin_client.post(
        changelist,
        {"action": "approve_selected", "_selected_action": [incomplete.pk, complete.pk]},
        follow=True,
    )

    incomplete.refresh_from_db()
    complete.refresh_from_db()
    assert (incomplete.status, complete.status) == (Status.DRAFT, Status.APPROVED)
    messages = unescape(" ".join(str(m) for m in response.context["messages"]))
    assert "Lettre d'information" in messages


def test_drafts_are_checked_in_the_overview(notice_wide, dpo_client):
    newsletter(status=Status.DRAFT)
    html = dpo_client.get(reverse("admin:registry_overview")).content.decode()
    assert "draft-gaps-1" in html and "Lettre d&#x27;information" in html


# --- Ended, never deleted --------------------------------------------------------------------


def test_activities_cannot_be_deleted_alone_or_in_bulk(notice_wide, dpo_client):
    activity = factories.ProcessingActivityFactory(complete=True)
    changelist = reverse("admin:registry_processingactivity_changelist")

    page = dpo_client.get(changelist)
    actions = [value for value, _label in page.context["action_form"].fields["action"].choices]
    assert "delete_selected" not in actions
    assert "end_selected" in actions
    delete_url = reverse("admin:registry_processingactivity_delete", args=[activity.pk])
    assert dpo_client.get(delete_url).status_code == 403
    assert dpo_client.post(delete_url, {"post": "yes"}).status_code == 403
    dpo_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [activity.pk], "post": "yes"}
    )
    assert ProcessingActivity.objects.filter(pk=activity.pk).exists()


def test_ending_an_activity_keeps_it_with_todays_date(notice_wide, dpo_client):
    activity = factories.ProcessingActivityFactory(complete=True)
    changelist = reverse("admin:registry_processingactivity_changelist")

    dpo_client.post(changelist, {"action": "end_selected", "_selected_action": [activity.pk]})

    activity.refresh_from_db()
    assert activity.status == Status.ENDED
    assert activity.ended_on == timezone.localdate()
    assert isinstance(activity.ended_on, datetime.date)
    assert not ProcessingActivity.objects.in_force().filter(pk=activity.pk).exists()
