"""Reads of case conferences, always through the spine.

A conference has a frame (date, topic, participating agencies, status) that every user of a
participating agency sees, and case data (the person, the plan, the decisions) that a user
sees only if the spine opens the case to them: own agency, a consent or a legal-basis rule.
Non-participants see nothing (404). Part of the spine perimeter (see
core/tests/test_spine_guard.py)."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q

from lotse.access.context import AccessContext
from lotse.access.spine import access_people, log_action
from lotse.audit.models import Decision
from lotse.cases.selectors import (
    CaseAccess,
    CaseNotFound,
    case_access,
    case_purpose,
    case_visibility_categories,
)
from lotse.conferences.models import CaseConference, ConferenceDecision, ConferenceStatus
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import DataCategory
from lotse.organisations import permissions
from lotse.organisations.models import Agency, StaffUser
from lotse.people.models import Person
from lotse.plans.models import PlanStep

MY_CONFERENCES_LIMIT = 50
CONFERENCE_CATEGORIES = (DataCategory.IDENTITY, DataCategory.COUNSELLING_NOTES)


class ConferenceNotFound(LookupError):
    """No such conference, or the user's agency does not take part: never told apart."""


def conferences_for_case(access: CaseAccess) -> list[CaseConference]:
    """The conferences on a case for the case page (the case read is already decided and
    logged by `case_access`). Each carries `open_decisions` and `decision_count`."""
    if not access.shows(DataCategory.COUNSELLING_NOTES):
        return []
    with personal_data_scope():
        return list(
            CaseConference.objects.filter(case_id=access.case.pk)
            .annotate(decision_count=Count("decisions", distinct=True),
                      open_decisions=Count("decisions", filter=Q(decisions__done_on__isnull=True),
                                           distinct=True))
            .prefetch_related("participant_agencies")
        )


def participant_conference(ctx: AccessContext, conference_id: int) -> CaseConference:
    """The conference if the user's agency takes part; otherwise the refusal is logged and
    ConferenceNotFound raised. Returns the frame only: the case data needs `case_access`."""
    with personal_data_scope():
        conference = (CaseConference.objects.filter(pk=conference_id, case__district_id=ctx.district_id)
                      .select_related("case").first())
        taking_part = conference is not None and ctx.agency_id is not None and (
            conference.participant_agencies.filter(pk=ctx.agency_id).exists())
    if conference is None:
        raise ConferenceNotFound(conference_id)
    if not taking_part:
        with transaction.atomic():
            log_action(ctx, "conference.read", person_id=conference.case.person_id,
                       object_ref=f"conference:{conference.pk}", basis="not_a_participant",
                       decision=Decision.DENIED)
        raise ConferenceNotFound(conference_id)
    return conference


@dataclass
class ConferenceDetail:
    conference: CaseConference
    participants: list[Agency]
    access: CaseAccess | None  # None: the case data is not open to the user's agency
    decisions: list[ConferenceDecision] = field(default_factory=list)
    plan_steps: list[PlanStep] = field(default_factory=list)
    assignable_users: list[StaffUser] = field(default_factory=list)
    can_manage: bool = False  # phase 1: decisions, finishing the phase, closing
    can_report: bool = False  # phase 2: gap reports

    @property
    def shows_case_data(self) -> bool:
        return self.access is not None

    @property
    def person(self) -> Person | None:
        return self.access.record.person if self.access else None

    @property
    def case(self):
        return self.access.case if self.access else None

    @property
    def basis(self) -> str:
        """Why the case data are shown (own agency, consent #…, rule #…)."""
        return self.access.explain(DataCategory.COUNSELLING_NOTES) if self.access else ""


def conference_detail(ctx: AccessContext, conference_id: int) -> ConferenceDetail:
    """The conference page for a user of a participating agency: the frame always, the case
    data only if the spine opens the case to the user (decided and logged here)."""
    conference = participant_conference(ctx, conference_id)
    participants = list(conference.participant_agencies.order_by("name"))
    try:
        access = case_access(ctx, conference.case_id, action="conference.read",
                             categories=CONFERENCE_CATEGORIES)
    except CaseNotFound:
        access = None
    detail = ConferenceDetail(conference, participants, access)
    detail.can_report = (ctx.has_permission(permissions.GAP_REPORT)
                         and conference.status == ConferenceStatus.CASE_PHASE_DONE)
    if access is None:
        return detail
    with personal_data_scope():
        detail.decisions = list(
            ConferenceDecision.objects.filter(conference_id=conference.pk)
            .select_related("assignee", "assignee_agency", "plan_step"))
        detail.plan_steps = list(
            PlanStep.objects.filter(goal__plan__case_id=conference.case_id)
            .select_related("goal", "responsible_agency").order_by("goal__life_area", "due_on", "id"))
    detail.can_manage = (access.is_own_agency and access.case.is_open
                         and ctx.has_permission(permissions.CONFERENCE_MANAGE))
    if detail.can_manage:
        detail.assignable_users = list(StaffUser.objects.filter(
            agency_id=access.case.owning_agency_id, is_active=True).order_by("last_name", "first_name", "username"))
    return detail


@dataclass
class ConferenceRow:
    conference: CaseConference
    person: Person | None  # only when the case is open to the user's agency
    is_own_agency: bool


def my_conferences(ctx: AccessContext, *, limit: int = MY_CONFERENCES_LIMIT) -> list[ConferenceRow]:
    """The conferences the user's agency takes part in that are not closed yet, soonest
    first. The person is named only where the spine opens the case to the user."""
    if not ctx.is_staff_member:
        return []
    with personal_data_scope():
        conferences = list(
            CaseConference.objects.filter(participant_agencies=ctx.agency_id,
                                          case__district_id=ctx.district_id)
            .exclude(status=ConferenceStatus.CLOSED)
            .select_related("case").order_by("held_on", "id")[:limit])
    person_ids = list(dict.fromkeys(c.case.person_id for c in conferences))
    cases_of: dict[int, list] = {}
    for conference in conferences:
        cases_of.setdefault(conference.case.person_id, []).append(conference.case)

    def _case_open(case, decisions) -> bool:
        return all(decisions.get(c) is not None and decisions[c].allows_source(case.owning_agency_id)
                   for c in case_visibility_categories(case, ctx.agency_id))

    # A person is named (and the read logged as allowed) only where a case is open to the user.
    health = [DataCategory.HEALTH] if DataCategory.HEALTH in ctx.categories else []
    records = {r.person.pk: r for r in access_people(
        ctx, person_ids, case_purpose(ctx), categories=[*CONFERENCE_CATEGORIES, *health],
        action="conference.list", with_history=False,
        require=lambda pid, decisions: any(_case_open(c, decisions) for c in cases_of[pid]),
    )} if person_ids else {}
    rows = []
    for conference in conferences:
        record = records.get(conference.case.person_id)
        shown = record is not None and _case_open(conference.case, record.decisions)
        rows.append(ConferenceRow(conference, record.person if shown else None,
                                  conference.case.owning_agency_id == ctx.agency_id))
    return rows
