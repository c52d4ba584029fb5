"""The invitation letter to an eAT appointment (PDF with WeasyPrint).

A letter of the foreigners' authority after DIN 5008 form B (address field for a window envelope,
information block at the right), German first, then the same letter in the person's language on
a new page (none for "de"); Arabic and Persian are set right to left. Each language has a box
with the appointment: date, time, office, who comes at what time, interpreter, what to bring and
the personal link (printed in full, left to right, and as a QR code). Tagged PDF (PDF/UA-1) where
WeasyPrint manages it.

No database here: `InvitationLetter` is plain data; it carries every personal detail printed.
"""

import base64
import datetime
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_info

from lotse.appointments.letter_texts import (
    DOCUMENTS,
    LANGUAGE_LABELS,
    REASONS,
    SERVICES,
    SOURCE_LANGUAGE,
    TEXTS,
)
from lotse.core.languages import LANGUAGE_NAMES, is_rtl
from lotse.core.printing import css_string, isolate, ltr, write_tagged_pdf
from lotse.core.printing import markup_whole_words as markup

logger = logging.getLogger(__name__)

TEMPLATE = "appointments/invitation_letter.html"
BASE_URL = str(Path(__file__).resolve().parent)
# The authority is in North Rhine-Westphalia: times are printed in German local time.
TIME_ZONE = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class LetterOffice:
    name: str
    street: str
    postal_code: str
    city: str
    phone: str
    email: str

    @property
    def city_line(self) -> str:
        return f"{self.postal_code} {self.city}".strip()


@dataclass(frozen=True)
class LetterMember:
    name: str  # "Given Family"
    starts_at: datetime.datetime  # aware
    service: str  # one of letter_texts.SERVICES

    def __post_init__(self) -> None:
        _require_aware(self.starts_at, "member starts_at")
        if self.service not in SERVICES:
            raise ValueError(f"unknown service {self.service!r}")


@dataclass(frozen=True)
class InvitationLetter:
    appointment_ref: str
    language: str
    recipient_name: str
    address_lines: tuple[str, ...]
    sender: LetterOffice
    office: LetterOffice
    file_number: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    members: tuple[LetterMember, ...]
    reason: str
    expires_on: datetime.date | None
    interpreter_language: str | None
    link: str
    link_valid_until: datetime.date
    letter_date: datetime.date
    documents: tuple[str, ...] = ("passport", "photo", "current_permit")

    def __post_init__(self) -> None:
        _require_aware(self.starts_at, "starts_at")
        _require_aware(self.ends_at, "ends_at")
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        if not self.members:
            raise ValueError("an invitation needs at least one member")
        if self.reason not in REASONS:
            raise ValueError(f"unknown reason {self.reason!r}")
        unknown = [code for code in self.documents if code not in DOCUMENTS]
        if unknown:
            raise ValueError(f"unknown document codes {unknown!r}")
        if not re.match(r"https?://[^\s/]+/", self.link):
            raise ValueError("link must be an absolute http(s) URL")


def _require_aware(value: datetime.datetime, what: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be an aware datetime")


# --- formatting -------------------------------------------------------------------------------


def local(value: datetime.datetime) -> datetime.datetime:
    return value.astimezone(TIME_ZONE)


def format_date(value: datetime.date) -> str:
    return value.strftime("%d.%m.%Y")


def format_time(value: datetime.datetime) -> str:
    return local(value).strftime("%H:%M")


def letter_languages(language: str) -> list[str]:
    """German, plus the person's language when it is another one we have texts for."""
    if language and language != SOURCE_LANGUAGE:
        if language in TEXTS:
            return [SOURCE_LANGUAGE, language]
        logger.warning("invitation letter: no texts for %r, printing German only", language)
    return [SOURCE_LANGUAGE]


def language_label(code: str, lang: str) -> str:
    """The name of language `code` in language `lang` (the language's own name if unknown)."""
    labels = LANGUAGE_LABELS.get(lang, LANGUAGE_LABELS[SOURCE_LANGUAGE])
    if code in labels:
        return labels[code]
    if code in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[code]
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code


def date_line(day: datetime.date, lang: str) -> str:
    """Weekday and date, as plain text (no bidi controls), e.g. "Montag, 11.01.2027"."""
    texts = TEXTS[lang]
    return texts["date_line"].format(weekday=texts[f"weekday_{day.weekday()}"], date=format_date(day))


def time_range(letter: InvitationLetter, lang: str) -> str:
    return TEXTS[lang]["time_range"].format(start=format_time(letter.starts_at), end=format_time(letter.ends_at))


def letter_filename(letter: InvitationLetter) -> str:
    return f"einladung-{safe_ref(letter.appointment_ref)}.pdf"


def safe_ref(ref: str) -> str:
    """The reference reduced to letters, digits and dashes (for file names)."""
    return re.sub(r"[^A-Za-z0-9-]+", "-", ref).strip("-") or "termin"


# --- the letter -------------------------------------------------------------------------------


def _qr_data_uri(link: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(link, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=1)
    svg = image.to_string(encoding="utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")




def _given(value: str, rtl: bool = False, force_ltr: bool = False) -> SafeString:
    """A value as given (name, address, number): escaped and isolated from the text direction."""
    if not value:
        return mark_safe("")  # noqa: S308  # nosec B308
    if force_ltr:
        return mark_safe(escape(ltr(value)))  # noqa: S308 - escaped  # nosec B308, B703
    return mark_safe(escape(isolate(value, nowrap=rtl)))  # noqa: S308 - escaped  # nosec B308, B703


def _reasons(letter: InvitationLetter, lang: str, rtl: bool) -> list[SafeString]:
    texts = TEXTS[lang]
    expires = {"date": format_date(letter.expires_on)} if letter.expires_on else None
    if letter.reason == "expiry":
        if expires:
            return [markup(texts["reason_expiry"], rtl, expires)]
        return [markup(texts["reason_expiry_undated"], rtl)]
    paragraphs = [markup(texts[f"reason_{letter.reason}"], rtl)]
    if expires:
        paragraphs.append(markup(texts["expiry_reminder"], rtl, expires))
    return paragraphs


def _section(letter: InvitationLetter, lang: str) -> dict:
    rtl = is_rtl(lang)
    texts = TEXTS[lang]
    t = {key: markup(text, rtl) for key, text in texts.items() if "{" not in text}
    phone = letter.office.phone or letter.sender.phone
    members = [
        {
            "time": markup(texts["time_single"], rtl, {"time": format_time(m.starts_at)}),
            "name": _given(m.name, rtl),
            "service": markup(texts[f"service_{m.service}"], rtl),
        }
        for m in sorted(letter.members, key=lambda m: m.starts_at)
    ]
    interpreter = ""
    if letter.interpreter_language:
        interpreter = markup(texts["interpreter_present"], rtl,
                             {"language": language_label(letter.interpreter_language, lang)})
    day = local(letter.starts_at).date()
    return {
        "lang": lang,
        "dir": "rtl" if rtl else "ltr",
        "is_source": lang == SOURCE_LANGUAGE,
        "language_name": LANGUAGE_NAMES.get(lang, lang),
        "t": t,
        "qr_alt": texts["qr_alt"],  # plain: the alternative text of the image, no bidi controls
        "salutation": markup(texts["salutation"], rtl, {"name": letter.recipient_name}),
        "reasons": _reasons(letter, lang, rtl),
        "household": len(letter.members) > 1,
        "date_line": markup(texts["date_line"], rtl, {"weekday": texts[f"weekday_{day.weekday()}"],
                                                        "date": format_date(day)}),
        "time_range": markup(texts["time_range"], rtl, {"start": format_time(letter.starts_at),
                                                         "end": format_time(letter.ends_at)}),
        "members": members,
        "interpreter": interpreter,
        "documents": [markup(texts[f"doc_{code}"], rtl) for code in letter.documents],
        "link_valid": markup(texts["link_valid"], rtl, {"date": format_date(letter.link_valid_until)}),
        "call_note": markup(texts["call_note"], rtl, {"phone": ltr(phone)}) if phone else "",
        "office": {
            "name": _given(letter.office.name, rtl),
            "address": _given(", ".join(p for p in (letter.office.street, letter.office.city_line) if p), rtl),
            "phone": _given(letter.office.phone, rtl, force_ltr=True),
        },
        "sender_name": _given(letter.sender.name, rtl),
        "reference": _given(letter.appointment_ref, rtl),
    }


def build_context(letter: InvitationLetter) -> dict:
    sections = [_section(letter, lang) for lang in letter_languages(letter.language)]
    sender = letter.sender
    title = f"{TEXTS[SOURCE_LANGUAGE]['subject']} – {letter.appointment_ref}"
    return_line = " · ".join(part for part in (sender.name, sender.street, sender.city_line) if part)
    return {
        "letter": letter,
        "title": title,
        "sections": sections,
        "german": sections[0],
        "translated": sections[1] if len(sections) > 1 else None,
        "sender_name": isolate(sender.name),
        "sender_address": isolate(" · ".join(p for p in (sender.street, sender.city_line) if p)),
        "return_line": isolate(return_line),
        "recipient_name": isolate(letter.recipient_name),
        "address_lines": [isolate(line) for line in letter.address_lines if line],
        "file_number": isolate(letter.file_number) if letter.file_number else "",
        "reference": isolate(letter.appointment_ref),
        "letter_date": format_date(letter.letter_date),
        "qr": _qr_data_uri(letter.link),
        "footer_reference": css_string(f"{sender.name} · Termin-Nr. {letter.appointment_ref}"),
    }


def render_invitation_html(letter: InvitationLetter) -> str:
    with translation.override("de"):
        return render_to_string(TEMPLATE, build_context(letter))


def invitation_pdf(letter: InvitationLetter) -> bytes:
    """The letter as PDF bytes (tagged PDF/UA-1 where WeasyPrint manages it)."""
    import weasyprint  # heavy import (about 1 s on first use); keep it out of module import

    html = weasyprint.HTML(string=render_invitation_html(letter), base_url=BASE_URL)
    return write_tagged_pdf(html, what="invitation letter")


def invitation_letters_pdf(letters: list[InvitationLetter]) -> bytes:
    """Several letters in one PDF, each starting on a new sheet (the print run of a day)."""
    import weasyprint

    documents = [weasyprint.HTML(string=render_invitation_html(letter), base_url=BASE_URL).render()
                 for letter in letters]
    pages = [page for document in documents for page in document.pages]
    return write_tagged_pdf(documents[0].copy(pages), what="invitation letters")
