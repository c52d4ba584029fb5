"""A small world for the API tests, built through the services (never the models directly).

District with towns A and B; agencies ABH, social office A, job centre, a welfare
association; one user per agency with the reference role, one API token each. Persons:

- `amina`  registered by social office A, lives in A; benefits (AsylbLG) by social office A.
- `omar`   registered by the ABH, lives in A; residence status recorded by the ABH.
- `leyla`  registered by the ABH, lives in B; residence status recorded by the ABH.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.core.management import call_command
from django.test import Client

from lotse.access.context import context_for_user
from lotse.api.services import api_token_create
from lotse.organisations.models import Agency, AgencyKind, District, Municipality, Role, StaffUser
from lotse.people.services import (
    PersonData,
    benefits_regime_add,
    person_create,
    residence_status_add,
)
from lotse.rules.models import ResidenceKind

USERS = {
    # key: (agency key, role code)
    "abh": ("abh", "abh_caseworker"),
    "social_a": ("social_a", "social_office_caseworker"),
    "jobcentre": ("jobcentre", "jobcentre_caseworker"),
    "caritas": ("caritas", "case_manager"),
}


@dataclass
class ApiWorld:
    district: District
    town_a: Municipality
    town_b: Municipality
    agencies: dict[str, Agency]
    users: dict[str, StaffUser] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    persons: dict[str, int] = field(default_factory=dict)

    def ctx(self, user: str):
        return context_for_user(StaffUser.objects.get(pk=self.users[user].pk))

    def client(self, user: str | None) -> Client:
        """A test client sending the bearer token of `user` (None: no header at all)."""
        if user is None:
            return Client()
        return Client(headers={"Authorization": f"Bearer {self.tokens[user]}"})


def _agency(district, kind, name, town=None) -> Agency:
    return Agency.objects.create(district=district, kind=kind, name=name, municipality=town)


@pytest.fixture
def api_world(db) -> ApiWorld:
    call_command("load_reference_data", verbosity=0)
    district = District.objects.create(name="Kreis API-Test", code="88888")
    town_a = Municipality.objects.create(district=district, name="Adorf", code="88888001")
    town_b = Municipality.objects.create(district=district, name="Bstadt", code="88888002")
    agencies = {
        "abh": _agency(district, AgencyKind.FOREIGNERS_AUTHORITY, "Ausländerbehörde Kreis"),
        "social_a": _agency(district, AgencyKind.SOCIAL_OFFICE, "Sozialamt Adorf", town_a),
        "jobcentre": _agency(district, AgencyKind.JOB_CENTRE, "Jobcenter Kreis"),
        "caritas": _agency(district, AgencyKind.WELFARE_ASSOCIATION, "Caritas Kreis"),
    }
    world = ApiWorld(district, town_a, town_b, agencies)
    for key, (agency_key, role_code) in USERS.items():
        user = StaffUser.objects.create_user(
            username=f"api-{key}", password="test-password-123", agency=agencies[agency_key]
        )
        user.roles.set(Role.objects.filter(code=role_code))
        world.users[key] = user
        _token, world.tokens[key] = api_token_create(user=user, name=f"test client {key}")

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
