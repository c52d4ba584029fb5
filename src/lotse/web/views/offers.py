"""The offers directory: a list with filters for case work, create and edit for coordinators."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lotse.access.spine import AccessDenied
from lotse.offers.selectors import offer_for_edit, offers_for
from lotse.offers.services import OfferData, offer_create, offer_update
from lotse.organisations import permissions
from lotse.organisations.models import Agency, Municipality
from lotse.web.forms import add_service_errors
from lotse.web.forms_referrals import OfferFilterForm, OfferForm


def _can_view(ctx) -> bool:
    return ctx.has_permission(permissions.CASE_MANAGE) or ctx.has_permission(permissions.OFFERS_MANAGE)


def offer_list_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    if not _can_view(ctx):
        raise Http404
    municipalities = Municipality.objects.filter(district_id=ctx.district_id)
    form = OfferFilterForm(request.GET or None, municipalities=municipalities)
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {"life_area": data["life_area"] or None,
                   "municipality_id": data["municipality"].pk if data["municipality"] else None,
                   "language": data["language"] or None}
    can_manage = ctx.has_permission(permissions.OFFERS_MANAGE)
    offers = offers_for(ctx.district_id, include_inactive=can_manage, **filters)
    return render(request, "web/offer_list.html", {
        "form": form, "offers": offers, "can_manage": can_manage,
        "can_refer": ctx.has_permission(permissions.REFERRAL_SEND),
    })


def offer_edit_view(request: HttpRequest, offer_id: int | None = None) -> HttpResponse:
    ctx = request.access
    if not ctx.has_permission(permissions.OFFERS_MANAGE):
        raise Http404
    offer = None
    initial = {"active": True, "public": True}
    if offer_id is not None:
        offer = offer_for_edit(ctx, offer_id)
        if offer is None:
            raise Http404
        initial = {
            "name": offer.name, "life_area": offer.life_area, "provider_agency": offer.provider_agency_id,
            "provider_name": offer.provider_name, "description": offer.description,
            "municipalities": [m.pk for m in offer.municipalities.all()], "languages": offer.languages,
            "address": offer.address, "phone": offer.phone, "email": offer.email, "website": offer.website,
            "active": offer.active, "target_groups": offer.target_groups,
            "eligibility_note": offer.eligibility_note, "public": offer.public, "review_due": offer.review_due,
        }
    form = OfferForm(request.POST or None, initial=initial,
                     agencies=Agency.objects.filter(district_id=ctx.district_id, is_active=True),
                     municipalities=Municipality.objects.filter(district_id=ctx.district_id))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = OfferData(
            name=data["name"], life_area=data["life_area"],
            provider_agency_id=data["provider_agency"].pk if data["provider_agency"] else None,
            provider_name=data["provider_name"], description=data["description"],
            municipality_ids=[m.pk for m in data["municipalities"]], languages=data["languages"],
            address=data["address"], phone=data["phone"], email=data["email"], website=data["website"],
            active=data["active"], target_groups=data["target_groups"],
            eligibility_note=data["eligibility_note"], public=data["public"], review_due=data["review_due"],
        )
        try:
            if offer is None:
                saved = offer_create(ctx=ctx, data=values)
            else:
                saved = offer_update(ctx=ctx, offer_id=offer.pk, data=values)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except AccessDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The offer '%(name)s' was saved.") % {"name": saved.name})
            return redirect("web:offers")
    status = 400 if request.method == "POST" and form.errors else 200
    can_translate = (ctx.has_permission(permissions.GUIDE_MANAGE)
                     or ctx.has_permission(permissions.GUIDE_TRANSLATE))
    return render(request, "web/offer_form.html", {"form": form, "offer": offer, "can_translate": can_translate},
                  status=status)
