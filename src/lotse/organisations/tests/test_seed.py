"""`lotse seed`, `lotse demo_logins` and the synthetic population generator."""

import csv
import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from lotse.audit.models import AccessEvent
from lotse.consent.models import Consent
from lotse.core.scoping import personal_data_scope
from lotse.organisations import kreis_dueren as kd
from lotse.organisations.management.commands.demo_logins import current_code
from lotse.organisations.management.commands.seed import COUNTED_MODELS
from lotse.organisations.models import Agency, AgencyKind, District, Municipality, StaffTOTPDevice, StaffUser
from lotse.organisations.reference import ROLES
from lotse.people.models import (
    BenefitsRegime,
    Household,
    Person,
    PersonAgencyLink,
    PersonNameKey,
    ResidenceStatus,
)
from lotse.people.synthetic import (
    PERSON_COLUMNS,
    DistrictPlan,
    MunicipalityPlan,
    PopulationGenerator,
    person_name_keys,
)

MUNICIPALITY_NAMES = {
    "Aldenhoven", "Düren", "Heimbach", "Hürtgenwald", "Inden", "Jülich", "Kreuzau",
    "Langerwehe", "Linnich", "Merzenich", "Nideggen", "Niederzier", "Nörvenich", "Titz",
    "Vettweiß",
}


def _seed(**options) -> str:
    out = StringIO()
    call_command("seed", stdout=out, **options)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {m.__name__: getattr(m, "_plain", m._default_manager).count() for m in COUNTED_MODELS}


@pytest.fixture
def demo(db):
    return _seed(scale="demo")


def test_demo_district_and_municipalities(demo):
    district = District.objects.get(code="05358")
    assert district.name == "Kreis Düren"
    municipalities = Municipality.objects.filter(district=district)
    assert {m.name for m in municipalities} == MUNICIPALITY_NAMES
    assert all(m.code.startswith("05358") and len(m.code) == 8 for m in municipalities)
    assert {m.name for m in municipalities if m.is_town} == {
        "Düren", "Heimbach", "Jülich", "Linnich", "Nideggen"}
    assert municipalities.get(name="Düren").population == 93_323


def test_demo_agencies(demo):
    district = District.objects.get(code="05358")
    agencies = Agency.objects.filter(district=district)
    abh = agencies.get(kind=AgencyKind.FOREIGNERS_AUTHORITY, parent=None)
    assert abh.street == "Bismarckstraße 16" and abh.postal_code == "52351"
    assert [b.city for b in abh.branches.all()] == ["Jülich"]
    job_centre = agencies.get(kind=AgencyKind.JOB_CENTRE, parent=None)
    assert job_centre.branches.count() == 1
    social = agencies.filter(kind=AgencyKind.SOCIAL_OFFICE)
    assert social.count() == 15
    assert {a.municipality.name for a in social} == MUNICIPALITY_NAMES
    assert agencies.filter(kind=AgencyKind.REGISTRATION_OFFICE,
                           municipality__isnull=False).count() == 15
    welfare = {a.name for a in agencies.filter(kind=AgencyKind.WELFARE_ASSOCIATION)}
    assert welfare == {
        "Caritasverband für die Region Düren-Jülich",
        "Diakonisches Werk des Kirchenkreises Jülich", "AWO Kreisverband Düren",
        "DRK Kreisverband Düren", "Der Paritätische Düren"}
    counselling = agencies.filter(kind=AgencyKind.COUNSELLING_SERVICE)
    assert counselling.count() == 3
    assert all(a.bound_by_professional_secrecy for a in counselling)
    for kind in (AgencyKind.INTEGRATION_CENTRE, AgencyKind.WELCOME_CENTER,
                 AgencyKind.NATURALISATION_OFFICE, AgencyKind.DISTRICT_ADMINISTRATION):
        assert agencies.filter(kind=kind).count() == 1, kind


def test_demo_users_one_per_role_with_confirmed_totp(demo):
    users = StaffUser.objects.filter(username__in=[u[0] for u in kd.DEMO_USERS])
    assert users.count() == len(kd.DEMO_USERS)
    codes = {role.code for user in users for role in user.roles.all()}
    assert codes == {spec["code"] for spec in ROLES}
    for user in users:
        assert user.agency is not None
        assert user.check_password(kd.DEMO_PASSWORD)
        device = StaffTOTPDevice.objects.get(user=user)
        assert device.confirmed
        assert device.bin_key.hex() == kd.demo_totp_key(user.username)
        assert kd.demo_totp_key(user.username) not in device.key  # sealed at rest
        assert device.verify_token(current_code(device))
    assert users.get(username="sozialamt-juelich").agency.municipality.name == "Jülich"
    assert users.get(username="psychosozial").agency.bound_by_professional_secrecy


def test_demo_persons_household_statuses_and_consents(demo):
    with personal_data_scope():
        khaled = Person.objects.get(given_names="Khaled", family_name="Al-Khalil")
        assert khaled.given_names_original == "خالد"
        assert khaled.household.members.count() == 4
        assert {m.household_role for m in khaled.household.members.all()} == {
            "head", "partner", "child"}
        current = ResidenceStatus.objects.filter(person=khaled).first()
        assert current.kind.code == "p25-2-gfk"
        assert current.owning_agency.kind == AgencyKind.FOREIGNERS_AUTHORITY
        asylblg = BenefitsRegime.objects.get(person=khaled, regime="asylblg")
        assert asylblg.responsible_agency.name == "Sozialamt Stadt Düren"
        assert asylblg.valid_to is not None   # ending: the handover is due
        handover = Consent.objects.get(person=khaled, purpose="benefits_handover")
        assert handover.to_agency.kind == AgencyKind.JOB_CENTRE
        assert set(handover.categories) == {"identity", "contact", "benefits", "household"}
        assert handover.is_valid_on(datetime.date.today())
        olena = Person.objects.get(given_names="Olena")
        assert ResidenceStatus.objects.filter(person=olena).first().kind.code == "p24"
        assert Consent.objects.filter(person=olena, revoked_at__isnull=False).exists()
        ahmad = Person.objects.get(given_names="Ahmad", family_name="Rahimi")
        assert ResidenceStatus.objects.get(person=ahmad).kind.code == "gestattung"
        assert BenefitsRegime.objects.get(person=ahmad).responsible_agency.name == \
            "Sozialamt Stadt Jülich"
        emeka = Person.objects.get(given_names="Emeka")
        codes = [s.kind.code for s in ResidenceStatus.objects.filter(person=emeka)]
        assert codes[0] == "duldung" and "p104c" in codes
        assert Person.objects.filter(birth_year__isnull=False, birth_month__isnull=True).exists()
        assert ResidenceStatus.objects.filter(kind__code="p18a").exists()
        for person in Person.objects.all():
            assert PersonAgencyLink.objects.filter(person=person).exists()
            keys = set(PersonNameKey.objects.filter(person=person).values_list("key", flat=True))
            assert keys == person_name_keys(
                person.given_names, person.family_name, person.given_names_original,
                person.family_name_original, person.other_names)


def test_demo_duplicate_pair_shares_blocking_keys(demo):
    with personal_data_scope():
        first = Person.objects.get(given_names="Mohammed", family_name="Al-Hassan")
        second = Person.objects.get(given_names="Muhammad", family_name="Alhasan")
        keys_first = set(first.name_keys.values_list("key", flat=True))
        keys_second = set(second.name_keys.values_list("key", flat=True))
    assert keys_first & keys_second
    path = Path(settings.VAR_DIR) / "seed" / "demo-variant-pairs.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows == [{"person_id_a": str(first.pk), "person_id_b": str(second.pk)}]


def test_seed_logs_one_summary_event(demo):
    event = AccessEvent.objects.get(action="seed.loaded")
    assert event.decision == "allowed" and event.object_ref == "seed:demo"
    assert event.person_id is None


def test_if_empty_changes_nothing(demo):
    before = _counts()
    out = _seed(scale="kreis", if_empty=True)
    assert "skipped" in out
    assert _counts() == before


def test_seed_twice_keeps_structure_and_demo_persons(demo):
    before = _counts()
    _seed(scale="demo")
    after = _counts()
    assert after == before


def test_small_kreis_seed(db):
    _seed(scale="kreis", persons=1500, batch_size=400)
    with personal_data_scope():
        assert Person.objects.count() == 1500 + 12
        synthetic = Person.objects.exclude(agency_links__file_number__startswith="DEMO-")
        person = synthetic.filter(nationalities__isnull=False).first()
        assert isinstance(person.nationalities, list) and person.nationalities
        assert person.created_at is not None
        assert Household.objects.filter(members__isnull=False).distinct().count() > 50
        # every synthetic person is findable by name
        assert not synthetic.filter(name_keys__isnull=True).exists()
        # benefits agree with the responsible agency's kind
        for regime, kind in (("asylblg", AgencyKind.SOCIAL_OFFICE),
                             ("sgb2", AgencyKind.JOB_CENTRE)):
            kinds = set(BenefitsRegime.objects.filter(regime=regime)
                        .values_list("responsible_agency__kind", flat=True))
            assert kinds == {kind}
        owners = set(ResidenceStatus.objects.values_list("owning_agency__kind", flat=True))
        assert owners == {AgencyKind.FOREIGNERS_AUTHORITY}
    path = Path(settings.VAR_DIR) / "seed" / "kreis-variant-pairs.csv"
    with path.open(encoding="utf-8") as fh:
        pairs = list(csv.DictReader(fh))
    assert len(pairs) > 10


def test_demo_logins_lists_codes(demo):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert kd.DEMO_PASSWORD in text
    device = StaffTOTPDevice.objects.get(user__username="abh")
    line = next(line for line in text.splitlines() if line.startswith("abh "))
    assert current_code(device) in line or device.verify_token(line.split()[-1])
    assert "lotse demo_logins" in text


def test_demo_logins_without_demo_users(db):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "lotse seed" in out.getvalue()


# ---------------------------------------------------------------------------------------------
# The generator, without a database
# ---------------------------------------------------------------------------------------------
KINDS = ["gestattung", "duldung", "p24", "p25-1", "p25-2-gfk", "p25-2-sub", "p25-3", "p25-5",
         "p25a", "p25b", "p104c", "p16b", "p18a", "p18b", "p28-32", "p9", "p9a", "freizuegig"]


def _generate(count: int, seed: int = 7):
    munis = tuple(
        MunicipalityPlan(id=i + 1, name=f"Ort {i}", weight=w, postal_codes=("52349",),
                         social_office_id=100 + i, registration_office_id=200 + i, abh_id=1,
                         jobcentre_id=2, psychosocial_ok=i == 0)
        for i, w in enumerate((90, 30, 15, 10)))
    plan = DistrictPlan(district_id=1, code="05358", municipalities=munis,
                        welfare_ids=(10, 11), mbe_id=20, jmd_id=21, psych_id=22,
                        welcome_center_id=23)
    generator = PopulationGenerator(plan, kind_ids={k: i for i, k in enumerate(KINDS, 1)},
                                    today=datetime.date(2026, 11, 21), seed=seed, stamp="now")
    return list(generator.batches(count, batch_size=500))


def test_generator_is_deterministic():
    first, second = _generate(2000), _generate(2000)
    assert [b.persons for b in first] == [b.persons for b in second]
    assert [b.links for b in first] == [b.links for b in second]
    assert [b.name_keys for b in first] == [b.name_keys for b in second]
    assert [b.persons for b in _generate(2000, seed=8)] != [b.persons for b in first]


def test_generator_proportions():
    batches = _generate(2000)
    persons = [p for b in batches for p in b.persons]
    assert len(persons) == 2000
    assert len({p[0] for p in persons}) == 2000
    col = {name: i for i, name in enumerate(PERSON_COLUMNS)}
    incomplete = sum(1 for p in persons if p[col["birth_day"]] is None) / len(persons)
    assert 0.08 <= incomplete <= 0.20
    in_households = sum(1 for p in persons if p[col["household_id"]]) / len(persons)
    assert 0.2 <= in_households <= 0.4
    pairs = [pair for b in batches for pair in b.variant_pairs]
    assert 0.015 <= len(pairs) / len(persons) <= 0.05
    by_id = {p[0]: p for p in persons}
    names = (col["given_names"], col["family_name"])
    respelled = 0
    for a, b in pairs:
        first, second = by_id[a], by_id[b]
        respelled += [first[i] for i in names] != [second[i] for i in names]
        assert first[col["birth_year"]] == second[col["birth_year"]]
        assert first[col["sex"]] == second[col["sex"]]
    assert respelled >= 0.95 * len(pairs)
    statuses = [s for b in batches for s in b.statuses]
    assert len({s[2] for s in statuses}) >= 10   # a real mix of residence statuses
    for s in statuses:
        assert s[5] is None or s[5] >= s[4]
