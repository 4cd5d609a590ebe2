"""Assigning a request to a member of the DPO group, reassigning it, unassigning it: only active
members can hold one, and only the DPO group assigns (requests/intake.py, admin/assign.py)."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from requests import intake, services
from requests.models import DataSubjectRequest, RequestEvent

pytestmark = pytest.mark.django_db

Status = DataSubjectRequest.Status
Kind = RequestEvent.Kind


def url(name, obj):
    return reverse(f"admin:rights_requests_datasubjectrequest_{name}", args=[obj.pk])


def in_french(message):
    with translation.override("fr"):
        return str(translation.gettext(message))


@pytest.fixture
def open_request(dpo):
    return intake.request_enter(
        data={
            "channel": DataSubjectRequest.Channel.POST,
            "received_on": datetime.date.today(),
            "right": "access",
            "name": "Jan Peeters",
            "email": "",
            "phone": "",
            "postal_address": "Bolwerklaan 1\n1210 Brussel",
            "language": "nl",
            "description": "Inzage.",
        },
        by=dpo,
    )


@pytest.fixture
def colleague(django_user_model):
    user = django_user_model.objects.create_user(
        username="colleague", first_name="Ann", last_name="Claes", is_staff=True
    )
    user.groups.add(Group.objects.get(name=intake.DPO_GROUP))
    return user


@pytest.fixture
def former(django_user_model):
    """Was in the DPO group; their account is now inactive."""
    user = django_user_model.objects.create_user(username="former", is_staff=True, is_active=False)
    user.groups.add(Group.objects.get(name=intake.DPO_GROUP))
    return user


def choices(response):
    return list(response.context["form"].fields["assignee"].queryset)


def test_the_page_lists_active_dpo_members_only(
    dpo_client, dpo, colleague, former, editor, open_request
):
    page = dpo_client.get(url("assign", open_request))
    assert page.status_code == 200
    assert set(choices(page)) == {dpo, colleague}
    html = page.content.decode()
    assert "Ann Claes (colleague)" in html
    assert escape(in_french("Nobody (unassign)")) in html
    assert " style=" not in html and "<style" not in html


def test_assign_reassign_and_unassign(dpo_client, dpo, colleague, open_request):
    change = dpo_client.get(url("change", open_request)).content.decode()
    assert f'href="{url("assign", open_request)}"' in change
    assert in_french("Assign") in change

    response = dpo_client.post(url("assign", open_request), {"assignee": colleague.pk})
    assert response.status_code == 302
    assert response["Location"] == url("change", open_request)
    open_request.refresh_from_db()
    assert open_request.assignee == colleague
    # The button now says what it does; the select starts on the current holder.
    assert in_french("Reassign") in dpo_client.get(url("change", open_request)).content.decode()
    page = dpo_client.get(url("assign", open_request))
    assert page.context["form"]["assignee"].value() == colleague.pk

    dpo_client.post(url("assign", open_request), {"assignee": dpo.pk})
    open_request.refresh_from_db()
    assert open_request.assignee == dpo

    dpo_client.post(url("assign", open_request), {"assignee": ""})
    open_request.refresh_from_db()
    assert open_request.assignee is None

    events = open_request.events.filter(kind=Kind.ASSIGNED).order_by("pk")
    assert [(e.text, e.actor) for e in events] == [("colleague", dpo), ("dpo", dpo), ("", dpo)]
    assert LogEntry.objects.filter(object_id=str(open_request.pk)).count() == 3


def test_a_member_who_left_the_group_can_no_longer_be_chosen(
    dpo_client, dpo, colleague, open_request
):
    page = dpo_client.get(url("assign", open_request))
    assert colleague in choices(page)
    colleague.groups.clear()  # leaves while the page is open

    response = dpo_client.post(url("assign", open_request), {"assignee": colleague.pk})

    assert response.status_code == 200
    assert "assignee" in response.context["form"].errors
    open_request.refresh_from_db()
    assert open_request.assignee is None
    assert not open_request.events.filter(kind=Kind.ASSIGNED).exists()


def test_the_page_says_when_the_holder_left_the_group(dpo_client, dpo, colleague, open_request):
    services.request_assign(subject_request=open_request, to=colleague, by=dpo)
    colleague.groups.clear()
    form = dpo_client.get(url("assign", open_request)).context["form"]
    assert form["assignee"].value() is None
    assert "Ann Claes (colleague)" in str(form.fields["assignee"].help_text)


@pytest.mark.parametrize("who", ["editor", "former", "staff_without_access"])
def test_the_service_refuses_anyone_outside_the_active_dpo_group(request, dpo, open_request, who):
    with pytest.raises(ValidationError) as error:
        intake.request_assign_member(
            subject_request=open_request, to=request.getfixturevalue(who), by=dpo
        )
    assert "assignee" in error.value.message_dict
    open_request.refresh_from_db()
    assert open_request.assignee is None


@pytest.mark.parametrize("person", ["editor", "staff_without_access"])
def test_only_the_dpo_group_assigns(client, request, dpo, open_request, person):
    user = request.getfixturevalue(person)
    client.force_login(user)
    assert client.get(url("assign", open_request)).status_code == 403
    assert client.post(url("assign", open_request), {"assignee": dpo.pk}).status_code == 403
    with pytest.raises(PermissionDenied):
        intake.request_assign_member(subject_request=open_request, to=dpo, by=user)
    open_request.refresh_from_db()
    assert open_request.assignee is None


def test_a_closed_request_offers_no_assignment(dpo_client, dpo, open_request):
    services.request_set_status(subject_request=open_request, status=Status.CLOSED, by=dpo)
    change = dpo_client.get(url("change", open_request)).content.decode()
    assert url("assign", open_request) not in change
    page = dpo_client.get(url("assign", open_request))
    assert page.context["refusal"] == in_french("This request is no longer open.")
    response = dpo_client.post(url("assign", open_request), {"assignee": dpo.pk})
    assert response.status_code == 200
    open_request.refresh_from_db()
    assert open_request.assignee is None


def test_assign_to_me_refuses_a_superuser_outside_the_dpo_group(
    client, admin_user, dpo, open_request
):
    client.force_login(admin_user)
    changelist = reverse("admin:rights_requests_datasubjectrequest_changelist")
    client.post(changelist, {"action": "assign_to_me", "_selected_action": [open_request.pk]})
    open_request.refresh_from_db()
    assert open_request.assignee is None
