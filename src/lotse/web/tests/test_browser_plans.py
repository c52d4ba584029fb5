"""Browser test: a case manager conducts the intake interview and draws up the integration
plan from the § 104c template, with axe-core on every page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from lotse.core.testing import open_case, register_person
from lotse.web.tests.browser import assert_accessible, enrol_totp, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_case_manager_records_intake_and_plans_the_p104c_chain(live_server, live_world, page):
    world = live_world
    case = open_case(world, register_person(world, by="caritas", given_names="Samir", family_name="Haddad",
                                            preferred_language="ar"))
    device = enrol_totp(world.users["caritas"])
    log_in(page, live_server.url, world.users["caritas"], device)
    assert_accessible(page)

    page.goto(live_server.url + reverse("web:case-detail", args=[case.pk]))
    assert_accessible(page)
    expect(page.get_by_text("Noch kein Erstgespräch erfasst.")).to_be_visible()
    page.get_by_role("link", name="Erstgespräch führen").click()

    # the intake form generated from the questionnaire definition
    page.wait_for_url("**/intake/new/")
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Erstgespräch mit Samir Haddad")).to_be_visible()
    page.get_by_label("Sprache 1", exact=True).select_option(label="Deutsch")
    page.get_by_label("Niveau der Sprache 1", exact=True).select_option("A2")
    page.get_by_label("Sprache 2", exact=True).select_option(label="Arabisch")
    page.get_by_label("Niveau der Sprache 2", exact=True).select_option("C2")
    first = page.get_by_role("group", name="Abschluss 1")
    first.get_by_label("Art").select_option("vocational")
    first.get_by_label("Bezeichnung").fill("Elektriker")
    first.get_by_label("Land").fill("Syrien")
    first.get_by_label("Stand der Anerkennung").select_option("partly_recognised")
    page.get_by_label("Was möchte die Person erreichen?").fill("Als Elektriker arbeiten")
    needs = page.get_by_role("group", name="Unterstützungsbedarf nach Lebensbereich")
    needs.get_by_label("Sprache", exact=True).check()
    needs.get_by_label("Anerkennung von Abschlüssen").check()
    page.get_by_role("group", name="Wie gut arbeiten die Stellen aus Ihrer Sicht zusammen?") \
        .get_by_label("Teils, teils").check()
    page.get_by_role("button", name="Erstgespräch speichern").click()

    page.wait_for_url("**/intakes/*/")
    assert_accessible(page)
    expect(page.get_by_text("Das Erstgespräch wurde erfasst.")).to_be_visible()
    expect(page.get_by_text("Deutsch: A2")).to_be_visible()
    expect(page.get_by_text("teilweise anerkannt")).to_be_visible()
    page.get_by_role("link", name="Zurück zum Fall").click()

    assert_accessible(page)
    expect(page.get_by_role("link", name="Erstgespräch vom")).to_be_visible()
    page.get_by_role("link", name="Integrationsplan erstellen").click()

    # the plan from the § 104c template: due dates from the dated rules
    page.wait_for_url("**/plan/")
    assert_accessible(page)
    page.get_by_label("Planvorlage", exact=True).select_option("chancen-aufenthaltsrecht")
    page.get_by_label("Datum, ab dem die Fristen zählen").fill("2025-06-02")
    page.get_by_role("button", name="Vorlage anwenden").click()
    assert_accessible(page)
    expect(page.get_by_text("Die Planvorlage wurde angewendet.")).to_be_visible()
    application = page.get_by_role("row", name="Antrag auf Aufenthaltserlaubnis nach § 25a oder § 25b")
    expect(application.get_by_text("21.10.2026")).to_be_visible()
    expect(application.get_by_text("Ausländerbehörde Teststadt")).to_be_visible()
    expect(page.get_by_role("row", name="Ablauf der Aufenthaltserlaubnis").get_by_text("02.12.2026")).to_be_visible()
    expect(page.get_by_text("0 von 5 Schritten erledigt", exact=True)).to_be_visible()

    page.get_by_role("button", name="Erledigt – Pass und Identität klären").click()
    assert_accessible(page)
    expect(page.get_by_text("Der Status des Schritts wurde geändert.")).to_be_visible()
    expect(page.get_by_text("1 von 5 Schritten erledigt", exact=True)).to_be_visible()
    expect(page.get_by_role("row", name="Pass und Identität klären").get_by_text("erledigt")).to_be_visible()

    link = page.get_by_role("link", name="Plan für die Person drucken (PDF)")
    response = page.context.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    page.get_by_role("link", name="Zurück zum Fall").click()
    assert_accessible(page)
    expect(page.get_by_text("1 von 5 Schritten erledigt", exact=True)).to_be_visible()
