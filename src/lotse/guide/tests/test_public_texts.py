"""The fixed texts of the public guide exist in every guide language, with the same keys and
placeholders as the German source, and cover every situation, topic and office kind."""

import string

import pytest

from lotse.core.vocabulary import GuideTopic, NewcomerSituation
from lotse.guide.languages import GUIDE_LANGUAGES
from lotse.guide.public_texts import GUIDE_TEXTS
from lotse.organisations.models import AgencyKind

pytestmark = pytest.mark.db_independent


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_guide_language_has_every_text():
    assert sorted(GUIDE_TEXTS) == sorted(GUIDE_LANGUAGES)
    source = GUIDE_TEXTS["de"]
    for lang, texts in GUIDE_TEXTS.items():
        assert set(texts) == set(source), lang
        for key, text in texts.items():
            assert text.strip(), (lang, key)
            assert _placeholders(text) == _placeholders(source[key]), (lang, key)


def test_every_situation_topic_and_office_kind_has_a_label():
    keys = set(GUIDE_TEXTS["de"])
    assert {f"situation_{code}" for code in NewcomerSituation.values} <= keys
    assert {f"topic_{code}" for code in GuideTopic.values} <= keys
    assert {f"kind_{code}" for code in AgencyKind.values} <= keys


def test_right_to_left_languages_are_written_in_their_script():
    for lang in ("ar", "fa"):
        title = GUIDE_TEXTS[lang]["page_title"]
        assert any("\u0600" <= ch <= "\u06ff" for ch in title), lang
