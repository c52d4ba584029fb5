"""The caseload page (`/cases/`) at Kreis scale, as the demo case manager of Caritas
("fallmanagement") and the team lead ("teamleitung") meet it.

The Kreis seed gives about one newcomer in eight a case at a welfare association and every
twentieth of those a case manager: the demo case manager holds a few hundred open cases, the
Caritas team about 1,200. If the seed holds fewer than `MIN_CASELOAD` open cases of the case
manager (e.g. at demo scale), the benchmark opens more for synthetic persons first.

Each client logs in the real way (password, then the TOTP code of the demo key) and asks for
the page `REQUESTS` times after `WARM_UP` requests; the server time is the time Django takes
for the request in this process (middleware, spine with its access-log row, template). The
baseline, measured in the same run, is the raw SQL the page needs at least: the count and the
page of cases joined with the persons and their municipalities, ordered by attention date."""

import datetime
import random
import re
import time

TITLE = "Caseload page of a case manager and of the team (GET /cases/)"
# For the report (bench.report): the figure paired with the baseline measured in the same run,
# and the goal of issue 8 for staff pages.
PAIRS = [("my_cases_page1", "baseline_raw_sql")]
GOALS = [("my_cases_page1", "p95_ms", "<=", 100, "state"), ("team_view_page1", "p95_ms", "<=", 100, "state")]
CASE_MANAGER = "fallmanagement"
TEAM_LEAD = "teamleitung"
MIN_CASELOAD = 200
REQUESTS = 40
WARM_UP = 3
SEED = 3


def _open_cases_of(user) -> int:
    from lotse.cases.models import Case

    return Case._plain.filter(case_manager=user, owning_agency_id=user.agency_id,
                              closed_on__isnull=True).count()


def _top_up(user, wanted: int) -> int:
    """Open `wanted` cases for the user on persons of the district without a case at the
    user's agency (written straight into the tables, like the seed)."""
    from django.db import transaction
    from django.utils import timezone

    from lotse.cases.models import Case
    from lotse.people.models import Person, PersonAgencyLink

    rng = random.Random(SEED)
    today = timezone.localdate()
    agency = user.agency
    taken = set(Case._plain.filter(owning_agency=agency).values_list("person_id", flat=True))
    candidates = [pid for pid in Person._plain.filter(district_id=agency.district_id)
                  .values_list("id", flat=True).order_by("id") if pid not in taken][:wanted]
    linked = set(PersonAgencyLink._plain.filter(person_id__in=candidates, agency=agency)
                 .values_list("person_id", flat=True))
    cases = []
    for pid in candidates:
        next_contact = today + datetime.timedelta(days=rng.randint(-20, 40)) if rng.random() < 0.8 else None
        cases.append(Case(district_id=agency.district_id, person_id=pid, owning_agency=agency,
                          focus_area=rng.choice(["welcome_counselling", "labour_market"]),
                          phase=rng.choice(["intake", "assessment", "planning", "linking", "monitoring"]),
                          case_manager=user, opened_on=today - datetime.timedelta(days=rng.randint(1, 700)),
                          next_contact_on=next_contact, attention_on=next_contact))
    with transaction.atomic():
        PersonAgencyLink._plain.bulk_create(
            [PersonAgencyLink(person_id=pid, agency=agency, since=today, file_number=f"BENCH-CL-{pid}")
             for pid in candidates if pid not in linked])
        Case._plain.bulk_create(cases, batch_size=2000)
    return len(cases)


def _logged_in_client(username: str):
    """A test client with a full session: password, then the demo user's TOTP code."""

    from django.test import Client
    from django_otp.oath import totp

    from lotse.organisations.kreis_dueren import DEMO_PASSWORD
    from lotse.organisations.models import StaffTOTPDevice

    client = Client(SERVER_NAME="localhost")
    response = client.post("/login/", {"username": username, "password": DEMO_PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"login of {username} failed ({response.status_code})")
    device = StaffTOTPDevice.objects.get(user__username=username, confirmed=True)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    response = client.post("/login/otp/", {"token": f"{code:0{device.digits}d}"})
    if response.status_code != 302 or response["Location"] != "/":
        raise RuntimeError(f"second factor of {username} failed ({response.status_code})")
    return client


def _measure_page(client, url: str, expected_total: int) -> dict:
    from bench.common import measure_get

    figures, response = measure_get(client, url, requests=REQUESTS, warm_up=WARM_UP)
    page = response.content.decode()
    shown = re.search(r"(\d[\d.]*) Fälle?, sortiert", page)
    if shown is None or int(shown.group(1).replace(".", "")) != expected_total:
        raise RuntimeError(f"{url}: the page does not show {expected_total} cases "
                           f"({shown.group(0) if shown else 'no count'})")
    rows = len(re.findall(r'href="/cases/\d+/"', page))
    return {**figures, "rows_on_page": rows}


BASELINE_COUNT = """
SELECT COUNT(*) FROM cases_case c
WHERE c.owning_agency_id = %s AND c.district_id = %s AND c.case_manager_id = %s AND c.closed_on IS NULL
"""
BASELINE_PAGE = """
SELECT c.id, c.phase, c.focus_area, c.attention_on, c.next_contact_on,
       p.given_names, p.family_name, m.name
FROM cases_case c
JOIN people_person p ON p.id = c.person_id
LEFT JOIN organisations_municipality m ON m.id = p.municipality_id
WHERE c.owning_agency_id = %s AND c.district_id = %s AND c.case_manager_id = %s AND c.closed_on IS NULL
ORDER BY c.attention_on IS NULL, c.attention_on, c.opened_on, c.id
LIMIT 25
"""


def _measure_baseline(user, expected_total: int) -> dict:
    from django.db import connection

    from bench.common import percentiles

    params = [user.agency_id, user.agency.district_id, user.pk]
    times = []
    for index in range(WARM_UP + REQUESTS):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(BASELINE_COUNT, params)
            total = cursor.fetchone()[0]
            cursor.execute(BASELINE_PAGE, params)
            rows = cursor.fetchall()
        if index >= WARM_UP:
            times.append(time.perf_counter() - started)
    if total != expected_total or len(rows) != min(25, expected_total):
        raise RuntimeError(f"baseline found {total} cases and {len(rows)} rows")
    return {**percentiles(times), "queries": 2}


def run(bench) -> dict:
    from lotse.cases.models import Case
    from lotse.organisations.models import StaffUser

    manager = StaffUser.objects.select_related("agency").get(username=CASE_MANAGER)
    seeded = _open_cases_of(manager)
    added = _top_up(manager, MIN_CASELOAD - seeded) if seeded < MIN_CASELOAD else 0
    own = _open_cases_of(manager)
    team = Case._plain.filter(owning_agency_id=manager.agency_id, closed_on__isnull=True).count()
    planning = Case._plain.filter(case_manager=manager, closed_on__isnull=True, phase="planning").count()

    client = _logged_in_client(CASE_MANAGER)
    my_cases = _measure_page(client, "/cases/", own)
    filtered = _measure_page(client, "/cases/?phase=planning", planning)
    last_page = _measure_page(client, f"/cases/?page={(own + 24) // 25}", own)
    team_view = _measure_page(_logged_in_client(TEAM_LEAD), "/cases/?view=team", team)
    baseline = _measure_baseline(manager, own)
    return {
        "case_manager": CASE_MANAGER,
        "open_cases_of_case_manager": own,
        "of_which_seeded": seeded,
        "of_which_added_by_benchmark": added,
        "open_cases_of_team": team,
        "requests_per_figure": REQUESTS,
        "my_cases_page1": my_cases,
        "my_cases_phase_filter": {**filtered, "cases": planning},
        "my_cases_last_page": last_page,
        "team_view_page1": team_view,
        "baseline_raw_sql": baseline,
        "page_vs_baseline_p50": round(my_cases["p50_ms"] / max(baseline["p50_ms"], 0.01), 1),
    }
