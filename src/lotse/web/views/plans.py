"""The integration plan of a case: goals by life area, steps with who is responsible and
when, status changes, plan templates (service chains) and the print for the person."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from lotse.access.spine import AccessDenied
from lotse.cases.selectors import CaseNotFound
from lotse.offers.models import Offer
from lotse.organisations import permissions
from lotse.organisations.models import Agency
from lotse.plans.models import GoalStatus, StepStatus
from lotse.plans.pdf import PlanPrintData, render_plan_pdf
from lotse.plans.selectors import PlanPage, plan_detail, plan_for_print, plan_templates_active
from lotse.plans.services import goal_add, goal_set_status, plan_apply_template, step_add, step_set_status
from lotse.web.forms import add_service_errors
from lotse.web.forms_plans import GoalForm, GoalStatusForm, StepForm, StepStatusForm, TemplateForm
from lotse.web.views.common import file_response

# The buttons that change a status: (new status, button label).
STEP_ACTIONS = [
    (StepStatus.DONE, gettext_lazy("Done")),
    (StepStatus.IN_PROGRESS, gettext_lazy("In progress")),
    (StepStatus.CANCELLED, gettext_lazy("Not needed")),
    (StepStatus.OPEN, gettext_lazy("Reopen")),
]
GOAL_ACTIONS = [
    (GoalStatus.ACHIEVED, gettext_lazy("Goal achieved")),
    (GoalStatus.DROPPED, gettext_lazy("No longer pursue")),
    (GoalStatus.OPEN, gettext_lazy("Reopen goal")),
]


def _page(request: HttpRequest, case_id: int) -> PlanPage:
    try:
        return plan_detail(request.access, case_id)
    except CaseNotFound as exc:
        raise Http404 from exc


def _can_edit(request: HttpRequest, page: PlanPage) -> bool:
    return (page.access.is_own_agency and page.access.case.is_open
            and request.access.has_permission(permissions.CASE_MANAGE))


def _step_form(request: HttpRequest, page: PlanPage, data=None) -> StepForm:
    ctx = request.access
    goals = [(g.goal.pk, f"{g.goal.get_life_area_display()}: {g.goal.title}")
             for g in (page.plan.goals if page.plan else []) if g.goal.status == GoalStatus.OPEN]
    return StepForm(data, goals=goals,
                    agencies=Agency.objects.filter(district_id=ctx.district_id, is_active=True),
                    offers=Offer.objects.filter(district_id=ctx.district_id, active=True))


def _forms(request: HttpRequest, page: PlanPage, bound: dict | None = None) -> dict:
    forms = {"goal_form": GoalForm(), "step_form": _step_form(request, page),
             "template_form": TemplateForm(templates=plan_templates_active())}
    forms.update(bound or {})
    return forms


def _render(request: HttpRequest, page: PlanPage, bound: dict | None = None, status: int = 200) -> HttpResponse:
    can_edit = _can_edit(request, page)
    context = {"case": page.access.case, "person": page.access.record.person, "plan": page.plan,
               "can_edit": can_edit, "step_actions": STEP_ACTIONS, "goal_actions": GOAL_ACTIONS}
    if can_edit:
        context.update(_forms(request, page, bound))
    return render(request, "web/plan_detail.html", context, status=status)



def _write(request: HttpRequest, case_id: int, name: str, make_form, write, success: str) -> HttpResponse:
    """Run a write from one of the plan page's forms: success → message and redirect; bad
    input → the page again with the form's errors (status 400), nothing saved."""
    page = _page(request, case_id)
    if not _can_edit(request, page):
        raise Http404
    form = make_form(page)
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except AccessDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("web:plan-detail", case_id=case_id)
    return _render(request, page, {name: form}, status=400)


def plan_detail_view(request: HttpRequest, case_id: int) -> HttpResponse:
    return _render(request, _page(request, case_id))


@require_POST
def plan_goal_add_view(request: HttpRequest, case_id: int) -> HttpResponse:
    ctx = request.access
    return _write(request, case_id, "goal_form", lambda page: GoalForm(request.POST),
                  lambda d: goal_add(ctx=ctx, case_id=case_id, life_area=d["life_area"], title=d["title"]),
                  _("The goal was added."))


@require_POST
def plan_step_add_view(request: HttpRequest, case_id: int) -> HttpResponse:
    ctx = request.access

    def write(d):
        step_add(ctx=ctx, goal_id=d["goal"], title=d["title"], due_on=d["due_on"],
                 responsible_agency_id=d["responsible_agency"].pk if d["responsible_agency"] else None,
                 offer_id=d["offer"].pk if d["offer"] else None, responsible_note=d["responsible_note"])

    return _write(request, case_id, "step_form", lambda page: _step_form(request, page, request.POST),
                  write, _("The step was added."))


@require_POST
def plan_template_apply_view(request: HttpRequest, case_id: int) -> HttpResponse:
    ctx = request.access
    return _write(request, case_id, "template_form",
                  lambda page: TemplateForm(request.POST, templates=plan_templates_active()),
                  lambda d: plan_apply_template(ctx=ctx, case_id=case_id, template_code=d["template"],
                                                anchor_on=d["anchor_on"]),
                  _("The plan template was applied; check the steps and who is responsible."))


def _status_post(request: HttpRequest, case_id: int, form, write, success: str) -> HttpResponse:
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect("web:plan-detail", case_id=case_id)
    try:
        write(form.cleaned_data["status"])
    except (AccessDenied, ValidationError) as exc:
        messages.error(request, _("Not saved: %(errors)s") % {
            "errors": "; ".join(getattr(exc, "messages", [str(exc)]))})
    else:
        messages.success(request, success)
    return redirect("web:plan-detail", case_id=case_id)


@require_POST
def plan_step_status_view(request: HttpRequest, case_id: int, step_id: int) -> HttpResponse:
    ctx = request.access
    return _status_post(request, case_id, StepStatusForm(request.POST),
                        lambda status: step_set_status(ctx=ctx, step_id=step_id, status=status,
                                                       case_id=case_id),
                        _("The status of the step was changed."))


@require_POST
def plan_goal_status_view(request: HttpRequest, case_id: int, goal_id: int) -> HttpResponse:
    ctx = request.access
    return _status_post(request, case_id, GoalStatusForm(request.POST),
                        lambda status: goal_set_status(ctx=ctx, goal_id=goal_id, status=status,
                                                       case_id=case_id),
                        _("The status of the goal was changed."))


@require_GET
def plan_pdf_view(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        printed = plan_for_print(request.access, case_id)
    except CaseNotFound as exc:
        raise Http404 from exc
    pdf = render_plan_pdf(PlanPrintData.from_print(printed, request.access.today))
    return file_response(pdf, f"integrationsplan-{case_id}.pdf", "application/pdf")
