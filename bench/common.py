"""Shared set-up of the benchmarks: a seeded database (SQLite under var/bench/, or the
PostgreSQL database of DATABASE_URL), query counting and timing. Django is set up by
`bench.__main__` before any benchmark module is imported."""

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
    database: Path | None  # the SQLite file; None on PostgreSQL
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
        from django.db.migrations.exceptions import InconsistentMigrationHistory

        shutil.copyfile(snapshot, database)
        try:
            call_command("migrate", verbosity=0)  # the code may have moved on since the snapshot
        except InconsistentMigrationHistory as exc:  # migrations were rewritten since: seed again
            log(f"snapshot {snapshot.name} no longer fits the migrations ({exc}); seeding again")
            return prepare_database(database, snapshot, scale, fresh=True, log=log)
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


class SeedRefused(Exception):
    """The PostgreSQL database holds data that is not this scale's benchmark seed."""


SEED_MARK = "seed.loaded"  # the access-log entry `lotse seed` writes, object_ref "seed:<scale>"


def prepare_postgres(scale: str, *, fresh: bool, log) -> float | None:
    """Migrate the PostgreSQL database of DATABASE_URL and seed it with `scale` unless it holds
    that seed already (marker: the seed's `seed.loaded` entry in the access log). Nothing is
    copied: rows the benchmarks write stay. `fresh` drops the schema `public` first. Refuses a
    database that holds other data (another scale's seed, or anything with a district), so a
    database that matters is never overwritten without `--fresh`. Returns the seed time (None
    when the seed was reused)."""
    from django.core.management import call_command
    from django.db import connection

    where = f"{connection.settings_dict['NAME']} on {connection.settings_dict['HOST'] or 'localhost'}"
    if fresh:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        log(f"database: {where}: schema public dropped and created again (--fresh)")
    call_command("migrate", verbosity=0)
    call_command("audit_keygen", "--if-missing", stdout=StringIO())
    from lotse.audit.models import AccessEvent
    from lotse.organisations.models import District

    seeds = set(AccessEvent.objects.filter(action=SEED_MARK).values_list("object_ref", flat=True))
    if f"seed:{scale}" in seeds:
        call_command("load_reference_data", verbosity=0)  # new permissions reach the reference roles
        log(f"database: {where} (holds the '{scale}' seed: reused, with what earlier runs wrote)")
        return None
    if seeds or District.objects.exists():
        found = ", ".join(sorted(seeds)) or "data without a seed marker"
        raise SeedRefused(f"{where} holds {found}, not the '{scale}' seed. Use an empty database, "
                          "or BENCH_ARGS=--fresh to drop its schema public and seed again.")
    started = time.perf_counter()
    call_command("seed", scale=scale, stdout=StringIO(), allow_outside_dev=True)
    seconds = time.perf_counter() - started
    log(f"database: {where} (seeded '{scale}' in {seconds:.1f} s; reused by later runs)")
    return round(seconds, 1)


def count_persons() -> int:
    from lotse.people.models import Person

    return Person._plain.count()


def database_info() -> dict:
    """Vendor ("sqlite" or "postgresql") and server version of the default database."""
    from django.db import connection

    query = {"sqlite": "SELECT sqlite_version()", "postgresql": "SHOW server_version"}.get(connection.vendor)
    version = ""
    if query:
        with connection.cursor() as cursor:
            cursor.execute(query)
            version = str(cursor.fetchone()[0]).split(" ")[0]
    return {"vendor": connection.vendor, "version": version}


def percentiles(samples: list[float]) -> dict:
    """p50, p95 and the maximum of durations in seconds, in milliseconds."""
    import statistics

    cuts = statistics.quantiles(samples, n=20, method="inclusive")
    return {"p50_ms": round(statistics.median(samples) * 1000, 1), "p95_ms": round(cuts[18] * 1000, 1),
            "max_ms": round(max(samples) * 1000, 1)}


def measure_get(client, url: str, *, requests: int, warm_up: int, must_contain: str = "") -> tuple[dict, object]:
    """GET `url` `warm_up` times untimed, then `requests` times timed with the queries counted.
    Returns the percentiles with the query count (one number when every request made the same
    number of queries) and the last response; raises when a request fails or the page lacks
    `must_contain`."""
    for _ in range(warm_up):
        client.get(url)
    times, queries = [], set()
    for _ in range(requests):
        with count_queries() as counted:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        queries.add(counted.queries)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    if must_contain and must_contain not in response.content.decode("utf-8"):
        raise RuntimeError(f"{url}: {must_contain!r} is not on the page")
    return {**percentiles(times), "queries": min(queries) if len(queries) == 1 else sorted(queries)}, response
