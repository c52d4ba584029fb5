"""Integration plans: goals and steps, service-chain templates whose due dates come from dated
rule data, progress, and who may read and write a plan."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from lotse.access.spine import AccessDenied
from lotse.audit.models import AccessEvent
from lotse.cases.models import Case, Phase
from lotse.cases.selectors import CaseNotFound, case_access
from lotse.cases.services import case_close
from lotse.consent.services import consent_record, consent_revoke
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import open_case, register_person
from lotse.core.vocabulary import DataCategory as C
from lotse.core.vocabulary import Purpose as P
from lotse.offers.models import Offer
from lotse.organisations.models import Agency, AgencyKind, District
from lotse.plans.models import PlanGoal, PlanStep, PlanTemplate
from lotse.plans.selectors import plan_detail, plan_for_print, plan_summary
from lotse.plans.services import (
    goal_add,
    goal_set_status,
    plan_apply_template,
    step_add,
    step_set_status,
)
from lotse.rules.models import DeadlineRule

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def case(world):
    return open_case(world, register_person(world, by="caritas", given_names="Canary-Given"))


def _steps(goal) -> list[PlanStep]:
    with personal_data_scope():
        return list(PlanStep.objects.filter(goal=goal).select_related("responsible_agency").order_by("id"))


def _case(case) -> Case:
    with personal_data_scope():
        return Case.objects.get(pk=case.pk)


def _consent_to_jobcentre(world, pid, categories):
    return consent_record(
        ctx=world.ctx("caritas"), person_id=pid, categories=categories,
        purpose=P.BENEFITS_ADMINISTRATION, to_agency_id=world.agencies["jobcentre"].pk,
        from_agency_id=world.agencies["caritas"].pk, given_on=TODAY, valid_until=None,
        method="signed_form", informed_language="ar",
    )


# --- goals and steps --------------------------------------------------------------------------------

def test_first_goal_creates_the_plan_and_moves_the_case_to_planning(world, case):
    goal = goal_add(ctx=world.ctx("caritas"), case_id=case.pk, life_area="work_training",
                    title="  Arbeit als Elektriker  ")
    assert goal.title == "Arbeit als Elektriker"
    assert _case(case).phase == Phase.PLANNING
    event = AccessEvent.objects.filter(action="plan.goal_added").get()
    assert (event.person_id, event.categories, event.object_ref) == (
        case.person_id, "counselling_notes", f"plan-goal:{goal.pk}")


def test_a_later_phase_is_not_moved_back(world, case):
    from lotse.cases.services import case_set_phase

    case_set_phase(ctx=world.ctx("caritas"), case_id=case.pk, phase=Phase.MONITORING)
    goal_add(ctx=world.ctx("caritas"), case_id=case.pk, life_area="housing", title="Wohnung")
    assert _case(case).phase == Phase.MONITORING


@pytest.mark.parametrize("life_area, title, field", [
    ("space", "Wohnung", "life_area"), ("housing", "   ", "title"), ("housing", "x" * 301, "title")])
def test_bad_goals_are_refused(world, case, life_area, title, field):
    with pytest.raises(ValidationError) as exc:
        goal_add(ctx=world.ctx("caritas"), case_id=case.pk, life_area=life_area, title=title)
    assert field in exc.value.message_dict
    with personal_data_scope():
        assert not PlanGoal.objects.exists()
    assert _case(case).phase == Phase.INTAKE


def test_steps_name_an_agency_or_offer_of_the_district_and_keep_attention_current(world, case):
    ctx = world.ctx("caritas")
    goal = goal_add(ctx=ctx, case_id=case.pk, life_area="language", title="Deutsch B1")
    offer = Offer.objects.create(district=world.district, name="Sprachcafé", life_area="language",
                                 provider_name="Bürgerhaus")
    step = step_add(ctx=ctx, goal_id=goal.pk, title="Anmeldung Sprachcafé", due_on=TODAY + 3 * DAY,
                    offer_id=offer.pk)
    step_add(ctx=ctx, goal_id=goal.pk, title="Termin Jobcenter", due_on=TODAY + 10 * DAY,
             responsible_agency_id=world.agencies["jobcentre"].pk)
    assert _case(case).attention_on == TODAY + 3 * DAY
    step_set_status(ctx=ctx, step_id=step.pk, status="done")
    assert _case(case).attention_on == TODAY + 10 * DAY

    elsewhere = District.objects.create(name="Anderer Kreis", code="11111")
    foreign_agency = Agency.objects.create(district=elsewhere, kind=AgencyKind.JOB_CENTRE, name="Jobcenter Fern")
    foreign_offer = Offer.objects.create(district=elsewhere, name="Fernkurs", life_area="language")
    with pytest.raises(ValidationError) as exc:
        step_add(ctx=ctx, goal_id=goal.pk, title="x", responsible_agency_id=foreign_agency.pk)
    assert "responsible_agency" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        step_add(ctx=ctx, goal_id=goal.pk, title="x", offer_id=foreign_offer.pk)
    assert "offer" in exc.value.message_dict
    with pytest.raises(ValidationError):
        step_add(ctx=ctx, goal_id=goal.pk, title="")
    assert len(_steps(goal)) == 2


def test_statuses_are_checked_and_logged(world, case):
    ctx = world.ctx("caritas")
    goal = goal_add(ctx=ctx, case_id=case.pk, life_area="housing", title="Wohnung")
    step = step_add(ctx=ctx, goal_id=goal.pk, title="Wohnberechtigungsschein")
    with pytest.raises(ValidationError):
        step_set_status(ctx=ctx, step_id=step.pk, status="finished")
    done = step_set_status(ctx=ctx, step_id=step.pk, status="done")
    assert (done.status, done.done_on) == ("done", TODAY)
    reopened = step_set_status(ctx=ctx, step_id=step.pk, status="open")
    assert reopened.done_on is None
    with pytest.raises(ValidationError):
        goal_set_status(ctx=ctx, goal_id=goal.pk, status="won")
    assert goal_set_status(ctx=ctx, goal_id=goal.pk, status="achieved").status == "achieved"
    with pytest.raises(ValidationError):  # no new steps on a goal that is reached
        step_add(ctx=ctx, goal_id=goal.pk, title="more")
    assert {e.action for e in AccessEvent.objects.filter(action__startswith="plan.")} >= {
        "plan.goal_added", "plan.step_added", "plan.step_status_set", "plan.goal_status_set"}
    other = open_case(world, register_person(world, by="caritas", family_name="Other"))
    with pytest.raises(ValidationError):  # a form of another case's page
        step_set_status(ctx=ctx, step_id=step.pk, status="done", case_id=other.pk)


def test_a_closed_case_takes_no_plan_changes(world, case):
    ctx = world.ctx("caritas")
    goal = goal_add(ctx=ctx, case_id=case.pk, life_area="housing", title="Wohnung")
    case_close(ctx=ctx, case_id=case.pk, reason="goals_reached", outcome="achieved")
    with pytest.raises(ValidationError):
        step_add(ctx=ctx, goal_id=goal.pk, title="late")
    with pytest.raises(ValidationError):
        goal_add(ctx=ctx, case_id=case.pk, life_area="housing", title="late")


# --- templates and deadlines from rule data -------------------------------------------------------

def test_reference_templates_are_shipped(world):
    assert set(PlanTemplate.objects.values_list("code", flat=True)) >= {
        "integration-course", "recognition", "chancen-aufenthaltsrecht"}
    assert PlanTemplate.objects.get(code="integration-course").name == "Integrationskurs binnen 8 Wochen"


def test_p104c_chain_computes_due_dates_from_rule_data(world, case):
    goal = plan_apply_template(ctx=world.ctx("caritas"), case_id=case.pk,
                               template_code="chancen-aufenthaltsrecht", anchor_on=datetime.date(2025, 6, 2))
    steps = {s.title: s for s in _steps(goal)}
    application = steps["Antrag auf Aufenthaltserlaubnis nach § 25a oder § 25b bei der Ausländerbehörde"]
    # 2025-06-02 + 18 months = 2026-12-02; 6 weeks before = 2026-10-21
    assert application.due_on == datetime.date(2026, 10, 21)
    assert steps["Ablauf der Aufenthaltserlaubnis nach § 104c"].due_on == datetime.date(2026, 12, 2)
    assert steps["Mündliche Deutschkenntnisse auf Niveau A2 nachweisen"].due_on == datetime.date(2026, 9, 9)
    assert "§ 104c Abs. 3 S. 3 AufenthG" in application.deadline_rule_ref
    assert "§ 81 Abs. 4 AufenthG" in application.deadline_rule_ref
    assert application.responsible_agency == world.agencies["abh"]
    livelihood = steps["Lebensunterhalt überwiegend (mindestens 51 %) durch Erwerbstätigkeit sichern"]
    assert livelihood.responsible_agency == world.agencies["jobcentre"]
    assert (goal.life_area, goal.template_code, goal.anchor_on) == (
        "residence", "chancen-aufenthaltsrecht", datetime.date(2025, 6, 2))
    assert _case(case).phase == Phase.PLANNING
    assert _case(case).attention_on == datetime.date(2026, 9, 9)
    assert AccessEvent.objects.filter(action="plan.template_applied", person_id=case.person_id).exists()


def test_changing_the_rule_data_changes_the_due_date_without_code(world, case):
    DeadlineRule.objects.filter(key="p104c-followup-application").update(amount=-8)
    goal = plan_apply_template(ctx=world.ctx("caritas"), case_id=case.pk,
                               template_code="chancen-aufenthaltsrecht", anchor_on=datetime.date(2025, 6, 2))
    application = next(s for s in _steps(goal) if s.title.startswith("Antrag auf Aufenthaltserlaubnis"))
    assert application.due_on == datetime.date(2026, 12, 2) - datetime.timedelta(weeks=8)


def test_an_anchor_before_the_rule_was_in_force_is_refused_clearly(world, case):
    with translation.override("de"), pytest.raises(ValidationError) as exc:
        plan_apply_template(ctx=world.ctx("caritas"), case_id=case.pk,
                            template_code="chancen-aufenthaltsrecht", anchor_on=datetime.date(2022, 6, 1))
    message = " ".join(exc.value.message_dict["anchor_on"])
    assert "Für dieses Datum ist keine Fristregel in Kraft" in message
    assert "p104c-validity" in message and "01.06.2022" in message
    with personal_data_scope():
        assert not PlanGoal.objects.exists() and not PlanStep.objects.exists()


def test_integration_course_and_recognition_chains(world, case):
    ctx = world.ctx("caritas")
    anchor = datetime.date(2025, 3, 3)
    course = {s.title: s for s in _steps(plan_apply_template(
        ctx=ctx, case_id=case.pk, template_code="integration-course", anchor_on=anchor))}
    assert course["Anmeldung bei einem Kursträger"].due_on == anchor + datetime.timedelta(weeks=2)
    assert course["Beginn des Integrationskurses"].due_on == anchor + datetime.timedelta(weeks=8)
    assert "§ 7 Abs. 2 IntV" in course["Anmeldung bei einem Kursträger"].deadline_rule_ref
    recognition = {s.title: s for s in _steps(plan_apply_template(
        ctx=ctx, case_id=case.pk, template_code="recognition", anchor_on=anchor))}
    # documents 6 weeks (2025-04-14), then the decision 3 months later (§ 6 Abs. 3 BQFG)
    decision = recognition["Bescheid über die Anerkennung"]
    assert decision.due_on == datetime.date(2025, 7, 14)
    assert "§ 6 Abs. 3 BQFG" in decision.deadline_rule_ref
    adaptation = next(s for t, s in recognition.items() if t.startswith("Ausgleichsmaßnahme"))
    assert adaptation.due_on is None and "teilweiser Anerkennung" in adaptation.responsible_note


def test_responsible_agency_is_found_near_the_person(world):
    PlanTemplate.objects.create(code="test-social", name="Test", life_area="livelihood", goal_title="Leistungen",
                                anchor_label="Antrag", steps=[
                                    {"title": "Antrag Sozialamt", "responsible_kind": "social_office", "offset_days": 14},
                                    {"title": "Welcome Center", "responsible_kind": "welcome_center"}])
    ctx = world.ctx("caritas")
    for town, expected in (("a", "social_a"), ("b", "social_b")):
        case = open_case(world, register_person(world, by="caritas", town=town, family_name=f"In {town}"))
        steps = _steps(plan_apply_template(ctx=ctx, case_id=case.pk, template_code="test-social",
                                           anchor_on=datetime.date(2025, 1, 1)))
        assert steps[0].responsible_agency == world.agencies[expected]
        assert steps[0].due_on == datetime.date(2025, 1, 15)
        # no agency of that kind in the district: left empty, with a note that says so
        assert steps[1].responsible_agency is None
        assert "Welcome Center" in steps[1].responsible_note


def test_unknown_template_is_refused(world, case):
    with pytest.raises(ValidationError) as exc:
        plan_apply_template(ctx=world.ctx("caritas"), case_id=case.pk, template_code="nope",
                            anchor_on=TODAY)
    assert "template" in exc.value.message_dict


# --- reading: progress and access ------------------------------------------------------------------

def test_summary_counts_progress_and_overdue_steps(world, case):
    ctx = world.ctx("caritas")
    goal = goal_add(ctx=ctx, case_id=case.pk, life_area="work_training", title="Arbeit")
    late = step_add(ctx=ctx, goal_id=goal.pk, title="Bewerbung", due_on=TODAY - 2 * DAY)
    done = step_add(ctx=ctx, goal_id=goal.pk, title="Lebenslauf", due_on=TODAY - 5 * DAY)
    cancelled = step_add(ctx=ctx, goal_id=goal.pk, title="Praktikum", due_on=TODAY - 5 * DAY)
    step_add(ctx=ctx, goal_id=goal.pk, title="Vorstellung", due_on=TODAY + 5 * DAY)
    step_set_status(ctx=ctx, step_id=done.pk, status="done")
    step_set_status(ctx=ctx, step_id=cancelled.pk, status="cancelled")
    language = goal_add(ctx=ctx, case_id=case.pk, life_area="language", title="Deutsch")
    summary = plan_summary(case_access(ctx, case.pk))
    assert (summary.done, summary.total, summary.percent) == (1, 3, 33)
    assert [s.step.pk for s in summary.overdue] == [late.pk]
    assert [g.goal.pk for g in summary.goals] == [language.pk, goal.pk]  # life-area order
    assert summary.next_due.step.pk == late.pk


def test_no_plan_gives_none(world, case):
    assert plan_summary(case_access(world.ctx("caritas"), case.pk)) is None


def test_other_agency_cannot_read_or_write_the_plan_without_consent(world, case):
    goal = goal_add(ctx=world.ctx("caritas"), case_id=case.pk, life_area="housing", title="CANARY-GOAL")
    for user in ("jobcentre", "abh", "psych"):
        with pytest.raises(CaseNotFound):
            plan_detail(world.ctx(user), case.pk)
        with pytest.raises(CaseNotFound):
            plan_for_print(world.ctx(user), case.pk)
    with pytest.raises(AccessDenied):
        goal_add(ctx=world.ctx("jobcentre"), case_id=case.pk, life_area="housing", title="x")
    with pytest.raises(AccessDenied):
        step_add(ctx=world.ctx("jobcentre"), goal_id=goal.pk, title="x")
    event = AccessEvent.objects.order_by("-seq").first()
    assert (event.action, event.decision) == ("plan.step_add.refused", "denied")


def test_consent_lets_the_job_centre_read_the_plan_and_revocation_hides_it_at_once(world, case):
    goal = goal_add(ctx=world.ctx("caritas"), case_id=case.pk, life_area="housing", title="CANARY-GOAL")
    step = step_add(ctx=world.ctx("caritas"), goal_id=goal.pk, title="Wohnungssuche")
    consent = _consent_to_jobcentre(world, case.person_id, [C.IDENTITY, C.COUNSELLING_NOTES])
    page = plan_detail(world.ctx("jobcentre"), case.pk)
    assert [g.goal.title for g in page.plan.goals] == ["CANARY-GOAL"]
    assert not page.access.is_own_agency
    # reading is not writing
    with pytest.raises(AccessDenied):
        step_set_status(ctx=world.ctx("jobcentre"), step_id=step.pk, status="done")
    consent_revoke(ctx=world.ctx("caritas"), consent_id=consent.pk, note="revoked")
    with pytest.raises(CaseNotFound):
        plan_detail(world.ctx("jobcentre"), case.pk)


def test_printing_is_logged_as_plan_printed(world, case):
    goal_add(ctx=world.ctx("caritas"), case_id=case.pk, life_area="housing", title="Wohnung")
    printed = plan_for_print(world.ctx("caritas"), case.pk)
    assert printed.record.person.given_names == "Canary-Given"
    assert printed.agency_name == "Caritas Test" and printed.district_name == world.district.name
    event = AccessEvent.objects.filter(action="plan.printed").get()
    assert (event.decision, event.person_id, event.object_ref) == ("allowed", case.person_id, f"case:{case.pk}")
