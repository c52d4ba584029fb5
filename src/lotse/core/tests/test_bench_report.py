"""The Markdown table of `make bench` (bench/report.py) on a hand-made results dict: which keys
are figures, pairing with the baseline, ratios, goals, failures. The module lives in the
repository's bench/ folder, outside the package (`core.tests.bench_modules`)."""

import pytest

from lotse.core.tests.bench_modules import bench_module

# Needs no database: run once, in the SQLite pass (see Makefile, docs/development.md).
pytestmark = pytest.mark.db_independent


@pytest.fixture(scope="module")
def report():
    return bench_module("report")


def results(**benchmarks) -> dict:
    return {
        "date": "2026-12-05", "scale": "kreis", "persons": 50012,
        "database": {"vendor": "postgresql", "version": "15.8"},
        "machine": {"platform": "Linux-6.1-x86_64", "processor": "x86_64", "cpus": 2},
        "versions": {"python": "3.11.7", "django": "5.2.19", "commit": "abc1234"},
        "benchmarks": benchmarks,
    }


PAGES = {
    "scale": "kreis", "database": "postgresql", "measured_at": "2026-12-05T10:31:07+00:00", "seed_seconds": 12.5,
    "pairs": [["page", "baseline_raw_sql"], ["other", "baseline_gone"]],
    "goals": [["page", "p95_ms", "<=", 100], ["page", "queries", "<=", 20, "state"],
              ["slow", "p95_ms", "<", 50]],
    "open_cases": 302,  # a count, not a figure
    "page": {"p50_ms": 56.3, "p95_ms": 60.5, "max_ms": 70.0, "queries": 28, "rows_on_page": 25},
    "slow": {"p50_ms": 80.0, "p95_ms": 120.0, "queries": [30, 31]},
    "other": {"p50_ms": 3.0, "p95_ms": 4.0},
    "baseline_raw_sql": {"p50_ms": 1.5, "p95_ms": 1.7, "queries": 2},
    "page_vs_baseline_p50": 37.5,
    "goal_p95_under_1000_ms": True,  # a flag, not a figure
}
FLAT = {
    "measured_at": "2026-12-05T10:40:00+00:00", "seed_seconds": None,
    "pairs": [["import", "baseline_read"]],
    "de_p50_ms": 313.3, "de_p95_ms": 428.0, "de_max_ms": 443.5, "de_queries": 5, "de_pages": 1,
    "warm_up_ms": 1333.2,
    "baseline_read_seconds": 1.24,
    "import_seconds": 76.59, "import_queries": 93835,
    "persons_per_second": 17.0,
}


def by_figure(rows) -> dict:
    return {(row.benchmark, row.figure): row for row in rows}


def test_figures_are_found_in_all_three_shapes(report):
    names = [figure.name for figure in report.figures_of(PAGES)]
    assert names == ["page", "slow", "other", "baseline_raw_sql"]
    flat = {figure.name: figure for figure in report.figures_of(FLAT)}
    assert list(flat) == ["de", "warm_up", "baseline_read", "import"]
    assert (flat["de"].p50_ms, flat["de"].p95_ms, flat["de"].queries, flat["de"].single_run) == (313.3, 428.0, 5, False)
    assert flat["warm_up"].single_run and flat["warm_up"].p50_ms == 1333.2
    assert flat["import"].p50_ms == pytest.approx(76590) and flat["import"].queries == 93835


def test_rows_pair_figures_with_their_baseline_and_judge_goals(report):
    rows = by_figure(report.rows(results(caseload=PAGES, permit_import=FLAT)))
    page = rows[("caseload", "page")]
    assert page.cells() == ["caseload", "page", "56.3 ms", "60.5 ms", "28", "baseline_raw_sql", "1.5 ms",
                            "37.5×", "p95 ≤ 100 ms; queries ≤ 20 at state", "yes; —"]
    slow = rows[("caseload", "slow")]
    assert (slow.queries, slow.baseline, slow.ratio, slow.goal, slow.met) == ("30–31", "—", "—", "p95 < 50 ms", "**no**")
    assert rows[("caseload", "other")].baseline == "baseline_gone (missing)"
    assert rows[("caseload", "baseline_raw_sql")].baseline == "(is a baseline)"

    imported = rows[("permit_import", "import (1 run)")]
    assert (imported.p50, imported.p95, imported.queries, imported.baseline_p50, imported.ratio) == \
        ("76.6 s", "—", "93,835", "1.24 s", "61.8×")
    assert rows[("permit_import", "baseline_read (1 run)")].baseline == "(is a baseline)"
    assert rows[("permit_import", "de")].baseline == "—"
    assert ("permit_import", "persons_per") not in rows


def test_a_goal_for_the_scale_of_the_run_is_judged(report):
    state = results(caseload=PAGES) | {"scale": "state"}
    page = by_figure(report.rows(state))[("caseload", "page")]
    assert page.met == "yes; **no** (28)"  # 28 queries > 20: a value the time columns do not show


def test_a_goal_on_a_rate_or_share_shows_the_value_measured(report):
    entry = {"scale": "kreis", "database": "sqlite", "measured_at": "2026-12-05T10:00:00+00:00",
             "pairs": [], "goals": [["search", "recall", ">=", 0.98], ["load", "requests_per_s", ">=", 300]],
             "search": {"p50_ms": 20.0, "p95_ms": 35.0, "recall": 0.991},
             "load": {"p50_ms": 131.0, "p95_ms": 481.0, "requests_per_s": 8.2}}
    rows = by_figure(report.rows(results(mixed=entry)))
    assert rows[("mixed", "search")].met == "yes (0.991)"
    assert rows[("mixed", "load")].met == "**no** (8.2)"


def test_a_failed_benchmark_is_one_row(report):
    rows = report.rows(results(caseload={"measured_at": "2026-12-05T10:00:00+00:00", "failed": "KeyError: 'x'"}))
    assert [row.figure for row in rows] == ["FAILED: KeyError: 'x'"]


def test_markdown_has_the_header_and_one_row_per_figure(report):
    text = report.markdown(results(caseload=PAGES, permit_import=FLAT))
    assert text.startswith("### Lotse benchmarks: scale kreis, PostgreSQL 15.8, 2026-12-05\n")
    assert "- Machine: 2 CPUs, Linux-6.1-x86_64 (x86_64)" in text
    assert "- Python 3.11.7, Django 5.2.19, commit abc1234" in text
    assert "- Database: PostgreSQL 15.8; scale kreis, 50,012 persons at the start" in text
    assert "caseload 10:31 (after seeding in 12.5 s); permit_import 10:40" in text
    table = [line for line in text.splitlines() if line.startswith("|")]
    assert table[0].startswith("| benchmark | figure | median (p50) | p95 | queries | baseline |")
    assert len(table) == 2 + 4 + 4  # heading, rule, 4 + 4 figures
    assert all(line.count("|") == 11 for line in table)


def test_formatting(report):
    assert [report.format_ms(v) for v in (0.42, 9.95, 56.34, 291.4, 1333.2, 76590, None)] == \
        ["0.42 ms", "9.95 ms", "56.3 ms", "291 ms", "1.33 s", "76.6 s", "—"]
    assert report.format_ratio(1.0, 2.0) == "0.50×"
    assert report.format_ratio(3.0, 0) == "—"
    assert report.format_queries([15]) == "15" and report.format_queries(None) == "—"
