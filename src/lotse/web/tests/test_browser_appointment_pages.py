"""Browser test: the foreigners' authority's other appointment pages — permit register, import
with its report, proposals, offices with opening hours, an interpreter, travel times, the
appointment lengths, the figures — and the coordinators' figures. Each asserts what the user
sees after acting on the page; axe-core on every page."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lotse.appointments.permit_import import permit_import_template_csv
from lotse.appointments.tests.factories import configure, person_with_title
from lotse.web.tests.browser import assert_accessible, enrol_totp, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open(page, name: str):
    page.get_by_role("navigation", name="eAT-Termine").get_by_role("link", name=name, exact=True).click()
    assert_accessible(page)


def test_register_import_proposals_and_configuration(live_server, live_world, page, tmp_path):
    world = live_world
    configure(world)
    today = timezone.localdate()
    person_with_title(world, expires_on=today + datetime.timedelta(weeks=8), given="Nour", family="Saleh")

    log_in(page, live_server.url, world.users["abh"], enrol_totp(world.users["abh"]))
    page.goto(f"{live_server.url}/appointments/")
    assert_accessible(page)

    _open(page, "Titelregister")
    expect(page.get_by_role("heading", name="Titelregister")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Nour Saleh")).get_by_text("vorgeschlagen, noch ohne Zeit")).to_be_visible()

    # An import with one bad date: nothing imported, the line named.
    page.get_by_role("link", name="Register aus einem CSV-Export importieren").click()
    assert_accessible(page)
    header, example = permit_import_template_csv().splitlines()[:2]
    bad = tmp_path / "export.csv"
    bad.write_text(f"{header}\n{example.replace('01.03.2024', '31.02.2024')}\n", encoding="utf-8")
    page.get_by_label("CSV-Export aus dem Fachverfahren der Ausländerbehörde").set_input_files(str(bad))
    page.get_by_role("button", name="Prüfen und importieren").click()
    page.wait_for_url("**/appointments/register/import/*/")
    assert_accessible(page)
    expect(page.get_by_text("Es wurde nichts importiert.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^2 gueltig_ab Dieses Datum"))).to_be_visible()

    _open(page, "Einladungsvorschläge")
    expect(page.get_by_role("row", name=re.compile("Nour Saleh"))).to_be_visible()

    # A new office with opening hours, then lengths, an interpreter and travel times.
    _open(page, "Dienststellen und Dolmetschung")
    page.get_by_role("link", name="Dienststelle hinzufügen").click()
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Bürgerbüro C-Dorf")
    page.get_by_label("Kommune").select_option(label="A-Dorf")
    page.get_by_label("Straße").fill("Dorfplatz 3")
    page.get_by_label("Postleitzahl").fill("33333")
    page.get_by_label("Ort").fill("C-Dorf")
    page.locator("#id_periods-0-weekday").select_option(value="2")
    page.locator("#id_periods-0-opens").fill("09:00")
    page.locator("#id_periods-0-closes").fill("08:00")  # closes before it opens: refused
    page.locator("#id_periods-0-counters").fill("1")
    page.get_by_role("button", name="Speichern").click()
    assert_accessible(page)
    expect(page.get_by_text("Die Schließzeit liegt vor der Öffnungszeit.")).to_be_visible()
    page.locator("#id_periods-0-closes").fill("12:00")
    page.get_by_role("button", name="Speichern").click()
    assert_accessible(page)
    expect(page.get_by_text("Die Dienststelle wurde gespeichert.")).to_be_visible()

    _open(page, "Dienststellen und Dolmetschung")
    expect(page.get_by_role("link", name="Bürgerbüro C-Dorf")).to_be_visible()
    page.get_by_label("Erstantrag auf einen eAT").fill("45")
    page.get_by_role("button", name="Termindauern speichern").click()
    assert_accessible(page)
    expect(page.get_by_text("Die Termindauern wurden gespeichert.")).to_be_visible()
    assert page.get_by_label("Erstantrag auf einen eAT").input_value() == "45"

    page.get_by_role("link", name="Dolmetscher/in hinzufügen").click()
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Sprachmittlung Tigrinya")
    page.get_by_label("Sprachen").fill("ti")
    page.get_by_role("button", name="Speichern").click()
    assert_accessible(page)
    expect(page.get_by_text("Die Dolmetscherin / der Dolmetscher wurde gespeichert.")).to_be_visible()

    _open(page, "Dienststellen und Dolmetschung")
    page.get_by_role("link", name="Wegezeiten aus den Kommunen").click()
    assert_accessible(page)
    page.get_by_label(re.compile("^A-Dorf → Bürgerbüro C-Dorf")).fill("15")
    page.get_by_role("button", name="Speichern").click()
    assert_accessible(page)
    expect(page.get_by_text("Die Wegezeiten wurden gespeichert.")).to_be_visible()

    _open(page, "Kennzahlen")
    expect(page.get_by_role("heading", name="Wie die Kennzahlen berechnet werden")).to_be_visible()


def test_the_coordinator_reads_the_figures(live_server, live_world, page):
    world = live_world
    configure(world)
    log_in(page, live_server.url, world.users["coordinator"], enrol_totp(world.users["coordinator"]))
    page.get_by_role("link", name="Kennzahlen der eAT-Termine").first.click()
    page.wait_for_url("**/appointments/figures/")
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Kennzahlen der eAT-Termine")).to_be_visible()
    expect(page.get_by_text("Keine Termine in diesem Zeitraum.")).to_be_visible()
