"""Writing to the hash chain. Callers must be inside `transaction.atomic()`."""

import datetime
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from json.encoder import encode_basestring_ascii

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
    """The definition of the hashed payload; the append path uses it."""
    data = {name: values[name] for name in PAYLOAD_FIELDS}
    ts = data["ts"]
    data["ts"] = ts if isinstance(ts, str) else canonical_ts(ts)
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def canonical_ts(ts: datetime.datetime) -> str:
    """The payload's text of a time: UTC, ISO 8601, always with microseconds."""
    return ts.astimezone(datetime.UTC).isoformat(timespec="microseconds")


# The same payloads for many rows at once, for the verification (audit/verification.py).
# json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=True) of a flat dict is "{",
# the keys in sorted order each followed by ":" and the value's JSON text, separated by ",",
# then "}". The key fragments are fixed, so a payload is a join of precomputed fragments with
# the values' texts: the json module's own C string encoder for str (the function json.dumps
# uses with ensure_ascii), int's decimal text for int (what json.dumps writes), "null" for
# None. Any other type (bool, float, bytes, ...) is not encoded here: the caller falls back
# to canonical_payload. tests/test_fast_canonical.py checks the equality byte for byte.
CANONICAL_ORDER = tuple(sorted(PAYLOAD_FIELDS))
_KEY_FRAGMENTS = tuple(
    ("{" if index == 0 else ",") + json.dumps(name) + ":" for index, name in enumerate(CANONICAL_ORDER)
)
_STR_ONLY = frozenset({str})
_INT_OR_NONE = frozenset({int, type(None)})


def json_texts(column: Sequence) -> list[str] | None:
    """Each value's JSON text as canonical_payload writes it, for a column of only str or of
    only int and None (exact types: bool is not int here); None for any other column."""
    kinds = set(map(type, column))
    if kinds <= _STR_ONLY:
        encode = encode_basestring_ascii
    elif kinds <= _INT_OR_NONE:
        encode = _int_or_null_text
    else:
        return None
    try:
        distinct = set(column)
        if len(distinct) * 2 > len(column):
            return list(map(encode, column))
        texts = dict(zip(distinct, map(encode, distinct), strict=True))  # repeated values: once each
        return list(map(texts.__getitem__, column))
    except ValueError:  # an int beyond sys.get_int_max_str_digits(): json.dumps fails too
        return None


def _int_or_null_text(value: int | None) -> str:
    return "null" if value is None else str(value)


def canonical_payload_texts(columns: Mapping[str, Sequence]) -> list[str] | None:
    """The payload text of each row, given column-wise (every PAYLOAD_FIELDS name, columns of
    equal length, "ts" already as canonical_ts text): the same as canonical_payload(row).decode().
    None when a column holds a type that only canonical_payload encodes."""
    if len({len(columns[name]) for name in CANONICAL_ORDER}) != 1:
        raise ValueError("the payload columns differ in length")
    parts: list = []
    for fragment, name in zip(_KEY_FRAGMENTS, CANONICAL_ORDER, strict=True):
        texts = json_texts(columns[name])
        if texts is None:
            return None
        parts += (repeat(fragment), texts)
    parts.append(repeat("}"))
    return list(map("".join, zip(*parts, strict=False)))  # the repeats are endless


def entry_hashes(prev_hashes: Sequence[str], payload_texts: Sequence[str]) -> list[str]:
    """entry_hash(prev, payload) of each row, payloads given as the (ASCII) canonical texts."""
    sha256 = hashlib.sha256
    return [sha256((prev + text).encode("ascii")).hexdigest()
            for prev, text in zip(prev_hashes, payload_texts, strict=True)]


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
