"""Browser test: the coordinator opens the overview of the changes of benefits regime from the
navigation, chooses the period and reads the table per municipality — figures only, small
cells hidden, no person named. axe-core on every page."""

import pytest
from playwright.sync_api import expect

from lotse.handovers.services import handover_cancel
from lotse.handovers.tests.test_gap import D, _completed
from lotse.handovers.tests.test_workflow import recognised_household
from lotse.web.tests.browser import assert_accessible, enrol_totp, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CAPTION = "Rechtskreiswechsel, erste Zahlungen und Lücken je Gemeinde"
NAMES = ("Anna", "Bert", "Cleo", "Dana", "Emil", "Fritz", "Hana", "Ida", "Jana", "Test")


def test_coordinator_reads_the_overview_table(live_server, live_world, page):
    world = live_world
    # The same handovers as the overview's unit test: five completed and two open in A-Dorf,
    # one completed and one cancelled in B-Stadt (a cell too small to be shown on its own).
    for name, filed, first_payment in (
            ("Anna", D(2026, 4, 10), D(2026, 4, 20)), ("Bert", D(2026, 5, 3), D(2026, 5, 15)),
            ("Cleo", D(2026, 4, 28), D(2026, 5, 4)), ("Hana", D(2026, 4, 20), D(2026, 4, 27)),
            ("Ida", D(2026, 5, 5), D(2026, 5, 20))):
        _completed(world, given_names=name, filed=filed, first_payment=first_payment)
    for name in ("Dana", "Jana"):
        recognised_household(world, given_names=name, family_name="Test", partner=False)
    _completed(world, given_names="Emil", town="b", filed=D(2026, 6, 2), first_payment=D(2026, 6, 10))
    cancelled = recognised_household(world, given_names="Fritz", family_name="Test", town="b",
                                     partner=False, email="")
    handover_cancel(ctx=world.ctx("social_b"), handover_id=cancelled.pk, reason="Umzug")

    log_in(page, live_server.url, world.users["coordinator"], enrol_totp(world.users["coordinator"]))
    page.get_by_role("navigation").get_by_role("link", name="Übersicht Rechtskreiswechsel").click()
    page.wait_for_url("**/handovers/overview/")
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Rechtskreiswechsel: Übersicht")).to_be_visible()
    page.get_by_label("Neuer Anspruch beginnt ab").fill("2026-01-01")
    page.locator("#id_end").fill("2026-12-31")  # labelled "bis – optional"
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_url("**/handovers/overview/?start=2026-01-01&end=2026-12-31")
    assert_accessible(page)

    expect(page.get_by_role("status").get_by_text(
        "8 Rechtskreiswechsel mit neuem Anspruch vom 01.01.2026 bis 31.12.2026")).to_be_visible()
    table = page.get_by_role("table", name=CAPTION)
    expect(table).to_be_visible()
    assert [h.strip() for h in table.get_by_role("columnheader").all_inner_texts()] == [
        "Gemeinde", "Offen", "Abgeschlossen", "Median der Tage vom neuen Anspruchsbeginn bis zur ersten Zahlung",
        "Lücken", "Tage ohne Leistungen (Summe)"]
    rows = table.locator("tbody tr")
    assert rows.count() == 1  # B-Stadt has a single handover: not shown as a row of its own
    # A-Dorf: 2 open, 5 completed, days to the first payment 19, 26, 33, 44, 49 → median 33;
    # 4 gaps (Bert, Ida, Dana, Jana) whose days are hidden (fewer than 5 gaps).
    assert [c.strip() for c in rows.first.locator("th, td").all_inner_texts()] == [
        "A-Dorf", "2", "5", "33", "4", "weniger als 5"]
    # The district: with Emil (70 days) 19, 26, 33, 44, 49, 70 → median (33 + 44) / 2 = 38.5; 5 gaps.
    district = [c.strip() for c in table.locator("tfoot tr").locator("th, td").all_inner_texts()]
    assert district[:5] == ["ganzer Kreis", "2", "6", "38,5", "5"]
    content = page.locator("main").inner_text()
    for name in NAMES:
        assert name not in content, name
