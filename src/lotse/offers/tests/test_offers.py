"""The offers directory: filters, writes only by coordinators within their district, and the
demo offers of Kreis Düren linked to the agencies that exist there."""

import pytest
from django.core.exceptions import ValidationError

from lotse.access.spine import AccessDenied
from lotse.audit.models import AccessEvent
from lotse.core.testing import build_world
from lotse.offers.demo import DEMO_OFFERS, NORTH, seed_demo_offers
from lotse.offers.models import Offer
from lotse.offers.selectors import offers_for, referable_offers
from lotse.offers.services import OfferData, offer_create, offer_deactivate, offer_update

pytestmark = pytest.mark.django_db


def _data(world, **values) -> OfferData:
    base = {"name": "Sprachcafé", "life_area": "language", "provider_agency_id": world.agencies["caritas"].pk,
            "languages": ["de", "ar"], "municipality_ids": [world.town_a.pk]}
    base.update(values)
    return OfferData(**base)


def test_coordinator_creates_updates_and_deactivates_an_offer(world):
    ctx = world.ctx("coordinator")
    offer = offer_create(ctx=ctx, data=_data(world))
    assert (offer.district_id, offer.languages) == (world.district.pk, ["de", "ar"])
    assert list(offer.municipalities.all()) == [world.town_a]
    offer_update(ctx=ctx, offer_id=offer.pk, data=_data(world, name="Sprachcafé B1", municipality_ids=[]))
    offer.refresh_from_db()
    assert offer.name == "Sprachcafé B1" and offer.municipalities.count() == 0
    offer_deactivate(ctx=ctx, offer_id=offer.pk)
    assert offers_for(world.district.pk) == []
    assert [e.action for e in AccessEvent.objects.filter(action__startswith="offer.").order_by("seq")] == [
        "offer.created", "offer.updated", "offer.deactivated"]


def test_case_managers_may_not_write_offers_and_the_refusal_is_logged(world):
    with pytest.raises(AccessDenied):
        offer_create(ctx=world.ctx("caritas"), data=_data(world))
    assert Offer.objects.count() == 0
    assert AccessEvent.objects.order_by("-seq").first().action == "offer.create.refused"


def test_offers_stay_within_the_district(world):
    other = build_world("88888")
    ctx = world.ctx("coordinator")
    with pytest.raises(ValidationError) as exc:
        offer_create(ctx=ctx, data=_data(world, provider_agency_id=other.agencies["caritas"].pk))
    assert "provider_agency" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        offer_create(ctx=ctx, data=_data(world, municipality_ids=[other.town_a.pk]))
    assert "municipalities" in exc.value.message_dict
    foreign = offer_create(ctx=other.ctx("coordinator"), data=_data(other, municipality_ids=[]))
    with pytest.raises(ValidationError):
        offer_update(ctx=ctx, offer_id=foreign.pk, data=_data(world))
    assert offers_for(world.district.pk) == [] and Offer.objects.get(pk=foreign.pk).name == "Sprachcafé"


def test_bad_input_is_refused_with_the_field_named(world):
    ctx = world.ctx("coordinator")
    for values, field in [({"name": " "}, "name"), ({"life_area": "space"}, "life_area"),
                          ({"provider_agency_id": None, "provider_name": ""}, "provider_name"),
                          ({"languages": ["xx"]}, "languages"), ({"email": "not-an-address"}, "email")]:
        with pytest.raises(ValidationError) as exc:
            offer_create(ctx=ctx, data=_data(world, **values))
        assert field in exc.value.message_dict, values
    assert Offer.objects.count() == 0


def test_filters_by_life_area_municipality_and_language(world):
    ctx = world.ctx("coordinator")
    town_only = offer_create(ctx=ctx, data=_data(world, name="A", languages=["de"]))
    district_wide = offer_create(ctx=ctx, data=_data(world, name="B", life_area="housing", municipality_ids=[],
                                                     languages=["uk"]))
    assert offers_for(world.district.pk, municipality_id=world.town_b.pk) == [district_wide]
    assert set(offers_for(world.district.pk, municipality_id=world.town_a.pk)) == {town_only, district_wide}
    assert offers_for(world.district.pk, language="uk") == [district_wide]
    assert offers_for(world.district.pk, life_area="language") == [town_only]


def test_referable_offers_exclude_outside_providers_and_the_own_agency(world):
    ctx = world.ctx("coordinator")
    own = offer_create(ctx=ctx, data=_data(world, name="Caritas-Angebot"))
    job = offer_create(ctx=ctx, data=_data(world, name="Jobcenter-Angebot",
                                           provider_agency_id=world.agencies["jobcentre"].pk))
    offer_create(ctx=ctx, data=_data(world, name="VHS", provider_agency_id=None, provider_name="VHS"))
    assert list(referable_offers(world.ctx("caritas"))) == [job]
    assert set(referable_offers(world.ctx("abh"))) == {own, job}


def test_demo_offers_link_to_the_agencies_of_kreis_dueren(db):
    from django.core.management import call_command

    from lotse.organisations.management.commands.seed import build_kreis_dueren

    call_command("load_reference_data", verbosity=0)
    dueren = build_kreis_dueren()
    created = seed_demo_offers(dueren.district)
    assert created == len(DEMO_OFFERS) >= 12
    assert seed_demo_offers(dueren.district) == 0  # idempotent
    offers = {o.name: o for o in Offer.objects.filter(district=dueren.district)}
    assert offers["Migrationsberatung für Erwachsene (MBE) – Caritas"].provider_agency == dueren.agencies["mbe"]
    assert offers["Jugendmigrationsdienst (JMD)"].provider_agency == dueren.agencies["jmd"]
    assert offers["Arbeitsvermittlung für Geflüchtete (Jobcenter)"].provider_agency == dueren.agencies["jobcom"]
    assert offers["Psychosoziale Beratung für Geflüchtete"].provider_agency == dueren.agencies["psych"]
    vhs = offers["Integrationskurs (allgemein), Jülich"]
    assert vhs.provider_agency is None and "VHS" in vhs.provider_name and vhs.phone
    assert {m.name for m in vhs.municipalities.all()} == set(NORTH)
    iq = offers["IQ Anerkennungs- und Qualifizierungsberatung"]
    assert iq.life_area == "recognition" and "ar" in iq.languages


def test_demo_offers_without_such_an_agency_name_their_provider(world):
    seed_demo_offers(world.district)
    welcome = Offer.objects.get(district=world.district, name__startswith="Welcome Center")
    assert welcome.provider_agency is None and welcome.provider_name == "Welcome Center Kreis Düren"
    # The test district has a job centre (another name): linked by kind.
    job = Offer.objects.get(district=world.district, name__startswith="Arbeitsvermittlung")
    assert job.provider_agency == world.agencies["jobcentre"]
