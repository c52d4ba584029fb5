"""Mixed staff traffic for the `http_load` benchmark (bench/http_load.py starts it; locust,
headless, loopback only).

Everything comes from the JSON file named by `LOTSE_LOAD_CONFIG`, written by `bench.http_load`
(which has Django and the database at hand): the demo password, the demo users with their TOTP
keys (`lotse.organisations.kreis_dueren.demo_totp_key`) and the last time step each device
accepted, names to search for, the public guide URLs, the load stages and where to write the
request log. This process never touches the database and does not set up Django.

Simulated users (the classes below; weights give the mix):

- `CaseWorker` (case manager, team lead, welcome and psychosocial counsellors): start page,
  caseload, person search, a person page from the hits;
- `BenefitsWorker` (social offices, job centre, foreigners' authority): start page, person
  search, a person page, the open handovers (where the role has them);
- `SteeringMember` (coordination, steering group): start page, now and then the dashboard;
- `GuideVisitor` (anonymous): the public guide (answer page, directory, start);
- `HealthCheck` (only for the baseline run): `/healthz`, no think time.

Each staff user logs in once, the real way: the login page for the CSRF token, POST of user name
and password, then the TOTP code of the demo key to `/login/otp/`. A TOTP code is accepted once
per user and 30-second step (and a wrong one throttles the device), so the logins of simulated
users that share a demo account are spread over time steps here (`_pick_account`,
`_claim_step`): a simulated user waits for the next step when its account has logged in during
this one. The classes are named on locust's command line (the baseline run names `HealthCheck`
only).

Every request (with its start time, duration, success and status) is written to the log at the
end, with the times at which each stage began; `bench.http_load` computes the figures from it.
A request whose status is not the expected one (200, or the redirects of the login) counts as an
error; so does a staff page that answers with the login page."""

import binascii
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from collections import Counter
from hashlib import sha1

import gevent
from locust import LoadTestShape, between, constant, events, task
from locust.contrib.fasthttp import FastHttpUser

CONFIG_PATH = os.environ.get("LOTSE_LOAD_CONFIG", "")
if not CONFIG_PATH:
    raise RuntimeError("LOTSE_LOAD_CONFIG is not set: run the load through `python -m bench --only http_load`")
with open(CONFIG_PATH, encoding="utf-8") as _file:
    CONFIG = json.load(_file)

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PERSON_LINK = re.compile(r'href="(/persons/\d+/\?purpose=\w+)"')
TOTP_STEP = 30

# --- the request log ---------------------------------------------------------------------------

REQUESTS: list[list] = []  # [start (epoch s), name, duration ms, ok, status]
# [request id, name, status, ok, ids of the persons the page links to]: every staff request
# carries its own X-Request-Id, which the server writes into each access-log entry it makes, so
# the log can be matched with what the pages showed (issue 9 point 6).
READS: list[list] = []
PERSON_ID = re.compile(r'href="/persons/(\d+)/')
_REQUEST_IDS = itertools.count(1)


def _request_id() -> str:
    return f"load{os.getpid()}-{next(_REQUEST_IDS)}"
FAILURES: Counter = Counter()
STAGES: list[list] = []  # [label, users, epoch when it began]


@events.request.add_listener
def _record(request_type, name, response_time, response_length, response=None, context=None,
            exception=None, start_time=None, url=None, **kwargs):
    status = getattr(response, "status_code", 0) or 0
    REQUESTS.append([round(start_time or time.time(), 4), name, round(response_time or 0, 2),
                     exception is None, status])
    if exception is not None:
        FAILURES[f"{name}: {str(exception)[:160]}"] += 1
    limit = CONFIG.get("max_requests")
    if limit and len(REQUESTS) == limit:  # bounded in count as well as in time
        environment = kwargs.get("environment") or _ENVIRONMENT.get("env")
        if environment is not None and environment.runner is not None:
            gevent.spawn(environment.runner.quit)


_ENVIRONMENT: dict = {}


@events.init.add_listener
def _keep_environment(environment, **kwargs):
    _ENVIRONMENT["env"] = environment


@events.quitting.add_listener
def _write_log(environment, **kwargs):
    if STAGES and STAGES[-1][0] != "end":  # stopped early (the request bound): the last stage ends now
        STAGES.append(["end", 0, time.time()])
    with open(CONFIG["log_path"], "w", encoding="utf-8") as file:
        json.dump({"stages": STAGES, "requests": REQUESTS, "failures": dict(FAILURES),
                   "logins": dict(LOGINS), "reads": READS}, file)


# --- logging in with the demo accounts -----------------------------------------------------------

_LAST_STEP: dict[str, int] = {name: user["last_t"] for name, user in CONFIG.get("users", {}).items()}
LOGINS: Counter = Counter()


def _totp(hex_key: str, step: int, digits: int = 6) -> str:
    """RFC 6238 code for the time step `step` (HMAC-SHA1, as django-otp's TOTPDevice)."""
    digest = hmac.new(binascii.unhexlify(hex_key), struct.pack(">Q", step), sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 10 ** digits
    return f"{code:0{digits}d}"


def _pick_account(pool: list[str]) -> str:
    """The account of the pool to log in with: one whose device has not accepted a code in the
    current time step if there is one, then the one with the fewest logins so far."""
    step = int(time.time() // TOTP_STEP)
    name = min(pool, key=lambda n: (_LAST_STEP.get(n, -1) >= step, LOGINS[n], pool.index(n)))
    LOGINS[name] += 1
    return name


def _claim_step(name: str) -> int:
    """The current TOTP step for the account, once: waits for the next step when the account's
    device accepted a code in this one, or when less than a second of the step is left (the
    server accepts the neighbouring steps too, but only ever later ones than the last)."""
    while True:
        step, into = divmod(time.time(), TOTP_STEP)
        step = int(step)
        if _LAST_STEP.get(name, -1) < step and into < TOTP_STEP - 1:
            _LAST_STEP[name] = step
            return step
        gevent.sleep(TOTP_STEP - into + 0.05)


class StaffUser(FastHttpUser):
    abstract = True
    pool_key = ""  # the key of the account pool in the configuration
    network_timeout = 30.0
    connection_timeout = 10.0

    def on_start(self):
        self.username = ""
        self.person_links: list[str] = []
        self.csrf_token = ""  # the latest page's (every page has the logout form)
        pool = CONFIG["pools"][self.pool_key]
        self._login(pool)
        self.tour()

    def tour(self) -> None:
        """Every page of the class once after the login, as someone looking around would."""
        for function in dict.fromkeys(self.tasks):  # the task functions, each once (weights repeat them)
            _warming(lambda function=function: function(self))

    def _token(self, url: str, name: str) -> str:
        request_id = _request_id()
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False,
                             headers={"X-Request-Id": request_id}) as response:
            READS.append([request_id, name, response.status_code, response.status_code == 200, []])
            match = CSRF.search(response.text or "") if response.status_code == 200 else None
            if match is None:
                response.failure(f"no CSRF token on {url} ({response.status_code})")
                raise _LoginFailed(url)
            response.success()
            return match.group(1)

    def _post(self, url: str, name: str, data: dict, expect_location: str) -> None:
        request_id = _request_id()
        with self.client.post(url, name=name, data=data, catch_response=True, allow_redirects=False,
                              headers={"Referer": self.host + url, "X-Request-Id": request_id}) as response:
            location = response.headers.get("Location", "") if response.headers else ""
            READS.append([request_id, name, response.status_code, location == expect_location, []])
            if response.status_code != 302 or location != expect_location:
                response.failure(f"{url} answered {response.status_code} to {location or '-'}")
                raise _LoginFailed(url)
            response.success()

    def _login(self, pool: list[str]) -> None:
        try:
            self.username = _pick_account(pool)
            token = self._token("/login/", "login: form")
            self._post("/login/", "login: password",
                       {"csrfmiddlewaretoken": token, "username": self.username, "password": CONFIG["password"]},
                       "/login/otp/")
            token = self._token("/login/otp/", "login: otp form")
            step = _claim_step(self.username)
            self._post("/login/otp/", "login: otp",
                       {"csrfmiddlewaretoken": token, "token": _totp(CONFIG["users"][self.username]["key"], step)},
                       "/")
        except _LoginFailed:
            self.stop(force=True)

    def page(self, url: str, name: str, must_contain: str = "", data: dict | None = None) -> str:
        """GET `url`, or POST `data` to it (as a form the user sends: with the CSRF token)."""
        request_id = _request_id()
        headers = {"X-Request-Id": request_id}
        if data is None:
            sending = self.client.get(url, name=name, catch_response=True, allow_redirects=False, headers=headers)
        else:
            sending = self.client.post(url, name=name, catch_response=True, allow_redirects=False,
                                       data={"csrfmiddlewaretoken": self.csrf_token, **data},
                                       headers={**headers, "Referer": self.host + url})
        with sending as response:
            text = response.text or ""
            ok = False
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            elif 'name="password"' in text:
                response.failure("answered with the login page")
            elif must_contain and must_contain not in text:
                response.failure(f"{must_contain!r} not on the page")
            else:
                response.success()
                ok = True
                token = CSRF.search(text)
                self.csrf_token = token.group(1) if token else self.csrf_token
            READS.append([request_id, name, response.status_code, ok,
                          sorted({int(pid) for pid in PERSON_ID.findall(text)}) if ok else []])
            return text

    def search_and_open(self) -> None:
        # The search posts its terms (names stay out of URLs and server logs), with a CSRF token
        # from a page seen before.
        if not self.csrf_token:
            self.page("/", "start page")
        text = self.page("/persons/", "person search", data={"name": random.choice(CONFIG["names"])})
        links = PERSON_LINK.findall(text)
        if links:
            self.person_links = links
        if self.person_links:
            self.page(random.choice(self.person_links), "person page")


class _LoginFailed(Exception):
    pass


def _warming(visit) -> None:
    """`visit()` once; during the warm-up as many times at once as the server has workers, so
    that each worker most likely serves every page before the measured steps (a worker loads
    a page's code on first use: the steering dashboard adds some 17 MB, which would otherwise
    show as growth during the run)."""
    if not (STAGES and STAGES[-1][0] == "warm-up") or CONFIG.get("workers", 1) < 2:
        visit()
        return
    gevent.joinall([gevent.spawn(visit) for _ in range(CONFIG["workers"])])


STAFF_WAIT = CONFIG.get("staff_wait", [0.25, 0.75])


class CaseWorker(StaffUser):
    weight = 4
    pool_key = "case"
    wait_time = between(*STAFF_WAIT)

    @task(2)
    def start_page(self):
        self.page("/", "start page")

    @task(3)
    def caseload(self):
        self.page("/cases/", "caseload")

    @task(3)
    def search(self):
        self.search_and_open()


class BenefitsWorker(StaffUser):
    weight = 3
    pool_key = "benefits"
    wait_time = between(*STAFF_WAIT)

    @task(2)
    def start_page(self):
        self.page("/", "start page")

    @task(3)
    def search(self):
        self.search_and_open()

    @task(2)
    def handovers(self):
        if self.username in CONFIG["handover_users"]:
            self.page("/handovers/", "handover list")
        else:
            self.page("/", "start page")


class SteeringMember(StaffUser):
    weight = 1
    pool_key = "steering"
    wait_time = between(*CONFIG.get("steering_wait", [2.0, 5.0]))

    @task(2)
    def start_page(self):
        self.page("/", "start page")

    @task(1)
    def dashboard(self):
        self.page(CONFIG["steering_url"], "steering dashboard", "lotse-chart")


class GuideVisitor(FastHttpUser):
    weight = 2
    wait_time = between(*CONFIG.get("guide_wait", [0.5, 1.5]))
    network_timeout = 30.0

    def on_start(self):
        for name, url in CONFIG["guide_urls"]:
            _warming(lambda name=name, url=url: self.visit(name, url))

    @task
    def guide(self):
        self.visit(*random.choice(CONFIG["guide_urls"]))

    def visit(self, name: str, url: str) -> None:
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            else:
                response.success()


class HealthCheck(FastHttpUser):
    """The baseline: the same server and load generator, a view that does nothing."""

    wait_time = constant(0)

    @task
    def healthz(self):
        self.client.get("/healthz", name="healthz")


if CONFIG.get("stages"):

    class Stages(LoadTestShape):
        """The configured stages, e.g. a warm-up, then steps of more users; None ends the run."""

        def tick(self):
            elapsed = self.get_run_time()
            until = 0.0
            for stage in CONFIG["stages"]:
                until += stage["seconds"]
                if elapsed < until:
                    if not STAGES or STAGES[-1][0] != stage["label"]:
                        STAGES.append([stage["label"], stage["users"], time.time()])
                    return stage["users"], CONFIG.get("spawn_rate", 10)
            if not STAGES or STAGES[-1][0] != "end":
                STAGES.append(["end", 0, time.time()])
            return None
