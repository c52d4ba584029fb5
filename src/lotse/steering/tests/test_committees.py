"""Committees, meetings, agenda, minutes, decisions, measures and goals: what the coordination
writes, what is refused (and logged), what steering members read, and district isolation."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from lotse.access.spine import AccessDenied
from lotse.audit.models import AccessEvent
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import build_world, register_person
from lotse.gaps.models import GapReport, GapSource, GapStatus
from lotse.gaps.services import gap_report_create
from lotse.people.models import PersonAgencyLink
from lotse.steering import committees as steering
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

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=BERLIN)


def working_group(world, name="Arbeitskreis Migration", **overrides) -> Committee:
    values = {"name": name, "kind": CommitteeKind.WORKING_GROUP, "description": "Tagt zweimal im Jahr.",
              "member_agency_ids": [world.agencies["caritas"].pk, world.agencies["abh"].pk],
              "member_user_ids": [world.users["caritas"].pk]}
    values.update(overrides)
    return steering.committee_create(ctx=world.ctx("coordinator"), **values)


def planned_meeting(world, committee=None, **overrides) -> Meeting:
    committee = committee or working_group(world)
    values = {"starts_at": at(10, 14), "ends_at": at(10, 16), "location": "Kreishaus, Raum 75"}
    values.update(overrides)
    return steering.meeting_plan(ctx=world.ctx("coordinator"), committee_id=committee.pk, **values)


def gap_report(world, title="Sprachkurs mit Kinderbetreuung fehlt", by="caritas", **overrides) -> GapReport:
    values = {"municipality_id": world.town_b.pk, "life_area": "language", "kind": "missing_offer",
              "title": title, "description": "Frauen mit kleinen Kindern warten über 8 Wochen.",
              "office_ids": [world.agencies["jobcentre"].pk], "source": GapSource.CASE_WORK}
    values.update(overrides)
    return gap_report_create(ctx=world.ctx(by), **values)


def last_event() -> AccessEvent:
    return AccessEvent.objects.order_by("-seq").first()


def test_the_coordination_creates_and_edits_a_committee(world):
    committee = working_group(world)
    committee.refresh_from_db()
    assert (committee.name, committee.kind, committee.district_id, committee.active) == (
        "Arbeitskreis Migration", "working_group", world.district.pk, True)
    assert sorted(a.name for a in committee.member_agencies.all()) == ["Ausländerbehörde Teststadt", "Caritas Test"]
    assert [u.pk for u in committee.members.all()] == [world.users["caritas"].pk]
    assert (last_event().action, last_event().object_ref) == ("steering.committee.create", f"committee:{committee.pk}")

    steering.committee_update(ctx=world.ctx("coordinator"), committee_id=committee.pk, name="AK Migration",
                              kind=CommitteeKind.WORKING_GROUP, member_agency_ids=[world.agencies["jobcentre"].pk],
                              member_user_ids=[], active=False)
    committee.refresh_from_db()
    assert (committee.name, committee.active, committee.description) == ("AK Migration", False, "")
    assert [a.name for a in committee.member_agencies.all()] == ["Jobcenter Test"]
    assert list(committee.members.all()) == []


def test_bad_committee_input_is_refused_and_nothing_is_stored(world):
    other = build_world("88888")
    with pytest.raises(ValidationError) as exc:
        working_group(world, name=" ", kind="club", member_agency_ids=[other.agencies["caritas"].pk],
                      member_user_ids=[other.users["caritas"].pk])
    assert set(exc.value.message_dict) == {"name", "kind", "member_agencies", "members"}
    assert not Committee.objects.exists()


def test_steering_members_and_case_managers_may_not_write_and_the_refusal_is_logged(world):
    committee = working_group(world)
    for user in ("steering_member", "caritas"):
        with pytest.raises(AccessDenied):
            steering.committee_create(ctx=world.ctx(user), name="AK", kind=CommitteeKind.WORKING_GROUP)
        assert (last_event().action, last_event().decision) == ("steering.committee.refused", "denied")
        with pytest.raises(AccessDenied):
            steering.meeting_plan(ctx=world.ctx(user), committee_id=committee.pk, starts_at=at(1, 9),
                                  ends_at=at(1, 10), location="Kreishaus")
        assert (last_event().action, last_event().actor_id) == ("steering.meeting.refused", world.users[user].pk)
    assert Committee.objects.count() == 1 and not Meeting.objects.exists()
    # reading: the steering member yes, the case manager no
    assert [s.committee.name for s in steering.committee_list(world.ctx("steering_member"))] == [
        "Arbeitskreis Migration"]
    with pytest.raises(AccessDenied):
        steering.committee_list(world.ctx("caritas"))


def test_another_districts_committee_and_meeting_are_not_found(world):
    meeting = planned_meeting(world)
    other = build_world("88888")
    with pytest.raises(steering.NotFound):
        steering.committee_detail(other.ctx("coordinator"), meeting.committee_id)
    with pytest.raises(steering.NotFound):
        steering.meeting_detail(other.ctx("steering_member"), meeting.pk)
    with pytest.raises(steering.NotFound):
        steering.agenda_item_add(ctx=other.ctx("coordinator"), meeting_id=meeting.pk, title="Fremd")
    with pytest.raises(steering.NotFound):
        steering.meeting_plan(ctx=other.ctx("coordinator"), committee_id=meeting.committee_id,
                              starts_at=at(1, 9), ends_at=at(1, 10), location="X")
    assert steering.committee_list(other.ctx("coordinator")) == []
    assert not AgendaItem.objects.exists()


def test_a_meeting_ends_after_it_starts_and_has_a_place(world):
    committee = working_group(world)
    with pytest.raises(ValidationError) as exc:
        planned_meeting(world, committee, starts_at=at(10, 16), ends_at=at(10, 14), location="")
    assert exc.value.message_dict == {"location": ["Geben Sie den Ort der Sitzung an."],
                                      "ends_at": ["Die Sitzung muss nach ihrem Beginn enden."]}
    with pytest.raises(ValidationError):
        planned_meeting(world, committee, ends_at=at(10, 14))  # equal to the start
    assert not Meeting.objects.exists()


def test_moving_a_meeting_raises_the_sequence_and_only_a_real_change_does(world):
    meeting = planned_meeting(world)
    assert meeting.sequence == 0
    ctx = world.ctx("coordinator")
    steering.meeting_update(ctx=ctx, meeting_id=meeting.pk, starts_at=at(10, 14), ends_at=at(10, 16),
                            location="Kreishaus, Raum 75")
    meeting.refresh_from_db()
    assert meeting.sequence == 0
    steering.meeting_update(ctx=ctx, meeting_id=meeting.pk, starts_at=at(11, 9), ends_at=at(11, 11),
                            location="Kreishaus, Raum 75")
    steering.meeting_update(ctx=ctx, meeting_id=meeting.pk, starts_at=at(11, 9), ends_at=at(11, 11),
                            location="Rathaus Düren, Sitzungssaal")
    meeting.refresh_from_db()
    assert (meeting.sequence, meeting.starts_at, meeting.location) == (2, at(11, 9), "Rathaus Düren, Sitzungssaal")


def test_agenda_items_are_numbered_in_order_and_can_be_moved(world):
    meeting = planned_meeting(world)
    ctx = world.ctx("coordinator")
    first = steering.agenda_item_add(ctx=ctx, meeting_id=meeting.pk, title="Begrüßung")
    second = steering.agenda_item_add(ctx=ctx, meeting_id=meeting.pk, title="Bericht der Koordination")
    third = steering.agenda_item_add(ctx=ctx, meeting_id=meeting.pk, title="Verschiedenes")
    assert [(i.position, i.title) for i in AgendaItem.objects.filter(meeting=meeting)] == [
        (1, "Begrüßung"), (2, "Bericht der Koordination"), (3, "Verschiedenes")]
    steering.agenda_item_move(ctx=ctx, item_id=third.pk, up=True)
    steering.agenda_item_move(ctx=ctx, item_id=first.pk, up=True)  # already first: unchanged
    assert [i.pk for i in AgendaItem.objects.filter(meeting=meeting)] == [first.pk, third.pk, second.pk]
    with pytest.raises(ValidationError) as exc:
        steering.agenda_item_add(ctx=ctx, meeting_id=meeting.pk, title="")
    assert exc.value.message_dict == {"title": ["Geben Sie dem Tagesordnungspunkt einen Titel."]}


def test_free_texts_are_screened_and_nothing_is_saved(world):
    meeting = planned_meeting(world)
    ctx = world.ctx("coordinator")
    with pytest.raises(ValidationError) as exc:
        steering.agenda_item_add(ctx=ctx, meeting_id=meeting.pk, title="Fall Az. 12-345/24 besprechen")
    assert "Az. 12-345/24" in exc.value.message_dict["title"][0]
    with pytest.raises(ValidationError) as exc:
        steering.decision_record(ctx=ctx, meeting_id=meeting.pk, text="Rückruf an m.k@example.org",
                                 decided_on=datetime.date(2026, 3, 10))
    assert "m.k@example.org" in exc.value.message_dict["text"][0]
    with pytest.raises(ValidationError) as exc:
        steering.measure_create(ctx=ctx, title="Termin am 12.03.1990 klären",
                                owner_agency_id=world.agencies["caritas"].pk)
    assert "12.03.1990" in exc.value.message_dict["title"][0]
    assert not (AgendaItem.objects.exists() or MeetingDecision.objects.exists() or Measure.objects.exists())


def _registered_and_visible_to_the_coordinator(world) -> None:
    """A person the coordinator may see: a coordinator who also works as a case manager in the
    integration centre, whose agency holds a file on the person (names count only of persons the
    writer may see, so that a refusal never tells whether a name is in the registry)."""
    from lotse.organisations.models import Role

    person_id = register_person(world, by="caritas", given_names="Olena", family_name="Kovalenko")
    world.users["coordinator"].roles.add(Role.objects.get(code="case_manager", district__isnull=True))
    with personal_data_scope():
        PersonAgencyLink.objects.create(person_id=person_id, agency=world.agencies["district_admin"])


def test_minutes_with_a_registered_name_or_a_date_of_birth_are_refused_in_german(world):
    meeting = planned_meeting(world)
    _registered_and_visible_to_the_coordinator(world)
    ctx = world.ctx("coordinator")
    with translation.override("de"):
        for text, found in (("Olena Kovalenko wartet seit Monaten auf einen Kurs.", "Olena Kovalenko"),
                            ("Klientin geb. 12.03.1990 ohne Kita-Platz.", "12.03.1990")):
            with pytest.raises(ValidationError) as exc:
                steering.meeting_minutes_record(ctx=ctx, meeting_id=meeting.pk, minutes=text,
                                                present_agency_ids=[world.agencies["caritas"].pk])
            message = exc.value.message_dict["minutes"][0]
            assert found in message
            assert message.startswith("Der Text enthält vermutlich personenbezogene Daten")
    meeting.refresh_from_db()
    assert meeting.minutes == "" and list(meeting.present_agencies.all()) == []
    steering.meeting_minutes_record(ctx=ctx, meeting_id=meeting.pk,
                                    minutes="Kursplätze mit Kinderbetreuung fehlen in B-Stadt.",
                                    present_agency_ids=[world.agencies["caritas"].pk, world.agencies["abh"].pk])
    meeting.refresh_from_db()
    assert meeting.minutes == "Kursplätze mit Kinderbetreuung fehlen in B-Stadt."
    assert sorted(a.name for a in meeting.present_agencies.all()) == ["Ausländerbehörde Teststadt", "Caritas Test"]


def test_marking_a_meeting_held_or_cancelled(world):
    ctx = world.ctx("coordinator")
    held = planned_meeting(world)
    steering.meeting_set_status(ctx=ctx, meeting_id=held.pk, status=MeetingStatus.HELD)
    held.refresh_from_db()
    assert (held.status, held.sequence) == ("held", 0)
    with pytest.raises(ValidationError):
        steering.meeting_set_status(ctx=ctx, meeting_id=held.pk, status=MeetingStatus.CANCELLED)
    with pytest.raises(ValidationError):
        steering.meeting_update(ctx=ctx, meeting_id=held.pk, starts_at=at(1, 9), ends_at=at(1, 10), location="X")

    # a cancelled meeting: the invitation's new version, and its waiting reports go back to review
    cancelled = planned_meeting(world, held.committee, starts_at=at(20, 9), ends_at=at(20, 11))
    report = gap_report(world)
    steering.agenda_item_add(ctx=ctx, meeting_id=cancelled.pk, gap_report_id=report.pk)
    report.refresh_from_db()
    assert report.status == GapStatus.ON_AGENDA
    steering.meeting_set_status(ctx=ctx, meeting_id=cancelled.pk, status=MeetingStatus.CANCELLED)
    cancelled.refresh_from_db()
    report.refresh_from_db()
    # SEQUENCE 1 for the agenda item added, 2 for the cancellation
    assert (cancelled.status, cancelled.sequence, report.status) == ("cancelled", 2, GapStatus.IN_REVIEW)
    with pytest.raises(ValidationError) as exc:
        steering.decision_record(ctx=ctx, meeting_id=cancelled.pk, text="Nichts", decided_on=datetime.date(2026, 3, 20))
    assert exc.value.message_dict == {"meeting": ["Die Sitzung ist entfallen."]}


def test_a_decision_on_a_gap_report_item_settles_the_report(world):
    ctx = world.ctx("coordinator")
    meeting = planned_meeting(world)
    report = gap_report(world)
    item = steering.agenda_item_add(ctx=ctx, meeting_id=meeting.pk, gap_report_id=report.pk)
    assert item.title == "Sprachkurs mit Kinderbetreuung fehlt"
    with pytest.raises(ValidationError) as exc:
        steering.decision_record(ctx=ctx, meeting_id=meeting.pk, text="Kurs einrichten",
                                 decided_on=datetime.date(2026, 3, 9), agenda_item_id=item.pk)
    assert exc.value.message_dict == {"decided_on": ["Der Beschluss kann nicht vor der Sitzung datiert sein."]}
    decision = steering.decision_record(ctx=ctx, meeting_id=meeting.pk, text="Kurs mit Kinderbetreuung einrichten",
                                        decided_on=datetime.date(2026, 3, 12), agenda_item_id=item.pk)
    report.refresh_from_db()
    assert (report.status, report.resolved_on) == (GapStatus.DECIDED, datetime.date(2026, 3, 12))
    assert [e.action for e in AccessEvent.objects.order_by("-seq")[:2]] == [
        "steering.gap_report.decide", "steering.decision.record"]
    # an item of another meeting is no item of this one
    other_meeting = planned_meeting(world, meeting.committee)
    with pytest.raises(ValidationError) as exc:
        steering.decision_record(ctx=ctx, meeting_id=other_meeting.pk, text="X",
                                 decided_on=datetime.date(2026, 3, 10), agenda_item_id=item.pk)
    assert set(exc.value.message_dict) == {"agenda_item"}
    assert MeetingDecision.objects.get() == decision


def test_measures_from_a_decision_and_under_a_goal(world):
    ctx = world.ctx("coordinator")
    meeting = planned_meeting(world)
    report = gap_report(world)
    item = steering.agenda_item_add(ctx=ctx, meeting_id=meeting.pk, gap_report_id=report.pk)
    decision = steering.decision_record(ctx=ctx, meeting_id=meeting.pk, text="Kurs einrichten",
                                        decided_on=datetime.date(2026, 3, 10), agenda_item_id=item.pk)
    goal = steering.goal_create(ctx=ctx, title="Integrationskurs binnen 8 Wochen", life_area="language",
                                indicator="course_start_days")
    measure = steering.measure_create(ctx=ctx, decision_id=decision.pk, title="Kurs mit Kinderbetreuung in B-Stadt",
                                      owner_agency_id=world.agencies["caritas"].pk,
                                      due_on=datetime.date(2026, 9, 30), goal_id=goal.pk)
    measure.refresh_from_db()
    assert (measure.gap_report_id, measure.decision_id, measure.goal_id, measure.status, measure.district_id) == (
        report.pk, decision.pk, goal.pk, "planned", world.district.pk)
    on_its_own = steering.measure_create(ctx=ctx, title="Veranstaltung zur Vorstellung des Case-Managements",
                                         owner_agency_id=world.agencies["district_admin"].pk, goal_id=goal.pk,
                                         status=MeasureStatus.IN_PROGRESS)
    assert on_its_own.gap_report_id is None and on_its_own.decision_id is None

    other = build_world("88888")
    with pytest.raises(ValidationError) as exc:
        steering.measure_create(ctx=ctx, title="", owner_agency_id=other.agencies["caritas"].pk, status="someday")
    assert set(exc.value.message_dict) == {"title", "owner_agency", "status"}
    with pytest.raises(steering.NotFound):
        steering.measure_create(ctx=other.ctx("coordinator"), decision_id=decision.pk, title="X",
                                owner_agency_id=other.agencies["caritas"].pk)
    assert Measure.objects.count() == 2

    detail = steering.meeting_detail(world.ctx("steering_member"), meeting.pk)
    assert [m.title for m in detail.measures] == ["Kurs mit Kinderbetreuung in B-Stadt"]
    goals = steering.goal_list(world.ctx("steering_member"))
    assert [(g.title, [m.title for m in g.measures.all()]) for g in goals] == [
        ("Integrationskurs binnen 8 Wochen", ["Kurs mit Kinderbetreuung in B-Stadt",
                                              "Veranstaltung zur Vorstellung des Case-Managements"])]


def test_measure_status_by_the_coordination_and_by_the_owner_agency(world):
    ctx = world.ctx("coordinator")
    measure = steering.measure_create(ctx=ctx, title="Kooperationsmöglichkeiten ausarbeiten",
                                      owner_agency_id=world.agencies["caritas"].pk, due_on=datetime.date(2026, 6, 30))
    steering.measure_update_status(ctx=world.ctx("caritas", today=datetime.date(2026, 5, 4)), measure_id=measure.pk,
                                   status=MeasureStatus.DONE, status_note="Konzept liegt vor")
    measure.refresh_from_db()
    assert (measure.status, measure.status_note, measure.done_on) == ("done", "Konzept liegt vor",
                                                                      datetime.date(2026, 5, 4))
    assert (last_event().action, last_event().actor_id) == ("steering.measure.status", world.users["caritas"].pk)
    steering.measure_update_status(ctx=ctx, measure_id=measure.pk, status=MeasureStatus.IN_PROGRESS)
    measure.refresh_from_db()
    assert (measure.status, measure.status_note, measure.done_on) == ("in_progress", "", None)
    # another agency's user and a steering member may not; the refusal is logged
    for user in ("jobcentre", "steering_member"):
        with pytest.raises(AccessDenied):
            steering.measure_update_status(ctx=world.ctx(user), measure_id=measure.pk, status=MeasureStatus.DONE)
        assert (last_event().action, last_event().decision) == ("steering.measure.refused", "denied")
    with pytest.raises(AccessDenied):
        steering.measure_update(ctx=world.ctx("caritas"), measure_id=measure.pk, title="Neu",
                                owner_agency_id=world.agencies["caritas"].pk)
    # the owner agency's own note is screened too
    with pytest.raises(ValidationError):
        steering.measure_update_status(ctx=world.ctx("caritas"), measure_id=measure.pk, status="done",
                                       status_note="Rückfragen an 0176 1234567")
    measure.refresh_from_db()
    assert (measure.status, measure.title) == ("in_progress", "Kooperationsmöglichkeiten ausarbeiten")
    assert [m.pk for m in steering.measures_of_my_agency(world.ctx("caritas"))] == [measure.pk]
    assert steering.measures_of_my_agency(world.ctx("jobcentre")) == []


def test_measures_are_filtered_by_status_and_owner(world):
    ctx = world.ctx("coordinator")
    a = steering.measure_create(ctx=ctx, title="A", owner_agency_id=world.agencies["caritas"].pk,
                                due_on=datetime.date(2026, 4, 1))
    b = steering.measure_create(ctx=ctx, title="B", owner_agency_id=world.agencies["abh"].pk,
                                due_on=datetime.date(2026, 3, 1), status=MeasureStatus.DONE)
    c = steering.measure_create(ctx=ctx, title="C", owner_agency_id=world.agencies["caritas"].pk,
                                status=MeasureStatus.DONE)
    member = world.ctx("steering_member")
    assert [m.pk for m in steering.measure_list(member)] == [b.pk, a.pk, c.pk]  # earliest due first, no date last
    assert [m.pk for m in steering.measure_list(member, status="done")] == [b.pk, c.pk]
    assert [m.pk for m in steering.measure_list(member, owner_agency_id=world.agencies["caritas"].pk)] == [a.pk, c.pk]
    assert [m.pk for m in steering.measure_list(member, status="done",
                                                owner_agency_id=world.agencies["caritas"].pk)] == [c.pk]
    assert steering.measure_list(build_world("88888").ctx("steering_member")) == []


def test_goals_with_an_indicator_from_the_dashboard(world):
    ctx = world.ctx("coordinator")
    first = steering.goal_create(ctx=ctx, title="Optimierung der Zusammenarbeit zwischen Kommunen und freien Trägern",
                                 indicator="referrals_accepted_share")
    second = steering.goal_create(ctx=ctx, title="Erhöhung des Bekanntheitsgrades des Case-Managements")
    assert (first.position, second.position, second.indicator) == (1, 2, "")
    with pytest.raises(ValidationError) as exc:
        steering.goal_create(ctx=ctx, title="", life_area="moon", indicator="happiness")
    assert set(exc.value.message_dict) == {"title", "life_area", "indicator"}
    steering.goal_update(ctx=ctx, goal_id=second.pk, title=second.title, life_area="work_training",
                         indicator="caseload_per_manager", active=False)
    second.refresh_from_db()
    assert (second.life_area, second.indicator, second.active) == ("work_training", "caseload_per_manager", False)
    with translation.override("en"):
        assert steering.indicator_title("caseload_per_manager") == "Open cases per case manager"
    with pytest.raises(AccessDenied):
        steering.goal_create(ctx=world.ctx("steering_member"), title="X")
    with pytest.raises(steering.NotFound):
        steering.goal_update(ctx=build_world("88888").ctx("coordinator"), goal_id=first.pk, title="X")
    assert Goal.objects.count() == 2
