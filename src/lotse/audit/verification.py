"""Verify the whole chain against its hashes and the signed checkpoints.

Names the first broken entry: a changed row (hash mismatch), a deleted row (gap in seq), an
inserted or reordered row (prev-link mismatch), or a rewritten chain (checkpoint mismatch).

Two ways through the rows, with the same verdict:

- The reference walk reads rows through the ORM and checks them one by one with
  `canonical_payload`; it names the first broken entry.
- The fast walk (SQLite and PostgreSQL) reads a batch with a raw cursor and checks it as a
  whole, column-wise (`chain.canonical_payload_texts`, `chain.entry_hashes`). It only ever
  accepts a batch: a batch with anything unusual (a failed check, a value of an unexpected
  type, a time not in Django's storage format) is walked again by the reference walk, which
  then names the problem exactly as before.
"""

import datetime
import re
from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from lotse.audit.chain import (
    CANONICAL_ORDER,
    GENESIS_HASH,
    PAYLOAD_FIELDS,
    canonical_payload,
    canonical_payload_texts,
    canonical_ts,
    entry_hash,
    entry_hashes,
)
from lotse.audit.checkpoints import SignedHead, load_checkpoints, load_public_key, verify_signature
from lotse.audit.models import AccessEvent

_BATCH = 5000
_PROGRESS_EVERY = 20000


@dataclass
class VerificationResult:
    ok: bool
    entries: int
    checkpoints: int
    first_broken_seq: int | None = None
    problem: str = ""


@dataclass
class _Walk:
    """How far the walk along the chain got: the next seq and the hash it must link to."""

    result: VerificationResult
    checkpoints: list[SignedHead]  # sorted by seq, one per seq
    progress: Callable[[int], None] | None
    expected_seq: int = 1
    prev: str = GENESIS_HASH

    def advance(self, count: int, last_hash: str) -> None:
        before = self.result.entries
        self.result.entries += count
        self.expected_seq += count
        self.prev = last_hash
        if self.progress:
            first = (before // _PROGRESS_EVERY + 1) * _PROGRESS_EVERY
            for done in range(first, self.result.entries + 1, _PROGRESS_EVERY):
                self.progress(done)

    def checkpoints_between(self, first_seq: int, last_seq: int) -> list[SignedHead]:
        start = bisect_left(self.checkpoints, first_seq, key=lambda head: head.seq)
        end = bisect_left(self.checkpoints, last_seq + 1, key=lambda head: head.seq)
        return self.checkpoints[start:end]


@dataclass(frozen=True)
class _Batch:
    """Rows read by the fast walk, column-wise; `payload` is None when they cannot be checked
    column-wise (then the reference walk checks them)."""

    size: int
    last_seq: object
    seqs: Sequence
    prev_hashes: Sequence
    entry_hashes: Sequence
    payload: dict[str, Sequence] | None


# --- the reference walk -------------------------------------------------------------------


def _reference_rows(after, batch: int) -> list[dict]:
    columns = (*PAYLOAD_FIELDS, "prev_hash", "entry_hash")
    chunk = AccessEvent.objects.filter(seq__gt=after).order_by("seq").values_list(*columns)[:batch]
    return [dict(zip(columns, row, strict=True)) for row in chunk]


def _check_row(walk: _Walk, row: dict) -> tuple[int | None, str] | None:
    """The first problem of `row` as (seq, problem), or None after moving the walk past it."""
    seq = row["seq"]
    if seq != walk.expected_seq:
        return walk.expected_seq, f"entry #{walk.expected_seq} is missing (next is #{seq})"
    if row["prev_hash"] != walk.prev:
        return seq, f"entry #{seq} does not link to entry #{seq - 1}"
    if entry_hash(walk.prev, canonical_payload(row)) != row["entry_hash"]:
        return seq, f"entry #{seq} was changed (hash mismatch)"
    for head in walk.checkpoints_between(seq, seq):
        if head.entry_hash != row["entry_hash"]:
            return seq, f"entry #{seq} differs from the signed checkpoint"
    walk.advance(1, row["entry_hash"])
    return None


# --- the fast walk ----------------------------------------------------------------------------

# What Django writes for a DateTimeField on SQLite with USE_TZ and the connection in UTC:
# str() of the naive UTC time, without the fraction when the microseconds are 0. One per line.
_SQLITE_TS_LINES = re.compile(
    r"(?:[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{6})?\n)*", re.ASCII
)
_SQLITE_TS_WITHOUT_FRACTION = re.compile(r"(:[0-9]{2})\n", re.ASCII)


def _sqlite_ts_texts(stored: Sequence) -> list[str] | None:
    """canonical_ts of the times Django reads from these stored texts, or None unless every
    text is in Django's own storage format (anything else goes to the reference walk).

    Django reads such a text with datetime.fromisoformat (django.utils.dateparse.parse_datetime)
    and makes it aware in the connection's time zone, UTC; canonical_ts then writes it with
    "T", always six fraction digits and "+00:00"."""
    if not stored or set(map(type, stored)) != {str}:
        return None
    lines = "\n".join(stored) + "\n"
    if lines.count("\n") != len(stored) or not _SQLITE_TS_LINES.fullmatch(lines):
        return None
    try:
        deque(map(datetime.datetime.fromisoformat, stored), maxlen=0)  # a real date and time
    except ValueError:
        return None
    lines = _SQLITE_TS_WITHOUT_FRACTION.sub(r"\1.000000\n", lines)
    return lines.replace(" ", "T").replace("\n", "+00:00\n").split("\n")[:-1]


def _aware_ts_texts(values: Sequence) -> list[str] | None:
    """canonical_ts of the aware datetimes PostgreSQL (psycopg) returns, as the ORM does."""
    if set(map(type, values)) != {datetime.datetime}:
        return None
    return list(map(canonical_ts, values))


@dataclass(frozen=True)
class _FastReader:
    sql: str
    ts_texts: Callable[[Sequence], list[str] | None]

    def read(self, after) -> _Batch:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [after, _BATCH])
            rows = cursor.fetchall()
        if not rows:
            return _Batch(0, None, (), (), (), None)
        seqs, prev_hashes, hashes, *values = zip(*rows, strict=True)
        payload = dict(zip(_FAST_PAYLOAD_ORDER, values, strict=True))
        payload["seq"] = seqs
        payload["ts"] = self.ts_texts(payload["ts"])
        return _Batch(len(rows), seqs[-1], seqs, prev_hashes, hashes,
                      None if payload["ts"] is None else payload)


# Selected after seq, prev_hash and entry_hash; ts last.
_FAST_PAYLOAD_ORDER = (*(name for name in CANONICAL_ORDER if name not in ("seq", "ts")), "ts")


def _fast_reader() -> _FastReader | None:
    """The fast walk's reader for this database, or None where it would not read exactly what
    the ORM reads (then only the reference walk runs)."""
    if not _orm_reads_raw_values():
        return None
    quote = connection.ops.quote_name
    if connection.vendor == "sqlite" and settings.USE_TZ and connection.timezone_name == "UTC":
        # CAST: the stored text itself, not the sqlite3 module's converter for "datetime"; the
        # ORM adds only the backend's convert_datetimefield_value, which _sqlite_ts_texts follows.
        ts_column, ts_texts = f"CAST({quote(_column('ts'))} AS TEXT)", _sqlite_ts_texts
    elif connection.vendor == "postgresql" and not _backend_converters("ts"):
        ts_column, ts_texts = quote(_column("ts")), _aware_ts_texts
    else:
        return None
    names = ("seq", "prev_hash", "entry_hash", *_FAST_PAYLOAD_ORDER[:-1])
    selected = ", ".join([*(quote(_column(name)) for name in names), ts_column])
    seq = quote(_column("seq"))
    table = quote(AccessEvent._meta.db_table)
    # The model's own table and column names, no input; the values go in as parameters.
    sql = f"SELECT {selected} FROM {table} WHERE {seq} > %s ORDER BY {seq} LIMIT %s"  # noqa: S608  # nosec B608
    return _FastReader(sql, ts_texts)


def _column(name: str) -> str:
    return AccessEvent._meta.get_field(name).column


def _field_converters(name: str) -> list:
    field = AccessEvent._meta.get_field(name)
    return field.get_col(AccessEvent._meta.db_table).get_db_converters(connection)


def _backend_converters(name: str) -> list:
    field = AccessEvent._meta.get_field(name)
    return connection.ops.get_db_converters(field.get_col(AccessEvent._meta.db_table))


def _orm_reads_raw_values() -> bool:
    """The ORM hands every column but ts over as the database driver returns it, and ts
    converts only in the backend (handled per backend in _fast_reader)."""
    names = (*PAYLOAD_FIELDS, "prev_hash", "entry_hash")
    return not any(_field_converters(name) for name in names) and not any(
        _backend_converters(name) for name in names if name != "ts"
    )


def _batch_is_intact(walk: _Walk, batch: _Batch) -> bool:
    """True when every row of the batch passes every check of `_check_row`, in one go."""
    if batch.payload is None:
        return False
    first = walk.expected_seq
    if list(batch.seqs) != list(range(first, first + batch.size)):
        return False
    if batch.prev_hashes[0] != walk.prev or batch.prev_hashes[1:] != batch.entry_hashes[:-1]:
        return False
    texts = canonical_payload_texts(batch.payload)
    if texts is None:
        return False
    try:
        if entry_hashes(batch.prev_hashes, texts) != list(batch.entry_hashes):
            return False
    except UnicodeEncodeError:  # a prev_hash that is not ASCII: entry_hash fails on it too
        return False
    for head in walk.checkpoints_between(first, first + batch.size - 1):
        if head.entry_hash != batch.entry_hashes[head.seq - first]:
            return False
    walk.advance(batch.size, batch.entry_hashes[-1])
    return True


# --- the walk -------------------------------------------------------------------------------


def _walk_chain(walk: _Walk) -> tuple[int | None, str] | None:
    """Walk the whole chain; the first problem as (seq, problem), or None."""
    reader = _fast_reader()
    after = 0
    while True:
        if reader is not None:
            batch = reader.read(after)
            if batch.size == 0:
                return None
            if _batch_is_intact(walk, batch):
                after = batch.last_seq
                continue
        rows = _reference_rows(after, _BATCH)
        if not rows:
            return None
        for row in rows:
            failure = _check_row(walk, row)
            if failure:
                return failure
        after = rows[-1]["seq"]


def verify_chain(
    *, require_checkpoints: bool = True, progress: Callable[[int], None] | None = None
) -> VerificationResult:
    checkpoints: list[SignedHead] = load_checkpoints()
    result = VerificationResult(ok=True, entries=0, checkpoints=len(checkpoints))
    if checkpoints:
        public_key = load_public_key()
        for head in checkpoints:
            if not verify_signature(head, public_key):
                return _fail(result, head.seq, f"checkpoint at #{head.seq}: bad signature")
    by_seq = {head.seq: head for head in checkpoints}  # the last one of a seq counts, as before
    walk = _Walk(result, sorted(by_seq.values(), key=lambda head: head.seq), progress)
    failure = _walk_chain(walk)
    if failure:
        return _fail(result, *failure)
    last_checkpoint = checkpoints[-1].seq if checkpoints else 0
    if last_checkpoint >= walk.expected_seq:
        return _fail(
            result, walk.expected_seq,
            f"entries from #{walk.expected_seq} on are missing (checkpoint signed #{last_checkpoint})",
        )
    if require_checkpoints and result.entries and not checkpoints:
        return _fail(result, None, "the hashes are consistent, but there is no signed checkpoint: "
                                   "a rewrite of the whole chain could not be detected "
                                   "(run `lotse audit_checkpoint`)")
    return result


def _fail(result: VerificationResult, seq: int | None, problem: str) -> VerificationResult:
    result.ok = False
    result.first_broken_seq = seq
    result.problem = problem
    return result
