"""Steering in a real browser, with axe-core on every page: a steering-group member opens the
key figures, changes the period and follows a figure from the overview to its chart and table;
a coordinator opens the needs analysis, computes a distribution of positions and walks the
committees, measures, goals and the gap-report inbox."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lotse.core.testing import open_case, register_person
from lotse.steering.kpis import DEFINITIONS
from lotse.steering.models import Committee, CommitteeKind, CounsellingCapacity, Goal
from lotse.steering.periods import Period
from lotse.web.forms_steering_needs import last_quarter_end
from lotse.web.tests.browser import assert_accessible, enrol_totp, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_steering_member_reads_the_key_figures(live_server, live_world, page):
    world = live_world
    for index in range(6):
        open_case(world, register_person(world, town="a", given_names=f"Person{index}", family_name="Fall"))
    Goal.objects.create(district=world.district, title="Offene Fälle gut verteilen", indicator="caseload_per_manager")
    member = world.users["steering_member"]
    log_in(page, live_server.url, member, enrol_totp(member))
    page.goto(f"{live_server.url}/staff/steering/")
    assert_accessible(page)
    assert page.locator("svg[role=img] title").count() == len(DEFINITIONS)  # one chart per figure
    expect(page.get_by_text("Offene Fälle gut verteilen")).to_be_visible()
    # A-Dorf's 6 open cases are shown in the count table by focus area (6 ≥ 5)
    table = page.locator("table", has=page.locator("caption", has_text="Schwerpunkt"))
    assert table.locator("tr", has_text="A-Dorf").first.inner_text().split()[-1] == "6"

    previous = Period.containing(timezone.localdate(), "quarter").previous()
    page.locator("select[name=period]").select_option(previous.key)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**period={previous.key}")
    assert_accessible(page)
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("main p", has_text=f"Zeitraum: {previous.label}")).to_be_visible()


def test_coordinator_computes_a_distribution_and_walks_the_committees(live_server, live_world, page):
    world = live_world
    for town, count in (("a", 6), ("b", 5)):
        for index in range(count):
            register_person(world, town=town, given_names=f"Neu{index}", family_name="Zuzug",
                            nationalities=["475"],
                            arrival_district=last_quarter_end(timezone.localdate()) - timedelta(days=10))
    CounsellingCapacity.objects.create(district=world.district, agency=world.agencies["caritas"],
                                       municipality=world.town_a, fte="0.50")
    Committee.objects.create(district=world.district, name="Lenkungsgruppe", kind=CommitteeKind.STEERING_GROUP)
    coordinator = world.users["coordinator"]
    log_in(page, live_server.url, coordinator, enrol_totp(coordinator))
    page.goto(f"{live_server.url}/staff/steering/needs/")
    assert_accessible(page)
    assert page.locator("svg[role=img]").count() >= 1
    form = page.locator("form", has=page.locator("input[name=positions]"))
    form.locator("input[name=positions]").fill("2")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert_accessible(page)
    expect(page.locator("#proposal-result")).to_be_visible()

    for path in ("needs/statistics/import/", "needs/capacity/", "committees/", "measures/", "goals/"):
        response = page.goto(f"{live_server.url}/staff/steering/{path}")
        assert response.status == 200, path
        assert_accessible(page)
    page.goto(f"{live_server.url}/staff/steering/committees/")
    page.get_by_role("link", name="Lenkungsgruppe").first.click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.goto(f"{live_server.url}/gaps/inbox/")
    assert_accessible(page)
