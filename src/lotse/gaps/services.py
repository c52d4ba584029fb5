"""Writing gap reports. A gap report carries no personal data: municipality (or the whole
district), life area, kind, a title and a description screened for personal data, the
offices involved and who reported it. Never a person, a case or a conference."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.access.spine import log_action, refuse
from lotse.core.vocabulary import LifeArea
from lotse.gaps.models import GapKind, GapReport, GapSource, GapStatus
from lotse.gaps.screening import screen_fields
from lotse.gaps.selectors import GapReportNotFound
from lotse.organisations import permissions
from lotse.organisations.models import Agency, Municipality
from lotse.steering.access import check_may_coordinate
from lotse.steering.committees import NotFound, agenda_item_add
from lotse.steering.models import AgendaItem

TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 5000


def check_may_report(ctx: AccessContext) -> None:
    """Refuse (logged) unless the user may write gap reports."""
    if not ctx.has_permission(permissions.GAP_REPORT):
        refuse(ctx, "gap.report.refused", reason=f"permission:{permissions.GAP_REPORT}",
               message=_("You lack the permission '%(perm)s'.") % {"perm": permissions.GAP_REPORT})


def _classification(ctx: AccessContext, municipality_id: int | None, life_area: str, kind: str,
                    office_ids: list[int], errors: dict[str, str]) -> tuple[Municipality | None, list[Agency]]:
    """Municipality (None: the whole district) and offices of the user's district; problems with
    them, the life area or the kind go into `errors`."""
    municipality = None
    if municipality_id is not None:
        municipality = Municipality.objects.filter(pk=municipality_id, district_id=ctx.district_id).first()
        if municipality is None:
            errors["municipality"] = _("Choose a municipality of your district or the whole district.")
    if life_area not in LifeArea.values:
        errors["life_area"] = _("Choose a life area.")
    if kind not in GapKind.values:
        errors["kind"] = _("Choose the kind of gap.")
    office_ids = sorted(set(office_ids or []))
    offices = list(Agency.objects.filter(pk__in=office_ids, district_id=ctx.district_id))
    if len(offices) != len(office_ids):
        errors["offices"] = _("Choose offices of your district.")
    return municipality, offices


def gap_report_create(*, ctx: AccessContext, municipality_id: int | None, life_area: str, kind: str,
                      title: str, description: str, office_ids: list[int], source: str) -> GapReport:
    """Write a gap report of the user's agency. `municipality_id=None` means the whole district.
    Title and description are screened for personal data; on a hit nothing is saved."""
    check_may_report(ctx)
    title, description = (title or "").strip(), (description or "").strip()
    errors: dict[str, str] = {}
    municipality, offices = _classification(ctx, municipality_id, life_area, kind, office_ids, errors)
    if source not in GapSource.values:
        errors["source"] = _("Unknown source of the report.")
    if not title:
        errors["title"] = _("Give the report a title.")
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = _("The title is too long (at most %(n)s characters).") % {"n": TITLE_MAX_LENGTH}
    if not description:
        errors["description"] = _("Describe the need or gap.")
    elif len(description) > DESCRIPTION_MAX_LENGTH:
        errors["description"] = _("The description is too long (at most %(n)s characters).") % {
            "n": DESCRIPTION_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    screen_fields({"title": title, "description": description}, district_id=ctx.district_id, ctx=ctx)
    with transaction.atomic():
        report = GapReport(
            district_id=ctx.district_id, municipality=municipality, life_area=life_area, kind=kind,
            title=title, description=description, source=source, reporting_agency_id=ctx.agency_id,
            reported_by_id=None if source == GapSource.CONFERENCE else ctx.user_id,
        )
        report.full_clean()
        report.save()
        report.offices_involved.set(offices)
    return report


# --- triage by the coordination (`steering:coordinate`) ----------------------------------------
# Each step is atomic and logged; bad input raises a ValidationError and changes nothing.

CLOSE_REASON_MAX_LENGTH = 300
# Reports the coordination still works on; decided, merged and closed ones are settled.
OPEN_STATUSES = (GapStatus.NEW, GapStatus.IN_REVIEW, GapStatus.ON_AGENDA)


def _check_may_triage(ctx: AccessContext) -> None:
    check_may_coordinate(ctx, "steering.gap_report.refused")


def _locked_report(ctx: AccessContext, report_id: int) -> GapReport:
    report = GapReport.objects.select_for_update().filter(pk=report_id, district_id=ctx.district_id).first()
    if report is None:
        raise GapReportNotFound(report_id)
    return report


def _exists(ctx: AccessContext, report_id: int) -> None:
    if not GapReport.objects.filter(pk=report_id, district_id=ctx.district_id).exists():
        raise GapReportNotFound(report_id)


def _require_open(report: GapReport) -> None:
    if report.status not in OPEN_STATUSES:
        raise ValidationError({"status": _("This gap report is already settled (%(status)s).") % {
            "status": report.get_status_display()}})


def gap_report_classify(*, ctx: AccessContext, report_id: int, municipality_id: int | None, life_area: str,
                        kind: str, office_ids: list[int]) -> GapReport:
    """The coordination sets life area, kind, municipality (None: the whole district) and the
    offices involved; a new report is then in review."""
    _check_may_triage(ctx)
    _exists(ctx, report_id)
    errors: dict[str, str] = {}
    municipality, offices = _classification(ctx, municipality_id, life_area, kind, office_ids, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report = _locked_report(ctx, report_id)
        _require_open(report)
        report.municipality, report.life_area, report.kind = municipality, life_area, kind
        if report.status == GapStatus.NEW:
            report.status = GapStatus.IN_REVIEW
        report.full_clean()
        report.save()
        report.offices_involved.set(offices)
        log_action(ctx, "steering.gap_report.classify", object_ref=f"gap_report:{report.pk}")
    return report


def gap_report_merge(*, ctx: AccessContext, report_id: int, into_id: int) -> GapReport:
    """Merge a duplicate (new or in review) into the report that is kept: the duplicate becomes
    MERGED today and points to the kept one, which takes over its offices involved (and the
    reports once merged into the duplicate). Returns the kept report. Refused: into itself,
    into a merged report, across districts (the other district's report is not found)."""
    _check_may_triage(ctx)
    if report_id == into_id:
        raise ValidationError({"into": _("A report cannot be merged into itself.")})
    _exists(ctx, report_id)
    _exists(ctx, into_id)
    with transaction.atomic():
        first, second = sorted((report_id, into_id))  # lock in id order
        locked = {first: _locked_report(ctx, first), second: _locked_report(ctx, second)}
        duplicate, kept = locked[report_id], locked[into_id]
        if duplicate.status not in (GapStatus.NEW, GapStatus.IN_REVIEW):
            raise ValidationError({"report": _(
                "Only a new report or one in review can be merged into another; this one is: %(status)s."
            ) % {"status": duplicate.get_status_display()}})
        if kept.status in (GapStatus.MERGED, GapStatus.CLOSED):
            raise ValidationError({"into": _("Merge into a report that is still open or decided, not into "
                                             "a merged or closed one.")})
        kept.offices_involved.add(*duplicate.offices_involved.all())
        GapReport.objects.filter(merged_into=duplicate).update(merged_into=kept)
        duplicate.status, duplicate.merged_into, duplicate.resolved_on = GapStatus.MERGED, kept, ctx.today
        duplicate.save(update_fields=["status", "merged_into", "resolved_on"])
        log_action(ctx, "steering.gap_report.merge", object_ref=f"gap_report:{duplicate.pk}")
    return kept


def gap_report_close(*, ctx: AccessContext, report_id: int, reason: str) -> GapReport:
    """Close a report without a committee's decision, with a short (screened) reason."""
    _check_may_triage(ctx)
    _exists(ctx, report_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a short reason for closing the report.")})
    if len(reason) > CLOSE_REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("The reason is too long (at most %(n)s characters).") % {
            "n": CLOSE_REASON_MAX_LENGTH}})
    screen_fields({"reason": reason}, district_id=ctx.district_id, ctx=ctx)
    with transaction.atomic():
        report = _locked_report(ctx, report_id)
        _require_open(report)
        report.status, report.closed_reason, report.resolved_on = GapStatus.CLOSED, reason, ctx.today
        report.save(update_fields=["status", "closed_reason", "resolved_on"])
        log_action(ctx, "steering.gap_report.close", object_ref=f"gap_report:{report.pk}")
    return report


def gap_report_put_on_agenda(*, ctx: AccessContext, report_id: int, meeting_id: int, title: str = "",
                             notes: str = "") -> AgendaItem:
    """Put a report on a meeting's agenda (an agenda item linked to it; status ON_AGENDA).
    Returns the agenda item. A meeting of another district is `steering.committees.NotFound`."""
    _check_may_triage(ctx)
    _exists(ctx, report_id)
    try:
        return agenda_item_add(ctx=ctx, meeting_id=meeting_id, title=title, notes=notes, gap_report_id=report_id)
    except NotFound as exc:
        raise ValidationError({"meeting": _("Choose a planned meeting of your district.")}) from exc
