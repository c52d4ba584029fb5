"""Background tasks of the eAT appointments (django-tasks, database backend).

- `daily_run_task(agency_id, run_key)`: the foreigners' authority's daily run: the expiry scan
  (who needs an appointment), the assignment of all open proposals to slots, and the
  invitations (e-mail where an address exists; letters to print otherwise). At its end it
  enqueues itself for the next day (`DailySchedule`); a task whose `run_key` is stale (a second
  copy) does nothing. `lotse appointments_daily --schedule` starts the cycle; `make run` does.
- `plan_task(agency_id, user_id)`: "plan now" from the staff page.
- `send_invitation_task(appointment_id, base_url)`: the e-mail with the letter (PDF) and the
  calendar file attached.

Tasks take ids and re-enter the spine with the agency's system context (no user) or the
user's own context.
"""

import datetime
import logging
import secrets

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from lotse.access.context import AccessContext, context_for_user, system_context
from lotse.core.vocabulary import DataCategory, Purpose
from lotse.organisations import permissions
from lotse.organisations.models import Agency, AgencyKind, StaffUser

logger = logging.getLogger(__name__)


def agency_context(agency: Agency) -> AccessContext:
    return system_context(
        agency, purpose=Purpose.RESIDENCE_ADMINISTRATION,
        categories=(DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.RESIDENCE),
        permissions=(permissions.APPOINTMENTS_MANAGE,),
    )


def base_url() -> str:
    return getattr(settings, "LOTSE_PUBLIC_BASE_URL", "") or "http://127.0.0.1:8000"


def daily_run(agency: Agency, today: datetime.date | None = None) -> dict:
    """Scan, plan, invite: the whole day's work of one authority (also used by tests)."""
    from lotse.appointments.planning import plan_appointments
    from lotse.appointments.scan import expiry_scan
    from lotse.appointments.slots import authority_agencies

    family = authority_agencies(agency)
    report = {"proposed": 0, "expiry": 0, "first_eat": 0, "invited": 0, "emails": 0}
    for member in family:
        scan = expiry_scan(agency_context(member), today)
        report["proposed"] += scan.created
        report["expiry"] += scan.expiry
        report["first_eat"] += scan.first_eat
    run = plan_appointments(agency_context(family[0]), agency=family[0])
    report.update({"groups": run.groups, "booked": run.assigned, "unassigned": run.unassigned, "gap": run.gap})
    for member in family:
        invited = invite_planned(agency_context(member))
        report["invited"] += invited["invited"]
        report["emails"] += invited["emails"]
    return report


def invite_planned(ctx: AccessContext) -> dict:
    from lotse.appointments.models import AppointmentStatus
    from lotse.appointments.selectors import planned_appointment_ids
    from lotse.appointments.services import appointment_invite

    invited = emails = 0
    url = base_url()
    for appointment_id in planned_appointment_ids(ctx, status=AppointmentStatus.PLANNED):
        result = appointment_invite(ctx=ctx, appointment_id=appointment_id)
        invited += 1
        if result.email:
            emails += 1
            transaction.on_commit(lambda pk=appointment_id: send_invitation_task.enqueue(pk, url))
    return {"invited": invited, "emails": emails}


def next_run_time(schedule, now: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(now)
    candidate = local.replace(hour=schedule.run_at.hour, minute=schedule.run_at.minute, second=0, microsecond=0)
    if candidate <= local:
        candidate += datetime.timedelta(days=1)
    return candidate


def schedule_next(agency_id: int, *, now: datetime.datetime | None = None, force: bool = False):
    """Enqueue the next daily run unless one is due already (idempotent)."""
    from lotse.appointments.models import DailySchedule

    now = now or timezone.now()
    with transaction.atomic():
        schedule, _created = DailySchedule.objects.select_for_update().get_or_create(agency_id=agency_id)
        if not force and schedule.next_run_at and schedule.next_run_at > now and schedule.run_key:
            return schedule
        schedule.next_run_at = next_run_time(schedule, now)
        schedule.run_key = secrets.token_hex(8)
        schedule.save()
        key, when = schedule.run_key, schedule.next_run_at
        transaction.on_commit(lambda: daily_run_task.using(run_after=when).enqueue(agency_id, key))
    return schedule


def schedule_all(*, now: datetime.datetime | None = None) -> int:
    """Start the daily cycle for every foreigners' authority with an office."""
    from lotse.appointments.models import Office
    from lotse.appointments.slots import authority_agencies

    agency_ids = {authority_agencies(office.agency)[0].pk for office in Office.objects.filter(
        is_active=True, agency__kind=AgencyKind.FOREIGNERS_AUTHORITY).select_related("agency__parent")}
    for agency_id in sorted(agency_ids):
        schedule_next(agency_id, now=now)
    return len(agency_ids)


@task()
def daily_run_task(agency_id: int, run_key: str) -> dict:
    from lotse.appointments.models import DailySchedule

    schedule = DailySchedule.objects.filter(agency_id=agency_id).first()
    if schedule is None or schedule.run_key != run_key:
        return {"skipped": "stale"}
    agency = Agency.objects.get(pk=agency_id)
    try:
        report = daily_run(agency)
    finally:
        DailySchedule.objects.filter(pk=schedule.pk).update(last_run_at=timezone.now())
        schedule_next(agency_id, force=True)
    DailySchedule.objects.filter(pk=schedule.pk).update(last_report=report)
    return report


@task()
def plan_task(agency_id: int, user_id: int) -> dict:
    from lotse.appointments.planning import plan_appointments

    user = StaffUser.objects.get(pk=user_id)
    ctx = context_for_user(user)
    if ctx.agency_id != agency_id or not ctx.has_permission(permissions.APPOINTMENTS_MANAGE):
        return {"refused": True}
    run = plan_appointments(ctx, agency=Agency.objects.get(pk=agency_id), started_by_id=user_id)
    return {"run": run.pk, "booked": run.assigned, "unassigned": run.unassigned}


@task()
def send_invitation_task(appointment_id: int, url: str) -> dict:
    """Mail the invitation (letter and calendar file) to the applicant's address."""
    from lotse.appointments.ics import ics_filename, invitation_ics
    from lotse.appointments.letter import invitation_pdf, letter_filename
    from lotse.appointments.letter_texts import TEXTS
    from lotse.appointments.selectors import (
        AppointmentNotVisible,
        LetterNotReady,
        already_emailed,
        email_of_head,
        letter_for,
        owning_agency_of,
    )
    from lotse.appointments.services import mark_emailed

    agency = owning_agency_of(appointment_id)
    if agency is None:
        return {"sent": False}
    ctx = agency_context(agency)
    try:
        letter = letter_for(ctx, appointment_id, base_url=url)
    except (AppointmentNotVisible, LetterNotReady):  # cancelled or closed before the mail went out
        return {"sent": False}
    if already_emailed(appointment_id):  # a redelivered task sends nothing twice
        return {"sent": False}
    address = email_of_head(ctx, appointment_id)
    if not address:
        return {"sent": False}
    languages = ["de"] + ([letter.language] if letter.language in TEXTS and letter.language != "de" else [])
    subject = " / ".join(dict.fromkeys(TEXTS[lang]["subject"] for lang in languages))
    body = "\n\n".join(
        "\n".join([TEXTS[lang]["salutation"].format(name=letter.recipient_name), TEXTS[lang]["confirm_request"],
                   letter.link, TEXTS[lang]["link_valid"].format(date=letter.link_valid_until.strftime("%d.%m.%Y"))])
        for lang in languages)
    message = EmailMessage(subject=subject, body=body, to=[address],
                           from_email=agency.email or settings.DEFAULT_FROM_EMAIL)
    message.attach(letter_filename(letter), invitation_pdf(letter), "application/pdf")
    message.attach(ics_filename(letter), invitation_ics(letter), "text/calendar")
    message.send()
    mark_emailed(appointment_id)
    return {"sent": True}
