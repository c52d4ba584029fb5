"""The Markdown table of a benchmark run: pure functions on the results dict (no Django, no
database), so they are tested on hand-made dicts (`lotse/core/tests/test_bench_report.py`).

A results dict (what `python -m bench` writes to `bench/results/<date>-<scale>-<db>.json`):

    {"date": "2026-12-05", "scale": "kreis", "persons": 50012,
     "database": {"vendor": "sqlite", "version": "3.40.1"},
     "machine": {"platform": "Linux-…", "processor": "x86_64", "cpus": 2},
     "versions": {"python": "3.11.7", "django": "5.2.19", "commit": "5dbcfce"},
     "benchmarks": {NAME: ENTRY, …}}

An ENTRY is what the benchmark's `run()` returned, plus `measured_at`, `seed_seconds`, and the
module's declarations `pairs` (from `PAIRS`) and `goals` (from `GOALS`), or `failed` (the error)
when the benchmark raised. A *figure* in an entry is one of:

- a dict with `p50_ms` (and `p95_ms`, `max_ms`, `queries`): `"dashboard": {"p50_ms": …}`;
- flat keys with a common prefix: `"de_p50_ms"`, `"de_p95_ms"`, `"de_queries"` → figure `de`;
- a single measurement: `"<name>_seconds"` or `"<name>_ms"` (with `"<name>_queries"` if present)
  → figure `<name>`, one run, so no p95. `seed_seconds` is the harness's, not a figure.

`PAIRS = [(figure, baseline), …]` names the baseline of a figure (measured in the same run);
figures named `baseline…` are baselines. `GOALS = [(figure, metric, op, limit[, scale]), …]`,
e.g. `("dashboard", "p95_ms", "<=", 1000)`: the metric is `p50_ms`, `p95_ms`, `max_ms`,
`queries` or another key of the figure's dict; a goal with a scale is judged at that scale only.
"""

import datetime
import operator
from dataclasses import dataclass, field

NOT_FIGURES = {"seed_seconds", "measured_at", "scale", "database", "pairs", "goals", "failed"}
OPERATORS = {"<=": (operator.le, "≤"), "<": (operator.lt, "<"), ">=": (operator.ge, "≥"), ">": (operator.gt, ">")}
DASH = "—"
VENDOR_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass
class Figure:
    name: str
    p50_ms: float
    p95_ms: float | None = None
    max_ms: float | None = None
    queries: int | list | None = None
    single_run: bool = False
    extra: dict = field(default_factory=dict)  # other values of the figure (for goals)

    def value(self, metric: str):
        if metric in ("p50_ms", "p95_ms", "max_ms"):
            return getattr(self, metric)
        if metric == "queries":
            return max(self.queries) if isinstance(self.queries, list) and self.queries else self.queries
        return self.extra.get(metric)


@dataclass
class Row:
    benchmark: str
    figure: str
    p50: str = DASH
    p95: str = DASH
    queries: str = DASH
    baseline: str = DASH
    baseline_p50: str = DASH
    ratio: str = DASH
    goal: str = DASH
    met: str = DASH

    def cells(self) -> list[str]:
        return [self.benchmark, self.figure, self.p50, self.p95, self.queries, self.baseline,
                self.baseline_p50, self.ratio, self.goal, self.met]


HEADINGS = ["benchmark", "figure", "median (p50)", "p95", "queries", "baseline", "baseline median",
            "ratio", "goal", "met"]


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def figures_of(entry: dict) -> list[Figure]:
    """The figures of one benchmark's entry, in the order the entry lists them."""
    found: dict[str, Figure] = {}
    for key, value in entry.items():
        if key in NOT_FIGURES:
            continue
        if isinstance(value, dict) and _number(value.get("p50_ms")):
            extra = {k: v for k, v in value.items() if k not in ("p50_ms", "p95_ms", "max_ms", "queries")}
            found[key] = Figure(key, value["p50_ms"], value.get("p95_ms"), value.get("max_ms"),
                                value.get("queries"), extra=extra)
        elif not _number(value) or key.endswith(("_p95_ms", "_max_ms")):
            continue
        elif key.endswith("_p50_ms"):
            name = key.removesuffix("_p50_ms")
            found[name] = Figure(name, value, entry.get(f"{name}_p95_ms"), entry.get(f"{name}_max_ms"),
                                 entry.get(f"{name}_queries"))
        elif key.endswith("_ms"):
            name = key.removesuffix("_ms")
            found[name] = Figure(name, value, queries=entry.get(f"{name}_queries"), single_run=True)
        elif key.endswith("_seconds"):
            name = key.removesuffix("_seconds")
            found[name] = Figure(name, value * 1000, queries=entry.get(f"{name}_queries"), single_run=True)
    return list(found.values())


def format_ms(ms: float | None) -> str:
    if ms is None:
        return DASH
    if ms >= 1000:
        return f"{ms / 1000:.3g} s" if ms < 10_000 else f"{ms / 1000:,.1f} s"
    return f"{ms:.3g} ms" if ms < 10 else f"{ms:.1f} ms" if ms < 100 else f"{ms:.0f} ms"


def format_queries(queries) -> str:
    if queries is None:
        return DASH
    if isinstance(queries, list):
        if not queries:
            return DASH
        if len(queries) == 1:
            return f"{queries[0]:,}"
        return f"{min(queries):,}–{max(queries):,}"
    return f"{queries:,}"


def format_ratio(value: float, baseline: float) -> str:
    if not baseline:
        return DASH
    ratio = value / baseline
    return f"{ratio:.2f}×" if ratio < 1 else f"{ratio:.1f}×" if ratio < 100 else f"{ratio:,.0f}×"


def _metric_label(metric: str) -> str:
    return metric.removesuffix("_ms")


def _format_limit(metric: str, limit) -> str:
    if metric.endswith("_ms"):
        return f"{limit:g} ms" if limit < 1000 else f"{limit / 1000:g} s"
    return f"{limit:,}" if isinstance(limit, int) else f"{limit}"


def judge(figure: Figure, goal, scale: str) -> tuple[str, str]:
    """(the goal as text, whether it is met: yes / no / — when it is not for this scale or
    the figure lacks the metric)."""
    name, metric, op, limit, *rest = goal
    compare, symbol = OPERATORS[op]
    at = rest[0] if rest else None
    text = f"{_metric_label(metric)} {symbol} {_format_limit(metric, limit)}" + (f" at {at}" if at else "")
    value = figure.value(metric)
    if (at and at != scale) or not _number(value):
        return text, DASH
    verdict = "yes" if compare(value, limit) else "**no**"
    if metric.endswith("_ms"):
        return text, verdict  # the time is in the table's own columns
    return text, f"{verdict} ({_format_limit(metric, value)})"  # a count, a rate, a share: shown here


def rows(results: dict) -> list[Row]:
    scale = results.get("scale", "")
    out: list[Row] = []
    for benchmark, entry in results.get("benchmarks", {}).items():
        if entry.get("failed"):
            out.append(Row(benchmark, f"FAILED: {entry['failed']}"))
            continue
        figures = figures_of(entry)
        by_name = {figure.name: figure for figure in figures}
        pairs = {figure: baseline for figure, baseline in entry.get("pairs", [])}
        baselines = set(pairs.values()) | {name for name in by_name if name.startswith("baseline")}
        goals: dict[str, list] = {}
        for goal in entry.get("goals", []):
            goals.setdefault(goal[0], []).append(goal)
        for figure in figures:
            row = Row(benchmark, figure.name, format_ms(figure.p50_ms),
                      DASH if figure.single_run else format_ms(figure.p95_ms), format_queries(figure.queries))
            if figure.single_run:
                row.figure += " (1 run)"
            if figure.name in baselines:
                row.baseline = "(is a baseline)"
            elif figure.name in pairs:
                row.baseline = pairs[figure.name]
                baseline = by_name.get(pairs[figure.name])
                if baseline is None:
                    row.baseline += " (missing)"
                else:
                    row.baseline_p50 = format_ms(baseline.p50_ms)
                    row.ratio = format_ratio(figure.p50_ms, baseline.p50_ms)
            judged = [judge(figure, goal, scale) for goal in goals.get(figure.name, [])]
            if judged:
                row.goal = "; ".join(text for text, _met in judged)
                row.met = "; ".join(met for _text, met in judged)
            out.append(row)
    return out


def _measured(entry: dict) -> str:
    text = DASH
    if entry.get("measured_at"):
        try:
            text = datetime.datetime.fromisoformat(entry["measured_at"]).strftime("%H:%M")
        except ValueError:
            text = entry["measured_at"]
    if entry.get("seed_seconds") is not None:
        text += f" (after seeding in {entry['seed_seconds']:,} s)"
    return text


def header(results: dict) -> list[str]:
    machine = results.get("machine", {})
    versions = results.get("versions", {})
    database = results.get("database", {})
    vendor = VENDOR_LABELS.get(database.get("vendor", ""), database.get("vendor", "?"))
    db_text = f"{vendor} {database.get('version', '')}".strip()
    scale = results.get("scale", "?")
    lines = [f"### Lotse benchmarks: scale {scale}, {db_text}, {results.get('date', '?')}", ""]
    lines.append(f"- Machine: {machine.get('cpus', '?')} CPUs, {machine.get('platform', '?')}"
                 + (f" ({machine['processor']})" if machine.get("processor") else ""))
    software = f"- Python {versions.get('python', '?')}, Django {versions.get('django', '?')}"
    if versions.get("commit"):
        software += f", commit {versions['commit']}"
    lines.append(software)
    persons = results.get("persons")
    lines.append(f"- Database: {db_text}; scale {scale}"
                 + (f", {persons:,} persons at the start" if _number(persons) else ""))
    measured = "; ".join(f"{name} {_measured(entry)}" for name, entry in results.get("benchmarks", {}).items())
    if measured:
        lines.append(f"- Measured (UTC): {measured}")
    return lines


def markdown(results: dict) -> str:
    """The header, the table (one row per figure) and how to read it."""
    table = ["| " + " | ".join(HEADINGS) + " |", "|" + "|".join(" --- " for _ in HEADINGS) + "|"]
    for row in rows(results):
        table.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row.cells()) + " |")
    notes = ["", "Median and p95 of the repeated measurements (times in this process); a figure marked "
             "\"1 run\" was measured once. Ratio = median / baseline median, both from this run. "
             f"{DASH}: no baseline or goal declared, or the goal is for another scale."]
    return "\n".join([*header(results), "", *table, *notes]) + "\n"
