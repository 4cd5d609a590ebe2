"""`make serve`: the portal in production mode without Docker, on this machine.

Runs migrations and collectstatic, then starts gunicorn (deploy/gunicorn.conf.py: workers from
the CPU count or WEB_CONCURRENCY; GUNICORN_BIND, default 127.0.0.1:8000), one Celery worker and
Celery beat, against DATABASE_URL and REDIS_URL. Every production variable applies (README,
Configuration): SECRET_KEY, ALLOWED_HOSTS and SITE_URL are required. Ctrl+C (or SIGTERM) stops
the three; if one of them exits, the others are stopped too and the exit code says it failed.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def _missing():
    return [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]


def main():
    missing = _missing()
    if missing:
        print(f"make serve needs {' and '.join(missing)} (README, Configuration).")
        return 2
    env = {**os.environ, "GUNICORN_BIND": os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")}
    python = str(BIN / "python")
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput", "--verbosity", "0"]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True)  # noqa: S603
    commands = {
        "web": [str(BIN / "gunicorn"), "--config", "deploy/gunicorn.conf.py", "aim_privacy.wsgi"],
        "worker": [str(BIN / "celery"), "--app", "aim_privacy", "worker", "--loglevel", "INFO"],
        "beat": [
            str(BIN / "celery"),
            "--app",
            "aim_privacy",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(ROOT / "var" / "celerybeat-schedule"),
        ],
    }
    (ROOT / "var").mkdir(exist_ok=True)
    processes = {
        name: subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 - our own commands
        for name, command in commands.items()
    }
    print(f"Serving on http://{env['GUNICORN_BIND']}/ with a Celery worker and beat; Ctrl+C stops.")

    stopping = []

    def stop(signum, frame):
        stopping.append(signum)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    failed = None
    while not stopping and failed is None:
        for name, process in processes.items():
            if process.poll() is not None:
                failed = name
                print(f"{name} exited with code {process.returncode}: stopping the others.")
                break
        time.sleep(0.5)
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    for process in processes.values():
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
