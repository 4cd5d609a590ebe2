"""Real processes for the outage tests: a TCP server that accepts and never answers (a hung
database or Redis), and the portal served by gunicorn, spoken to over HTTP with http.client."""

import http.client
import os
import socket
import subprocess
import threading
import time
from pathlib import Path

from tests.workers import stop_process

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


def free_port():
    """A loopback port nothing listens on (the OS just handed it out and took it back)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class HungServer:
    """Accepts every connection, reads nothing, answers nothing, closes nothing: what a
    PostgreSQL or Redis that hangs looks like from the client (the kernel still ACKs)."""

    def __init__(self):
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(128)
        self._listener.settimeout(0.1)  # so that the accepting thread sees the end
        self.port = self._listener.getsockname()[1]
        self.accepted = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self):
        while not self._stopping.is_set():
            try:
                connection, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted.append(connection)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stopping.set()
        self._thread.join(timeout=5)
        self._listener.close()
        for connection in self.accepted:
            connection.close()


class Response:
    def __init__(self, status, headers, body, elapsed):
        self.status, self.headers, self.body, self.elapsed = status, headers, body, elapsed

    @property
    def text(self):
        return self.body.decode()


def http_request(port, method, path, *, body=None, headers=None, timeout=15):
    """One request to 127.0.0.1:port; the response with the seconds it took."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        content = response.read()
    finally:
        connection.close()
    return Response(response.status, response.headers, content, time.monotonic() - started)


class Gunicorn:
    """The portal under gunicorn with the test settings and the given environment: two
    workers of four threads each, so a request stuck on the database queues nothing else."""

    def __init__(self, log_path, **environment):
        self.port = free_port()
        self.log_path = Path(log_path)
        self.environment = {
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "aim_privacy.settings_test",
            **environment,
        }
        self.process = None

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def start(self, *, ready_path, timeout=30):
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [
                    str(GUNICORN),
                    "aim_privacy.wsgi",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    "2",
                    "--threads",
                    "4",
                    "--timeout",
                    "30",
                    "--graceful-timeout",
                    "3",
                    "--error-logfile",
                    "-",
                ],
                cwd=ROOT,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while True:
            assert self.process.poll() is None, f"gunicorn exited:\n{self.log()}"
            try:
                if http_request(self.port, "GET", ready_path, timeout=5).status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"gunicorn not ready:\n{self.log()}"
            time.sleep(0.2)
        self._warm_up(ready_path)
        return self

    def _warm_up(self, path):
        """A worker's first request imports the URLconf and views (a second or so): send a few
        at once, so that every worker has served one before the test measures anything."""
        threads = [
            threading.Thread(target=http_request, args=(self.port, "GET", path), daemon=True)
            for _ in range(16)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    def stop(self):
        stop_process(self.process, timeout=15)
