"""From open proposals to planned appointments (issue 5, point 4). Part of the spine perimeter.

`plan_appointments(ctx)` gathers the authority's open proposals, groups the members of one
household whose windows overlap (they come together, one after the other at one counter),
builds the solver's `Problem` from the offices, open days, interpreter hours, travel times
and the bookings already made, runs `assignment.assign` and writes the result: one
`Appointment` per group with a row per member, proposals marked scheduled, every member's
planning logged as `appointment.planned`. Groups left without a slot keep their proposal
open with the reason.

The solver runs outside any transaction; the write re-checks that no booking made meanwhile
collides (optimistic), so a long solve never holds the access log's lock.
"""

import datetime
import time
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from lotse.access.context import AccessContext
from lotse.access.spine import log_events
from lotse.appointments.models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentMember,
    AppointmentProposal,
    AssignmentRun,
    ProposalStatus,
    ServiceKind,
)
from lotse.appointments.problem import Busy, Group, Member, Placement, Problem, Solution, Weights
from lotse.appointments.selectors import public_context
from lotse.appointments.slots import (
    authority_agencies,
    offices_of,
    service_minutes,
    sessions_for,
    shifts_for,
    travel_matrix,
)
from lotse.audit.chain import EventData
from lotse.audit.models import Decision
from lotse.core.calendar import add_working_days
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import DataCategory, Purpose
from lotse.people.models import HouseholdRole, Person

ACTION = "appointment.planned"
# What planning reads of a person: language (interpreter), municipality (travel), household.
READ_CATEGORIES = ",".join((DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.HOUSEHOLD,
                            DataCategory.RESIDENCE))
ROLE_ORDER = {HouseholdRole.HEAD: 0, HouseholdRole.PARTNER: 1, HouseholdRole.CHILD: 2,
              HouseholdRole.OTHER: 3, "": 4}


@dataclass(frozen=True)
class ProposalFacts:
    id: int
    person_id: int
    owning_agency_id: int
    service: str
    earliest: datetime.date
    latest: datetime.date
    language: str
    municipality_id: int | None
    household_id: int | None
    household_role: str
    preferred_language: str


def open_proposal_facts(agency_ids: list[int], proposal_ids: list[int] | None = None) -> list[ProposalFacts]:
    with personal_data_scope():
        query = AppointmentProposal.objects.filter(owning_agency_id__in=agency_ids, status=ProposalStatus.OPEN)
        if proposal_ids is not None:
            query = query.filter(pk__in=proposal_ids)
        rows = list(query.order_by("latest_on", "pk").values_list(
            "pk", "person_id", "owning_agency_id", "service", "earliest_on", "latest_on", "interpreter_language"))
        persons = {pk: rest for pk, *rest in Person.objects.filter(pk__in={r[1] for r in rows}).values_list(
            "pk", "municipality_id", "household_id", "household_role", "preferred_language")}
    return [ProposalFacts(*row, *persons[row[1]]) for row in rows if row[1] in persons]


def group_proposals(facts: list[ProposalFacts], minutes: dict[str, int]) -> list[tuple[Group, list[ProposalFacts]]]:
    """One group per person, or per household whose members' windows overlap: the applicant
    first with the length of their own service, every further member with the family length."""
    by_household: dict[int | None, list[ProposalFacts]] = defaultdict(list)
    singles = []
    for fact in facts:
        (by_household[fact.household_id] if fact.household_id else singles).append(fact)
    bundles: list[list[ProposalFacts]] = [[f] for f in singles]
    for members in by_household.values():
        members.sort(key=lambda f: (f.latest, f.earliest))
        current: list[ProposalFacts] = []
        for fact in members:
            window = (max([f.earliest for f in current] + [fact.earliest]),
                      min([f.latest for f in current] + [fact.latest]))
            if current and window[0] > window[1]:
                bundles.append(current)
                current = []
            current.append(fact)
        bundles.append(current)
    groups = []
    for bundle in bundles:
        bundle.sort(key=lambda f: (ROLE_ORDER.get(f.household_role, 4), f.person_id))
        members = tuple(
            Member(key=f.id, minutes=minutes[f.service] if i == 0 else minutes[ServiceKind.FAMILY])
            for i, f in enumerate(bundle))
        language = next((f.language for f in bundle if f.language), "")
        groups.append((Group(
            key=bundle[0].id, members=members, earliest=max(f.earliest for f in bundle),
            latest=min(f.latest for f in bundle), municipality_id=bundle[0].municipality_id,
            language=language), bundle))
    groups.sort(key=lambda g: (g[0].latest, g[0].key))
    return groups


def busy_between(office_ids: list[int], first: datetime.date, last: datetime.date,
                 exclude_appointment: int | None = None) -> list[Busy]:
    """Counters and interpreters already booked (active appointments) between two days."""
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=datetime.UTC)
    end = datetime.datetime.combine(last + datetime.timedelta(days=2), datetime.time.min, tzinfo=datetime.UTC)
    with personal_data_scope():
        rows = list(Appointment.objects.filter(
            office_id__in=office_ids, status__in=ACTIVE_STATUSES, starts_at__gte=start, starts_at__lt=end,
        ).exclude(pk=exclude_appointment).values_list("office_id", "counter", "starts_at", "ends_at",
                                                       "interpreter_id"))
    busy = []
    for office_id, counter, starts, ends, interpreter_id in rows:
        busy.append(Busy(starts=starts, ends=ends, office_id=office_id, counter=counter))
        if interpreter_id:
            busy.append(Busy(starts=starts, ends=ends, interpreter_id=interpreter_id))
    return busy


def build_problem(agency, groups: list[Group], *, exclude_appointment: int | None = None,
                  time_limit_seconds: float = 30.0) -> Problem:
    offices = offices_of(agency)
    if not groups or not offices:
        return Problem(groups=tuple(groups), sessions=())
    first = min(g.earliest for g in groups)
    last = max(g.latest for g in groups)
    sessions = sessions_for(offices, first, last)
    office_ids = [o.pk for o in offices]
    return Problem(
        groups=tuple(groups), sessions=tuple(sessions), shifts=tuple(shifts_for(offices, sessions)),
        busy=tuple(busy_between(office_ids, first, last, exclude_appointment)),
        travel=travel_matrix(offices), weights=Weights(), time_limit_seconds=time_limit_seconds,
    )


def collides(placement: Placement, taken: list[Busy]) -> bool:
    for busy in taken:
        if busy.starts < placement.ends and placement.starts < busy.ends and (
                (busy.office_id == placement.office_id and busy.counter == placement.counter)
                or (busy.interpreter_id is not None and busy.interpreter_id == placement.interpreter_id)):
            return True
    return False


def _write(ctx: AccessContext, run: AssignmentRun, solution: Solution,
           bundles: dict[int, list[ProposalFacts]], office_ids: list[int]) -> int:
    written = 0
    with transaction.atomic(), personal_data_scope():
        # Optimistic check: bookings made while the solver ran must not collide.
        if solution.placements:
            days = [p.day for p in solution.placements]
            taken = busy_between(office_ids, min(days), max(days))
        else:
            taken = []
        wanted = [f.id for bundle in bundles.values() for f in bundle]
        still_open = set(AppointmentProposal.objects.filter(pk__in=wanted, status=ProposalStatus.OPEN)
                         .values_list("pk", flat=True))
        events = []
        for placement in solution.placements:
            bundle = bundles[placement.group_key]
            if collides(placement, taken) or any(f.id not in still_open for f in bundle):
                continue
            head = bundle[0]
            appointment = Appointment.objects.create(
                owning_agency_id=head.owning_agency_id, office_id=placement.office_id, counter=placement.counter,
                starts_at=placement.starts, ends_at=placement.ends, interpreter_id=placement.interpreter_id,
                interpreter_language=next((f.language for f in bundle if f.language), ""),
                travel_minutes=placement.travel_minutes, assignment_run=run,
                language=head.preferred_language,
            )
            facts = {f.id: f for f in bundle}
            AppointmentMember.objects.bulk_create([
                AppointmentMember(appointment=appointment, proposal_id=m.key, person_id=facts[m.key].person_id,
                                  service=facts[m.key].service if i == 0 else ServiceKind.FAMILY,
                                  starts_at=m.starts, ends_at=m.ends)
                for i, m in enumerate(placement.members)])
            AppointmentProposal.objects.filter(pk__in=list(facts)).update(
                status=ProposalStatus.SCHEDULED, unassigned_reason="")
            taken.append(Busy(starts=placement.starts, ends=placement.ends, office_id=placement.office_id,
                              counter=placement.counter))
            events += [EventData(
                action=ACTION, decision=Decision.ALLOWED, actor_id=ctx.user_id, agency_id=f.owning_agency_id,
                person_id=f.person_id, categories=READ_CATEGORIES,
                purpose=Purpose.RESIDENCE_ADMINISTRATION, basis="residence=own_agency",
                object_ref=f"appointment:{appointment.pk}", request_id=ctx.request_id) for f in bundle]
            written += 1
        for group_key, reason in solution.unassigned.items():
            AppointmentProposal.objects.filter(pk__in=[f.id for f in bundles[group_key]]).update(
                unassigned_reason=reason)
        log_events(events)
    return written


def plan_appointments(ctx: AccessContext, *, agency, proposal_ids: list[int] | None = None,
                      started_by_id: int | None = None) -> AssignmentRun:
    """Assign the open proposals of the authority and its branches (or the given ones) to the
    times of their offices and book them."""
    family = authority_agencies(agency)
    agency = family[0]
    run = AssignmentRun.objects.create(agency=agency, started_by_id=started_by_id)
    facts = open_proposal_facts([a.pk for a in family], proposal_ids)
    grouped = group_proposals(facts, service_minutes(agency.district_id))
    bundles = {group.key: bundle for group, bundle in grouped}
    from lotse.appointments.assignment import assign  # SciPy loads on first use, not at start-up

    started = time.perf_counter()
    problem = build_problem(agency, [g for g, _b in grouped])
    solution = assign(problem)
    office_ids = sorted({s.office_id for s in problem.sessions})
    with transaction.atomic():  # the bookings and the run's figures together, or neither
        booked = _write(ctx, run, solution, bundles, office_ids)
        reasons: dict[str, int] = defaultdict(int)
        for reason in solution.unassigned.values():
            reasons[reason] += 1
        run.proposals = len(facts)
        run.groups = len(grouped)
        run.assigned = booked
        run.unassigned = len(grouped) - booked
        run.cost = solution.cost
        run.lower_bound = solution.lower_bound
        run.seconds = round(time.perf_counter() - started, 3)
        run.report = {"unassigned": dict(reasons), "method": solution.method,
                      "not_booked_after_solving": len(solution.placements) - booked}
        run.finished_at = timezone.now()
        run.save()
    return run


# --- other times for the person (the public page) ------------------------------------------

def alternatives_for(appointment: Appointment, *, limit: int = 5,
                     today: datetime.date | None = None) -> list[Placement]:
    """A few other free times for the same group on different days, soonest first: from the
    next working day up to the group's latest acceptable date, at any office of the
    authority (the nearest first on equal days), with an interpreter where one was booked.
    Computed afresh on every request; the page never trusts times sent back to it."""
    from lotse.appointments.assignment import assign_greedy  # SciPy loads on first use

    today = today or timezone.localdate()
    facts = public_context(appointment)
    minutes = service_minutes(appointment.owning_agency.district_id)
    members = tuple(Member(key=key, minutes=minutes[service]) for key, service in facts["members"])
    earliest = add_working_days(today, 1)
    if facts["latest"] < earliest:
        return []
    group = Group(key=members[0].key, members=members, earliest=earliest, latest=facts["latest"],
                  municipality_id=facts["municipality_id"], language=facts["language"])
    base = build_problem(appointment.owning_agency, [group], exclude_appointment=appointment.pk)
    current_day = timezone.localtime(appointment.starts_at).date()
    found: list[Placement] = []
    sessions = sorted(base.sessions, key=lambda s: (s.day, base.travel.get((group.municipality_id, s.office_id), 999)))
    seen_days = {current_day}
    for session in sessions:
        if session.day in seen_days:
            continue
        one_day = Problem(groups=(group,), sessions=(session,), shifts=base.shifts, busy=base.busy,
                          travel=base.travel, weights=base.weights)
        solution = assign_greedy(one_day)
        if solution.placements:
            found.append(solution.placements[0])
            seen_days.add(session.day)
        if len(found) >= limit:
            break
    return found
