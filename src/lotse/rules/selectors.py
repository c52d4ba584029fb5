"""Reads of dated rule data: always 'in force on a date'."""

import datetime

from lotse.rules.models import AccessRule, DeadlineRule, RecordResponsibility, RegimeChangeRule


def access_rules_in_force(*, on: datetime.date, recipient_kind: str) -> list[AccessRule]:
    """Rules for one kind of recipient, and rules with no recipient kind (for every agency)."""
    return list(AccessRule.objects.in_force(on).filter(recipient_kind__in=[recipient_kind, ""]))


def responsible_agency_kinds(*, subject: str, on: datetime.date) -> set[str]:
    """Kinds of agency that record `subject` ("residence", "sgb2", …) on a date (rule data)."""
    return set(RecordResponsibility.objects.in_force(on).filter(subject=subject)
               .values_list("agency_kind", flat=True))


class NoRuleInForce(LookupError):
    """No dated rule with this key was in force on the anchor date."""


def deadline_rule(*, key: str, on: datetime.date) -> DeadlineRule:
    return DeadlineForMany(key).rule_on(on)


def deadline_from(*, key: str, anchor: datetime.date) -> tuple[datetime.date, DeadlineRule]:
    """The date a deadline falls on, computed by the rule in force on the anchor date."""
    return DeadlineForMany(key).deadline_from(anchor)


class DeadlineForMany:
    """A deadline rule and the version in force on a date. Its versions are read once, in one
    query, and the version is chosen in memory: a page that applies the rule to many anchors
    (every handover or referral shown) keeps one instance; `deadline_rule` and `deadline_from`
    use one each."""

    def __init__(self, key: str):
        self.key = key
        self._versions: list[DeadlineRule] | None = None

    def rule_on(self, on: datetime.date) -> DeadlineRule:
        """The version in force on `on` (the newest, should versions overlap)."""
        if self._versions is None:
            self._versions = list(DeadlineRule.objects.filter(key=self.key).order_by("-valid_from"))
        for rule in self._versions:
            if rule.in_force_on(on):
                return rule
        raise NoRuleInForce(self.key, on)

    def deadline_from(self, anchor: datetime.date) -> tuple[datetime.date, DeadlineRule]:
        rule = self.rule_on(anchor)
        return rule.apply(anchor), rule


def regime_change_rules_for(*, kind_code: str, from_regime: str | None = None) -> list[RegimeChangeRule]:
    """Rules a residence status of this kind may trigger (validity is checked by the caller
    against the status's dates: see handovers.timing)."""
    rules = [r for r in RegimeChangeRule.objects.all() if kind_code in (r.trigger_kinds or [])]
    if from_regime:
        rules = [r for r in rules if r.from_regime == from_regime]
    return rules
