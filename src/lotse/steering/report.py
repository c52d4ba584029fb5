"""The anonymous steering report: the key figures and the count tables of a period, with small
cells suppressed the same way on the dashboard, in the CSV and in the PDF.

- Count tables (cases by focus area, by phase, referrals by status, gap reports by kind) go
  through `steering.suppression.suppress` with their row and column totals: a count of 1 to 4
  is hidden, and so is a second cell wherever one hidden cell could be recovered by subtraction.
- A key figure is computed from n persons or events per municipality; its value is hidden below
  the threshold (`kpis.Figure`), and the n of the municipalities and of the district form one
  line of a table, suppressed the same way, so that the district's n minus the others' never
  gives a hidden one.

Pure functions over what `steering.kpis` returns; no database access here."""

import csv
import io
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lotse.steering.suppression import THRESHOLD, suppress


def hidden_text() -> str:
    """What a hidden cell says: not "fewer than 5", since a cell hidden only so that another
    cannot be recovered by subtraction may hold any number."""
    return _("not shown")


@dataclass(frozen=True)
class ShownTable:
    code: str
    title: str
    row_labels: list[str]
    column_labels: list[str]
    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None

    @property
    def rows(self) -> list[tuple[str, list[int | None], int | None]]:
        return list(zip(self.row_labels, self.cells, self.row_totals, strict=True))


@dataclass(frozen=True)
class ShownRow:
    name: str
    value: float | None
    value_text: str
    n: int | None


@dataclass(frozen=True)
class ShownKpi:
    definition: object
    district: ShownRow
    previous: ShownRow
    rows: list[ShownRow]

    @property
    def change_text(self) -> str:
        """The change against the previous period, signed, or "–" when either is hidden."""
        if self.district.value is None or self.previous.value is None:
            return "–"
        change = self.district.value - self.previous.value
        sign = "+" if change > 0 else ("−" if change < 0 else "±")
        return f"{sign}{number_format(round(abs(change), 1), 1)}"


def shown_table(table) -> ShownTable:
    result = suppress(table.counts)
    return ShownTable(table.code, str(table.title), [str(label) for label in table.row_labels],
                      [str(label) for label in table.column_labels], result.cells, result.row_totals,
                      result.column_totals, result.total)


def _row(name: str, figure, n: int | None) -> ShownRow:
    return ShownRow(name, figure.value, figure.text, n)


def shown_kpi(result) -> ShownKpi:
    """A key figure with the n of its municipalities and of the district suppressed together."""
    counts = [entry.figure.n for entry in result.by_municipality]
    line = suppress([counts]) if counts else None
    cells = line.cells[0] if line else []
    district_n = line.row_totals[0] if line else result.district.n
    rows = [_row(entry.name, entry.figure, n) for entry, n in zip(result.by_municipality, cells, strict=True)]
    previous_n = result.previous.n if result.previous.n >= THRESHOLD or result.previous.n == 0 else None
    return ShownKpi(result.definition, _row(_("District"), result.district, district_n),
                    _row(_("Previous period"), result.previous, previous_n), rows)


def count_text(value: int | None) -> str:
    return hidden_text() if value is None else str(value)


def report_csv(*, district_name: str, period_label: str, kpis: list[ShownKpi], tables: list[ShownTable]) -> str:
    """The report as CSV (semicolon, for spreadsheet programs set to German): one line per
    figure — section, figure, period, municipality, column, value, persons — hidden cells
    written as "not shown", figures without any data left empty."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Section"), _("Figure"), _("Period"), _("Municipality"), _("Column"), _("Value"),
                     _("Persons or events")])
    for kpi in kpis:
        title = str(kpi.definition.title)
        for row in [*kpi.rows, kpi.district]:
            writer.writerow([_("Key figure"), title, period_label, row.name, str(kpi.definition.unit),
                             _csv_value(row), count_text(row.n)])
        writer.writerow([_("Key figure"), title, _("Previous period"), kpi.district.name,
                         str(kpi.definition.unit), _csv_value(kpi.previous), count_text(kpi.previous.n)])
    for table in tables:
        for label, cells, row_total in table.rows:
            for column, value in zip(table.column_labels, cells, strict=True):
                writer.writerow([_("Count table"), table.title, period_label, label, column, count_text(value), ""])
            writer.writerow([_("Count table"), table.title, period_label, label, _("Total"), count_text(row_total), ""])
        for column, value in zip(table.column_labels, table.column_totals, strict=True):
            writer.writerow([_("Count table"), table.title, period_label, district_name, column, count_text(value), ""])
        writer.writerow([_("Count table"), table.title, period_label, district_name, _("Total"),
                         count_text(table.total), ""])
    return out.getvalue()


def _csv_value(row: ShownRow) -> str:
    """The value with a decimal comma; "not shown" where hidden; empty where nothing was counted."""
    if row.value is not None:
        return number_format(round(row.value, 1), 1)
    return "" if row.n == 0 else hidden_text()
