"""Administrators publish a new questionnaire version from a JSON file; a broken definition is
refused with every problem named and nothing changes."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from lotse.intake.models import Questionnaire

pytestmark = pytest.mark.django_db


def test_export_then_publish_a_new_version(tmp_path):
    call_command("load_reference_data", verbosity=0)
    out = io.StringIO()
    call_command("questionnaire", "export", "kim-erstgespraech", stdout=out)
    definition = json.loads(out.getvalue())
    definition["sections"][0]["title"]["de"] = "Schule, Ausbildung und Studium"
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(definition), encoding="utf-8")
    call_command("questionnaire", "publish", "kim-erstgespraech", "--file", str(path), stdout=io.StringIO())
    versions = list(Questionnaire.objects.filter(code="kim-erstgespraech").order_by("version")
                    .values_list("version", "retired_on"))
    assert [v for v, _ in versions] == [1, 2]
    assert versions[0][1] is not None and versions[1][1] is None


def test_a_broken_definition_is_refused_and_changes_nothing(tmp_path):
    call_command("load_reference_data", verbosity=0)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"sections": [{"key": "x", "category": "health", "questions": [
        {"key": "q", "type": "telepathy"}]}]}), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("questionnaire", "publish", "kim-erstgespraech", "--file", str(path))
    assert "telepathy" in str(error.value) or "type" in str(error.value)
    assert Questionnaire.objects.filter(code="kim-erstgespraech").count() == 1
