"""Set up a district's appointment configuration from a plain description (the demo district's
is in organisations/kreis_dueren.py). Organisational data only; idempotent."""

import datetime

from django.db import transaction

from lotse.appointments.models import Interpreter, InterpreterShift, Office, OpeningPeriod, ServiceLength, TravelTime


def _time(value: str) -> datetime.time:
    return datetime.time.fromisoformat(value)


@transaction.atomic
def configure_appointments(*, district, agencies: dict, municipalities: dict, offices, minutes: dict,
                           interpreters, travel: dict) -> list[Office]:
    """Create what is missing; existing offices and interpreters (by name) are left alone."""
    created: dict[str, Office] = {}
    for agency_key, name, town, street, postal_code, city, phone, periods in offices:
        office, new = Office.objects.get_or_create(
            agency=agencies[agency_key], name=name,
            defaults={"municipality": municipalities[town], "street": street, "postal_code": postal_code,
                      "city": city, "phone": phone, "slot_minutes": 10})
        if new:
            OpeningPeriod.objects.bulk_create([
                OpeningPeriod(office=office, weekday=day, opens=_time(opens), closes=_time(closes),
                              counters=counters)
                for days, opens, closes, counters in periods for day in days])
        created[agency_key] = office
    for service, value in minutes.items():
        ServiceLength.objects.get_or_create(district=district, service=service, defaults={"minutes": value})
    for name, languages, shifts in interpreters:
        interpreter, new = Interpreter.objects.get_or_create(district=district, name=name,
                                                             defaults={"languages": languages})
        if new:
            InterpreterShift.objects.bulk_create([
                InterpreterShift(interpreter=interpreter, office=created[key], weekday=day, starts=_time(starts),
                                 ends=_time(ends)) for key, day, starts, ends in shifts])
    order = [key for key, *_rest in offices]
    for town, values in travel.items():
        for key, value in zip(order, values, strict=True):
            TravelTime.objects.get_or_create(municipality=municipalities[town], office=created[key],
                                             defaults={"minutes": value})
    return list(created.values())
