"""Translations of guide content: lookup with German fallback, status per language, and the
"outdated" mark when the German source changed after a translation was made.

An entry is any object with `translation_key` and `translatable()` (German source per field):
office profiles, welcome counsellors, offers, guide texts and first steps."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from lotse.guide.languages import SOURCE_LANGUAGE, TRANSLATED_LANGUAGES
from lotse.guide.models import Translation, TranslationStatus

MISSING = "missing"
OUTDATED = "outdated"


def source_hash(text: str) -> str:
    """Hash of a German source text; whitespace at the ends does not count as a change."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Shown:
    """A text as a page shows it: in the asked language, or the German source as fallback."""

    text: str
    language: str
    status: str  # "source", a TranslationStatus, MISSING or OUTDATED (both shown in German)

    @property
    def is_fallback(self) -> bool:
        return self.status in (MISSING, OUTDATED)

    @property
    def is_machine_draft(self) -> bool:
        return self.status == TranslationStatus.MACHINE_DRAFT

    def __str__(self) -> str:
        return self.text


def translatable_fields(entry) -> list[str]:
    """The fields of an entry that need a translation: those with a German source."""
    return [name for name, text in entry.translatable().items() if text.strip()]


def entry_translations(entries: Iterable, language: str) -> dict[tuple[str, str], Translation]:
    """Translations of these entries in one language, by (key, field): one query."""
    keys = {entry.translation_key for entry in entries}
    if language == SOURCE_LANGUAGE or not keys:
        return {}
    rows = Translation.objects.filter(language=language, key__in=keys)
    return {(row.key, row.field): row for row in rows}


def show(entry, field: str, language: str, found: dict[tuple[str, str], Translation]) -> Shown:
    source = entry.translatable()[field]
    if language == SOURCE_LANGUAGE or not source.strip():
        return Shown(source, SOURCE_LANGUAGE, "source")
    row = found.get((entry.translation_key, field))
    if row is None:
        return Shown(source, SOURCE_LANGUAGE, MISSING)
    if row.source_hash != source_hash(source):
        return Shown(source, SOURCE_LANGUAGE, OUTDATED)
    return Shown(row.text, language, row.status)


class Localized:
    """An entry seen in one language: `localized.description` is a `Shown`; other attributes
    are the entry's own."""

    def __init__(self, entry, language: str, found: dict[tuple[str, str], Translation]):
        self.entry = entry
        self.language = language
        self._found = found
        self._fields = frozenset(entry.translatable())

    def __getattr__(self, name: str):
        entry = self.__dict__["entry"]
        if name in self.__dict__["_fields"]:
            return show(entry, name, self.__dict__["language"], self.__dict__["_found"])
        return getattr(entry, name)


def localize(entries: Iterable, language: str) -> list[Localized]:
    entries = list(entries)
    found = entry_translations(entries, language)
    return [Localized(entry, language, found) for entry in entries]


def field_state(entry, field: str, language: str, found: dict[tuple[str, str], Translation]) -> str:
    """missing, outdated, machine_draft or reviewed (for the content management)."""
    row = found.get((entry.translation_key, field))
    if row is None:
        return MISSING
    if row.source_hash != source_hash(entry.translatable()[field]):
        return OUTDATED
    return row.status


def translation_overview(entry, languages: Iterable[str] = TRANSLATED_LANGUAGES) -> dict[str, dict[str, str]]:
    """State per language and field of one entry: {"en": {"description": "reviewed", …}, …}.
    Fields whose German source is empty need no translation and are left out."""
    languages = list(languages)
    rows = Translation.objects.filter(key=entry.translation_key, language__in=languages)
    by_language: dict[str, dict[tuple[str, str], Translation]] = {code: {} for code in languages}
    for row in rows:
        by_language[row.language][(row.key, row.field)] = row
    fields = translatable_fields(entry)
    return {code: {name: field_state(entry, name, code, by_language[code]) for name in fields}
            for code in languages}


def languages_available(entry) -> list[str]:
    """The languages an entry can be read in: German, and those where every field with a German
    source has a current translation."""
    fields = translatable_fields(entry)
    overview = translation_overview(entry)
    return [SOURCE_LANGUAGE] + [code for code, states in overview.items()
                                if all(states.get(name) not in (MISSING, OUTDATED) for name in fields)]
