"""Gap-report endpoints: the reports of your agency and writing one (jour fixe).

A gap report carries no personal data — municipality (or the whole district), life area, kind,
title and description — and flows to the coordination of the district. The service screens
title and description for personal data and refuses the report (400, naming what was found)
on a hit; nothing is saved then.
"""

from django.http import HttpRequest
from ninja import Query, Router, Status

from lotse.api.auth import ctx_of
from lotse.api.cases import ERRORS, require
from lotse.api.schemas_cases import GapListParams, GapPageOut, GapReportIn, GapReportOut
from lotse.gaps.models import GapSource
from lotse.gaps.selectors import reports_of_my_agency
from lotse.gaps.services import gap_report_create
from lotse.organisations import permissions

router = Router(tags=["gap reports"])


def _report_out(report) -> dict:
    return {
        "id": report.pk, "municipality_id": report.municipality_id,
        "municipality_name": report.municipality.name if report.municipality_id else "",
        "life_area": report.life_area, "kind": report.kind, "title": report.title,
        "description": report.description,
        "offices_involved": [{"id": a.pk, "name": a.name} for a in report.offices_involved.all()],
        "source": report.source, "reporting_agency_id": report.reporting_agency_id,
        "reporting_agency_name": report.reporting_agency.name, "reported_on": report.reported_on,
        "status": report.status,
    }


@router.get("/gap-reports", response={200: GapPageOut, **ERRORS},
            summary="Gap reports of your agency, newest first, with their status")
def list_gap_reports(request: HttpRequest, params: Query[GapListParams]):
    """Needs `gap:report`. 25 per page."""
    ctx = ctx_of(request)
    require(ctx, permissions.GAP_REPORT)
    page = reports_of_my_agency(ctx, page=params.page)
    return {"items": [_report_out(r) for r in page.object_list], "page": page.number,
            "num_pages": page.paginator.num_pages, "total": page.paginator.count}


@router.post("/gap-reports", response={201: GapReportOut, **ERRORS},
             summary="Write a gap report (no personal data)")
def create_gap_report(request: HttpRequest, payload: GapReportIn):
    """Needs `gap:report`. Describe the need or gap without anything that identifies a person:
    a name of a registered person, a date, a file number, an e-mail address or a phone number
    answers 400 naming what was found, and nothing is saved."""
    ctx = ctx_of(request)
    report = gap_report_create(
        ctx=ctx, municipality_id=payload.municipality_id, life_area=payload.life_area,
        kind=payload.kind, title=payload.title, description=payload.description,
        office_ids=list(payload.office_ids), source=GapSource.CASE_WORK,
    )
    return Status(201, _report_out(report))
