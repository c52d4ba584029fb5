"""Tolerant person matching for the duplicate check and the name search.

Names of newcomers reach German registries in many spellings: Mohammed / Muhammad / Mohamed,
Oleksandr / Aleksandr / Alexander, Yusuf / Youssef / Jusuf, Şükrü / Sukru / Suekrue, or in their
original script (محمد, Олександр). Given and family names get swapped, and dates of birth are
often known only to the year or the month. This module is pure Python (no Django) and offers:

* `name_key` – a normalised comparison form of a name (script → Latin via anyascii, casefold,
  umlaut folding and an ordered table of transliteration rewrites, `REWRITE_RULES`);
* `blocking_keys` – a few short keys per person for an indexed candidate lookup;
* `PartialDate` – a date of birth whose month and day may be unknown;
* `Candidate`, `match_score`, `is_likely_duplicate` and `rank_candidates` – the scoring.

How a name is compared
----------------------
A name is split into tokens; each token becomes a `name_key` form and a consonant *skeleton*
(vowels dropped, similar consonants merged into one class: k/q/g/h/c, s/z, t/d, f/v/w).
Tokens written in an abjad (Arabic or Persian script, which omits short vowels) are compared
on their skeleton only; Latin tokens on their key, with vowel-only differences (Mohamed /
Muhammad) discounted. The tokens of two names are aligned to each other in whichever order
fits best, so swapped given and family names and a missing middle name cost little.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import permutations
from typing import TypeVar

from anyascii import anyascii
from rapidfuzz import fuzz, process

__all__ = [
    "BLOCKING_KEY_LENGTH",
    "DUPLICATE_THRESHOLD",
    "MAX_BLOCKING_KEYS",
    "REWRITE_RULES",
    "Candidate",
    "PartialDate",
    "blocking_keys",
    "is_likely_duplicate",
    "match_score",
    "name_key",
    "rank_candidates",
]

K = TypeVar("K")

DUPLICATE_THRESHOLD = 80.0
"""Score from which two records are shown as a likely duplicate."""

BLOCKING_KEY_LENGTH = 4
"""Consonant classes per blocking key (the keys are at most this long)."""

MAX_BLOCKING_KEYS = 6
"""At most this many blocking keys per name (one per name token; usually 2–3)."""

# Score adjustments for the date of birth.
_BIRTH_EXACT_BONUS = 5.0       # both dates complete and equal
_BIRTH_CONFLICT_PENALTY = 30.0  # known parts differ: pushes even identical names below 80

# Weight of a token that has no counterpart in the other name (a missing middle name).
_UNMATCHED_TOKEN_WEIGHT = 0.5
# Latin tokens that differ only in their vowels score this share of their vowel-free ratio.
_VOWEL_ONLY_FACTOR = 0.9
# Tokens beyond this many per name are ignored for the alignment (keeps it cheap).
_MAX_TOKENS = 5


# ---------------------------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    replacement: str
    why: str


def _rule(pattern: str, replacement: str, why: str) -> Rule:
    return Rule(re.compile(pattern), replacement, why)


_V = "aeiou"
_C = "bcdfghjklmnpqrstvwxz"

# Rules on the whole (casefolded ASCII) name, before it is split into tokens.
PHRASE_RULES: tuple[Rule, ...] = (
    _rule(r"\babd[aeiou]?([dnrstz])\1(?=[a-z]{3})", r"abdul\1",
          "assimilated article: Abdurrahman, Abdussalam → abdul…"),
    _rule(r"\babd\s*(?:[aeiou]l)?\s*(?=[a-z]{3})", "abdul",
          "Abd al-Rahman, Abdel Rahman, Abdul Rahman, Abdallah → abdul… as one token"),
    _rule(r"\s+([uo]l+ah?)\b", r"\1", "Rahmat Ullah, Sami Ullah → one token"),
    _rule(r"\b(?:al|el|ul)\s+(?=[a-z]{2})", "", "detached article: Al Hassan, El Masri"),
    _rule(r"\bal(?=[bcdfghjklmnpqrstvwxz]{2}|[dnrstz][aeiou]|[hklmnsz])(?=[a-z]{4})", "",
          "attached article before a consonant: Alhassan, Alshami, Almasri"),
)

# Rules on a single token, in this order. Each entry is (pattern, replacement, reason).
REWRITE_RULES: tuple[Rule, ...] = (
    # German renderings of foreign sounds
    _rule(r"dsch", "j", "German dsch = English j (Dschamal)"),
    _rule(r"tsch", "ch", "German tsch = English ch (Schewtschenko)"),
    _rule(r"sch", "sh", "German sch = English sh (Schirin)"),
    # digraphs of other Latin orthographies
    _rule(r"dzh|dj|xh", "j", "Albanian xh, French/Bosnian dj = English j"),
    _rule(r"zh", "sh", "Cyrillic ж: Zhukov / Schukow"),
    _rule(r"cz", "ch", "Polish cz = ch"),
    _rule(r"sz", "sh", "Polish sz = sh"),
    _rule(r"ch", "c", "ch / ç (Turkish, via anyascii) / č written as one letter"),
    _rule(r"kh", "h", "Arabic خ, Cyrillic х: Khaled / Haled, Mykhailo / Mihailo"),
    _rule(r"gh", "g", "Arabic غ, Persian ق, Romanian gh: Ghasemi / Gasemi, Gheorghe"),
    _rule(r"ph", "f", "Philmon / Filmon"),
    _rule(r"th", "t", "Arabic ث, Greek θ: Othman / Otman, Theodora / Teodora"),
    _rule(r"dh", "d", "Arabic ذ / ظ: Kadhim / Kadim"),
    _rule(r"ck", "k", "German ck"),
    _rule(r"q", "k", "Arabic ق: Qasim / Kasim"),
    _rule(r"x", "ks", "Alexander / Aleksandr, Oxana / Oksana"),
    _rule(r"w", "v", "Wladimir / Vladimir, Walid / Valid"),
    _rule(r"t[sz]", "z", "Cyrillic ц: Tsvetan / Zwetan, Kuznetsov / Kusnezow"),
    # j and y
    _rule(r"j", "y", "j as in Jusuf, Jelena, Natalja; Arabic ج is written j (Jamal) too"),
    _rule(r"(?:e[iy]|i[iy]|yi)$", "i", "final -ei/-ey/-ii/-iy: Sergei / Serhii, Andrei / Andrii"),
    _rule(r"^[yi]e", "e", "initial je/ye/ie: Yelena / Elena, Yevhen / Ievgen / Evgeni"),
    _rule(r"(?<=[bcdfghklmnpqrstvz])yo", "e", "ё after a consonant: Fyodorov / Fedorov, Artyom"),
    _rule(r"(?<=[bcdfghklmnpqrstvz])y(?=[aeiou])", "i", "Natalya / Natalia, Maryam / Mariam"),
    _rule(r"(?<=[aeiou])y(?![aeiou])", "i", "Zeynep / Zeinep, Hayder / Haider"),
    _rule(r"(?<=[bcdfghklmnpqrstvz])y(?![aeiou])", "i", "y as a vowel: Mykola / Mikola"),
    # vowels
    _rule(r"ee", "i", "Kareem / Karim"),
    _rule(r"[ou]o|ou", "u", "Youssef / Yusuf, Noor / Nur"),
    _rule(r"ie", "i", "German ie: Riem / Rim"),
    _rule(r"ae", "a", "German umlaut ä = ae; Rezaei / Rezai"),
    _rule(r"oe", "o", "German umlaut ö = oe (Özlem / Oezlem)"),
    _rule(r"ue", "u", "German umlaut ü = ue (Şükrü / Suekrue)"),
    _rule(r"ei", "ai", "Hussein / Husain, Leila / Laila, Heidari / Haidari"),
    _rule(r"c(?=[aoukltrmn]|$)", "k", "hard c: Cristian / Kristian, Mikael / Michael"),
    # endings
    _rule(r"(?<=[aeiou])h$", "", "silent final h: Sarah / Sara, Fatemeh / Fateme"),
    _rule(r"of+$", "ov", "Ivanoff / Ivanov (w → v already done: Iwanow)"),
    # doubled letters
    _rule(r"([a-z])\1+", r"\1", "doubled letters: Hassan / Hasan, Mohammed / Mohamed"),
)

# Skeleton: vowels dropped, similar consonants merged. Applied to a `name_key` token.
_SKELETON_DIGRAPHS = (("sh", "s"),)
_SKELETON_CLASSES = str.maketrans({
    "k": "k", "q": "k", "g": "k", "h": "k", "c": "k",
    "s": "s", "z": "s", "j": "s",
    "t": "t", "d": "t",
    "f": "f", "v": "f", "w": "f",
    "a": None, "e": None, "i": None, "o": None, "u": None, "y": None,
})

_ABJAD_SCRIPTS = ("ARABIC", "HEBREW", "SYRIAC", "THAANA", "NKO")


def _is_abjad(text: str) -> bool:
    """True if the text is written in a script that omits short vowels (Arabic, Persian, …)."""
    for char in text:
        if char.isalpha():
            return unicodedata.name(char, "").startswith(_ABJAD_SCRIPTS)
    return False


def _to_ascii(text: str) -> str:
    """Transliterate to lower-case ASCII letters and single spaces; punctuation is dropped."""
    text = anyascii(text).casefold()
    text = re.sub(r"[-_/.,;:+]", " ", text)  # word separators
    text = re.sub(r"[^a-z\s]", "", text)      # apostrophes, backticks, digits
    return " ".join(text.split())


# Arabic-script forms, rewritten before transliteration.
_ARABIC_PHRASES = (
    (re.compile(r"عبد\s*ال"), "عبدال"),           # عبد الرحمن → one token, like Abdulrahman
    (re.compile(r"\s+(الله)(?=\s|$)"), r"\1"),    # رحمت الله → Rahmatullah
    (re.compile(r"(^|\s)ال(?=\S{2})"), r"\1"),    # the article: الحسن → حسن
)


def _abjad_token(token: str) -> str:
    """Read an abjad transliteration: w and y inside a word are long vowels; a final h is silent."""
    token = re.sub(r"(?<=.)w", "u", token)
    token = re.sub(r"(?<=.)y", "i", token)
    return re.sub(r"(?<=.)h$", "", token)


@dataclass(frozen=True)
class _Token:
    key: str       # normalised form
    loose: str     # key with every vowel run reduced to "a"
    skeleton: str  # consonant classes
    abjad: bool    # written in an abjad: compare the skeleton only

    @property
    def weight(self) -> float:
        return float(max(len(self.key), 2))


def _rewrite(token: str, rules: Sequence[Rule]) -> str:
    for rule in rules:
        token = rule.pattern.sub(rule.replacement, token)
    return token


def _skeleton(key: str) -> str:
    for digraph, single in _SKELETON_DIGRAPHS:
        key = key.replace(digraph, single)
    key = key.translate(_SKELETON_CLASSES)
    return re.sub(r"(.)\1+", r"\1", key)


@lru_cache(maxsize=65536)
def _tokens(text: str) -> tuple[_Token, ...]:
    """The comparison tokens of a name (any script)."""
    tokens: list[_Token] = []
    for chunk, abjad in _script_chunks(text):
        for raw in _to_ascii_phrase(chunk, abjad).split():
            if abjad:
                raw = _abjad_token(raw)
            key = _rewrite(raw, REWRITE_RULES)
            if key:
                loose = re.sub(r"[aeiouy]+", "a", key)
                tokens.append(_Token(key, loose, _skeleton(key), abjad))
    return tuple(tokens)


def _script_chunks(text: str) -> list[tuple[str, bool]]:
    """Split a name into runs of abjad and non-abjad words (a name may mix scripts)."""
    chunks: list[tuple[str, bool]] = []
    for word in unicodedata.normalize("NFC", text).split():
        abjad = _is_abjad(word)
        if chunks and chunks[-1][1] == abjad:
            chunks[-1] = (chunks[-1][0] + " " + word, abjad)
        else:
            chunks.append((word, abjad))
    return chunks


def _to_ascii_phrase(text: str, abjad: bool) -> str:
    if abjad:
        for pattern, replacement in _ARABIC_PHRASES:
            text = pattern.sub(replacement, text)
    ascii_text = _to_ascii(text)
    for rule in PHRASE_RULES:
        ascii_text = rule.pattern.sub(rule.replacement, ascii_text)
    return ascii_text


def name_key(text: str) -> str:
    """The normalised comparison form of a name: equal for most spellings of the same name.

    >>> name_key("Muhammad") == name_key("Mohammed") == name_key("محمد")
    False
    >>> name_key("Schewtschenko") == name_key("Shevchenko")
    True

    (Arabic script has no short vowels, so "محمد" becomes "mhmd"; `match_score` compares
    such names on their consonant skeleton instead.)
    """
    return " ".join(token.key for token in _tokens(text))


# ---------------------------------------------------------------------------------------------
# Blocking keys
# ---------------------------------------------------------------------------------------------
def blocking_keys(given_names: str, family_name: str) -> set[str]:
    """Short keys for the indexed candidate lookup: one per name token.

    Each key is the first `BLOCKING_KEY_LENGTH` consonant classes of a token's skeleton (the
    token's key itself when it has no consonant, e.g. "Ayah"). Keys do not say whether they
    came from the given or the family name, so swapped names share all their keys; spelling
    variants of a token share its key. A person gets one key per distinct name token, usually
    2–3 and at most `MAX_BLOCKING_KEYS`: the family name's tokens first, then the given names'.
    """
    tokens = [*_tokens(family_name), *_tokens(given_names)]
    keys: list[str] = []
    for token in tokens:
        key = (token.skeleton or token.key)[:BLOCKING_KEY_LENGTH]
        if key and key not in keys:
            keys.append(key)
    return set(keys[:MAX_BLOCKING_KEYS])


# ---------------------------------------------------------------------------------------------
# Dates of birth
# ---------------------------------------------------------------------------------------------
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_GERMAN_DATE = re.compile(r"^(?:(\d{1,2})\.)?(\d{1,2})\.(\d{4})$")
_MIN_YEAR, _MAX_YEAR = 1850, 2200


@dataclass(frozen=True)
class PartialDate:
    """A date of birth of which the month and day may be unknown (None)."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not _MIN_YEAR <= self.year <= _MAX_YEAR:
            raise ValueError(f"Year {self.year} is outside {_MIN_YEAR}–{_MAX_YEAR}.")
        if self.month is None:
            if self.day is not None:
                raise ValueError("A day of birth needs a month of birth.")
            return
        if not 1 <= self.month <= 12:
            raise ValueError(f"Month {self.month} does not exist (expected 1–12).")
        if self.day is not None:
            try:
                datetime.date(self.year, self.month, self.day)
            except ValueError:
                raise ValueError(
                    f"Day {self.day} does not exist in {self.month:02d}/{self.year}."
                ) from None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse "1990", "1990-05", "1990-05-17", "05.1990", "00.05.1990" or "17.05.1990".

        A 0 (or 00) for the day or month means "unknown". Raises ValueError otherwise.
        """
        value = (text or "").strip()
        if m := _ISO_DATE.match(value):
            year, month, day = m.group(1), m.group(2), m.group(3)
        elif m := _GERMAN_DATE.match(value):
            day, month, year = m.group(1), m.group(2), m.group(3)
        else:
            raise ValueError(
                f"Not a date of birth: {text!r}. "
                "Expected YYYY, YYYY-MM, YYYY-MM-DD, MM.YYYY or DD.MM.YYYY (00 = unknown)."
            )
        month_value = int(month) if month and int(month) else None
        day_value = int(day) if day and int(day) else None
        return cls(int(year), month_value, day_value)

    @property
    def is_complete(self) -> bool:
        return self.month is not None and self.day is not None

    def compatible(self, other: PartialDate | None) -> bool:
        """True unless a part known on both sides differs (unknown parts match anything)."""
        if other is None:
            return True
        return (
            self.year == other.year
            and _agree(self.month, other.month)
            and _agree(self.day, other.day)
        )

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text


def _agree(a: int | None, b: int | None) -> bool:
    return a is None or b is None or a == b


# ---------------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    """A person as the matcher sees them.

    `other_names` holds further full names of the person ("given family"): the name in the
    original script and other transliterations on record.
    """

    given_names: str
    family_name: str
    birth: PartialDate | None
    other_names: tuple[str, ...] = ()

    def name_forms(self) -> list[tuple[_Token, ...]]:
        forms = [_tokens(f"{self.given_names} {self.family_name}")]
        forms += [_tokens(name) for name in self.other_names if name.strip()]
        return [form for form in forms if form]


def _token_similarity(a: _Token, b: _Token) -> float:
    """0..100: how alike two name tokens are."""
    if a.abjad or b.abjad:
        if not (a.skeleton and b.skeleton):
            return 100.0 if a.skeleton == b.skeleton else 0.0
        return fuzz.ratio(a.skeleton, b.skeleton)
    return max(fuzz.ratio(a.key, b.key), _VOWEL_ONLY_FACTOR * fuzz.ratio(a.loose, b.loose))


def _alignment_score(query: Sequence[_Token], other: Sequence[_Token]) -> float:
    """Best pairing of the tokens of two names, in any order; unpaired tokens count half."""
    short, long_ = (query, other) if len(query) <= len(other) else (other, query)
    short, long_ = short[:_MAX_TOKENS], long_[:_MAX_TOKENS]
    sims = [[_token_similarity(s, t) for t in long_] for s in short]
    best = 0.0
    for chosen in permutations(range(len(long_)), len(short)):
        matched = sum(
            sims[i][j] * (short[i].weight + long_[j].weight) / 2 for i, j in enumerate(chosen)
        )
        weight = sum((short[i].weight + long_[j].weight) / 2 for i, j in enumerate(chosen))
        unmatched = sum(long_[j].weight for j in range(len(long_)) if j not in chosen)
        best = max(best, matched / (weight + _UNMATCHED_TOKEN_WEIGHT * unmatched))
    return best


def _joined_score(query: Sequence[_Token], other: Sequence[_Token]) -> float:
    """Compare the names as one string each (catches split or merged tokens), both orders."""
    if any(t.abjad for t in (*query, *other)):
        return 0.0
    other_joined = "".join(t.key for t in other)
    return max(
        fuzz.ratio("".join(t.key for t in query), other_joined),
        fuzz.ratio("".join(t.key for t in reversed(query)), other_joined),
    )


def name_similarity(query: Candidate, candidate: Candidate) -> float:
    """0..100: the best similarity over all name forms of both persons."""
    best = 0.0
    for q in query.name_forms():
        for c in candidate.name_forms():
            best = max(best, _alignment_score(q, c), _joined_score(q, c))
            if best >= 100.0:
                return 100.0
    return best


def _birth_adjustment(a: PartialDate | None, b: PartialDate | None) -> float:
    if a is None or b is None:
        return 0.0
    if not a.compatible(b):
        return -_BIRTH_CONFLICT_PENALTY
    if a.is_complete and b.is_complete:
        return _BIRTH_EXACT_BONUS
    return 0.0


def match_score(query: Candidate, candidate: Candidate) -> float:
    """0..100: name similarity adjusted by the dates of birth.

    Conflicting known parts of the dates subtract 30 (identical names then score 70, below
    the duplicate threshold); equal complete dates add 5; partial or missing dates are neutral.
    """
    score = name_similarity(query, candidate) + _birth_adjustment(query.birth, candidate.birth)
    return round(min(100.0, max(0.0, score)), 1)


def is_likely_duplicate(
    query: Candidate, candidate: Candidate, threshold: float = DUPLICATE_THRESHOLD
) -> bool:
    return match_score(query, candidate) >= threshold


def _scorer(query: Candidate, candidate: Candidate, **_: object) -> float:
    return match_score(query, candidate)


def rank_candidates(
    query: Candidate,
    candidates: Iterable[tuple[K, Candidate]],
    limit: int = 10,
    threshold: float | None = DUPLICATE_THRESHOLD,
) -> list[tuple[K, float]]:
    """The best-matching candidates, best first: (key, score) with score ≥ threshold.

    Pass `threshold=None` to rank all candidates (e.g. for a search result list).
    """
    choices = dict(candidates)
    if not choices or limit <= 0:
        return []
    ranked = process.extract(
        query, choices, scorer=_scorer, processor=None, limit=limit,
        score_cutoff=threshold if threshold is not None else 0.0,
    )
    return [(key, float(score)) for _, score, key in ranked]
