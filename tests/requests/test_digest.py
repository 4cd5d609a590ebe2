"""The DPO's digest in each recipient's language: the one they last signed in to the admin in
(requests/staff_language.py), with a link to each request's page and who it is assigned to."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from requests import services
from requests.digest import dpo_digest_queue
from requests.models import DataSubjectRequest, Notification, StaffLanguage

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 6, 30, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 10)
PASSWORD = "Correct-Horse-Battery-42"
# Words a French digest has and a Dutch one must not (and the other way round).
FRENCH = ["Demandes", "échéance", "mars", "Accès", "Nouvelle", "/fr/"]
DUTCH = ["maart", "/nl/"]


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def member(django_user_model, username):
    user = django_user_model.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@intermut.be", is_staff=True
    )
    user.groups.add(Group.objects.get(name="DPO"))
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def signed_in(user, language):
    """A browser that signed in to the admin at /<language>/admin/ with password and code."""
    device = TOTPDevice.objects.get(user=user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    client = Client()
    with translation.override(language):
        login, index = reverse("admin:login"), reverse("admin:index")
    response = client.post(
        login,
        {
            "username": user.get_username(),
            "password": PASSWORD,
            "otp_token": f"{totp.token():0{device.digits}d}",
            "next": index,
        },
    )
    assert response.status_code == 302 and response["Location"] == index
    return client


def due_request(days, *, assignee=None):
    _created, token = services.request_submit(
        data={
            "right": "access",
            "name": "Requester",
            "email": "requester@example.org",
            "phone": "",
            "description": "My data.",
        },
        language="fr",
    )
    subject_request = services.request_confirm(token=token)
    DataSubjectRequest.objects.filter(pk=subject_request.pk).update(
        due_on=TODAY + datetime.timedelta(days=days), assignee=assignee
    )
    subject_request.refresh_from_db()
    return subject_request


@pytest.fixture
def team(django_user_model):
    team = {
        "nl": member(django_user_model, "dpo-nl"),
        "fr": member(django_user_model, "dpo-fr"),
        "never": member(django_user_model, "dpo-never"),
    }
    team["nl_client"] = signed_in(team["nl"], "nl")
    team["fr_client"] = signed_in(team["fr"], "fr")
    return team


def digest_to(user):
    return Notification.objects.get(kind=Notification.Kind.DPO_DIGEST, to=user.email)


def said(language, msgid, **params):
    with translation.override(language):
        return translation.gettext(msgid) % params


def test_signing_in_records_the_admins_language(team):
    languages = dict(StaffLanguage.objects.values_list("user__username", "language"))
    assert languages == {"dpo-nl": "nl", "dpo-fr": "fr"}

    # A minute later (a code is accepted once), the same DPO signs in to the French admin.
    with time_machine.travel(NOW + datetime.timedelta(minutes=1), tick=False):
        signed_in(team["nl"], "fr")
    assert StaffLanguage.objects.get(user=team["nl"]).language == "fr"


def test_each_dpo_gets_the_digest_in_their_language_with_links_and_assignees(team):
    overdue = due_request(-2, assignee=team["nl"])
    soon = due_request(3)

    assert dpo_digest_queue() == 3

    dutch, french = digest_to(team["nl"]), digest_to(team["fr"])
    # Never signed in: the site's default language.
    assert digest_to(team["never"]).body == french.body
    assert settings.LANGUAGE_CODE == "fr"

    for word in FRENCH:
        assert word not in dutch.body, word
        assert word not in dutch.subject, word
    for word in DUTCH:
        assert word in dutch.body, word
        assert word not in french.body, word
    assert "10 maart 2026" in dutch.body and "8 maart 2026" in dutch.body
    assert "10 mars 2026" in french.body and "8 mars 2026" in french.body
    assert said("nl", "assigned to %(username)s", username="dpo-nl") in dutch.body
    assert said("nl", "not assigned to anyone yet") in dutch.body
    assert said("fr", "assigned to %(username)s", username="dpo-nl") in french.body
    assert said("fr", "not assigned to anyone yet") in french.body

    for digest, client, language in (
        (dutch, team["nl_client"], "nl"),
        (french, team["fr_client"], "fr"),
    ):
        links = re.findall(rf"{re.escape(settings.SITE_URL)}(/\S+)", digest.body)
        with translation.override(language):
            expected = [
                reverse("admin:rights_requests_datasubjectrequest_change", args=[r.pk])
                for r in (overdue, soon)
            ]
        assert links == expected
        for link in links:
            assert client.get(link).status_code == 200, link


def test_a_failed_login_records_nothing(team, django_user_model):
    user = member(django_user_model, "dpo-typo")
    with translation.override("nl"):
        Client().post(
            reverse("admin:login"),
            {"username": "dpo-typo", "password": "wrong", "otp_token": "000000"},
        )
    assert not StaffLanguage.objects.filter(user=user).exists()
