"""Listing a person's consents for the staff UI (after the spine granted identity access)."""

from lotse.access.context import AccessContext
from lotse.access.spine import PersonRecord
from lotse.consent.models import Consent
from lotse.core.scoping import personal_data_scope


def consents_for_record(ctx: AccessContext, record: PersonRecord) -> list[Consent]:
    """Consents of a person whose identity the spine has just shown to this user.

    A consent states its own scope (agencies, categories, purpose) — no content of the
    person's data — so staff who may see the person see the consents about them.
    """
    with personal_data_scope():
        return list(
            Consent.objects.filter(person_id=record.person.pk)
            .select_related("from_agency", "to_agency", "recorded_by", "revoked_by")
        )
