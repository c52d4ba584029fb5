"""`python -m bench [--scale kreis] [--only NAME] [--persons N] [--fresh]`

Runs the registered benchmarks on a seeded database and prints a Markdown table of the figures
with their baselines (`bench.report`).

- SQLite (default): a database under var/bench/; a snapshot of the seed is kept there and copied
  before every benchmark, so each starts from the same state (`--fresh` seeds again).
- PostgreSQL: when DATABASE_URL is a postgres:// URL, that database is used. It is seeded once
  and reused as long as it holds this scale's seed (the seed's `seed.loaded` entry in the access
  log is the marker); nothing is copied, so rows written by one benchmark stay for the next.
  `--fresh` drops the schema `public` of that database and seeds again. A database holding other
  data is refused.

Results go to bench/results/<date>-<scale>-<sqlite|postgresql>.json (UTC date; figures of other
benchmarks run the same day on the same scale and database are kept, and the table covers them
all) and, as before, to var/bench/results.json (the latest figures of each benchmark)."""

import argparse
import datetime
import importlib
import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# LOTSE_BENCH_VAR_DIR: another folder for the databases and snapshots (e.g. a soak beside a benchmark run).
VAR_DIR = (Path(os.environ["LOTSE_BENCH_VAR_DIR"]).resolve() if os.environ.get("LOTSE_BENCH_VAR_DIR")
           else ROOT / "var" / "bench")
RESULTS_DIR = ROOT / "bench" / "results"
POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql", "postgis")

# name → module (with TITLE and run(bench) -> dict; optional PAIRS and GOALS, see bench.report).
BENCHMARKS = {
    "handover_bulk": "bench.handover_bulk",
    "caseload": "bench.caseload",
    "appointments": "bench.appointments",
    "permit_import": "bench.permit_import",
    "welcome_sheet": "bench.welcome_sheet",
    "guide_pages": "bench.guide_pages",
    "steering_dashboard": "bench.steering_dashboard",
    "person_search": "bench.person_search",
    "staff_pages": "bench.staff_pages",
    "access_spine": "bench.access_spine",
    "http_load": "bench.http_load",
    "soak": "bench.soak",
}
# Run only when named with --only: the 30-minute soak belongs to `make test-reliability` (issue 9).
ON_REQUEST = {"soak"}


def _postgres_url() -> str | None:
    """DATABASE_URL if it names PostgreSQL; any other value is ignored (said so)."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return None
    if url.split(":", 1)[0].lower() in POSTGRES_SCHEMES:
        return url
    print(f"note: DATABASE_URL ({url.split(':', 1)[0]}:…) is not PostgreSQL; "
          "benchmarking on SQLite under var/bench/", flush=True)
    return None


def _setup_django(database_url: str) -> None:
    os.environ["LOTSE_VAR_DIR"] = str(VAR_DIR)
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("LOTSE_DEV", "1")
    # The task body runs in this process, so its queries are counted and timed.
    os.environ["LOTSE_TASK_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    os.environ["DJANGO_SETTINGS_MODULE"] = "lotse.config.settings"
    os.environ["DEBUG"] = "0"
    import logging

    import django

    django.setup()
    logging.getLogger("django_tasks").setLevel(logging.WARNING)  # no line per task start and end


def _commit() -> str | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        sha = subprocess.run([git, "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,  # noqa: S603
                             text=True, check=True, timeout=10).stdout.strip()
        dirty = subprocess.run([git, "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,  # noqa: S603
                               capture_output=True, text=True, check=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{sha} (with local changes)" if dirty else sha


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(path.name + ".tmp")
    scratch.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(scratch, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=["demo", "kreis", "state"], default="kreis")
    parser.add_argument("--only", action="append", choices=sorted(BENCHMARKS),
                        help="Run only this benchmark (repeatable).")
    parser.add_argument("--persons", type=int, default=5000,
                        help="Size of the group a benchmark works on (default 5,000).")
    parser.add_argument("--fresh", action="store_true",
                        help="Seed again (SQLite: instead of copying the snapshot; PostgreSQL: after "
                             "dropping the schema public of DATABASE_URL's database).")
    parser.add_argument("--in-process", action="store_true",
                        help="Run every benchmark in this one process (default: each in a fresh process).")
    parser.add_argument("--results-date", help=argparse.SUPPRESS)  # a child writes to its parent's file
    parser.add_argument("--no-table", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.persons < 1:
        parser.error("--persons must be positive")

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    names = args.only or [name for name in BENCHMARKS if name not in ON_REQUEST]
    if len(names) > 1 and not args.in_process:
        return _run_each_in_a_fresh_process(args, names)
    postgres_url = _postgres_url()
    database = None if postgres_url else VAR_DIR / f"bench-{args.scale}.sqlite3"
    _setup_django(postgres_url or f"sqlite:///{database}")
    import django

    from bench import report
    from bench.common import Bench, SeedRefused, count_persons, database_info, prepare_database, prepare_postgres

    def log(text: str) -> None:
        print("  " + text, flush=True)

    started = datetime.datetime.now(datetime.UTC)
    vendor = "postgresql" if postgres_url else "sqlite"
    results_path = _results_path(args.results_date or started.date().isoformat(), args.scale, vendor)
    run = _read_json(results_path)
    run.setdefault("benchmarks", {})
    latest_path = VAR_DIR / "results.json"
    latest = _read_json(latest_path)
    latest.setdefault("benchmarks", {})

    postgres_seed_seconds = None
    if postgres_url:
        print(f"== database (PostgreSQL, scale {args.scale})", flush=True)
        try:
            postgres_seed_seconds = prepare_postgres(args.scale, fresh=args.fresh, log=log)
        except SeedRefused as exc:
            print(f"  refused: {exc}", flush=True)
            return 2

    failed = False
    for index, name in enumerate(names):
        module = importlib.import_module(BENCHMARKS[name])
        print(f"== {name}: {module.TITLE} (scale {args.scale}, {vendor})", flush=True)
        if postgres_url:
            seed_seconds = postgres_seed_seconds if index == 0 else None
        else:
            seed_seconds = prepare_database(database, VAR_DIR / f"seed-{args.scale}.sqlite3", args.scale,
                                            fresh=args.fresh, log=log)
            args.fresh = False  # seed once per invocation
        if index == 0:
            run["persons"] = count_persons()
        bench = Bench(scale=args.scale, persons=args.persons, var_dir=VAR_DIR, database=database,
                      seed_seconds=seed_seconds)
        measured_at = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        declared = {"pairs": [list(pair) for pair in getattr(module, "PAIRS", [])],
                    "goals": [list(goal) for goal in getattr(module, "GOALS", [])]}
        try:
            figures = module.run(bench)
        except Exception as exc:  # report, go on with the next benchmark
            print(f"  FAILED: {type(exc).__name__}: {exc}", flush=True)
            run["benchmarks"][name] = {"scale": args.scale, "database": vendor, "measured_at": measured_at,
                                       "failed": f"{type(exc).__name__}: {exc}"}
            failed = True
            continue
        figures = {"scale": args.scale, "database": vendor, "measured_at": measured_at,
                   "seed_seconds": seed_seconds, **declared, **figures}
        run["benchmarks"][name] = latest["benchmarks"][name] = figures
        for key, value in figures.items():
            if key not in declared:
                print(f"  {key}: {value}")

    info = database_info()
    machine = {"platform": platform.platform(), "processor": platform.processor() or platform.machine(),
               "cpus": os.cpu_count()}
    versions = {"python": platform.python_version(), "django": django.get_version(), "commit": _commit()}
    run = {"date": started.date().isoformat(), "scale": args.scale, "database": info,
           "persons": run.get("persons"), "machine": machine, "versions": versions,
           "benchmarks": run["benchmarks"]}
    run["table"] = report.markdown(run)
    _write_json(results_path, run)
    latest["machine"] = {**machine, "python": versions["python"]}
    _write_json(latest_path, latest)
    if not args.no_table:
        _print_table(run["table"], results_path, latest_path)
    return 1 if failed else 0


def _results_path(date: str, scale: str, vendor: str) -> Path:
    return RESULTS_DIR / f"{date}-{scale}-{vendor}.json"


def _print_table(table: str, results_path: Path, latest_path: Path) -> None:
    print()
    print(table, end="")
    print()
    shown = [path.relative_to(ROOT) if path.is_relative_to(ROOT) else path for path in (results_path, latest_path)]
    print(f"results: {shown[0]} (and {shown[1]})")


def _run_each_in_a_fresh_process(args, names: list[str]) -> int:
    """Each benchmark in a process of its own, as a freshly started worker would meet it: what
    one benchmark leaves in memory (caches, millions of live objects that slow the garbage
    collector) must not slow the next. The children write into one results file; the table is
    printed once at the end."""
    date = datetime.datetime.now(datetime.UTC).date().isoformat()
    failed = False
    for index, name in enumerate(names):
        command = [sys.executable, "-m", "bench", "--scale", args.scale, "--only", name,
                   "--persons", str(args.persons), "--results-date", date, "--no-table"]
        if args.fresh and index == 0:
            command.append("--fresh")  # seed once per invocation
        failed |= subprocess.run(command, cwd=ROOT, check=False).returncode != 0  # noqa: S603
    vendor = "postgresql" if _postgres_url() else "sqlite"
    results_path = _results_path(date, args.scale, vendor)
    table = _read_json(results_path).get("table", "")
    _print_table(table, results_path, VAR_DIR / "results.json")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
