"""Replay of 2022-06-01 for a Kreis-scale synthetic population (`seed --scale kreis`, ≈50,000
persons): every § 24 holder who was under the AsylbLG on 2022-05-31 ends up in exactly one
handover, households stay together, a second run changes nothing, and a run interrupted after
two batches finishes on restart with the end state of an uninterrupted run.

The seed and the first run are done once per module (≈15 s on SQLite) inside a transaction
that is rolled back at the end; each test runs in a savepoint of its own on top of it."""

import datetime
from collections import Counter, defaultdict
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Q

from lotse.access.context import context_for_user
from lotse.core.scoping import personal_data_scope
from lotse.handovers import bulk
from lotse.handovers.bulk import bulk_preview, bulk_run_resume, bulk_run_start
from lotse.handovers.checklist import CHECKLIST
from lotse.handovers.models import BulkRunStatus, ChecklistItem, Handover, HandoverMember
from lotse.organisations.models import AgencyKind, StaffUser
from lotse.people.models import BenefitsRegime, Person, ResidenceStatus

D = datetime.date
ON = D(2022, 6, 1)
DAY_BEFORE = D(2022, 5, 31)
RULE = "ukraine-2022-to-sgb2"


def _ctx():
    return context_for_user(StaffUser.objects.get(username="koordination"))  # the KI's coordinator


def _end_state() -> dict[int, tuple]:
    """Trigger person → (members, dates, offices) of every handover under the rule."""
    with personal_data_scope():
        members = defaultdict(set)
        for trigger, member in HandoverMember.objects.filter(handover__rule__key=RULE).values_list(
                "handover__person_id", "person_id"):
            members[trigger].add(member)
        return {h.person_id: (frozenset(members[h.person_id]), h.old_regime_ends_on, h.new_regime_starts_on,
                              h.application_due_on, h.from_agency_id, h.to_agency_id)
                for h in Handover.objects.filter(rule__key=RULE)}


@contextmanager
def _seed_without_deferred_checks():
    """On PostgreSQL every seeded row queues a deferred foreign-key check; the test teardown's
    `SET CONSTRAINTS ALL IMMEDIATE` then checks ~500,000 of them one by one, for minutes. The
    seed's rows are consistent by construction, so on the throwaway test server (a superuser
    role, scripts/pg-test-server.sh) the seed runs without queuing them; the bulk change under
    test runs with every check."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")


@pytest.fixture(scope="module")
def replay(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        with _seed_without_deferred_checks():
            call_command("seed", scale="kreis", stdout=StringIO())
        if connection.vendor == "postgresql":
            # Statistics of the uncommitted seed (ANALYZE sees this transaction's rows):
            # without them the planner takes the 50,000 persons for an empty table.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        ctx = _ctx()
        preview = bulk_preview(ctx, RULE, ON)
        run = bulk_run_start(ctx, RULE, ON)
        yield {"preview": preview, "run": run, "state": _end_state()}
        transaction.set_rollback(True)


@pytest.fixture
def seeded(replay, db):
    return replay


def _section_24_under_asylblg() -> set[int]:
    with personal_data_scope():
        holders = set(ResidenceStatus.objects.filter(kind__code="p24", valid_from__lte=ON)
                      .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=ON))
                      .values_list("person_id", flat=True))
        return set(BenefitsRegime.objects.filter(person_id__in=holders, regime="asylblg", valid_from__lte=DAY_BEFORE)
                   .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=DAY_BEFORE))
                   .values_list("person_id", flat=True))


def test_every_section_24_person_under_the_asylblg_is_in_exactly_one_handover_with_their_household(seeded):
    run = seeded["run"]
    assert run.status == BulkRunStatus.FINISHED
    assert run.total > 500  # a Kreis-scale group, not a toy
    persons = _section_24_under_asylblg()
    assert len(persons) > 300
    with personal_data_scope():
        membership = Counter(HandoverMember.objects.filter(handover__rule__key=RULE)
                             .values_list("person_id", flat=True))
        handovers = list(Handover.objects.filter(rule__key=RULE).select_related("to_agency"))
        household_of = dict(Person.objects.filter(household__isnull=False, merged_into__isnull=True).values_list("pk", "household_id"))
        households = defaultdict(set)
        for pid, household_id in household_of.items():
            households[household_id].add(pid)
        items = ChecklistItem.objects.filter(handover__rule__key=RULE).count()
    assert {pid: membership[pid] for pid in persons} == dict.fromkeys(persons, 1)
    assert max(membership.values()) == 1  # nobody anywhere is in two handovers
    # households stay together: a handover holds the whole household of its trigger person
    state = seeded["state"]
    for trigger, (members, *_rest) in state.items():
        household = household_of.get(trigger)
        assert members == (households[household] if household else {trigger})
    assert len(handovers) == run.created == seeded["preview"].would_open
    assert {(h.new_regime_starts_on, h.old_regime_ends_on) for h in handovers} == {(ON, DAY_BEFORE)}
    assert {h.to_agency.kind for h in handovers} == {AgencyKind.JOB_CENTRE}
    assert items == len(CHECKLIST) * len(handovers)
    # the preview said so beforehand, reason by reason
    assert Counter(row["reason"] for row in run.report) == Counter(seeded["preview"].skipped)
    assert run.created + run.skipped == run.total == seeded["preview"].total


def test_a_second_run_changes_nothing(seeded):
    before = _end_state()
    second = bulk_run_start(_ctx(), RULE, ON)
    assert second.status == BulkRunStatus.FINISHED
    assert second.total == seeded["run"].total
    assert second.created == 0
    assert _end_state() == before
    opened = {row["person_id"]: row["reason"] for row in second.report if row["person_id"] in before}
    assert set(opened.values()) == {"exists"} and len(opened) == len(before)


def test_an_interrupted_run_finishes_on_restart_with_the_same_end_state(seeded, monkeypatch):
    with personal_data_scope():
        Handover.objects.filter(rule__key=RULE).delete()
    assert _end_state() == {}
    real = bulk.handover_open_for_status
    calls = {"n": 0}

    def crash_in_the_third_batch(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2 * bulk.BATCH_SIZE + 7:
            raise RuntimeError("worker lost")
        return real(**kwargs)

    monkeypatch.setattr(bulk, "handover_open_for_status", crash_in_the_third_batch)
    ctx = _ctx()
    run = bulk_run_start(ctx, RULE, ON)
    assert run.status == BulkRunStatus.FAILED
    assert run.created + run.skipped == 2 * bulk.BATCH_SIZE  # the third batch was rolled back whole
    partial = _end_state()
    assert 0 < len(partial) < len(seeded["state"])
    assert all(trigger <= run.last_person_id for trigger in partial)

    monkeypatch.undo()
    resumed = bulk_run_resume(ctx, run.pk)

    assert resumed.status == BulkRunStatus.FINISHED
    assert _end_state() == seeded["state"]
    assert (resumed.total, resumed.created, resumed.skipped) == (
        seeded["run"].total, seeded["run"].created, seeded["run"].skipped)
    assert sorted(map(tuple, (r.values() for r in resumed.report))) == sorted(
        map(tuple, (r.values() for r in seeded["run"].report)))
