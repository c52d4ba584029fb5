"""Benchmarks of Lotse: `python -m bench --scale kreis` (or `make bench`).

Each benchmark is a module with `TITLE` and `run(bench: Bench) -> dict` (optionally `PAIRS` and
`GOALS` for the table, see `bench.report`), registered in `bench.__main__.BENCHMARKS`. The figures
of a run go to `bench/results/<date>-<scale>-<db>.json` and `var/bench/results.json`; the
Markdown table to stdout (docs/performance.md)."""
