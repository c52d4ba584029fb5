"""Reads of dated rule data: always 'in force on a date'."""

import datetime

from lotse.rules.models import AccessRule, RecordResponsibility


def access_rules_in_force(*, on: datetime.date, recipient_kind: str) -> list[AccessRule]:
    return list(AccessRule.objects.in_force(on).filter(recipient_kind=recipient_kind))


def responsible_agency_kinds(*, subject: str, on: datetime.date) -> set[str]:
    """Kinds of agency that record `subject` ("residence", "sgb2", …) on a date (rule data)."""
    return set(RecordResponsibility.objects.in_force(on).filter(subject=subject)
               .values_list("agency_kind", flat=True))
