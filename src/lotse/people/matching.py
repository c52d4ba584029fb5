"""Tolerant person matching for the duplicate check and the name search.

Names of newcomers reach German registries in many spellings: Mohammed / Muhammad / Mohamed,
Oleksandr / Aleksandr / Alexander, Yusuf / Youssef / Jusuf, Şükrü / Sukru / Suekrue, or in their
original script (محمد, Олександр). Given and family names get swapped, and dates of birth are
often known only to the year or the month. This module is pure Python (no Django) and offers:

* `name_key` – a normalised comparison form of a name (script → Latin via anyascii, casefold,
  umlaut folding and the ordered, documented rewrite table `REWRITE_RULES`);
* `blocking_keys` – a few short keys per person for an indexed candidate lookup;
* `PartialDate` – a date of birth whose month and day may be unknown;
* `Candidate`, `match_score`, `is_likely_duplicate` and `rank_candidates` – the scoring.

How two names are compared
--------------------------
A name is split into tokens. Each token has one or more *forms*: its main reading and the
`ALTERNATIVE_READINGS` that apply ("Alhassan" is also read as "hassan", "Othman" as "Osman").
Each form has

* a key – the `REWRITE_RULES` output ("Schewtschenko" and "Shevchenko" → "shevcenko"),
* a phonetic key – the key with similar consonants folded into one letter (k/q/g/h/c, s/z,
  t/d, f/v): Olha / Olga, Kurd / Kurt, Azizi / Asisi agree here,
* a skeleton – the phonetic key without vowels; it is what the blocking keys are made of.

Words in an abjad (Arabic or Persian script, which omits short vowels) are read letter by
letter into skeletons and compared on those only. The tokens of two names are paired in
whichever order fits best, so swapped given and family names and a missing middle name cost
little; a name scores at most its worst token pair plus `_WORST_PAIR_MARGIN`, so that a shared
family name cannot carry a different given name.
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
    "ALTERNATIVE_READINGS",
    "BLOCKING_KEY_LENGTH",
    "DUPLICATE_THRESHOLD",
    "MAX_BLOCKING_KEYS",
    "PHRASE_RULES",
    "REWRITE_RULES",
    "Candidate",
    "PartialDate",
    "Rule",
    "blocking_keys",
    "is_likely_duplicate",
    "match_score",
    "name_key",
    "name_similarity",
    "rank_candidates",
]

K = TypeVar("K")

DUPLICATE_THRESHOLD = 80.0
"""Score from which two records are shown as a likely duplicate."""

BLOCKING_KEY_LENGTH = 4
"""Consonant classes per blocking key: every key is 1–4 characters long."""

MAX_BLOCKING_KEYS = 6
"""At most this many blocking keys per name: one per token (2–3 for most people), plus one
for a token that may start with an attached article ("Alhassan") or an Arabic و that may be
read as a vowel or a consonant."""

# Score adjustments for the date of birth.
_BIRTH_EXACT_BONUS = 5.0        # both dates complete and equal
_BIRTH_CONFLICT_PENALTY = 30.0  # known parts differ: identical names drop to 70, below 80

# Token similarity: how much the folded comparisons are worth against an exact key match.
_PHONETIC_FACTOR = 0.95  # sound-alike comparison (folded consonants, skeleton): Olha / Olga
_LOOSE_FACTOR = 0.9      # the same consonant frame with other vowels: Mohamed / Muhammad
# Name similarity: a name scores at most its worst token pair plus the margin, and loses the
# penalty for each token without a partner (a missing middle name); one name token shared
# with a longer name scores at most the cap.
_WORST_PAIR_MARGIN = 15.0
_UNPAIRED_TOKEN_PENALTY = 7.0
_SINGLE_TOKEN_CAP = 75.0
# Tokens beyond this many per name are ignored (keeps the pairing cheap).
_MAX_TOKENS = 5


# ---------------------------------------------------------------------------------------------
# Rewrite rules
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    """A regex rewrite of the normalisation, with the reason it exists."""

    pattern: re.Pattern[str]
    replacement: str
    why: str

    def apply(self, text: str) -> str:
        return self.pattern.sub(self.replacement, text)


def _rule(pattern: str, replacement: str, why: str) -> Rule:
    return Rule(re.compile(pattern), replacement, why)


# On the whole name (lower-case ASCII, words separated by single spaces), before splitting.
PHRASE_RULES: tuple[Rule, ...] = (
    _rule(r"\babd[aeiou]?([dnrstz])\1(?=[a-z]{3})", r"abdul\1",
          "assimilated article: Abdurrahman, Abdussalam → abdulrahman, abdulsalam"),
    _rule(r"\babd\s*(?:[aeiou]l)?\s*(?=[a-z]{3})", "abdul",
          "Abd al-Rahman, Abdel Rahman, Abdul Rahman, Abdallah → one token abdul…"),
    _rule(r"\s+([uo]l+ah?)\b", r"\1", "Rahmat Ullah, Sami Ullah → one token"),
    _rule(r"\b(?:al|el)\s+(?=[a-z]{2})", "", "detached article: Al Hassan, Al-Hassan, El Masri"),
)

# On each token, in this order.
REWRITE_RULES: tuple[Rule, ...] = (
    # German renderings of foreign sounds
    _rule(r"dsch", "j", "German dsch = English j: Dschamal / Jamal"),
    _rule(r"tsch", "ch", "German tsch = English ch: Schewtschenko / Shevchenko"),
    _rule(r"sch", "sh", "German sch = English sh: Schirin / Shirin"),
    # digraphs of other Latin orthographies
    _rule(r"dzh|^dj|xh|dz", "j", "Albanian xh, Bosnian dž/dz, French initial dj: Hoxha / Hodza"),
    _rule(r"zh", "sh", "Cyrillic ж: Nadezhda / Nadeschda"),
    _rule(r"cz", "ch", "Polish cz = ch: Kaczmarek"),
    _rule(r"sz", "sh", "Polish sz = sh: Szymanski / Schymanski"),
    _rule(r"ch", "c", "ch, Turkish ç (c after anyascii), Czech č: Çelik / Tschelik"),
    _rule(r"kh", "h", "Arabic خ, Cyrillic х: Khaled / Haled, Mykhailo / Mihailo"),
    _rule(r"gh", "g", "Arabic غ, Persian ق, Romanian gh: Ghasemi / Gasemi"),
    _rule(r"ph", "f", "Philmon / Filmon"),
    _rule(r"th", "t", "Arabic ث, Greek θ: Othman / Otman, Theodora / Teodora"),
    _rule(r"dh", "d", "Arabic ذ / ظ: Kadhim / Kadim"),
    _rule(r"ck", "k", "German ck"),
    _rule(r"q", "k", "Arabic ق: Qasim / Kasim"),
    _rule(r"x", "ks", "Alexander / Aleksandr, Oxana / Oksana"),
    _rule(r"w", "v", "Wladimir / Vladimir, Iwanow / Ivanov"),
    _rule(r"t[sz]", "z", "Cyrillic ц: Tsvetan / Zwetan, Kuznetsov / Kusnezow"),
    # j and y
    _rule(r"j", "y", "Slavic and German j = y: Jusuf / Yusuf, Natalja / Natalya"),
    _rule(r"(?:e[iy]|i[iy]|yi)$", "i", "final -ei/-ey/-ii/-iy: Sergei / Serhii, Andrei / Andrii"),
    _rule(r"^[yi]e", "e", "initial je / ye / ie: Jelena / Yelena / Elena, Ievgen / Evgeni"),
    _rule(r"(?<=[bcdfghklmnpqrstvz])yo", "e", "ё after a consonant: Fyodorov / Fedorov"),
    _rule(r"(?<=[bcdfghklmnpqrstvz])y(?=[aeiou])", "i", "Natalya / Natalia, Maryam / Mariam"),
    _rule(r"(?<=[aeiou])y(?![aeiou])", "i", "Zeynep / Zeinep, Hayder / Haider"),
    _rule(r"(?<=[bcdfghklmnpqrstvz])y(?![aeiou])", "i", "y as a vowel: Mykola / Mikola"),
    # vowels
    _rule(r"ee", "i", "Kareem / Karim"),
    _rule(r"[ou]o|ou", "u", "Youssef / Yusuf, Noor / Nur"),
    _rule(r"ie", "i", "German ie: Riem / Rim"),
    _rule(r"ae", "a", "German umlaut ä written ae; Rezaei / Rezai"),
    _rule(r"oe", "o", "German umlaut ö written oe: Oezlem / Özlem"),
    _rule(r"ue", "u", "German umlaut ü written ue: Suekrue / Şükrü"),
    _rule(r"ei", "ai", "Hussein / Husain, Leila / Laila, Heidari / Haidari"),
    _rule(r"c(?=[aoukltrmn]|$)", "k", "hard c: Cristian / Kristian, Michael / Mikael"),
    # endings
    _rule(r"(?<=[aeiou])h$", "", "silent final h: Sarah / Sara, Fatemeh / Fateme"),
    _rule(r"of+$", "ov", "Ivanoff / Ivanov"),
    _rule(r"d$", "t", "final devoicing: Murad / Murat, Mehmed / Mehmet, Kurd / Kurt"),
    # doubled letters
    _rule(r"([a-z])\1+", r"\1", "doubled letters: Hassan / Hasan, Mohammed / Mohamed"),
)

# Second readings of a token, tried besides the main one: (pattern on the lower-case ASCII
# word, replacement, why). Each applies on its own.
ALTERNATIVE_READINGS: tuple[Rule, ...] = (
    _rule(r"^al(?=[bcdfghjklmnpqrstvwxyz][a-z]{2}|[aeiou][a-z]{3})", "",
          "attached article: Alhassan / Al-Hassan, Alomar / Al-Omar"),
    _rule(r"th", "s", "Arabic ث read as s: Othman / Osman"),
    _rule(r"dh", "z", "Arabic ذ ظ ض read as z: Kadhim / Kazim, Murtadha / Murtaza"),
    _rule(r"(?<![sct])c(?=[aeiou])", "j", "Turkish c = j: Recep / Redschep, Acar / Adschar"),
    _rule(r"(?<=.)dj", "j", "French dj inside a word: Khadidja / Khadija"),
)

# Consonant classes of the phonetic key (vowels stay): letters that transliterations swap.
_PHONETIC_CLASSES = str.maketrans("qghczdvw", "kkkkstff")


# ---------------------------------------------------------------------------------------------
# Arabic script
# ---------------------------------------------------------------------------------------------
# Letters straight to skeleton classes (transliterating first would blur letter pairs:
# anyascii writes both ش and س+ه as "sh"). Vowels and vowel carriers map to "".
_ABJAD_LETTERS = {
    **dict.fromkeys("اآأإٱءئؤعىةۀەێۆ", ""),
    "ب": "b", "پ": "p", "ت": "t", "ط": "t", "ث": "t",
    "ج": "y", "چ": "k", "ح": "k", "خ": "k", "غ": "k", "ق": "k", "ك": "k", "ک": "k",
    "گ": "k", "ه": "k", "د": "t", "ذ": "t", "ض": "t", "ظ": "t",
    "ز": "s", "س": "s", "ش": "s", "ص": "s", "ژ": "s",
    "ف": "f", "ڤ": "f", "و": "f", "ل": "l", "ڵ": "l", "م": "m", "ن": "n", "ر": "r", "ڕ": "r",
    "ي": "y", "ی": "y",
}
# In Persian, ذ ض ظ and ث are all pronounced (and transliterated) z or s.
_PERSIAN_LETTERS = {**_ABJAD_LETTERS, "ذ": "s", "ض": "s", "ظ": "s", "ث": "s"}
_PERSIAN_MARKERS = frozenset("پچژکگی")
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u0640\u064b-\u065f\u0670]")  # harakat, tatweel
_ARABIC_PHRASES = (
    (re.compile(r"عبد\s*ال"), "عبدال"),          # عبد الرحمن → one word, like Abdulrahman
    (re.compile(r"\s+(الله)(?=\s|$)"), r"\1"),   # رحمت الله → Rahmatullah
)


def _is_abjad(word: str) -> bool:
    """True for a word in Arabic script (Arabic, Persian, Pashto, Kurdish), which omits
    short vowels. Other scripts go through anyascii like Latin text."""
    first_letter = next((ch for ch in word if ch.isalpha()), None)
    return first_letter is not None and unicodedata.name(first_letter, "").startswith("ARABIC")


@lru_cache(maxsize=256)
def _letter_class(letter: str, persian: bool) -> str:
    """The skeleton class of an Arabic-script letter; letters outside the table (Pashto ښ,
    Urdu ٹ, …) are classed by their anyascii transliteration."""
    table = _PERSIAN_LETTERS if persian else _ABJAD_LETTERS
    if letter in table:
        return table[letter]
    consonants = re.sub(r"[aeiou]", "", _rewrite(_to_ascii(letter)))
    return consonants.translate(_PHONETIC_CLASSES)[:1]


def _abjad_readings(word: str, persian: bool) -> list[str]:
    """Skeletons of an Arabic-script word: with and without a leading ال (article, or part of
    the name as in الياس Elias), و inside the word as a vowel (ū) or a consonant (w)."""
    word = re.sub("[هة]$", "", _ARABIC_MARKS.sub("", word))  # silent final h, ta marbuta
    variants = [word[2:], word] if word.startswith("ال") and len(word) > 3 else [word]
    readings: list[str] = []
    for variant in variants:
        as_vowel = variant[:1] + variant[1:].replace("و", "ا")
        for reading in (as_vowel, variant):
            classes = "".join(_letter_class(ch, persian) for ch in reading if ch.isalpha())
            readings.append(_collapse(classes))
    return list(dict.fromkeys(readings))


# ---------------------------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Form:
    key: str       # REWRITE_RULES output ("" for abjad words)
    phonetic: str  # key with consonant classes folded
    loose: str     # key with every run of vowels reduced to "a" (ai kept as ay)
    skeleton: str  # phonetic key without vowels; y only at the start


@dataclass(frozen=True)
class _Token:
    display: str               # the token's `name_key`
    forms: tuple[_Form, ...]   # alternative readings, the most likely first
    abjad: bool                # compare the skeletons only

    @property
    def weight(self) -> float:
        return float(max(len(self.display), 2))


def _collapse(skeleton: str) -> str:
    """Merge repeated classes; y counts only at the start of a word (else it is a vowel)."""
    skeleton = skeleton[:1] + skeleton[1:].replace("y", "")
    return re.sub(r"(.)\1+", r"\1", skeleton)


def _to_ascii(text: str) -> str:
    """Transliterate to lower-case ASCII letters and single spaces; punctuation is dropped."""
    text = anyascii(text).casefold()
    text = re.sub(r"[-_/.,;:+]", " ", text)  # word separators
    text = re.sub(r"[^a-z\s]", "", text)      # apostrophes, backticks, digits
    return " ".join(text.split())


def _rewrite(token: str) -> str:
    for rule in REWRITE_RULES:
        token = rule.apply(token)
    return token


def _latin_form(key: str) -> _Form:
    phonetic = key.replace("sh", "s").translate(_PHONETIC_CLASSES)
    loose = re.sub(r"[aeiou]+", "a", key.replace("ai", "ay"))  # a diphthong is no mere vowel
    return _Form(key, phonetic, loose, _collapse(re.sub(r"[aeiou]", "", phonetic)))


def _latin_token(word: str) -> _Token | None:
    key = _rewrite(word)
    if not key:
        return None
    forms = {key: _latin_form(key)}
    for reading in ALTERNATIVE_READINGS:
        if (other := reading.apply(word)) != word and (other_key := _rewrite(other)):
            forms.setdefault(other_key, _latin_form(other_key))
    return _Token(key, tuple(forms.values()), abjad=False)


def _abjad_token(word: str, persian: bool) -> _Token | None:
    readings = [r for r in _abjad_readings(word, persian) if r]
    if not readings:
        return None
    display = _rewrite(_to_ascii(word).replace(" ", ""))
    return _Token(display, tuple(_Form("", "", "", r) for r in readings), abjad=True)


def _words(text: str) -> list[tuple[str, str]]:
    """The words of a name with their kind ("latin", "arabic" or "persian"), phrase rules
    applied. (Persian is recognised by its own letters anywhere in the name.)"""
    words: list[tuple[str, str]] = []
    chunks: list[tuple[str, bool]] = []
    for word in unicodedata.normalize("NFC", text).split():
        abjad = _is_abjad(word)
        if chunks and chunks[-1][1] == abjad:
            chunks[-1] = (f"{chunks[-1][0]} {word}", abjad)
        else:
            chunks.append((word, abjad))
    for chunk, abjad in chunks:
        if abjad:
            kind = "persian" if _PERSIAN_MARKERS & set(chunk) else "arabic"
            for pattern, replacement in _ARABIC_PHRASES:
                chunk = pattern.sub(replacement, chunk)
        else:
            kind = "latin"
            chunk = _to_ascii(chunk)
            for rule in PHRASE_RULES:
                chunk = rule.apply(chunk)
        words += [(word, kind) for word in chunk.split()]
    return words


@lru_cache(maxsize=65536)
def _tokens(text: str) -> tuple[_Token, ...]:
    """The comparison tokens of a name in any script."""
    tokens = [
        _latin_token(word) if kind == "latin" else _abjad_token(word, kind == "persian")
        for word, kind in _words(text)
    ]
    return tuple(t for t in tokens if t is not None)


def name_key(text: str) -> str:
    """The normalised comparison form of a name; most spellings of a name share it.

    "Schewtschenko" and "Shevchenko" both become "shevcenko", "Muhammad" and "Mohammed"
    "muhamat" and "mohamet". Text in other scripts is transliterated with anyascii first
    ("Олександр" → "oleksandr"); Arabic script has no short vowels, so "محمد" becomes "mhmt" –
    `match_score` compares such words on their consonant skeleton instead.
    """
    return " ".join(token.display for token in _tokens(text))


# ---------------------------------------------------------------------------------------------
# Blocking keys
# ---------------------------------------------------------------------------------------------
def blocking_keys(given_names: str, family_name: str) -> set[str]:
    """Short keys (1–4 characters) for the indexed candidate lookup.

    A key is the start of a token's consonant skeleton (the token's key when it has no
    consonant). Keys do not say whether they came from the given or the family name, so
    swapped names share all their keys, and the spelling variants of a token share its key.
    A person gets one key per name token – usually 2–3 – and one more for a token with two
    readings (an attached article, an Arabic و), at most `MAX_BLOCKING_KEYS`: first the main
    reading of each token, family name first, then the alternative readings.
    """
    tokens = [*_tokens(family_name), *_tokens(given_names)]
    ranked = [t.forms[0] for t in tokens] + [f for t in tokens for f in t.forms[1:]]
    keys: list[str] = []
    for form in ranked:
        key = (form.skeleton or form.key)[:BLOCKING_KEY_LENGTH]
        if key and key not in keys:
            keys.append(key)
    return set(keys[:MAX_BLOCKING_KEYS])


# ---------------------------------------------------------------------------------------------
# Dates of birth
# ---------------------------------------------------------------------------------------------
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_GERMAN_DATE = re.compile(r"^(?:(\d{1,2})\.)?(\d{1,2})\.(\d{4})$")
_MIN_YEAR, _MAX_YEAR = datetime.MINYEAR, datetime.MAXYEAR


@dataclass(frozen=True)
class PartialDate:
    """A date of birth of which the month and the day may be unknown (None)."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not _MIN_YEAR <= self.year <= _MAX_YEAR:
            raise ValueError(f"Year {self.year} does not exist.")
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

        A 0 or 00 for the day or the month means "unknown". Raises ValueError otherwise.
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
        if day_value is not None and month_value is None:
            raise ValueError(f"Not a date of birth: {text!r}. A known day needs a known month.")
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

    `other_names` holds further full names of the person ("given family" in one string): the
    name in the original script and other transliterations on record.
    """

    given_names: str
    family_name: str
    birth: PartialDate | None
    other_names: tuple[str, ...] = ()

    def name_forms(self) -> list[tuple[_Token, ...]]:
        """The tokens of each name on record, the main name first."""
        names = [f"{self.given_names} {self.family_name}", *self.other_names]
        return [tokens for name in names if (tokens := _tokens(name))]


def _ratio(a: str, b: str) -> float:
    if not (a and b):
        return 100.0 if a == b else 0.0
    return fuzz.ratio(a, b)


def _form_similarity(a: _Form, b: _Form, abjad: bool) -> float:
    if abjad:
        return _ratio(a.skeleton, b.skeleton)
    if a.key == b.key:
        return 100.0
    if a.loose == b.loose:  # same consonant frame, only vowels differ: Mohamet / Muhamat
        return _LOOSE_FACTOR * 100.0
    sounds = min(_ratio(a.phonetic, b.phonetic), _ratio(a.skeleton, b.skeleton))
    return max(_ratio(a.key, b.key), _PHONETIC_FACTOR * sounds)


def _token_similarity(a: _Token, b: _Token) -> float:
    """0..100: how alike two name tokens are, over their alternative readings."""
    abjad = a.abjad or b.abjad
    return max(_form_similarity(x, y, abjad) for x in a.forms for y in b.forms)


def _alignment_score(query: Sequence[_Token], other: Sequence[_Token]) -> float:
    """Best pairing of the tokens of two names, in any order.

    The weighted mean similarity of the paired tokens, capped at the worst pair plus
    `_WORST_PAIR_MARGIN`, less `_UNPAIRED_TOKEN_PENALTY` per token without a partner (a
    missing middle name). A single paired token against a longer name is weak evidence and
    stays below `DUPLICATE_THRESHOLD`.
    """
    short, long_ = (query, other) if len(query) <= len(other) else (other, query)
    short, long_ = short[:_MAX_TOKENS], long_[:_MAX_TOKENS]
    sims = [[_token_similarity(s, t) for t in long_] for s in short]
    best = 0.0
    for chosen in permutations(range(len(long_)), len(short)):
        pairs = [
            (sims[i][j], (short[i].weight + long_[j].weight) / 2) for i, j in enumerate(chosen)
        ]
        mean = sum(sim * w for sim, w in pairs) / sum(w for _, w in pairs)
        worst = min(sim for sim, _ in pairs)
        best = max(best, min(mean, worst + _WORST_PAIR_MARGIN))
    unpaired = len(long_) - len(short)
    best -= _UNPAIRED_TOKEN_PENALTY * unpaired
    if unpaired and len(short) == 1:
        best = min(best, _SINGLE_TOKEN_CAP)
    return max(best, 0.0)


def _joined_score(query: Sequence[_Token], other: Sequence[_Token]) -> float:
    """Compare two names with different token counts as one string each (either order):
    catches a name written as two tokens in one record and as one in the other."""
    if len(query) == len(other) or any(t.abjad for t in (*query, *other)):
        return 0.0

    def joined(tokens: Sequence[_Token]) -> tuple[str, str]:
        keys = [t.forms[0].key for t in tokens]
        return "".join(keys), "".join(reversed(keys))

    (q, q_reversed), (o, o_reversed) = joined(query), joined(other)
    return max(_ratio(q, o), _ratio(q_reversed, o), _ratio(q, o_reversed))


def name_similarity(query: Candidate, candidate: Candidate) -> float:
    """0..100: the best similarity over all names on record of both persons."""
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
    `DUPLICATE_THRESHOLD`); equal complete dates add 5; partial or missing dates are neutral.
    """
    score = name_similarity(query, candidate) + _birth_adjustment(query.birth, candidate.birth)
    return round(min(100.0, max(0.0, score)), 1)


def is_likely_duplicate(
    query: Candidate, candidate: Candidate, threshold: float = DUPLICATE_THRESHOLD
) -> bool:
    """True if the two records probably describe the same person."""
    return match_score(query, candidate) >= threshold


def _scorer(query: Candidate, candidate: Candidate, **_: object) -> float:
    return match_score(query, candidate)


def rank_candidates(
    query: Candidate,
    candidates: Iterable[tuple[K, Candidate]],
    limit: int = 10,
    threshold: float | None = DUPLICATE_THRESHOLD,
) -> list[tuple[K, float]]:
    """The best-matching candidates, best first, as (key, score) with score ≥ threshold.

    Pass `threshold=None` to rank every candidate (e.g. for a search result list).
    """
    choices = dict(candidates)
    if not choices or limit <= 0:
        return []
    ranked = process.extract(
        query, choices, scorer=_scorer, processor=None, limit=limit,
        score_cutoff=threshold if threshold is not None else 0.0,
    )
    return [(key, float(score)) for _, score, key in ranked]
