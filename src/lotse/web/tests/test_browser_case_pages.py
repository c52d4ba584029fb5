"""The case pages the end-to-end test does not walk through, as their users meet them: the
caseload (own cases and the team view, filtered), the coordinators' gap-report inbox, editing
an offer, and the small forms of the case page (note, document, task, phase, next contact,
reassignment by the team lead). axe-core runs on every page visited."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from lotse.cases.services import case_set_next_contact
from lotse.core.testing import open_case, register_person
from lotse.gaps.models import GapSource
from lotse.gaps.services import gap_report_create
from lotse.offers.services import OfferData, offer_create
from lotse.web.tests.browser import assert_accessible, enrol_totp, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = datetime.date.today()
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _de(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def _login_other(browser, live_server, user):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(8000)
    log_in(page, live_server.url, user, enrol_totp(user))
    assert_accessible(page)
    return context, page


def _goto(page, url):
    page.goto(url)
    assert_accessible(page)


def test_caseload_shows_my_cases_and_the_team_view_with_filters(live_server, live_world, page, browser):
    world = live_world
    nour = open_case(world, register_person(world, by="caritas", given_names="Nour", family_name="Haddad"),
                     focus_area="labour_market")
    open_case(world, register_person(world, by="caritas", given_names="Samir", family_name="Aziz", town="b"))
    open_case(world, register_person(world, by="caritas", given_names="Lina", family_name="Berger"),
              by="caritas_psych")
    case_set_next_contact(ctx=world.ctx("caritas"), case_id=nour.pk,
                          next_contact_on=TODAY + datetime.timedelta(days=3))

    # --- the case manager: own cases only, then filtered by focus area
    log_in(page, live_server.url, world.users["caritas"], enrol_totp(world.users["caritas"]))
    assert_accessible(page)
    page.get_by_role("link", name="Fälle öffnen").click()
    page.wait_for_url("**/cases/")
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Meine Fälle")).to_be_visible()
    expect(page.get_by_text("2 Fälle, sortiert nach dem, was zuerst Aufmerksamkeit braucht.")).to_be_visible()
    assert page.get_by_role("link", name="Das ganze Team zeigen").count() == 0  # no team permission
    assert page.get_by_role("row", name="Lina Berger").count() == 0  # a colleague's case
    rows = page.get_by_role("table", name="Fälle").get_by_role("row")
    assert rows.nth(1).get_by_role("link").inner_text() == "Nour Haddad"  # needs attention first
    nour_row = page.get_by_role("row", name="Nour Haddad")
    expect(nour_row.get_by_role("cell", name="Arbeitsmarktintegration")).to_be_visible()
    expect(nour_row.get_by_role("cell", name=_de(TODAY + datetime.timedelta(days=3))).first).to_be_visible()

    filters = page.get_by_role("form", name="Fälle filtern")
    filters.get_by_label("Schwerpunkt").select_option(label="Willkommensberatung")
    filters.get_by_role("button", name="Filtern").click()
    page.wait_for_url("**/cases/?*focus_area=welcome_counselling*")
    assert_accessible(page)
    expect(page.get_by_text("1 Fall, sortiert nach dem, was zuerst Aufmerksamkeit braucht.")).to_be_visible()
    samir_row = page.get_by_role("row", name="Samir Aziz")
    expect(samir_row.get_by_role("cell", name="Klärung und Aufnahme (Intake)")).to_be_visible()
    expect(samir_row.get_by_role("cell", name="B-Stadt")).to_be_visible()
    assert page.get_by_role("row", name="Nour Haddad").count() == 0
    filters = page.get_by_role("form", name="Fälle filtern")
    filters.get_by_label("Phase").select_option(label="Hilfeplanung")
    filters.get_by_role("button", name="Filtern").click()
    page.wait_for_url("**/cases/?*phase=planning*")
    assert_accessible(page)
    expect(page.get_by_text("Keine passenden Fälle. Einen Fall eröffnen Sie auf der Seite einer Person.")).to_be_visible()

    # --- the team lead: no own cases, the whole team, then one colleague's
    context, lead = _login_other(browser, live_server, world.users["teamlead"])
    _goto(lead, f"{live_server.url}/cases/")
    expect(lead.get_by_role("heading", name="Meine Fälle")).to_be_visible()
    expect(lead.get_by_text("0 Fälle, sortiert nach dem, was zuerst Aufmerksamkeit braucht.")).to_be_visible()
    lead.get_by_role("link", name="Das ganze Team zeigen").click()
    lead.wait_for_url("**/cases/?view=team")
    assert_accessible(lead)
    expect(lead.get_by_role("heading", name="Fälle des Teams")).to_be_visible()
    expect(lead.get_by_text("3 Fälle, sortiert nach dem, was zuerst Aufmerksamkeit braucht.")).to_be_visible()
    expect(lead.get_by_role("columnheader", name="Fallmanager/in")).to_be_visible()
    filters = lead.get_by_role("form", name="Fälle filtern")
    filters.get_by_label("Fallmanager/in").select_option(label="Caritas_Psych")
    filters.get_by_role("button", name="Filtern").click()
    lead.wait_for_url("**/cases/?view=team*case_manager=*")
    assert_accessible(lead)
    expect(lead.get_by_role("heading", name="Fälle des Teams")).to_be_visible()
    expect(lead.get_by_text("1 Fall, sortiert nach dem, was zuerst Aufmerksamkeit braucht.")).to_be_visible()
    lina_row = lead.get_by_role("row", name="Lina Berger")
    expect(lina_row.get_by_role("cell", name="Caritas_Psych")).to_be_visible()
    expect(lina_row.get_by_role("cell", name="Willkommensberatung")).to_be_visible()
    assert lead.get_by_role("row", name="Nour Haddad").count() == 0
    lead.get_by_role("link", name="Lina Berger").click()
    lead.wait_for_url("**/cases/*/")
    assert_accessible(lead)
    expect(lead.get_by_role("heading", name="Fall: Lina Berger")).to_be_visible()
    context.close()


def test_coordinator_reads_a_gap_report_in_the_inbox(live_server, live_world, page):
    world = live_world
    gap_report_create(ctx=world.ctx("caritas"), municipality_id=world.town_b.pk, life_area="language",
                      kind="missing_offer", title="Sprachkurs mit Kinderbetreuung fehlt",
                      description="Frauen mit kleinen Kindern finden keinen Kurs mit Betreuung.",
                      office_ids=[world.agencies["jobcentre"].pk], source=GapSource.CASE_WORK)
    coordinator = world.users["coordinator"]
    log_in(page, live_server.url, coordinator, enrol_totp(coordinator))
    assert_accessible(page)
    _goto(page, f"{live_server.url}/gaps/inbox/")
    expect(page.get_by_role("heading", name="Lückenmeldungen des Kreises")).to_be_visible()
    table = page.get_by_role("table", name="Lückenmeldungen des Kreises, neueste zuerst")
    row = table.get_by_role("row").filter(has_text="Sprachkurs mit Kinderbetreuung fehlt")
    expect(row.get_by_role("cell", name=_de(TODAY))).to_be_visible()
    expect(row.get_by_role("cell", name="Sprache", exact=True)).to_be_visible()
    expect(row.get_by_role("cell", name="Fehlendes Angebot")).to_be_visible()
    expect(row.get_by_role("cell", name="B-Stadt")).to_be_visible()
    expect(row.get_by_role("cell", name="Caritas Test")).to_be_visible()
    expect(row.get_by_role("cell", name="Neu", exact=True)).to_be_visible()
    row.get_by_text("Sprachkurs mit Kinderbetreuung fehlt").click()  # open the details
    expect(row.get_by_text("Frauen mit kleinen Kindern finden keinen Kurs mit Betreuung.")).to_be_visible()
    expect(row.get_by_text("Jobcenter Test")).to_be_visible()

    filters = page.get_by_role("form", name="Lückenmeldungen filtern")
    filters.get_by_label("Lebensbereich").select_option(label="Sprache")
    filters.get_by_label("Gemeinde").select_option(label="B-Stadt")
    filters.get_by_role("button", name="Filtern").click()
    page.wait_for_url("**/gaps/inbox/?*life_area=language*")
    assert_accessible(page)
    expect(page.get_by_role("row").filter(has_text="Sprachkurs mit Kinderbetreuung fehlt")).to_be_visible()
    filters = page.get_by_role("form", name="Lückenmeldungen filtern")
    filters.get_by_label("Gemeinde").select_option(label="A-Dorf")
    filters.get_by_role("button", name="Filtern").click()
    page.wait_for_url("**/gaps/inbox/?*municipality=*")
    assert_accessible(page)
    expect(page.get_by_text("Noch keine Lückenmeldungen.")).to_be_visible()


def test_coordinator_edits_an_offer_and_sees_the_change_in_the_list(live_server, live_world, page):
    world = live_world
    offer = offer_create(ctx=world.ctx("coordinator"), data=OfferData(
        name="Sprachcafé", life_area="language", provider_agency_id=world.agencies["caritas"].pk,
        languages=["de", "ar"], municipality_ids=[world.town_a.pk]))
    coordinator = world.users["coordinator"]
    log_in(page, live_server.url, coordinator, enrol_totp(coordinator))
    assert_accessible(page)
    _goto(page, f"{live_server.url}/offers/")
    expect(page.get_by_role("heading", name="Angebotsübersicht")).to_be_visible()
    page.get_by_role("link", name="Sprachcafé").click()
    page.wait_for_url(f"**/offers/{offer.pk}/")
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Angebot bearbeiten: Sprachcafé")).to_be_visible()
    assert page.get_by_label("Name", exact=True).input_value() == "Sprachcafé"
    assert page.get_by_label("A-Dorf").is_checked()
    page.get_by_label("Name", exact=True).fill("Sprachcafé am Abend")
    page.get_by_label("Beschreibung").fill("Dienstags ab 18 Uhr, mit Kinderbetreuung.")
    page.get_by_label("B-Stadt").check()
    page.get_by_role("button", name="Angebot speichern").click()
    page.wait_for_url("**/offers/")
    assert_accessible(page)
    expect(page.get_by_text("Das Angebot „Sprachcafé am Abend“ wurde gespeichert.")).to_be_visible()
    row = page.get_by_role("row", name="Sprachcafé am Abend")
    expect(row.get_by_role("link", name="Sprachcafé am Abend")).to_be_visible()
    expect(row.get_by_text("Dienstags ab 18 Uhr, mit Kinderbetreuung.")).to_be_visible()
    expect(row.get_by_role("cell", name="A-Dorf, B-Stadt")).to_be_visible()
    assert page.get_by_role("link", name="Sprachcafé", exact=True).count() == 0


def test_case_page_note_document_task_phase_and_next_contact(live_server, live_world, page):
    world = live_world
    case = open_case(world, register_person(world, by="caritas", given_names="Karim", family_name="Mansour"))
    user = world.users["caritas"]
    log_in(page, live_server.url, user, enrol_totp(user))
    assert_accessible(page)
    expect(page.get_by_text("Nichts fällig.")).to_be_visible()
    case_url = f"{live_server.url}/cases/{case.pk}/"
    _goto(page, case_url)
    expect(page.get_by_text("Noch keine Vermerke.")).to_be_visible()
    expect(page.get_by_text("Noch keine Dokumente.")).to_be_visible()
    expect(page.get_by_text("Noch keine Aufgaben.")).to_be_visible()

    # --- a note
    form = page.get_by_role("form", name="Vermerk hinzufügen")
    form.get_by_label("Kategorie").select_option(label="Beratung")
    form.get_by_label("Vermerk").fill("Möchte im Herbst den B1-Kurs beginnen.")
    form.get_by_role("button", name="Vermerk speichern").click()
    page.wait_for_url(case_url)
    assert_accessible(page)
    expect(page.get_by_text("Der Vermerk wurde gespeichert.")).to_be_visible()
    notes = page.get_by_role("region", name="Fallvermerke")
    expect(notes.get_by_text("Möchte im Herbst den B1-Kurs beginnen.")).to_be_visible()
    expect(notes.locator("article").get_by_text("Beratung")).to_be_visible()

    # --- a document (PDF), then listed with its kind
    form = page.get_by_role("form", name="Dokument hochladen")
    form.get_by_label("Titel").fill("Abschlusszeugnis Aleppo")
    form.get_by_label("Art des Dokuments").select_option(label="Zeugnis oder Abschluss")
    form.get_by_label("Kategorie").select_option(label="Allgemein")
    form.get_by_label("Datei (PDF, PNG oder JPEG)").set_input_files(
        files=[{"name": "zeugnis.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    form.get_by_role("button", name="Hochladen").click()
    page.wait_for_url(case_url)
    assert_accessible(page)
    expect(page.get_by_text("Das Dokument wurde hochgeladen.")).to_be_visible()
    documents = page.get_by_role("region", name="Dokumente")
    expect(documents.get_by_role("link", name="Abschlusszeugnis Aleppo")).to_be_visible()
    expect(documents.get_by_role("listitem").filter(has_text="Zeugnis oder Abschluss")).to_be_visible()

    # --- a task due today: on the start page until it is ticked done
    form = page.get_by_role("form", name="Aufgabe anlegen")
    form.get_by_label("Aufgabe", exact=True).fill("Begleitung zur Ausländerbehörde")
    form.get_by_label("Art", exact=True).select_option(label="Begleitung zu einem Termin")
    form.get_by_label("Fällig am").fill(TODAY.isoformat())
    form.get_by_role("button", name="Aufgabe anlegen").click()
    page.wait_for_url(case_url)
    assert_accessible(page)
    expect(page.get_by_text("Die Aufgabe wurde angelegt.")).to_be_visible()
    tasks = page.get_by_role("region", name="Aufgaben und Wiedervorlagen")
    expect(tasks.get_by_text("Begleitung zu einem Termin: Begleitung zur Ausländerbehörde")).to_be_visible()
    _goto(page, f"{live_server.url}/")
    due = page.get_by_role("region", name="Fällig in den nächsten zwei Wochen")
    item = due.get_by_role("listitem").filter(has_text="Begleitung zur Ausländerbehörde")
    expect(item).to_be_visible()
    expect(item.get_by_role("link", name="Karim Mansour")).to_be_visible()
    expect(item.get_by_text(_de(TODAY))).to_be_visible()
    item.get_by_role("link", name="Karim Mansour").click()
    page.wait_for_url(case_url)
    assert_accessible(page)
    tasks = page.get_by_role("region", name="Aufgaben und Wiedervorlagen")
    # The button's name carries the task's title for screen readers ("Erledigt: …").
    tasks.get_by_role("button", name=re.compile(r"^Erledigt\s?: Begleitung zur Ausländerbehörde$")).click()
    page.wait_for_url(case_url)
    assert_accessible(page)
    expect(page.get_by_text("Die Aufgabe ist erledigt.")).to_be_visible()
    tasks = page.get_by_role("region", name="Aufgaben und Wiedervorlagen")
    expect(tasks.get_by_text(f"erledigt am {_de(TODAY)}")).to_be_visible()
    assert tasks.get_by_role("button", name="Erledigt").count() == 0
    _goto(page, f"{live_server.url}/")
    assert page.get_by_text("Begleitung zur Ausländerbehörde").count() == 0
    expect(page.get_by_text("Nichts fällig.")).to_be_visible()

    # --- the phase
    _goto(page, case_url)
    assert page.locator("[aria-current=step]").inner_text().startswith("Klärung und Aufnahme")
    form = page.get_by_role("form", name="Phase ändern")
    form.get_by_label("Phase").select_option(label="Hilfeplanung")
    form.get_by_role("button", name="Phase ändern").click()
    page.wait_for_url(case_url)
    assert_accessible(page)
    expect(page.get_by_text("Die Phase wurde geändert.")).to_be_visible()
    assert page.locator("[aria-current=step]").inner_text().startswith("Hilfeplanung")

    # --- the next contact, then on the start page
    next_contact = TODAY + datetime.timedelta(days=5)
    form = page.get_by_role("form", name="Nächster Kontakt")
    form.get_by_label("Nächster Kontakt").fill(next_contact.isoformat())
    form.get_by_role("button", name="Nächsten Kontakt speichern").click()
    page.wait_for_url(case_url)
    assert_accessible(page)
    expect(page.get_by_text("Der nächste Kontakt wurde gespeichert.")).to_be_visible()
    facts = page.get_by_role("region", name="Phase", exact=True)
    expect(facts.locator(".kern-description-list-item", has_text="Nächster Kontakt") \
        .get_by_text(_de(next_contact))).to_be_visible()
    _goto(page, f"{live_server.url}/")
    item = page.get_by_role("region", name="Fällig in den nächsten zwei Wochen") \
        .get_by_role("listitem").filter(has_text="Karim Mansour")
    expect(item.get_by_text("Nächster Kontakt")).to_be_visible()
    expect(item.get_by_text(_de(next_contact))).to_be_visible()


def test_team_lead_reassigns_a_case_on_the_case_page(live_server, live_world, page):
    world = live_world
    case = open_case(world, register_person(world, by="caritas", given_names="Nour", family_name="Haddad"))
    lead = world.users["teamlead"]
    log_in(page, live_server.url, lead, enrol_totp(lead))
    assert_accessible(page)
    case_url = f"{live_server.url}/cases/{case.pk}/"
    _goto(page, case_url)
    expect(page.get_by_role("heading", name="Fall: Nour Haddad")).to_be_visible()
    facts = page.get_by_role("region", name="Phase", exact=True)
    expect(facts.locator(".kern-description-list-item", has_text="Fallmanager/in") \
        .get_by_text("Caritas", exact=True)).to_be_visible()
    form = page.get_by_role("form", name="Zuweisen")
    form.get_by_label("Fallmanager/in").select_option(label="Caritas_Psych")
    form.get_by_role("button", name="Zuweisen").click()
    page.wait_for_url(case_url)
    assert_accessible(page)
    expect(page.get_by_text("Der Fall wurde zugewiesen.")).to_be_visible()
    expect(facts.locator(".kern-description-list-item", has_text="Fallmanager/in") \
        .get_by_text("Caritas_Psych", exact=True)).to_be_visible()
    _goto(page, f"{live_server.url}/cases/?view=team")
    expect(page.get_by_role("row", name="Nour Haddad").get_by_role("cell", name="Caritas_Psych")).to_be_visible()
