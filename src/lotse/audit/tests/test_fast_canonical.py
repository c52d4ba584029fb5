"""The fast, column-wise verification gives the same bytes and the same verdicts as the reference.

- `chain.canonical_payload_texts` equals `chain.canonical_payload` byte for byte (property).
- The SQLite time texts Django writes read back as the same canonical time (property), also
  without a fraction when the microseconds are 0.
- `verify_chain` with the fast walk gives exactly the reference walk's result, for intact
  chains and for every kind of tampering, across batch boundaries.
"""

import datetime
import json

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lotse.audit import verification
from lotse.audit.chain import (
    GENESIS_HASH,
    PAYLOAD_FIELDS,
    EventData,
    append_events,
    canonical_payload,
    canonical_payload_texts,
    canonical_ts,
    entry_hash,
    entry_hashes,
    json_texts,
)
from lotse.audit.checkpoints import sign_head
from lotse.audit.models import AccessEvent
from lotse.audit.verification import verify_chain

STR_FIELDS = ("action", "categories", "purpose", "decision", "basis", "object_ref", "request_id")
NULLABLE_INT_FIELDS = ("actor_id", "agency_id", "person_id")

# Characters that need escaping or are easy to get wrong, besides everything hypothesis draws
# (st.characters with no excluded category includes lone surrogates).
SPECIALS = ['"', "\\", "/", "\x00", "\x1f", "\x7f", "\b", "\f", "\n", "\r", "\t", "\u2028",
            "\u200f", "\u202e", "\ufeff", "\U0001f600", "\U00010348", "\ud800", "\udfff", "é", "ß"]
texts = st.text(st.one_of(st.characters(codec=None, exclude_categories=()), st.sampled_from(SPECIALS)))
big_ints = st.one_of(st.integers(min_value=-(2**63), max_value=2**63 - 1), st.integers(),
                     st.integers(min_value=10**30, max_value=10**40))
time_zones = st.one_of(
    st.just(datetime.UTC),
    st.timezones(),
    st.builds(datetime.timezone, st.timedeltas(min_value=datetime.timedelta(hours=-23, minutes=-59),
                                               max_value=datetime.timedelta(hours=23, minutes=59))),
)
aware_times = st.datetimes(min_value=datetime.datetime(2, 1, 1), max_value=datetime.datetime(9998, 12, 31),
                           timezones=time_zones)
times = st.one_of(aware_times, aware_times.map(lambda ts: ts.replace(microsecond=0)))


def _row(draw_texts, draw_ints, seq, ts) -> dict:
    return {**dict(zip(STR_FIELDS, draw_texts, strict=True)),
            **dict(zip(NULLABLE_INT_FIELDS, draw_ints, strict=True)), "seq": seq, "ts": ts}


rows = st.builds(
    _row,
    st.tuples(*(texts for _ in STR_FIELDS)),
    st.tuples(*(st.one_of(st.none(), big_ints) for _ in NULLABLE_INT_FIELDS)),
    big_ints,
    times,
)


def _columns(batch: list[dict]) -> dict[str, list]:
    columns = {name: [row[name] for row in batch] for name in PAYLOAD_FIELDS}
    columns["ts"] = [canonical_ts(ts) for ts in columns["ts"]]
    return columns


# --- the encoder ----------------------------------------------------------------------------


@pytest.mark.db_independent
@settings(max_examples=400, deadline=None)
@given(batch=st.lists(rows, min_size=1, max_size=8))
def test_fast_payload_texts_equal_canonical_payload_byte_for_byte(batch):
    fast = canonical_payload_texts(_columns(batch))
    assert fast is not None
    assert [text.encode("ascii") for text in fast] == [canonical_payload(row) for row in batch]


@pytest.mark.db_independent
@settings(max_examples=200, deadline=None)
@given(pool=st.lists(rows, min_size=1, max_size=3), picks=st.lists(st.integers(0, 2), min_size=2, max_size=20))
def test_fast_payload_texts_equal_canonical_payload_for_repeated_values(pool, picks):
    batch = [pool[pick % len(pool)] for pick in picks]  # repeated values: each encoded once
    fast = canonical_payload_texts(_columns(batch))
    assert [text.encode("ascii") for text in fast] == [canonical_payload(row) for row in batch]


@pytest.mark.db_independent
@settings(max_examples=200, deadline=None)
@given(batch=st.lists(rows, min_size=1, max_size=8), prev=st.text("0123456789abcdef", min_size=64, max_size=64))
def test_fast_entry_hashes_equal_entry_hash(batch, prev):
    fast = entry_hashes([prev] * len(batch), canonical_payload_texts(_columns(batch)))
    assert fast == [entry_hash(prev, canonical_payload(row)) for row in batch]


@pytest.mark.db_independent
@given(value=st.one_of(st.booleans(), st.floats(), st.binary(), st.decimals()))
def test_types_the_fast_encoder_does_not_know_are_left_to_the_reference(value):
    assert json_texts([value]) is None
    assert json_texts(["text", value]) is None
    assert json_texts([1, None, value]) is None


@pytest.mark.db_independent
def test_an_int_too_long_for_str_is_left_to_the_reference():
    huge = 10 ** 5000  # beyond sys.get_int_max_str_digits(): json.dumps fails on it as well
    assert json_texts([huge]) is None
    with pytest.raises(ValueError):
        json.dumps(huge)


@pytest.mark.db_independent
def test_canonical_ts_is_utc_with_microseconds():
    berlin = datetime.timezone(datetime.timedelta(hours=1))
    assert canonical_ts(datetime.datetime(2026, 12, 5, 15, 47, 3, tzinfo=berlin)) == "2026-12-05T14:47:03.000000+00:00"


# --- SQLite: the stored time texts ------------------------------------------------------------


sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's storage format of times")


@sqlite_only
@pytest.mark.db_independent
@settings(max_examples=300, deadline=None)
@given(batch=st.lists(times, min_size=1, max_size=8))
def test_sqlite_time_texts_read_back_as_the_canonical_time(batch):
    stored = [connection.ops.adapt_datetimefield_value(ts) for ts in batch]  # what Django writes
    read = [connection.ops.convert_datetimefield_value(text, None, connection) for text in stored]  # the ORM
    expected = [canonical_ts(ts) for ts in read]
    assert expected == [canonical_ts(ts) for ts in batch]
    assert verification._sqlite_ts_texts(stored) == expected


@sqlite_only
@pytest.mark.db_independent
def test_sqlite_time_without_fraction_is_read_as_microseconds_zero():
    ts = datetime.datetime(2026, 12, 5, 14, 47, 3, tzinfo=datetime.UTC)
    stored = connection.ops.adapt_datetimefield_value(ts)
    assert stored == "2026-12-05 14:47:03"  # Django writes no fraction for microsecond 0
    assert verification._sqlite_ts_texts([stored, "2026-12-05 14:47:03.000001"]) == [
        "2026-12-05T14:47:03.000000+00:00", "2026-12-05T14:47:03.000001+00:00"]


@sqlite_only
@pytest.mark.db_independent
@pytest.mark.parametrize("odd", [
    "2026-12-05T14:47:03.123456",  # Django reads it, but does not write it: reference walk
    "2026-12-05 14:47:03.123456+00:00",
    "2026-12-05 14:47:03.1234",
    "2026-13-05 14:47:03.123456",  # not a date
    "2026-02-30 14:47:03",
    "2026-12-05 14:47:03.123456\n2026-12-05 14:47:03.123456",
    "２０２６-12-05 14:47:03",  # full-width digits
    "",
    None,
    20261205,
])
def test_sqlite_time_texts_not_in_djangos_format_are_left_to_the_reference(odd):
    assert verification._sqlite_ts_texts(["2026-12-05 14:47:03.123456", odd]) is None


# --- verify_chain: the fast walk against the reference walk ---------------------------------

pytestmark_db = pytest.mark.django_db(transaction=False)


@pytest.fixture
def keys(settings):
    from lotse.audit.checkpoints import checkpoint_file, generate_keypair

    if not settings.LOTSE_AUDIT_KEY_FILE.exists():
        generate_keypair(settings.LOTSE_AUDIT_KEY_FILE, settings.LOTSE_AUDIT_PUBLIC_KEY_FILE)
    checkpoint_file().unlink(missing_ok=True)
    yield
    checkpoint_file().unlink(missing_ok=True)


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 4 rows, so a chain of a few rows spans several batches."""
    monkeypatch.setattr(verification, "_BATCH", 4)


@pytest.fixture
def walks(monkeypatch):
    """Count the batches the reference walk reads."""
    calls = []
    reference_rows = verification._reference_rows

    def counted(after, batch):
        calls.append(after)
        return reference_rows(after, batch)

    monkeypatch.setattr(verification, "_reference_rows", counted)
    return calls


def _append(n: int, start: int = 0, **fields) -> None:
    with transaction.atomic():
        append_events(
            EventData(**{"action": "person.read", "decision": "allowed", "actor_id": 1, "agency_id": 2,
                         "person_id": start + i, "categories": "identity", "purpose": "registry",
                         "basis": "identity=own_agency", **fields})
            for i in range(n)
        )


def _reference_verdict(monkeypatch, **kwargs) -> verification.VerificationResult:
    with monkeypatch.context() as patched:
        patched.setattr(verification, "_fast_reader", lambda: None)
        return verify_chain(**kwargs)


def _tamper(*statements) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_accessevent DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_accessevent_no_update")
        for statement in statements:
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_accessevent ENABLE TRIGGER USER")


@pytestmark_db
def test_the_fast_walk_reads_what_the_orm_reads():
    _append(3)
    _append(2, start=3, actor_id=None, basis='quote " backslash \\ ü \U0001f600 \u200f')
    reader = verification._fast_reader()
    assert reader is not None  # SQLite and PostgreSQL have the fast walk
    batch = reader.read(0)
    orm = list(AccessEvent.objects.order_by("seq").values(*PAYLOAD_FIELDS))
    assert batch.payload["ts"] == [canonical_ts(row["ts"]) for row in orm]
    for name in PAYLOAD_FIELDS:
        if name != "ts":
            assert list(batch.payload[name]) == [row[name] for row in orm]


@pytestmark_db
def test_a_chain_written_by_append_events_verifies_on_the_fast_walk(keys, small_batches, walks, monkeypatch):
    _append(5)
    _append(6, start=5, actor_id=None, object_ref='an "odd" \\ object ☃ \U0001f600')
    _append(3, start=11, person_id=None, request_id="\u202eright-to-left")
    sign_head()
    _append(2, start=14)
    sign_head()
    progress = []
    result = verify_chain(progress=progress.append)
    assert result.ok and result.entries == 16 and result.checkpoints == 2
    assert walks == []  # every batch was accepted by the fast walk
    monkeypatch.setattr(verification, "_PROGRESS_EVERY", 3)
    fast_progress = []
    verify_chain(progress=fast_progress.append)
    reference_progress = []
    _reference_verdict(monkeypatch, progress=reference_progress.append)
    assert fast_progress == reference_progress == [3, 6, 9, 12, 15]


@pytestmark_db
def test_entries_with_microseconds_zero_verify(keys, small_batches, walks, monkeypatch):
    on_the_second = datetime.datetime(2026, 12, 5, 14, 47, 3, tzinfo=datetime.UTC)
    _append(2)
    with monkeypatch.context() as patched:
        patched.setattr(timezone, "now", lambda: on_the_second)
        _append(5, start=2)
    _append(2, start=7)
    sign_head()
    assert AccessEvent.objects.filter(ts=on_the_second).count() == 5
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT CAST(ts AS TEXT) FROM audit_accessevent WHERE seq = 3")
            assert cursor.fetchone()[0] == "2026-12-05 14:47:03"  # no fraction
    result = verify_chain()
    assert result.ok and result.entries == 9
    assert walks == []  # on the fast walk, not by falling back


TAMPERS = {
    "changed": ["UPDATE audit_accessevent SET person_id = 999 WHERE seq = 6"],
    "changed text": ["UPDATE audit_accessevent SET basis = 'x' WHERE seq = 9"],
    "changed time": ["UPDATE audit_accessevent SET ts = ts + INTERVAL '1 second' WHERE seq = 2"
                     if connection.vendor == "postgresql" else
                     "UPDATE audit_accessevent SET ts = '2026-01-01 00:00:00' WHERE seq = 2"],
    "deleted": ["DELETE FROM audit_accessevent WHERE seq = 6"],
    "deleted first of a batch": ["DELETE FROM audit_accessevent WHERE seq = 5"],
    "reordered": ["UPDATE audit_accessevent SET seq = 100 WHERE seq = 7",
                  "UPDATE audit_accessevent SET seq = 7 WHERE seq = 8",
                  "UPDATE audit_accessevent SET seq = 8 WHERE seq = 100"],
    "reordered across batches": ["UPDATE audit_accessevent SET seq = 100 WHERE seq = 4",
                                 "UPDATE audit_accessevent SET seq = 4 WHERE seq = 5",
                                 "UPDATE audit_accessevent SET seq = 5 WHERE seq = 100"],
    "relinked": ["UPDATE audit_accessevent SET prev_hash = entry_hash WHERE seq = 10"],
    "truncated": ["DELETE FROM audit_accessevent WHERE seq >= 11"],
    "odd time format": ["UPDATE audit_accessevent SET ts = '2026-01-01T00:00:00+00:00' WHERE seq = 3"
                        if connection.vendor == "sqlite" else "SELECT 1"],
    "wrong type": ["UPDATE audit_accessevent SET actor_id = 1.5 WHERE seq = 3"
                   if connection.vendor == "sqlite" else "SELECT 1"],
}


@pytestmark_db
@pytest.mark.parametrize("kind", list(TAMPERS))
def test_the_first_broken_entry_is_named_as_by_the_reference_walk(kind, keys, small_batches, monkeypatch):
    _append(12)
    sign_head()
    _tamper(*TAMPERS[kind])
    fast = verify_chain()
    reference = _reference_verdict(monkeypatch)
    assert fast == reference
    expected_seq = {"changed": 6, "changed text": 9, "changed time": 2, "deleted": 6,
                    "deleted first of a batch": 5, "reordered": 7, "reordered across batches": 4,
                    "relinked": 10, "truncated": 11}
    if kind in expected_seq:
        assert not fast.ok and fast.first_broken_seq == expected_seq[kind]


@pytestmark_db
def test_a_rewritten_tail_is_named_as_by_the_reference_walk(keys, small_batches, monkeypatch):
    _append(12)
    sign_head()
    _append(5, start=12)
    _tamper("UPDATE audit_accessevent SET person_id = 4711 WHERE seq = 14")
    prev = AccessEvent.objects.get(seq=13).entry_hash
    for row in AccessEvent.objects.filter(seq__gte=14).order_by("seq").values():
        digest = entry_hash(prev, canonical_payload(row))
        _tamper(f"UPDATE audit_accessevent SET prev_hash = '{prev}', entry_hash = '{digest}' WHERE seq = {row['seq']}")
        prev = digest
    fast = verify_chain()
    assert fast == _reference_verdict(monkeypatch)
    assert fast.ok  # after the last checkpoint, a consistent rewrite cannot be seen (as before)


@pytestmark_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(min_value=2, max_value=14), data=st.data())
def test_any_single_change_is_named_as_by_the_reference_walk(n, data, keys, small_batches, monkeypatch):
    from lotse.audit.checkpoints import checkpoint_file
    from lotse.audit.models import AuditCheckpoint

    _tamper("DELETE FROM audit_accessevent")
    AuditCheckpoint.objects.all().delete()
    checkpoint_file().unlink(missing_ok=True)
    _append(n)
    sign_head()
    victim = data.draw(st.integers(min_value=1, max_value=n))
    column, value = data.draw(st.sampled_from([
        ("person_id", "-5"), ("actor_id", "NULL"), ("categories", "'health'"), ("prev_hash", f"'{GENESIS_HASH}'"),
        ("entry_hash", "'" + "e" * 64 + "'"), ("seq", "1000"), ("request_id", "'\u00e9'"),
    ]))
    _tamper(f"UPDATE audit_accessevent SET {column} = {value} WHERE seq = {victim}")
    fast = verify_chain()
    assert fast == _reference_verdict(monkeypatch)
