"""The extension of Art. 12(3): only within the month of receipt, and only once.

The requester must be told of an extension "within one month of receipt of the request": the
due day itself is still within it; from the next day, in Brussels, the extension is refused
(by the service, and by the admin, which neither offers nor accepts it)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from requests import services
from requests.models import DataSubjectRequest, Notification, RequestEvent

pytestmark = pytest.mark.django_db

Status = DataSubjectRequest.Status
Kind = RequestEvent.Kind
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")

# The case: received on 2 February 2026, due on 2 March, "extended" on 20 March.
RECEIVED_ON = datetime.date(2026, 2, 2)
DUE_ON = datetime.date(2026, 3, 2)
EXTENDED_DUE_ON = datetime.date(2026, 5, 2)


def at(day, hour=12, minute=0):
    """A moment in Brussels."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BRUSSELS)


@pytest.fixture
def received(django_capture_on_commit_callbacks):
    """A request received and confirmed on RECEIVED_ON, in French."""
    data = {
        "right": "access",
        "name": "Clock Requester",
        "email": "clock@example.org",
        "phone": "",
        "description": "My reimbursements of 2025.",
    }
    with (
        time_machine.travel(at(RECEIVED_ON), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        subject_request, token = services.request_submit(data=data, language="fr")
        subject_request = services.request_confirm(token=token)
    assert subject_request.due_on == DUE_ON
    mail.outbox.clear()
    return subject_request


def extend(subject_request, when, dpo, capture, reason="Ten years of data."):
    with time_machine.travel(when, tick=False), capture(execute=True):
        return services.request_extend(subject_request=subject_request, reason=reason, by=dpo)


def assert_not_extended(subject_request):
    """Nothing changed: status, due date, timeline, outbox, e-mails."""
    subject_request.refresh_from_db()
    assert subject_request.status == Status.NEW
    assert subject_request.due_on == DUE_ON
    assert subject_request.extension_reason == ""
    assert not subject_request.events.filter(kind=Kind.EXTENDED).exists()
    assert not subject_request.notifications.filter(kind=Notification.Kind.EXTENDED).exists()
    assert mail.outbox == []


def in_french(message):
    with translation.override("fr"):
        return translation.gettext(message)


# --- The service -----------------------------------------------------------------------------


def test_an_extension_within_the_month_is_accepted(
    received, dpo, django_capture_on_commit_callbacks
):
    extended = extend(
        received, at(datetime.date(2026, 2, 20)), dpo, django_capture_on_commit_callbacks
    )

    assert extended.status == Status.EXTENDED
    assert extended.due_on == EXTENDED_DUE_ON
    assert extended.events.filter(kind=Kind.EXTENDED).count() == 1
    [email] = mail.outbox
    assert email.to == ["clock@example.org"]


def test_an_extension_on_the_due_day_itself_is_accepted(
    received, dpo, django_capture_on_commit_callbacks
):
    # Late in the evening of the due day, in Brussels: still "within one month".
    extended = extend(received, at(DUE_ON, 23, 30), dpo, django_capture_on_commit_callbacks)

    assert extended.due_on == EXTENDED_DUE_ON
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "when",
    [
        # Half past midnight in Brussels is still 2 March in UTC: the portal's day counts.
        at(DUE_ON + datetime.timedelta(days=1), 0, 30),
        at(DUE_ON + datetime.timedelta(days=1), 9, 0),
        at(datetime.date(2026, 3, 20)),  # the case of the issue
    ],
    ids=["just-after-midnight", "next-morning", "eighteen-days-late"],
)
def test_an_extension_after_the_due_day_is_refused_and_changes_nothing(
    received, dpo, django_capture_on_commit_callbacks, when
):
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        extend(received, when, dpo, django_capture_on_commit_callbacks)

    # In the DPO's language, with the missed deadline in words.
    [message] = refused.value.messages
    assert "2 maart 2026" in message
    assert refused.value.code == "not_extendable"
    assert_not_extended(received)


def test_a_second_extension_is_refused_even_once_the_status_moved_on(
    received, dpo, django_capture_on_commit_callbacks
):
    extend(received, at(datetime.date(2026, 2, 10)), dpo, django_capture_on_commit_callbacks)
    with time_machine.travel(at(datetime.date(2026, 2, 11)), tick=False):
        services.request_set_status(subject_request=received, status=Status.WAITING, by=dpo)
    mail.outbox.clear()

    with pytest.raises(ValidationError) as refused:
        extend(received, at(datetime.date(2026, 2, 12)), dpo, django_capture_on_commit_callbacks)

    assert refused.value.messages == [in_french("This request has already been extended.")]
    received.refresh_from_db()
    assert received.status == Status.WAITING
    assert received.due_on == EXTENDED_DUE_ON
    assert received.events.filter(kind=Kind.EXTENDED).count() == 1
    assert mail.outbox == []


# --- The admin -------------------------------------------------------------------------------


def url(name, subject_request):
    return reverse(f"admin:rights_requests_datasubjectrequest_{name}", args=[subject_request.pk])


@pytest.fixture
def post(dpo_client, django_capture_on_commit_callbacks):
    def _post(address, data):
        with django_capture_on_commit_callbacks(execute=True):
            return dpo_client.post(address, data)

    return _post


def test_the_admin_extends_on_the_due_day(dpo_client, post, received):
    with time_machine.travel(at(DUE_ON, 17), tick=False):
        assert url("extend", received) in dpo_client.get(url("change", received)).content.decode()
        page = dpo_client.get(url("extend", received))
        assert page.context["refusal"] is None
        assert 'name="reason"' in page.content.decode()
        response = post(url("extend", received), {"reason": "Ten years of data."})

    assert response.status_code == 302
    received.refresh_from_db()
    assert received.due_on == EXTENDED_DUE_ON
    assert len(mail.outbox) == 1


def test_the_admin_neither_offers_nor_accepts_an_extension_after_the_due_day(
    dpo_client, post, received
):
    expected = in_french(
        "The deadline of %(date)s has passed: an extension must be decided and told to the "
        "requester within one month of receipt (GDPR Art. 12(3)). Answer the request now."
    ) % {"date": "2 mars 2026"}

    with time_machine.travel(at(datetime.date(2026, 3, 20)), tick=False):
        change = dpo_client.get(url("change", received)).content.decode()
        page = dpo_client.get(url("extend", received))
        response = post(url("extend", received), {"reason": "Ten years of data."})

    # The change page has no button for it, and says why.
    assert url("extend", received) not in change
    assert url("note", received) in change
    assert expected in change
    # The page itself shows the reason instead of the form.
    assert page.status_code == 200
    assert page.context["refusal"] == expected
    assert 'name="reason"' not in page.content.decode()
    assert "new_due_on" not in page.context
    # Posted anyway: refused with the same message, on the page, never a 500.
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [expected]
    assert expected in response.content.decode()
    assert_not_extended(received)
