"""Committees, meetings, measures and goals under /staff/steering/.

Members of the steering (`steering:view`) read; the coordination (`steering:coordinate`) also
writes. An owner agency's users with `gap:report` update the state of work of their agency's
measures. Anyone else, and any id of another district, gets a 404. Bad input re-shows the page
with status 400 and the message; nothing is stored."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.access.spine import AccessDenied
from lotse.organisations.models import Agency, StaffUser
from lotse.steering import committees as steering
from lotse.steering.access import check_may_coordinate, check_may_view, may_coordinate
from lotse.steering.invitations import ics_filename, meeting_ics
from lotse.steering.kpis import indicator_choices
from lotse.steering.minutes import minutes_filename, minutes_pdf
from lotse.steering.models import Goal, MeetingStatus
from lotse.web.forms_steering_committees import (
    AgendaItemForm,
    CommitteeForm,
    GoalForm,
    MeasureFilterForm,
    MeasureForm,
    MeasureStatusForm,
    MeetingDecisionForm,
    MeetingForm,
    MeetingStatusForm,
    MinutesForm,
)
from lotse.web.views.common import file_response

# --- doors ------------------------------------------------------------------------------------


def _viewer(request: HttpRequest):
    try:
        check_may_view(request.access)
    except AccessDenied as exc:
        raise Http404 from exc
    return request.access


def _coordinator(request: HttpRequest, action: str = "steering.coordinate.refused"):
    try:
        check_may_coordinate(request.access, action)
    except AccessDenied as exc:
        raise Http404 from exc
    return request.access


def _render(request: HttpRequest, template: str, context: dict, *, page: str, status: int = 200) -> HttpResponse:
    context = {**context, "steering_page": page, "steering_coordinator": may_coordinate(request.access)}
    return render(request, template, context, status=status)


def _write(form, write) -> bool:
    """Run a service for a valid form; its ValidationError lands on the form. True when saved."""
    if not form.is_valid():
        return False
    try:
        write(form)
    except steering.NotFound as exc:
        raise Http404 from exc
    except AccessDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return False
    return True


def _agencies(ctx, keep: int | None = None):
    """Active agencies of the district (and `keep`, the current choice, even if inactive now)."""
    return Agency.objects.filter(Q(is_active=True) | Q(pk=keep or 0), district_id=ctx.district_id).order_by("name")


def _staff(ctx):
    return (StaffUser.objects.filter(agency__district_id=ctx.district_id, is_active=True)
            .select_related("agency").order_by("last_name", "first_name", "username"))


def _goals(ctx):
    return Goal.objects.filter(district_id=ctx.district_id).order_by("-active", "position", "id")


# --- committees -------------------------------------------------------------------------------


def committees_view(request: HttpRequest) -> HttpResponse:
    ctx = _viewer(request)
    return _render(request, "web/steering_committees.html", {"summaries": steering.committee_list(ctx)},
                   page="committees")


def _committee_form(request: HttpRequest, committee=None) -> HttpResponse:
    ctx = _coordinator(request, "steering.committee.refused")
    options = {"agencies": _agencies(ctx), "staff": _staff(ctx)}
    initial = CommitteeForm.initial_for(committee) if committee else None
    form = CommitteeForm(request.POST or None, initial=initial, **options)
    if request.method == "POST":
        if committee is None:
            saved = _write(form, lambda f: steering.committee_create(ctx=ctx, **f.service_kwargs()))
        else:
            saved = _write(form, lambda f: steering.committee_update(
                ctx=ctx, committee_id=committee.pk, active=f.cleaned_data["active"], **f.service_kwargs()))
        if saved:
            messages.success(request, _("The committee was saved."))
            return redirect("web:steering-committees")
    return _render(request, "web/steering_committee_form.html", {"form": form, "committee": committee},
                   page="committees", status=400 if request.method == "POST" else 200)


def committee_new_view(request: HttpRequest) -> HttpResponse:
    return _committee_form(request)


def committee_edit_view(request: HttpRequest, committee_id: int) -> HttpResponse:
    ctx = _coordinator(request, "steering.committee.refused")
    try:
        committee = steering.committee_detail(ctx, committee_id)
    except steering.NotFound as exc:
        raise Http404 from exc
    return _committee_form(request, committee)


def _committee_page(request: HttpRequest, committee_id: int, *, meeting_form=None, status=200) -> HttpResponse:
    ctx = _viewer(request)
    try:
        committee = steering.committee_detail(ctx, committee_id)
    except steering.NotFound as exc:
        raise Http404 from exc
    can_coordinate = may_coordinate(ctx)
    return _render(request, "web/steering_committee_detail.html", {
        "committee": committee, "meetings": list(committee.meetings.all()),
        "meeting_form": (meeting_form or MeetingForm()) if can_coordinate else None,
    }, page="committees", status=status)


def committee_detail_view(request: HttpRequest, committee_id: int) -> HttpResponse:
    return _committee_page(request, committee_id)


@require_POST
def meeting_new_view(request: HttpRequest, committee_id: int) -> HttpResponse:
    ctx = _coordinator(request, "steering.meeting.refused")
    form = MeetingForm(request.POST)
    meetings = []
    if _write(form, lambda f: meetings.append(steering.meeting_plan(ctx=ctx, committee_id=committee_id,
                                                                   **f.service_kwargs()))):
        messages.success(request, _("The meeting was planned."))
        return redirect("web:steering-meeting", meeting_id=meetings[0].pk)
    return _committee_page(request, committee_id, meeting_form=form, status=400)


# --- meetings ---------------------------------------------------------------------------------


def _meeting(request: HttpRequest, meeting_id: int) -> steering.MeetingDetail:
    try:
        return steering.meeting_detail(_viewer(request), meeting_id)
    except steering.NotFound as exc:
        raise Http404 from exc


def _meeting_page(request: HttpRequest, meeting_id: int, *, status: int = 200, **forms) -> HttpResponse:
    detail = _meeting(request, meeting_id)
    ctx = request.access
    context = {"detail": detail, "meeting": detail.meeting, "committee": detail.committee,
               "statuses": MeetingStatus}
    if may_coordinate(ctx) and (detail.meeting.status != MeetingStatus.CANCELLED or forms):
        meeting = detail.meeting
        context.update({
            "edit_form": forms.get("edit_form") or MeetingForm(initial=MeetingForm.initial_for(meeting)),
            "agenda_form": forms.get("agenda_form") or AgendaItemForm(reports=steering.open_agenda_reports(ctx)),
            "minutes_form": forms.get("minutes_form") or MinutesForm(
                agencies=_agencies(ctx), initial={"minutes": meeting.minutes,
                                                  "present_agencies": [a.pk for a in detail.present_agencies]}),
            "decision_form": forms.get("decision_form") or MeetingDecisionForm(
                agenda=detail.agenda, initial={"decided_on": steering.local_day(meeting.starts_at)}),
            "measure_form": (forms.get("measure_form") or MeasureForm(
                agencies=_agencies(ctx), goals=_goals(ctx), decisions=detail.decisions)) if detail.decisions else None,
        })
    return _render(request, "web/steering_meeting.html", context, page="committees", status=status)


def meeting_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _meeting_page(request, meeting_id)


def _meeting_write(request: HttpRequest, meeting_id: int, form_name: str, form, write, success: str,
                   action: str) -> HttpResponse:
    _coordinator(request, action)
    if _write(form, write):
        messages.success(request, success)
        return redirect("web:steering-meeting", meeting_id=meeting_id)
    return _meeting_page(request, meeting_id, status=400, **{form_name: form})


@require_POST
def meeting_edit_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    ctx = request.access
    return _meeting_write(
        request, meeting_id, "edit_form", MeetingForm(request.POST),
        lambda f: steering.meeting_update(ctx=ctx, meeting_id=meeting_id, **f.service_kwargs()),
        _("The meeting was changed. Send the new invitation to the members."), "steering.meeting.refused")


@require_POST
def meeting_status_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    ctx = _coordinator(request, "steering.meeting.refused")
    form = MeetingStatusForm(request.POST)
    if _write(form, lambda f: steering.meeting_set_status(ctx=ctx, meeting_id=meeting_id,
                                                          status=f.cleaned_data["status"])):
        messages.success(request, _("The meeting's status was saved."))
    else:
        messages.error(request, _("Not saved: %(errors)s") % {
            "errors": "; ".join(str(e) for errors in form.errors.values() for e in errors)})
    return redirect("web:steering-meeting", meeting_id=meeting_id)


@require_POST
def agenda_add_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    ctx = _coordinator(request, "steering.agenda.refused")
    form = AgendaItemForm(request.POST, reports=steering.open_agenda_reports(ctx))
    return _meeting_write(
        request, meeting_id, "agenda_form", form,
        lambda f: steering.agenda_item_add(ctx=ctx, meeting_id=meeting_id, **f.service_kwargs()),
        _("The item was added to the agenda."), "steering.agenda.refused")


@require_POST
def agenda_move_view(request: HttpRequest, item_id: int) -> HttpResponse:
    ctx = _coordinator(request, "steering.agenda.refused")
    try:
        item = steering.agenda_item_move(ctx=ctx, item_id=item_id, up=request.POST.get("direction") != "down")
    except steering.NotFound as exc:
        raise Http404 from exc
    return redirect("web:steering-meeting", meeting_id=item.meeting_id)


@require_POST
def minutes_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    ctx = _coordinator(request, "steering.minutes.refused")
    return _meeting_write(
        request, meeting_id, "minutes_form", MinutesForm(request.POST, agencies=_agencies(ctx)),
        lambda f: steering.meeting_minutes_record(ctx=ctx, meeting_id=meeting_id, **f.service_kwargs()),
        _("The minutes were saved."), "steering.minutes.refused")


@require_POST
def decision_add_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    ctx = _coordinator(request, "steering.decision.refused")
    detail = _meeting(request, meeting_id)
    return _meeting_write(
        request, meeting_id, "decision_form", MeetingDecisionForm(request.POST, agenda=detail.agenda),
        lambda f: steering.decision_record(ctx=ctx, meeting_id=meeting_id, **f.service_kwargs()),
        _("The decision was recorded."), "steering.decision.refused")


@require_POST
def meeting_measure_add_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    ctx = _coordinator(request, "steering.measure.refused")
    detail = _meeting(request, meeting_id)
    form = MeasureForm(request.POST, agencies=_agencies(ctx), goals=_goals(ctx), decisions=detail.decisions)
    return _meeting_write(
        request, meeting_id, "measure_form", form,
        lambda f: steering.measure_create(ctx=ctx, **f.service_kwargs()),
        _("The measure was saved."), "steering.measure.refused")


def meeting_ics_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    detail = _meeting(request, meeting_id)
    return file_response(meeting_ics(detail), ics_filename(detail.meeting), "text/calendar; charset=utf-8",
                         inline=False)


def minutes_pdf_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    detail = _meeting(request, meeting_id)
    return file_response(minutes_pdf(detail), minutes_filename(detail), "application/pdf")


# --- measures ---------------------------------------------------------------------------------


def measures_view(request: HttpRequest) -> HttpResponse:
    ctx = _viewer(request)
    agencies = _agencies(ctx)
    form = MeasureFilterForm(request.GET or None, agencies=agencies)
    status, owner_id = "", None
    if form.is_bound and form.is_valid():
        status, owner_id = form.cleaned_data["status"], form.owner_id()
    return _render(request, "web/steering_measures.html", {
        "form": form, "measures": steering.measure_list(ctx, status=status, owner_agency_id=owner_id),
    }, page="measures", status=400 if form.is_bound and form.errors else 200)


def measure_new_view(request: HttpRequest) -> HttpResponse:
    ctx = _coordinator(request, "steering.measure.refused")
    initial = {"goal": request.GET.get("goal", "")} if request.method == "GET" else None
    form = MeasureForm(request.POST or None, initial=initial, agencies=_agencies(ctx), goals=_goals(ctx))
    if request.method == "POST" and _write(form, lambda f: steering.measure_create(ctx=ctx, **f.service_kwargs())):
        messages.success(request, _("The measure was saved."))
        return redirect("web:steering-measures")
    return _render(request, "web/steering_measure_form.html", {"form": form, "measure": None},
                   page="measures", status=400 if request.method == "POST" else 200)


def _measure_or_404(request: HttpRequest, measure_id: int):
    try:
        return steering.measure_get(request.access, measure_id)
    except steering.NotFound as exc:
        raise Http404 from exc


def measure_edit_view(request: HttpRequest, measure_id: int) -> HttpResponse:
    """The coordination edits the whole measure; the owner agency sees the status form only."""
    ctx = request.access
    measure = _measure_or_404(request, measure_id)
    if not may_coordinate(ctx):
        return _measure_status_page(request, measure)
    form = MeasureForm(request.POST or None, initial=MeasureForm.initial_for(measure),
                       agencies=_agencies(ctx, keep=measure.owner_agency_id), goals=_goals(ctx))
    if request.method == "POST" and _write(form, lambda f: steering.measure_update(
            ctx=ctx, measure_id=measure.pk, **f.service_kwargs())):
        messages.success(request, _("The measure was saved."))
        return redirect("web:steering-measures")
    return _render(request, "web/steering_measure_form.html", {"form": form, "measure": measure},
                   page="measures", status=400 if request.method == "POST" else 200)


def _measure_status_page(request: HttpRequest, measure, form=None, status: int = 200) -> HttpResponse:
    form = form or MeasureStatusForm(initial={"status": measure.status, "status_note": measure.status_note})
    return _render(request, "web/steering_measure_status.html", {"form": form, "measure": measure},
                   page="measures", status=status)


@require_POST
def measure_status_view(request: HttpRequest, measure_id: int) -> HttpResponse:
    """Status and state of work, by the coordination or the owner agency (prefixed form from the
    agency's gap report page: `prefix` names it)."""
    ctx = request.access
    measure = _measure_or_404(request, measure_id)
    prefix = request.POST.get("prefix") or None
    form = MeasureStatusForm(request.POST, prefix=prefix if prefix == f"m{measure.pk}" else None)
    if _write(form, lambda f: steering.measure_update_status(ctx=ctx, measure_id=measure.pk,
                                                             **f.cleaned_data)):
        messages.success(request, _("The state of work was saved."))
        return redirect("web:steering-measures" if may_coordinate(ctx) else "web:gap-reports")
    return _measure_status_page(request, measure, form, status=400)


# --- goals ------------------------------------------------------------------------------------


def goals_view(request: HttpRequest) -> HttpResponse:
    ctx = _viewer(request)
    indicators = dict(indicator_choices())
    goals = [(goal, indicators.get(goal.indicator, "")) for goal in steering.goal_list(ctx)]
    return _render(request, "web/steering_goals.html", {"goals": goals}, page="goals")


def _goal_form(request: HttpRequest, goal=None) -> HttpResponse:
    ctx = _coordinator(request, "steering.goal.refused")
    form = GoalForm(request.POST or None, initial=GoalForm.initial_for(goal) if goal else None,
                    indicators=indicator_choices())
    if request.method == "POST":
        if goal is None:
            saved = _write(form, lambda f: steering.goal_create(ctx=ctx, **f.service_kwargs()))
        else:
            saved = _write(form, lambda f: steering.goal_update(ctx=ctx, goal_id=goal.pk,
                                                                active=f.cleaned_data["active"], **f.service_kwargs()))
        if saved:
            messages.success(request, _("The goal was saved."))
            return redirect("web:steering-goals")
    return _render(request, "web/steering_goal_form.html", {"form": form, "goal": goal}, page="goals",
                   status=400 if request.method == "POST" else 200)


def goal_new_view(request: HttpRequest) -> HttpResponse:
    return _goal_form(request)


def goal_edit_view(request: HttpRequest, goal_id: int) -> HttpResponse:
    try:
        goal = steering.goal_get(_coordinator(request, "steering.goal.refused"), goal_id)
    except steering.NotFound as exc:
        raise Http404 from exc
    return _goal_form(request, goal)
