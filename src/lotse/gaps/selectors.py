"""Reads of gap reports (no personal data). The reporting agency follows its reports; the
coordination of the district (`steering:coordinate`) sees all of them."""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import F

from lotse.access.context import AccessContext
from lotse.access.spine import AccessDenied
from lotse.gaps.models import GapReport, GapStatus
from lotse.organisations import permissions
from lotse.steering.models import AgendaItem, Measure, MeetingDecision

GAP_PAGE_SIZE = 25
# Who sees and works the district's inbox of gap reports: the coordination.
INBOX_PERMISSION = permissions.STEERING_COORDINATE


@dataclass
class InboxFilter:
    status: str = ""
    life_area: str = ""
    municipality_id: int | None = None
    whole_district_only: bool = False


def _reports():
    return (GapReport.objects.select_related("municipality", "reporting_agency", "reported_by")
            .prefetch_related("offices_involved"))


def reports_of_my_agency(ctx: AccessContext, *, page: int = 1, per_page: int = GAP_PAGE_SIZE) -> Page:
    """The gap reports of the user's agency, newest first, with their status."""
    reports = _reports().filter(district_id=ctx.district_id, reporting_agency_id=ctx.agency_id)
    return Paginator(reports, per_page).get_page(page)


def may_see_inbox(ctx: AccessContext) -> bool:
    return ctx.is_staff_member and ctx.has_permission(INBOX_PERMISSION)


def coordinator_inbox(ctx: AccessContext, filters: InboxFilter | None = None, *, page: int = 1,
                      per_page: int = GAP_PAGE_SIZE) -> Page:
    """All gap reports of the district for the coordination, newest first (read-only)."""
    if not may_see_inbox(ctx):
        raise AccessDenied(INBOX_PERMISSION)
    filters = filters or InboxFilter()
    reports = _reports().filter(district_id=ctx.district_id)
    if filters.status:
        reports = reports.filter(status=filters.status)
    if filters.life_area:
        reports = reports.filter(life_area=filters.life_area)
    if filters.whole_district_only:
        reports = reports.filter(municipality__isnull=True)
    elif filters.municipality_id:
        reports = reports.filter(municipality_id=filters.municipality_id)
    return Paginator(reports, per_page).get_page(page)


class GapReportNotFound(LookupError):
    """No gap report with this id in the user's district (or no right to see it)."""


def report_for_coordination(ctx: AccessContext, report_id: int) -> GapReport:
    """One report of the district for the coordination's triage page."""
    if not may_see_inbox(ctx):
        raise AccessDenied(INBOX_PERMISSION)
    report = _reports().select_related("merged_into").filter(pk=report_id, district_id=ctx.district_id).first()
    if report is None:
        raise GapReportNotFound(report_id)
    return report


def merge_candidates(ctx: AccessContext, report: GapReport) -> list[GapReport]:
    """Reports of the district `report` may be merged into: not itself, not merged or closed."""
    if not may_see_inbox(ctx):
        raise AccessDenied(INBOX_PERMISSION)
    return list(GapReport.objects.filter(district_id=ctx.district_id)
                .exclude(pk=report.pk).exclude(status__in=(GapStatus.MERGED, GapStatus.CLOSED))
                .order_by("-reported_on", "-id"))


# --- what became of a report -------------------------------------------------------------------

MERGE_DEPTH = 10


@dataclass
class FollowUp:
    """What became of a gap report, for its reporting agency and the coordination: the report it
    was merged into, the meetings it is on, the decisions and the measures with owner agency,
    due date and status. Never who in the coordination did what."""

    report: GapReport
    merged_into: GapReport | None = None  # the report that carries on (end of the merge chain)
    agenda_items: list[AgendaItem] = field(default_factory=list)  # with meeting.committee
    decisions: list[MeetingDecision] = field(default_factory=list)  # with meeting.committee
    measures: list[Measure] = field(default_factory=list)  # with owner_agency

    @property
    def carried_by(self) -> GapReport:
        return self.merged_into or self.report


def _end_of_merge_chain(report: GapReport) -> GapReport | None:
    current, seen = report, {report.pk}
    for _step in range(MERGE_DEPTH):
        if current.merged_into_id is None or current.merged_into_id in seen:
            break
        seen.add(current.merged_into_id)
        current = GapReport.objects.filter(pk=current.merged_into_id, district_id=report.district_id).first()
        if current is None:
            return None
    return current if current.pk != report.pk else None


def follow_ups(reports) -> list[FollowUp]:
    """A FollowUp per report (in the given order), a handful of queries for a page of reports."""
    rows = [FollowUp(report, _end_of_merge_chain(report)) for report in reports]
    ids = {row.carried_by.pk for row in rows}
    items, decisions, measures = {}, {}, {}
    for item in (AgendaItem.objects.filter(gap_report_id__in=ids).select_related("meeting__committee")
                 .order_by("meeting__starts_at", "id")):
        items.setdefault(item.gap_report_id, []).append(item)
    for decision in (MeetingDecision.objects.filter(agenda_item__gap_report_id__in=ids)
                     .select_related("meeting__committee", "agenda_item").order_by("decided_on", "id")):
        decisions.setdefault(decision.agenda_item.gap_report_id, []).append(decision)
    for measure in (Measure.objects.filter(gap_report_id__in=ids).select_related("owner_agency")
                    .order_by(F("due_on").asc(nulls_last=True), "id")):
        measures.setdefault(measure.gap_report_id, []).append(measure)
    for row in rows:
        key = row.carried_by.pk
        row.agenda_items, row.decisions = items.get(key, []), decisions.get(key, [])
        row.measures = measures.get(key, [])
    return rows


def my_agency_follow_ups(ctx: AccessContext, *, page: int = 1,
                         per_page: int = GAP_PAGE_SIZE) -> tuple[Page, list[FollowUp]]:
    """The page of the agency's reports and what became of each."""
    reports = reports_of_my_agency(ctx, page=page, per_page=per_page)
    return reports, follow_ups(reports.object_list)
