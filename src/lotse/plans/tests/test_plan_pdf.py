"""The integration plan printed for the person: what a reader finds in the PDF, in German plus
the person's language, and complete translations of the fixed texts.

No database: PlanPrintData is plain data. Text is extracted with pdftotext (poppler) like the
consent form tests; pypdf is the fallback when poppler is missing."""

import datetime
import io
import re
import shutil
import subprocess

import pypdf
import pytest
from django.conf import settings

from lotse.consent.tests.test_consent_pdf import extract_text, normalise
from lotse.core.vocabulary import LifeArea
from lotse.plans.models import GoalStatus, StepStatus
from lotse.plans.pdf import PlanPrintData, PrintGoal, PrintStep, plan_languages, render_plan_html, render_plan_pdf
from lotse.plans.pdf_texts import GOAL_STATUS, LIFE_AREAS, STEP_STATUS, TEXTS

# Needs no database: run once, in the SQLite pass (see Makefile, docs/development.md).
pytestmark = pytest.mark.db_independent

ALL_LANGUAGES = {"de", "en", "ar", "uk", "ru", "tr", "fa"}


def make_data(**overrides) -> PlanPrintData:
    values = dict(
        district_name="Kreis Düren", agency_name="Caritasverband Düren-Jülich",
        person_name="Amina Al-Hassan", person_birth="03.07.1991", language="ar",
        printed_on=datetime.date(2025, 7, 1), done=1, total=3,
        goals=(
            PrintGoal("residence", "Übergang vom Chancen-Aufenthaltsrecht in § 25b", "open", (
                PrintStep("Antrag bei der Ausländerbehörde", "Ausländerbehörde Kreis Düren",
                          datetime.date(2026, 10, 21), "open", False),
                PrintStep("Mündliche Deutschkenntnisse A2", "Sprachkursträger",
                          datetime.date(2025, 6, 9), "in_progress", True),
            )),
            PrintGoal("work_training", "Arbeit als Elektriker", "open", (
                PrintStep("Lebenslauf schreiben", "", None, "done", False),
            )),
        ),
    )
    values.update(overrides)
    return PlanPrintData(**values)


@pytest.fixture(scope="module")
def rendered():
    cache = {}

    def get(**overrides):
        key = tuple(sorted(overrides.items()))
        if key not in cache:
            pdf = render_plan_pdf(make_data(**overrides))
            cache[key] = (pdf, extract_text(pdf))
        return cache[key]

    return get


# --- the texts ---------------------------------------------------------------------------------------

def test_every_person_language_has_every_text():
    assert set(TEXTS) == ALL_LANGUAGES >= set(settings.LOTSE_PERSON_LANGUAGES)
    for table, values in ((LIFE_AREAS, LifeArea.values), (GOAL_STATUS, GoalStatus.values),
                          (STEP_STATUS, StepStatus.values)):
        assert set(table) == ALL_LANGUAGES
        for lang in ALL_LANGUAGES:
            assert set(table[lang]) == set(values), lang
            assert all(v.strip() for v in table[lang].values()), lang
    german = set(TEXTS["de"])
    for lang, texts in TEXTS.items():
        assert set(texts) == german, lang
        for key, text in texts.items():
            assert text.strip(), (lang, key)
            assert set(re.findall(r"\{\w+\}", text)) == set(re.findall(r"\{\w+\}", TEXTS["de"][key])), (lang, key)
            assert "<" not in text and ">" not in text, (lang, key)


def test_languages_printed():
    assert plan_languages("ar") == ["de", "ar"]
    assert plan_languages("de") == ["de"]
    assert plan_languages("") == ["de"]
    assert plan_languages("so") == ["de"]  # no texts for Somali yet: German only


# --- what the reader sees ----------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["ar", "fa", "uk", "ru", "tr", "en"])
def test_plan_is_printed_in_german_and_the_persons_language(rendered, lang):
    _pdf, text = rendered(language=lang)
    assert "Ihr Integrationsplan" in text
    assert "1 von 3 Schritten erledigt" in text
    assert normalise(TEXTS[lang]["title"]) in text
    assert normalise(LIFE_AREAS[lang]["residence"]) in text
    assert normalise(STEP_STATUS[lang]["in_progress"]) in text
    # free texts as entered, in both parts, and the footnote that says so
    assert text.count("Antrag bei der Ausländerbehörde") == 2
    assert text.count("21.10.2026") == 2
    assert "so im Plan, wie sie erfasst wurden" in text
    bare = re.sub(r"[^\w\s]", "", text)
    assert max(re.sub(r"[^\w\s]", "", normalise(TEXTS[lang]["free_text_note"])).split(), key=len) in bare


def test_german_strings_and_arabic_strings_are_both_extracted(rendered):
    _pdf, text = rendered(language="ar")
    for german in ("Aufenthalt", "Fällig bis", "überfällig", "Übersetzung"):
        assert german in text
    for arabic in ("خطة الاندماج الخاصة بكم", "الإقامة", "قيد التنفيذ", "متأخرة"):
        assert normalise(arabic) in text


@pytest.mark.parametrize("lang, first, second", [("ar", "خطة", "الاندماج"), ("fa", "برنامه", "ادغام")])
def test_arabic_and_persian_parts_run_right_to_left(rendered, lang, first, second):
    pdf, _ = rendered(language=lang)
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed; `make test` installs it"
    html = subprocess.run(  # noqa: S603
        ["pdftotext", "-bbox", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True,
    ).stdout.decode("utf-8")
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html)
    # pdftotext reports right-to-left words in visual (reversed) character order
    a = [w for w in words if normalise(w[2][::-1]) == normalise(first)]
    b = [w for w in words if normalise(w[2][::-1]) == normalise(second)]
    assert a and b
    pairs = [(x, y) for x in a for y in b if x[1] == y[1]]
    assert pairs, "title words not on one line"
    assert all(float(x[0]) > float(y[0]) for x, y in pairs)  # the first word is further right
    assert 'dir="rtl"' in render_plan_html(make_data(language=lang))


def test_german_only_when_the_person_reads_german(rendered):
    pdf, text = rendered(language="de")
    assert "Ihr Integrationsplan" in text and "Übersetzung" not in text
    assert "Your integration plan" not in text
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1
    assert "Seite 1 von 1" in text


def test_empty_plan_says_so(rendered):
    _pdf, text = rendered(language="en", goals=(), done=0, total=0)
    assert "Es sind noch keine Ziele eingetragen." in text
    assert "No goals have been entered yet." in text


def test_free_texts_are_escaped():
    html = render_plan_html(make_data(goals=(PrintGoal("housing", "<script>alert(1)</script>", "open", ()),)))
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_pdf_is_tagged_and_carries_the_title(rendered):
    pdf, text = rendered(language="ar")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.metadata.title.startswith("Ihr Integrationsplan")
    assert "Kreis Düren · Ihr Integrationsplan · 01.07.2025" in text
