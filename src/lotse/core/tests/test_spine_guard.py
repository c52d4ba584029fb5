"""Architecture guard: no code reads a personal model around the access spine.

Personal models are reachable only inside the spine perimeter listed below. Everything else
(views, API, exports, PDFs, tasks) must call the spine's doors. This test reads the source.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps

import lotse
from lotse.core.scoping import ScopedManager

# Every model whose default manager is the scoped one is personal data; emergency overrides
# name a person too and are read by the spine only.
PERSONAL_MODELS = {
    model.__name__ for model in apps.get_models()
    if isinstance(model._default_manager, ScopedManager)
} | {"AccessOverride"}
MANAGER_ATTRS = {"objects", "_plain", "_base_manager", "_default_manager"}
SCOPE_OPENERS = {"personal_data_scope"}

# The spine perimeter: modules that decide and log, or write after deciding.
SPINE_PERIMETER = {
    "access/spine.py", "access/overrides.py", "consent/selectors.py", "consent/services.py",
    "consent/queries.py", "people/services.py", "people/selectors.py", "core/scoping.py",
    "core/testing.py", "organisations/management/commands/seed.py",
    "cases/selectors.py", "cases/services.py", "conferences/selectors.py", "conferences/services.py",
    "referrals/selectors.py", "referrals/services.py", "intake/selectors.py", "intake/services.py",
    "plans/selectors.py", "plans/services.py", "handovers/services.py", "handovers/selectors.py",
    "handovers/package.py", "handovers/bulk.py", "people/residence_overview.py",
    "appointments/selectors.py", "appointments/services.py", "appointments/scan.py",
    "appointments/planning.py", "appointments/permit_import.py", "appointments/figures.py",
    # steering counts over personal data through steering.access.aggregate_scope only
    "steering/access.py", "steering/kpis.py", "steering/needs.py",
    # retention: the sweep erases, the export and the holds read and write after deciding
    "retention/sweep.py", "retention/subject_export.py", "retention/holds.py",
}

ROOT = Path(lotse.__file__).parent


def _source_files():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if "/migrations/" in rel or "/tests/" in rel or rel.endswith("conftest.py"):
            continue
        yield rel, path


def _violations(rel: str, tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in MANAGER_ATTRS:
            base = node.value
            name = base.id if isinstance(base, ast.Name) else getattr(base, "attr", None)
            if name in PERSONAL_MODELS:
                found.append(f"{rel}:{node.lineno}: {name}.{node.attr}")
        if isinstance(node, ast.Name) and node.id in SCOPE_OPENERS:
            found.append(f"{rel}:{node.lineno}: {node.id}")
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in {"raw", "extra"}:
            found.append(f"{rel}:{node.lineno}: raw SQL")
    return found


def test_no_personal_model_is_read_outside_the_spine():
    offenders = []
    for rel, path in _source_files():
        if rel in SPINE_PERIMETER:
            continue
        offenders += _violations(rel, ast.parse(path.read_text(encoding="utf-8")))
    assert offenders == [], "Personal data read around the access spine:\n" + "\n".join(offenders)


def test_the_guard_catches_a_view_reading_persons_directly():
    bad = ast.parse("from lotse.people.models import Person\n"
                    "def view(request):\n    return Person.objects.all()\n")
    assert _violations("web/views/bad.py", bad) == ["web/views/bad.py:3: Person.objects"]


def test_personal_models_are_found():
    assert {"Person", "Consent", "AccessOverride", "Case", "CaseNote", "Referral"} <= PERSONAL_MODELS
    assert "Offer" not in PERSONAL_MODELS and "GapReport" not in PERSONAL_MODELS


def test_perimeter_files_exist():
    missing = [rel for rel in SPINE_PERIMETER if not (ROOT / rel).exists()]
    assert missing == []


@pytest.mark.django_db
def test_models_and_migrations_agree():
    """A model change without its migration would break every installation's upgrade."""
    import io

    from django.core.management import call_command

    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit as exc:
        raise AssertionError("Missing migrations:\n" + out.getvalue()) from exc
