"""Reads of gap reports (no personal data). The reporting agency follows its reports; the
coordination of the district (`steering:coordinate`) sees all of them."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from lotse.access.context import AccessContext
from lotse.access.spine import AccessDenied
from lotse.gaps.models import GapReport
from lotse.organisations import permissions

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
