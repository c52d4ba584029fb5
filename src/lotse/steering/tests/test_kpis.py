"""The KPIs of the steering dashboard on small hand-built data sets, every expected number
worked out in a comment: integration courses (target from the dated rule data), gap days at
changes of benefits regime, eAT renewals and days to appointment, caseload per case manager,
referrals, gap reports; per municipality and for the previous period; small figures not
shown and their partners withheld; the count tables of the export; only steering sees them,
every count is logged once, another district's data never counts, and the number of queries
does not grow with the data.

Period throughout: 2nd quarter 2026 (1.4.–30.6.), the previous one 1st quarter 2026;
"today" is 15.7.2026, so "at the end of the period" means 30.6.2026."""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from lotse.access.spine import AccessDenied
from lotse.appointments.models import (
    Appointment,
    AppointmentMember,
    AppointmentProposal,
    AppointmentStatus,
    Office,
    Outcome,
    ProposalReason,
    ProposalStatus,
    ServiceKind,
)
from lotse.appointments.tests.factories import person_with_title
from lotse.audit.models import AccessEvent, Decision
from lotse.cases.models import Case, CaseAssignment, Phase
from lotse.cases.services import case_assign
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import build_world, open_case, register_person
from lotse.core.vocabulary import Purpose
from lotse.gaps.models import GapReport, GapSource, GapStatus
from lotse.handovers.services import handover_cancel
from lotse.handovers.tests.test_workflow import recognised_household, tick
from lotse.people.models import ResidenceStatus
from lotse.plans.models import PlanStep
from lotse.plans.services import plan_apply_template, step_set_status
from lotse.referrals.models import Referral, ReferralStatus
from lotse.rules.models import DeadlineRule
from lotse.steering.kpis import (
    DEFINITIONS,
    MIN_CELL,
    Figure,
    compute_kpis,
    count_tables,
    indicator_choices,
)
from lotse.steering.periods import Period
from lotse.steering.suppression import THRESHOLD

pytestmark = pytest.mark.django_db

D = datetime.date
BERLIN = ZoneInfo("Europe/Berlin")
Q2 = Period.quarter(2026, 2)
TODAY = D(2026, 7, 15)
_names = itertools.count(1)


def at(day: D, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BERLIN)


def _kpis(world, who: str = "coordinator", period: Period = Q2):
    return compute_kpis(world.ctx(who, today=TODAY), period)


def _towns(result) -> dict[str, tuple]:
    """Municipality → (value, n) of the period."""
    return {m.name: (m.figure.value, m.figure.n) for m in result.by_municipality}


def _de(msgid: str) -> str:
    """The German of a text new with the KPIs (English until the catalogue is compiled)."""
    with translation.override("de"):
        return gettext(msgid)


def _person(world, town: str, by: str = "caritas") -> int:
    return register_person(world, by=by, town=town, given_names=f"Vorname{next(_names):03d}",
                           family_name="Kennzahl")


# --- the definitions -------------------------------------------------------------------------------

def test_every_kpi_has_a_definition_unit_and_title_for_the_choices():
    codes = [code for code, _title in indicator_choices()]
    assert codes == [d.code for d in DEFINITIONS]
    assert {"course_start_days", "course_start_within_target", "benefit_gap_days", "benefit_no_gap_share",
            "renewals_in_time", "invitation_to_appointment_days", "caseload_per_manager",
            "referrals_accepted_share", "referrals_completed_share", "referral_open_age_days",
            "gap_report_resolution_days"} == set(codes)
    assert all(d.definition and d.unit and d.statistic for d in DEFINITIONS)
    assert MIN_CELL == THRESHOLD == 5


def test_a_figure_reads_in_german_and_says_why_it_is_not_shown():
    assert Figure(48.0, 6).text == "48"
    assert Figure(30.333333, 6).text == "30,3"
    assert Figure(200 / 3, 6).text == "66,7"  # rounded, not cut off
    assert Figure(1234.5, 9).text == "1.234,5"
    assert Figure(None, 3).text == "nicht ausgewiesen"
    assert Figure(None, 0).text == _de("no data")
    assert Figure(None, 7, withheld=True).text == "nicht ausgewiesen"  # small and withheld alike


# --- 1. integration courses ---------------------------------------------------------------------------

COURSE_START = "Beginn des Integrationskurses"


def _course(world, *, town: str, eligible: D, started: D | None, registered: D | None = None) -> None:
    case = open_case(world, _person(world, town))
    goal = plan_apply_template(ctx=world.ctx("caritas"), case_id=case.pk, template_code="integration-course",
                               anchor_on=eligible)
    with personal_data_scope():
        steps = {s.title: s.pk for s in PlanStep.objects.filter(goal=goal)}
    if registered:
        step_set_status(ctx=world.ctx("caritas", today=registered), step_id=steps["Anmeldung bei einem Kursträger"],
                        status="done")
    if started:
        step_set_status(ctx=world.ctx("caritas", today=started), step_id=steps[COURSE_START], status="done")


@pytest.fixture
def courses(world):
    """Started in Q2 (eligible → started: days):
        A-Dorf  1.3. → 10.4.: 40   1.2. → 2.4.: 28 + 32 = 60   1.4. → 21.4.: 20
                1.3. → 15.5.: 31 + 30 + 14 = 75   1.4. → 27.5.: 30 + 26 = 56 (on the target)
        B-Stadt 1.5. → 11.5.: 10
    Not counted: started in Q3, not started yet (only registered, in Q2), started in Q1
    (15.1. → 20.3.: 16 + 28 + 20 = 64, the previous period's only one)."""
    _course(world, town="a", eligible=D(2026, 3, 1), started=D(2026, 4, 10), registered=D(2026, 3, 10))
    _course(world, town="a", eligible=D(2026, 2, 1), started=D(2026, 4, 2))
    _course(world, town="a", eligible=D(2026, 4, 1), started=D(2026, 4, 21))
    _course(world, town="a", eligible=D(2026, 3, 1), started=D(2026, 5, 15))
    _course(world, town="a", eligible=D(2026, 4, 1), started=D(2026, 5, 27))
    _course(world, town="b", eligible=D(2026, 5, 1), started=D(2026, 5, 11))
    _course(world, town="b", eligible=D(2026, 5, 1), started=D(2026, 7, 2))
    _course(world, town="b", eligible=D(2026, 5, 1), started=None, registered=D(2026, 5, 20))
    _course(world, town="a", eligible=D(2026, 1, 15), started=D(2026, 3, 20))


def test_days_to_course_start_median_per_municipality_and_target_from_the_rule(world, courses):
    report = _kpis(world)
    days = report.result("course_start_days")
    # District: 10, 20, 40, 56, 60, 75 → median (40 + 56) / 2 = 48.
    assert (days.district.value, days.district.n) == (48, 6)
    # A-Dorf: 20, 40, 56, 60, 75 → median 56; B-Stadt one course: fewer than 5, not shown.
    assert _towns(days) == {"A-Dorf": (56, 5), "B-Stadt": (None, 1)}
    # Q1: one course (64 days) → not shown.
    assert (days.previous.value, days.previous.n) == (None, 1)
    # The target: the rule integration-course-start, 8 weeks = 56 days.
    assert days.definition.target == 56
    assert "56" in days.definition.target_text and "KIM" in days.definition.target_text
    assert days.definition.better == "lower"


def _more_courses(world) -> None:
    """Six more started in Q2, all A-Dorf, so that a share has 5 or more on either side:
        1.4. → 11.4.: 10   1.4. → 1.5.: 30   4 × 1.2. → 1.5.: 28 + 31 + 30 = 89
    With the fixture's, Q2 holds (A-Dorf) 10, 20, 30, 40, 56, 60, 75, 89, 89, 89, 89 and (B-Stadt) 10."""
    for started in (D(2026, 4, 11), D(2026, 5, 1)):
        _course(world, town="a", eligible=D(2026, 4, 1), started=started)
    for _each in range(4):
        _course(world, town="a", eligible=D(2026, 2, 1), started=D(2026, 5, 1))


def test_share_started_within_the_target_and_its_partner_withheld(world, courses):
    within = _kpis(world).result("course_start_within_target")
    # The fixture alone: ≤ 56 days 10, 20, 40, 56 yes; 60, 75 no → 4 of 6, 2 misses: hidden
    # although n ≥ 5 (66.7 % beside n = 6 would tell the 2).
    assert (within.district.value, within.district.n, within.district.text) == (None, 6, "nicht ausgewiesen")
    _more_courses(world)
    within = _kpis(world).result("course_start_within_target")
    # ≤ 56 days: 10 (B-Stadt), 10, 20, 30, 40, 56 yes (6); 60, 75, 89 × 4 no (6) → 6 / 12 = 50 %.
    assert (within.district.value, within.district.n) == (50, 12)
    assert within.district.text == "50"
    # A-Dorf 5 of 11 = 45.5 % (5 yes, 6 no: could be shown) would give B-Stadt's single course
    # away (district − A-Dorf): withheld.
    a_dorf, b_stadt = within.by_municipality
    assert (a_dorf.figure.value, a_dorf.figure.n, a_dorf.figure.withheld) == (None, 11, True)
    assert (b_stadt.figure.value, b_stadt.figure.n, b_stadt.figure.withheld) == (None, 1, False)
    assert a_dorf.figure.text == b_stadt.figure.text == "nicht ausgewiesen"
    assert within.definition.target is None and "56" in within.definition.target_text


def test_a_newer_rule_version_changes_the_target_of_the_periods_it_is_in_force_for(world, courses):
    _more_courses(world)
    # Under the 8 weeks: 6 / 12 = 50 % (see the test above).
    assert _kpis(world).result("course_start_within_target").district.value == 50
    old = DeadlineRule.objects.get(key="integration-course-start")
    DeadlineRule.objects.create(key=old.key, name=old.name, amount=10, unit="weeks",
                                legal_reference="Beschluss der Lenkungsgruppe 05/2026",
                                valid_from=D(2026, 6, 1))
    report = _kpis(world)
    days = report.result("course_start_days")
    # In force on 30.6.2026: 10 weeks = 70 days.
    assert days.definition.target == 70
    assert "70" in days.definition.target_text and "Lenkungsgruppe" in days.definition.target_text
    # ≤ 70 days: 10 (B-Stadt), 10, 20, 30, 40, 56, 60 yes (7); 75, 89 × 4 no (5) → 7 / 12 = 58.3 %.
    within = report.result("course_start_within_target").district
    assert (within.value, within.n, within.text) == (pytest.approx(700 / 12), 12, "58,3")
    # The first quarter is still judged by the 8 weeks in force on 31.3.
    q1 = _kpis(world, period=Period.quarter(2026, 1)).result("course_start_days")
    assert q1.definition.target == 56


def test_the_course_start_is_found_by_its_rule_reference_not_its_title_or_position(world):
    from lotse.plans.services import step_add

    def course(eligible: D):
        case = open_case(world, _person(world, "a"))
        goal = plan_apply_template(ctx=world.ctx("caritas"), case_id=case.pk, template_code="integration-course",
                                   anchor_on=eligible)
        with personal_data_scope():
            return goal, {s.title: s.pk for s in PlanStep.objects.filter(goal=goal)}

    # A step added by hand and the registration, both done: no course start.
    goal, steps = course(D(2026, 4, 1))
    extra = step_add(ctx=world.ctx("caritas"), goal_id=goal.pk, title="Kinderbetreuung klären")
    step_set_status(ctx=world.ctx("caritas", today=D(2026, 4, 5)), step_id=extra.pk, status="done")
    step_set_status(ctx=world.ctx("caritas", today=D(2026, 4, 6)), step_id=steps["Anmeldung bei einem Kursträger"],
                    status="done")
    assert _kpis(world).result("course_start_days").district.n == 0
    # The course-start step renamed (its deadline reference still names the rule): counted,
    # 1.4. → 11.4. = 10 days.
    goal, steps = course(D(2026, 4, 1))
    with personal_data_scope():
        PlanStep.objects.filter(pk=steps[COURSE_START]).update(title="Kursbeginn beim Träger")
    step_set_status(ctx=world.ctx("caritas", today=D(2026, 4, 11)), step_id=steps[COURSE_START], status="done")
    days = _kpis(world).result("course_start_days")
    assert days.district.n == 1 and days.by_municipality[0].figure.n == 1


# --- 2. gap days at changes of benefits regime ----------------------------------------------------------

RECOGNISED = D(2026, 3, 10)


def _handover(world, *, town: str = "a", filed: D | None, recognised: D = RECOGNISED):
    """Recognised on 10.3.2026: the old entitlement ends 31.3., the new one starts 1.4."""
    handover = recognised_household(world, on=recognised, given_names=f"Vorname{next(_names):03d}",
                                    family_name="Kennzahl", email="", partner=False, town=town)
    if filed:
        tick(world, "jobcentre", handover, "application", filed, today=filed)
    return handover


@pytest.fixture
def handovers(world):
    """A-Dorf, new entitlement from 1.4.2026 (old coverage ends 31.3.):
        filed 10.4. → counts from 1.4.: 0 gap days      filed 20.4.: 0
        filed 3.5.  → from 1.5.: April, 30 days        filed 2.6. → from 1.6.: 30 + 31 = 61
        no application by today (15.7.) → as if filed today, from 1.7.: 30 + 31 + 30 = 91
    B-Stadt: one cancelled (left out). Q1: one from 1.3. (recognised 10.2.), filed 5.3.: 0."""
    for filed in (D(2026, 4, 10), D(2026, 4, 20), D(2026, 5, 3), D(2026, 6, 2), None):
        _handover(world, filed=filed)
    cancelled = _handover(world, town="b", filed=None)
    handover_cancel(ctx=world.ctx("social_b"), handover_id=cancelled.pk, reason="Umzug")
    _handover(world, filed=D(2026, 3, 5), recognised=D(2026, 2, 10))


def test_gap_days_reuse_the_handover_gap_check(world, handovers):
    report = _kpis(world)
    gap = report.result("benefit_gap_days")
    # (0 + 0 + 30 + 61 + 91) / 5 = 182 / 5 = 36.4
    assert (gap.district.value, gap.district.n) == (pytest.approx(36.4), 5)
    # All in A-Dorf; B-Stadt's only change was cancelled: no data there.
    assert _towns(gap) == {"A-Dorf": (pytest.approx(36.4), 5), "B-Stadt": (None, 0)}
    assert gap.by_municipality[1].figure.text == _de("no data")
    # Q1: a single change → not shown.
    assert (gap.previous.value, gap.previous.n) == (None, 1)
    no_gap = report.result("benefit_no_gap_share")
    # Without a gap day: 2 of 5 → hidden although n ≥ 5 (40 % would tell the 2).
    assert (no_gap.district.value, no_gap.district.n, no_gap.district.text) == (None, 5, "nicht ausgewiesen")
    # Five more in A-Dorf, filed 5.4., 15.4., 30.4. (from 1.4.: 0 gap days), 3.5. (30), 2.6. (61).
    for filed in (D(2026, 4, 5), D(2026, 4, 15), D(2026, 4, 30), D(2026, 5, 3), D(2026, 6, 2)):
        _handover(world, filed=filed)
    report = _kpis(world)
    gap = report.result("benefit_gap_days")
    # (0 + 0 + 30 + 61 + 91) + (0 + 0 + 0 + 30 + 61) = 182 + 91 = 273 → 273 / 10 = 27.3
    assert (gap.district.value, gap.district.n) == (pytest.approx(27.3), 10)
    no_gap = report.result("benefit_no_gap_share")
    # Without a gap day: 2 + 3 = 5 of 10 = 50 %.
    assert (no_gap.district.value, no_gap.district.n) == (50, 10)
    assert _towns(no_gap) == {"A-Dorf": (50, 10), "B-Stadt": (None, 0)}


# --- 3./4. eAT appointments ------------------------------------------------------------------------------

RENEWAL, FIRST = ProposalReason.EXPIRY, ProposalReason.FIRST_EAT
DONE, NO_SHOW, CANCELLED = AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW, AppointmentStatus.CANCELLED


def _office(world) -> Office:
    return Office.objects.create(agency=world.agencies["abh"], name=f"Amt {world.district.code}",
                                 municipality=world.town_a, street="Marktplatz 1", postal_code="11111",
                                 city="A-Dorf")


def _appointment(world, office: Office, *, invited: datetime.datetime, on: D, status=DONE,
                 members: list[tuple[str, str, D | None, str]]) -> None:
    """members: (town, reason, title expires on, outcome) per person, the applicant first."""
    starts = at(on)
    people = []
    for town, _reason, expires_on, _outcome in members:
        pid = person_with_title(world, expires_on=expires_on, town=town, given=f"Vorname{next(_names):03d}",
                                family="Kennzahl")
        with personal_data_scope():
            people.append((pid, ResidenceStatus.objects.get(person_id=pid).pk))
    with personal_data_scope():
        appointment = Appointment.objects.create(
            owning_agency=office.agency, office=office, counter=1, starts_at=starts,
            ends_at=starts + datetime.timedelta(minutes=20 * len(members)), status=status, invited_at=invited)
        for i, ((_town, reason, expires_on, outcome), (pid, status_id)) in enumerate(zip(members, people, strict=True)):
            proposal = AppointmentProposal.objects.create(
                person_id=pid, owning_agency=office.agency, residence_status_id=status_id, reason=reason,
                service=ServiceKind.RENEWAL if expires_on else ServiceKind.FIRST_APPLICATION,
                earliest_on=D(2026, 1, 1), latest_on=D(2026, 12, 31), expires_on=expires_on,
                status=ProposalStatus.DONE)
            AppointmentMember.objects.create(
                appointment=appointment, proposal=proposal, person_id=pid, service=proposal.service,
                starts_at=starts + datetime.timedelta(minutes=20 * i),
                ends_at=starts + datetime.timedelta(minutes=20 * (i + 1)), outcome=outcome)


TAKEN = Outcome.APPLICATION_TAKEN


@pytest.fixture
def appointments(world):
    """A-Dorf (invited → appointment: days; renewal: title expires → in time?):
        1.4. → 10.4.:  9; expires 30.4. → in time
        20.4. → 20.5.: 30; expires 15.5. → late
        13.5. → 2.6.:  20; expires 2.6. → in time (on the day)
        6.5. → 5.6.:   30; a household: renewal expiring 1.7. (in time) and a first eAT (no renewal)
        2.6. → 12.6.:  10; expires 1.6. → late
    B-Stadt: 15.4. → 25.4.: 10, missed (no renewal completed).
    Invited 31.3. at 23:30 → 8.4.: invited in Q1 (the previous period), completed but without an
    outcome recorded (not a finished renewal). Cancelled, invited 5.4. → 30.4. (9 + 16 = 25
    days, still an invitation of the period, as in appointments.figures)."""
    office = _office(world)
    _appointment(world, office, invited=at(D(2026, 4, 1)), on=D(2026, 4, 10),
                 members=[("a", RENEWAL, D(2026, 4, 30), TAKEN)])
    _appointment(world, office, invited=at(D(2026, 4, 20)), on=D(2026, 5, 20),
                 members=[("a", RENEWAL, D(2026, 5, 15), TAKEN)])
    _appointment(world, office, invited=at(D(2026, 5, 13)), on=D(2026, 6, 2),
                 members=[("a", RENEWAL, D(2026, 6, 2), TAKEN)])
    _appointment(world, office, invited=at(D(2026, 5, 6)), on=D(2026, 6, 5),
                 members=[("a", RENEWAL, D(2026, 7, 1), TAKEN), ("a", FIRST, None, TAKEN)])
    _appointment(world, office, invited=at(D(2026, 6, 2)), on=D(2026, 6, 12),
                 members=[("a", RENEWAL, D(2026, 6, 1), TAKEN)])
    _appointment(world, office, invited=at(D(2026, 4, 15)), on=D(2026, 4, 25), status=NO_SHOW,
                 members=[("b", RENEWAL, D(2026, 5, 1), "")])
    _appointment(world, office, invited=at(D(2026, 3, 31), 23, 30), on=D(2026, 4, 8),
                 members=[("a", RENEWAL, D(2026, 4, 30), "")])
    _appointment(world, office, invited=at(D(2026, 4, 5)), on=D(2026, 4, 30), status=CANCELLED,
                 members=[("a", RENEWAL, D(2026, 5, 31), "")])


def test_renewals_in_time_and_days_from_invitation_to_appointment(world, appointments):
    report = _kpis(world)
    renewals = report.result("renewals_in_time")
    # In time: 10.4. (30.4.), 2.6. (2.6.), 5.6. (1.7.); late: 20.5. (15.5.), 12.6. (1.6.) → 3 of 5:
    # hidden although n ≥ 5 (60 % would tell the 2 late ones).
    assert (renewals.district.value, renewals.district.n) == (None, 5)
    assert renewals.district.text == "nicht ausgewiesen"
    assert _towns(renewals) == {"A-Dorf": (None, 5), "B-Stadt": (None, 0)}
    wait = report.result("invitation_to_appointment_days")
    # Invited in Q2: 9, 30, 20, 30, 10 (A-Dorf), 10 (B-Stadt), 25 (cancelled, A-Dorf)
    # → 9, 10, 10, 20, 25, 30, 30 → median 20.
    assert (wait.district.value, wait.district.n) == (20, 7)
    # A-Dorf: 9, 10, 20, 25, 30, 30 → (20 + 25) / 2 = 22.5; B-Stadt one: not shown.
    assert _towns(wait) == {"A-Dorf": (22.5, 6), "B-Stadt": (None, 1)}
    # Q1: the one invited on 31.3. at 23:30 (local time) → 8 days, a single one.
    assert (wait.previous.value, wait.previous.n) == (None, 1)
    # Five more renewals in A-Dorf on 15.6.: two titles expiring 30.6. (in time), three 14.6. (late).
    office = Office.objects.get(agency=world.agencies["abh"])
    for expires_on in (D(2026, 6, 30),) * 2 + (D(2026, 6, 14),) * 3:
        _appointment(world, office, invited=at(D(2026, 6, 1)), on=D(2026, 6, 15),
                     members=[("a", RENEWAL, expires_on, TAKEN)])
    renewals = _kpis(world).result("renewals_in_time")
    # In time 3 + 2 = 5, late 2 + 3 = 5 → 5 / 10 = 50 %.
    assert (renewals.district.value, renewals.district.n) == (50, 10)
    assert _towns(renewals) == {"A-Dorf": (50, 10), "B-Stadt": (None, 0)}


# --- 5. caseload per case manager ------------------------------------------------------------------------

def _case(world, *, town: str, opened: D, manager: str | None = "caritas", closed: D | None = None,
          focus: str = "welcome_counselling", phase: str = Phase.INTAKE):
    """A case opened by its case manager (or, without one, by the team lead and then left
    unassigned), the assignment dated on the day it was opened."""
    by = manager or "teamlead"
    case = open_case(world, _person(world, town), by=by, focus_area=focus)
    if manager is None:
        case_assign(ctx=world.ctx("teamlead"), case_id=case.pk, case_manager_id=None)
    with personal_data_scope():
        Case.objects.filter(pk=case.pk).update(opened_on=opened, closed_on=closed,
                                               phase=Phase.CLOSED if closed else phase)
        CaseAssignment.objects.filter(case_id=case.pk).update(assigned_at=at(opened))
    return case


@pytest.fixture
def cases(world):
    """Open on 30.6.2026 and with a case manager:
        A-Dorf  opened 1.3. (Caritas), 1.4. (Caritas, labour market, planning), 1.5. (Caritas then;
                handed to a colleague on 10.7.), 10.6. closed 1.7. (team lead)
        B-Stadt opened 1.2. (team lead)
    Not counted: A-Dorf closed 20.6., opened 5.7., and one without a case manager (1.1.)."""
    _case(world, town="a", opened=D(2026, 3, 1))
    _case(world, town="a", opened=D(2026, 4, 1), focus="labour_market", phase=Phase.PLANNING)
    handed_on = _case(world, town="a", opened=D(2026, 5, 1))
    case_assign(ctx=world.ctx("teamlead"), case_id=handed_on.pk, case_manager_id=world.users["caritas_psych"].pk)
    with personal_data_scope():
        CaseAssignment.objects.filter(case_id=handed_on.pk, case_manager=world.users["caritas_psych"]).update(
            assigned_at=at(D(2026, 7, 10)))
    _case(world, town="a", opened=D(2026, 6, 10), closed=D(2026, 7, 1), manager="teamlead")
    _case(world, town="b", opened=D(2026, 2, 1), manager="teamlead")
    _case(world, town="a", opened=D(2026, 1, 1), closed=D(2026, 6, 20))
    _case(world, town="a", opened=D(2026, 7, 5))
    _case(world, town="a", opened=D(2026, 1, 1), manager=None)


def test_caseload_counts_open_cases_per_case_manager_at_the_end_of_the_period(world, cases):
    caseload = _kpis(world).result("caseload_per_manager")
    # 5 cases; case managers on 30.6.: Caritas (3: the handed-on one was still hers), team lead (2)
    # → 5 / 2 = 2.5 (with today's case manager of the handed-on case it would be 5 / 3).
    assert (caseload.district.value, caseload.district.n) == (2.5, 5)
    # A-Dorf 4 cases, B-Stadt 1: both fewer than 5.
    assert _towns(caseload) == {"A-Dorf": (None, 4), "B-Stadt": (None, 1)}
    # 31.3.: opened 1.3. (Caritas), B-Stadt (team lead), the one closed 20.6. (Caritas) → 3 cases.
    assert (caseload.previous.value, caseload.previous.n) == (None, 3)


# --- 6. referrals ---------------------------------------------------------------------------------------

def _referral(world, *, town: str, sent: D, status: str, answered: D | None = None, done: D | None = None):
    pid = _person(world, town)
    with personal_data_scope():
        referral = Referral.objects.create(
            district=world.district, person_id=pid, from_agency=world.agencies["caritas"],
            from_user=world.users["caritas"], to_agency=world.agencies["jobcentre"],
            purpose=Purpose.BENEFITS_ADMINISTRATION, categories_mask=1, status=status)
        Referral.objects.filter(pk=referral.pk).update(
            sent_at=at(sent), answered_at=at(answered) if answered else None, done_at=at(done) if done else None)


@pytest.fixture
def referrals(world):
    """Sent in Q2 (today's status):
        A-Dorf  1.4. accepted 3.4. (open)        10.4. accepted 12.4., done 20.5.
                2.5. declined 5.5.               15.5. not answered (open)
                1.6. accepted 2.6., then withdrawn
        B-Stadt 20.6. accepted 21.6., done 10.7. (after the end of the period)
    Sent in Q1 (A-Dorf): 1.3. declined on 10.7.; 15.3. not answered."""
    S, A, DEC, DN, W = (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.DECLINED,
                        ReferralStatus.DONE, ReferralStatus.WITHDRAWN)
    _referral(world, town="a", sent=D(2026, 4, 1), status=A, answered=D(2026, 4, 3))
    _referral(world, town="a", sent=D(2026, 4, 10), status=DN, answered=D(2026, 4, 12), done=D(2026, 5, 20))
    _referral(world, town="a", sent=D(2026, 5, 2), status=DEC, answered=D(2026, 5, 5))
    _referral(world, town="a", sent=D(2026, 5, 15), status=S)
    _referral(world, town="a", sent=D(2026, 6, 1), status=W, answered=D(2026, 6, 2))
    _referral(world, town="b", sent=D(2026, 6, 20), status=DN, answered=D(2026, 6, 21), done=D(2026, 7, 10))
    _referral(world, town="a", sent=D(2026, 3, 1), status=DEC, answered=D(2026, 7, 10))
    _referral(world, town="a", sent=D(2026, 3, 15), status=S)


def test_referrals_accepted_completed_and_age_of_the_open_ones(world, referrals):
    report = _kpis(world)
    accepted = report.result("referrals_accepted_share")
    # Accepted: 1.4., 10.4. (done), 1.6. (withdrawn after accepting), 20.6. → 4 of 6, 2 not:
    # hidden although n ≥ 5.
    assert (accepted.district.value, accepted.district.n) == (None, 6)
    # Q1: two referrals, neither accepted → fewer than 5.
    assert (accepted.previous.value, accepted.previous.n) == (None, 2)
    completed = report.result("referrals_completed_share")
    # Done: 10.4., 20.6. → 2 of 6: hidden.
    assert (completed.district.value, completed.district.n) == (None, 6)
    age = report.result("referral_open_age_days")
    # Open on 30.6.: sent 1.4. (90 days), 15.5. (46), 20.6. (10; done only on 10.7.), 1.3. (121;
    # declined only on 10.7.), 15.3. (107) → 10, 46, 90, 107, 121 → median 90. Not: done 20.5.,
    # declined 5.5., withdrawn.
    assert (age.district.value, age.district.n) == (90, 5)
    assert _towns(age) == {"A-Dorf": (None, 4), "B-Stadt": (None, 1)}
    # 31.3.: 1.3. (30 days) and 15.3. (16) → 2, not shown.
    assert (age.previous.value, age.previous.n) == (None, 2)

    # Four more from A-Dorf, none open on 30.6.: one sent 2.6., accepted 3.6., done 10.6.; three
    # sent 5.6. and declined 8.6.
    DN, DEC = ReferralStatus.DONE, ReferralStatus.DECLINED
    _referral(world, town="a", sent=D(2026, 6, 2), status=DN, answered=D(2026, 6, 3), done=D(2026, 6, 10))
    for _each in range(3):
        _referral(world, town="a", sent=D(2026, 6, 5), status=DEC, answered=D(2026, 6, 8))
    report = _kpis(world)
    accepted = report.result("referrals_accepted_share")
    # Accepted: 1.4., 10.4., 1.6., 20.6. (B-Stadt), 2.6. → 5 of 10 = 50 %.
    assert (accepted.district.value, accepted.district.n, accepted.district.text) == (50, 10, "50")
    # A-Dorf 4 of 9 (1.4., 10.4., 1.6., 2.6.: hidden although n ≥ 5), B-Stadt 1 of 1 (fewer than 5): two
    # hidden, so none is withheld beside them.
    assert [(m.name, m.figure.value, m.figure.n, m.figure.withheld) for m in accepted.by_municipality] == [
        ("A-Dorf", None, 9, False), ("B-Stadt", None, 1, False)]
    completed = report.result("referrals_completed_share")
    # Done: 10.4., 20.6., 2.6. → 3 of 10: 30 % beside n = 10 would tell the 3 → hidden although n ≥ 5.
    assert (completed.district.value, completed.district.n) == (None, 10)
    assert completed.district.text == "nicht ausgewiesen"
    # The open ones are as before: 10, 46, 90, 107, 121 → median 90.
    age = report.result("referral_open_age_days")
    assert (age.district.value, age.district.n) == (90, 5)

    # Two more from A-Dorf, each sent 2.6., accepted 3.6. and done 10.6.
    for _each in range(2):
        _referral(world, town="a", sent=D(2026, 6, 2), status=DN, answered=D(2026, 6, 3), done=D(2026, 6, 10))
    report = _kpis(world)
    accepted = report.result("referrals_accepted_share")
    # Accepted 5 + 2 = 7 of 12, not accepted 5 (2.5., 15.5., three of 5.6.) → 7 / 12 = 58.3 %.
    assert (accepted.district.value, accepted.district.n, accepted.district.text) == (
        pytest.approx(700 / 12), 12, "58,3")
    # A-Dorf 6 of 11 = 54.5 % (6 accepted, 5 not: could be shown) would give B-Stadt's single
    # referral away: withheld.
    assert [(m.name, m.figure.value, m.figure.n, m.figure.withheld) for m in accepted.by_municipality] == [
        ("A-Dorf", None, 11, True), ("B-Stadt", None, 1, False)]
    completed = report.result("referrals_completed_share")
    # Done: 10.4., 20.6., 2.6. and the two new ones → 5 of 12 = 41.7 %.
    assert (completed.district.value, completed.district.n, completed.district.text) == (
        pytest.approx(500 / 12), 12, "41,7")


# --- 7. gap reports -------------------------------------------------------------------------------------

def _gap(world, *, town, reported: D, resolved: D | None = None, kind: str = "missing_offer",
         status: str = GapStatus.DECIDED) -> None:
    report = GapReport.objects.create(
        district=world.district, municipality=town, life_area="language", kind=kind, title="Lücke",
        description="Beschreibung", source=GapSource.CASE_WORK, reporting_agency=world.agencies["caritas"],
        status=status if resolved else GapStatus.NEW, resolved_on=resolved)
    GapReport.objects.filter(pk=report.pk).update(reported_on=reported)


@pytest.fixture
def gaps(world):
    """Resolved in Q2 (reported → resolved: days):
        A-Dorf  1.4. → 11.4.: 10 (missing offer)    1.3. → 20.4.: 31 + 19 = 50
                10.6. → 15.6.: 5 (merged, missing offer)
        B-Stadt 1.5. → 31.5.: 30 (waiting time)
        whole district 1.6. → 21.6.: 20 (interface problem)
    Resolved in Q1: 1.1. → 11.1.: 10; 5.1. → 4.2.: 30; 1.2. → 8.2.: 7 (B-Stadt); 1.2. → 1.3.: 28;
    2.3. → 12.3.: 10 (whole district). Open: A-Dorf, reported 20.5. (language barrier)."""
    a, b = world.town_a, world.town_b
    _gap(world, town=a, reported=D(2026, 4, 1), resolved=D(2026, 4, 11))
    _gap(world, town=a, reported=D(2026, 3, 1), resolved=D(2026, 4, 20), kind="legal_obstacle")
    _gap(world, town=a, reported=D(2026, 6, 10), resolved=D(2026, 6, 15), status=GapStatus.MERGED)
    _gap(world, town=b, reported=D(2026, 5, 1), resolved=D(2026, 5, 31), kind="waiting_time")
    _gap(world, town=None, reported=D(2026, 6, 1), resolved=D(2026, 6, 21), kind="interface_problem")
    _gap(world, town=a, reported=D(2026, 1, 1), resolved=D(2026, 1, 11))
    _gap(world, town=a, reported=D(2026, 1, 5), resolved=D(2026, 2, 4))
    _gap(world, town=b, reported=D(2026, 2, 1), resolved=D(2026, 2, 8))
    _gap(world, town=a, reported=D(2026, 2, 1), resolved=D(2026, 3, 1))
    _gap(world, town=None, reported=D(2026, 3, 2), resolved=D(2026, 3, 12))
    _gap(world, town=a, reported=D(2026, 5, 20), kind="language_barrier")


def test_gap_report_resolution_time_with_the_previous_quarter(world, gaps):
    resolution = _kpis(world).result("gap_report_resolution_days")
    # 5, 10, 20, 30, 50 → median 20.
    assert (resolution.district.value, resolution.district.n) == (20, 5)
    # Q1: 7, 10, 10, 28, 30 → median 10.
    assert (resolution.previous.value, resolution.previous.n) == (10, 5)
    # Per municipality (A-Dorf 3, B-Stadt 1, whole district 1): all fewer than 5; the reports
    # naming no municipality are the district's own row.
    assert _towns(resolution) == {"A-Dorf": (None, 3), "B-Stadt": (None, 1), "ganzer Kreis": (None, 1)}
    assert [(m.name, m.previous.n) for m in resolution.by_municipality] == [
        ("A-Dorf", 3), ("B-Stadt", 1), ("ganzer Kreis", 1)]


# --- the count tables of the export ------------------------------------------------------------------------

def test_count_tables_for_the_export(world, cases, referrals, gaps):
    tables = {t.code: t for t in count_tables(world.ctx("coordinator", today=TODAY), Q2)}
    focus = tables["open_cases_by_focus_area"]
    # Open on 30.6.: A-Dorf 1.3., 1.4. (labour market), 1.5., 10.6. (closed 1.7.), 1.1. (no case
    # manager: still an open case); B-Stadt 1.2.
    assert focus.row_labels == ["A-Dorf", "B-Stadt"]
    assert focus.column_labels == ["Willkommensberatung", "Arbeitsmarktintegration", "Psychosoziale Beratung"]
    assert focus.counts == [[4, 1, 0], [1, 0, 0]]
    phase = tables["open_cases_by_phase"]
    # Phases now: intake except 1.4. (planning); the one closed on 1.7. in "closed since".
    assert phase.column_labels == ["Klärung und Aufnahme (Intake)", "Einschätzung (Assessment)", "Hilfeplanung",
                                   "Vermittlung (Linking)", "Begleitung (Monitoring)", "Auswertung und Abschluss",
                                   _de("closed since")]
    assert phase.counts == [[3, 0, 1, 0, 0, 0, 1], [1, 0, 0, 0, 0, 0, 0]]
    status = tables["referrals_by_status"]
    assert status.column_labels == ["gesendet", "angenommen", "abgelehnt", "erledigt", "zurückgezogen"]
    # Sent in Q2: A-Dorf one of each status; B-Stadt one done.
    assert status.counts == [[1, 1, 1, 1, 1], [0, 0, 0, 1, 0]]
    kinds = tables["gap_reports_by_kind"]
    # Reported in Q2: A-Dorf 1.4. and 10.6. (missing offer), 20.5. (language barrier); B-Stadt 1.5.
    # (waiting time); whole district 1.6. (interface problem). 1.3. was reported in Q1.
    assert kinds.row_labels == ["A-Dorf", "B-Stadt", "ganzer Kreis"]
    by_kind = {label: [row[i] for row in kinds.counts] for i, label in enumerate(kinds.column_labels)}
    assert by_kind["Fehlendes Angebot"] == [2, 0, 0]
    assert by_kind["Sprachbarriere"] == [1, 0, 0]
    assert by_kind["Wartezeit"] == [0, 1, 0]
    assert by_kind["Schnittstellenproblem zwischen Behörden"] == [0, 0, 1]
    assert sum(map(sum, kinds.counts)) == 5


# --- who may see them, the log, other districts, queries -----------------------------------------------------

def _events(action: str, **filters) -> int:
    return AccessEvent.objects.filter(action=action, **filters).count()


def test_only_steering_sees_the_figures_and_each_count_is_logged_once(world, gaps):
    caritas = world.users["caritas"]
    with pytest.raises(AccessDenied):
        _kpis(world, "caritas")
    with pytest.raises(AccessDenied):
        count_tables(world.ctx("caritas", today=TODAY), Q2)
    assert _events("steering.aggregate.refused", actor_id=caritas.pk, decision=Decision.DENIED) == 2
    assert _events("steering.aggregate") == 0
    member = world.users["steering_member"]
    report = _kpis(world, "steering_member")
    assert report.result("gap_report_resolution_days").district.value == 20
    [event] = AccessEvent.objects.filter(action="steering.aggregate", actor_id=member.pk)
    assert (event.object_ref, event.person_id, event.decision) == ("kpis:2026-Q2", None, Decision.ALLOWED)
    count_tables(world.ctx("steering_member", today=TODAY), Q2)
    assert _events("steering.aggregate", actor_id=member.pk) == 2
    assert _events("steering.aggregate", object_ref="counts:2026-Q2") == 1


def test_another_districts_data_is_never_counted(world):
    other = build_world("88888")
    for town in ("a", "b"):
        _gap(other, town=other.town_a, reported=D(2026, 4, 1), resolved=D(2026, 4, 11))
        _referral(other, town=town, sent=D(2026, 4, 1), status=ReferralStatus.SENT)
        _case(other, town=town, opened=D(2026, 4, 1))
        _course(other, town=town, eligible=D(2026, 4, 1), started=D(2026, 4, 20))
        _appointment(other, _office(other), invited=at(D(2026, 4, 1)), on=D(2026, 4, 10),
                     members=[(town, RENEWAL, D(2026, 4, 30), TAKEN)])
    ours = _kpis(world)
    assert [(r.definition.code, r.district.n, r.previous.n) for r in ours.results if r.district.n or r.previous.n] == []
    assert [m.name for m in ours.result("caseload_per_manager").by_municipality] == ["A-Dorf", "B-Stadt"]
    assert all(sum(map(sum, t.counts)) == 0 for t in count_tables(world.ctx("coordinator", today=TODAY), Q2))
    # The other district's coordinator does count them.
    theirs = compute_kpis(other.ctx("coordinator", today=TODAY), Q2)
    assert {code: theirs.result(code).district.n for code in (
        "gap_report_resolution_days", "referrals_accepted_share", "caseload_per_manager",
        "course_start_days", "renewals_in_time", "invitation_to_appointment_days")} == {
        "gap_report_resolution_days": 2, "referrals_accepted_share": 2, "caseload_per_manager": 2,
        "course_start_days": 2, "renewals_in_time": 2, "invitation_to_appointment_days": 2}


def test_the_number_of_queries_does_not_grow_with_the_data(world):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            compute_kpis(world.ctx("coordinator", today=TODAY), Q2)
            count_tables(world.ctx("coordinator", today=TODAY), Q2)
        return len(captured.captured_queries)

    _case(world, town="a", opened=D(2026, 4, 1))
    _referral(world, town="a", sent=D(2026, 4, 2), status=ReferralStatus.SENT)
    one = queries()
    for i in range(5):
        _case(world, town="ab"[i % 2], opened=D(2026, 4, 1), manager=("caritas", "teamlead")[i % 2])
        _referral(world, town="ab"[i % 2], sent=D(2026, 5, 2), status=ReferralStatus.ACCEPTED,
                  answered=D(2026, 5, 3))
    assert _kpis(world).result("caseload_per_manager").district.n == 6
    assert queries() == one
