"""A small appointment world on top of core.testing's: two offices of the test authority
(A-Dorf main office, B-Stadt branch office), opening hours, interpreters for Arabic and
Ukrainian, travel times, appointment lengths; persons with titles; an invited appointment."""

import datetime

from lotse.appointments import links
from lotse.appointments.models import Appointment, AppointmentProposal, Office
from lotse.appointments.setup import configure_appointments
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import World, register_person
from lotse.people.models import Household, Person, PersonAgencyLink
from lotse.people.services import residence_status_add
from lotse.rules.models import ResidenceKind

MAIN = "Ausländerbehörde A-Dorf"
BRANCH = "Nebenstelle B-Stadt"
WEEKDAYS = (0, 1, 2, 3, 4)


def configure(world: World) -> dict[str, Office]:
    agencies = {"abh": world.agencies["abh"]}
    towns = {"A-Dorf": world.town_a, "B-Stadt": world.town_b}
    offices = configure_appointments(
        district=world.district, agencies={"abh": agencies["abh"], "abh-b": agencies["abh"]}, municipalities=towns,
        offices=[
            ("abh", MAIN, "A-Dorf", "Marktplatz 1", "11111", "A-Dorf", "01234 5-0",
             [(WEEKDAYS, "08:00", "12:00", 2), ((1, 3), "13:00", "15:00", 1)]),
            ("abh-b", BRANCH, "B-Stadt", "Bahnhofstraße 2", "22222", "B-Stadt", "05678 9-0",
             [((1, 3), "08:00", "12:00", 1)]),
        ],
        minutes={"first_application": 30, "renewal": 20, "family": 20},
        interpreters=[("Dolmetsch Arabisch", ["ar"], [("abh", 0, "08:00", "12:00"), ("abh", 2, "08:00", "12:00")]),
                      ("Dolmetsch Ukrainisch", ["uk", "ru"], [("abh-b", 3, "08:00", "12:00")])],
        travel={"A-Dorf": (10, 40), "B-Stadt": (40, 10)},
    )
    return {office.name: office for office in offices}


def person_with_title(world: World, *, expires_on: datetime.date | None, town: str = "a", language: str = "",
                      given: str = "Amina", family: str = "Haddad", email: str = "", household=None,
                      role: str = "", code: str = "p25-2-gfk", document: str = "eat",
                      valid_from: datetime.date | None = None, interpreter: bool | None = None) -> int:
    """A person registered by the ABH with a title recorded by it (the signal may propose).
    With a `language` the person needs an interpreter unless `interpreter=False`."""
    person_id = register_person(world, by="abh", town=town, given_names=given, family_name=family,
                                preferred_language=language, email=email, street="Weg 1",
                                postal_code="11111", city="A-Dorf",
                                interpreter_needed=bool(language) if interpreter is None else interpreter)
    with personal_data_scope():
        PersonAgencyLink.objects.filter(person_id=person_id, agency=world.agencies["abh"]).update(
            file_number=f"AZ-{person_id}")
        if household is not None:
            Person.objects.filter(pk=person_id).update(household=household, household_role=role)
    kind = ResidenceKind.objects.get(code=code)
    start = valid_from or ((expires_on - datetime.timedelta(days=365)) if expires_on else datetime.date(2024, 1, 1))
    residence_status_add(ctx=world.ctx("abh"), person_id=person_id, kind_id=kind.pk, document=document,
                         valid_from=start, valid_to=expires_on)
    return person_id


def household(world: World) -> Household:
    with personal_data_scope():
        return Household.objects.create(district=world.district)


def proposals_of(person_id: int) -> list[AppointmentProposal]:
    with personal_data_scope():
        return list(AppointmentProposal.objects.filter(person_id=person_id).order_by("pk"))


def appointment_of(person_id: int) -> Appointment | None:
    with personal_data_scope():
        return (Appointment.objects.filter(members__person_id=person_id).select_related("office")
                .order_by("-pk").first())


def token_of(appointment: Appointment) -> str:
    with personal_data_scope():
        appointment.refresh_from_db()
    return links.make_token(appointment.pk, appointment.token_salt)


def invited(world: World, today: datetime.date, **person) -> tuple[int, Appointment, str]:
    """A person whose title expires in eight weeks, invited by the daily run of `today`."""
    from lotse.appointments.tasks import daily_run

    configure(world)
    person_id = person_with_title(world, expires_on=today + datetime.timedelta(weeks=8), **person)
    daily_run(world.agencies["abh"], today)
    appointment = appointment_of(person_id)
    assert appointment is not None, "the daily run booked no appointment"
    return person_id, appointment, token_of(appointment)
