"""Import of the permit register from a CSV export of the foreigners' authority's software.

Part of the spine perimeter: it matches persons by the authority's own file numbers and by
AZR numbers, and writes what `person_create`, `person_link_agency` and `residence_status_add`
write — with their checks, their log rows and the `residence_status_recorded` signal (handovers,
eAT appointments) for every new status — but for many rows at once (see "Writing" below).

The file
--------
A CSV file with a header row (required). Column names are German, because the authority's
software exports German headers; case, umlauts ("gültig_ab") and spaces ("Gültig ab") in the
header are tolerated. Column order is free; unknown extra columns are ignored. The delimiter is
`;` or `,`, taken from the header line (whichever occurs more often). The caller names the
encoding: "utf-8" (a byte order mark is allowed) or "cp1252" (Windows-1252, what Excel writes
as "CSV" on German Windows). A value containing the delimiter must be quoted ("…").

=====================  ========  ===============================================================
column                 required  value
=====================  ========  ===============================================================
aktenzeichen           yes       the authority's file number (at most 50 characters)
azr_nummer                       AZR number, 6 to 12 digits
familienname           yes       family name (at most 200 characters)
vornamen               yes       given names (at most 200 characters)
geburtsdatum                     DD.MM.YYYY, YYYY-MM-DD, MM.YYYY or YYYY; 00 = unknown day or
                                 month (00.00.1990)
staatsangehoerigkeit             Destatis codes (3 digits), separated by spaces or commas
sprache                          preferred language, ISO 639-1 (two letters, e.g. ar; a
                                 three-letter ISO 639-3 code where none exists, e.g. ckb)
strasse, plz, ort                postal address (plz: five digits)
email                            e-mail address
gemeinde               yes       name of the municipality, or its official key (Amtlicher
                                 Gemeindeschlüssel), in the authority's district
aufenthaltsstatus      yes       code of a residence status kind of the rule data (p25-2-gfk,
                                 duldung, …) or its exact legal basis ("§ 60a AufenthG"); the
                                 kind must be in force on gueltig_ab
dokument               yes       eat, fiktion, paper, none; or eAT, Fiktionsbescheinigung,
                                 Papier, kein
gueltig_ab             yes       start of validity: DD.MM.YYYY or YYYY-MM-DD
gueltig_bis                      end of validity, not before gueltig_ab
antrag_gestellt_am               an application is pending since this date (not in the future)
=====================  ========  ===============================================================

Lines consisting only of delimiters are skipped. No value may contain a control character
(a NUL byte, a line break inside quotes, …). A value that starts like a spreadsheet formula
(`=`, `+`, `@`, or `-` followed by more text) is refused, not stored: no field of the register
can legitimately start so, and a stored formula would run in the spreadsheet of whoever
exports the data later (CSV injection). Limits: 10 MB and 100,000 data rows.

What happens
------------
1. Every row is read and checked first. The report lists each problem as
   `{line, field, message}`: `line` is the line of the file (the header is line 1; `null` for a
   problem of the whole file), `field` the column, `message` a translated text that never
   repeats the row's values. At most `MAX_REPORTED` problems are listed, then their number.
   Also refused: the same file number, status and start date twice in a file, and a file
   number that appears with different names, dates of birth or AZR numbers.
2. The persons are looked up in bulk: by the authority's own file number (`PersonAgencyLink`
   of the authority), else by the AZR number in the district (the name and date of birth on
   record must then match the row, so a mistyped number never attaches a status to a
   stranger), else a new person is registered (as `person_create` does, with the file number).
   A person found by the AZR number without a file of the authority gets one
   (`person.file_opened`). The identity and contact data of persons already registered (names,
   AZR number, address) are not changed by the import; those columns only serve to register
   new persons.
3. If any row has a problem, nothing is written but the `PermitImport` record (accepted=False,
   with the report) and one access-log row without a person (`permit_import.rejected`).
   Otherwise everything is written in one transaction: a status of the authority with the
   same kind and start date is updated when document, end or pending application differ
   (`residence.updated`), else left alone (unchanged: no log row); any other status is
   recorded (`residence.recorded`, then the signal). If anything fails
   half-way, all of it is rolled back and the record says at which line
   (`permit_import.failed`). Importing the same file again therefore changes nothing but adds
   its `PermitImport` record and its `permit_import.applied` row.
4. Only a user with the permissions `appointments:manage`, `person:create` and `person:edit`,
   in an agency that records residence statuses (the rule data: the foreigners' authority),
   may import; a refusal is logged (`permit_import.refused`) and raises `AccessDenied`.

Writing
-------
Calling the people services once per row would cost some twenty queries per row for the spine
check alone, and a register of 10,000 rows would take many minutes inside one transaction
(which holds the access log's lock all along). So the import checks once what is the same for
every row (permissions, the agency's responsibility for residence), takes the spine's decision
for all persons in bulk (`access_people`, logging the same `residence.write` reads as
`access_person_for_write`), inserts persons, files, name keys and statuses in bulk with the
same log rows, and then sends `residence_status_recorded` for each new status in order of
validity, once the whole register is written: a listener thus judges a status knowing the
person's newer ones (the eAT scan counts only a person's newest status).
"""

import codecs
import csv
import dataclasses
import datetime
import hashlib
import io
import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.access.spine import AccessDenied, access_people, log_action, log_events, refuse
from lotse.appointments.models import PermitImport
from lotse.audit.chain import EventData, lock_chain
from lotse.audit.models import Decision
from lotse.core.csv_input import BadValue, fold, header_name, parse_date, records
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import DataCategory, Purpose
from lotse.organisations import permissions
from lotse.organisations.models import Municipality
from lotse.people.matching import Candidate, PartialDate, blocking_keys, is_likely_duplicate
from lotse.people.models import DocumentKind, Person, PersonAgencyLink, PersonNameKey, ResidenceStatus
from lotse.people.services import PersonData
from lotse.people.signals import residence_status_recorded
from lotse.rules.models import ResidenceKind
from lotse.rules.selectors import responsible_agency_kinds

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 100_000
MAX_REPORTED = 1000
_CHUNK = 500  # ids per IN (...) query: well below every database's parameter limit

ENCODINGS = {"utf-8": "utf-8-sig", "utf8": "utf-8-sig", "cp1252": "cp1252", "windows-1252": "cp1252"}

REQUIRED_COLUMNS = ("aktenzeichen", "familienname", "vornamen", "gemeinde", "aufenthaltsstatus",
                    "dokument", "gueltig_ab")
COLUMNS = ("aktenzeichen", "azr_nummer", "familienname", "vornamen", "geburtsdatum",
           "staatsangehoerigkeit", "sprache", "strasse", "plz", "ort", "email", "gemeinde",
           "aufenthaltsstatus", "dokument", "gueltig_ab", "gueltig_bis", "antrag_gestellt_am")
_EXAMPLE_ROW = ("ABH-2024-000123", "", "Mustermann", "Erika", "17.05.1990", "475", "ar",
                "Musterstraße 1", "52349", "Musterstadt", "", "Musterstadt", "p25-2-gfk", "eAT",
                "01.03.2024", "28.02.2027", "")

DOCUMENTS = {
    "eat": DocumentKind.EAT, "fiktion": DocumentKind.FIKTION, "paper": DocumentKind.PAPER,
    "none": DocumentKind.NONE, "fiktionsbescheinigung": DocumentKind.FIKTION,
    "papier": DocumentKind.PAPER, "kein": DocumentKind.NONE,
}

_TEXT_LIMITS = {"aktenzeichen": 50, "familienname": 200, "vornamen": 200, "strasse": 200,
                "ort": 100, "email": 254}
_FORMULA_START = ("=", "+", "@")
_AZR = re.compile(r"^\d{6,12}$")
_POSTAL_CODE = re.compile(r"^\d{5}$")
_DESTATIS = re.compile(r"^\d{3}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_HEADER_ALIASES = {"e_mail": "email"}


# --- the report ------------------------------------------------------------------------------

class _Report:
    """Problems found, as `{line, field, message}`; the first `MAX_REPORTED` are kept."""

    def __init__(self) -> None:
        self.entries: list[dict] = []
        self.count = 0

    def add(self, line: int | None, column: str, message: str) -> None:
        self.count += 1
        if len(self.entries) < MAX_REPORTED:
            self.entries.append({"line": line, "field": column, "message": message})

    def replace(self, line: int | None, column: str, message: str) -> None:
        self.entries, self.count = [], 0
        self.add(line, column, message)

    def as_list(self) -> list[dict]:
        if self.count > len(self.entries):
            return [*self.entries, {"line": None, "field": "", "message": _(
                "Further problems not listed: %(count)s.") % {"count": self.count - len(self.entries)}}]
        return list(self.entries)

    def __bool__(self) -> bool:
        return self.count > 0


# --- reading and checking the rows -----------------------------------------------------------

@dataclass
class _Row:
    line: int
    file_number: str
    azr_number: str
    person: PersonData
    birth: PartialDate | None
    kind: ResidenceKind
    document: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    pending_since: datetime.date | None

    @property
    def identity(self) -> tuple[str, str, str]:
        return (fold(self.person.family_name), fold(self.person.given_names), str(self.birth or ""))


@dataclass
class _Lookups:
    """Reference data read once per import: municipalities of the district, status kinds."""

    municipalities: dict[str, int]
    kinds_by_code: dict[str, list[ResidenceKind]]
    kinds_by_basis: dict[str, list[ResidenceKind]]
    today: datetime.date

    @classmethod
    def load(cls, ctx: AccessContext) -> "_Lookups":
        municipalities: dict[str, int] = {}
        for pk, name, code in Municipality.objects.filter(district_id=ctx.district_id).values_list(
                "id", "name", "code"):
            municipalities[code] = pk
            municipalities[fold(name)] = pk
        by_code: dict[str, list[ResidenceKind]] = defaultdict(list)
        by_basis: dict[str, list[ResidenceKind]] = defaultdict(list)
        for kind in ResidenceKind.objects.order_by("valid_from"):
            by_code[kind.code.casefold()].append(kind)
            by_basis[fold(kind.legal_basis)].append(kind)
        return cls(municipalities, by_code, by_basis, ctx.today)


def _birth(text: str, today: datetime.date) -> PartialDate:
    try:
        birth = PartialDate.parse(text)
    except ValueError:
        raise BadValue(_("Not a date of birth. Use DD.MM.YYYY, YYYY-MM-DD, MM.YYYY or YYYY "
                     "(00 for an unknown day or month).")) from None
    if birth.year < 1900 or datetime.date(birth.year, birth.month or 1, birth.day or 1) > today:
        raise BadValue(_("The date of birth is not plausible."))
    return birth


def _kind(text: str, valid_from: datetime.date | None, lookups: _Lookups) -> ResidenceKind | None:
    versions = lookups.kinds_by_code.get(text.casefold()) or lookups.kinds_by_basis.get(fold(text))
    if not versions:
        raise BadValue(_("Unknown residence status. Use a code of the rule data (such as p25-2-gfk) "
                     "or its exact legal basis."))
    if valid_from is None:
        return None
    in_force = [k for k in versions if k.in_force_on(valid_from)]
    if not in_force:
        raise BadValue(_("This residence status was not in force on the start date."))
    if len({k.code for k in in_force}) > 1:
        raise BadValue(_("Several residence statuses have this legal basis. Use the code."))
    return in_force[-1]


def _check_cell(value: str) -> None:
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise BadValue(_("The value contains a control character (such as a NUL byte or a line break)."))
    stripped = value.strip()
    if stripped.startswith(_FORMULA_START) or (stripped.startswith("-") and len(stripped) > 1):
        raise BadValue(_("The value starts like a spreadsheet formula (=, +, - or @). "
                     "Such values are not imported."))


def _parse_row(line: int, values: dict[str, str], lookups: _Lookups, report: _Report) -> _Row | None:
    """Check one row; every problem goes to the report. Returns the row if it has none."""
    clean: dict[str, str] = {}
    bad = False
    for column in COLUMNS:
        try:
            _check_cell(values.get(column, ""))
        except BadValue as exc:
            report.add(line, column, str(exc))
            bad = True
            continue
        clean[column] = values.get(column, "").strip()

    def check(column: str, convert):
        nonlocal bad
        if column not in clean:
            return None
        text = clean[column]
        if not text:
            if column in REQUIRED_COLUMNS:
                report.add(line, column, _("This value is required."))
                bad = True
            return None
        if column in _TEXT_LIMITS and len(text) > _TEXT_LIMITS[column]:
            report.add(line, column, _("The value is too long (at most %(max)s characters).")
                       % {"max": _TEXT_LIMITS[column]})
            bad = True
            return None
        try:
            return convert(text)
        except BadValue as exc:
            report.add(line, column, str(exc))
            bad = True
            return None

    def matching(pattern: re.Pattern, message: str):
        def convert(text: str) -> str:
            if not pattern.match(text):
                raise BadValue(message)
            return text
        return convert

    def nationalities(text: str) -> list[str]:
        codes = [c for c in re.split(r"[\s,]+", text) if c]
        if not all(_DESTATIS.match(c) for c in codes):
            raise BadValue(_("A Destatis code has three digits; separate several by spaces or commas."))
        return list(dict.fromkeys(codes))

    def email(text: str) -> str:
        try:
            validate_email(text)
        except ValidationError:
            raise BadValue(_("Not a valid e-mail address.")) from None
        return text

    def municipality(text: str) -> int:
        pk = lookups.municipalities.get(text) or lookups.municipalities.get(fold(text))
        if pk is None:
            raise BadValue(_("Unknown municipality. Use the name or the official key of a municipality "
                         "of your district."))
        return pk

    def document(text: str) -> str:
        if text.casefold() not in DOCUMENTS:
            raise BadValue(_("Unknown document. Use eat, fiktion, paper or none (eAT, "
                         "Fiktionsbescheinigung, Papier, kein)."))
        return DOCUMENTS[text.casefold()]

    def not_future(text: str) -> datetime.date:
        value = parse_date(text)
        if value > lookups.today:
            raise BadValue(_("The date lies in the future."))
        return value

    file_number = check("aktenzeichen", str)
    azr_number = check("azr_nummer", matching(_AZR, _("An AZR number has 6 to 12 digits.")))
    family_name = check("familienname", str)
    given_names = check("vornamen", str)
    birth = check("geburtsdatum", lambda t: _birth(t, lookups.today))
    nationality_codes = check("staatsangehoerigkeit", nationalities)
    language = check("sprache", lambda t: matching(
        _LANGUAGE, _("Use an ISO 639-1 language code such as ar, uk or fa."))(t.lower()))
    street = check("strasse", str)
    postal_code = check("plz", matching(_POSTAL_CODE, _("A German postal code has five digits.")))
    city = check("ort", str)
    email_address = check("email", email)
    municipality_id = check("gemeinde", municipality)
    document_kind = check("dokument", document)
    valid_from = check("gueltig_ab", parse_date)
    valid_to = check("gueltig_bis", parse_date)
    pending_since = check("antrag_gestellt_am", not_future)
    kind = check("aufenthaltsstatus", lambda t: _kind(t, valid_from, lookups))
    if valid_from and valid_to and valid_to < valid_from:
        report.add(line, "gueltig_bis", _("The end of validity lies before its start."))
        bad = True
    if bad:
        return None
    language = language or ""
    person = PersonData(
        given_names=given_names, family_name=family_name,
        birth_year=birth.year if birth else None, birth_month=birth.month if birth else None,
        birth_day=birth.day if birth else None, nationalities=nationality_codes or [],
        languages=[language] if language else [], preferred_language=language,
        azr_number=azr_number or "", street=street or "", postal_code=postal_code or "",
        city=city or "", municipality_id=municipality_id, email=email_address or "",
    )
    return _Row(line=line, file_number=file_number, azr_number=azr_number or "", person=person,
                birth=birth, kind=kind, document=document_kind, valid_from=valid_from,
                valid_to=valid_to, pending_since=pending_since)


def _decode(data: bytes, encoding: str, report: _Report) -> str | None:
    codec = ENCODINGS.get(encoding.strip().lower().replace("_", "-"))
    if codec is None:
        raise ValueError(f"Unsupported encoding {encoding!r}: use utf-8 or cp1252.")
    if not data.strip():
        report.add(None, "", _("The file is empty."))
        return None
    if len(data) > MAX_BYTES:
        report.add(None, "", _("The file is too large (at most %(mb)s MB).") % {"mb": MAX_BYTES // (1024 * 1024)})
        return None
    if codec == "cp1252" and data.startswith(codecs.BOM_UTF8):
        report.add(None, "", _("The file is saved as UTF-8 (it starts with a byte order mark). "
                               "Choose the encoding UTF-8 and import it again."))
        return None
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        label = "UTF-8" if codec.startswith("utf-8") else "Windows-1252"
        report.add(line, "", _("The file cannot be read as %(encoding)s (first unreadable character "
                               "in line %(line)s). Nothing was imported. Choose the encoding the "
                               "file was saved in, or save it as UTF-8.") % {"encoding": label, "line": line})
        return None


def _header_name(cell: str) -> str:
    name = header_name(cell)
    return _HEADER_ALIASES.get(name, name)


def _read(ctx: AccessContext, text: str, report: _Report) -> tuple[int, list[_Row]]:
    """All rows of the file, checked one by one and against each other."""
    first_line = re.match(r"[^\r\n]*", text).group()
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    rows: list[_Row] = []
    count = 0
    lookups = _Lookups.load(ctx)
    header: list[str] | None = None
    index: dict[str, int] = {}
    try:
        for line, cells in records(text, delimiter):
            if header is None:
                header = [_header_name(c) for c in cells]
                for column in COLUMNS:
                    if header.count(column) > 1:
                        report.add(line, column, _("The column appears more than once in the header."))
                    elif column in header:
                        index[column] = header.index(column)
                    elif column in REQUIRED_COLUMNS:
                        report.add(line, column, _("The required column is missing from the header."))
                if report:
                    return 0, []
                continue
            if not any(c.strip() for c in cells):
                continue
            count += 1
            if count > MAX_ROWS:
                limit = number_format(MAX_ROWS, force_grouping=True)
                report.replace(None, "", _("The file has more than %(max)s rows. Split it and import "
                                           "the parts one after the other.") % {"max": limit})
                return count, []
            if len(cells) < len(header) or any(c.strip() for c in cells[len(header):]):
                report.add(line, "", _("The line has %(found)s fields, the header %(expected)s. Check the "
                                       "delimiter and the quotation marks.")
                           % {"found": len(cells), "expected": len(header)})
                continue
            row = _parse_row(line, {c: cells[i] for c, i in index.items()}, lookups, report)
            if row is not None:
                rows.append(row)
    except csv.Error as exc:
        report.add(getattr(exc, "line", None), "", _("The line is not valid CSV (check the quotation marks)."))
        return count, []
    if header is None:
        report.add(None, "", _("The file is empty."))
    elif count == 0:
        report.add(None, "", _("The file has no data rows."))
    _check_across_rows(rows, report)
    return count, rows


def _check_across_rows(rows: Iterable[_Row], report: _Report) -> None:
    """Duplicate rows; a file number or AZR number that stands for two different persons."""
    seen: dict[tuple, int] = {}
    identity: dict[str, tuple[int, tuple]] = {}
    azr_of: dict[str, tuple[int, str]] = {}
    file_of_azr: dict[str, tuple[int, str]] = {}
    for row in rows:
        key = (row.file_number, row.kind.code, row.valid_from)
        if key in seen:
            report.add(row.line, "", _("The row repeats line %(line)s (same file number, status and "
                                       "start date).") % {"line": seen[key]})
        else:
            seen[key] = row.line
        first = identity.setdefault(row.file_number, (row.line, row.identity))
        if first[1] != row.identity:
            report.add(row.line, "aktenzeichen", _("The file number appears in line %(line)s with another "
                                                   "name or date of birth.") % {"line": first[0]})
        if row.azr_number:
            other = azr_of.setdefault(row.file_number, (row.line, row.azr_number))
            if other[1] != row.azr_number:
                report.add(row.line, "azr_nummer", _("The file number appears in line %(line)s with "
                                                     "another AZR number.") % {"line": other[0]})
            other = file_of_azr.setdefault(row.azr_number, (row.line, row.file_number))
            if other[1] != row.file_number:
                report.add(row.line, "azr_nummer", _("The AZR number appears in line %(line)s with "
                                                     "another file number.") % {"line": other[0]})


# --- matching the persons --------------------------------------------------------------------

@dataclass
class _Person:
    """What to do for one file number: use a person, open a file, fill in the number, or register."""

    rows: list[_Row]
    person_id: int | None = None
    link: str = ""  # "", "open", "set_number"

    @property
    def azr_number(self) -> str:
        """The AZR number of the person (a row may leave it out; no two rows differ)."""
        return next((row.azr_number for row in self.rows if row.azr_number), "")


@dataclass
class _Plan:
    persons: dict[str, _Person] = field(default_factory=dict)
    statuses: dict[tuple[int, str, datetime.date], tuple] = field(default_factory=dict)


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i:i + _CHUNK]


def _plan(ctx: AccessContext, rows: list[_Row], report: _Report) -> _Plan:
    """Find the persons in bulk (a constant number of queries per 500 persons)."""
    plan = _Plan()
    for row in rows:
        plan.persons.setdefault(row.file_number, _Person(rows=[])).rows.append(row)

    def active(until: datetime.date | None) -> bool:
        return until is None or until >= ctx.today

    with personal_data_scope():
        by_file: dict[str, list[tuple[int, datetime.date | None]]] = defaultdict(list)
        abh_file: dict[int, tuple[str, datetime.date | None]] = {}
        for person_id, number, until in PersonAgencyLink.objects.filter(
                agency_id=ctx.agency_id, person__merged_into__isnull=True).values_list(
                "person_id", "file_number", "until"):
            abh_file[person_id] = (number, until)
            if number:
                by_file[number].append((person_id, until))
        by_azr: dict[str, list[int]] = defaultdict(list)
        for person_id, azr in Person.objects.filter(
                district_id=ctx.district_id, merged_into__isnull=True).exclude(
                azr_number="").values_list("id", "azr_number"):
            by_azr[azr].append(person_id)
    to_compare: dict[int, list[tuple[_Row, _Person]]] = defaultdict(list)
    for number, entry in plan.persons.items():
        row = entry.rows[0]
        azr_persons = by_azr.get(entry.azr_number, []) if entry.azr_number else []
        if number in by_file:
            found = by_file[number]
            if len(found) > 1:
                report.add(row.line, "aktenzeichen", _("Several persons in the register carry this file "
                                                       "number of your agency. Merge them first."))
            elif not active(found[0][1]):
                report.add(row.line, "aktenzeichen", _("Your agency's file with this number is closed."))
            elif azr_persons and found[0][0] not in azr_persons:
                report.add(row.line, "azr_nummer", _("The file number and the AZR number belong to "
                                                     "different persons in the register."))
            else:
                entry.person_id = found[0][0]
        elif azr_persons:
            if len(azr_persons) > 1:
                report.add(row.line, "azr_nummer", _("Several persons in the district carry this AZR "
                                                     "number. Merge them first."))
                continue
            entry.person_id = azr_persons[0]
            to_compare[entry.person_id].append((row, entry))
            number_on_file, until = abh_file.get(entry.person_id, ("", None))
            if entry.person_id not in abh_file:
                entry.link = "open"
            elif not active(until):
                report.add(row.line, "aktenzeichen", _("Your agency's file on the person with this AZR "
                                                       "number is closed."))
            elif number_on_file:
                report.add(row.line, "aktenzeichen", _("The person with this AZR number has a file of "
                                                       "your agency under another file number."))
            else:
                entry.link = "set_number"
    _compare_identities(to_compare, report)
    matched = sorted({e.person_id for e in plan.persons.values() if e.person_id})
    with personal_data_scope():
        for chunk in _chunks(matched):
            for values in ResidenceStatus.objects.filter(
                    owning_agency_id=ctx.agency_id, person_id__in=chunk).order_by("id").values_list(
                    "id", "person_id", "kind__code", "valid_from", "document", "valid_to",
                    "application_pending_since"):
                plan.statuses.setdefault((values[1], values[2], values[3]), values)
    return plan


def _compare_identities(found: dict[int, list[tuple[_Row, _Person]]], report: _Report) -> None:
    """A person found by the AZR number only must look like the row (name, date of birth)."""
    with personal_data_scope():
        for chunk in _chunks(sorted(found)):
            for person in Person.objects.filter(pk__in=chunk).only(
                    "id", "given_names", "family_name", "given_names_original", "family_name_original",
                    "other_names", "birth_year", "birth_month", "birth_day"):
                names = [f"{person.given_names_original} {person.family_name_original}".strip(),
                         *(n.strip() for n in person.other_names.split(";"))]
                try:
                    birth = PartialDate(person.birth_year, person.birth_month, person.birth_day)
                except (TypeError, ValueError):  # no year, or an inconsistent date on record
                    birth = None
                stored = Candidate(person.given_names, person.family_name, birth, tuple(n for n in names if n))
                for row, _entry in found[person.pk]:
                    query = Candidate(row.person.given_names, row.person.family_name, row.birth)
                    if not is_likely_duplicate(query, stored):
                        report.add(row.line, "azr_nummer", _(
                            "The AZR number belongs to a person in the register whose name or date of "
                            "birth does not match this row. Check the number."))


# --- writing (see the module docstring) ---------------------------------------------------

@dataclass
class _Counts:
    created_persons: int = 0
    created_statuses: int = 0
    updated_statuses: int = 0
    unchanged: int = 0
    line: int | None = None  # the row being written, for the report if it fails


def _event(ctx: AccessContext, action: str, person_id: int, category: str, purpose: str, basis: str,
           object_ref: str) -> EventData:
    return EventData(action=action, decision=Decision.ALLOWED, actor_id=ctx.user_id, agency_id=ctx.agency_id,
                     person_id=person_id, categories=category, purpose=purpose, basis=basis,
                     object_ref=object_ref, request_id=ctx.request_id)


def _name_keys(person: Person) -> list[PersonNameKey]:
    """The blocking keys `people.services.refresh_name_keys` stores for a new person."""
    keys = set(blocking_keys(person.given_names, person.family_name))
    for other in [f"{person.given_names_original} {person.family_name_original}", *person.other_names.split(";")]:
        parts = other.split()
        if parts:
            keys |= blocking_keys(" ".join(parts[:-1]), parts[-1])
    return [PersonNameKey(person=person, district_id=person.district_id, key=k) for k in sorted(keys)]


def _persons_create(ctx: AccessContext, entries: list[tuple[str, _Person]], counts: _Counts) -> dict[str, int]:
    """`person_create` for many rows: the person, the authority's file, the name keys, the log."""
    created: dict[str, int] = {}
    with personal_data_scope():
        for start in range(0, len(entries), _CHUNK):
            chunk = entries[start:start + _CHUNK]
            persons = []
            for _number, entry in chunk:
                counts.line = entry.rows[0].line
                data = dataclasses.replace(entry.rows[0].person, azr_number=entry.azr_number)
                person = Person(district_id=ctx.district_id, **data.__dict__)
                # district and municipality come from the context and the district's own list
                person.full_clean(exclude=["district", "municipality", "household"])
                persons.append(person)
            Person.objects.bulk_create(persons)
            PersonAgencyLink.objects.bulk_create([
                PersonAgencyLink(person=p, agency_id=ctx.agency_id, file_number=number, since=ctx.today)
                for p, (number, _entry) in zip(persons, chunk, strict=True)])
            PersonNameKey.objects.bulk_create([key for p in persons for key in _name_keys(p)])
            log_events([_event(ctx, "person.created", p.pk, ",".join([DataCategory.IDENTITY, DataCategory.CONTACT]),
                               Purpose.REGISTRY, "own_agency", "") for p in persons])
            created.update({number: p.pk for p, (number, _entry) in zip(persons, chunk, strict=True)})
    counts.created_persons += len(created)
    return created


def _files_open(ctx: AccessContext, entries: list[tuple[str, _Person]], counts: _Counts) -> None:
    """The authority's own register shows it holds a file on persons found by the AZR number
    (whose name and date of birth on record agree with the row): record the file, or its number
    on a file without one, as `person_link_agency` does."""
    if not entries:
        return
    with personal_data_scope():
        opened = [(n, e) for n, e in entries if e.link == "open"]
        PersonAgencyLink.objects.bulk_create([
            PersonAgencyLink(person_id=e.person_id, agency_id=ctx.agency_id, file_number=n, since=ctx.today)
            for n, e in opened])
        for number, entry in entries:
            if entry.link == "set_number":
                counts.line = entry.rows[0].line
                PersonAgencyLink.objects.filter(person_id=entry.person_id, agency_id=ctx.agency_id,
                                                file_number="").update(file_number=number)
    log_events([_event(ctx, "person.file_opened" if e.link == "open" else "person.file_number_set",
                       e.person_id, DataCategory.IDENTITY, ctx.work_purpose(), "permit_import:azr_number",
                       f"agency:{ctx.agency_id}") for _n, e in entries])


def _check_own_files(ctx: AccessContext, person_ids: list[int]) -> None:
    """`access_person_for_write(own_file=True)` for many persons: the spine decides (and logs a
    `residence.write` read for) each; every one must be visible through the authority's own file."""
    purpose = ctx.work_purpose(Purpose.RESIDENCE_ADMINISTRATION)
    for chunk in _chunks(person_ids):
        records = {r.person.pk: r for r in access_people(ctx, chunk, purpose, categories=[DataCategory.IDENTITY],
                                                         action="residence.write", with_history=False)}
        for person_id in chunk:
            record = records.get(person_id)
            basis = record.decisions[DataCategory.IDENTITY].allowed.get(ctx.agency_id) if record else None
            if basis is None or basis.kind != "own_agency":
                refuse(ctx, "residence.write.refused", person_id=person_id, reason="no_file_of_own_agency",
                       message=_("Your agency holds no file on this person. Open a file first."))


def _statuses_create(ctx: AccessContext, new: list[tuple[int, _Row]], counts: _Counts) -> list[ResidenceStatus]:
    """`residence_status_add` after its checks (see `_check_own_files`): the statuses and their
    `residence.recorded` log rows, in bulk. The signal is sent by the caller."""
    created: list[ResidenceStatus] = []
    with personal_data_scope():
        for start in range(0, len(new), _CHUNK):
            statuses = []
            for person_id, row in new[start:start + _CHUNK]:
                counts.line = row.line
                status = ResidenceStatus(
                    person_id=person_id, owning_agency_id=ctx.agency_id, kind=row.kind, document=row.document,
                    valid_from=row.valid_from, valid_to=row.valid_to,
                    application_pending_since=row.pending_since,
                )
                status.full_clean(exclude=["person", "owning_agency", "kind"])  # all three known to exist
                statuses.append(status)
            counts.line = None
            ResidenceStatus.objects.bulk_create(statuses)
            log_events([_event(ctx, "residence.recorded", st.person_id, DataCategory.RESIDENCE,
                               Purpose.RESIDENCE_ADMINISTRATION, "", f"residence:{st.pk}") for st in statuses])
            created += statuses
    counts.created_statuses += len(created)
    return created


def _status_update(ctx: AccessContext, status_id: int, row: _Row) -> None:
    with personal_data_scope():
        status = ResidenceStatus.objects.select_for_update().get(pk=status_id)
        status.document = row.document
        status.valid_to = row.valid_to
        status.application_pending_since = row.pending_since
        status.full_clean(exclude=["person", "owning_agency", "kind"])
        status.save(update_fields=["document", "valid_to", "application_pending_since"])
    log_action(ctx, "residence.updated", person_id=status.person_id, categories=[DataCategory.RESIDENCE],
               purpose=Purpose.RESIDENCE_ADMINISTRATION, basis="own_agency",
               object_ref=f"residence:{status.pk}")


def _apply(ctx: AccessContext, plan: _Plan, counts: _Counts) -> None:
    entries = list(plan.persons.items())
    person_of = _persons_create(ctx, [(n, e) for n, e in entries if e.person_id is None], counts)
    person_of.update({n: e.person_id for n, e in entries if e.person_id is not None})
    _files_open(ctx, [(n, e) for n, e in entries if e.link], counts)
    # in order of validity, as the authority recorded them
    rows = sorted((row for _n, entry in entries for row in entry.rows), key=lambda r: (r.valid_from, r.line))
    new: list[tuple[int, _Row]] = []
    for row in rows:
        person_id = person_of[row.file_number]
        existing = plan.statuses.get((person_id, row.kind.code, row.valid_from))
        if existing is None:
            new.append((person_id, row))
        elif tuple(existing[4:]) == (row.document, row.valid_to, row.pending_since):
            counts.unchanged += 1
        else:
            counts.line = row.line
            _status_update(ctx, existing[0], row)
            counts.updated_statuses += 1
    counts.line = None
    _check_own_files(ctx, sorted({person_id for person_id, _row in new}))
    statuses = _statuses_create(ctx, new, counts)
    # Listeners (handovers, eAT appointments) hear of each new status once the whole register
    # is written, so they judge each status knowing the person's newer ones.
    # `bulk`: listeners that can work on the whole register at once do so afterwards (the
    # appointments' expiry scan below) instead of once per status.
    for status, (_person_id, row) in zip(statuses, new, strict=True):
        counts.line = row.line
        residence_status_recorded.send(sender=ResidenceStatus, ctx=ctx, status=status, bulk=True)
    counts.line = None
    if statuses:
        from lotse.appointments.scan import expiry_scan

        expiry_scan(ctx)


# --- the service -----------------------------------------------------------------------------

def _check_access(ctx: AccessContext) -> None:
    for permission in (permissions.APPOINTMENTS_MANAGE, permissions.PERSON_CREATE, permissions.PERSON_EDIT):
        if not ctx.has_permission(permission):
            refuse(ctx, "permit_import.refused", reason=f"permission:{permission}",
                   message=_("You lack the permission '%(perm)s'.") % {"perm": permission})
    if ctx.agency_kind not in responsible_agency_kinds(subject="residence", on=ctx.today):
        refuse(ctx, "permit_import.refused", reason="not_responsible",
               message=_("Your agency does not record residence statuses."))


def _failure_message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        reason = " ".join(exc.messages)
    elif isinstance(exc, AccessDenied):
        reason = str(exc)
    else:
        reason = _("an unexpected error (%(error)s)") % {"error": type(exc).__name__}
    return _("Writing this row failed: %(reason)s Nothing was imported.") % {"reason": reason}


def _finish(ctx: AccessContext, record: PermitImport, action: str, decision: str) -> PermitImport:
    with transaction.atomic():
        record.save()
        log_action(ctx, action, purpose=Purpose.RESIDENCE_ADMINISTRATION, decision=decision,
                   object_ref=f"permit_import:{record.pk}",
                   basis=(f"rows={record.rows};created_persons={record.created_persons};"
                          f"created_statuses={record.created_statuses};"
                          f"updated_statuses={record.updated_statuses};unchanged={record.unchanged}"))
    return record


def permit_import_run(*, ctx: AccessContext, data: bytes, file_name: str, encoding: str = "utf-8") -> PermitImport:
    """Import the permit register from a CSV export (see the module docstring): all rows or
    none. Returns the `PermitImport` record; `accepted` says whether anything was written, the
    report lists the problems."""
    _check_access(ctx)
    name = PureWindowsPath(PurePosixPath(file_name or "").name).name
    record = PermitImport(agency_id=ctx.agency_id, imported_by_id=ctx.user_id, file_name=name[:200],
                          sha256=hashlib.sha256(data).hexdigest())
    report = _Report()
    text = _decode(data, encoding, report)
    rows: list[_Row] = []
    if text is not None:
        record.rows, rows = _read(ctx, text, report)
    if report:
        return _reject(ctx, record, report)
    counts = _Counts()
    try:
        with transaction.atomic():
            # Serialise with every other logged write (the log's lock, taken by the first log row
            # anyway): the persons found stay true until the commit, even with two imports at once.
            lock_chain()
            plan = _plan(ctx, rows, report)
            if report:
                raise _Rejected
            _apply(ctx, plan, counts)
            record.accepted = True
            record.created_persons, record.created_statuses = counts.created_persons, counts.created_statuses
            record.updated_statuses, record.unchanged = counts.updated_statuses, counts.unchanged
            return _finish(ctx, record, "permit_import.applied", Decision.ALLOWED)
    except _Rejected:
        return _reject(ctx, record, report)
    except Exception as exc:  # roll back everything, whatever went wrong, and say where
        logger.exception("Permit import %s failed at line %s", record.sha256[:12], counts.line)
        failed = PermitImport(agency_id=ctx.agency_id, imported_by_id=ctx.user_id, file_name=record.file_name,
                              sha256=record.sha256, rows=record.rows, accepted=False,
                              report=[{"line": counts.line, "field": "", "message": _failure_message(exc)}])
        return _finish(ctx, failed, "permit_import.failed", Decision.DENIED)


class _Rejected(Exception):
    """Rows refused while matching persons: roll back the (empty) transaction."""


def _reject(ctx: AccessContext, record: PermitImport, report: _Report) -> PermitImport:
    record.pk, record.accepted = None, False
    record.report = report.as_list()
    return _finish(ctx, record, "permit_import.rejected", Decision.DENIED)


def permit_import_template_csv() -> str:
    """The header line and one example row, for the download link next to the upload."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow(_EXAMPLE_ROW)
    return out.getvalue()
