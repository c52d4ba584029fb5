"""The foreigners' authority's eAT appointments: overview with the daily run, the permit
register and its import, proposals, appointments with letter and calendar file, the print run,
the desk and the figures. Thin views: parse, call a selector or service, render."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.access.spine import AccessDenied
from lotse.appointments.figures import MIN_CELL, FiguresNotAllowed, appointment_figures, figures_available
from lotse.appointments.ics import ics_filename, invitation_ics
from lotse.appointments.letter import invitation_letters_pdf, invitation_pdf, letter_filename
from lotse.appointments.models import AssignmentRun, DailySchedule, PermitImport, ProposalStatus
from lotse.appointments.permit_import import permit_import_run, permit_import_template_csv
from lotse.appointments.scan import expiry_scan
from lotse.appointments.selectors import (
    AppointmentNotVisible,
    AppointmentView,
    LetterNotReady,
    appointment_detail,
    appointment_page,
    appointments_available,
    desk_day,
    letter_for,
    letters_to_print,
    offices_for,
    permit_register_page,
    proposal_counts,
    proposal_page,
    staff_link,
)
from lotse.appointments.services import (
    AppointmentNotFound,
    appointment_cancel,
    appointment_invite,
    appointment_new_link,
    desk_check_in,
    desk_no_show,
    desk_outcome,
    letters_mark_printed,
    require_permission,
)
from lotse.appointments.tasks import invite_planned, plan_task
from lotse.organisations import permissions
from lotse.web.forms_appointments import (
    AppointmentViewForm,
    DeskDayForm,
    FiguresForm,
    OutcomeForm,
    PermitImportForm,
    RegisterFilterForm,
)
from lotse.web.views.common import file_response, page_number, public_base_url, write_and_report


def _require(ctx, permission: str | None = None) -> None:
    if not appointments_available(ctx) or (permission and not ctx.has_permission(permission)):
        raise Http404


def _require_desk(ctx, action: str) -> None:
    """The desk's writes: 404 for other agencies; a user of the authority without the desk
    permission is refused through the service's check, so the refusal is logged, then 404."""
    _require(ctx)
    if not ctx.has_permission(permissions.APPOINTMENTS_DESK):
        try:
            require_permission(ctx, permissions.APPOINTMENTS_DESK, action)
        except AccessDenied as exc:
            raise Http404 from exc
        raise Http404


# --- overview -------------------------------------------------------------------------------

def appointments_home_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    _require(ctx)
    return render(request, "web/appointments_home.html", {
        "counts": proposal_counts(ctx),
        "schedule": DailySchedule.objects.filter(agency_id=ctx.agency_id).first(),
        "runs": AssignmentRun.objects.filter(agency_id=ctx.agency_id)[:5],
        "can_manage": ctx.has_permission(permissions.APPOINTMENTS_MANAGE),
        "can_desk": ctx.has_permission(permissions.APPOINTMENTS_DESK),
    })


@require_POST
def appointments_scan_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    _require(ctx, permissions.APPOINTMENTS_MANAGE)
    report = expiry_scan(ctx)
    messages.success(request, _("Expiry scan done: %(n)s new proposals (%(expiry)s expiring titles, %(first)s first "
                                "eATs).") % {"n": report.created, "expiry": report.expiry, "first": report.first_eat})
    return redirect("web:appointments")


@require_POST
def appointments_plan_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    _require(ctx, permissions.APPOINTMENTS_MANAGE)
    plan_task.enqueue(ctx.agency_id, ctx.user_id)
    messages.success(request, _("The assignment of the open proposals was started. Its result appears below."))
    return redirect("web:appointments")


@require_POST
def appointments_invite_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    _require(ctx, permissions.APPOINTMENTS_MANAGE)
    result = invite_planned(ctx)
    messages.success(request, _("%(n)s appointments invited, %(emails)s of them by e-mail; the others are waiting "
                                "to be printed.") % {"n": result["invited"], "emails": result["emails"]})
    return redirect("web:appointments")


# --- permit register and import -------------------------------------------------------------

def register_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    _require(ctx)
    form = RegisterFilterForm(request.GET or None)
    values = form.values()
    return render(request, "web/appointments_register.html", {
        "form": form, "values": values, "today": ctx.today,
        "pager_query": f"show={values['show']}&weeks={values['weeks']}&",
        "page": permit_register_page(ctx, show=values["show"], weeks=values["weeks"], page=page_number(request)),
        "can_manage": ctx.has_permission(permissions.APPOINTMENTS_MANAGE),
    })


def import_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    _require(ctx, permissions.APPOINTMENTS_MANAGE)
    form = PermitImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                record = permit_import_run(ctx=ctx, data=upload.read(), file_name=upload.name[:200],
                                           encoding=form.cleaned_data["encoding"])
            except AccessDenied as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("web:appointments-import-report", import_id=record.pk)
        status = 400
    imports = PermitImport.objects.filter(agency_id=ctx.agency_id)[:10]
    return render(request, "web/appointments_import.html", {"form": form, "imports": imports}, status=status)


def import_report_view(request: HttpRequest, import_id: int) -> HttpResponse:
    ctx = request.access
    _require(ctx, permissions.APPOINTMENTS_MANAGE)
    record = PermitImport.objects.filter(pk=import_id, agency_id=ctx.agency_id).first()
    if record is None:
        raise Http404
    return render(request, "web/appointments_import_report.html", {"record": record})


def import_template_view(request: HttpRequest) -> HttpResponse:
    _require(request.access, permissions.APPOINTMENTS_MANAGE)
    return file_response(permit_import_template_csv().encode("utf-8"), "aufenthaltstitel-vorlage.csv",
                         "text/csv; charset=utf-8", inline=False)


# --- proposals and appointments -------------------------------------------------------------

def proposals_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    _require(ctx)
    status = request.GET.get("status", ProposalStatus.OPEN)
    if status not in ProposalStatus.values:
        status = ProposalStatus.OPEN
    return render(request, "web/appointments_proposals.html", {
        "page": proposal_page(ctx, status=status, page=page_number(request)), "status": status,
        "statuses": ProposalStatus.choices,
    })


def appointment_list_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    _require(ctx)
    form = AppointmentViewForm(request.GET or None)
    view = (form.cleaned_data.get("view") if form.is_valid() else "") or AppointmentView.UPCOMING
    return render(request, "web/appointments_list.html", {
        "page": appointment_page(ctx, view=view, page=page_number(request)), "view": view,
        "can_manage": ctx.has_permission(permissions.APPOINTMENTS_MANAGE),
    })


def _detail_or_404(ctx, appointment_id: int):
    try:
        return appointment_detail(ctx, appointment_id)
    except AppointmentNotVisible as exc:
        raise Http404 from exc


def appointment_detail_view(request: HttpRequest, appointment_id: int) -> HttpResponse:
    ctx = request.access
    _require(ctx)
    row = _detail_or_404(ctx, appointment_id)
    link = staff_link(row.appointment)
    return render(request, "web/appointments_detail.html", {
        "row": row, "appointment": row.appointment,
        "link": request.build_absolute_uri(link) if link else "",
        "can_manage": ctx.has_permission(permissions.APPOINTMENTS_MANAGE),
    })


@require_POST
def appointment_invite_view(request: HttpRequest, appointment_id: int) -> HttpResponse:
    ctx = request.access
    _require(ctx, permissions.APPOINTMENTS_MANAGE)
    if write_and_report(request, lambda: appointment_invite(ctx=ctx, appointment_id=appointment_id),
                        _("The appointment is invited; the letter can be printed."),
                        not_found=(AppointmentNotFound,)):
        from lotse.appointments.tasks import send_invitation_task

        row = _detail_or_404(ctx, appointment_id)
        if row.appointment.invited_by_email:
            send_invitation_task.enqueue(appointment_id, public_base_url(request))
    return redirect("web:appointment-detail", appointment_id=appointment_id)


def _appointment_action(request: HttpRequest, appointment_id: int, *, service, success: str) -> HttpResponse:
    ctx = request.access
    _require(ctx, permissions.APPOINTMENTS_MANAGE)
    write_and_report(request, lambda: service(ctx=ctx, appointment_id=appointment_id), success,
                     not_found=(AppointmentNotFound,))
    return redirect("web:appointment-detail", appointment_id=appointment_id)


@require_POST
def appointment_new_link_view(request: HttpRequest, appointment_id: int) -> HttpResponse:
    return _appointment_action(request, appointment_id, service=appointment_new_link, success=_(
        "A new personal link was made; the old one no longer works. Print the letter again."))


@require_POST
def appointment_cancel_view(request: HttpRequest, appointment_id: int) -> HttpResponse:
    return _appointment_action(request, appointment_id, service=appointment_cancel,
                               success=_("The appointment was cancelled; its persons wait for a new one."))


def _letter_or_404(request, appointment_id: int):
    try:
        return letter_for(request.access, appointment_id, base_url=public_base_url(request))
    except (AppointmentNotVisible, LetterNotReady) as exc:
        raise Http404 from exc


def letter_pdf_view(request: HttpRequest, appointment_id: int) -> HttpResponse:
    _require(request.access, permissions.APPOINTMENTS_MANAGE)
    letter = _letter_or_404(request, appointment_id)
    return file_response(invitation_pdf(letter), letter_filename(letter), "application/pdf")


def letter_ics_view(request: HttpRequest, appointment_id: int) -> HttpResponse:
    _require(request.access, permissions.APPOINTMENTS_MANAGE)
    letter = _letter_or_404(request, appointment_id)
    return file_response(invitation_ics(letter), ics_filename(letter), "text/calendar; charset=utf-8", inline=False)


def print_run_view(request: HttpRequest) -> HttpResponse:
    """GET: all letters waiting to be printed in one PDF; POST: mark them printed."""
    ctx = request.access
    _require(ctx, permissions.APPOINTMENTS_MANAGE)
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("appointment") if v.isdigit() and len(v) < 12]
        try:
            count = letters_mark_printed(ctx=ctx, appointment_ids=ids)
        except AccessDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(n)s letters marked as printed.") % {"n": count})
        return redirect(f"{reverse('web:appointment-list')}?view={AppointmentView.TO_PRINT}")
    letters = letters_to_print(ctx, base_url=public_base_url(request))
    if not letters:
        messages.info(request, _("No letters are waiting to be printed."))
        return redirect("web:appointments")
    day = timezone.localdate().isoformat()
    return file_response(invitation_letters_pdf(letters), f"einladungen-{day}.pdf", "application/pdf")


# --- the desk -------------------------------------------------------------------------------

def desk_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    _require(ctx, permissions.APPOINTMENTS_DESK)
    offices = offices_for(ctx)
    form = DeskDayForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    office = next((o for o in offices if o.pk == data.get("office")), offices[0] if offices else None)
    day = data.get("day") or ctx.today
    counters = desk_day(ctx, office_id=office.pk, day=day) if office else []
    return render(request, "web/appointments_desk.html", {
        "offices": offices, "office": office, "day": day, "counters": counters, "today": ctx.today,
        "is_today": day == ctx.today, "outcome_form": OutcomeForm(),
        "previous_day": day - datetime.timedelta(days=1), "next_day": day + datetime.timedelta(days=1),
    })


def _back_to_desk(request, appointment_id: int | None = None):
    office = request.POST.get("office", "")
    day = request.POST.get("day", "")
    query = []
    if office.isdigit() and len(office) < 12:
        query.append(f"office={office}")
    try:
        query.append(f"day={datetime.date.fromisoformat(day).isoformat()}")
    except ValueError:
        pass
    anchor = f"#appointment-{appointment_id}" if appointment_id else ""
    return redirect(f"{reverse('web:appointments-desk')}?{'&'.join(query)}{anchor}")


def _desk_action(request: HttpRequest, appointment_id: int, *, action: str, service, success: str) -> HttpResponse:
    ctx = request.access
    _require_desk(ctx, action)
    write_and_report(request, lambda: service(ctx=ctx, appointment_id=appointment_id), success,
                     not_found=(AppointmentNotFound,))
    return _back_to_desk(request, appointment_id)


@require_POST
def desk_check_in_view(request: HttpRequest, appointment_id: int) -> HttpResponse:
    return _desk_action(request, appointment_id, action="appointment.check_in", service=desk_check_in,
                        success=_("Checked in."))


@require_POST
def desk_no_show_view(request: HttpRequest, appointment_id: int) -> HttpResponse:
    return _desk_action(request, appointment_id, action="appointment.no_show", service=desk_no_show,
                        success=_("Marked as missed. A new invitation is proposed."))


@require_POST
def desk_outcome_view(request: HttpRequest, member_id: int) -> HttpResponse:
    ctx = request.access
    _require_desk(ctx, "appointment.outcome")
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not saved: %(errors)s") % {"errors": _("Choose an outcome.")})
        return _back_to_desk(request)
    write_and_report(request, lambda: desk_outcome(ctx=ctx, member_id=member_id,
                                                   outcome=form.cleaned_data["outcome"]),
                     _("The outcome was recorded."), not_found=(AppointmentNotFound,))
    return _back_to_desk(request)


# --- figures --------------------------------------------------------------------------------

def figures_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    if not figures_available(ctx):
        raise Http404
    form = FiguresForm(request.GET or None)
    today = ctx.today
    default_first = (today.replace(day=1) - datetime.timedelta(days=150)).replace(day=1)
    rows, status = [], 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        data = form.cleaned_data if form.is_bound else {}
        try:
            rows = appointment_figures(ctx, first_month=data.get("first") or default_first,
                                       last_month=data.get("last") or today)
        except FiguresNotAllowed as exc:
            raise Http404 from exc
        except ValidationError:
            status = 400
    return render(request, "web/appointments_figures.html", {"form": form, "rows": rows, "min_cell": MIN_CELL},
                  status=status)
