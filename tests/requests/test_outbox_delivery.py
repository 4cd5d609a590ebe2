"""E-mail delivery by time, not by count, against a real SMTP server (aiosmtpd on loopback) and
Django's real SMTP backend.

An SMTP outage delays an e-mail and never loses it: every attempt backs off (1 minute,
doubling, at most an hour) until the row's give-up time, three days after it was written; then
it fails for good, the DPO is told (log, digest) and can put it back. A worker's lease on a row
keeps a relay from sending it a second time while the worker is still sending; a worker that
died leaves the lease to expire, and the row is sent again with the same Message-ID.

The clock is moved with time_machine; nothing sleeps except the slow SMTP server's reply.
"""

import asyncio
import datetime
import logging
import os
import socket
import threading
from email import message_from_bytes
from email import policy as email_policy

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from requests import outbox
from requests.digest import dpo_digest_queue
from requests.models import DataSubjectRequest, Notification
from requests.outbox import LEASE, notification_retry, notification_send, relay_pending
from requests.services import request_confirm, request_submit, unconfirmed_delete
from requests.tasks import send_notification

on_postgresql = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (row locks shared by two threads)",
)

START = datetime.datetime(2026, 3, 10, 8, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)
EMAIL = "marie.dubois@example.be"
NAME = "Marie Dubois"
DATA = {
    "right": "access",
    "name": NAME,
    "email": EMAIL,
    "description": "Quelles données l'AIM conserve-t-elle à mon sujet ?",
}
Status = Notification.Status


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingHandler:
    """Keeps every message the server accepts; then, optionally, is slow to say so (the reply
    to the end of DATA), as a loaded mail server is."""

    def __init__(self, reply_delay=0.0):
        self.reply_delay = reply_delay
        self.messages = []
        self.received = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=email_policy.default))
        self.received.set()
        if self.reply_delay:
            await asyncio.sleep(self.reply_delay)
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, port, *, reply_delay=0.0):
        self.handler = RecordingHandler(reply_delay)
        self.controller = Controller(
            self.handler, hostname="127.0.0.1", port=port, server_hostname="smtp.test"
        )

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc_info):
        self.controller.stop()

    @property
    def messages(self):
        return self.handler.messages

    def message_ids(self):
        return [message["Message-ID"] for message in self.messages]


@pytest.fixture
def smtp_port():
    """Django's real SMTP backend, pointed at a loopback port where nothing listens yet."""
    port = free_port()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_TIMEOUT=10,
    ):
        yield port


def new_notification(**fields):
    return Notification.objects.create(
        kind=Notification.Kind.ACKNOWLEDGE,
        to=EMAIL,
        subject="Accusé de réception",
        body=f"Bonjour {NAME},",
        **fields,
    )


def submit(django_capture_on_commit_callbacks):
    """A citizen's request; its confirmation e-mail is handed to Celery (eager) on commit."""
    with django_capture_on_commit_callbacks(execute=True):
        request, token = request_submit(data=DATA, language="fr")
    return request, token, Notification.objects.get(request=request)


# --- An SMTP outage delays the e-mail and loses nothing -------------------------------------


@pytest.mark.django_db
def test_thirty_minutes_without_smtp_delay_the_email_and_it_goes_out_once(
    smtp_port, django_capture_on_commit_callbacks
):
    with time_machine.travel(START, tick=False) as clock:
        request, _token, notification = submit(django_capture_on_commit_callbacks)
        notification.refresh_from_db()
        # The hand-off's attempt was refused: recorded by class name, tried again in a minute.
        assert (notification.status, notification.attempts) == (Status.PENDING, 1)
        assert notification.last_error == "ConnectionRefusedError"
        assert notification.next_attempt_at == START + MINUTE

        for _minute in range(30):
            clock.shift(MINUTE)
            relay_pending()
            send_notification.delay(notification.pk)  # a late or repeated hand-off

        notification.refresh_from_db()
        assert notification.status == Status.PENDING
        assert notification.sent_at is None
        assert notification.claimed_until is None
        # Backing off by time: tried at minutes 0, 1, 3, 7 and 15; next at 31.
        assert notification.attempts == 5
        assert notification.next_attempt_at == START + 31 * MINUTE
        assert notification.give_up_at == START + datetime.timedelta(days=3)

        with SmtpServer(smtp_port) as server:
            clock.shift(MINUTE)
            assert relay_pending() == 1
            for _hour in range(5):
                clock.shift(HOUR)
                assert relay_pending() == 0
                send_notification.delay(notification.pk)

        [message] = server.messages
        assert message["Message-ID"] == notification.message_id_header
        assert message["To"] == EMAIL
        notification.refresh_from_db()
        assert (notification.status, notification.attempts) == (Status.SENT, 6)
        assert notification.sent_at == START + 31 * MINUTE
        assert notification.claimed_until is None
        request.refresh_from_db()
        assert request.status == DataSubjectRequest.Status.UNCONFIRMED


@pytest.mark.django_db
def test_past_the_horizon_the_email_fails_for_good_the_request_is_kept_and_a_retry_sends_it(
    smtp_port, django_capture_on_commit_callbacks, client, dpo, caplog
):
    caplog.set_level(logging.WARNING, logger="requests.outbox")
    with time_machine.travel(START, tick=False) as clock:
        request, _token, notification = submit(django_capture_on_commit_callbacks)

        # Three days of refusals, an attempt at least every hour: far more than any count of
        # attempts, and still pending.
        for _hour in range(71):
            clock.shift(HOUR)
            relay_pending()
        notification.refresh_from_db()
        assert notification.status == Status.PENDING
        assert notification.attempts > 70
        # Submitted 71 hours ago, but the link never left: the request is not deleted.
        assert unconfirmed_delete() == 0

        clock.shift(HOUR + MINUTE)  # past created + 3 days
        caplog.clear()
        relay_pending()
        notification.refresh_from_db()
        assert notification.status == Status.FAILED
        attempts = notification.attempts
        [error] = [record for record in caplog.records if record.levelno == logging.ERROR]
        assert error.name == "requests.outbox"
        assert f"E-mail {notification.pk} (confirm) failed for good" in error.getMessage()
        for personal in (EMAIL, "example.be", NAME, "Dubois"):
            assert personal not in caplog.text

        # Failed for good: no more attempts, and the request stays for the DPO to see.
        for _day in range(7):
            clock.shift(datetime.timedelta(days=1))
            assert relay_pending() == 0
            send_notification.delay(notification.pk)
            assert unconfirmed_delete() == 0
        notification.refresh_from_db()
        assert (notification.status, notification.attempts) == (Status.FAILED, attempts)
        assert DataSubjectRequest.objects.filter(pk=request.pk).exists()

        # SMTP is back; the DPO finds the e-mail among the failed ones and retries it.
        client.force_login(dpo)
        changelist = reverse("admin:rights_requests_notification_changelist")
        listed = client.get(changelist, {"status__exact": Status.FAILED})
        assert [row.pk for row in listed.context["cl"].result_list] == [notification.pk]
        with SmtpServer(smtp_port) as server:
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(
                    changelist, {"action": "retry_now", "_selected_action": [notification.pk]}
                )
            assert response.status_code == 302
        assert server.message_ids() == [notification.message_id_header]
        notification.refresh_from_db()
        sent_at = notification.sent_at
        assert notification.status == Status.SENT
        assert notification.give_up_at == sent_at + datetime.timedelta(days=3)

        # The 48 hours of the link run from now, when it was sent.
        clock.shift(datetime.timedelta(hours=47))
        assert unconfirmed_delete() == 0
        clock.shift(datetime.timedelta(hours=2))
        assert unconfirmed_delete() == 1
        assert not DataSubjectRequest.objects.filter(pk=request.pk).exists()


@pytest.mark.django_db
def test_the_confirmation_link_is_valid_48_hours_from_when_it_was_sent(
    smtp_port, citizen, django_capture_on_commit_callbacks
):
    with time_machine.travel(START, tick=False) as clock:
        _late, late_token, late_email = submit(django_capture_on_commit_callbacks)
        with SmtpServer(smtp_port) as server:
            data = {**DATA, "email": "on.time@example.be"}
            with django_capture_on_commit_callbacks(execute=True):
                _on_time, on_time_token = request_submit(data=data, language="fr")
            assert len(server.messages) == 1
        for _hour in range(30):  # SMTP down for 30 hours for the first one
            clock.shift(HOUR)
            relay_pending()
        with SmtpServer(smtp_port) as server:
            clock.shift(HOUR)
            assert relay_pending() == 1
        late_email.refresh_from_db()
        assert late_email.sent_at == START + 31 * HOUR

        # 78 hours after sending: expired; 47 hours after sending (78 after submission): valid.
        clock.shift(datetime.timedelta(hours=47))
        confirm = "rights:request-confirm"
        assert citizen.get(reverse(confirm, kwargs={"token": on_time_token})).status_code == 410
        with pytest.raises(ValidationError) as refused:
            request_confirm(token=on_time_token)
        assert refused.value.code == "expired"
        assert citizen.get(reverse(confirm, kwargs={"token": late_token})).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            confirmed = request_confirm(token=late_token)
        assert confirmed.status == DataSubjectRequest.Status.NEW
        assert confirmed.reference


# --- Leases: a live worker keeps its row, a dead one's row is sent again ------------------


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["worker", "relay"])
def test_a_relay_and_a_worker_racing_on_one_row_deliver_it_once(smtp_port, first):
    notification = new_notification()
    calls = {"worker": lambda: notification_send(notification.pk), "relay": relay_pending}
    second = "relay" if first == "worker" else "worker"
    results, errors = {}, []

    def run(name):
        try:
            results[name] = calls[name]()
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    with SmtpServer(smtp_port, reply_delay=1.0) as server:
        sending = threading.Thread(target=run, args=(first,))
        sending.start()
        # The server has the message and takes a second to say so: the first is mid-send.
        assert server.handler.received.wait(timeout=10)
        racing = threading.Thread(target=run, args=(second,))
        racing.start()
        racing.join(timeout=30)
        sending.join(timeout=30)

    assert errors == []
    assert {name: bool(result) for name, result in results.items()} == {
        first: True,
        second: False,
    }
    assert server.message_ids() == [notification.message_id_header]
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.SENT, 1)
    assert notification.claimed_until is None


class WorkerDied(BaseException):
    """The worker process killed (OOM, deploy) at that point: nothing after it runs."""


@pytest.mark.django_db
@pytest.mark.parametrize("dies", ["before_sending", "after_the_server_accepted"])
def test_an_expired_lease_is_sent_again_with_the_same_message_id(smtp_port, monkeypatch, dies):
    def die(*args, **kwargs):
        raise WorkerDied

    with time_machine.travel(START, tick=False) as clock, SmtpServer(smtp_port) as server:
        notification = new_notification()
        with monkeypatch.context() as patch:
            patch.setattr(outbox, "_deliver" if dies == "before_sending" else "_record_sent", die)
            with pytest.raises(WorkerDied):
                notification_send(notification.pk)
        delivered = 0 if dies == "before_sending" else 1
        assert len(server.messages) == delivered
        notification.refresh_from_db()
        assert (notification.status, notification.attempts) == (Status.PENDING, 1)
        assert notification.claimed_until == START + LEASE

        # While the lease runs, neither the relay nor a late task touches the row.
        clock.shift(LEASE - datetime.timedelta(seconds=1))
        assert relay_pending() == 0
        assert notification_send(notification.pk) is False
        assert len(server.messages) == delivered

        clock.shift(datetime.timedelta(seconds=1))
        assert relay_pending() == 1
        assert relay_pending() == 0

    assert server.message_ids() == [notification.message_id_header] * (delivered + 1)
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.SENT, 2)
    assert notification.claimed_until is None


@pytest.mark.django_db
def test_a_worker_back_after_its_lease_expired_does_not_undo_the_next_one(smtp_port):
    """Its late failure changes nothing: the row belongs to whoever claimed it since."""
    with time_machine.travel(START, tick=False) as clock, SmtpServer(smtp_port) as server:
        notification = new_notification()
        slow = outbox._claim(notification_id=notification.pk)  # then hangs for 5 minutes
        clock.shift(LEASE)
        taken_over = outbox._claim(notification_id=notification.pk)
        assert taken_over.attempts == 2

        outbox._record_failure(slow, TimeoutError())
        notification.refresh_from_db()
        assert notification.claimed_until == START + 2 * LEASE  # still the second worker's
        assert notification.last_error == ""

        assert outbox._attempt(taken_over) is True
        outbox._record_failure(slow, TimeoutError())
        notification.refresh_from_db()
        assert (notification.status, notification.last_error) == (Status.SENT, "")
    assert server.message_ids() == [notification.message_id_header]


@pytest.mark.django_db
def test_a_reply_slower_than_the_timeout_is_retried_with_the_same_message_id(smtp_port):
    with (
        override_settings(EMAIL_TIMEOUT=0.5),
        time_machine.travel(START, tick=False) as clock,
        SmtpServer(smtp_port, reply_delay=2.0) as server,
    ):
        notification = new_notification()
        assert notification_send(notification.pk) is False
        # The server had accepted it; the worker could not know.
        assert len(server.messages) == 1
        notification.refresh_from_db()
        assert notification.status == Status.PENDING
        assert notification.last_error and "@" not in notification.last_error
        assert notification.next_attempt_at == START + MINUTE

        server.handler.reply_delay = 0
        assert relay_pending() == 0
        clock.shift(MINUTE)
        assert relay_pending() == 1

    # Delivered twice (at least once), recognisably one message.
    assert server.message_ids() == [notification.message_id_header] * 2
    notification.refresh_from_db()
    assert notification.status == Status.SENT


# --- The message ID -------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_email_has_its_own_stable_message_id(settings):
    settings.DEFAULT_FROM_EMAIL = "AIM-IMA <no-reply@aim-ima.be>"
    one, two = new_notification(), new_notification()
    assert one.message_id != two.message_id
    assert one.message_id_header == f"<notification-{one.message_id}@aim-ima.be>"
    one.refresh_from_db()
    assert one.message_id_header == f"<notification-{one.message_id}@aim-ima.be>"
    settings.DEFAULT_FROM_EMAIL = "no address"
    assert one.message_id_header == f"<notification-{one.message_id}@aim-ima.invalid>"


# --- The DPO: retry, admin, digest ----------------------------------------------------------


@pytest.mark.django_db
def test_retry_puts_only_a_failed_email_back_with_a_new_horizon(
    django_capture_on_commit_callbacks,
):
    with time_machine.travel(START, tick=False):
        failed = new_notification(status=Status.FAILED, attempts=40, last_error="TimeoutError")
        pending = new_notification()
    later = START + datetime.timedelta(days=5)
    with time_machine.travel(later, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            notification_retry(failed)
        with pytest.raises(ValidationError):
            notification_retry(pending)
    failed.refresh_from_db()
    assert failed.status == Status.SENT  # handed to Celery on commit, sent (locmem)
    assert failed.give_up_at == later + datetime.timedelta(days=3)
    assert [message.extra_headers["Message-ID"] for message in mail.outbox] == [
        failed.message_id_header
    ]


@pytest.mark.django_db
def test_the_dpo_sees_failed_emails_of_unconfirmed_requests_without_their_link(dpo_client):
    request, _token = request_submit(data=DATA, language="fr")  # pending, never handed off
    pending = request.notifications.get()
    other, token = request_submit(data={**DATA, "email": "x@example.be"}, language="fr")
    failed = other.notifications.get()
    Notification.objects.filter(pk=failed.pk).update(status=Status.FAILED)

    changelist = reverse("admin:rights_requests_notification_changelist")
    listed = [row.pk for row in dpo_client.get(changelist).context["cl"].result_list]
    assert listed == [failed.pk]
    assert pending.pk not in listed
    assert 'value="retry_now"' in dpo_client.get(changelist).content.decode()
    page = dpo_client.get(reverse("admin:rights_requests_notification_change", args=[failed.pk]))
    assert page.status_code == 200
    assert str(failed.message_id) in page.content.decode()
    assert token not in page.content.decode()  # a live confirmation link is not for the admin


@pytest.mark.django_db
def test_the_digest_lists_emails_that_failed_for_good_even_when_no_request_is_due(
    dpo, django_capture_on_commit_callbacks
):
    dpo.email = "dpo.one@intermut.be"
    dpo.save()
    with time_machine.travel(START, tick=False):
        unconfirmed, _token = request_submit(data=DATA, language="fr")
        confirmation = unconfirmed.notifications.get()
        Notification.objects.filter(pk=confirmation.pk).update(status=Status.FAILED)
        new_notification(status=Status.SENT)
    later = START + datetime.timedelta(days=4)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert dpo_digest_queue() == 1
    [digest] = mail.outbox
    assert digest.to == ["dpo.one@intermut.be"]
    assert "1" in digest.subject
    assert f" {confirmation.pk} · " in digest.body
    assert confirmation.get_kind_display() in digest.body
    assert "10 mars 2026" in digest.body  # dates in words (the DPO's language: #12)
    for personal in (EMAIL, "example.be", NAME):
        assert personal not in digest.body


@pytest.mark.django_db
def test_a_relay_run_stops_at_a_mail_server_it_cannot_reach(smtp_port, caplog):
    """Nothing listens: the first row's attempt is refused, and the run stops there instead of
    waiting for the same answer on every other due row (which stay due, untouched)."""
    first, *others = [new_notification() for _ in range(5)]
    caplog.set_level(logging.WARNING, logger="requests.outbox")

    assert relay_pending() == 0

    first.refresh_from_db()
    assert (first.attempts, first.last_error) == (1, "ConnectionRefusedError")
    assert set(
        Notification.objects.filter(pk__in=[n.pk for n in others]).values_list(
            "attempts", "last_error"
        )
    ) == {(0, "")}
    assert "Relay stopped: the mail server cannot be reached" in caplog.text

    with SmtpServer(smtp_port) as server, time_machine.travel(timezone.now() + 2 * MINUTE):
        assert relay_pending() == 5
    assert len(server.messages) == 5
