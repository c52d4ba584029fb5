"""Writes to the offers directory (permission OFFERS_MANAGE, within the user's district).
Offers are not personal data; changes are logged as administrative actions all the same."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.access.spine import log_action, refuse
from lotse.core.vocabulary import LifeArea, NewcomerSituation
from lotse.offers.models import Offer
from lotse.organisations import permissions
from lotse.organisations.models import Agency, Municipality


@dataclass
class OfferData:
    name: str
    life_area: str
    provider_agency_id: int | None = None
    provider_name: str = ""
    description: str = ""
    municipality_ids: list[int] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    active: bool = True
    target_groups: list[str] = field(default_factory=list)
    eligibility_note: str = ""
    public: bool = True
    review_due: datetime.date | None = None


def _require(ctx: AccessContext, action: str) -> None:
    if not ctx.has_permission(permissions.OFFERS_MANAGE) or ctx.district_id is None:
        refuse(ctx, f"{action}.refused", reason=f"permission:{permissions.OFFERS_MANAGE}",
               message=_("You lack the permission '%(perm)s'.") % {"perm": permissions.OFFERS_MANAGE})


def _validate(ctx: AccessContext, data: OfferData) -> list[Municipality]:
    errors = {}
    if not data.name.strip():
        errors["name"] = _("Give the offer a name.")
    if data.life_area not in LifeArea.values:
        errors["life_area"] = _("Choose a life area.")
    if data.provider_agency_id:
        if not Agency.objects.filter(pk=data.provider_agency_id, district_id=ctx.district_id).exists():
            errors["provider_agency"] = _("Choose an agency of your district.")
    elif not data.provider_name.strip():
        errors["provider_name"] = _("Name the provider: an agency in Lotse or the name of a provider outside.")
    municipalities = list(Municipality.objects.filter(pk__in=data.municipality_ids, district_id=ctx.district_id))
    if len(municipalities) != len(set(data.municipality_ids)):
        errors["municipalities"] = _("Choose municipalities of your district.")
    unknown = [code for code in data.languages if code not in settings.LOTSE_PERSON_LANGUAGES]
    if unknown:
        errors["languages"] = _("Unknown language: %(codes)s.") % {"codes": ", ".join(unknown)}
    unknown = [code for code in data.target_groups if code not in NewcomerSituation.values]
    if unknown:
        errors["target_groups"] = _("Unknown target group: %(codes)s.") % {"codes": ", ".join(unknown)}
    if errors:
        raise ValidationError(errors)
    return municipalities


def _apply(offer: Offer, data: OfferData) -> None:
    offer.name = data.name.strip()[:200]
    offer.life_area = data.life_area
    offer.provider_agency_id = data.provider_agency_id or None
    offer.provider_name = data.provider_name.strip()[:200]
    offer.description = data.description.strip()
    offer.languages = list(dict.fromkeys(data.languages))
    offer.address = data.address.strip()[:300]
    offer.phone = data.phone.strip()[:50]
    offer.email = data.email.strip()
    offer.website = data.website.strip()
    offer.active = data.active
    offer.target_groups = [code for code in NewcomerSituation.values if code in data.target_groups]
    offer.eligibility_note = data.eligibility_note.strip()
    offer.public = data.public
    offer.review_due = data.review_due
    offer.full_clean(exclude=["district"])


def offer_create(*, ctx: AccessContext, data: OfferData) -> Offer:
    _require(ctx, "offer.create")
    municipalities = _validate(ctx, data)
    with transaction.atomic():
        offer = Offer(district_id=ctx.district_id)
        _apply(offer, data)
        offer.save()
        offer.municipalities.set(municipalities)
        log_action(ctx, "offer.created", object_ref=f"offer:{offer.pk}")
    return offer


def _offer(ctx: AccessContext, offer_id: int, action: str) -> Offer:
    _require(ctx, action)
    offer = Offer.objects.filter(pk=offer_id, district_id=ctx.district_id).first()
    if offer is None:
        raise ValidationError(_("This offer does not exist."))
    return offer


def offer_update(*, ctx: AccessContext, offer_id: int, data: OfferData) -> Offer:
    offer = _offer(ctx, offer_id, "offer.update")
    municipalities = _validate(ctx, data)
    with transaction.atomic():
        _apply(offer, data)
        offer.save()
        offer.municipalities.set(municipalities)
        log_action(ctx, "offer.updated", object_ref=f"offer:{offer.pk}")
    return offer


def offer_deactivate(*, ctx: AccessContext, offer_id: int) -> Offer:
    """Take an offer out of the directory (kept for referrals that name it)."""
    offer = _offer(ctx, offer_id, "offer.deactivate")
    with transaction.atomic():
        offer.active = False
        offer.save(update_fields=["active", "updated_at"])
        log_action(ctx, "offer.deactivated", object_ref=f"offer:{offer.pk}")
    return offer
