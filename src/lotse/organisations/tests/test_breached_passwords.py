"""ASVS 6.2.12: new passwords are checked against an offline list of breached passwords (Have I
Been Pwned's Pwned Passwords, SHA-1), as one sorted file or as a folder of range files."""

import logging
import random
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core import checks
from django.core.exceptions import ValidationError
from django.utils import translation

from lotse.organisations import breached_passwords
from lotse.organisations.breached_passwords import BreachedListUnreadable, is_breached, password_sha1

# Needs no database: run once, in the SQLite pass (see Makefile).
pytestmark = pytest.mark.db_independent

BREACHED = ["Sommerwiese-Kastanie-41", "Hafenkran-Mondlicht-77", "Rübenfeld-Ostwind-2026", "passwort",
            "Lotse!Zugang#Jülich"]
FRESH = ["Nie gesehenes Kennwort 7Q2", "Ahornblatt~Regenbogen~904", "Zwölf-Zeichen-neu-ß"]
RANDOM_LINES = 2000
BREACH_MESSAGE = "Dieses Passwort ist in einem bekannten Datenleck aufgetaucht."
UNREADABLE_MESSAGE = "Die Liste kompromittierter Passwörter kann nicht gelesen werden"


def _sha1(password: str) -> str:
    return password_sha1(password).decode("ascii")


def _list_hashes() -> list[str]:
    """The breached passwords' hashes plus random ones, all strictly between the smallest and
    the largest breached hash: the file then starts and ends with a known password."""
    known = sorted(_sha1(password) for password in BREACHED)
    rng = random.Random(6212)
    others = set()
    while len(others) < RANDOM_LINES:
        candidate = f"{rng.getrandbits(160):040X}"
        if known[0] < candidate < known[-1]:
            others.add(candidate)
    return sorted(set(known) | others)


FIRST = min(BREACHED, key=_sha1)
LAST = max(BREACHED, key=_sha1)


def write_sorted_file(path: Path, *, newline: str = "\n", counts: bool = True) -> Path:
    lines = [f"{digest}:{index % 97 + 1}" if counts else digest for index, digest in enumerate(_list_hashes())]
    path.write_bytes(newline.join(lines).encode("ascii") + newline.encode("ascii"))
    return path


def write_range_folder(folder: Path, *, newline: str = "\r\n") -> Path:
    """Range files for every prefix in the list, and for the fresh passwords', 00000 and FFFFF
    (none of them matching), as the downloader writes one file for each of the 16^5 prefixes."""
    folder.mkdir()
    ranges: dict[str, list[str]] = {_sha1(password)[:5]: [] for password in FRESH}
    ranges.setdefault("00000", [])
    ranges.setdefault("FFFFF", [])
    for digest in _list_hashes():
        ranges.setdefault(digest[:5], []).append(f"{digest[5:]}:{len(ranges) % 50 + 1}")
    for prefix, lines in ranges.items():
        lines = lines or [f"{'0' * 35}:1"]
        (folder / f"{prefix}.txt").write_bytes(newline.join(lines).encode("ascii"))
    return folder


@pytest.fixture
def sorted_file(tmp_path):
    return write_sorted_file(tmp_path / "pwnedpasswords.txt")


@pytest.fixture
def range_folder(tmp_path):
    return write_range_folder(tmp_path / "ranges")


# --- the lookup ---------------------------------------------------------------------------

def test_the_hash_is_uppercase_sha1_of_the_utf8_password():
    assert password_sha1("password") == b"5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8"


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_the_sorted_file_finds_every_breached_password_including_first_and_last_line(tmp_path, newline):
    path = write_sorted_file(tmp_path / "list.txt", newline=newline)
    lines = path.read_bytes().split(newline.encode())
    assert lines[0].startswith(password_sha1(FIRST)) and lines[-2].startswith(password_sha1(LAST))
    assert len(lines) == RANDOM_LINES + len(BREACHED) + 1
    for password in BREACHED:
        assert is_breached(password, path), password
    for password in FRESH:
        assert not is_breached(password, path), password


def test_the_sorted_file_may_lack_counts_and_a_final_line_end(tmp_path):
    path = write_sorted_file(tmp_path / "list.txt", counts=False)
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    assert is_breached(FIRST, path) and is_breached(LAST, path) and is_breached(BREACHED[2], path)
    assert not is_breached(FRESH[0], path)


def test_the_sorted_file_is_searched_not_read(sorted_file, monkeypatch):
    """Binary search with seek: a few dozen short reads, never the whole file."""
    read = []

    class CountingFile:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def fileno(self):
            return self.handle.fileno()

        def seek(self, *args):
            return self.handle.seek(*args)

        def readline(self):
            line = self.handle.readline()
            read.append(len(line))
            return line

        def read(self, *args):
            raise AssertionError("the list is never read in bulk")

        def __iter__(self):
            raise AssertionError("the list is never read line by line")

    monkeypatch.setattr(breached_passwords, "open", lambda *a, **k: CountingFile(open(*a, **k)), raising=False)
    assert is_breached(LAST, sorted_file)
    size = sorted_file.stat().st_size
    assert len(read) <= 2 * (size.bit_length() + 2)
    assert sum(read) < size / 20


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_the_range_folder_finds_breached_passwords_in_the_prefix_file(tmp_path, newline):
    folder = write_range_folder(tmp_path / "ranges", newline=newline)
    for password in BREACHED:
        assert is_breached(password, folder), password
    for password in FRESH:
        assert not is_breached(password, folder), password


def test_a_count_of_zero_is_padding_not_a_breach(tmp_path):
    digest = _sha1(FRESH[0])
    path = tmp_path / "list.txt"
    path.write_text(f"{digest}:0\n")
    assert not is_breached(FRESH[0], path)
    folder = tmp_path / "ranges"
    folder.mkdir()
    (folder / f"{digest[:5]}.txt").write_text(f"{digest[5:]}:0\r\n")
    assert not is_breached(FRESH[0], folder)


def test_a_missing_list_or_range_file_raises_instead_of_answering(tmp_path, range_folder):
    with pytest.raises(BreachedListUnreadable):
        is_breached(BREACHED[0], tmp_path / "missing.txt")
    (range_folder / f"{_sha1(BREACHED[0])[:5]}.txt").unlink()
    with pytest.raises(BreachedListUnreadable):
        is_breached(BREACHED[0], range_folder)


# --- the validator, as Django runs it ------------------------------------------------------

@pytest.mark.parametrize("source", ["sorted_file", "range_folder"])
def test_a_breached_password_is_refused_with_the_german_message(request, settings, source):
    settings.LOTSE_BREACHED_PASSWORDS = str(request.getfixturevalue(source))
    for password in (FIRST, LAST):
        with translation.override("de"), pytest.raises(ValidationError) as refused:
            validate_password(password)
        assert "password_breached" in [error.code for error in refused.value.error_list]
        assert any(BREACH_MESSAGE in message for message in refused.value.messages)


@pytest.mark.parametrize("source", ["sorted_file", "range_folder"])
def test_a_fresh_password_is_accepted(request, settings, source):
    settings.LOTSE_BREACHED_PASSWORDS = str(request.getfixturevalue(source))
    assert validate_password(FRESH[1]) is None


def test_without_a_configured_list_nothing_is_checked(settings):
    settings.LOTSE_BREACHED_PASSWORDS = ""
    assert validate_password(BREACHED[0]) is None


@pytest.mark.parametrize("missing", ["file", "range file"])
def test_a_configured_list_that_cannot_be_read_refuses_every_password(tmp_path, settings, caplog, missing):
    """Fail closed, without an exception: the user is told to ask the administrator; the path
    goes to the log (lotse.security, error)."""
    if missing == "file":
        source = tmp_path / "not-downloaded.txt"
    else:
        source = write_range_folder(tmp_path / "ranges")
        (source / f"{_sha1(FRESH[1])[:5]}.txt").unlink()
    settings.LOTSE_BREACHED_PASSWORDS = str(source)
    with caplog.at_level(logging.ERROR, logger="lotse.security"):
        with translation.override("de"), pytest.raises(ValidationError) as refused:
            validate_password(FRESH[1])
    assert any(UNREADABLE_MESSAGE in message for message in refused.value.messages)
    assert "Administration" in " ".join(refused.value.messages)
    assert [r for r in caplog.records if r.name == "lotse.security" and r.levelno == logging.ERROR
            and str(source) in r.getMessage()]


def test_the_help_text_names_the_breach_check():
    with translation.override("de"):
        assert "Ihr Passwort darf in keinem bekannten Datenleck vorkommen." in password_validators_help_texts()


# --- the system checks ---------------------------------------------------------------------

def _check_ids(*, deploy: bool) -> list[str]:
    found = checks.run_checks(tags=[checks.Tags.security], include_deployment_checks=deploy)
    return [message.id for message in found if message.id in ("lotse.W003", "lotse.E003")]


def test_an_unconfigured_list_is_a_deploy_warning_outside_dev(settings):
    settings.LOTSE_BREACHED_PASSWORDS = ""
    settings.DEV_MODE = False
    assert _check_ids(deploy=True) == ["lotse.W003"]
    assert _check_ids(deploy=False) == []
    settings.DEV_MODE = True
    assert _check_ids(deploy=True) == []


def test_a_configured_complete_list_passes_the_checks(settings, sorted_file, range_folder):
    settings.DEV_MODE = False
    with sorted_file.open("a") as complete:  # the real list ends in the range FFFFF
        complete.write(f"FFFFF{'0' * 35}:2\n")
    for source in (sorted_file, range_folder):
        settings.LOTSE_BREACHED_PASSWORDS = str(source)
        assert _check_ids(deploy=True) == []


def test_a_configured_list_that_is_missing_or_no_sha1_list_is_an_error(settings, tmp_path):
    settings.DEV_MODE = False
    settings.LOTSE_BREACHED_PASSWORDS = str(tmp_path / "missing.txt")
    assert _check_ids(deploy=False) == ["lotse.E003"]
    assert _check_ids(deploy=True) == ["lotse.E003"]
    ntlm = tmp_path / "ntlm.txt"
    ntlm.write_text("8846F7EAEE8FB117AD06BDD830B7586C:1\r\n")
    settings.LOTSE_BREACHED_PASSWORDS = str(ntlm)
    assert _check_ids(deploy=False) == ["lotse.E003"]
    empty_folder = tmp_path / "empty"
    empty_folder.mkdir()
    settings.LOTSE_BREACHED_PASSWORDS = str(empty_folder)
    assert _check_ids(deploy=False) == ["lotse.E003"]


def test_an_interrupted_download_is_an_error(settings, tmp_path):
    """The single file is written range by range: one that stops before FFFFF is incomplete."""
    settings.DEV_MODE = False
    partial = write_sorted_file(tmp_path / "partial.txt")
    assert not partial.read_text().splitlines()[-1].startswith("FFFFF")
    settings.LOTSE_BREACHED_PASSWORDS = str(partial)
    assert _check_ids(deploy=False) == ["lotse.E003"]
    assert "is incomplete" in breached_passwords.list_problem(partial)
    folder = write_range_folder(tmp_path / "ranges")
    (folder / "FFFFF.txt").unlink()
    settings.LOTSE_BREACHED_PASSWORDS = str(folder)
    assert _check_ids(deploy=False) == ["lotse.E003"]
