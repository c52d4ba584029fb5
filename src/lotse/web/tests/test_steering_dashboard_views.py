"""The steering dashboard and its anonymous export: who sees them, the period choice, and that
a small count is hidden on the page, in the CSV and in the PDF in a way that no subtraction
recovers it."""

import csv
import datetime
import io
from collections import defaultdict

import pytest
from django.utils import timezone
from pypdf import PdfReader

from lotse.audit.models import AccessEvent
from lotse.core.testing import open_case, register_person
from lotse.steering.periods import Period
from lotse.web.tests.test_views import _client_for

pytestmark = pytest.mark.django_db

URL = "/staff/steering/"


@pytest.fixture
def cases(world):
    """Open cases at the end of this quarter: A-Dorf 7 (welcome counselling), B-Stadt 2."""
    for town, count in (("a", 7), ("b", 2)):
        for index in range(count):
            person_id = register_person(world, town=town, given_names=f"Kanarie{town}{index}",
                                        family_name="Steuerung")
            open_case(world, person_id)
    return world


def _csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # spreadsheet programs read UTF-8 with the mark
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_coordinator_and_steering_member_see_the_dashboard_case_workers_do_not(world):
    for key in ("coordinator", "steering_member"):
        response = _client_for(world, key).get(URL)
        assert response.status_code == 200, key
        page = response.content.decode()
        assert Period.containing(timezone.localdate(), "quarter").label in page
        assert 'role="img"' in page and "<desc" in page  # the charts describe themselves
        assert "lotse-steering-grid" in page
    for key in ("caritas", "abh", "translator"):
        client = _client_for(world, key)
        for path in ("", "export.csv", "export.pdf"):
            assert client.get(URL + path).status_code == 404, (key, path)


def test_the_dashboard_counts_through_the_logged_door(world):
    before = AccessEvent.objects.filter(action="steering.aggregate").count()
    _client_for(world, "steering_member").get(URL + "?period=2026-Q3")
    logged = AccessEvent.objects.filter(action="steering.aggregate").order_by("seq")
    assert logged.count() == before + 2
    assert [e.object_ref for e in logged][-2:] == ["kpis:2026-Q3", "counts:2026-Q3"]
    assert all(e.person_id is None for e in logged)


@pytest.mark.parametrize("period", ["2026-Q9", "1999", "nonsense", "2999-01", "<script>", "2026", "2026-05"])
def test_a_bad_period_is_answered_with_400_and_a_message(world, period):
    response = _client_for(world, "coordinator").get(URL, {"period": period})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_only_quarters_are_offered_so_periods_never_overlap(world):
    client = _client_for(world, "coordinator")
    for period in ("2026", "2026-05"):  # a year minus its quarters would give a hidden quarter away
        response = client.get(URL, {"period": period})
        assert response.status_code == 400
        assert "je Quartal" in response.content.decode()
        assert client.get(URL + "export.csv", {"period": period}).status_code == 400
    page = client.get(URL, {"period": "2024-Q1"}).content.decode()
    assert '<option value="2024-Q1" selected>' in page  # an older quarter stays the chosen one


def test_a_future_period_is_refused(world):
    next_year = timezone.localdate().year + 1
    client = _client_for(world, "coordinator")
    assert client.get(URL, {"period": f"{next_year}-Q1"}).status_code == 400
    assert client.get(URL + "export.csv", {"period": f"{next_year}-Q2"}).status_code == 400


def _focus_table(rows: list[list[str]]) -> dict[tuple[str, str], str]:
    """(municipality, column) → value of the count table of open cases by focus area."""
    table = {}
    for section, title, _period, municipality, column, value, _n in rows[1:]:
        if section == "Zähltabelle" and "Schwerpunkt" in title:
            table[(municipality, column)] = value
    return table


def test_csv_hides_the_small_count_and_everything_that_would_reveal_it(cases):
    period = Period.containing(timezone.localdate(), "quarter")
    response = _client_for(cases, "coordinator").get(URL + "export.csv", {"period": period.key})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="lotse-steuerung-{period.key}.csv"'
    rows = _csv_rows(response)
    assert rows[0] == ["Abschnitt", "Kennzahl oder Tabelle", "Zeitraum", "Gemeinde", "Spalte", "Wert", "Personen oder Ereignisse"]
    table = _focus_table(rows)
    welcome = next(column for (_m, column) in table if column.startswith("Willkommensberatung"))
    # B-Stadt's 2 cases are hidden, and A-Dorf's 7 too, else the district's 9 − 7 = 2. The 9
    # may stay: A + B = 9 has two unknowns.
    assert table[("B-Stadt", welcome)] == "nicht ausgewiesen"
    assert table[("A-Dorf", welcome)] == "nicht ausgewiesen"
    assert table[("Testkreis 99999", welcome)] == "9"
    assert table[("B-Stadt", "Gesamt")] == "nicht ausgewiesen" and table[("A-Dorf", "Gesamt")] == "nicht ausgewiesen"
    # No line of the table (a row with its total, a column with its total) has exactly one hidden cell.
    lines = defaultdict(list)
    for (municipality, column), value in table.items():
        lines[("row", municipality)].append(value)
        lines[("column", column)].append(value)
    assert all(values.count("nicht ausgewiesen") != 1 for values in lines.values())
    # Nothing in the export names a person.
    assert "Kanarie" not in response.content.decode()


def test_pdf_report_shows_the_same_suppression(cases):
    period = Period.containing(timezone.localdate(), "quarter")
    response = _client_for(cases, "steering_member").get(URL + "export.pdf", {"period": period.key})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Testkreis 99999" in text and period.label in text
    assert "nicht ausgewiesen" in text and "Kanarie" not in text
    assert "Offene Fälle je Fallmanager/in" in text


def test_the_dashboard_page_shows_hidden_cells_and_the_goals(cases):
    from lotse.steering.models import Goal, Measure

    goal = Goal.objects.create(district=cases.district, title="Integrationskurs binnen 8 Wochen",
                               indicator="course_start_days")
    Measure.objects.create(district=cases.district, title="Kursanmeldung vereinfachen", goal=goal,
                           owner_agency=cases.agencies["abh"], due_on=datetime.date(2027, 3, 31))
    page = _client_for(cases, "coordinator").get(URL).content.decode()
    assert "Integrationskurs binnen 8 Wochen" in page and "Kursanmeldung vereinfachen" in page
    assert "31.03.2027" in page
    assert "nicht ausgewiesen" in page and "Kanarie" not in page
