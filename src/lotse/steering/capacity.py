"""Welcome-counselling capacity: the full-time equivalents (FTE) of each welfare association in
each municipality of the district (`CounsellingCapacity`). Coordinators set them
(`steering:coordinate`); every change is logged. Setting 0 removes the capacity."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.access.spine import log_action
from lotse.organisations.models import Agency, AgencyKind, Municipality
from lotse.steering.access import check_may_coordinate
from lotse.steering.models import CounsellingCapacity

MAX_FTE = Decimal("99.99")
_FTE = re.compile(r"^\d{1,2}([.,]\d{1,2})?$")


class CapacityNotFound(LookupError):
    """The association or municipality is not one of the user's district (or does not exist)."""


@dataclass(frozen=True)
class CapacityEntry:
    agency_id: int
    municipality_id: int
    fte: Decimal


@dataclass(frozen=True)
class CapacityChanges:
    saved: int
    removed: int


def fte_error() -> str:
    return _("Enter between 0 and 99.99 full-time equivalents, with at most two decimals (e.g. 0,5).")


def parse_fte(text: str) -> Decimal:
    """'0,5', '1.25', '' (none) → Decimal; ValueError for anything else (negative, three
    decimals, thousands separators, more than 99.99)."""
    text = text.strip()
    if not text:
        return Decimal("0")
    if not _FTE.match(text):
        raise ValueError(text)
    return Decimal(text.replace(",", "."))


def _check_fte(fte: Decimal) -> Decimal:
    try:
        valid = Decimal("0") <= fte <= MAX_FTE and fte == fte.quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError):
        valid = False
    if not valid:
        raise ValidationError({"fte": fte_error()})
    return fte.quantize(Decimal("0.01"))


def welfare_associations(ctx: AccessContext):
    """The associations a capacity can be set for: the district's active welfare associations."""
    return Agency.objects.filter(district_id=ctx.district_id, kind=AgencyKind.WELFARE_ASSOCIATION,
                                 is_active=True).order_by("name")


def capacities_of_district(ctx: AccessContext):
    return CounsellingCapacity.objects.filter(district_id=ctx.district_id).select_related("agency", "municipality")


def capacity_set(*, ctx: AccessContext, agency_id: int, municipality_id: int,
                 fte: Decimal) -> CounsellingCapacity | None:
    """Set the FTE of one association in one municipality (0 removes it). Returns the capacity,
    None when removed or none."""
    check_may_coordinate(ctx, "steering.capacity.refused")
    with transaction.atomic():
        return _set(ctx, CapacityEntry(agency_id, municipality_id, _check_fte(fte)), _Counter())


def capacities_set(*, ctx: AccessContext, entries: Iterable[CapacityEntry]) -> CapacityChanges:
    """Set many at once, all or nothing (the capacity page's form)."""
    check_may_coordinate(ctx, "steering.capacity.refused")
    entries = [CapacityEntry(e.agency_id, e.municipality_id, _check_fte(e.fte)) for e in entries]
    counter = _Counter()
    with transaction.atomic():
        for entry in entries:
            _set(ctx, entry, counter)
    return CapacityChanges(counter.saved, counter.removed)


class _Counter:
    def __init__(self) -> None:
        self.saved = self.removed = 0


def _set(ctx: AccessContext, entry: CapacityEntry, counter: _Counter) -> CounsellingCapacity | None:
    if not Agency.objects.filter(pk=entry.agency_id, district_id=ctx.district_id,
                                 kind=AgencyKind.WELFARE_ASSOCIATION).exists():
        raise CapacityNotFound(entry.agency_id)
    if not Municipality.objects.filter(pk=entry.municipality_id, district_id=ctx.district_id).exists():
        raise CapacityNotFound(entry.municipality_id)
    capacity = CounsellingCapacity.objects.select_for_update().filter(
        agency_id=entry.agency_id, municipality_id=entry.municipality_id).first()
    if not entry.fte:
        if capacity is not None:
            log_action(ctx, "steering.capacity.removed", object_ref=f"capacity:{capacity.pk}",
                       basis=f"fte={capacity.fte}")
            capacity.delete()
            counter.removed += 1
        return None
    if capacity is None:
        capacity = CounsellingCapacity(district_id=ctx.district_id, agency_id=entry.agency_id,
                                       municipality_id=entry.municipality_id, fte=entry.fte)
    elif capacity.fte == entry.fte:
        return capacity
    capacity.fte = entry.fte
    capacity.save()
    log_action(ctx, "steering.capacity.set", object_ref=f"capacity:{capacity.pk}", basis=f"fte={entry.fte}")
    counter.saved += 1
    return capacity
