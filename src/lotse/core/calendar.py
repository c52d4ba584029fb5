"""Working days in North Rhine-Westphalia: Monday to Friday without the public holidays of NRW
(the `holidays` library, subdivision NW)."""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _nrw_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("DE", subdiv="NW", years=year))


def is_public_holiday(day: datetime.date) -> bool:
    return day in _nrw_holidays(day.year)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and not is_public_holiday(day)


def add_working_days(day: datetime.date, count: int) -> datetime.date:
    """Move `count` working days from `day` (negative: backwards). 0 returns `day` itself."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day += datetime.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def month_end(day: datetime.date) -> datetime.date:
    first_of_next = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return first_of_next - datetime.timedelta(days=1)
