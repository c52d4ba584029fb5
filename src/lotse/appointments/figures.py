"""Figures of the eAT appointments for the steering dashboards (issue 5, point 7): per office
and month, aggregates only, never a person. Part of the spine perimeter: it counts over
personal models and returns numbers.

Definitions (shown in the UI beside the table):

- invited: appointments whose invitation went out in the month;
- days to appointment: median days from the invitation to the appointment's day, over the
  appointments invited in the month;
- renewals before expiry: of the renewals completed in the month (an outcome recorded; a
  renewal proposed again after a missed appointment included), the share whose appointment
  lay on or before the day the title expired;
- no-show rate: appointments missed / (missed + completed), by the month of the appointment;
- travel per person: mean travel time in minutes from the person's municipality to the office,
  over the persons of the appointments in the month (cancelled ones left out).

A figure computed from fewer than `MIN_CELL` appointments is not shown (small cells).
"""

import datetime
import statistics
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from lotse.access.context import AccessContext
from lotse.appointments.models import Appointment, AppointmentMember, AppointmentStatus, Office, ProposalReason
from lotse.core.scoping import personal_data_scope
from lotse.organisations import permissions
from lotse.organisations.models import AgencyKind

MIN_CELL = getattr(settings, "LOTSE_MIN_CELL_SIZE", 5)  # as steering.suppression.THRESHOLD


class FiguresNotAllowed(PermissionError):
    pass


@dataclass
class OfficeMonth:
    office: str
    month: datetime.date  # first day of the month
    invited: int = 0
    wait_days: list[int] = field(default_factory=list)
    renewals_completed: int = 0
    renewals_in_time: int = 0
    completed: int = 0
    no_shows: int = 0
    persons: int = 0
    travel_minutes: int = 0

    @property
    def median_wait_days(self) -> float | None:
        return statistics.median(self.wait_days) if len(self.wait_days) >= MIN_CELL else None

    @property
    def renewals_in_time_share(self) -> float | None:
        if self.renewals_completed < MIN_CELL:
            return None
        return self.renewals_in_time / self.renewals_completed

    @property
    def no_show_rate(self) -> float | None:
        closed = self.completed + self.no_shows
        return self.no_shows / closed if closed >= MIN_CELL else None

    @property
    def travel_per_person(self) -> float | None:
        return self.travel_minutes / self.persons if self.persons >= MIN_CELL else None


def figures_available(ctx: AccessContext) -> bool:
    return ctx.is_staff_member and (ctx.has_permission(permissions.APPOINTMENTS_FIGURES) or (
        ctx.agency_kind == AgencyKind.FOREIGNERS_AUTHORITY and ctx.has_permission(permissions.APPOINTMENTS_MANAGE)))


def _month(value: datetime.datetime | datetime.date) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return value.replace(day=1)


def appointment_figures(ctx: AccessContext, *, first_month: datetime.date,
                        last_month: datetime.date) -> list[OfficeMonth]:
    """Rows per office of the district and month between two months (inclusive)."""
    if not figures_available(ctx):
        raise FiguresNotAllowed()
    first = datetime.datetime.combine(first_month.replace(day=1), datetime.time.min,
                                      tzinfo=timezone.get_current_timezone())
    last_day = (last_month.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    last = datetime.datetime.combine(last_day, datetime.time.min, tzinfo=timezone.get_current_timezone())
    offices = dict(Office.objects.filter(agency__district_id=ctx.district_id).values_list("pk", "name"))
    cells: dict[tuple[int, datetime.date], OfficeMonth] = {}

    def cell(office_id: int, month: datetime.date) -> OfficeMonth:
        key = (office_id, month)
        if key not in cells:
            cells[key] = OfficeMonth(offices[office_id], month)
        return cells[key]

    with personal_data_scope():
        appointments = Appointment.objects.filter(office_id__in=offices)
        for office_id, invited_at, starts_at in appointments.filter(
                invited_at__gte=first, invited_at__lt=last).values_list("office_id", "invited_at", "starts_at"):
            row = cell(office_id, _month(invited_at))
            row.invited += 1
            row.wait_days.append((timezone.localtime(starts_at).date() - timezone.localtime(invited_at).date()).days)
        in_period = appointments.filter(starts_at__gte=first, starts_at__lt=last)
        for office_id, starts_at, status in in_period.exclude(status=AppointmentStatus.CANCELLED).values_list(
                "office_id", "starts_at", "status"):
            row = cell(office_id, _month(starts_at))
            if status == AppointmentStatus.COMPLETED:
                row.completed += 1
            elif status == AppointmentStatus.NO_SHOW:
                row.no_shows += 1
        members = AppointmentMember.objects.filter(appointment__in=in_period).exclude(
            appointment__status=AppointmentStatus.CANCELLED)
        for office_id, starts_at, travel in members.values_list(
                "appointment__office_id", "appointment__starts_at", "appointment__travel_minutes"):
            row = cell(office_id, _month(starts_at))
            row.persons += 1
            row.travel_minutes += travel
        # A renewal is a proposal for an expiring title, also when it was proposed again after a
        # missed appointment (reason no_show, the expiry kept): those are the likely late ones.
        for office_id, starts_at, expires_on in members.filter(
                appointment__status=AppointmentStatus.COMPLETED,
                proposal__reason__in=(ProposalReason.EXPIRY, ProposalReason.NO_SHOW),
                proposal__expires_on__isnull=False,
        ).exclude(outcome="").values_list("appointment__office_id", "starts_at", "proposal__expires_on"):
            row = cell(office_id, _month(starts_at))
            row.renewals_completed += 1
            if timezone.localtime(starts_at).date() <= expires_on:
                row.renewals_in_time += 1
    return sorted(cells.values(), key=lambda r: (r.month, r.office))
