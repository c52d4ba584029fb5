"""HTTP load (issue 8, points 2 and 3): the app under gunicorn on 127.0.0.1, mixed traffic of
logged-in staff from locust (headless, loopback only, bounded in time and request count), the
memory of the web workers during the run, and the peak memory of `lotse seed --scale kreis`.

The server: `gunicorn lotse.config.wsgi` with `WORKERS` sync workers on a free port of
127.0.0.1, against the benchmark database (`DATABASE_URL` as `bench.__main__` set it), with the
production settings except `LOTSE_DEV=1` (the demo users; no HTTPS redirect, cookies without
the Secure flag, since the load travels over plain HTTP on loopback) and `DEBUG=0`. Tasks go to
the database queue, as in production; printing is warmed up in each worker, as in production.

Why 3 sync workers on the 2-core machine: a Django request here is CPU-bound Python (templates,
ORM, the access spine's decision and hash-chained log append), so threads (gthread) add nothing
under the GIL; two workers would leave a core idle whenever one waits for the SQLite write lock
(every staff request writes its session and access-log rows) or for the network; more than
three only adds context switches and memory, and locust needs CPU on the same two cores.

The load (bench/locustfile.py): a warm-up (every page sent as many times at once as there are
workers, so each worker has loaded every page's code before the steps), then steps of more
simulated users (`STEPS`, each `STEP_SECONDS`); the first `SETTLE_SECONDS` of a step, in which
the new users log in, are not measured, and neither are the logins (their errors are counted).
For each step: requests per second, p50/p95 of the pages, errors. `highest_rate` is the step
with the most requests per second among those with p95 < 200 ms and no error (or the first
step, marked, when none is). The baseline, with the same server and load generator: `/healthz`
(a view that does nothing) with `BASELINE_USERS` users without think time — the ceiling of this
stack on this machine.

Memory: the RSS of every gunicorn worker, sampled every `SAMPLE_SECONDS` during the run; the
peak per worker (the kernel's high-water mark VmHWM, so a spike between samples counts — a login
hashes the password with Argon2, 100 MB), and the growth from the first to the last third of the
measured steps (median of each third; the largest of the workers). Goal: under 300 MB and no
growth, taken as at most 10 MB (the noise of a sampled RSS). `lotse seed --scale kreis` runs in
a subprocess against a throw-away SQLite file, its peak RSS from `wait4`. The state scale
(3,000,000 persons) is not seeded here: it takes far longer than the few minutes this benchmark
may take.

Environment overrides (for a longer soak, issue 9 point 6): `LOTSE_BENCH_LOAD_STEPS` (users per
step), `LOTSE_BENCH_LOAD_STEP_SECONDS`, `LOTSE_BENCH_LOAD_MAX_REQUESTS`, `LOTSE_BENCH_LOAD_SEED=0`
(skip the seed's memory); e.g. steps "6" of 1800 seconds for a 30-minute soak at 6 users."""

import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

TITLE = "HTTP load: gunicorn on 127.0.0.1, mixed staff traffic from locust; worker and seed memory"
PAIRS = [("highest_rate", "baseline_healthz")]
GOALS = [
    ("highest_rate", "requests_per_s", ">=", 300),
    ("highest_rate", "p95_ms", "<", 200),
    ("highest_rate", "errors", "<=", 0),
    ("highest_rate", "worker_peak_rss_mb", "<", 300),
    ("highest_rate", "worker_rss_growth_mb", "<=", 10),
]

ROOT = Path(__file__).resolve().parent.parent
LOCUSTFILE = ROOT / "bench" / "locustfile.py"
WORKERS = 3
P95_LIMIT_MS = 200
WARM_UP_SECONDS = 20
WARM_UP_MIN_USERS = 8  # enough for every kind of user, so every page's code is loaded before the steps
STEPS = [3, 6, 12, 24]  # simulated users per step; the warm-up runs with the first
STEP_SECONDS = 30
SETTLE_SECONDS = 5
SPAWN_RATE = 10
MAX_REQUESTS = 40_000  # the bound in count (the stages bound the time)
BASELINE_USERS = 6
BASELINE_SECONDS = 12
SAMPLE_SECONDS = 0.5
SEED_SCALE = "kreis"
SEED_TIMEOUT = 600

# Demo accounts per kind of simulated user (lotse.organisations.kreis_dueren.DEMO_USERS).
POOLS = {
    "case": ["fallmanagement", "teamleitung", "willkommen", "psychosozial"],
    "benefits": ["sozialamt", "jobcenter", "sozialamt-juelich", "sozialamt-leitung", "abh"],
    "steering": ["koordination", "lenkungsgruppe"],
}
USER_CLASSES = ["CaseWorker", "BenefitsWorker", "SteeringMember", "GuideVisitor"]
SEARCH_NAMES = 40


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _steps() -> list[int]:
    value = os.environ.get("LOTSE_BENCH_LOAD_STEPS", "").strip()
    return [int(part) for part in value.split(",") if part.strip()] if value else STEPS


# --- preparing the configuration of the load (Django and the database are here) -----------------

def _accounts() -> dict:
    """The demo accounts of the pools that exist in this database (a snapshot seeded before a
    demo user was added lacks it), their TOTP keys and the last step their device accepted."""
    from lotse.organisations.kreis_dueren import demo_totp_key
    from lotse.organisations.models import StaffTOTPDevice
    from lotse.organisations.permissions import HANDOVER_WORK

    devices = {device.user.username: device for device in StaffTOTPDevice.objects.select_related("user")
               .filter(user__username__in=[name for pool in POOLS.values() for name in pool], confirmed=True,
                       user__is_active=True)}
    users, handover_users, pools = {}, [], {}
    for kind, pool in POOLS.items():
        pools[kind] = [name for name in pool if name in devices]
        if not pools[kind]:
            raise RuntimeError(f"none of the demo accounts {', '.join(pool)} exists with a TOTP device")
        for username in pools[kind]:
            device = devices[username]
            key = demo_totp_key(username)
            if device.bin_key.hex() != key or device.step != 30 or device.t0 != 0 or device.digits != 6:
                raise RuntimeError(f"the TOTP device of {username} is not the demo device")
            users[username] = {"key": key, "last_t": device.last_t}
            if any(HANDOVER_WORK in role.permissions for role in device.user.roles.all()):
                handover_users.append(username)
    return {"users": users, "handover_users": handover_users, "pools": pools}


def _search_names(count: int) -> list[str]:
    """Names to search for: half family names alone, half given and family name, drawn from
    the persons of the database (fixed random seed)."""
    import random

    from lotse.people.models import Person

    rng = random.Random(8)
    ids = list(Person._plain.order_by("id").values_list("id", flat=True)[:200_000])
    chosen = rng.sample(ids, min(count, len(ids)))
    names = []
    for index, (given, family) in enumerate(Person._plain.filter(id__in=chosen)
                                            .values_list("given_names", "family_name").order_by("id")):
        names.append(family if index % 2 else f"{given.split(' ')[0]} {family}")
    if not names:
        raise RuntimeError("no persons in the database to search for")
    return names


def _guide_urls() -> list[list[str]]:
    from lotse.guide.demo import seed_demo_guide
    from lotse.organisations.models import District, Municipality

    district = District.objects.get(code="05358")
    seed_demo_guide(district)  # idempotent, as in bench.guide_pages
    town = Municipality.objects.get(district=district, name="Düren")
    base = f"/wegweiser/{district.code}"
    return [["guide answer", f"{base}/ar/zustaendig/?m={town.pk}&s=tolerated&t=money"],
            ["guide directory", f"{base}/de/verzeichnis/"],
            ["guide start", f"{base}/de/"]]


def _steering_url() -> str:
    from django.utils import timezone

    from lotse.steering.periods import Period

    return f"/staff/steering/?period={Period.containing(timezone.localdate(), 'quarter').key}"


def _access_events() -> int:
    from lotse.audit.models import AccessEvent

    return AccessEvent.objects.count()


def _last_seq() -> int:
    from lotse.audit.models import AccessEvent

    return AccessEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


# Pages on which every person shown is a link to the person's page: there the persons logged
# for a request must be exactly the persons linked.
LINKED_PAGES = ("person search", "person page")


def access_log_check(load: dict, seq_before: int) -> dict:
    """The access log after the load: does the hash chain verify, and does it match what the
    pages showed? Each staff request carried its own X-Request-Id (bench/locustfile.py), which
    the server writes into every entry it logs.

    - `unattributed_entries`: entries of the run with no request id the load generator sent
      (0: nothing was logged that nobody asked for);
    - `missed_reads`: persons a page linked to (so showed) with no allowed entry of that request
      (0: no read went unlogged);
    - `reads_logged_for_failed_requests`: allowed person entries of requests whose answer was
      not the page (to be 0);
    - `linked_page_mismatches`: search and person pages whose logged persons differ from the
      persons linked (to be 0);
    - `reads_shown` (persons linked, counted by the load generator) and `reads_logged` (allowed
      person entries of the run)."""
    from collections import defaultdict

    from lotse.audit.models import AccessEvent, Decision
    from lotse.audit.verification import verify_chain

    chain = verify_chain(require_checkpoints=False)
    sent = {read[0]: read for read in load.get("reads", [])}
    logged: dict[str, set[int]] = defaultdict(set)
    entries = unattributed = reads_logged = 0
    for request_id, person_id, decision in (AccessEvent.objects.filter(seq__gt=seq_before)
                                            .values_list("request_id", "person_id", "decision").iterator()):
        entries += 1
        if request_id not in sent:
            unattributed += 1
        elif decision == Decision.ALLOWED and person_id is not None:
            logged[request_id].add(person_id)
            reads_logged += 1
    missed = failed_logged = mismatches = shown = 0
    for request_id, name, _status, ok, persons in sent.values():
        if not ok:
            failed_logged += len(logged.get(request_id, ()))
            continue
        shown += len(persons)
        missed += len(set(persons) - logged.get(request_id, set()))
        if name in LINKED_PAGES and set(persons) != logged.get(request_id, set()):
            mismatches += 1
    return {"chain_verifies": chain.ok, "chain_entries": chain.entries, "chain_problem": chain.problem,
            "entries_of_the_run": entries, "requests_sent": len(sent), "unattributed_entries": unattributed,
            "reads_shown": shown, "reads_logged": reads_logged, "missed_reads": missed,
            "reads_logged_for_failed_requests": failed_logged, "linked_page_mismatches": mismatches}


# --- the server ----------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env() -> dict:
    env = dict(os.environ)
    env.update({"LOTSE_DEV": "1", "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "lotse.config.settings",
                "PYTHONUNBUFFERED": "1",
                # The load generator's users search every few seconds for minutes on end, faster
                # than any person: the search budget (ASVS 2.4.1) would refuse them.
                "LOTSE_SEARCH_LIMIT": "1000000"})
    env.pop("LOTSE_TASK_BACKEND", None)  # the production default: the database queue
    return env


def _start_gunicorn(port: int, log_path: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "lotse.config.wsgi:application",
               "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--worker-class", "sync",
               "--timeout", "30", "--graceful-timeout", "5", "--no-control-socket",
               "--log-level", "warning", "--error-logfile", "-"]
    log = log_path.open("w", encoding="utf-8")
    return subprocess.Popen(command, cwd=ROOT, env=_server_env(), stdout=log, stderr=subprocess.STDOUT,  # noqa: S603
                            start_new_session=True)


def _wait_healthy(base: str, server: subprocess.Popen, timeout: float = 90.0) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode} before /healthz answered")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:  # noqa: S310  # nosec B310 - http on loopback
                if response.status == 200:
                    return round(time.perf_counter() - started, 1)
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"/healthz did not answer within {timeout:.0f} s")


def _stop(process: subprocess.Popen, timeout: float = 15.0) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        # The process group is the one this benchmark started (start_new_session): master and workers.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


class MemorySampler(threading.Thread):
    """RSS (and CPU time) of the gunicorn workers, the master's children, every `interval` s."""

    def __init__(self, master_pid: int, interval: float = SAMPLE_SECONDS):
        super().__init__(name="rss-sampler", daemon=True)
        self.master_pid = master_pid
        self.interval = interval
        self.samples: list[tuple[float, int, int]] = []  # (epoch, pid, rss bytes)
        self.cpu: dict[int, float] = {}  # pid -> user + system seconds, latest
        self.high_water: dict[int, int] = {}  # pid -> VmHWM (the kernel's peak RSS) in bytes, latest
        self.stopping = threading.Event()

    def run(self) -> None:
        import psutil

        master = psutil.Process(self.master_pid)
        while not self.stopping.is_set():
            now = time.time()
            try:
                children = master.children()
            except psutil.Error:
                return
            for child in children:
                try:
                    with child.oneshot():
                        rss = child.memory_info().rss
                        times = child.cpu_times()
                except psutil.Error:
                    continue
                self.samples.append((now, child.pid, rss))
                self.cpu[child.pid] = times.user + times.system
                high_water = _vm_hwm(child.pid)
                if high_water:
                    self.high_water[child.pid] = high_water
            self.stopping.wait(self.interval)

    def cpu_at(self) -> float:
        return sum(self.cpu.values())


def _vm_hwm(pid: int) -> int:
    """The peak RSS the kernel recorded for the process (catches spikes between samples, such as
    Argon2's 100 MB at a login), in bytes; 0 where /proc has no such line."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


# --- the load generator ----------------------------------------------------------------------------

def _run_locust(base: str, config: dict, classes: list[str], work: Path, name: str,
                extra: list[str], timeout: float) -> tuple[dict, float]:
    """Run locust headless with `config`; returns its request log and the CPU seconds it used."""
    config = {**config, "log_path": str(work / f"{name}-log.json")}
    config_path = work / f"{name}-config.json"
    config_path.write_text(json.dumps(config), encoding="utf-8")
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", base,
               "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0", *extra, *classes]
    env = {**os.environ, "LOTSE_LOAD_CONFIG": str(config_path)}
    with (work / f"{name}-locust.txt").open("w", encoding="utf-8") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,  # noqa: S603
                                   start_new_session=True)
        deadline = time.monotonic() + timeout
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)
        if process.poll() is None:
            process.kill()
            process.wait()
            raise RuntimeError(f"locust ({name}) did not finish within {timeout:.0f} s")
    # The CPU time of the finished child: wait4 was done by poll(); use /proc-free accounting.
    cpu = _child_cpu_seconds()
    if process.returncode not in (0, None):
        tail = (work / f"{name}-locust.txt").read_text(encoding="utf-8")[-2000:]
        raise RuntimeError(f"locust ({name}) exited with {process.returncode}: {tail}")
    log_path = Path(config["log_path"])
    if not log_path.exists():
        raise RuntimeError(f"locust ({name}) wrote no request log")
    return json.loads(log_path.read_text(encoding="utf-8")), cpu


_CHILD_CPU = [0.0]


def _child_cpu_seconds() -> float:
    """CPU seconds of the children reaped since the last call (RUSAGE_CHILDREN accumulates)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = usage.ru_utime + usage.ru_stime
    spent, _CHILD_CPU[0] = total - _CHILD_CPU[0], total
    return round(spent, 1)


# --- the figures ----------------------------------------------------------------------------------

def _percentiles(durations_ms: list[float]) -> dict:
    from bench.common import percentiles

    if len(durations_ms) < 2:
        return {"p50_ms": durations_ms[0] if durations_ms else 0.0, "p95_ms": None, "max_ms": None}
    return percentiles([ms / 1000 for ms in durations_ms])


def _windows(log: dict) -> list[dict]:
    """The measured steps: label, users, and the window [start, end) in epoch seconds."""
    stages = log["stages"]
    windows = []
    for index, (label, users, began) in enumerate(stages):
        if label in ("warm-up", "end") or index + 1 >= len(stages):
            continue
        windows.append({"label": label, "users": users, "began": began,
                        "start": began + SETTLE_SECONDS, "end": stages[index + 1][2]})
    return windows


def _step_figures(log: dict, window: dict) -> dict:
    pages = [r for r in log["requests"] if window["start"] <= r[0] < window["end"] and not r[1].startswith("login")]
    logins = [r for r in log["requests"] if window["began"] <= r[0] < window["end"] and r[1].startswith("login")]
    seconds = window["end"] - window["start"]
    errors = sum(1 for r in pages if not r[3]) + sum(1 for r in logins if not r[3])
    by_page: dict[str, list[float]] = {}
    for r in pages:
        by_page.setdefault(r[1], []).append(r[2])
    figures = {**_percentiles([r[2] for r in pages] or [0.0]), "requests_per_s": round(len(pages) / seconds, 1),
               "errors": errors, "users": window["users"], "requests": len(pages),
               "logins": sum(1 for r in logins if r[1] == "login: otp"), "measured_s": round(seconds, 1)}
    figures["pages"] = {name: {**_percentiles(times), "requests": len(times)}
                        for name, times in sorted(by_page.items())}
    return figures


def _baseline_figures(log: dict) -> dict:
    """The /healthz run, without its first 2 seconds (the users starting)."""
    requests = log["requests"]
    if requests:
        requests = [r for r in requests if r[0] >= requests[0][0] + 2]
    seconds = requests[-1][0] - requests[0][0] if len(requests) > 1 else 0
    return {**_percentiles([r[2] for r in requests] or [0.0]),
            "requests_per_s": round(len(requests) / seconds, 1) if seconds else None,
            "errors": sum(1 for r in requests if not r[3]), "users": BASELINE_USERS}


def _memory(sampler: MemorySampler, start: float, end: float) -> dict:
    by_pid: dict[int, list[tuple[float, int]]] = {}
    for at, pid, rss in sampler.samples:
        by_pid.setdefault(pid, []).append((at, rss))
    mb = 1024 * 1024
    third = (end - start) / 3
    peaks, growth, medians, thirds = {}, {}, {}, {}
    for pid, samples in by_pid.items():
        peaks[pid] = round(max(max(rss for _at, rss in samples), sampler.high_water.get(pid, 0)) / mb, 1)
        medians[pid] = round(statistics.median(rss for at, rss in samples if start <= at < end) / mb, 1) \
            if any(start <= at < end for at, _rss in samples) else None
        first = [rss for at, rss in samples if start <= at < start + third]
        last = [rss for at, rss in samples if end - third <= at < end]
        middle = [rss for at, rss in samples if start + third <= at < end - third]
        if first and last:
            growth[pid] = round((statistics.median(last) - statistics.median(first)) / mb, 1)
            thirds[pid] = [round(statistics.median(part) / mb, 1) if part else None for part in (first, middle, last)]
    order = sorted(by_pid, key=lambda p: -peaks[p])
    return {"workers_seen": len(by_pid), "peak_rss_mb_per_worker": [peaks[pid] for pid in order],
            "median_rss_mb_per_worker": [medians[pid] for pid in order],
            "growth_mb_per_worker": [growth.get(pid) for pid in order],
            "median_rss_mb_by_third_per_worker": [thirds.get(pid) for pid in order], "samples": len(sampler.samples)}


def _seed_memory(var_dir: Path, log) -> dict:
    """Migrate a throw-away SQLite file, then seed it in a subprocess; its peak RSS from wait4."""
    lotse = Path(sys.executable).with_name("lotse")
    command = [str(lotse)] if lotse.exists() else [sys.executable, "-m", "lotse.manage"]
    with tempfile.TemporaryDirectory(prefix="seed-rss-", dir=var_dir) as scratch:
        env = {**os.environ, "LOTSE_DEV": "1", "LOTSE_VAR_DIR": scratch,
               "DATABASE_URL": f"sqlite:///{Path(scratch) / 'seed.sqlite3'}"}
        for step in (["migrate", "-v", "0"], ["audit_keygen", "--if-missing"]):
            subprocess.run([*command, *step], cwd=ROOT, env=env, check=True, capture_output=True,  # noqa: S603
                           timeout=SEED_TIMEOUT)
        output = Path(scratch) / "seed-output.txt"
        started = time.perf_counter()
        with output.open("wb") as out:  # a file, not a pipe: nobody reads while the seed runs
            process = subprocess.Popen([*command, "seed", "--scale", SEED_SCALE], cwd=ROOT, env=env,  # noqa: S603
                                       stdout=out, stderr=subprocess.STDOUT)
            timer = threading.Timer(SEED_TIMEOUT, process.kill)
            timer.start()
            try:
                _pid, status, usage = os.wait4(process.pid, 0)  # the rusage of this child alone
            finally:
                timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        if process.returncode != 0:
            raise RuntimeError(f"lotse seed --scale {SEED_SCALE} exited with {process.returncode}: "
                               f"{output.read_text(encoding='utf-8', errors='replace')[-1000:]}")
    peak = round(usage.ru_maxrss / 1024, 1)  # kilobytes on Linux
    log(f"lotse seed --scale {SEED_SCALE}: {seconds:.1f} s, peak RSS {peak} MB")
    return {f"seed_{SEED_SCALE}_seconds": round(seconds, 1), f"seed_{SEED_SCALE}_peak_rss_mb": peak}


def run(bench) -> dict:
    return run_load(bench, steps=_steps(),
                    step_seconds=_env_int("LOTSE_BENCH_LOAD_STEP_SECONDS", STEP_SECONDS),
                    max_requests=_env_int("LOTSE_BENCH_LOAD_MAX_REQUESTS", MAX_REQUESTS),
                    seed_memory=os.environ.get("LOTSE_BENCH_LOAD_SEED", "1") != "0")


def _log(text: str) -> None:
    print("  " + text, flush=True)


def run_load(bench, *, steps: list[int], step_seconds: int, max_requests: int,
             seed_memory: bool) -> dict:
    """Serve, load in steps, measure; returns the figures."""
    from django.db import connections

    log = _log
    warm_up_users = max(steps[0], WARM_UP_MIN_USERS)
    accounts = _accounts()
    config = {
        "password": _demo_password(), **accounts,
        "names": _search_names(SEARCH_NAMES), "guide_urls": _guide_urls(), "steering_url": _steering_url(),
        "stages": [{"label": "warm-up", "users": warm_up_users, "seconds": WARM_UP_SECONDS},
                   *[{"label": f"{index}_{users}_users", "users": users, "seconds": step_seconds}
                     for index, users in enumerate(steps, start=1)]],
        "spawn_rate": SPAWN_RATE, "max_requests": max_requests, "workers": WORKERS,
    }
    events_before = _access_events()
    seq_before = _last_seq()
    connections.close_all()  # the server has its own connections; nothing held open here

    work = bench.var_dir / "http_load"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    _child_cpu_seconds()  # start the count of the children's CPU here
    server = _start_gunicorn(port, work / "gunicorn.log")
    try:
        boot = _wait_healthy(base, server)
        log(f"gunicorn: {WORKERS} sync workers on {base}, /healthz after {boot} s")
        sampler = MemorySampler(server.pid)
        sampler.start()
        total = WARM_UP_SECONDS + step_seconds * len(steps)
        log(f"locust: warm-up {WARM_UP_SECONDS} s with {warm_up_users} users, then "
            f"{', '.join(map(str, steps))} users for {step_seconds} s each")
        cpu_before = sampler.cpu_at()
        # The stages bound the time (locust ignores --run-time with a load shape); the timeout
        # kills it should the shape not end, and `max_requests` ends it early.
        load, locust_cpu = _run_locust(base, config, USER_CLASSES, work, "load", [], timeout=total + 120)
        server_cpu = sampler.cpu_at() - cpu_before
        baseline_config = {"stages": [], "max_requests": max_requests}
        healthz, _cpu = _run_locust(base, baseline_config, ["HealthCheck"], work, "baseline",
                                    ["-u", str(BASELINE_USERS), "-r", str(BASELINE_USERS),
                                     "--run-time", f"{BASELINE_SECONDS}s"], timeout=BASELINE_SECONDS + 90)
        sampler.stopping.set()
        sampler.join(timeout=5)
        (work / "rss-samples.json").write_text(json.dumps(sampler.samples), encoding="utf-8")
    finally:
        _stop(server)
    events_after = _access_events()

    windows = _windows(load)
    if not windows:
        raise RuntimeError(f"the load run ended before its first step ({len(load['requests'])} requests)")
    steps_figures = {window["label"]: _step_figures(load, window) for window in windows}
    passing = [f for f in steps_figures.values() if f["p95_ms"] is not None and f["p95_ms"] < P95_LIMIT_MS
               and f["errors"] == 0]
    best = max(passing, key=lambda f: f["requests_per_s"]) if passing else next(iter(steps_figures.values()))
    memory = _memory(sampler, windows[0]["start"], windows[-1]["end"])
    run_seconds = windows[-1]["end"] - load["stages"][0][2]
    errors_total = sum(1 for r in load["requests"] if not r[3])
    highest = {key: value for key, value in best.items() if key != "pages"}
    highest.update({"goal_p95_met": bool(passing),
                    "worker_peak_rss_mb": max(memory["peak_rss_mb_per_worker"], default=None),
                    "worker_rss_growth_mb": max((g for g in memory["growth_mb_per_worker"] if g is not None),
                                                default=None)})
    baseline = _baseline_figures(healthz)
    figures = {
        "server": f"gunicorn {WORKERS} sync workers, 127.0.0.1, LOTSE_DEV=1, DEBUG=0, search budget off",
        "highest_rate": highest,
        **{f"step_{label}": {k: v for k, v in f.items() if k != "pages"} for label, f in steps_figures.items()},
        "baseline_healthz": baseline,
        "pages_at_highest_rate": best["pages"],
        "errors_whole_run": errors_total,
        "failures": load["failures"],
        "requests_whole_run": len(load["requests"]),
        "logins_per_account": load["logins"],
        "worker_memory": memory,
        "cpu_cores_used": {"gunicorn_workers": round(server_cpu / run_seconds, 2),
                           "locust": round(locust_cpu / run_seconds, 2)},
        # CPU the workers spent per request of the load run (logins included): what bounds the
        # rate on two cores, whatever else runs on the machine.
        "server_cpu_ms_per_request": round(server_cpu * 1000 / max(len(load["requests"]), 1), 1),
        "load_average_1min_after": round(os.getloadavg()[0], 2),
        "access_log_rows_added": events_after - events_before,
        "access_log": access_log_check(load, seq_before),
    }
    if seed_memory:
        figures.update(_seed_memory(bench.var_dir, log))
    return figures


def _demo_password() -> str:
    from lotse.organisations.kreis_dueren import DEMO_PASSWORD

    return DEMO_PASSWORD
