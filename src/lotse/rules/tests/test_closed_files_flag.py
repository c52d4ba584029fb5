"""The access-rule flag "includes persons whose files are all closed": rule data, set only for
the data-protection officer's rule (reference data and the migration for existing rows)."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from lotse.rules.models import AccessRule
from lotse.rules.reference import ACCESS_RULES

DPO_RULE = "dpo-identity-for-data-subject-requests"


def test_the_reference_data_sets_the_flag_for_the_dpo_rule_only():
    flagged = [spec["key"] for spec in ACCESS_RULES if spec.get("includes_closed_files")]
    assert flagged == [DPO_RULE]


@pytest.mark.django_db
def test_the_migration_sets_the_flag_on_existing_rows_of_the_dpo_rule_only():
    migration = importlib.import_module("lotse.rules.migrations.0008_accessrule_includes_closed_files")
    AccessRule.objects.update(includes_closed_files=False)
    newer = AccessRule.objects.get(key=DPO_RULE)
    newer.pk = None
    newer.valid_from = datetime.date(2030, 1, 1)
    newer.save()  # a version from a date: the same key
    migration.dpo_rule_includes_closed_files(apps, None)
    assert set(AccessRule.objects.filter(includes_closed_files=True).values_list("key", flat=True)) == {DPO_RULE}
    assert AccessRule.objects.filter(key=DPO_RULE, includes_closed_files=False).count() == 0


@pytest.mark.django_db
def test_only_a_statutory_rule_may_include_closed_files():
    rule = AccessRule.objects.get(key="secrecy-to-abh-blocked")
    rule.includes_closed_files = True
    with pytest.raises(ValidationError) as caught:
        rule.full_clean()
    assert "includes_closed_files" in caught.value.message_dict
    AccessRule.objects.get(key=DPO_RULE).full_clean()
