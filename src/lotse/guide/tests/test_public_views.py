"""The public guide pages and the open data, as a newcomer's browser or another system sees
them: no login, the chosen language remembered, bad input answered in the page's language."""

import datetime
import json
from unittest import mock

import pytest
from django.test import Client

from lotse.core.testing import build_world
from lotse.guide.models import GuideText, OfficeProfile, Translation, TranslationStatus
from lotse.guide.tests.factories import change_from, counsellor, offer
from lotse.guide.translation import source_hash
from lotse.organisations.models import AgencyKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    counsellor(world, "Leyla Demir", world.town_a)
    counsellor(world, "Jonas Becker", world.town_b)
    return world


def _base(world, lang="de") -> str:
    return f"/wegweiser/{world.district.code}/{lang}/"


def test_the_root_sends_a_newcomer_to_the_language_chosen_before(world):
    client = Client()
    assert client.get("/wegweiser/", headers={"accept-language": "tr,en;q=0.5"}).url == _base(world, "tr")
    page = client.get(_base(world, "uk"))
    assert page.status_code == 200
    assert page.cookies["lotse_guide_language"].value == "uk"
    assert client.get("/wegweiser/").url == _base(world, "uk")


def test_pages_need_no_login_and_say_their_languages(world):
    page = Client().get(_base(world, "ar"))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="ar" dir="rtl"' in html
    for code, name in [("de", "Deutsch"), ("uk", "Українська"), ("fa", "فارسی")]:
        assert f'hreflang="{code}"' in html
        assert name in html
    assert "<script" not in html  # works without JavaScript


def test_the_question_flow_walks_to_the_answer(world):
    client = Client()
    url = _base(world) + "zustaendig/"
    first = client.get(url).content.decode()
    assert "Frage 1 von 3" in first and "Wo wohnen Sie?" in first
    second = client.get(url, {"m": world.town_b.pk}).content.decode()
    assert "Frage 2 von 3" in second and "Ich habe eine Duldung." in second
    third = client.get(url, {"m": world.town_b.pk, "s": "tolerated"}).content.decode()
    assert "Frage 3 von 3" in third and "Geld zum Leben" in third
    answer = client.get(url, {"m": world.town_b.pk, "s": "tolerated", "t": "money"}).content.decode()
    assert "Diese Stellen sind für Sie zuständig" in answer
    assert "Sozialamt B-Stadt" in answer and "Sozialamt A-Dorf" not in answer
    assert "Jonas Becker" in answer and "Leyla Demir" not in answer
    assert "Ihre ersten Schritte" in answer and "Wohnung anmelden" in answer
    assert "innerhalb von 14 Tagen" in answer
    assert f"willkommensblatt/{world.town_b.pk}.pdf" in answer


def test_the_answer_changes_on_the_day_a_future_rule_starts(world):
    start = datetime.date(2027, 3, 1)
    change_from("money-temporary-sgb2", start, agency_kind=AgencyKind.SOCIAL_OFFICE)
    url = _base(world) + "zustaendig/"
    params = {"m": world.town_a.pk, "s": "temporary_protection", "t": "money"}
    with mock.patch("django.utils.timezone.localdate", return_value=start - datetime.timedelta(days=1)):
        before = Client().get(url, params).content.decode()
    with mock.patch("django.utils.timezone.localdate", return_value=start):
        after = Client().get(url, params).content.decode()
    result = '<section aria-labelledby="offices-heading"'
    assert "Jobcenter Test" in before.split(result)[1].split("</section>")[0]
    assert "Sozialamt A-Dorf" in after.split(result)[1].split("</section>")[0]
    assert "Jobcenter Test" not in after.split(result)[1].split("</section>")[0]


@pytest.mark.parametrize(("lang", "message"), [
    ("de", "Bitte wählen Sie eine Antwort aus der Liste."),
    ("en", "Please choose one answer from the list."),
])
def test_an_unknown_choice_is_answered_in_the_page_language(world, lang, message):
    url = _base(world, lang) + "zustaendig/"
    for params in ({"m": "999999"}, {"m": "abc"}, {"m": world.town_a.pk, "s": "tourist"},
                   {"m": world.town_a.pk, "s": "tolerated", "t": "<script>"}, {"m": ""}):
        page = Client().get(url, params)
        assert page.status_code == 400, params
        assert message in page.content.decode()
        assert "<script>" not in page.content.decode()


def test_unknown_languages_districts_and_pages_are_404(world):
    client = Client()
    assert client.get(f"/wegweiser/{world.district.code}/xx/").status_code == 404
    assert client.get("/wegweiser/00000/de/").status_code == 404
    missing = client.get(_base(world, "uk") + "info/nothing/")
    assert missing.status_code == 404
    assert "Сторінку не знайдено" in missing.content.decode() or "not_found" not in missing.content.decode()
    assert client.get(_base(world) + "willkommensblatt/999999.pdf").status_code == 404


def test_directory_filters_by_topic_language_and_search_word(world):
    offer(world, "Traumaberatung", "health", towns=[world.town_a], languages=["ar", "fa"])
    offer(world, "Sprachcafé", "language", languages=["de", "uk"])
    url = _base(world) + "verzeichnis/"
    client = Client()
    health = client.get(url, {"t": "health"}).content.decode()
    assert "Traumaberatung" in health and "Sprachcafé" not in health
    farsi = client.get(url, {"l": "fa"}).content.decode()
    assert "Traumaberatung" in farsi and "Sprachcafé" not in farsi
    searched = client.get(url, {"q": "café"}).content.decode()
    assert "Sprachcafé" in searched and "Traumaberatung" not in searched
    town_b = client.get(url, {"m": world.town_b.pk}).content.decode()
    assert "Sprachcafé" in town_b and "Traumaberatung" not in town_b
    assert "Jonas Becker" in town_b and "Leyla Demir" not in town_b
    assert client.get(url, {"l": "xx"}).status_code == 400


def test_directory_finds_an_office_by_its_description_in_german_and_in_the_page_language(world):
    profile = OfficeProfile.objects.create(agency=world.agencies["jobcentre"], description="Zahlt Bürgergeld.",
                                           opening_hours="Mo–Fr 8–12 Uhr", languages=["de", "uk"])
    Translation.objects.create(key=profile.translation_key, field="description", language="uk",
                               text="Виплачує громадянську допомогу.", status=TranslationStatus.REVIEWED,
                               source_hash=source_hash(profile.description))
    client = Client()
    every = client.get(_base(world) + "verzeichnis/")
    assert every.status_code == 200 and "Zahlt Bürgergeld." in every.content.decode()
    german = client.get(_base(world) + "verzeichnis/", {"q": "bürgergeld"}).content.decode()
    assert "Jobcenter Test" in german and "Sozialamt A-Dorf" not in german
    ukrainian = client.get(_base(world, "uk") + "verzeichnis/", {"q": "громадянську"}).content.decode()
    assert "Jobcenter Test" in ukrainian and "Виплачує громадянську допомогу." in ukrainian
    spoken = client.get(_base(world) + "verzeichnis/", {"l": "uk"}).content.decode()
    assert "Jobcenter Test" in spoken and "Sozialamt A-Dorf" not in spoken


def test_a_text_page_says_its_languages_and_marks_an_outdated_translation(world):
    text = GuideText.objects.create(district=world.district, slug="willkommen", title="Willkommen",
                                    body="Schön, dass Sie da sind.", easy_body="Willkommen.\nSie sind neu hier.")
    for field in ("title", "body"):
        Translation.objects.create(key=text.translation_key, field=field, language="ar",
                                   text={"title": "أهلاً وسهلاً", "body": "يسعدنا وجودكم."}[field],
                                   status=TranslationStatus.REVIEWED, source_hash=source_hash(getattr(text, field)))
    client = Client()
    arabic = client.get(_base(world, "ar") + "info/willkommen/").content.decode()
    assert "يسعدنا وجودكم." in arabic
    german = client.get(_base(world) + "info/willkommen/").content.decode()
    languages = german.split('id="page-languages"')[1].split("</p>")[0]
    assert "العربية" in languages and "Leichte Sprache" in languages and "Українська" not in languages
    easy = client.get(_base(world) + "info/willkommen/", {"easy": "1"}).content.decode()
    assert "Sie sind neu hier." in easy

    text.body = "Schön, dass Sie da sind. Hier finden Sie Hilfe."
    text.save()
    outdated = client.get(_base(world, "ar") + "info/willkommen/").content.decode()
    assert "Hier finden Sie Hilfe." in outdated and "يسعدنا وجودكم." not in outdated
    languages = client.get(_base(world) + "info/willkommen/").content.decode().split(
        'id="page-languages"')[1].split("</p>")[0]
    assert "العربية" not in languages


def test_open_data_has_a_licence_and_the_eligibility(world):
    offer(world, "Psychosoziale Beratung", "health", towns=[world.town_a])
    page = Client().get(f"/open-data/{world.district.code}/guide/directory.json")
    assert page.status_code == 200 and page["Content-Type"] == "application/json"
    data = json.loads(page.content)
    assert data["licence"]["id"] == "dl-de/by-2-0" and data["licence"]["url"].startswith("https://")
    [psych] = [o for o in data["offers"] if o["texts"]["name"]["de"] == "Psychosoziale Beratung"]
    assert psych["eligibility"]["municipalities"] == [world.town_a.code]
    assert {c["name"]: c["municipalities"] for c in data["welcome_counsellors"]} == {
        "Leyla Demir": [world.town_a.code], "Jonas Becker": [world.town_b.code]}
    assert "Sozialamt A-Dorf" in [o["name"] for o in data["offices"]]


def test_open_data_lists_future_rule_versions_with_their_dates(world):
    change_from("money-temporary-sgb2", datetime.date(2099, 1, 1), agency_kind=AgencyKind.SOCIAL_OFFICE)
    data = Client().get(f"/open-data/{world.district.code}/guide/responsibilities.json").json()
    versions = [r for r in data["responsibilities"] if r["key"] == "money-temporary-sgb2"]
    assert [(v["valid_from"], v["in_force"]) for v in versions] == [("2022-06-01", True), ("2099-01-01", False)]
    assert data["licence"]["id"] == "dl-de/by-2-0"
    social_a = world.agencies["social_a"].pk
    assert data["offices_by_municipality"][world.town_a.code]["social_office"] == [social_a]
    assert Client().get("/open-data/00000/guide/directory.json").status_code == 404


def test_the_welcome_sheet_points_to_the_public_address_of_the_guide(world, settings):
    from lotse.consent.tests.test_consent_pdf import extract_text

    settings.LOTSE_PUBLIC_BASE_URL = "https://wegweiser.example.org/"
    page = Client().get(_base(world, "uk") + f"willkommensblatt/{world.town_b.pk}.pdf")
    assert page.status_code == 200 and page["Content-Type"] == "application/pdf"
    assert "willkommensblatt-b-stadt-uk.pdf" in page["Content-Disposition"]
    text = extract_text(page.content)
    assert f"https://wegweiser.example.org/wegweiser/{world.district.code}/uk/" in text.replace(" ", "")  # may wrap
    assert "Jonas Becker" in text and "Leyla Demir" not in text


def test_unknown_addresses_get_the_guide_not_found_page(world):
    client = Client()
    unknown_language = client.get(f"/wegweiser/{world.district.code}/xx/", headers={"accept-language": "uk"})
    assert unknown_language.status_code == 404
    assert '<html lang="uk"' in unknown_language.content.decode()
    unknown_district = client.get("/wegweiser/00000/ar/zustaendig/")
    assert unknown_district.status_code == 404
    assert '<html lang="ar" dir="rtl"' in unknown_district.content.decode()


def test_public_pages_only_answer_reading_requests(world):
    client = Client()
    assert client.post(_base(world) + "zustaendig/", {"m": world.town_a.pk}).status_code == 405
    assert client.head(_base(world)).status_code == 200
    assert client.head(f"/open-data/{world.district.code}/guide/directory.json").status_code == 200


def test_language_links_carry_only_the_answers_and_not_junk(world):
    page = Client().get(_base(world) + "zustaendig/", {"m": world.town_a.pk, "s": "tolerated",
                                                        "junk": "x" * 5000, "q": "y" * 5000}).content.decode()
    link = page.split('hreflang="uk"')[0].rsplit('href="', 1)[1]
    assert f"m={world.town_a.pk}" in link and "s=tolerated" in link and "junk" not in link
    assert len(link) < 300


def test_a_step_without_an_office_in_the_district_names_the_kind_of_office(world):
    answer = Client().get(_base(world) + "zustaendig/", {"m": world.town_a.pk, "s": "protection",
                                                          "t": "registration"}).content.decode()
    step = answer.split('<ol class="lotse-guide__steps">')[1].split("</li>")[0]  # registration comes first
    assert "Wohnung anmelden" in step
    assert "Bürgerbüro (Meldebehörde)" in step
