"""Writing gap reports. A gap report carries no personal data: municipality (or the whole
district), life area, kind, a title and a description screened for personal data, the
offices involved and who reported it. Never a person, a case or a conference."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.access.spine import refuse
from lotse.core.vocabulary import LifeArea
from lotse.gaps.models import GapKind, GapReport, GapSource
from lotse.gaps.screening import screen_fields
from lotse.organisations import permissions
from lotse.organisations.models import Agency, Municipality

TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 5000


def check_may_report(ctx: AccessContext) -> None:
    """Refuse (logged) unless the user may write gap reports."""
    if not ctx.has_permission(permissions.GAP_REPORT):
        refuse(ctx, "gap.report.refused", reason=f"permission:{permissions.GAP_REPORT}",
               message=_("You lack the permission '%(perm)s'.") % {"perm": permissions.GAP_REPORT})


def gap_report_create(*, ctx: AccessContext, municipality_id: int | None, life_area: str, kind: str,
                      title: str, description: str, office_ids: list[int], source: str) -> GapReport:
    """Write a gap report of the user's agency. `municipality_id=None` means the whole district.
    Title and description are screened for personal data; on a hit nothing is saved."""
    check_may_report(ctx)
    title, description = (title or "").strip(), (description or "").strip()
    errors: dict[str, str] = {}
    municipality = None
    if municipality_id is not None:
        municipality = Municipality.objects.filter(pk=municipality_id, district_id=ctx.district_id).first()
        if municipality is None:
            errors["municipality"] = _("Choose a municipality of your district or the whole district.")
    if life_area not in LifeArea.values:
        errors["life_area"] = _("Choose a life area.")
    if kind not in GapKind.values:
        errors["kind"] = _("Choose the kind of gap.")
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
    office_ids = sorted(set(office_ids or []))
    offices = list(Agency.objects.filter(pk__in=office_ids, district_id=ctx.district_id))
    if len(offices) != len(office_ids):
        errors["offices"] = _("Choose offices of your district.")
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
