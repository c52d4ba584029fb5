"""Proactive eAT appointments: the foreigners' authority's expiry scan over the seeded district,
then the assignment of a month of renewals to the times of the demo district's offices (main
office Düren, branch office Jülich, their opening hours, counters, interpreters and travel
times), with the gap to the optimum.

- expiry scan: every title of the authority and its branch expiring within the invitation
  horizon gets a proposal (timed, statements counted);
- a month of renewals: the proposals whose latest acceptable date falls within 30 days of the
  earliest one (titles expiring 6–10 weeks ahead: what one month of daily runs plans);
- assignment: `appointments.assignment.assign` (SciPy/HiGHS) on that month, through the
  database (`plan_appointments`: problem built from the tables, solved, booked, logged);
  its cost against the lower bound of the optimum (the gap, at most);
- baseline in the same run: `assign_greedy` (first fit, cheapest slot per group in order of
  the latest date) on the same problem: its time, cost and gap to the same bound.
"""

import datetime
import time

TITLE = "eAT appointments: expiry scan and assignment of a month of renewals (Kreis Düren)"
# For the report (bench.report): the solver paired with the greedy first fit of the same run.
PAIRS = [("assign", "greedy")]


def _abh():
    from lotse.organisations.models import Agency, AgencyKind

    return Agency.objects.filter(kind=AgencyKind.FOREIGNERS_AUTHORITY, parent__isnull=True,
                                 district__code="05358").get()


def run(bench) -> dict:
    from bench.common import count_queries
    from lotse.appointments.assignment import assign, assign_greedy, violations
    from lotse.appointments.models import AppointmentProposal, ProposalStatus
    from lotse.appointments.planning import build_problem, group_proposals, open_proposal_facts, plan_appointments
    from lotse.appointments.scan import expiry_scan
    from lotse.appointments.slots import authority_agencies, service_minutes
    from lotse.appointments.tasks import agency_context
    from lotse.core.scoping import personal_data_scope

    abh = _abh()
    family = authority_agencies(abh)
    figures: dict = {}

    started = time.perf_counter()
    proposed = 0
    with count_queries() as counted:
        for agency in family:
            proposed += expiry_scan(agency_context(agency)).created
    figures["scan_seconds"] = round(time.perf_counter() - started, 3)
    figures["scan_queries"] = counted.queries
    figures["scan_proposals"] = proposed

    with personal_data_scope():
        earliest = min(AppointmentProposal.objects.filter(status=ProposalStatus.OPEN)
                       .values_list("earliest_on", flat=True))
        month = list(AppointmentProposal.objects.filter(
            status=ProposalStatus.OPEN, owning_agency__in=family,
            latest_on__gt=earliest + datetime.timedelta(days=7),
            latest_on__lte=earliest + datetime.timedelta(days=37)).values_list("pk", flat=True))
    figures["month_proposals"] = len(month)

    # The same problem the planning builds, solved by both methods outside the database.
    facts = open_proposal_facts([a.pk for a in family], month)
    grouped = group_proposals(facts, service_minutes(abh.district_id))
    problem = build_problem(abh, [g for g, _b in grouped])
    figures["groups"] = len(problem.groups)
    figures["sessions"] = len(problem.sessions)
    solved = assign(problem)
    greedy = assign_greedy(problem)
    figures["assign_seconds"] = round(solved.seconds, 3)
    figures["assign_cost"] = round(solved.cost, 1)
    figures["lower_bound"] = round(solved.lower_bound, 1)
    figures["assign_gap"] = round(solved.gap, 4)
    figures["assign_unassigned"] = len(solved.unassigned)
    figures["assign_violations"] = len(violations(problem, solved))
    figures["greedy_seconds"] = round(greedy.seconds, 3)
    figures["greedy_cost"] = round(greedy.cost, 1)
    figures["greedy_gap"] = round((greedy.cost - solved.lower_bound) / solved.lower_bound, 4) \
        if solved.lower_bound > 0 else None
    figures["greedy_unassigned"] = len(greedy.unassigned)
    figures["method"] = solved.method

    # Through the database: build, solve, book and log.
    started = time.perf_counter()
    with count_queries() as counted:
        run_row = plan_appointments(agency_context(abh), agency=abh, proposal_ids=month)
    figures["plan_seconds"] = round(time.perf_counter() - started, 3)
    figures["plan_queries"] = counted.queries
    figures["booked"] = run_row.assigned
    figures["unassigned"] = run_row.unassigned
    return figures
