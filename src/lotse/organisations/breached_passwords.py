"""New passwords checked against a list of breached passwords, offline (ASVS 6.2.12).

The operator downloads Have I Been Pwned's "Pwned Passwords" as SHA-1 hashes with the official
`haveibeenpwned-downloader` and names the result in `LOTSE_BREACHED_PASSWORDS`. Both of its
output forms are read:

- a single text file (about 38 GB), one line per hash, sorted by hash:
  `<40 hex SHA-1>:<count>` (the `:<count>` may be missing; CRLF or LF). It is searched by
  binary search with seek: some 36 short reads, never the whole file;
- a folder of range files (`-s false`), `<5 hex prefix>.txt` each with lines
  `<35 hex suffix>:<count>`: only the one file for the password's prefix is read.

Everything happens on this server: neither the password nor its hash leaves it. A count of 0
(a padding line) is not a breach.

Fail closed: when the setting names a list that cannot be read, `BreachedPasswordValidator`
refuses every new password (and logs the path on `lotse.security`); an empty setting switches
the check off, which `lotse check --deploy` reports as lotse.W003. A configured list that is
missing or unreadable is the error lotse.E003 at every `lotse check` (and thus at start-up of
the management commands).
"""

import hashlib
import logging
import os
import re
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

log = logging.getLogger("lotse.security")

RANGE_PREFIX_LENGTH = 5
RANGE_FILE_SUFFIX = ".txt"
FIRST_PREFIX, LAST_PREFIX = b"00000", b"FFFFF"
TAIL_BYTES = 256
_SHA1_LINE = re.compile(rb"^[0-9A-Fa-f]{40}(:\d+)?\s*$")
_RANGE_LINE = re.compile(rb"^[0-9A-Fa-f]{35}(:\d+)?\s*$")
_BOM = b"\xef\xbb\xbf"


class BreachedListUnreadable(Exception):
    """The configured list cannot be read: no verdict, so the password must be refused."""


def configured_source() -> str:
    """The path named in LOTSE_BREACHED_PASSWORDS, or "" when the check is switched off."""
    return str(getattr(settings, "LOTSE_BREACHED_PASSWORDS", "") or "").strip()


def password_sha1(password: str) -> bytes:
    """The password's SHA-1 as 40 uppercase hex digits (ASCII bytes), as in Pwned Passwords."""
    data = password.encode("utf-8", "surrogatepass")
    return hashlib.sha1(data, usedforsecurity=False).hexdigest().upper().encode("ascii")


def is_breached(password: str, source: str | os.PathLike) -> bool:
    """True when the password's SHA-1 is in the list at `source` (a sorted file or a folder
    of range files). Raises BreachedListUnreadable when the list cannot be read."""
    path = Path(source)
    digest = password_sha1(password)
    try:
        if path.is_dir():
            return _range_folder_contains(path, digest)
        return _sorted_file_contains(path, digest)
    except OSError as exc:
        raise BreachedListUnreadable(f"{path}: {exc}") from exc


# --- form 1: one file sorted by hash, binary search with seek ------------------------------

def _sorted_file_contains(path: Path, digest: bytes) -> bool:
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        position = _first_position_not_below(handle, size, digest)
        hash_, count = _parse_line(_line_from(handle, position))
    return hash_ == digest and count != 0


def _first_position_not_below(handle: BinaryIO, size: int, digest: bytes) -> int:
    """The smallest byte offset whose next line (see `_line_from`) holds a hash >= digest, or
    lies at the end of the file. Lines are sorted, so this holds for every larger offset too."""
    low, high = 0, size
    while low < high:
        middle = (low + high) // 2
        hash_, _count = _parse_line(_line_from(handle, middle))
        if not hash_ or hash_ >= digest:  # the end (or a blank last line) sorts after all
            high = middle
        else:
            low = middle + 1
    return low


def _line_from(handle: BinaryIO, position: int) -> bytes:
    """The first line that starts at `position` or later: skip to the next line start, unless
    `position` is one already (the file start, or just after a line end)."""
    if position == 0:
        handle.seek(0)
    else:
        handle.seek(position - 1)
        handle.readline()
    return handle.readline()


# --- form 2: a folder of range files, only the prefix's file is read -----------------------

def range_file_path(folder: Path, digest: bytes) -> Path:
    prefix = digest[:RANGE_PREFIX_LENGTH].decode("ascii")
    return folder / f"{prefix}{RANGE_FILE_SUFFIX}"


def _range_folder_contains(folder: Path, digest: bytes) -> bool:
    """A missing range file is an incomplete download: it raises (FileNotFoundError), fail closed."""
    suffix = digest[RANGE_PREFIX_LENGTH:]
    with open(range_file_path(folder, digest), "rb") as handle:
        for line in handle:
            hash_, count = _parse_line(line)
            if hash_ == suffix:
                return count != 0
    return False


def _parse_line(line: bytes) -> tuple[bytes, int | None]:
    """b"ABC…:12\\r\\n" → (b"ABC…", 12); without ":count" the count is None."""
    hash_, _sep, count_text = line.strip().removeprefix(_BOM).partition(b":")
    count_text = count_text.strip()
    return hash_.strip().upper(), int(count_text) if count_text.isdigit() else None


# --- the password validator (AUTH_PASSWORD_VALIDATORS) --------------------------------------

class BreachedPasswordValidator:
    """Refuses a password that appears in the list named by LOTSE_BREACHED_PASSWORDS; does
    nothing while the setting is empty. The setting is read at every call (not cached)."""

    def validate(self, password, user=None):
        source = configured_source()
        if not source:
            return
        try:
            breached = is_breached(password, source)
        except BreachedListUnreadable as exc:
            log.error("breached-password list LOTSE_BREACHED_PASSWORDS=%s cannot be read: %s", source, exc)
            raise ValidationError(
                _("The list of breached passwords cannot be read, so no new password can be "
                  "accepted right now. Please ask your administrator."),
                code="password_breached_list_unreadable") from exc
        if breached:
            raise ValidationError(
                _("This password appeared in a known data breach. Choose a different password."),
                code="password_breached")

    def get_help_text(self):
        return _("Your password must not appear in a known data breach.")


# --- system checks -------------------------------------------------------------------------

@checks.register(checks.Tags.security, deploy=True)
def check_breached_passwords_configured(app_configs=None, **kwargs):
    """`lotse check --deploy`: new passwords must be checked against a breach list (6.2.12)."""
    if configured_source() or getattr(settings, "DEV_MODE", False):
        return []
    return [checks.Warning(
        "LOTSE_BREACHED_PASSWORDS is not set: new passwords are not checked against a list of "
        "breached passwords.",
        hint="Download Pwned Passwords (SHA-1) with haveibeenpwned-downloader and set "
             "LOTSE_BREACHED_PASSWORDS to the file or folder; see docs/operations.md.",
        id="lotse.W003")]


@checks.register(checks.Tags.security)
def check_breached_passwords_readable(app_configs=None, **kwargs):
    """`lotse check`: a configured list must exist, be readable and hold SHA-1 lines."""
    source = configured_source()
    if not source:
        return []
    problem = list_problem(Path(source))
    if not problem:
        return []
    return [checks.Error(
        f"LOTSE_BREACHED_PASSWORDS={source!r} {problem}: every new password is refused.",
        hint="Point it to the SHA-1 file or folder of range files written by "
             "haveibeenpwned-downloader, readable by the Lotse user; see docs/operations.md.",
        id="lotse.E003")]


def list_problem(path: Path) -> str:
    """Why the list at `path` cannot be used ("" if it can). Reads its first and last lines,
    not the list: a wrong format (say the NTLM list) or an interrupted download shows there."""
    try:
        if path.is_dir():
            return _range_folder_problem(path)
        if path.is_file():
            return _sorted_file_problem(path)
        return "does not exist"
    except OSError as exc:
        return f"cannot be read ({exc})"


def _sorted_file_problem(path: Path) -> str:
    with open(path, "rb") as handle:
        first = handle.readline().removeprefix(_BOM)
        handle.seek(max(0, os.fstat(handle.fileno()).st_size - TAIL_BYTES))
        tail = [line for line in handle.read(TAIL_BYTES).splitlines() if line.strip()]
    if not _SHA1_LINE.match(first):
        return f"is not a Pwned Passwords SHA-1 list (first line: {first[:60]!r})"
    if not tail or not tail[-1].upper().startswith(LAST_PREFIX):
        return f"is incomplete: its last line is not in the last range {LAST_PREFIX.decode()} (download it again)"
    return ""


def _range_folder_problem(folder: Path) -> str:
    first_file = range_file_path(folder, FIRST_PREFIX)
    with open(first_file, "rb") as handle:
        first = handle.readline().removeprefix(_BOM)
    if not _RANGE_LINE.match(first):
        return f"is not a folder of Pwned Passwords SHA-1 range files (first line of {first_file.name}: {first[:60]!r})"
    if not range_file_path(folder, LAST_PREFIX).is_file():
        return f"is incomplete: {range_file_path(folder, LAST_PREFIX).name} is missing (download it again)"
    return ""
