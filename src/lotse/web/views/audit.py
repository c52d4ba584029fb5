"""The access log for the data-protection officer: list, verification, a person's history."""

import csv

from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lotse.access.history import person_access_history
from lotse.access.spine import PersonNotFound, log_action
from lotse.audit.models import Decision
from lotse.audit.selectors import access_events
from lotse.audit.tasks import verify_audit_task
from lotse.core.models import TaskProgress
from lotse.organisations import permissions
from lotse.organisations.models import Agency
from lotse.web.forms import AuditFilterForm
from lotse.web.permission_checks import require_permission


def _require(request, permission: str) -> None:
    require_permission(request, permission)


def audit_log_view(request: HttpRequest) -> HttpResponse:
    _require(request, permissions.AUDIT_VIEW)
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = access_events(
        person_id=filters.get("person_id"), actor_id=filters.get("actor_id"),
        decision=filters.get("decision") or "",
        agency_ids=Agency.objects.filter(district_id=request.access.district_id).values("id"),
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    last_check = TaskProgress.objects.filter(owner=request.user, label="verify-audit").first()
    return render(request, "web/audit_log.html", {"form": form, "page": page, "last_check": last_check})


@require_POST
def audit_verify_start_view(request: HttpRequest) -> HttpResponse:
    _require(request, permissions.AUDIT_VIEW)
    progress = TaskProgress.objects.create(label="verify-audit", owner=request.user)
    verify_audit_task.enqueue(progress.pk)
    return redirect("web:task-progress", progress_id=progress.pk)


def task_progress_view(request: HttpRequest, progress_id: int) -> HttpResponse:
    progress = TaskProgress.objects.filter(pk=progress_id, owner=request.user).first()
    if progress is None:  # another user's task, or none: the same 404, and the refusal logged
        with transaction.atomic():
            log_action(request.access, "task_progress.refused", object_ref=f"progress:{progress_id}",
                       decision=Decision.DENIED)
        raise Http404
    template = "web/partials/_progress.html" if request.headers.get("HX-Request") else "web/task_progress.html"
    return render(request, template, {"progress": progress})


def person_access_history_view(request: HttpRequest, person_id: int) -> HttpResponse:
    _require(request, permissions.AUDIT_SUBJECT_EXPORT)
    try:
        record, rows = person_access_history(request.access, person_id)
    except PersonNotFound as exc:
        raise Http404 from exc
    fmt = request.GET.get("format", "")
    if fmt == "json":
        response = JsonResponse({"person_id": person_id, "events": [r.__dict__ for r in rows]})
        response["Content-Disposition"] = f'attachment; filename="zugriffe-{person_id}.json"'
        return response
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="zugriffe-{person_id}.csv"'
        writer = csv.writer(response)
        writer.writerow(["seq", "time", "agency", "action", "categories", "purpose", "decision", "basis"])
        for r in rows:
            writer.writerow([r.seq, r.time, r.agency, r.action, r.categories, r.purpose, r.decision, r.basis])
        return response
    return render(request, "web/access_history.html", {"person": record.person, "rows": rows})


