"""Benchmark: PDF render time per language, and the time to serve a stored PDF.

Run with `make bench` (or `.venv/bin/python benchmarks/pdf_bench.py`). It works on a throwaway
SQLite database and media folder under a temporary directory, loads AIM's declaration
(version 1), then reports the median and spread of several runs. Not a test: timings depend on
the machine; put the figures and the machine in README.md ("Performance").
"""

import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="aim-bench-"))
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "aim_privacy.settings_test",
        "DATABASE_URL": f"sqlite:///{WORK / 'bench.sqlite3'}",
        "MEDIA_ROOT": str(WORK / "media"),
        "REDIS_URL": "",
    }
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import translation  # noqa: E402

from notices.demo import demo_content_load  # noqa: E402
from notices.pdf import notice_pdf  # noqa: E402
from notices.pdf_store import notice_pdf_stored  # noqa: E402

RENDER_RUNS = int(os.environ.get("BENCH_RENDER_RUNS", "5"))
SERVE_RUNS = int(os.environ.get("BENCH_SERVE_RUNS", "50"))


def timed(function, runs):
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - started)
    return samples, result


def describe(samples):
    ordered = sorted(samples)
    return (
        f"median {statistics.median(ordered) * 1000:8.1f} ms   "
        f"min {ordered[0] * 1000:8.1f} ms   max {ordered[-1] * 1000:8.1f} ms   (n={len(ordered)})"
    )


def main():
    call_command("migrate", verbosity=0)
    version = demo_content_load()
    print(
        f"Machine: {platform.node()} · {platform.processor() or platform.machine()} · "
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
    )
    print(f"Declaration version {version.number}, {len(version.snapshot['sections'])} sections")
    for language in ("fr", "nl"):
        samples, pdf = timed(
            lambda language=language: notice_pdf(version=version, languages=(language,)),
            RENDER_RUNS,
        )
        print(f"render {language}:          {describe(samples)}   {len(pdf) / 1024:.0f} KiB")
    samples, _ = timed(
        lambda: notice_pdf(version=version, languages=("fr", "nl")), max(1, RENDER_RUNS // 2)
    )
    print(f"render fr+nl:       {describe(samples)}")

    for language in ("fr", "nl"):
        notice_pdf_stored(version=version, language=language)
    client = Client()
    with translation.override("fr"):
        url = reverse("notices:version-pdf", kwargs={"number": version.number})

    def serve():
        response = client.get(url)
        body = b"".join(response.streaming_content)
        if response.status_code != 200 or not body.startswith(b"%PDF"):
            raise SystemExit(f"serving the stored PDF failed: {response.status_code}")
        return body

    serve()  # warm up
    samples, _ = timed(serve, SERVE_RUNS)
    print(f"serve stored (fr):  {describe(samples)}")


if __name__ == "__main__":
    main()
