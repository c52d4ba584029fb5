"""Reads of the eAT appointments: the permit register, proposals, appointments, the desk, the
letter, and the person's own page behind the personal link. Every person shown is decided and
logged by the access spine first (purpose residence administration); only what the decisions
allow is returned. Part of the spine perimeter (see core/tests/test_spine_guard.py)."""

import datetime
import hashlib
import hmac
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from lotse.access.context import AccessContext
from lotse.access.spine import (
    PersonRecord,
    access_people,
    log_events,
)
from lotse.appointments import links
from lotse.appointments.letter import InvitationLetter, LetterMember, LetterOffice
from lotse.appointments.models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentMember,
    AppointmentProposal,
    AppointmentStatus,
    Office,
    ProposalStatus,
    PublicLinkAttempt,
)
from lotse.appointments.slots import offices_of
from lotse.audit.chain import EventData
from lotse.audit.models import Decision
from lotse.core.paging import Page
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import DataCategory, Purpose
from lotse.organisations import permissions
from lotse.organisations.models import Agency, AgencyKind
from lotse.people.models import PersonAgencyLink, ResidenceStatus

PURPOSE = Purpose.RESIDENCE_ADMINISTRATION
PAGE_SIZE = 25
NAME_CATEGORIES = (DataCategory.IDENTITY, DataCategory.RESIDENCE)
LETTER_CATEGORIES = (DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.RESIDENCE)
# The public page: failed uses per client and hour, and requests per client and 10 minutes.
PUBLIC_FAILURE_LIMIT = 10
PUBLIC_REQUEST_LIMIT = 60
# Appointments whose personal link opens the page (and whose letter can be printed).
LINK_STATUSES = (AppointmentStatus.INVITED, AppointmentStatus.CONFIRMED)


class AppointmentNotVisible(LookupError):
    """No such appointment or proposal, or not the user's agency's."""


def appointments_available(ctx: AccessContext) -> bool:
    """Users of a foreigners' authority who read residence data for its administration."""
    return (ctx.agency_id is not None and ctx.agency_kind == AgencyKind.FOREIGNERS_AUTHORITY
            and PURPOSE in ctx.purposes and DataCategory.RESIDENCE in ctx.categories
            and (ctx.has_permission(permissions.APPOINTMENTS_MANAGE)
                 or ctx.has_permission(permissions.APPOINTMENTS_DESK)))


def _records(ctx: AccessContext, person_ids, action: str, object_ref: str = "",
             categories=NAME_CATEGORIES) -> dict[int, PersonRecord]:
    ids = list(dict.fromkeys(person_ids))
    return {r.person.pk: r for r in access_people(ctx, ids, PURPOSE, categories=categories, action=action,
                                                  object_ref=object_ref, with_history=False)}


def _page(query, page, per_page=PAGE_SIZE):
    paginator = Paginator(query, per_page)
    page_obj = paginator.get_page(page)
    return list(page_obj.object_list), page_obj.number, paginator.num_pages, paginator.count


# --- the permit register ------------------------------------------------------------------

class RegisterFilter:
    ALL = "all"
    EXPIRING = "expiring"  # within `weeks`
    EXPIRED = "expired"  # expired, no application pending
    PENDING = "pending"  # application pending (Fiktionsbescheinigung)
    CHOICES = (ALL, EXPIRING, EXPIRED, PENDING)


@dataclass(frozen=True)
class RegisterRow:
    person_id: int
    name: str
    birth_display: str
    file_number: str
    kind_name: str
    legal_basis: str
    document_label: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    pending_since: datetime.date | None
    proposal_status: str  # "" | "open" | "scheduled"
    next_appointment: datetime.datetime | None

    def expires_within(self, today: datetime.date, days: int) -> bool:
        return self.valid_to is not None and today <= self.valid_to <= today + datetime.timedelta(days=days)


def _current_statuses(agency_id: int):
    newer = ResidenceStatus.objects.filter(person_id=OuterRef("person_id"), valid_from__gt=OuterRef("valid_from"))
    return ResidenceStatus.objects.filter(owning_agency_id=agency_id, person__merged_into__isnull=True).filter(
        ~Exists(newer))


def permit_register_page(ctx: AccessContext, *, show: str = RegisterFilter.EXPIRING, weeks: int = 12,
                         page: int | str = 1) -> Page[RegisterRow]:
    """The authority's current residence statuses (one per person), soonest expiry first."""
    if not appointments_available(ctx):
        return Page([], 1, 1, 0)
    today = ctx.today
    with personal_data_scope():
        query = _current_statuses(ctx.agency_id)
        if show == RegisterFilter.EXPIRING:
            query = query.filter(valid_to__gte=today, valid_to__lte=today + datetime.timedelta(weeks=weeks))
        elif show == RegisterFilter.EXPIRED:
            query = query.filter(valid_to__lt=today, application_pending_since__isnull=True)
        elif show == RegisterFilter.PENDING:
            query = query.filter(application_pending_since__isnull=False)
        ids, number, num_pages, total = _page(
            # titles without an end last (SQLite would sort NULL first)
            query.order_by(F("valid_to").asc(nulls_last=True), "pk").values_list("pk", flat=True), page)
        statuses = {s.pk: s for s in ResidenceStatus.objects.filter(pk__in=ids).select_related("kind")}
        person_ids = [statuses[i].person_id for i in ids]
        files = dict(PersonAgencyLink.objects.filter(person_id__in=person_ids, agency_id=ctx.agency_id)
                     .values_list("person_id", "file_number"))
        proposals = dict(AppointmentProposal.objects.filter(
            person_id__in=person_ids, owning_agency_id=ctx.agency_id,
            status__in=(ProposalStatus.OPEN, ProposalStatus.SCHEDULED)).values_list("person_id", "status"))
    records = _records(ctx, person_ids, "permit_register.list")
    upcoming = next_appointments(list(records))
    rows = []
    for status_id in ids:
        status = statuses[status_id]
        record = records.get(status.person_id)
        decision = record.decisions.get(DataCategory.RESIDENCE) if record else None
        if record is None or decision is None or not decision.allows_source(status.owning_agency_id):
            continue
        person = record.person
        nxt = upcoming.get(status.person_id)
        if nxt is not None and not decision.allows_source(nxt.owning_agency_id):
            nxt = None  # an appointment of an agency whose residence data the user may not read
        rows.append(RegisterRow(
            person_id=person.pk, name=str(person), birth_display=person.birth_display,
            file_number=files.get(person.pk, ""), kind_name=status.kind.name, legal_basis=status.kind.legal_basis,
            document_label=status.get_document_display(), valid_from=status.valid_from, valid_to=status.valid_to,
            pending_since=status.application_pending_since, proposal_status=proposals.get(person.pk, ""),
            next_appointment=nxt.starts_at if nxt else None,
        ))
    return Page(rows, number, num_pages, total)


# --- proposals ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ProposalRow:
    proposal: AppointmentProposal
    name: str

    @property
    def late(self) -> bool:
        """The window has shrunk to the minimum: the card will hardly be ready before expiry."""
        return bool(self.proposal.expires_on and self.proposal.latest_on >= self.proposal.expires_on
                    - datetime.timedelta(days=1))


def proposal_page(ctx: AccessContext, *, status: str = ProposalStatus.OPEN, page: int | str = 1) -> Page[ProposalRow]:
    if not appointments_available(ctx):
        return Page([], 1, 1, 0)
    with personal_data_scope():
        query = AppointmentProposal.objects.filter(owning_agency_id=ctx.agency_id, status=status)
        ids, number, num_pages, total = _page(query.order_by("latest_on", "pk").values_list("pk", flat=True), page)
        proposals = AppointmentProposal.objects.in_bulk(ids)
    records = _records(ctx, [proposals[i].person_id for i in ids], "appointment.proposal_list")
    rows = [ProposalRow(proposals[i], str(records[proposals[i].person_id].person))
            for i in ids if proposals[i].person_id in records]
    return Page(rows, number, num_pages, total)


def proposal_counts(ctx: AccessContext) -> dict[str, int]:
    """Open proposals and planned, unsent, unprinted appointments: numbers only."""
    if not appointments_available(ctx):
        return {}
    with personal_data_scope():
        return {
            "open": AppointmentProposal.objects.filter(owning_agency_id=ctx.agency_id,
                                                       status=ProposalStatus.OPEN).count(),
            "unassigned": AppointmentProposal.objects.filter(owning_agency_id=ctx.agency_id,
                                                             status=ProposalStatus.OPEN)
            .exclude(unassigned_reason="").count(),
            "planned": Appointment.objects.filter(owning_agency_id=ctx.agency_id,
                                                  status=AppointmentStatus.PLANNED).count(),
            "to_print": _to_print(ctx).count(),
        }


# --- appointments -------------------------------------------------------------------------

@dataclass(frozen=True)
class MemberRow:
    member: AppointmentMember
    name: str
    birth_display: str


@dataclass(frozen=True)
class AppointmentRow:
    appointment: Appointment
    members: tuple[MemberRow, ...]
    hidden_members: int

    @property
    def names(self) -> str:
        return ", ".join(m.name for m in self.members)


def _to_print(ctx: AccessContext):
    return Appointment.objects.filter(owning_agency_id=ctx.agency_id, status__in=(
        AppointmentStatus.INVITED, AppointmentStatus.CONFIRMED), invited_by_email=False,
        letter_printed_at__isnull=True)


def _rows(ctx: AccessContext, appointments: list[Appointment], action: str) -> list[AppointmentRow]:
    with personal_data_scope():
        members: dict[int, list[AppointmentMember]] = defaultdict(list)
        for member in AppointmentMember.objects.filter(appointment__in=appointments).order_by("starts_at", "pk"):
            members[member.appointment_id].append(member)
    records = _records(ctx, [m.person_id for ms in members.values() for m in ms], action)
    rows = []
    for appointment in appointments:
        shown = tuple(MemberRow(m, str(records[m.person_id].person), records[m.person_id].person.birth_display)
                      for m in members[appointment.pk] if m.person_id in records)
        rows.append(AppointmentRow(appointment, shown, len(members[appointment.pk]) - len(shown)))
    return rows


class AppointmentView:
    PLANNED = "planned"
    TO_PRINT = "to_print"
    UPCOMING = "upcoming"
    CHOICES = (PLANNED, TO_PRINT, UPCOMING)


def appointment_page(ctx: AccessContext, *, view: str = AppointmentView.UPCOMING,
                     page: int | str = 1) -> Page[AppointmentRow]:
    if not appointments_available(ctx):
        return Page([], 1, 1, 0)
    with personal_data_scope():
        if view == AppointmentView.PLANNED:
            query = Appointment.objects.filter(owning_agency_id=ctx.agency_id, status=AppointmentStatus.PLANNED)
        elif view == AppointmentView.TO_PRINT:
            query = _to_print(ctx)
        else:
            query = Appointment.objects.filter(owning_agency_id=ctx.agency_id, status__in=ACTIVE_STATUSES,
                                               starts_at__gte=timezone.now() - datetime.timedelta(hours=12))
        ids, number, num_pages, total = _page(query.order_by("starts_at", "pk").values_list("pk", flat=True), page)
        by_id = Appointment.objects.select_related("office", "interpreter").in_bulk(ids)
    return Page(_rows(ctx, [by_id[i] for i in ids], "appointment.list"), number, num_pages, total)


def planned_appointment_ids(ctx: AccessContext, *, status: str) -> list[int]:
    """Ids only (no person): the daily run invites what the assignment planned."""
    if not appointments_available(ctx):
        return []
    with personal_data_scope():
        return list(Appointment.objects.filter(owning_agency_id=ctx.agency_id, status=status)
                    .order_by("starts_at", "pk").values_list("pk", flat=True))


def already_emailed(appointment_id: int) -> bool:
    with personal_data_scope():
        return Appointment.objects.filter(pk=appointment_id, emailed_at__isnull=False).exists()


def owning_agency_of(appointment_id: int) -> Agency | None:
    with personal_data_scope():
        agency_id = Appointment.objects.filter(pk=appointment_id).values_list("owning_agency_id", flat=True).first()
    return Agency.objects.filter(pk=agency_id).first() if agency_id else None


def email_of_head(ctx: AccessContext, appointment_id: int) -> str:
    """The applicant's e-mail address, read through the spine (contact category, logged)."""
    row = appointment_detail(ctx, appointment_id)
    head_id = row.members[0].member.person_id
    records = _records(ctx, [head_id], "appointment.email", object_ref=f"appointment:{appointment_id}",
                       categories=(DataCategory.IDENTITY, DataCategory.CONTACT))
    return records[head_id].person.email if head_id in records else ""


def appointment_detail(ctx: AccessContext, appointment_id: int) -> AppointmentRow:
    if not appointments_available(ctx):
        raise AppointmentNotVisible(appointment_id)
    with personal_data_scope():
        appointment = (Appointment.objects.select_related("office", "interpreter", "owning_agency")
                       .filter(pk=appointment_id, owning_agency_id=ctx.agency_id).first())
    if appointment is None:
        raise AppointmentNotVisible(appointment_id)
    row = _rows(ctx, [appointment], "appointment.read")[0]
    if not row.members:
        raise AppointmentNotVisible(appointment_id)
    return row


def staff_link(appointment: Appointment) -> str:
    """The personal link's path, for the authority's own staff (they print and send it); none
    once the appointment is closed (its link then only says so)."""
    if not appointment.token_salt or appointment.status not in LINK_STATUSES:
        return ""
    return f"/termin/{links.make_token(appointment.pk, appointment.token_salt)}/"


# --- the desk -----------------------------------------------------------------------------

@dataclass(frozen=True)
class CounterDay:
    counter: int
    rows: tuple[AppointmentRow, ...]


def desk_day(ctx: AccessContext, *, office_id: int, day: datetime.date) -> list[CounterDay]:
    """One office's appointments of a day, per counter, in time order (cancelled ones left out)."""
    if not (appointments_available(ctx) and ctx.has_permission(permissions.APPOINTMENTS_DESK)):
        return []
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())
    with personal_data_scope():
        appointments = list(Appointment.objects.select_related("office", "interpreter").filter(
            office_id=office_id, owning_agency_id=ctx.agency_id, starts_at__gte=start,
            starts_at__lt=start + datetime.timedelta(days=1),
        ).exclude(status=AppointmentStatus.CANCELLED).order_by("counter", "starts_at"))
    rows = _rows(ctx, appointments, "appointment.desk")
    by_counter: dict[int, list[AppointmentRow]] = defaultdict(list)
    for row in rows:
        by_counter[row.appointment.counter].append(row)
    return [CounterDay(counter, tuple(by_counter[counter])) for counter in sorted(by_counter)]


def offices_for(ctx: AccessContext) -> list[Office]:
    """The offices of the user's authority and its branches."""
    if ctx.agency_id is None:
        return []
    return offices_of(Agency.objects.get(pk=ctx.agency_id))


# --- the letter ---------------------------------------------------------------------------

def _letter_office(office) -> LetterOffice:
    return LetterOffice(office.name, office.street, office.postal_code, office.city, office.phone, office.email)


def _letter(appointment: Appointment, members: list[AppointmentMember], *, base_url: str, language: str,
            recipient_name: str = "", address_lines: tuple[str, ...] = (), file_number: str = "",
            names: dict[int, str] | None = None, with_expiry: bool = True) -> InvitationLetter:
    """The letter's data from the appointment and its members (in time order); personal
    details only as the caller passes them (decided through the spine by the caller)."""
    agency = appointment.owning_agency
    head = members[0].proposal
    return InvitationLetter(
        appointment_ref=appointment.ref, language=language, recipient_name=recipient_name,
        address_lines=address_lines,
        sender=LetterOffice(agency.name, agency.street, agency.postal_code, agency.city, agency.phone, agency.email),
        office=_letter_office(appointment.office), file_number=file_number,
        starts_at=appointment.starts_at, ends_at=appointment.ends_at,
        members=tuple(LetterMember((names or {}).get(m.person_id, ""), m.starts_at, m.service) for m in members),
        reason=head.reason, expires_on=head.expires_on if with_expiry else None,
        interpreter_language=appointment.interpreter_language or None,
        link=base_url.rstrip("/") + f"/termin/{links.make_token(appointment.pk, appointment.token_salt)}/",
        link_valid_until=appointment.token_expires_on or timezone.localtime(appointment.starts_at).date(),
        letter_date=timezone.localdate(),
    )


def public_calendar_letter(appointment: Appointment, *, base_url: str) -> InvitationLetter:
    """The appointment as the public page may give it out (for the calendar file): times,
    services, office and link, no names and no address."""
    with personal_data_scope():
        members = list(AppointmentMember.objects.filter(appointment=appointment).select_related("proposal")
                       .order_by("starts_at", "pk"))
    return _letter(appointment, members, base_url=base_url, language=appointment.language, with_expiry=False)


class LetterNotReady(LookupError):
    """The appointment has no personal link yet (not invited), or is closed."""


def letter_for(ctx: AccessContext, appointment_id: int, *, base_url: str) -> InvitationLetter:
    """The invitation letter of an invited appointment, for the authority's staff: the
    members' names and the applicant's address are read through the spine (logged)."""
    row = appointment_detail(ctx, appointment_id)
    appointment = row.appointment
    if not appointment.token_salt or appointment.status not in LINK_STATUSES:
        raise LetterNotReady(appointment_id)
    head_id = row.members[0].member.person_id
    records = _records(ctx, [head_id], "appointment.letter", object_ref=f"appointment:{appointment.pk}",
                       categories=LETTER_CATEGORIES)
    if head_id not in records:
        raise AppointmentNotVisible(appointment_id)
    person = records[head_id].person
    with personal_data_scope():
        members = list(AppointmentMember.objects.filter(appointment=appointment).select_related("proposal")
                       .order_by("starts_at", "pk"))
        file_number = PersonAgencyLink.objects.filter(person_id=head_id, agency_id=appointment.owning_agency_id) \
            .values_list("file_number", flat=True).first() or ""
    return _letter(appointment, members, base_url=base_url,
                   language=appointment.language or person.preferred_language, recipient_name=str(person),
                   address_lines=tuple(line for line in (person.street, f"{person.postal_code} {person.city}".strip())
                                       if line),
                   file_number=file_number, names={m.member.person_id: m.name for m in row.members})


def letters_to_print(ctx: AccessContext, *, base_url: str, limit: int = 200) -> list[InvitationLetter]:
    with personal_data_scope():
        ids = list(_to_print(ctx).order_by("starts_at", "pk").values_list("pk", flat=True)[:limit])
    letters = []
    for appointment_id in ids:
        try:
            letters.append(letter_for(ctx, appointment_id, base_url=base_url))
        except (AppointmentNotVisible, LetterNotReady):
            # e.g. the applicant was merged into another record since: left out, not the whole run
            continue
    return letters


# --- next appointments (other domains: the social office's view, the handover) ------------

@dataclass(frozen=True)
class NextAppointment:
    person_id: int
    owning_agency_id: int
    starts_at: datetime.datetime
    office_name: str


def next_appointments(person_ids: list[int], *, now: datetime.datetime | None = None) -> dict[int, NextAppointment]:
    """The next active appointment of each person at a foreigners' authority. The caller shows
    it only when its decision on the residence category allows the owning agency."""
    if not person_ids:
        return {}
    now = now or timezone.now()
    found: dict[int, NextAppointment] = {}
    with personal_data_scope():
        for person_id, agency_id, starts_at, office_name in AppointmentMember.objects.filter(
                person_id__in=person_ids, appointment__status__in=ACTIVE_STATUSES, starts_at__gte=now,
        ).order_by("starts_at").values_list("person_id", "appointment__owning_agency_id", "starts_at",
                                            "appointment__office__name"):
            found.setdefault(person_id, NextAppointment(person_id, agency_id, starts_at, office_name))
    return found


# --- the person's own page (no login) -----------------------------------------------------

class LinkInvalid(LookupError):
    """Unknown, revoked or malformed link: all look the same to the visitor."""


class LinkExpired(LookupError):
    """The link was valid, but its date has passed or the appointment is closed."""

    def __init__(self, appointment: Appointment | None = None):
        super().__init__()
        self.appointment = appointment


class TooManyAttempts(PermissionError):
    """The visitor's address made too many requests or failed attempts."""


def client_key(address: str) -> str:
    """A keyed hash of the visitor's address: the rate limit never stores the address."""
    return hmac.new(settings.SECRET_KEY.encode(), f"public-link:{address}".encode(), hashlib.sha256).hexdigest()


def _record_failure(client: str) -> None:
    PublicLinkAttempt.objects.create(client_hash=client)


def _failed_too_often(client: str, now: datetime.datetime) -> bool:
    return PublicLinkAttempt.objects.filter(client_hash=client, at__gte=now - datetime.timedelta(hours=1)).count() \
        >= PUBLIC_FAILURE_LIMIT


def _request_key(client: str) -> str:
    """The key every request of a client is counted under (derived from the failure key, so
    the two counts never mix; still no address stored)."""
    return hashlib.sha256(f"request:{client}".encode()).hexdigest()


def public_request_allowed(client: str) -> None:
    """Raise TooManyAttempts when the address failed too often in the last hour, or made too
    many requests in the last ten minutes (each page computes other times: a valid link must
    not let one client keep the server busy); else count this request."""
    now = timezone.now()
    PublicLinkAttempt.objects.filter(at__lt=now - datetime.timedelta(days=1)).delete()
    if _failed_too_often(client, now):
        raise TooManyAttempts()
    key = _request_key(client)
    if PublicLinkAttempt.objects.filter(client_hash=key, at__gte=now - datetime.timedelta(minutes=10)).count() \
            >= PUBLIC_REQUEST_LIMIT:
        raise TooManyAttempts()
    PublicLinkAttempt.objects.create(client_hash=key)


def public_appointment(token: str, *, client: str, log: bool = True) -> Appointment:
    """The door of the public page: the appointment behind a valid, unexpired link. Every
    failure is counted against the visitor's address; every view is logged for the members
    (actor empty, basis personal_link)."""
    public_request_allowed(client)
    parsed = links.split_token(token)
    appointment = None
    if parsed:
        with personal_data_scope():
            appointment = (Appointment.objects.select_related("office", "interpreter", "owning_agency")
                           .filter(pk=parsed[0]).first())
    if appointment is None or not links.code_matches(appointment.pk, appointment.token_salt, parsed[1]):
        _record_failure(client)
        raise LinkInvalid(token)
    today = timezone.localdate()
    if appointment.status not in LINK_STATUSES or (
            appointment.token_expires_on is not None and appointment.token_expires_on < today):
        raise LinkExpired(appointment)
    if log:
        with transaction.atomic(), personal_data_scope():
            person_ids = list(AppointmentMember.objects.filter(appointment=appointment)
                              .values_list("person_id", flat=True))
            log_events([EventData(
                action="appointment.public_view", decision=Decision.ALLOWED, agency_id=appointment.owning_agency_id,
                person_id=pid, categories=DataCategory.RESIDENCE, purpose=PURPOSE, basis="personal_link",
                object_ref=f"appointment:{appointment.pk}") for pid in person_ids])
    return appointment


@dataclass(frozen=True)
class PublicMember:
    """What the public page shows of a member: the time and the service, no name."""

    starts_at: datetime.datetime
    service: str


def public_members(appointment: Appointment) -> list[PublicMember]:
    with personal_data_scope():
        return [PublicMember(s, service) for s, service in AppointmentMember.objects.filter(
            appointment=appointment).order_by("starts_at", "pk").values_list("starts_at", "service")]


def public_context(appointment: Appointment) -> dict:
    """Facts for the rebooking: the group's window and members (proposal ids and services)."""
    with personal_data_scope():
        members = list(AppointmentMember.objects.filter(appointment=appointment).select_related("proposal", "person")
                       .order_by("starts_at", "pk"))
    return {
        "latest": min(m.proposal.latest_on for m in members),
        "members": [(m.proposal_id, m.service) for m in members],
        "municipality_id": members[0].person.municipality_id,
        "language": appointment.interpreter_language,
    }

