"""Staff pages through Django's test client with a real session (password, then the TOTP code of
the demo key), each paired with the raw SQL the page needs at least, measured in the same run.
The caseload and the steering dashboard have their own benchmarks (`caseload`,
`steering_dashboard`).

- `start_case_manager`: the start page (`/`) of the demo case manager ("fallmanagement"): her
  tasks and next contacts due within 14 days, through the spine. Baseline: the two queries for
  the due tasks and contacts with the persons' names.
- `start_jobcentre`: the start page of the job centre ("jobcenter"): counts of its open
  handovers and of those at risk. Baseline: the count of the office's open handovers.
- `person_page`: the person page (`/persons/<id>/`) as the foreigners' authority ("abh"), for
  the person with an ABH file who has the most residence statuses (the spine decides every
  category and logs the access). Baseline: the person, residence statuses with their kinds,
  benefits with the agencies, files with the agencies, consents and cases: 6 queries.
- `handover_list`: the open handovers (`/handovers/`) of the job centre, page 1. The seed has no
  handovers, so the benchmark first runs the 2022-06-01 change of § 24 holders from the AsylbLG
  to SGB II for the seeded group (`handovers.bulk.bulk_run_start`, as `handover_bulk` does, but
  without topping the group up; not timed here). Baseline: the count, the page of 25 by
  application deadline with the persons' names, and their household members: 3 queries.
- `permit_expiry_list`: the foreigners' authority's permit register, titles expiring within 12
  weeks (`/appointments/register/?show=expiring&weeks=12`), page 1. Baseline: the count and
  the page of 25 current statuses (no newer status of the person) with person, kind and file
  number: 2 queries.

Each page is asked for `REQUESTS` times after `WARM_UP` requests (`bench.common.measure_get`);
the server time is the time Django takes in this process. The page's count of persons (or
handovers) is checked against the baseline's."""

import datetime
import re
import time

TITLE = "Staff pages through the test client: start page, person page, handover list, permit expiry list"
PAGES = ("start_case_manager", "start_jobcentre", "person_page", "handover_list", "permit_expiry_list")
PAIRS = [(name, f"baseline_{name}") for name in PAGES]
GOALS = [(name, "p95_ms", "<=", 100, "state") for name in PAGES]
REQUESTS = 40
WARM_UP = 3
HANDOVER_RULE = "ukraine-2022-to-sgb2"
HANDOVER_ON = datetime.date(2022, 6, 1)
REGISTER_WEEKS = 12
STATUS_NUMBER = re.compile(r'role="status">\s*(\d[\d.]*)')


def _baseline(queries: list[tuple[str, list]]) -> tuple[dict, list]:
    """Run the statements `WARM_UP + REQUESTS` times; percentiles of the timed runs and the
    results of the last run (one list of rows per statement)."""
    from django.db import connection

    from bench.common import percentiles

    times = []
    for index in range(WARM_UP + REQUESTS):
        started = time.perf_counter()
        results = []
        with connection.cursor() as cursor:
            for sql, params in queries:
                cursor.execute(sql, params)
                results.append(cursor.fetchall())
        if index >= WARM_UP:
            times.append(time.perf_counter() - started)
    return {**percentiles(times), "queries": len(queries)}, results


def _page(client, url: str, *, expect_total: int | None = None, must_contain: str = "") -> dict:
    from bench.common import measure_get

    figures, response = measure_get(client, url, requests=REQUESTS, warm_up=WARM_UP, must_contain=must_contain)
    html = response.content.decode("utf-8")
    if expect_total is not None:
        shown = STATUS_NUMBER.search(html)
        if shown is None or int(shown.group(1).replace(".", "")) != expect_total:
            raise RuntimeError(f"{url}: the page does not show {expect_total} "
                               f"({shown.group(0) if shown else 'no count'})")
    return {**figures, "html_kb": round(len(response.content) / 1024, 1)}


# --- start pages ------------------------------------------------------------------------------

DUE_TASKS = """
SELECT t.id, t.title, t.due_on, c.id, p.given_names, p.family_name FROM cases_casetask t
JOIN cases_case c ON c.id = t.case_id JOIN people_person p ON p.id = c.person_id
WHERE t.done_on IS NULL AND t.due_on <= %s AND c.owning_agency_id = %s AND c.closed_on IS NULL
  AND (t.assignee_id = %s OR (t.assignee_id IS NULL AND c.case_manager_id = %s))
ORDER BY t.due_on, t.id LIMIT 50
"""
DUE_CONTACTS = """
SELECT c.id, c.next_contact_on, p.given_names, p.family_name FROM cases_case c
JOIN people_person p ON p.id = c.person_id
WHERE c.owning_agency_id = %s AND c.case_manager_id = %s AND c.closed_on IS NULL AND c.next_contact_on <= %s
ORDER BY c.next_contact_on, c.id LIMIT 50
"""
OPEN_HANDOVERS = """
SELECT COUNT(*) FROM handovers_handover
WHERE district_id = %s AND (from_agency_id = %s OR to_agency_id = %s) AND status = 'open'
"""


def _start_case_manager(client, user) -> tuple[dict, dict]:
    from django.utils import timezone

    until = timezone.localdate() + datetime.timedelta(days=14)
    page = _page(client, "/")
    baseline, results = _baseline([(DUE_TASKS, [until, user.agency_id, user.pk, user.pk]),
                                   (DUE_CONTACTS, [user.agency_id, user.pk, until])])
    return {**page, "due_items": len(results[0]) + len(results[1])}, baseline


def _start_jobcentre(client, user) -> tuple[dict, dict]:
    page = _page(client, "/")
    baseline, results = _baseline([(OPEN_HANDOVERS, [user.agency.district_id, user.agency_id, user.agency_id])])
    return {**page, "open_handovers": results[0][0][0]}, baseline


# --- person page ------------------------------------------------------------------------------

PERSON_QUERIES = [
    "SELECT * FROM people_person WHERE id = %s",
    """SELECT s.*, k.code, k.name, k.legal_basis FROM people_residencestatus s
       JOIN rules_residencekind k ON k.id = s.kind_id WHERE s.person_id = %s ORDER BY s.valid_from""",
    """SELECT b.*, a.name FROM people_benefitsregime b JOIN organisations_agency a ON a.id = b.responsible_agency_id
       WHERE b.person_id = %s ORDER BY b.valid_from""",
    """SELECT l.*, a.name, a.kind FROM people_personagencylink l JOIN organisations_agency a ON a.id = l.agency_id
       WHERE l.person_id = %s""",
    "SELECT * FROM consent_consent WHERE person_id = %s",
    "SELECT * FROM cases_case WHERE person_id = %s",
]


def _person_with_most_statuses(agency_id: int) -> tuple[int, int]:
    from django.db.models import Count

    from lotse.people.models import PersonAgencyLink, ResidenceStatus

    linked = PersonAgencyLink._plain.filter(agency_id=agency_id, until__isnull=True).values("person_id")
    row = (ResidenceStatus._plain.filter(person_id__in=linked, person__merged_into__isnull=True)
           .values("person_id").annotate(n=Count("id")).order_by("-n", "person_id").first())
    if row is None:
        raise RuntimeError("no person with a file of the foreigners' authority and a residence status")
    return row["person_id"], row["n"]


def _person_page(client, user) -> tuple[dict, dict]:
    from lotse.people.models import Person

    person_id, statuses = _person_with_most_statuses(user.agency_id)
    family = Person._plain.get(pk=person_id).family_name
    page = _page(client, f"/persons/{person_id}/", must_contain=family)
    baseline, _results = _baseline([(sql, [person_id]) for sql in PERSON_QUERIES])
    return {**page, "person_id": person_id, "residence_statuses": statuses}, baseline


# --- handover list ----------------------------------------------------------------------------

HANDOVER_PAGE = """
SELECT h.id, h.application_due_on, h.old_regime_ends_on, h.new_regime_starts_on, p.given_names, p.family_name,
       fa.name, ta.name
FROM handovers_handover h JOIN people_person p ON p.id = h.person_id
JOIN organisations_agency fa ON fa.id = h.from_agency_id JOIN organisations_agency ta ON ta.id = h.to_agency_id
WHERE h.district_id = %s AND (h.from_agency_id = %s OR h.to_agency_id = %s) AND h.status = 'open'
ORDER BY h.application_due_on, h.id LIMIT 25
"""
HANDOVER_MEMBERS = """
SELECT m.handover_id, m.role, p.given_names, p.family_name FROM handovers_handovermember m
JOIN people_person p ON p.id = m.person_id
WHERE m.handover_id IN (
  SELECT h.id FROM handovers_handover h
  WHERE h.district_id = %s AND (h.from_agency_id = %s OR h.to_agency_id = %s) AND h.status = 'open'
  ORDER BY h.application_due_on, h.id LIMIT 25)
"""


def _open_handovers() -> dict:
    """Run the § 24 change of 2022-06-01 for the seeded group unless its handovers exist."""
    from lotse.access.context import context_for_user
    from lotse.handovers.bulk import bulk_run_start
    from lotse.handovers.models import BulkRunStatus, Handover
    from lotse.organisations.models import StaffUser

    if Handover._plain.filter(rule__key=HANDOVER_RULE).exists():
        return {"handovers_opened_by_benchmark": 0}
    ctx = context_for_user(StaffUser.objects.get(username="koordination"))
    started = time.perf_counter()
    run = bulk_run_start(ctx, HANDOVER_RULE, HANDOVER_ON)
    if run.status != BulkRunStatus.FINISHED:
        raise RuntimeError(f"the bulk change ended as {run.status}")
    return {"handovers_opened_by_benchmark": run.created,
            "set_up_bulk_change_s": round(time.perf_counter() - started, 1)}


def _handover_list(client, user) -> tuple[dict, dict]:
    params = [user.agency.district_id, user.agency_id, user.agency_id]
    baseline, results = _baseline([(OPEN_HANDOVERS, params), (HANDOVER_PAGE, params), (HANDOVER_MEMBERS, params)])
    total = results[0][0][0]
    page = _page(client, "/handovers/", expect_total=total)
    return {**page, "open_handovers": total}, baseline


# --- permit expiry list -----------------------------------------------------------------------

REGISTER_COUNT = """
SELECT COUNT(*) FROM people_residencestatus s JOIN people_person p ON p.id = s.person_id
WHERE s.owning_agency_id = %s AND p.merged_into_id IS NULL AND s.valid_to >= %s AND s.valid_to <= %s
  AND NOT EXISTS (SELECT 1 FROM people_residencestatus n
                  WHERE n.person_id = s.person_id AND n.valid_from > s.valid_from)
"""
REGISTER_PAGE = """
SELECT s.id, s.valid_from, s.valid_to, s.document, s.application_pending_since, p.given_names, p.family_name,
       p.birth_year, p.birth_month, p.birth_day, k.name, k.legal_basis,
       (SELECT l.file_number FROM people_personagencylink l
        WHERE l.person_id = p.id AND l.agency_id = s.owning_agency_id LIMIT 1)
FROM people_residencestatus s JOIN people_person p ON p.id = s.person_id
JOIN rules_residencekind k ON k.id = s.kind_id
WHERE s.owning_agency_id = %s AND p.merged_into_id IS NULL AND s.valid_to >= %s AND s.valid_to <= %s
  AND NOT EXISTS (SELECT 1 FROM people_residencestatus n
                  WHERE n.person_id = s.person_id AND n.valid_from > s.valid_from)
ORDER BY s.valid_to, s.id LIMIT 25
"""


def _permit_expiry_list(client, user) -> tuple[dict, dict]:
    from django.utils import timezone

    today = timezone.localdate()
    params = [user.agency_id, today, today + datetime.timedelta(weeks=REGISTER_WEEKS)]
    baseline, results = _baseline([(REGISTER_COUNT, params), (REGISTER_PAGE, params)])
    total = results[0][0][0]
    first = results[1][0][6] if results[1] else ""
    page = _page(client, f"/appointments/register/?show=expiring&weeks={REGISTER_WEEKS}",
                 expect_total=total, must_contain=first)
    return {**page, "expiring_titles": total}, baseline


def _client(username: str):
    """A logged-in client; a demo account's TOTP code counts once per 30-second step, so when
    another benchmark has just used it, wait for the next step and try again."""
    from bench.caseload import _logged_in_client

    try:
        return _logged_in_client(username)
    except RuntimeError:
        time.sleep(31)
        return _logged_in_client(username)


def run(bench) -> dict:
    from lotse.organisations.models import StaffUser

    def user(name):
        return StaffUser.objects.select_related("agency").get(username=name)

    set_up = _open_handovers()
    figures: dict = {"requests_per_figure": REQUESTS, **set_up}
    measured = [
        ("start_case_manager", "fallmanagement", _start_case_manager),
        ("start_jobcentre", "jobcenter", _start_jobcentre),
        ("person_page", "abh", _person_page),
        ("handover_list", "jobcenter", _handover_list),
        ("permit_expiry_list", "abh", _permit_expiry_list),
    ]
    clients: dict = {}
    for name, username, measure in measured:
        if username not in clients:
            clients[username] = _client(username)
        page, baseline = measure(clients[username], user(username))
        figures[name] = {**page, "as": username}
        figures[f"baseline_{name}"] = baseline
    for name in PAGES:
        figures[f"{name}_vs_baseline_p50"] = round(figures[name]["p50_ms"] / max(figures[f"baseline_{name}"]["p50_ms"],
                                                                                  0.01), 1)
    return figures
