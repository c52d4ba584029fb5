"""Reads of handovers: decide and log through the spine first, then load what the decisions
allow. Part of the spine perimeter (see core/tests/test_spine_guard.py).

Gap check (domain-rules.md R1.3): per handover

    old coverage ends   = the last payment of the previous office if recorded, else the day
                          the old entitlement ends
    new coverage starts = the 1st of the month the application was filed in (§ 37 Abs. 2 S. 2
                          SGB II), never before the new entitlement starts; while no application
                          is recorded: as if it were filed today (the best still possible)
    gap days            = the days between the two (0 when seamless; an overlap counts 0)

Risk flags: "gap" (gap days > 0); "application missing" / "confirmation missing" from the
warning date on (DeadlineRule `handover-risk-warning`, counted from the application deadline)
while the item is not done; "overdue" when any item is past its due date. The list is sorted
by the worst flag in that order, then by the application deadline."""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lotse.access.context import AccessContext
from lotse.access.spine import PersonNotFound, PersonRecord, access_people, access_person
from lotse.core.paging import Page
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import DataCategory, Purpose
from lotse.handovers.checklist import BY_KEY
from lotse.handovers.models import ChecklistItem, Handover, HandoverMember, HandoverStatus
from lotse.handovers.services import (
    REQUIRED_FOR_COMPLETION,
    HandoverNotFound,
    may_tick,
    new_regime_recorded,
)
from lotse.organisations import permissions
from lotse.organisations.models import Municipality
from lotse.people.residence_overview import next_abh_appointments
from lotse.rules.selectors import DeadlineForMany, NoRuleInForce

WARNING_RULE_KEY = "handover-risk-warning"
PAGE_SIZE = 25
# A handover page names the persons and, where the spine allows, how to reach them; the data
# package (handovers.package) shows the rest of what a consent covers.
DETAIL_CATEGORIES = (DataCategory.IDENTITY, DataCategory.CONTACT)
RISK_ORDER = ("gap", "application_missing", "confirmation_missing", "overdue")
NO_RISK = "none"
RISK_LABELS = {
    "gap": _("payment gap"),
    "application_missing": _("application missing"),
    "confirmation_missing": _("confirmation missing"),
    "overdue": _("overdue items"),
    NO_RISK: _("no risk found"),
}
# Short names of the regimes (legal abbreviations, the same in every language).
REGIME_SHORT = {"asylblg": "AsylbLG", "sgb2": "SGB II", "sgb12": "SGB XII"}
# Aggregates computed from fewer handovers than this are not shown (small cells, DESIGN §4.3).
MIN_CELL = getattr(settings, "LOTSE_MIN_CELL_SIZE", 5)  # as steering.suppression.THRESHOLD


# --- gap check and risk -------------------------------------------------------------------------

@dataclass(frozen=True)
class Coverage:
    old_ends_on: datetime.date
    new_starts_on: datetime.date
    expected: bool  # no application recorded: the start if it were filed today
    gap_days: int
    overlap_days: int

    @property
    def seamless(self) -> bool:
        return self.gap_days == 0 and self.overlap_days == 0


def coverage_of(*, old_regime_ends_on: datetime.date, new_regime_starts_on: datetime.date,
                last_payment_on: datetime.date | None, application_filed_on: datetime.date | None,
                today: datetime.date) -> Coverage:
    old_end = last_payment_on or old_regime_ends_on
    filed = application_filed_on or today
    new_start = max(filed.replace(day=1), new_regime_starts_on)
    between = (new_start - old_end).days - 1
    return Coverage(old_ends_on=old_end, new_starts_on=new_start, expected=application_filed_on is None,
                    gap_days=max(between, 0), overlap_days=max(-between, 0))


@dataclass(frozen=True)
class ChecklistState:
    """What the gap check needs of a handover's checklist."""

    application_filed_on: datetime.date | None = None
    application_done: bool = False
    confirmation_done: bool = False
    last_payment_on: datetime.date | None = None
    first_payment_on: datetime.date | None = None
    overdue_items: int = 0


def state_of(items, today: datetime.date) -> ChecklistState:
    """The state from checklist rows (objects with key, due_on, done_on, value_date)."""
    by_key = {i.key: i for i in items}

    def done(key):
        item = by_key.get(key)
        return item is not None and item.done_on is not None

    def value(key):
        return by_key[key].value_date if done(key) else None

    return ChecklistState(
        application_filed_on=value("application"), application_done=done("application"),
        confirmation_done=done("confirmation"), last_payment_on=value("last_payment"),
        first_payment_on=value("first_payment"),
        overdue_items=sum(1 for i in items if i.done_on is None and i.due_on < today),
    )


@dataclass(frozen=True)
class Assessment:
    coverage: Coverage
    warning_on: datetime.date | None
    flags: tuple[str, ...]

    @property
    def risk(self) -> str:
        return self.flags[0] if self.flags else NO_RISK

    @property
    def rank(self) -> int:
        return RISK_ORDER.index(self.risk) if self.flags else len(RISK_ORDER)

    @property
    def at_risk(self) -> bool:
        return bool(self.flags)

    @property
    def label(self) -> str:
        return str(RISK_LABELS[self.risk])

    @property
    def flag_labels(self) -> list[str]:
        return [str(RISK_LABELS[f]) for f in self.flags]


def warning_rule() -> DeadlineForMany:
    """The warning rule for a page of handovers: read once, applied to each (rule data)."""
    return DeadlineForMany(WARNING_RULE_KEY)


def warning_date(application_due_on: datetime.date, rule: DeadlineForMany | None = None) -> datetime.date | None:
    """From when a missing application or confirmation is flagged (rule data)."""
    try:
        warning, _rule = (rule or warning_rule()).deadline_from(application_due_on)
    except NoRuleInForce:
        warning = application_due_on
    return warning


def assess(handover: Handover, state: ChecklistState, today: datetime.date,
           rule: DeadlineForMany | None = None) -> Assessment:
    coverage = coverage_of(old_regime_ends_on=handover.old_regime_ends_on,
                           new_regime_starts_on=handover.new_regime_starts_on,
                           last_payment_on=state.last_payment_on,
                           application_filed_on=state.application_filed_on, today=today)
    warning = warning_date(handover.application_due_on, rule)
    flags = []
    if coverage.gap_days > 0:
        flags.append("gap")
    if handover.status == HandoverStatus.OPEN:
        warned = warning is not None and today >= warning
        if warned and not state.application_done:
            flags.append("application_missing")
        if warned and not state.confirmation_done:
            flags.append("confirmation_missing")
        if state.overdue_items:
            flags.append("overdue")
    return Assessment(coverage, warning, tuple(flags))


def checklist_states(handovers, today: datetime.date) -> dict[int, ChecklistState]:
    """Checklist states of many handovers in two queries (call inside the scope)."""
    keys = ("application", "confirmation", "last_payment", "first_payment")
    rows: dict[int, dict] = defaultdict(dict)
    for handover_id, key, value_date in ChecklistItem.objects.filter(
            handover__in=handovers, key__in=keys, done_on__isnull=False
    ).values_list("handover_id", "key", "value_date"):
        rows[handover_id][key] = value_date
    overdue: dict[int, int] = defaultdict(int)
    for handover_id in ChecklistItem.objects.filter(
            handover__in=handovers, done_on__isnull=True, due_on__lt=today
    ).values_list("handover_id", flat=True):
        overdue[handover_id] += 1
    ids = set(rows) | set(overdue)
    return {
        hid: ChecklistState(
            application_filed_on=rows[hid].get("application"),
            application_done="application" in rows[hid],
            confirmation_done="confirmation" in rows[hid],
            last_payment_on=rows[hid].get("last_payment"),
            first_payment_on=rows[hid].get("first_payment"),
            overdue_items=overdue[hid],
        )
        for hid in ids
    }


# --- lists --------------------------------------------------------------------------------------

def change_label(handover: Handover) -> str:
    return (f"{REGIME_SHORT.get(handover.from_regime, handover.from_regime)} → "
            f"{REGIME_SHORT.get(handover.to_regime, handover.to_regime)}")


def _may_work(ctx: AccessContext) -> bool:
    return ctx.agency_id is not None and ctx.has_permission(permissions.HANDOVER_WORK)


def _own_office(ctx: AccessContext) -> Q:
    return Q(district_id=ctx.district_id) & (Q(from_agency_id=ctx.agency_id) | Q(to_agency_id=ctx.agency_id))


@dataclass
class Member:
    person_id: int
    role: str
    record: PersonRecord | None  # None: not visible to the user

    @property
    def name(self) -> str:
        if self.record is None:
            return ""
        return f"{self.record.person.given_names} {self.record.person.family_name}".strip()


@dataclass
class HandoverRow:
    handover: Handover
    record: PersonRecord | None  # the trigger person; None: not visible to the user
    members: list[Member]  # the other members of the household
    assessment: Assessment

    @property
    def hidden_members(self) -> int:
        return sum(1 for m in self.members if m.record is None)

    @property
    def visible_members(self) -> list[Member]:
        return [m for m in self.members if m.record is not None]

    @property
    def change(self) -> str:
        return change_label(self.handover)


HandoverPage = Page  # Page[HandoverRow]


def _members(ctx: AccessContext, handovers: list[Handover], action: str, object_ref: str = "",
             categories=(DataCategory.IDENTITY,), *, skip_triggers: bool = False,
             ) -> tuple[dict[int, PersonRecord], dict[int, list[tuple[int, str]]]]:
    """The trigger persons and household members of some handovers, decided and logged in one
    call (purpose benefits_handover)."""
    with personal_data_scope():
        member_rows = list(HandoverMember.objects.filter(handover__in=[h.pk for h in handovers])
                           .order_by("id").values_list("handover_id", "person_id", "role"))
    by_handover: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for handover_id, person_id, role in member_rows:
        by_handover[handover_id].append((person_id, role))
    person_ids = list(dict.fromkeys([h.person_id for h in handovers] + [p for _h, p, _r in member_rows]))
    if skip_triggers:
        triggers = {h.person_id for h in handovers}
        person_ids = [p for p in person_ids if p not in triggers]
    records = {
        r.person.pk: r
        for r in access_people(ctx, person_ids, Purpose.BENEFITS_HANDOVER,
                               categories=list(categories), action=action,
                               object_ref=object_ref, with_history=False)
    } if person_ids else {}
    return records, by_handover


def open_handovers(ctx: AccessContext, page: int = 1, per_page: int = PAGE_SIZE) -> HandoverPage:
    """The open handovers of the user's office (as paying or as next office), worst risk
    first, then by the application deadline. Persons named through the spine."""
    if not _may_work(ctx):
        return HandoverPage([], 1, 1, 0)
    today = ctx.today
    with personal_data_scope():
        mine = Handover.objects.filter(_own_office(ctx), status=HandoverStatus.OPEN)
        light = list(mine.only("id", "status", "old_regime_ends_on", "new_regime_starts_on",
                               "application_due_on"))
        states = checklist_states(mine, today)
    rule = warning_rule()
    ranked = sorted(
        ((assess(h, states.get(h.pk, ChecklistState()), today, rule), h) for h in light),
        key=lambda pair: (pair[0].rank, pair[1].application_due_on, pair[1].pk),
    )
    paginator = Paginator(ranked, per_page)
    page_obj = paginator.get_page(page)
    chosen = list(page_obj.object_list)
    with personal_data_scope():
        full = Handover.objects.select_related("from_agency", "to_agency").in_bulk([h.pk for _a, h in chosen])
    handovers = [full[h.pk] for _a, h in chosen]
    records, members = _members(ctx, handovers, "handover.list.read") if handovers else ({}, {})
    rows = [
        HandoverRow(
            handover=h, record=records.get(h.person_id),
            members=[Member(pid, role, records.get(pid)) for pid, role in members.get(h.pk, [])
                     if pid != h.person_id],
            assessment=assessment,
        )
        for (assessment, _light), h in zip(chosen, handovers, strict=True)
    ]
    return HandoverPage(rows, page_obj.number, paginator.num_pages, paginator.count)


def handover_counts(ctx: AccessContext) -> dict[str, int]:
    """For the start page: open handovers of the user's office and how many are at risk."""
    if not _may_work(ctx):
        return {"open": 0, "at_risk": 0}
    with personal_data_scope():
        mine = Handover.objects.filter(_own_office(ctx), status=HandoverStatus.OPEN)
        light = list(mine.only("id", "status", "old_regime_ends_on", "new_regime_starts_on",
                               "application_due_on"))
        states = checklist_states(mine, ctx.today)
    rule = warning_rule()
    at_risk = sum(1 for h in light if assess(h, states.get(h.pk, ChecklistState()), ctx.today, rule).at_risk)
    return {"open": len(light), "at_risk": at_risk}


# --- one handover -------------------------------------------------------------------------------

@dataclass
class ItemRow:
    item: ChecklistItem
    label: str
    records_date: bool
    may_tick: bool
    overdue: bool

    @property
    def done(self) -> bool:
        return self.item.done_on is not None


@dataclass
class HandoverDetail:
    handover: Handover
    record: PersonRecord  # identity and contact as the spine allows
    members: list[Member]
    items: list[ItemRow]
    assessment: Assessment
    is_paying_office: bool
    is_next_office: bool
    regime_recorded: bool = False
    missing_for_completion: list[str] = field(default_factory=list)
    # The trigger person's next appointment at the foreigners' authority (the residence
    # document item), shown only where the spine allows the authority's residence data.
    next_abh_appointment: datetime.datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.handover.status == HandoverStatus.OPEN

    @property
    def hidden_members(self) -> int:
        return sum(1 for m in self.members if m.record is None)

    @property
    def visible_members(self) -> list[Member]:
        return [m for m in self.members if m.record is not None]

    @property
    def change(self) -> str:
        return change_label(self.handover)

    @property
    def contact_hidden_because(self) -> str:
        """Why the person's contact data is not shown ('' when it is)."""
        decision = self.record.decisions.get(DataCategory.CONTACT)
        if decision is None or decision.any_allowed or not decision.denied:
            return ""
        return decision.denied[0].explain(DataCategory.CONTACT)

    @property
    def may_record_regime(self) -> bool:
        """The next office records the new benefits regime once the application is filed."""
        return (self.is_open and self.is_next_office and not self.regime_recorded
                and self.assessment.coverage.expected is False)


def _handover_row(ctx: AccessContext, handover_id: int) -> Handover:
    with personal_data_scope():
        handover = (Handover.objects.filter(_own_office(ctx), pk=handover_id)
                    .select_related("from_agency", "to_agency", "rule").first())
    if handover is None or not _may_work(ctx):
        raise HandoverNotFound(handover_id)
    return handover


def handover_detail(ctx: AccessContext, handover_id: int) -> HandoverDetail:
    """One handover of the user's office with its checklist, dates, gap check and household.
    Missing, another office's and invisible handovers look the same (HandoverNotFound)."""
    handover = _handover_row(ctx, handover_id)
    # The trigger person first: if they are not visible, nothing is shown and nothing about the
    # household is read (or logged as read).
    try:
        record = access_person(ctx, handover.person_id, Purpose.BENEFITS_HANDOVER,
                               categories=[*DETAIL_CATEGORIES, DataCategory.RESIDENCE], action="handover.read",
                               object_ref=f"handover:{handover.pk}")
    except PersonNotFound as exc:
        raise HandoverNotFound(handover_id) from exc
    records, members = _members(ctx, [handover], "handover.read", object_ref=f"handover:{handover.pk}",
                                categories=DETAIL_CATEGORIES, skip_triggers=True)
    records[handover.person_id] = record
    with personal_data_scope():
        items = list(ChecklistItem.objects.filter(handover=handover).select_related("owner_agency")
                     .order_by("due_on", "id"))
        recorded = new_regime_recorded(handover)
    today = ctx.today
    order = list(BY_KEY)
    items.sort(key=lambda i: (i.due_on, order.index(i.key) if i.key in order else len(order), i.pk))
    rows = [
        ItemRow(item=i, label=str(BY_KEY[i.key].label) if i.key in BY_KEY else i.key,
                records_date=bool(i.key in BY_KEY and BY_KEY[i.key].records_date),
                may_tick=handover.status == HandoverStatus.OPEN and may_tick(ctx, i, handover),
                overdue=i.done_on is None and i.due_on < today)
        for i in items
    ]
    state = state_of(items, today)
    done_keys = {i.key for i in items if i.done_on is not None}
    return HandoverDetail(
        handover=handover, record=record,
        members=[Member(pid, role, records.get(pid)) for pid, role in members.get(handover.pk, [])
                 if pid != handover.person_id],
        items=rows, assessment=assess(handover, state, today),
        is_paying_office=handover.from_agency_id == ctx.agency_id,
        is_next_office=handover.to_agency_id == ctx.agency_id,
        regime_recorded=recorded,
        missing_for_completion=[str(BY_KEY[k].label) for k in REQUIRED_FOR_COMPLETION if k not in done_keys],
        next_abh_appointment=next_abh_appointments([record]).get(handover.person_id),
    )


@dataclass(frozen=True)
class ItemRef:
    handover_id: int
    key: str

    @property
    def records_date(self) -> bool:
        return bool(self.key in BY_KEY and BY_KEY[self.key].records_date)


def item_ref(ctx: AccessContext, item_id: int) -> ItemRef:
    """Which handover a checklist item belongs to and what it is, if it is one of the user's
    office (no personal data)."""
    if not _may_work(ctx):
        raise HandoverNotFound(item_id)
    with personal_data_scope():
        row = (ChecklistItem.objects.filter(pk=item_id, handover__in=Handover.objects.filter(_own_office(ctx)))
               .values_list("handover_id", "key").first())
    if row is None:
        raise HandoverNotFound(item_id)
    return ItemRef(*row)


# --- coordinators' overview ---------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date


@dataclass
class Figures:
    """Aggregates of one municipality (or the district): never a person."""

    name: str
    open: int = 0
    completed: int = 0
    gaps: int = 0
    gap_days_total: int = 0
    days_to_payment: list[int] = field(default_factory=list, repr=False)

    @property
    def total(self) -> int:
        return self.open + self.completed

    @property
    def payments(self) -> int:
        return len(self.days_to_payment)

    @property
    def median_days_to_payment(self) -> float | None:
        """None when there are fewer first payments than the smallest cell shown."""
        if self.payments < MIN_CELL:
            return None
        return statistics.median(self.days_to_payment)

    gap_days_hidden: bool = False
    hide_counts_below: bool = False

    @property
    def gap_days_shown(self) -> int | None:
        if self.gap_days_hidden:
            return None
        return self.gap_days_total if self.gaps == 0 or self.gaps >= MIN_CELL else None

    @property
    def gap_days_suppressed(self) -> bool:
        return 0 < self.gaps < MIN_CELL or (self.gap_days_hidden and self.gaps > 0)


@dataclass
class Overview:
    period: Period
    rows: list[Figures]
    district: Figures
    min_cell: int = MIN_CELL

    @property
    def max_total(self) -> int:
        return max([r.total for r in self.rows] + [1])


class OverviewNotAllowed(PermissionError):
    pass


def handover_overview(ctx: AccessContext, period: Period) -> Overview:
    """Handovers whose new entitlement starts within the period, per municipality of the
    person: open and completed (cancelled ones are left out), median days from the new start
    to the first payment, number and total length of payment gaps (open handovers with the gap
    expected as of today). Aggregates only; small cells are not shown."""
    if not ctx.has_permission(permissions.HANDOVER_OVERVIEW) or ctx.district_id is None:
        raise OverviewNotAllowed
    today = ctx.today
    with personal_data_scope():
        chosen = Handover.objects.filter(
            district_id=ctx.district_id, status__in=[HandoverStatus.OPEN, HandoverStatus.COMPLETED],
            new_regime_starts_on__gte=period.start, new_regime_starts_on__lte=period.end)
        light = list(chosen.values_list("id", "status", "old_regime_ends_on", "new_regime_starts_on",
                                  "application_due_on", "person__municipality_id"))
        states = checklist_states(chosen, today)
    municipalities = list(Municipality.objects.filter(district_id=ctx.district_id).order_by("name"))
    by_town = {m.pk: Figures(m.name) for m in municipalities}
    unknown = Figures(str(_("no municipality recorded")))
    district = Figures(str(_("whole district")))
    for hid, status, old_end, new_start, _due, town in light:
        state = states.get(hid, ChecklistState())
        coverage = coverage_of(old_regime_ends_on=old_end, new_regime_starts_on=new_start,
                               last_payment_on=state.last_payment_on,
                               application_filed_on=state.application_filed_on, today=today)
        for figures in (by_town.get(town, unknown), district):
            if status == HandoverStatus.OPEN:
                figures.open += 1
            else:
                figures.completed += 1
            if coverage.gap_days > 0:
                figures.gaps += 1
                figures.gap_days_total += coverage.gap_days
            if state.first_payment_on is not None:
                figures.days_to_payment.append((state.first_payment_on - new_start).days)
    # Small cells: municipalities with fewer than MIN_CELL handovers are pooled into one row
    # (shown only if the pool is large enough), and when any gap-day figure is hidden the
    # district's is hidden too, so no single person's gap follows by subtraction.
    rows, pooled = [], Figures(str(_("municipalities with fewer handovers (pooled)")))
    for figures in [by_town[m.pk] for m in municipalities] + ([unknown] if unknown.total else []):
        if 0 < figures.total < MIN_CELL:
            pooled.open += figures.open
            pooled.completed += figures.completed
            pooled.gaps += figures.gaps
            pooled.gap_days_total += figures.gap_days_total
            pooled.days_to_payment += figures.days_to_payment
        else:
            rows.append(figures)
    if pooled.total >= MIN_CELL:
        rows.append(pooled)
    elif pooled.total:
        district.hide_counts_below = True
    if any(r.gap_days_suppressed for r in rows) or (pooled.total and pooled.total < MIN_CELL):
        district.gap_days_hidden = True
    return Overview(period, rows, district)
