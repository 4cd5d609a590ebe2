"""Benchmark: the public pages under load, beside the framework's floor and nginx's limit.

`make bench` runs it after the PDF benchmark. On this machine, one after the other, with wrk at
64 connections on loopback (BENCH_SECONDS each, after a short warm-up):

1. the current declaration page through `make serve` (scripts/serve.py: gunicorn with
   deploy/gunicorn.conf.py, a Celery worker and beat; production settings, PostgreSQL, Redis);
2. the floor: a bare Django view returning the same bytes through Django's default middleware,
   under the same gunicorn settings (benchmarks/floor.py);
3. the limit: the same bytes as a static file through nginx;
4. a conditional request of the current page (If-None-Match: 304);
5. the archive, a changes page (version 1 to 2) and a stored PDF;
6. and, in-process, the render of the register PDF (registry export).

It prints requests per second, p50 and p99 for each, the ratio to the floor, and writes the
table to benchmarks/results/http-latest.md. Needs wrk and nginx (Debian packages), PostgreSQL
(BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/aim_bench, recreated) and Redis
(BENCH_REDIS_URL, default redis://127.0.0.1:6379/13, flushed). Not a test: timings depend on the
machine; copy the figures into README.md ("Performance").
"""

import datetime
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = 64
SETTLE_SECONDS = 15
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aim_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
PORTAL, FLOOR, NGINX = 8201, 8202, 8203
HOST = "localhost"
WORK = Path(tempfile.mkdtemp(prefix="aim-http-bench-"))
ENV = {
    **os.environ,
    "DEBUG": "false",
    "SECRET_KEY": "benchmark-only-not-a-secret",
    "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
    "SITE_URL": f"https://{HOST}",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "STATIC_ROOT": str(WORK / "static"),
    "MEDIA_ROOT": str(WORK / "media"),
    "PRIVATE_MEDIA_ROOT": str(WORK / "private"),
    "GUNICORN_ACCESS_LOG": "0",
    "LOG_LEVEL": "WARNING",
}
# The portal sits behind a TLS proxy in production: the proxy's header, as it would send it.
HEADERS = {"Host": HOST, "X-Forwarded-Proto": "https"}

SECOND_VERSION = """
from django.contrib.auth import get_user_model
from django.utils import timezone
from notices.models import Notice
from notices.services import notice_version_create_draft, notice_version_publish
notice = Notice.objects.get(slug="declaration")
if not notice.versions.filter(number=2).exists():
    user, _ = get_user_model().objects.get_or_create(username="bench")
    draft = notice_version_create_draft(notice=notice)
    section = draft.sections.order_by("position").first()
    section.body_fr = section.body_fr + " Texte ajouté pour le banc d'essai."
    section.body_nl = section.body_nl + " Tekst toegevoegd voor de benchmark."
    section.save()
    draft.change_summary_fr, draft.change_summary_nl = "Banc d'essai", "Benchmark"
    draft.save()
    notice_version_publish(version=draft, by=user, effective_from=timezone.localdate(),
                           acknowledge_registry_gaps=True, gaps_reason="Benchmark data.")
"""

URLS = """
import json
from django.urls import reverse
from django.utils import translation
with translation.override("fr"):
    print(json.dumps({
        "current": reverse("notices:current"),
        "archive": reverse("notices:archive"),
        "changes": reverse("notices:changes", kwargs={"old": 1, "new": 2}),
        "pdf": reverse("notices:version-pdf", kwargs={"number": 1}),
    }))
"""

REGISTER_PDF = """
import statistics, time
from registry.exports import register_bytes
samples = []
for _ in range(3):
    started = time.perf_counter()
    register_bytes("pdf", language="fr")
    samples.append(time.perf_counter() - started)
print(f"{statistics.median(samples) * 1000:.0f}")
"""


def manage(*args, capture=False):
    return subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=ENV,
        check=True,
        capture_output=capture,
        text=True,
    )


def prepare():
    database = DATABASE_URL.rsplit("/", 1)
    subprocess.run(  # noqa: S603 - psql from the machine
        ["psql", f"{database[0]}/postgres", "-qc", f"DROP DATABASE IF EXISTS {database[1]}"],  # noqa: S607
        check=True,
    )
    subprocess.run(  # noqa: S603
        ["psql", f"{database[0]}/postgres", "-qc", f"CREATE DATABASE {database[1]}"],  # noqa: S607
        check=True,
    )
    subprocess.run(  # noqa: S603
        ["redis-cli", "-u", REDIS_URL, "FLUSHDB"],  # noqa: S607
        check=True,
        capture_output=True,
    )
    manage("migrate", "--noinput", "--verbosity", "0")
    manage("load_demo_content")
    manage("shell", "--no-imports", "-c", SECOND_VERSION)
    return json.loads(
        manage("shell", "--no-imports", "-c", URLS, capture=True).stdout.splitlines()[-1]
    )


def wait_for(port, path="/", headers=None, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return fetch(port, path, headers)
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"nothing answers on port {port}")


def fetch(port, path, headers=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        return response.status, dict(response.headers), response.read()


def start(command, env, log_name):
    """A server in its own process group (stop() ends it and its children), its output in a log
    file of the work directory."""
    log = open(WORK / log_name, "w")  # noqa: SIM115 - the child writes to it until it stops
    return subprocess.Popen(  # noqa: S603 - our own commands
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process):
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def wrk(port, path, headers=None, seconds=SECONDS):
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    latency = dict(re.findall(r"\s(50|99)%\s+([\d.]+\w+)", output))
    return {
        "rps": rps,
        "p50_ms": _ms(latency["50"]),
        "p99_ms": _ms(latency["99"]),
        "errors": int(non2xx.group(1)) if non2xx else 0,
    }


def _ms(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def measure(label, port, path, headers=None):
    wrk(port, path, headers, seconds=2)  # warm-up: caches, connections, workers
    result = wrk(port, path, headers)
    print(
        f"  {label:<44} {result['rps']:>9.0f} req/s   p50 {result['p50_ms']:>7.2f} ms   "
        f"p99 {result['p99_ms']:>7.2f} ms"
        + (f"   {result['errors']} non-2xx/3xx" if result["errors"] else "")
    )
    return {"label": label, **result}


def nginx_start(body):
    if shutil.which("nginx") is None:
        print("  (nginx not installed: the static-file limit is left out)")
        return None
    www = WORK / "www"
    www.mkdir(exist_ok=True)
    (www / "index.html").write_bytes(body)
    for path in (WORK, www, www / "index.html"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    config = WORK / "nginx.conf"
    config.write_text(
        f"worker_processes auto;\ndaemon off;\npid {WORK}/nginx.pid;\n"
        f"error_log {WORK}/nginx-error.log;\nevents {{ worker_connections 1024; }}\n"
        f"http {{ access_log off; server {{ listen 127.0.0.1:{NGINX}; root {www}; }} }}\n"
    )
    return start(["nginx", "-c", str(config), "-p", str(WORK)], ENV, "nginx.log")


def main():
    for tool in ("wrk", "psql", "redis-cli"):
        if shutil.which(tool) is None:
            raise SystemExit(
                f"{tool} is missing (apt-get install wrk postgresql-client redis-tools)"
            )
    machine = (
        f"{platform.node()} · {platform.processor() or platform.machine()} · {os.cpu_count()} CPUs"
        f" · Python {platform.python_version()}"
    )
    print(f"Machine: {machine}\nPreparing the database ({DATABASE_URL}) …")
    urls = prepare()
    results = []
    serve_env = {**ENV, "GUNICORN_BIND": f"127.0.0.1:{PORTAL}"}
    portal = start([str(BIN / "python"), "scripts/serve.py"], serve_env, "serve.log")
    try:
        _status, headers, body = wait_for(PORTAL, urls["current"], HEADERS)
        etag = headers["ETag"]
        print(f"Current page: {len(body) / 1024:.0f} KiB, ETag {etag}")
        fetch(PORTAL, urls["pdf"], HEADERS)  # renders and stores it
        # The Celery worker and beat start beside gunicorn: let them settle, so that their
        # start-up is not measured as the page's.
        time.sleep(SETTLE_SECONDS)
        results.append(
            measure("current declaration page (make serve)", PORTAL, urls["current"], HEADERS)
        )
        results.append(
            measure(
                "conditional request, 304",
                PORTAL,
                urls["current"],
                {**HEADERS, "If-None-Match": etag},
            )
        )
        results.append(measure("archive", PORTAL, urls["archive"], HEADERS))
        results.append(measure("changes, version 1 to 2", PORTAL, urls["changes"], HEADERS))
        results.append(measure("stored PDF", PORTAL, urls["pdf"], HEADERS))
        register_ms = float(
            manage("shell", "--no-imports", "-c", REGISTER_PDF, capture=True).stdout.split()[-1]
        )
        print(f"  {'register PDF render (in-process, median of 3)':<44} {register_ms:>9.0f} ms")
    finally:
        stop(portal)

    (WORK / "page.html").write_bytes(body)
    floor_env = {
        **ENV,
        "DJANGO_SETTINGS_MODULE": "floor",
        "FLOOR_BODY": str(WORK / "page.html"),
        "GUNICORN_BIND": f"127.0.0.1:{FLOOR}",
    }
    floor = start(
        [
            str(BIN / "gunicorn"),
            "--config",
            "deploy/gunicorn.conf.py",
            "--pythonpath",
            "benchmarks",
            "floor:application",
        ],
        floor_env,
        "floor.log",
    )
    try:
        wait_for(FLOOR)
        floor_result = measure("floor: bare Django view, same bytes", FLOOR, "/")
    finally:
        stop(floor)
    nginx = nginx_start(body)
    limit = None
    try:
        if nginx is not None:
            wait_for(NGINX)
            limit = measure("limit: nginx, same bytes as a file", NGINX, "/")
    finally:
        stop(nginx)

    floor_rps = floor_result["rps"]
    rows = [*results, floor_result, *([limit] if limit else [])]
    print("\nRatio to the floor:")
    for row in rows:
        row["ratio"] = row["rps"] / floor_rps
        print(f"  {row['label']:<44} {row['ratio'] * 100:>6.0f} %")
    write(machine, rows, register_ms, len(body))
    shutil.rmtree(WORK, ignore_errors=True)


def write(machine, rows, register_ms, size):
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"# make bench, HTTP part: {stamp}",
        "",
        f"Machine: {machine}. wrk, {CONNECTIONS} connections, {SECONDS} s each after a 2 s "
        f"warm-up, loopback; page {size / 1024:.0f} KiB; gunicorn workers: "
        f"{os.environ.get('WEB_CONCURRENCY') or '2 per CPU + 1'}.",
        "",
        "| what | req/s | p50 | p99 | vs floor |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row['label']} | {row['rps']:,.0f} | {row['p50_ms']:.2f} ms | "
            f"{row['p99_ms']:.2f} ms | {row['ratio'] * 100:.0f} % |"
        )
    lines += ["", f"Register PDF render (in-process, median of 3): {register_ms:,.0f} ms", ""]
    (out / "http-latest.md").write_text("\n".join(lines))
    (out / "http-latest.json").write_text(
        json.dumps(
            {"at": stamp, "machine": machine, "rows": rows, "register_pdf_ms": register_ms},
            indent=2,
        )
    )
    print(f"\nWritten to {out / 'http-latest.md'}")


if __name__ == "__main__":
    sys.exit(main())
