"""Both catalogs are complete, and they hold every string the code and templates use."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["fr", "nl"]
SOURCES = ["aim_privacy", "notices", "requests", "registry", "templates", "manage.py"]


def catalog(root, language):
    return polib.pofile(str(root / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_has_no_untranslated_or_fuzzy_entry(language):
    po = catalog(ROOT, language)
    assert len(po) > 0
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert not po.metadata_is_fuzzy


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    for entry in catalog(ROOT, language).translated_entries():
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            for placeholder in set(re.findall(r"%\(\w+\)[sd]|\{\w+\}", entry.msgid)):
                assert placeholder in translation, (entry.msgid, translation)


def test_catalogs_are_up_to_date_with_the_code(tmp_path):
    """Extract the strings again in a copy of the tree: none may be missing from the catalogs."""
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "-l", "nl", "--no-location"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": shutil.os.environ["PATH"], "DEBUG": "1", "PYTHONPATH": str(tmp_path)},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for language in LANGUAGES:
        fresh = {e.msgid for e in catalog(tmp_path, language) if not e.obsolete}
        committed = {e.msgid for e in catalog(ROOT, language) if not e.obsolete}
        assert sorted(fresh - committed) == [], f"run `make messages`, then translate ({language})"
