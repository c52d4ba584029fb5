"""The staff UI ships a complete German translation: every message id in the code and the
templates has a German text that is neither empty nor fuzzy."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

import lotse

# Needs no database: run once, in the SQLite pass (see Makefile, docs/development.md).
pytestmark = pytest.mark.db_independent

SRC = Path(lotse.__file__).parent
CATALOGUE = SRC / "locale" / "de" / "LC_MESSAGES" / "django.po"


def test_german_catalogue_covers_every_message(tmp_path, monkeypatch):
    assert CATALOGUE.exists(), "src/lotse/locale/de/LC_MESSAGES/django.po is missing"
    work = tmp_path / "work"
    work.mkdir()
    (work / "lotse").symlink_to(SRC, target_is_directory=True)
    locale = tmp_path / "locale"
    (locale / "de" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(CATALOGUE, locale / "de" / "LC_MESSAGES" / "django.po")
    monkeypatch.chdir(work)
    with override_settings(LOCALE_PATHS=[locale]):
        call_command("makemessages", locale=["de"], symlinks=True, verbosity=0,
                     ignore_patterns=["lotse/locale/*", "*/tests/*"], no_obsolete=True)
    refreshed = locale / "de" / "LC_MESSAGES" / "django.po"
    stats = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(refreshed)],
                           capture_output=True, text=True, check=True).stderr
    untranslated = re.search(r"(\d+) untranslated", stats)
    fuzzy = re.search(r"(\d+) fuzzy", stats)
    missing = _untranslated_ids(refreshed.read_text(encoding="utf-8"))
    assert not untranslated and not fuzzy, f"{stats.strip()}\nmissing German for:\n" + "\n".join(missing[:40])


def _untranslated_ids(po: str) -> list[str]:
    missing = []
    for block in po.split("\n\n"):
        if "#, fuzzy" in block and 'msgid ""\nmsgstr ""' not in block[:40]:
            missing.append(block.splitlines()[-2] if len(block.splitlines()) > 1 else block)
        elif re.search(r'msgstr(\[\d\])? ""\s*$', block) and not block.lstrip().startswith('msgid ""'):
            missing.append(re.search(r'msgid "(.*)"', block).group(1) if 'msgid "' in block else block)
    return missing
