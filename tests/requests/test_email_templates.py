"""The DPO's e-mail templates: only the fixed values, checked on save, previewed in both
languages without saving, editable by the DPO group only (requests/email_templates.py,
requests/admin/templates.py)."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from requests import email_templates
from requests.models import DataSubjectRequest, EmailTemplate

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 11, 0, tzinfo=datetime.UTC)
BODY = "Bonjour.\n{{ message }}\nRéférence : {{ reference }}"
# Words only the other language's default template has.
FOREIGN = {"fr": ["Geachte", "verzoek", "ontvangen"], "nl": ["Madame", "demande", "reçue"]}


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def a_request(language="fr"):
    """Unsaved: the renderer only reads these fields."""
    return DataSubjectRequest(
        reference="AIM-2026-000042",
        language=language,
        right="erasure",
        received_on=datetime.date(2026, 3, 1),
        due_on=datetime.date(2026, 4, 1),
        name="Never In An Email",
        description="Never in an e-mail either",
    )


# --- Rendering and validation ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", ["AIM-2026-000042", "1er mars 2026", "1er avril 2026", "Droit à l'effacement"]),
        ("nl", ["AIM-2026-000042", "1 maart 2026", "1 april 2026", "Recht op gegevenswissing"]),
    ],
)
def test_every_value_is_rendered_in_the_requesters_language(settings, language, words):
    settings.DPO_REPLY_TO = "AIM DPO <dpo@example.be>"
    text = (
        "{{ reference }} {{ right }} {{ received_on }} {{ due_on }} {{ dpo_email }} {{ message }}"
    )
    template = EmailTemplate(**{f"subject_{language}": "{{ reference }}", f"body_{language}": text})

    subject, body = email_templates.render(template, a_request(language), language, "<b>Oui</b>")

    assert subject == "AIM-2026-000042"
    for word in [*words, "dpo@example.be", "<b>Oui</b>"]:  # plain text: nothing escaped
        assert word in body
    assert "AIM DPO" not in body


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The variable named (quoted in the admin's language's own marks).
        ("{{ name }} {{ message }} {{ reference }}", "{{ name }}"),
        ("{{ description }} {{ message }} {{ reference }}", "{{ description }}"),
        ("{{ reference.upper }} {{ message }}", "{{ reference.upper }}"),
        ("{% if message %}x{% endif %} {{ reference }}", "{% ... %}"),
        ("{{ message|upper }} {{ reference }}", "{% ... %}"),
        ("{% load i18n %}{{ message }} {{ reference }}", "{% ... %}"),
        ("{% include 'x.txt' %}{{ message }} {{ reference }}", "{% ... %}"),
        ("{{ reference }} only", "{{ message }}"),
        ("{{ message }} only", "{{ reference }}"),
    ],
)
def test_a_body_outside_the_rules_is_refused_with_a_clear_message(text, expected):
    with pytest.raises(ValidationError) as refused:
        email_templates.validate_body(text)
    assert any(expected in message for message in refused.value.messages), refused.value.messages


def test_a_valid_body_and_subject_pass():
    email_templates.validate_body(BODY)
    email_templates.validate_subject("Votre demande {{ reference }}")
    email_templates.validate_subject("Sans variable")


def test_an_unknown_variable_is_an_error_at_render_time_never_empty():
    template = EmailTemplate(subject_fr="{{ reference }}", body_fr="{{ name }}{{ message }}")
    with pytest.raises(ValidationError):
        email_templates.render(template, a_request(), "fr", "x")


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_seeded_templates_are_valid_and_in_one_language(language):
    templates = EmailTemplate.objects.all()
    assert set(templates.values_list("kind", flat=True)) == set(EmailTemplate.Kind.values)
    for template in templates:
        email_templates.validate_subject(getattr(template, f"subject_{language}"))
        email_templates.validate_body(getattr(template, f"body_{language}"))
        subject, body = email_templates.render(template, a_request(language), language, "M")
        for word in FOREIGN[language]:
            assert word not in subject + body, (template.kind, word)
        assert "Never" not in body


# --- Admin -------------------------------------------------------------------------------------


def change_url(template):
    return reverse("admin:rights_requests_emailtemplate_change", args=[template.pk])


def form_data(template, **changes):
    return {
        "subject_fr": template.subject_fr,
        "body_fr": template.body_fr,
        "subject_nl": template.subject_nl,
        "body_nl": template.body_nl,
        **changes,
    }


@pytest.fixture
def answered():
    return EmailTemplate.objects.get(kind=EmailTemplate.Kind.ANSWERED)


def test_the_dpo_edits_a_template_in_both_languages(dpo_client, answered):
    page = dpo_client.get(change_url(answered))
    assert page.status_code == 200
    html = page.content.decode()
    assert "{{ dpo_email }}" in html  # the help lists the values
    assert 'name="_preview"' in html
    assert "AIM-2026-000123" in html  # the preview of the saved texts, for a sample request

    response = dpo_client.post(
        change_url(answered), form_data(answered, body_nl="Nieuw.\n{{ message }} {{ reference }}")
    )

    assert response.status_code == 302
    answered.refresh_from_db()
    assert answered.body_nl == "Nieuw.\n{{ message }} {{ reference }}"
    assert answered.updated_at == NOW


def test_an_invalid_template_is_not_saved_and_says_why(dpo_client, answered):
    before = answered.body_fr
    response = dpo_client.post(
        change_url(answered), form_data(answered, body_fr="Bonjour {{ name }}, {{ reference }}")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["body_fr"]
    assert any("{{ name }}" in error for error in errors)
    assert any("{{ message }}" in error for error in errors)
    answered.refresh_from_db()
    assert answered.body_fr == before


def test_the_preview_shows_both_languages_and_saves_nothing(dpo_client, answered):
    before = (answered.body_fr, answered.updated_at)
    response = dpo_client.post(
        change_url(answered),
        form_data(
            answered,
            body_fr="Essai {{ received_on }}.\n{{ message }} {{ reference }}",
            _preview="1",
        ),
    )
    assert response.status_code == 200
    [fr, nl] = response.context["previews"]
    assert "Essai 10 mars 2026." in fr[2]
    assert "AIM-2026-000123" in fr[2]
    assert "Geachte" in nl[2]
    html = response.content.decode()
    assert "Essai 10 mars 2026." in html
    # The form keeps what was typed, to be saved with the ordinary button.
    assert "Essai {{ received_on }}." in html
    answered.refresh_from_db()
    assert (answered.body_fr, answered.updated_at) == before


def test_no_template_is_added_or_deleted(dpo_client, answered):
    assert dpo_client.get(reverse("admin:rights_requests_emailtemplate_add")).status_code == 403
    delete = reverse("admin:rights_requests_emailtemplate_delete", args=[answered.pk])
    assert dpo_client.post(delete, {"post": "yes"}).status_code == 403
    assert EmailTemplate.objects.count() == len(EmailTemplate.Kind.values)


@pytest.mark.parametrize("person", ["editor", "staff_without_access"])
def test_only_the_dpo_group_sees_the_templates(client, request, answered, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("admin:rights_requests_emailtemplate_changelist")).status_code == 403
    assert client.get(change_url(answered)).status_code == 403
    assert client.post(change_url(answered), form_data(answered, body_fr="x")).status_code == 403


def test_the_dpo_group_may_view_and_change_only():
    codenames = set(
        Group.objects.get(name="DPO")
        .permissions.filter(content_type__model="emailtemplate")
        .values_list("codename", flat=True)
    )
    assert codenames == {"view_emailtemplate", "change_emailtemplate"}
