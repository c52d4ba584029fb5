"""Reads of integration plans, always through the spine. A plan is counselling data of the
case's owning agency: it is shown only where the case read (decided and logged by
`cases.selectors.case_access`) allows that category. Part of the spine perimeter (see
core/tests/test_spine_guard.py)."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from lotse.access.context import AccessContext
from lotse.access.spine import PersonRecord
from lotse.cases.selectors import CaseAccess, case_access
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import DataCategory, LifeArea
from lotse.organisations.models import District
from lotse.plans.models import (
    OPEN_STEP_STATUSES,
    GoalStatus,
    IntegrationPlan,
    PlanGoal,
    PlanStep,
    PlanTemplate,
    StepStatus,
)

LIFE_AREA_ORDER = {value: index for index, value in enumerate(LifeArea.values)}


@dataclass(frozen=True)
class StepView:
    step: PlanStep
    overdue: bool

    @property
    def responsible(self) -> str:
        """Who does it: the offer (with its provider), the agency, or the free note."""
        step = self.step
        if step.offer_id:
            provider = step.offer.provider_label
            return f"{step.offer.name} ({provider})" if provider else step.offer.name
        if step.responsible_agency_id:
            return step.responsible_agency.name
        return step.responsible_note


@dataclass
class GoalView:
    goal: PlanGoal
    steps: list[StepView] = field(default_factory=list)

    @property
    def counted(self) -> list[StepView]:
        """Steps that count for progress: not cancelled, of a goal still pursued or reached."""
        if self.goal.status == GoalStatus.DROPPED:
            return []
        return [s for s in self.steps if s.step.status != StepStatus.CANCELLED]

    @property
    def done(self) -> int:
        return sum(1 for s in self.counted if s.step.status == StepStatus.DONE)

    @property
    def total(self) -> int:
        return len(self.counted)


@dataclass
class PlanSummary:
    plan: IntegrationPlan
    goals: list[GoalView]
    today: datetime.date

    @property
    def done(self) -> int:
        return sum(g.done for g in self.goals)

    @property
    def total(self) -> int:
        return sum(g.total for g in self.goals)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def overdue(self) -> list[StepView]:
        return sorted((s for g in self.goals for s in g.counted if s.overdue),
                      key=lambda s: (s.step.due_on, s.step.pk))

    @property
    def next_due(self) -> StepView | None:
        pending = [s for g in self.goals for s in g.counted
                   if s.step.status in OPEN_STEP_STATUSES and s.step.due_on]
        return min(pending, key=lambda s: (s.step.due_on, s.step.pk), default=None)


def plan_summary(access: CaseAccess) -> PlanSummary | None:
    """The case's plan (goals by life area with their steps, progress, overdue steps), or None
    when there is no plan or the user may not see the case agency's counselling data. The case
    read is already decided and logged by `case_access`."""
    if not access.shows(DataCategory.COUNSELLING_NOTES):
        return None
    today = timezone.localdate()
    with personal_data_scope():
        plan = IntegrationPlan.objects.filter(case_id=access.case.pk).first()
        if plan is None:
            return None
        goals = list(PlanGoal.objects.filter(plan=plan))
        steps = list(PlanStep.objects.filter(goal__plan=plan)
                     .select_related("responsible_agency", "offer", "offer__provider_agency"))
    by_goal: dict[int, GoalView] = {g.pk: GoalView(g) for g in goals}
    for step in steps:
        overdue = (step.status in OPEN_STEP_STATUSES and step.due_on is not None
                   and step.due_on < today)
        by_goal[step.goal_id].steps.append(StepView(step, overdue))
    ordered = sorted(by_goal.values(),
                     key=lambda g: (LIFE_AREA_ORDER.get(g.goal.life_area, 99), g.goal.pk))
    return PlanSummary(plan, ordered, today)


@dataclass
class PlanPage:
    access: CaseAccess
    plan: PlanSummary | None


def plan_detail(ctx: AccessContext, case_id: int, *, action: str = "plan.read") -> PlanPage:
    """The plan page: decide and log the case read (raises CaseNotFound), then the plan."""
    access = case_access(ctx, case_id, action=action,
                         categories=[DataCategory.IDENTITY, DataCategory.COUNSELLING_NOTES])
    return PlanPage(access, plan_summary(access))


@dataclass
class PlanPrint:
    record: PersonRecord
    district_name: str
    agency_name: str
    plan: PlanSummary | None


def plan_for_print(ctx: AccessContext, case_id: int) -> PlanPrint:
    """The plan as printed for the person; the read is logged as `plan.printed`."""
    page = plan_detail(ctx, case_id, action="plan.printed")
    case = page.access.case
    district = District.objects.filter(pk=case.district_id).values_list("name", flat=True).first()
    return PlanPrint(page.access.record, district or "", case.owning_agency.name, page.plan)


def plan_templates_active() -> list[PlanTemplate]:
    return list(PlanTemplate.objects.filter(active=True))
