"""Check the deployment files without a Docker engine (part of `make lint`, so CI runs it).

1. The Dockerfile passes hadolint (from the dev dependencies; its one ignored rule and why are
   in .hadolint.yaml).
2. docker-compose.yml, alone, with docker-compose.dev.yml and with the "proxy" profile, is
   valid for Debian's docker-compose (`config -q`), with .env.example as its .env; and it
   refuses to start without POSTGRES_PASSWORD.
3. Every variable of .env.example is one the portal, the compose file or gunicorn reads.
4. The image's lock (requirements.runtime.lock) pins the same versions as requirements.lock,
   which the tests run with (`make lock` writes both).

Exit 0 when all pass; otherwise each problem on its own line and exit 1.
"""

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HADOLINT = ROOT / ".venv" / "bin" / "hadolint"
COMPOSE_FILES = ["docker-compose.yml", "docker-compose.dev.yml"]
# Read by docker-compose.yml or deploy/gunicorn.conf.py rather than by the settings.
DEPLOY_VARIABLES = {
    "COMPOSE_PROJECT_NAME",
    "POSTGRES_PASSWORD",
    "WEB_PORT",
    "PROXY_PORT",
    "WEB_CONCURRENCY",
    "GUNICORN_BIND",
    "GUNICORN_TIMEOUT",
    "GUNICORN_ACCESS_LOG",
}


def _run(command, cwd=None):
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)  # noqa: S603


def hadolint_problems():
    if not HADOLINT.exists():
        return ["hadolint is missing: run `make install` (it comes with the dev dependencies)"]
    result = _run([str(HADOLINT), "--no-color", "Dockerfile"], cwd=ROOT)
    return [f"hadolint: {line}" for line in result.stdout.splitlines()] if result.returncode else []


def compose_problems():
    compose = shutil.which("docker-compose")
    if compose is None:
        return ["docker-compose is missing: apt-get install docker-compose (no engine needed)"]
    problems = []
    with tempfile.TemporaryDirectory() as directory:
        work = Path(directory)
        for name in COMPOSE_FILES:
            shutil.copy(ROOT / name, work / name)
        shutil.copytree(ROOT / "deploy", work / "deploy")
        example = (ROOT / ".env.example").read_text()
        filled = re.sub(r"(?m)^POSTGRES_PASSWORD=$", "POSTGRES_PASSWORD=check-only", example)
        (work / ".env").write_text(filled)
        runs = {
            "docker-compose.yml": [compose, "-f", "docker-compose.yml", "config", "-q"],
            "with the proxy profile": [
                compose,
                "-f",
                "docker-compose.yml",
                "--profile",
                "proxy",
                "config",
                "-q",
            ],
            "with docker-compose.dev.yml": [
                compose,
                "-f",
                "docker-compose.yml",
                "-f",
                "docker-compose.dev.yml",
                "config",
                "-q",
            ],
        }
        for label, command in runs.items():
            result = _run(command, cwd=work)
            if result.returncode:
                problems.append(f"compose {label}: {result.stderr.strip()}")
        (work / ".env").write_text(example)
        if not _run(runs["docker-compose.yml"], cwd=work).returncode:
            problems.append("compose starts without POSTGRES_PASSWORD: keep its ':?' guard")
    return problems


def env_example_problems():
    settings = (ROOT / "aim_privacy" / "settings.py").read_text()
    known = set(re.findall(r'env(?:_\w+|\.\w+)?\(\s*"([A-Z0-9_]+)"', settings))
    known |= DEPLOY_VARIABLES
    problems = []
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"([A-Z0-9_]+)=", line)
        if match and match.group(1) not in known:
            problems.append(f".env.example: {match.group(1)} is read by nothing")
    return problems


def _pins(name):
    text = (ROOT / name).read_text()
    return dict(re.findall(r"(?m)^([A-Za-z0-9_.-]+)==([^ \\]+)", text))


def lock_problems():
    tested = _pins("requirements.lock")
    return [
        f"requirements.runtime.lock pins {package}=={version}, the tests run "
        f"{tested.get(package, 'without it')}: run `make lock`"
        for package, version in _pins("requirements.runtime.lock").items()
        if tested.get(package) != version
    ]


def main():
    problems = hadolint_problems() + compose_problems() + env_example_problems() + lock_problems()
    for problem in problems:
        print(problem)
    if not problems:
        print("Dockerfile, compose files and .env.example: OK")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
