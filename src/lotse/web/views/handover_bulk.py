"""Bulk change of benefits regime for a whole group (coordinators, social-office leads): choose
the rule and the reference date → preview with counts and exceptions → start → progress (htmx
polling; without JavaScript by reloading) → report with every skipped person id and the reason,
also as CSV. Persons appear by id only: these users have no access to persons."""

import csv

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from lotse.access.spine import AccessDenied
from lotse.handovers.bulk import (
    BulkRunNotFound,
    bulk_preview,
    bulk_report,
    bulk_run_for,
    bulk_run_resume,
    bulk_run_start,
    bulk_runs,
    may_resume,
    reason_label,
)
from lotse.handovers.models import BulkRunStatus
from lotse.organisations import permissions
from lotse.rules.models import RegimeChangeRule
from lotse.web.forms import IsoDateInput, KernFormMixin
from lotse.web.views.common import error_text

REPORT_PAGE_SIZE = 200


class BulkChangeForm(KernFormMixin, forms.Form):
    rule = forms.ChoiceField(label=gettext_lazy("Rule for the change"))
    on = forms.DateField(
        label=gettext_lazy("Reference date"), widget=IsoDateInput,
        help_text=gettext_lazy("The group: every person of the district whose residence status of the "
                               "rule's kinds is valid on this day."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [
            (rule.key, f"{rule.name} ({rule.legal_reference})")
            for rule in RegimeChangeRule.objects.order_by("valid_from", "key")]

    def add_service_errors(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, exc.messages)


def _require(request: HttpRequest) -> None:
    if not request.access.has_permission(permissions.HANDOVER_BULK):
        raise Http404


def handover_bulk_view(request: HttpRequest) -> HttpResponse:
    _require(request)
    ctx = request.access
    preview = None
    if request.method == "POST":
        form = BulkChangeForm(request.POST)
        if form.is_valid():
            try:
                run = bulk_run_start(ctx, form.cleaned_data["rule"], form.cleaned_data["on"])
            except AccessDenied as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("The change was started. It runs in the background."))
                return redirect("web:handover-bulk-run", run_id=run.pk)
    elif "rule" in request.GET or "on" in request.GET:
        form = BulkChangeForm(request.GET)
        if form.is_valid():
            try:
                preview = bulk_preview(ctx, form.cleaned_data["rule"], form.cleaned_data["on"])
            except AccessDenied as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                form.add_service_errors(exc)
    else:
        form = BulkChangeForm()
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "web/handover_bulk.html", {
        "form": form, "preview": preview, "runs": bulk_runs(ctx)}, status=status)


def _progress_context(run) -> dict:
    done = run.created + run.skipped
    total = max(run.total, done)
    percent = 100 if run.status == BulkRunStatus.FINISHED else (int(100 * done / total) if total else 0)
    return {"run": run, "done": done, "total": total, "percent": percent}


def handover_bulk_run_view(request: HttpRequest, run_id: int) -> HttpResponse:
    _require(request)
    ctx = request.access
    try:
        run = bulk_run_for(ctx, run_id)
    except BulkRunNotFound as exc:
        raise Http404 from exc
    if request.method == "POST":
        try:
            bulk_run_resume(ctx, run.pk)
        except (AccessDenied, ValidationError) as exc:
            messages.error(request, _("Not resumed: %(errors)s") % {"errors": error_text(exc)})
        else:
            messages.success(request, _("The change continues after the last completed batch."))
        return redirect("web:handover-bulk-run", run_id=run.pk)
    context = _progress_context(run)
    if request.headers.get("HX-Request"):
        response = render(request, "web/handover_bulk_progress.html", context)
        if run.status != BulkRunStatus.RUNNING:
            response["HX-Refresh"] = "true"  # the whole page then shows the report
        return response
    context["may_resume"] = may_resume(run)
    if run.status == BulkRunStatus.FINISHED:
        report = bulk_report(ctx, run.pk)
        context["report"] = report
        context["page"] = Paginator(
            [(row["person_id"], reason_label(row["reason"])) for row in report.skipped],
            REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/handover_bulk_run.html", context)


@require_GET
def handover_bulk_report_csv_view(request: HttpRequest, run_id: int) -> HttpResponse:
    _require(request)
    try:
        report = bulk_report(request.access, run_id)
    except BulkRunNotFound as exc:
        raise Http404 from exc
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rechtskreiswechsel-{report.run.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(["person_id", "reason", "reason_text"])
    for row in report.skipped:
        writer.writerow([row["person_id"], row["reason"], reason_label(row["reason"])])
    return response
