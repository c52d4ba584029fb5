"""Dates of a regime change, from rule data only (no personal models here).

    new regime starts  = by the rule's `new_start` from the trigger date, never before `not_before`
    old regime ends    = the day before the new one starts (the computed end); with the rule's
                         `old_regime_continues_until` (transitional protection), the end of the
                         person's current grant of the old regime, bounded to
                         [computed end, old_regime_continues_until]; the new regime then starts
                         the day after the old one ends
    application due    = DeadlineRule `handover-application` from the new start (§ 37 SGB II)
"""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from lotse.rules.models import RegimeChangeRule, RegimeStart
from lotse.rules.selectors import deadline_from

ONE_DAY = datetime.timedelta(days=1)


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


def old_regime_end(rule: RegimeChangeRule, *, computed_end: datetime.date,
                   old_grant_ends_on: datetime.date | None) -> datetime.date:
    """The last day of the old regime. Without a transitional protection, the computed end.
    With one ("existing grants continue to the end of their approval period, at most until
    `old_regime_continues_until`"): the grant's end, never before the computed end (the law
    does not end the old regime earlier) and never after the cap. A grant without a recorded
    end is planned with the computed end — the earliest possible change, so the offices
    prepare in time and no gap opens because Lotse assumed a longer grant."""
    cap = rule.old_regime_continues_until
    if cap is None or old_grant_ends_on is None:
        return computed_end
    return max(computed_end, min(old_grant_ends_on, cap))


def change_dates(rule: RegimeChangeRule, *, status_from: datetime.date,
                 old_grant_ends_on: datetime.date | None = None) -> ChangeDates:
    """`old_grant_ends_on`: the recorded end of the person's current benefits entry of the old
    regime (the end of its approval period), if any; only rules with
    `old_regime_continues_until` use it."""
    trigger_on = max(status_from, rule.valid_from)
    if rule.new_start == RegimeStart.TRIGGER_DATE:
        start = status_from
    else:
        start = status_from.replace(day=1) + relativedelta(months=1)
    if rule.not_before is not None:
        start = max(start, rule.not_before)
    old_end = old_regime_end(rule, computed_end=start - ONE_DAY, old_grant_ends_on=old_grant_ends_on)
    start = old_end + ONE_DAY
    due, _rule = deadline_from(key="handover-application", anchor=start)
    return ChangeDates(trigger_on=trigger_on, old_regime_ends_on=old_end,
                       new_regime_starts_on=start, application_due_on=due)
