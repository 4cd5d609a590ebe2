"""Stored requests survive what production throws at them: a broker outage, concurrent
confirmations, two relays at once, an SMTP server that refuses mail.

The broker test runs its own redis-server and a real Celery worker process against the test
PostgreSQL database, so it needs both (CI sets DATABASE_URL and REDIS_URL); it never touches the
Redis that REDIS_URL points to.
"""

import datetime
import logging
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import kombu.pools
import pytest
import redis
import time_machine
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from redis.backoff import NoBackoff
from redis.retry import Retry

from aim_privacy import background
from aim_privacy.celery import app
from requests.models import DataSubjectRequest, Notification
from requests.outbox import notification_send, relay_pending
from requests.services import request_confirm, request_submit
from tests.workers import start_celery_worker, stop_celery_worker

ROOT = Path(__file__).resolve().parents[2]
on_postgresql = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (row locks, and a database a worker process can share)",
)
with_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL") or not shutil.which("redis-server"),
    reason="needs Redis (REDIS_URL, and redis-server to run a broker of its own)",
)


def data(n=0):
    return {
        "right": "access",
        "name": f"Marie Dubois {n}",
        "email": f"marie.dubois.{n}@example.be",
        "description": "Quelles données l'AIM conserve-t-elle à mon sujet ?",
    }


@pytest.fixture
def eager_celery(settings):
    """The outbox hand-off runs in this process (in CI, REDIS_URL makes Celery use a broker).
    The Celery app reads its configuration from the Django settings each time, live."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


def forget_broker_connections():
    """.delay() publishes through kombu's pooled connections: close and forget them, so the
    next one connects to app.conf.broker_url (the cleanup Celery and kombu do after a fork)."""
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A throw-away redis-server on its own port: no persistence, loopback only."""

    def __init__(self, port, log):
        self.port, self.log, self.process = port, log, None
        self.url = f"redis://127.0.0.1:{port}/0"
        # No retries: SHUTDOWN closes the connection, which must not be taken for a failure.
        self.client = redis.Redis(
            host="127.0.0.1", port=port, socket_timeout=2, retry=Retry(NoBackoff(), 0)
        )

    def start(self):
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [
                    "redis-server",
                    "--port",
                    str(self.port),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--bind",
                    "127.0.0.1",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 15
        while True:
            try:
                if self.client.ping():
                    return
            except redis.ConnectionError:
                assert self.process.poll() is None, Path(self.log).read_text()
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.1)

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        try:
            self.client.shutdown(nosave=True)
        except redis.RedisError:
            self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.client.connection_pool.disconnect()

    def queue_empty(self):
        """No task waiting in the default queue, none taken but unacknowledged (acks_late)."""
        return self.client.llen("celery") == 0 and self.client.hlen("unacked") == 0


def start_worker(broker_url, log):
    with open(log, "ab") as output:
        return start_celery_worker(
            output=output, REDIS_URL=broker_url, CELERY_BROKER_URL=broker_url
        )


def stop_worker(worker):
    stop_celery_worker(worker)


def wait_for(condition, *, timeout, worker, log, what):
    deadline = time.monotonic() + timeout
    while not condition():
        assert worker.poll() is None, f"the worker died:\n{Path(log).read_text()}"
        assert time.monotonic() < deadline, f"{what} within {timeout} s:\n{Path(log).read_text()}"
        time.sleep(0.25)


# --- A broker outage delays the confirmation e-mail, and loses nothing ----------------------


@on_postgresql
@with_redis
@pytest.mark.django_db(transaction=True)
def test_submission_survives_a_redis_outage_and_the_email_goes_out_once(tmp_path, caplog):
    from requests.tasks import (
        delete_unconfirmed_requests,
        relay_pending_notifications,
        send_notification,
    )

    broker = RedisServer(free_port(), tmp_path / "redis.log")
    worker_log = tmp_path / "worker.log"
    worker = None
    saved_url = app.conf.broker_url
    broker.start()
    try:
        # app.conf reads the settings live; the pooled connections must be dropped.
        with override_settings(CELERY_BROKER_URL=broker.url, CELERY_TASK_ALWAYS_EAGER=False):
            assert app.conf.broker_url == broker.url
            forget_broker_connections()
            # A web process holds a pooled broker connection when Redis goes away.
            with app.producer_pool.acquire(block=True) as producer:
                producer.connection.ensure_connection(max_retries=1)
            broker.stop()

            caplog.set_level(logging.WARNING, logger="requests.outbox")
            started = time.monotonic()
            request, _token = request_submit(data=data(), language="fr")
            elapsed = time.monotonic() - started
            assert elapsed < 1.5, f"the submission waited {elapsed:.1f} s for a dead broker"
            # The hand-off to the broker runs off the request path: wait for it here.
            assert background.flush(timeout=15)

            # Stored, with its e-mail waiting in the outbox; the failed hand-off is logged
            # (by number, without the address).
            stored = DataSubjectRequest.objects.get(pk=request.pk)
            assert stored.status == DataSubjectRequest.Status.UNCONFIRMED
            notification = Notification.objects.get(request=request)
            assert notification.kind == Notification.Kind.CONFIRM
            assert notification.status == Notification.Status.PENDING
            assert notification.attempts == 0
            warnings = [r.getMessage() for r in caplog.records if r.name == "requests.outbox"]
            assert warnings == [f"Could not queue e-mail {notification.pk}; the relay will send it"]
            assert "example.be" not in caplog.text

            broker.start()  # same port, empty: the failed hand-off left nothing in it
            forget_broker_connections()
            worker = start_worker(broker.url, worker_log)

            # The periodic relay (beat sends this task every minute) sends it.
            relay_pending_notifications.delay()
            wait_for(
                lambda: (
                    Notification.objects.get(pk=notification.pk).status == Notification.Status.SENT
                ),
                timeout=60,
                worker=worker,
                log=worker_log,
                what="the relay did not send the e-mail",
            )

            # Relayed again, and the lost hand-off arriving late after all: still sent once.
            relay_pending_notifications.delay()
            send_notification.delay(notification.pk)
            # A last task as a marker: the solo worker takes tasks one at a time, in order.
            marker = DataSubjectRequest.objects.create(language="fr", **data(1))
            DataSubjectRequest.objects.filter(pk=marker.pk).update(
                created_at=timezone.now() - datetime.timedelta(days=3)
            )
            delete_unconfirmed_requests.delay()
            wait_for(
                lambda: (
                    not DataSubjectRequest.objects.filter(pk=marker.pk).exists()
                    and broker.queue_empty()
                ),
                timeout=60,
                worker=worker,
                log=worker_log,
                what="the worker did not run the queued tasks",
            )
            notification.refresh_from_db()
            assert notification.status == Notification.Status.SENT
            assert notification.attempts == 1
            assert notification.sent_at is not None
            assert notification.last_error == ""
            assert DataSubjectRequest.objects.filter(pk=request.pk).exists()
    finally:
        stop_worker(worker)
        broker.stop()
        forget_broker_connections()
    assert app.conf.broker_url == saved_url


# --- Concurrent confirmations ---------------------------------------------------------------


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_confirmations_get_fifty_distinct_references(eager_celery):
    tokens = [request_submit(data=data(n), language="fr")[1] for n in range(50)]
    references, errors = [], []
    start = threading.Barrier(50)

    def confirm(token):
        try:
            start.wait(timeout=60)
            references.append(request_confirm(token=token).reference)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert len(references) == 50 and len(set(references)) == 50
    year = timezone.localdate().year
    pattern = re.compile(rf"^AIM-{year}-(\d{{6}})$")
    assert all(pattern.match(reference) for reference in references), references
    assert sorted(int(pattern.match(r)[1]) for r in references) == list(range(1, 51))
    assert set(DataSubjectRequest.objects.values_list("reference", flat=True)) == set(references)
    acknowledgements = Notification.objects.filter(kind=Notification.Kind.ACKNOWLEDGE)
    assert acknowledgements.count() == 50


# --- Two relays at once ---------------------------------------------------------------------


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_relays_at_once_never_send_the_same_email_twice(monkeypatch):
    settings_backend = mail.get_connection().__class__
    assert settings_backend.__module__ == "django.core.mail.backends.locmem"
    notifications = [
        Notification.objects.create(
            kind=Notification.Kind.CONFIRM,
            to=f"person{n}@example.be",
            subject=f"Message {n}",
            body="…",
        )
        for n in range(20)
    ]
    # A slow SMTP server, so that the two relays overlap.
    send_messages = settings_backend.send_messages

    def slow_send_messages(self, messages):
        time.sleep(0.05)
        return send_messages(self, messages)

    monkeypatch.setattr(settings_backend, "send_messages", slow_send_messages)
    sent, errors = [], []
    start = threading.Barrier(2)

    def relay():
        try:
            start.wait(timeout=30)
            sent.append(relay_pending())
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=relay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sum(sent) == 20
    assert len(mail.outbox) == 20
    assert sorted(message.to[0] for message in mail.outbox) == sorted(n.to for n in notifications)
    assert set(Notification.objects.values_list("status", "attempts")) == {
        (Notification.Status.SENT, 1)
    }


# --- SMTP refuses the mail ------------------------------------------------------------------
# (Against a real SMTP server, with outages, leases and the give-up time: test_outbox_delivery.)

SMTP_DOWN_AT = datetime.datetime(2026, 3, 10, 8, 0, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_smtp_failure_keeps_the_email_pending_and_backs_off_by_time(monkeypatch, caplog):
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError(111, f"Connection refused while sending to {self.to[0]}")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    caplog.set_level(logging.WARNING, logger="requests.outbox")
    with time_machine.travel(SMTP_DOWN_AT, tick=False) as clock:
        notification = Notification.objects.create(
            kind=Notification.Kind.CONFIRM,
            to="marie.dubois@example.be",
            subject="Confirmez votre demande",
            body="Bonjour Marie Dubois,",
        )

        assert notification_send(notification.pk) is False  # recorded, never raised
        notification.refresh_from_db()
        assert notification.status == Notification.Status.PENDING
        assert notification.attempts == 1
        assert notification.last_error == "ConnectionRefusedError"  # no address, no message
        assert notification.sent_at is None
        assert notification.claimed_until is None
        assert notification.next_attempt_at == SMTP_DOWN_AT + datetime.timedelta(minutes=1)
        assert str(notification.pk) in caplog.text
        assert "example.be" not in caplog.text

        # Not due yet: the relay leaves it alone.
        assert relay_pending() == 0
        notification.refresh_from_db()
        assert notification.attempts == 1

        # Each attempt when it is due; the wait doubles up to an hour, and no number of
        # attempts ends it (only the give-up time, three days after it was written).
        for attempts, wait in enumerate([2, 4, 8, 16, 32, 60, 60, 60, 60, 60], start=2):
            clock.move_to(notification.next_attempt_at)
            assert relay_pending() == 0
            notification.refresh_from_db()
            assert notification.attempts == attempts
            assert notification.next_attempt_at - timezone.now() == datetime.timedelta(minutes=wait)
        assert notification.status == Notification.Status.PENDING
        assert notification.last_error == "ConnectionRefusedError"
    assert "example.be" not in caplog.text
    assert mail.outbox == []


@pytest.mark.django_db
def test_once_smtp_is_back_the_relay_sends_the_pending_email(monkeypatch):
    with time_machine.travel(SMTP_DOWN_AT, tick=False) as clock:
        notification = Notification.objects.create(
            kind=Notification.Kind.CONFIRM, to="marie.dubois@example.be", subject="S", body="B"
        )

        def refuse(self, fail_silently=False):
            raise TimeoutError

        with monkeypatch.context() as patch:
            patch.setattr(EmailMessage, "send", refuse)
            assert relay_pending() == 0
        assert relay_pending() == 0  # SMTP is back, but the next attempt is a minute away
        clock.shift(datetime.timedelta(minutes=1))
        assert relay_pending() == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.SENT, 2)
    assert [message.to for message in mail.outbox] == [["marie.dubois@example.be"]]
    assert mail.outbox[0].message()["Message-ID"] == notification.message_id_header
