"""The needs analysis for welcome counselling (issue 7, point 1; seed 000: the positions were
sized by the number of foreigners who have lived in each municipality for less than a year).

Per municipality of the user's district:

- **newcomers**: foreign residents who arrived less than 12 months before the reference date
  `on`, either counted in the registry or taken from an imported statistics table;
- **capacity**: the welcome-counselling full-time equivalents (FTE) of all associations in the
  municipality (`CounsellingCapacity`), in total and per association;
- **newcomers per FTE** (None where there is no capacity);
- and `proposal()`: a given number of positions distributed in proportion to the newcomers.

Counting in the registry
------------------------
A person counts for the municipality recorded on their registry record when all of these hold:

- the record is not a merged duplicate (`merged_into` empty) and belongs to the district;
- none of their nationalities is German (Destatis key "000"); a person without a recorded
  nationality counts (the registry holds newcomers: an unknown nationality is not a German one);
- their arrival in the district — or, where that date is empty, their arrival in Germany —
  lies **after** `on` minus 12 calendar months and **on or before** `on`. For `on` = 15.03.2026
  that is 16.03.2025 to 15.03.2026; a person who arrived on 15.03.2025 has lived there exactly
  12 months and no longer counts. (From 29 February, 12 months back is 28 February.)

Why the fallback to the arrival in Germany: nobody arrives in the district before arriving in
Germany, so when that date lies within the 12 months the arrival in the district does too, and
the person is rightly counted. The fallback never counts a person wrongly; it can miss a person
who moved in from elsewhere in Germany without a recorded date of moving into the district.
Persons without a recorded municipality are not counted (they belong to no municipality).
All municipalities are counted in one aggregate query (grouped by municipality).

Counting from statistics
------------------------
With `source="statistics"` each municipality takes the imported `ResidentStatistic` with the
latest reference date on or before `on`; its date and source are shown. A municipality without
such a row is marked (`has_figures` False) and gets no position in a proposal.

Small counts
------------
The page is seen by the coordinators and the members of the steering group, who see aggregates
only. A count of 1 to 4 persons in a municipality could point at a family that everybody in a
small village knows, so it is hidden like in every other steering table: counts below
`suppression.THRESHOLD` are not shown, and a second one is hidden wherever the district total
would give a hidden count away by subtraction (`suppression.suppress`). Zeros are shown. The same
rule holds for both sources (an imported table may come from the registration office, not only
from the statistics office), so the page behaves alike whatever the source.

A hidden count must not come back through the figures computed from it:

- newcomers per FTE (× FTE = newcomers) is hidden where the count is;
- the quota of the proposal (positions × newcomers ÷ total, with the total shown) is hidden where
  the count is, and so is the remainder (Hare–Niemeyer) or quotient (Sainte-Laguë, whose first
  quotient *is* the count) of a unit given to such a municipality.

The apportionment itself uses the true counts (`NeedsAnalysis.weights`, never displayed): a
proposal computed from blurred figures would be a different, wrong proposal. Its outcome — the
units each municipality gets — is what the steering group needs, so it is shown for every
municipality, and any outcome tells something about the counts behind it. Two rules keep that
coarse when a count is hidden:

- The order of the units is where the fine detail lies: a hidden municipality's quotient or
  remainder placed between two shown ones (dense with 15 municipalities) pins its count, and the
  district total then gives the small one away by subtraction. So the steps of hidden
  municipalities are left out and, as gaps in the numbering would show where they were, no step
  is numbered (`Proposal.hidden_steps` says how many units went to hidden municipalities).
- What remains — how many units a hidden municipality got — places its count in a band about one
  unit wide (total ÷ units newcomers). A proposal is therefore refused while a count is hidden
  and each unit would stand for fewer than `THRESHOLD` newcomers (such a proposal, e.g. ten half
  positions for nine newcomers, would mean little anyway). At the scale of a district — some
  thousands of newcomers, ten or twenty units — a unit stands for hundreds of newcomers, and a
  municipality with a hidden small count simply gets none.

A tie for the last unit is named (the committee has to decide it by lot) — unless a hidden
municipality is part of it: its quotient equal to a shown one's would pin its count, so such a
tie is reported without names.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.organisations.models import Municipality
from lotse.people.models import Person
from lotse.steering import apportionment
from lotse.steering.access import aggregate_scope
from lotse.steering.models import CounsellingCapacity, ResidentStatistic
from lotse.steering.suppression import THRESHOLD, suppress

REGISTRY = "registry"
STATISTICS = "statistics"
SOURCES = (REGISTRY, STATISTICS)

GERMAN = "000"  # Destatis key of the German nationality
WINDOW_MONTHS = 12

WHOLE = "whole"
HALF = "half"
UNITS = {WHOLE: 1, HALF: 2}  # units per position
MAX_POSITIONS = 999


@dataclass(frozen=True)
class AssociationCapacity:
    agency_id: int
    name: str
    fte: Decimal


@dataclass(frozen=True)
class MunicipalityNeeds:
    """One municipality. `newcomers` is the count as shown: None where it is hidden (small
    count) or where there are no figures (statistics without a row)."""

    municipality_id: int
    name: str
    newcomers: int | None
    hidden: bool
    has_figures: bool
    reference_date: datetime.date | None  # registry: `on`; statistics: the table's date
    source_name: str  # statistics: the table's source; registry: ""
    fte: Decimal
    associations: tuple[AssociationCapacity, ...]
    newcomers_per_fte: Decimal | None  # None: no capacity, count hidden or no figures


@dataclass(frozen=True)
class NeedsAnalysis:
    on: datetime.date
    source: str
    window_start: datetime.date  # arrivals after this day (and on or before `on`) count
    rows: list[MunicipalityNeeds]
    total_newcomers: int | None  # None when hidden
    total_fte: Decimal
    total_newcomers_per_fte: Decimal | None
    # The true counts by municipality name: the input of `proposal()`, never to be displayed.
    weights: dict[str, int]

    @property
    def any_hidden(self) -> bool:
        return any(row.hidden for row in self.rows) or self.total_newcomers is None

    @property
    def without_figures(self) -> list[str]:
        return [row.name for row in self.rows if not row.has_figures]


def window_start(on: datetime.date) -> datetime.date:
    """The day exactly 12 months before `on`: arrivals after it count."""
    return on - relativedelta(months=WINDOW_MONTHS)


def needs_analysis(ctx: AccessContext, *, on: datetime.date, source: str) -> NeedsAnalysis:
    """The needs of every municipality of the user's district on `on`. Refused without
    `steering:view` (logged, `AccessDenied`); one `steering.aggregate` log entry per analysis."""
    if source not in SOURCES:
        raise ValueError(f"Unknown source {source!r}.")
    with aggregate_scope(ctx, f"needs:{on.isoformat()}:{source}"):
        counts = _registry_counts(ctx.district_id, on) if source == REGISTRY else {}
    municipalities = list(Municipality.objects.filter(district_id=ctx.district_id).order_by("name"))
    statistics = _latest_statistics(ctx.district_id, on) if source == STATISTICS else {}
    capacities = _capacities(ctx.district_id)
    # The true count of every municipality that has one (statistics: only those with a table).
    figures = ({m.pk: counts.get(m.pk, 0) for m in municipalities} if source == REGISTRY else
               {pk: statistic.newcomers_last_12_months for pk, statistic in statistics.items()})
    shown, total_shown = _suppressed(figures)
    rows = []
    for municipality in municipalities:
        associations = tuple(capacities.get(municipality.pk, ()))
        fte = sum((a.fte for a in associations), Decimal("0"))
        statistic = statistics.get(municipality.pk)
        count = shown.get(municipality.pk)
        rows.append(MunicipalityNeeds(
            municipality_id=municipality.pk, name=municipality.name, newcomers=count,
            hidden=municipality.pk in figures and count is None,
            has_figures=municipality.pk in figures,
            reference_date=statistic.reference_date if statistic else (on if source == REGISTRY else None),
            source_name=statistic.source if statistic else "",
            fte=fte, associations=associations, newcomers_per_fte=_per_fte(count, fte)))
    total_fte = sum((row.fte for row in rows), Decimal("0"))
    return NeedsAnalysis(
        on=on, source=source, window_start=window_start(on), rows=rows, total_newcomers=total_shown,
        total_fte=total_fte, total_newcomers_per_fte=_per_fte(total_shown, total_fte),
        weights={m.name: figures.get(m.pk, 0) for m in municipalities})


def _registry_counts(district_id: int | None, on: datetime.date) -> dict[int, int]:
    """Newcomers per municipality id, in one aggregate query (inside the aggregate scope)."""
    rows = (Person.objects.filter(district_id=district_id, merged_into__isnull=True,
                                  municipality__isnull=False)
            # The list is stored as JSON text ('["475", "000"]') on every backend; a quoted
            # three-digit key cannot be part of another key.
            .exclude(nationalities__icontains=f'"{GERMAN}"')
            .annotate(arrived=Coalesce("arrival_district", "arrival_germany"))
            .filter(arrived__gt=window_start(on), arrived__lte=on)
            .values("municipality_id").annotate(newcomers=Count("id")).order_by())
    return {row["municipality_id"]: row["newcomers"] for row in rows}


def _latest_statistics(district_id: int | None, on: datetime.date) -> dict[int, ResidentStatistic]:
    """Per municipality id the statistic with the latest reference date on or before `on`."""
    latest: dict[int, ResidentStatistic] = {}
    for statistic in ResidentStatistic.objects.filter(
            district_id=district_id, reference_date__lte=on).order_by("municipality_id", "-reference_date"):
        latest.setdefault(statistic.municipality_id, statistic)
    return latest


def _capacities(district_id: int | None) -> dict[int, list[AssociationCapacity]]:
    by_municipality: dict[int, list[AssociationCapacity]] = defaultdict(list)
    for capacity in CounsellingCapacity.objects.filter(district_id=district_id).select_related(
            "agency").order_by("agency__name"):
        by_municipality[capacity.municipality_id].append(AssociationCapacity(
            capacity.agency_id, capacity.agency.short_name or capacity.agency.name, capacity.fte))
    return by_municipality


def _suppressed(figures: dict[int, int]) -> tuple[dict[int, int | None], int | None]:
    """The counts as shown (small cells hidden, see the module's docstring) and the total."""
    if not figures:
        return {}, 0
    keys = list(figures)
    table = suppress([[figures[key]] for key in keys])
    return {key: row[0] for key, row in zip(keys, table.cells, strict=True)}, table.total


def _per_fte(newcomers: int | None, fte: Decimal) -> Decimal | None:
    if newcomers is None or not fte:
        return None
    return (Decimal(newcomers) / fte).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- the proposal ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ProposalRow:
    """One municipality in the proposal. Quotas are None where the count is hidden."""

    municipality_id: int
    name: str
    newcomers: int | None  # as shown in the analysis
    hidden: bool
    has_figures: bool
    quota: Decimal | None  # positions × newcomers ÷ total, in positions (three decimals)
    unit_quota: Decimal | None  # the same in units (half positions: twice the quota)
    units: int  # units given
    positions: Decimal  # positions proposed (units ÷ units per position)
    current_fte: Decimal
    difference: Decimal  # proposed − current


@dataclass(frozen=True)
class ProposalStep:
    """One unit given: to whom, for which remainder or quotient. `number` is None when any
    count is hidden (see the module's docstring)."""

    number: int | None
    name: str
    value: Decimal


@dataclass(frozen=True)
class Proposal:
    method: str
    unit: str
    positions: Decimal
    units: int  # units distributed (positions × 2 for half positions)
    total_newcomers: int | None  # as shown
    rows: list[ProposalRow]
    steps: list[ProposalStep]  # Hare–Niemeyer: the remainders only; Sainte-Laguë: every unit
    hidden_steps: int  # units given to municipalities with a hidden count (steps left out)
    units_by_whole_quota: int  # Hare–Niemeyer: units given by the whole parts of the quotas
    tied: list[str]  # municipalities between which the last unit is a tie (decided by lot)
    tie_with_hidden: bool = False  # a tie involving a hidden municipality: named nowhere

    @property
    def remainder_units(self) -> int:
        """Hare–Niemeyer: the units given by the largest remainders."""
        return self.units - self.units_by_whole_quota if self.method == apportionment.HARE_NIEMEYER else 0

    @property
    def numbered(self) -> bool:
        return all(step.number is not None for step in self.steps)

    @property
    def total_current_fte(self) -> Decimal:
        return sum((row.current_fte for row in self.rows), Decimal("0"))

    @property
    def total_difference(self) -> Decimal:
        return self.positions - self.total_current_fte


def proposal(analysis: NeedsAnalysis, positions: Decimal | int, *, method: str, unit: str) -> Proposal:
    """Distribute `positions` among the municipalities in proportion to their newcomers with
    Hare–Niemeyer or Sainte-Laguë, in whole or half positions (half: twice the number of units
    are apportioned and each counts 0.5). Raises ValidationError for an unusable number of
    positions or when there are no newcomers to distribute by."""
    if method not in apportionment.METHODS or unit not in UNITS:
        raise ValueError(f"Unknown method {method!r} or unit {unit!r}.")
    positions = Decimal(positions)
    per_position = UNITS[unit]
    units = positions * per_position
    if not 0 < positions <= MAX_POSITIONS:
        raise ValidationError({"positions": _("Enter a number of positions between 0.5 and %(max)s.")
                               % {"max": MAX_POSITIONS}})
    if units != units.to_integral_value():
        raise ValidationError({"positions": _("In whole positions, enter a whole number.") if unit == WHOLE
                               else _("In half positions, enter a multiple of 0.5.")})
    total = sum(analysis.weights.values())
    if not total:
        raise ValidationError(_("There are no newcomers to distribute the positions by."))
    if analysis.any_hidden and total < THRESHOLD * units:
        raise ValidationError({"positions": _(
            "Too few newcomers for so many units: while counts are hidden, every unit must stand for at "
            "least %(threshold)s newcomers, or the result would give the hidden counts away. Distribute "
            "fewer positions, or whole instead of half positions.") % {"threshold": THRESHOLD}})
    result = apportionment.METHODS[method](analysis.weights, int(units))
    shown = {row.name: row for row in analysis.rows}
    quota_shown = analysis.total_newcomers is not None
    rows = []
    for share in result.shares:
        row = shown[share.name]
        visible = quota_shown and not row.hidden
        proposed = Decimal(share.seats) / per_position
        rows.append(ProposalRow(
            municipality_id=row.municipality_id, name=row.name, newcomers=row.newcomers, hidden=row.hidden,
            has_figures=row.has_figures,
            quota=_decimal(share.quota / per_position) if visible else None,
            unit_quota=_decimal(share.quota) if visible else None,
            units=share.seats, positions=proposed, current_fte=row.fte, difference=proposed - row.fte))
    numbered = not analysis.any_hidden
    steps = [ProposalStep(step.number if numbered else None, step.name, _decimal(step.value))
             for step in result.steps if not shown[step.name].hidden]
    by_whole = int(units) - len(result.steps) if method == apportionment.HARE_NIEMEYER else 0
    return Proposal(method=method, unit=unit, positions=positions, units=int(units),
                    total_newcomers=analysis.total_newcomers, rows=rows, steps=steps,
                    hidden_steps=len(result.steps) - len(steps), units_by_whole_quota=by_whole,
                    tied=[] if any(shown[name].hidden for name in result.tied) else result.tied,
                    tie_with_hidden=any(shown[name].hidden for name in result.tied))


def _decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.001"),
                                                                            rounding=ROUND_HALF_UP)
