"""Writes of the eAT appointments: invitations, the person's confirmation or new choice through
the personal link, the desk (check-in, no-show, outcome) and cancelling. Each write is atomic
and logged. Part of the spine perimeter (see core/tests/test_spine_guard.py).

Staff writes need a permission (`appointments:manage` or `appointments:desk`) and an
appointment of the user's own agency; anything else answers "not found" (`AppointmentNotFound`)
or is refused and logged (`AccessDenied`). Public writes (through the personal link) are
logged with an empty actor and the basis `personal_link`."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.access.spine import log_events, refuse
from lotse.appointments import links
from lotse.appointments.models import (
    Appointment,
    AppointmentMember,
    AppointmentProposal,
    AppointmentStatus,
    Outcome,
    ProposalReason,
    ProposalStatus,
)
from lotse.appointments.planning import busy_between, collides
from lotse.appointments.scan import earliest_date, proposal_for_status
from lotse.appointments.selectors import AppointmentNotVisible, email_of_head
from lotse.appointments.slots import offices_of
from lotse.audit.chain import EventData
from lotse.audit.models import Decision
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import DataCategory, Purpose
from lotse.organisations import permissions
from lotse.organisations.models import AgencyKind
from lotse.people.models import ResidenceStatus
from lotse.rules.selectors import NoRuleInForce, deadline_from

NO_SHOW_RULE = "eat-no-show-latest"
# Outcomes that mean an application for a title was taken: the status then has an
# application pending (the daily scan invites nobody twice; the social office sees it).
APPLICATION_OUTCOMES = (Outcome.APPLICATION_TAKEN, Outcome.FIKTION_ISSUED, Outcome.CARD_ORDERED)
MAX_REBOOKINGS = 3
INVITABLE = (AppointmentStatus.PLANNED, AppointmentStatus.INVITED, AppointmentStatus.CONFIRMED)
OPEN_FOR_PERSON = (AppointmentStatus.INVITED, AppointmentStatus.CONFIRMED)


class AppointmentNotFound(LookupError):
    """No such appointment, or not one of the user's agency: never told apart."""


def _events(ctx: AccessContext | None, action: str, person_ids, appointment: Appointment, basis: str,
            decision: str = Decision.ALLOWED) -> list[EventData]:
    return [EventData(
        action=action, decision=decision, actor_id=ctx.user_id if ctx else None,
        agency_id=ctx.agency_id if ctx else appointment.owning_agency_id, person_id=person_id,
        categories=DataCategory.RESIDENCE, purpose=Purpose.RESIDENCE_ADMINISTRATION, basis=basis,
        object_ref=f"appointment:{appointment.pk}", request_id=ctx.request_id if ctx else "",
    ) for person_id in person_ids]


def _member_ids(appointment: Appointment) -> list[int]:
    return list(AppointmentMember.objects.filter(appointment=appointment).values_list("person_id", flat=True))


def require_permission(ctx: AccessContext, permission: str, action: str) -> None:
    """Refuse (logged, committed on its own) when the user lacks the permission. Call it
    before the write's transaction, so the refusal stays in the log."""
    if not ctx.has_permission(permission):
        refuse(ctx, f"{action}.refused", reason=f"permission:{permission}",
               message=_("You lack the permission '%(perm)s'.") % {"perm": permission})


def appointment_for_write(ctx: AccessContext, appointment_id: int) -> Appointment:
    """The appointment of the user's own agency, locked for the write (call inside the
    transaction, after `require_permission`)."""
    if ctx.agency_kind != AgencyKind.FOREIGNERS_AUTHORITY:
        raise AppointmentNotFound(appointment_id)
    with personal_data_scope():
        appointment = (Appointment.objects.select_for_update()
                       .filter(pk=appointment_id, owning_agency_id=ctx.agency_id).first())
    if appointment is None:
        raise AppointmentNotFound(appointment_id)
    return appointment


# --- invitation ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Invited:
    appointment: Appointment
    token: str
    email: str  # the address the invitation goes to ("" = print a letter)


def appointment_invite(*, ctx: AccessContext, appointment_id: int) -> Invited:
    """Make the personal link and mark the appointment invited. A second call keeps the link
    (a reprinted letter carries the same one); `appointment_new_link` replaces it."""
    require_permission(ctx, permissions.APPOINTMENTS_MANAGE, "appointment.invite")
    with transaction.atomic():
        appointment = appointment_for_write(ctx, appointment_id)
        if appointment.status not in INVITABLE:
            raise ValidationError(_("Only planned appointments can be invited."))
        with personal_data_scope():
            if not appointment.token_salt:
                appointment.token_salt = links.new_salt()
            appointment.token_expires_on = timezone.localtime(appointment.starts_at).date()
            if appointment.status == AppointmentStatus.PLANNED:
                appointment.status = AppointmentStatus.INVITED
                appointment.invited_at = timezone.now()
            email = _applicant_email(ctx, appointment.pk)
            appointment.invited_by_email = bool(email)
            appointment.save()
            log_events(_events(ctx, "appointment.invited", _member_ids(appointment), appointment,
                               basis="residence=own_agency" + (";channel=email" if email else ";channel=letter")))
    return Invited(appointment, links.make_token(appointment.pk, appointment.token_salt), email)


def _applicant_email(ctx: AccessContext, appointment_id: int) -> str:
    """The applicant's e-mail address, read through the spine (contact data, logged)."""
    try:
        return email_of_head(ctx, appointment_id)
    except AppointmentNotVisible:
        return ""


def appointment_new_link(*, ctx: AccessContext, appointment_id: int) -> str:
    """Revoke the personal link (a letter got lost) and make a new one."""
    require_permission(ctx, permissions.APPOINTMENTS_MANAGE, "appointment.link_renewed")
    with transaction.atomic():
        appointment = appointment_for_write(ctx, appointment_id)
        if appointment.status not in OPEN_FOR_PERSON:  # planned: not sent yet; closed: nothing to send
            raise ValidationError(_("Only an invited appointment has a personal link to replace."))
        with personal_data_scope():
            appointment.token_salt = links.new_salt()
            appointment.save(update_fields=["token_salt"])
            log_events(_events(ctx, "appointment.link_renewed", _member_ids(appointment), appointment,
                               basis="residence=own_agency"))
    return links.make_token(appointment.pk, appointment.token_salt)


def mark_emailed(appointment_id: int) -> None:
    """The invitation e-mail went out (the task's own bookkeeping; no personal data read)."""
    with personal_data_scope():
        Appointment.objects.filter(pk=appointment_id).update(emailed_at=timezone.now())


def letters_mark_printed(*, ctx: AccessContext, appointment_ids: list[int]) -> int:
    require_permission(ctx, permissions.APPOINTMENTS_MANAGE, "appointment.print")
    with transaction.atomic(), personal_data_scope():
        return Appointment.objects.filter(pk__in=appointment_ids, owning_agency_id=ctx.agency_id,
                                          letter_printed_at__isnull=True).update(letter_printed_at=timezone.now())


# --- cancelling ---------------------------------------------------------------------------

def appointment_cancel(*, ctx: AccessContext, appointment_id: int, replan: bool = True) -> Appointment:
    """Cancel a booking of the authority; its proposals open again (for the next planning)."""
    require_permission(ctx, permissions.APPOINTMENTS_MANAGE, "appointment.cancel")
    with transaction.atomic():
        appointment = appointment_for_write(ctx, appointment_id)
        if appointment.status not in (*INVITABLE, AppointmentStatus.CHECKED_IN):
            raise ValidationError(_("This appointment is closed already."))
        with personal_data_scope():
            appointment.status = AppointmentStatus.CANCELLED
            appointment.closed_at = timezone.now()
            # The link stays verifiable (the salt is kept), so the person's page can say the
            # appointment was cancelled; the door admits only invited and confirmed ones.
            appointment.save()
            proposals = AppointmentProposal.objects.filter(members__appointment=appointment)
            proposals.update(status=ProposalStatus.OPEN if replan else ProposalStatus.CANCELLED)
            log_events(_events(ctx, "appointment.cancelled", _member_ids(appointment), appointment,
                               basis="residence=own_agency"))
    return appointment


# --- the desk -----------------------------------------------------------------------------

def desk_check_in(*, ctx: AccessContext, appointment_id: int) -> Appointment:
    require_permission(ctx, permissions.APPOINTMENTS_DESK, "appointment.check_in")
    with transaction.atomic():
        appointment = appointment_for_write(ctx, appointment_id)
        if appointment.status not in INVITABLE:
            raise ValidationError(_("Only an open appointment can be checked in."))
        if timezone.localtime(appointment.starts_at).date() != ctx.today:
            raise ValidationError(_("Only today's appointments can be checked in."))
        with personal_data_scope():
            appointment.status = AppointmentStatus.CHECKED_IN
            appointment.checked_in_at = timezone.now()
            appointment.save()
            log_events(_events(ctx, "appointment.checked_in", _member_ids(appointment), appointment,
                               basis="residence=own_agency"))
    return appointment


def desk_no_show(*, ctx: AccessContext, appointment_id: int) -> list[AppointmentProposal]:
    """The person did not come: the appointment closes and every member gets a new proposal
    (reason no_show) due within the rule's period; the next planning books them again."""
    require_permission(ctx, permissions.APPOINTMENTS_DESK, "appointment.no_show")
    with transaction.atomic():
        appointment = appointment_for_write(ctx, appointment_id)
        if appointment.status not in INVITABLE:
            raise ValidationError(_("Only an open appointment can be marked as missed."))
        if timezone.localtime(appointment.starts_at).date() > ctx.today:
            raise ValidationError(_("An appointment in the future cannot be missed yet."))
        try:
            earliest = earliest_date(ctx.today)
            latest, _rule = deadline_from(key=NO_SHOW_RULE, anchor=ctx.today)
        except NoRuleInForce as exc:
            raise ValidationError(_("No rule for a new invitation is in force.")) from exc
        with personal_data_scope():
            appointment.status = AppointmentStatus.NO_SHOW
            appointment.closed_at = timezone.now()
            appointment.save()
            old = list(AppointmentProposal.objects.filter(members__appointment=appointment).distinct())
            AppointmentProposal.objects.filter(pk__in=[p.pk for p in old]).update(status=ProposalStatus.DONE)
            new = AppointmentProposal.objects.bulk_create([AppointmentProposal(
                person_id=p.person_id, owning_agency_id=p.owning_agency_id, residence_status_id=p.residence_status_id,
                reason=ProposalReason.NO_SHOW, service=p.service, earliest_on=earliest,
                latest_on=max(latest, earliest), expires_on=p.expires_on, interpreter_language=p.interpreter_language,
            ) for p in old])
            log_events(_events(ctx, "appointment.no_show", _member_ids(appointment), appointment,
                               basis="residence=own_agency"))
    return new


def desk_outcome(*, ctx: AccessContext, member_id: int, outcome: str) -> AppointmentMember:
    """Record what came of one member's appointment; the appointment completes when every
    member has an outcome. An application taken marks the residence status as pending."""
    if outcome not in Outcome.values:
        raise ValidationError(_("Unknown outcome."))
    with personal_data_scope():
        appointment_id = AppointmentMember.objects.filter(pk=member_id).values_list("appointment_id", flat=True).first()
    if appointment_id is None:
        raise AppointmentNotFound(member_id)
    require_permission(ctx, permissions.APPOINTMENTS_DESK, "appointment.outcome")
    with transaction.atomic():
        appointment = appointment_for_write(ctx, appointment_id)
        if appointment.status not in (AppointmentStatus.CHECKED_IN, AppointmentStatus.COMPLETED):
            raise ValidationError(_("Check the person in before recording an outcome."))
        with personal_data_scope():
            member = AppointmentMember.objects.select_related("proposal").get(pk=member_id)
            member.outcome = outcome
            member.save(update_fields=["outcome"])
            if outcome in APPLICATION_OUTCOMES:
                ResidenceStatus.objects.filter(
                    pk=member.proposal.residence_status_id, owning_agency_id=ctx.agency_id,
                    application_pending_since__isnull=True,
                ).update(application_pending_since=ctx.today)
            AppointmentProposal.objects.filter(pk=member.proposal_id).update(status=ProposalStatus.DONE)
            if not AppointmentMember.objects.filter(appointment=appointment, outcome="").exists():
                appointment.status = AppointmentStatus.COMPLETED
                appointment.closed_at = timezone.now()
                appointment.save()
            log_events(_events(ctx, "appointment.outcome", [member.person_id], appointment,
                               basis=f"residence=own_agency;outcome={outcome}"))
    return member


# --- the person, through the personal link -----------------------------------------------

def public_confirm(appointment: Appointment) -> Appointment:
    """The person confirms (the caller found the appointment through a valid link)."""
    with transaction.atomic(), personal_data_scope():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.status not in OPEN_FOR_PERSON:
            raise ValidationError(_("This appointment can no longer be changed."), code="not_changeable")
        if appointment.status == AppointmentStatus.INVITED:
            appointment.status = AppointmentStatus.CONFIRMED
            appointment.confirmed_at = timezone.now()
            appointment.save()
            log_events(_events(None, "appointment.confirmed", _member_ids(appointment), appointment,
                               basis="personal_link"))
    return appointment


def public_rebook(appointment: Appointment, choice) -> Appointment:
    """Move the appointment to `choice`, an alternative the server computed itself (the
    caller re-computes them on every request and never trusts times sent by the browser)."""
    with transaction.atomic(), personal_data_scope():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.status not in OPEN_FOR_PERSON:
            raise ValidationError(_("This appointment can no longer be changed."), code="not_changeable")
        if appointment.rebooked_count >= MAX_REBOOKINGS:
            raise ValidationError(_("This appointment was moved too often. Please call the office."),
                                  code="too_many_moves")
        # every office of the authority: the interpreter may be booked at another one
        offices = [o.pk for o in offices_of(appointment.owning_agency)]
        taken = busy_between(offices, choice.day, choice.day, exclude_appointment=appointment.pk)
        if collides(choice, taken):
            raise ValidationError(_("This time has just been taken. Please choose another one."), code="taken")
        appointment.office_id = choice.office_id
        appointment.counter = choice.counter
        appointment.starts_at = choice.starts
        appointment.ends_at = choice.ends
        appointment.interpreter_id = choice.interpreter_id
        appointment.travel_minutes = choice.travel_minutes
        appointment.status = AppointmentStatus.CONFIRMED
        appointment.confirmed_at = timezone.now()
        appointment.rebooked_count += 1
        appointment.token_expires_on = choice.day
        appointment.save()
        members = {m.proposal_id: m for m in AppointmentMember.objects.filter(appointment=appointment)}
        for slot in choice.members:
            member = members[slot.key]
            member.starts_at, member.ends_at = slot.starts, slot.ends
            member.save(update_fields=["starts_at", "ends_at"])
        log_events(_events(None, "appointment.rebooked", _member_ids(appointment), appointment,
                           basis="personal_link"))
    return appointment


def on_person_merged(sender, *, ctx: AccessContext, keep_id: int, merge_id: int, **kwargs) -> None:
    """Proposals and bookings of a merged-away record move to the kept one (inside the
    merge's transaction, which is logged by the registry)."""
    with personal_data_scope():
        AppointmentProposal.objects.filter(person_id=merge_id).update(person_id=keep_id)
        AppointmentMember.objects.filter(person_id=merge_id).update(person_id=keep_id)


def on_residence_status_recorded(sender, *, ctx: AccessContext, status: ResidenceStatus, bulk: bool = False,
                                 **kwargs) -> None:
    """A recorded title that makes a person newly entitled to a first eAT, or that expires
    soon, gets its invitation proposal at once (the daily scan would find it tomorrow). A
    bulk import runs the scan once at its end instead."""
    if bulk or ctx.agency_kind != AgencyKind.FOREIGNERS_AUTHORITY:
        return
    proposal_for_status(ctx, status)
