"""A small, explicit world for tests: one district, two municipalities, the agencies that
matter for the access rules, and one user per role (personas always include a stranger)."""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management import call_command

from lotse.access.context import AccessContext, context_for_user
from lotse.core.scoping import personal_data_scope
from lotse.organisations.models import Agency, AgencyKind, District, Municipality, Role, StaffUser
from lotse.people.services import PersonData, benefits_regime_add, person_create, residence_status_add
from lotse.rules.models import FirstStep, ResidenceKind


@dataclass
class World:
    district: District
    town_a: Municipality
    town_b: Municipality
    agencies: dict[str, Agency]
    users: dict[str, StaffUser] = field(default_factory=dict)

    def ctx(self, name: str, **overrides) -> AccessContext:
        ctx = context_for_user(StaffUser.objects.get(pk=self.users[name].pk))
        if overrides:
            from dataclasses import replace

            ctx = replace(ctx, **overrides)
        return ctx


AGENCY_SPECS = {
    # key: (kind, name, municipality "a"/"b"/None, professional secrecy)
    "abh": (AgencyKind.FOREIGNERS_AUTHORITY, "Ausländerbehörde Teststadt", None, False),
    "social_a": (AgencyKind.SOCIAL_OFFICE, "Sozialamt A-Dorf", "a", False),
    "social_b": (AgencyKind.SOCIAL_OFFICE, "Sozialamt B-Stadt", "b", False),
    "jobcentre": (AgencyKind.JOB_CENTRE, "Jobcenter Test", None, False),
    "caritas": (AgencyKind.WELFARE_ASSOCIATION, "Caritas Test", None, False),
    "psych": (AgencyKind.COUNSELLING_SERVICE, "Psychosoziale Beratung Test", None, True),
    "district_admin": (AgencyKind.DISTRICT_ADMINISTRATION, "Kreisverwaltung Test", None, False),
}

USER_SPECS = {
    # key: (agency key, role codes)
    "abh": ("abh", ["abh_caseworker"]),
    "social_a": ("social_a", ["social_office_caseworker"]),
    "social_b": ("social_b", ["social_office_caseworker"]),
    "jobcentre": ("jobcentre", ["jobcentre_caseworker"]),
    "caritas": ("caritas", ["case_manager"]),
    "caritas_psych": ("caritas", ["psychosocial_counsellor"]),
    "teamlead": ("caritas", ["team_lead"]),
    "psych": ("psych", ["psychosocial_counsellor"]),
    "dpo": ("district_admin", ["data_protection_officer"]),
    "admin": ("district_admin", ["administrator"]),
    "coordinator": ("district_admin", ["coordinator"]),
    "translator": ("district_admin", ["translator"]),
    "steering_member": ("district_admin", ["steering_member"]),
}


def reference_data_loaded() -> bool:
    """`load_reference_data` is atomic: reference roles and first steps there mean the whole set is."""
    return Role.objects.filter(district__isnull=True).exists() and FirstStep.objects.exists()


def build_world(district_code: str = "99999") -> World:
    if not reference_data_loaded():
        call_command("load_reference_data", verbosity=0)
    district = District.objects.create(name=f"Testkreis {district_code}", code=district_code)
    town_a = Municipality.objects.create(district=district, name="A-Dorf", code=f"{district_code}001")
    town_b = Municipality.objects.create(district=district, name="B-Stadt", code=f"{district_code}002")
    towns = {"a": town_a, "b": town_b, None: None}
    agencies = {
        key: Agency.objects.create(district=district, kind=kind, name=name, municipality=towns[town],
                                   bound_by_professional_secrecy=secrecy)
        for key, (kind, name, town, secrecy) in AGENCY_SPECS.items()
    }
    world = World(district, town_a, town_b, agencies)
    for key, (agency_key, role_codes) in USER_SPECS.items():
        user = StaffUser.objects.create_user(
            username=f"{key}-{district_code}", password="test-password-123",
            agency=agencies[agency_key], first_name=key.title(),
        )
        user.roles.set(Role.objects.filter(code__in=role_codes))
        world.users[key] = user
    return world


def register_person(world: World, by: str = "social_a", *, town: str = "a", **data) -> int:
    values = {"given_names": "Amina", "family_name": "Haddad", "birth_year": 1990,
              "municipality_id": (world.town_a if town == "a" else world.town_b).pk}
    values.update(data)
    return person_create(ctx=world.ctx(by), data=PersonData(**values)).pk


def add_residence(world: World, person_id: int, code: str = "p25-2-gfk",
                  valid_from: datetime.date = datetime.date(2024, 1, 1)) -> None:
    """Record a residence status as the ABH (opening an ABH file on the person if needed)."""
    from lotse.people.models import PersonAgencyLink

    with personal_data_scope():
        PersonAgencyLink.objects.get_or_create(person_id=person_id, agency=world.agencies["abh"])
    kind = ResidenceKind.objects.get(code=code)
    residence_status_add(ctx=world.ctx("abh"), person_id=person_id, kind_id=kind.pk,
                         document="eat", valid_from=valid_from)


def add_benefits(world: World, person_id: int, by: str = "social_a", regime: str = "asylblg") -> None:
    benefits_regime_add(ctx=world.ctx(by), person_id=person_id, regime=regime,
                        valid_from=datetime.date(2024, 1, 1))


def open_case(world: World, person_id: int, by: str = "caritas", focus_area: str = "welcome_counselling"):
    """Open a case as `by` (opening a file of their agency on the person first if needed)."""
    from lotse.cases.services import case_open
    from lotse.people.models import PersonAgencyLink

    user = world.users[by]
    with personal_data_scope():
        PersonAgencyLink.objects.get_or_create(person_id=person_id, agency_id=user.agency_id)
    return case_open(ctx=world.ctx(by), person_id=person_id, focus_area=focus_area)


REPO_ROOT = Path(__file__).resolve().parents[3]


def doc_section(document: str, title: str) -> str:
    """The text of the `## title` section of docs/<document> (up to the next `## `), for tests
    that hold a document to the code it describes."""
    text = (REPO_ROOT / "docs" / document).read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"docs/{document} has no section '{title}'"
    return match.group(1)


def reliability_scale(quick: int, full: int) -> int:
    """How many generated cases a reliability test runs: `quick` in `make test`, `full` in
    `make test-reliability` (LOTSE_RELIABILITY=full)."""
    import os

    return full if os.environ.get("LOTSE_RELIABILITY") == "full" else quick
