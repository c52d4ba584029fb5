"""Soak (issue 9, point 6): the app under gunicorn on 127.0.0.1 with 30 minutes of mixed
logged-in staff traffic from locust (bench/locustfile.py, the load of `http_load` at one steady
number of users), bounded in time and in request count. It fails (and `python -m bench` exits
non-zero) unless:

- no request failed (0 errors, logins included);
- no worker grew: the median RSS of the last third of the run at most `GROWTH_LIMIT_MB` above
  that of the first third, for every worker;
- the access log verifies afterwards (hash chain and signed checkpoints) and matches the reads
  made: every entry of the run carries the request id of a request the load generator sent,
  every person a page showed has an allowed entry of that request, search and person pages
  logged exactly the persons they showed, and no failed request logged a read
  (`bench.http_load.access_log_check`).

`make test-reliability` runs it on the demo scale (`make soak`); the length and the users come
from `LOTSE_SOAK_SECONDS` (default 1800) and `LOTSE_SOAK_USERS` (default 6)."""

from bench.http_load import _env_int, run_load

TITLE = "Soak: 30 minutes of mixed staff traffic under gunicorn; errors, worker memory, access log"
GOALS = [
    ("soak", "errors", "<=", 0),
    ("soak", "worker_rss_growth_mb", "<=", 10),
    ("soak", "missed_reads", "<=", 0),
    ("soak", "unattributed_entries", "<=", 0),
]
GROWTH_LIMIT_MB = 10
SECONDS = 1800
USERS = 6
MAX_REQUESTS = 500_000  # the bound in count; at ~30 requests/s the 30 minutes stay far below it


def problems(figures: dict) -> list[str]:
    """What makes the soak fail, from its figures (empty: passed)."""
    log = figures["access_log"]
    found = []
    if figures["errors_whole_run"]:
        found.append(f"{figures['errors_whole_run']} requests failed: {figures['failures']}")
    growth = [g for g in figures["worker_memory"]["growth_mb_per_worker"] if g is not None]
    if not growth:
        found.append("no worker memory was sampled over the run")
    elif max(growth) > GROWTH_LIMIT_MB:
        found.append(f"a worker grew by {max(growth)} MB (limit {GROWTH_LIMIT_MB} MB)")
    if not log["chain_verifies"]:
        found.append(f"the access log does not verify: {log['chain_problem']}")
    for key in ("unattributed_entries", "missed_reads", "reads_logged_for_failed_requests",
                "linked_page_mismatches"):
        if log[key]:
            found.append(f"access log: {key} = {log[key]}")
    if not log["reads_shown"]:
        found.append("the pages showed no person: the access-log match proved nothing")
    return found


def run(bench) -> dict:
    seconds = _env_int("LOTSE_SOAK_SECONDS", SECONDS)
    users = _env_int("LOTSE_SOAK_USERS", USERS)
    figures = run_load(bench, steps=[users], step_seconds=seconds, max_requests=MAX_REQUESTS,
                       seed_memory=False)
    step = figures["highest_rate"]
    log = figures["access_log"]
    soak = {"seconds": seconds, "users": users, "requests": figures["requests_whole_run"],
            "requests_per_s": step["requests_per_s"], "p95_ms": step["p95_ms"],
            "errors": figures["errors_whole_run"], "worker_peak_rss_mb": step["worker_peak_rss_mb"],
            "worker_rss_growth_mb": step["worker_rss_growth_mb"],
            **{key: log[key] for key in ("chain_verifies", "entries_of_the_run", "reads_shown", "reads_logged",
                                         "missed_reads", "unattributed_entries",
                                         "reads_logged_for_failed_requests", "linked_page_mismatches")}}
    print(f"[reliability] soak: {seconds} s at {users} users, {soak['requests']} requests "
          f"({soak['requests_per_s']}/s), errors {soak['errors']}, worker peak {soak['worker_peak_rss_mb']} MB, "
          f"growth {soak['worker_rss_growth_mb']} MB, access log verifies: {log['chain_verifies']}, "
          f"entries {log['entries_of_the_run']}, reads shown {log['reads_shown']} / logged {log['reads_logged']}, "
          f"missed {log['missed_reads']}, unattributed {log['unattributed_entries']}", flush=True)
    found = problems(figures)
    if found:
        raise RuntimeError("the soak failed: " + "; ".join(found))
    return {"soak": soak, "worker_memory": figures["worker_memory"], "pages": figures["pages_at_highest_rate"]}
