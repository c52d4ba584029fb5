"""The retention sweep: erase what has expired, restrict what is on legal hold.

First one SQL query selects the persons who can have anything expired on `today` (a record
whose start event lies before the period in force: `Entry.due` in the registry); the others
are not visited at all. For each of them (merged duplicates go with the record they were
merged into), inside one transaction per person: erase every record whose period (rule in
force on `today`) has run out since its start event, in the registry's order, with everything
that cascades from it; erase the master data last and only when nothing else of the person
remains. Each erased data kind is logged through the spine (ids and counts only). Uploaded
files are deleted from storage after the commit, so a failure leaves the person whole, files
included.

A person under a legal hold (Art. 18 GDPR, § 84 Abs. 3 SGB X) keeps everything; the sweep
works out what would have gone (inside a savepoint it rolls back) and reports it as restricted.
A dry run does the same for every person visited. Staff accounts are anonymised by their own
rule; reports of runs, task results and login records go by age (`sweep_aged`).
"""

import datetime
import logging
import operator
from collections import Counter
from dataclasses import dataclass, field
from functools import reduce

from django.contrib.auth.hashers import make_password
from django.core.files.storage import default_storage
from django.db import router, transaction
from django.db.models import Q
from django.db.models.deletion import Collector
from django.utils import timezone

from lotse.access.context import AccessContext
from lotse.access.spine import log_action
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import Purpose
from lotse.organisations.models import Agency, AgencyKind, StaffUser
from lotse.people.models import Household, Person, PersonAgencyLink
from lotse.retention.models import LegalHold, RetentionRule
from lotse.retention.registry import (
    BY_MODEL,
    KINDS,
    Action,
    Entry,
    PersonState,
    aged_entries,
    day_end,
    own_entries,
    person_entries,
)
from lotse.retention.selectors import expires_on, latest_start, rules_in_force

log = logging.getLogger(__name__)

ANONYMISED_PREFIX = "deleted-"


@dataclass
class SweepReport:
    today: datetime.date
    dry_run: bool = False
    erased: Counter = field(default_factory=Counter)  # kind -> records
    anonymised: Counter = field(default_factory=Counter)
    restricted: Counter = field(default_factory=Counter)  # kind -> records kept for a hold
    persons_seen: int = 0  # persons visited: those who can have anything expired
    persons_erased: int = 0
    persons_restricted: int = 0
    failed_persons: list[int] = field(default_factory=list)
    files: int = 0
    missing_rules: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "today": self.today.isoformat(), "dry_run": self.dry_run,
            "erased": dict(self.erased), "anonymised": dict(self.anonymised),
            "restricted": dict(self.restricted), "persons_seen": self.persons_seen,
            "persons_erased": self.persons_erased, "persons_restricted": self.persons_restricted,
            "failed_persons": self.failed_persons, "files": self.files,
            "missing_rules": self.missing_rules,
        }


class _Rollback(Exception):
    """Leaves a savepoint without a trace (dry run, restricted person)."""


@dataclass
class _Result:
    erased: Counter = field(default_factory=Counter)
    anonymised: Counter = field(default_factory=Counter)
    files: list[str] = field(default_factory=list)
    person_gone: bool = False


# --- contexts --------------------------------------------------------------------------

def sweep_context(district_id: int | None) -> AccessContext:
    """The sweep works for the district (the controller): logged with no user, as the
    district administration where there is one."""
    agency = Agency.objects.filter(district_id=district_id,
                                   kind=AgencyKind.DISTRICT_ADMINISTRATION).order_by("pk").first()
    return AccessContext(
        user_id=None, agency_id=agency.pk if agency else None,
        agency_kind=agency.kind if agency else "", municipality_id=None,
        district_id=district_id, purposes=frozenset({Purpose.DATA_PROTECTION}),
        system_job=True,
    )


# --- erasing ---------------------------------------------------------------------------

def _erase(objs, result: _Result) -> None:
    """Delete `objs` with everything that cascades from them; note their files and counts."""
    objs = list(objs)
    if not objs:
        return
    collector = Collector(using=router.db_for_write(type(objs[0])), origin=objs)
    collector.collect(objs)
    for model, instances in list(collector.data.items()):
        _note_files(model, instances, result)
    for queryset in collector.fast_deletes:
        _note_files(queryset.model, queryset, result)
    _count, per_model = collector.delete()
    for label, number in per_model.items():
        entry = BY_MODEL.get(label)
        if entry is not None and number:
            result.erased[entry.kind] += number


def _note_files(model, instances, result: _Result) -> None:
    entry = BY_MODEL.get(model._meta.label)
    if entry is None or not entry.files:
        return
    for instance in instances:
        for name in entry.files:
            stored = getattr(instance, name)
            if stored and stored.name:
                result.files.append(stored.name)


def _drop_empty_appointments(result: _Result) -> None:
    from lotse.appointments.models import Appointment

    _erase(Appointment.objects.filter(members__isnull=True), result)


def _state(person: Person, today: datetime.date) -> PersonState:
    from lotse.appointments.models import AppointmentProposal

    return PersonState(
        person_id=person.pk, today=today,
        files=dict(PersonAgencyLink.objects.filter(person_id=person.pk)
                   .values_list("agency_id", "until")),
        fallback_date=timezone.localdate(person.updated_at),
        proposals_by_status=set(AppointmentProposal.objects.filter(person_id=person.pk)
                                .values_list("residence_status_id", flat=True)),
    )


def _records(entry: Entry, person_id: int):
    return entry.model._default_manager.filter(**{entry.person_path: person_id}).distinct()


def _expired(entry: Entry, person_id: int, state: PersonState, rule: RetentionRule) -> list:
    out = []
    for record in _records(entry, person_id):
        end = expires_on(entry.start(record, state), rule)
        if end is not None and end <= state.today:
            out.append(record)
    return out


def _something_remains(person_id: int) -> bool:
    for entry in person_entries():
        if entry.kind == "master_data" or KINDS[entry.kind].action == Action.KEEP:
            continue
        if _records(entry, person_id).exists():
            return True
    return False


def _erase_person_records(person: Person, today: datetime.date, rules: dict, result: _Result) -> None:
    """Erase what has expired (call inside a transaction)."""
    for entry in own_entries():
        rule = rules.get(entry.kind)
        if rule is None or entry.model_label == "people.Person":
            continue
        # read afresh: an earlier entry may have erased what a start event looks at
        state = _state(person, today)
        _erase(_expired(entry, person.pk, state, rule), result)
        if entry.model_label == "appointments.AppointmentMember":
            _drop_empty_appointments(result)
    master = rules.get("master_data")
    if master is None or _something_remains(person.pk):
        return
    end = expires_on(_state(person, today).all_files_closed_on, master)
    if end is None or end > today:
        return
    household_id = person.household_id
    shells = list(Person.objects.filter(merged_into_id=person.pk))
    while shells:  # duplicates merged into this record go with it (and theirs with them)
        _erase(shells, result)
        shells = list(Person.objects.filter(merged_into_id__in=[s.pk for s in shells]))
    _erase([person], result)
    if household_id is not None:
        _erase(Household.objects.filter(pk=household_id, members__isnull=True), result)
    result.person_gone = True


def _log_erasure(ctx: AccessContext, person_id: int, result: _Result, rules: dict) -> None:
    for kind, number in sorted(result.erased.items()):
        rule = rules.get(kind)
        log_action(ctx, "retention.erased", person_id=person_id,
                   categories=KINDS[kind].categories, purpose=Purpose.DATA_PROTECTION,
                   basis=f"kind={kind};rule={rule.pk if rule else '-'};records={number}",
                   object_ref=f"retention:{kind}")


def _schedule_file_deletion(names: list[str]) -> None:
    def delete():
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:  # the database is already clean; the operator sees the log line
                log.exception("retention: could not delete an uploaded file")
    if names:
        transaction.on_commit(delete)


def _dry(fn) -> _Result:
    """Run `fn(result)` inside a savepoint that is always rolled back."""
    result = _Result()
    try:
        with transaction.atomic():
            fn(result)
            raise _Rollback
    except _Rollback:
        pass
    return result


def sweep_person(person_id: int, today: datetime.date, rules: dict, report: SweepReport,
                 ctx: AccessContext) -> None:
    """One person, atomically: all of what expired goes, or nothing."""
    with personal_data_scope():
        person = Person.objects.filter(pk=person_id).first()
        if person is None:
            return
        report.persons_seen += 1
        hold = LegalHold.objects.filter(person_id=person_id, lifted_at__isnull=True).first()
        if hold is not None or report.dry_run:
            result = _dry(lambda r: _erase_person_records(person, today, rules, r))
            target = report.restricted if hold is not None else report.erased
            target.update(result.erased)
            if hold is not None and result.erased:
                report.persons_restricted += 1
                if not report.dry_run:
                    with transaction.atomic():
                        log_action(ctx, "retention.restricted", person_id=person_id,
                                   purpose=Purpose.DATA_PROTECTION,
                                   basis="hold={};kinds={}".format(
                                       hold.pk, ",".join(sorted(result.erased))),
                                   object_ref=f"hold:{hold.pk}")
            elif report.dry_run:
                report.persons_erased += int(result.person_gone)
                report.files += len(result.files)
            return
        result = _Result()
        with transaction.atomic():
            _erase_person_records(person, today, rules, result)
            _log_erasure(ctx, person_id, result, rules)
            _schedule_file_deletion(result.files)
        report.erased.update(result.erased)
        report.persons_erased += int(result.person_gone)
        report.files += len(result.files)


def _anonymise_staff(user: StaffUser) -> None:
    from django_otp.plugins.otp_static.models import StaticDevice

    from lotse.api.models import ApiToken
    from lotse.organisations.models import StaffTOTPDevice

    StaffTOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()
    user.username = f"{ANONYMISED_PREFIX}{user.pk}"
    user.first_name = user.last_name = user.email = user.focus_area = ""
    user.enrolment_code_hash = ""
    user.password = make_password(None)
    user.is_active = False
    user.save()


def sweep_staff(today: datetime.date, rules: dict, report: SweepReport) -> None:
    rule = rules.get("staff_account")
    if rule is None:
        return
    candidates = StaffUser.objects.filter(is_active=False).exclude(
        username__startswith=ANONYMISED_PREFIX).select_related("agency")
    for user in candidates:
        end = expires_on(timezone.localdate(user.last_login or user.date_joined), rule)
        if end is None or end > today:
            continue
        if report.dry_run:
            report.anonymised["staff_account"] += 1
            continue
        ctx = sweep_context(user.agency.district_id if user.agency_id else None)
        with transaction.atomic():
            _anonymise_staff(user)
            log_action(ctx, "retention.anonymised", purpose=Purpose.DATA_PROTECTION,
                       basis=f"kind=staff_account;rule={rule.pk}", object_ref=f"staff:{user.pk}")
        report.anonymised["staff_account"] += 1


def sweep_aged(today: datetime.date, rules: dict, report: SweepReport) -> None:
    """Records of no one person (reports of runs, task results, login records): the rows whose
    `age_field` lies before the period go — or, with `clear_fields`, those fields are emptied.
    One transaction and one log entry (ids and counts only) per model."""
    ctx = None
    for entry in aged_entries():
        rule = rules.get(entry.kind)
        if rule is None:
            continue
        model = entry.model
        before = day_end(latest_start(today, rule.period_months))
        old = model._base_manager.filter(**{f"{entry.age_field}__lt": before}).exclude(
            **entry.age_exclude)
        with transaction.atomic():
            if entry.clear_fields:
                empty = {name: model._meta.get_field(name).get_default() for name in entry.clear_fields}
                for name, value in empty.items():
                    old = old.exclude(**{name: value})
                number = old.count() if report.dry_run else old.update(**empty)
            elif report.dry_run:
                number = old.count()
            else:
                _total, per_model = old.delete()
                number = per_model.get(entry.model_label, 0)
            if number and not report.dry_run:
                ctx = ctx or sweep_context(None)
                log_action(ctx, "retention.erased", purpose=Purpose.DATA_PROTECTION,
                           basis=f"kind={entry.kind};rule={rule.pk};records={number}",
                           object_ref=f"retention:{entry.kind}:{entry.model_label}")
        if number:
            report.erased[entry.kind] += number


def _due_condition(entry: Entry, today: datetime.date, rule: RetentionRule) -> Q:
    """Persons with a record of `entry` whose start event lies on or before the last day from
    which the period has run out by `today` (a superset; `_expired` decides exactly)."""
    if entry.due is None:  # no SQL twin of the start event: visit everyone (safe, slow)
        log.warning("retention: %s has no due condition; every person is visited", entry.model_label)
        return Q(pk__isnull=False)
    condition = entry.due(latest_start(today, rule.period_months), PersonAgencyLink._plain.all())
    if entry.model_label == "people.Person":
        return condition
    records = entry.model._default_manager.filter(condition).values(entry.person_path)
    return Q(pk__in=records)


def candidate_persons(today: datetime.date, rules: dict) -> list[tuple[int, int]]:
    """(person id, district id) of every person who can have anything expired on `today`,
    in one query: a record of an entry the sweep erases by its own start event is due under
    the rule in force. Master data is among them (all files closed long enough); records that
    go with another (cascade) follow their parent's start event. Everybody else is untouched
    by the sweep, so it is not visited."""
    with personal_data_scope():
        conditions = [_due_condition(entry, today, rules[entry.kind]) for entry in own_entries()
                      if entry.kind in rules]
        if not conditions:
            return []
        return list(Person.objects.filter(merged_into__isnull=True)
                    .filter(reduce(operator.or_, conditions))
                    .order_by("pk").values_list("pk", "district_id"))


def run_sweep(today: datetime.date | None = None, *, dry_run: bool = False) -> SweepReport:
    today = today or timezone.localdate()
    report = SweepReport(today=today, dry_run=dry_run)
    rules = rules_in_force(today)
    report.missing_rules = sorted(set(KINDS) - set(rules))
    contexts: dict[int, AccessContext] = {}
    for person_id, district_id in candidate_persons(today, rules):
        if district_id not in contexts:
            contexts[district_id] = sweep_context(district_id)
        try:
            sweep_person(person_id, today, rules, report, contexts[district_id])
        except Exception:  # the person stays whole; the others are still swept
            log.exception("retention: sweeping person %s failed", person_id)
            report.failed_persons.append(person_id)
    sweep_staff(today, rules, report)
    sweep_aged(today, rules, report)
    return report
