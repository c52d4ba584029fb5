"""The steering dashboard (key figures per municipality and period, with the previous period
beside them, goals and count tables) and the anonymous export of the same figures as CSV and
PDF. Aggregates only: the figures come from `steering.kpis` through its door; small cells are
suppressed by `steering.report` the same way on the page and in both exports."""

import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from lotse.core.printing import write_tagged_pdf
from lotse.organisations.models import District
from lotse.steering import kpis
from lotse.steering.access import may_coordinate, may_view
from lotse.steering.models import Goal
from lotse.steering.periods import Period
from lotse.steering.report import ShownKpi, report_csv, shown_kpi, shown_table
from lotse.steering.suppression import THRESHOLD
from lotse.web.charts import Bar, BarChart

PDF_TEMPLATE = "steering/report.html"


def period_choices(today: datetime.date, chosen: Period | None = None) -> list[tuple[str, str]]:
    """This quarter and the seven before it, plus a chosen older quarter.

    Only calendar quarters: they do not overlap, so no figure of one period can be subtracted
    from another to give a hidden one (a year minus three of its quarters, a quarter minus two
    of its months would)."""
    period, choices = Period.containing(today, "quarter"), []
    for _index in range(8):
        choices.append((period.key, period.label))
        period = period.previous()
    if chosen is not None and (chosen.key, chosen.label) not in choices:
        choices.append((chosen.key, chosen.label))
    return choices


def _period(request: HttpRequest) -> tuple[Period | None, str]:
    """The quarter asked for (default: this quarter), or None and the message for a bad one."""
    today = request.access.today
    text = request.GET.get("period", "")
    if not text:
        return Period.containing(today, "quarter"), ""
    try:
        period = Period.parse(text)
    except ValueError as exc:
        return None, str(exc)
    if period.kind != "quarter":
        return None, _("Key figures are shown per quarter (for example 2026-Q3), so that no figure can be "
                       "worked out from those of overlapping periods.")
    if period.start > today:
        return None, _("The period has not begun yet. Choose a period up to today.")
    return period, ""


def _chart(index: int, kpi: ShownKpi) -> BarChart:
    definition = kpi.definition
    return BarChart(
        chart_id=f"kpi-{index}", title=f"{definition.title} ({definition.unit})",
        description=_("One bar per municipality; the table beside the chart has the same numbers."),
        bars=[Bar(row.name, row.value, row.value_text) for row in kpi.rows],
        target=definition.target, target_label=str(definition.target_text or ""))


def _goals(ctx, report) -> list[dict]:
    goals = Goal.objects.filter(district_id=ctx.district_id, active=True).prefetch_related("measures")
    codes = {result.definition.code for result in report.results}
    return [{"goal": goal, "kpi": shown_kpi(report.result(goal.indicator)) if goal.indicator in codes else None,
             "measures": list(goal.measures.all())} for goal in goals]


def dashboard_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    if not may_view(ctx):
        raise Http404
    period, error = _period(request)
    context = {"steering_page": "dashboard", "choices": period_choices(ctx.today, period),
               "threshold": THRESHOLD, "can_coordinate": may_coordinate(ctx)}
    if period is None:
        return render(request, "web/steering_dashboard.html", {**context, "error": error}, status=400)
    report = kpis.compute_kpis(ctx, period)
    shown = [shown_kpi(result) for result in report.results]
    return render(request, "web/steering_dashboard.html", {
        **context, "period": period, "previous_period": report.previous_period,
        "kpis": [(kpi, _chart(index, kpi)) for index, kpi in enumerate(shown, start=1)],
        "tables": [shown_table(table) for table in kpis.count_tables(ctx, period)],
        "goals": _goals(ctx, report)})


def _export_parts(request: HttpRequest):
    ctx = request.access
    if not may_view(ctx):
        raise Http404
    period, error = _period(request)
    if period is None:
        return None, HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    report = kpis.compute_kpis(ctx, period)
    return {
        "district": District.objects.get(pk=ctx.district_id), "period": period,
        "previous_period": report.previous_period, "kpis": [shown_kpi(r) for r in report.results],
        "tables": [shown_table(table) for table in kpis.count_tables(ctx, period)],
        "threshold": THRESHOLD, "created_on": ctx.today}, None


def export_csv_view(request: HttpRequest) -> HttpResponse:
    parts, refusal = _export_parts(request)
    if refusal:
        return refusal
    text = report_csv(district_name=parts["district"].name, period_label=parts["period"].label,
                      kpis=parts["kpis"], tables=parts["tables"])
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="lotse-steuerung-{parts["period"].key}.csv"'
    return response


def export_pdf_view(request: HttpRequest) -> HttpResponse:
    import weasyprint  # heavy import: only when a report is printed

    parts, refusal = _export_parts(request)
    if refusal:
        return refusal
    html = render_to_string(PDF_TEMPLATE, parts)
    pdf = write_tagged_pdf(weasyprint.HTML(string=html).render(), what="steering report")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="lotse-steuerung-{parts["period"].key}.pdf"'
    return response
