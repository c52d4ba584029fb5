"""Browser tests: the staff UI as caseworkers meet it, with axe-core on every page."""

import datetime

import pytest
from playwright.sync_api import expect

from lotse.consent.services import consent_record
from lotse.core.testing import add_benefits, add_residence, register_person
from lotse.web.tests.browser import assert_accessible, current_code, enrol_totp, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_social_office_finds_a_person_by_another_spelling_and_records_consent(live_server, live_world, page):
    world = live_world
    pid = register_person(world, by="caritas", given_names="Mohammed", family_name="Al-Hassan",
                          birth_year=1988, town="a")
    add_residence(world, pid)
    device = enrol_totp(world.users["social_a"])
    log_in(page, live_server.url, world.users["social_a"], device)
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Person finden")).to_be_visible()

    page.get_by_role("link", name="Person finden").first.click()
    assert_accessible(page)
    page.get_by_label("Name").fill("Muhammad Alhasan")
    page.get_by_role("button", name="Suchen").click()
    assert_accessible(page)
    page.get_by_role("link", name="Mohammed Al-Hassan").click()

    assert_accessible(page)
    expect(page.get_by_role("heading", name="Aufenthaltsstatus")).to_be_visible()
    expect(page.get_by_text("Flüchtlingseigenschaft")).to_be_visible()
    expect(page.get_by_text("sichtbar aufgrund der Regel").first).to_be_visible()
    # Contact data belongs to the welfare association: hidden, with the reason and a hint.
    assert page.get_by_role("heading", name="Kontakt und Anschrift").count() == 0
    expect(page.get_by_text("keine Einwilligung").first).to_be_visible()

    page.get_by_role("link", name="Einwilligung erfassen").first.click()
    assert_accessible(page)
    page.get_by_label("Identität").check()
    page.get_by_label("Kontakt und Anschrift").check()
    page.get_by_label("Von (Stelle, die die Daten hat)").select_option(label="Caritas Test")
    page.get_by_label("An (Stelle, die die Daten erhält)").select_option(label="Sozialamt A-Dorf")
    page.get_by_label("Zweck").select_option(value="benefits_administration")
    page.get_by_label("Sprache, in der die Person informiert wurde").select_option(value="ar")
    page.get_by_role("button", name="Einwilligung speichern").click()
    assert_accessible(page)
    expect(page.get_by_text("wurde erfasst")).to_be_visible()
    expect(page.get_by_role("heading", name="Kontakt und Anschrift")).to_be_visible()


def test_job_centre_sees_nothing_without_consent_and_exactly_the_consent_with_it(live_server, live_world, page):
    world = live_world
    pid = register_person(world, given_names="Olena", family_name="Kovalenko", email="o@example.org")
    add_benefits(world, pid)
    device = enrol_totp(world.users["jobcentre"])
    log_in(page, live_server.url, world.users["jobcentre"], device)
    page.goto(f"{live_server.url}/persons/")
    page.locator("#id_name").fill("Olena Kovalenko")
    page.get_by_role("button", name="Suchen").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert page.url == f"{live_server.url}/persons/"  # the name stays out of the address
    expect(page.get_by_text("Keine Person gefunden")).to_be_visible()
    response = page.goto(f"{live_server.url}/persons/{pid}/")
    assert response.status == 404

    consent_record(ctx=world.ctx("social_a"), person_id=pid, categories=["identity", "benefits"],
                   purpose="benefits_administration", to_agency_id=world.agencies["jobcentre"].pk,
                   from_agency_id=world.agencies["social_a"].pk, given_on=datetime.date.today(),
                   valid_until=None, method="signed_form", informed_language="uk")
    page.goto(f"{live_server.url}/persons/{pid}/")
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Leistungen")).to_be_visible()
    assert page.get_by_text("o@example.org").count() == 0
    expect(page.get_by_text("sichtbar aufgrund der Einwilligung").first).to_be_visible()


def test_registering_a_person_shows_possible_duplicates_first(live_server, live_world, page):
    world = live_world
    register_person(world, given_names="Yusuf", family_name="Demir", birth_year=1979)
    device = enrol_totp(world.users["social_a"])
    log_in(page, live_server.url, world.users["social_a"], device)
    page.get_by_role("link", name="Person erfassen").first.click()
    assert_accessible(page)
    page.get_by_label("Vornamen", exact=True).fill("Youssef")
    page.get_by_label("Familienname", exact=True).fill("Demir")
    page.get_by_label("Geburtsdatum").fill("1979")
    page.get_by_role("button", name="Erfassen").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Mögliche Dubletten")).to_be_visible()
    expect(page.get_by_role("link", name="Yusuf Demir")).to_be_visible()
    page.get_by_label("Keiner der angezeigten Datensätze").check()
    page.get_by_role("button", name="Erfassen").click()
    expect(page.get_by_text("Die Person wurde erfasst.")).to_be_visible()
    assert_accessible(page)


def test_dpo_verifies_the_log_and_exports_a_persons_access_history(live_server, live_world, page):
    from django.conf import settings

    from lotse.audit.checkpoints import generate_keypair, sign_head

    world = live_world
    pid = register_person(world)
    if not settings.LOTSE_AUDIT_KEY_FILE.exists():
        generate_keypair(settings.LOTSE_AUDIT_KEY_FILE, settings.LOTSE_AUDIT_PUBLIC_KEY_FILE)
    sign_head()
    device = enrol_totp(world.users["dpo"])
    log_in(page, live_server.url, world.users["dpo"], device)
    page.get_by_role("link", name="Zugriffsprotokoll").first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Gesamte Kette prüfen").click()
    page.wait_for_selector("text=Das Zugriffsprotokoll ist intakt")
    assert_accessible(page)
    page.goto(f"{live_server.url}/persons/{pid}/access-history/")
    assert_accessible(page)
    expect(page.get_by_text("Sozialamt A-Dorf").first).to_be_visible()


def test_administrator_manages_users_and_agencies(live_server, live_world, page):
    world = live_world
    device = enrol_totp(world.users["admin"])
    log_in(page, live_server.url, world.users["admin"], device)
    page.get_by_role("link", name="Benutzer").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Neuer Benutzer").click()
    assert_accessible(page)
    page.get_by_label("Benutzername").fill("neu.kollegin")
    page.get_by_label("Stelle").select_option(label="Jobcenter Test")
    page.get_by_label("Sachbearbeiter/in Jobcenter").check()
    page.get_by_label("Erstes Passwort").fill("ein-langes-passwort-2026")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("link", name="neu.kollegin")).to_be_visible()
    page.goto(f"{live_server.url}/admin/agencies/")
    assert_accessible(page)
    page.get_by_role("link", name="Jobcenter Test").click()
    assert_accessible(page)


def test_first_login_enrols_the_second_factor(live_server, live_world, page):
    from lotse.organisations.models import StaffTOTPDevice
    from lotse.organisations.services import enrolment_code_issue

    world = live_world
    user = world.users["caritas"]
    code = enrolment_code_issue(user=user)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Benutzername").fill(user.username)
    page.get_by_label("Passwort").fill("test-password-123")
    page.get_by_role("button", name="Weiter").click()
    page.wait_for_url("**/login/otp/setup/")
    assert_accessible(page)
    device = StaffTOTPDevice.objects.get(user=user)
    page.get_by_label("Sechsstelliger Code").fill(current_code(device))
    page.get_by_label("Einrichtungscode").fill("WRONG-CODE-0000")
    page.get_by_role("button", name="Bestätigen").click()
    expect(page.get_by_text("Der Einrichtungscode ist falsch oder abgelaufen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Sechsstelliger Code").fill(current_code(device))
    page.get_by_label("Einrichtungscode").fill(code.lower())
    page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_text("Ihr zweiter Faktor ist eingerichtet.")).to_be_visible()


def test_team_lead_checks_duplicates_merges_and_uses_emergency_access(live_server, live_world, page):
    world = live_world
    keep = register_person(world, by="caritas", given_names="Mohammed", family_name="Al-Hassan",
                           birth_year=1988)
    register_person(world, by="caritas", given_names="Muhammad", family_name="Alhasan", birth_year=1988)
    other = register_person(world, by="social_a", given_names="Oksana", family_name="Bondarenko")
    device = enrol_totp(world.users["teamlead"])
    log_in(page, live_server.url, world.users["teamlead"], device)
    page.goto(f"{live_server.url}/help/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/persons/{keep}/")
    page.get_by_role("link", name="Auf Dubletten prüfen und zusammenführen").click()
    assert_accessible(page)
    page.get_by_label("Muhammad Alhasan").check()
    page.get_by_role("button", name="Zusammenführen").click()
    expect(page.get_by_text("Muhammad Alhasan").first).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/persons/{other}/emergency-access/")
    assert_accessible(page)
    page.get_by_label("Identität").check()
    page.get_by_label("Begründung").fill("kurz")
    page.get_by_role("button", name="Notfallzugriff gewähren").click()
    page.locator(".kern-error").first.wait_for(state="visible")  # the reason is too short
    page.get_by_label("Identität").check()
    page.get_by_label("Begründung").fill("Person in akuter Krise am Schalter, Akte sofort nötig")
    page.get_by_role("button", name="Notfallzugriff gewähren").click()
    expect(page.get_by_role("heading", name="Oksana Bondarenko")).to_be_visible()
    expect(page.get_by_text("sichtbar aufgrund des Notfallzugriffs").first).to_be_visible()
    assert_accessible(page)


def test_abh_records_a_residence_status(live_server, live_world, page):
    world = live_world
    pid = register_person(world, by="social_a", given_names="Ahmad", family_name="Rahimi")
    add_residence(world, pid, code="gestattung")
    device = enrol_totp(world.users["abh"])
    log_in(page, live_server.url, world.users["abh"], device)
    page.goto(f"{live_server.url}/persons/{pid}/")
    assert_accessible(page)
    page.get_by_label("Status", exact=True).select_option(label="Subsidiärer Schutz (§ 25 Abs. 2 S. 1 Alt. 2 AufenthG)")
    page.get_by_label("Dokument").select_option(value="fiktion")
    page.get_by_label("Gültig ab").fill("2026-01-15")
    page.get_by_role("button", name="Status speichern").click()
    expect(page.get_by_text("Der Aufenthaltsstatus wurde erfasst.")).to_be_visible()
    expect(page.get_by_role("cell", name="Subsidiärer Schutz (§ 25 Abs. 2 S. 1 Alt. 2 AufenthG)")).to_be_visible()
    assert_accessible(page)


def test_administrator_edits_a_role(live_server, live_world, page):
    world = live_world
    device = enrol_totp(world.users["admin"])
    log_in(page, live_server.url, world.users["admin"], device)
    page.get_by_role("link", name="Rollen").first.click()
    assert_accessible(page)
    assert page.get_by_role("link", name="Sachbearbeiter/in Jobcenter").count() == 0  # reference
    page.get_by_role("button", name="Für unseren Kreis kopieren Sachbearbeiter/in Jobcenter").click()
    assert_accessible(page)
    page.get_by_label("Qualifikationen").uncheck()
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Die Rolle wurde gespeichert")).to_be_visible()
    from lotse.organisations.models import Role

    copy = Role.objects.get(district=world.district, code__startswith="jobcentre_caseworker")
    assert "qualifications" not in copy.categories
    assert "qualifications" in Role.objects.get(code="jobcentre_caseworker", district=None).categories


def test_social_office_records_benefits_and_household(live_server, live_world, page):
    world = live_world
    head = register_person(world, given_names="Khaled", family_name="Al-Khalil")
    child = register_person(world, given_names="Lina", family_name="Al-Khalil", birth_year=2018)
    device = enrol_totp(world.users["social_a"])
    log_in(page, live_server.url, world.users["social_a"], device)
    page.goto(f"{live_server.url}/persons/{child}/")
    assert_accessible(page)
    page.get_by_label("Rolle im Haushalt").select_option(value="child")
    page.get_by_label("Tritt dem Haushalt von Person Nr.").fill(str(head))
    page.get_by_role("button", name="Haushalt speichern").click()
    expect(page.get_by_text("Der Haushalt wurde gespeichert.")).to_be_visible()
    expect(page.get_by_text("als Kind")).to_be_visible()
    page.get_by_label("Rechtskreis", exact=True).select_option(value="asylblg")
    page.get_by_label("Von", exact=True).fill("2026-01-01")
    page.get_by_role("button", name="Rechtskreis speichern").click()
    expect(page.get_by_text("Der Rechtskreis wurde erfasst.")).to_be_visible()
    expect(page.get_by_role("cell", name="Sozialamt A-Dorf")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Rechtskreis", exact=True).select_option(value="sgb2")
    page.get_by_label("Von", exact=True).fill("2026-02-01")
    page.get_by_role("button", name="Rechtskreis speichern").click()
    expect(page.get_by_text("nicht zuständig")).to_be_visible()
