"""`lotse seed --scale demo|kreis|state [--if-empty] [--seed N]`: load a demo or test world.

- demo:  reference data, Kreis Düren with its 15 municipalities and agencies, one demo login
         per role (shared password, fixed TOTP keys: `lotse demo_logins`) and a dozen named,
         fictitious persons that show the main flows (handover, § 24, Gestattung, § 104c,
         duplicate spellings, consents given and revoked);
- kreis: demo + ≈50,000 synthetic persons in Kreis Düren (under a minute on SQLite);
- state: demo + the 53 NRW districts with ≈3,000,000 synthetic persons (takes minutes).

Structure (districts, municipalities, agencies, users) is created idempotently; demo persons
only once; synthetic persons are added on every run (use a fresh database, or `--if-empty`).
The ground truth of the duplicate records goes to `var/seed/<scale>-variant-pairs.csv`.
All personal data here is invented. The seed writes one summary entry `seed.loaded` to the
access log (ids only).
"""

import csv
import datetime
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from lotse.appointments.setup import configure_appointments
from lotse.audit.chain import EventData, append_event
from lotse.cases.models import Case, CaseAssignment, CaseNote, CaseTask, NoteCategory, TaskKind
from lotse.consent.models import Consent, ConsentMethod
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import DataCategory as C
from lotse.core.vocabulary import Purpose, categories_to_mask
from lotse.guide.demo import seed_demo_guide
from lotse.offers.demo import seed_demo_offers
from lotse.organisations import kreis_dueren as kd
from lotse.organisations.models import Agency, AgencyKind, District, Municipality, Role, StaffTOTPDevice, StaffUser
from lotse.organisations.services import TOTP_TOLERANCE
from lotse.people.models import (
    BenefitsRegime,
    Household,
    Person,
    PersonAgencyLink,
    PersonNameKey,
    ResidenceStatus,
)
from lotse.people.name_data import COUNTRIES
from lotse.people.synthetic import (
    BENEFITS_COLUMNS,
    DEFAULT_SEED,
    HOUSEHOLD_COLUMNS,
    LINK_COLUMNS,
    NAME_KEY_COLUMNS,
    PERSON_COLUMNS,
    STATUS_COLUMNS,
    DistrictPlan,
    MunicipalityPlan,
    PopulationGenerator,
    person_name_keys,
)
from lotse.rules.models import ResidenceKind
from lotse.steering.demo import seed_demo_steering

SCALE_PERSONS = {"demo": 0, "kreis": 50_000, "state": 3_000_000}
PSYCHOSOCIAL_MUNICIPALITIES = set(kd.PSYCHOSOCIAL_COUNSELLING_MUNICIPALITIES)
COUNTED_MODELS = (District, Municipality, Agency, StaffUser, StaffTOTPDevice, Household, Person,
                  PersonAgencyLink, ResidenceStatus, BenefitsRegime, PersonNameKey, Consent, Case)


@dataclass
class DistrictWorld:
    district: District
    municipalities: dict[str, Municipality]
    agencies: dict[str, Agency]
    users: dict[str, StaffUser] = field(default_factory=dict)


class Command(BaseCommand):
    help = "Load the demo district Kreis Düren, demo logins and synthetic persons."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALE_PERSONS), default="demo")
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing when any district exists already.")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help="Random seed of the synthetic population (default 2026).")
        parser.add_argument("--persons", type=int, default=None,
                            help="Number of synthetic persons (default by scale: demo 0, "
                                 "kreis 50,000, state 3,000,000).")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--allow-outside-dev", action="store_true",
                            help="Seed although LOTSE_DEV is off (benchmark machines only: the "
                                 "demo users have publicly known passwords and TOTP keys).")

    def handle(self, *args, scale="demo", if_empty=False, seed=DEFAULT_SEED, persons=None,
               batch_size=5000, **options):
        if not settings.DEV_MODE and not options.get("allow_outside_dev"):
            raise CommandError("Refusing to seed: LOTSE_DEV is off. The demo users have publicly "
                               "known passwords and TOTP keys; never load them into production.")
        started = time.monotonic()
        verbosity = options.get("verbosity", 1)
        if if_empty and District.objects.exists():
            self.stdout.write("Seed skipped: the database already holds a district (--if-empty).")
            return
        today = timezone.localdate()
        call_command("load_reference_data", verbosity=verbosity, stdout=self.stdout)
        with transaction.atomic():
            world = build_kreis_dueren()
            world.users = create_demo_users(world)
            pairs = create_demo_persons(world, today)
            offers = seed_demo_offers(world.district)
            guide = seed_demo_guide(world.district)
            steering = seed_demo_steering(world.district, today)
            configure_appointments(
                district=world.district, agencies=world.agencies, municipalities=world.municipalities,
                offices=kd.ABH_OFFICES, minutes=kd.APPOINTMENT_MINUTES, interpreters=kd.INTERPRETERS,
                travel=kd.TRAVEL_MINUTES)
        self.stdout.write(f"Kreis Düren: {len(world.municipalities)} municipalities, "
                          f"{len(world.agencies)} agencies, {len(world.users)} demo logins, "
                          f"{offers} offers, {guide} guide entries and translations, "
                          f"{steering} steering records.")

        count = SCALE_PERSONS[scale] if persons is None else persons
        plans = [(plan_for_dueren(world), kd.DUEREN_WEIGHT)]
        if scale == "state":
            plans += build_nrw_districts()
        path = Path(settings.VAR_DIR) / "seed" / f"{scale}-variant-pairs.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as fh:
            pairs_out = csv.writer(fh)
            pairs_out.writerow(["person_id_a", "person_id_b"])
            pairs_out.writerows(pairs)
            if count:
                self._load_synthetic(plans, count, seed=seed, today=today,
                                     batch_size=batch_size, pairs_out=pairs_out)
        if count and scale != "demo":
            with transaction.atomic():
                cases = load_synthetic_cases(world, today, share=SYNTHETIC_CASE_SHARE, seed=seed)
            self.stdout.write(f"Synthetic cases: {cases:,}")
        with transaction.atomic():
            append_event(EventData(action="seed.loaded", decision="allowed",
                                   object_ref=f"seed:{scale}"))
        self.stdout.write(f"Variant pairs (ground truth of duplicates): {path}")
        for model in COUNTED_MODELS:
            manager = getattr(model, "_plain", model._default_manager)
            self.stdout.write(f"  {model._meta.verbose_name_plural}: {manager.count():,}")
        self.stdout.write(self.style.SUCCESS(
            f"Seed '{scale}' loaded in {time.monotonic() - started:.1f} s."))

    def _load_synthetic(self, plans, count, *, seed, today, batch_size, pairs_out) -> None:
        """Generate and write `count` persons spread over `plans` by weight, streaming: one
        batch in memory at a time; the duplicate pairs go straight to `pairs_out`."""
        kind_ids = current_kind_ids()
        total_weight = sum(weight for _plan, weight in plans)
        counts = [int(count * weight / total_weight) for _plan, weight in plans]
        counts[0] += count - sum(counts)
        person_id = (Person._plain.aggregate(m=Max("id"))["m"] or 0) + 1
        household_id = (Household._plain.aggregate(m=Max("id"))["m"] or 0) + 1
        writer = BatchWriter()
        done = 0
        started = time.monotonic()
        for plan, n in zip((p for p, _w in plans), counts, strict=True):
            if not n:
                continue
            generator = PopulationGenerator(plan, kind_ids=kind_ids, today=today, seed=seed,
                                            stamp=writer.stamp, first_person_id=person_id,
                                            first_household_id=household_id)
            for batch in generator.batches(n, batch_size=batch_size):
                writer.write(batch)
                pairs_out.writerows(batch.variant_pairs)
                done += len(batch.persons)
                if len(plans) > 1 or count > 100_000:
                    elapsed = time.monotonic() - started
                    self.stdout.write(f"  {plan.code}: {done:,}/{count:,} persons, "
                                      f"{done / elapsed:,.0f} persons/s")
            person_id, household_id = generator.next_person_id, generator.next_household_id
        writer.finish()


# ---------------------------------------------------------------------------------------------
# Structure
# ---------------------------------------------------------------------------------------------
def _agency(district: District, spec: kd.AgencySpec, municipalities: dict[str, Municipality],
            parents: dict[str, Agency]) -> Agency:
    agency, _created = Agency.objects.get_or_create(
        district=district, name=spec.name,
        defaults={
            "kind": spec.kind, "short_name": spec.short_name,
            "municipality": municipalities.get(spec.municipality) if spec.municipality else None,
            "parent": parents.get(spec.parent) if spec.parent else None,
            "bound_by_professional_secrecy": spec.secrecy, "street": spec.street,
            "postal_code": spec.postal_code, "city": spec.city, "phone": spec.phone,
            "email": spec.email,
        },
    )
    return agency


def build_kreis_dueren() -> DistrictWorld:
    district, _ = District.objects.get_or_create(
        code=kd.DISTRICT["code"],
        defaults={"name": kd.DISTRICT["name"], "state": kd.DISTRICT["state"]})
    municipalities = {}
    for spec in kd.MUNICIPALITIES:
        municipalities[spec.name], _ = Municipality.objects.get_or_create(
            code=spec.code,
            defaults={"district": district, "name": spec.name, "population": spec.population,
                      "is_town": spec.is_town})
    agencies: dict[str, Agency] = {}
    for spec in kd.DISTRICT_AGENCIES:
        agencies[spec.key] = _agency(district, spec, municipalities, agencies)
    for m_spec in kd.MUNICIPALITIES:
        for spec in kd.municipal_agencies(m_spec):
            agencies[spec.key] = _agency(district, spec, municipalities, agencies)
    return DistrictWorld(district, municipalities, agencies)


def create_demo_users(world: DistrictWorld) -> dict[str, StaffUser]:
    roles = {role.code: role for role in Role.objects.all()}
    password = make_password(kd.DEMO_PASSWORD)   # hashed once: the demo logins share it
    users = {}
    for username, role_code, agency_key, first, last, focus in kd.DEMO_USERS:
        user, created = StaffUser.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "focus_area": focus,
                      "agency": world.agencies[agency_key],
                      "email": f"{username}@lotse-demo.example.org"})
        if created:
            user.password = password
            user.save(update_fields=["password"])
            user.roles.set([roles[role_code]])
        StaffTOTPDevice.objects.get_or_create(
            user=user, name=kd.DEMO_TOTP_DEVICE_NAME,
            defaults={"key": kd.demo_totp_key(username), "confirmed": True, "tolerance": TOTP_TOLERANCE})
        users[username] = user
    return users


def current_kind_ids() -> dict[str, int]:
    """Residence status kind code → id (the latest version of each code)."""
    ids: dict[str, int] = {}
    for kind in ResidenceKind.objects.order_by("code", "valid_from"):
        ids[kind.code] = kind.pk
    return ids


def plan_for_dueren(world: DistrictWorld) -> DistrictPlan:
    a = world.agencies
    munis = []
    for spec in kd.MUNICIPALITIES:
        municipality = world.municipalities[spec.name]
        munis.append(MunicipalityPlan(
            id=municipality.pk, name=spec.name, weight=spec.population,
            postal_codes=spec.postal_codes,
            social_office_id=a[f"sozialamt-{kd.slug(spec.name)}"].pk,
            registration_office_id=a[f"buergerbuero-{kd.slug(spec.name)}"].pk,
            abh_id=a["abh-juelich" if spec.north else "abh"].pk,
            jobcentre_id=a["jobcom-juelich" if spec.north else "jobcom"].pk,
            psychosocial_ok=spec.name in PSYCHOSOCIAL_MUNICIPALITIES,
        ))
    return DistrictPlan(
        district_id=world.district.pk, code=world.district.code, municipalities=tuple(munis),
        welfare_ids=tuple(a[k].pk for k in ("caritas", "diakonie", "awo", "drk", "paritaet")),
        mbe_id=a["mbe"].pk, jmd_id=a["jmd"].pk, psych_id=a["psych"].pk,
        welcome_center_id=a["welcome"].pk,
    )


def build_nrw_districts() -> list[tuple[DistrictPlan, int]]:
    """The other 52 NRW districts, each with ABH, job centre, integration centre, and a social
    office and registration office per municipality. Returns (plan, weight)."""
    result = []
    with transaction.atomic():
        for name, code, weight, town_names in kd.NRW_DISTRICTS:
            if code == kd.DISTRICT["code"]:
                continue
            district, _ = District.objects.get_or_create(code=code, defaults={"name": name})
            short = name.removeprefix("Kreis ")
            if not town_names:   # kreisfreie Stadt: one municipality, the city itself
                towns = [(name, f"{code}000", weight * 1000)]
            else:                # municipality keys below district level are NOT official
                towns = [(town, f"{code}{4 * (i + 1):03d}",
                          weight * 1000 * (len(town_names) - i) // (2 * len(town_names)))
                         for i, town in enumerate(town_names)]
            city = towns[0][0]
            main = {}
            for key, kind, label in (
                ("abh", AgencyKind.FOREIGNERS_AUTHORITY, f"Ausländerbehörde {name}"),
                ("jc", AgencyKind.JOB_CENTRE, f"Jobcenter {name}"),
                ("ki", AgencyKind.INTEGRATION_CENTRE, f"Kommunales Integrationszentrum {short}"),
            ):
                main[key], _ = Agency.objects.get_or_create(
                    district=district, name=label, defaults={"kind": kind, "city": city})
            munis = []
            for town, town_code, population in towns:
                municipality, _ = Municipality.objects.get_or_create(
                    code=town_code, defaults={"district": district, "name": town,
                                              "population": population, "is_town": True})
                social, _ = Agency.objects.get_or_create(
                    district=district, name=f"Sozialamt {town}",
                    defaults={"kind": AgencyKind.SOCIAL_OFFICE, "municipality": municipality,
                              "city": town})
                registration, _ = Agency.objects.get_or_create(
                    district=district, name=f"Bürgerbüro {town}",
                    defaults={"kind": AgencyKind.REGISTRATION_OFFICE,
                              "municipality": municipality, "city": town})
                munis.append(MunicipalityPlan(
                    id=municipality.pk, name=town, weight=max(population, 1),
                    postal_codes=("",), social_office_id=social.pk,
                    registration_office_id=registration.pk, abh_id=main["abh"].pk,
                    jobcentre_id=main["jc"].pk))
            result.append((DistrictPlan(district_id=district.pk, code=code,
                                        municipalities=tuple(munis)), weight))
    return result


# ---------------------------------------------------------------------------------------------
# Writing synthetic batches
# ---------------------------------------------------------------------------------------------
class BatchWriter:
    """Writes `synthetic.Batch`es: one `executemany` INSERT per table and batch, each batch in
    its own transaction (bounded memory, bounded write-ahead log).

    `bulk_create` spends most of its time compiling SQL per object; the generator already
    yields plain tuples in column order, so they go to the database as they are. Values are
    adapted the way the ORM would: JSON through the field (cached per distinct value),
    timestamps once (`stamp`); columns the generator does not know (added to a model later)
    get their field default. A missing NOT NULL column fails loudly."""

    TABLES = (
        (Household, HOUSEHOLD_COLUMNS, "households"),
        (Person, PERSON_COLUMNS, "persons"),
        (PersonAgencyLink, LINK_COLUMNS, "links"),
        (ResidenceStatus, STATUS_COLUMNS, "statuses"),
        (BenefitsRegime, BENEFITS_COLUMNS, "benefits"),
        (PersonNameKey, NAME_KEY_COLUMNS, "name_keys"),
    )

    def __init__(self) -> None:
        self.stamp = connection.ops.adapt_datetimefield_value(timezone.now())
        self.written: Counter = Counter()
        self.plans = [self._plan(*table) for table in self.TABLES]

    def _plan(self, model, columns, attr):
        qn = connection.ops.quote_name
        fields = {f.column: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise RuntimeError(f"{model.__name__} has no column(s) {sorted(unknown)}")
        extra_columns, extra_values = [], []
        for column, f in fields.items():
            if column in columns or f.primary_key:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = self.stamp
            elif f.has_default() or f.null:
                value = f.get_db_prep_save(f.get_default(), connection)
            else:
                continue   # let the database refuse: the generator must supply it
            extra_columns.append(column)
            extra_values.append(value)
        all_columns = [*columns, *extra_columns]
        # identifiers come from model metadata; all values go as parameters
        sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608  # nosec B608
            qn(model._meta.db_table), ", ".join(qn(c) for c in all_columns),
            ", ".join(["%s"] * len(all_columns)))
        json_columns = [i for i, c in enumerate(columns)
                        if fields[c].get_internal_type() == "JSONField"]
        converters = {i: (fields[columns[i]], {}) for i in json_columns}
        return sql, attr, converters, tuple(extra_values)

    def _convert(self, rows, converters, extra):
        if not converters and not extra:
            return rows
        out = []
        for row in rows:
            if converters:
                row = list(row)
                for i, (f, cache) in converters.items():
                    raw = row[i]
                    value = cache.get(raw)
                    if value is None:
                        value = cache[raw] = f.get_db_prep_save(json.loads(raw), connection)
                    row[i] = value
                row = tuple(row)
            out.append(row + extra if extra else row)
        return out

    def write(self, batch) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for sql, attr, converters, extra in self.plans:
                rows = getattr(batch, attr)
                if rows:
                    cursor.executemany(sql, self._convert(rows, converters, extra))
                    self.written[attr] += len(rows)

    def finish(self) -> None:
        """Move the id sequences past the ids given explicitly (PostgreSQL; SQLite's
        AUTOINCREMENT follows explicit ids by itself)."""
        if connection.vendor != "postgresql":
            return
        statements = connection.ops.sequence_reset_sql(no_style(), [Household, Person])
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


# ---------------------------------------------------------------------------------------------
# Named demo persons (invented)
# ---------------------------------------------------------------------------------------------
D = datetime.date
DEMO_MARKER = "DEMO-"   # file numbers of the demo persons start with this
# The same man recorded twice (ABH file of "Mohammed Al-Hassan", job-com file of "Muhammad
# Alhasan"): the ground truth of the demo's duplicate check.
DEMO_DUPLICATE_FILE_NUMBERS = ("2015-SY-2290", "05358BG0009921")


def _month_end(day: datetime.date) -> datetime.date:
    first_next = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return first_next - datetime.timedelta(days=1)


def demo_person_specs(today: datetime.date) -> list[dict]:
    """The named demo persons. Dates near today are relative, so the demo stays current."""
    days = datetime.timedelta
    # Syrian family: recognised as refugees some days ago, AsylbLG ends at the end of the month
    recognised = max(today.replace(day=1), today - days(10))
    asyl_end = _month_end(today)
    family_arrival = D(2023, 8, 14)
    family_district = D(2023, 10, 2)
    syrians = {
        # recognised, no card yet: the foreigners' authority invites the family for a first eAT
        "statuses": [("gestattung", family_arrival, recognised - days(1), "paper", None),
                     ("p25-2-gfk", recognised, None, "none", None)],
        "benefits": [("asylblg", "sozialamt-dueren", family_district, asyl_end)],
        "links": [("abh", "2023-0815"), ("sozialamt-dueren", "50.2-AsylbLG-2023-1187"),
                  ("buergerbuero-dueren", "EWO-2023-44721")],
        "country": "SY", "municipality": "Düren", "street": "Josef-Schregel-Straße 48",
        "postal_code": "52349", "arrival_germany": family_arrival,
        "arrival_district": family_district, "household": "al-khalil",
    }
    return [
        {**syrians, "key": "khaled", "given": "Khaled", "family": "Al-Khalil",
         "given_orig": "خالد", "family_orig": "الخليل", "birth": (1984, 3, 12), "sex": "m",
         "role": "head", "phone": "", "email": "khaled.alkhalil@example.org",
         "links": [*syrians["links"], ("caritas", "KIM-2024-031")]},
        {**syrians, "key": "rania", "given": "Rania", "family": "Al-Khalil",
         "given_orig": "رانيا", "family_orig": "الخليل", "birth": (1988, 7, 2), "sex": "f",
         "role": "partner", "links": [*syrians["links"], ("psych", "PSB-2025-007")]},
        {**syrians, "key": "omar", "given": "Omar", "family": "Al-Khalil",
         "given_orig": "عمر", "family_orig": "الخليل", "birth": (2014, 5, 20), "sex": "m",
         "role": "child"},
        {**syrians, "key": "lina", "given": "Lina", "family": "Al-Khalil",
         "given_orig": "لين", "family_orig": "الخليل", "birth": (2018, 11, 3), "sex": "f",
         "role": "child"},
        {"key": "olena", "given": "Olena", "family": "Kovalenko", "given_orig": "Олена",
         "family_orig": "Коваленко", "other_names": "Olena Kowalenko", "birth": (1979, 2, 14),
         "sex": "f", "country": "UA", "municipality": "Jülich",
         "street": "Kölnstraße 12", "postal_code": "52428", "arrival_germany": D(2022, 3, 19),
         "arrival_district": D(2022, 3, 25), "email": "olena.kovalenko@example.org",
         "statuses": [("p24", D(2022, 4, 11), D(2027, 3, 4), "eat", None)],
         "benefits": [("asylblg", "sozialamt-juelich", D(2022, 3, 25), D(2022, 5, 31)),
                      ("sgb2", "jobcom-juelich", D(2022, 6, 1), None)],
         "links": [("abh-juelich", "2022-UA-0413"), ("jobcom-juelich", "05358BG0041177"),
                   ("sozialamt-juelich", "50-AsylbLG-2022-0310"), ("awo", "WB-2022-118"),
                   ("buergerbuero-juelich", "EWO-2022-18810")]},
        {"key": "ahmad", "given": "Ahmad", "family": "Rahimi", "given_orig": "احمد",
         "family_orig": "رحیمی", "birth": (1998, 1, 1), "sex": "m", "country": "AF",
         "municipality": "Jülich", "street": "Neusser Straße 3", "postal_code": "52428",
         "arrival_germany": today - days(150), "arrival_district": today - days(95),
         "statuses": [("gestattung", today - days(150), today + days(35), "paper", None)],
         "benefits": [("asylblg", "sozialamt-juelich", today - days(95), None)],
         "links": [("abh-juelich", f"{(today - days(150)).year}-AF-0201"),
                   ("sozialamt-juelich", f"50-AsylbLG-{(today - days(95)).year}-0077"),
                   ("buergerbuero-juelich", f"EWO-{(today - days(95)).year}-03154")]},
        {"key": "emeka", "given": "Emeka", "family": "Okonkwo", "birth": (1990, 8, 17),
         "sex": "m", "country": "NG", "municipality": "Kreuzau", "street": "Hauptstraße 55",
         "postal_code": "52372", "arrival_germany": D(2016, 4, 2),
         "arrival_district": D(2016, 6, 20),
         "statuses": [("gestattung", D(2016, 4, 2), D(2017, 9, 30), "paper", None),
                      ("duldung", D(2017, 10, 1), D(2023, 3, 14), "paper", None),
                      ("p104c", D(2023, 3, 15), D(2024, 9, 14), "eat", None),
                      ("duldung", today - days(80), today + days(100), "paper", None)],
         "benefits": [("asylblg", "sozialamt-kreuzau", D(2016, 6, 20), None)],
         "links": [("abh", "2016-NG-1204"), ("sozialamt-kreuzau", "50-AsylbLG-2016-0412"),
                   ("diakonie", "KIM-2023-088"), ("buergerbuero-kreuzau", "EWO-2016-00981")]},
        {"key": "mohammed", "given": "Mohammed", "family": "Al-Hassan", "given_orig": "محمد",
         "family_orig": "الحسن", "birth": (1995, 6, 1), "sex": "m", "country": "SY",
         "municipality": "Merzenich", "street": "Kirchstraße 9", "postal_code": "52399",
         "arrival_germany": D(2015, 10, 5), "arrival_district": D(2016, 1, 18),
         "statuses": [("gestattung", D(2015, 10, 5), D(2016, 8, 31), "paper", None),
                      ("p25-2-sub", D(2016, 9, 1), D(2019, 8, 31), "eat", None),
                      ("p9", D(2021, 3, 3), None, "eat", None)],
         "benefits": [("asylblg", "sozialamt-merzenich", D(2016, 1, 18), D(2016, 9, 30))],
         "links": [("abh", "2015-SY-2290"), ("buergerbuero-merzenich", "EWO-2016-00132")]},
        # the same man, recorded a second time by the job centre under another spelling
        {"key": "muhammad", "given": "Muhammad", "family": "Alhasan", "birth": (1995, None, None),
         "sex": "m", "country": "SY", "municipality": "Merzenich", "street": "Kirchstraße 9",
         "postal_code": "52399", "arrival_germany": D(2015, 10, 5),
         "arrival_district": D(2016, 1, 18), "statuses": [],
         "benefits": [("sgb2", "jobcom", D(2016, 10, 1), D(2018, 4, 30))],
         "links": [("jobcom", "05358BG0009921")]},
        {"key": "elif", "given": "Elif", "family": "Yılmaz", "birth": (1993, 9, 21), "sex": "f",
         "country": "TR", "municipality": "Düren", "street": "Wilhelmstraße 22",
         "postal_code": "52351", "arrival_germany": D(2024, 2, 1),
         "arrival_district": D(2024, 2, 1), "email": "elif.yilmaz@example.org",
         "statuses": [("p18a", D(2024, 1, 15), today + days(55), "eat", None)],
         "benefits": [],
         "links": [("abh", "2024-TR-0087"), ("welcome", "WC-2023-042"),
                   ("buergerbuero-dueren", "EWO-2024-02231")]},
        {"key": "yonas", "given": "Yonas", "family": "Tesfay", "birth": (2003, None, None),
         "sex": "m", "country": "ER", "municipality": "Nörvenich",
         "street": "Bahnhofstraße 30", "postal_code": "52388",
         "arrival_germany": D(2021, 9, 9), "arrival_district": D(2021, 11, 2),
         "statuses": [("gestattung", D(2021, 9, 9), D(2022, 6, 12), "paper", None),
                      ("p25-2-sub", D(2022, 6, 13), D(2025, 6, 12), "eat", None),
                      ("p25-2-sub", D(2025, 6, 13), D(2028, 6, 12), "eat", None)],
         "benefits": [("asylblg", "sozialamt-noervenich", D(2021, 11, 2), D(2022, 6, 30)),
                      ("sgb2", "jobcom", D(2022, 7, 1), None)],
         "links": [("abh", "2021-ER-0961"), ("jobcom", "05358BG0033105"),
                   ("jmd", "JMD-2022-051"), ("buergerbuero-noervenich", "EWO-2021-00417")]},
        {"key": "ioana", "given": "Ioana", "family": "Popescu", "birth": (1987, 4, None),
         "sex": "f", "country": "RO", "municipality": "Düren", "street": "Veldener Straße 71",
         "postal_code": "52349", "arrival_germany": D(2019, 5, 6),
         "arrival_district": D(2019, 5, 6),
         "statuses": [("freizuegig", D(2019, 5, 6), None, "none", None)],
         "benefits": [],
         "links": [("abh", "2019-EU-0533"), ("mbe", "MBE-2025-014"),
                   ("buergerbuero-dueren", "EWO-2019-05120")]},
    ]


def create_demo_persons(world: DistrictWorld, today: datetime.date) -> list[tuple[int, int]]:
    """Create the named demo persons once; return the known duplicate pair (ids)."""
    with personal_data_scope():
        demo_links = PersonAgencyLink.objects.filter(
            agency__district=world.district, file_number__startswith=DEMO_MARKER)
        if not demo_links.exists():
            by_key = _create_demo_persons(world, today, current_kind_ids())
            _create_demo_consents(world, by_key, today)
            _create_demo_cases(world, by_key, today)
        pair = [demo_links.get(file_number=f"{DEMO_MARKER}{number}").person_id
                for number in DEMO_DUPLICATE_FILE_NUMBERS]
    return [tuple(pair)]


def _create_demo_persons(world, today, kinds) -> dict[str, Person]:
    a = world.agencies
    households: dict[str, Household] = {}
    by_key: dict[str, Person] = {}
    for spec in demo_person_specs(today):
        country = COUNTRIES[spec["country"]]
        household = None
        if spec.get("household"):
            household = households.get(spec["household"])
            if household is None:
                household = households[spec["household"]] = Household.objects.create(
                    district=world.district)
        municipality = world.municipalities[spec["municipality"]]
        year, month, day = spec["birth"]
        person = Person.objects.create(
            district=world.district, given_names=spec["given"], family_name=spec["family"],
            given_names_original=spec.get("given_orig", ""),
            family_name_original=spec.get("family_orig", ""),
            other_names=spec.get("other_names", ""), birth_year=year, birth_month=month,
            birth_day=day, sex=spec["sex"], nationalities=[country.destatis],
            languages=[country.languages[0]],
            preferred_language=country.languages[0], street=spec["street"],
            postal_code=spec["postal_code"], city=municipality.name, municipality=municipality,
            phone=spec.get("phone", ""), email=spec.get("email", ""),
            arrival_germany=spec["arrival_germany"], arrival_district=spec["arrival_district"],
            household=household, household_role=spec.get("role", ""),
        )
        by_key[spec["key"]] = person
        PersonNameKey.objects.bulk_create(
            PersonNameKey(person=person, district_id=person.district_id, key=key) for key in sorted(person_name_keys(
                person.given_names, person.family_name, person.given_names_original,
                person.family_name_original, person.other_names)))
        for agency_key, number in spec["links"]:
            PersonAgencyLink.objects.create(
                person=person, agency=a[agency_key], file_number=f"{DEMO_MARKER}{number}",
                since=spec["arrival_district"])
        abh = a["abh-juelich" if spec["municipality"] == "Jülich" else "abh"]
        for code, valid_from, valid_to, document, pending in spec["statuses"]:
            ResidenceStatus.objects.create(
                person=person, owning_agency=abh, kind_id=kinds[code], document=document,
                valid_from=valid_from, valid_to=valid_to, application_pending_since=pending)
        for regime, agency_key, valid_from, valid_to in spec["benefits"]:
            BenefitsRegime.objects.create(
                person=person, regime=regime, responsible_agency=a[agency_key],
                valid_from=valid_from, valid_to=valid_to)
    return by_key


def _create_demo_consents(world, by_key, today) -> None:
    a, users = world.agencies, world.users
    days = datetime.timedelta
    handover = categories_to_mask([C.IDENTITY, C.CONTACT, C.BENEFITS, C.HOUSEHOLD])
    for key in ("khaled", "rania", "omar", "lina"):
        Consent.objects.create(
            person=by_key[key], categories_mask=handover, from_agency=a["sozialamt-dueren"],
            to_agency=a["jobcom"], purpose=Purpose.BENEFITS_HANDOVER,
            given_on=today - days(5), valid_from=today - days(5),
            valid_until=_month_end(today) + days(92), method=ConsentMethod.SIGNED_FORM,
            informed_language="ar", given_by_guardian=key in ("omar", "lina"),
            recorded_by=users["sozialamt"], recorded_by_agency=a["sozialamt-dueren"])
    # Case management at Caritas may see the ABH's residence data of Khaled
    Consent.objects.create(
        person=by_key["khaled"], categories_mask=categories_to_mask([C.IDENTITY, C.RESIDENCE]),
        from_agency=a["abh"], to_agency=a["caritas"], purpose=Purpose.CASE_MANAGEMENT,
        given_on=D(2024, 5, 6), valid_from=D(2024, 5, 6), valid_until=None,
        method=ConsentMethod.SIGNED_FORM, informed_language="ar",
        recorded_by=users["fallmanagement"], recorded_by_agency=a["caritas"])
    # Olena once allowed the job centre to share with the welcome counselling, then revoked it
    revoked = Consent.objects.create(
        person=by_key["olena"],
        categories_mask=categories_to_mask([C.IDENTITY, C.CONTACT, C.BENEFITS]),
        from_agency=a["jobcom-juelich"], to_agency=a["awo"], purpose=Purpose.CASE_MANAGEMENT,
        given_on=D(2023, 3, 1), valid_from=D(2023, 3, 1), valid_until=None,
        method=ConsentMethod.SIGNED_FORM, informed_language="uk",
        recorded_by=users["willkommen"], recorded_by_agency=a["awo"])
    revoked.revoked_at = timezone.now() - days(40)
    revoked.revoked_by = users["willkommen"]
    revoked.revocation_note = "Widerruf mündlich in der Beratung, schriftlich bestätigt."
    revoked.save(update_fields=["revoked_at", "revoked_by", "revocation_note"])


def _create_demo_cases(world, by_key, today) -> None:
    """A few cases to click through: Khaled at Caritas (labour market, with a task due),
    Rania at the psychosocial centre (with an Art. 9 note), Yonas closed at Caritas."""
    a, users = world.agencies, world.users
    days = datetime.timedelta

    def open_case(key, agency, user, focus, phase, opened, next_contact=None):
        person = by_key[key]
        PersonAgencyLink.objects.get_or_create(person=person, agency=a[agency],
                                               defaults={"since": opened})
        case = Case.objects.create(
            district=world.district, person=person, owning_agency=a[agency], focus_area=focus,
            phase=phase, case_manager=users[user], opened_on=opened, next_contact_on=next_contact,
            attention_on=next_contact)
        CaseAssignment.objects.create(case=case, case_manager=users[user], assigned_by=users[user])
        return case

    khaled = open_case("khaled", "caritas", "fallmanagement", "labour_market", "assessment",
                       today - days(40), today + days(3))
    CaseNote.objects.create(case=khaled, category=NoteCategory.GENERAL, author=users["fallmanagement"],
                            text="Erstkontakt über die Migrationsberatung. Herr Al-Khalil möchte "
                                 "als Elektriker arbeiten; Zeugnisse aus Aleppo liegen im Original vor.")
    CaseTask.objects.create(case=khaled, kind=TaskKind.ACCOMPANY, title="Begleitung zum Jobcenter "
                            "(Antrag SGB II)", due_on=today + days(1), created_by=users["fallmanagement"])
    Case.objects.filter(pk=khaled.pk).update(attention_on=today + days(1))
    rania = open_case("rania", "psych", "psychosozial", "psychosocial", "monitoring",
                      today - days(90), today + days(7))
    CaseNote.objects.create(case=rania, category=NoteCategory.HEALTH, author=users["psychosozial"],
                            text="Stabilisierungsgespräche alle zwei Wochen; Dolmetscherin Arabisch.")
    yonas = open_case("yonas", "caritas", "fallmanagement", "labour_market", "closed",
                      today - days(400))
    Case.objects.filter(pk=yonas.pk).update(
        closed_on=today - days(30), closure_reason="goals_reached", closure_outcome="achieved",
        closure_note="Ausbildung zum Mechatroniker begonnen.", attention_on=None)


SYNTHETIC_CASE_SHARE = 0.12  # about one newcomer in eight has a case at a welfare association
CASE_AGENCIES = ("caritas", "diakonie", "awo", "drk", "paritaet")


def load_synthetic_cases(world, today, *, share: float, seed: int) -> int:
    """Cases for a share of Kreis Düren's synthetic persons, spread over the welfare
    associations; the demo case manager gets a caseload of a few hundred (benchmarks)."""
    import random

    rng = random.Random(seed)
    district_id = world.district.pk
    person_ids = list(Person._plain.filter(district_id=district_id).values_list("id", flat=True))
    chosen = rng.sample(person_ids, int(len(person_ids) * share))
    managers = {key: [u for u in world.users.values() if u.agency_id == world.agencies[key].pk]
                for key in CASE_AGENCIES}
    focus = ["welcome_counselling", "labour_market", "psychosocial"]
    phases = ["intake", "assessment", "planning", "linking", "monitoring", "evaluation"]
    existing = set(PersonAgencyLink._plain.filter(person_id__in=chosen, agency__in=[
        world.agencies[k] for k in CASE_AGENCIES]).values_list("person_id", "agency_id"))
    links, cases = [], []
    for index, person_id in enumerate(chosen):
        key = CASE_AGENCIES[index % len(CASE_AGENCIES)]
        agency = world.agencies[key]
        opened = today - datetime.timedelta(days=rng.randint(1, 700))
        next_contact = today + datetime.timedelta(days=rng.randint(-20, 40)) if rng.random() < 0.8 else None
        manager = (managers[key][index % len(managers[key])] if managers[key] and index % 20 == 0
                   else None)
        if (person_id, agency.pk) not in existing:
            links.append(PersonAgencyLink(person_id=person_id, agency=agency, since=opened,
                                          file_number=f"KIM-{opened.year}-{index:05d}"))
        cases.append(Case(district_id=district_id, person_id=person_id, owning_agency=agency,
                          focus_area=rng.choice(focus), phase=rng.choice(phases), case_manager=manager,
                          opened_on=opened, next_contact_on=next_contact, attention_on=next_contact))
    PersonAgencyLink._plain.bulk_create(links, batch_size=2000)
    Case._plain.bulk_create(cases, batch_size=2000)
    return len(cases)
