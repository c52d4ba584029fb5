"""Security checklist (docs/security.md), checks on the source: no inline script in any template
(the CSP forbids it, ASVS 3.4.3), no template compiled from text at run time (1.3.7), every model
form names its fields (mass assignment, 15.3.3)."""

import importlib
import re
from pathlib import Path

import pytest
from django import forms

pytestmark = pytest.mark.db_independent

SRC = Path(__file__).resolve().parents[2]  # src/lotse
TEMPLATES = sorted(p for p in SRC.rglob("templates/**/*.html"))
PYTHON = sorted(p for p in SRC.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts)

SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"""[\s"'](on[a-z]+|hx-on[:\w-]*)\s*=""", re.IGNORECASE)
JS_URL = re.compile(r"javascript:", re.IGNORECASE)


def test_templates_were_found():
    assert len(TEMPLATES) > 100 and len(PYTHON) > 200


def test_no_template_carries_inline_script():
    offenders = []
    for template in TEMPLATES:
        text = template.read_text(encoding="utf-8")
        name = template.relative_to(SRC)
        offenders += [f"{name}: inline {tag}" for tag in SCRIPT_TAG.findall(text) if not re.search(r"\bsrc=", tag)]
        offenders += [f"{name}: handler {m.group(1)}" for m in EVENT_HANDLER.finditer(text)]
        offenders += [f"{name}: javascript: URL" for _m in JS_URL.finditer(text)]
    assert offenders == []


def test_no_template_is_compiled_from_text_at_run_time():
    """Templates come from files only; user text is a value in a context, never a template."""
    pattern = re.compile(r"(?<![\w.])(Template|Engine)\(|\.from_string\(|engines\[")
    offenders = [f"{path.relative_to(SRC)}:{number}: {line.strip()}"
                 for path in PYTHON
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if pattern.search(line) and not line.lstrip().startswith("#")]
    assert offenders == []


def _model_forms():
    for path in sorted((SRC / "web").glob("forms*.py")):
        module = importlib.import_module(f"lotse.web.{path.stem}")
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, forms.ModelForm)
                    and value.__module__ == module.__name__ and value._meta.model is not None):
                yield value


def test_every_model_form_names_the_fields_it_writes():
    found = list(_model_forms())
    assert found, "no model forms found"
    for form_class in found:
        meta = form_class._meta
        assert isinstance(meta.fields, list | tuple), f"{form_class.__name__}: fields = {meta.fields!r}"
        assert not meta.exclude, f"{form_class.__name__} uses exclude"


def test_every_field_of_a_person_is_classified_or_bookkeeping():
    """ASVS 14.1.1, 8.2.3: the spine hides a person's fields by their category
    (`people.models.FIELD_CATEGORIES`); a new field without a category would never be hidden."""
    from lotse.people.models import FIELD_CATEGORIES, Person

    bookkeeping = {"id", "district", "merged_into", "created_at", "updated_at"}
    fields = {f.name for f in Person._meta.concrete_fields}
    assert fields - set(FIELD_CATEGORIES) == bookkeeping
