"""docs/security.md stays honest: every test it names as proof exists under that name, and the
totals at its top count the statuses of its requirement rows. A renamed or deleted test would
otherwise leave a requirement "met, tested" with nothing behind it."""

import ast
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from lotse.core.testing import REPO_ROOT

pytestmark = pytest.mark.db_independent

PACKAGE = REPO_ROOT / "src" / "lotse"
CHECKLIST = REPO_ROOT / "docs" / "security.md"
# `core/tests/test_x.py::test_name` or `::test_name` (the file named last in the same line).
REFERENCE = re.compile(r"`(?:([\w/]+/tests/[\w]+\.py))?(?:::([\w]+))?")
REQUIREMENT_ROW = re.compile(r"^\| (\d+\.\d+\.\d+)(?: \([^)]*\))? \|")


@cache
def _names_defined(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return frozenset(node.name for node in ast.walk(tree)
                     if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef))


def _references() -> list[tuple[int, str, str | None]]:
    """(line number, test file, test name or None) for each test the checklist names."""
    found = []
    for number, line in enumerate(CHECKLIST.read_text(encoding="utf-8").splitlines(), start=1):
        current = None
        for file, name in REFERENCE.findall(line):
            if file:
                current = file
            if file or name:
                found.append((number, current, name or None))
    return found


def test_every_test_the_checklist_names_exists():
    references = _references()
    assert len(references) > 50, "the checklist names no tests any more"
    problems = []
    for number, file, name in references:
        if file is None:
            problems.append(f"line {number}: ::{name} without a test file before it")
        elif not (PACKAGE / file).is_file():
            problems.append(f"line {number}: {file} does not exist")
        elif name and name not in _names_defined(PACKAGE / file):
            problems.append(f"line {number}: {file} defines no {name}")
    assert problems == []


def test_the_totals_count_the_requirement_rows():
    text = CHECKLIST.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if REQUIREMENT_ROW.match(line)]
    statuses = Counter({"met, tested": 0, "met, untested": 0, "not yet met": 0})
    for row in rows:
        status = row.rstrip(" |").rsplit("|", 1)[-1].strip().lower()
        if "not yet met" in status:
            statuses["not yet met"] += 1
        elif "untested" in status:
            statuses["met, untested"] += 1
        else:
            assert status.startswith("met"), f"unknown status in: {row[:80]}"
            statuses["met, tested"] += 1
    totals = dict(re.findall(r"^\| (met, tested|met, untested|not yet met) \| (\d+) \|$", text, re.MULTILINE))
    assert {key: int(value) for key, value in totals.items()} == dict(statuses)
    assert f"| **total** | **{len(rows)}** |" in text
