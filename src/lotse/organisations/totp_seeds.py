"""TOTP seeds sealed at rest (ASVS 13.3.1).

django-otp stores a device's seed as hex in `otp_totp_totpdevice.key`, so a copy of the database
would yield every staff member's second factor. Lotse stores it sealed instead: AES-256-GCM with a
key that lives outside the database, in the file `LOTSE_TOTP_SEED_KEY_FILE` (by default
`var/keys/totp-seed.key`; a systemd credential or a mounted secret in production). The sealed form
fits django-otp's column (80 characters): `s1:` + base64url(nonce 12 bytes + seed + tag 16 bytes).

The key file is created on first use (32 random bytes, mode 0600), atomically, so workers starting
together agree on one key. Losing it makes every second factor unreadable: administrators then
reset them (docs/operations.md); it belongs in the backup of secrets, not the database backup.
"""

import base64
import binascii
import functools
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

SEALED_PREFIX = "s1:"
_NONCE_BYTES = 12
_KEY_BYTES = 32
_CONTEXT = b"lotse:totp-seed:v1"  # associated data: a sealed value of another kind never opens


class SeedUnreadable(Exception):
    """A sealed seed could not be opened: the key file is missing, another or damaged."""


def _write_new_key(path: Path) -> None:
    """Write a fresh key to `path` unless one exists; the file appears complete or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(base64.b64encode(secrets.token_bytes(_KEY_BYTES)) + b"\n")
        try:
            os.link(draft, path)  # fails if another process was first: its key wins
        except FileExistsError:
            pass
    finally:
        draft.unlink(missing_ok=True)


@functools.lru_cache(maxsize=4)
def _cipher_for(path: Path) -> AESGCM:
    if not path.exists():
        _write_new_key(path)
    try:
        key = base64.b64decode(path.read_bytes().strip(), validate=True)
    except (OSError, binascii.Error) as exc:
        raise SeedUnreadable(f"The TOTP seed key {path} cannot be read: {exc}") from exc
    if len(key) != _KEY_BYTES:
        raise SeedUnreadable(f"The TOTP seed key {path} is not {_KEY_BYTES} bytes long.")
    return AESGCM(key)


def _cipher() -> AESGCM:
    return _cipher_for(Path(settings.LOTSE_TOTP_SEED_KEY_FILE))


def is_sealed(stored: str) -> bool:
    return stored.startswith(SEALED_PREFIX)


def seal(hex_seed: str) -> str:
    """The stored form of a hex seed (as django-otp generates it)."""
    seed = binascii.unhexlify(hex_seed.encode())
    nonce = secrets.token_bytes(_NONCE_BYTES)
    sealed = nonce + _cipher().encrypt(nonce, seed, _CONTEXT)
    return SEALED_PREFIX + base64.urlsafe_b64encode(sealed).decode("ascii")


def unseal(stored: str) -> bytes:
    """The binary seed of a stored value; raises SeedUnreadable if it cannot be opened."""
    if not is_sealed(stored):
        raise SeedUnreadable("The TOTP seed is not sealed.")
    try:
        sealed = base64.urlsafe_b64decode(stored[len(SEALED_PREFIX):].encode("ascii"))
        return _cipher().decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], _CONTEXT)
    except (binascii.Error, ValueError, InvalidTag) as exc:
        raise SeedUnreadable("The TOTP seed cannot be opened with the configured key.") from exc
