"""The app folder requests/ shadows the PyPI package `requests`: the project must not need it."""

import importlib.metadata
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_pypi_requests_is_not_installed():
    with pytest.raises(importlib.metadata.PackageNotFoundError):
        importlib.metadata.distribution("requests")


def test_lock_and_project_do_not_list_requests():
    lock = (ROOT / "requirements.lock").read_text()
    assert not re.search(r"^requests==", lock, flags=re.MULTILINE)
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert not re.search(r'^\s*"requests[<>=~!\[;" ]', pyproject, flags=re.MULTILINE)


def test_import_requests_is_our_app():
    import requests

    assert Path(requests.__file__).resolve().parent == ROOT / "requests"


def test_every_locked_package_is_pinned_with_a_hash():
    lock = (ROOT / "requirements.lock").read_text()
    requirements = re.findall(r"^([A-Za-z0-9_.\-]+)==([^ \\\n]+)", lock, flags=re.MULTILINE)
    assert len(requirements) > 20
    blocks = re.split(r"^(?=[A-Za-z0-9_.\-]+==)", lock, flags=re.MULTILINE)[1:]
    assert all("--hash=sha256:" in block for block in blocks)
