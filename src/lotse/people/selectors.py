"""Reads of the person registry, always through the access spine."""

import re
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery

from lotse.access.context import AccessContext
from lotse.access.spine import PersonRecord, access_people, persons_visible_to
from lotse.core.vocabulary import DataCategory
from lotse.people.matching import (
    DUPLICATE_THRESHOLD,
    Candidate,
    PartialDate,
    blocking_keys,
    match_score,
)
from lotse.people.models import Person, PersonAgencyLink, PersonNameKey

SEARCH_LIMIT = 25
# Candidates scored in memory, best-ranked by shared blocking keys first.
CANDIDATE_LIMIT = 1000
AZR_PATTERN = re.compile(r"^\d{6,12}$")


@dataclass(frozen=True)
class SearchQuery:
    name: str = ""
    birth: PartialDate | None = None
    azr_number: str = ""
    file_number: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.name.strip() or self.birth or self.azr_number or self.file_number)


@dataclass(frozen=True)
class SearchHit:
    record: PersonRecord
    score: float


def _split_name(name: str) -> tuple[str, str]:
    parts = name.replace(",", " ").split()
    if len(parts) <= 1:
        return (parts[0] if parts else "", "")
    return " ".join(parts[:-1]), parts[-1]


def candidate_of(person) -> Candidate:
    birth = PartialDate(person.birth_year, person.birth_month, person.birth_day) if (
        person.birth_year
    ) else None
    others = tuple(
        n for n in (
            f"{person.given_names_original} {person.family_name_original}".strip(),
            *[o.strip() for o in (person.other_names or "").split(";")],
        ) if n
    )
    return Candidate(person.given_names, person.family_name, birth, others)


_MATCH_FIELDS = (
    "pk", "given_names", "family_name", "given_names_original", "family_name_original",
    "other_names", "birth_year", "birth_month", "birth_day",
)


@dataclass(frozen=True)
class _Row:
    pk: int
    given_names: str
    family_name: str
    given_names_original: str
    family_name_original: str
    other_names: str
    birth_year: int | None
    birth_month: int | None
    birth_day: int | None


def _scoped_candidates(ctx: AccessContext, purpose: str, query: SearchQuery, limit: int):
    scoped = persons_visible_to(ctx, purpose)
    if query.azr_number:
        scoped = scoped.filter(azr_number=query.azr_number.strip())
    if query.file_number:
        scoped = scoped.filter(
            # Only the user's own agency's file numbers: others' are not theirs to look up.
            pk__in=PersonAgencyLink._plain.filter(file_number=query.file_number.strip(),
                                                  agency_id=ctx.agency_id)
            .values("person_id")
        )
    order = ["pk"]
    if query.name.strip():
        given, family = _split_name(query.name)
        keys = blocking_keys(given, family)
        # Rank by the number of shared blocking keys, so a common short key cannot push the
        # real match past the candidate limit.
        shared = (PersonNameKey._plain.filter(person_id=OuterRef("pk"), key__in=keys)
                  .order_by().values("person_id").annotate(n=Count("id")).values("n"))
        scoped = scoped.filter(
            pk__in=PersonNameKey._plain.filter(district_id=ctx.district_id, key__in=keys).values("person_id")
        ).annotate(shared_keys=Subquery(shared))
        order = ["-shared_keys", "pk"]
    if query.birth:
        scoped = scoped.filter(Q(birth_year=query.birth.year) | Q(birth_year__isnull=True))
    return [_Row(*row) for row in scoped.order_by(*order).values_list(*_MATCH_FIELDS)[:limit]]


def person_search(
    ctx: AccessContext, query: SearchQuery, *, purpose: str, limit: int = SEARCH_LIMIT,
    threshold: float | None = None, exclude_ids: tuple[int, ...] = (),
) -> list[SearchHit]:
    """Tolerant search: transliteration variants, swapped names, partial dates of birth.

    Candidates come from the spine's SQL scope and are ranked in memory; only the persons
    actually shown go through `access_people`, which decides and logs each of them.
    """
    if query.is_empty:
        return []
    rows = [r for r in _scoped_candidates(ctx, purpose, query, limit=CANDIDATE_LIMIT)
            if r.pk not in exclude_ids]
    if query.name.strip():
        given, family = _split_name(query.name)
        wanted = Candidate(given, family, query.birth)
        scored = [(row.pk, match_score(wanted, candidate_of(row))) for row in rows]
        if threshold is not None:
            scored = [(pk, score) for pk, score in scored if score >= threshold]
        scored.sort(key=lambda item: -item[1])
    else:
        scored = [(row.pk, 100.0) for row in rows if _birth_compatible(row, query.birth)]
    scored = scored[:limit]
    scores = dict(scored)
    records = access_people(
        ctx, [pk for pk, _ in scored], purpose, categories=[DataCategory.IDENTITY],
        action="person.search", with_history=False,
    )
    return [SearchHit(record, scores[record.person.pk]) for record in records]


def _birth_compatible(row: _Row, birth: PartialDate | None) -> bool:
    if birth is None or row.birth_year is None:
        return True
    return birth.compatible(PartialDate(row.birth_year, row.birth_month, row.birth_day))


# --- screening free text for names of registered persons ---------------------------------------

# Words that never count as half of a name: a few German function words and forms of address,
# so that "Frau Haddad" is judged on the name alone and common phrases do not hit.
NAME_STOP_WORDS = frozenset("""
    der die das den dem des ein eine einer eines einem einen und oder aber mit ohne für von vom
    zu zum zur im in am an auf aus bei nach vor über unter durch gegen um als wie wenn dass ist
    sind war waren wird werden wurde wurden hat haben kein keine nicht noch auch nur sehr so es
    er sie wir ihr ich man sich frau herr herrn familie fam dr prof the and of
""".split())
# A word: letters, with inner hyphens or apostrophes ("Al-Hassan", "D'Souza").
_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*")
SCREEN_CANDIDATE_LIMIT = 5000
SCREEN_MIN_WORD_LENGTH = 2


def _screen_words(text: str) -> list[tuple[str, bool]]:
    """The words of a text with a flag whether they may be half of a name; anything but
    spaces or a comma between two words (as in "Haddad, Amina") breaks a pair."""
    words: list[tuple[str, bool]] = []
    position = 0
    for match in _NAME_WORD.finditer(text):
        gap = text[position:match.start()]
        if words and gap.strip(" ,\t") != "":
            words.append(("", False))  # a sentence break: no pair across it
        word = match.group()
        usable = len(word) >= SCREEN_MIN_WORD_LENGTH and word.casefold() not in NAME_STOP_WORDS
        words.append((word, usable))
        position = match.end()
    return words


def registry_names_in_text(district_id: int | None, text: str, *,
                           visible_to: AccessContext | None = None) -> list[str]:
    """Pairs of consecutive words in `text` that name a person in the district's registry
    (given + family name or the other way round, any spelling the matcher knows).

    Returns only the matching words as they stand in the text, never other registry data; no
    person is shown, so nothing is logged. Used to keep personal data out of texts that must
    not carry any (gap reports, conference topics).

    With `visible_to`, only persons that user may see count: otherwise the check would tell
    anyone whether a name is in the registry."""
    if district_id is None or not text:
        return []
    words = _screen_words(text)
    pairs = [(a, b) for (a, ok_a), (b, ok_b) in zip(words, words[1:], strict=False) if ok_a and ok_b]
    if not pairs:
        return []
    word_keys = {w: blocking_keys(w, "") for pair in pairs for w in pair}
    all_keys = set().union(*word_keys.values())
    if not all_keys:
        return []
    # Persons sharing at least two keys with the text: the only ones a word pair can name.
    keys = PersonNameKey._plain.filter(key__in=all_keys, district_id=district_id)
    if visible_to is not None:
        keys = keys.filter(person__in=persons_visible_to(visible_to, visible_to.work_purpose())
                           .values("pk"))
    candidate_ids = list(
        keys
        .values("person_id").annotate(n=Count("key", distinct=True)).filter(n__gte=2)
        .order_by("-n", "person_id").values_list("person_id", flat=True)[:SCREEN_CANDIDATE_LIMIT]
    )
    if not candidate_ids:
        return []
    persons_with: dict[str, set[int]] = {}
    for person_id, key in PersonNameKey._plain.filter(person_id__in=candidate_ids,
                                                       key__in=all_keys).values_list("person_id", "key"):
        persons_with.setdefault(key, set()).add(person_id)
    rows = {row.pk: row for row in (
        _Row(*values) for values in Person._plain.filter(pk__in=candidate_ids)
        .values_list(*_MATCH_FIELDS))}
    found: list[str] = []
    for first, second in pairs:
        text_pair = f"{first} {second}"
        if text_pair in found:
            continue
        with_first = set().union(*(persons_with.get(k, set()) for k in word_keys[first]))
        with_second = set().union(*(persons_with.get(k, set()) for k in word_keys[second]))
        wanted = Candidate(first, second, None)
        if any(match_score(wanted, candidate_of(rows[pid])) >= DUPLICATE_THRESHOLD
               for pid in sorted(with_first & with_second) if pid in rows):
            found.append(text_pair)
    return found
