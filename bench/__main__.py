"""`python -m bench [--scale kreis] [--only NAME] [--persons N] [--fresh]`

Runs the registered benchmarks on a seeded SQLite database under var/bench/ (a snapshot of the
seed is kept there and copied for every run, so runs start from the same state; `--fresh`
seeds again), prints the figures and writes them to var/bench/results.json (figures of other
benchmarks already in the file are kept)."""

import argparse
import datetime
import importlib
import json
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = ROOT / "var" / "bench"

# name → module (with TITLE and run(bench) -> dict). Add a module per benchmark.
BENCHMARKS = {
    "handover_bulk": "bench.handover_bulk",
    "caseload": "bench.caseload",
    "appointments": "bench.appointments",
    "permit_import": "bench.permit_import",
    "welcome_sheet": "bench.welcome_sheet",
    "guide_pages": "bench.guide_pages",
    "steering_dashboard": "bench.steering_dashboard",
}


def _setup_django(database: Path) -> None:
    os.environ["LOTSE_VAR_DIR"] = str(VAR_DIR)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("LOTSE_DEV", "1")
    # The task body runs in this process, so its queries are counted and timed.
    os.environ["LOTSE_TASK_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    os.environ["DJANGO_SETTINGS_MODULE"] = "lotse.config.settings"
    os.environ["DEBUG"] = "0"
    import logging

    import django

    django.setup()
    logging.getLogger("django_tasks").setLevel(logging.WARNING)  # no line per task start and end


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=["demo", "kreis", "state"], default="kreis")
    parser.add_argument("--only", action="append", choices=sorted(BENCHMARKS),
                        help="Run only this benchmark (repeatable).")
    parser.add_argument("--persons", type=int, default=5000,
                        help="Size of the group a benchmark works on (default 5,000).")
    parser.add_argument("--fresh", action="store_true", help="Seed again instead of copying the snapshot.")
    args = parser.parse_args(argv)
    if args.persons < 1:
        parser.error("--persons must be positive")

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    database = VAR_DIR / f"bench-{args.scale}.sqlite3"
    _setup_django(database)
    from bench.common import Bench, prepare_database

    names = args.only or list(BENCHMARKS)
    results_path = VAR_DIR / "results.json"
    try:
        results = json.loads(results_path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        results = {}
    results.setdefault("benchmarks", {})
    failed = False
    for name in names:
        module = importlib.import_module(BENCHMARKS[name])
        print(f"== {name}: {module.TITLE} (scale {args.scale})", flush=True)
        seed_seconds = prepare_database(database, VAR_DIR / f"seed-{args.scale}.sqlite3", args.scale,
                                        fresh=args.fresh, log=lambda text: print("  " + text, flush=True))
        args.fresh = False  # seed once per invocation
        bench = Bench(scale=args.scale, persons=args.persons, var_dir=VAR_DIR, database=database,
                      seed_seconds=seed_seconds)
        try:
            figures = module.run(bench)
        except Exception as exc:  # report, go on with the next benchmark
            print(f"  FAILED: {type(exc).__name__}: {exc}", flush=True)
            failed = True
            continue
        figures = {"scale": args.scale, "measured_at": datetime.datetime.now(datetime.UTC).isoformat(
            timespec="seconds"), "seed_seconds": seed_seconds, **figures}
        results["benchmarks"][name] = figures
        for key, value in figures.items():
            print(f"  {key}: {value}")
    results["machine"] = {"python": platform.python_version(), "platform": platform.platform(),
                          "processor": platform.processor() or platform.machine(), "cpus": os.cpu_count()}
    results_path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"results: {results_path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
