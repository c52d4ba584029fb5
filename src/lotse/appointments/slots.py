"""Open days, opening periods and interpreter hours of the foreigners' authority's offices,
turned into the solver's `Session`s and `Shift`s. Organisational data only (no person).

A day is open at an office when it is a weekday with opening hours in force, not a public
holiday in North Rhine-Westphalia (the `holidays` library, see core.calendar) and not inside
one of the office's closures."""

import datetime
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db.models import Q

from lotse.appointments.models import (
    Closure,
    Interpreter,
    InterpreterShift,
    Office,
    OpeningPeriod,
    ServiceKind,
    ServiceLength,
    TravelTime,
)
from lotse.appointments.problem import Period, Session, Shift
from lotse.core.calendar import is_public_holiday
from lotse.organisations.models import Agency

TIME_ZONE = ZoneInfo("Europe/Berlin")
# Used when neither the office nor the district has configured a length for a service.
DEFAULT_SERVICE_MINUTES = {ServiceKind.FIRST_APPLICATION: 30, ServiceKind.RENEWAL: 20,
                           ServiceKind.FAMILY: 20}


def at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=TIME_ZONE)


def _in_force(row, day: datetime.date) -> bool:
    return row.valid_from <= day and (row.valid_to is None or day <= row.valid_to)


def days_between(first: datetime.date, last: datetime.date):
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def authority_agencies(agency: Agency) -> list[Agency]:
    """A foreigners' authority and its branch offices (each a agency of its own that owns the
    residence data it records): they share the offices and counters."""
    main = agency.parent if agency.parent_id and agency.parent.kind == agency.kind else agency
    return [main, *Agency.objects.filter(parent=main, kind=main.kind).order_by("pk")]


def offices_of(agency: Agency) -> list[Office]:
    ids = [a.pk for a in authority_agencies(agency)]
    return list(Office.objects.filter(agency_id__in=ids, is_active=True).order_by("pk"))


def closed_days(office_ids: list[int], first: datetime.date, last: datetime.date) -> dict[int, set[datetime.date]]:
    closed: dict[int, set[datetime.date]] = defaultdict(set)
    for closure in Closure.objects.filter(office_id__in=office_ids, starts_on__lte=last, ends_on__gte=first):
        for day in days_between(max(first, closure.starts_on), min(last, closure.ends_on)):
            closed[closure.office_id].add(day)
    return closed


def sessions_for(offices: list[Office], first: datetime.date, last: datetime.date) -> list[Session]:
    """The open days of the offices between two dates, with their opening periods."""
    ids = [o.pk for o in offices]
    periods: dict[tuple[int, int], list[OpeningPeriod]] = defaultdict(list)
    for period in OpeningPeriod.objects.filter(office_id__in=ids).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=first), valid_from__lte=last):
        periods[(period.office_id, period.weekday)].append(period)
    closed = closed_days(ids, first, last)
    sessions = []
    for office in offices:
        for day in days_between(first, last):
            if is_public_holiday(day) or day in closed[office.pk]:
                continue
            rows = sorted((p for p in periods[(office.pk, day.weekday())] if _in_force(p, day)),
                          key=lambda p: p.opens)
            if not rows:
                continue
            sessions.append(Session(
                office_id=office.pk, day=day, slot_minutes=office.slot_minutes,
                periods=tuple(Period(at(day, p.opens), at(day, p.closes), p.counters) for p in rows),
            ))
    return sessions


def shifts_for(offices: list[Office], sessions: list[Session]) -> list[Shift]:
    """Interpreter hours on the open days (weekly hours expanded to dates)."""
    ids = [o.pk for o in offices]
    by_weekday: dict[tuple[int, int], list[InterpreterShift]] = defaultdict(list)
    for shift in InterpreterShift.objects.filter(office_id__in=ids, interpreter__is_active=True).select_related(
            "interpreter"):
        by_weekday[(shift.office_id, shift.weekday)].append(shift)
    shifts = []
    for session in sessions:
        for shift in by_weekday[(session.office_id, session.day.weekday())]:
            if _in_force(shift, session.day):
                shifts.append(Shift(
                    interpreter_id=shift.interpreter_id,
                    languages=frozenset(shift.interpreter.languages or ()),
                    office_id=session.office_id, starts=at(session.day, shift.starts),
                    ends=at(session.day, shift.ends),
                ))
    return shifts


def interpreter_languages(district_id: int) -> set[str]:
    languages: set[str] = set()
    for row in Interpreter.objects.filter(district_id=district_id, is_active=True).values_list("languages", flat=True):
        languages.update(row or ())
    return languages


def service_minutes(district_id: int) -> dict[str, int]:
    """Service -> minutes of an appointment in the district (defaults where none is set)."""
    minutes = {str(k): v for k, v in DEFAULT_SERVICE_MINUTES.items()}
    for service, value in ServiceLength.objects.filter(district_id=district_id).values_list("service", "minutes"):
        minutes[service] = value
    return minutes


def travel_matrix(offices: list[Office]) -> dict[tuple[int | None, int], int]:
    return {(row.municipality_id, row.office_id): row.minutes
            for row in TravelTime.objects.filter(office__in=offices)}
