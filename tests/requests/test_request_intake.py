"""The DPO records a request that came by e-mail, post, phone or in person (requests/intake.py):
the clock runs from the day it reached AIM, an acknowledgement goes out when there is an
address to send it to, and only the DPO group can do it."""

import datetime

import pytest
import time_machine
from django.contrib.admin.models import ADDITION, LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from requests import intake
from requests.models import DataSubjectRequest, Notification, ReferenceCounter, RequestEvent
from requests.models.requests import INVISIBLE_MESSAGE

pytestmark = pytest.mark.django_db

Status = DataSubjectRequest.Status
Channel = DataSubjectRequest.Channel

# Noon in Brussels on Tuesday 10 March 2026.
NOW = datetime.datetime(2026, 3, 10, 11, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 10)
TEN_DAYS_AGO = datetime.date(2026, 2, 28)

ADD = "admin:rights_requests_datasubjectrequest_add"
CHANGELIST = "admin:rights_requests_datasubjectrequest_changelist"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def letter(**changes):
    """What the DPO types for a letter received ten days ago, without an e-mail address."""
    return {
        "channel": Channel.POST,
        "received_on": TEN_DAYS_AGO.isoformat(),
        "right": "access",
        "name": "Marguerite  Van den Bossche",
        "email": "",
        "phone": "",
        "postal_address": "Rue des Tanneurs 12\r\n\r\n1000 Bruxelles",
        "language": "fr",
        "description": "Asks for a copy of the data AIM holds about her (letter of 27 February).",
        **changes,
    }


@pytest.fixture
def post(dpo_client, django_capture_on_commit_callbacks):
    def _post(data):
        with django_capture_on_commit_callbacks(execute=True):
            return dpo_client.post(reverse(ADD), data)

    return _post


def in_french(message):
    with translation.override("fr"):
        return str(translation.gettext(message))


def form_errors(response):
    return response.context["form"].errors


# --- Recording ---------------------------------------------------------------------------------


def test_a_letter_without_email_enters_the_queue_due_one_month_after_receipt(dpo_client, post, dpo):
    response = post(letter())

    request = DataSubjectRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:rights_requests_datasubjectrequest_change", args=[request.pk]
    )
    assert request.reference == "AIM-2026-000001"
    assert request.status == Status.NEW
    assert request.channel == Channel.POST
    # The clock runs from the day the letter arrived, not from today's typing.
    assert request.received_on == TEN_DAYS_AGO
    assert request.due_on == datetime.date(2026, 3, 28)
    assert request.confirmed_at == NOW
    assert request.name == "Marguerite Van den Bossche"
    assert request.postal_address == "Rue des Tanneurs 12\n1000 Bruxelles"
    assert request.email == ""
    event = request.events.get()
    assert (event.kind, event.actor) == (RequestEvent.Kind.ENTERED, dpo)
    assert event.text == in_french(Channel.POST.label)
    # Nobody to e-mail: no acknowledgement row, nothing sent.
    assert not request.notifications.exists()
    assert mail.outbox == []
    entry = LogEntry.objects.get(object_id=str(request.pk))
    assert (entry.action_flag, entry.object_repr) == (ADDITION, request.reference)
    page = dpo_client.get(response["Location"])
    [message] = [str(m) for m in page.context["messages"]]
    assert request.reference in message
    # It is in the queue, open, like a confirmed request.
    queue = dpo_client.get(reverse(CHANGELIST))
    assert [obj.pk for obj in queue.context["cl"].result_list] == [request.pk]


@pytest.mark.parametrize(
    ("language", "received", "due"),
    [("fr", "28 février 2026", "28 mars 2026"), ("nl", "28 februari 2026", "28 maart 2026")],
)
def test_with_an_email_the_requester_is_acknowledged_in_their_language(
    post, language, received, due
):
    post(letter(channel=Channel.EMAIL, email="m.vdb@example.org", language=language))

    request = DataSubjectRequest.objects.get()
    notification = request.notifications.get()
    assert notification.kind == Notification.Kind.ACKNOWLEDGE
    [email] = mail.outbox
    assert email.to == ["m.vdb@example.org"]
    assert request.reference in email.subject
    assert received in email.body
    assert due in email.body
    # The acknowledgement never repeats what was typed about the requester.
    assert "Marguerite" not in email.body
    assert "Tanneurs" not in email.body
    assert [e.kind for e in request.events.all()] == [
        RequestEvent.Kind.ENTERED,
        RequestEvent.Kind.EMAIL,
    ]


def test_the_reference_is_of_the_year_of_entry_and_the_clock_of_receipt(dpo):
    with time_machine.travel(datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)):
        request = intake.request_enter(
            data=service_data(received_on=datetime.date(2025, 12, 20)), by=dpo
        )
    assert request.reference == "AIM-2026-000001"
    assert request.due_on == datetime.date(2026, 1, 20)


def test_the_phone_is_stored_in_international_form(post):
    post(letter(channel=Channel.PHONE, phone="0470 12 34 56"))
    assert DataSubjectRequest.objects.get().phone == "+32 470 12 34 56"


# --- What is refused, with a message on the form, and nothing saved -----------------------------


def assert_nothing_saved():
    assert not DataSubjectRequest.objects.exists()
    assert not ReferenceCounter.objects.filter(last__gt=0).exists()
    assert mail.outbox == []


def test_an_email_or_a_postal_address_is_needed(post):
    response = post(letter(postal_address="  \r\n "))
    assert response.status_code == 200
    expected = in_french(intake.NO_ADDRESS_MESSAGE)
    assert response.context["form"].non_field_errors() == [expected]
    assert escape(expected) in response.content.decode()
    assert response.content.decode().count("errornote") == 1
    assert_nothing_saved()


@pytest.mark.parametrize(
    ("day", "accepted"),
    [
        ("2026-03-11", False),  # tomorrow
        ("2026-03-10", True),  # today
        ("2025-03-10", True),  # a year ago: the limit
        ("2025-03-09", False),  # the day before
        ("2016-03-01", False),  # a mistyped year
    ],
)
def test_the_day_of_receipt_is_not_in_the_future_nor_over_a_year_ago(post, day, accepted):
    response = post(letter(received_on=day))
    if accepted:
        assert response.status_code == 302
        assert DataSubjectRequest.objects.get().received_on.isoformat() == day
    else:
        assert response.status_code == 200
        assert list(form_errors(response)) == ["received_on"]
        assert_nothing_saved()


def test_each_missing_field_has_its_own_message(post):
    empty = dict.fromkeys(letter(), "")
    response = post(empty)
    assert response.status_code == 200
    errors = form_errors(response)
    assert errors["channel"] == [in_french("Choose how the request reached AIM.")]
    assert errors["received_on"] == [in_french("Give the day the request reached AIM.")]
    assert errors["name"] == [in_french("Give the requester's name.")]
    assert errors["language"] == [in_french("Choose the requester's language.")]
    assert errors["description"] == [in_french("Describe what the requester asked.")]
    assert set(errors) >= {"right", "__all__"}
    assert_nothing_saved()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Marguerite\u202eVan"),  # a text-direction override
        ("name", "Marguerite\nVan"),
        ("postal_address", "Rue des Tanneurs 12\u200f\n1000 Bruxelles"),
    ],
)
def test_invisible_characters_are_refused_as_on_the_public_form(post, field, value):
    response = post(letter(**{field: value}))
    assert response.status_code == 200
    assert form_errors(response)[field] == [in_french(INVISIBLE_MESSAGE)]
    assert_nothing_saved()


def test_the_web_channel_and_bad_phones_are_refused(post):
    response = post(letter(channel=Channel.WEB, phone="call me"))
    assert set(form_errors(response)) == {"channel", "phone"}
    assert_nothing_saved()


# --- The service itself, whatever the form --------------------------------------------------


def service_data(**changes):
    data = letter(**changes)
    if isinstance(data["received_on"], str):
        data["received_on"] = datetime.date.fromisoformat(data["received_on"])
    return data


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"channel": Channel.WEB}, "channel"),
        ({"received_on": datetime.date(2026, 3, 11)}, "received_on"),
        ({"received_on": datetime.date(2025, 3, 9)}, "received_on"),
        ({"received_on": None}, "received_on"),
        ({"postal_address": "", "email": ""}, "__all__"),
        ({"name": "Marguerite\u2066Van"}, "name"),
        ({"phone": "+32\u200e470"}, "phone"),
        ({"postal_address": "Rue\u202e 12"}, "postal_address"),
        ({"language": "en"}, "language"),
        ({"description": " "}, "description"),
    ],
)
def test_the_service_refuses_what_the_form_would(dpo, changes, field):
    with pytest.raises(ValidationError) as error:
        intake.request_enter(data=service_data(**changes), by=dpo)
    assert field in error.value.message_dict
    assert_nothing_saved()


@pytest.mark.parametrize("person", ["editor", "staff_without_access"])
def test_only_the_dpo_group_records_a_request(client, request, person):
    user = request.getfixturevalue(person)
    client.force_login(user)
    assert client.get(reverse(ADD)).status_code == 403
    assert client.post(reverse(ADD), letter()).status_code == 403
    with pytest.raises(PermissionDenied):
        intake.request_enter(data=service_data(), by=user)
    assert_nothing_saved()


def test_the_queue_offers_the_page_to_the_dpo_and_it_follows_the_csp(dpo_client):
    queue = dpo_client.get(reverse(CHANGELIST)).content.decode()
    assert f'href="{reverse(ADD)}"' in queue
    assert in_french("Record a request") in queue
    page = dpo_client.get(reverse(ADD))
    assert page.status_code == 200
    html = page.content.decode()
    # The channel offers the four ways a request reaches the DPO, never the portal's form.
    choices = [value for value, _label in page.context["form"].fields["channel"].choices]
    assert choices == ["", "email", "post", "phone", "in_person"]
    # A plain form, not the model's: no status, no assignee, nothing to edit freely.
    assert 'name="status"' not in html and 'name="assignee"' not in html
    assert " style=" not in html and "<style" not in html
    assert dpo_client.put(reverse(ADD)).status_code == 405
