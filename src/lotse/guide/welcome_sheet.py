"""The welcome sheet: one printable A4 page per municipality and language, handed out by the
registration office and the social office (PDF with WeasyPrint).

What it shows:

- a title with the municipality's name and, at the end side, a QR code (inline SVG) to the guide
  in the sheet's language with the address printed beneath it;
- the fixed welcome counsellor(s) of the municipality: name, welfare association, address,
  phone, e-mail, office hours (translated where a current translation exists), languages;
- the main offices serving the municipality (registration office, social office, foreigners'
  authority, job centre, integration centre; `selectors.main_offices`): what each is for in the
  sheet's language above its German name (never translated: the name on the sign at the
  door), address, phone and opening hours;
- the first steps: the whole checklist in force on the day, not only the steps for everyone,
  since the sheet is handed to newcomers whose situation the counter does not ask. A step that
  applies to some situations only carries a short note "only for …" or "not for …" (whichever
  list is shorter), so alternatives (health insurance or health card, Bürgergeld or AsylbLG
  benefits, integration course or other German course) stand side by side and each reader finds
  theirs. Each step names its office (German agency name, or the office outside Lotse,
  translated with the German name in brackets) and its deadline;
- a footer with the date ("Stand") and, in a translated sheet that falls back to German
  anywhere, a note that untranslated entries are in German.

Arabic and Persian sheets are set right to left; names, addresses, phone numbers, e-mail
addresses and German fallback texts are isolated (`core.printing`) so that digits and Latin stay
in order. The layout is compact (two columns for the steps); should a municipality's data still
overflow the page, the sheet is laid out once more in smaller type (`tight`).
"""

import datetime
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_info

from lotse.core.languages import LANGUAGE_NAMES, is_rtl
from lotse.core.printing import isolate, ltr, write_tagged_pdf
from lotse.core.printing import markup_whole_words as _markup
from lotse.core.vocabulary import NewcomerSituation
from lotse.guide.languages import GUIDE_LANGUAGES, SOURCE_LANGUAGE, direction
from lotse.guide.selectors import Office, agency_address, counsellors_for, main_offices
from lotse.guide.sheet_texts import SHEET_TEXTS
from lotse.guide.translation import Localized, Shown, localize
from lotse.organisations.models import AgencyKind, District, Municipality
from lotse.rules.models import FirstStep

logger = logging.getLogger(__name__)

TEMPLATE = "guide/welcome_sheet.html"
BASE_URL = str(Path(__file__).resolve().parent)
MAIN_OFFICE_KINDS: tuple[str, ...] = (
    AgencyKind.REGISTRATION_OFFICE, AgencyKind.SOCIAL_OFFICE, AgencyKind.FOREIGNERS_AUTHORITY,
    AgencyKind.JOB_CENTRE, AgencyKind.INTEGRATION_CENTRE,
)
_ABSOLUTE_URL = re.compile(r"https?://[^\s/]+(/\S*)?")


def welcome_sheet_pdf(district: District, municipality: Municipality, language: str, *, guide_url: str,
                      on: datetime.date) -> bytes:
    """The welcome sheet of a municipality in a guide language as PDF bytes: one A4 page, tagged
    PDF/UA-1 where WeasyPrint manages it. `guide_url` is the absolute address of the guide in
    that language (printed and encoded in the QR code); `on` is the day whose first steps are
    shown and the date in the footer. Raises ValueError for an unknown language, a municipality
    of another district or a URL that is not absolute http(s)."""
    import weasyprint  # heavy import (about 1 s on first use); keep it out of module import

    context = sheet_context(district, municipality, language, guide_url=guide_url, on=on)

    def layout(tight: bool):
        html = render_sheet_html(context, tight=tight)
        return weasyprint.HTML(string=html, base_url=BASE_URL).render()

    document = layout(False)
    if len(document.pages) > 1:
        document = layout(True)
        if len(document.pages) > 1:
            logger.warning("welcome sheet %s/%s: %d pages even in small type", municipality, language,
                           len(document.pages))
    return write_tagged_pdf(document, what="welcome sheet")


def render_sheet_html(context: dict, *, tight: bool = False) -> str:
    with translation.override(context["lang"]):
        return render_to_string(TEMPLATE, {**context, "tight": tight})


def welcome_sheet_html(district: District, municipality: Municipality, language: str, *, guide_url: str,
                       on: datetime.date) -> str:
    """The HTML that WeasyPrint lays out (for tests and previews)."""
    return render_sheet_html(sheet_context(district, municipality, language, guide_url=guide_url, on=on))


# --- the content ------------------------------------------------------------------------------


@dataclass
class _Sheet:
    """Texts in the sheet's language; remembers whether any entry fell back to German."""

    lang: str
    rtl: bool
    fell_back: bool = False

    @property
    def texts(self) -> dict[str, str]:
        return SHEET_TEXTS[self.lang]

    def fixed(self, key: str, **values: str) -> SafeString:
        return _markup(self.texts[key], self.rtl, values)

    def given(self, value: str, *, force_ltr: bool = False) -> SafeString:
        """A value as given (name, address, number), escaped and isolated from the text direction."""
        if not value:
            return mark_safe("")  # noqa: S308  # nosec B308
        return mark_safe(escape(ltr(value) if force_ltr else isolate(value, nowrap=self.rtl)))  # noqa: S308  # nosec B308, B703

    def shown(self, shown: Shown) -> dict | None:
        """A translatable text: in the sheet's language, or the German source marked as such."""
        if not shown.text.strip():
            return None
        foreign = shown.language != self.lang
        self.fell_back = self.fell_back or foreign
        return {"text": _markup(shown.text, is_rtl(shown.language)), "foreign": foreign,
                "lang": shown.language, "dir": direction(shown.language)}

    def join(self, parts: list) -> SafeString:
        separator = "، " if self.rtl else ", "
        return mark_safe(separator.join(str(part) for part in parts))  # noqa: S308 - parts escaped  # nosec B308, B703


def sheet_context(district: District, municipality: Municipality, language: str, *, guide_url: str,
                  on: datetime.date) -> dict:
    if language not in GUIDE_LANGUAGES or language not in SHEET_TEXTS:
        raise ValueError(f"no welcome sheet in language {language!r}")
    if municipality.district_id != district.pk:
        raise ValueError("the municipality belongs to another district")
    if not _ABSOLUTE_URL.fullmatch(guide_url):
        raise ValueError("guide_url must be an absolute http(s) URL")
    sheet = _Sheet(language, is_rtl(language))
    rules = list(FirstStep.objects.in_force(on).order_by("order", "key"))
    kinds = tuple(dict.fromkeys([*MAIN_OFFICE_KINDS, *(rule.agency_kind for rule in rules if rule.agency_kind)]))
    by_kind: dict[str, list[Office]] = {}
    for office in main_offices(district, municipality, language=language, kinds=kinds):
        by_kind.setdefault(office.agency.kind, []).append(office)
    return {
        "lang": language,
        "dir": direction(language),
        "t": {key: sheet.fixed(key) for key, text in sheet.texts.items() if "{" not in text},
        "title": sheet.fixed("title", municipality=municipality.name),
        "document_title": sheet.texts["document_title"].format(municipality=municipality.name),
        "district_name": district.name,
        "district": sheet.given(district.name),
        "counsellors": [_counsellor(sheet, c) for c in counsellors_for(municipality, language)],
        "offices": [_office(sheet, office) for kind in MAIN_OFFICE_KINDS for office in by_kind.get(kind, [])],
        "step_columns": _columns([_step(sheet, number, rule, localized, by_kind) for number, (rule, localized)
                                  in enumerate(zip(rules, localize(rules, language), strict=True), start=1)]),
        "qr_svg": _qr_svg(guide_url),
        "qr_alt": sheet.texts["qr_alt"],
        "guide_url": guide_url,
        "as_of": sheet.fixed("as_of", date=on.strftime("%d.%m.%Y")),
        # after the entries above: only now is it known whether any of them fell back
        "german_note": sheet.fixed("german_note") if sheet.fell_back and language != SOURCE_LANGUAGE else "",
    }


def _counsellor(sheet: _Sheet, counsellor: Localized) -> dict:
    agency = counsellor.agency
    return {
        "name": sheet.given(counsellor.name),
        "agency": sheet.given(agency.name),
        "address": sheet.given(counsellor.address or agency_address(agency)),
        "phone": sheet.given(counsellor.phone or agency.phone, force_ltr=True),
        "email": sheet.given(counsellor.email or agency.email, force_ltr=True),
        "hours": sheet.shown(counsellor.office_hours),
        "languages": sheet.join([sheet.given(_language_name(code)) for code in counsellor.languages or []]),
    }


def _language_name(code: str) -> str:
    """A language by its own name (endonym): readable for its speakers in any sheet."""
    if code in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[code]
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code


def _office(sheet: _Sheet, office: Office) -> dict:
    agency = office.agency
    kind_key = f"kind_{agency.kind}"
    return {
        "kind": sheet.fixed(kind_key) if kind_key in sheet.texts else "",
        "name": sheet.given(agency.name),
        "address": sheet.given(office.address),
        "phone": sheet.given(agency.phone, force_ltr=True),
        "hours": sheet.shown(office.profile.opening_hours) if office.profile else None,
    }


def _step(sheet: _Sheet, number: int, rule: FirstStep, localized: Localized,
          by_kind: dict[str, list[Office]]) -> dict:
    if rule.agency_kind:
        where = sheet.join([sheet.given(office.agency.name) for office in by_kind.get(rule.agency_kind, [])])
    elif rule.outside_office.strip():
        where = _outside_office(sheet, localized.outside_office, rule.outside_office)
    else:
        where = ""
    return {
        "number": number,
        "title": sheet.shown(localized.title),
        "text": sheet.shown(localized.text),
        "where": where,
        "deadline": sheet.fixed("deadline", days=str(rule.deadline_days)) if rule.deadline_days else "",
        "audience": _audience(sheet, rule.situations or []),
    }


_LINE = 56  # characters on a line of a step column, about (8 pt in 90 mm)


def _columns(steps: list[dict]) -> list[list[dict]]:
    """The steps in two columns of about equal height: the split with the shorter of the two
    longer columns (lines estimated from the characters printed; on a tie, the longer first)."""
    def lines(step: dict) -> int:
        title = len(strip_tags(step["title"]["text"]))
        if step["audience"]:
            title += len(strip_tags(f"{step['audience']['label']}{step['audience']['situations']}")) + 4
        text = len(strip_tags(step["text"]["text"])) if step["text"] else 0
        meta = len(strip_tags(f"{step['where']}{step['deadline']}")) + 6
        return sum(-(-size // _LINE) for size in (title, text, meta)) + 1  # + the gap

    heights = [lines(step) for step in steps]
    total = sum(heights)
    split = min(range(len(steps) + 1), key=lambda at: (max(sum(heights[:at]), total - sum(heights[:at])), -at))
    return [steps[:split], steps[split:]]


def _outside_office(sheet: _Sheet, shown: Shown, german: str) -> SafeString:
    """An office outside Lotse: translated, with its German name in brackets unless the
    translation carries it already ("صندوق الأسرة (Familienkasse)")."""
    if shown.language == SOURCE_LANGUAGE:
        sheet.fell_back = sheet.fell_back or shown.is_fallback
        return sheet.given(german)
    if german.casefold() in shown.text.casefold():  # the translation names it already
        return _markup(shown.text, sheet.rtl)
    return mark_safe(f"{_markup(shown.text, sheet.rtl)} ({sheet.given(german)})")  # noqa: S308 - both escaped  # nosec B308, B703


def _audience(sheet: _Sheet, situations: list[str]) -> dict | None:
    """"Only for …" or "not for …", whichever list is shorter; None for a step for everyone."""
    included = [code for code in NewcomerSituation.values if code in situations]
    excluded = [code for code in NewcomerSituation.values if code not in situations]
    if not situations or not excluded:
        return None
    key, chosen = ("not_for", excluded) if len(excluded) < len(included) else ("only_for", included)
    return {"label": sheet.fixed(key),
            "situations": sheet.join([sheet.fixed(f"situation_{code}") for code in chosen])}


def _qr_svg(url: str) -> SafeString:
    """The QR code as an inline SVG element (path only, no text from the URL in it)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=1)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r'^<svg width="[^"]*" height="[^"]*"', '<svg class="qr-code"', svg)
    return mark_safe(svg)  # noqa: S308 - generated by qrcode: a path of numbers, no input text  # nosec B308, B703
