"""The authenticator apps (django-otp's TOTP devices) in the admin's language: django-otp names
its fields and model in plain English, never through gettext, so the Dutch and French admin
showed "Throttling failure count" and "TOTP device" (issue #12; aim_privacy/third_party_strings.py
gives them translated names)."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.text import capfirst
from django_otp.plugins.otp_totp.models import TOTPDevice

from aim_privacy.third_party_strings import OTP_TOTP_FIELDS, OTP_TOTP_MODEL
from tests.test_admin_history_language import main_text

pytestmark = pytest.mark.django_db

# Shown by the admin (aim_privacy/admin.py) on a device's page.
SHOWN = [
    "user",
    "name",
    "confirmed",
    "created_at",
    "last_used_at",
    "throttling_failure_count",
    "throttling_failure_timestamp",
]
# What django-otp's field and model names gave (its other names are the msgids themselves,
# English only where a catalog lacks them).
ENGLISH = ["Throttling failure", "TOTP device", "Name:", "User:", "Created at:"]


def label(language, field):
    with translation.override(language):
        return capfirst(translation.gettext(OTP_TOTP_FIELDS[field]))


def device_page(client, language):
    device = TOTPDevice.objects.get()
    with translation.override(language):
        url = reverse("admin:otp_totp_totpdevice_change", args=[device.pk])
    response = client.get(url)
    assert response.status_code == 200
    return main_text(response)


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_a_devices_page_names_its_fields_in_the_admins_language(dpo_client, language):
    text = device_page(dpo_client, language)

    for field in SHOWN:
        assert escape(label(language, field)) in text, field
    with translation.override(language):
        model = translation.gettext(OTP_TOTP_MODEL[0])
    assert escape(model) in text
    for english in ENGLISH:
        assert english not in text.replace(" :", ":"), english


def test_the_dutch_page_says_it_in_dutch(dpo_client):
    """The labels whose msgids the catalogs already hold, word for word."""
    text = device_page(dpo_client, "nl")
    for dutch in ["Gebruiker", "Naam", "Aangemaakt op"]:
        assert dutch in text, dutch


def test_the_list_of_devices_is_named_in_the_admins_language(dpo_client):
    with translation.override("nl"):
        url = reverse("admin:otp_totp_totpdevice_changelist")
        model = translation.gettext(OTP_TOTP_MODEL[0])
    text = main_text(dpo_client.get(url))
    assert "TOTP device" not in text
    assert escape(model) in text
