"""Render the consent form (HTML template -> PDF with WeasyPrint).

German first, then the same text in the language the person was informed in (none for "de"),
then one signature block with bilingual labels. Arabic and Persian are set right-to-left;
names and agency names are inserted as given, isolated from the surrounding text direction.
"""

import datetime
import logging
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from lotse.consent.form_texts import (
    CATEGORY_DETAILS,
    CATEGORY_LABELS,
    PURPOSE_LABELS,
    SOURCE_LANGUAGE,
    TEXTS,
)
from lotse.consent.pdf import ConsentFormData
from lotse.core.languages import LANGUAGE_NAMES, is_rtl
from lotse.core.printing import PDF_VARIANT
from lotse.core.printing import css_string as _css_string
from lotse.core.printing import isolate as _isolate
from lotse.core.printing import markup as _markup
from lotse.core.vocabulary import CATEGORY_ORDER, SPECIAL_CATEGORIES

logger = logging.getLogger(__name__)

TEMPLATE = "consent/consent_form.html"
BASE_URL = str(Path(__file__).resolve().parent)

def _date(value: datetime.date) -> str:
    return value.strftime("%d.%m.%Y")


def form_languages(language: str) -> list[str]:
    """German, plus the person's language when it is another supported one."""
    if language and language != SOURCE_LANGUAGE:
        if language in TEXTS:
            return [SOURCE_LANGUAGE, language]
        logger.warning("consent form: no translation for %r, printing German only", language)
    return [SOURCE_LANGUAGE]


@dataclass(frozen=True)
class _Section:
    lang: str
    dir: str
    is_source: bool
    language_name: str
    t: dict
    purpose: str
    categories: list
    validity: str
    has_special: bool


def _section(data: ConsentFormData, lang: str) -> _Section:
    rtl = is_rtl(lang)
    texts = TEXTS[lang]
    names = {"from_name": data.from_name, "to_name": data.to_name}
    t = {key: _markup(text, rtl, names) for key, text in texts.items()}
    if data.consent_id is not None:
        t["reference"] = _markup(texts["consent_number"], rtl, {"number": str(data.consent_id)})
    else:
        t["reference"] = t["draft"]

    chosen = [c for c in CATEGORY_ORDER if c in data.categories]
    chosen += [c for c in data.categories if c not in CATEGORY_ORDER]  # unknown ids: shown raw
    details = CATEGORY_DETAILS[lang]
    categories = [
        {
            "id": c,
            "label": _markup(CATEGORY_LABELS[lang].get(c, c), rtl),
            "detail": _markup(details[c], rtl) if c in details else "",
            "special": c in SPECIAL_CATEGORIES,
        }
        for c in chosen
    ]
    if data.purpose in PURPOSE_LABELS[lang]:
        purpose = _markup(PURPOSE_LABELS[lang][data.purpose], rtl)
    else:
        purpose = escape(_isolate(data.purpose))

    if data.given_on:
        start = _markup(texts["validity_from"], rtl, {"date": _date(data.given_on)})
    else:
        start = t["validity_from_signature"]
    if data.valid_until:
        end = _markup(texts["validity_until"], rtl, {"date": _date(data.valid_until)})
    else:
        end = t["validity_until_revoked"]
    separator = "، " if rtl else ", "
    validity = mark_safe(f"{start}{separator}{end}")  # noqa: S308 - both parts escaped  # nosec B308, B703

    return _Section(
        lang=lang,
        dir="rtl" if rtl else "ltr",
        is_source=lang == SOURCE_LANGUAGE,
        language_name=LANGUAGE_NAMES.get(lang, lang),
        t=t,
        purpose=purpose,
        categories=categories,
        validity=validity,
        has_special=any(c["special"] for c in categories),
    )


def build_context(data: ConsentFormData) -> dict:
    sections = [_section(data, lang) for lang in form_languages(data.language)]
    german = sections[0]
    reference = (
        TEXTS["de"]["consent_number"].format(number=data.consent_id)
        if data.consent_id is not None else TEXTS["de"]["draft"]
    )
    return {
        "data": data,
        "sections": sections,
        "german": german,
        "translated": sections[1] if len(sections) > 1 else None,
        "is_draft": data.consent_id is None,
        "title": TEXTS["de"]["title"],
        "reference": reference,
        "footer_reference": _css_string(f"{data.district_name} · {reference}"),
        "person_name": _isolate(data.person_name),
        "person_birth": _isolate(data.person_birth or "—"),
        "from_name": _isolate(data.from_name),
        "to_name": _isolate(data.to_name),
        "informed_language": LANGUAGE_NAMES.get(data.language, data.language),
        "signature_keys": ("sig_place_date", "sig_person", "sig_staff"),
    }


def render_consent_html(data: ConsentFormData, translation_on_new_page: bool = True) -> str:
    context = build_context(data)
    context["translation_on_new_page"] = translation_on_new_page
    with translation.override("de"):
        return render_to_string(TEMPLATE, context)


def _layout(data: ConsentFormData, options: dict):
    """Lay the form out; the translation starts on a new page unless that costs a page."""
    import weasyprint  # heavy import (about 1 s on first use); keep it out of module import

    def layout(new_page: bool):
        html = render_consent_html(data, translation_on_new_page=new_page)
        return weasyprint.HTML(string=html, base_url=BASE_URL).render(**options)

    document = layout(True)
    if len(document.pages) > 2 and len(form_languages(data.language)) > 1:
        # The German part spills over page 1 (many categories): run the translation on instead.
        flowing = layout(False)
        if len(flowing.pages) < len(document.pages):
            document = flowing
    return document


def render_consent_pdf(data: ConsentFormData) -> bytes:
    """The consent form as PDF bytes (tagged PDF/UA-1 where WeasyPrint manages it)."""
    options = {"pdf_variant": PDF_VARIANT}
    try:
        return _layout(data, options).write_pdf(**options)
    except Exception:  # noqa: BLE001 - any variant failure: fall back to a plain PDF
        logger.warning("consent form: %s output failed, writing plain PDF", PDF_VARIANT,
                       exc_info=True)
        return _layout(data, {}).write_pdf()
