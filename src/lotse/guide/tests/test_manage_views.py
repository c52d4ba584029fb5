"""Content management of the newcomers' guide through the staff UI: who sees which page, the
outdated mark after a change of the German text, translators limited to their languages, other
districts' entries out of reach, the review list, and bad input that saves nothing."""

import datetime
import html

import pytest
from django.test import Client
from django.urls import reverse

from lotse.core.testing import build_world
from lotse.guide.models import GuideText, OfficeProfile, Translation, TranslatorLanguages, WelcomeCounsellor
from lotse.offers.models import Offer
from lotse.organisations.models import Role
from lotse.web.tests.test_views import _client_for

pytestmark = pytest.mark.django_db

MANAGE_ONLY = ["/staff/guide/offices/", "/staff/guide/counsellors/", "/staff/guide/counsellors/new/",
               "/staff/guide/texts/", "/staff/guide/texts/new/", "/staff/guide/translators/"]
SHARED = ["/staff/guide/", "/staff/guide/translations/"]


def _page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def text(world) -> GuideText:
    return GuideText.objects.create(district=world.district, slug="willkommen", title="Willkommen",
                                    body="Willkommen im Kreis.")


def _text_form(text: GuideText, **changes) -> dict:
    data = {"title": text.title, "slug": text.slug, "body": text.body, "easy_body": text.easy_body,
            "order": text.order, "public": "on"}
    data.update(changes)
    return data


def _counsellor_form(world, **changes) -> dict:
    data = {"name": "Nadia Karimi", "agency": world.agencies["caritas"].pk, "municipalities": [world.town_a.pk],
            "languages": ["de", "fa"], "office_hours": "Montags 9–12 Uhr", "active": "on"}
    data.update(changes)
    return data


def _translation_url(key: str, language: str = "") -> str:
    if language:
        return reverse("web:guide-translation-edit", args=[key, language])
    return reverse("web:guide-entry-translations", args=[key])


def _state_row(page: str, language_name: str) -> str:
    """The row of one language in the state table of an entry."""
    start = page.index(f'scope="row">{language_name}')
    return page[start:page.index("</tr>", start)]


def test_only_coordinators_and_translators_reach_the_area(world, text):
    caritas = _client_for(world, "caritas")
    for url in [*MANAGE_ONLY, *SHARED, _translation_url(text.translation_key)]:
        assert caritas.get(url).status_code == 404, url
    assert "/staff/guide/" not in caritas.get("/").content.decode()
    translator = _client_for(world, "translator")
    for url in MANAGE_ONLY:
        assert translator.get(url).status_code == 404, url
    for url in SHARED:
        assert translator.get(url).status_code == 200, url
    assert 'href="/staff/guide/"' in translator.get("/").content.decode()
    coordinator = _client_for(world, "coordinator")
    for url in [*MANAGE_ONLY, *SHARED, _translation_url(text.translation_key),
                f"/staff/guide/offices/{world.agencies['abh'].pk}/",
                f"/staff/guide/texts/{text.pk}/", f"/staff/guide/translators/{world.users['translator'].pk}/"]:
        assert coordinator.get(url).status_code == 200, url
    page = _page(coordinator.get("/"))
    assert 'href="/staff/guide/"' in page and "Wegweiser" in page


def test_a_change_of_the_german_text_marks_the_translation_outdated_until_it_is_saved_anew(world, text):
    client = _client_for(world, "coordinator")
    key = text.translation_key
    response = client.post(_translation_url(key, "en"), {
        "text_title": "Welcome", "status_title": "reviewed",
        "text_body": "Welcome to the district.", "status_body": "reviewed"})
    assert response.status_code == 302
    page = _page(client.get(_translation_url(key)))
    assert "geprüft" in _state_row(page, "English") and "veraltet" not in page

    # The German text changes on its edit page: the English text is now outdated.
    response = client.post(f"/staff/guide/texts/{text.pk}/", _text_form(text, body="Herzlich willkommen im Kreis."))
    assert response.status_code == 302
    page = _page(client.get(_translation_url(key)))
    english = _state_row(page, "English")
    assert "veraltet" in english and "geprüft" in english  # title still current, text outdated
    assert "veraltet" not in _state_row(page, "العربية (ar)")  # nothing there: missing, not outdated
    page = _page(client.get(_translation_url(key, "en")))
    assert "Herzlich willkommen im Kreis." in page and "Welcome to the district." in page
    assert "veraltet" in page and "noch zum geänderten deutschen Text" in page
    work = _page(client.get("/staff/guide/translations/", {"language": "en", "state": "outdated"}))
    assert "Willkommen" in work and "veraltet" in work

    # Saving the title only leaves the outdated text outdated …
    client.post(_translation_url(key, "en"), {
        "text_title": "Welcome!", "status_title": "reviewed",
        "text_body": "Welcome to the district.", "status_body": "reviewed"})
    assert "veraltet" in _state_row(_page(client.get(_translation_url(key))), "English")
    # … a new translation of the text makes it current again.
    client.post(_translation_url(key, "en"), {
        "text_title": "Welcome!", "status_title": "reviewed",
        "text_body": "A warm welcome to the district.", "status_body": "reviewed"})
    page = _page(client.get(_translation_url(key)))
    assert "veraltet" not in page
    assert Translation.objects.get(key=key, field="body", language="en").text == "A warm welcome to the district."


def test_an_unchanged_outdated_translation_becomes_current_when_confirmed(world, text):
    client = _client_for(world, "coordinator")
    key = text.translation_key
    client.post(_translation_url(key, "en"), {"text_title": "Welcome", "status_title": "reviewed"})
    client.post(f"/staff/guide/texts/{text.pk}/", _text_form(text, title="Willkommen!"))
    assert "veraltet" in _state_row(_page(client.get(_translation_url(key))), "English")
    client.post(_translation_url(key, "en"), {"text_title": "Welcome", "status_title": "reviewed",
                                              "confirm_title": "on"})
    assert "veraltet" not in _page(client.get(_translation_url(key)))


def test_a_translator_for_arabic_saves_arabic_and_is_refused_ukrainian(world, text):
    TranslatorLanguages.objects.create(user=world.users["translator"], languages=["ar"])
    client = _client_for(world, "translator")
    key = text.translation_key
    page = _page(client.get(_translation_url(key)))
    assert "العربية (ar)" in page and "Українська" not in page and "English" not in page
    edit = _page(client.get(_translation_url(key, "ar")))
    assert 'dir="rtl"' in edit and "Willkommen im Kreis." in edit
    response = client.post(_translation_url(key, "ar"), {"text_title": "أهلاً وسهلاً", "status_title": "reviewed"})
    assert response.status_code == 302
    assert Translation.objects.get(key=key, language="ar").text == "أهلاً وسهلاً"

    assert client.get(_translation_url(key, "uk")).status_code == 404
    response = client.post(_translation_url(key, "uk"), {"text_title": "Ласкаво просимо", "status_title": "reviewed"})
    assert response.status_code == 404
    assert list(Translation.objects.values_list("language", flat=True)) == ["ar"]
    work = _page(client.get("/staff/guide/translations/"))
    assert "Willkommen" in work and "العربية (ar)" in work and "Українська" not in work
    assert client.get("/staff/guide/translations/", {"language": "uk"}).status_code == 400


def test_another_districts_coordinator_neither_sees_nor_edits_the_entries(world, text):
    counsellor = WelcomeCounsellor.objects.create(district=world.district, agency=world.agencies["caritas"],
                                                  name="Nadia Karimi")
    profile = OfficeProfile.objects.create(agency=world.agencies["abh"], description="Aufenthalt")
    other = build_world("88888")
    client = _client_for(other, "coordinator")
    for url in [f"/staff/guide/texts/{text.pk}/", f"/staff/guide/counsellors/{counsellor.pk}/",
                f"/staff/guide/offices/{world.agencies['abh'].pk}/",
                f"/staff/guide/translators/{world.users['translator'].pk}/",
                _translation_url(text.translation_key), _translation_url(profile.translation_key, "en")]:
        assert client.get(url).status_code == 404, url
    response = client.post(f"/staff/guide/texts/{text.pk}/", _text_form(text, title="Gekapert"))
    assert response.status_code == 404
    response = client.post(_translation_url(counsellor.translation_key, "en"),
                           {"text_office_hours": "x", "status_office_hours": "reviewed"})
    assert response.status_code == 404
    client.post(f"/staff/guide/counsellors/{counsellor.pk}/deactivate/")
    # Both test districts name their agencies alike: the links tell whose entries a list shows.
    foreign = [f"/staff/guide/texts/{text.pk}/", f"/staff/guide/counsellors/{counsellor.pk}/",
               f"/staff/guide/offices/{world.agencies['abh'].pk}/", _translation_url(text.translation_key),
               _translation_url(counsellor.translation_key), f"/staff/guide/translators/{world.users['translator'].pk}/"]
    for url in ["/staff/guide/", "/staff/guide/texts/", "/staff/guide/counsellors/", "/staff/guide/offices/",
                "/staff/guide/translations/", "/staff/guide/translators/"]:
        page = _page(client.get(url))
        assert not [link for link in foreign if f'href="{link}"' in page], url
        assert "Nadia Karimi" not in page and ">Willkommen<" not in page, url
    assert f'href="/staff/guide/offices/{other.agencies["abh"].pk}/"' in _page(client.get("/staff/guide/offices/"))
    assert GuideText.objects.get(pk=text.pk).title == "Willkommen"
    assert WelcomeCounsellor.objects.get(pk=counsellor.pk).active
    assert not Translation.objects.exists()


def test_the_overview_lists_entries_past_their_review_date(world):
    today = datetime.date.today()  # noqa: DTZ011  (the request's day)
    WelcomeCounsellor.objects.create(district=world.district, agency=world.agencies["caritas"],
                                     name="Überfällig Person", review_due=today - datetime.timedelta(days=3))
    WelcomeCounsellor.objects.create(district=world.district, agency=world.agencies["caritas"],
                                     name="Zukunft Person", review_due=today + datetime.timedelta(days=30))
    Offer.objects.create(district=world.district, name="Altes Angebot", life_area="language",
                         provider_name="VHS", review_due=today - datetime.timedelta(days=100))
    page = _page(_client_for(world, "coordinator").get("/staff/guide/"))
    overdue = page[page.index('id="overdue"'):page.index('id="translations"')]
    assert "Überfällig Person" in overdue and "Altes Angebot" in overdue
    assert "Zukunft Person" not in overdue
    assert overdue.index("Altes Angebot") < overdue.index("Überfällig Person")  # oldest first
    # Translators see no review list.
    assert 'id="overdue"' not in _page(_client_for(world, "translator").get("/staff/guide/"))


def test_bad_input_is_refused_in_german_and_saves_nothing(world, text):
    client = _client_for(world, "coordinator")
    for changes, message in [({"name": ""}, "Geben Sie den Namen der Willkommensberater*in an."),
                             ({"languages": ["de", "xx"]}, "Unbekannte Sprache: xx."),
                             ({"municipalities": [999999]}, "Wählen Sie Kommunen Ihres Kreises."),
                             ({"municipalities": ["abc"]}, "Wählen Sie Kommunen Ihres Kreises.")]:
        response = client.post("/staff/guide/counsellors/new/", _counsellor_form(world, **changes))
        assert response.status_code == 400, changes
        assert message in _page(response), changes
    assert not WelcomeCounsellor.objects.exists()

    agency = world.agencies["abh"]
    response = client.post(f"/staff/guide/offices/{agency.pk}/", {"description": "Aufenthalt", "languages": ["xx"]})
    assert response.status_code == 400 and "Unbekannte Sprache: xx." in _page(response)
    assert not OfficeProfile.objects.exists()

    response = client.post(f"/staff/guide/texts/{text.pk}/", _text_form(text, title="", body="Neu"))
    assert response.status_code == 400 and "Geben Sie dem Text einen Titel." in _page(response)
    assert GuideText.objects.get(pk=text.pk).body == "Willkommen im Kreis."

    response = client.post(_translation_url(text.translation_key, "en"),
                           {"text_title": "Welcome", "status_title": "perfect"})
    assert response.status_code == 400
    assert client.get(_translation_url(text.translation_key, "xx")).status_code == 404
    response = client.post(f"/staff/guide/translators/{world.users['translator'].pk}/", {"languages": ["xx"]})
    assert response.status_code == 400 and "Unbekannte Sprache: xx." in _page(response)
    assert not Translation.objects.exists() and not TranslatorLanguages.objects.exists()


def test_coordinators_keep_counsellors_texts_profiles_and_translators(world):
    client = _client_for(world, "coordinator")
    response = client.post("/staff/guide/counsellors/new/", _counsellor_form(
        world, municipalities=[world.town_a.pk, world.town_b.pk], review_due="2027-01-31"))
    assert response.status_code == 302
    counsellor = WelcomeCounsellor.objects.get()
    assert (counsellor.languages, counsellor.review_due, counsellor.municipalities.count()) == (
        ["de", "fa"], datetime.date(2027, 1, 31), 2)
    assert "Nadia Karimi" in _page(client.get("/staff/guide/counsellors/"))
    client.post(f"/staff/guide/counsellors/{counsellor.pk}/deactivate/")
    counsellor.refresh_from_db()
    assert not counsellor.active

    response = client.post("/staff/guide/texts/new/", {"title": "Was ist die Willkommensberatung?",
                                                      "slug": "willkommensberatung", "body": "Beratung für alle.",
                                                      "order": 2, "public": "on"})
    assert response.status_code == 302 and GuideText.objects.get().slug == "willkommensberatung"

    agency = world.agencies["jobcentre"]
    response = client.post(f"/staff/guide/offices/{agency.pk}/", {
        "public": "on", "description": "Bürgergeld und Arbeit", "opening_hours": "Mo–Fr 8–12 Uhr",
        "website": "jobcenter.example.org", "languages": ["de", "ar"]})
    assert response.status_code == 302
    profile = OfficeProfile.objects.get(agency=agency)
    assert (profile.website, profile.languages) == ("https://jobcenter.example.org", ["de", "ar"])
    assert "Bürgergeld und Arbeit" in _page(client.get(f"/staff/guide/offices/{agency.pk}/"))

    translator = world.users["translator"]
    assert str(translator) in _page(client.get("/staff/guide/translators/"))
    response = client.post(f"/staff/guide/translators/{translator.pk}/", {"languages": ["uk", "ar"]})
    assert response.status_code == 302
    assert TranslatorLanguages.objects.get(user=translator).languages == ["ar", "uk"]


def test_the_offer_form_saves_target_groups_and_eligibility(world):
    client = _client_for(world, "coordinator")
    page = _page(client.get("/offers/new/"))
    assert "Im Asylverfahren" in page or "asylum_procedure" in page
    response = client.post("/offers/new/", {
        "name": "Sprachcafé", "life_area": "language", "provider_agency": world.agencies["caritas"].pk,
        "target_groups": ["tolerated", "asylum_procedure"], "eligibility_note": "Ab 16 Jahren",
        "review_due": "2027-03-01", "active": "on", "public": "on"})
    assert response.status_code == 302
    offer = Offer.objects.get(name="Sprachcafé")
    assert (offer.target_groups, offer.eligibility_note, offer.public, offer.review_due) == (
        ["asylum_procedure", "tolerated"], "Ab 16 Jahren", True, datetime.date(2027, 3, 1))
    page = _page(client.get(f"/offers/{offer.pk}/"))
    assert "Ab 16 Jahren" in page and _translation_url(offer.translation_key) in page
    response = client.post(f"/offers/{offer.pk}/", {"name": "Sprachcafé", "life_area": "language",
                                                    "provider_agency": world.agencies["caritas"].pk,
                                                    "target_groups": ["martians"]})
    assert response.status_code == 400
    offer.refresh_from_db()
    assert offer.target_groups == ["asylum_procedure", "tolerated"]


def test_first_steps_are_translated_here_and_edited_in_the_rules_area(world):
    client = _client_for(world, "coordinator")
    page = _page(client.get(_translation_url("step:registration")))
    assert "Wohnung anmelden" in page and "/admin/rules/" not in page  # coordinators keep no rules
    refused = client.post(_translation_url("step:registration", "tr"), {
        "text_title": "Adres kaydı", "status_title": "machine_draft"})
    assert refused.status_code == 400
    assert "gelten für alle Kreise dieser Installation" in refused.content.decode()
    assert not Translation.objects.filter(key="step:registration").exists()
    world.users["coordinator"].roles.add(Role.objects.get(code="administrator", district__isnull=True))
    response = client.post(_translation_url("step:registration", "tr"), {
        "text_title": "Adres kaydı", "status_title": "machine_draft"})
    assert response.status_code == 302
    row = Translation.objects.get(key="step:registration", language="tr")
    assert (row.field, row.status, row.district_id) == ("title", "machine_draft", None)
    assert "maschineller Entwurf" in _state_row(_page(client.get(_translation_url("step:registration"))),
                                                "Türkçe")
    assert client.get(_translation_url("step:no-such-step")).status_code == 404


def test_coordinators_keep_the_offices_contact_for_the_guide(world):
    client = _client_for(world, "coordinator")
    jobcentre = world.agencies["jobcentre"]
    url = f"/staff/guide/offices/{jobcentre.pk}/"
    form = {"street": "Bismarckstraße 10", "postal_code": "52351", "city": "Düren", "phone": "02421 000000",
            "email": "info@jobcenter.example.org", "public": "on", "description": "Zahlt Bürgergeld.",
            "opening_hours": "Mo–Fr 8–12 Uhr", "website": "", "review_due": ""}
    bad = client.post(url, {**form, "email": "kein-mail"})
    assert bad.status_code == 400 and "gültige E-Mail-Adresse" in _page(bad)
    jobcentre.refresh_from_db()
    assert (jobcentre.phone, jobcentre.street) == ("", "")
    assert client.post(url, form).status_code == 302
    jobcentre.refresh_from_db()
    assert (jobcentre.street, jobcentre.phone, jobcentre.email) == (
        "Bismarckstraße 10", "02421 000000", "info@jobcenter.example.org")
    public = Client().get(f"/wegweiser/{world.district.code}/de/verzeichnis/", {"q": "bürgergeld"})
    assert "Bismarckstraße 10, 52351 Düren" in public.content.decode()
