"""Benchmarks of Lotse: `python -m bench --scale kreis` (or `make bench`).

Each benchmark is a module with `TITLE` and `run(bench: Bench) -> dict`, registered in
`bench.__main__.BENCHMARKS`. The figures of a run go to `var/bench/results.json`."""
