"""Key performance indicators of the steering dashboard and the count tables of the anonymous
export: numbers per municipality and period, never a person.

Every figure is counted inside one `aggregate_scope` (permission `steering:view`, one access-log
entry, then the personal-data scope). The definitions are data (`DEFINITIONS`): the statistic
each one takes, its unit, which direction is better and, for the integration course, the
target from the dated rule data in force at the end of the period. Each source is read in one
or two queries over the period and the one before it (values only, no rows per person), so
the number of queries does not grow with the data.

A figure computed from fewer than `MIN_CELL` persons or events is not shown. For the
statistics that add up (shares, means, cases per case manager) a municipality's hidden figure
could be recovered from the district's and the other municipalities' figures; where exactly
one municipality's figure is hidden, the smallest other one is withheld too (the same rule as
`steering.suppression` applies to the export's tables)."""

import datetime
import operator
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import reduce

from django.db import models
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.access.context import AccessContext
from lotse.appointments.models import AppointmentMember, AppointmentStatus, ProposalReason
from lotse.cases.models import Case, CaseAssignment, FocusArea, Phase
from lotse.gaps.models import GapKind, GapReport
from lotse.handovers.models import Handover, HandoverStatus
from lotse.handovers.selectors import checklist_states as handover_checklist_states
from lotse.handovers.selectors import coverage_of
from lotse.organisations.models import Municipality
from lotse.plans.models import PlanGoal, PlanTemplate, StepStatus
from lotse.referrals.models import OPEN_REFERRAL_STATUSES, Referral, ReferralStatus
from lotse.rules.models import DeadlineRule
from lotse.rules.selectors import NoRuleInForce, deadline_rule
from lotse.steering.access import aggregate_scope
from lotse.steering.periods import Period
from lotse.steering.suppression import THRESHOLD

MIN_CELL = THRESHOLD  # figures from 1 to MIN_CELL - 1 persons are not shown
COURSE_TEMPLATE = "integration-course"
COURSE_START_RULE = "integration-course-start"

LOWER, HIGHER, NEITHER = "lower", "higher", ""  # which direction of a figure is better


# --- definitions -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class KpiDefinition:
    """What a figure means, as shown beside it. `statistic` names how the values counted are
    combined (see STATISTICS). `target_rule` names a `rules.DeadlineRule` whose period in days,
    as in force at the end of the period, is the target (`rule_days_are_target`) or the
    threshold the figure counts against; `target`/`target_text` are filled in per period."""

    code: str
    title: str
    definition: str
    unit: str
    statistic: str
    better: str = NEITHER
    target: float | None = None
    target_text: str = ""
    target_rule: str = ""
    rule_days_are_target: bool = False

    @property
    def better_text(self) -> str:
        return {LOWER: _("lower is better"), HIGHER: _("higher is better")}.get(self.better, "")


DAYS, PERCENT = gettext_lazy("days"), "%"

DEFINITIONS: tuple[KpiDefinition, ...] = (
    KpiDefinition(
        "course_start_days", gettext_lazy("Days from eligibility to integration-course start"),
        gettext_lazy(
            "Median of the days from the date of eligibility (the anchor date of a plan goal made from "
            "the template “integration course”) to the day the goal's step “start of the integration "
            "course” was marked done. Counted: the courses that started in the period, each under the "
            "person's municipality."),
        DAYS, "median", LOWER, target_rule=COURSE_START_RULE, rule_days_are_target=True,
        target_text=gettext_lazy("at most %(days)s days (%(rule)s; %(reference)s)")),
    KpiDefinition(
        "course_start_within_target", gettext_lazy("Integration courses started within the target"),
        gettext_lazy(
            "Of the integration courses that started in the period (as above), the share that started "
            "at most the target period after eligibility. The target period is the deadline rule "
            "“%(rule_key)s” in force at the end of the period."),
        PERCENT, "share", HIGHER, target_rule=COURSE_START_RULE,
        target_text=gettext_lazy("start within %(days)s days (%(rule)s; %(reference)s)")),
    KpiDefinition(
        "benefit_gap_days", gettext_lazy("Gap days at changes of benefits regime"),
        gettext_lazy(
            "Mean number of days without benefits at the changes of benefits regime whose new "
            "entitlement started in the period (open and completed changes; cancelled ones left out): "
            "from the end of the old coverage (the previous office's last payment, else the end of the "
            "old entitlement) to the start of the new one (the first day of the month the application "
            "was filed in, never before the new entitlement starts; without an application, as if it "
            "were filed today). An overlap counts as 0 days."),
        DAYS, "mean", LOWER),
    KpiDefinition(
        "benefit_no_gap_share", gettext_lazy("Changes of benefits regime without a gap"),
        gettext_lazy("Of the changes of benefits regime counted above, the share without a single gap day."),
        PERCENT, "share", HIGHER),
    KpiDefinition(
        "renewals_in_time", gettext_lazy("Renewals finished before the permit expired"),
        gettext_lazy(
            "Of the permit renewals completed in the period (an outcome recorded at the appointment; a "
            "renewal proposed again after a missed appointment included), the share whose appointment "
            "lay on or before the day the title expired. Each person counts under their municipality."),
        PERCENT, "share", HIGHER),
    KpiDefinition(
        "invitation_to_appointment_days", gettext_lazy("Days from invitation to appointment"),
        gettext_lazy(
            "Median of the days from the invitation to the day of the appointment, over the appointments "
            "whose invitation went out in the period. A household's joint appointment counts once, under "
            "the municipality of its members."),
        DAYS, "median", NEITHER),
    KpiDefinition(
        "caseload_per_manager", gettext_lazy("Open cases per case manager"),
        gettext_lazy(
            "The cases open at the end of the period (today, while the period runs) that have a case "
            "manager, divided by the number of different case managers of these cases. The case manager "
            "is the one last assigned up to that day (where no assignment is recorded, the current one)."),
        gettext_lazy("cases per case manager"), "per_manager", LOWER),
    KpiDefinition(
        "referrals_accepted_share", gettext_lazy("Referrals accepted"),
        gettext_lazy(
            "Of the referrals sent in the period, the share the receiving agency accepted (including "
            "those done, or withdrawn by the sender, after being accepted)."),
        PERCENT, "share", HIGHER),
    KpiDefinition(
        "referrals_completed_share", gettext_lazy("Referrals completed"),
        gettext_lazy("Of the referrals sent in the period, the share the receiving agency marked as done."),
        PERCENT, "share", HIGHER),
    KpiDefinition(
        "referral_open_age_days", gettext_lazy("Age of open referrals"),
        gettext_lazy(
            "Median age in days, at the end of the period (today, while the period runs), of the "
            "referrals still open then: sent and not yet answered, or accepted and not yet done. A "
            "referral done or declined later counts as open; a withdrawn one does not (the day of "
            "withdrawal is not recorded)."),
        DAYS, "median", LOWER),
    KpiDefinition(
        "gap_report_resolution_days", gettext_lazy("Days to resolve a gap report"),
        gettext_lazy(
            "Median of the days from the report to its resolution (decided, merged into another report "
            "or closed) over the gap reports resolved in the period, under the municipality the report "
            "names."),
        DAYS, "median", LOWER),
)
BY_CODE = {d.code: d for d in DEFINITIONS}


def indicator_choices() -> list[tuple[str, str]]:
    """(code, translated title) of every KPI, in dashboard order."""
    return [(d.code, str(d.title)) for d in DEFINITIONS]


STATISTICS: dict[str, Callable[[list[float]], float]] = {
    "median": lambda values: float(statistics.median(values)),
    "mean": statistics.fmean,
    "share": lambda hits: 100 * sum(hits) / len(hits),  # values 1 (counts) or 0, in per cent
    "per_manager": lambda managers: len(managers) / len(set(managers)),  # one manager id per case
}
ADDITIVE = {"mean", "share", "per_manager"}  # recoverable by subtraction: see the module text


# --- results -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Figure:
    """`value` computed from `n` persons or events; None when n is 0 or below MIN_CELL, or when
    `withheld` (hidden so that a small figure beside it cannot be recovered by subtraction)."""

    value: float | None
    n: int
    withheld: bool = False

    @property
    def text(self) -> str:
        if self.value is not None:
            value = round(float(self.value), 1)  # number_format cuts decimals off instead of rounding
            return number_format(value, decimal_pos=0 if value.is_integer() else 1, force_grouping=True)
        if self.n:  # small, or withheld beside a small one: told apart nowhere (either would hint)
            return _("not shown")
        return _("no data")


@dataclass(frozen=True)
class MunicipalityFigure:
    name: str
    figure: Figure
    previous: Figure = field(default_factory=lambda: Figure(None, 0))


@dataclass(frozen=True)
class KpiResult:
    definition: KpiDefinition
    district: Figure
    previous: Figure
    by_municipality: list[MunicipalityFigure]


@dataclass(frozen=True)
class KpiReport:
    period: Period
    previous_period: Period
    results: list[KpiResult]

    def result(self, code: str) -> KpiResult:
        return next(r for r in self.results if r.definition.code == code)


@dataclass(frozen=True)
class CountTable:
    """Raw counts (rows: municipalities; columns: categories) for the anonymous export. The
    caller suppresses small cells (`steering.suppression.suppress`) before showing them."""

    code: str
    title: str
    row_labels: list[str]
    column_labels: list[str]
    counts: list[list[int]]
    definition: str = ""


# --- the window: the period and the one before it ------------------------------------------------------

@dataclass(frozen=True)
class _Window:
    periods: tuple[Period, Period]  # the period, the previous one
    district_id: int
    today: datetime.date
    rules: tuple[DeadlineRule | None, DeadlineRule | None]  # the course-start rule of each period
    tz: datetime.tzinfo  # the local time zone, looked up once (a lookup per row costs more than the row)

    @property
    def start(self) -> datetime.date:
        return self.periods[1].start

    @property
    def end(self) -> datetime.date:
        return self.periods[0].end

    def index(self, day: datetime.date | None) -> int | None:
        """0 for a day in the period, 1 in the previous one, None outside both."""
        if day is None or not self.start <= day <= self.end:
            return None
        return 0 if day >= self.periods[0].start else 1

    def reference(self, i: int) -> datetime.date:
        """The day 'at the end of the period' means: its last day, or today while it runs."""
        return min(self.periods[i].end, self.today)

    def moment(self, day: datetime.date) -> datetime.datetime:
        """The start of a local day."""
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=self.tz)

    def day(self, moment: datetime.datetime | None) -> datetime.date | None:
        """The local day of a moment."""
        return None if moment is None else moment.astimezone(self.tz).date()

    def course_target_days(self, i: int) -> int | None:
        rule = self.rules[i]
        return None if rule is None else _rule_days(rule, self.periods[i].end)


def _rule_days(rule: DeadlineRule, on: datetime.date) -> int:
    return (rule.apply(on) - on).days


def _window(ctx: AccessContext, period: Period) -> _Window:
    periods = (period, period.previous())
    rules = []
    for p in periods:
        try:
            rules.append(deadline_rule(key=COURSE_START_RULE, on=p.end))
        except NoRuleInForce:
            rules.append(None)
    return _Window(periods, ctx.district_id, ctx.today, (rules[0], rules[1]), timezone.get_current_timezone())


Sample = tuple[str, int, int | None, float]  # (KPI code, period index, municipality id, value)


# --- what is counted, source by source (inside the scope) ------------------------------------------------

def _course_step() -> Q | None:
    """The step of a course goal that records the start of the course. Steps carry no key of
    the template step they came from, so a step counts when either
    - its deadline reference was written from a version of the rule `integration-course-start`
      (the template writes "name (legal reference)" of each rule it counted with; a chain
      ending with that rule included): it survives edited step titles and added steps; or
    - its title is the title of a step of the course template counted with that rule (for a
      rule whose name was edited in place instead of adding a dated version).
    The earliest done date among such steps of a goal is the course start. None when neither
    the rule nor the template is known (no course can be counted then)."""
    refs = [f"{name} ({reference})"[:300] for name, reference in
            DeadlineRule.objects.filter(key=COURSE_START_RULE).values_list("name", "legal_reference")]
    titles = [str(spec.get("title", "")).strip() for steps in
              PlanTemplate.objects.filter(code=COURSE_TEMPLATE).values_list("steps", flat=True)
              for spec in steps or [] if _last_rule(spec) == COURSE_START_RULE]
    alternatives = [Q(steps__deadline_rule_ref__in=refs)] if refs else []
    alternatives += [Q(steps__deadline_rule_ref__endswith=f" → {ref}") for ref in refs]
    alternatives += [Q(steps__title__in=titles)] if titles else []
    if not alternatives:
        return None
    return Q(steps__status=StepStatus.DONE) & reduce(operator.or_, alternatives)


def _last_rule(spec: dict) -> str | None:
    """The key of the last deadline rule a template step counts with (see plans.reference)."""
    keys = spec.get("deadline_rules") or [spec.get("deadline_rule")]
    return keys[-1]


def _courses(w: _Window) -> Iterator[Sample]:
    course_step = _course_step()
    if course_step is None:
        return
    goals = (PlanGoal.objects.filter(plan__case__district_id=w.district_id, template_code=COURSE_TEMPLATE,
                                     anchor_on__isnull=False)
             .annotate(started_on=Min("steps__done_on", filter=course_step))
             .filter(started_on__gte=w.start, started_on__lte=w.end))
    for eligible_on, started_on, town in goals.values_list("anchor_on", "started_on",
                                                           "plan__case__person__municipality_id"):
        i = w.index(started_on)
        days = (started_on - eligible_on).days
        yield "course_start_days", i, town, days
        target = w.course_target_days(i)
        if target is not None:
            yield "course_start_within_target", i, town, int(days <= target)


def _handovers(w: _Window) -> Iterator[Sample]:
    """The gap check of `handovers.selectors` (coverage_of, with the checklist states read in
    two queries), as its coordinators' overview counts it."""
    chosen = Handover.objects.filter(
        district_id=w.district_id, status__in=[HandoverStatus.OPEN, HandoverStatus.COMPLETED],
        new_regime_starts_on__gte=w.start, new_regime_starts_on__lte=w.end)
    rows = list(chosen.values_list("id", "old_regime_ends_on", "new_regime_starts_on", "person__municipality_id"))
    states = handover_checklist_states(chosen, w.today)
    for handover_id, old_end, new_start, town in rows:
        state = states.get(handover_id)
        coverage = coverage_of(old_regime_ends_on=old_end, new_regime_starts_on=new_start,
                               last_payment_on=state.last_payment_on if state else None,
                               application_filed_on=state.application_filed_on if state else None,
                               today=w.today)
        i = w.index(new_start)
        yield "benefit_gap_days", i, town, coverage.gap_days
        yield "benefit_no_gap_share", i, town, int(coverage.gap_days == 0)


def _appointments(w: _Window) -> Iterator[Sample]:
    """The definitions of `appointments.figures` (days to appointment, renewals before expiry),
    counted per municipality of the persons instead of per office and month. Read per member
    (no grouping in the database); a household's joint appointment counts once, under the
    municipality of its members. The bounds on the appointment's start only let the database
    use its index (an appointment lies after its invitation; a member's slot after the
    appointment's start)."""
    start, end = w.moment(w.start), w.moment(w.end + datetime.timedelta(days=1))
    members = AppointmentMember.objects.filter(appointment__office__agency__district_id=w.district_id)
    invited: dict[int, tuple] = {}
    for appointment_id, invited_at, starts_at, town in members.filter(
            appointment__starts_at__gte=start, appointment__invited_at__gte=start, appointment__invited_at__lt=end,
    ).values_list("appointment_id", "appointment__invited_at", "appointment__starts_at", "person__municipality_id"):
        known = invited.get(appointment_id)
        if known is None or (town is not None and (known[2] is None or town < known[2])):
            invited[appointment_id] = (invited_at, starts_at, town)
    for invited_at, starts_at, town in invited.values():
        invited_on = w.day(invited_at)
        yield "invitation_to_appointment_days", w.index(invited_on), town, (w.day(starts_at) - invited_on).days
    renewals = members.filter(
        appointment__starts_at__gte=start - datetime.timedelta(days=1), appointment__starts_at__lt=end,
        appointment__status=AppointmentStatus.COMPLETED, starts_at__gte=start, starts_at__lt=end,
        proposal__reason__in=(ProposalReason.EXPIRY, ProposalReason.NO_SHOW), proposal__expires_on__isnull=False,
    ).exclude(outcome="")
    for starts_at, expires_on, town in renewals.values_list("starts_at", "proposal__expires_on",
                                                            "person__municipality_id"):
        on = w.day(starts_at)
        yield "renewals_in_time", w.index(on), town, int(on <= expires_on)


@dataclass(frozen=True)
class _OpenCase:
    opened_on: datetime.date
    closed_on: datetime.date | None
    focus_area: str
    phase: str
    town: int | None
    managers: tuple[int | None, int | None]  # the case manager at the end of each period

    def open_on(self, day: datetime.date) -> bool:
        return self.opened_on <= day and (self.closed_on is None or self.closed_on > day)


def _open_cases(w: _Window) -> list[_OpenCase]:
    """The cases open on either reference day, each with its case manager on both."""
    first_reference = min(w.reference(0), w.reference(1))
    cases = Case.objects.filter(district_id=w.district_id, opened_on__lte=w.reference(0)).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=first_reference))
    columns = ["opened_on", "closed_on", "focus_area", "phase", "person__municipality_id"]
    for i in (0, 1):
        until = w.moment(w.reference(i) + datetime.timedelta(days=1))
        assigned = CaseAssignment.objects.filter(case_id=OuterRef("pk"), assigned_at__lt=until)
        cases = cases.annotate(**{
            f"manager_{i}": Subquery(assigned.order_by("-assigned_at", "-id").values("case_manager_id")[:1]),
            f"assigned_{i}": Exists(assigned),
        })
        columns += [f"manager_{i}", f"assigned_{i}"]
    return [_OpenCase(opened_on, closed_on, focus, phase, town,
                      (then_0 if assigned_0 else current, then_1 if assigned_1 else current))
            for opened_on, closed_on, focus, phase, town, then_0, assigned_0, then_1, assigned_1, current
            in cases.values_list(*columns, "case_manager_id")]


def _caseload(w: _Window) -> Iterator[Sample]:
    for case in _open_cases(w):
        for i in (0, 1):
            if case.open_on(w.reference(i)) and case.managers[i] is not None:
                yield "caseload_per_manager", i, case.town, case.managers[i]


def _referrals(w: _Window) -> Iterator[Sample]:
    start, end = w.moment(w.start), w.moment(w.end + datetime.timedelta(days=1))
    district = Referral.objects.filter(district_id=w.district_id)
    # Counted in the database: (period, municipality, accepted, done) → how many.
    sent = district.filter(sent_at__gte=start, sent_at__lt=end).values_list(
        models.Case(models.When(sent_at__gte=w.moment(w.periods[0].start), then=0), default=1),
        "person__municipality_id",
        ExpressionWrapper(Q(answered_at__isnull=False) & ~Q(status=ReferralStatus.DECLINED), BooleanField()),
        ExpressionWrapper(Q(status=ReferralStatus.DONE), BooleanField()),
    ).annotate(n=Count("id")).order_by()
    for i, town, accepted, done, n in sent:
        for _each in range(n):
            yield "referrals_accepted_share", i, town, int(accepted)
            yield "referrals_completed_share", i, town, int(done)
    references = (w.reference(0), w.reference(1))
    open_on = [_referral_open_on(w.moment(day + datetime.timedelta(days=1))) for day in references]
    for sent_at, town, *open_then in district.filter(open_on[0] | open_on[1]).values_list(
            "sent_at", "person__municipality_id", *(ExpressionWrapper(q, BooleanField()) for q in open_on)):
        sent_on = w.day(sent_at)
        for i, day in enumerate(references):
            if open_then[i]:
                yield "referral_open_age_days", i, town, (day - sent_on).days


def _referral_open_on(next_day: datetime.datetime) -> Q:
    """Open at the end of the day before `next_day`: sent by then and not answered or done by
    then (a withdrawal has no date: a withdrawn referral counts as closed)."""
    return Q(sent_at__lt=next_day) & (
        Q(status__in=OPEN_REFERRAL_STATUSES) | Q(status=ReferralStatus.DONE, done_at__gte=next_day)
        | Q(status=ReferralStatus.DECLINED, answered_at__gte=next_day))


def _gap_reports(w: _Window) -> Iterator[Sample]:
    resolved = GapReport.objects.filter(district_id=w.district_id, resolved_on__gte=w.start,
                                        resolved_on__lte=w.end)
    for reported_on, resolved_on, town in resolved.values_list("reported_on", "resolved_on", "municipality_id"):
        yield "gap_report_resolution_days", w.index(resolved_on), town, (resolved_on - reported_on).days


# Figures not about persons: a report without a municipality concerns the whole district.
PLACED_BY_REPORT = {"gap_report_resolution_days"}
SOURCES = (_courses, _handovers, _appointments, _caseload, _referrals, _gap_reports)


# --- from values to figures --------------------------------------------------------------------------

def _figure(values: list[float], statistic: str) -> Figure:
    """A share is hidden too where its hits or its misses are 1 to MIN_CELL − 1: beside its n
    it would tell the small count (3 of 10 referrals done = 30 %)."""
    if len(values) < MIN_CELL:
        return Figure(None, len(values))
    if statistic == "share":
        hits = int(sum(values))
        if 0 < hits < MIN_CELL or 0 < len(values) - hits < MIN_CELL:
            return Figure(None, len(values))
    return Figure(STATISTICS[statistic](values), len(values))


def _withhold_partners(figures: list[Figure]) -> list[Figure]:
    """Where exactly one figure of the rows is hidden for being small, withhold the smallest
    shown one too, so the district's figure minus the others does not give it away."""
    figures = list(figures)
    while sum(1 for f in figures if f.value is None and f.n > 0) == 1:
        shown = [(f.n, k) for k, f in enumerate(figures) if f.value is not None]
        if not shown:
            break
        k = min(shown)[1]
        figures[k] = Figure(None, figures[k].n, withheld=True)
    return figures


@dataclass(frozen=True)
class _Town:
    name: str
    id: int | None


def _municipalities(ctx: AccessContext) -> list[_Town]:
    return [_Town(name, pk) for pk, name in
            Municipality.objects.filter(district_id=ctx.district_id).order_by("name").values_list("pk", "name")]


def _rows(municipalities: list[_Town], unplaced_label: str, with_data) -> list[_Town]:
    """The district's municipalities by name, then the row without a municipality if it has data."""
    return municipalities + ([_Town(unplaced_label, None)] if None in set(with_data) else [])


def _result(definition: KpiDefinition, samples: dict[tuple[int, int | None], list[float]],
            towns: list[_Town]) -> KpiResult:
    rows: list[list[Figure]] = []
    for i in (0, 1):
        figures = [_figure(samples.get((i, t.id), []), definition.statistic) for t in towns]
        rows.append(_withhold_partners(figures) if definition.statistic in ADDITIVE else figures)
    district = [_figure([v for (j, _t), values in samples.items() if j == i for v in values], definition.statistic)
                for i in (0, 1)]
    return KpiResult(definition, district[0], district[1],
                     [MunicipalityFigure(t.name, now, before) for t, now, before in zip(towns, *rows, strict=True)])


def _resolved(definition: KpiDefinition, w: _Window) -> KpiDefinition:
    """The definition with the period's target filled in from the rule data."""
    values = {"rule_key": definition.target_rule}
    if not definition.target_rule:
        return replace(definition, title=str(definition.title), definition=str(definition.definition),
                       unit=str(definition.unit))
    rule = w.rules[0]
    target, text = None, ""
    if rule is not None:
        days = w.course_target_days(0)
        target = float(days) if definition.rule_days_are_target else None
        text = str(definition.target_text) % {"days": days, "rule": rule.name, "reference": rule.legal_reference}
    return replace(definition, title=str(definition.title), definition=str(definition.definition) % values,
                   unit=str(definition.unit), target=target, target_text=text)


def _collect(w: _Window, town_ids: set[int | None]) -> dict[str, dict[tuple[int, int | None], list[float]]]:
    samples: dict[str, dict[tuple[int, int | None], list[float]]] = defaultdict(lambda: defaultdict(list))
    for source in SOURCES:
        for code, i, town, value in source(w):
            if i is not None:
                samples[code][(i, town if town in town_ids else None)].append(value)
    return samples


def compute_kpis(ctx: AccessContext, period: Period) -> KpiReport:
    """Every KPI of `DEFINITIONS` for the district of `ctx`, for `period` and the period before
    it, for the district and per municipality. Refused (AccessDenied, logged) without
    `steering:view`; one access-log entry `steering.aggregate` otherwise."""
    with aggregate_scope(ctx, f"kpis:{period.key}"):
        w = _window(ctx, period)
        municipalities = _municipalities(ctx)
        samples = _collect(w, {t.id for t in municipalities})
        results = []
        for definition in DEFINITIONS:
            by_key = samples.get(definition.code, {})
            unplaced = _("whole district") if definition.code in PLACED_BY_REPORT else _("no municipality recorded")
            towns = _rows(municipalities, unplaced, (t for (_i, t) in by_key))
            results.append(_result(_resolved(definition, w), by_key, towns))
    return KpiReport(period, w.periods[1], results)


# --- count tables for the anonymous export --------------------------------------------------------------

def _table(code: str, title: str, definition: str, columns: list[tuple[str, str]],
           cells: dict[tuple[int | None, str], int], towns: list[_Town]) -> CountTable:
    return CountTable(code, title, [t.name for t in towns], [label for _key, label in columns],
                      [[cells.get((t.id, key), 0) for key, _label in columns] for t in towns], definition)


def _tally(pairs) -> dict[tuple[int | None, str], int]:
    cells: dict[tuple[int | None, str], int] = defaultdict(int)
    for town, key in pairs:
        cells[(town, key)] += 1
    return cells


def count_tables(ctx: AccessContext, period: Period) -> list[CountTable]:
    """Raw counts per municipality for the export: open cases at the end of the period by focus
    area and by phase, referrals sent in the period by status, gap reports received in the
    period by kind. Same door as `compute_kpis`."""
    with aggregate_scope(ctx, f"counts:{period.key}"):
        w = _window(ctx, period)
        municipalities = _municipalities(ctx)
        town_ids = {t.id for t in municipalities}

        def place(town: int | None) -> int | None:
            return town if town in town_ids else None

        cases = [(place(c.town), c.focus_area, c.phase) for c in _open_cases(w) if c.open_on(w.reference(0))]
        start, end = w.moment(period.start), w.moment(period.end + datetime.timedelta(days=1))
        referrals = [(place(town), status) for town, status in Referral.objects.filter(
            district_id=ctx.district_id, sent_at__gte=start, sent_at__lt=end).values_list(
            "person__municipality_id", "status")]
        reports = [(place(town), kind) for town, kind in GapReport.objects.filter(
            district_id=ctx.district_id, reported_on__gte=period.start, reported_on__lte=period.end).values_list(
            "municipality_id", "kind")]
        unplaced = _("no municipality recorded")
        case_towns = _rows(municipalities, unplaced, (t for t, _f, _p in cases))
        phases = [(p.value, str(p.label)) for p in Phase if p != Phase.CLOSED]
        if any(phase == Phase.CLOSED for _t, _f, phase in cases):
            phases.append((Phase.CLOSED.value, _("closed since")))
        tables = [
            _table("open_cases_by_focus_area", _("Open cases at the end of the period by focus area"),
                   _("Cases open on the last day of the period (today, while it runs), by the person's "
                     "municipality."), [(f.value, str(f.label)) for f in FocusArea],
                   _tally((t, f) for t, f, _p in cases), case_towns),
            _table("open_cases_by_phase", _("Open cases at the end of the period by phase"),
                   _("Cases open on the last day of the period (today, while it runs), by their phase as "
                     "recorded now: a case closed since then is counted as “closed since”."), phases,
                   _tally((t, p) for t, _f, p in cases), case_towns),
            _table("referrals_by_status", _("Referrals sent in the period by status"),
                   _("Referrals sent in the period, by their status today and the person's municipality."),
                   [(s.value, str(s.label)) for s in ReferralStatus], _tally(referrals),
                   _rows(municipalities, unplaced, (t for t, _s in referrals))),
            _table("gap_reports_by_kind", _("Gap reports of the period by kind"),
                   _("Gap reports received in the period, merged ones included, by the municipality they "
                     "name."), [(k.value, str(k.label)) for k in GapKind], _tally(reports),
                   _rows(municipalities, _("whole district"), (t for t, _k in reports))),
        ]
    return tables
