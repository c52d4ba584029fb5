"""The invitation letter: what a reader sees in the PDF, and completeness of the translations.

No database: InvitationLetter is plain data. Text is extracted with pdftotext (poppler), which
gives shaped Arabic/Persian in logical order; pypdf is the fallback when poppler is missing.
"""

import dataclasses
import datetime
import io
import re
import shutil
import subprocess
from zoneinfo import ZoneInfo

import pypdf
import pytest

from lotse.appointments import letter_texts
from lotse.appointments.letter import (
    InvitationLetter,
    LetterMember,
    LetterOffice,
    invitation_pdf,
    language_label,
    letter_filename,
    render_invitation_html,
)
from lotse.appointments.letter_texts import LANGUAGE_LABELS, LANGUAGE_ORDER, PUBLIC_TEXTS, TEXTS
from lotse.consent.tests.test_consent_pdf import extract_text, normalise

# Needs no database: run once, in the SQLite pass (see Makefile, docs/development.md).
pytestmark = pytest.mark.db_independent

BERLIN = ZoneInfo("Europe/Berlin")
TRANSLATED = ("en", "ar", "uk", "ru", "tr", "fa")
LINK = "https://termine.kreis-dueren.de/t/9fK2xQ7mZpLw4RtY8vBn"

SENDER = LetterOffice("Kreis Düren – Ausländerbehörde", "Bismarckstraße 16", "52351", "Düren",
                      "02421 22-1030", "auslaenderamt@kreis-dueren.de")
JUELICH = LetterOffice("Ausländerbehörde Kreis Düren, Nebenstelle Jülich", "Große Rurstraße 17",
                       "52428", "Jülich", "02461 99-0", "auslaenderamt@kreis-dueren.de")

def at(hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime(2027, 1, 11, hour, minute, tzinfo=BERLIN)


def make_letter(**overrides) -> InvitationLetter:
    values = dict(
        appointment_ref="T-2027-000123",
        language="ar",
        recipient_name="Amina Al-Hassan",
        address_lines=("Kölnstraße 12", "52349 Düren"),
        sender=SENDER,
        office=JUELICH,
        file_number="ABH-32-4711",
        starts_at=at(9, 0),
        ends_at=at(9, 40),
        members=(LetterMember("Amina Al-Hassan", at(9, 0), "renewal"),
                 LetterMember("Yusuf Al-Hassan", at(9, 20), "family")),
        reason="expiry",
        expires_on=datetime.date(2027, 2, 28),
        interpreter_language="ar",
        link=LINK,
        link_valid_until=datetime.date(2027, 1, 10),
        letter_date=datetime.date(2026, 11, 30),
    )
    values.update(overrides)
    return InvitationLetter(**values)


@pytest.fixture(scope="module")
def rendered():
    """Render each letter once per module: {key: (pdf bytes, extracted text)}."""
    cache = {}

    def get(**overrides):
        key = tuple(sorted((k, repr(v)) for k, v in overrides.items()))
        if key not in cache:
            pdf = invitation_pdf(make_letter(**overrides))
            cache[key] = (pdf, extract_text(pdf))
        return cache[key]

    return get


# --- the texts --------------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\{\w+\}")


@pytest.mark.parametrize("table", [TEXTS, PUBLIC_TEXTS, LANGUAGE_LABELS], ids=["letter", "public", "languages"])
def test_every_language_has_exactly_the_german_keys(table):
    assert tuple(table) == LANGUAGE_ORDER
    german = set(table["de"])
    for lang, texts in table.items():
        assert set(texts) == german, lang
        assert all(isinstance(v, str) and v.strip() for v in texts.values()), lang


@pytest.mark.parametrize("table", [TEXTS, PUBLIC_TEXTS], ids=["letter", "public"])
def test_translations_keep_placeholders_and_contain_no_markup(table):
    for key, german in table["de"].items():
        for lang in LANGUAGE_ORDER:
            text = table[lang][key]
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(german)), (lang, key)
            assert not set(text) & set("<>&"), (lang, key)


def test_codes_and_public_keys_are_covered():
    for lang in LANGUAGE_ORDER:
        texts = TEXTS[lang]
        for code in letter_texts.SERVICES:
            assert f"service_{code}" in texts
        for code in letter_texts.REASONS:
            assert f"reason_{code}" in texts
        for code in letter_texts.DOCUMENTS:
            assert f"doc_{code}" in texts
        assert all(f"weekday_{i}" in texts for i in range(7))
    required = {
        "page_title", "intro", "your_appointment", "date_label", "time_label", "office_label",
        "service_label", "interpreter_label", "confirm_button", "confirmed_message", "choose_other",
        "choose_other_intro", "pick_button", "rebooked_message", "no_alternatives", "invalid_link_title",
        "invalid_link_text", "too_many_attempts", "languages_label", "calendar_link", "letter_link",
        "cancelled_message", "already_past",
    }
    assert required <= set(PUBLIC_TEXTS["de"])
    assert PLACEHOLDER.findall(PUBLIC_TEXTS["de"]["invalid_link_text"]) == []  # one text for all cases


def test_no_eastern_digits_in_texts():
    """Dates and times are printed with Western digits; the fixed texts use them too."""
    eastern = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
    for table in (TEXTS, PUBLIC_TEXTS):
        for lang in LANGUAGE_ORDER:
            for key, text in table[lang].items():
                assert not eastern.search(text), (lang, key)


def test_language_labels():
    assert language_label("ar", "de") == "Arabisch"
    assert language_label("prs", "fa") == "دری"
    assert language_label("xx", "de") == "xx"


# --- the PDF ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGE_ORDER)
def test_letter_shows_the_appointment(rendered, lang):
    pdf, text = rendered(language=lang)
    assert pdf.startswith(b"%PDF-")
    assert "Einladung zu Ihrem Termin bei der Ausländerbehörde" in text
    assert "Guten Tag Amina Al-Hassan," in text
    assert "Montag, 11.01.2027" in text
    assert "09:00 bis 09:40 Uhr" in text
    assert "09:20 Uhr" in text
    assert "Ausländerbehörde Kreis Düren, Nebenstelle Jülich" in text
    assert "Große Rurstraße 17, 52428 Jülich" in text
    assert "Amina Al-Hassan" in text and "Yusuf Al-Hassan" in text
    assert LINK in text
    assert "bis zum 10.01.2027 gültig" in text
    assert "bis zum 28.02.2027 gültig" in text
    assert "Dolmetscher für Arabisch" in text
    assert "gültiger Pass oder Passersatz" in text
    # the head: return line, address field, information block
    assert "Kreis Düren – Ausländerbehörde · Bismarckstraße 16 · 52351 Düren" in text
    assert "Kölnstraße 12 52349 Düren" in text
    assert "ABH-32-4711" in text and "T-2027-000123" in text and "30.11.2026" in text
    if lang == "de":
        assert "Übersetzung" not in text
    else:
        assert "Übersetzung" in text
        # the subject up to the bracketed German term (pdftotext moves brackets in RTL lines)
        assert normalise(TEXTS[lang]["subject"].split(" (")[0]) in text
        assert normalise(TEXTS[lang]["closing"]) in text
        # the link is printed in full in both parts
        assert text.count(LINK) == 2


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_right_to_left_text_is_shaped_and_right_to_left(rendered, lang):
    """pdftotext gives shaped Arabic script back in logical order; on a line, the (logically)
    first word sits right of the later ones."""
    pdf, text = rendered(language=lang)
    first, second = TEXTS[lang]["label_persons"], TEXTS[lang]["closing"]
    assert normalise(first) in text and normalise(second) in text
    # a Latin word with umlauts stays whole inside RTL text (not cut at "ä" and "ö")
    assert not re.search(r"Ausl(?!änderbehörde)|(?<!Ausländer)behörde", text)
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed"
    html = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True,
    ).stdout.decode("utf-8")
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html)
    # The first three words of the subject: on its line they run from right to left.
    # pdftotext reports RTL words in visual (reversed) character order.
    first_three = [normalise(w) for w in TEXTS[lang]["subject"].split()[:3]]
    lines: dict[str, dict[str, float]] = {}
    for x_min, y_min, word in words:
        word = normalise(word[::-1])
        if word in first_three:
            lines.setdefault(y_min, {}).setdefault(word, float(x_min))
    assert any(
        len(found) == 3 and found[first_three[0]] > found[first_three[1]] > found[first_three[2]]
        for found in lines.values()
    )


def test_german_only_letter_is_one_page(rendered):
    pdf, _ = rendered(language="de")
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translation_starts_on_page_two(rendered, lang):
    pdf, _ = rendered(language=lang)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    first = normalise(reader.pages[0].extract_text())
    assert "Einladung zu Ihrem Termin" in first
    assert "Mit freundlichen Grüßen" in first  # the German letter fits on page 1


def test_pdf_is_tagged_a4_with_metadata(rendered):
    pdf, text = rendered(language="ar")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert "Einladung zu Ihrem Termin" in reader.metadata.title
    assert "T-2027-000123" in reader.metadata.title
    root = reader.trailer["/Root"]
    assert root.get("/Lang") == "de"
    assert "/StructTreeRoot" in root  # tagged
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()  # PDF/UA-1 identified
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert abs(width - 595.28) < 1 and abs(height - 841.89) < 1  # A4
    assert "Seite 1 von 2" in text and "Seite 2 von 2" in text


def test_address_field_sits_in_the_window(rendered):
    """DIN 5008 form B: the address field starts 45 mm from the top; the address text at 25 mm
    from the left, inside the window (20 mm to 105 mm)."""
    pdf, _ = rendered(language="de")
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", "-", "-"], input=pdf, capture_output=True, check=True,
    ).stdout.decode("utf-8")
    mm = 72 / 25.4
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)
    street = [w for w in words if w[4] == "Kölnstraße"]
    assert street
    x_min, y_min, _, y_max = (float(v) for v in street[0][:4])
    assert 24 * mm < x_min < 26 * mm
    assert 45 * mm + 17.7 * mm - 1 < y_min and y_max < 90 * mm  # address zone
    subject = [w for w in words if w[4] == "Einladung"]
    assert subject and float(subject[0][1]) > 90 * mm


def test_no_interpreter_single_member_first_eat(rendered):
    _, text = rendered(
        language="en", reason="first_eat", expires_on=None, interpreter_language=None,
        members=(LetterMember("Amina Al-Hassan", at(9, 0), "first_application"),), ends_at=at(9, 30),
        documents=("passport", "photo", "income", "health_insurance"), file_number="",
    )
    assert "erstmals ein elektronischer Aufenthaltstitel (eAT)" in text
    assert "for the first time" in text
    assert "Dolmetsch" not in text and "interpreter" not in text
    assert "Bitte kommen Sie gemeinsam" not in text
    assert "Nachweis Ihrer Krankenversicherung" in text
    assert "proof of your health insurance" in text
    assert "Aktenzeichen" not in text
    assert "Erstantrag auf einen elektronischen Aufenthaltstitel" in text


def test_new_invitation_after_a_missed_appointment(rendered):
    _, text = rendered(language="tr", reason="no_show")
    assert "Leider konnten Sie Ihren letzten Termin nicht wahrnehmen" in text
    assert "Ihr Aufenthaltstitel ist bis zum 28.02.2027 gültig." in text
    assert normalise("Maalesef son randevunuza gelemediniz") in text


def test_times_are_printed_in_german_local_time(rendered):
    utc = datetime.UTC
    _, text = rendered(
        language="de", starts_at=datetime.datetime(2027, 1, 11, 8, 0, tzinfo=utc),
        ends_at=datetime.datetime(2027, 1, 11, 8, 20, tzinfo=utc),
        members=(LetterMember("Amina Al-Hassan", datetime.datetime(2027, 1, 11, 8, 0, tzinfo=utc), "renewal"),),
    )
    assert "09:00 bis 09:20 Uhr" in text


def test_unknown_language_prints_german_only(rendered):
    _, text = rendered(language="ps")
    assert "Einladung zu Ihrem Termin" in text
    assert "Übersetzung" not in text


def test_values_are_escaped_in_html():
    html = render_invitation_html(make_letter(recipient_name="<b>Eve</b> & Co", language="en"))
    assert "<b>Eve</b>" not in html
    assert "&lt;b&gt;Eve&lt;/b&gt; &amp; Co" in html


@pytest.mark.parametrize("change", [
    {"starts_at": datetime.datetime(2027, 1, 11, 9, 0)},  # naive
    {"ends_at": at(8, 0)},
    {"members": ()},
    {"reason": "whim"},
    {"documents": ("passport", "unicorn")},
    {"link": "javascript:alert(1)"},
])
def test_invalid_letters_are_refused(change):
    with pytest.raises(ValueError):
        make_letter(**change)


def test_unknown_service_is_refused():
    with pytest.raises(ValueError):
        LetterMember("Amina Al-Hassan", at(9, 0), "haircut")


def test_filename_is_safe():
    assert letter_filename(make_letter()) == "einladung-T-2027-000123.pdf"
    odd = dataclasses.replace(make_letter(), appointment_ref="T/2027 ../x")
    assert re.fullmatch(r"einladung-[A-Za-z0-9-]+\.pdf", letter_filename(odd))
