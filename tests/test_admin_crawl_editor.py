"""What an Editor can open in the admin, object by object: the change page and the History page of
a real object of every registered model (issue #12).

The crawl in tests/requests/test_request_admin.py opens the index and app pages only; here each
model gets one object first (a crawl of empty lists proves nothing), and a model registered later
without a builder below makes the test fail until it gets one. An Editor drafts the notice and
reads the registry; the requests, the outbox, the accounts, the devices and the lock-out records
are not theirs: 403, and nothing of a requester on any page they can open.
"""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from notices.models import Notice
from notices.services import notice_version_create_draft
from requests import services
from requests.models import DataSubjectRequest, Notification, RoutingCount
from tests.registry import factories

pytestmark = pytest.mark.django_db

NAME = "Zebulon Markerfield"
EMAIL = "zebulon.markerfield@example.org"
MARKERS = ["Markerfield", "markerfield", "Quokka-crawl-marker"]

# Apps whose pages an Editor never opens, whatever a future permission change says.
NEVER_FOR_EDITORS = {"rights_requests", "auth", "axes", "otp_totp"}
# Apps an Editor works with: they hold at least the view permission on each model, except these
# (where the DPO found each contact channel, and when it was checked: the DPO's own work, never
# granted to Editors by the registry's migrations).
EDITORS_APPS = {"notices", "registry"}
DPO_ONLY_MODELS = {"registry.ChannelSource"}


def _request():
    _created, token = services.request_submit(
        data={
            "right": "access",
            "name": NAME,
            "email": EMAIL,
            "phone": "+32 2 555 01 23",
            "description": "Quokka-crawl-marker: my reimbursements of 2024.",
        },
        language="fr",
    )
    return services.request_confirm(token=token)


def _axes(model):
    fields = {
        "username": "zebulon.markerfield",
        "ip_address": "198.51.100.10",
        "user_agent": "crawl",
        "http_accept": "text/html",
        "path_info": "/fr/admin/login/",
    }
    if model is AccessAttempt:
        fields.update(get_data="", post_data="", failures_since_start=1)
    if model is AccessFailureLog:
        fields.update(locked_out=False)
    return model.objects.create(**fields)


def _email_template():
    from requests.models import EmailTemplate

    return EmailTemplate.objects.get_or_create(
        kind=EmailTemplate.Kind.CLOSED,
        defaults={"subject_fr": "Clôture", "subject_nl": "Afsluiting", "body": "Bonjour,"},
    )[0]


def _activity():
    return factories.ProcessingActivityFactory(complete=True)


# One builder per registered model (app_label.ModelName): it returns an object of that model.
BUILDERS = {
    "auth.Group": lambda people: Group.objects.get(name="DPO"),
    "auth.User": lambda people: people["dpo"],
    "axes.AccessAttempt": lambda people: _axes(AccessAttempt),
    "axes.AccessFailureLog": lambda people: _axes(AccessFailureLog),
    "axes.AccessLog": lambda people: _axes(AccessLog),
    "otp_totp.TOTPDevice": lambda people: TOTPDevice.objects.create(
        user=people["dpo"], name="phone", confirmed=True
    ),
    "notices.Notice": lambda people: Notice.objects.create(
        slug="declaration", title_fr="Déclaration", title_nl="Verklaring"
    ),
    "notices.NoticeVersion": lambda people: notice_version_create_draft(
        notice=Notice.objects.get(slug="declaration")
    ),
    "registry.Organisation": lambda people: factories.OrganisationFactory(),
    "registry.DataProtectionOfficer": lambda people: factories.DataProtectionOfficerFactory(),
    "registry.ChannelSource": lambda people: factories.ChannelSourceFactory(),
    "registry.LegalBasis": lambda people: factories.LegalBasisFactory(),
    "registry.DataCategory": lambda people: factories.DataCategoryFactory(),
    "registry.DataSubjectCategory": lambda people: factories.DataSubjectCategoryFactory(),
    "registry.Recipient": lambda people: factories.RecipientFactory(),
    "registry.RetentionRule": lambda people: factories.RetentionRuleFactory(),
    "registry.ProcessingActivity": lambda people: _activity(),
    "registry.Transfer": lambda people: factories.TransferFactory(),
    "rights_requests.DataSubjectRequest": lambda people: _request(),
    "rights_requests.Notification": lambda people: Notification.objects.filter(
        request__email=EMAIL
    ).first(),
    "rights_requests.RoutingCount": lambda people: RoutingCount.objects.create(
        day=datetime.date(2026, 3, 10), language="fr", topic="aim_data", right="access", count=1
    ),
    "rights_requests.EmailTemplate": lambda people: _email_template(),
}


def registered_models():
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.fixture
def objects(dpo, editor):
    """One real object of every registered model, built in BUILDERS' order."""
    people = {"dpo": dpo, "editor": editor}
    built = {}
    for label, build in BUILDERS.items():
        built[label] = build(people)
    missing = [m._meta.label for m in registered_models() if m._meta.label not in BUILDERS]
    assert not missing, f"Give these registered models a builder: {missing}"
    for label, obj in built.items():
        assert obj is not None and obj.pk is not None, label
    assert DataSubjectRequest.objects.get().status == DataSubjectRequest.Status.NEW
    return built


def pages(model, obj):
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    return {
        "change": reverse(f"{info}_change", args=[obj.pk]),
        "history": reverse(f"{info}_history", args=[obj.pk]),
    }


def may_see(user, model):
    opts = model._meta
    return any(
        user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
        for action in ("view", "change")
    )


def test_the_editors_permissions_are_what_the_crawl_expects(editor):
    for model in registered_models():
        app = model._meta.app_label
        if app in NEVER_FOR_EDITORS or model._meta.label in DPO_ONLY_MODELS:
            assert not may_see(editor, model), model._meta.label
        else:
            assert app in EDITORS_APPS, f"Say whether Editors use {model._meta.label}"
            assert may_see(editor, model), model._meta.label


def test_an_editor_opens_each_objects_pages_as_their_permissions_say(client, editor, objects):
    client.force_login(editor)
    opened = []
    for model in registered_models():
        obj = objects[model._meta.label]
        allowed = may_see(editor, model)
        can_change = editor.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")
        for kind, url in pages(model, obj).items():
            response = client.get(url)
            if not allowed:
                assert response.status_code == 403, (url, response.status_code)
                continue
            assert response.status_code == 200, (url, response.status_code)
            opened.append(url)
            html = response.content.decode()
            for marker in MARKERS:
                assert marker not in html, (url, marker)
            if kind == "change" and not can_change:
                # Read-only for a reader: no form to save.
                assert 'name="_save"' not in html, url

    # The crawl did open the pages it should: every registry and notices object.
    expected = {
        url
        for model in registered_models()
        if model._meta.app_label in EDITORS_APPS and model._meta.label not in DPO_ONLY_MODELS
        for url in pages(model, objects[model._meta.label]).values()
    }
    assert set(opened) == expected


def test_no_post_from_an_editor_changes_a_request(client, editor, objects):
    subject_request = objects["rights_requests.DataSubjectRequest"]
    client.force_login(editor)
    change = pages(DataSubjectRequest, subject_request)["change"]

    response = client.post(change, {"status": DataSubjectRequest.Status.CLOSED, "name": "X"})

    assert response.status_code == 403
    subject_request.refresh_from_db()
    assert subject_request.status == DataSubjectRequest.Status.NEW
    assert subject_request.name == NAME
