"""Browser test: a case conference in two phases as a case manager of a welfare association
meets it, with axe-core on every page."""

import datetime

import pytest
from playwright.sync_api import expect

from lotse.core.testing import open_case, register_person
from lotse.gaps.models import GapReport
from lotse.web.tests.browser import assert_accessible, enrol_totp, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_case_manager_holds_a_conference_with_the_job_centre(live_server, live_world, page):
    world = live_world
    case = open_case(world, register_person(world, by="caritas", given_names="Samir", family_name="Haddad"))
    device = enrol_totp(world.users["caritas"])
    log_in(page, live_server.url, world.users["caritas"], device)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert_accessible(page)
    expect(page.get_by_text("Noch keine Fallkonferenz.")).to_be_visible()

    page.get_by_role("link", name="Fallkonferenz planen").click()
    assert_accessible(page)
    page.get_by_label("Thema").fill("Anerkennung und Sprachkurs")
    page.get_by_label("Jobcenter Test").check()
    page.get_by_role("button", name="Fallkonferenz planen").click()
    assert_accessible(page)
    expect(page.get_by_text("Die Fallkonferenz wurde geplant.")).to_be_visible()
    expect(page.get_by_role("link", name="Samir Haddad")).to_be_visible()
    expect(page.get_by_text("Caritas Test, Jobcenter Test")).to_be_visible()

    due = datetime.date.today() + datetime.timedelta(days=14)
    page.get_by_label("Beschluss oder Maßnahme", exact=True).fill("Unterlagen für die Anerkennung einreichen")
    page.get_by_label("Verantwortliche Stelle").select_option(label="Jobcenter Test")
    page.get_by_label("Fällig am").fill(due.isoformat())
    page.get_by_role("button", name="Beschluss speichern").click()
    assert_accessible(page)
    expect(page.get_by_text("Der Beschluss wurde gespeichert.")).to_be_visible()
    row = page.get_by_role("row", name="Unterlagen für die Anerkennung einreichen")
    expect(row.get_by_text(due.strftime("%d.%m.%Y"))).to_be_visible()
    expect(row.get_by_text("Jobcenter Test")).to_be_visible()

    page.get_by_role("button", name="Phase 1 abschließen").click()
    assert_accessible(page)
    expect(page.get_by_text("Phase 1 ist abgeschlossen.")).to_be_visible()
    assert page.get_by_role("button", name="Beschluss speichern").count() == 0

    form = page.locator("form", has=page.get_by_role("button", name="Lückenmeldung senden"))
    form.get_by_label("Gemeinde").select_option(label="Ganzer Kreis")
    form.get_by_label("Lebensbereich").select_option(label="Sprache")
    form.get_by_label("Art der Lücke").select_option(label="Wartezeit")
    form.get_by_label("Titel").fill("Wartezeit auf Integrationskurse")
    form.get_by_label("Beschreibung").fill("Herr H., geb. 12.03.1990, wartet seit Monaten auf einen Kurs.")
    page.get_by_role("button", name="Lückenmeldung senden").click()
    assert_accessible(page)
    expect(page.get_by_text("Der Text enthält vermutlich personenbezogene Daten: Datum „12.03.1990“")).to_be_visible()
    assert GapReport.objects.count() == 0
    form = page.locator("form", has=page.get_by_role("button", name="Lückenmeldung senden"))
    form.get_by_label("Beschreibung").fill("Im Kreis fehlen Kursplätze; die Wartezeit liegt über acht Wochen.")
    page.get_by_role("button", name="Lückenmeldung senden").click()
    assert_accessible(page)
    expect(page.get_by_text("Die Lückenmeldung wurde an die Koordination gesendet.")).to_be_visible()
    expect(page.get_by_text("1 Lückenmeldung aus dieser Fallkonferenz geschrieben.")).to_be_visible()
    report = GapReport.objects.get()
    assert (report.title, report.municipality_id) == ("Wartezeit auf Integrationskurse", None)

    page.get_by_role("button", name="Fallkonferenz abschließen").click()
    assert_accessible(page)
    expect(page.get_by_text("Die Fallkonferenz wurde abgeschlossen.")).to_be_visible()
    expect(page.get_by_role("definition").filter(has_text="abgeschlossen").first).to_be_visible()

    page.goto(f"{live_server.url}/gaps/")
    assert_accessible(page)
    expect(page.get_by_text("Wartezeit auf Integrationskurse")).to_be_visible()
    page.get_by_role("link", name="Lückenmeldung schreiben").click()
    assert_accessible(page)
    page.goto(f"{live_server.url}/conferences/")
    assert_accessible(page)
    expect(page.get_by_text("Keine offene Fallkonferenz.")).to_be_visible()
