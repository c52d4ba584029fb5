"""Guide content for tests: counsellors, offers, a newer version of a guide rule."""

import datetime

from lotse.core.testing import World
from lotse.guide.models import WelcomeCounsellor
from lotse.offers.models import Offer
from lotse.rules.models import GuideResponsibility


def counsellor(world: World, name: str, town, **fields) -> WelcomeCounsellor:
    values = {"phone": "02421 000000", "email": "willkommen@example.org", "office_hours": "Di 9–12 Uhr",
              "languages": ["de", "ar"]}
    values.update(fields)
    found = WelcomeCounsellor.objects.create(district=world.district, agency=world.agencies["caritas"],
                                             name=name, **values)
    found.municipalities.set([town])
    return found


def offer(world: World, name: str, life_area: str, towns=(), **fields) -> Offer:
    found = Offer.objects.create(district=world.district, name=name, life_area=life_area,
                                 provider_agency=world.agencies["psych"], **fields)
    found.municipalities.set(towns)
    return found


def change_from(key: str, day: datetime.date, **changes) -> GuideResponsibility:
    """Close the rule `key` the day before `day` and add a new version from `day`."""
    old = GuideResponsibility.objects.get(key=key, valid_to__isnull=True)
    new = GuideResponsibility.objects.create(
        key=key, topic=changes.pop("topic", old.topic), situations=changes.pop("situations", old.situations),
        agency_kind=changes.pop("agency_kind", old.agency_kind), legal_reference=changes.pop(
            "legal_reference", "Neues Gesetz"), valid_from=day)
    old.valid_to = day - datetime.timedelta(days=1)
    old.save()
    return new
