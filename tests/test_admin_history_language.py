"""The admin's History pages (django-simple-history) entirely in the admin's language, and
readable: no French in the Dutch admin (the package has no Dutch catalog and Django falls back
to French), no "None", no "Deleted user (pk=None)", no stored status values (issue #12)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from requests import services
from requests.models import DataSubjectRequest
from tests.registry import factories

pytestmark = pytest.mark.django_db

# What the Dutch admin showed in French on every History page (simple_history's and axes'
# French catalogs, reached through Django's fallback to the default language).
FRENCH = [
    "Historique",
    "Modifications",
    "Modifié par",
    "Raison de la modification",
    "Date/heure",
    "Commentaire",
    "Objet",
    "Aucun",
    "utilisateur",
    "Effacé",
    "Rétablir",
    "Fermer",
    "Choisissez une date",
    "Cliquez sur",
    "Voir ",
    "entrée",
]
# English that an untranslated msgid leaves on the page, and what a raw value looks like.
UNREADABLE = ["None", "pk=None", "Change reason", "Changed by", "chars]"]
RAW_STATUS = re.compile(r"\b(in_progress|new|waiting)\b")


def visible_text_of(html):
    """The text as staff read it: no tags, scripts or styles."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)


def main_text(response):
    """The content area only: the header and the menus are not the History page's own."""
    html = response.content.decode()
    start = html.index('id="content"')
    return visible_text_of(html[start:])


def get(client, language, name, *args):
    with translation.override(language):
        url = reverse(name, args=args)
    assert url.startswith(f"/{language}/")
    response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.fixture
def organisation(dpo_client):
    """An organisation changed twice in the admin by the DPO: two History lines with changes."""
    organisation = factories.OrganisationFactory(name_fr="Mutualité test", name_nl="Testfonds")
    organisation.website_fr = "https://example.org/fr/"
    organisation.save()
    organisation.notes = "Vérifié par téléphone."
    organisation.save()
    return organisation


@pytest.fixture
def subject_request(dpo_client, dpo, django_capture_on_commit_callbacks):
    """A confirmed request, assigned to the DPO and marked in progress in the admin's queue."""
    with django_capture_on_commit_callbacks(execute=True):
        created, token = services.request_submit(
            data={
                "right": "access",
                "name": "Requester One",
                "email": "requester1@example.org",
                "phone": "",
                "description": "My reimbursements of 2024, please.",
            },
            language="nl",
        )
        services.request_confirm(token=token)
    changelist = reverse("admin:rights_requests_datasubjectrequest_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = dpo_client.post(
            changelist, {"action": "assign_to_me", "_selected_action": [created.pk]}
        )
        assert response.status_code == 302
        response = dpo_client.post(
            changelist, {"action": "mark_in_progress", "_selected_action": [created.pk]}
        )
        assert response.status_code == 302
    subject_request = DataSubjectRequest.objects.get(pk=created.pk)
    assert subject_request.status == DataSubjectRequest.Status.IN_PROGRESS
    assert subject_request.history.count() >= 3
    return subject_request


def history_pages(client, language, obj, model_name):
    """The object's History page and the page of its oldest and newest versions."""
    name = f"admin:{model_name}"
    history = get(client, language, f"{name}_history", obj.pk)
    versions = [
        get(client, language, f"{name}_simple_history", obj.pk, record.history_id)
        for record in (obj.history.earliest(), obj.history.latest())
    ]
    return history, versions


def assert_no_french(response):
    text = main_text(response)
    found = [word for word in FRENCH if word in text]
    assert not found, f"French on a Dutch page {response.request['PATH_INFO']}: {found}"


def assert_readable(response):
    text = main_text(response)
    found = [word for word in UNREADABLE if word in text]
    assert not found, f"unreadable on {response.request['PATH_INFO']}: {found}"
    assert not RAW_STATUS.search(text), RAW_STATUS.search(text)


def test_dutch_history_of_an_organisation_has_no_french(dpo_client, organisation):
    history, versions = history_pages(dpo_client, "nl", organisation, "registry_organisation")
    for page in [history, *versions]:
        assert_no_french(page)
    text = main_text(history)
    for dutch in ["Wijzigingsgeschiedenis", "Datum en tijd", "Gewijzigd door", "Wijzigingen"]:
        assert dutch in text
    assert "Eerdere versie" in main_text(versions[0])
    assert_readable(history)
    # A translated field's change once per language, not also as its untranslated copy.
    assert "Website [fr]" in text
    assert "Website:" not in text.replace(" : ", ":").replace(" :", ":")


def test_dutch_history_of_a_request_is_dutch_and_readable(dpo_client, dpo, subject_request):
    history, versions = history_pages(
        dpo_client, "nl", subject_request, "rights_requests_datasubjectrequest"
    )
    for page in [history, *versions]:
        assert_no_french(page)
    assert_readable(history)
    text = main_text(history)
    assert "Geschiedenis" in text
    # The status change as the admin names the statuses, the assignee from "—" to the DPO.
    with translation.override("nl"):
        new = str(DataSubjectRequest.Status.NEW.label)
        in_progress = str(DataSubjectRequest.Status.IN_PROGRESS.label)
    assert f"{new} → {in_progress}" in text
    assert f"— → {dpo.username}" in text


def test_french_history_pages_are_french(dpo_client, organisation, subject_request):
    organisation_history, _ = history_pages(dpo_client, "fr", organisation, "registry_organisation")
    request_history, versions = history_pages(
        dpo_client, "fr", subject_request, "rights_requests_datasubjectrequest"
    )
    assert "Version antérieure" in main_text(versions[0])
    for page in [organisation_history, request_history]:
        text = main_text(page)
        for french in ["Historique", "Date et heure", "Modifié par", "Modifications"]:
            assert french in text, french
        assert_readable(page)
    with translation.override("fr"):
        new = str(DataSubjectRequest.Status.NEW.label)
        in_progress = str(DataSubjectRequest.Status.IN_PROGRESS.label)
    assert f"{new} → {in_progress}" in main_text(request_history)


def test_a_related_object_that_no_longer_exists_is_said_in_words(organisation):
    from simple_history.models import DeletedObject, ModelChange, ModelDelta

    from aim_privacy.admin_history import ReadableHistoryHelper
    from registry.models import ChannelSource

    record = organisation.history.latest()
    gone = DeletedObject(type(organisation), 12345)
    nothing = DeletedObject(type(organisation), None)
    delta = ModelDelta(
        changes=[ModelChange("organisation", nothing, gone)],
        changed_fields=["organisation"],
        old_record=record,
        new_record=record,
    )
    with translation.override("en"):
        [change] = ReadableHistoryHelper(ChannelSource, record).context_for_delta_changes(delta)
    assert change["old"] == "—"
    assert change["new"] == "organisation (no longer exists)"


# What django-axes' French catalog shows staff (its admin), and django-otp's French login words.
AXES_FRENCH = ["tentative", "connexion", "Nom d'utilisateur", "Adresse IP", "Chemin", "Données"]


@pytest.mark.parametrize(
    "name",
    [
        "admin:axes_accessattempt_changelist",
        "admin:axes_accesslog_changelist",
        "admin:axes_accessfailurelog_changelist",
        "admin:otp_totp_totpdevice_changelist",
    ],
)
def test_dutch_admin_pages_of_axes_and_otp_have_no_french(admin_client, name):
    text = main_text(get(admin_client, "nl", name))
    found = [word for word in AXES_FRENCH + FRENCH if word in text]
    assert not found, found


def test_dutch_admin_login_page_has_no_french(citizen):
    text = main_text(get(citizen, "nl", "admin:login"))
    found = [
        word for word in ["Se connecter", "Jeton", "Mot de passe", "utilisateur"] if word in text
    ]
    assert not found, found
