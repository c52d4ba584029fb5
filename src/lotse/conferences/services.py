"""Writes of case conferences (Fallkonferenz) in two phases. Phase 1 (the case) belongs to
the agency owning the case: it plans the conference, records decisions and closes phase 1.
Phase 2 (systemic needs) is open to every participating agency: gap reports, which carry no
personal data and no link to the conference; the conference only counts them.

Each write checks the spine first (`case_for_write`, outside the transaction, so refusals
stay logged), writes atomically, logs itself and keeps the case's attention date current.
Part of the spine perimeter (see core/tests/test_spine_guard.py)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.access.spine import log_action
from lotse.cases.models import Case
from lotse.cases.services import case_for_write, refresh_attention
from lotse.conferences.models import CaseConference, ConferenceDecision, ConferenceStatus
from lotse.conferences.selectors import ConferenceNotFound, participant_conference
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import DataCategory, Purpose
from lotse.gaps.models import GapReport, GapSource
from lotse.gaps.screening import screen_fields
from lotse.gaps.services import check_may_report, gap_report_create
from lotse.organisations import permissions
from lotse.organisations.models import Agency, StaffUser
from lotse.plans.models import PlanStep

TOPIC_MAX_LENGTH = 300
NOTE_MAX_LENGTH = 500


def _log(ctx: AccessContext, action: str, case: Case, conference_id: int) -> None:
    log_action(ctx, action, person_id=case.person_id, categories=[DataCategory.COUNSELLING_NOTES],
               purpose=ctx.work_purpose(Purpose.CASE_MANAGEMENT), basis="own_agency",
               object_ref=f"conference:{conference_id}")


def _conference_row(ctx: AccessContext, conference_id: int) -> CaseConference:
    with personal_data_scope():
        conference = CaseConference.objects.filter(pk=conference_id,
                                                   case__district_id=ctx.district_id).first()
    if conference is None:
        raise ConferenceNotFound(conference_id)
    return conference


def _conference_for_write(ctx: AccessContext, conference_id: int, action: str) -> tuple[CaseConference, Case]:
    conference = _conference_row(ctx, conference_id)
    case = case_for_write(ctx, conference.case_id, action, permission=permissions.CONFERENCE_MANAGE)
    return conference, case


def _require_status(conference: CaseConference, status: str, message: str) -> None:
    if conference.status != status:
        raise ValidationError(message)


def conference_create(*, ctx: AccessContext, case_id: int, held_on: datetime.date | None, topic: str,
                      participant_agency_ids: list[int], participants_note: str = "") -> CaseConference:
    """Plan a conference on a case of the own agency. The participants are agencies of the
    district; the owning agency always takes part. The topic is seen by every participant,
    also those without access to the case data, so it is screened for personal data."""
    case = case_for_write(ctx, case_id, "conference.create", permission=permissions.CONFERENCE_MANAGE)
    topic, participants_note = (topic or "").strip(), (participants_note or "").strip()
    errors: dict[str, str] = {}
    if held_on is None:
        errors["held_on"] = _("Enter the date of the conference.")
    if not topic:
        errors["topic"] = _("Name the topic of the conference.")
    elif len(topic) > TOPIC_MAX_LENGTH:
        errors["topic"] = _("The topic is too long (at most %(n)s characters).") % {"n": TOPIC_MAX_LENGTH}
    if len(participants_note) > NOTE_MAX_LENGTH:
        errors["participants_note"] = _("The note is too long (at most %(n)s characters).") % {
            "n": NOTE_MAX_LENGTH}
    wanted = set(participant_agency_ids or []) | {case.owning_agency_id}
    agencies = list(Agency.objects.filter(pk__in=wanted, district_id=ctx.district_id, is_active=True))
    if len(agencies) != len(wanted):
        errors["participant_agencies"] = _("Choose active agencies of your district.")
    if errors:
        raise ValidationError(errors)
    screen_fields({"topic": topic}, district_id=ctx.district_id, ctx=ctx)
    with transaction.atomic(), personal_data_scope():
        conference = CaseConference.objects.create(
            case=case, held_on=held_on, topic=topic, organiser_id=ctx.user_id,
            participants_note=participants_note,
        )
        conference.participant_agencies.set(agencies)
        refresh_attention(case.pk)
        _log(ctx, "conference.created", case, conference.pk)
    return conference


def decision_add(*, ctx: AccessContext, conference_id: int, text: str, assignee_id: int | None = None,
                 assignee_agency_id: int | None = None, due_on: datetime.date | None = None,
                 plan_step_id: int | None = None) -> ConferenceDecision:
    """Record a decision or action of phase 1: who (a colleague of the owning agency, or a
    participating agency), by when, and the plan step it serves (of this case's plan)."""
    conference, case = _conference_for_write(ctx, conference_id, "conference.decision_add")
    _require_status(conference, ConferenceStatus.PLANNED,
                    _("Phase 1 of this conference is finished: no more decisions can be added."))
    text = (text or "").strip()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("Describe the decision or action.")
    assignee = None
    if assignee_id is not None:
        assignee = StaffUser.objects.filter(pk=assignee_id, agency_id=case.owning_agency_id,
                                            is_active=True).first()
        if assignee is None:
            errors["assignee"] = _("Choose an active colleague of your agency.")
    if assignee_agency_id is not None:
        with personal_data_scope():
            participating = conference.participant_agencies.filter(pk=assignee_agency_id).exists()
        if not participating:
            errors["assignee_agency"] = _("Choose one of the participating agencies.")
        elif assignee is not None and assignee.agency_id != assignee_agency_id:
            errors["assignee_agency"] = _("The person chosen works for another agency.")
    elif assignee is not None:
        assignee_agency_id = assignee.agency_id
    plan_step = None
    if plan_step_id is not None:
        with personal_data_scope():
            plan_step = PlanStep.objects.filter(pk=plan_step_id, goal__plan__case_id=case.pk).first()
        if plan_step is None:
            errors["plan_step"] = _("Choose a step of this case's integration plan.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), personal_data_scope():
        decision = ConferenceDecision.objects.create(
            conference=conference, text=text, assignee=assignee, assignee_agency_id=assignee_agency_id,
            due_on=due_on, plan_step=plan_step,
        )
        refresh_attention(case.pk)
        _log(ctx, "conference.decision_added", case, conference.pk)
    return decision


def decision_done(*, ctx: AccessContext, decision_id: int) -> ConferenceDecision:
    with personal_data_scope():
        decision = ConferenceDecision.objects.filter(
            pk=decision_id, conference__case__district_id=ctx.district_id).first()
    if decision is None:
        raise ConferenceNotFound(decision_id)
    # An agency not taking part learns nothing, not even that the decision exists (404, logged).
    participant_conference(ctx, decision.conference_id)
    conference, case = _conference_for_write(ctx, decision.conference_id, "conference.decision_done")
    if decision.done_on is not None:
        raise ValidationError(_("This decision is already marked as done."))
    with transaction.atomic(), personal_data_scope():
        decision.done_on = ctx.today
        decision.save(update_fields=["done_on"])
        refresh_attention(case.pk)
        _log(ctx, "conference.decision_done", case, conference.pk)
    return decision


def conference_finish_case_phase(*, ctx: AccessContext, conference_id: int) -> CaseConference:
    """Phase 1 (the case) is done; phase 2 (needs and gaps) begins."""
    conference, case = _conference_for_write(ctx, conference_id, "conference.case_phase_done")
    _require_status(conference, ConferenceStatus.PLANNED, _("Phase 1 of this conference is already finished."))
    with transaction.atomic(), personal_data_scope():
        conference.status = ConferenceStatus.CASE_PHASE_DONE
        conference.save(update_fields=["status"])
        refresh_attention(case.pk)
        _log(ctx, "conference.case_phase_done", case, conference.pk)
    return conference


def conference_close(*, ctx: AccessContext, conference_id: int) -> CaseConference:
    """Close the conference after phase 2. Open decisions stay open on the case."""
    conference, case = _conference_for_write(ctx, conference_id, "conference.close")
    _require_status(conference, ConferenceStatus.CASE_PHASE_DONE,
                    _("Only a conference whose phase 1 is finished can be closed."))
    with transaction.atomic(), personal_data_scope():
        conference.status = ConferenceStatus.CLOSED
        conference.save(update_fields=["status"])
        refresh_attention(case.pk)
        _log(ctx, "conference.closed", case, conference.pk)
    return conference


def conference_gap_report_add(*, ctx: AccessContext, conference_id: int, municipality_id: int | None,
                              life_area: str, kind: str, title: str, description: str,
                              office_ids: list[int]) -> GapReport:
    """Phase 2: a participant writes a gap report from the conference. The report stores no
    link to the conference or the case; the conference only counts the reports written."""
    conference = participant_conference(ctx, conference_id)
    check_may_report(ctx)
    _require_status(conference, ConferenceStatus.CASE_PHASE_DONE,
                    _("Gap reports are written in phase 2, after phase 1 is finished."))
    with transaction.atomic():
        report = gap_report_create(
            ctx=ctx, municipality_id=municipality_id, life_area=life_area, kind=kind, title=title,
            description=description, office_ids=office_ids, source=GapSource.CONFERENCE,
        )
        with personal_data_scope():
            CaseConference.objects.filter(pk=conference.pk).update(
                gap_reports_written=F("gap_reports_written") + 1)
        # No log row for the counter: a row naming the conference next to the report's day
        # would link the report back to the person. The counter holds no personal content.
    return report
