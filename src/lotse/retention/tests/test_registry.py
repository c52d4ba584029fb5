"""Meta-test: every model holding personal data has a registry entry, a rule in force, an
erasure path and export coverage of every field. It fails when a model is missing."""

import datetime

import pytest
from django.apps import apps
from django.db.models import GenericIPAddressField, JSONField
from django.utils import timezone

from lotse.core.scoping import ScopedManager
from lotse.people.models import Person
from lotse.retention import registry
from lotse.retention.registry import KINDS, Action, Entry
from lotse.retention.selectors import add_months, rules_in_force

# Personal data the derivation below cannot see: staff accounts and the access log (ids of
# persons without a foreign key).
EXPLICIT = {"organisations.StaffUser", "audit.AccessEvent", "access.AccessOverride"}


# Reports and results that may name persons (ids, lines of an import) are JSON fields with
# these names; login records hold IP addresses.
REPORT_FIELDS = {"report", "last_report", "result", "return_value", "args_kwargs"}


def personal_models() -> set[str]:
    found = set(EXPLICIT)
    for model in apps.get_models():
        if isinstance(model._default_manager, ScopedManager):
            found.add(model._meta.label)
        for f in model._meta.get_fields():
            if f.is_relation and f.concrete and f.related_model is Person:
                found.add(model._meta.label)
            if not f.is_relation and f.concrete and (
                    (isinstance(f, JSONField) and f.name in REPORT_FIELDS)
                    or isinstance(f, GenericIPAddressField)):
                found.add(model._meta.label)
    return found


def missing_entries(entries: list[Entry], models: set[str]) -> list[str]:
    by_model = {e.model_label: e for e in entries}
    return sorted(m for m in models if m not in by_model)


def export_gaps(entry: Entry) -> list[str]:
    fields = {f.name for f in entry.model._meta.concrete_fields}
    exported = {f.name for f in entry.model._meta.concrete_fields if f.attname in entry.export_fields}
    return sorted(fields - exported - set(entry.export_exclude))


def test_every_personal_model_has_an_entry():
    assert missing_entries(registry.ENTRIES, personal_models()) == []


def test_reports_task_results_and_login_records_are_found():
    assert {"appointments.PermitImport", "appointments.AssignmentRun", "appointments.DailySchedule",
            "handovers.BulkChangeRun", "core.TaskProgress", "django_tasks_database.DBTaskResult",
            "axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"} <= personal_models()


def test_the_meta_test_catches_a_missing_model():
    """Proof that the check bites: drop one entry, or add a fake personal model."""
    without_notes = [e for e in registry.ENTRIES if e.model_label != "cases.CaseNote"]
    assert missing_entries(without_notes, personal_models()) == ["cases.CaseNote"]
    assert missing_entries(registry.ENTRIES, personal_models() | {"fake.Diary"}) == ["fake.Diary"]


@pytest.mark.django_db
def test_every_kind_has_a_rule_in_force_with_legal_reference_and_reasoning():
    rules = rules_in_force(timezone.localdate())
    assert set(KINDS) <= set(rules), set(KINDS) - set(rules)
    for kind in KINDS:
        rule = rules[kind]
        assert rule.legal_reference and rule.source_note and rule.start_event, kind
        assert 0 < rule.period_months <= 120, kind


def test_every_entry_has_a_kind_an_erasure_path_and_a_start_event():
    labels = {e.model_label for e in registry.ENTRIES}
    for entry in registry.ENTRIES:
        kind = KINDS[entry.kind]
        if entry.erased_with is not None:
            assert entry.erased_with in labels, entry
            assert registry.BY_MODEL[entry.erased_with].kind == entry.kind, entry
            continue
        if kind.action == Action.KEEP or entry.model_label == "organisations.StaffUser":
            continue  # access log (kept whole), staff accounts (swept by their own rule)
        if entry.person_path is None:  # reports, task results, logins: by age
            assert entry.age_field and entry.model._meta.get_field(entry.age_field), entry
            continue
        assert entry.start is not None, entry


def test_every_field_of_every_entry_is_exported_or_excluded_with_a_reason():
    gaps = {e.model_label: export_gaps(e) for e in registry.ENTRIES}
    assert {m: g for m, g in gaps.items() if g} == {}
    for entry in registry.ENTRIES:
        assert all(reason for reason in entry.export_exclude.values())


def test_the_export_check_catches_an_uncovered_field():
    entry = registry.BY_MODEL["cases.CaseNote"]
    fake = Entry(entry.model_label, entry.kind, entry.person_path, export_exclude={"text": ""})
    assert export_gaps(fake) == []  # excluded, but without a reason:
    assert not all(fake.export_exclude.values())


def test_every_kind_has_the_facts_of_the_processing_record():
    for kind in KINDS.values():
        for text in (kind.label, kind.purpose, kind.legal_basis, kind.persons, kind.recipients):
            assert str(text).strip(), kind.code


def test_months_are_added_on_the_calendar():
    assert add_months(datetime.date(2025, 1, 31), 1) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2025, 11, 15), 26) == datetime.date(2028, 1, 15)


def test_every_entry_erased_by_its_own_start_event_has_it_in_sql():
    """Without `due` the sweep would visit every person again (see sweep.candidate_persons)."""
    assert [e.model_label for e in registry.own_entries() if e.due is None] == []


def test_the_latest_start_is_exact_on_the_calendar():
    from lotse.retention.models import RetentionRule
    from lotse.retention.selectors import expires_on, latest_start

    for today in (datetime.date(2025, 2, 28), datetime.date(2024, 2, 29), datetime.date(2025, 3, 31),
                  datetime.date(2025, 12, 31), datetime.date(2026, 1, 1)):
        for months in (0, 1, 12, 24, 36, 60):
            cutoff = latest_start(today, months)
            rule = RetentionRule(period_months=months)
            assert expires_on(cutoff, rule) <= today < expires_on(cutoff + datetime.timedelta(days=1), rule)
