"""Who needs an appointment (issue 5, point 2): the foreigners' authority's expiry scan.

Runs daily as a background task (appointments.tasks) and when a residence status is recorded.
It reads the authority's OWN residence statuses (it owns them: § 71 AufenthG), so the access
basis is the own agency; every proposal it creates is logged as `appointment.proposed`.
Part of the spine perimeter (see core/tests/test_spine_guard.py).

Dates come from dated rule data (rules.DeadlineRule), never from constants here:

    eat-invitation-horizon   a title expiring within this horizon gets a proposal
    eat-invitation-notice    the earliest appointment: working days after the scan (the letter
                             must arrive first)
    eat-card-production      the latest acceptable appointment before the expiry (the card
                             takes weeks to produce)
    eat-first-issue          a first eAT is due within this period after the title started

A proposal is made once per status and reason (a unique constraint: running the scan twice
creates nothing twice). Nobody gets a second open proposal while one is open or scheduled.
A status with a pending application (a Fiktionsbescheinigung case) needs no invitation.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q

from lotse.access.context import AccessContext
from lotse.access.spine import log_events
from lotse.appointments.models import (
    AppointmentProposal,
    ProposalReason,
    ProposalStatus,
    ServiceKind,
)
from lotse.appointments.slots import interpreter_languages
from lotse.audit.chain import EventData
from lotse.audit.models import Decision
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import DataCategory, Purpose
from lotse.people.models import DocumentKind, Person, ResidenceStatus
from lotse.rules.selectors import NoRuleInForce, deadline_from, deadline_rule

HORIZON_RULE = "eat-invitation-horizon"
NOTICE_RULE = "eat-invitation-notice"
PRODUCTION_RULE = "eat-card-production"
FIRST_ISSUE_RULE = "eat-first-issue"
ACTION = "appointment.proposed"
# What a proposal is made from: the status, and the preferred language and interpreter need.
READ_CATEGORIES = f"{DataCategory.IDENTITY},{DataCategory.RESIDENCE}"
# Documents that are not yet an eAT: a title recorded with one of these needs a first card.
NOT_YET_EAT = (DocumentKind.NONE, DocumentKind.PAPER)
# Titles that expired this long ago without an application are still invited (urgently).
GRACE_DAYS = 30
# The shortest window between the earliest and the latest acceptable date.
MIN_WINDOW_DAYS = 7
OPEN_STATES = (ProposalStatus.OPEN, ProposalStatus.SCHEDULED)


@dataclass
class ScanReport:
    expiry: int = 0
    first_eat: int = 0
    skipped: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def created(self) -> int:
        return self.expiry + self.first_eat


def earliest_date(today: datetime.date) -> datetime.date:
    day, _rule = deadline_from(key=NOTICE_RULE, anchor=today)
    return day


def horizon_end(today: datetime.date) -> datetime.date:
    """The last expiry date inside the invitation horizon of the rule in force today."""
    return deadline_rule(key=HORIZON_RULE, on=today).anchor_for(today)


def expiry_window(expires_on: datetime.date, earliest: datetime.date) -> datetime.date:
    """The latest acceptable date for a renewal: before card production must start; when that
    has passed, the day before the expiry (the application then keeps the title in force,
    § 81 Abs. 4 AufenthG); never shorter than MIN_WINDOW_DAYS after the earliest date."""
    production, _rule = deadline_from(key=PRODUCTION_RULE, anchor=expires_on)
    floor = earliest + datetime.timedelta(days=MIN_WINDOW_DAYS)
    for candidate in (production, expires_on - datetime.timedelta(days=1)):
        if candidate >= floor:
            return candidate
    return floor


def first_issue_window(title_from: datetime.date, earliest: datetime.date) -> datetime.date:
    due, _rule = deadline_from(key=FIRST_ISSUE_RULE, anchor=title_from)
    return max(due, earliest + datetime.timedelta(days=MIN_WINDOW_DAYS))


def _current(statuses):
    """Only a person's newest status counts (a newer one replaces it)."""
    newer = ResidenceStatus.objects.filter(person_id=OuterRef("person_id"), valid_from__gt=OuterRef("valid_from"))
    busy = AppointmentProposal.objects.filter(person_id=OuterRef("person_id"), status__in=OPEN_STATES)
    return statuses.filter(~Exists(newer), ~Exists(busy), person__merged_into__isnull=True)


def _candidates(agency_id: int, today: datetime.date, status_id: int | None = None) -> list[tuple]:
    """(reason, status id, person id, valid_from, valid_to) rows due for a proposal; call
    inside the scope."""
    base = ResidenceStatus.objects.filter(owning_agency_id=agency_id, kind__is_title=True,
                                          application_pending_since__isnull=True)
    if status_id is not None:
        base = base.filter(pk=status_id)
    last_expiry = horizon_end(today)
    queries = {
        ProposalReason.EXPIRY: base.filter(
            valid_to__gte=today - datetime.timedelta(days=GRACE_DAYS), valid_to__lte=last_expiry,
        ).exclude(document=DocumentKind.FIKTION),
        ProposalReason.FIRST_EAT: base.filter(document__in=NOT_YET_EAT, valid_from__lte=today).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=last_expiry)),
    }
    rows = []
    for reason, query in queries.items():
        already = AppointmentProposal.objects.filter(residence_status_id=OuterRef("pk"), reason=reason)
        for values in (_current(query).filter(~Exists(already)).order_by("valid_to", "pk")
                       .values_list("pk", "person_id", "valid_from", "valid_to")):
            rows.append((reason, *values))
    return rows


def _interpreter_need(needed: bool, preferred: str, available: set[str]) -> str:
    """An interpreter is booked for a person who needs one, in the preferred language, when the
    district has one for it; for other languages the desk arranges help itself (the letter
    goes out in that language where Lotse has its texts)."""
    return preferred if needed and preferred and preferred != "de" and preferred in available else ""


def proposals_create(ctx: AccessContext, rows: list[tuple], today: datetime.date,
                     report: ScanReport) -> list[AppointmentProposal]:
    """Create proposals for (reason, status id, person id, valid_from, valid_to) rows."""
    if not rows:
        return []
    try:
        earliest = earliest_date(today)
    except NoRuleInForce:
        report.skipped["no_rule_in_force"] += len(rows)
        return []
    languages = interpreter_languages(ctx.district_id)
    with personal_data_scope():
        language = {pk: (needed, preferred) for pk, needed, preferred in Person.objects.filter(
            pk__in={r[2] for r in rows}).values_list("pk", "interpreter_needed", "preferred_language")}
    proposals, seen = [], set()
    for reason, status_id, person_id, valid_from, valid_to in rows:
        if person_id in seen:  # one proposal per person and scan
            report.skipped["second_status_of_person"] += 1
            continue
        try:
            if reason == ProposalReason.EXPIRY:
                latest, service = expiry_window(valid_to, earliest), ServiceKind.RENEWAL
            else:
                latest, service = first_issue_window(valid_from, earliest), ServiceKind.FIRST_APPLICATION
        except NoRuleInForce:
            report.skipped["no_rule_in_force"] += 1
            continue
        seen.add(person_id)
        proposals.append(AppointmentProposal(
            person_id=person_id, owning_agency_id=ctx.agency_id, residence_status_id=status_id,
            reason=reason, service=service, earliest_on=earliest, latest_on=latest,
            expires_on=valid_to if reason == ProposalReason.EXPIRY else None,
            interpreter_language=_interpreter_need(*language.get(person_id, (False, "")), languages),
        ))
    created = []
    with transaction.atomic(), personal_data_scope():
        try:
            with transaction.atomic():
                created = AppointmentProposal.objects.bulk_create(proposals)
        except IntegrityError:  # a concurrent scan: fall back to one by one
            for proposal in proposals:
                try:
                    with transaction.atomic():
                        proposal.save()
                    created.append(proposal)
                except IntegrityError:
                    report.skipped["exists"] += 1
        log_events([EventData(
            action=ACTION, decision=Decision.ALLOWED, actor_id=ctx.user_id, agency_id=ctx.agency_id,
            person_id=p.person_id, categories=READ_CATEGORIES,
            purpose=Purpose.RESIDENCE_ADMINISTRATION, basis=f"residence=own_agency;reason={p.reason}",
            object_ref=f"residence_status:{p.residence_status_id}", request_id=ctx.request_id,
        ) for p in created])
    for p in created:
        if p.reason == ProposalReason.EXPIRY:
            report.expiry += 1
        else:
            report.first_eat += 1
    return created


def expiry_scan(ctx: AccessContext, today: datetime.date | None = None) -> ScanReport:
    """Find the agency's persons who need an appointment and propose one each."""
    today = today or ctx.today
    report = ScanReport()
    try:
        with personal_data_scope():
            rows = _candidates(ctx.agency_id, today)
    except NoRuleInForce:
        report.skipped["no_rule_in_force"] += 1
        return report
    proposals_create(ctx, rows, today, report)
    return report


def proposal_for_status(ctx: AccessContext, status: ResidenceStatus) -> AppointmentProposal | None:
    """A recorded status that makes a person newly entitled to a first eAT, or a title that
    expires soon, gets its proposal at once (the same tests as the daily scan)."""
    if status.owning_agency_id != ctx.agency_id:
        return None
    try:
        with personal_data_scope():
            rows = _candidates(ctx.agency_id, ctx.today, status_id=status.pk)
    except NoRuleInForce:
        return None
    created = proposals_create(ctx, rows, ctx.today, ScanReport())
    return created[0] if created else None
