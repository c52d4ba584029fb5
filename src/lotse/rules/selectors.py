"""Reads of dated rule data: always 'in force on a date'."""

import datetime

from lotse.rules.models import AccessRule, AccessRuleKind


def access_rules_in_force(*, on: datetime.date, recipient_kind: str) -> list[AccessRule]:
    return list(AccessRule.objects.in_force(on).filter(recipient_kind=recipient_kind))


def blocked_rules_in_force(*, on: datetime.date, recipient_kind: str) -> list[AccessRule]:
    return [
        rule
        for rule in access_rules_in_force(on=on, recipient_kind=recipient_kind)
        if rule.kind == AccessRuleKind.BLOCKED
    ]


def benefits_agency_kinds(*, regime: str, on: datetime.date) -> set[str]:
    """Kinds of agency responsible for `regime` on a date (dated rule data)."""
    from lotse.rules.models import BenefitsResponsibility

    return set(BenefitsResponsibility.objects.in_force(on).filter(regime=regime)
               .values_list("agency_kind", flat=True))
