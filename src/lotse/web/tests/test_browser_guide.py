"""The public newcomers' guide in a real browser (Debian's Chromium), without login: German,
Arabic and Ukrainian walk "Who is responsible for me?" to an answer; right to left is checked
on the rendered layout; axe-core runs on every page."""

import pytest
from playwright.sync_api import expect

from lotse.guide.models import OfficeProfile, Translation, TranslationStatus
from lotse.guide.public_texts import GUIDE_TEXTS
from lotse.guide.tests.factories import counsellor
from lotse.guide.translation import source_hash
from lotse.rules.models import FirstStep
from lotse.web.tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def guide_world(live_world):
    world = live_world
    counsellor(world, "Leyla Demir", world.town_a, office_hours="Di 9–12 Uhr")
    counsellor(world, "Jonas Becker", world.town_b)
    profile = OfficeProfile.objects.create(agency=world.agencies["social_b"], description="Zahlt Leistungen.",
                                           opening_hours="Mo–Fr 8–12 Uhr")
    step = FirstStep.objects.get(key="registration")
    for lang, text in [("ar", "تسجيل السكن"), ("uk", "Зареєструвати житло")]:
        Translation.objects.create(key=step.translation_key, field="title", language=lang, text=text,
                                   status=TranslationStatus.REVIEWED, source_hash=source_hash(step.title))
    Translation.objects.create(key=profile.translation_key, field="opening_hours", language="ar",
                               text="الإثنين–الجمعة 8–12", status=TranslationStatus.MACHINE_DRAFT,
                               source_hash=source_hash(profile.opening_hours))
    return world


def _walk(page, answers: list[str], submit: str, final: str) -> None:
    for number, label in enumerate(answers, start=1):
        page.get_by_label(label, exact=True).check()
        page.get_by_role("button", name=final if number == len(answers) else submit).click()
        page.wait_for_load_state()
        assert_accessible(page)


def test_german_walk_to_the_social_office_of_b_stadt(live_server, guide_world, page):
    page.set_extra_http_headers({"Accept-Language": "de-DE,de;q=0.9"})
    page.goto(f"{live_server.url}/wegweiser/")
    assert page.url.endswith(f"/wegweiser/{guide_world.district.code}/de/")
    assert_accessible(page)
    page.get_by_role("link", name="Wer ist für mich zuständig?").first.click()
    assert_accessible(page)
    expect(page.get_by_text("Frage 1 von 3")).to_be_visible()
    _walk(page, ["B-Stadt", "Ich habe eine Duldung.", "Geld zum Leben"], "Weiter", "Antwort zeigen")
    result = page.locator("#result")
    expect(result.get_by_role("heading", name="Sozialamt B-Stadt")).to_be_visible()
    expect(result.get_by_text("Mo–Fr 8–12 Uhr")).to_be_visible()
    expect(page.get_by_role("heading", name="Jonas Becker")).to_be_visible()
    assert page.get_by_text("Leyla Demir").count() == 0
    expect(page.get_by_role("heading", name="Wohnung anmelden")).to_be_visible()
    # The answer has its own address: the language switch keeps it.
    page.get_by_role("link", name="Українська").click()
    assert_accessible(page)
    assert page.locator("html").get_attribute("lang") == "uk"
    expect(page.get_by_role("heading", name="Зареєструвати житло")).to_be_visible()


def test_arabic_walk_is_right_to_left(live_server, guide_world, page):
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(f"{live_server.url}/wegweiser/{guide_world.district.code}/ar/zustaendig/")
    assert_accessible(page)
    assert page.locator("html").get_attribute("dir") == "rtl"
    radio = page.get_by_label("B-Stadt", exact=True)
    label = page.locator("label[for^='m-']").first
    # Right to left: the radio button sits to the right of its label, the heading starts right.
    assert radio.bounding_box()["x"] > label.bounding_box()["x"]
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert heading["x"] + heading["width"] > 390 - 40
    legend = page.locator("legend").bounding_box()  # KERN floats it left: the override floats it to the start
    assert legend["x"] + legend["width"] > 390 - 40
    ar = GUIDE_TEXTS["ar"]
    _walk(page, ["B-Stadt", ar["situation_tolerated"], ar["topic_money"]], ar["next"], ar["show_answer"])
    expect(page.get_by_role("heading", name="Sozialamt B-Stadt")).to_be_visible()
    expect(page.get_by_text("الإثنين–الجمعة 8–12")).to_be_visible()
    expect(page.get_by_text(ar["machine_translation"]).first).to_be_visible()
    expect(page.get_by_role("heading", name="تسجيل السكن")).to_be_visible()
    # The numbers of the steps stand on the right: the list's indent is on its right side.
    steps = page.evaluate("(() => { const s = getComputedStyle(document.querySelector('.lotse-guide__steps'));"
                          " return [s.direction, parseFloat(s.paddingLeft), parseFloat(s.paddingRight)]; })()")
    assert steps[0] == "rtl" and steps[2] > steps[1]


def test_ukrainian_walk_and_a_bad_link(live_server, guide_world, page):
    base = f"{live_server.url}/wegweiser/{guide_world.district.code}/uk/"
    page.goto(base)
    assert_accessible(page)
    assert page.locator("html").get_attribute("dir") == "ltr"
    uk = GUIDE_TEXTS["uk"]
    page.get_by_role("link", name=uk["nav_responsible"]).first.click()
    assert_accessible(page)
    _walk(page, ["A-Dorf", uk["situation_temporary_protection"], uk["topic_money"]], uk["next"],
          uk["show_answer"])
    expect(page.locator("#result").get_by_role("heading", name="Jobcenter Test")).to_be_visible()
    expect(page.get_by_role("heading", name="Leyla Demir")).to_be_visible()
    page.goto(base + "zustaendig/?m=999999")
    assert_accessible(page)
    expect(page.get_by_role("alert")).to_be_visible()
    page.goto(base + "verzeichnis/?t=health&m=" + str(guide_world.town_a.pk))
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Leyla Demir")).to_be_visible()
