"""Browser test: a case manager of a welfare association refers a person to the job centre,
learns that consent is missing, records it through the prefilled consent form and sends; the
job centre accepts and reports back; the case manager sees the outcome. axe-core on every page."""

import pytest
from playwright.sync_api import expect

from lotse.core.testing import open_case, register_person
from lotse.web.tests.browser import assert_accessible, enrol_totp, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_case_manager_refers_to_the_job_centre_which_accepts_and_reports_back(live_server, live_world, page,
                                                                              browser):
    world = live_world
    case = open_case(world, register_person(world, by="social_a", given_names="Samira", family_name="Nouri",
                                            email="samira.nouri@example.org"))
    device = enrol_totp(world.users["caritas"])
    log_in(page, live_server.url, world.users["caritas"], device)
    assert_accessible(page)  # the start page
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert_accessible(page)
    expect(page.get_by_text("Aus diesem Fall wurde noch nicht vermittelt.")).to_be_visible()

    page.get_by_role("link", name="Weitervermitteln").click()
    assert_accessible(page)
    page.get_by_role("combobox", name="Aufnehmende Stelle").select_option(label="Jobcenter Test")
    page.get_by_label("Kontakt und Anschrift").check()
    page.get_by_label("Nachricht an die aufnehmende Stelle").fill("Elektriker, sucht Arbeit; B1 vorhanden.")
    page.get_by_role("button", name="Vermittlung senden").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Einwilligung fehlt")).to_be_visible()
    expect(page.get_by_text("Keine gültige Einwilligung der Person umfasst diese Kategorien")).to_be_visible()

    page.get_by_role("link", name="Einwilligung erfassen").click()
    assert_accessible(page)
    # Prefilled from the referral: categories, from, to and purpose.
    assert page.get_by_label("Identität").is_checked()
    assert page.get_by_label("Kontakt und Anschrift").is_checked()
    assert page.get_by_label("Von (Stelle, die die Daten hat)").input_value() == str(world.agencies["caritas"].pk)
    assert page.get_by_label("An (Stelle, die die Daten erhält)").input_value() == str(
        world.agencies["jobcentre"].pk)
    assert page.get_by_label("Zweck").input_value() == "benefits_administration"
    page.get_by_label("Sprache, in der die Person informiert wurde").select_option(value="ar")
    page.get_by_role("button", name="Einwilligung speichern").click()

    page.wait_for_url(f"**/cases/{case.pk}/referrals/new/**")
    assert_accessible(page)
    expect(page.get_by_text("wurde erfasst")).to_be_visible()
    expect(page.get_by_text("Alle Kategorien sind abgedeckt")).to_be_visible()
    assert page.get_by_label("Nachricht an die aufnehmende Stelle").input_value() == (
        "Elektriker, sucht Arbeit; B1 vorhanden.")
    page.get_by_role("button", name="Vermittlung senden").click()
    page.wait_for_url(f"{live_server.url}/cases/{case.pk}/")
    assert_accessible(page)
    expect(page.get_by_text("Die Vermittlung wurde an Jobcenter Test gesendet.")).to_be_visible()
    expect(page.get_by_role("cell", name="gesendet")).to_be_visible()

    # The job centre, in its own browser session.
    context = browser.new_context()
    job = context.new_page()
    job.set_default_timeout(8000)
    job_device = enrol_totp(world.users["jobcentre"])
    log_in(job, live_server.url, world.users["jobcentre"], job_device)
    assert_accessible(job)
    job.goto(f"{live_server.url}/referrals/")
    assert_accessible(job)
    expect(job.get_by_role("heading", name="Eingang")).to_be_visible()
    job.get_by_role("link", name="Samira Nouri").click()
    assert_accessible(job)
    expect(job.get_by_text("samira.nouri@example.org")).to_be_visible()
    expect(job.get_by_text("Elektriker, sucht Arbeit")).to_be_visible()
    expect(job.get_by_text("sichtbar aufgrund der Einwilligung").first).to_be_visible()
    job.get_by_role("button", name="Vermittlung annehmen").click()
    assert_accessible(job)
    expect(job.get_by_text("Die Vermittlung wurde angenommen")).to_be_visible()
    job.get_by_role("button", name="Als erledigt markieren").click()  # without feedback
    assert_accessible(job)
    expect(job.get_by_role("alert").first).to_be_visible()
    job.get_by_label("Rückmeldung an die vermittelnde Stelle").fill("Vermittlung in Arbeit läuft, Termin am Montag.")
    job.get_by_role("button", name="Als erledigt markieren").click()
    assert_accessible(job)
    expect(job.get_by_text("Die Vermittlung wurde als erledigt markiert.")).to_be_visible()
    context.close()

    page.goto(f"{live_server.url}/referrals/sent/")
    assert_accessible(page)
    expect(page.get_by_role("cell", name="erledigt")).to_be_visible()
    page.get_by_role("link", name="Samira Nouri").click()
    assert_accessible(page)
    expect(page.get_by_text("Vermittlung in Arbeit läuft, Termin am Montag.")).to_be_visible()


def test_coordinator_adds_an_offer_that_case_managers_find_by_language(live_server, live_world, page):
    world = live_world
    device = enrol_totp(world.users["coordinator"])
    log_in(page, live_server.url, world.users["coordinator"], device)
    assert_accessible(page)
    page.goto(f"{live_server.url}/offers/")
    assert_accessible(page)
    page.get_by_role("link", name="Neues Angebot").click()
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Sprachcafé Ukrainisch")
    page.get_by_label("Lebensbereich").select_option(value="language")
    page.get_by_label("oder Anbieter außerhalb von Lotse").fill("Stadtbibliothek Teststadt")
    page.get_by_label("Українська").check()
    page.get_by_role("button", name="Angebot speichern").click()
    assert_accessible(page)
    expect(page.get_by_text("Das Angebot „Sprachcafé Ukrainisch“ wurde gespeichert.")).to_be_visible()

    page.get_by_label("Sprache").select_option(value="ar")
    page.get_by_role("button", name="Filtern").click()
    assert_accessible(page)
    expect(page.get_by_text("Kein Angebot entspricht dem Filter.")).to_be_visible()
    page.get_by_label("Sprache").select_option(value="uk")
    page.get_by_role("button", name="Filtern").click()
    assert_accessible(page)
    expect(page.get_by_role("link", name="Sprachcafé Ukrainisch")).to_be_visible()
    expect(page.get_by_text("nicht in Lotse: direkt kontaktieren")).to_be_visible()
