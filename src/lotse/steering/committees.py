"""Committees of the district: the steering group, its working groups, the integration course
conference and the jour fixe; their meetings with agenda, minutes and decisions; the measures a
decision starts and the district's goals ("Handlungsziele").

Writes are for the coordination (`steering:coordinate`): keyword-only, atomic, logged, free text
screened for personal data (`gaps.screening`), bad input raises a ValidationError and changes
nothing. An owner agency's users with `gap:report` may update the state of work of their own
agency's measures. Reads are for the members of the steering (`steering:view`). Everything is
filtered by the user's district: an id of another district is `NotFound`.

No person is stored here: agencies, staff members of the committees and screened texts only."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Prefetch
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.access.spine import log_action, refuse
from lotse.core.vocabulary import LifeArea
from lotse.gaps.models import GapReport, GapStatus
from lotse.gaps.screening import screen_fields
from lotse.organisations import permissions
from lotse.organisations.models import Agency, StaffUser
from lotse.steering.access import check_may_coordinate, check_may_view, may_coordinate
from lotse.steering.models import (
    AgendaItem,
    Committee,
    CommitteeKind,
    Goal,
    Measure,
    MeasureStatus,
    Meeting,
    MeetingDecision,
    MeetingStatus,
)

TIME_ZONE = ZoneInfo("Europe/Berlin")
# Earliest due first, measures without a due date last (on every database).
MEASURE_ORDER = (F("due_on").asc(nulls_last=True), "id")
NAME_MAX_LENGTH = 200
TITLE_MAX_LENGTH = 300
PLACE_MAX_LENGTH = 300
NOTE_MAX_LENGTH = 500
TEXT_MAX_LENGTH = 5000
MINUTES_MAX_LENGTH = 50000
# Reports that may still go on an agenda (again, e.g. after a cancelled meeting).
AGENDA_OPEN_STATUSES = (GapStatus.NEW, GapStatus.IN_REVIEW, GapStatus.ON_AGENDA)


class NotFound(LookupError):
    """A committee, meeting, agenda item, decision, measure or goal that does not exist in the
    user's district (missing and foreign look alike)."""


def local_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(TIME_ZONE).date()


# --- shared checks ----------------------------------------------------------------------------


def _text(errors: dict, name: str, value: str, maximum: int, required: str | None = None) -> str:
    """Strip `value`; record a German message in `errors` when required and empty or too long."""
    value = (value or "").strip()
    if required and not value:
        errors[name] = required
    elif len(value) > maximum:
        errors[name] = _("The text is too long (at most %(n)s characters).") % {"n": maximum}
    return value


def _screen(ctx: AccessContext, **texts: str) -> None:
    screen_fields({name: text for name, text in texts.items() if text}, district_id=ctx.district_id, ctx=ctx)


def _district_agencies(ctx: AccessContext, ids, errors: dict, name: str) -> list[Agency]:
    ids = sorted(set(ids or []))
    agencies = list(Agency.objects.filter(pk__in=ids, district_id=ctx.district_id))
    if len(agencies) != len(ids):
        errors[name] = _("Choose agencies of your district.")
    return agencies


def _district_agency(ctx: AccessContext, agency_id: int | None, errors: dict, name: str) -> Agency | None:
    agency = Agency.objects.filter(pk=agency_id, district_id=ctx.district_id).first() if agency_id else None
    if agency is None:
        errors[name] = _("Choose an agency of your district.")
    return agency


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _committee(ctx: AccessContext, committee_id: int) -> Committee:
    committee = Committee.objects.filter(pk=committee_id, district_id=ctx.district_id).first()
    if committee is None:
        raise NotFound(committee_id)
    return committee


def _meeting(ctx: AccessContext, meeting_id: int, *, lock: bool = False) -> Meeting:
    meetings = Meeting.objects.select_related("committee")
    if lock:
        meetings = meetings.select_for_update(of=("self",))
    meeting = meetings.filter(pk=meeting_id, committee__district_id=ctx.district_id).first()
    if meeting is None:
        raise NotFound(meeting_id)
    return meeting


def _measure(ctx: AccessContext, measure_id: int, *, lock: bool = False) -> Measure:
    measures = Measure.objects.select_for_update() if lock else Measure.objects.all()
    measure = measures.filter(pk=measure_id, district_id=ctx.district_id).first()
    if measure is None:
        raise NotFound(measure_id)
    return measure


def _goal(ctx: AccessContext, goal_id: int) -> Goal:
    goal = Goal.objects.filter(pk=goal_id, district_id=ctx.district_id).first()
    if goal is None:
        raise NotFound(goal_id)
    return goal


def _invitation_changed(meeting_id: int) -> None:
    """The invitation's description (the agenda) changed: calendars take the new version only
    with a higher SEQUENCE."""
    Meeting.objects.filter(pk=meeting_id).update(sequence=F("sequence") + 1)


def _not_cancelled(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"meeting": _("The meeting was cancelled.")})


# --- committees -------------------------------------------------------------------------------


@dataclass
class _CommitteeValues:
    name: str
    kind: str
    description: str
    agencies: list[Agency]
    members: list[StaffUser]


def _committee_values(ctx: AccessContext, *, name: str, kind: str, description: str,
                      member_agency_ids: Sequence[int], member_user_ids: Sequence[int]) -> _CommitteeValues:
    errors: dict[str, str] = {}
    name = _text(errors, "name", name, NAME_MAX_LENGTH, _("Give the committee a name."))
    description = _text(errors, "description", description, TEXT_MAX_LENGTH)
    if kind not in CommitteeKind.values:
        errors["kind"] = _("Choose the kind of committee.")
    agencies = _district_agencies(ctx, member_agency_ids, errors, "member_agencies")
    user_ids = sorted(set(member_user_ids or []))
    members = list(StaffUser.objects.filter(pk__in=user_ids, agency__district_id=ctx.district_id))
    if len(members) != len(user_ids):
        errors["members"] = _("Choose staff members of your district.")
    _raise(errors)
    _screen(ctx, name=name, description=description)
    return _CommitteeValues(name, kind, description, agencies, members)


def committee_create(*, ctx: AccessContext, name: str, kind: str, description: str = "",
                     member_agency_ids: Sequence[int] = (), member_user_ids: Sequence[int] = ()) -> Committee:
    """A new committee of the user's district with its member agencies and staff members."""
    check_may_coordinate(ctx, "steering.committee.refused")
    values = _committee_values(ctx, name=name, kind=kind, description=description,
                               member_agency_ids=member_agency_ids, member_user_ids=member_user_ids)
    with transaction.atomic():
        committee = Committee(district_id=ctx.district_id, name=values.name, kind=values.kind,
                              description=values.description)
        committee.full_clean()
        committee.save()
        committee.member_agencies.set(values.agencies)
        committee.members.set(values.members)
        log_action(ctx, "steering.committee.create", object_ref=f"committee:{committee.pk}")
    return committee


def committee_update(*, ctx: AccessContext, committee_id: int, name: str, kind: str, description: str = "",
                     member_agency_ids: Sequence[int] = (), member_user_ids: Sequence[int] = (),
                     active: bool = True) -> Committee:
    check_may_coordinate(ctx, "steering.committee.refused")
    committee = _committee(ctx, committee_id)
    values = _committee_values(ctx, name=name, kind=kind, description=description,
                               member_agency_ids=member_agency_ids, member_user_ids=member_user_ids)
    with transaction.atomic():
        committee.name, committee.kind, committee.description = values.name, values.kind, values.description
        committee.active = active
        committee.full_clean()
        committee.save()
        committee.member_agencies.set(values.agencies)
        committee.members.set(values.members)
        log_action(ctx, "steering.committee.update", object_ref=f"committee:{committee.pk}")
    return committee


# --- meetings ---------------------------------------------------------------------------------


def _meeting_values(starts_at: datetime.datetime | None, ends_at: datetime.datetime | None,
                    location: str) -> tuple[datetime.datetime, datetime.datetime, str]:
    errors: dict[str, str] = {}
    location = _text(errors, "location", location, PLACE_MAX_LENGTH, _("Give the place of the meeting."))
    if starts_at is None or starts_at.tzinfo is None:
        errors["starts_at"] = _("Give the start of the meeting.")
    if ends_at is None or ends_at.tzinfo is None:
        errors["ends_at"] = _("Give the end of the meeting.")
    elif starts_at is not None and starts_at.tzinfo is not None and ends_at <= starts_at:
        errors["ends_at"] = _("The meeting must end after it starts.")
    _raise(errors)
    return starts_at, ends_at, location


def meeting_plan(*, ctx: AccessContext, committee_id: int, starts_at: datetime.datetime,
                 ends_at: datetime.datetime, location: str) -> Meeting:
    """Plan a meeting of a committee (times timezone-aware; the end after the start)."""
    check_may_coordinate(ctx, "steering.meeting.refused")
    committee = _committee(ctx, committee_id)
    starts_at, ends_at, location = _meeting_values(starts_at, ends_at, location)
    _screen(ctx, location=location)
    with transaction.atomic():
        meeting = Meeting(committee=committee, starts_at=starts_at, ends_at=ends_at, location=location)
        meeting.full_clean()
        meeting.save()
        log_action(ctx, "steering.meeting.plan", object_ref=f"meeting:{meeting.pk}")
    return meeting


def meeting_update(*, ctx: AccessContext, meeting_id: int, starts_at: datetime.datetime,
                   ends_at: datetime.datetime, location: str) -> Meeting:
    """Move a planned meeting or change its place; the invitation's SEQUENCE counts each change."""
    check_may_coordinate(ctx, "steering.meeting.refused")
    starts_at, ends_at, location = _meeting_values(starts_at, ends_at, location)
    _screen(ctx, location=location)
    with transaction.atomic():
        meeting = _meeting(ctx, meeting_id, lock=True)
        if meeting.status != MeetingStatus.PLANNED:
            raise ValidationError({"meeting": _("Only a planned meeting can be changed.")})
        if (meeting.starts_at, meeting.ends_at, meeting.location) != (starts_at, ends_at, location):
            meeting.starts_at, meeting.ends_at, meeting.location = starts_at, ends_at, location
            meeting.sequence += 1
            meeting.full_clean()
            meeting.save()
            log_action(ctx, "steering.meeting.update", object_ref=f"meeting:{meeting.pk}")
    return meeting


def meeting_set_status(*, ctx: AccessContext, meeting_id: int, status: str) -> Meeting:
    """Mark a planned meeting held or cancelled. A cancellation is a new version of the
    invitation; gap reports waiting on its agenda go back to the coordination's review."""
    check_may_coordinate(ctx, "steering.meeting.refused")
    if status not in (MeetingStatus.HELD, MeetingStatus.CANCELLED):
        raise ValidationError({"status": _("A meeting can be marked held or cancelled.")})
    with transaction.atomic():
        meeting = _meeting(ctx, meeting_id, lock=True)
        if meeting.status != MeetingStatus.PLANNED:
            raise ValidationError({"status": _("Only a planned meeting can be marked held or cancelled.")})
        meeting.status = status
        if status == MeetingStatus.CANCELLED:
            meeting.sequence += 1
            _release_waiting_reports(meeting)
        meeting.save()
        log_action(ctx, f"steering.meeting.{status}", object_ref=f"meeting:{meeting.pk}")
    return meeting


def _release_waiting_reports(meeting: Meeting) -> None:
    """Reports on the agenda of a cancelled meeting and of no other live meeting: back to review."""
    elsewhere = AgendaItem.objects.filter(gap_report_id__isnull=False).exclude(meeting=meeting).exclude(
        meeting__status=MeetingStatus.CANCELLED).values("gap_report_id")
    (GapReport.objects.filter(agenda_items__meeting=meeting, status=GapStatus.ON_AGENDA)
     .exclude(pk__in=elsewhere).update(status=GapStatus.IN_REVIEW))


def meeting_minutes_record(*, ctx: AccessContext, meeting_id: int, minutes: str,
                           present_agency_ids: Sequence[int] = ()) -> Meeting:
    """The minutes (screened free text) and the agencies present."""
    check_may_coordinate(ctx, "steering.minutes.refused")
    meeting = _meeting(ctx, meeting_id)
    errors: dict[str, str] = {}
    minutes = _text(errors, "minutes", minutes, MINUTES_MAX_LENGTH)
    agencies = _district_agencies(ctx, present_agency_ids, errors, "present_agencies")
    _raise(errors)
    _not_cancelled(meeting)
    _screen(ctx, minutes=minutes)
    with transaction.atomic():
        meeting = _meeting(ctx, meeting_id, lock=True)
        _not_cancelled(meeting)  # again under the lock: it may have been cancelled meanwhile
        meeting.minutes = minutes
        meeting.save(update_fields=["minutes"])
        meeting.present_agencies.set(agencies)
        log_action(ctx, "steering.minutes.record", object_ref=f"meeting:{meeting.pk}")
    return meeting


# --- agenda -----------------------------------------------------------------------------------


def agenda_item_add(*, ctx: AccessContext, meeting_id: int, title: str = "", notes: str = "",
                    gap_report_id: int | None = None) -> AgendaItem:
    """Append an item to a meeting's agenda. With a gap report (new, in review or on another
    agenda) the report goes on the agenda: status ON_AGENDA; the title defaults to the report's."""
    check_may_coordinate(ctx, "steering.agenda.refused")
    meeting = _meeting(ctx, meeting_id)
    report = None
    if gap_report_id is not None:
        report = GapReport.objects.filter(pk=gap_report_id, district_id=ctx.district_id).first()
        if report is None:
            raise NotFound(gap_report_id)
    errors: dict[str, str] = {}
    title = _text(errors, "title", title or (report.title if report else ""), TITLE_MAX_LENGTH,
                  _("Give the agenda item a title."))
    notes = _text(errors, "notes", notes, TEXT_MAX_LENGTH)
    _raise(errors)
    _not_cancelled(meeting)
    _screen(ctx, title=title, notes=notes)
    with transaction.atomic():
        _not_cancelled(_meeting(ctx, meeting_id, lock=True))  # serialise the numbering of the items
        if report is not None:
            report = GapReport.objects.select_for_update().get(pk=report.pk)
            if report.status not in AGENDA_OPEN_STATUSES:
                raise ValidationError({"gap_report": _("This gap report is already settled (%(status)s).") % {
                    "status": report.get_status_display()}})
            if AgendaItem.objects.filter(meeting=meeting, gap_report=report).exists():
                raise ValidationError({"gap_report": _("The gap report is already on this meeting's agenda.")})
        last = AgendaItem.objects.filter(meeting=meeting).aggregate(n=Max("position"))["n"] or 0
        item = AgendaItem(meeting=meeting, position=last + 1, title=title, notes=notes, gap_report=report)
        item.full_clean()
        item.save()
        if report is not None:
            report.status = GapStatus.ON_AGENDA
            report.save(update_fields=["status"])
            log_action(ctx, "steering.gap_report.put_on_agenda", object_ref=f"gap_report:{report.pk}")
        log_action(ctx, "steering.agenda.add", object_ref=f"agenda_item:{item.pk}")
        _invitation_changed(meeting.pk)
    return item


def agenda_item_move(*, ctx: AccessContext, item_id: int, up: bool) -> AgendaItem:
    """Swap an agenda item with the one before (up) or after it."""
    check_may_coordinate(ctx, "steering.agenda.refused")
    with transaction.atomic():
        item = AgendaItem.objects.select_related("meeting").filter(
            pk=item_id, meeting__committee__district_id=ctx.district_id).first()
        if item is None:
            raise NotFound(item_id)
        _meeting(ctx, item.meeting_id, lock=True)
        items = list(AgendaItem.objects.filter(meeting_id=item.meeting_id))
        index = next(i for i, other in enumerate(items) if other.pk == item.pk)
        other_index = index - 1 if up else index + 1
        if 0 <= other_index < len(items):
            items[index], items[other_index] = items[other_index], items[index]
            for position, each in enumerate(items, start=1):
                if each.position != position:
                    each.position = position
                    each.save(update_fields=["position"])
            log_action(ctx, "steering.agenda.move", object_ref=f"agenda_item:{item.pk}")
            _invitation_changed(item.meeting_id)
    item.refresh_from_db()
    return item


# --- decisions and measures -------------------------------------------------------------------


def decision_record(*, ctx: AccessContext, meeting_id: int, text: str, decided_on: datetime.date | None,
                    agenda_item_id: int | None = None) -> MeetingDecision:
    """A committee's decision (screened text), optionally on an agenda item. A decision on an item
    with a gap report that waits on the agenda settles the report: DECIDED on `decided_on`."""
    check_may_coordinate(ctx, "steering.decision.refused")
    meeting = _meeting(ctx, meeting_id)
    errors: dict[str, str] = {}
    text = _text(errors, "text", text, TEXT_MAX_LENGTH, _("Write down the decision."))
    if decided_on is None:
        errors["decided_on"] = _("Give the day of the decision.")
    elif decided_on < local_day(meeting.starts_at):
        errors["decided_on"] = _("The decision cannot be dated before the meeting.")
    item = None
    if agenda_item_id is not None:
        item = AgendaItem.objects.filter(pk=agenda_item_id, meeting=meeting).first()
        if item is None:
            errors["agenda_item"] = _("Choose an item of this meeting's agenda.")
    _raise(errors)
    _not_cancelled(meeting)
    _screen(ctx, text=text)
    with transaction.atomic():
        meeting = _meeting(ctx, meeting_id, lock=True)
        _not_cancelled(meeting)  # again under the lock: it may have been cancelled meanwhile
        decision = MeetingDecision(meeting=meeting, agenda_item=item, text=text, decided_on=decided_on)
        decision.full_clean()
        decision.save()
        log_action(ctx, "steering.decision.record", object_ref=f"decision:{decision.pk}")
        if item is not None and item.gap_report_id is not None:
            settled = GapReport.objects.filter(pk=item.gap_report_id, status=GapStatus.ON_AGENDA).update(
                status=GapStatus.DECIDED, resolved_on=decided_on)
            if settled:
                log_action(ctx, "steering.gap_report.decide", object_ref=f"gap_report:{item.gap_report_id}")
    return decision


@dataclass
class _MeasureValues:
    title: str
    description: str
    owner: Agency
    due_on: datetime.date | None
    status: str
    status_note: str
    goal: Goal | None


def _measure_values(ctx: AccessContext, *, title: str, description: str, owner_agency_id: int | None,
                    due_on: datetime.date | None, status: str, status_note: str,
                    goal_id: int | None) -> _MeasureValues:
    errors: dict[str, str] = {}
    title = _text(errors, "title", title, TITLE_MAX_LENGTH, _("Give the measure a title."))
    description = _text(errors, "description", description, TEXT_MAX_LENGTH)
    status_note = _text(errors, "status_note", status_note, NOTE_MAX_LENGTH)
    owner = _district_agency(ctx, owner_agency_id, errors, "owner_agency")
    if status not in MeasureStatus.values:
        errors["status"] = _("Choose the status of the measure.")
    goal = None
    if goal_id is not None:
        goal = Goal.objects.filter(pk=goal_id, district_id=ctx.district_id).first()
        if goal is None:
            errors["goal"] = _("Choose a goal of your district.")
    _raise(errors)
    _screen(ctx, title=title, description=description, status_note=status_note)
    return _MeasureValues(title, description, owner, due_on, status, status_note, goal)


def _set_status(ctx: AccessContext, measure: Measure, status: str, status_note: str) -> None:
    if status == MeasureStatus.DONE and measure.status != MeasureStatus.DONE:
        measure.done_on = ctx.today
    elif status != MeasureStatus.DONE:
        measure.done_on = None
    measure.status, measure.status_note = status, status_note


def measure_create(*, ctx: AccessContext, title: str, owner_agency_id: int | None, description: str = "",
                   due_on: datetime.date | None = None, status: str = MeasureStatus.PLANNED,
                   status_note: str = "", goal_id: int | None = None,
                   decision_id: int | None = None) -> Measure:
    """A measure (action item) owned by an agency of the district; from a decision (then it
    answers the decision's gap report, if any) or on its own under a goal."""
    check_may_coordinate(ctx, "steering.measure.refused")
    decision = None
    if decision_id is not None:
        decision = (MeetingDecision.objects.select_related("agenda_item")
                    .filter(pk=decision_id, meeting__committee__district_id=ctx.district_id).first())
        if decision is None:
            raise NotFound(decision_id)
    values = _measure_values(ctx, title=title, description=description, owner_agency_id=owner_agency_id,
                             due_on=due_on, status=status, status_note=status_note, goal_id=goal_id)
    item = decision.agenda_item if decision else None
    with transaction.atomic():
        measure = Measure(district_id=ctx.district_id, title=values.title, description=values.description,
                          owner_agency=values.owner, due_on=values.due_on, goal=values.goal, decision=decision,
                          gap_report_id=item.gap_report_id if item else None)
        _set_status(ctx, measure, values.status, values.status_note)
        measure.full_clean()
        measure.save()
        log_action(ctx, "steering.measure.create", object_ref=f"measure:{measure.pk}")
    return measure


def measure_update(*, ctx: AccessContext, measure_id: int, title: str, owner_agency_id: int | None,
                   description: str = "", due_on: datetime.date | None = None,
                   status: str = MeasureStatus.PLANNED, status_note: str = "",
                   goal_id: int | None = None) -> Measure:
    """The coordination edits a measure (all its fields)."""
    check_may_coordinate(ctx, "steering.measure.refused")
    _measure(ctx, measure_id)
    values = _measure_values(ctx, title=title, description=description, owner_agency_id=owner_agency_id,
                             due_on=due_on, status=status, status_note=status_note, goal_id=goal_id)
    with transaction.atomic():
        measure = _measure(ctx, measure_id, lock=True)
        measure.title, measure.description, measure.owner_agency = values.title, values.description, values.owner
        measure.due_on, measure.goal = values.due_on, values.goal
        _set_status(ctx, measure, values.status, values.status_note)
        measure.full_clean()
        measure.save()
        log_action(ctx, "steering.measure.update", object_ref=f"measure:{measure.pk}")
    return measure


def may_update_measure_status(ctx: AccessContext, measure: Measure) -> bool:
    """The coordination, or a user with `gap:report` of the measure's owner agency."""
    return may_coordinate(ctx) or (ctx.is_staff_member and ctx.has_permission(permissions.GAP_REPORT)
                                   and measure.owner_agency_id == ctx.agency_id)


def measure_update_status(*, ctx: AccessContext, measure_id: int, status: str, status_note: str = "") -> Measure:
    """Status and state of work of a measure: by the coordination or the owner agency."""
    if not (may_coordinate(ctx) or ctx.has_permission(permissions.GAP_REPORT)):
        check_may_coordinate(ctx, "steering.measure.refused")
    measure = _measure(ctx, measure_id)
    if not may_update_measure_status(ctx, measure):
        refuse(ctx, "steering.measure.refused", reason="not the owner agency",
               message=_("Only the coordination and the responsible agency may update this measure."))
    errors: dict[str, str] = {}
    status_note = _text(errors, "status_note", status_note, NOTE_MAX_LENGTH)
    if status not in MeasureStatus.values:
        errors["status"] = _("Choose the status of the measure.")
    _raise(errors)
    _screen(ctx, status_note=status_note)
    with transaction.atomic():
        measure = _measure(ctx, measure_id, lock=True)
        _set_status(ctx, measure, status, status_note)
        measure.save(update_fields=["status", "status_note", "done_on"])
        log_action(ctx, "steering.measure.status", object_ref=f"measure:{measure.pk}")
    return measure


# --- goals ------------------------------------------------------------------------------------


def _indicator_codes() -> set[str]:
    from lotse.steering.kpis import indicator_choices  # read lazily: the KPIs are built alongside

    return {code for code, _title in indicator_choices()}


def _goal_values(ctx: AccessContext, *, title: str, description: str, life_area: str,
                 indicator: str) -> tuple[str, str, str, str]:
    errors: dict[str, str] = {}
    title = _text(errors, "title", title, TITLE_MAX_LENGTH, _("Give the goal a title."))
    description = _text(errors, "description", description, TEXT_MAX_LENGTH)
    if life_area and life_area not in LifeArea.values:
        errors["life_area"] = _("Choose a life area.")
    if indicator and indicator not in _indicator_codes():
        errors["indicator"] = _("Choose a key figure of the dashboard.")
    _raise(errors)
    _screen(ctx, title=title, description=description)
    return title, description, life_area or "", indicator or ""


def goal_create(*, ctx: AccessContext, title: str, description: str = "", life_area: str = "",
                indicator: str = "") -> Goal:
    """A goal ("Handlungsziel") of the district, last in the order."""
    check_may_coordinate(ctx, "steering.goal.refused")
    title, description, life_area, indicator = _goal_values(
        ctx, title=title, description=description, life_area=life_area, indicator=indicator)
    with transaction.atomic():
        last = Goal.objects.filter(district_id=ctx.district_id).aggregate(n=Max("position"))["n"] or 0
        goal = Goal(district_id=ctx.district_id, title=title, description=description, life_area=life_area,
                    indicator=indicator, position=last + 1)
        goal.full_clean()
        goal.save()
        log_action(ctx, "steering.goal.create", object_ref=f"goal:{goal.pk}")
    return goal


def goal_update(*, ctx: AccessContext, goal_id: int, title: str, description: str = "", life_area: str = "",
                indicator: str = "", active: bool = True) -> Goal:
    check_may_coordinate(ctx, "steering.goal.refused")
    goal = _goal(ctx, goal_id)
    title, description, life_area, indicator = _goal_values(
        ctx, title=title, description=description, life_area=life_area, indicator=indicator)
    with transaction.atomic():
        goal.title, goal.description, goal.life_area, goal.indicator = title, description, life_area, indicator
        goal.active = active
        goal.full_clean()
        goal.save()
        log_action(ctx, "steering.goal.update", object_ref=f"goal:{goal.pk}")
    return goal


# --- reads ------------------------------------------------------------------------------------


@dataclass
class CommitteeSummary:
    committee: Committee
    next_meeting: Meeting | None
    meetings: int


def committee_list(ctx: AccessContext) -> list[CommitteeSummary]:
    """The district's committees (active first) with their next planned meeting."""
    check_may_view(ctx)
    committees = list(Committee.objects.filter(district_id=ctx.district_id)
                      .prefetch_related("member_agencies", "meetings").order_by("-active", "kind", "name"))
    summaries = []
    for committee in committees:
        meetings = list(committee.meetings.all())
        planned = sorted((m for m in meetings if m.status == MeetingStatus.PLANNED), key=lambda m: m.starts_at)
        summaries.append(CommitteeSummary(committee, planned[0] if planned else None, len(meetings)))
    return summaries


def committee_detail(ctx: AccessContext, committee_id: int) -> Committee:
    """A committee with its members and meetings (newest first) prefetched."""
    check_may_view(ctx)
    committee = (Committee.objects.filter(pk=committee_id, district_id=ctx.district_id)
                 .prefetch_related("member_agencies", "members__agency", "meetings").first())
    if committee is None:
        raise NotFound(committee_id)
    return committee


@dataclass
class MeetingDetail:
    meeting: Meeting
    committee: Committee
    agenda: list[AgendaItem]
    decisions: list[MeetingDecision]
    present_agencies: list[Agency]

    @property
    def measures(self) -> list[Measure]:
        return [measure for decision in self.decisions for measure in decision.measures.all()]


def meeting_detail(ctx: AccessContext, meeting_id: int) -> MeetingDetail:
    """A meeting with agenda, decisions (each with its measures) and the agencies present."""
    check_may_view(ctx)
    meeting = _meeting(ctx, meeting_id)
    agenda = list(AgendaItem.objects.filter(meeting=meeting).select_related("gap_report"))
    decisions = list(MeetingDecision.objects.filter(meeting=meeting).select_related("agenda_item")
                     .prefetch_related(Prefetch("measures", Measure.objects.select_related("owner_agency")
                                                .order_by(*MEASURE_ORDER))))
    return MeetingDetail(meeting, meeting.committee, agenda, decisions,
                         list(meeting.present_agencies.order_by("name")))


def meeting_choices(ctx: AccessContext) -> list[Meeting]:
    """Planned meetings of active committees, soonest first (for putting a report on an agenda)."""
    check_may_coordinate(ctx, "steering.meeting.refused")
    return list(Meeting.objects.filter(committee__district_id=ctx.district_id, committee__active=True,
                                       status=MeetingStatus.PLANNED)
                .select_related("committee").order_by("starts_at", "id"))


def _measures(ctx: AccessContext):
    return (Measure.objects.filter(district_id=ctx.district_id)
            .select_related("owner_agency", "goal", "decision__meeting__committee", "gap_report"))


def measure_list(ctx: AccessContext, *, status: str = "", owner_agency_id: int | None = None) -> list[Measure]:
    """The district's measures, earliest due first, filtered by status and owner agency."""
    check_may_view(ctx)
    measures = _measures(ctx)
    if status:
        measures = measures.filter(status=status)
    if owner_agency_id:
        measures = measures.filter(owner_agency_id=owner_agency_id)
    return list(measures.order_by(*MEASURE_ORDER))


def measure_get(ctx: AccessContext, measure_id: int) -> Measure:
    """One measure for someone who may update it (coordination or owner agency), else NotFound."""
    measure = _measures(ctx).filter(pk=measure_id).first()
    if measure is None or not (may_coordinate(ctx) or may_update_measure_status(ctx, measure)):
        raise NotFound(measure_id)
    return measure


def measures_of_my_agency(ctx: AccessContext) -> list[Measure]:
    """Open and finished measures the user's agency is responsible for (for its users who write
    gap reports); empty for anyone else."""
    if not (ctx.is_staff_member and ctx.has_permission(permissions.GAP_REPORT)):
        return []
    return list(_measures(ctx).filter(owner_agency_id=ctx.agency_id).order_by(*MEASURE_ORDER))


def goal_list(ctx: AccessContext) -> list[Goal]:
    """The district's goals (active first) with their measures."""
    check_may_view(ctx)
    return list(Goal.objects.filter(district_id=ctx.district_id)
                .prefetch_related(Prefetch("measures", Measure.objects.select_related("owner_agency")
                                           .order_by(*MEASURE_ORDER)))
                .order_by("-active", "position", "id"))


def goal_get(ctx: AccessContext, goal_id: int) -> Goal:
    check_may_coordinate(ctx, "steering.goal.refused")
    return _goal(ctx, goal_id)


def indicator_title(code: str) -> str:
    from lotse.steering.kpis import indicator_choices

    return dict(indicator_choices()).get(code, code)


def open_agenda_reports(ctx: AccessContext) -> list[GapReport]:
    """Gap reports the coordination can still put on an agenda (for the agenda form)."""
    check_may_coordinate(ctx, "steering.agenda.refused")
    return list(GapReport.objects.filter(district_id=ctx.district_id, status__in=AGENDA_OPEN_STATUSES)
                .order_by("-reported_on", "-id"))

