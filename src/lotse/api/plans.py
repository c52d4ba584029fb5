"""Integration plan endpoints: the plan of a case (goals per life area, steps, progress), new
goals and steps, statuses, plans from templates (service chains) and the template list.

Reads go through `lotse.plans.selectors.plan_detail`, which decides and logs the case read
(`CaseNotFound` → 404); writes through `lotse.plans.services`, which check the case with
`case_for_write` (403 when refused) and compute due dates from dated deadline rules.
"""

from typing import Annotated

from django.http import HttpRequest
from ninja import Path, Router, Status

from lotse.api.auth import ctx_of
from lotse.api.cases import ERRORS, CaseId
from lotse.api.schemas import MAX_ID, ErrorOut
from lotse.api.schemas_cases import (
    GoalIn,
    GoalOut,
    GoalStatusIn,
    GoalStatusOut,
    PlanOut,
    PlanTemplateOut,
    StepIn,
    StepOut,
    StepStatusIn,
    TemplateApplyIn,
)
from lotse.plans.models import OPEN_STEP_STATUSES
from lotse.plans.selectors import GoalView, StepView, plan_detail, plan_templates_active
from lotse.plans.services import (
    goal_add,
    goal_set_status,
    plan_apply_template,
    step_add,
    step_set_status,
)

router = Router(tags=["plans"])

GoalId = Annotated[int, Path(ge=1, le=MAX_ID, description="Id of the plan goal.")]
StepId = Annotated[int, Path(ge=1, le=MAX_ID, description="Id of the plan step.")]


# --- shaping ---------------------------------------------------------------------------

def _step_out(view: StepView) -> dict:
    step = view.step
    return {"id": step.pk, "goal_id": step.goal_id, "title": step.title, "status": step.status,
            "due_on": step.due_on, "done_on": step.done_on, "overdue": view.overdue,
            "responsible": view.responsible, "responsible_agency_id": step.responsible_agency_id,
            "offer_id": step.offer_id, "responsible_note": step.responsible_note,
            "deadline_rule_ref": step.deadline_rule_ref}


def _goal_out(view: GoalView) -> dict:
    goal = view.goal
    return {"id": goal.pk, "life_area": goal.life_area, "title": goal.title, "status": goal.status,
            "template_code": goal.template_code, "anchor_on": goal.anchor_on, "done": view.done,
            "total": view.total, "steps": [_step_out(s) for s in view.steps]}


def _plan_out(ctx, case_id: int, *, action: str = "plan.read") -> dict:
    page = plan_detail(ctx, case_id, action=action)
    plan = page.plan
    if plan is None:
        return {"case_id": page.access.case.pk, "exists": False, "done": 0, "total": 0, "percent": 0,
                "overdue_step_ids": [], "next_due_step_id": None, "goals": []}
    return {"case_id": page.access.case.pk, "exists": True, "done": plan.done, "total": plan.total,
            "percent": plan.percent, "overdue_step_ids": [s.step.pk for s in plan.overdue],
            "next_due_step_id": plan.next_due.step.pk if plan.next_due else None,
            "goals": [_goal_out(g) for g in plan.goals]}


def _goal_of(ctx, case_id: int, goal_id: int) -> dict:
    """A goal with its steps as the plan read (decided and logged) shows it."""
    plan = _plan_out(ctx, case_id)
    return next(g for g in plan["goals"] if g["id"] == goal_id)


def _written_step(step, today) -> dict:
    """A step just written by a service (which checked and logged the write)."""
    overdue = step.status in OPEN_STEP_STATUSES and step.due_on is not None and step.due_on < today
    return _step_out(StepView(step, overdue))


def _written_goal(goal) -> dict:
    return {"id": goal.pk, "life_area": goal.life_area, "title": goal.title, "status": goal.status,
            "template_code": goal.template_code, "anchor_on": goal.anchor_on}


def _template_out(template) -> dict:
    steps = []
    for spec in template.steps:
        kinds = spec.get("responsible_kind") or []
        rules = spec.get("deadline_rules") or ([spec["deadline_rule"]] if spec.get("deadline_rule") else [])
        offset = spec.get("offset_days")
        steps.append({"title": str(spec.get("title", "")),
                      "responsible_kinds": [kinds] if isinstance(kinds, str) else list(kinds),
                      "responsible_label": str(spec.get("responsible_label") or ""),
                      "deadline_rules": list(rules),
                      "offset_days": offset if isinstance(offset, int) else None})
    return {"code": template.code, "name": template.name, "description": template.description,
            "life_area": template.life_area, "goal_title": template.goal_title,
            "anchor_label": template.anchor_label, "steps": steps}


# --- endpoints -------------------------------------------------------------------------

@router.get("/cases/{case_id}/plan", response={200: PlanOut, **ERRORS},
            summary="The integration plan of a case: goals, steps, progress")
def get_plan(request: HttpRequest, case_id: CaseId):
    """Visible like the case itself (counselling data of the owning agency). Logged as
    `plan.read`. A case without a plan answers `exists: false`."""
    return _plan_out(ctx_of(request), case_id)


@router.post("/cases/{case_id}/plan/goals", response={201: GoalOut, **ERRORS},
             summary="Add a goal in a life area")
def add_goal(request: HttpRequest, case_id: CaseId, payload: GoalIn):
    """Creates the plan if needed; a case before the planning phase moves to planning."""
    ctx = ctx_of(request)
    goal = goal_add(ctx=ctx, case_id=case_id, life_area=payload.life_area, title=payload.title)
    return Status(201, _goal_of(ctx, case_id, goal.pk))


@router.post("/cases/{case_id}/plan/templates", response={201: GoalOut, **ERRORS},
             summary="Add a goal with its steps from a plan template (service chain)")
def apply_template(request: HttpRequest, case_id: CaseId, payload: TemplateApplyIn):
    """Due dates come from the deadline rules in force on the dates they count from; a date
    for which no rule is in force answers 400 (`anchor_on`) and nothing is saved."""
    ctx = ctx_of(request)
    goal = plan_apply_template(ctx=ctx, case_id=case_id, template_code=payload.template_code,
                               anchor_on=payload.anchor_on)
    return Status(201, _goal_of(ctx, case_id, goal.pk))


@router.post("/plans/goals/{goal_id}/status", response={200: GoalStatusOut, **ERRORS},
             summary="Set a goal's status")
def set_goal_status(request: HttpRequest, goal_id: GoalId, payload: GoalStatusIn):
    """A dropped goal no longer counts for progress. A goal that does not exist answers 400."""
    ctx = ctx_of(request)
    return _written_goal(goal_set_status(ctx=ctx, goal_id=goal_id, status=payload.status))


@router.post("/plans/goals/{goal_id}/steps", response={201: StepOut, **ERRORS},
             summary="Add a step to an open goal")
def add_step(request: HttpRequest, goal_id: GoalId, payload: StepIn):
    """Name who does it: an agency of your district, an offer of the directory or a free note.
    A goal that does not exist answers 400."""
    ctx = ctx_of(request)
    step = step_add(ctx=ctx, goal_id=goal_id, title=payload.title, due_on=payload.due_on,
                    responsible_agency_id=payload.responsible_agency_id, offer_id=payload.offer_id,
                    responsible_note=payload.responsible_note)
    return Status(201, _written_step(step, ctx.today))


@router.post("/plans/steps/{step_id}/status", response={200: StepOut, **ERRORS},
             summary="Set a step's status")
def set_step_status(request: HttpRequest, step_id: StepId, payload: StepStatusIn):
    """`done` records today as the date done. A step that does not exist answers 400."""
    ctx = ctx_of(request)
    step = step_set_status(ctx=ctx, step_id=step_id, status=payload.status)
    return _written_step(step, ctx.today)


@router.get("/plan-templates", response={200: list[PlanTemplateOut], 401: ErrorOut},
            summary="Active plan templates (service chains)")
def list_templates(request: HttpRequest):
    """Configuration, no personal data: the steps with the agency kinds responsible and the
    keys of the dated deadline rules their due dates come from."""
    return [_template_out(t) for t in plan_templates_active()]
