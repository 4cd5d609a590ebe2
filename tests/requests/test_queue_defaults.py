"""The queue a DPO opens: open requests first, every request one click away, search by what a
requester gives on the phone (a reference, a name, an address), a fixed cost per page."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from requests import intake, services
from requests.admin.queue import DataSubjectRequestAdmin
from requests.models import DataSubjectRequest

pytestmark = pytest.mark.django_db

Status = DataSubjectRequest.Status
CHANGELIST = reverse("admin:rights_requests_datasubjectrequest_changelist")


@pytest.fixture
def enter(dpo):
    numbers = itertools.count(1)

    def _enter(status=None, **changes):
        number = next(numbers)
        data = {
            "channel": "post",
            "received_on": datetime.date.today(),
            "right": "access",
            "name": f"Requester {number}",
            "email": f"requester{number}@example.org",
            "phone": "",
            "postal_address": "",
            "language": "fr",
            "description": "A request.",
            **changes,
        }
        request = intake.request_enter(data=data, by=dpo)
        if status:
            services.request_set_status(subject_request=request, status=status, by=dpo)
        return request

    return _enter


def listed(response):
    assert response.status_code == 200
    return {obj.pk for obj in response.context["cl"].result_list}


@pytest.fixture
def every_status(enter, dpo):
    new = enter()
    in_progress = enter(status=Status.IN_PROGRESS)
    waiting = enter(status=Status.WAITING)
    extended = enter()
    services.request_extend(subject_request=extended, reason="Ten years.", by=dpo)
    answered = enter(status=Status.ANSWERED)
    refused = enter(status=Status.REFUSED)
    closed = enter(status=Status.CLOSED)
    return {
        "open": {new.pk, in_progress.pk, waiting.pk, extended.pk},
        "closed": {answered.pk, refused.pk, closed.pk},
    }


def status_filter(response):
    return response.context["cl"].filter_specs[0]


def test_the_queue_opens_on_open_requests(dpo_client, every_status):
    response = dpo_client.get(CHANGELIST)
    assert listed(response) == every_status["open"]
    choices = list(status_filter(response).choices(response.context["cl"]))
    [selected] = [choice for choice in choices if choice["selected"]]
    with translation.override("fr"):
        assert selected["display"] == translation.gettext("Open")


def test_all_really_lists_every_request_through_the_filters_own_link(dpo_client, every_status):
    response = dpo_client.get(CHANGELIST)
    choices = list(status_filter(response).choices(response.context["cl"]))
    with translation.override("fr"):
        all_label = translation.gettext("All")
    [everything] = [choice for choice in choices if choice["display"] == all_label]
    # The link the admin renders, followed as a person would.
    assert f'href="{everything["query_string"]}"' in response.content.decode().replace("&amp;", "&")
    response = dpo_client.get(CHANGELIST + everything["query_string"])
    assert listed(response) == every_status["open"] | every_status["closed"]
    [selected] = [
        c for c in status_filter(response).choices(response.context["cl"]) if c["selected"]
    ]
    assert selected["display"] == all_label


def test_each_status_and_open_have_their_link(dpo_client, every_status, dpo):
    answered = listed(dpo_client.get(CHANGELIST, {"status": Status.ANSWERED}))
    assert len(answered) == 1 and answered < every_status["closed"]
    assert listed(dpo_client.get(CHANGELIST, {"status": "open"})) == every_status["open"]
    # "No running deadline" is about finished requests: it is not cut down to open ones.
    assert listed(dpo_client.get(CHANGELIST, {"deadline": "closed"})) == every_status["closed"]


def test_search_by_part_of_a_reference_name_or_email(dpo_client, enter):
    marguerite = enter(name="Marguerite Van den Bossche", email="m.vdb@Example.org")
    jan = enter(name="Jan Peeters", email="jan.peeters@example.be")
    closed = enter(name="Closed Vandenbossche", status=Status.CLOSED)

    def search(text, **params):
        return listed(dpo_client.get(CHANGELIST, {"q": text, **params}))

    assert search("van den bossche") == {marguerite.pk}
    assert search("PEETERS") == {jan.pk}
    assert search("m.vdb@example") == {marguerite.pk}
    assert search("example.be") == {jan.pk}
    assert search(jan.reference) == {jan.pk}
    assert search(jan.reference[-3:]) == {jan.pk}
    # The search keeps to the status filter; "All" searches the closed ones too.
    assert search("vandenbossche") == set()
    assert search("vandenbossche", status="all") == {closed.pk}
    html = dpo_client.get(CHANGELIST).content.decode()
    with translation.override("fr"):
        assert escape(str(DataSubjectRequestAdmin.search_help_text)) in html


def test_received_by_filter_and_columns(dpo_client, enter):
    letter = enter(channel="post")
    call = enter(channel="phone", email="", postal_address="Rue 1, 1000 Bruxelles")
    response = dpo_client.get(CHANGELIST, {"channel__exact": "phone"})
    assert listed(response) == {call.pk}
    # Offered as a filter of its own, with every channel.
    [channel] = [
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "field_path", None) == "channel"
    ]
    offered = {choice["display"] for choice in channel.choices(response.context["cl"])}
    with translation.override("fr"):
        assert {str(label) for label in DataSubjectRequest.Channel.labels} < offered
    html = dpo_client.get(CHANGELIST).content.decode()
    assert '<span class="requester__name">Requester 1</span>' in html
    assert "requester1@example.org" in html
    assert letter.reference in html


def test_the_changelist_costs_the_same_for_3_or_30_requests(dpo_client, dpo, enter):
    def create(count):
        for number in range(count):
            request = enter(language="nl" if number % 2 else "fr")
            if number % 3 == 0:
                services.request_assign(subject_request=request, to=dpo, by=dpo)

    def queries(**params):
        with CaptureQueriesContext(connection) as context:
            assert dpo_client.get(CHANGELIST, params).status_code == 200
        return len(context.captured_queries)

    create(3)
    dpo_client.get(CHANGELIST)  # warm-up: session, content types, permissions
    few = {params: queries(**dict([params])) for params in [("status", "open"), ("q", "req")]}
    create(27)
    assert DataSubjectRequest.objects.open().count() == 30
    many = {params: queries(**dict([params])) for params in few}
    assert many == few
