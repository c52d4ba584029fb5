"""The bulk change of benefits regime on a small world: the preview's counts and reasons agree
with what a run then does; runs are idempotent, resumable and act as the user who started them;
the coordinator sees ids and reasons, never a person."""

import datetime
from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from lotse.access.spine import AccessDenied
from lotse.audit.models import AccessEvent
from lotse.core.models import TaskProgress
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import build_world, register_person
from lotse.handovers import bulk
from lotse.handovers.bulk import (
    BulkRunNotFound,
    bulk_preview,
    bulk_report,
    bulk_run_for,
    bulk_run_resume,
    bulk_run_start,
    may_resume,
)
from lotse.handovers.models import BulkChangeRun, BulkRunStatus, Handover, HandoverMember
from lotse.organisations.models import AgencyKind, Role, StaffUser
from lotse.people.models import PersonAgencyLink
from lotse.people.services import benefits_regime_add, household_assign, residence_status_add
from lotse.rules.models import RecordResponsibility, ResidenceKind

pytestmark = pytest.mark.django_db

D = datetime.date
ON = D(2022, 6, 1)
RULE = "ukraine-2022-to-sgb2"
P24_FROM, P24_TO, ASYLBLG_FROM = D(2022, 3, 15), D(2027, 3, 4), D(2022, 3, 1)


def _status(world, pid, code="p24", valid_from=P24_FROM, valid_to=P24_TO):
    with personal_data_scope():
        PersonAgencyLink.objects.get_or_create(person_id=pid, agency=world.agencies["abh"])
    kind = ResidenceKind.objects.in_force(valid_from).get(code=code)
    residence_status_add(ctx=world.ctx("abh"), person_id=pid, kind_id=kind.pk, document="eat",
                         valid_from=valid_from, valid_to=valid_to)


def _asylblg(world, pid, since=ASYLBLG_FROM):
    benefits_regime_add(ctx=world.ctx("social_a"), person_id=pid, regime="asylblg", valid_from=since)


def _ukrainian(world, *, benefits=True, status_first=True, **names):
    """A § 24 holder as the seed holds them: status recorded before the rule existed, so no
    handover opened then (benefits recorded after the status open nothing)."""
    pid = register_person(world, **names)
    if status_first:
        _status(world, pid)
        if benefits:
            _asylblg(world, pid)
    else:  # benefits first: the status opens the handover at once (the trigger)
        _asylblg(world, pid)
        _status(world, pid)
    return pid


@pytest.fixture
def group(world):
    """One household of three (two § 24 holders under the AsylbLG and a baby born later), a
    single person under the AsylbLG, one without benefits, one whose handover opened already,
    and persons outside the group (status from August, another kind of status)."""
    head = _ukrainian(world, given_names="Olena", family_name="Shevchenko")
    partner = _ukrainian(world, given_names="Taras", family_name="Shevchenko")
    baby = register_person(world, given_names="Mila", family_name="Shevchenko", birth_year=2023)
    household_assign(ctx=world.ctx("social_a"), person_id=partner, role="partner", with_person_id=head)
    household_assign(ctx=world.ctx("social_a"), person_id=baby, role="child", with_person_id=head)
    single = _ukrainian(world, given_names="Iryna", family_name="Bondarenko")
    no_benefits = _ukrainian(world, benefits=False, given_names="Petro", family_name="Koval")
    earlier = _ukrainian(world, status_first=False, given_names="Oksana", family_name="Melnyk")
    late = register_person(world, given_names="Andrii", family_name="Lysenko")
    _status(world, late, valid_from=D(2022, 8, 10))
    _asylblg(world, late)
    other = register_person(world, given_names="Rami", family_name="Saleh")
    _status(world, other, code="p25-2-gfk", valid_from=D(2022, 3, 10))
    return {"head": head, "partner": partner, "baby": baby, "single": single,
            "no_benefits": no_benefits, "earlier": earlier, "late": late, "other": other}


def _members_by_trigger():
    with personal_data_scope():
        rows = HandoverMember.objects.filter(handover__rule__key=RULE).values_list("handover__person_id", "person_id")
        out: dict[int, set[int]] = {}
        for trigger, member in rows:
            out.setdefault(trigger, set()).add(member)
    return out


def _handover_count() -> int:
    with personal_data_scope():
        return Handover.objects.count()


def test_the_preview_counts_what_a_run_then_does_and_writes_nothing(world, group):
    ctx = world.ctx("coordinator")
    before = _handover_count()
    assert before == 1  # the one opened by the trigger

    preview = bulk_preview(ctx, RULE, ON)

    assert _handover_count() == before
    assert preview.total == 5  # head, partner, single, no_benefits, earlier (not: late, other, baby)
    assert preview.would_open == 2  # the household and the single person
    assert preview.persons_moving == 4  # head, partner, baby, single
    assert preview.skipped == {"member_of_household_handover": 1, "not_in_previous_regime": 1, "exists": 1}
    assert preview.examples == {"member_of_household_handover": [group["partner"]],
                                "not_in_previous_regime": [group["no_benefits"]],
                                "exists": [group["earlier"]]}
    [event] = AccessEvent.objects.filter(action="handover.bulk_previewed")
    assert (event.person_id, event.actor_id, event.object_ref) == (None, world.users["coordinator"].pk,
                                                                   f"rule:{RULE}:2022-06-01")

    run = bulk_run_start(ctx, RULE, ON)

    assert run.status == BulkRunStatus.FINISHED
    assert (run.total, run.created, run.skipped) == (5, 2, 3)
    assert Counter(row["reason"] for row in run.report) == Counter(preview.skipped)
    assert {row["person_id"] for row in run.report} == {group["partner"], group["no_benefits"], group["earlier"]}
    members = _members_by_trigger()
    assert members[group["head"]] == {group["head"], group["partner"], group["baby"]}
    assert members[group["single"]] == {group["single"]}
    with personal_data_scope():
        created = list(Handover.objects.filter(bulk_run=run))
    assert {h.person_id for h in created} == {group["head"], group["single"]}
    assert all(h.new_regime_starts_on == ON and h.old_regime_ends_on == D(2022, 5, 31) for h in created)
    assert all(h.to_agency == world.agencies["jobcentre"] for h in created)
    progress = TaskProgress.objects.get(pk=run.progress_id)
    assert (progress.state, progress.done, progress.total) == (TaskProgress.State.DONE, 5, 5)


def test_every_log_row_of_a_run_names_the_user_who_started_it(world, group):
    coordinator = world.users["coordinator"]
    first_seq = AccessEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    run = bulk_run_start(world.ctx("coordinator"), RULE, ON)
    events = list(AccessEvent.objects.filter(seq__gt=first_seq))
    actions = Counter(e.action for e in events)
    assert actions["handover.opened"] == 4  # one per person moving: head, partner, baby, single
    assert actions["handover.bulk_started"] == actions["handover.bulk_finished"] == 1
    assert {e.actor_id for e in events} == {coordinator.pk}
    assert {e.object_ref for e in events if e.action.startswith("handover.bulk")} == {f"bulkrun:{run.pk}"}


def test_a_second_run_creates_nothing(world, group):
    ctx = world.ctx("coordinator")
    first = bulk_run_start(ctx, RULE, ON)
    state = _members_by_trigger()
    second = bulk_run_start(ctx, RULE, ON)
    assert (second.status, second.total, second.created) == (BulkRunStatus.FINISHED, 5, 0)
    reasons = {row["person_id"]: row["reason"] for row in second.report}
    assert reasons == {group["head"]: "exists", group["single"]: "exists", group["earlier"]: "exists",
                       group["partner"]: "member_of_household_handover",
                       group["no_benefits"]: "not_in_previous_regime"}
    assert _members_by_trigger() == state
    assert bulk_preview(ctx, RULE, ON).would_open == 0
    assert first.created == 2


class Crash(Exception):
    pass


def _crash_on_call(monkeypatch, n, exc=Crash):
    real = bulk.handover_open_for_status
    calls = {"n": 0}

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == n:
            raise exc("worker lost")
        return real(**kwargs)

    monkeypatch.setattr(bulk, "handover_open_for_status", flaky)


def test_an_interrupted_run_resumes_after_the_last_batch_and_ends_as_an_uninterrupted_one(world, group, monkeypatch):
    ctx = world.ctx("coordinator")
    monkeypatch.setattr(bulk, "BATCH_SIZE", 2)
    _crash_on_call(monkeypatch, 5)  # the first person of the 3rd batch: two batches were committed

    run = bulk_run_start(ctx, RULE, ON)

    assert run.status == BulkRunStatus.FAILED
    ids = sorted([group["head"], group["partner"], group["single"], group["no_benefits"], group["earlier"]])
    assert run.last_person_id == ids[3]
    assert run.created + run.skipped == 4
    assert TaskProgress.objects.get(pk=run.progress_id).state == TaskProgress.State.FAILED
    assert AccessEvent.objects.filter(action="handover.bulk_interrupted", object_ref=f"bulkrun:{run.pk}").count() == 1
    assert may_resume(run)
    with personal_data_scope():
        opened = set(Handover.objects.filter(bulk_run=run).values_list("person_id", flat=True))
    assert opened == {group["head"], group["single"]}  # both in the committed batches

    monkeypatch.undo()
    resumed = bulk_run_resume(ctx, run.pk)

    assert resumed.status == BulkRunStatus.FINISHED
    assert (resumed.total, resumed.created, resumed.skipped) == (5, 2, 3)
    assert _members_by_trigger() == {
        group["head"]: {group["head"], group["partner"], group["baby"]},
        group["single"]: {group["single"]},
        group["earlier"]: {group["earlier"]},
    }
    assert sorted(row["person_id"] for row in resumed.report) == sorted(
        [group["partner"], group["no_benefits"], group["earlier"]])
    assert AccessEvent.objects.filter(action="handover.bulk_resumed").count() == 1
    with pytest.raises(ValidationError):  # a finished run never resumes
        bulk_run_resume(ctx, run.pk)


def test_a_killed_worker_leaves_the_run_running_and_it_may_be_resumed_once_stale(world, group, monkeypatch):
    ctx = world.ctx("coordinator")
    monkeypatch.setattr(bulk, "BATCH_SIZE", 2)
    _crash_on_call(monkeypatch, 3, exc=SystemExit)  # not an Exception: nothing marks the run failed

    run = bulk_run_start(ctx, RULE, ON)

    assert run.status == BulkRunStatus.RUNNING
    assert not may_resume(run)
    with pytest.raises(ValidationError):
        bulk_run_resume(ctx, run.pk)
    with pytest.raises(ValidationError):  # one run per rule at a time
        bulk_run_start(ctx, RULE, ON)
    stale = run.progress.updated_at - bulk.STALE_AFTER - datetime.timedelta(seconds=1)
    TaskProgress.objects.filter(pk=run.progress_id).update(updated_at=stale)
    monkeypatch.undo()
    resumed = bulk_run_resume(ctx, run.pk)
    assert (resumed.status, resumed.created, resumed.skipped) == (BulkRunStatus.FINISHED, 2, 3)


def test_a_run_acts_as_the_user_who_started_it_and_stops_when_they_lose_the_permission(world, group, monkeypatch):
    lead = StaffUser.objects.create_user(username="lead-99999", password="test-password-123",
                                         agency=world.agencies["social_a"])
    lead.roles.set(Role.objects.filter(code="social_office_lead"))
    _crash_on_call(monkeypatch, 2)
    run = bulk_run_start(world.ctx("coordinator"), RULE, ON)
    assert run.status == BulkRunStatus.FAILED
    world.users["coordinator"].roles.clear()
    monkeypatch.undo()

    resumed = bulk_run_resume(_ctx(lead), run.pk)

    assert resumed.status == BulkRunStatus.FAILED
    assert resumed.created + resumed.skipped == 0
    assert _members_by_trigger() == {group["earlier"]: {group["earlier"]}}
    last = AccessEvent.objects.filter(action="handover.bulk_interrupted").order_by("-seq").first()
    assert last.actor_id == world.users["coordinator"].pk and "AccessDenied" in last.basis


def _ctx(user):
    from lotse.access.context import context_for_user

    return context_for_user(StaffUser.objects.get(pk=user.pk))


def test_only_users_with_the_bulk_permission_preview_or_start_and_refusals_are_logged(world, group):
    for key in ("social_a", "jobcentre", "caritas", "dpo"):
        with pytest.raises(AccessDenied):
            bulk_preview(world.ctx(key), RULE, ON)
        with pytest.raises(AccessDenied):
            bulk_run_start(world.ctx(key), RULE, ON)
    refused = AccessEvent.objects.filter(action__in=["handover.bulk_preview.refused", "handover.bulk_start.refused"])
    assert refused.count() == 8 and {e.decision for e in refused} == {"denied"}
    assert not BulkChangeRun.objects.exists()
    lead = StaffUser.objects.create_user(username="lead-99999", password="test-password-123",
                                         agency=world.agencies["social_a"])
    lead.roles.set(Role.objects.filter(code="social_office_lead"))
    assert bulk_preview(_ctx(lead), RULE, ON).would_open == 2


def test_bad_input_is_refused_before_anything_is_written(world, group):
    ctx = world.ctx("coordinator")
    with pytest.raises(ValidationError) as unknown:
        bulk_preview(ctx, "no-such-rule", ON)
    assert "rule" in unknown.value.message_dict
    with pytest.raises(ValidationError) as outside:  # the 2022 rule is not in force in 2021
        bulk_run_start(ctx, RULE, D(2021, 12, 1))
    assert "on" in outside.value.message_dict
    with pytest.raises(ValidationError) as far:
        bulk_preview(ctx, "recognition-to-sgb2", ctx.today + datetime.timedelta(days=3 * 366))
    assert "on" in far.value.message_dict
    assert not BulkChangeRun.objects.exists()


def test_no_office_for_the_next_regime_is_a_reason_of_its_own(world, group):
    RecordResponsibility.objects.filter(subject="sgb2").update(agency_kind=AgencyKind.INTEGRATION_CENTRE)
    ctx = world.ctx("coordinator")
    preview = bulk_preview(ctx, RULE, ON)
    assert preview.would_open == 0
    assert preview.skipped == {"no_office_for_next_regime": 3, "not_in_previous_regime": 1, "exists": 1}
    run = bulk_run_start(ctx, RULE, ON)
    assert Counter(row["reason"] for row in run.report) == Counter(preview.skipped)


def test_the_reverse_rule_covers_only_titles_first_issued_after_its_date(world):
    """SGB II → AsylbLG (planned): a § 24 first issued in 2024 is not covered, one from 2025 is."""
    ctx = world.ctx("coordinator")
    older = register_person(world, given_names="Oksana", family_name="Melnyk")
    newer = register_person(world, given_names="Taras", family_name="Melnyk")
    _status(world, older, valid_from=D(2024, 1, 10), valid_to=D(2027, 3, 4))
    _status(world, newer, valid_from=D(2025, 5, 20), valid_to=D(2027, 3, 4))
    for pid in (older, newer):
        with personal_data_scope():
            PersonAgencyLink.objects.get_or_create(person_id=pid, agency=world.agencies["jobcentre"])
        benefits_regime_add(ctx=world.ctx("jobcentre"), person_id=pid, regime="sgb2", valid_from=D(2024, 2, 1))
    on = D(2026, 7, 1)
    preview = bulk_preview(ctx, "ukraine-2026-to-asylblg", on)
    assert (preview.total, preview.would_open, preview.skipped) == (2, 1, {"rule_not_applicable": 1})
    run = bulk_run_start(ctx, "ukraine-2026-to-asylblg", on)
    assert run.report == [{"person_id": older, "reason": "rule_not_applicable"}]
    with personal_data_scope():
        [back] = Handover.objects.filter(bulk_run=run)
    assert (back.person_id, back.from_agency, back.to_agency.kind) == (newer, world.agencies["jobcentre"],
                                                                       AgencyKind.SOCIAL_OFFICE)


def test_runs_and_reports_stay_in_their_district(world, group):
    run = bulk_run_start(world.ctx("coordinator"), RULE, ON)
    elsewhere = build_world("88888")
    with pytest.raises(BulkRunNotFound):
        bulk_run_for(elsewhere.ctx("coordinator"), run.pk)
    with pytest.raises(BulkRunNotFound):
        bulk_report(world.ctx("social_a"), run.pk)
    # the other district's group is its own: nothing of ours is counted there
    assert bulk_preview(elsewhere.ctx("coordinator"), RULE, ON).total == 0
    report = bulk_report(world.ctx("coordinator"), run.pk)
    assert report.persons_moving == 4
    assert [(code, n) for code, _label, n in report.by_reason] == [
        ("exists", 1), ("member_of_household_handover", 1), ("not_in_previous_regime", 1)]
    assert AccessEvent.objects.filter(action="handover.bulk_report_read", object_ref=f"bulkrun:{run.pk}").count() == 1


def test_a_status_changed_during_the_run_is_reported_not_failed(world, group, monkeypatch):
    from lotse.people.models import ResidenceStatus

    monkeypatch.setattr(bulk, "BATCH_SIZE", 2)
    real = bulk.handover_open_for_status

    def abh_corrects_a_status_meanwhile(**kwargs):
        with personal_data_scope():
            ResidenceStatus.objects.filter(person_id=group["no_benefits"]).update(valid_to=D(2022, 5, 1))
        return real(**kwargs)

    monkeypatch.setattr(bulk, "handover_open_for_status", abh_corrects_a_status_meanwhile)
    run = bulk_run_start(world.ctx("coordinator"), RULE, ON)
    assert run.status == BulkRunStatus.FINISHED
    assert {"person_id": group["no_benefits"], "reason": "left_the_group"} in run.report
    assert (run.total, run.created) == (5, 2)
