"""Import of resident statistics (newcomers of the last 12 months per municipality) from a CSV
table, for when the registry is incomplete (issue 7, point 1). No personal data: counts only.

The file
--------
A CSV file with a header row, at most 1 MB. Encoding UTF-8 (with or without byte order mark);
a file that is not valid UTF-8 is read as Windows-1252 (what Excel on German Windows writes as
"CSV"). The delimiter is `;` or `,`, whichever occurs more often in the header line. Column
names are German; case, umlauts and spaces are tolerated ("Stichtag", "Zuzüge 12 Monate"), the
order is free and unknown columns are ignored.

=====================  ========  ===============================================================
column (aliases)       required  value
=====================  ========  ===============================================================
gemeinde (kommune,     yes       name of a municipality of the district or its official key
ags, gemeindeschluessel)         (`Municipality.code`)
stichtag (datum)       yes       reference date: DD.MM.YYYY or YYYY-MM-DD
neuzugewanderte        yes       foreign residents who moved to the municipality less than
(zuzuege_12_monate)              12 months before the reference date: a whole number ≥ 0
auslaender_gesamt                foreign residents in total: a whole number ≥ 0, not smaller
(auslaender)                     than the newcomers
=====================  ========  ===============================================================

Lines consisting only of delimiters are skipped. The source ("IT.NRW", "Einwohnermeldeamt") is
given in the form and stored with every row.

What happens
------------
Every row is checked first; the report lists every problem with its line (the header is line
1; None for a problem of the whole file), its column (as the file names it) and a German
message that never repeats the value. Also refused: a municipality of another district, and the
same municipality with the same reference date twice in the file. If there is any problem,
nothing is stored. Otherwise every row is stored in one transaction, replacing a row of the
same municipality and reference date (`steering.statistics.imported` in the access log).
Coordinators only (`steering:coordinate`); a refusal is logged and raises `AccessDenied`.
"""

import csv
import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.access.spine import log_action
from lotse.core.csv_input import BadValue, fold, header_name, parse_date, records
from lotse.organisations.models import Municipality
from lotse.steering.access import check_may_coordinate
from lotse.steering.models import ResidentStatistic

MAX_BYTES = 1024 * 1024
MAX_REPORTED = 200
SOURCE_MAX_LENGTH = 200

MUNICIPALITY, REFERENCE_DATE, NEWCOMERS, FOREIGN_RESIDENTS = (
    "gemeinde", "stichtag", "neuzugewanderte", "auslaender_gesamt")
REQUIRED_COLUMNS = (MUNICIPALITY, REFERENCE_DATE, NEWCOMERS)
ALIASES = {
    MUNICIPALITY: (MUNICIPALITY, "kommune", "ags", "gemeindeschluessel", "municipality"),
    REFERENCE_DATE: (REFERENCE_DATE, "datum", "reference_date"),
    NEWCOMERS: (NEWCOMERS, "zuzuege_12_monate", "neuzugewanderte_12_monate", "newcomers"),
    FOREIGN_RESIDENTS: (FOREIGN_RESIDENTS, "auslaender", "foreign_residents"),
}
TEMPLATE = ("gemeinde;stichtag;neuzugewanderte;auslaender_gesamt\r\n"
            "Musterstadt;31.12.2025;123;4567\r\n")

_WHOLE = re.compile(r"^\d+$")
_SIGNED_NUMBER = re.compile(r"^-\s*\d+([.,]\d+)?$")
_BINARY_MAGIC = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"GIF8")


@dataclass(frozen=True)
class ImportProblem:
    line: int | None  # the header is line 1; None: the whole file
    column: str
    message: str


@dataclass
class ImportResult:
    problems: list[ImportProblem] = field(default_factory=list)
    problem_count: int = 0  # all problems found (the list keeps the first MAX_REPORTED)
    rows: int = 0  # data rows read
    created: int = 0
    replaced: int = 0

    @property
    def accepted(self) -> bool:
        return not self.problem_count

    def add(self, line: int | None, column: str, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_REPORTED:
            self.problems.append(ImportProblem(line, column, message))


@dataclass(frozen=True)
class _Row:
    line: int
    municipality_id: int
    reference_date: datetime.date
    newcomers: int
    foreign_residents: int | None


def resident_statistics_import(*, ctx: AccessContext, data: bytes, source: str) -> ImportResult:
    """Check the file and, if it has no problem at all, store its rows (see the module)."""
    check_may_coordinate(ctx, "steering.statistics.refused")
    result = ImportResult()
    source = " ".join(source.split())
    if not source:
        result.add(None, "", _("Name the source of the figures."))
    elif len(source) > SOURCE_MAX_LENGTH:
        result.add(None, "", _("The name of the source is too long (at most %(max)s characters).")
                   % {"max": SOURCE_MAX_LENGTH})
    text = _decode(data, result)
    rows = _read(ctx, text, result) if text is not None else []
    result.problems.sort(key=lambda problem: problem.line or 0)  # stable: whole-file problems first
    if result.accepted:
        _store(ctx, rows, source, result)
    return result


def _decode(data: bytes, result: ImportResult) -> str | None:
    if not data.strip():
        result.add(None, "", _("The file is empty."))
        return None
    if len(data) > MAX_BYTES:
        result.add(None, "", _("The file is too large (at most %(mb)s MB).") % {"mb": MAX_BYTES // (1024 * 1024)})
        return None
    if data.startswith(_BINARY_MAGIC) or b"\x00" in data:
        result.add(None, "", _("This is not a CSV file. Save the table as CSV (semicolon or comma "
                               "separated) and upload that file."))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        result.add(None, "", _("The file can be read neither as UTF-8 nor as Windows-1252. Save it as "
                               "CSV UTF-8 and upload it again."))
        return None


def _header_name(cell: str) -> str:
    return re.sub(r"_+", "_", header_name(cell)).strip("_")


def _columns(header: list[str], result: ImportResult) -> dict[str, int]:
    """Column index by canonical name; missing or doubled columns go to the report."""
    names = [_header_name(cell) for cell in header]
    index: dict[str, int] = {}
    for column, aliases in ALIASES.items():
        found = [i for i, name in enumerate(names) if name in aliases]
        if len(found) > 1:
            result.add(1, header[found[1]].strip(), _("The column appears more than once in the header."))
        elif found:
            index[column] = found[0]
        elif column in REQUIRED_COLUMNS:
            result.add(1, column, _("The required column is missing from the header."))
    return index


def _read(ctx: AccessContext, text: str, result: ImportResult) -> list[_Row]:
    first_line = re.match(r"[^\r\n]*", text).group()
    if not first_line.count(";") and not first_line.count(","):
        result.add(1, "", _("This is not a CSV file: the first line has no semicolon or comma "
                            "between the column names."))
        return []
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    lookups = _Municipalities.load(ctx)
    rows: list[_Row] = []
    header: list[str] | None = None
    index: dict[str, int] = {}
    try:
        for line, cells in records(text, delimiter):
            if header is None:
                header = cells
                index = _columns(header, result)
                if not result.accepted:
                    return []
                continue
            if not any(cell.strip() for cell in cells):
                continue
            result.rows += 1
            if len(cells) < len(header) or any(cell.strip() for cell in cells[len(header):]):
                result.add(line, "", _("The line has %(found)s fields, the header %(expected)s. Check the "
                                       "delimiter and the quotation marks.")
                           % {"found": len(cells), "expected": len(header)})
                continue
            row = _parse_row(line, cells, header, index, lookups, result)
            if row is not None:
                rows.append(row)
    except csv.Error as exc:
        result.add(getattr(exc, "line", None), "", _("The line is not valid CSV (check the quotation marks)."))
        return []
    if header is not None and not result.rows:
        result.add(None, "", _("The file has no data rows."))
    _check_duplicates(rows, header or [], index, result)
    return rows


@dataclass
class _Municipalities:
    own: dict[str, int]  # official key and folded name → id, of the user's district
    elsewhere: set[str]  # keys and folded names of other districts' municipalities

    @classmethod
    def load(cls, ctx: AccessContext) -> "_Municipalities":
        own: dict[str, int] = {}
        elsewhere: set[str] = set()
        for pk, name, code, district_id in Municipality.objects.values_list("id", "name", "code", "district_id"):
            if district_id == ctx.district_id:
                own[code] = own[fold(name)] = pk
            else:
                elsewhere |= {code, fold(name)}
        return cls(own, elsewhere)

    def find(self, text: str) -> int:
        key = fold(text)
        if key in self.own:
            return self.own[key]
        if key in self.elsewhere:
            raise BadValue(_("This municipality belongs to another district."))
        raise BadValue(_("Unknown municipality. Use its name or its official municipality key."))


def _count(text: str) -> int:
    if _SIGNED_NUMBER.match(text):
        raise BadValue(_("A count cannot be negative."))
    if not _WHOLE.match(text) or len(text) > 9:
        raise BadValue(_("Not a whole number. Enter the count in digits only, without separators."))
    return int(text)


def _parse_row(line: int, cells: list[str], header: list[str], index: dict[str, int],
               lookups: _Municipalities, result: ImportResult) -> _Row | None:
    values: dict[str, Any] = {}
    convert = {MUNICIPALITY: lookups.find, REFERENCE_DATE: parse_date, NEWCOMERS: _count, FOREIGN_RESIDENTS: _count}
    bad = False
    for column, position in index.items():
        text = cells[position].strip()
        try:
            if not text and column in REQUIRED_COLUMNS:
                raise BadValue(_("This value is required."))
            values[column] = convert[column](text) if text else None
        except BadValue as exc:
            result.add(line, header[position].strip(), str(exc))
            bad = True
    if bad:
        return None
    foreign = values.get(FOREIGN_RESIDENTS)
    if foreign is not None and foreign < values[NEWCOMERS]:
        result.add(line, header[index[FOREIGN_RESIDENTS]].strip(),
                   _("There are fewer foreign residents in total than newcomers."))
        return None
    return _Row(line, values[MUNICIPALITY], values[REFERENCE_DATE], values[NEWCOMERS], foreign)


def _check_duplicates(rows: list[_Row], header: list[str], index: dict[str, int], result: ImportResult) -> None:
    seen: dict[tuple[int, datetime.date], int] = {}
    for row in rows:
        key = (row.municipality_id, row.reference_date)
        if key in seen:
            result.add(row.line, header[index[MUNICIPALITY]].strip(),
                       _("The municipality appears with the same reference date in line %(line)s.")
                       % {"line": seen[key]})
        else:
            seen[key] = row.line


def _store(ctx: AccessContext, rows: list[_Row], source: str, result: ImportResult) -> None:
    """Insert or replace every row, in one transaction with its log entry."""
    now = timezone.now()
    with transaction.atomic():
        existing = {(s.municipality_id, s.reference_date): s for s in ResidentStatistic.objects.select_for_update()
                    .filter(district_id=ctx.district_id,
                            municipality_id__in={row.municipality_id for row in rows},
                            reference_date__in={row.reference_date for row in rows})}
        new, changed = [], []
        for row in rows:
            statistic = existing.get((row.municipality_id, row.reference_date))
            if statistic is None:
                statistic = ResidentStatistic(district_id=ctx.district_id, municipality_id=row.municipality_id,
                                              reference_date=row.reference_date)
                new.append(statistic)
            else:
                changed.append(statistic)
            statistic.newcomers_last_12_months = row.newcomers
            statistic.foreign_residents = row.foreign_residents
            statistic.source = source
            statistic.imported_by_id = ctx.user_id
            statistic.imported_at = now
        ResidentStatistic.objects.bulk_create(new)
        ResidentStatistic.objects.bulk_update(changed, ["newcomers_last_12_months", "foreign_residents",
                                                        "source", "imported_by", "imported_at"])
        dates = sorted({row.reference_date for row in rows})
        span = dates[0].isoformat() if len(dates) == 1 else f"{dates[0].isoformat()}..{dates[-1].isoformat()}"
        log_action(ctx, "steering.statistics.imported", object_ref=f"statistics:{span}",
                   basis=f"created={len(new)},replaced={len(changed)}")
    result.created, result.replaced = len(new), len(changed)


def template_csv() -> str:
    """An example file with the expected columns."""
    return TEMPLATE
