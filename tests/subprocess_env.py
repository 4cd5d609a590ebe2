"""Run Python in a clean environment, as the portal starts in production: only the variables a
test gives, and the production settings unless told otherwise."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_with_env(args, **env):
    """Run a Python command in a clean environment that holds only what the test gives."""
    clean = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "aim_privacy.settings"}
    clean.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def read_json(script, **env):
    """Run `script` (which prints one JSON document) and return what it printed."""
    result = run_with_env(["-c", script], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
