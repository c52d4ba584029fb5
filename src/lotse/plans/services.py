"""Writes to integration plans: goals, steps, statuses, and plans from templates (service
chains) whose due dates come from dated deadline rules.

Each write checks through `case_for_write` (permission, own agency's case, own file on the
person) outside the transaction, validates everything before writing, writes atomically,
logs and keeps the case's attention date current. Part of the spine perimeter (see
core/tests/test_spine_guard.py)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.access.spine import log_action
from lotse.cases.models import PHASE_ORDER, Case, Phase
from lotse.cases.services import case_for_write, refresh_attention
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import DataCategory, LifeArea, Purpose
from lotse.offers.models import Offer
from lotse.organisations.models import Agency, AgencyKind
from lotse.people.models import Person
from lotse.plans.models import (
    GoalStatus,
    IntegrationPlan,
    PlanGoal,
    PlanStep,
    PlanTemplate,
    StepStatus,
)
from lotse.rules.selectors import NoRuleInForce, deadline_from, deadline_rule

TITLE_MAX = 300
NOTE_MAX = 200


def _log(ctx: AccessContext, action: str, case: Case, object_ref: str) -> None:
    log_action(ctx, action, person_id=case.person_id, categories=[DataCategory.COUNSELLING_NOTES],
               purpose=ctx.work_purpose(Purpose.CASE_MANAGEMENT), basis="own_agency",
               object_ref=object_ref)


def _title(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    if len(value) > TITLE_MAX:
        raise ValidationError({field: _("At most %(max)s characters.") % {"max": TITLE_MAX}})
    return value


def _ensure_plan(case: Case) -> IntegrationPlan:
    plan, _created = IntegrationPlan.objects.get_or_create(case=case)
    return plan


def _enter_planning(case: Case) -> None:
    """A case before the planning phase moves to planning with its first goal."""
    if PHASE_ORDER.index(case.phase) < PHASE_ORDER.index(Phase.PLANNING):
        case.phase = Phase.PLANNING
        case.save(update_fields=["phase", "updated_at"])


def _goal_with_case(ctx: AccessContext, goal_id: int, action: str,
                    expected_case_id: int | None = None) -> tuple[PlanGoal, Case]:
    with personal_data_scope():
        case_id = PlanGoal.objects.filter(pk=goal_id).values_list("plan__case_id", flat=True).first()
    if case_id is None or expected_case_id not in (None, case_id):
        raise ValidationError(_("This goal does not exist."))
    case = case_for_write(ctx, case_id, action)
    with personal_data_scope():
        return PlanGoal.objects.get(pk=goal_id), case


def _step_with_case(ctx: AccessContext, step_id: int, action: str,
                    expected_case_id: int | None = None) -> tuple[PlanStep, Case]:
    with personal_data_scope():
        case_id = PlanStep.objects.filter(pk=step_id).values_list("goal__plan__case_id", flat=True).first()
    if case_id is None or expected_case_id not in (None, case_id):
        raise ValidationError(_("This step does not exist."))
    case = case_for_write(ctx, case_id, action)
    with personal_data_scope():
        return PlanStep.objects.select_related("goal").get(pk=step_id), case


def _district_agency(ctx: AccessContext, agency_id: int | None) -> Agency | None:
    if agency_id is None:
        return None
    agency = Agency.objects.filter(pk=agency_id, district_id=ctx.district_id, is_active=True).first()
    if agency is None:
        raise ValidationError({"responsible_agency": _("Choose an active agency of your district.")})
    return agency


def _district_offer(ctx: AccessContext, offer_id: int | None) -> Offer | None:
    if offer_id is None:
        return None
    offer = Offer.objects.filter(pk=offer_id, district_id=ctx.district_id, active=True).first()
    if offer is None:
        raise ValidationError({"offer": _("Choose an active offer of your district.")})
    return offer


# --- goals and steps ---------------------------------------------------------------------------

def goal_add(*, ctx: AccessContext, case_id: int, life_area: str, title: str) -> PlanGoal:
    case = case_for_write(ctx, case_id, "plan.goal_add")
    if life_area not in LifeArea.values:
        raise ValidationError({"life_area": _("Choose a life area.")})
    title = _title(title, "title", _("Describe the goal."))
    with transaction.atomic(), personal_data_scope():
        plan = _ensure_plan(case)
        goal = PlanGoal.objects.create(plan=plan, life_area=life_area, title=title)
        _enter_planning(case)
        refresh_attention(case.pk)
        _log(ctx, "plan.goal_added", case, f"plan-goal:{goal.pk}")
    return goal


def goal_set_status(*, ctx: AccessContext, goal_id: int, status: str,
                    case_id: int | None = None) -> PlanGoal:
    """`case_id`, when given, must be the goal's case (a form of one case's page)."""
    goal, case = _goal_with_case(ctx, goal_id, "plan.goal_status", case_id)
    if status not in GoalStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    with transaction.atomic(), personal_data_scope():
        goal.status = status
        goal.save(update_fields=["status"])
        refresh_attention(case.pk)
        _log(ctx, "plan.goal_status_set", case, f"plan-goal:{goal.pk}")
    return goal


def step_add(*, ctx: AccessContext, goal_id: int, title: str, due_on: datetime.date | None = None,
             responsible_agency_id: int | None = None, offer_id: int | None = None,
             responsible_note: str = "") -> PlanStep:
    goal, case = _goal_with_case(ctx, goal_id, "plan.step_add")
    if goal.status != GoalStatus.OPEN:
        raise ValidationError(_("Steps can only be added to an open goal."))
    title = _title(title, "title", _("Describe the step."))
    agency = _district_agency(ctx, responsible_agency_id)
    offer = _district_offer(ctx, offer_id)
    responsible_note = (responsible_note or "").strip()
    if len(responsible_note) > NOTE_MAX:
        raise ValidationError({"responsible_note": _("At most %(max)s characters.") % {"max": NOTE_MAX}})
    if due_on is not None and not isinstance(due_on, datetime.date):
        raise ValidationError({"due_on": _("Enter a valid date.")})
    with transaction.atomic(), personal_data_scope():
        step = PlanStep.objects.create(goal=goal, title=title, due_on=due_on,
                                       responsible_agency=agency, offer=offer,
                                       responsible_note=responsible_note)
        refresh_attention(case.pk)
        _log(ctx, "plan.step_added", case, f"plan-step:{step.pk}")
    return step


def step_set_status(*, ctx: AccessContext, step_id: int, status: str,
                    case_id: int | None = None) -> PlanStep:
    """`case_id`, when given, must be the step's case (a form of one case's page)."""
    step, case = _step_with_case(ctx, step_id, "plan.step_status", case_id)
    if status not in StepStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    with transaction.atomic(), personal_data_scope():
        step.status = status
        step.done_on = ctx.today if status == StepStatus.DONE else None
        step.save(update_fields=["status", "done_on"])
        refresh_attention(case.pk)
        _log(ctx, "plan.step_status_set", case, f"plan-step:{step.pk}")
    return step


# --- templates -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class PlannedStep:
    title: str
    due_on: datetime.date | None
    deadline_rule_ref: str
    responsible_agency: Agency | None
    responsible_note: str


def _kinds(spec: dict) -> list[str]:
    kinds = spec.get("responsible_kind") or []
    return [kinds] if isinstance(kinds, str) else list(kinds)


def validate_template_steps(steps, *, on: datetime.date | None = None) -> None:
    """Check a template's step specs: titles, known agency kinds, rule keys that exist (in
    force on `on` when given), whole-day offsets. Raise ValidationError listing the problems."""
    problems = []
    if not isinstance(steps, list) or not steps:
        raise ValidationError(_("A template needs at least one step."))
    for index, spec in enumerate(steps, start=1):
        if not isinstance(spec, dict) or not str(spec.get("title") or "").strip():
            problems.append(_("Step %(n)s has no title.") % {"n": index})
            continue
        for kind in _kinds(spec):
            if kind not in AgencyKind.values:
                problems.append(_("Step %(n)s: unknown agency kind '%(kind)s'.") % {"n": index, "kind": kind})
        keys = spec.get("deadline_rules") or ([spec["deadline_rule"]] if spec.get("deadline_rule") else [])
        for key in keys:
            if not _rule_exists(key, on):
                problems.append(_("Step %(n)s: no deadline rule '%(key)s'.") % {"n": index, "key": key})
        if "offset_days" in spec and not isinstance(spec["offset_days"], int):
            problems.append(_("Step %(n)s: offset_days must be a whole number.") % {"n": index})
    if problems:
        raise ValidationError(problems)


def _rule_exists(key: str, on: datetime.date | None) -> bool:
    from lotse.rules.models import DeadlineRule

    if on is None:
        return DeadlineRule.objects.filter(key=key).exists()
    try:
        deadline_rule(key=key, on=on)
    except NoRuleInForce:
        return False
    return True


def _no_rule_message(key: str, on: datetime.date) -> str:
    from lotse.rules.models import DeadlineRule

    known = DeadlineRule.objects.filter(key=key).order_by("valid_from")
    first = known.first()
    values = {"rule": f"{first.name} ({key})" if first else key, "date": on.strftime("%d.%m.%Y")}
    if first and on < first.valid_from:
        values["from"] = first.valid_from.strftime("%d.%m.%Y")
        return _("No deadline rule is in force for this date: %(rule)s on %(date)s; the rule applies "
                 "from %(from)s. Check the date or ask your administration to add the rule.") % values
    return _("No deadline rule is in force for this date: %(rule)s on %(date)s. Check the date or ask "
             "your administration to add the rule.") % values


def _due_date(spec: dict, anchor_on: datetime.date) -> tuple[datetime.date | None, str]:
    """Apply the step's deadline rules in sequence from the anchor (each in force on the date
    it counts from), then its offset in days. Returns the date and "name (legal reference)"
    of each rule used."""
    keys = spec.get("deadline_rules") or ([spec["deadline_rule"]] if spec.get("deadline_rule") else [])
    if not keys and "offset_days" not in spec:
        return None, ""
    due, refs = anchor_on, []
    try:
        for key in keys:
            try:
                due, rule = deadline_from(key=key, anchor=due)
            except NoRuleInForce as exc:
                raise ValidationError({"anchor_on": _no_rule_message(key, due)}) from exc
            refs.append(f"{rule.name} ({rule.legal_reference})")
        if spec.get("offset_days"):
            due = due + datetime.timedelta(days=spec["offset_days"])
    except (OverflowError, ValueError) as exc:  # a date beyond the calendar (year 9999 …)
        raise ValidationError({"anchor_on": _("Enter a date before the year 2900.")}) from exc
    return due, " → ".join(refs)[:300]


def _nearest_agency(ctx: AccessContext, kinds: list[str], municipality_id: int | None) -> Agency | None:
    """The district's active agency of the first kind that has one: in the person's
    municipality first, else one serving the whole district."""
    for kind in kinds:
        candidates = Agency.objects.filter(district_id=ctx.district_id, kind=kind, is_active=True)
        if municipality_id is not None:
            local = candidates.filter(municipality_id=municipality_id).order_by("parent_id", "id").first()
            if local is not None:
                return local
        district_wide = candidates.filter(municipality__isnull=True).order_by("parent_id", "id").first()
        if district_wide is not None:
            return district_wide
    return None


def _planned_steps(ctx: AccessContext, template: PlanTemplate, anchor_on: datetime.date,
                   municipality_id: int | None) -> list[PlannedStep]:
    planned = []
    for spec in template.steps:
        due_on, ref = _due_date(spec, anchor_on)
        kinds = _kinds(spec)
        agency = _nearest_agency(ctx, kinds, municipality_id) if kinds else None
        note = str(spec.get("responsible_label") or "")
        if kinds and agency is None:
            labels = " / ".join(str(AgencyKind(k).label) for k in kinds)
            note = _("%(who)s – no agency of this kind found for the person's municipality; "
                     "please choose one.") % {"who": note or labels}
        planned.append(PlannedStep(spec["title"].strip()[:TITLE_MAX], due_on, ref, agency,
                                   note[:NOTE_MAX]))
    return planned


def plan_apply_template(*, ctx: AccessContext, case_id: int, template_code: str,
                        anchor_on: datetime.date) -> PlanGoal:
    """Add a goal and its steps from a template (a service chain). Due dates come from the
    deadline rules in force on the dates they count from; responsible agencies are found by
    kind near the person's municipality."""
    case = case_for_write(ctx, case_id, "plan.template_apply")
    template = PlanTemplate.objects.filter(code=template_code, active=True).first()
    if template is None:
        raise ValidationError({"template": _("Choose a plan template.")})
    if not isinstance(anchor_on, datetime.date):
        raise ValidationError({"anchor_on": _("Enter the date the deadlines count from.")})
    with personal_data_scope():
        municipality_id = Person.objects.filter(pk=case.person_id).values_list(
            "municipality_id", flat=True).first()
    planned = _planned_steps(ctx, template, anchor_on, municipality_id)  # raises before any write
    with transaction.atomic(), personal_data_scope():
        plan = _ensure_plan(case)
        goal = PlanGoal.objects.create(plan=plan, life_area=template.life_area,
                                       title=template.goal_title[:TITLE_MAX],
                                       template_code=template.code, anchor_on=anchor_on)
        PlanStep.objects.bulk_create([
            PlanStep(goal=goal, title=p.title, due_on=p.due_on, deadline_rule_ref=p.deadline_rule_ref,
                     responsible_agency=p.responsible_agency, responsible_note=p.responsible_note)
            for p in planned
        ])
        _enter_planning(case)
        refresh_attention(case.pk)
        _log(ctx, "plan.template_applied", case, f"plan-goal:{goal.pk}")
    return goal
