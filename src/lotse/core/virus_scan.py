"""Antivirus scan of uploads with ClamAV's daemon (clamd), ASVS 5.4.3.

`check_upload` (core/uploads.py) hands every upload here before anything is stored. When
`LOTSE_CLAMD_SOCKET` (a Unix socket path) or `LOTSE_CLAMD_ADDRESS` ("host:port") is set, the
file is streamed to clamd with the INSTREAM command:

    b"zINSTREAM\\0", then chunks each prefixed by its length (4 bytes, big-endian), then a
    zero-length chunk; clamd answers b"stream: OK\\0", b"stream: <signature> FOUND\\0" or
    b"... ERROR\\0" (for example when the stream exceeds clamd's StreamMaxLength).

The client is written here rather than taken from PyPI: `clamd` (last release 2014) and
`pyclamd` (2017) are unmaintained, and the maintained `clamav-client` would add a dependency to
the hash-locked requirements for some sixty lines of socket code whose timeout and fail-closed
behaviour we want to state and test exactly.

Fail closed: a configured scanner that cannot be reached, times out or answers anything but OK
or FOUND refuses the upload (`ScannerUnavailable`). Without a configured scanner nothing is
scanned (development); `lotse check --deploy` warns about that outside LOTSE_DEV.
"""

import logging
import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core import checks

log = logging.getLogger("lotse.core.virus_scan")

CHUNK_BYTES = 64 * 1024
MAX_REPLY_BYTES = 4096
DEFAULT_TIMEOUT_SECONDS = 30


class ScannerUnavailable(Exception):
    """The configured scanner gave no verdict: the upload must be refused (fail closed)."""


@dataclass(frozen=True)
class ScanResult:
    infected: bool
    signature: str = ""


def scanner_configured() -> bool:
    return bool(_socket_path() or _address())


def _socket_path() -> str:
    return (getattr(settings, "LOTSE_CLAMD_SOCKET", "") or "").strip()


def _address() -> str:
    return (getattr(settings, "LOTSE_CLAMD_ADDRESS", "") or "").strip()


def _timeout() -> float:
    return float(getattr(settings, "LOTSE_CLAMD_TIMEOUT", DEFAULT_TIMEOUT_SECONDS) or
                 DEFAULT_TIMEOUT_SECONDS)


def parse_address(address: str) -> tuple[str, int]:
    """"host:port" (IPv6 as "[::1]:3310") → (host, port); ValueError if malformed."""
    host, sep, port = address.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"not host:port: {address!r}")
    return host, int(port)


def _connect() -> socket.socket:
    timeout = _timeout()
    path = _socket_path()
    if path:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect(path)
        except BaseException:
            sock.close()
            raise
        return sock
    sock = socket.create_connection(parse_address(_address()), timeout=timeout)
    sock.settimeout(timeout)
    return sock


def _read_reply(sock: socket.socket) -> bytes:
    reply = b""
    while b"\0" not in reply and len(reply) < MAX_REPLY_BYTES:
        data = sock.recv(MAX_REPLY_BYTES)
        if not data:
            break
        reply += data
    return reply.split(b"\0", 1)[0]


def _parse_reply(reply: bytes) -> ScanResult:
    text = reply.decode("utf-8", "replace").strip()
    if text == "stream: OK":
        return ScanResult(infected=False)
    if text.startswith("stream: ") and text.endswith(" FOUND"):
        signature = text[len("stream: "):-len(" FOUND")].strip()
        return ScanResult(infected=True, signature=signature[:200] or "?")
    raise ScannerUnavailable(f"clamd answered {text[:200]!r}" if text else "clamd gave no answer")


def scan_chunks(chunks: Iterable[bytes]) -> ScanResult:
    """Stream the chunks to clamd; return its verdict or raise ScannerUnavailable."""
    if not scanner_configured():
        raise ScannerUnavailable("no virus scanner is configured")
    try:
        with _connect() as sock:
            try:
                sock.sendall(b"zINSTREAM\0")
                for chunk in chunks:
                    for start in range(0, len(chunk), CHUNK_BYTES):
                        piece = chunk[start:start + CHUNK_BYTES]
                        sock.sendall(struct.pack("!L", len(piece)) + piece)
                sock.sendall(struct.pack("!L", 0))
            except OSError as exc:
                # clamd closes early on a size-limit or other error; its reply says why.
                try:
                    reply = _read_reply(sock)
                except OSError:
                    reply = b""
                detail = reply.decode("utf-8", "replace")[:200]
                raise ScannerUnavailable(f"sending to clamd failed ({exc}); clamd: {detail!r}") from exc
            return _parse_reply(_read_reply(sock))
    except ScannerUnavailable:
        raise
    except (OSError, ValueError) as exc:  # refused, missing socket, timeout, bad address
        raise ScannerUnavailable(f"clamd not reachable: {exc}") from exc


def scan_bytes(data: bytes) -> ScanResult:
    return scan_chunks([data])


def scan_upload(upload) -> ScanResult:
    """Scan an uploaded file (Django UploadedFile) from its start; rewinds it afterwards."""
    upload.seek(0)
    try:
        return scan_chunks(upload.chunks(CHUNK_BYTES))
    finally:
        upload.seek(0)


@checks.register(checks.Tags.security, deploy=True)
def check_virus_scanner(app_configs=None, **kwargs):
    """`lotse check --deploy`: uploads must be scanned in production (ASVS 5.4.3)."""
    address = _address()
    if address and not _socket_path():
        try:
            parse_address(address)
        except ValueError:
            return [checks.Error(
                f"LOTSE_CLAMD_ADDRESS is not host:port: {address!r}.",
                hint="For example 127.0.0.1:3310, or set LOTSE_CLAMD_SOCKET to clamd's socket.",
                id="lotse.E001")]
    if scanner_configured() or getattr(settings, "DEV_MODE", False):
        return []
    return [checks.Warning(
        "No virus scanner is configured: uploaded files are stored without an antivirus scan.",
        hint="Run clamd and set LOTSE_CLAMD_SOCKET (e.g. /run/clamav/clamd.ctl) or "
             "LOTSE_CLAMD_ADDRESS (host:port); see docs/installation.md.",
        id="lotse.W001")]
