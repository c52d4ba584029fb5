"""Shared set-up of the benchmarks: a seeded SQLite database under var/bench/, query counting
and timing. Django is set up by `bench.__main__` before any benchmark module is imported."""

import contextlib
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path


@dataclass
class QueryCount:
    queries: int = 0


@contextlib.contextmanager
def count_queries() -> Iterator[QueryCount]:
    """Count every statement sent to the database (an executemany counts once)."""
    from django.db import connection

    counted = QueryCount()

    def wrapper(execute, sql, params, many, context):
        counted.queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield counted


@contextlib.contextmanager
def stopwatch() -> Iterator[dict]:
    figures: dict = {}
    started = time.perf_counter()
    try:
        yield figures
    finally:
        figures["seconds"] = round(time.perf_counter() - started, 3)


@dataclass
class Bench:
    """What a benchmark gets: the scale, its size parameter and where to put scratch files."""

    scale: str
    persons: int
    var_dir: Path
    database: Path
    seed_seconds: float | None = None


def prepare_database(database: Path, snapshot: Path, scale: str, *, fresh: bool, log) -> float | None:
    """Migrate and seed `database` — from the snapshot of an earlier seed of this scale unless
    `fresh` — so every benchmark starts from the same state. Returns the seed time (None when
    the snapshot was reused)."""
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    for path in (database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")):
        path.unlink(missing_ok=True)
    if snapshot.exists() and not fresh:
        shutil.copyfile(snapshot, database)
        call_command("migrate", verbosity=0)  # the code may have moved on since the snapshot
        call_command("load_reference_data", verbosity=0)  # new permissions reach the reference roles
        log(f"database: {database} (seeded copy of {snapshot.name})")
        return None
    call_command("migrate", verbosity=0)
    call_command("audit_keygen", "--if-missing", stdout=StringIO())
    started = time.perf_counter()
    call_command("seed", scale=scale, stdout=StringIO(), allow_outside_dev=True)
    seconds = time.perf_counter() - started
    connections.close_all()
    shutil.copyfile(database, snapshot)
    log(f"database: {database} (seeded '{scale}' in {seconds:.1f} s; snapshot {snapshot.name})")
    return round(seconds, 1)


def percentiles(samples: list[float]) -> dict:
    """p50, p95 and the maximum of durations in seconds, in milliseconds."""
    import statistics

    cuts = statistics.quantiles(samples, n=20, method="inclusive")
    return {"p50_ms": round(statistics.median(samples) * 1000, 1), "p95_ms": round(cuts[18] * 1000, 1),
            "max_ms": round(max(samples) * 1000, 1)}
