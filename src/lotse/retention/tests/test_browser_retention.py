"""The DPO's retention page in a real browser, with axe-core."""

import pytest
from playwright.sync_api import expect

from lotse.core.testing import register_person
from lotse.retention.tests.conftest import german
from lotse.web.tests.browser import assert_accessible, enrol_totp, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dpo_reads_the_record_downloads_an_export_and_sets_a_hold(live_server, live_world, page):
    world = live_world
    pid = register_person(world)
    device = enrol_totp(world.users["dpo"])
    log_in(page, live_server.url, world.users["dpo"], device)
    page.goto(f"{live_server.url}/audit/")
    page.get_by_role("link", name=german("Retention and erasure: record of processing "
                                         "activities, data export, legal holds")).click()
    expect(page.get_by_role("heading", name=german("Retention and erasure"), exact=True)).to_be_visible()
    expect(page.locator("#kind-master_data")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_export-person_id").fill(str(pid))
    with page.expect_download() as download:
        page.get_by_role("button", name=german("Download the data export")).click()
    assert download.value.suggested_filename == f"auskunft-{pid}.json"
    page.locator("#id_hold-person_id").fill(str(pid))
    page.locator("#id_hold-reason").fill("Klage vor dem Sozialgericht anhängig")
    page.get_by_role("button", name=german("Set a hold")).click()
    expect(page.get_by_text(german("The legal hold was set: the retention sweep keeps all data "
                                   "of this person."))).to_be_visible()
    assert_accessible(page)
    page.locator("#id_hold-person_id").fill("99999999")
    page.locator("#id_hold-reason").fill("Klage vor dem Sozialgericht anhängig")
    page.get_by_role("button", name=german("Set a hold")).click()
    expect(page.get_by_text(german("No person with this id is known in your district."))).to_be_visible()
    assert_accessible(page)
