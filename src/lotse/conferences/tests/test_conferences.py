"""Case conferences through the spine: participants of other agencies see the frame, the case
data only with a consent (and not a moment after it is revoked); strangers see nothing;
phase 1 belongs to the owning agency, decisions are tied to this case's plan; phase 2 gap
reports carry no link to the conference or the person."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lotse.access.spine import AccessDenied
from lotse.audit.models import AccessEvent
from lotse.cases.models import Case
from lotse.cases.selectors import case_access
from lotse.conferences.models import CaseConference, ConferenceDecision, ConferenceStatus
from lotse.conferences.selectors import (
    ConferenceNotFound,
    conference_detail,
    conferences_for_case,
    my_conferences,
)
from lotse.conferences.services import (
    conference_close,
    conference_create,
    conference_finish_case_phase,
    conference_gap_report_add,
    decision_add,
    decision_done,
)
from lotse.consent.services import consent_record, consent_revoke
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import build_world, open_case, register_person
from lotse.core.vocabulary import DataCategory as C
from lotse.core.vocabulary import LifeArea
from lotse.core.vocabulary import Purpose as P
from lotse.gaps.models import GapReport, GapSource
from lotse.plans.models import IntegrationPlan, PlanGoal, PlanStep

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def case(world):
    pid = register_person(world, by="caritas", given_names="Canary-Given", family_name="Karimi")
    return open_case(world, pid)


def _conference(world, case, *agencies, topic="Anerkennung und Sprachkurs"):
    return conference_create(
        ctx=world.ctx("caritas"), case_id=case.pk, held_on=TODAY, topic=topic,
        participant_agency_ids=[world.agencies[a].pk for a in agencies],
        participants_note="Frau Canary-Given, Dolmetscher")


def _plan_step(case, title="Register for the integration course"):
    with personal_data_scope():
        plan, _ = IntegrationPlan.objects.get_or_create(case=case)
        goal = PlanGoal.objects.create(plan=plan, life_area=LifeArea.LANGUAGE, title="German B1")
        return PlanStep.objects.create(goal=goal, title=title, due_on=TODAY + datetime.timedelta(days=30))


def _consent_to_jobcentre(world, pid):
    return consent_record(
        ctx=world.ctx("caritas"), person_id=pid, categories=[C.IDENTITY, C.COUNSELLING_NOTES],
        purpose=P.BENEFITS_ADMINISTRATION, to_agency_id=world.agencies["jobcentre"].pk,
        from_agency_id=world.agencies["caritas"].pk, given_on=TODAY, valid_until=None,
        method="signed_form", informed_language="ar")


def _gap(world, conference, by="jobcentre", **overrides):
    values = {"municipality_id": None, "life_area": LifeArea.LANGUAGE, "kind": "waiting_time",
              "title": "Lange Wartezeit auf Integrationskurse",
              "description": "Im Kreis warten Menschen über acht Wochen auf einen Kursplatz.",
              "office_ids": [world.agencies["jobcentre"].pk]}
    values.update(overrides)
    return conference_gap_report_add(ctx=world.ctx(by), conference_id=conference.pk, **values)


def _visible_text(detail) -> str:
    """Everything the detail page could show of the case."""
    parts = [detail.conference.topic, str(detail.person or ""), *[d.text for d in detail.decisions],
             *[s.title for s in detail.plan_steps]]
    if detail.person:
        parts += [detail.person.given_names, detail.person.family_name]
    return " ".join(parts)


def test_owning_agency_is_always_a_participant_and_sees_the_case(world, case):
    conference = _conference(world, case, "jobcentre")
    detail = conference_detail(world.ctx("caritas"), conference.pk)
    assert {a.name for a in detail.participants} == {"Caritas Test", "Jobcenter Test"}
    assert detail.shows_case_data and detail.can_manage
    assert detail.person.given_names == "Canary-Given"
    assert conference.organiser_id == world.users["caritas"].pk
    event = AccessEvent.objects.filter(action="conference.created").get()
    assert (event.person_id, event.object_ref) == (case.person_id, f"conference:{conference.pk}")


def test_participant_without_consent_sees_the_frame_but_no_case_data(world, case):
    conference = _conference(world, case, "jobcentre")
    decision_add(ctx=world.ctx("caritas"), conference_id=conference.pk, text="CANARY-DECISION apply")
    _plan_step(case, title="CANARY-STEP")
    detail = conference_detail(world.ctx("jobcentre"), conference.pk)
    assert not detail.shows_case_data and detail.person is None
    assert detail.decisions == [] and detail.plan_steps == [] and not detail.can_manage
    assert (detail.conference.topic, detail.conference.held_on) == ("Anerkennung und Sprachkurs", TODAY)
    assert {a.name for a in detail.participants} == {"Caritas Test", "Jobcenter Test"}
    assert "Canary" not in _visible_text(detail) and "CANARY" not in _visible_text(detail)
    event = AccessEvent.objects.order_by("-seq").first()
    assert (event.action, event.decision, event.object_ref) == ("conference.read", "denied", f"case:{case.pk}")


def test_participant_with_consent_sees_the_case_data_and_revocation_hides_it_at_once(world, case):
    conference = _conference(world, case, "jobcentre")
    step = _plan_step(case)
    decision_add(ctx=world.ctx("caritas"), conference_id=conference.pk, text="Apply for the course",
                 plan_step_id=step.pk, assignee_agency_id=world.agencies["jobcentre"].pk)
    consent = _consent_to_jobcentre(world, case.person_id)
    detail = conference_detail(world.ctx("jobcentre"), conference.pk)
    assert detail.shows_case_data and not detail.can_manage
    assert detail.person.family_name == "Karimi"
    assert [(d.text, d.plan_step_id, d.assignee_agency.name) for d in detail.decisions] == [
        ("Apply for the course", step.pk, "Jobcenter Test")]
    assert [s.title for s in detail.plan_steps] == ["Register for the integration course"]
    consent_revoke(ctx=world.ctx("caritas"), consent_id=consent.pk, note="revoked at the counter")
    detail = conference_detail(world.ctx("jobcentre"), conference.pk)
    assert not detail.shows_case_data and detail.decisions == [] and detail.person is None


def test_non_participants_get_not_found_and_the_refusal_is_logged(world, case):
    conference = _conference(world, case, "jobcentre")
    _consent_to_jobcentre(world, case.person_id)  # a consent alone does not make a participant
    for user in ("social_a", "abh", "psych", "coordinator"):
        with pytest.raises(ConferenceNotFound):
            conference_detail(world.ctx(user), conference.pk)
        event = AccessEvent.objects.order_by("-seq").first()
        assert (event.action, event.decision, event.object_ref) == (
            "conference.read", "denied", f"conference:{conference.pk}")
    with pytest.raises(ConferenceNotFound):
        conference_detail(world.ctx("caritas"), conference.pk + 1000)


def test_participants_must_be_agencies_of_the_district_and_nothing_is_saved_otherwise(world, case):
    other = build_world("88888")
    with pytest.raises(ValidationError) as exc:
        conference_create(ctx=world.ctx("caritas"), case_id=case.pk, held_on=TODAY, topic="Sprachkurs",
                          participant_agency_ids=[other.agencies["jobcentre"].pk], participants_note="")
    assert "participant_agencies" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        conference_create(ctx=world.ctx("caritas"), case_id=case.pk, held_on=None, topic=" ",
                          participant_agency_ids=[], participants_note="")
    assert {"held_on", "topic"} <= set(exc.value.message_dict)
    with personal_data_scope():
        assert not CaseConference.objects.exists()


def test_the_topic_is_screened_because_every_participant_sees_it(world, case):
    with pytest.raises(ValidationError) as exc:
        conference_create(ctx=world.ctx("caritas"), case_id=case.pk, held_on=TODAY,
                          topic="Karimi Canary-Given, geb. 12.03.1990", participant_agency_ids=[],
                          participants_note="")
    message = " ".join(exc.value.message_dict["topic"])
    assert "12.03.1990" in message and "Karimi Canary-Given" in message
    with personal_data_scope():
        assert not CaseConference.objects.exists()


def test_only_the_owning_agency_with_the_permission_plans_and_decides(world, case):
    _consent_to_jobcentre(world, case.person_id)
    with pytest.raises(AccessDenied):
        conference_create(ctx=world.ctx("jobcentre"), case_id=case.pk, held_on=TODAY, topic="x",
                          participant_agency_ids=[], participants_note="")
    conference = _conference(world, case, "jobcentre")
    with pytest.raises(AccessDenied):
        decision_add(ctx=world.ctx("jobcentre"), conference_id=conference.pk, text="x")
    no_permission = world.ctx("caritas", permissions=frozenset({"case:manage"}))
    with pytest.raises(AccessDenied):
        decision_add(ctx=no_permission, conference_id=conference.pk, text="x")
    event = AccessEvent.objects.order_by("-seq").first()
    assert (event.action, event.decision) == ("conference.decision_add.refused", "denied")
    with personal_data_scope():
        assert not ConferenceDecision.objects.exists()


def test_decisions_link_to_this_cases_plan_and_set_the_attention_date(world, case):
    conference = _conference(world, case, "jobcentre")
    step = _plan_step(case)
    other_case = open_case(world, register_person(world, by="caritas", family_name="Other"))
    foreign_step = _plan_step(other_case)
    ctx = world.ctx("caritas")
    due = TODAY + datetime.timedelta(days=5)
    with pytest.raises(ValidationError) as exc:
        decision_add(ctx=ctx, conference_id=conference.pk, text="x", plan_step_id=foreign_step.pk)
    assert "plan_step" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        decision_add(ctx=ctx, conference_id=conference.pk, text="x", assignee_id=world.users["jobcentre"].pk)
    assert "assignee" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        decision_add(ctx=ctx, conference_id=conference.pk, text="x", assignee_agency_id=world.agencies["abh"].pk)
    assert "assignee_agency" in exc.value.message_dict
    decision = decision_add(ctx=ctx, conference_id=conference.pk, text="Register for the course",
                            assignee_id=world.users["caritas"].pk, due_on=due, plan_step_id=step.pk)
    assert (decision.plan_step_id, decision.assignee_agency_id) == (step.pk, world.agencies["caritas"].pk)
    with personal_data_scope():
        assert Case.objects.get(pk=case.pk).attention_on == due
    decision_done(ctx=ctx, decision_id=decision.pk)
    with personal_data_scope():
        # The plan step (due in 30 days) is what needs attention now.
        assert Case.objects.get(pk=case.pk).attention_on == step.due_on
        assert ConferenceDecision.objects.get(pk=decision.pk).done_on == TODAY
    with pytest.raises(ValidationError):
        decision_done(ctx=ctx, decision_id=decision.pk)


def test_the_two_phases_in_order(world, case):
    conference = _conference(world, case, "jobcentre")
    ctx = world.ctx("caritas")
    with pytest.raises(ValidationError):
        _gap(world, conference)
    with pytest.raises(ValidationError):
        conference_close(ctx=ctx, conference_id=conference.pk)
    conference_finish_case_phase(ctx=ctx, conference_id=conference.pk)
    with pytest.raises(ValidationError):
        decision_add(ctx=ctx, conference_id=conference.pk, text="late")
    with pytest.raises(ValidationError):
        conference_finish_case_phase(ctx=ctx, conference_id=conference.pk)
    _gap(world, conference)
    closed = conference_close(ctx=ctx, conference_id=conference.pk)
    assert closed.status == ConferenceStatus.CLOSED
    with pytest.raises(ValidationError):
        _gap(world, conference)
    actions = list(AccessEvent.objects.filter(object_ref=f"conference:{conference.pk}")
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["conference.created", "conference.case_phase_done", "conference.closed"]


def test_phase_two_gap_reports_carry_no_link_to_the_conference_or_the_person(world, case):
    conference = _conference(world, case, "jobcentre")
    conference_finish_case_phase(ctx=world.ctx("caritas"), conference_id=conference.pk)
    # The job centre has no access to the case data and still contributes.
    report = _gap(world, conference, municipality_id=world.town_b.pk)
    _gap(world, conference, by="caritas", title="Keine Kinderbetreuung während der Kurse")
    assert GapReport.objects.count() == 2
    report.refresh_from_db()
    assert (report.source, report.municipality_id, report.reporting_agency_id) == (
        GapSource.CONFERENCE, world.town_b.pk, world.agencies["jobcentre"].pk)
    fields = {f.name for f in GapReport._meta.get_fields()}
    assert not fields & {"case", "conference", "person"}
    stored = " ".join(str(v) for v in GapReport.objects.values_list().get(pk=report.pk))
    assert "Karimi" not in stored and "Canary" not in stored
    with personal_data_scope():
        assert CaseConference.objects.get(pk=conference.pk).gap_reports_written == 2
    # No reporter and only the day: nothing links the report to the log of that request.
    assert report.reported_by_id is None and isinstance(report.reported_on, datetime.date)
    assert not isinstance(report.reported_on, datetime.datetime)
    assert not AccessEvent.objects.filter(action__contains="gap").exists()


def test_a_gap_report_with_personal_data_is_refused_and_not_counted(world, case):
    conference = _conference(world, case, "jobcentre")
    conference_finish_case_phase(ctx=world.ctx("caritas"), conference_id=conference.pk)
    with pytest.raises(ValidationError) as exc:
        _gap(world, conference, by="caritas", description="Herr Karimi Canary-Given wartet seit März.")
    assert "Karimi Canary-Given" in " ".join(exc.value.message_dict["description"])
    assert not GapReport.objects.exists()
    with personal_data_scope():
        assert CaseConference.objects.get(pk=conference.pk).gap_reports_written == 0
    with pytest.raises(ConferenceNotFound):
        _gap(world, conference, by="social_a")
    without_permission = world.ctx("jobcentre", permissions=frozenset())
    with pytest.raises(AccessDenied):
        conference_gap_report_add(ctx=without_permission, conference_id=conference.pk, municipality_id=None,
                                  life_area="language", kind="other", title="t", description="d", office_ids=[])
    event = AccessEvent.objects.order_by("-seq").first()
    assert (event.action, event.decision) == ("gap.report.refused", "denied")
    assert not GapReport.objects.exists()


def test_case_page_and_my_conferences_name_the_person_only_where_allowed(world, case):
    conference = _conference(world, case, "jobcentre")
    decision_add(ctx=world.ctx("caritas"), conference_id=conference.pk, text="a")
    listed = conferences_for_case(case_access(world.ctx("caritas"), case.pk))
    assert [(c.pk, c.decision_count, c.open_decisions) for c in listed] == [(conference.pk, 1, 1)]
    rows = my_conferences(world.ctx("caritas"))
    assert [(r.conference.pk, r.person.family_name, r.is_own_agency) for r in rows] == [
        (conference.pk, "Karimi", True)]
    rows = my_conferences(world.ctx("jobcentre"))
    assert [(r.conference.pk, r.person, r.is_own_agency) for r in rows] == [(conference.pk, None, False)]
    _consent_to_jobcentre(world, case.person_id)
    assert [r.person.family_name for r in my_conferences(world.ctx("jobcentre"))] == ["Karimi"]
    assert my_conferences(world.ctx("social_a")) == []
    conference_finish_case_phase(ctx=world.ctx("caritas"), conference_id=conference.pk)
    conference_close(ctx=world.ctx("caritas"), conference_id=conference.pk)
    assert my_conferences(world.ctx("caritas")) == []
