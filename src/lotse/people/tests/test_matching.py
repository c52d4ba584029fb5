"""The tolerant person matching as a registry user meets it: spelling variants, swapped names,
original scripts and partial dates of birth find the existing record; different people don't.

Pure Python: runs without Django (`pytest -p no:django`). The recall and false-positive
figures are printed to the terminal even when pytest captures output.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lotse.people import name_data
from lotse.people.matching import (
    BLOCKING_KEY_LENGTH,
    DUPLICATE_THRESHOLD,
    MAX_BLOCKING_KEYS,
    Candidate,
    PartialDate,
    blocking_keys,
    is_likely_duplicate,
    match_score,
    name_key,
    name_similarity,
    rank_candidates,
)

# Needs no database: run once, in the SQLite pass (see Makefile, docs/development.md).
pytestmark = pytest.mark.db_independent

THRESHOLD = DUPLICATE_THRESHOLD


def person(given_names: str, family_name: str, birth: str | None = None,
           *other_names: str) -> Candidate:
    return Candidate(
        given_names, family_name, PartialDate.parse(birth) if birth else None, other_names
    )


def shares_key(a: Candidate, b: Candidate) -> bool:
    return bool(
        blocking_keys(a.given_names, a.family_name) & blocking_keys(b.given_names, b.family_name)
    )


# ---------------------------------------------------------------------------------------------
# Spelling variants
# ---------------------------------------------------------------------------------------------
# (spellings of one given name, two spellings of a family name to go with it)
GIVEN_NAME_GROUPS = [
    (["Mohammed", "Muhammad", "Mohamad", "Mohamed", "Muhammed"], ("Al-Hassan", "Alhasan")),
    (["Oleksandr", "Aleksandr", "Alexander", "Olexandr"], ("Kovalenko", "Kowalenko")),
    (["Yusuf", "Youssef", "Yousef", "Jusuf"], ("Haddad", "Hadad")),
    (["Hussein", "Husain", "Hussain"], ("Al-Jubouri", "Aljuburi")),
    (["Abdul Rahman", "Abdulrahman", "Abd al-Rahman", "Abdelrahman"], ("Sheikho", "Scheicho")),
    (["Ahmad", "Ahmed"], ("Karimi", "Karimy")),
    (["Mykola", "Nikolai", "Nikolaj"], ("Shevchenko", "Schewtschenko")),
    (["Serhii", "Sergei", "Sergej", "Serhiy"], ("Bondarenko", "Bondarenko")),
    (["Yevhen", "Evgeni", "Jewgeni"], ("Tkachenko", "Tkatschenko")),
    (["Oksana", "Oxana"], ("Kravchenko", "Krawtschenko")),
    (["Zeynep", "Zejnep"], ("Yılmaz", "Yilmaz")),
    (["Şükrü", "Sukru", "Suekrue", "Sükrü"], ("Öztürk", "Oeztuerk")),
    (["Özlem", "Oezlem", "Ozlem"], ("Çelik", "Tschelik")),
    (["Khaled", "Khalid", "Chaled"], ("Al-Khatib", "Al Chatib")),
    (["Fatemeh", "Fateme", "Fatima"], ("Rezaei", "Rezai")),
]
VARIANT_PAIRS = [
    (a, b, family)
    for spellings, family in GIVEN_NAME_GROUPS
    for a, b in combinations(spellings, 2)
]


@pytest.mark.parametrize(("first", "second", "family"), VARIANT_PAIRS,
                         ids=[f"{a}~{b}" for a, b, _ in VARIANT_PAIRS])
def test_spelling_variants_of_a_person_are_found(first, second, family):
    registered = person(first, family[0], "1988-03-02")
    entered = person(second, family[1], "1988")
    assert match_score(entered, registered) >= THRESHOLD
    assert is_likely_duplicate(entered, registered)
    assert shares_key(entered, registered)


# Ukrainian Mykola and Russian Nikolai differ in their first consonant: the given names share
# no blocking key, the person is still found through the family name (test above).
_FIRST_LETTER_DIFFERS = {frozenset({"Mykola", "Nikolai"}), frozenset({"Mykola", "Nikolaj"})}


@pytest.mark.parametrize(
    ("first", "second"),
    [(a, b) for a, b, _ in VARIANT_PAIRS if frozenset({a, b}) not in _FIRST_LETTER_DIFFERS],
)
def test_a_given_name_alone_keeps_its_blocking_key_across_spellings(first, second):
    assert blocking_keys(first, "") & blocking_keys(second, "")


@pytest.mark.parametrize("pair", sorted(tuple(sorted(p)) for p in _FIRST_LETTER_DIFFERS))
def test_known_limit_first_letter_differs_given_names_alone_share_no_key(pair):
    """Documented limitation: Mykola/Nikolai share no key by the given name alone; the search
    still finds the person through the family name (test above)."""
    first, second = pair
    assert not blocking_keys(first, "") & blocking_keys(second, "")


@pytest.mark.parametrize("spellings", [
    ["Shevchenko", "Schewtschenko", "Sevcenko"],
    ["Kovalenko", "Kowalenko"],
    ["Al-Hassan", "Alhasan", "Al Hassan", "Hassan"],
    ["Öztürk", "Oeztuerk", "Ozturk"],
    ["Müller", "Mueller", "Muller"],
    ["Strauß", "Strauss"],
    ["Hosseini", "Husseini", "Hoseini"],
    ["Ivanov", "Iwanow", "Ivanoff"],
    ["Kuznetsov", "Kusnezow"],
    ["Wiśniewski", "Wisniewski", "Wischnewski"],
    ["Krasniqi", "Krasniki"],
])
def test_spelling_variants_of_a_family_name_are_found(spellings):
    for first, second in combinations(spellings, 2):
        registered, entered = person("Amina", first, "1975-11"), person("Amina", second)
        assert match_score(entered, registered) >= THRESHOLD, (first, second)
        assert shares_key(entered, registered), (first, second)


def test_name_key_folds_transliterations_and_umlauts():
    assert name_key("Schewtschenko") == name_key("Shevchenko")
    assert name_key("Müller") == name_key("Mueller") == name_key("Muller")
    assert name_key("Strauß") == name_key("Strauss")
    assert name_key("Şükrü") == name_key("Suekrue") == name_key("SUKRU")
    assert name_key("Zeynep") == name_key("Zejnep")
    assert name_key("Abd al-Rahman") == name_key("Abdul Rahman") == name_key("Abdulrahman")
    assert name_key("Youssef") == name_key("Yousef")
    assert name_key("Hussein") == name_key("Husain") == name_key("Hussain")
    assert name_key("Mohammed") == name_key("Mohamed")
    assert name_key("Олександр") == name_key("Oleksandr")
    assert name_key("  al-HASSAN ") == name_key("Hassan")


# ---------------------------------------------------------------------------------------------
# Swapped names, original scripts
# ---------------------------------------------------------------------------------------------
def test_swapped_given_and_family_names_match():
    registered = person("Oleksandr", "Kovalenko", "1975-04-12")
    swapped = person("Kovalenko", "Oleksandr", "1975-04-12")
    assert match_score(swapped, registered) == 100.0
    assert blocking_keys("Kovalenko", "Oleksandr") == blocking_keys("Oleksandr", "Kovalenko")
    # swapped and spelled differently
    assert match_score(person("Hassan", "Muhammad", "1990"), person("Mohammed", "Al-Hassan",
                                                                   "1990-01-01")) >= THRESHOLD


def test_arabic_script_matches_its_latin_forms():
    assert name_similarity(person("محمد", ""), person("Mohammed", "")) == 100.0
    registered = person("Mohammed", "Al-Hassan", "1990-05-17")
    entered = person("محمد", "الحسن", "1990")
    assert match_score(entered, registered) >= THRESHOLD
    assert shares_key(entered, registered)
    assert match_score(person("يوسف", "حداد"), person("Youssef", "Haddad")) >= THRESHOLD
    assert match_score(person("عبد الرحمن", "شيخو"), person("Abdulrahman", "Sheikho")) >= THRESHOLD


def test_persian_script_matches_its_latin_forms():
    assert match_score(person("فاطمه", "رضایی"), person("Fatemeh", "Rezaei")) >= THRESHOLD
    assert match_score(person("حسین", "موسوی"), person("Hossein", "Mousavi")) >= THRESHOLD
    assert shares_key(person("حسین", "موسوی"), person("Hossein", "Musavi"))


def test_cyrillic_matches_its_latin_forms():
    registered = person("Oleksandr", "Kovalenko", "1975-04-12")
    entered = person("Олександр", "Коваленко", "1975-04-12")
    assert match_score(entered, registered) >= THRESHOLD
    assert shares_key(entered, registered)
    assert match_score(person("Наталья", "Кузнецова"), person("Natalja", "Kusnezowa")) >= THRESHOLD


def test_a_name_on_record_in_the_original_script_is_used():
    registered = person("Mohamad", "Alhasan", "1990", "محمد الحسن")
    assert match_score(person("محمد", "الحسن"), registered) >= THRESHOLD
    # … and other transliterations on record
    registered = person("Yevhen", "Tkachenko", None, "Jewgeni Tkatschenko")
    assert match_score(person("Jewgeni", "Tkatschenko"), registered) == 100.0


def test_a_missing_middle_name_still_matches():
    assert match_score(person("Mohammed", "Hassan", "1990"),
                       person("Mohammed Ali", "Hassan", "1990-02-03")) >= THRESHOLD


# ---------------------------------------------------------------------------------------------
# Different people
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("first", "second"), [
    (("Ahmad", "Karimi"), ("Fatima", "Haidari")),
    (("Olena", "Shevchenko"), ("Oksana", "Bondarenko")),
    (("Mehmet", "Yılmaz"), ("Ayşe", "Kaya")),
    (("Mohammed", "Al-Hassan"), ("Omar", "Haddad")),
    (("Ion", "Popescu"), ("Maria", "Stoica")),
    (("Yonas", "Tesfamariam"), ("Helen", "Ghebremedhin")),
    (("Piotr", "Nowak"), ("Katarzyna", "Kowalska")),
])
def test_different_people_do_not_match(first, second):
    a, b = person(*first, "1990"), person(*second, "1990")
    assert match_score(a, b) < THRESHOLD
    assert not is_likely_duplicate(a, b)


def test_one_shared_name_is_not_a_duplicate():
    assert match_score(person("Mohammed", "Hassan"), person("Mohammed", "Haddad")) < THRESHOLD
    assert match_score(person("Hassan", ""), person("Ahmad", "Hassan")) < THRESHOLD


# ---------------------------------------------------------------------------------------------
# Dates of birth
# ---------------------------------------------------------------------------------------------
def test_incompatible_birth_dates_push_even_identical_names_below_the_threshold():
    registered = person("Oleksandr", "Kovalenko", "1975-04-12")
    assert match_score(person("Oleksandr", "Kovalenko", "1975-04-13"), registered) < THRESHOLD
    assert match_score(person("Oleksandr", "Kovalenko", "1975-05"), registered) < THRESHOLD
    assert match_score(person("Oleksandr", "Kovalenko", "1976"), registered) < THRESHOLD
    assert not is_likely_duplicate(person("Mohammed", "Hassan", "01.01.1990"),
                                   person("Mohammed", "Hassan", "17.05.1990"))


def test_partial_and_missing_birth_dates_are_neutral_and_exact_ones_help():
    registered = person("Muhammad", "Al-Hassan", "1990-05-17")
    name_only = match_score(person("Mohamed", "Alhasan"), registered)
    assert THRESHOLD <= name_only < 100.0
    for partial in ("1990", "1990-05", "00.05.1990"):
        assert match_score(person("Mohamed", "Alhasan", partial), registered) == name_only
    assert match_score(person("Mohamed", "Alhasan", "17.05.1990"), registered) > name_only
    assert PartialDate.parse("1990").compatible(PartialDate.parse("1990-05-17"))
    assert PartialDate.parse("1990-05").compatible(PartialDate.parse("1990-05-17"))
    assert not PartialDate.parse("1990-06").compatible(PartialDate.parse("1990-05-17"))
    assert PartialDate.parse("1990").compatible(None)


@pytest.mark.parametrize(("text", "expected"), [
    ("1990", PartialDate(1990)),
    ("1990-05", PartialDate(1990, 5)),
    ("1990-05-17", PartialDate(1990, 5, 17)),
    ("00.05.1990", PartialDate(1990, 5)),
    ("17.05.1990", PartialDate(1990, 5, 17)),
    ("05.1990", PartialDate(1990, 5)),
    ("00.00.1990", PartialDate(1990)),
    (" 1.5.1990 ", PartialDate(1990, 5, 1)),
    ("2000-02-29", PartialDate(2000, 2, 29)),
])
def test_partial_dates_parse(text, expected):
    assert PartialDate.parse(text) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("1990-13", "Month 13"),
    ("abc", "Not a date of birth"),
    ("32.01.1990", "Day 32"),
    ("1990-02-30", "Day 30"),
    ("1900-02-29", "Day 29"),
    ("17.00.1990", "needs a known month"),
    ("", "Not a date of birth"),
    ("90", "Not a date of birth"),
    ("1990/05/17", "Not a date of birth"),
])
def test_bad_dates_are_rejected_with_a_clear_message(text, message):
    with pytest.raises(ValueError, match=message):
        PartialDate.parse(text)


def test_a_partial_date_needs_a_month_for_its_day():
    with pytest.raises(ValueError, match="needs a month"):
        PartialDate(1990, None, 5)


# ---------------------------------------------------------------------------------------------
# Ranking and blocking keys
# ---------------------------------------------------------------------------------------------
def test_rank_candidates_puts_the_best_match_first():
    query = person("Muhammad", "Al-Hasan", "1990")
    registry = [
        (11, person("Omar", "Haddad", "1990-01-01")),
        (12, person("Mohammed", "Alhassan", "1990-03-04")),
        (13, person("Mahmoud", "Al-Hassan", "1990-03-04")),
        (14, person("Mohammed", "Alhassan", "1985-03-04")),
        (15, person("Mohamed", "Hassan", None, "محمد الحسن")),
    ]
    ranked = rank_candidates(query, registry)
    assert [key for key, _ in ranked][:2] in ([12, 15], [15, 12])
    assert 11 not in dict(ranked) and 14 not in dict(ranked)
    assert all(score >= THRESHOLD for _, score in ranked)
    assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)
    assert len(rank_candidates(query, registry, limit=1)) == 1
    everyone = rank_candidates(query, registry, limit=10, threshold=None)
    assert {key for key, _ in everyone} == {11, 12, 13, 14, 15}
    assert rank_candidates(query, []) == []


def test_blocking_keys_are_short_and_few():
    keys = blocking_keys("Mohammed Ali", "Al-Hassan")
    assert 2 <= len(keys) <= MAX_BLOCKING_KEYS
    assert all(1 <= len(k) <= BLOCKING_KEY_LENGTH for k in keys)
    assert blocking_keys("", "") == set()
    assert blocking_keys("Maria Elena Anna Sofia Ioana", "Popescu-Ionescu")  # capped, not empty
    assert len(blocking_keys("Maria Elena Anna Sofia Ioana", "Popescu-Ionescu")) <= 6


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------
_LATIN_NAMES = sorted({v for _, _, e in name_data.all_names() for v in e.latin})
_ORIGINAL_NAMES = sorted({e.original for _, _, e in name_data.all_names()})
_names = st.sampled_from(_LATIN_NAMES + _ORIGINAL_NAMES)


@st.composite
def partial_dates(draw) -> PartialDate:
    day = draw(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2025, 12, 31)))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    return PartialDate(day.year, None if precision == "year" else day.month,
                       day.day if precision == "day" else None)


@settings(max_examples=300, deadline=None)
@given(_names, _names, _names, _names, st.none() | partial_dates(), st.none() | partial_dates())
def test_scores_are_bounded_and_symmetric(g1, f1, g2, f2, b1, b2):
    a, b = Candidate(g1, f1, b1), Candidate(g2, f2, b2)
    score = match_score(a, b)
    assert 0.0 <= score <= 100.0
    assert score == match_score(b, a)
    assert match_score(a, a) >= 100.0 - 1e-9


@settings(max_examples=300, deadline=None)
@given(_names, _names, _names, _names)
def test_swapping_given_and_family_name_changes_nothing(g1, f1, g2, f2):
    other = Candidate(g2, f2, None)
    assert name_similarity(Candidate(g1, f1, None), other) == pytest.approx(
        name_similarity(Candidate(f1, g1, None), other))
    keys = blocking_keys(g1, f1)
    if len(keys) < MAX_BLOCKING_KEYS:
        assert keys == blocking_keys(f1, g1)
    assert all(1 <= len(k) <= BLOCKING_KEY_LENGTH for k in keys)


@settings(max_examples=300, deadline=None)
@given(_names, _names, partial_dates(), partial_dates())
def test_conflicting_dates_always_cost_the_duplicate(given_name, family, b1, b2):
    if b1.compatible(b2):
        return
    assert match_score(Candidate(given_name, family, b1),
                       Candidate(given_name, family, b2)) < THRESHOLD


@settings(max_examples=500, deadline=None)
@given(st.text(), st.text(), st.text(), st.text())
def test_any_text_is_handled(g1, f1, g2, f2):
    """Search boxes receive anything: punctuation only, digits, emoji, other scripts."""
    assert isinstance(name_key(g1), str)
    assert all(1 <= len(k) <= BLOCKING_KEY_LENGTH for k in blocking_keys(g1, f1))
    assert 0.0 <= match_score(Candidate(g1, f1, None), Candidate(g2, f2, None)) <= 100.0


@pytest.mark.parametrize("text", ["---", "'; DROP TABLE x; --", "%", "_", "  ", "123", "🙂",
                                  "ـــ", "\u064b", "O'Neil", "Ma'moun"])
def test_odd_input_gives_no_error(text):
    name_key(text)
    blocking_keys(text, text)
    match_score(Candidate(text, text, None), Candidate("Mohammed", "Hassan", None))


@given(partial_dates())
def test_partial_dates_round_trip(date):
    assert PartialDate.parse(str(date)) == date
    german = ".".join(f"{part or 0:02d}" for part in (date.day, date.month)) + f".{date.year}"
    assert PartialDate.parse(german) == date
    assert date.compatible(date)


@given(partial_dates(), partial_dates())
def test_compatibility_is_symmetric(a, b):
    assert a.compatible(b) == b.compatible(a)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_LATIN_NAMES), st.randoms(use_true_random=False))
def test_variant_of_keeps_to_the_listed_spellings(name, rng):
    variant = name_data.variant_of(name, rng)
    assert isinstance(variant, str) and variant
    spellings = {s for _, _, e in name_data.all_names() if name in e.latin for s in e.latin}
    originals = {e.original for _, _, e in name_data.all_names() if name in e.latin}
    if len(spellings) > 1:
        assert variant in spellings | originals


# ---------------------------------------------------------------------------------------------
# Name data
# ---------------------------------------------------------------------------------------------
EXPECTED_COUNTRIES = {
    "SY": "475", "AF": "423", "IQ": "438", "UA": "166", "TR": "163", "RO": "154", "BG": "125",
    "PL": "152", "ER": "224", "IR": "439", "NG": "232", "RU": "160", "XK": "150",
}


def test_name_data_covers_the_main_countries_of_origin():
    assert {code: c.destatis for code, c in name_data.COUNTRIES.items()} == EXPECTED_COUNTRIES
    for code, country in name_data.COUNTRIES.items():
        assert country.iso2 == code
        assert len(country.male) >= 25 and len(country.female) >= 25
        assert len(country.family) >= 30
        assert country.weight > 0
        assert all(len(lang) == 2 and lang.islower() for lang in country.languages)
        for entry in (*country.male, *country.female, *country.family):
            assert entry.original and entry.latin
            assert all(v.isascii() or country.script == "Latn" for v in entry.latin)
            if country.script == "Arab":
                assert name_key(entry.original) and not entry.original.isascii()


def test_feminine_family_names():
    assert name_data.feminine_form("Ivanov") == "Ivanova"
    assert name_data.feminine_form("Kowalski") == "Kowalska"
    assert name_data.feminine_form("Иванов") == "Иванова"
    bg = name_data.COUNTRIES["BG"]
    entry = name_data.family_entry_for(bg, bg.family[0], "f")
    assert entry.original.endswith("а") and all(v.endswith("a") for v in entry.latin)
    ua = name_data.COUNTRIES["UA"]
    assert name_data.family_entry_for(ua, ua.family[0], "f") == ua.family[0]


def test_variant_of_changes_unlisted_names_realistically():
    rng = random.Random(7)
    assert name_data.variant_of("Mohammed", rng) in {
        "Muhammad", "Mohamad", "Mohamed", "Muhammed", "Mohammad"}
    assert name_data.variant_of("Şükrü", rng) in {"Sükrü", "Suekrue", "Sukru"}
    novel = {name_data.variant_of("Krzysztof", rng) for _ in range(30)}
    assert novel - {"Krzysztof"}
    assert all(v.lower() != "krzysztof" or v == "Krzysztof" for v in novel)


# ---------------------------------------------------------------------------------------------
# Recall and false positives on generated registry data
# ---------------------------------------------------------------------------------------------
PAIRS = 3000
_CODES = list(name_data.COUNTRIES)
_WEIGHTS = [name_data.COUNTRIES[c].weight for c in _CODES]


@dataclass(frozen=True)
class _Person:
    code: str
    sex: str
    given: name_data.NameEntry
    family: name_data.NameEntry
    birth: datetime.date


def _random_person(rng: random.Random, code: str | None = None) -> _Person:
    code = code or rng.choices(_CODES, _WEIGHTS)[0]
    country = name_data.COUNTRIES[code]
    sex = rng.choice("mf")
    given_entry = rng.choice(country.male if sex == "m" else country.female)
    family = name_data.family_entry_for(country, rng.choice(country.family), sex)
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 65))
    return _Person(code, sex, given_entry, family, birth)


def _as_entered(rng: random.Random, birth: datetime.date) -> PartialDate | None:
    """What a second office knows of the date of birth."""
    roll = rng.random()
    if roll < 0.3:
        return PartialDate(birth.year)
    if roll < 0.5:
        return PartialDate(birth.year, birth.month)
    if roll < 0.9:
        return PartialDate(birth.year, birth.month, birth.day)
    return None


def variant_pairs(n: int, seed: int) -> Iterator[tuple[Candidate, Candidate]]:
    """(as entered again, as registered) for n generated people.

    The registered record uses a listed Latin spelling, 10 % with a second given name. The
    new entry changes the given name, the family name or both with `variant_of` (30 % with a
    rule-based change not taken from the lists), is typed in the original script for 10 % of
    the people from Arabic- or Cyrillic-script countries, has given and family name swapped
    in 20 % and knows the date of birth fully, to the month, to the year or not at all.
    """
    rng = random.Random(seed)
    for _ in range(n):
        p = _random_person(rng)
        country = name_data.COUNTRIES[p.code]
        given_name, family = rng.choice(p.given.latin), rng.choice(p.family.latin)
        middle = rng.choice(rng.choice(country.male).latin) if rng.random() < 0.1 else ""
        registered = Candidate(f"{given_name} {middle}".strip(), family,
                               PartialDate(p.birth.year, p.birth.month, p.birth.day))
        if country.script != "Latn" and rng.random() < 0.1:
            new_given, new_family = p.given.original, p.family.original
        else:
            new_given, new_family = given_name, family
            for _ in range(10):  # some short names have no realistic variant
                roll = rng.random()
                if roll < 0.25 or roll >= 0.5:
                    new_given = name_data.variant_of(new_given, rng, novel=rng.random() < 0.3)
                if roll >= 0.25:
                    new_family = name_data.variant_of(new_family, rng, novel=rng.random() < 0.3)
                if (new_given, new_family) != (given_name, family):
                    break
        if rng.random() < 0.2:
            new_given, new_family = new_family, new_given
        yield Candidate(new_given, new_family, _as_entered(rng, p.birth)), registered


def _other_day_same_year(rng: random.Random, birth: datetime.date) -> datetime.date:
    while True:
        day = datetime.date(birth.year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        if day != birth:
            return day


def different_people(n: int, seed: int, *, same_family: bool = False,
                     full_date: bool = True) -> Iterator[tuple[Candidate, Candidate]]:
    """(query, registered) for two different people of the same country, born on different
    days of the same year; the query knows the full date or only the year. With same_family
    they are siblings: same family name, different given names."""
    rng = random.Random(seed)
    produced = 0
    while produced < n:
        a = _random_person(rng)
        b = _random_person(rng, a.code)
        family_b = b.family
        if same_family:
            country = name_data.COUNTRIES[a.code]
            base = next(e for e in country.family
                        if name_data.family_entry_for(country, e, a.sex) == a.family)
            family_b = name_data.family_entry_for(country, base, b.sex)
            if a.given.original == b.given.original:
                continue
        elif (a.given.original, a.family.original) == (b.given.original, family_b.original):
            continue  # namesakes: only the date of birth can tell them apart
        birth_b = _other_day_same_year(rng, a.birth)
        registered = Candidate(rng.choice(a.given.latin), rng.choice(a.family.latin),
                               PartialDate(a.birth.year, a.birth.month, a.birth.day))
        known = (PartialDate(birth_b.year, birth_b.month, birth_b.day) if full_date
                 else PartialDate(birth_b.year))
        yield Candidate(rng.choice(b.given.latin), rng.choice(family_b.latin), known), registered
        produced += 1


def _report(capsys, record_property, name: str, value: float, line: str) -> None:
    """Print a figure to the terminal past pytest's capture (not shown by xdist workers,
    so it is also recorded as a JUnit property)."""
    record_property(name, round(value, 4))
    with capsys.disabled():
        print(f"\n[matching] {line}", end="")


def test_recall_on_generated_variant_pairs(capsys, record_property):
    pairs = list(variant_pairs(PAIRS, seed=2026))
    blocked = sum(shares_key(entered, registered) for entered, registered in pairs)
    matched = sum(match_score(entered, registered) >= THRESHOLD for entered, registered in pairs)
    recall_keys, recall_score = blocked / len(pairs), matched / len(pairs)
    record_property("recall_blocking_keys", round(recall_keys, 4))
    _report(capsys, record_property, "recall_score", recall_score,
            f"recall on {len(pairs)} variant pairs: blocking-key overlap "
            f"{recall_keys:.4f}, score >= {THRESHOLD:g}: {recall_score:.4f}")
    assert recall_keys >= 0.98
    assert recall_score >= 0.98


@pytest.mark.parametrize("full_date", [True, False], ids=["full-date", "year-only"])
def test_false_positives_on_different_people_born_the_same_year(capsys, record_property,
                                                                full_date):
    pairs = list(different_people(PAIRS, seed=7, full_date=full_date))
    false_positives = sum(match_score(q, r) >= THRESHOLD for q, r in pairs) / len(pairs)
    _report(capsys, record_property, "false_positive_rate", false_positives,
            f"false-positive rate on {len(pairs)} pairs of different people, same birth "
            f"year, query date {'complete' if full_date else 'year only'}: {false_positives:.4f}")
    assert false_positives <= 0.02


def test_siblings_known_only_by_birth_year_are_rarely_taken_for_one_person(capsys,
                                                                           record_property):
    pairs = list(different_people(PAIRS, seed=8, same_family=True, full_date=False))
    false_positives = sum(match_score(q, r) >= THRESHOLD for q, r in pairs) / len(pairs)
    _report(capsys, record_property, "sibling_false_positive_rate", false_positives,
            f"false-positive rate on {len(pairs)} sibling pairs (same family name, other "
            f"given name, same birth year, query knows the year only): {false_positives:.4f}")
    assert false_positives <= 0.05
