"""Reads of the offers directory. Offers describe services, never clients: no spine needed."""

from django.db.models import Q, QuerySet

from lotse.access.context import AccessContext
from lotse.offers.models import Offer


def offers_for(district_id: int, life_area: str | None = None, municipality_id: int | None = None,
               language: str | None = None, *, include_inactive: bool = False) -> list[Offer]:
    """Offers of a district, by life area and name. `municipality_id` keeps the offers available
    there (those naming it, and those for the whole district); `language` those given in it."""
    offers = Offer.objects.filter(district_id=district_id)
    if not include_inactive:
        offers = offers.filter(active=True)
    if life_area:
        offers = offers.filter(life_area=life_area)
    if municipality_id:
        offers = offers.filter(Q(municipalities__isnull=True) | Q(municipalities__id=municipality_id))
    offers = offers.distinct().select_related("provider_agency").prefetch_related("municipalities")
    # Languages are a JSON list: filtered here, the same on SQLite and PostgreSQL.
    return [o for o in offers if not language or language in (o.languages or [])]


def offer_for_edit(ctx: AccessContext, offer_id: int) -> Offer | None:
    """An offer of the user's district (None for others: they look like missing ones)."""
    return (Offer.objects.filter(pk=offer_id, district_id=ctx.district_id)
            .select_related("provider_agency").prefetch_related("municipalities").first())


def referable_offers(ctx: AccessContext) -> QuerySet[Offer]:
    """Active offers of the district whose provider works with Lotse and is not the user's own
    agency (a referral can go there)."""
    return (Offer.objects.filter(district_id=ctx.district_id, active=True, provider_agency__isnull=False,
                                 provider_agency__is_active=True)
            .exclude(provider_agency_id=ctx.agency_id).select_related("provider_agency"))
