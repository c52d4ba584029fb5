"""The steering dashboard (`/staff/steering/`) and its CSV export at Kreis scale, as the demo
coordinator ("koordination") meets them.

The Kreis seed gives persons and cases only. Before measuring, the benchmark adds what the
other key figures count, written straight into the tables like the seed (once: rows marked
BENCH-ST are reused on the next run): for `COURSE_GOALS` open cases an integration plan with
the course goal and its start step done in the last six months, `REFERRALS` referrals sent in
the last six months with mixed answers, and `GAP_REPORTS` gap reports, half of them resolved;
and the demo steering content (goals with indicators, measures, committees).
Changes of benefits regime and eAT appointments are not added (their own benchmarks seed them).

Each request is timed in this process (middleware, the two counts through the logged door,
suppression, charts, template). The baseline, measured in the same run, is the raw SQL the
page needs at least: one GROUP BY per source (open cases by municipality and focus area and
phase, referrals by municipality and status, course goals, gap reports)."""

import datetime
import random
import time

TITLE = "Steering dashboard and CSV export (GET /staff/steering/)"
# For the report (bench.report): figures paired with the baseline measured in the same run; goal.
PAIRS = [("dashboard", "baseline_raw_sql"), ("export_csv", "baseline_raw_sql")]
GOALS = [("dashboard", "p95_ms", "<=", 1000)]
COORDINATOR = "koordination"
COURSE_GOALS = 1500
REFERRALS = 3000
GAP_REPORTS = 300
REQUESTS = 20
WARM_UP = 2
SEED = 7
MARK = "BENCH-ST"


def _top_up() -> dict:
    from django.db import transaction
    from django.utils import timezone

    from lotse.cases.models import Case
    from lotse.gaps.models import GapKind, GapReport, GapSource
    from lotse.organisations.models import Agency, District, Municipality, StaffUser
    from lotse.plans.models import IntegrationPlan, PlanGoal, PlanStep, StepStatus
    from lotse.referrals.models import Referral, ReferralStatus
    from lotse.rules.models import DeadlineRule

    if GapReport.objects.filter(title__startswith=MARK).exists():
        return {"added": 0}
    from lotse.steering.demo import seed_demo_steering

    seed_demo_steering(District.objects.get(name="Kreis Düren"))  # goals, measures, committees
    rng = random.Random(SEED)
    today = timezone.localdate()
    district = District.objects.get(name="Kreis Düren")
    cases = list(Case._plain.filter(district=district, closed_on__isnull=True)
                 .exclude(plan__isnull=False).values_list("id", "person_id", "owning_agency_id", "case_manager_id")
                 .order_by("id")[:max(COURSE_GOALS, REFERRALS)])
    rule = DeadlineRule.objects.filter(key="integration-course-start").order_by("-valid_from").first()
    ref = f"{rule.name} ({rule.legal_reference})"[:300]
    jobcentre = Agency.objects.get(district=district, short_name="job-com")
    towns = list(Municipality.objects.filter(district=district))
    sender = StaffUser.objects.get(username=COORDINATOR).pk  # a case without a case manager: any sender
    with transaction.atomic():
        plans = IntegrationPlan._plain.bulk_create([IntegrationPlan(case_id=cid) for cid, *_ in cases[:COURSE_GOALS]])
        goals = PlanGoal._plain.bulk_create([
            PlanGoal(plan=plan, life_area="language", title="Integrationskurs binnen 8 Wochen beginnen",
                     template_code="integration-course",
                     anchor_on=today - datetime.timedelta(days=rng.randint(60, 260))) for plan in plans])
        PlanStep._plain.bulk_create([
            PlanStep(goal=goal, title="Beginn des Integrationskurses", deadline_rule_ref=ref,
                     status=StepStatus.DONE,
                     done_on=min(today, goal.anchor_on + datetime.timedelta(days=rng.randint(10, 120))))
            for goal in goals])
        statuses = [ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.DONE, ReferralStatus.DECLINED]
        referrals = Referral._plain.bulk_create([
            Referral(district=district, person_id=pid, case_id=cid, from_agency_id=agency_id,
                     from_user_id=manager_id or sender, to_agency=jobcentre, purpose="case_management",
                     categories_mask=1, message=MARK, status=rng.choice(statuses))
            for cid, pid, agency_id, manager_id in cases[:REFERRALS]], batch_size=2000)
        by_day: dict[int, list[int]] = {}
        for referral in referrals:
            by_day.setdefault(rng.randint(0, 180), []).append(referral.pk)
        for days, ids in by_day.items():
            sent = timezone.now() - datetime.timedelta(days=days)
            Referral._plain.filter(pk__in=ids).update(sent_at=sent, answered_at=sent + datetime.timedelta(days=3))
        reports = GapReport.objects.bulk_create([
            GapReport(district=district, municipality=rng.choice([*towns, None]), life_area="language",
                      kind=rng.choice(GapKind.values), title=f"{MARK} {index}", description="Benchmark",
                      source=GapSource.CASE_WORK, reporting_agency_id=cases[index % len(cases)][2])
            for index in range(GAP_REPORTS)])
        for report in reports:
            reported = today - datetime.timedelta(days=rng.randint(0, 180))
            resolved = reported + datetime.timedelta(days=rng.randint(5, 60)) if rng.random() < 0.5 else None
            GapReport.objects.filter(pk=report.pk).update(
                reported_on=reported, resolved_on=resolved if resolved and resolved <= today else None)
    return {"added": len(goals) + len(referrals) + len(reports), "course_goals": len(goals),
            "referrals": len(referrals), "gap_reports": len(reports)}


def _measure(client, url: str, expect: str) -> dict:
    from bench.common import measure_get

    return measure_get(client, url, requests=REQUESTS, warm_up=WARM_UP, must_contain=expect)[0]


BASELINE = [
    """SELECT p.municipality_id, c.focus_area, c.phase, COUNT(*) FROM cases_case c
       JOIN people_person p ON p.id = c.person_id
       WHERE c.district_id = %(district)s AND c.closed_on IS NULL GROUP BY 1, 2, 3""",
    """SELECT p.municipality_id, r.status, COUNT(*) FROM referrals_referral r
       JOIN people_person p ON p.id = r.person_id
       WHERE r.district_id = %(district)s AND r.sent_at >= %(start)s GROUP BY 1, 2""",
    """SELECT municipality_id, kind, COUNT(*) FROM gaps_gapreport
       WHERE district_id = %(district)s AND reported_on >= %(start)s GROUP BY 1, 2""",
    """SELECT p.municipality_id, g.anchor_on, MIN(s.done_on) FROM plans_plangoal g
       JOIN plans_planstep s ON s.goal_id = g.id AND s.status = 'done'
       JOIN plans_integrationplan pl ON pl.id = g.plan_id
       JOIN cases_case c ON c.id = pl.case_id JOIN people_person p ON p.id = c.person_id
       WHERE c.district_id = %(district)s AND g.template_code = 'integration-course'
       GROUP BY g.id, p.municipality_id, g.anchor_on""",
]


def _measure_baseline(district_id: int, start: datetime.date) -> dict:
    from django.db import connection

    from bench.common import percentiles

    statements = BASELINE
    params = {"district": district_id, "start": start}
    times = []
    for index in range(WARM_UP + REQUESTS):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql, params)
                cursor.fetchall()
        if index >= WARM_UP:
            times.append(time.perf_counter() - started)
    return {**percentiles(times), "queries": len(statements)}


def run(bench) -> dict:
    from django.utils import timezone

    from bench.caseload import _logged_in_client
    from lotse.cases.models import Case
    from lotse.organisations.models import StaffUser
    from lotse.steering.periods import Period

    added = _top_up()
    coordinator = StaffUser.objects.get(username=COORDINATOR)
    open_cases = Case._plain.filter(district_id=coordinator.agency.district_id, closed_on__isnull=True).count()
    period = Period.containing(timezone.localdate(), "quarter")
    client = _logged_in_client(COORDINATOR)
    dashboard = _measure(client, f"/staff/steering/?period={period.key}", "lotse-chart")
    export = _measure(client, f"/staff/steering/export.csv?period={period.key}", "Kennzahl")
    baseline = _measure_baseline(coordinator.agency.district_id, period.previous().start)
    return {
        "open_cases": open_cases, **added, "period": period.key, "requests_per_figure": REQUESTS,
        "dashboard": dashboard, "export_csv": export, "baseline_raw_sql": baseline,
        "dashboard_vs_baseline_p50": round(dashboard["p50_ms"] / max(baseline["p50_ms"], 0.01), 1),
        "goal_p95_under_1000_ms": dashboard["p95_ms"] < 1000,
    }
