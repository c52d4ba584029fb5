"""The languages of the newcomers' guide. German is the source; the others are translations.
Arabic and Farsi are written right to left."""

from lotse.core.languages import LANGUAGE_NAMES, is_rtl

SOURCE_LANGUAGE = "de"
GUIDE_LANGUAGES: tuple[str, ...] = ("de", "en", "ar", "uk", "ru", "tr", "fa")
TRANSLATED_LANGUAGES: tuple[str, ...] = tuple(code for code in GUIDE_LANGUAGES if code != SOURCE_LANGUAGE)
# Plain German (Leichte Sprache) is offered for the text pages that have it; it is not a language
# of its own for the question flow.
EASY_GERMAN = "de-easy"
EASY_GERMAN_NAME = "Leichte Sprache"


def language_name(code: str) -> str:
    return EASY_GERMAN_NAME if code == EASY_GERMAN else LANGUAGE_NAMES.get(code, code)


def direction(code: str) -> str:
    return "rtl" if is_rtl(code) else "ltr"
