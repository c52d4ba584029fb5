"""The sweep moves the clock past each rule: the canary of each data kind goes exactly then,
and at the end no canary is anywhere in the database or the media folder."""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command

from lotse.audit.models import AccessEvent
from lotse.audit.verification import verify_chain
from lotse.retention import sweep
from lotse.retention.registry import ENTRIES, KINDS, Action
from lotse.retention.selectors import add_months, rules_in_force
from lotse.retention.sweep import run_sweep
from lotse.retention.tests.canary import (
    EVENT,
    EVENT_AT,
    build,
    canary_for,
    found_in_database,
    found_in_media,
    has_canary,
    impersonal_canaries,
    models_left,
)

DAY = datetime.timedelta(days=1)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def _kept(months_passed: int | None, rules) -> list[str]:
    """The models whose records must still be there when `months_passed` months have passed."""
    return [e.model_label for e in ENTRIES
            if KINDS[e.kind].action != Action.KEEP
            and (months_passed is None or rules[e.kind].period_months > months_passed)]


def _expected(months_passed: int | None, rules) -> set[str]:
    """The canaries that must still be there (models with free text carry one)."""
    from django.apps import apps

    return {canary_for(label) for label in _kept(months_passed, rules)
            if has_canary(apps.get_model(label))}


def _check(person_id: int, months_passed: int, rules) -> None:
    assert found_in_database() == _expected(months_passed, rules), f"{months_passed} months"
    person_models = {e.model_label for e in ENTRIES if e.person_path and KINDS[e.kind].action != Action.KEEP}
    assert models_left(person_id) & person_models == set(_kept(months_passed, rules)) & person_models


def _sweep(today, capture):
    with capture(execute=True):
        return run_sweep(today)


def test_each_rule_erases_its_kind_then_the_canary_is_nowhere(
        world, media, django_capture_on_commit_callbacks):
    ids = build(world)
    # the emergency access (its reason carries a canary) was used through the spine
    assert AccessEvent.objects.filter(person_id=ids["person"],
                                      basis__contains=f"override:{ids['override']}").exists()
    rules = rules_in_force(EVENT)
    everything = _expected(None, rules)
    assert found_in_database() == everything
    assert found_in_media(media) == {canary_for("cases.CaseDocument"), canary_for("consent.Consent")}
    periods = sorted({rules[k].period_months for k in KINDS if KINDS[k].action != Action.KEEP})
    seen_kinds = set()
    for months in periods:
        due = add_months(EVENT, months)
        report = _sweep(due - DAY, django_capture_on_commit_callbacks)  # the day before: nothing
        assert report.failed_persons == []
        _check(ids["person"], months - 1, rules)
        report = _sweep(due, django_capture_on_commit_callbacks)
        assert report.failed_persons == []
        _check(ids["person"], months, rules)
        seen_kinds |= set(report.erased) | set(report.anonymised)
    assert found_in_database() == set()
    assert found_in_media(media) == set()
    assert seen_kinds == {k for k in KINDS if KINDS[k].action != Action.KEEP}
    # the access log says what went, by kind and id, and its chain still verifies
    erased = AccessEvent.objects.filter(action="retention.erased", person_id=ids["person"])
    assert {e.object_ref for e in erased} >= {"retention:master_data", "retention:case_file",
                                              "retention:counselling_notes"}
    assert AccessEvent.objects.filter(action="retention.anonymised",
                                      object_ref=f"staff:{ids['staff']}").exists()
    check = verify_chain()  # no signed checkpoint in tests: the hashes must still agree
    assert check.first_broken_seq is None and "hashes are consistent" in check.problem


def test_nothing_goes_before_its_period(world, media, django_capture_on_commit_callbacks):
    build(world)
    before = found_in_database()
    first = min(rules_in_force(EVENT)[k].period_months for k in KINDS)
    report = _sweep(add_months(EVENT, first) - DAY, django_capture_on_commit_callbacks)
    assert sum(report.erased.values()) == 0 and report.files == 0
    assert found_in_database() == before


def test_a_legal_hold_restricts_instead_of_erasing(world, media, django_capture_on_commit_callbacks):
    from lotse.retention.holds import legal_hold_lift, legal_hold_set

    ids = build(world)
    dpo = world.ctx("dpo")  # every file closed: the DPO's rule includes such persons
    legal_hold_set(ctx=dpo, person_id=ids["person"], reason="Klage vor dem Sozialgericht anhängig")
    before = found_in_database()
    far = add_months(EVENT, 240)
    report = _sweep(far, django_capture_on_commit_callbacks)
    assert report.persons_restricted == 1
    assert set(report.restricted) >= {"case_file", "counselling_notes", "consent_proof", "appointment"}
    assert "master_data" not in report.erased
    # staff accounts, reports and logins are not the person: they go by their own rules
    assert found_in_database() == before - impersonal_canaries()
    assert found_in_media(media) == {canary_for("cases.CaseDocument"), canary_for("consent.Consent")}
    assert AccessEvent.objects.filter(action="retention.restricted", person_id=ids["person"]).exists()
    legal_hold_lift(ctx=dpo, person_id=ids["person"])
    _sweep(far, django_capture_on_commit_callbacks)
    assert found_in_database() == set()
    assert found_in_media(media) == set()


def test_a_failure_mid_sweep_leaves_the_person_whole(world, media, django_capture_on_commit_callbacks):
    ids = build(world)
    before = found_in_database()
    far = add_months(EVENT, 240)
    # appointments are erased after notes, cases, referrals and changes of regime
    with mock.patch.object(sweep, "_drop_empty_appointments", side_effect=RuntimeError("disk")):
        report = _sweep(far, django_capture_on_commit_callbacks)
    assert report.failed_persons == [ids["person"]]
    assert found_in_database() == before - impersonal_canaries()
    assert found_in_media(media) == {canary_for("cases.CaseDocument"), canary_for("consent.Consent")}
    assert not AccessEvent.objects.filter(action="retention.erased", person_id=ids["person"]).exists()
    report = _sweep(far, django_capture_on_commit_callbacks)  # the next night finishes the work
    assert report.failed_persons == [] and found_in_database() == set()


def test_a_dry_run_reports_and_changes_nothing(world, media, django_capture_on_commit_callbacks, capsys):
    build(world)
    before = found_in_database()
    log_rows = AccessEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("retention_sweep", "--dry-run", f"--today={add_months(EVENT, 240)}")
    out = capsys.readouterr().out
    assert "would erase: master_data" in out and "would anonymise: staff_account" in out
    assert "1 persons seen, 1 would erase completely" in out
    assert found_in_database() == before
    assert found_in_media(media) != set()
    assert AccessEvent.objects.count() == log_rows


def test_the_command_refuses_a_bad_date_clearly(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--today must be a date"):
        call_command("retention_sweep", "--today=gestern")


def test_a_person_with_an_open_case_keeps_everything(world, media, django_capture_on_commit_callbacks):
    from lotse.core.testing import open_case, register_person

    pid = register_person(world, "caritas", given_names="Offen", family_name="Fallakte")
    open_case(world, pid)
    report = _sweep(add_months(EVENT, 600), django_capture_on_commit_callbacks)
    assert report.persons_erased == 0 and "case_file" not in report.erased
    assert report.failed_persons == []


def test_the_background_task_runs_the_same_sweep(world, media, django_capture_on_commit_callbacks):
    from lotse.retention.tasks import retention_sweep_task

    build(world)
    with django_capture_on_commit_callbacks(execute=True):
        result = retention_sweep_task.enqueue(str(add_months(EVENT, 240)), True)
    report = result.return_value
    assert report["dry_run"] is True and report["persons_seen"] == 1, report
    assert report["persons_erased"] == 1 and report["erased"]["master_data"] >= 1 and report["files"] == 2
    assert found_in_database() != set()  # a dry run


# --- only persons who can have anything expired are visited -----------------------------------

def _untouched(world, n: int) -> list[int]:
    """Persons with an open file and an open case: nothing of them can expire."""
    from lotse.core.testing import open_case, register_person

    pids = []
    for i in range(n):
        pid = register_person(world, "social_a", given_names=f"Offen{i}", family_name="Akte")
        open_case(world, pid)
        pids.append(pid)
    return pids


def _swept_queries(today) -> tuple[int, dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        report = run_sweep(today, dry_run=True)
    return len(queries), report.as_dict()


def test_persons_with_nothing_expirable_are_not_visited(world, media):
    far = add_months(EVENT, 600)
    ids = build(world)
    _untouched(world, 2)
    few, report = _swept_queries(far)
    assert report["persons_seen"] == 1 and report["persons_erased"] == 1  # the canary person
    _untouched(world, 8)
    many, report = _swept_queries(far)
    assert report["persons_seen"] == 1, report
    assert many == few, "the sweep's queries grow with persons it has nothing to do for"
    run_sweep(far)
    # nothing of the canary person is left; the untouched persons are, and are not visited
    assert models_left(ids["person"]) == {"audit.AccessEvent"}  # the log is kept whole
    assert run_sweep(far).persons_seen == 0


def _varied(world) -> None:
    """Start events the canary person does not have: a residence entry whose authority has no
    file (its own end counts), an old entry under an open file, a person without any file
    (their last change counts), a consent that ends while the files are open, a case closed
    later than the others."""
    from lotse.consent.services import consent_record
    from lotse.core.scoping import personal_data_scope
    from lotse.core.testing import add_residence, open_case, register_person
    from lotse.people.models import Person, PersonAgencyLink, ResidenceStatus

    no_abh_file = register_person(world, "social_a", given_names="Ohne", family_name="ABH")
    add_residence(world, no_abh_file, valid_from=datetime.date(2020, 1, 1))
    old_under_open_file = register_person(world, "social_a", given_names="Alt", family_name="Offen")
    add_residence(world, old_under_open_file, valid_from=datetime.date(2020, 1, 1))
    no_files = register_person(world, "social_a", given_names="Keine", family_name="Akte")
    consenting = register_person(world, "social_a", given_names="Zustimmung", family_name="Endet")
    consent_record(ctx=world.ctx("social_a"), person_id=consenting, categories=["identity"],
                   purpose="benefits_handover", to_agency_id=world.agencies["jobcentre"].pk,
                   from_agency_id=world.agencies["social_a"].pk, given_on=datetime.date(2024, 1, 1),
                   valid_until=EVENT + 40 * DAY, method="signed_form", informed_language="de")
    later_case = register_person(world, "social_a", given_names="Spaeter", family_name="Fall")
    case = open_case(world, later_case)
    with personal_data_scope():
        ResidenceStatus.objects.filter(person_id__in=[no_abh_file, old_under_open_file]).update(
            valid_to=EVENT - 10 * DAY)
        PersonAgencyLink.objects.filter(person_id=no_abh_file, agency=world.agencies["abh"]).delete()
        PersonAgencyLink.objects.filter(person_id=no_files).delete()
        Person._plain.filter(pk=no_files).update(updated_at=EVENT_AT)
        from lotse.cases.models import Case

        Case.objects.filter(pk=case.pk).update(closed_on=EVENT + 100 * DAY, phase="closed")
        PersonAgencyLink.objects.filter(person_id=later_case).update(until=EVENT + 70 * DAY)


def test_the_selection_in_sql_changes_no_result(world, media):
    """Dry runs on every period's edge give the same report whether the sweep visits the
    selected persons or every person (as it did before)."""
    from lotse.people.models import Person

    build(world)
    _varied(world)
    _untouched(world, 2)
    rules = rules_in_force(EVENT)

    def everyone(today, rules):
        from lotse.core.scoping import personal_data_scope

        with personal_data_scope():
            return list(Person.objects.filter(merged_into__isnull=True).order_by("pk")
                        .values_list("pk", "district_id"))

    days = set()
    for months in {rules[k].period_months for k in KINDS if KINDS[k].action != Action.KEEP}:
        for start in (EVENT - 10 * DAY, EVENT, EVENT + 40 * DAY, EVENT + 70 * DAY,
                      EVENT + 100 * DAY):
            due = add_months(start, months)
            days |= {due - DAY, due}
    busy_days = 0
    for day in sorted(days):
        selected = run_sweep(day, dry_run=True).as_dict()
        busy_days += bool(selected["erased"])
        with mock.patch.object(sweep, "candidate_persons", everyone):
            visited_all = run_sweep(day, dry_run=True).as_dict()
        assert selected["persons_seen"] <= visited_all["persons_seen"]
        selected.pop("persons_seen"), visited_all.pop("persons_seen")
        assert selected == visited_all, day
    assert busy_days >= 10  # the edges are real: something goes on them


def test_records_of_no_one_go_by_age_and_what_is_in_use_stays(world, media):
    """Reports, task results and login records older than their period go (logged without a
    person); a running bulk change, a queued task and a daily schedule's settings stay."""
    from django_tasks_db.models import DBTaskResult

    from lotse.appointments.models import DailySchedule
    from lotse.core.models import TaskProgress
    from lotse.handovers.models import BulkChangeRun

    build(world)
    BulkChangeRun.objects.update(status="running")
    TaskProgress.objects.update(state="running")
    DBTaskResult.objects.update(status="READY")
    report = run_sweep(add_months(EVENT, 13))
    assert report.erased["login_record"] == 3 and report.erased["run_report"] == 3, report.erased
    assert "task_result" not in report.erased
    assert BulkChangeRun.objects.count() == 1 and TaskProgress.objects.count() == 1
    assert DBTaskResult.objects.count() == 1
    schedule = DailySchedule.objects.get(agency=world.agencies["abh"])
    assert schedule.last_report == {} and schedule.run_at is not None
    logged = AccessEvent.objects.filter(action="retention.erased", person_id__isnull=True)
    assert {e.object_ref for e in logged} >= {"retention:login_record:axes.AccessAttempt",
                                              "retention:run_report:appointments.PermitImport"}
    assert all(e.basis.startswith("kind=") and e.categories == "" for e in logged)
