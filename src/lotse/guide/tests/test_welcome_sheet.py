"""The welcome sheet: what a reader finds on the printed page per municipality and language, that
it stays one page, and that the fixed texts are complete in every guide language.

Text is extracted with pdftotext (poppler) like the consent form tests: shaped Arabic and
Persian come back in logical order; `normalise` drops bidi controls and combining marks."""

import datetime
import io
import re
import shutil
import subprocess

import pypdf
import pytest

from lotse.consent.tests.test_consent_pdf import extract_text, normalise
from lotse.core.vocabulary import NewcomerSituation
from lotse.guide.languages import GUIDE_LANGUAGES
from lotse.guide.models import OfficeProfile, Translation, TranslationStatus, WelcomeCounsellor
from lotse.guide.sheet_texts import SHEET_TEXTS
from lotse.guide.translation import source_hash
from lotse.guide.welcome_sheet import MAIN_OFFICE_KINDS, welcome_sheet_html, welcome_sheet_pdf
from lotse.rules.models import FirstStep

ON = datetime.date(2026, 1, 15)
URL = "https://wegweiser.example.org/05358/ar/"
ARABIC_REGISTRATION = "تسجيل السكن في البلدية"


def pages(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def sheet(district, municipality, language: str, url: str = URL) -> tuple[bytes, str]:
    pdf = welcome_sheet_pdf(district, municipality, language, guide_url=url, on=ON)
    return pdf, extract_text(pdf)


def counsellor(district, agency, name: str, *municipalities, **values) -> WelcomeCounsellor:
    c = WelcomeCounsellor.objects.create(district=district, agency=agency, name=name, **values)
    c.municipalities.set(municipalities)
    return c


def translate(key: str, field: str, language: str, german: str, text: str,
              status: str = TranslationStatus.REVIEWED) -> Translation:
    return Translation.objects.create(key=key, field=field, language=language, text=text, status=status,
                                      source_hash=source_hash(german))


@pytest.fixture
def guide(world):
    """Testkreis with a counsellor per town and the Arabic title of the registration step."""
    caritas = world.agencies["caritas"]
    counsellor(world.district, caritas, "Miriam Beispiel", world.town_a, phone="02421 481-17",
               email="m.beispiel@caritas.example.org", address="Kirchstraße 3, 52349 A-Dorf",
               office_hours="Di und Do 9–12 Uhr", languages=["de", "ar", "fr"])
    counsellor(world.district, caritas, "Yusuf Muster", world.town_b, phone="02421 481-18",
               email="y.muster@caritas.example.org", office_hours="Mo 14–17 Uhr")
    step = FirstStep.objects.in_force(ON).get(key="registration")
    translate("step:registration", "title", "ar", step.title, ARABIC_REGISTRATION)
    return world


# --- the fixed texts (no database) ---------------------------------------------------------------


@pytest.mark.db_independent
def test_every_guide_language_has_exactly_the_german_keys():
    assert set(SHEET_TEXTS) == set(GUIDE_LANGUAGES)
    german = set(SHEET_TEXTS["de"])
    for lang, texts in SHEET_TEXTS.items():
        assert set(texts) == german, lang
        assert all(isinstance(v, str) and v.strip() for v in texts.values()), lang


@pytest.mark.db_independent
def test_texts_keep_placeholders_contain_no_markup_and_cover_situations_and_offices():
    placeholder = re.compile(r"\{\w+\}")
    for key, german in SHEET_TEXTS["de"].items():
        for lang in GUIDE_LANGUAGES:
            text = SHEET_TEXTS[lang][key]
            assert placeholder.findall(text) == placeholder.findall(german), (lang, key)
            assert not set(text) & set("<>&"), (lang, key)
    for code in NewcomerSituation.values:
        assert f"situation_{code}" in SHEET_TEXTS["de"]
    for kind in MAIN_OFFICE_KINDS:
        assert f"kind_{kind}" in SHEET_TEXTS["de"]


@pytest.mark.db_independent
def test_latin_words_in_right_to_left_texts_are_ascii():
    """core.printing isolates ASCII runs only: an umlaut would cut a German word apart."""
    for lang in ("ar", "fa"):
        for key, text in SHEET_TEXTS[lang].items():
            assert not re.search(r"[\u00c0-\u024f]", text), (lang, key)


# --- the sheet ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_town_gets_its_own_counsellor(guide):
    _, text_a = sheet(guide.district, guide.town_a, "de")
    _, text_b = sheet(guide.district, guide.town_b, "de")
    assert "Willkommen in A-Dorf" in text_a and "Willkommen in B-Stadt" in text_b
    assert "Miriam Beispiel" in text_a and "Yusuf Muster" not in text_a
    assert "Sprachen: Deutsch, العربية, français" in text_a
    assert "Yusuf Muster" in text_b and "Miriam Beispiel" not in text_b
    assert "02421 481-17" in text_a and "m.beispiel@caritas.example.org" in text_a
    assert "Di und Do 9–12 Uhr" in text_a
    assert "Kirchstraße 3, 52349 A-Dorf" in text_a
    # each town's own social office, the district-wide offices for both
    assert "Sozialamt A-Dorf" in text_a and "Sozialamt B-Stadt" not in text_a
    assert "Sozialamt B-Stadt" in text_b
    for text in (text_a, text_b):
        assert "Ausländerbehörde Teststadt" in text and "Jobcenter Test" in text
        assert "Psychosoziale Beratung Test" not in text  # not a main office


@pytest.mark.django_db
def test_german_sheet_has_its_headings_the_whole_checklist_and_notes_for_whom(guide):
    pdf, text = sheet(guide.district, guide.town_a, "de")
    assert pdf.startswith(b"%PDF-")
    de = SHEET_TEXTS["de"]
    for key in ("counsellor_heading", "offices_heading", "steps_heading", "qr_heading"):
        assert normalise(de[key]) in text, key
    for step in FirstStep.objects.in_force(ON):
        assert normalise(step.title) in text, step.key
    # a step for some situations says for whom: the shorter list
    assert "Nur für: Asylverfahren, Duldung" in text  # health card, AsylbLG benefits
    assert "Nicht für: Asylverfahren, Duldung" in text  # health insurance, child benefit
    assert "Frist: innerhalb von 14 Tagen" in text
    assert "Wo: Sozialamt A-Dorf" in text  # the office of a step, by its German name
    assert "Wo: Caritas Test" in text  # the German course: the counsellor's welfare association
    assert "Wo: Bundeszentralamt für Steuern" in text
    assert "Stand: 15.01.2026" in text
    assert "Übersetzt" not in text and normalise(de["german_note"]) not in text


@pytest.mark.django_db
def test_arabic_sheet_is_shaped_right_to_left_with_the_translated_step(guide):
    pdf, text = sheet(guide.district, guide.town_a, "ar")
    ar = SHEET_TEXTS["ar"]
    assert normalise(ARABIC_REGISTRATION) in text
    assert normalise(ar["steps_heading"]) in text
    assert normalise(ar["counsellor_heading"]) in text
    # the title: its words without the tanween (pdftotext splits the word at the mark)
    assert "بكم في" in text and "A-Dorf" in text
    # German names, numbers and Latin stay readable and in order inside right-to-left text
    assert "Miriam Beispiel" in text and "Sozialamt A-Dorf" in text
    assert "02421 481-17" in text and "m.beispiel@caritas.example.org" in text
    assert "15.01.2026" in text
    # an untranslated step is shown in German, and the footer says so
    assert "Wohnung anmelden" not in text
    assert "Bankkonto" in text
    assert normalise(ar["german_note"]).rstrip(".") in text  # pdftotext moves the full stop
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert reader.trailer["/Root"].get("/Lang") == "ar"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged (PDF/UA-1)
    assert "A-Dorf" in reader.metadata.title

    # the Arabic title line runs from right to left: its first word sits right of the later ones
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed"
    boxes = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True,
    ).stdout.decode("utf-8")
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', boxes)
    wanted = [normalise(w) for w in ARABIC_REGISTRATION.split()[:3]]
    lines: dict[str, dict[str, float]] = {}
    for x_min, y_min, word in words:  # pdftotext gives RTL words in visual (reversed) order
        word = normalise(word[::-1])
        if word in wanted:
            lines.setdefault(y_min, {}).setdefault(word, float(x_min))
    assert any(len(found) == 3 and found[wanted[0]] > found[wanted[1]] > found[wanted[2]]
               for found in lines.values())


@pytest.mark.django_db
def test_translations_are_used_where_current_and_german_names_stay_visible(guide):
    tax = FirstStep.objects.in_force(ON).get(key="tax-id")
    translate("step:tax-id", "outside_office", "en", tax.outside_office, "Federal Central Tax Office")
    translate("step:tax-id", "title", "en", tax.title, "Tax identification number")
    # made from an older German title: outdated, so the German one is shown
    translate("step:bank-account", "title", "en", "Girokonto", "Current account")
    c = WelcomeCounsellor.objects.get(name="Miriam Beispiel")
    translate(c.translation_key, "office_hours", "en", c.office_hours, "Tue and Thu 9 am to 12 noon")
    _, text = sheet(guide.district, guide.town_a, "en")
    assert "Tax identification number" in text
    assert "Where: Federal Central Tax Office (Bundeszentralamt für Steuern)" in text
    assert "Current account" not in text and "Bankkonto" in text
    assert "Tue and Thu 9 am to 12 noon" in text and "Di und Do" not in text
    assert "Only for: asylum procedure, tolerated stay (Duldung)" in text
    assert normalise(SHEET_TEXTS["en"]["german_note"]) in text


@pytest.mark.django_db
def test_guide_url_is_printed_and_encoded_as_inline_svg(guide):
    url = "https://wegweiser.example.org/05358/fa/"
    html = welcome_sheet_html(guide.district, guide.town_a, "fa", guide_url=url, on=ON)
    assert re.search(r'<html lang="fa" dir="rtl">', html)
    assert "<svg" in html and "<path" in html
    assert 'role="img"' in html and SHEET_TEXTS["fa"]["qr_alt"] in html
    _, text = sheet(guide.district, guide.town_a, "fa", url)
    assert url in re.sub(r"\s+", "", text)  # printed in full (it may wrap after a slash)


@pytest.mark.django_db
def test_town_without_counsellor_points_to_the_offices(guide):
    WelcomeCounsellor.objects.filter(name="Yusuf Muster").update(active=False)
    _, text = sheet(guide.district, guide.town_b, "de")
    assert normalise(SHEET_TEXTS["de"]["no_counsellor"]) in text
    assert "Yusuf Muster" not in text


@pytest.mark.django_db
def test_refuses_unknown_language_other_district_and_relative_url(guide):
    from lotse.core.testing import build_world

    with pytest.raises(ValueError, match="language"):
        welcome_sheet_pdf(guide.district, guide.town_a, "xx", guide_url=URL, on=ON)
    with pytest.raises(ValueError, match="language"):
        welcome_sheet_pdf(guide.district, guide.town_a, "de-easy", guide_url=URL, on=ON)
    with pytest.raises(ValueError, match="URL"):
        welcome_sheet_pdf(guide.district, guide.town_a, "de", guide_url="/wegweiser/", on=ON)
    other = build_world("88888")
    with pytest.raises(ValueError, match="district"):
        welcome_sheet_pdf(guide.district, other.town_a, "de", guide_url=URL, on=ON)


# --- one page for the largest town ----------------------------------------------------------------


@pytest.fixture
def dueren(db):
    """Kreis Düren as seeded (agencies with their real-length names and addresses), two
    counsellors for Düren and opening hours for every main office: the fullest sheet."""
    from django.core.management import call_command

    from lotse.organisations.management.commands.seed import build_kreis_dueren

    call_command("load_reference_data", verbosity=0)
    kd = build_kreis_dueren()
    town = kd.municipalities["Düren"]
    counsellor(kd.district, kd.agencies["caritas"], "Fatima Al-Khatib-Schneider", town,
               address="Kurfürstenstraße 10, 52351 Düren", phone="02421 481-123",
               email="willkommen-dueren@caritas-dueren.example.org",
               office_hours="Montag bis Donnerstag 9–12 Uhr und 14–16 Uhr\nFreitag 9–12 Uhr, "
                            "sonst nach Vereinbarung",
               languages=["de", "ar", "fa", "en", "fr"])
    counsellor(kd.district, kd.agencies["diakonie"], "Oleksandr Kovalenko", town,
               phone="02421 188-45", email="willkommen@diakonie-juelich.example.org",
               office_hours="Dienstag und Mittwoch 9–15 Uhr", languages=["de", "uk", "ru"])
    for key in ("abh", "jobcom", "ki", "sozialamt-dueren", "buergerbuero-dueren"):
        OfficeProfile.objects.create(agency=kd.agencies[key],
                                     opening_hours="Mo–Fr 8–12 Uhr, Do auch 14–18 Uhr")
    return kd


@pytest.mark.django_db
@pytest.mark.parametrize("lang", GUIDE_LANGUAGES)
def test_dueren_with_the_full_checklist_fits_one_page(dueren, lang):
    town = dueren.municipalities["Düren"]
    pdf, text = sheet(dueren.district, town, lang, f"https://wegweiser.example.org/05358/{lang}/")
    assert pages(pdf) == 1
    assert "Fatima Al-Khatib-Schneider" in text and "Oleksandr Kovalenko" in text
    assert "Bürgerbüro Stadt Düren" in text and "Kommunales Integrationszentrum Kreis Düren" in text
    # "Stand: 15.01.2026": label and date (pdftotext may reorder them on a right-to-left line)
    assert normalise(SHEET_TEXTS[lang]["as_of"].split(":")[0]) in text and "15.01.2026" in text


@pytest.mark.django_db
def test_a_crowded_sheet_is_set_in_smaller_type_and_stays_one_page(dueren, monkeypatch):
    from lotse.guide import welcome_sheet

    town = dueren.municipalities["Düren"]
    for name in ("Hanna Zweite-Beraterin", "Ali Dritter-Berater"):
        counsellor(dueren.district, dueren.agencies["awo"], name, town, phone="02421 9403-10",
                   email="willkommen@awo-dueren.example.org",
                   office_hours="Montag, Mittwoch und Freitag 9–12 Uhr\nDienstag 14–17 Uhr", languages=["de", "ar"])
    layouts = []
    render = welcome_sheet.render_sheet_html
    monkeypatch.setattr(welcome_sheet, "render_sheet_html",
                        lambda context, tight=False: layouts.append(tight) or render(context, tight=tight))
    pdf, text = sheet(dueren.district, town, "ar")
    assert layouts == [False, True]
    assert pages(pdf) == 1
    assert "Ali Dritter-Berater" in text and "Familienkasse" in text
