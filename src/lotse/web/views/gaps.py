"""Gap reports (needs and gaps, no personal data): write one directly (jour fixe), follow the
reports of the own agency, and the coordination's read-only inbox of the district."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lotse.access.spine import AccessDenied
from lotse.gaps.models import GapSource
from lotse.gaps.selectors import InboxFilter, coordinator_inbox, may_see_inbox, reports_of_my_agency
from lotse.gaps.services import gap_report_create
from lotse.organisations import permissions
from lotse.organisations.models import Agency, Municipality
from lotse.web.forms_conferences import WHOLE_DISTRICT, GapReportForm, InboxFilterForm


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
    return render(request, "web/gap_list.html", {
        "page": reports_of_my_agency(ctx, page=_page_number(request)),
        "can_see_inbox": may_see_inbox(ctx)})


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
        "query": _query_without_page(request)})


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _page_number_or_none(value: str) -> int | None:
    """A municipality id from the (validated) filter choice, or None for 'all' / 'district'."""
    return int(value) if value.isascii() and value.isdigit() else None
