"""Browser test: the administrator opens the rules area from the navigation, corrects a
deadline rule (a wrong entry is refused in German first), sees the change in the list, then
creates a new version from a date and sees both versions with their validity. axe-core on
every page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lotse.rules.models import DeadlineRule
from lotse.rules.selectors import deadline_from
from lotse.web.tests.browser import assert_accessible, enrol_totp, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = datetime.date
NAME = "SGB-II-Antrag beim Jobcenter eingegangen"


def test_administrator_corrects_a_deadline_rule_and_sees_the_change(live_server, live_world, page):
    world = live_world
    rule = DeadlineRule.objects.get(key="handover-application")
    log_in(page, live_server.url, world.users["admin"], enrol_totp(world.users["admin"]))
    page.get_by_role("navigation").get_by_role("link", name="Regeln").click()
    page.wait_for_url("**/admin/rules/")
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Regeln")).to_be_visible()
    page.get_by_role("link", name="Fristen").click()
    page.wait_for_url("**/admin/rules/deadlines/")
    assert_accessible(page)
    row = page.locator(f"#rule-{rule.pk}")
    expect(row.get_by_text("§ 37 Abs. 2 S. 2 SGB II")).to_be_visible()
    expect(row.get_by_text("01.01.2011 – offen")).to_be_visible()
    expect(row.get_by_text("in Kraft", exact=True)).to_be_visible()
    expect(row.get_by_text("An application takes effect back")).to_be_visible()
    expect(row.get_by_text("0 Monatsende")).to_be_visible()

    row.get_by_role("link", name=NAME, exact=True).click()
    page.wait_for_url(f"**/admin/rules/deadlines/{rule.pk}/")
    assert_accessible(page)
    assert page.get_by_label("Schlüssel").is_disabled()
    # A wrong entry first: the end before the start is refused, in German, nothing saved.
    page.get_by_label("gültig bis").fill("2010-12-31")
    page.get_by_role("button", name="Speichern").click()
    assert_accessible(page)
    expect(page.get_by_text("Das Ende der Gültigkeit liegt vor ihrem Beginn.")).to_be_visible()
    page.get_by_label("gültig bis").fill("")
    page.get_by_label("Anzahl").fill("1")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url("**/admin/rules/deadlines/")
    assert_accessible(page)
    expect(page.get_by_text("Die Regel wurde gespeichert")).to_be_visible()
    expect(page.locator(f"#rule-{rule.pk}").get_by_text("1 Monatsende")).to_be_visible()
    assert deadline_from(key="handover-application", anchor=D(2026, 4, 1))[0] == D(2026, 5, 31)

    # From next year on the application must arrive within the first month again: a new version.
    starts = D(timezone.localdate().year + 1, 1, 1)
    page.locator(f"#rule-{rule.pk}").get_by_role("link", name="Neue Version ab einem Datum").click()
    page.wait_for_url(f"**/admin/rules/deadlines/{rule.pk}/new-version/")
    assert_accessible(page)
    page.get_by_label("Die neue Version gilt ab").fill(starts.isoformat())
    page.get_by_role("button", name="Neue Version anlegen").click()
    new = DeadlineRule.objects.get(key="handover-application", valid_from=starts)
    page.wait_for_url(f"**/admin/rules/deadlines/{new.pk}/")
    assert_accessible(page)
    expect(page.get_by_text(f"die bisherige endet nun am 31.12.{starts.year - 1}")).to_be_visible()
    page.get_by_label("Anzahl").fill("0")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url("**/admin/rules/deadlines/")
    assert_accessible(page)
    old_row, new_row = page.locator(f"#rule-{rule.pk}"), page.locator(f"#rule-{new.pk}")
    expect(old_row.get_by_text(f"01.01.2011 – 31.12.{starts.year - 1}")).to_be_visible()
    expect(old_row.get_by_text("in Kraft", exact=True)).to_be_visible()
    expect(new_row.get_by_text(f"01.01.{starts.year} – offen")).to_be_visible()
    expect(new_row.get_by_text("noch nicht in Kraft")).to_be_visible()
    expect(new_row.get_by_text("0 Monatsende")).to_be_visible()
    assert deadline_from(key="handover-application", anchor=D(starts.year - 1, 4, 1))[0] == D(starts.year - 1, 5, 31)
    assert deadline_from(key="handover-application", anchor=D(starts.year, 4, 1))[0] == D(starts.year, 4, 30)

    # The regime change rules are corrected in place: the transitional date is a field.
    page.goto(f"{live_server.url}/admin/rules/regime-changes/")
    assert_accessible(page)
    expect(page.get_by_text("bestehende Bewilligungen höchstens bis 30.09.2026")).to_be_visible()
    page.get_by_role("link", name="§ 24 erstmals nach dem 31.3.2025: SGB II → AsylbLG (geplant)").click()
    assert_accessible(page)
    field = page.get_by_label("Bestehende Bewilligungen des bisherigen Rechtskreises laufen höchstens bis")
    assert field.input_value() == "2026-09-30"
