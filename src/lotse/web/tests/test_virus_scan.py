"""ASVS 5.4.3: uploads are scanned by clamd (INSTREAM) before they are stored, and refused when
the scanner finds something or gives no verdict (fail closed). A fake clamd speaks the
protocol on a Unix socket (and TCP) in the test's folder."""

import datetime
import io
import logging
import socket
import struct
import tempfile
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation
from django.utils.html import escape

from lotse.core import virus_scan
from lotse.core.uploads import check_upload

# The EICAR test string, put together at run time so this file itself is not flagged.
EICAR = ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*").encode()
SIGNATURE = "Eicar-Test-Signature"
PDF = b"%PDF-1.4\n% a harmless scan\n" + b"0" * 200_000  # several INSTREAM chunks
INFECTED_PDF = b"%PDF-1.4\n" + EICAR + b"\n"


def _recv_exact(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        more = conn.recv(size - len(data))
        if not more:
            raise ConnectionError("client closed")
        data += more
    return data


class FakeClamd:
    """A clamd that speaks INSTREAM. mode: "scan" (FOUND for EICAR, OK otherwise), "close"
    (hangs up after the command), "hang" (never answers), "garbage" (an unknown reply)."""

    def __init__(self, family: int, address, mode: str = "scan"):
        self.mode = mode
        self.streams: list[bytes] = []
        self.commands: list[bytes] = []
        self.stop = threading.Event()
        self.server = socket.socket(family, socket.SOCK_STREAM)
        self.server.bind(address)
        self.server.listen(8)
        self.server.settimeout(0.1)
        self.address = self.server.getsockname()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                try:
                    self._handle(conn)
                except (OSError, ConnectionError):
                    pass

    def _handle(self, conn: socket.socket) -> None:
        command = b""
        while not command.endswith(b"\0"):
            command += _recv_exact(conn, 1)
        self.commands.append(command)
        if self.mode == "close":
            return
        stream = b""
        while True:
            (length,) = struct.unpack("!L", _recv_exact(conn, 4))
            if length == 0:
                break
            stream += _recv_exact(conn, length)
        self.streams.append(stream)
        if self.mode == "hang":
            self.stop.wait(10)
            return
        if self.mode == "garbage":
            conn.sendall(b"INSTREAM size limit exceeded. ERROR\0")
        elif EICAR in stream:
            conn.sendall(f"stream: {SIGNATURE} FOUND\0".encode())
        else:
            conn.sendall(b"stream: OK\0")

    def close(self) -> None:
        self.stop.set()
        self.server.close()
        self.thread.join(5)


@pytest.fixture
def socket_path(tmp_path) -> str:
    path = tmp_path / "clamd.ctl"
    if len(str(path)) > 100:  # AF_UNIX paths are limited to 107 bytes
        path = Path(tempfile.mkdtemp(prefix="clamd")) / "clamd.ctl"
    return str(path)


@pytest.fixture
def clamd(socket_path):
    """A scanning fake clamd on a Unix socket, configured for the test."""
    server = FakeClamd(socket.AF_UNIX, socket_path)
    with override_settings(LOTSE_CLAMD_SOCKET=socket_path, LOTSE_CLAMD_ADDRESS="",
                           LOTSE_CLAMD_TIMEOUT=2):
        yield server
    server.close()


def _fake(socket_path, mode):
    return FakeClamd(socket.AF_UNIX, socket_path, mode)


def _pdf(content: bytes = PDF, name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- the client ---------------------------------------------------------------------------

def test_clean_file_passes_and_reaches_clamd_whole_in_chunks(clamd):
    checked = check_upload(_pdf(), 10 * 1024 * 1024, field="file")
    assert checked.content_type == "application/pdf"
    assert clamd.commands == [b"zINSTREAM\0"]
    assert clamd.streams == [PDF]


def test_infected_file_is_refused_naming_the_signature(clamd, caplog):
    upload = _pdf(INFECTED_PDF)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        check_upload(upload, 10 * 1024 * 1024, field="evidence")
    assert exc.value.message_dict == {
        "evidence": [f"The file was refused: the virus scanner found {SIGNATURE}."]}
    assert any(SIGNATURE in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)
    assert "scan.pdf" not in caplog.text  # the log names the file by its hash only


def test_tcp_address_works_too(socket_path):
    server = FakeClamd(socket.AF_INET, ("127.0.0.1", 0))
    try:
        with override_settings(LOTSE_CLAMD_SOCKET="", LOTSE_CLAMD_TIMEOUT=2,
                               LOTSE_CLAMD_ADDRESS=f"127.0.0.1:{server.address[1]}"):
            assert virus_scan.scan_bytes(b"hello") == virus_scan.ScanResult(infected=False)
            assert virus_scan.scan_bytes(EICAR) == virus_scan.ScanResult(True, SIGNATURE)
    finally:
        server.close()


@pytest.mark.parametrize("mode", ["close", "hang", "garbage", "missing"])
def test_a_scanner_without_a_verdict_refuses_the_upload(socket_path, mode, caplog):
    server = None if mode == "missing" else _fake(socket_path, mode)
    try:
        with override_settings(LOTSE_CLAMD_SOCKET=socket_path, LOTSE_CLAMD_TIMEOUT=0.5), \
                translation.override("en"), pytest.raises(ValidationError) as exc:
            check_upload(_pdf(), 10 * 1024 * 1024, field="file")
    finally:
        if server:
            server.close()
    assert exc.value.message_dict == {"file": [
        "The file could not be checked for viruses; please try again later or tell the "
        "administrator."]}
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert errors and "no verdict" in errors[0].getMessage()


def test_unreachable_tcp_address_and_malformed_address_fail_closed():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    for address in (f"127.0.0.1:{port}", "clamd-without-port"):
        with override_settings(LOTSE_CLAMD_SOCKET="", LOTSE_CLAMD_ADDRESS=address,
                               LOTSE_CLAMD_TIMEOUT=0.5), pytest.raises(virus_scan.ScannerUnavailable):
            virus_scan.scan_bytes(b"x")


def test_without_a_scanner_nothing_is_scanned():
    with override_settings(LOTSE_CLAMD_SOCKET="", LOTSE_CLAMD_ADDRESS=""):
        assert not virus_scan.scanner_configured()
        assert check_upload(_pdf(INFECTED_PDF), 10 * 1024 * 1024, field="file").size == len(INFECTED_PDF)


def test_cheap_checks_come_first_and_the_upload_is_rewound(clamd):
    with pytest.raises(ValidationError):
        check_upload(_pdf(b"MZ not a pdf"), 10 * 1024 * 1024, field="file")
    assert clamd.streams == []  # a wrong type never reaches the scanner
    upload = _pdf()
    check_upload(upload, 10 * 1024 * 1024, field="file")
    assert upload.read() == PDF


def test_address_parsing():
    assert virus_scan.parse_address("clamav.internal:3310") == ("clamav.internal", 3310)
    assert virus_scan.parse_address("[::1]:3310") == ("::1", 3310)
    for bad in ("clamav", ":3310", "host:0", "host:http", "host:70000"):
        with pytest.raises(ValueError):
            virus_scan.parse_address(bad)


# --- the deploy check ---------------------------------------------------------------------

def test_deploy_check_warns_without_a_scanner_outside_dev():
    with override_settings(DEV_MODE=False, LOTSE_CLAMD_SOCKET="", LOTSE_CLAMD_ADDRESS=""):
        assert [m.id for m in virus_scan.check_virus_scanner()] == ["lotse.W001"]
    with override_settings(DEV_MODE=True, LOTSE_CLAMD_SOCKET="", LOTSE_CLAMD_ADDRESS=""):
        assert virus_scan.check_virus_scanner() == []
    with override_settings(DEV_MODE=False, LOTSE_CLAMD_SOCKET="/run/clamav/clamd.ctl"):
        assert virus_scan.check_virus_scanner() == []
    with override_settings(DEV_MODE=False, LOTSE_CLAMD_SOCKET="", LOTSE_CLAMD_ADDRESS="clamd"):
        assert [m.id for m in virus_scan.check_virus_scanner()] == ["lotse.E001"]


def test_deploy_check_is_registered_with_check_deploy():
    from django.core import checks

    with override_settings(DEV_MODE=False, LOTSE_CLAMD_SOCKET="", LOTSE_CLAMD_ADDRESS=""):
        found = checks.run_checks(tags=[checks.Tags.security], include_deployment_checks=True)
    assert "lotse.W001" in [m.id for m in found]


# --- through the real upload views: nothing stored ---------------------------------------

def _expected(message: str, **values) -> str:
    with translation.override("de"):
        return escape(translation.gettext(message) % values)


INFECTED_MSG = "The file was refused: the virus scanner found %(name)s."
UNAVAILABLE_MSG = ("The file could not be checked for viruses; please try again later or tell "
                   "the administrator.")


def _post_consent(client, world, pid, content: bytes):
    return client.post(f"/persons/{pid}/consents/new/", {
        "categories": ["identity"], "from_agency": world.agencies["social_a"].pk,
        "to_agency": world.agencies["jobcentre"].pk, "purpose": "benefits_handover",
        "given_on": datetime.date.today().isoformat(), "method": "uploaded_scan",
        "informed_language": "ar", "record": "1", "evidence": _pdf(content),
    })


def _consent_state(pid):
    from lotse.audit.models import AccessEvent
    from lotse.consent.models import Consent
    from lotse.core.scoping import personal_data_scope

    with personal_data_scope():
        consents = Consent.objects.filter(person_id=pid).count()
    return consents, AccessEvent.objects.filter(action="consent.recorded").count()


@pytest.mark.django_db
def test_infected_consent_scan_is_refused_with_the_message_and_nothing_is_stored(world, clamd, settings):
    from lotse.core.testing import register_person
    from lotse.web.tests.test_views import _client_for

    pid = register_person(world)
    client = _client_for(world, "social_a")
    media_before = sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())
    response = _post_consent(client, world, pid, INFECTED_PDF)
    assert response.status_code == 200
    assert _expected(INFECTED_MSG, name=SIGNATURE) in response.content.decode()
    assert _consent_state(pid) == (0, 0)
    assert sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()) == media_before
    # A clean scan goes through the same scanner and is stored.
    response = _post_consent(client, world, pid, PDF)
    assert response.status_code == 302
    assert _consent_state(pid) == (1, 1)
    assert len(clamd.streams) == 2


@pytest.mark.django_db
def test_consent_scan_is_refused_when_the_scanner_is_unreachable(world, socket_path, caplog):
    from lotse.core.testing import register_person
    from lotse.web.tests.test_views import _client_for

    pid = register_person(world)
    client = _client_for(world, "social_a")
    with override_settings(LOTSE_CLAMD_SOCKET=socket_path, LOTSE_CLAMD_TIMEOUT=0.5):  # no server
        response = _post_consent(client, world, pid, PDF)
    assert response.status_code == 200
    assert _expected(UNAVAILABLE_MSG) in response.content.decode()
    assert _consent_state(pid) == (0, 0)
    assert any(r.levelno == logging.ERROR and r.name == "lotse.core.uploads" for r in caplog.records)


def _case_of_caritas(world):
    """A Caritas case with a note (documents go to a case), and Caritas's logged-in client."""
    from lotse.cases.services import note_add
    from lotse.core.testing import open_case, register_person
    from lotse.web.tests.test_views import _client_for

    case = open_case(world, register_person(world, by="caritas"))
    note_add(ctx=world.ctx("caritas"), case_id=case.pk, category="general", text="note")
    return case, _client_for(world, "caritas")


def _post_case_document(client, case, content: bytes):
    upload = io.BytesIO(content)
    upload.name = "zeugnis.pdf"
    return client.post(f"/cases/{case.pk}/documents/", {
        "title": "Zeugnis", "kind": "certificate", "category": "general", "file": upload},
        follow=True)


@pytest.mark.django_db
def test_infected_case_document_is_refused_and_nothing_is_stored(world, clamd, settings):
    from lotse.cases.models import CaseDocument
    from lotse.core.scoping import personal_data_scope

    case, client = _case_of_caritas(world)
    folder = Path(settings.MEDIA_ROOT) / "cases"
    before = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
    response = _post_case_document(client, case, INFECTED_PDF)
    assert _expected(INFECTED_MSG, name=SIGNATURE) in response.content.decode()
    with personal_data_scope():
        assert not CaseDocument.objects.exists()
    after = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
    assert after == before
