"""Gap reports (needs and gaps, no personal data): write one directly (jour fixe), follow the
reports of the own agency (and what became of them), and the coordination's inbox of the
district with the triage of each report: classify, merge a duplicate, close, put on an agenda."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.access.spine import AccessDenied
from lotse.gaps.models import GapSource, GapStatus
from lotse.gaps.selectors import (
    GapReportNotFound,
    InboxFilter,
    coordinator_inbox,
    follow_ups,
    may_see_inbox,
    merge_candidates,
    my_agency_follow_ups,
    report_for_coordination,
)
from lotse.gaps.services import (
    OPEN_STATUSES,
    gap_report_classify,
    gap_report_close,
    gap_report_create,
    gap_report_merge,
    gap_report_put_on_agenda,
)
from lotse.organisations import permissions
from lotse.organisations.models import Agency, Municipality
from lotse.steering.access import check_may_coordinate
from lotse.steering.committees import measures_of_my_agency, meeting_choices
from lotse.steering.models import MeasureStatus
from lotse.web.forms_conferences import (
    WHOLE_DISTRICT,
    GapAgendaForm,
    GapClassifyForm,
    GapCloseForm,
    GapMergeForm,
    GapReportForm,
    InboxFilterForm,
)
from lotse.web.forms_steering_committees import MeasureStatusForm


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "1")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 7 else 1


def gap_report_new_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    if not ctx.has_permission(permissions.GAP_REPORT):
        raise Http404
    form = GapReportForm(
        request.POST or None, municipalities=Municipality.objects.filter(district_id=ctx.district_id),
        agencies=Agency.objects.filter(district_id=ctx.district_id, is_active=True).order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            gap_report_create(ctx=ctx, source=GapSource.CASE_WORK, **form.service_kwargs())
        except AccessDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The gap report was sent to the coordination."))
            return redirect("web:gap-reports")
    return render(request, "web/gap_form.html", {"form": form})


def gap_reports_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    if not ctx.has_permission(permissions.GAP_REPORT):
        if may_see_inbox(ctx):
            return redirect("web:gap-inbox")
        raise Http404
    page, rows = my_agency_follow_ups(ctx, page=_page_number(request))
    return render(request, "web/gap_list.html", {
        "page": page, "rows": rows, "can_see_inbox": may_see_inbox(ctx),
        "own_measures": [(m, MeasureStatusForm(initial={"status": m.status, "status_note": m.status_note},
                                               prefix=f"m{m.pk}"))
                         for m in measures_of_my_agency(ctx)],
        "done": MeasureStatus.DONE})


def gap_inbox_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    if not may_see_inbox(ctx):
        raise Http404
    municipalities = Municipality.objects.filter(district_id=ctx.district_id)
    form = InboxFilterForm(request.GET or None, municipalities=municipalities)
    filters = InboxFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = InboxFilter(
            status=data["status"], life_area=data["life_area"],
            whole_district_only=data["municipality"] == WHOLE_DISTRICT,
            municipality_id=_page_number_or_none(data["municipality"]))
    return render(request, "web/gap_inbox.html", {
        "form": form, "page": coordinator_inbox(ctx, filters, page=_page_number(request)),
        "query": _query_without_page(request), "steering_coordinator": True})


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _page_number_or_none(value: str) -> int | None:
    """A municipality id from the (validated) filter choice, or None for 'all' / 'district'."""
    return int(value) if value.isascii() and value.isdigit() else None


# --- triage by the coordination ---------------------------------------------------------------


def _require_coordinator(request: HttpRequest) -> None:
    """Refused (and logged) unless the user coordinates the steering: 404 like a missing page."""
    try:
        check_may_coordinate(request.access, "steering.gap_report.refused")
    except AccessDenied as exc:
        raise Http404 from exc


def _district_agencies(ctx):
    return Agency.objects.filter(district_id=ctx.district_id, is_active=True).order_by("name")


def _triage_page(request: HttpRequest, report_id: int, *, status: int = 200, **forms) -> HttpResponse:
    ctx = request.access
    try:
        report = report_for_coordination(ctx, report_id)
    except (GapReportNotFound, AccessDenied) as exc:
        raise Http404 from exc
    municipalities = Municipality.objects.filter(district_id=ctx.district_id)
    context = {
        "report": report, "follow_up": follow_ups([report])[0], "steering_coordinator": True,
        "merged_from": list(report.merged_from.order_by("reported_on", "id")),
        "is_open": report.status in OPEN_STATUSES,
        "mergeable": report.status in (GapStatus.NEW, GapStatus.IN_REVIEW),
        "classify_form": forms.get("classify_form") or GapClassifyForm(
            initial=GapClassifyForm.initial_for(report), municipalities=municipalities,
            agencies=_district_agencies(ctx)),
        "merge_form": forms.get("merge_form") or GapMergeForm(candidates=merge_candidates(ctx, report)),
        "close_form": forms.get("close_form") or GapCloseForm(),
        "agenda_form": forms.get("agenda_form") or GapAgendaForm(meetings=meeting_choices(ctx)),
    }
    return render(request, "web/gap_triage.html", context, status=status)


def _add_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _triage_write(request: HttpRequest, report_id: int, form_name: str, form, write, success: str) -> HttpResponse:
    if form.is_valid():
        try:
            write(form)
        except (GapReportNotFound, AccessDenied) as exc:
            raise Http404 from exc
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("web:gap-triage", report_id=report_id)
    return _triage_page(request, report_id, status=400, **{form_name: form})


def gap_triage_view(request: HttpRequest, report_id: int) -> HttpResponse:
    _require_coordinator(request)
    return _triage_page(request, report_id)


@require_POST
def gap_classify_view(request: HttpRequest, report_id: int) -> HttpResponse:
    _require_coordinator(request)
    ctx = request.access
    form = GapClassifyForm(request.POST, municipalities=Municipality.objects.filter(district_id=ctx.district_id),
                           agencies=_district_agencies(ctx))
    return _triage_write(request, report_id, "classify_form", form,
                         lambda f: gap_report_classify(ctx=ctx, report_id=report_id, **f.service_kwargs()),
                         _("The gap report was classified."))


@require_POST
def gap_merge_view(request: HttpRequest, report_id: int) -> HttpResponse:
    _require_coordinator(request)
    ctx = request.access
    try:
        report = report_for_coordination(ctx, report_id)
    except GapReportNotFound as exc:
        raise Http404 from exc
    form = GapMergeForm(request.POST, candidates=merge_candidates(ctx, report))
    return _triage_write(request, report_id, "merge_form", form,
                         lambda f: gap_report_merge(ctx=ctx, report_id=report_id, into_id=f.cleaned_data["into"]),
                         _("The gap report was merged into the other report."))


@require_POST
def gap_close_view(request: HttpRequest, report_id: int) -> HttpResponse:
    _require_coordinator(request)
    ctx = request.access
    return _triage_write(request, report_id, "close_form", GapCloseForm(request.POST),
                         lambda f: gap_report_close(ctx=ctx, report_id=report_id, reason=f.cleaned_data["reason"]),
                         _("The gap report was closed."))


@require_POST
def gap_agenda_view(request: HttpRequest, report_id: int) -> HttpResponse:
    _require_coordinator(request)
    ctx = request.access
    form = GapAgendaForm(request.POST, meetings=meeting_choices(ctx))
    return _triage_write(request, report_id, "agenda_form", form,
                         lambda f: gap_report_put_on_agenda(ctx=ctx, report_id=report_id,
                                                            meeting_id=f.cleaned_data["meeting"],
                                                            notes=f.cleaned_data["notes"]),
                         _("The gap report is on the meeting's agenda."))
