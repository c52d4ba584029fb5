"""Browser test: one change of benefits regime, first as the social office, then as the job
centre. The social office opens the handover from its list, records the person's consent
through the prefilled consent form and ticks it off; the job centre, which now sees the
consented contact data, records the application with its date and its confirmation; the list
shows the risk gone. axe-core on every page."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from lotse.handovers.tests.test_workflow import item, recognised_household, tick
from lotse.web.tests.browser import assert_accessible, enrol_totp, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCUMENTS = ("doc_identity", "doc_bamf", "doc_tenancy", "doc_bank", "doc_insurance", "doc_household",
             "doc_income")


def test_social_office_then_job_centre_work_one_handover_until_the_risk_is_gone(live_server, live_world, page,
                                                                                  browser):
    world = live_world
    today = timezone.localdate()
    # Recognised on the 10th two months ago: the application deadline (end of last month) has
    # passed without an application, so last month is uncovered until one is recorded.
    recognised_on = (today.replace(day=1) - relativedelta(months=2)).replace(day=10)
    handover = recognised_household(world, on=recognised_on)
    filed_on = handover.new_regime_starts_on + datetime.timedelta(days=14)  # in time, recorded late
    # The items this test is not about are done already.
    tick(world, "social_a", handover, "residence_document")
    tick(world, "social_a", handover, "last_payment", handover.old_regime_ends_on)
    for key in DOCUMENTS:
        tick(world, "jobcentre", handover, key)

    device = enrol_totp(world.users["social_a"])
    log_in(page, live_server.url, world.users["social_a"], device)
    assert_accessible(page)
    page.goto(f"{live_server.url}/handovers/")
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Rechtskreiswechsel")).to_be_visible()
    row = page.get_by_role("row", name="Rami Saleh")
    expect(row.get_by_text("Zahlungslücke von")).to_be_visible()
    expect(row.get_by_text("Antrag fehlt")).to_be_visible()
    expect(row.get_by_text("mit Huda Saleh")).to_be_visible()
    row.get_by_role("link", name="Rami Saleh").click()
    page.wait_for_url(f"**/handovers/{handover.pk}/")
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Rechtskreiswechsel: Rami Saleh")).to_be_visible()
    expect(page.get_by_text("Risiko einer Zahlungslücke")).to_be_visible()

    page.get_by_role("link", name="Einwilligung der Person zur Weitergabe der Daten erfassen").click()
    assert_accessible(page)
    assert page.get_by_label("Von (Stelle, die die Daten hat)").input_value() == str(world.agencies["social_a"].pk)
    assert page.get_by_label("An (Stelle, die die Daten erhält)").input_value() == str(
        world.agencies["jobcentre"].pk)
    assert page.get_by_label("Zweck").input_value() == "benefits_handover"
    assert page.get_by_label("Kontakt und Anschrift").is_checked()
    page.get_by_label("Sprache, in der die Person informiert wurde").select_option(value="ar")
    page.get_by_role("button", name="Einwilligung speichern").click()
    page.wait_for_url(f"**/handovers/{handover.pk}/")
    assert_accessible(page)
    expect(page.get_by_text("wurde erfasst")).to_be_visible()

    consent_row = page.locator(f"#item-{item(handover, 'consent').pk}")
    consent_row.get_by_role("button", name="Abhaken").click()
    assert_accessible(page)
    expect(page.get_by_text("Der Punkt wurde abgehakt.")).to_be_visible()
    expect(consent_row.get_by_text(f"erledigt am {today:%d.%m.%Y}")).to_be_visible()
    # The job centre's items are read-only here.
    expect(page.locator(f"#item-{item(handover, 'application').pk}").get_by_text("nur lesend")).to_be_visible()

    # The job centre, in its own browser session.
    context = browser.new_context()
    job = context.new_page()
    job.set_default_timeout(8000)
    log_in(job, live_server.url, world.users["jobcentre"], enrol_totp(world.users["jobcentre"]))
    assert_accessible(job)
    job.goto(f"{live_server.url}/handovers/")
    assert_accessible(job)
    job.get_by_role("row", name="Rami Saleh").get_by_role("link", name="Rami Saleh").click()
    job.wait_for_url(f"**/handovers/{handover.pk}/")
    assert_accessible(job)
    expect(job.get_by_text("rami.saleh@example.org")).to_be_visible()

    application_row = job.locator(f"#item-{item(handover, 'application').pk}")
    application_row.get_by_role("button", name="Abhaken").click()  # without the date
    assert_accessible(job)
    expect(job.locator(f"#item-{item(handover, 'application').pk}").get_by_role("alert").first).to_be_visible()
    application_row = job.locator(f"#item-{item(handover, 'application').pk}")
    application_row.get_by_label("Datum").fill(filed_on.isoformat())
    application_row.get_by_role("button", name="Abhaken").click()
    assert_accessible(job)
    expect(job.get_by_text("Der Punkt wurde abgehakt.")).to_be_visible()
    confirmation_row = job.locator(f"#item-{item(handover, 'confirmation').pk}")
    confirmation_row.get_by_label("Datum").fill(today.isoformat())
    confirmation_row.get_by_role("button", name="Abhaken").click()
    assert_accessible(job)
    expect(job.get_by_text("keine: Die neuen Leistungen beginnen am Tag nach dem Ende der bisherigen.")).to_be_visible()

    job.get_by_role("link", name="Zurück zur Liste").click()
    assert_accessible(job)
    row = job.get_by_role("row", name="Rami Saleh")
    expect(row.get_by_text("kein Risiko erkannt")).to_be_visible()
    assert row.get_by_text("Antrag fehlt").count() == 0 and row.get_by_text("Zahlungslücke").count() == 0
    context.close()

    # The social office's list says the same.
    page.goto(f"{live_server.url}/handovers/")
    assert_accessible(page)
    expect(page.get_by_role("row", name="Rami Saleh").get_by_text("kein Risiko erkannt")).to_be_visible()
