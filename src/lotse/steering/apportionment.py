"""Distributing a number of positions (e.g. welcome-counselling posts in half-time units) among
municipalities in proportion to a weight (newcomers of the last 12 months), with the arithmetic
kept so that the steering group can follow it.

Two methods used by German public bodies:
- **Hare–Niemeyer** (largest remainder): every municipality gets the whole part of its quota
  (positions × weight ÷ total); the positions left go to the largest remainders.
- **Sainte-Laguë/Schepers** (divisor method with standard rounding, the Bundestag's method since
  2009): positions go one by one to the highest quotient weight ÷ (2k + 1), k = positions
  already given; the same result as dividing by a common divisor and rounding.

Exact arithmetic with fractions; a tie at the last position is reported, not decided (by law
such ties are decided by lot, which is the committee's business)."""

from dataclasses import dataclass, field
from fractions import Fraction

HARE_NIEMEYER = "hare_niemeyer"
SAINTE_LAGUE = "sainte_lague"


@dataclass(frozen=True)
class Share:
    name: str
    weight: int
    quota: Fraction  # positions × weight ÷ total weight
    seats: int


@dataclass(frozen=True)
class Step:
    """One position given: to whom, for which quotient or remainder."""

    number: int
    name: str
    value: Fraction


@dataclass(frozen=True)
class Apportionment:
    method: str
    seats: int
    total_weight: int
    shares: list[Share]
    steps: list[Step] = field(default_factory=list)
    tied: list[str] = field(default_factory=list)  # names between which the last position is a tie

    def seats_of(self, name: str) -> int:
        return next(share.seats for share in self.shares if share.name == name)


def _check(weights: dict[str, int], seats: int) -> int:
    if seats < 0:
        raise ValueError("The number of positions cannot be negative.")
    if any(weight < 0 for weight in weights.values()):
        raise ValueError("Weights cannot be negative.")
    total = sum(weights.values())
    if seats and not total:
        raise ValueError("Nothing to distribute by: every weight is zero.")
    return total


def _quota(weight: int, seats: int, total: int) -> Fraction:
    return Fraction(seats * weight, total) if total else Fraction(0)


def hare_niemeyer(weights: dict[str, int], seats: int) -> Apportionment:
    total = _check(weights, seats)
    quotas = {name: _quota(weight, seats, total) for name, weight in weights.items()}
    given = {name: int(quota) for name, quota in quotas.items()}  # floor: quotas are >= 0
    left = seats - sum(given.values())
    ranked = sorted(weights, key=lambda name: (-(quotas[name] - given[name]), name))
    steps = []
    for number, name in enumerate(ranked[:left], start=sum(given.values()) + 1):
        given[name] += 1
        steps.append(Step(number, name, quotas[name] - int(quotas[name])))
    tied: list[str] = []
    if 0 < left < len(ranked):
        last = quotas[ranked[left - 1]] - int(quotas[ranked[left - 1]])
        tied = sorted(name for name in ranked if quotas[name] - int(quotas[name]) == last)
        if len(tied) < 2 or all(name in ranked[:left] for name in tied):
            tied = []
    shares = [Share(name, weights[name], quotas[name], given[name]) for name in weights]
    return Apportionment(HARE_NIEMEYER, seats, total, shares, steps, tied)


def sainte_lague(weights: dict[str, int], seats: int) -> Apportionment:
    total = _check(weights, seats)
    given = dict.fromkeys(weights, 0)
    steps = []
    tied: list[str] = []
    for number in range(1, seats + 1):
        quotients = {name: Fraction(weight, 2 * given[name] + 1) for name, weight in weights.items() if weight}
        best = max(quotients.values())
        leaders = sorted(name for name, value in quotients.items() if value == best)
        if number == seats and len(leaders) > 1:
            tied = leaders
        name = leaders[0]
        given[name] += 1
        steps.append(Step(number, name, best))
    shares = [Share(name, weights[name], _quota(weights[name], seats, total), given[name]) for name in weights]
    return Apportionment(SAINTE_LAGUE, seats, total, shares, steps, tied)


METHODS = {HARE_NIEMEYER: hare_niemeyer, SAINTE_LAGUE: sainte_lague}
