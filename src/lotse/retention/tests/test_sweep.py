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
    build,
    canary_for,
    found_in_database,
    found_in_media,
    has_canary,
    models_left,
    set_files_closed,
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
    dpo = world.ctx("dpo")
    set_files_closed(ids["person"], None)
    legal_hold_set(ctx=dpo, person_id=ids["person"], reason="Klage vor dem Sozialgericht anhängig")
    set_files_closed(ids["person"], EVENT)
    before = found_in_database()
    far = add_months(EVENT, 240)
    report = _sweep(far, django_capture_on_commit_callbacks)
    assert report.persons_restricted == 1
    assert set(report.restricted) >= {"case_file", "counselling_notes", "consent_proof", "appointment"}
    assert "master_data" not in report.erased
    # the staff account is not the person: it is anonymised by its own rule
    assert found_in_database() == before - {canary_for("organisations.StaffUser")}
    assert found_in_media(media) == {canary_for("cases.CaseDocument"), canary_for("consent.Consent")}
    assert AccessEvent.objects.filter(action="retention.restricted", person_id=ids["person"]).exists()
    set_files_closed(ids["person"], None)
    legal_hold_lift(ctx=dpo, person_id=ids["person"])
    set_files_closed(ids["person"], EVENT)
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
    assert found_in_database() == before - {canary_for("organisations.StaffUser")}
    assert found_in_media(media) == {canary_for("cases.CaseDocument"), canary_for("consent.Consent")}
    assert not AccessEvent.objects.filter(action="retention.erased").exists()
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
