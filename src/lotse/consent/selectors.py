"""Where consent is checked: does a valid consent cover this flow of data?"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q

from lotse.consent.models import Consent
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import category_bit


def _recipient_q(recipient_id: int, recipient_kind: str) -> Q:
    return Q(to_agency_id=recipient_id) | Q(to_agency__isnull=True, to_kind=recipient_kind)


@dataclass(frozen=True)
class ConsentRow:
    id: int
    person_id: int
    categories_mask: int
    from_agency_id: int | None
    from_kind: str
    valid_until: datetime.date | None


def consents_to_recipient(
    *, person_ids, purpose: str, recipient_id: int, recipient_kind: str, on: datetime.date,
) -> dict[int, list[ConsentRow]]:
    """All consents valid on `on` that give something to the recipient for the purpose, per
    person: one query for a whole page of persons. Read afresh on every access."""
    with personal_data_scope():
        rows = (
            Consent.objects.valid_on(on)
            .filter(_recipient_q(recipient_id, recipient_kind), person_id__in=list(person_ids),
                    purpose=purpose)
            .order_by(F("valid_until").desc(nulls_first=True), "-id")
            .values_list("id", "person_id", "categories_mask", "from_agency_id", "from_kind",
                         "valid_until")
        )
        by_person: dict[int, list[ConsentRow]] = {}
        for row in rows:
            by_person.setdefault(row[1], []).append(ConsentRow(*row))
    return by_person


def covering_row(rows: list[ConsentRow], *, category: str, source_id: int,
                 source_kind: str) -> ConsentRow | None:
    """The first (longest-running) consent row covering `category` from the source."""
    bit = category_bit(category)
    for row in rows:
        if row.categories_mask & bit and (
            row.from_agency_id == source_id or (row.from_agency_id is None and row.from_kind == source_kind)
        ):
            return row
    return None


def consent_exists_q(
    *, category: str, purpose: str, recipient_id: int, recipient_kind: str, on: datetime.date,
    person_ref: str = "pk",
) -> Exists:
    """An Exists() for person querysets: some valid consent gives `category` to the recipient.

    Used to pre-filter lists in SQL; the exact source check runs per person in the policy.
    """
    bit = category_bit(category)
    return Exists(
        Consent._plain.valid_on(on)
        .annotate(cat_hit=F("categories_mask").bitand(bit))
        .filter(
            _recipient_q(recipient_id, recipient_kind),
            person_id=OuterRef(person_ref),
            purpose=purpose,
            cat_hit__gt=0,
        )
    )
