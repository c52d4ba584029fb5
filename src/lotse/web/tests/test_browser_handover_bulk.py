"""Browser test: the coordinator runs the 2022 change for the § 24 group — preview, start,
report, CSV — and watches a running change finish through the htmx progress bar. axe-core on
every page."""

import datetime

import pytest
from playwright.sync_api import expect

from lotse.handovers import bulk
from lotse.handovers.models import BulkChangeRun, BulkRunStatus
from lotse.handovers.tests.test_bulk import _ukrainian
from lotse.people.services import household_assign
from lotse.web.tests.browser import assert_accessible, enrol_totp, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RULE = "ukraine-2022-to-sgb2"


def _group(world):
    head = _ukrainian(world, given_names="Olena", family_name="Shevchenko")
    partner = _ukrainian(world, given_names="Taras", family_name="Shevchenko")
    household_assign(ctx=world.ctx("social_a"), person_id=partner, role="partner", with_person_id=head)
    _ukrainian(world, given_names="Iryna", family_name="Bondarenko")
    no_benefits = _ukrainian(world, benefits=False, given_names="Petro", family_name="Koval")
    return partner, no_benefits


def test_coordinator_previews_and_runs_the_change_for_the_group(live_server, live_world, page):
    world = live_world
    partner, no_benefits = _group(world)
    device = enrol_totp(world.users["coordinator"])
    log_in(page, live_server.url, world.users["coordinator"], device)

    page.goto(f"{live_server.url}/handovers/bulk/")
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Rechtskreiswechsel für eine Gruppe")).to_be_visible()
    expect(page.get_by_text("Es wurde noch kein Wechsel für eine Gruppe ausgeführt.")).to_be_visible()
    page.get_by_label("Regel für den Wechsel").select_option(value=RULE)
    page.get_by_label("Stichtag").fill("2022-06-01")
    page.get_by_role("button", name="Vorschau anzeigen").click()

    assert_accessible(page)
    expect(page.get_by_role("heading", name="Vorschau")).to_be_visible()
    expect(page.get_by_role("cell", name="wechselt mit dem Rechtskreiswechsel der Bedarfsgemeinschaft")).to_be_visible()
    expect(page.get_by_role("cell", name=str(no_benefits), exact=True)).to_be_visible()
    assert page.get_by_text("Olena").count() == 0
    assert not BulkChangeRun.objects.exists()
    page.get_by_role("button", name="Wechsel starten (2 Rechtskreiswechsel)").click()

    assert_accessible(page)
    expect(page.get_by_text("Der Wechsel wurde gestartet")).to_be_visible()
    expect(page.get_by_role("heading", name="Bericht")).to_be_visible()
    expect(page.get_by_role("cell", name=str(partner), exact=True)).to_be_visible()
    assert page.get_by_text("Shevchenko").count() == 0
    with page.expect_download() as info:
        page.get_by_role("link", name="Übersprungene Personen als CSV herunterladen").click()
    text = open(info.value.path(), encoding="utf-8").read()
    assert f"{no_benefits},not_in_previous_regime," in text and "Koval" not in text

    page.get_by_role("link", name="Zurück zu den Wechseln für Gruppen").click()
    assert_accessible(page)
    expect(page.get_by_role("cell", name="abgeschlossen")).to_be_visible()


def test_the_progress_bar_follows_a_running_change_until_the_report(live_server, live_world, page, monkeypatch):
    world = live_world
    _group(world)
    real = bulk.handover_open_for_status
    calls = {"n": 0}

    def killed(**kwargs):  # the worker stops after the first batch; the run stays "running"
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("killed")
        return real(**kwargs)

    monkeypatch.setattr(bulk, "BATCH_SIZE", 1)
    monkeypatch.setattr(bulk, "handover_open_for_status", killed)
    run = bulk.bulk_run_start(world.ctx("coordinator"), RULE, datetime.date(2022, 6, 1))
    assert run.status == BulkRunStatus.RUNNING
    monkeypatch.undo()
    device = enrol_totp(world.users["coordinator"])
    log_in(page, live_server.url, world.users["coordinator"], device)

    page.goto(f"{live_server.url}/handovers/bulk/{run.pk}/")
    assert_accessible(page)
    expect(page.get_by_text("1 von 4 Personen geprüft")).to_be_visible()
    assert page.get_by_role("heading", name="Bericht").count() == 0

    bulk.bulk_run_execute(run.pk)  # another worker takes it up and finishes

    page.get_by_role("heading", name="Bericht").wait_for()  # the htmx poll reloads the page
    assert_accessible(page)
    expect(page.get_by_text("4 von 4 Personen geprüft")).to_be_visible()
