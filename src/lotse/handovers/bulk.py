"""Bulk change of benefits regime for a whole group (issue 4, point 5): all persons of the
district with a residence status of a rule's trigger kinds valid on a reference date — the
example is every § 24 holder on 2022-06-01.

Part of the spine perimeter: counts and runs over personal models for a user who holds
HANDOVER_BULK (a coordinator or a social-office lead), who never sees a person: the preview and
the report name persons by id only.

- `bulk_preview` predicts the outcome without writing: how many handovers would open, who would
  be skipped and why. It mirrors the checks of `services.handover_open_for_status` on prefetched
  data (tests hold the prediction against a real run).
- `bulk_run_start` records a `BulkChangeRun` and enqueues `tasks.bulk_change_task`, whose body is
  `bulk_run_execute`: it walks the group in ascending person id, one batch per transaction that
  also advances `last_person_id`, the counts, the report and the progress bar. Every person goes
  through `handover_open_for_status`, so a single trigger and a bulk change share one logic.
- Idempotent: a second run opens nothing (each person's handover exists already, or they move
  with their household's). Resumable: an interrupted run continues after the last committed
  batch (`bulk_run_resume`); the unique constraint person+rule is the last line of defence.
"""

import datetime
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.access.context import AccessContext, context_for_user
from lotse.access.spine import AccessDenied, log_action, refuse
from lotse.core.models import TaskProgress
from lotse.core.progress import progress_finish, progress_start, progress_update
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import Purpose
from lotse.handovers.models import BulkChangeRun, BulkRunStatus, Handover, HandoverMember
from lotse.handovers.services import handover_open_for_status
from lotse.handovers.timing import change_dates, rule_applies
from lotse.organisations import permissions
from lotse.organisations.models import Agency, StaffUser
from lotse.people.models import BenefitsRegime, Person, ResidenceStatus
from lotse.rules.models import RegimeChangeRule, ResidenceKind
from lotse.rules.selectors import NoRuleInForce, responsible_agency_kinds

# Persons per transaction. On SQLite a batch holds the database's write lock while it runs
# (about 20 ms per handover opened), so it stays small enough not to stall other users.
BATCH_SIZE = 100
PREVIEW_CHUNK = 5000  # persons whose data the preview holds in memory at a time
ID_CHUNK = 5000  # ids per IN (…) list
EXAMPLES_PER_REASON = 50
PROGRESS_LABEL = "handover-bulk"
# A running run whose progress has not moved for this long lost its worker: it may be resumed.
STALE_AFTER = datetime.timedelta(minutes=5)
# How far ahead a reference date may lie (a planned change, e.g. the return to the AsylbLG).
MAX_DAYS_AHEAD = 2 * 366

# Why a person of the group gets no handover of their own (codes as in `OpenResult.reason`).
EXISTS = "exists"
MEMBER = "member_of_household_handover"
NOT_IN_PREVIOUS_REGIME = "not_in_previous_regime"
NO_OFFICE = "no_office_for_next_regime"
NO_DEADLINE_RULE = "no_deadline_rule"
RULE_NOT_APPLICABLE = "rule_not_applicable"
LEFT_GROUP = "left_the_group"  # the status changed while the run was going on
REASONS = {
    EXISTS: gettext_lazy("already has a handover under this rule"),
    MEMBER: gettext_lazy("moves with the handover of their household"),
    NOT_IN_PREVIOUS_REGIME: gettext_lazy("received no benefits under the previous regime on the day "
                                         "before the change"),
    NO_OFFICE: gettext_lazy("no office of the district pays under the next regime"),
    NO_DEADLINE_RULE: gettext_lazy("no deadline rule is in force for the date of the change"),
    RULE_NOT_APPLICABLE: gettext_lazy("the rule does not cover this status (for example first "
                                      "issued too early)"),
    LEFT_GROUP: gettext_lazy("the status was changed during the run and no longer belongs to the group"),
}


def reason_label(code: str) -> str:
    return str(REASONS.get(code, code))


# --- the group --------------------------------------------------------------------------------
# Queries name the status kinds by id (no join) and reach persons through their ids: plans stay
# simple even when the planner knows nothing yet about freshly loaded tables.

def _kinds(rule: RegimeChangeRule) -> dict[int, ResidenceKind]:
    return {kind.pk: kind for kind in ResidenceKind.objects.filter(code__in=list(rule.trigger_kinds or []))}


def _group_person_ids(district_id: int, kind_ids, on: datetime.date, after: int = 0) -> list[int]:
    """Ascending ids of the district's persons (merged-away duplicates excluded) with a status of
    the rule's trigger kinds valid on `on`: the statuses first, then their persons by id."""
    with personal_data_scope():
        candidates = sorted(set(
            ResidenceStatus.objects.filter(kind_id__in=list(kind_ids), valid_from__lte=on, person_id__gt=after)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)).values_list("person_id", flat=True)))
        ids: list[int] = []
        for start in range(0, len(candidates), ID_CHUNK):
            ids += Person.objects.filter(pk__in=candidates[start:start + ID_CHUNK], district_id=district_id,
                                         merged_into__isnull=True).values_list("pk", flat=True)
    return sorted(ids)


def _trigger_statuses(kinds: dict[int, ResidenceKind], on: datetime.date,
                      person_ids: list[int]) -> dict[int, ResidenceStatus]:
    """Per person (of the group) the status that triggers: the latest of the kinds valid on `on`."""
    with personal_data_scope():
        rows = (ResidenceStatus.objects.filter(person_id__in=person_ids, kind_id__in=list(kinds),
                                               valid_from__lte=on)
                .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
                .order_by("person_id", "-valid_from", "-id"))
        statuses: dict[int, ResidenceStatus] = {}
        for status in rows:
            if status.person_id not in statuses:
                status.kind = kinds[status.kind_id]
                statuses[status.person_id] = status
    return statuses


def _rule_for(rule_key: str, on: datetime.date, ctx: AccessContext) -> RegimeChangeRule:
    rule = RegimeChangeRule.objects.filter(key=rule_key).first()
    if rule is None:
        raise ValidationError({"rule": _("There is no such rule.")})
    if on > ctx.today + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError({"on": _("The date lies too far in the future.")})
    if not rule.in_force_on(on):
        raise ValidationError({"on": _("The rule is not in force on this date.")})
    return rule


def _require_bulk(ctx: AccessContext, action: str) -> None:
    if ctx.district_id is None or ctx.user_id is None:
        raise AccessDenied(_("Only staff members of a district run a change for a group."))
    if not ctx.has_permission(permissions.HANDOVER_BULK):
        refuse(ctx, f"{action}.refused", reason=f"permission:{permissions.HANDOVER_BULK}",
               message=_("You lack the permission '%(perm)s'.") % {"perm": permissions.HANDOVER_BULK})


# --- preview ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class BulkPreview:
    rule_key: str
    rule_name: str
    on: datetime.date
    total: int  # persons in the group
    would_open: int  # handovers that would open
    persons_moving: int  # persons in these handovers (the household members included)
    skipped: dict[str, int] = field(default_factory=dict)  # reason → persons
    examples: dict[str, list[int]] = field(default_factory=dict)  # reason → up to 50 person ids

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    def skipped_rows(self) -> list[tuple[str, str, int, list[int]]]:
        """(code, label, count, example ids) of every reason that occurs, in a fixed order."""
        return [(code, reason_label(code), self.skipped[code], self.examples.get(code, []))
                for code in REASONS if self.skipped.get(code)]


class _Prediction:
    """The checks of `handover_open_for_status`/`_open`, in their order, on prefetched data."""

    def __init__(self, district_id: int, rule: RegimeChangeRule, kinds: dict[int, ResidenceKind],
                 statuses: dict[int, ResidenceStatus]):
        self.rule = rule
        self.district_id = district_id
        ids = sorted(statuses)
        self.statuses = statuses
        with personal_data_scope():
            self.first_issued = dict(
                ResidenceStatus.objects.filter(person_id__in=ids, kind_id__in=list(kinds))
                .values("person_id").annotate(first=Min("valid_from")).values_list("person_id", "first"))
            self.existing = set(Handover.objects.filter(rule=rule, person_id__in=ids)
                                .values_list("person_id", flat=True))
            self.members = set(HandoverMember.objects.filter(handover__rule=rule, person_id__in=ids)
                               .values_list("person_id", flat=True))
            self.regimes: dict[int, list[tuple]] = defaultdict(list)
            for row in (BenefitsRegime.objects.filter(person_id__in=ids)
                        .order_by("person_id", "-valid_from", "-id")
                        .values_list("person_id", "regime", "valid_from", "valid_to")):
                self.regimes[row[0]].append(row[1:])
            self.household_of = dict(Person.objects.filter(pk__in=ids, household__isnull=False)
                                     .values_list("pk", "household_id"))
            self.households: dict[int, set[int]] = defaultdict(set)
            for pid, household_id in (Person.objects.filter(household_id__in=set(self.household_of.values()),
                                                            merged_into__isnull=True)
                                      .values_list("pk", "household_id")):
                self.households[household_id].add(pid)
        self._dates: dict[tuple[datetime.date, datetime.date | None], object] = {}
        self._office: dict[datetime.date, bool] = {}
        self.covered: set[int] = set()

    def _change_dates(self, status_from: datetime.date, old_grant_ends_on: datetime.date | None = None):
        if self.rule.old_regime_continues_until is None:
            old_grant_ends_on = None  # the grant's end matters only under a transitional protection
        if (status_from, old_grant_ends_on) not in self._dates:
            self._dates[status_from, old_grant_ends_on] = change_dates(
                self.rule, status_from=status_from, old_grant_ends_on=old_grant_ends_on)
        return self._dates[status_from, old_grant_ends_on]

    def _entry_on(self, person_id: int, day: datetime.date) -> tuple | None:
        """(regime, valid_to) of the person's benefits entry on `day`."""
        for regime, valid_from, valid_to in self.regimes.get(person_id, ()):
            if valid_from <= day and (valid_to is None or valid_to >= day):
                return regime, valid_to
        return None

    def _office_exists(self, on: datetime.date) -> bool:
        """`_nearest` falls back to any agency of the district: only none at all is a gap."""
        if on not in self._office:
            kinds = responsible_agency_kinds(subject=self.rule.to_regime, on=on)
            self._office[on] = Agency.objects.filter(district_id=self.district_id, kind__in=kinds).exists()
        return self._office[on]

    def outcome(self, person_id: int) -> str:
        """"" when a handover would open (its household then counts as covered), else a reason."""
        status = self.statuses[person_id]
        rule = self.rule
        if not rule_applies(rule, status_from=status.valid_from, status_to=status.valid_to,
                            first_issued_on=self.first_issued.get(person_id)):
            return RULE_NOT_APPLICABLE
        if person_id in self.existing:
            return EXISTS
        if person_id in self.members or person_id in self.covered:
            return MEMBER
        try:
            dates = self._change_dates(status.valid_from)
        except NoRuleInForce:
            return NO_DEADLINE_RULE
        entry = self._entry_on(person_id, dates.old_regime_ends_on)
        if entry is None or entry[0] != rule.from_regime:
            return NOT_IN_PREVIOUS_REGIME
        if entry[1] is not None:
            try:
                dates = self._change_dates(status.valid_from, entry[1])
            except NoRuleInForce:
                return NO_DEADLINE_RULE
        if not self._office_exists(dates.new_regime_starts_on):
            return NO_OFFICE
        household = self.household_of.get(person_id)
        self.covered |= {person_id} | (self.households.get(household, set()) if household else set())
        return ""


def bulk_preview(ctx: AccessContext, rule_key: str, on: datetime.date) -> BulkPreview:
    """What a bulk change of `rule_key` for the persons with a trigger status valid on `on`
    would do, without writing anything but one access-log entry (counts and ids only)."""
    _require_bulk(ctx, "handover.bulk_preview")
    rule = _rule_for(rule_key, on, ctx)
    district_id = ctx.district_id
    kinds = _kinds(rule)
    counts: Counter = Counter()
    examples: dict[str, list[int]] = defaultdict(list)
    total = would_open = 0
    covered: set[int] = set()
    group = _group_person_ids(district_id, kinds, on)
    for start in range(0, len(group), PREVIEW_CHUNK):
        ids = group[start:start + PREVIEW_CHUNK]
        prediction = _Prediction(district_id, rule, kinds, _trigger_statuses(kinds, on, ids))
        prediction.covered = covered  # households reach across chunks
        for person_id in ids:
            reason = prediction.outcome(person_id)
            total += 1
            if not reason:
                would_open += 1
                continue
            counts[reason] += 1
            if len(examples[reason]) < EXAMPLES_PER_REASON:
                examples[reason].append(person_id)
        covered = prediction.covered
    with transaction.atomic():
        log_action(ctx, "handover.bulk_previewed", purpose=Purpose.BENEFITS_HANDOVER,
                   basis=f"rule:{rule.key}", object_ref=f"rule:{rule.key}:{on.isoformat()}")
    return BulkPreview(rule_key=rule.key, rule_name=rule.name, on=on, total=total, would_open=would_open,
                       persons_moving=len(covered), skipped=dict(counts), examples=dict(examples))


# --- runs -------------------------------------------------------------------------------------

class BulkRunNotFound(LookupError):
    """No such run, or not one of the user's district: never told apart."""


def _enqueue(run: BulkChangeRun) -> BulkChangeRun:
    from lotse.handovers.tasks import bulk_change_task

    bulk_change_task.enqueue(run.pk)
    return BulkChangeRun.objects.get(pk=run.pk)  # the immediate backend has run it already


def bulk_run_start(ctx: AccessContext, rule_key: str, on: datetime.date) -> BulkChangeRun:
    """Record a run and hand it to the background worker. One run per rule and district at a
    time: a second start while one is running is refused (resume that one instead)."""
    _require_bulk(ctx, "handover.bulk_start")
    rule = _rule_for(rule_key, on, ctx)
    with transaction.atomic():
        running = BulkChangeRun.objects.filter(district_id=ctx.district_id, rule=rule,
                                               status=BulkRunStatus.RUNNING).first()
        if running is not None:
            raise ValidationError(_("A change under this rule is running already (run %(id)s).")
                                  % {"id": running.pk})
        progress = TaskProgress.objects.create(label=PROGRESS_LABEL, owner_id=ctx.user_id)
        run = BulkChangeRun.objects.create(district_id=ctx.district_id, rule=rule, on=on,
                                           started_by_id=ctx.user_id, status=BulkRunStatus.RUNNING,
                                           progress=progress)
        log_action(ctx, "handover.bulk_started", purpose=Purpose.BENEFITS_HANDOVER,
                   basis=f"rule:{rule.key}", object_ref=f"bulkrun:{run.pk}")
    return _enqueue(run)


def bulk_run_for(ctx: AccessContext, run_id: int) -> BulkChangeRun:
    """A run of the user's district, for users with HANDOVER_BULK."""
    if not ctx.has_permission(permissions.HANDOVER_BULK) or ctx.district_id is None:
        raise BulkRunNotFound(run_id)
    run = (BulkChangeRun.objects.select_related("rule", "progress", "started_by")
           .filter(pk=run_id, district_id=ctx.district_id).first())
    if run is None:
        raise BulkRunNotFound(run_id)
    return run


def bulk_runs(ctx: AccessContext, limit: int = 20) -> list[BulkChangeRun]:
    if not ctx.has_permission(permissions.HANDOVER_BULK) or ctx.district_id is None:
        return []
    return list(BulkChangeRun.objects.filter(district_id=ctx.district_id)
                .select_related("rule", "started_by", "progress")[:limit])


def may_resume(run: BulkChangeRun, now: datetime.datetime | None = None) -> bool:
    """Interrupted runs, and running ones whose worker stopped reporting (it was killed)."""
    if run.status == BulkRunStatus.FAILED:
        return True
    if run.status != BulkRunStatus.RUNNING:
        return False
    last_sign = run.progress.updated_at if run.progress_id else run.created_at
    return (now or timezone.now()) - last_sign > STALE_AFTER


def bulk_run_resume(ctx: AccessContext, run_id: int) -> BulkChangeRun:
    """Continue an interrupted run after its last committed batch."""
    _require_bulk(ctx, "handover.bulk_resume")
    run = bulk_run_for(ctx, run_id)
    if not may_resume(run):
        raise ValidationError(_("Only an interrupted run can be resumed."))
    with transaction.atomic():
        BulkChangeRun.objects.filter(pk=run.pk).update(status=BulkRunStatus.RUNNING, finished_at=None)
        log_action(ctx, "handover.bulk_resumed", purpose=Purpose.BENEFITS_HANDOVER,
                   basis=f"rule:{run.rule.key}", object_ref=f"bulkrun:{run.pk}")
    return _enqueue(run)


def bulk_run_execute(run_id: int, *, batch_size: int | None = None) -> BulkChangeRun:
    """The task body. Safe to call again at any time: it continues after `last_person_id`;
    two workers on one run take turns batch by batch (the run row is locked per batch).
    It acts as the user who started the run, re-read now: one who lost the permission (or
    left the district) stops it."""
    run = BulkChangeRun.objects.select_related("rule").get(pk=run_id)
    if run.status != BulkRunStatus.RUNNING:
        return run
    rule = run.rule
    ctx = context_for_user(StaffUser.objects.select_related("agency").get(pk=run.started_by_id))
    try:
        if ctx.district_id != run.district_id or not ctx.has_permission(permissions.HANDOVER_BULK):
            raise AccessDenied(_("The user who started the run may no longer run it."))
        kinds = _kinds(rule)
        group = _group_person_ids(run.district_id, kinds, run.on, after=run.last_person_id)
        done = run.created + run.skipped
        BulkChangeRun.objects.filter(pk=run_id).update(total=done + len(group))
        if run.progress_id:
            progress_start(run.progress_id, done + len(group))
            progress_update(run.progress_id, done)
        while _run_batch(ctx, run_id, rule, kinds, group, batch_size or BATCH_SIZE):
            pass
    except Exception as exc:
        _interrupted(ctx, run_id, exc)
        raise
    return BulkChangeRun.objects.get(pk=run_id)


def _run_batch(ctx: AccessContext, run_id: int, rule: RegimeChangeRule, kinds: dict[int, ResidenceKind],
               group: list[int], batch_size: int) -> bool:
    """One batch in one transaction: the next persons of `group` (the ascending ids as the
    execution began) after the run's `last_person_id`, read under the lock. False when the run
    is finished (or no longer running)."""
    with transaction.atomic():
        run = BulkChangeRun.objects.select_for_update().get(pk=run_id)
        if run.status != BulkRunStatus.RUNNING:
            return False
        start = bisect_right(group, run.last_person_id)
        ids = group[start:start + batch_size]
        if not ids:
            run.status = BulkRunStatus.FINISHED
            run.finished_at = timezone.now()
            run.total = run.created + run.skipped
            run.save(update_fields=["status", "finished_at", "total"])
            log_action(ctx, "handover.bulk_finished", purpose=Purpose.BENEFITS_HANDOVER,
                       basis=f"rule:{rule.key}", object_ref=f"bulkrun:{run.pk}")
            if run.progress_id:
                progress_update(run.progress_id, run.total)
                progress_finish(run.progress_id, {"ok": True, "created": run.created, "skipped": run.skipped})
            return False
        statuses = _trigger_statuses(kinds, run.on, ids)
        report = list(run.report or [])
        for person_id in ids:
            status = statuses.get(person_id)
            if status is None:
                run.skipped += 1
                report.append({"person_id": person_id, "reason": LEFT_GROUP})
                continue
            results = handover_open_for_status(ctx=ctx, status=status, bulk_run=run, rules=[rule])
            result = results[0] if results else None
            if result is not None and result.created:
                run.created += 1
            else:
                run.skipped += 1
                report.append({"person_id": person_id,
                               "reason": result.reason if result is not None else RULE_NOT_APPLICABLE})
        run.report = report
        run.last_person_id = ids[-1]
        run.total = max(run.total, run.created + run.skipped)
        run.save(update_fields=["created", "skipped", "report", "last_person_id", "total"])
        if run.progress_id:
            progress_update(run.progress_id, run.created + run.skipped)
    return True


def _interrupted(ctx: AccessContext, run_id: int, exc: Exception) -> None:
    with transaction.atomic():
        run = BulkChangeRun.objects.select_for_update().get(pk=run_id)
        if run.status != BulkRunStatus.RUNNING:
            return
        run.status = BulkRunStatus.FAILED
        run.save(update_fields=["status"])
        if run.progress_id:
            progress_finish(run.progress_id, {"ok": False, "problem": type(exc).__name__}, failed=True)
        log_action(ctx, "handover.bulk_interrupted", purpose=Purpose.BENEFITS_HANDOVER,
                   basis=f"rule:{run.rule.key};{type(exc).__name__}", object_ref=f"bulkrun:{run.pk}")


# --- the report -------------------------------------------------------------------------------

@dataclass(frozen=True)
class BulkReport:
    run: BulkChangeRun
    persons_moving: int  # persons in the handovers this run opened (household members included)
    by_reason: list[tuple[str, str, int]]  # (code, label, persons)
    skipped: list[dict]  # [{"person_id", "reason"}], ascending person id


def bulk_report(ctx: AccessContext, run_id: int) -> BulkReport:
    """Counts and every skipped person id with the reason. Logged: the ids are personal data."""
    run = bulk_run_for(ctx, run_id)
    with personal_data_scope():
        moving = HandoverMember.objects.filter(handover__bulk_run=run).count()
    counts = Counter(row["reason"] for row in run.report or [])
    by_reason = [(code, reason_label(code), counts[code]) for code in REASONS if counts.get(code)]
    by_reason += [(code, code, n) for code, n in counts.items() if code not in REASONS]
    with transaction.atomic():
        log_action(ctx, "handover.bulk_report_read", purpose=Purpose.BENEFITS_HANDOVER,
                   basis=f"rule:{run.rule.key}", object_ref=f"bulkrun:{run.pk}")
    return BulkReport(run=run, persons_moving=moving, by_reason=by_reason, skipped=list(run.report or []))
