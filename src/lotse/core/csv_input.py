"""Pieces shared by the CSV imports (the foreigners' authority's permit register, the steering
statistics): records with the line they start on, header names folded to one spelling, dates in
German or ISO form, folded text for lookups. Each import keeps its own report and rules."""

import csv
import datetime
import io
import re
from collections.abc import Iterator

from django.utils.translation import gettext as _

_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_HEADER_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", " ": "_", "-": "_"})


class BadValue(ValueError):
    """One value of a row is unusable; the message names the problem, never the value."""


def records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of each record; a csv.Error carries the line where it happened
    (`exc.line`)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    end = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            exc.line = end + 1  # type: ignore[attr-defined]
            raise
        start, end = end + 1, reader.line_num
        yield start, cells


def header_name(cell: str) -> str:
    """A header cell in one spelling: lower case, umlauts written out, spaces and dashes as _."""
    return cell.strip().lstrip("\ufeff").lower().translate(_HEADER_FOLD)


def fold(text: str) -> str:
    """Text for comparing names: case folded, runs of white space as one space."""
    return " ".join(text.casefold().split())


def parse_date(text: str) -> datetime.date:
    """DD.MM.YYYY or YYYY-MM-DD, years 1900 to 2199; BadValue otherwise."""
    if m := _GERMAN_DATE.match(text):
        day, month, year = (int(g) for g in m.groups())
    elif m := _ISO_DATE.match(text):
        year, month, day = (int(g) for g in m.groups())
    else:
        raise BadValue(_("Not a date. Use DD.MM.YYYY or YYYY-MM-DD."))
    try:
        value = datetime.date(year, month, day)
    except ValueError:
        raise BadValue(_("This date does not exist.")) from None
    if not 1900 <= value.year <= 2199:
        raise BadValue(_("The year of this date is not plausible."))
    return value
