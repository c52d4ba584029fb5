"""ASVS 5.4.3 against the real ClamAV daemon: test_virus_scan.py proves the protocol with a fake
clamd; here Debian's `clamd` (package clamav-daemon, `make system-deps`) runs as a child process
with a database of its own, since the suite has no network for freshclam:

- `lotse-test.ndb`: a body signature for the EICAR test string, anywhere in a file (so EICAR
  inside a PDF is found too). The hex pattern is written at run time from the string, which is
  itself put together from pieces (test_virus_scan.EICAR): no file of the repository is an
  EICAR file.
- `lotse-test.hdb`: a hash signature (md5:size:name) for a harmless Lotse-specific marker.

clamd reports signatures from databases it cannot verify with the suffix ".UNOFFICIAL".
A missing clamd fails the tests (never skips them): install clamav-daemon.
"""

import hashlib
import logging
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from lotse.core import virus_scan
from lotse.core.uploads import check_upload
from lotse.web.tests.test_virus_scan import (
    EICAR,
    INFECTED_MSG,
    INFECTED_PDF,
    PDF,
    UNAVAILABLE_MSG,
    _case_of_caritas,
    _consent_state,
    _expected,
    _pdf,
    _post_case_document,
    _post_consent,
)

EICAR_SIGNATURE = "Lotse.Test.Eicar.UNOFFICIAL"
MARKER = b"Lotse test marker: harmless bytes with a hash signature of their own.\n" * 3
MARKER_SIGNATURE = "Lotse.Test.Marker.UNOFFICIAL"
STREAM_MAX_BYTES = 1024 * 1024  # clamd's StreamMaxLength here; production needs >= the upload limit
START_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Clamd:
    socket_path: str
    log_file: Path
    version: str
    start_seconds: float


def _clamd_binary() -> str:
    # Debian installs clamd in /usr/sbin, which is not on an ordinary user's PATH.
    found = shutil.which("clamd") or ("/usr/sbin/clamd" if os.access("/usr/sbin/clamd", os.X_OK) else None)
    if not found:
        pytest.fail("clamd (ClamAV's daemon) is not installed: run `make system-deps` or "
                    "`apt-get install clamav-daemon`. These tests check the virus scan of uploads "
                    "against the real daemon and are never skipped.", pytrace=False)
    return found


def _ask(path: str, command: bytes, timeout: float = 2) -> bytes:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(path)
        sock.sendall(command)
        reply = b""
        while b"\0" not in reply:
            data = sock.recv(4096)
            if not data:
                break
            reply += data
    return reply.split(b"\0", 1)[0]


def _write_database(folder: Path) -> None:
    folder.mkdir()
    (folder / "lotse-test.ndb").write_text(f"Lotse.Test.Eicar:0:*:{EICAR.hex()}\n")
    (folder / "lotse-test.hdb").write_text(
        f"{hashlib.md5(MARKER).hexdigest()}:{len(MARKER)}:Lotse.Test.Marker\n")


def _log_tail(*files: Path) -> str:
    return "\n".join(f"--- {f.name}:\n" + "\n".join(f.read_text(errors="replace").splitlines()[-30:])
                     for f in files if f.exists())


@pytest.fixture(scope="module")
def clamd_daemon(tmp_path_factory):
    """clamd on a Unix socket in a temporary folder, with the two test signatures only."""
    binary = _clamd_binary()
    folder = tmp_path_factory.mktemp("clamd")
    if len(str(folder / "clamd.ctl")) > 100:  # AF_UNIX paths are limited to 107 bytes
        folder = Path(tempfile.mkdtemp(prefix="clamd"))
    _write_database(folder / "db")
    socket_path, log_file, output = folder / "clamd.ctl", folder / "clamd.log", folder / "clamd.out"
    config = folder / "clamd.conf"
    # No `User` line: clamd then keeps the user that starts it (root in a container included)
    # instead of switching to Debian's `clamav`, which could not read the test's folder.
    config.write_text("\n".join([
        "Foreground yes",
        f"LocalSocket {socket_path}",
        f"DatabaseDirectory {folder / 'db'}",
        f"TemporaryDirectory {folder}",
        f"PidFile {folder / 'clamd.pid'}",
        f"LogFile {log_file}",
        "LogSyslog no",
        f"StreamMaxLength {STREAM_MAX_BYTES // 1024}K",
        "MaxThreads 2",
        "SelfCheck 0",
        "",
    ]))
    started = time.monotonic()
    with open(output, "wb") as out:
        process = subprocess.Popen([binary, "--config-file", str(config)], stdin=subprocess.DEVNULL,
                                   stdout=out, stderr=subprocess.STDOUT)
    try:
        reply = b""
        while time.monotonic() - started < START_TIMEOUT_SECONDS:
            if process.poll() is not None:
                pytest.fail(f"clamd exited with {process.returncode} while starting:\n"
                            f"{_log_tail(output, log_file)}", pytrace=False)
            try:
                reply = _ask(str(socket_path), b"zPING\0")
            except OSError:
                reply = b""
            if reply == b"PONG":
                break
            time.sleep(0.05)
        else:
            pytest.fail(f"clamd did not answer PING within {START_TIMEOUT_SECONDS} s (last reply "
                        f"{reply!r}):\n{_log_tail(output, log_file)}", pytrace=False)
        start_seconds = time.monotonic() - started
        version = _ask(str(socket_path), b"zVERSION\0").decode()
        logging.getLogger(__name__).info("%s answered PING after %.2f s", version, start_seconds)
        yield Clamd(str(socket_path), log_file, version, start_seconds)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@pytest.fixture
def real_clamd(clamd_daemon, settings):
    settings.LOTSE_CLAMD_SOCKET = clamd_daemon.socket_path
    settings.LOTSE_CLAMD_ADDRESS = ""
    settings.LOTSE_CLAMD_TIMEOUT = 10
    return clamd_daemon


# --- the client against clamd ---------------------------------------------------------------

@pytest.mark.db_independent
def test_the_daemon_is_clamav_and_starts_quickly(real_clamd):
    assert real_clamd.version.startswith("ClamAV ")
    assert real_clamd.start_seconds < START_TIMEOUT_SECONDS


@pytest.mark.db_independent
@pytest.mark.parametrize(("content", "signature"), [
    (EICAR, EICAR_SIGNATURE),
    (INFECTED_PDF, EICAR_SIGNATURE),  # the body signature finds EICAR inside a PDF
    (MARKER, MARKER_SIGNATURE),  # the hash signature: exactly these bytes
], ids=["eicar", "eicar-in-pdf", "lotse-marker"])
def test_real_clamd_finds_the_signature(real_clamd, content, signature):
    assert virus_scan.scan_bytes(content) == virus_scan.ScanResult(infected=True, signature=signature)


@pytest.mark.db_independent
@pytest.mark.parametrize("content", [b"hello", PDF, MARKER + b"x"],
                         ids=["text", "pdf-in-chunks", "marker-changed"])
def test_real_clamd_passes_harmless_bytes(real_clamd, content):
    assert virus_scan.scan_bytes(content) == virus_scan.ScanResult(infected=False)


@pytest.mark.db_independent
def test_a_file_over_clamds_stream_limit_is_refused_as_unscannable(real_clamd, caplog):
    at_limit = b"%PDF-1.4\n" + b"0" * (STREAM_MAX_BYTES - 9)
    assert virus_scan.scan_bytes(at_limit) == virus_scan.ScanResult(infected=False)
    too_big = at_limit + b"0"  # one byte over: clamd answers "INSTREAM size limit exceeded"
    with pytest.raises(virus_scan.ScannerUnavailable, match="size limit"):
        virus_scan.scan_bytes(too_big)
    # Through check_upload: within Lotse's upload limit, but clamd cannot check it all.
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        check_upload(_pdf(too_big), 10 * 1024 * 1024, field="file")
    assert exc.value.message_dict == {"file": [UNAVAILABLE_MSG]}
    assert any(r.levelno == logging.ERROR and "no verdict" in r.getMessage() for r in caplog.records)
    # clamd itself carries on.
    assert virus_scan.scan_bytes(b"hello") == virus_scan.ScanResult(infected=False)


# --- through the real upload views -----------------------------------------------------------

def _media_files(settings, sub: str = "") -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / sub
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.mark.django_db
def test_real_clamd_refuses_an_infected_consent_scan_and_stores_a_clean_one(world, real_clamd, settings):
    from lotse.core.testing import register_person
    from lotse.web.tests.test_views import _client_for

    pid = register_person(world)
    client = _client_for(world, "social_a")
    media_before = _media_files(settings)
    response = _post_consent(client, world, pid, INFECTED_PDF)
    assert response.status_code == 200
    assert _expected(INFECTED_MSG, name=EICAR_SIGNATURE) in response.content.decode()
    assert _consent_state(pid) == (0, 0)
    assert _media_files(settings) == media_before
    response = _post_consent(client, world, pid, PDF)
    assert response.status_code == 302
    assert _consent_state(pid) == (1, 1)
    assert len(_media_files(settings)) == len(media_before) + 1
    assert f"{EICAR_SIGNATURE} FOUND" in real_clamd.log_file.read_text()


@pytest.mark.django_db
def test_real_clamd_refuses_an_infected_case_document_and_stores_a_clean_one(world, real_clamd, settings):
    from lotse.cases.models import CaseDocument
    from lotse.core.scoping import personal_data_scope

    case, client = _case_of_caritas(world)
    before = _media_files(settings, "cases")
    response = _post_case_document(client, case, INFECTED_PDF)
    assert _expected(INFECTED_MSG, name=EICAR_SIGNATURE) in response.content.decode()
    with personal_data_scope():
        assert not CaseDocument.objects.exists()
    assert _media_files(settings, "cases") == before
    response = _post_case_document(client, case, PDF)
    assert response.status_code == 200
    with personal_data_scope():
        assert CaseDocument.objects.count() == 1
    assert len(_media_files(settings, "cases")) == len(before) + 1
