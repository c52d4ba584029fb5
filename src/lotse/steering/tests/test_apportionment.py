"""Distributing positions among municipalities: every expected number computed by hand."""

from fractions import Fraction

import pytest

from lotse.steering.apportionment import hare_niemeyer, sainte_lague

pytestmark = pytest.mark.db_independent


def test_hare_niemeyer_gives_whole_quotas_then_the_largest_remainders():
    # 7 positions, 2,000 newcomers: quotas 3.5, 2.45 and 1.05 → 3 + 2 + 1 = 6, the 7th to A (0.5).
    result = hare_niemeyer({"A": 1000, "B": 700, "C": 300}, 7)
    assert [(s.name, s.quota, s.seats) for s in result.shares] == [
        ("A", Fraction(7, 2), 4), ("B", Fraction(49, 20), 2), ("C", Fraction(21, 20), 1)]
    assert [(step.number, step.name, step.value) for step in result.steps] == [(7, "A", Fraction(1, 2))]
    assert result.tied == []


def test_a_tie_for_the_last_position_is_reported_not_hidden():
    # 5 positions: quotas 3, 1.5 and 0.5 → 3 + 1 = 4; B and C both have 0.5 left for the 5th.
    result = hare_niemeyer({"A": 120, "B": 60, "C": 20}, 5)
    assert sum(s.seats for s in result.shares) == 5
    assert result.tied == ["B", "C"]


def test_sainte_lague_gives_positions_one_by_one_to_the_highest_quotient():
    # Quotients 1000, 700, 333⅓ (A/3), 300, 233⅓ (B/3), 200 (A/5), 142.9 (A/7).
    result = sainte_lague({"A": 1000, "B": 700, "C": 300}, 7)
    assert [(step.name, step.value) for step in result.steps] == [
        ("A", 1000), ("B", 700), ("A", Fraction(1000, 3)), ("C", 300), ("B", Fraction(700, 3)),
        ("A", 200), ("A", Fraction(1000, 7))]
    assert (result.seats_of("A"), result.seats_of("B"), result.seats_of("C")) == (4, 2, 1)


def test_the_two_methods_can_give_different_answers():
    # 7 positions, 100 newcomers: 53 / 24 / 23.
    weights = {"A": 53, "B": 24, "C": 23}
    # Hare–Niemeyer: quotas 3.71, 1.68, 1.61 → 3 + 1 + 1 = 5; the remainders .71 (A) and .68 (B)
    # take the last two.
    assert [s.seats for s in hare_niemeyer(weights, 7).shares] == [4, 2, 1]
    # Sainte-Laguë: 53 (A), 24 (B), 23 (C), 17.67 (A/3), 10.6 (A/5), 8 (B/3), 7.67 (C/3);
    # A/7 = 7.57 comes eighth.
    result = sainte_lague(weights, 7)
    assert [s.seats for s in result.shares] == [3, 2, 2]
    assert result.steps[-1].name == "C" and result.steps[-1].value == Fraction(23, 3)


@pytest.mark.parametrize("method", [hare_niemeyer, sainte_lague])
def test_no_newcomers_no_position_and_bad_input_is_refused(method):
    result = method({"A": 0, "B": 30}, 2)
    assert (result.seats_of("A"), result.seats_of("B")) == (0, 2)
    assert [s.seats for s in method({"A": 3}, 0).shares] == [0]
    for weights, seats in (({"A": 1}, -1), ({"A": -1}, 1), ({"A": 0, "B": 0}, 1)):
        with pytest.raises(ValueError):
            method(weights, seats)
