"""aim_privacy.background: calls handed off the request path, bounded, dropped out loud."""

import logging
import threading
import time

from aim_privacy import background


def test_publish_later_runs_at_once_when_celery_is_eager(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    calls = []
    assert background.publish_later(calls.append, 1)
    assert calls == [1]  # before returning, in this thread


def test_publish_later_returns_before_the_call_ends(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    release, done = threading.Event(), []

    def slow(value):
        release.wait(10)
        done.append(value)

    started = time.monotonic()
    assert background.publish_later(slow, "x")
    assert time.monotonic() - started < 0.1
    assert done == []
    assert not background.flush(timeout=0.2)
    release.set()
    assert background.flush(timeout=10)
    assert done == ["x"]


def test_what_does_not_fit_is_dropped_with_a_warning(settings, caplog):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    release = threading.Event()
    started = threading.Event()

    def blocker(_):
        started.set()
        release.wait(10)

    try:
        background.publish_later(blocker, None)
        assert started.wait(5)
        for _ in range(background.QUEUE_SIZE):
            assert background.publish_later(len, "queued")
        with caplog.at_level(logging.WARNING, logger="aim_privacy.background"):
            assert background.publish_later(len, "marie.dubois@example.be") is False
    finally:
        release.set()
        assert background.flush(timeout=10)
    assert [r.getMessage() for r in caplog.records] == ["Background queue full: len dropped"]


def test_a_failing_call_is_logged_by_name_only(settings, caplog):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def hand_over(address):
        raise ConnectionError(address)

    with caplog.at_level(logging.WARNING, logger="aim_privacy.background"):
        background.publish_later(hand_over, "marie.dubois@example.be")
        assert background.flush(timeout=10)
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 1
    assert messages[0].endswith("hand_over failed (ConnectionError)")
    assert "marie" not in messages[0]
