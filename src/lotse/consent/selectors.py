"""Where consent is checked: does a valid consent cover this flow of data?"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q

from lotse.consent.models import Consent
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import category_bit


@dataclass(frozen=True)
class ConsentCover:
    consent_id: int
    valid_until: datetime.date | None


def _recipient_q(recipient_id: int, recipient_kind: str) -> Q:
    return Q(to_agency_id=recipient_id) | Q(to_agency__isnull=True, to_kind=recipient_kind)


def _source_q(source_id: int, source_kind: str) -> Q:
    return Q(from_agency_id=source_id) | Q(from_agency__isnull=True, from_kind=source_kind)


def consent_covering(
    *,
    person_id: int,
    category: str,
    purpose: str,
    source_id: int,
    source_kind: str,
    recipient_id: int,
    recipient_kind: str,
    on: datetime.date,
) -> ConsentCover | None:
    """The valid consent (longest-running first) that covers the flow, or None.

    Reads the database every time on purpose: a revocation stops the very next access.
    """
    bit = category_bit(category)
    with personal_data_scope():
        row = (
            Consent.objects.valid_on(on)
            .annotate(cat_hit=F("categories_mask").bitand(bit))
            .filter(
                _recipient_q(recipient_id, recipient_kind),
                _source_q(source_id, source_kind),
                person_id=person_id,
                purpose=purpose,
                cat_hit__gt=0,
            )
            .order_by(F("valid_until").desc(nulls_first=True), "-id")
            .values_list("id", "valid_until")
            .first()
        )
    return ConsentCover(consent_id=row[0], valid_until=row[1]) if row else None


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
