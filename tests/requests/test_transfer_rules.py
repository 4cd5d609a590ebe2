"""Passing a request on: only to an organisation that takes rights requests, for an activity for
which the registry says someone other than AIM answers, with that organisation's channels and a
sentence on AIM's role that fits the activity (requests/transfers.py)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from registry.models import Organisation, ProcessingActivity
from requests import services, transfers
from requests.models import DataSubjectRequest, Notification
from tests.registry.factories import (
    AimFactory,
    InsurerFactory,
    OrganisationFactory,
    ProcessingActivityFactory,
)

pytestmark = pytest.mark.django_db

Kind = Organisation.Kind
Role = ProcessingActivity.Role
Handler = ProcessingActivity.RightsHandler
Status = DataSubjectRequest.Status

PROCESSOR_SENTENCE = (
    "For these data AIM is a processor: it processes them only on behalf of %(controller)s, "
    "which is responsible for them (the controller)."
)
JOINT_SENTENCE = "%(controller)s and AIM are joint controllers of these data (GDPR, Art. 26)."
PASSED_TO_CONTROLLER = (
    "We have passed your request on to %(organisation)s, which will answer you; AIM assists it "
    "where needed."
)
DESIGNATED = (
    "According to AIM's record of processing activities, requests about these data are "
    "answered by %(organisation)s: we have passed your request on to it, and it will answer you."
)
OWN_INSURER = (
    "According to AIM's record of processing activities, requests about these data are "
    "answered by each person's own health insurer: we have passed your request on to "
    "%(organisation)s, which will answer you."
)
ANONYMISED = "This request has been anonymised: nothing can be added to it or changed."


def said(language, msgid, **params):
    """The sentence as the e-mail says it in that language (translated once the catalogs
    have it, the English msgid until then)."""
    with translation.override(language):
        return translation.gettext(msgid) % params


@pytest.fixture
def registry():
    """The organisations the issue saw offered wrongly, and those that must be offered."""
    aim = AimFactory(rights_email="dpo@intermut.be")
    partner = OrganisationFactory(
        name_fr="Hôpital Témoin",
        name_nl="Getuigeziekenhuis",
        rights_email="privacy@witness.example",
        rights_web_form_fr="https://witness.example/fr/vie-privee",
        rights_postal_address_nl="Wetstraat 1\n1000 Brussel",
        rights_phone="+32 2 555 01 99",
    )
    joint = OrganisationFactory(
        name_fr="Institut Conjoint", name_nl="Gezamenlijk Instituut", rights_email="dpo@joint.ex"
    )
    insurer = InsurerFactory(insurer_code=300, rights_email="privacy@insurer.example")
    authority = OrganisationFactory(kind=Kind.AUTHORITY, rights_email="contact@apd.example")
    return {
        "aim": aim,
        "authority": authority,
        "mailchimp": OrganisationFactory(kind=Kind.PROCESSOR, rights_email="privacy@mc.example"),
        "silent": OrganisationFactory(name_fr="Sans Canal", name_nl="Zonder Kanaal"),
        "silent_insurer": InsurerFactory(insurer_code=100),
        "partner": partner,
        "joint": joint,
        "insurer": insurer,
        "processor_activity": ProcessingActivityFactory(
            aim_role=Role.PROCESSOR, controller=partner, rights_handled_by=Handler.AIM
        ),
        "joint_activity": ProcessingActivityFactory(
            aim_role=Role.JOINT_CONTROLLER,
            controller=joint,
            rights_handled_by=Handler.ORGANISATION,
            rights_organisation=joint,
        ),
        "insurer_activity": ProcessingActivityFactory(
            aim_role=Role.CONTROLLER, controller=aim, rights_handled_by=Handler.OWN_INSURER
        ),
        "designated": ProcessingActivityFactory(
            aim_role=Role.CONTROLLER,
            controller=aim,
            rights_handled_by=Handler.ORGANISATION,
            rights_organisation=partner,
        ),
        # A registry row naming the Authority as the one that answers: only the controller.
        "authority_named": ProcessingActivityFactory(
            aim_role=Role.PROCESSOR,
            controller=partner,
            rights_handled_by=Handler.ORGANISATION,
            rights_organisation=authority,
        ),
        "newsletter": ProcessingActivityFactory(
            name_fr="Lettre d'information", aim_role=Role.CONTROLLER, controller=aim
        ),
        "draft": ProcessingActivityFactory(
            aim_role=Role.PROCESSOR,
            controller=partner,
            status=ProcessingActivity.Status.DRAFT,
        ),
    }


def confirmed(language="fr"):
    _stored, token = services.request_submit(
        data={
            "right": "access",
            "name": "Requester",
            "email": "requester@example.org",
            "phone": "",
            "description": "My data.",
        },
        language=language,
    )
    return services.request_confirm(token=token)


def transfer_url(subject_request):
    return reverse("admin:rights_requests_datasubjectrequest_transfer", args=[subject_request.pk])


def transfer_email(subject_request):
    return Notification.objects.get(request=subject_request, kind=Notification.Kind.TRANSFERRED)


def transfer(subject_request, registry, activity, organisation):
    return transfers.request_transfer(
        subject_request=subject_request,
        activity=registry[activity],
        to_organisation=registry[organisation],
        on=timezone.localdate(),
        by=None,
    )


# --- What the DPO is offered -------------------------------------------------------------------


def test_the_form_offers_only_organisations_that_take_rights_requests(dpo_client, registry):
    page = dpo_client.get(transfer_url(confirmed()))

    assert page.status_code == 200
    fields = page.context["form"].fields
    assert set(fields["organisation"].queryset) == {
        registry["partner"],
        registry["joint"],
        registry["insurer"],
    }
    offered = ["processor_activity", "joint_activity", "insurer_activity", "designated"]
    assert set(fields["activity"].queryset) == {
        registry[name] for name in [*offered, "authority_named"]
    }
    html = page.content.decode()
    for name in ("Agence Intermutualiste", "Sans Canal", "Lettre d'information"):
        assert name not in html


@pytest.mark.parametrize(
    ("activity", "expected"),
    [
        ("processor_activity", {"partner"}),
        ("joint_activity", {"joint"}),
        ("insurer_activity", {"insurer"}),
        ("designated", {"partner"}),
        ("newsletter", set()),
        ("authority_named", {"partner"}),
    ],
)
def test_each_activity_is_answered_by_the_organisation_the_registry_names(
    registry, activity, expected
):
    offered = set(transfers.organisations_for(registry[activity]))
    assert offered == {registry[name] for name in expected}


# --- Refused, by the page and by the service ----------------------------------------------------


@pytest.mark.parametrize(
    ("activity", "organisation"),
    [
        ("processor_activity", "aim"),
        ("processor_activity", "authority"),
        ("processor_activity", "mailchimp"),
        ("processor_activity", "silent"),
        ("newsletter", "partner"),
        ("draft", "partner"),
        ("processor_activity", "joint"),
    ],
)
def test_a_forged_post_is_refused_and_nothing_changes(dpo_client, registry, activity, organisation):
    subject_request = confirmed()

    response = dpo_client.post(
        transfer_url(subject_request),
        {
            "activity": registry[activity].pk,
            "organisation": registry[organisation].pk,
            "transferred_on": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    subject_request.refresh_from_db()
    assert subject_request.status == Status.NEW
    assert subject_request.transferred_to is None
    assert not Notification.objects.filter(kind=Notification.Kind.TRANSFERRED).exists()


def test_a_mismatched_pair_is_refused_with_the_reason(dpo_client, registry):
    """The organisation exists and takes requests, but not for this activity."""
    response = dpo_client.post(
        transfer_url(confirmed()),
        {
            "activity": registry["processor_activity"].pk,
            "organisation": registry["joint"].pk,
            "transferred_on": timezone.localdate().isoformat(),
        },
    )

    [error] = response.context["form"].errors["organisation"]
    assert "Institut Conjoint" in error


@pytest.mark.parametrize(
    ("activity", "organisation"),
    [
        ("processor_activity", "aim"),
        ("processor_activity", "authority"),
        ("processor_activity", "mailchimp"),
        ("processor_activity", "silent"),
        ("newsletter", "partner"),
        ("insurer_activity", "silent_insurer"),
        ("joint_activity", "partner"),
        ("authority_named", "authority"),
    ],
)
def test_the_service_refuses_what_the_form_would_not_offer(registry, activity, organisation):
    subject_request = confirmed()

    with pytest.raises(ValidationError):
        transfer(subject_request, registry, activity, organisation)

    subject_request.refresh_from_db()
    assert subject_request.status == Status.NEW
    assert not Notification.objects.filter(kind=Notification.Kind.TRANSFERRED).exists()


def test_an_anonymised_request_cannot_be_transferred(registry):
    subject_request = services.request_anonymise(subject_request=confirmed())

    with pytest.raises(ValidationError) as refused:
        transfer(subject_request, registry, "processor_activity", "partner")

    assert refused.value.messages == [said("fr", ANONYMISED)]
    subject_request.refresh_from_db()
    assert subject_request.transferred_to is None


# --- The e-mail ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_processor_activity_email_gives_the_controllers_channels_in_the_requesters_language(
    dpo_client, registry, language
):
    subject_request = confirmed(language)
    response = dpo_client.post(
        transfer_url(subject_request),
        {
            "activity": registry["processor_activity"].pk,
            "organisation": registry["partner"].pk,
            "transferred_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302

    body = transfer_email(subject_request).body
    name = {"fr": "Hôpital Témoin", "nl": "Getuigeziekenhuis"}[language]
    assert said(language, PROCESSOR_SENTENCE, controller=name) in body
    assert said(language, PASSED_TO_CONTROLLER, organisation=name) in body
    assert f"{said(language, 'E-mail:')} privacy@witness.example" in body
    assert f"{said(language, 'Phone:')} +32 2 555 01 99" in body
    # The web form exists in French only, the postal address in Dutch only: given all the same,
    # marked in the reader's language when it is the other one.
    web_form = f"{said(language, 'Online form:')} https://witness.example/fr/vie-privee"
    postal = f"{said(language, 'By post:')} Wetstraat 1, 1000 Brussel"
    if language == "fr":
        assert web_form + "\n" in body
        assert f"{postal} ({said('fr', 'in Dutch')})" in body
    else:
        assert f"{web_form} ({said('nl', 'in French')})" in body
        assert postal + "\n" in body
    assert said(language, "Dear Sir or Madam,") in body


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_joint_controller_email_says_so_and_never_the_processor_sentence(registry, language):
    subject_request = confirmed(language)
    transfer(subject_request, registry, "joint_activity", "joint")

    body = transfer_email(subject_request).body
    name = {"fr": "Institut Conjoint", "nl": "Gezamenlijk Instituut"}[language]
    assert said(language, JOINT_SENTENCE, controller=name) in body
    assert said(language, DESIGNATED, organisation=name) in body
    assert said(language, PROCESSOR_SENTENCE, controller=name) not in body
    assert f"{said(language, 'E-mail:')} dpo@joint.ex" in body


@pytest.mark.parametrize("language", ["fr", "nl"])
@pytest.mark.parametrize(
    ("activity", "organisation", "sentence"),
    [
        ("designated", "partner", DESIGNATED),
        ("insurer_activity", "insurer", OWN_INSURER),
    ],
)
def test_an_activity_aim_controls_gets_no_processor_sentence(
    registry, language, activity, organisation, sentence
):
    subject_request = confirmed(language)
    transfer(subject_request, registry, activity, organisation)

    body = transfer_email(subject_request).body
    with translation.override(language):
        name = registry[organisation].name
        aim = registry["aim"].name
    assert said(language, sentence, organisation=name) in body
    for controller in (name, aim):
        assert said(language, PROCESSOR_SENTENCE, controller=controller) not in body
        assert said(language, JOINT_SENTENCE, controller=controller) not in body
    assert said(language, PASSED_TO_CONTROLLER, organisation=name) not in body


def test_the_timeline_names_the_activity_the_transfer_rests_on(registry):
    subject_request = confirmed()
    transfer(subject_request, registry, "processor_activity", "partner")

    event = subject_request.events.get(kind="transferred")
    assert str(registry["processor_activity"]) in event.text


def test_a_request_without_an_email_address_gets_the_letter_in_its_timeline(registry):
    """A request recorded from a letter with no e-mail address: no e-mail is queued (it could
    never leave); the timeline keeps the letter to print and post, with the channels."""
    subject_request = confirmed()
    DataSubjectRequest.objects.filter(pk=subject_request.pk).update(
        email="", postal_address="Rue de la Poste 1\n1000 Bruxelles"
    )
    subject_request.refresh_from_db()
    transfer(subject_request, registry, "processor_activity", "partner")

    assert not Notification.objects.filter(
        request=subject_request, kind=Notification.Kind.TRANSFERRED
    ).exists()
    event = subject_request.events.get(kind="transferred")
    assert "Rue de la Poste 1" in event.text
    assert str(registry["partner"]) in event.text
