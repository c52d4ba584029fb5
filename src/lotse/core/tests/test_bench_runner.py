"""`python -m bench` runs each benchmark in a fresh process (what one benchmark leaves in memory
must not slow the next), seeds once, and prints one table of all of them at the end."""

import subprocess

import pytest

from lotse.core.tests.bench_modules import bench_module

pytestmark = pytest.mark.db_independent


@pytest.fixture
def runner(monkeypatch, tmp_path):
    main = bench_module("__main__")
    monkeypatch.setattr(main, "RESULTS_DIR", tmp_path / "results")
    monkeypatch.setattr(main, "VAR_DIR", tmp_path / "var")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    calls: list[list[str]] = []

    def fake_child(command, **kwargs):
        """Stands in for a child: records the command and writes what a child writes."""
        calls.append(command)
        name = command[command.index("--only") + 1]
        date = command[command.index("--results-date") + 1]
        path = main._results_path(date, "demo", "sqlite")
        run = main._read_json(path) or {"benchmarks": {}}
        run["benchmarks"][name] = {"figure": 1}
        run["table"] = "| table of " + ", ".join(sorted(run["benchmarks"])) + " |\n"
        main._write_json(path, run)
        return subprocess.CompletedProcess(command, 3 if name == "guide_pages" else 0)

    monkeypatch.setattr(main.subprocess, "run", fake_child)
    return main, calls


def test_each_benchmark_runs_in_its_own_process_and_one_table_is_printed(runner, capsys):
    main, calls = runner
    status = main.main(["--scale", "demo", "--only", "staff_pages", "--only", "guide_pages", "--fresh"])
    assert [command[command.index("--only") + 1] for command in calls] == ["staff_pages", "guide_pages"]
    assert all(command[1:3] == ["-m", "bench"] and "--no-table" in command for command in calls)
    assert ["--fresh" in command for command in calls] == [True, False]  # seeded once
    assert len({command[command.index("--results-date") + 1] for command in calls}) == 1
    out = capsys.readouterr().out
    assert out.count("| table of guide_pages, staff_pages |") == 1
    assert status == 1  # a failed child fails the run


def test_one_benchmark_or_in_process_runs_here(runner, monkeypatch):
    main, calls = runner
    set_up = []

    def stop_at_setup(url):
        set_up.append(url)
        raise SystemExit(0)  # stop before any database work: only the path taken matters

    monkeypatch.setattr(main, "_setup_django", stop_at_setup)
    with pytest.raises(SystemExit):
        main.main(["--scale", "demo", "--only", "staff_pages"])
    with pytest.raises(SystemExit):
        main.main(["--scale", "demo", "--only", "staff_pages", "--only", "guide_pages", "--in-process"])
    assert calls == [] and len(set_up) == 2
