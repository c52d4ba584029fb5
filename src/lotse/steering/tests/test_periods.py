"""Reporting periods: read from "2026", "2026-Q3", "2026-07", written back the same way,
labelled for people, the previous period across the turn of the year, and clear refusals."""

import datetime

import pytest
from django.utils import translation
from django.utils.translation import gettext

from lotse.steering.periods import Period

pytestmark = pytest.mark.db_independent

D = datetime.date


def _de(msgid: str) -> str:
    """The German of a text new with the periods (English until the catalogue is compiled)."""
    with translation.override("de"):
        return gettext(msgid)


@pytest.mark.parametrize(("text", "start", "end", "days"), [
    ("2026", D(2026, 1, 1), D(2026, 12, 31), 365),
    ("2024", D(2024, 1, 1), D(2024, 12, 31), 366),
    ("2026-Q1", D(2026, 1, 1), D(2026, 3, 31), 31 + 28 + 31),
    ("2024-Q1", D(2024, 1, 1), D(2024, 3, 31), 31 + 29 + 31),
    ("2026-Q3", D(2026, 7, 1), D(2026, 9, 30), 31 + 31 + 30),
    ("2026-Q4", D(2026, 10, 1), D(2026, 12, 31), 31 + 30 + 31),
    ("2026-07", D(2026, 7, 1), D(2026, 7, 31), 31),
    ("2024-02", D(2024, 2, 1), D(2024, 2, 29), 29),
    ("2026-12", D(2026, 12, 1), D(2026, 12, 31), 31),
])
def test_parse_and_key_round_trip(text, start, end, days):
    period = Period.parse(text)
    assert (period.start, period.end, period.days) == (start, end, days)
    assert period.key == text and Period.parse(period.key) == period


def test_lenient_spellings_read_the_same_period():
    assert Period.parse(" 2026-q3 ") == Period.parse("2026-Q3") == Period.quarter(2026, 3)
    assert Period.parse("2026-7") == Period.month(2026, 7)


def test_labels():
    assert Period.parse("2026").label == "2026"
    assert Period.parse("2026-07").label == "07/2026"
    assert Period.parse("2026-Q3").label == _de("Q%(quarter)s %(year)s") % {"quarter": 3, "year": 2026}
    with translation.override("en"):
        assert Period.parse("2026-Q3").label == "Q3 2026"


@pytest.mark.parametrize(("text", "previous"), [
    ("2026-Q1", "2025-Q4"),  # across the turn of the year
    ("2026-Q3", "2026-Q2"),
    ("2026-01", "2025-12"),
    ("2026-03", "2026-02"),
    ("2026", "2025"),
])
def test_previous_period_of_the_same_kind(text, previous):
    assert Period.parse(text).previous() == Period.parse(previous)
    assert Period.parse(text).previous().key == previous


def test_the_period_containing_a_day():
    day = D(2026, 8, 15)
    assert Period.containing(day) == Period.parse("2026-Q3")
    assert Period.containing(day, "month") == Period.parse("2026-08")
    assert Period.containing(day, "year") == Period.parse("2026")
    assert Period.containing(D(2026, 12, 31)).key == "2026-Q4"
    assert D(2026, 9, 30) in Period.parse("2026-Q3") and D(2026, 10, 1) not in Period.parse("2026-Q3")


@pytest.mark.parametrize("text", [
    "", "   ", "abc", "26", "20261", "2026-Q5", "2026-Q0", "2026-13", "2026-00", "2026-W30", "2026/07",
    "2026-07-01", "1999", "3000-Q1", "２０２６",
])
def test_anything_else_is_refused_with_a_clear_message(text):
    with pytest.raises(ValueError) as exc:
        Period.parse(text)
    assert str(exc.value)


def test_the_messages_name_what_is_wrong():
    with pytest.raises(ValueError, match="2026-Q3"):
        Period.parse("letztes Quartal")
    with translation.override("en"):
        with pytest.raises(ValueError, match="between 1 and 4, not 5"):
            Period.parse("2026-Q5")
        with pytest.raises(ValueError, match="between 1 and 12, not 13"):
            Period.parse("2026-13")
        with pytest.raises(ValueError, match="2000 to 2999, not 1999"):
            Period.parse("1999")


def test_only_calendar_months_quarters_and_years_are_periods():
    with pytest.raises(ValueError):
        Period(D(2026, 1, 2), D(2026, 1, 31))
    with pytest.raises(ValueError):
        Period(D(2026, 2, 1), D(2026, 4, 30))  # three months, but not a quarter
    with pytest.raises(ValueError):
        Period(D(2026, 1, 1), D(2026, 6, 30))
    assert Period(D(2026, 4, 1), D(2026, 6, 30)).kind == "quarter"
