"""Work a web request starts but must not wait for: handing a task to the Celery broker.

A hung broker must not hold the request that queued the task. `publish_later(func, *args)`
gives the call to one daemon thread per process through a bounded queue and returns at once.
What does not fit in the queue is dropped with a warning: callers only use this for work that
something else redoes (the outbox's relay sends every e-mail still pending), so a full queue
costs a delay, never the work itself.

With Celery eager (no broker: a laptop, the tests), the call runs at once, in the caller's
thread, as it would without this module.
"""

import atexit
import logging
import os
import queue
import threading
import time

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

QUEUE_SIZE = 100

_lock = threading.Lock()
_queue: queue.Queue | None = None
_owner_pid: int | None = None


def _describe(func):
    """A name for the log: the Celery task's name, or the function's; never its arguments."""
    task = getattr(func, "__self__", None)
    name = getattr(task, "name", None)
    if isinstance(name, str):
        return f"{name}.{func.__name__}"
    return getattr(func, "__qualname__", type(func).__name__)


def _work(jobs: queue.Queue):
    while True:
        func, args = jobs.get()
        try:
            func(*args)
        except Exception as exc:  # the broker is down or slow: whoever queued it copes
            logger.warning("Background call %s failed (%s)", _describe(func), type(exc).__name__)
        finally:
            # A job that touched the database opened a connection for this thread only.
            connections.close_all()
            jobs.task_done()


def _jobs() -> queue.Queue:
    """This process's queue and thread; a new pair after a fork (gunicorn forks its workers,
    and a thread does not survive a fork)."""
    global _queue, _owner_pid
    with _lock:
        if _queue is None or _owner_pid != os.getpid():
            _queue = queue.Queue(maxsize=QUEUE_SIZE)
            _owner_pid = os.getpid()
            threading.Thread(
                target=_work, args=(_queue,), name="aim-background", daemon=True
            ).start()
        return _queue


def publish_later(func, *args) -> bool:
    """Call `func(*args)` off the request path; False when it was dropped (queue full).

    Eager Celery: called now, in this thread, and its exceptions propagate as they would.
    """
    if settings.CELERY_TASK_ALWAYS_EAGER:
        func(*args)
        return True
    try:
        _jobs().put_nowait((func, args))
    except queue.Full:
        logger.warning("Background queue full: %s dropped", _describe(func))
        return False
    return True


def flush(timeout: float) -> bool:
    """Wait until every queued call has finished; False if some are still running after
    `timeout` seconds. For tests, and for a clean exit."""
    jobs = _queue
    if jobs is None or _owner_pid != os.getpid():
        return True
    deadline = time.monotonic() + timeout
    with jobs.all_tasks_done:
        while jobs.unfinished_tasks:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            jobs.all_tasks_done.wait(remaining)
    return True


# A worker that exits (gunicorn's graceful restart) gives what is queued a moment to go out;
# what remains is sent by the relay.
atexit.register(flush, 2)
