"""Fault injection for the write paths (issue 9, point 5): run a service once counting its SQL
statements, then once per statement k with a database error raised at statement k, each time
in a fresh state (a savepoint rolled back afterwards), and judge what is left.

A fault run is sound when
- the service raised (no silent success);
- nothing is half-written: every table the service writes holds exactly what it held before
  (a full row snapshot, compared as text);
- the access log is honest: no write is logged that did not happen, every check read that
  returned data to the service is logged (and none that did not), and the chain verifies.

The "check" reads are the identity reads a service makes before its write transaction
(`access_person_for_write`, `handover_for_write`, …). By design they commit on their own, so
an attempt and a refusal stay in the log even when the write is abandoned (see
`access.spine.access_person_for_write`); they are counted against the door calls that returned.
"""

import contextlib
import logging
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from unittest import mock

from django.db import DatabaseError, OperationalError, connection, transaction

from lotse.access import spine
from lotse.audit.models import AccessEvent
from lotse.audit.verification import verify_chain

_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)
LOG_TABLE = AccessEvent._meta.db_table
_QCHECK_LOG = logging.getLogger("django.db.models")
_REAL_DOOR = spine.access_people


@dataclass
class WritePath:
    """One service call on a prepared world. `call` runs it (all arguments bound, contexts
    built beforehand); `checks` are the actions of the reads it makes before its write
    transaction, whose log rows commit on their own."""

    name: str
    call: Callable[[], object]
    checks: frozenset[str] = frozenset()
    writes: bool = True
    # Tables of bookkeeping without personal data whose rows record that the work started (a
    # planning run): a new row there is no half-written record and needs no log row.
    journal: frozenset[str] = frozenset()


@dataclass
class Outcome:
    name: str
    statements: int = 0
    positions: int = 0
    partial_writes: int = 0
    log_mismatches: int = 0
    silent_successes: int = 0
    absorbed: int = 0
    raised: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


class _Counter:
    """Counts the statements (and notes the tables written); raises at statement `fail_at`."""

    def __init__(self, fail_at: int | None = None):
        self.fail_at = fail_at
        self.count = 0
        self.fired_sql = ""
        self.written: set[str] = set()

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        if self.count == self.fail_at:
            self.fired_sql = sql
            raise OperationalError(f"injected fault at statement {self.count}")
        match = _WRITE.match(sql)
        if match:
            self.written.add(match.group(1))
        return execute(sql, params, many, context)


class _DoorSpy:
    """Records the reads through the spine's door (`access_people`) and whether they returned."""

    def __init__(self):
        self.returned: Counter = Counter()

    def __call__(self, ctx, person_ids, purpose, **kwargs):
        records = _REAL_DOOR(ctx, person_ids, purpose, **kwargs)
        self.returned[kwargs.get("action", "person.read")] += len(records)
        return records


def _snapshot(tables) -> dict[str, list[str]]:
    snap = {}
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (table names from the schema)
            snap[table] = sorted(repr(row) for row in cursor.fetchall())
    return snap


def _head() -> int:
    return AccessEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def _events_after(seq: int) -> list[tuple[str, str, str]]:
    return list(AccessEvent.objects.filter(seq__gt=seq).order_by("seq")
                .values_list("action", "decision", "categories"))


def _door_holders() -> list:
    """The modules that hold the spine's door under its own name (imported at module level)."""
    return [module for module in list(sys.modules.values())
            if getattr(module, "access_people", None) is _REAL_DOOR]


def _run(path: WritePath, wrapper: _Counter, spy: _DoorSpy):
    """Run the path once under `wrapper`; returns the exception raised (None: it succeeded)."""
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.object(_QCHECK_LOG, "level", logging.ERROR))  # "Got a database error calling check()"
        for module in _door_holders():
            stack.enter_context(mock.patch.object(module, "access_people", spy))
        stack.enter_context(connection.execute_wrapper(wrapper))
        try:
            path.call()
        except Exception as exc:  # noqa: BLE001 - every failure is judged below
            # A statement that fails outside the service's own transactions marks the test's
            # savepoint for rollback (Django's mark_for_rollback_on_error). In production that
            # statement runs in autocommit and nothing is marked; the injected error never
            # reached the database, so the transaction is sound and the mark is lifted.
            transaction.set_rollback(False)
            return exc
    return None


def _diff(before: dict, after: dict) -> str:
    changed = []
    for table in sorted(before):
        gone = set(before[table]) - set(after[table])
        new = set(after[table]) - set(before[table])
        if gone or new:
            changed.append(f"{table}: +{len(new)} -{len(gone)} {sorted(new)[:1]}")
    return "; ".join(changed)


def _delta(before: dict, after: dict) -> dict[str, tuple[int, int]]:
    """Rows added and removed per table."""
    return {t: (len(set(after[t]) - set(before[t])), len(set(before[t]) - set(after[t]))) for t in before}


def run_faults(path: WritePath) -> Outcome:
    """Count the statements of a successful run, then inject a fault at each of them in turn.
    Each run starts from the same state: a savepoint rolled back afterwards."""
    outcome = Outcome(path.name)
    # A warm-up run fills process-wide caches so that the counted runs issue the same statements.
    with transaction.atomic():
        _run(path, _Counter(), _DoorSpy())
        transaction.set_rollback(True)

    with transaction.atomic():
        head = _head()
        counter, spy = _Counter(), _DoorSpy()
        exc = _run(path, counter, spy)
        assert exc is None, f"{path.name}: the service fails without a fault: {exc!r}"
        tables = counter.written - {LOG_TABLE}
        success_events = _events_after(head)
        success_writes = Counter(a for a, _d, _c in success_events if a not in path.checks)
        assert success_writes or not path.writes, f"{path.name}: a successful run logged no write"
        assert verify_chain(require_checkpoints=False).ok
        success_after = _snapshot(tables)
        transaction.set_rollback(True)
    success_before = _snapshot(tables)  # the state again, after the rollback
    success_delta = _delta(success_before, success_after)
    written = any(before != success_after[t] for t, before in success_before.items() if t not in path.journal)
    assert not _log_mismatch(path, success_events, spy, written, success_writes), f"{path.name}: {success_events}"
    outcome.statements = counter.count

    for k in range(1, counter.count + 1):
        with transaction.atomic():
            before, head = _snapshot(tables), _head()
            wrapper, spy = _Counter(fail_at=k), _DoorSpy()
            exc = _run(path, wrapper, spy)
            outcome.positions += 1
            where = f"{path.name} k={k} ({wrapper.fired_sql[:70]!r})"
            if not wrapper.fired_sql:
                outcome.problems.append(f"{where}: the run issued only {wrapper.count} statements")
            if exc is not None:
                outcome.raised[type(exc).__name__] += 1
                if not isinstance(exc, DatabaseError | spine.AccessDenied):
                    outcome.problems.append(f"{where}: raised {exc!r} instead of a database error")
            stray = (wrapper.written - {LOG_TABLE}) - tables
            if stray:  # not snapshotted beforehand: the path must be extended
                outcome.problems.append(f"{where}: writes {sorted(stray)}, which a successful run does not")
            after = _snapshot(tables)
            changed = {t for t in tables if before[t] != after[t]} | stray
            written_through = bool(changed - path.journal)
            if exc is not None and written_through:
                outcome.partial_writes += 1
                outcome.problems.append(f"{where}: half-written: {_diff(before, after)}")
            events = _events_after(head)
            writes = Counter(a for a, _d, _c in events if a not in path.checks)
            if exc is None:
                if written_through and writes == success_writes and _delta(before, after) == success_delta:
                    # Django tolerates a failing query of a constraint check in full_clean()
                    # (Q.check logs it and passes; the database enforces the constraint): the
                    # service then completed the whole write, logged.
                    outcome.absorbed += 1
                else:
                    outcome.silent_successes += 1
                    outcome.problems.append(f"{where}: the fault was swallowed; the service reported "
                                            f"success with an incomplete write ({dict(writes)})")
            mismatch = _log_mismatch(path, events, spy, written_through, success_writes)
            if not verify_chain(require_checkpoints=False).ok:
                mismatch = (mismatch + "; " if mismatch else "") + "the chain no longer verifies"
            if mismatch:
                outcome.log_mismatches += 1
                outcome.problems.append(f"{where}: access log: {mismatch}")
            transaction.set_rollback(True)
    return outcome


def _log_mismatch(path: WritePath, events, spy: _DoorSpy, written: bool, success_writes: Counter) -> str:
    problems = []
    # A check read logs an allowed row for each person it returns (and a denied one for the
    # sources it could not use, which claims no data).
    checks = Counter(action for action, decision, _categories in events
                     if action in path.checks and decision == "allowed")
    expected = Counter({action: n for action, n in spy.returned.items() if action in path.checks})
    if checks != expected:
        problems.append(f"check reads logged {dict(checks)}, returned {dict(expected)}")
    writes = Counter(action for action, _decision, _categories in events if action not in path.checks)
    if not written and writes:
        problems.append(f"logged without the write: {dict(writes)}")
    if written and (not writes or writes - success_writes):
        # Something stayed written (counted as half-written above, unless the service
        # succeeded): it must be logged, and nothing beyond what a complete write logs.
        problems.append(f"written, logged as {dict(writes)}; a complete write logs {dict(success_writes)}")
    return "; ".join(problems)
