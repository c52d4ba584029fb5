"""Case pages: caseload, opening a case, the case page with its phase, notes, documents and
tasks. The intake, plan, referral and conference parts come from their own selectors."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.access.spine import AccessDenied, PersonNotFound, access_person
from lotse.cases.models import PHASE_ORDER, Phase
from lotse.cases.selectors import (
    CaseloadFilter,
    CaseNotFound,
    case_detail,
    case_purpose,
    caseload,
    document_for_download,
)
from lotse.cases.services import (
    case_assign,
    case_close,
    case_open,
    case_set_next_contact,
    case_set_phase,
    document_add,
    note_add,
    task_add,
    task_done,
)
from lotse.conferences.selectors import conferences_for_case
from lotse.core.vocabulary import DataCategory
from lotse.intake.selectors import intake_summaries
from lotse.organisations import permissions
from lotse.plans.selectors import plan_summary
from lotse.referrals.selectors import referrals_for_case
from lotse.web.forms_cases import (
    CaseAssignForm,
    CaseCloseForm,
    CaseloadFilterForm,
    CaseOpenForm,
    CasePhaseForm,
    DocumentForm,
    NextContactForm,
    NoteForm,
    TaskForm,
)
from lotse.web.views.common import error_text, form_error_text, write_and_report


def _require(ctx, permission: str) -> None:
    if not ctx.has_permission(permission):
        raise Http404


def caseload_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    _require(ctx, permissions.CASE_MANAGE)
    team = request.GET.get("view") == "team" and ctx.has_permission(permissions.CASE_TEAM_VIEW)
    form = CaseloadFilterForm(request.GET or None, ctx=ctx, team=team)
    filters = CaseloadFilter(team=team)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = CaseloadFilter(
            team=team, phase=data["phase"], focus_area=data["focus_area"],
            municipality_id=data["municipality"].pk if data["municipality"] else None,
            overdue_only=data["overdue"], next_contact_until=data["next_contact_until"],
            case_manager_id=data["case_manager"].pk if team and data.get("case_manager") else None,
            include_closed=data["closed"],
        )
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    page = caseload(ctx, filters, page=page_number)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "web/caseload.html", {
        "form": form, "page": page, "team": team, "today": ctx.today, "query": query.urlencode(),
        "can_team": ctx.has_permission(permissions.CASE_TEAM_VIEW),
    })


def case_open_view(request: HttpRequest, person_id: int) -> HttpResponse:
    ctx = request.access
    _require(ctx, permissions.CASE_MANAGE)
    try:
        record = access_person(ctx, person_id, case_purpose(ctx), categories=[DataCategory.IDENTITY],
                               action="case.open_form")
    except PersonNotFound as exc:
        raise Http404 from exc
    can_assign = ctx.has_permission(permissions.CASE_ASSIGN)
    form = CaseOpenForm(request.POST or None, ctx=ctx, can_assign=can_assign)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        manager = data.get("case_manager")
        try:
            case = case_open(ctx=ctx, person_id=person_id, focus_area=data["focus_area"],
                             case_manager_id=manager.pk if manager else None,
                             next_contact_on=data["next_contact_on"])
        except AccessDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The case was opened."))
            return redirect("web:case-detail", case_id=case.pk)
    return render(request, "web/case_open.html", {"form": form, "person": record.person})


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def case_detail_view(request: HttpRequest, case_id: int) -> HttpResponse:
    ctx = request.access
    try:
        detail = case_detail(ctx, case_id)
    except CaseNotFound as exc:
        raise Http404 from exc
    case = detail.case
    can_edit = detail.is_own_agency and case.is_open and ctx.has_permission(permissions.CASE_MANAGE)
    current = PHASE_ORDER.index(case.phase)
    phases = [(value, Phase(value).label, index < current, index == current)
              for index, value in enumerate(PHASE_ORDER)]
    context = {
        "detail": detail, "case": case, "person": detail.record.person, "phases": phases,
        "can_edit": can_edit, "today": ctx.today,
        "intakes": intake_summaries(detail), "plan": plan_summary(detail),
        "referrals": referrals_for_case(detail), "conferences": conferences_for_case(detail),
        "basis": detail.explain(DataCategory.COUNSELLING_NOTES),
    }
    if can_edit:
        # Several forms share field names (title, kind, category): one id prefix per form, so
        # every label names its own field.
        context.update({
            "phase_form": CasePhaseForm(initial={"phase": case.phase}, auto_id="phase-%s"),
            "next_contact_form": NextContactForm(initial={"next_contact_on": case.next_contact_on},
                                                 auto_id="next-contact-%s"),
            "note_form": NoteForm(ctx=ctx, auto_id="note-%s"),
            "document_form": DocumentForm(ctx=ctx, auto_id="document-%s"),
            "task_form": TaskForm(ctx=ctx, auto_id="task-%s"), "close_form": CaseCloseForm(),
            "assign_form": CaseAssignForm(ctx=ctx, initial={"case_manager": case.case_manager_id},
                                          auto_id="assign-%s")
            if ctx.has_permission(permissions.CASE_ASSIGN) else None,
        })
    return render(request, "web/case_detail.html", context)


def _case_post(request, case_id: int, form, write, success: str) -> HttpResponse:
    """Run a write from a small form on the case page; errors come back as a message."""
    if not form.is_valid():
        messages.error(request, _("Not saved: %(errors)s") % {"errors": form_error_text(form)})
    else:
        write_and_report(request, lambda: write(form.cleaned_data), success, not_found=(CaseNotFound,))
    return redirect("web:case-detail", case_id=case_id)


@require_POST
def case_assign_view(request: HttpRequest, case_id: int) -> HttpResponse:
    ctx = request.access
    return _case_post(request, case_id, CaseAssignForm(request.POST, ctx=ctx),
                      lambda d: case_assign(ctx=ctx, case_id=case_id, case_manager_id=d["case_manager"].pk),
                      _("The case was assigned."))


@require_POST
def case_phase_view(request: HttpRequest, case_id: int) -> HttpResponse:
    ctx = request.access
    return _case_post(request, case_id, CasePhaseForm(request.POST),
                      lambda d: case_set_phase(ctx=ctx, case_id=case_id, phase=d["phase"]),
                      _("The phase was changed."))


@require_POST
def case_next_contact_view(request: HttpRequest, case_id: int) -> HttpResponse:
    ctx = request.access
    return _case_post(request, case_id, NextContactForm(request.POST),
                      lambda d: case_set_next_contact(ctx=ctx, case_id=case_id,
                                                      next_contact_on=d["next_contact_on"]),
                      _("The next contact was saved."))


def case_close_view(request: HttpRequest, case_id: int) -> HttpResponse:
    ctx = request.access
    try:
        detail = case_detail(ctx, case_id)
    except CaseNotFound as exc:
        raise Http404 from exc
    if not (detail.is_own_agency and detail.case.is_open and ctx.has_permission(permissions.CASE_MANAGE)):
        raise Http404
    form = CaseCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case_close(ctx=ctx, case_id=case_id, reason=data["reason"], outcome=data["outcome"],
                       note=data["note"])
        except AccessDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The case was closed."))
            return redirect("web:case-detail", case_id=case_id)
    return render(request, "web/case_close.html", {"form": form, "case": detail.case,
                                                   "person": detail.record.person})


@require_POST
def note_add_view(request: HttpRequest, case_id: int) -> HttpResponse:
    ctx = request.access
    return _case_post(request, case_id, NoteForm(request.POST, ctx=ctx),
                      lambda d: note_add(ctx=ctx, case_id=case_id, category=d["category"], text=d["text"]),
                      _("The note was saved."))


@require_POST
def document_add_view(request: HttpRequest, case_id: int) -> HttpResponse:
    ctx = request.access
    return _case_post(request, case_id, DocumentForm(request.POST, request.FILES, ctx=ctx),
                      lambda d: document_add(ctx=ctx, case_id=case_id, kind=d["kind"], title=d["title"],
                                             category=d["category"], upload=d["file"]),
                      _("The document was uploaded."))


def document_download_view(request: HttpRequest, document_id: int) -> HttpResponse:
    try:
        document = document_for_download(request.access, document_id)
    except CaseNotFound as exc:
        raise Http404 from exc
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}[document.content_type]
    response = FileResponse(document.file.open("rb"), content_type=document.content_type,
                            as_attachment=True, filename=f"dokument-{document.pk}.{extension}")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def task_add_view(request: HttpRequest, case_id: int) -> HttpResponse:
    ctx = request.access
    return _case_post(request, case_id, TaskForm(request.POST, ctx=ctx),
                      lambda d: task_add(ctx=ctx, case_id=case_id, kind=d["kind"], title=d["title"],
                                         due_on=d["due_on"],
                                         assignee_id=d["assignee"].pk if d["assignee"] else None),
                      _("The task was added."))


@require_POST
def task_done_view(request: HttpRequest, task_id: int) -> HttpResponse:
    ctx = request.access
    try:
        task = task_done(ctx=ctx, task_id=task_id)
    except (AccessDenied, ValidationError) as exc:
        messages.error(request, _("Not saved: %(errors)s") % {"errors": error_text(exc)})
        return redirect("web:home")
    messages.success(request, _("The task is done."))
    target = request.POST.get("next", "")
    if target == "home":
        return redirect("web:home")
    return redirect("web:case-detail", case_id=task.case_id)
