"""Writing to the hash chain. Callers must be inside `transaction.atomic()`."""

import datetime
import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from lotse.audit.models import AccessEvent
from lotse.audit.shipping import ship_after_commit

GENESIS_HASH = "0" * 64
# Arbitrary constant key for pg_advisory_xact_lock: "LOTSEAUD".
_ADVISORY_LOCK_KEY = 0x4C4F545345415544 & 0x7FFFFFFFFFFFFFFF

PAYLOAD_FIELDS = (
    "seq", "ts", "action", "actor_id", "agency_id", "person_id", "categories",
    "purpose", "decision", "basis", "object_ref", "request_id",
)


class AuditWriteError(RuntimeError):
    """The access log could not be written; the access must be denied (fail closed)."""


@dataclass(frozen=True)
class EventData:
    action: str
    decision: str
    actor_id: int | None = None
    agency_id: int | None = None
    person_id: int | None = None
    categories: str = ""
    purpose: str = ""
    basis: str = ""
    object_ref: str = ""
    request_id: str = ""


def canonical_payload(values: dict) -> bytes:
    data = {name: values[name] for name in PAYLOAD_FIELDS}
    ts = data["ts"]
    data["ts"] = ts if isinstance(ts, str) else ts.astimezone(datetime.UTC).isoformat(
        timespec="microseconds"
    )
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def entry_hash(prev_hash: str, payload: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + payload).hexdigest()


def lock_chain() -> None:
    """Serialise with every other writer of the chain until the transaction ends."""
    _lock_chain_head()


def _lock_chain_head() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
    # SQLite: transactions start IMMEDIATE (settings), so the writer already holds the lock.


def new_request_id() -> str:
    return uuid.uuid4().hex


def append_events(events: Iterable[EventData]) -> list[AccessEvent]:
    """Append events to the chain in the current transaction; raise AuditWriteError on failure."""
    events = list(events)
    if not events:
        return []
    if not connection.in_atomic_block:
        raise AuditWriteError("The access log is written only inside the action's transaction.")
    try:
        _lock_chain_head()
        head = AccessEvent.objects.order_by("-seq").values_list("seq", "entry_hash").first()
        seq, prev = head if head else (0, GENESIS_HASH)
        now = timezone.now()
        rows = []
        for event in events:
            seq += 1
            values = {**event.__dict__, "seq": seq, "ts": now}
            digest = entry_hash(prev, canonical_payload(values))
            rows.append(AccessEvent(**values, prev_hash=prev, entry_hash=digest))
            prev = digest
        with transaction.atomic():
            AccessEvent.objects.bulk_create(rows)
        ship_after_commit(rows)  # to the separate log host, once the transaction commits
    except AuditWriteError:
        raise
    except Exception as exc:  # any database failure: fail closed
        raise AuditWriteError(f"The access log could not be written: {exc}") from exc
    return rows


def append_event(event: EventData) -> AccessEvent:
    return append_events([event])[0]
