"""Meta-test: every model holding personal data has a registry entry, a rule in force, an
erasure path and export coverage of every field. It fails when a model is missing."""

import datetime

import pytest
from django.apps import apps
from django.utils import timezone

from lotse.core.scoping import ScopedManager
from lotse.people.models import Person
from lotse.retention import registry
from lotse.retention.registry import KINDS, Action, Entry
from lotse.retention.selectors import add_months, rules_in_force

# Personal data the derivation below cannot see: staff accounts and the access log (ids of
# persons without a foreign key).
EXPLICIT = {"organisations.StaffUser", "audit.AccessEvent", "access.AccessOverride"}


def personal_models() -> set[str]:
    found = set(EXPLICIT)
    for model in apps.get_models():
        if isinstance(model._default_manager, ScopedManager):
            found.add(model._meta.label)
        for f in model._meta.get_fields():
            if f.is_relation and f.concrete and f.related_model is Person:
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
        if kind.action == Action.KEEP or entry.person_path is None:
            continue  # access log (kept whole), staff accounts (swept by their own rule)
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
