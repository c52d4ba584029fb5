"""Translations of the demo guide content (`guide.demo`) into the six guide languages, by the
stable names of the German source texts. One module per language (`demo_translations_<code>`).

Written by hand for the demo and seeded as machine drafts: a translator still has to review
them. Conventions: formal register; the German names of offices and documents follow in
brackets where a newcomer meets them on signs and letters, e.g. "(Bürgerbüro)"; names of towns,
streets and associations stay in German. Templates keep the placeholders of the German text
(`{place}`, `{places}`); the German-only `{of_place}` ("der Stadt Düren") becomes `{place}`.

Gaps on purpose, so the demo shows every state of a translation:
- missing: the emergency page is not translated into Russian, Turkish and Farsi yet;
- outdated: the Welcome Center's opening hours changed in German after the Russian and Turkish
  translations were made; those two are seeded from the previous hours (`hours.kreishaus`).
"""

from lotse.guide.demo_translations_ar import AR
from lotse.guide.demo_translations_en import EN
from lotse.guide.demo_translations_fa import FA
from lotse.guide.demo_translations_ru import RU
from lotse.guide.demo_translations_tr import TR
from lotse.guide.demo_translations_uk import UK

TRANSLATIONS: dict[str, dict[str, str]] = {"en": EN, "ar": AR, "uk": UK, "ru": RU, "tr": TR, "fa": FA}

_EMERGENCY = frozenset({"text.emergency.title", "text.emergency.body"})
MISSING_ON_PURPOSE: dict[str, frozenset[str]] = {"ru": _EMERGENCY, "tr": _EMERGENCY, "fa": _EMERGENCY}
# stable name → (the previous German text's stable name, languages translated from it)
OUTDATED_ON_PURPOSE: dict[str, tuple[str, tuple[str, ...]]] = {"hours.welcome": ("hours.kreishaus", ("ru", "tr"))}

# How a list of places is joined: (separator, last separator)
_JOIN = {"de": (", ", " und "), "en": (", ", " and "), "ar": ("، ", " و "), "uk": (", ", " та "),
         "ru": (", ", " и "), "tr": (", ", " ve "), "fa": ("، ", " و ")}


def join_places(names: tuple[str, ...] | list[str], language: str) -> str:
    """"Aldenhoven, Inden und Titz" in the language's words; town names stay German."""
    separator, last = _JOIN[language]
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    return separator.join(names[:-1]) + last + names[-1]


def expected_names(language: str, source_names: set[str]) -> set[str]:
    """The stable names a language's translations must have: all German ones but the gaps."""
    outdated = {name for name, (_older, languages) in OUTDATED_ON_PURPOSE.items() if language in languages}
    return source_names - MISSING_ON_PURPOSE.get(language, frozenset()) - outdated
