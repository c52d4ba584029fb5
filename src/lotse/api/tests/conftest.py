"""A small world for the API tests, built through the services (never the models directly).

The shared test world (`lotse.core.testing.build_world`) plus one API token for the ABH,
social office A, job centre and welfare association users. Persons:

- `amina`  registered by social office A, lives in A; benefits (AsylbLG) by social office A.
- `omar`   registered by the ABH, lives in A; residence status recorded by the ABH.
- `leyla`  registered by the ABH, lives in B; residence status recorded by the ABH.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.test import Client

from lotse.api.services import api_token_create
from lotse.core.testing import World, build_world
from lotse.people.services import (
    PersonData,
    benefits_regime_add,
    person_create,
    residence_status_add,
)
from lotse.rules.models import ResidenceKind

TOKEN_USERS = ("abh", "social_a", "jobcentre", "caritas")


@dataclass
class ApiWorld(World):
    tokens: dict[str, str] = field(default_factory=dict)
    persons: dict[str, int] = field(default_factory=dict)

    def client(self, user: str | None) -> Client:
        """A test client sending the bearer token of `user` (None: no header at all)."""
        if user is None:
            return Client()
        return Client(headers={"Authorization": f"Bearer {self.tokens[user]}"})


@pytest.fixture
def api_world(db) -> ApiWorld:
    base = build_world(district_code="88888")
    world = ApiWorld(base.district, base.town_a, base.town_b, base.agencies, base.users)
    town_a, town_b = world.town_a, world.town_b
    for key in TOKEN_USERS:
        _token, world.tokens[key] = api_token_create(user=world.users[key], name=f"test client {key}")

    world.persons["amina"] = person_create(
        ctx=world.ctx("social_a"), file_number="SO-1",
        data=PersonData(given_names="Amina", family_name="Haddad", birth_year=1990,
                        birth_month=5, birth_day=17, municipality_id=town_a.pk,
                        email="amina@example.org", phone="0151 111"),
    ).pk
    benefits_regime_add(ctx=world.ctx("social_a"), person_id=world.persons["amina"],
                        regime="asylblg", valid_from=datetime.date(2024, 1, 1))
    kind = ResidenceKind.objects.get(code="p25-2-gfk")
    for name, given, family, town in (("omar", "Mohammed", "Al-Hassan", town_a),
                                      ("leyla", "Leyla", "Yilmaz", town_b)):
        pid = person_create(
            ctx=world.ctx("abh"),
            data=PersonData(given_names=given, family_name=family, birth_year=1985,
                            municipality_id=town.pk),
        ).pk
        residence_status_add(ctx=world.ctx("abh"), person_id=pid, kind_id=kind.pk,
                             document="eat", valid_from=datetime.date(2024, 3, 1),
                             valid_to=datetime.date(2027, 2, 28))
        world.persons[name] = pid
    return world
