"""Reporting periods of the steering figures: a month, a quarter or a calendar year.

A period is written as text the way it appears in URLs and exports ("2026", "2026-Q3",
"2026-07") and read back with `Period.parse`; `previous()` is the period of the same kind
right before it (the comparison on the dashboard)."""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

MONTH, QUARTER, YEAR = "month", "quarter", "year"
KINDS = (MONTH, QUARTER, YEAR)
FIRST_YEAR, LAST_YEAR = 2000, 2999  # the years `parse` accepts

_KIND_BY_MONTHS = {1: MONTH, 3: QUARTER, 12: YEAR}
_PATTERNS = (
    (YEAR, re.compile(r"([0-9]{4})")),
    (QUARTER, re.compile(r"([0-9]{4})-[Qq]([0-9]{1,2})")),
    (MONTH, re.compile(r"([0-9]{4})-([0-9]{1,2})")),
)


@dataclass(frozen=True)
class Period:
    """A calendar month, quarter or year from `start` to `end`, both days included."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self) -> None:
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        whole_months = self.start.day == 1 and (self.end + datetime.timedelta(days=1)).day == 1
        aligned = {1: True, 3: self.start.month % 3 == 1, 12: self.start.month == 1}
        if not (whole_months and aligned.get(months, False)):
            raise ValueError(f"Not a calendar month, quarter or year: {self.start} to {self.end}.")

    # --- construction ---------------------------------------------------------------------

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        if not 1 <= month <= 12:
            raise ValueError(_("A month lies between 1 and 12, not %(month)s.") % {"month": month})
        start = datetime.date(year, month, 1)
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        return cls(start, following - datetime.timedelta(days=1))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        if not 1 <= quarter <= 4:
            raise ValueError(_("A quarter lies between 1 and 4, not %(quarter)s.") % {"quarter": quarter})
        first_month = 3 * (quarter - 1) + 1
        return cls(cls.month(year, first_month).start, cls.month(year, first_month + 2).end)

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def containing(cls, day: datetime.date, kind: str = QUARTER) -> "Period":
        """The month, quarter or year `day` falls in (the dashboard's default: this quarter)."""
        if kind == MONTH:
            return cls.month(day.year, day.month)
        if kind == QUARTER:
            return cls.quarter(day.year, (day.month - 1) // 3 + 1)
        if kind == YEAR:
            return cls.year(day.year)
        raise ValueError(f"Unknown kind of period {kind!r}: use one of {', '.join(KINDS)}.")  # a programming error

    @classmethod
    def parse(cls, text: str) -> "Period":
        """"2026" (a year), "2026-Q3" (a quarter) or "2026-07" (a month)."""
        value = (text or "").strip()
        for kind, pattern in _PATTERNS:
            match = pattern.fullmatch(value)
            if match is None:
                continue
            year, *rest = (int(group) for group in match.groups())
            if not FIRST_YEAR <= year <= LAST_YEAR:
                raise ValueError(_("A period lies in the years %(first)s to %(last)s, not %(year)s.") % {
                    "first": FIRST_YEAR, "last": LAST_YEAR, "year": year})
            if kind == YEAR:
                return cls.year(year)
            return cls.quarter(year, rest[0]) if kind == QUARTER else cls.month(year, rest[0])
        raise ValueError(_("“%(text)s” is not a period. Write a year (2026), a quarter (2026-Q3) or a "
                           "month (2026-07).") % {"text": value[:20]})

    # --- what it is -----------------------------------------------------------------------

    @property
    def kind(self) -> str:
        return _KIND_BY_MONTHS[(self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1]

    @property
    def key(self) -> str:
        """The text `parse` reads back: "2026", "2026-Q3", "2026-07"."""
        if self.kind == YEAR:
            return f"{self.start.year}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{self._quarter}"
        return f"{self.start.year}-{self.start.month:02d}"

    @property
    def label(self) -> str:
        """For people: "2026", "3. Quartal 2026", "07/2026"."""
        if self.kind == YEAR:
            return f"{self.start.year}"
        if self.kind == QUARTER:
            return _("Q%(quarter)s %(year)s") % {"quarter": self._quarter, "year": self.start.year}
        return f"{self.start.month:02d}/{self.start.year}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period of the same kind right before this one (Q1 2026 → Q4 2025)."""
        return Period.containing(self.start - datetime.timedelta(days=1), self.kind)

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.key

    @property
    def _quarter(self) -> int:
        return (self.start.month - 1) // 3 + 1

