"""Signed checkpoints of the chain head (Ed25519, key outside the database)."""

import base64
import datetime
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lotse.audit.models import AccessEvent, AuditCheckpoint


class CheckpointKeyMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class SignedHead:
    seq: int
    entry_hash: str
    signed_at: str
    key_id: str
    signature: str

    def message(self) -> bytes:
        return f"lotse-audit-checkpoint|{self.seq}|{self.entry_hash}|{self.signed_at}".encode()


def _key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:32]


def checkpoint_file() -> Path:
    return Path(getattr(settings, "LOTSE_AUDIT_CHECKPOINT_FILE", None) or
                Path(settings.LOTSE_AUDIT_KEY_FILE).parent / "checkpoints.jsonl")


def generate_keypair(private_path: Path, public_path: Path) -> None:
    private_path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    private_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    private_path.chmod(0o600)
    public_path.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


def load_private_key() -> Ed25519PrivateKey:
    path = Path(settings.LOTSE_AUDIT_KEY_FILE)
    if not path.exists():
        raise CheckpointKeyMissing(f"No audit signing key at {path} (run `lotse audit-keygen`).")
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey)
    return key


def load_public_key() -> Ed25519PublicKey:
    path = Path(settings.LOTSE_AUDIT_PUBLIC_KEY_FILE)
    if not path.exists():
        raise CheckpointKeyMissing(f"No audit public key at {path}.")
    key = serialization.load_pem_public_key(path.read_bytes())
    assert isinstance(key, Ed25519PublicKey)
    return key


def sign_head() -> SignedHead | None:
    """Sign the current head, store it in the database and append it to the external file."""
    key = load_private_key()
    with transaction.atomic():
        head = AccessEvent.objects.order_by("-seq").values_list("seq", "entry_hash").first()
        if head is None:
            return None
        signed_at = timezone.now().astimezone(datetime.UTC).isoformat(timespec="seconds")
        unsigned = SignedHead(head[0], head[1], signed_at, _key_id(key.public_key()), "")
        signature = base64.b64encode(key.sign(unsigned.message())).decode()
        signed = SignedHead(head[0], head[1], signed_at, unsigned.key_id, signature)
        AuditCheckpoint.objects.update_or_create(
            seq=signed.seq,
            defaults={
                "entry_hash": signed.entry_hash,
                "signed_at": datetime.datetime.fromisoformat(signed_at),
                "key_id": signed.key_id,
                "signature": signed.signature,
            },
        )
    path = checkpoint_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(signed.__dict__, sort_keys=True) + "\n")
    return signed


def verify_signature(head: SignedHead, public_key: Ed25519PublicKey) -> bool:
    try:
        public_key.verify(base64.b64decode(head.signature), head.message())
    except (InvalidSignature, ValueError):
        return False
    return True


def load_checkpoints() -> list[SignedHead]:
    """Checkpoints from the external file plus those in the database (deduplicated by seq)."""
    heads: dict[tuple[int, str], SignedHead] = {}
    path = checkpoint_file()
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                head = SignedHead(**json.loads(line))
                heads[(head.seq, head.signature)] = head
    for row in AuditCheckpoint.objects.all():
        signed_at = row.signed_at.astimezone(datetime.UTC).isoformat(timespec="seconds")
        head = SignedHead(row.seq, row.entry_hash, signed_at, row.key_id, row.signature)
        heads[(head.seq, head.signature)] = head
    return sorted(heads.values(), key=lambda h: h.seq)
