"""The needs analysis (steering:view): newcomers, capacity and newcomers per FTE per
municipality as charts, each with a table of the same numbers below it, and the proposal to
distribute positions; for coordinators (steering:coordinate) the statistics import and the
capacity table."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lotse.access.spine import AccessDenied
from lotse.organisations.models import Municipality
from lotse.steering import needs
from lotse.steering.access import may_coordinate, may_view
from lotse.steering.capacity import (
    CapacityEntry,
    CapacityNotFound,
    capacities_of_district,
    capacities_set,
    welfare_associations,
)
from lotse.steering.models import ResidentStatistic
from lotse.steering.statistics_import import MAX_BYTES, resident_statistics_import, template_csv
from lotse.web.charts import Bar, BarChart
from lotse.web.forms import add_service_errors
from lotse.web.forms_steering_needs import (
    CapacityForm,
    NeedsForm,
    ProposalForm,
    StatisticsImportForm,
    last_quarter_end,
)
from lotse.web.views.common import file_response


def needs_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    if not may_view(ctx):
        raise Http404
    form = NeedsForm(request.GET if {"on", "source"} & set(request.GET) else None)
    status = 200
    on, source = last_quarter_end(ctx.today), needs.REGISTRY
    if form.is_bound:
        if form.is_valid():
            source = form.cleaned_data["source"] or source
            on = form.cleaned_data["on"] or (on if source == needs.REGISTRY else ctx.today)
        else:
            status = 400
    try:
        analysis = needs.needs_analysis(ctx, on=on, source=source)
    except AccessDenied as exc:
        raise Http404 from exc
    proposal_form = ProposalForm(request.GET if "positions" in request.GET else None,
                                 initial={"method": "hare_niemeyer", "unit": needs.HALF})
    proposal = None
    if proposal_form.is_bound:
        if proposal_form.is_valid():
            data = proposal_form.cleaned_data
            try:
                proposal = needs.proposal(analysis, data["positions"], method=data["method"], unit=data["unit"])
            except ValidationError as exc:
                add_service_errors(proposal_form, exc)
        if proposal is None:
            status = 400
    return render(request, "web/steering_needs.html", {
        "form": form, "analysis": analysis, "proposal_form": proposal_form, "proposal": proposal,
        "charts": _charts(analysis), "steering_coordinator": may_coordinate(ctx)}, status=status)



def _charts(analysis: needs.NeedsAnalysis) -> list[BarChart]:
    hidden, no_figures = _("not shown"), _("no figures")
    newcomers = [Bar(row.name, row.newcomers,
                     number_format(row.newcomers, force_grouping=True) if row.newcomers is not None
                     else hidden if row.hidden else no_figures)
                 for row in analysis.rows]
    per_fte = [Bar(row.name, float(row.newcomers_per_fte) if row.newcomers_per_fte is not None else None,
                   number_format(row.newcomers_per_fte, 1) if row.newcomers_per_fte is not None
                   else hidden if row.hidden else no_figures if not row.has_figures else _("no capacity"))
               for row in analysis.rows]
    return [
        BarChart(chart_id="needs-newcomers", title=_("Newcomers of the last 12 months per municipality"),
                 description=_("Horizontal bars, one per municipality; the same numbers are in the table "
                               "below the chart."), bars=newcomers),
        BarChart(chart_id="needs-per-fte", title=_("Newcomers per full-time equivalent of welcome counselling"),
                 description=_("Horizontal bars, one per municipality; the same numbers are in the table "
                               "below the chart."), bars=per_fte),
    ]


def statistics_import_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    if not may_coordinate(ctx):
        raise Http404
    form = StatisticsImportForm(request.POST or None, request.FILES or None)
    result, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = resident_statistics_import(ctx=ctx, data=upload.read(MAX_BYTES + 1),
                                                    source=form.cleaned_data["source"])
            except AccessDenied as exc:
                raise Http404 from exc
            if result.accepted:
                messages.success(request, _("The statistics were imported. New rows: %(created)s; replaced: "
                                            "%(replaced)s.") % {"created": result.created,
                                                                "replaced": result.replaced})
                return redirect("web:steering-statistics-import")
        status = 400
    tables = (ResidentStatistic.objects.filter(district_id=ctx.district_id)
              .values("reference_date", "source").annotate(municipalities=Count("id"), imported=Max("imported_at"))
              .order_by("-reference_date", "source")[:20])
    return render(request, "web/steering_needs_import.html", {
        "form": form, "result": result, "tables": tables, "max_mb": MAX_BYTES // (1024 * 1024),
        "steering_coordinator": True}, status=status)


def statistics_template_view(request: HttpRequest) -> HttpResponse:
    if not may_coordinate(request.access):
        raise Http404
    return file_response(template_csv().encode("utf-8"), "statistik-vorlage.csv", "text/csv; charset=utf-8",
                         inline=False)


def capacity_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    if not may_coordinate(ctx):
        raise Http404
    capacities = list(capacities_of_district(ctx))
    current = {(c.agency_id, c.municipality_id): c.fte for c in capacities}
    associations = {a.pk: a for a in welfare_associations(ctx)}
    for capacity in capacities:  # an association no longer active keeps its column while it has capacity
        associations.setdefault(capacity.agency_id, capacity.agency)
    columns = sorted(associations.values(), key=lambda a: a.name)
    form = CapacityForm(request.POST or None, associations=columns, current=current,
                        municipalities=Municipality.objects.filter(district_id=ctx.district_id).order_by("name"))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                changes = capacities_set(ctx=ctx, entries=[CapacityEntry(*change) for change in form.changes()])
            except (AccessDenied, CapacityNotFound) as exc:
                raise Http404 from exc
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Capacity saved. Set: %(saved)s; removed: %(removed)s.")
                                 % {"saved": changes.saved, "removed": changes.removed})
                return redirect("web:steering-capacity")
        status = 400
    rows = [(municipality, fields, _sum(fte for (_a, m), fte in current.items() if m == municipality.pk))
            for municipality, fields, _cells in form.cells]
    column_totals = [_sum(fte for (a, _m), fte in current.items() if a == agency.pk) for agency in columns]
    return render(request, "web/steering_needs_capacity.html", {
        "form": form, "columns": columns, "rows": rows, "column_totals": column_totals,
        "total": _sum(current.values()), "steering_coordinator": True}, status=status)


def _sum(values) -> Decimal:
    return sum(values, Decimal("0"))
