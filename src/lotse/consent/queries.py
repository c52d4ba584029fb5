"""Listing a person's consents for the staff UI and API (after the spine granted identity)."""

from django.db.models import Q

from lotse.access.context import AccessContext
from lotse.access.spine import PersonRecord
from lotse.consent.models import Consent
from lotse.core.scoping import personal_data_scope


def concerns_agency_q(ctx: AccessContext) -> Q:
    """Consents that the user's agency recorded, or that name it (or its kind)."""
    return (
        Q(recorded_by_agency_id=ctx.agency_id)
        | Q(from_agency_id=ctx.agency_id) | Q(to_agency_id=ctx.agency_id)
        | Q(from_agency__isnull=True, from_kind=ctx.agency_kind)
        | Q(to_agency__isnull=True, to_kind=ctx.agency_kind)
    )


def consents_for_record(ctx: AccessContext, record: PersonRecord) -> list[Consent]:
    """The consents of a person that concern the user's agency: those it recorded, or that
    name it (or its kind) as source or recipient.

    Other agencies' consents stay hidden: a consent between a counselling service and a welfare
    association would otherwise tell everyone that the person is a client there.
    """
    with personal_data_scope():
        return list(
            Consent.objects.filter(concerns_agency_q(ctx), person_id=record.person.pk)
            .select_related("from_agency", "to_agency", "recorded_by", "revoked_by",
                            "recorded_by_agency__district")
        )
