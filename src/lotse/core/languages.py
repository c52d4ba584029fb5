"""Languages persons can be informed in; right-to-left ones flagged."""

from django.conf import settings
from django.utils.translation import get_language_info

LANGUAGE_NAMES = {
    "de": "Deutsch", "en": "English", "ar": "العربية", "uk": "Українська",
    "ru": "Русский", "tr": "Türkçe", "fa": "فارسی",
}
RTL_LANGUAGES = {"ar", "fa", "ps", "ckb", "he", "ur"}


def person_language_choices() -> list[tuple[str, str]]:
    return [(code, LANGUAGE_NAMES.get(code, code)) for code in settings.LOTSE_PERSON_LANGUAGES]


def is_rtl(code: str) -> bool:
    try:
        return bool(get_language_info(code)["bidi"])
    except KeyError:
        return code in RTL_LANGUAGES
