"""The printable consent form: what a reader sees in the PDF, and completeness of the translations.

No database: ConsentFormData is plain data. Text is extracted with pdftotext (poppler), which gives
shaped Arabic/Persian in logical order; pypdf is the fallback when poppler is missing.
"""

import datetime
import io
import re
import shutil
import subprocess
import unicodedata

import pypdf
import pytest
from django.conf import settings

from lotse.consent import form_texts
from lotse.consent.form_texts import CATEGORY_DETAILS, CATEGORY_LABELS, PURPOSE_LABELS, TEXTS
from lotse.consent.pdf import ConsentFormData, render_consent_form
from lotse.consent.pdf_render import render_consent_html, render_consent_pdf
from lotse.core.vocabulary import DataCategory, Purpose

# Needs no database: run once, in the SQLite pass (see Makefile, docs/development.md).
pytestmark = pytest.mark.db_independent

ALL_LANGUAGES = {"de", "en", "ar", "uk", "ru", "tr", "fa"}
CHOSEN = ("identity", "benefits", "health")
UNCHOSEN = ("contact", "residence", "counselling_notes")

# One phrase from each translation that a reader of that language must find (no diacritics, no
# punctuation, so that extraction quirks do not matter).
TRANSLATED_PHRASE = {
    "ar": "موافقتكم طوعية",
    "fa": "رضایت شما داوطلبانه است",
    "uk": "Ваша згода є добровільною",
    "ru": "Ваше согласие является добровольным",
    "en": "Your consent is voluntary",
    "tr": "Rıza vermeniz isteğe bağlıdır",
}

_BIDI_AND_FORMAT = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def normalise(text: str) -> str:
    """What a reader sees, comparably: NFKC (presentation forms, NBSP), no bidi controls, no
    combining marks (Arabic tanween is extracted apart from its letter), whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = _BIDI_AND_FORMAT.sub("", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return re.sub(r"\s+", " ", text)


def extract_text(pdf: bytes) -> str:
    if shutil.which("pdftotext"):
        result = subprocess.run(  # noqa: S603 - fixed command, PDF on stdin
            ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True,
        )
        return normalise(result.stdout.decode("utf-8"))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return normalise("\n".join(page.extract_text() for page in reader.pages))


def make_data(**overrides) -> ConsentFormData:
    values = dict(
        district_name="Kreis Düren",
        person_name="Amina Al-Hassan",
        person_birth="03.07.1991",
        categories=CHOSEN,
        from_name="Sozialamt Kreis Düren",
        to_name="Jobcenter Kreis Düren",
        purpose=Purpose.BENEFITS_HANDOVER.value,
        given_on=datetime.date(2025, 3, 1),
        valid_until=None,
        language="ar",
        consent_id=None,
    )
    values.update(overrides)
    return ConsentFormData(**values)


@pytest.fixture(scope="module")
def rendered():
    """Render each form once per module: {key: (pdf bytes, extracted text)}."""
    cache = {}

    def get(**overrides):
        key = tuple(sorted(overrides.items()))
        if key not in cache:
            pdf = render_consent_form(make_data(**overrides))
            cache[key] = (pdf, extract_text(pdf))
        return cache[key]

    return get


# --- the texts --------------------------------------------------------------------------------


def test_all_person_languages_are_translated():
    assert set(TEXTS) == ALL_LANGUAGES
    assert set(settings.LOTSE_PERSON_LANGUAGES) <= set(TEXTS)
    for table in (CATEGORY_LABELS, CATEGORY_DETAILS, PURPOSE_LABELS):
        assert set(table) == ALL_LANGUAGES


@pytest.mark.parametrize("table", [TEXTS, CATEGORY_LABELS, CATEGORY_DETAILS, PURPOSE_LABELS],
                         ids=["texts", "categories", "details", "purposes"])
def test_every_language_has_exactly_the_german_keys(table):
    german = set(table[form_texts.SOURCE_LANGUAGE])
    for lang, texts in table.items():
        assert set(texts) == german, lang
        assert all(isinstance(v, str) and v.strip() for v in texts.values()), lang


def test_every_category_and_purpose_has_a_label_in_every_language():
    for lang in ALL_LANGUAGES:
        for category in DataCategory.values:
            assert CATEGORY_LABELS[lang][category].strip(), (lang, category)
            assert CATEGORY_DETAILS[lang][category].strip(), (lang, category)
        for purpose in Purpose.values:
            assert PURPOSE_LABELS[lang][purpose].strip(), (lang, purpose)
    assert set(CATEGORY_LABELS["de"]) == set(DataCategory.values)
    assert set(PURPOSE_LABELS["de"]) == set(Purpose.values)


def test_translations_keep_placeholders_and_contain_no_markup():
    placeholder = re.compile(r"\{\w+\}")
    for key, german in TEXTS["de"].items():
        for lang in ALL_LANGUAGES:
            text = TEXTS[lang][key]
            assert sorted(placeholder.findall(text)) == sorted(placeholder.findall(german)), (
                lang, key)
            assert not set(text) & set("<>&"), (lang, key)


def test_legal_references_stay_verbatim():
    for lang in ALL_LANGUAGES:
        assert "§ 67b SGB X" in TEXTS[lang]["legal_basis"], lang
        assert "Art. 9 Abs. 2 Buchst. a DSGVO" in TEXTS[lang]["legal_basis"], lang
        assert "Art. 7 Abs. 3 DSGVO" in TEXTS[lang]["revocation"], lang
        assert "Art. 9 DSGVO" in TEXTS[lang]["special_marker"], lang


# --- the PDF ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ar", "uk", "en", "fa", "ru", "tr"])
def test_bilingual_form_shows_exactly_what_is_shared(rendered, lang):
    pdf, text = rendered(language=lang)
    assert pdf.startswith(b"%PDF-")
    # German block
    assert "Einwilligungserklärung zur Übermittlung personenbezogener Daten" in text
    assert "Amina Al-Hassan" in text
    assert "03.07.1991" in text
    assert "Sozialamt Kreis Düren" in text
    assert "Jobcenter Kreis Düren" in text
    assert "Kreis Düren" in text
    assert "Wechsel des Leistungssystems" in text
    for category in CHOSEN:
        assert normalise(CATEGORY_LABELS["de"][category]) in text, category
    for category in UNCHOSEN:
        assert normalise(CATEGORY_LABELS["de"][category]) not in text, category
    assert "besondere Kategorie nach Art. 9 DSGVO" in text
    assert "jederzeit ganz oder teilweise widerrufen" in text
    assert "Art. 7 Abs. 3 DSGVO" in text
    assert "ab 01.03.2025, bis auf Widerruf" in text
    # translated block
    assert "Übersetzung" in text
    assert normalise(TRANSLATED_PHRASE[lang]) in text
    for category in CHOSEN:
        assert normalise(CATEGORY_LABELS[lang][category]) in text, (lang, category)
    for category in UNCHOSEN:
        assert normalise(CATEGORY_LABELS[lang][category]) not in text, (lang, category)
    # signature lines, German and translated
    assert "Ort, Datum" in text
    assert "gesetzlichen Vertretung" in text
    # the first two words only: labels wrap in their narrow column, and pdftotext may reorder
    # wrapped right-to-left lines and the punctuation in them
    assert normalise(" ".join(TEXTS[lang]["sig_person"].split()[:2])) in text


def test_arabic_page_is_right_to_left(rendered):
    """On an Arabic line the first word (logically) sits right of the later ones."""
    pdf, _ = rendered(language="ar")
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed; `make test` installs it"
    html = subprocess.run(  # noqa: S603
        ["pdftotext", "-bbox", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html)
    # "موافقتكم طوعية." — pdftotext reports RTL words in visual (reversed) character order.
    first = [w for w in words if normalise(w[2][::-1]) == "موافقتكم"]
    second = [w for w in words if normalise(w[2][::-1]).startswith("طوعية")]
    assert first and second
    assert first[0][1] == second[0][1]  # same line
    assert float(first[0][0]) > float(second[0][0])  # first word is further right


def test_german_only_form_has_no_translation(rendered):
    pdf, text = rendered(language="de")
    assert "Einwilligungserklärung" in text
    assert "Übersetzung" not in text
    assert "Your consent" not in text
    assert "Seite 1 von 1" in text
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1


def test_draft_is_labelled(rendered):
    _, text = rendered(language="en")
    assert "ENTWURF – noch nicht erfasst" in text
    assert "DRAFT – not yet recorded" in text
    assert "Nr." not in text.split("Einwilligungserklärung")[0]


def test_recorded_consent_shows_its_number(rendered):
    _, text = rendered(language="en", consent_id=42)
    assert "Einwilligung Nr. 42" in text
    assert "Consent no. 42" in text
    assert "ENTWURF" not in text
    assert "DRAFT" not in text


def test_recorded_consent_number_in_ukrainian(rendered):
    _, text = rendered(language="uk", consent_id=42)
    assert "Einwilligung Nr. 42" in text
    assert normalise("Згода № 42") in text


def test_validity_end_date_and_no_special_category(rendered):
    _, text = rendered(language="de", categories=("contact", "residence"),
                       valid_until=datetime.date(2025, 12, 31), purpose="case_management")
    assert "ab 01.03.2025, bis einschließlich 31.12.2025" in text
    assert "bis auf Widerruf" not in text
    assert "Kontakt und Anschrift" in text
    assert "Aufenthaltsstatus" in text
    assert "Gesundheit" not in text
    assert "besondere Kategorie" not in text
    assert "Fallmanagement und Beratung" in text


def test_start_from_signature_when_no_date(rendered):
    _, text = rendered(language="de", given_on=None)
    assert "ab dem Tag der Unterschrift, bis auf Widerruf" in text


def test_page_footer_and_metadata(rendered):
    pdf, text = rendered(language="ar")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    assert f"Seite 1 von {len(reader.pages)}" in text
    assert f"Seite {len(reader.pages)} von {len(reader.pages)}" in text
    assert "Einwilligungserklärung" in reader.metadata.title
    root = reader.trailer["/Root"]
    assert root.get("/Lang") == "de"
    assert "/StructTreeRoot" in root  # tagged
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()  # PDF/UA-1 identified
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert abs(width - 595.28) < 1 and abs(height - 841.89) < 1  # A4


def test_many_categories_do_not_waste_pages(rendered):
    """All eight categories: German runs over page 1, so the translation follows on directly."""
    pdf, text = rendered(language="ar", categories=tuple(DataCategory.values))
    for category in DataCategory.values:
        assert normalise(CATEGORY_LABELS["de"][category]) in text
        assert normalise(CATEGORY_LABELS["ar"][category]) in text
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) <= 3


def test_unknown_language_prints_german_only(rendered):
    _, text = rendered(language="ps")
    assert "Einwilligungserklärung" in text
    assert "Übersetzung" not in text


def test_unknown_purpose_is_printed_as_given(rendered):
    _, text = rendered(language="en", purpose="Integrationskurs-Anmeldung")
    assert text.count("Integrationskurs-Anmeldung") == 2  # German and English block


def test_names_are_escaped_in_html():
    html = render_consent_html(make_data(person_name="<b>Eve</b> & Co", language="en"))
    assert "<b>Eve</b>" not in html
    assert "&lt;b&gt;Eve&lt;/b&gt; &amp; Co" in html


def test_arabic_script_name_in_german_block(rendered):
    _, text = rendered(language="ar", person_name="محمد الأحمد")
    assert "محمد الأحمد" in text


def test_falls_back_when_pdf_variant_fails(monkeypatch):
    import weasyprint

    original = weasyprint.HTML.render

    def render(self, *args, **options):
        if options.get("pdf_variant"):
            raise ValueError("variant not supported")
        return original(self, *args, **options)

    monkeypatch.setattr(weasyprint.HTML, "render", render)
    pdf = render_consent_pdf(make_data(language="de"))
    assert "Einwilligungserklärung" in extract_text(pdf)

