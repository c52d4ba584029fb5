"""Case conferences in two phases: plan one from the case page; phase 1 (decisions on the
case, for the owning agency), phase 2 (gap reports without personal data, for every
participating agency); close. Users of participating agencies without access to the case
data see the frame only; everyone else gets 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.access.spine import AccessDenied
from lotse.cases.selectors import CaseNotFound, case_access
from lotse.conferences.models import ConferenceStatus
from lotse.conferences.selectors import ConferenceNotFound, conference_detail, my_conferences
from lotse.conferences.services import (
    conference_close,
    conference_create,
    conference_finish_case_phase,
    conference_gap_report_add,
    decision_add,
    decision_done,
)
from lotse.core.vocabulary import DataCategory
from lotse.organisations import permissions
from lotse.organisations.models import Agency, Municipality
from lotse.web.forms import add_service_errors
from lotse.web.forms_conferences import ConferenceForm, DecisionForm, GapReportForm
from lotse.web.views.common import write_and_report


def _agencies(ctx):
    return Agency.objects.filter(district_id=ctx.district_id, is_active=True).order_by("name")


def _gap_form(ctx, data=None) -> GapReportForm:
    return GapReportForm(data, municipalities=Municipality.objects.filter(district_id=ctx.district_id),
                         agencies=_agencies(ctx), prefix="gap")


def _detail(request: HttpRequest, conference_id: int):
    try:
        return conference_detail(request.access, conference_id)
    except ConferenceNotFound as exc:
        raise Http404 from exc


def _render_detail(request: HttpRequest, detail, *, decision_form=None, gap_form=None,
                   status: int = 200) -> HttpResponse:
    ctx = request.access
    planned = detail.conference.status == ConferenceStatus.PLANNED
    if detail.can_manage and planned and decision_form is None:
        decision_form = DecisionForm(users=detail.assignable_users, agencies=detail.participants,
                                     plan_steps=detail.plan_steps, prefix="decision")
    if detail.can_report and gap_form is None:
        gap_form = _gap_form(ctx)
    return render(request, "web/conference_detail.html", {
        "detail": detail, "conference": detail.conference, "person": detail.person,
        "case": detail.case, "decision_form": decision_form if detail.can_manage and planned else None,
        "gap_form": gap_form if detail.can_report else None, "today": ctx.today,
        "statuses": ConferenceStatus,
    }, status=status)


def conference_new_view(request: HttpRequest, case_id: int) -> HttpResponse:
    ctx = request.access
    if not ctx.has_permission(permissions.CONFERENCE_MANAGE):
        raise Http404
    try:
        access = case_access(ctx, case_id, action="conference.form",
                             categories=[DataCategory.IDENTITY, DataCategory.COUNSELLING_NOTES])
    except CaseNotFound as exc:
        raise Http404 from exc
    if not (access.is_own_agency and access.case.is_open):
        raise Http404
    agencies = _agencies(ctx).exclude(pk=ctx.agency_id)
    form = ConferenceForm(request.POST or None, agencies=agencies, initial={"held_on": ctx.today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conference = conference_create(
                ctx=ctx, case_id=case_id, held_on=data["held_on"], topic=data["topic"],
                participant_agency_ids=[a.pk for a in data["participant_agencies"]],
                participants_note=data["participants_note"])
        except CaseNotFound as exc:
            raise Http404 from exc
        except AccessDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The case conference was planned."))
            return redirect("web:conference-detail", conference_id=conference.pk)
    return render(request, "web/conference_form.html", {
        "form": form, "case": access.case, "person": access.record.person,
        "own_agency": Agency.objects.get(pk=ctx.agency_id)})


def conference_detail_view(request: HttpRequest, conference_id: int) -> HttpResponse:
    return _render_detail(request, _detail(request, conference_id))


def conference_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "web/conference_list.html", {"rows": my_conferences(request.access)})


def _conference_post(request: HttpRequest, conference_id: int, write, success: str) -> HttpResponse:
    if not _detail(request, conference_id).can_manage:
        raise Http404
    write_and_report(request, write, success, not_found=(ConferenceNotFound,))
    return redirect("web:conference-detail", conference_id=conference_id)


@require_POST
def conference_decision_add_view(request: HttpRequest, conference_id: int) -> HttpResponse:
    ctx = request.access
    detail = _detail(request, conference_id)
    if not detail.can_manage:
        raise Http404
    form = DecisionForm(request.POST, users=detail.assignable_users, agencies=detail.participants,
                        plan_steps=detail.plan_steps, prefix="decision")
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision_add(ctx=ctx, conference_id=conference_id, text=data["text"],
                         assignee_id=data["assignee"], assignee_agency_id=data["assignee_agency"],
                         due_on=data["due_on"], plan_step_id=data["plan_step"])
        except AccessDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("web:conference-detail", conference_id=conference_id)
    return _render_detail(request, detail, decision_form=form)


@require_POST
def conference_decision_done_view(request: HttpRequest, decision_id: int) -> HttpResponse:
    ctx = request.access
    try:
        decision = decision_done(ctx=ctx, decision_id=decision_id)
    except ConferenceNotFound as exc:
        raise Http404 from exc
    except (AccessDenied, ValidationError) as exc:
        messages.error(request, _("Not saved: %(errors)s") % {
            "errors": "; ".join(getattr(exc, "messages", [str(exc)]))})
        conference_id = request.POST.get("conference", "")
        if conference_id.isascii() and conference_id.isdigit() and 0 < len(conference_id) < 18 and int(conference_id):
            return redirect("web:conference-detail", conference_id=int(conference_id))
        return redirect("web:conference-list")
    messages.success(request, _("The decision was marked as done."))
    return redirect("web:conference-detail", conference_id=decision.conference_id)


@require_POST
def conference_phase_done_view(request: HttpRequest, conference_id: int) -> HttpResponse:
    ctx = request.access
    return _conference_post(
        request, conference_id,
        lambda: conference_finish_case_phase(ctx=ctx, conference_id=conference_id),
        _("Phase 1 is finished. Now record the needs and gaps the case showed (phase 2)."))


@require_POST
def conference_close_view(request: HttpRequest, conference_id: int) -> HttpResponse:
    ctx = request.access
    return _conference_post(request, conference_id,
                            lambda: conference_close(ctx=ctx, conference_id=conference_id),
                            _("The case conference was closed."))


@require_POST
def conference_gap_add_view(request: HttpRequest, conference_id: int) -> HttpResponse:
    ctx = request.access
    detail = _detail(request, conference_id)
    if not detail.can_report:
        raise Http404
    form = _gap_form(ctx, request.POST)
    if form.is_valid():
        try:
            conference_gap_report_add(ctx=ctx, conference_id=conference_id, **form.service_kwargs())
        except ConferenceNotFound as exc:
            raise Http404 from exc
        except AccessDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The gap report was sent to the coordination. It contains "
                                        "no link to this conference or the case."))
            return redirect("web:conference-detail", conference_id=conference_id)
    return _render_detail(request, detail, gap_form=form)
