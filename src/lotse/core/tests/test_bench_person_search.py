"""The pure helpers of the person-search benchmark (bench/person_search.py): reading the seed's
variant pairs, the kind of a variant, ranks, recall@k and the misses by kind. The module lives in
the repository's bench/ folder, outside the package (`core.tests.bench_modules`)."""

import pytest

from lotse.core.tests.bench_modules import bench_module

# Needs no database: run once, in the SQLite pass (see Makefile, docs/development.md).
pytestmark = pytest.mark.db_independent


@pytest.fixture(scope="module")
def bench():
    return bench_module("person_search")


def person(given="Mohammed", family="Haddad", given_orig="", family_orig="", year=1990, month=5, day=17):
    return {"given_names": given, "family_name": family, "given_names_original": given_orig,
            "family_name_original": family_orig, "birth_year": year, "birth_month": month, "birth_day": day}


def test_read_pairs_skips_the_header_and_blank_lines(bench, tmp_path):
    path = tmp_path / "kreis-variant-pairs.csv"
    path.write_text("person_id_a,person_id_b\n8,9\n31,32\n\n", encoding="utf-8")
    assert bench.read_pairs(path) == [(8, 9), (31, 32)]


@pytest.mark.parametrize(("variant", "kinds"), [
    (person(given="Muhammad"), ("given",)),
    (person(family="Hadad"), ("family",)),
    (person(given="Muhammad", family="Hadad"), ("both",)),
    (person(), ("same_name",)),
    (person(family="Hadad", month=None, day=None), ("family", "partial_birth")),
    (person(family="Hadad", day=None), ("family", "partial_birth")),
])
def test_variant_kinds_name_part_and_birth(bench, variant, kinds):
    assert bench.variant_kinds(person(), variant) == kinds


def test_variant_kinds_dropped_script_and_partial_original(bench):
    original = person(given_orig="محمد", family_orig="حداد", month=None, day=None)
    # The original knows only the year: the variant knowing only the year is not "partial".
    assert bench.variant_kinds(original, person(given="Muhammad", month=None, day=None)) == (
        "given", "script_dropped")
    assert bench.variant_kinds(original, person(given="Muhammad", given_orig="محمد", family_orig="حداد",
                                                month=None, day=None)) == ("given",)


def test_rank_recall_and_misses_by_kind(bench):
    assert bench.rank_of(7, [3, 7, 9]) == 2
    assert bench.rank_of(7, []) is None
    ranks = [1, 2, None, 30]
    assert bench.recall(ranks, 25) == 0.5
    assert bench.recall(ranks, 1) == 0.25
    assert bench.recall([], 25) == 0.0
    kinds = [("given",), ("family", "partial_birth"), ("given", "partial_birth"), ("both",)]
    assert bench.by_kind(kinds, ranks, 25) == {
        "both": {"pairs": 1, "missed": 1, "recall": 0.0},
        "family": {"pairs": 1, "missed": 0, "recall": 1.0},
        "given": {"pairs": 2, "missed": 1, "recall": 0.5},
        "partial_birth": {"pairs": 2, "missed": 1, "recall": 0.5},
    }


def test_spread_sample_and_query_text(bench):
    assert bench.spread_sample(list(range(10)), 5) == [0, 2, 4, 6, 8]
    assert bench.spread_sample([1, 2], 5) == [1, 2]
    assert bench.query_text(person(given="Anna Maria", family="Kowalska")) == "Anna Maria Kowalska"
    assert bench.query_text(person(), swapped=True) == "Haddad Mohammed"
