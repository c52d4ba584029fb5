"""Dates of a regime change, from rule data only (no personal models here).

    new regime starts  = by the rule's `new_start` from the trigger date, never before `not_before`
    old regime ends    = the day before the new one starts
    application due    = DeadlineRule `handover-application` from the new start (§ 37 SGB II)
"""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from lotse.rules.models import RegimeChangeRule, RegimeStart
from lotse.rules.selectors import deadline_from


@dataclass(frozen=True)
class ChangeDates:
    trigger_on: datetime.date
    old_regime_ends_on: datetime.date
    new_regime_starts_on: datetime.date
    application_due_on: datetime.date


def rule_applies(rule: RegimeChangeRule, *, status_from: datetime.date, status_to: datetime.date | None,
                 first_issued_on: datetime.date | None = None) -> bool:
    """Does the rule cover a status valid from `status_from` to `status_to`? The status must
    overlap the rule's validity; `first_issued_after` looks at the first status of the kind."""
    if rule.valid_to is not None and status_from > rule.valid_to:
        return False
    if status_to is not None and status_to < rule.valid_from:
        return False
    if rule.first_issued_after is not None:
        first = first_issued_on or status_from
        if first <= rule.first_issued_after:
            return False
    return True


def change_dates(rule: RegimeChangeRule, *, status_from: datetime.date) -> ChangeDates:
    trigger_on = max(status_from, rule.valid_from)
    if rule.new_start == RegimeStart.TRIGGER_DATE:
        start = status_from
    else:
        start = status_from.replace(day=1) + relativedelta(months=1)
    if rule.not_before is not None:
        start = max(start, rule.not_before)
    due, _rule = deadline_from(key="handover-application", anchor=start)
    return ChangeDates(trigger_on=trigger_on, old_regime_ends_on=start - datetime.timedelta(days=1),
                       new_regime_starts_on=start, application_due_on=due)
