"""The needs-analysis pages through the test client: what coordinators and steering members see,
what strangers get (404), the proposal, and bad input shown in German with nothing stored."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from lotse.audit.models import AccessEvent
from lotse.core.testing import register_person
from lotse.steering.models import CounsellingCapacity, ResidentStatistic
from lotse.web.tests.test_views import _client_for

pytestmark = pytest.mark.django_db

URL = "/staff/steering/needs/"
IMPORT_URL = "/staff/steering/needs/statistics/import/"
CAPACITY_URL = "/staff/steering/needs/capacity/"
ON = datetime.date(2026, 3, 31)  # registry counts: quarter ends only


@pytest.fixture
def figures(world):
    """A-Dorf: 7 newcomers and 1.25 FTE; B-Stadt: 2 newcomers (a small count) and no FTE."""
    for day in range(1, 8):
        register_person(world, town="a", arrival_district=datetime.date(2026, 1, day), nationalities=["475"])
    for day in range(1, 3):
        register_person(world, town="b", arrival_district=datetime.date(2026, 2, day), nationalities=["368"])
    CounsellingCapacity.objects.create(district=world.district, agency=world.agencies["caritas"],
                                       municipality=world.town_a, fte=Decimal("1.25"))


def _row(page: str, name: str) -> list[str]:
    """The cells of the first table row headed `name`, as text."""
    match = re.search(r'<th class="kern-table__header" scope="row">' + re.escape(name) + r"</th>(.*?)</tr>",
                      page, re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)]


def test_a_coordinator_sees_chart_and_table_with_small_counts_hidden(world, figures):
    response = _client_for(world, "coordinator").get(URL, {"on": ON.isoformat(), "source": "registry"})
    page = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert "Bedarfsanalyse Willkommensberatung" in page
    assert "Gezählt im Register: Zuzüge nach dem 31.03.2025 bis einschließlich 31.03.2026." in page
    # A-Dorf: 7 newcomers, 1.25 FTE, 7 ÷ 1.25 = 5.6. B-Stadt's 2 is hidden, and so is A-Dorf's
    # 7? No: with one hidden count the total 9 would give it away, so A-Dorf is hidden too.
    assert _row(page, "A-Dorf") == ["nicht ausgewiesen", "1,25", "nicht ausgewiesen", "31.03.2026", "Register"]
    assert _row(page, "B-Stadt") == ["nicht ausgewiesen", "0,00", "nicht ausgewiesen", "31.03.2026", "Register"]
    assert _row(page, "Kreis") == ["9", "1,25", "7,2", "31.03.2026", ""]  # 9 ÷ 1.25 = 7.2
    assert page.count('role="img"') == 2 and "Neuzugewanderte der letzten 12 Monate je Kommune" in page
    assert 'href="/staff/steering/needs/statistics/import/"' in page and 'href="/staff/steering/needs/capacity/"' in page
    assert AccessEvent.objects.filter(action="steering.aggregate", object_ref="needs:2026-03-31:registry").count() == 1


def test_with_hidden_counts_the_proposal_keeps_them_hidden(world, figures):
    client = _client_for(world, "coordinator")
    query = {"on": ON.isoformat(), "source": "registry", "method": "hare_niemeyer"}
    # 9 newcomers, 10 half positions: a unit would stand for fewer than 5 newcomers.
    response = client.get(URL, {**query, "positions": "5", "unit": "half"})
    assert response.status_code == 400
    assert ("Zu wenige Neuzugewanderte für so viele Einheiten: Solange Anzahlen nicht ausgewiesen werden, "
            "muss jede Einheit für mindestens 5 Neuzugewanderte stehen") in response.content.decode()
    # One whole position: quotas 7/9 and 2/9, no whole part; the unit goes to A-Dorf (0.778),
    # whose count is hidden: neither its quota nor its step is shown.
    page = client.get(URL, {**query, "positions": "1", "unit": "whole"}).content.decode()
    result = page.split('id="proposal-result"')[1]
    assert _row(result, "A-Dorf") == ["nicht ausgewiesen", "nicht ausgewiesen", "1", "1,25", "-0,25"]
    assert _row(result, "B-Stadt") == ["nicht ausgewiesen", "nicht ausgewiesen", "0", "0,00", "0,00"]
    assert ("1 Einheit ging an eine Kommune, deren Anzahl nicht ausgewiesen wird; zu ihrem Schutz werden "
            "solche Einheiten und die Reihenfolge der Einheiten nicht aufgeführt.") in result
    assert "0,778" not in result and "Rest</th>" not in result


def test_a_steering_member_sees_the_statistics_but_no_coordinators_links(world):
    ResidentStatistic.objects.create(district=world.district, municipality=world.town_a,
                                     reference_date=datetime.date(2025, 12, 31), newcomers_last_12_months=44,
                                     source="IT.NRW")
    page = _client_for(world, "steering_member").get(URL, {"on": ON.isoformat(), "source": "statistics"})
    page = page.content.decode()
    assert _row(page, "A-Dorf") == ["44", "0,00", "keine Kapazität", "31.12.2025", "IT.NRW"]
    assert _row(page, "B-Stadt") == ["keine Angaben", "0,00", "keine Angaben", "–", "–"]
    assert "Keine Statistik an oder vor diesem Stichtag für: B-Stadt." in page
    assert IMPORT_URL not in page and CAPACITY_URL not in page


@pytest.mark.parametrize(("url", "expected"), [
    (URL, {None: 302, "coordinator": 200, "steering_member": 200, "caritas": 404, "dpo": 404}),
    (IMPORT_URL, {None: 302, "coordinator": 200, "steering_member": 404, "caritas": 404, "dpo": 404}),
    (CAPACITY_URL, {None: 302, "coordinator": 200, "steering_member": 404, "caritas": 404, "dpo": 404}),
    ("/staff/steering/needs/statistics/template.csv",
     {None: 302, "coordinator": 200, "steering_member": 404, "caritas": 404, "dpo": 404}),
])
def test_who_opens_which_page(world, url, expected):
    for user, status in expected.items():
        client = _client_for(world, user) if user else Client()
        assert client.get(url).status_code == status, (url, user)


@pytest.mark.parametrize("user", ["caritas", "abh", "admin"])
def test_without_steering_view_every_page_is_not_found(world, user):
    client = _client_for(world, user)
    for url in (URL, IMPORT_URL, CAPACITY_URL, "/staff/steering/needs/statistics/template.csv"):
        assert client.get(url).status_code == 404, url
    assert not AccessEvent.objects.filter(action="steering.aggregate").exists()


def test_a_bad_reference_date_is_a_400_in_german(world):
    response = _client_for(world, "coordinator").get(URL, {"on": "1899-01-01", "source": "registry"})
    assert response.status_code == 400
    assert "Wählen Sie einen Stichtag zwischen 2000 und 2199." in response.content.decode()


def test_the_proposal_shows_the_arithmetic(world):
    for town, count in ((world.town_a, 530), (world.town_b, 470)):
        ResidentStatistic.objects.create(district=world.district, municipality=town, reference_date=ON,
                                         newcomers_last_12_months=count, source="IT.NRW")
    CounsellingCapacity.objects.create(district=world.district, agency=world.agencies["caritas"],
                                       municipality=world.town_a, fte=Decimal("2"))
    response = _client_for(world, "coordinator").get(URL, {
        "on": ON.isoformat(), "source": "statistics", "positions": "4,5", "method": "hare_niemeyer", "unit": "half"})
    page = response.content.decode()
    assert response.status_code == 200
    # 4.5 positions = 9 half positions; quotas 4.5 × 530 / 1000 = 2.385 and 2.115, in half
    # positions 4.77 and 4.23 → 4 + 4 = 8; the 9th to A-Dorf (0.77 > 0.23).
    assert "4,5 Stellen werden als 9 halbe Stellen verteilt." in page
    assert "Neuzugewanderte im Kreis: 1000. Quote einer Kommune = 4,5 × ihre Neuzugewanderten ÷ 1000." in page
    result = page.split('id="proposal-result"')[1]
    assert _row(result, "A-Dorf") == ["530", "2,385", "4,770", "5", "2,5", "2,00", "+0,50"]
    assert _row(result, "B-Stadt") == ["470", "2,115", "4,230", "4", "2", "0,00", "+2,00"]
    assert _row(result, "Kreis") == ["1000", "4,5", "9", "9", "4,5", "2,00", "+2,50"]
    steps = page.split("Die übrigen Einheiten nach den größten Resten")[1]
    assert _row_cells_of_steps(steps) == [["9", "A-Dorf", "0,770"]]


def _row_cells_of_steps(fragment: str) -> list[list[str]]:
    body = fragment.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


@pytest.mark.parametrize(("params", "message"), [
    ({"positions": "viele", "method": "hare_niemeyer", "unit": "half"},
     "Geben Sie eine Anzahl Stellen zwischen 0,5 und 999 an."),
    ({"positions": "4,5", "method": "hare_niemeyer", "unit": "whole"},
     "Bei ganzen Stellen geben Sie eine ganze Zahl an."),
    ({"positions": "5", "method": "losen", "unit": "half"}, "Bitte eine gültige Auswahl treffen. losen ist keine gültige Auswahl."),
    ({"positions": "5", "method": "sainte_lague", "unit": "half"},
     "Es gibt keine Neuzugewanderten, nach denen die Stellen verteilt werden könnten."),
])
def test_a_bad_proposal_is_a_400_in_german(world, params, message):
    response = _client_for(world, "coordinator").get(URL, {"on": ON.isoformat(), "source": "registry", **params})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_coordinator_imports_statistics_and_a_bad_file_stores_nothing(world):
    client = _client_for(world, "coordinator")
    assert "Statistik importieren" in client.get(IMPORT_URL).content.decode()
    bad = SimpleUploadedFile("statistik.csv", b"gemeinde;stichtag;neuzugewanderte\nA-Dorf;31.12.2025;-4\n"
                                              b"Z-Hausen;31.12.2025;4\n")
    response = client.post(IMPORT_URL, {"file": bad, "source": "IT.NRW"})
    page = response.content.decode()
    assert response.status_code == 400 and ResidentStatistic.objects.count() == 0
    assert "Es wurde nichts importiert." in page and "Die Datei hat 2 Probleme." in page
    assert "Eine Anzahl kann nicht negativ sein." in page and "Unbekannte Gemeinde." in page
    good = SimpleUploadedFile("statistik.csv", b"gemeinde;stichtag;neuzugewanderte\nA-Dorf;31.12.2025;44\n")
    response = client.post(IMPORT_URL, {"file": good, "source": "IT.NRW"})
    assert response.status_code == 302 and response["Location"] == IMPORT_URL
    assert ResidentStatistic.objects.get().newcomers_last_12_months == 44
    page = client.get(IMPORT_URL).content.decode()
    assert "Die Statistik wurde importiert. Neue Zeilen: 1; ersetzt: 0." in page and "31.12.2025" in page


def test_an_import_without_source_or_file_is_a_400(world):
    response = _client_for(world, "coordinator").post(IMPORT_URL, {"source": ""})
    assert response.status_code == 400 and ResidentStatistic.objects.count() == 0
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()


def test_a_steering_member_can_neither_import_nor_set_capacities(world):
    client = _client_for(world, "steering_member")
    upload = SimpleUploadedFile("s.csv", b"gemeinde;stichtag;neuzugewanderte\nA-Dorf;31.12.2025;44\n")
    assert client.post(IMPORT_URL, {"file": upload, "source": "IT.NRW"}).status_code == 404
    field = f"fte-{world.agencies['caritas'].pk}-{world.town_a.pk}"
    assert client.post(CAPACITY_URL, {field: "1"}).status_code == 404
    assert ResidentStatistic.objects.count() == 0 and CounsellingCapacity.objects.count() == 0


def test_a_coordinator_sets_capacities_with_a_decimal_comma(world):
    client = _client_for(world, "coordinator")
    a_dorf, b_stadt = (f"fte-{world.agencies['caritas'].pk}-{town.pk}" for town in (world.town_a, world.town_b))
    page = client.get(CAPACITY_URL).content.decode()
    assert "Kapazität der Willkommensberatung" in page and f'name="{a_dorf}"' in page
    assert "Caritas Test in A-Dorf" in page  # the label of the field, for screen readers
    response = client.post(CAPACITY_URL, {a_dorf: "0,75", b_stadt: ""})
    assert response.status_code == 302 and response["Location"] == CAPACITY_URL
    assert [(c.municipality.name, c.fte) for c in CounsellingCapacity.objects.all()] == [("A-Dorf", Decimal("0.75"))]
    page = client.get(CAPACITY_URL).content.decode()
    assert "Kapazität gespeichert. Gesetzt: 1; entfernt: 0." in page and 'value="0,75"' in page
    response = client.post(CAPACITY_URL, {a_dorf: "0,75", b_stadt: "1,234"})
    assert response.status_code == 400
    assert "Geben Sie 0 bis 99,99 Vollzeitäquivalente mit höchstens zwei Nachkommastellen an" in (
        response.content.decode())
    assert [(c.municipality.name, c.fte) for c in CounsellingCapacity.objects.all()] == [("A-Dorf", Decimal("0.75"))]
    client.post(CAPACITY_URL, {a_dorf: "", b_stadt: ""})
    assert CounsellingCapacity.objects.count() == 0


def test_the_template_file_downloads(world):
    response = _client_for(world, "coordinator").get("/staff/steering/needs/statistics/template.csv")
    assert response.status_code == 200 and response["Content-Disposition"] == (
        'attachment; filename="statistik-vorlage.csv"')
    assert response.content.decode().startswith("gemeinde;stichtag;neuzugewanderte;auslaender_gesamt")


def test_registry_counts_only_on_quarter_ends(world):
    client = _client_for(world, "steering_member")
    response = client.get(URL, {"on": "2026-03-15", "source": "registry"})
    assert response.status_code == 400
    assert "letzten Tag eines Quartals" in response.content.decode()
    # imported statistics are aggregates already: any date
    assert client.get(URL, {"on": "2026-03-15", "source": "statistics"}).status_code == 200
    # without a date the registry counts on the last quarter end up to today
    page = client.get(URL).content.decode()
    from lotse.web.forms_steering_needs import last_quarter_end

    assert last_quarter_end(timezone.localdate()).strftime("%d.%m.%Y") in page
