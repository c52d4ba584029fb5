"""The whole case management as a case manager of a welfare association meets it, in one
browser session per agency: open a case → intake → plan from a template → referral to the
job centre with consent → the job centre accepts and completes → case conference with one
decision and one gap report → closure. axe-core runs on every page."""

import datetime

import pytest
from playwright.sync_api import expect

from lotse.core.testing import register_person
from lotse.gaps.models import GapReport
from lotse.web.tests.browser import assert_accessible, enrol_totp, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login_other(browser, live_server, user):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(8000)
    log_in(page, live_server.url, user, enrol_totp(user))
    assert_accessible(page)
    return context, page


def test_case_management_from_intake_to_closure(live_server, live_world, page, browser):
    world = live_world
    today = datetime.date.today()
    pid = register_person(world, by="caritas", given_names="Karim", family_name="Mansour",
                          preferred_language="ar", email="karim.mansour@example.org")
    log_in(page, live_server.url, world.users["caritas"], enrol_totp(world.users["caritas"]))
    assert_accessible(page)

    # --- open the case from the person page
    page.goto(f"{live_server.url}/persons/{pid}/")
    assert_accessible(page)
    page.get_by_role("link", name="Fall eröffnen").click()
    assert_accessible(page)
    page.get_by_label("Schwerpunkt").select_option(label="Arbeitsmarktintegration")
    page.get_by_label("Nächster Kontakt").fill((today + datetime.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Fall eröffnen").click()
    page.wait_for_url("**/cases/*/")
    assert_accessible(page)
    expect(page.get_by_text("Der Fall wurde eröffnet.")).to_be_visible()
    expect(page.get_by_role("heading", name="Fall: Karim Mansour")).to_be_visible()
    assert page.locator("[aria-current=step]").inner_text().startswith("Klärung")
    case_url = page.url

    # --- intake interview
    page.get_by_role("link", name="Erstgespräch führen").click()
    assert_accessible(page)
    page.get_by_label("Sprache 1", exact=True).select_option(label="Deutsch")
    page.get_by_label("Niveau der Sprache 1", exact=True).select_option("A1")
    first = page.get_by_role("group", name="Abschluss 1")
    first.get_by_label("Art").select_option("vocational")
    first.get_by_label("Bezeichnung").fill("Elektriker")
    first.get_by_label("Land").fill("Syrien")
    first.get_by_label("Stand der Anerkennung").select_option("not_started")
    page.get_by_label("Was möchte die Person erreichen?").fill("Deutsch lernen und als Elektriker arbeiten")
    page.get_by_role("group", name="Unterstützungsbedarf nach Lebensbereich").get_by_label(
        "Sprache", exact=True).check()
    page.get_by_role("group", name="Wie gut arbeiten die Stellen aus Ihrer Sicht zusammen?") \
        .get_by_label("Teils, teils").check()
    page.get_by_role("button", name="Erstgespräch speichern").click()
    page.wait_for_url("**/intakes/*/")
    assert_accessible(page)
    expect(page.get_by_text("Deutsch: A1")).to_be_visible()
    page.goto(case_url)
    assert_accessible(page)
    assert page.locator("[aria-current=step]").inner_text().startswith("Einschätzung")

    # --- integration plan from the template "integration course within 8 weeks"
    page.get_by_role("link", name="Integrationsplan erstellen").click()
    assert_accessible(page)
    page.get_by_label("Planvorlage", exact=True).select_option("integration-course")
    page.get_by_label("Datum, ab dem die Fristen zählen").fill(today.isoformat())
    page.get_by_role("button", name="Vorlage anwenden").click()
    assert_accessible(page)
    course_start = (today + datetime.timedelta(weeks=8)).strftime("%d.%m.%Y")
    expect(page.get_by_role("row", name="Beginn des Integrationskurses").get_by_text(course_start)).to_be_visible()
    page.goto(case_url)
    assert_accessible(page)
    expect(page.get_by_text("0 von 3 Schritten erledigt", exact=True)).to_be_visible()

    # --- referral to the job centre: consent missing → record it → send
    page.get_by_role("link", name="Weitervermitteln").click()
    assert_accessible(page)
    page.get_by_role("combobox", name="Aufnehmende Stelle").select_option(label="Jobcenter Test")
    page.get_by_label("Kontakt und Anschrift").check()
    page.get_by_label("Nachricht an die aufnehmende Stelle").fill("Sucht Arbeit als Elektriker.")
    page.get_by_role("button", name="Vermittlung senden").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Einwilligung fehlt")).to_be_visible()
    page.get_by_role("link", name="Einwilligung erfassen").click()
    assert_accessible(page)
    page.get_by_label("Sprache, in der die Person informiert wurde").select_option(value="ar")
    page.get_by_role("button", name="Einwilligung speichern").click()
    page.wait_for_url("**/referrals/new/**")
    assert_accessible(page)
    page.get_by_role("button", name="Vermittlung senden").click()
    page.wait_for_url(case_url)
    assert_accessible(page)
    expect(page.get_by_text("Die Vermittlung wurde an Jobcenter Test gesendet.")).to_be_visible()
    assert page.locator("[aria-current=step]").inner_text().startswith("Vermittlung")

    # --- the job centre accepts and completes it
    context, job = _login_other(browser, live_server, world.users["jobcentre"])
    job.goto(f"{live_server.url}/referrals/")
    assert_accessible(job)
    job.get_by_role("link", name="Karim Mansour").click()
    assert_accessible(job)
    expect(job.get_by_text("karim.mansour@example.org")).to_be_visible()
    job.get_by_role("button", name="Vermittlung annehmen").click()
    assert_accessible(job)
    job.get_by_label("Rückmeldung an die vermittelnde Stelle").fill("Beratungstermin vereinbart.")
    job.get_by_role("button", name="Als erledigt markieren").click()
    assert_accessible(job)
    expect(job.get_by_text("Die Vermittlung wurde als erledigt markiert.")).to_be_visible()
    context.close()
    page.goto(case_url)
    assert_accessible(page)
    expect(page.get_by_role("cell", name="erledigt").first).to_be_visible()

    # --- case conference with the job centre: one decision, one gap report
    page.get_by_role("link", name="Fallkonferenz planen").click()
    assert_accessible(page)
    page.get_by_label("Thema").fill("Sprachkurs und Arbeitssuche")
    page.get_by_label("Jobcenter Test").check()
    page.get_by_role("button", name="Fallkonferenz planen").click()
    assert_accessible(page)
    page.get_by_label("Beschluss oder Maßnahme", exact=True).fill("Kursplatz beim Träger anfragen")
    page.get_by_label("Verantwortliche Stelle").select_option(label="Jobcenter Test")
    page.get_by_label("Fällig am").fill((today + datetime.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Beschluss speichern").click()
    assert_accessible(page)
    expect(page.get_by_role("row", name="Kursplatz beim Träger anfragen")).to_be_visible()
    page.get_by_role("button", name="Phase 1 abschließen").click()
    assert_accessible(page)
    form = page.locator("form", has=page.get_by_role("button", name="Lückenmeldung senden"))
    form.get_by_label("Gemeinde").select_option(label="Ganzer Kreis")
    form.get_by_label("Lebensbereich").select_option(label="Sprache")
    form.get_by_label("Art der Lücke").select_option(label="Wartezeit")
    form.get_by_label("Titel").fill("Zu wenige Integrationskursplätze")
    form.get_by_label("Beschreibung").fill("Kurse mit Kinderbetreuung fehlen; Wartezeit über acht Wochen.")
    page.get_by_role("button", name="Lückenmeldung senden").click()
    assert_accessible(page)
    expect(page.get_by_text("Die Lückenmeldung wurde an die Koordination gesendet.")).to_be_visible()
    page.get_by_role("button", name="Fallkonferenz abschließen").click()
    assert_accessible(page)
    report = GapReport.objects.get()
    assert "Mansour" not in report.title + report.description

    # --- closure
    page.goto(case_url)
    assert_accessible(page)
    page.get_by_role("link", name="Fall abschließen").click()
    assert_accessible(page)
    page.get_by_label("Grund des Abschlusses").select_option(label="An eine andere Stelle übergeben")
    page.get_by_label("Ergebnis").select_option(label="Ziele teilweise erreicht")
    page.get_by_role("button", name="Fall abschließen").click()
    page.wait_for_url(case_url)
    assert_accessible(page)
    expect(page.get_by_text("Der Fall wurde abgeschlossen.")).to_be_visible()
    assert page.locator("[aria-current=step]").inner_text().startswith("Abgeschlossen")
    assert page.get_by_role("button", name="Vermerk speichern").count() == 0
