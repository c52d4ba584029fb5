"""Counts generated access attempts (and leaks) so the suite can report them."""

from collections import Counter

ATTEMPTS: Counter = Counter()
LEAKS: Counter = Counter()


def count(kind: str, n: int = 1, leak: bool = False) -> None:
    (LEAKS if leak else ATTEMPTS)[kind] += n
