"""The documented access rules (ASVS 8.1.1 function level, 8.1.2 field level) say what the code
does: docs/access-model.md lists every reference role with its categories, purposes and
permissions, and every data category the fields are sorted into. A change to either side
without the other fails here."""

import re

import pytest

from lotse.core.testing import doc_section
from lotse.core.vocabulary import DataCategory, Purpose
from lotse.organisations.permissions import ALL_PERMISSIONS
from lotse.organisations.reference import ROLES

pytestmark = pytest.mark.db_independent


def _section(title: str) -> str:
    return doc_section("access-model.md", title)


def _table_rows(section: str) -> list[list[str]]:
    """The cells of a Markdown table's body rows (header and rule left out)."""
    rows = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


def _codes(cell: str) -> set[str]:
    return set(re.findall(r"`([^`]+)`", cell))


def test_every_reference_role_is_documented_with_its_categories_purposes_and_permissions():
    documented = {
        next(iter(_codes(code))): {"name": name, "categories": _codes(categories),
                                   "purposes": _codes(purposes), "permissions": _codes(permissions)}
        for code, name, categories, purposes, permissions in _table_rows(_section("Roles and permissions"))
    }
    in_code = {
        role["code"]: {"name": role["name"], "categories": {str(c) for c in role["categories"]},
                       "purposes": {str(p) for p in role["purposes"]}, "permissions": set(role["permissions"])}
        for role in ROLES
    }
    assert documented == in_code


def test_the_documented_roles_use_only_known_permissions_categories_and_purposes():
    rows = _table_rows(_section("Roles and permissions"))
    assert rows, "the roles table is empty"
    assert set().union(*(_codes(row[4]) for row in rows)) <= set(ALL_PERMISSIONS)
    assert set().union(*(_codes(row[2]) for row in rows)) <= {c.value for c in DataCategory}
    assert set().union(*(_codes(row[3]) for row in rows)) <= {p.value for p in Purpose}


def test_every_data_category_is_documented_once():
    documented = [row[0].replace(" ", "_") for row in _table_rows(_section("Data categories"))]
    assert sorted(documented) == sorted(c.value for c in DataCategory)
