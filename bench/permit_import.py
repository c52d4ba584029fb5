"""Permit register import: a CSV export of `--persons` (default 5,000) new persons with their
titles imported by the foreigners' authority of Kreis Düren into the seeded district (every row
validated first, one transaction, the registry's signals and the appointments' scan at the end),
then the same file again (nothing changes). Baseline in the same run: reading and validating the
file alone (`permit_import._read`), what any import has to do before writing."""

import csv
import io
import time

TITLE = "Permit register import (CSV) into the seeded district, then the same file again"
# For the report (bench.report): the imports paired with reading and validating the file alone.
PAIRS = [("first_import", "baseline_read_and_validate"), ("reimport", "baseline_read_and_validate")]


def _csv(count: int) -> bytes:
    from lotse.appointments.permit_import import COLUMNS

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    towns = ("Düren", "Jülich", "Kreuzau", "Linnich")
    for i in range(count):
        writer.writerow([f"BENCH-{i:06d}", f"{900000000 + i}", f"Benchmark{i}", "Amina", "17.05.1990", "475", "ar",
                         "Hauptstraße 1", "52349", towns[i % 4], "", towns[i % 4], "p25-2-gfk", "eAT",
                         "01.03.2024", "28.02.2027", ""])
    return out.getvalue().encode()


def run(bench) -> dict:
    from bench.common import count_queries
    from lotse.access.context import context_for_user
    from lotse.appointments import permit_import
    from lotse.organisations.models import StaffUser

    ctx = context_for_user(StaffUser.objects.get(username="abh"))
    data = _csv(bench.persons)
    figures: dict = {"rows": bench.persons, "megabytes": round(len(data) / 1e6, 2)}

    started = time.perf_counter()
    report = permit_import._Report()
    permit_import._read(ctx, permit_import._decode(data, "utf-8", report), report)
    assert not report.entries, report.entries[:3]
    figures["baseline_read_and_validate_seconds"] = round(time.perf_counter() - started, 2)

    started = time.perf_counter()
    with count_queries() as counted:
        record = permit_import.permit_import_run(ctx=ctx, data=data, file_name="bench.csv")
    figures["first_import_seconds"] = round(time.perf_counter() - started, 2)
    figures["first_import_queries"] = counted.queries
    figures["accepted"] = record.accepted
    figures["created_persons"] = record.created_persons
    figures["created_statuses"] = record.created_statuses

    started = time.perf_counter()
    with count_queries() as counted:
        again = permit_import.permit_import_run(ctx=ctx, data=data, file_name="bench.csv")
    figures["reimport_seconds"] = round(time.perf_counter() - started, 2)
    figures["reimport_queries"] = counted.queries
    figures["reimport_unchanged"] = again.unchanged
    return figures
