"""The guide's content management in a real browser, with axe-core on every page: a
coordinator walks the overview, offices, counsellors, texts, translations and translators,
changes a German text and sees its translation marked outdated; the Arabic translation form is
right to left. The public text page and the guide's "not found" page are checked as well."""

import pytest
from playwright.sync_api import expect

from lotse.guide.models import GuideText, Translation, TranslationStatus
from lotse.guide.tests.factories import counsellor
from lotse.guide.translation import source_hash
from lotse.web.tests.browser import assert_accessible, enrol_totp, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_keeps_the_guide_and_sees_an_outdated_translation(live_server, live_world, page):
    world = live_world
    helper = counsellor(world, "Leyla Demir", world.town_a)
    text = GuideText.objects.create(district=world.district, slug="willkommen", title="Willkommen",
                                    body="Schön, dass Sie da sind.", easy_body="Willkommen.")
    Translation.objects.create(key=text.translation_key, field="body", language="en", text="Good to have you.",
                               status=TranslationStatus.REVIEWED, source_hash=source_hash(text.body))
    log_in(page, live_server.url, world.users["coordinator"], enrol_totp(world.users["coordinator"]))
    assert_accessible(page)
    base = f"{live_server.url}/staff/guide/"
    for path in ("", "offices/", f"offices/{world.agencies['jobcentre'].pk}/", "counsellors/", "counsellors/new/",
                 f"counsellors/{helper.pk}/", "texts/", "texts/new/", "translations/", "translators/",
                 f"translations/{helper.translation_key}/", f"translators/{world.users['translator'].pk}/"):
        response = page.goto(base + path)
        assert response.status == 200, path
        assert_accessible(page)

    page.goto(f"{base}translations/{text.translation_key}/")
    assert_accessible(page)
    expect(page.get_by_text("geprüft").first).to_be_visible()
    page.goto(f"{base}texts/{text.pk}/")
    page.locator("textarea[name=body]").fill("Schön, dass Sie da sind. Hier finden Sie Hilfe.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}texts/")
    assert_accessible(page)
    page.goto(f"{base}translations/{text.translation_key}/")
    assert_accessible(page)
    expect(page.get_by_text("veraltet").first).to_be_visible()

    page.goto(f"{base}translations/{text.translation_key}/ar/")
    assert_accessible(page)
    assert page.locator("textarea[name=text_body]").get_attribute("dir") == "rtl"


def test_public_text_page_and_not_found_page(live_server, live_world, page):
    world = live_world
    GuideText.objects.create(district=world.district, slug="willkommen", title="Willkommen",
                             body="Schön, dass Sie da sind.", easy_body="Willkommen.\nSie sind neu hier.")
    page.goto(f"{live_server.url}/wegweiser/{world.district.code}/de/info/willkommen/")
    assert_accessible(page)
    page.get_by_role("link", name="Leichte Sprache").first.click()
    page.wait_for_url("**easy=1")
    assert_accessible(page)
    expect(page.get_by_text("Sie sind neu hier.")).to_be_visible()
    response = page.goto(f"{live_server.url}/wegweiser/{world.district.code}/fa/info/nichts/")
    assert response.status == 404
    assert_accessible(page)
    assert page.locator("html").get_attribute("dir") == "rtl"
