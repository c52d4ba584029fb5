"""Screening free text for obvious personal data before it is stored where none may be (gap
reports, conference topics): dates, file and register numbers, e-mail addresses, phone numbers
and names of persons in the district's registry. A heuristic against slips, not a guarantee."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.people.selectors import registry_names_in_text

# (kind, pattern), checked in this order; a later pattern never reports text an earlier one
# already reported (a phone number is not also a file number).
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("date", re.compile(r"(?<![\d.])\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})(?![\d.]*\d)")),
    ("date", re.compile(r"(?<!\d)\d{4}-\d{1,2}-\d{1,2}(?!\d)")),
    ("date", re.compile(r"(?<![\d/])\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})(?![\d/])")),
    ("file_number", re.compile(
        r"\b(?:Az|AZ|Aktenz(?:eichen)?|Gz|GZ|Geschäftsz(?:eichen)?|Kd\.?-?Nr|Kundennr|BG-?Nr|"
        r"AZR(?:-Nr)?|Vorgangsnr)\.?:?\s*[\w./-]*\d[\w./-]*")),
    ("phone", re.compile(r"(?<![\w.])(?:\+\d{1,3}[\s-]?(?:\(0\))?|\(?0)\d{1,5}\)?(?:[\s/-]?\d{2,}){1,4}(?!\w|\.\d)")),
    ("file_number", re.compile(r"(?<![\w.])\d{1,6}[-/]\d{1,6}/\d{2,4}(?![\w./])")),
    ("file_number", re.compile(r"(?<![\d.,])\d(?:-?\d){5,}(?![\d.,]\d)")),
)
_MIN_PHONE_DIGITS = 7

KIND_LABELS = {
    "date": gettext_lazy("date"),
    "file_number": gettext_lazy("file or register number"),
    "email": gettext_lazy("e-mail address"),
    "phone": gettext_lazy("phone number"),
    "name": gettext_lazy("a person's name"),
}


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str

    def __str__(self) -> str:
        return _("%(kind)s “%(text)s”") % {"kind": KIND_LABELS[self.kind], "text": self.text}


def find_personal_data(text: str, *, district_id: int | None, ctx=None) -> list[Finding]:
    """What in `text` looks like personal data, in the order of the checks."""
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text or ""):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            value = match.group().strip()
            if kind == "phone" and sum(ch.isdigit() for ch in value) < _MIN_PHONE_DIGITS:
                continue
            taken.append((start, end))
            findings.append(Finding(kind, value))
    findings += [Finding("name", words) for words in registry_names_in_text(district_id, text or "",
                                                                                visible_to=ctx)]
    return findings


def screen_fields(fields: dict[str, str], *, district_id: int | None, ctx=None) -> None:
    """Raise a ValidationError per field that contains personal data (naming what was found).
    `ctx`: names count only of persons this user may see (no probing of the registry)."""
    errors = {}
    for name, text in fields.items():
        findings = find_personal_data(text, district_id=district_id, ctx=ctx)
        if findings:
            errors[name] = _(
                "The text probably contains personal data: %(found)s. Describe the need or gap "
                "without anything that identifies a person."
            ) % {"found": ", ".join(str(f) for f in findings)}
    if errors:
        raise ValidationError(errors)
