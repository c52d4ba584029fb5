"""Reading the retention rules (no personal data)."""

import datetime

from lotse.retention.models import RetentionRule


def rules_in_force(on: datetime.date) -> dict[str, RetentionRule]:
    """The rule in force per data kind on `on` (the latest start wins)."""
    rules: dict[str, RetentionRule] = {}
    for rule in RetentionRule.objects.in_force(on).order_by("kind", "valid_from"):
        rules[rule.kind] = rule
    return rules


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def expires_on(start: datetime.date | None, rule: RetentionRule) -> datetime.date | None:
    return None if start is None else add_months(start, rule.period_months)


def latest_start(today: datetime.date, months: int) -> datetime.date:
    """The latest start date whose period of `months` has run out by `today`: a record is due
    exactly when `start <= latest_start(today, months)` (`expires_on` is monotone)."""
    day = add_months(today, -months)
    while add_months(day + datetime.timedelta(days=1), months) <= today:
        day += datetime.timedelta(days=1)
    return day
