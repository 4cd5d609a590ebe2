"""A real Celery worker for tests that prove background work: a subprocess on the test
PostgreSQL database (which it can share, unlike SQLite in memory) and the given broker."""

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
WORKER_ARGS = [
    "-m",
    "celery",
    "-A",
    "aim_privacy",
    "worker",
    "--pool=solo",
    "--concurrency=1",
    "--without-gossip",
    "--without-mingle",
    "--without-heartbeat",
    "--loglevel=WARNING",
]


def start_celery_worker(*, output=subprocess.PIPE, **environment):
    """Start a worker on the test database; `environment` adds or overrides variables."""
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aim_privacy.settings_test",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        ),
        **environment,
    }
    return subprocess.Popen(
        [sys.executable, *WORKER_ARGS],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
    )


def stop_process(process, *, timeout=30):
    """Terminate a child process (SIGTERM, then SIGKILL after `timeout` seconds); None or an
    exited process is left alone."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def stop_celery_worker(worker):
    stop_process(worker)
