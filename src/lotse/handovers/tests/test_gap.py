"""The gap check: days between the end of the old coverage and the start of the new one
(§ 37 Abs. 2 S. 2 SGB II: an application counts back to the 1st of its month), risk flags
raised in time from rule data, the list sorted by risk, and the coordinators' overview with
aggregates only."""

import datetime

import pytest

from lotse.handovers.selectors import (
    MIN_CELL,
    OverviewNotAllowed,
    Period,
    coverage_of,
    handover_counts,
    handover_detail,
    handover_overview,
    open_handovers,
)
from lotse.handovers.services import handover_cancel, handover_complete
from lotse.handovers.tests.test_workflow import item, recognised_household, tick
from lotse.rules.models import DeadlineRule

pytestmark = pytest.mark.django_db

D = datetime.date


def _flags(world, who, handover, today):
    return handover_detail(world.ctx(who, today=today), handover.pk).assessment


# --- the computation ----------------------------------------------------------------------------

def test_an_application_counts_back_to_the_first_of_its_month():
    common = {"old_regime_ends_on": D(2026, 3, 31), "new_regime_starts_on": D(2026, 4, 1),
              "last_payment_on": None, "today": D(2026, 6, 1)}
    in_time = coverage_of(**common, application_filed_on=D(2026, 4, 30))
    assert (in_time.new_starts_on, in_time.gap_days, in_time.overlap_days) == (D(2026, 4, 1), 0, 0)
    assert in_time.seamless and not in_time.expected
    early = coverage_of(**common, application_filed_on=D(2026, 3, 20))  # never before the new start
    assert (early.new_starts_on, early.gap_days) == (D(2026, 4, 1), 0)
    late = coverage_of(**common, application_filed_on=D(2026, 5, 3))
    assert (late.new_starts_on, late.gap_days) == (D(2026, 5, 1), 30)
    much_later = coverage_of(**common, application_filed_on=D(2026, 7, 31))
    assert much_later.gap_days == 30 + 31 + 30
    # The previous office paid for April too: an overlap, no gap.
    paid_on = coverage_of(**{**common, "last_payment_on": D(2026, 4, 30)}, application_filed_on=D(2026, 4, 2))
    assert (paid_on.gap_days, paid_on.overlap_days, paid_on.old_ends_on) == (0, 30, D(2026, 4, 30))
    # It stopped paying early: the gap starts with its last payment.
    stopped = coverage_of(**{**common, "last_payment_on": D(2026, 3, 15)}, application_filed_on=D(2026, 4, 2))
    assert stopped.gap_days == 16
    # No application yet: the start if it were filed today.
    pending = coverage_of(**common, application_filed_on=None)
    assert pending.expected and (pending.new_starts_on, pending.gap_days) == (D(2026, 6, 1), 61)


# --- single cases -------------------------------------------------------------------------------

def test_a_missing_application_is_flagged_from_the_warning_date_not_the_day_before(world):
    handover = recognised_household(world)  # recognised 10.3.2026: application due 30.4.2026
    assert handover.application_due_on == D(2026, 4, 30)
    before = _flags(world, "jobcentre", handover, D(2026, 4, 22))
    on = _flags(world, "jobcentre", handover, D(2026, 4, 23))  # 5 working days before 30.4.
    assert on.warning_on == D(2026, 4, 23)
    assert "application_missing" not in before.flags and "confirmation_missing" not in before.flags
    assert on.flags[:2] == ("application_missing", "confirmation_missing")
    assert on.risk == "application_missing" and on.coverage.gap_days == 0
    # The social office's list says the same on the same day.
    [row] = open_handovers(world.ctx("social_a", today=D(2026, 4, 23))).rows
    assert row.assessment.risk == "application_missing"


def test_the_warning_period_is_rule_data(world):
    DeadlineRule.objects.filter(key="handover-risk-warning").update(amount=-10)
    handover = recognised_household(world)
    assert _flags(world, "jobcentre", handover, D(2026, 4, 16)).warning_on == D(2026, 4, 16)
    assert "application_missing" in _flags(world, "jobcentre", handover, D(2026, 4, 16)).flags
    assert "application_missing" not in _flags(world, "jobcentre", handover, D(2026, 4, 15)).flags


def test_an_application_filed_in_may_leaves_april_uncovered_and_is_flagged(world):
    handover = recognised_household(world)
    tick(world, "jobcentre", handover, "application", D(2026, 5, 3), today=D(2026, 5, 4))
    tick(world, "jobcentre", handover, "confirmation", D(2026, 5, 4), today=D(2026, 5, 4))
    assessment = _flags(world, "social_a", handover, D(2026, 5, 4))
    assert assessment.coverage.new_starts_on == D(2026, 5, 1)
    assert assessment.coverage.gap_days == 30  # April
    assert assessment.risk == "gap" and "application_missing" not in assessment.flags


def test_an_application_filed_in_april_leaves_no_gap(world):
    handover = recognised_household(world)
    tick(world, "jobcentre", handover, "application", D(2026, 4, 20), today=D(2026, 4, 20))
    tick(world, "jobcentre", handover, "confirmation", D(2026, 4, 22), today=D(2026, 4, 22))
    assessment = _flags(world, "jobcentre", handover, D(2026, 4, 23))
    assert assessment.coverage.seamless and assessment.coverage.new_starts_on == D(2026, 4, 1)
    assert "gap" not in assessment.flags
    assert "application_missing" not in assessment.flags and "confirmation_missing" not in assessment.flags


def test_no_application_by_the_end_of_the_month_is_a_gap_already(world):
    handover = recognised_household(world)
    assessment = _flags(world, "jobcentre", handover, D(2026, 5, 2))
    assert assessment.coverage.expected and assessment.coverage.gap_days == 30
    assert assessment.flags[:2] == ("gap", "application_missing")


def test_items_past_their_due_date_are_flagged_overdue(world):
    handover = recognised_household(world)
    consent_due = item(handover, "consent").due_on
    assert _flags(world, "social_a", handover, consent_due).flags == ()
    assert _flags(world, "social_a", handover, consent_due + datetime.timedelta(days=1)).flags == ("overdue",)


# --- the list -----------------------------------------------------------------------------------

def test_the_list_puts_the_worst_risk_first_and_names_the_household(world):
    fine = recognised_household(world, given_names="Fadi", family_name="Aziz", on=D(2026, 3, 2))
    gap = recognised_household(world, given_names="Rami", family_name="Saleh", on=D(2026, 3, 10))
    missing = recognised_household(world, given_names="Lina", family_name="Omar", on=D(2026, 3, 20),
                                   partner=False)
    today = D(2026, 4, 27)
    for handover in (fine, gap):
        tick(world, "jobcentre", handover, "application", D(2026, 4, 10), today=today)
        tick(world, "jobcentre", handover, "confirmation", D(2026, 4, 14), today=today)
    tick(world, "social_a", gap, "last_payment", D(2026, 3, 15), today=today)  # stopped paying early
    rows = open_handovers(world.ctx("jobcentre", today=today)).rows
    assert [r.handover.pk for r in rows] == [gap.pk, missing.pk, fine.pk]
    assert [r.assessment.risk for r in rows] == ["gap", "application_missing", "overdue"]
    assert [f"{r.record.person.given_names} {r.record.person.family_name}" for r in rows] == [
        "Rami Saleh", "Lina Omar", "Fadi Aziz"]
    assert [m.name for m in rows[0].members] == ["Huda Saleh"] and rows[1].members == []
    assert handover_counts(world.ctx("jobcentre", today=today)) == {"open": 3, "at_risk": 3}
    # Pages of one row keep the order.
    second = open_handovers(world.ctx("jobcentre", today=today), page=2, per_page=1)
    assert [r.handover.pk for r in second.rows] == [missing.pk] and second.num_pages == 3


def test_the_list_and_the_counts_belong_to_the_offices_of_the_handover(world):
    recognised_household(world, town="a")
    recognised_household(world, town="b", given_names="Omar", family_name="Khalil",
                         email="omar@example.org")
    today = D(2026, 4, 1)
    assert open_handovers(world.ctx("social_a", today=today)).total == 1
    assert open_handovers(world.ctx("social_b", today=today)).total == 1
    assert open_handovers(world.ctx("jobcentre", today=today)).total == 2
    assert handover_counts(world.ctx("caritas")) == {"open": 0, "at_risk": 0}


# --- the coordinators' overview -----------------------------------------------------------------

def _completed(world, *, given_names, filed, first_payment, town="a"):
    handover = recognised_household(world, given_names=given_names, family_name="Test", town=town,
                                    email="", partner=False)
    social = "social_a" if town == "a" else "social_b"
    tick(world, "jobcentre", handover, "application", filed, today=filed)
    tick(world, "jobcentre", handover, "confirmation", filed, today=filed)
    tick(world, "jobcentre", handover, "first_payment", first_payment, today=first_payment)
    tick(world, social, handover, "last_payment", D(2026, 3, 31), today=D(2026, 4, 2))
    handover_complete(ctx=world.ctx("jobcentre", today=first_payment), handover_id=handover.pk)
    return handover


def test_the_overview_counts_per_municipality_without_naming_anyone(world):
    # A-Dorf: five completed handovers, so the median is computed from five first payments. New
    # start 1.4.2026, old coverage paid up to 31.3.2026. Days to payment from 1.4., gap days when
    # the application was filed after April (it counts back to the 1st of its month only).
    for name, filed, first_payment in (
            ("Anna", D(2026, 4, 10), D(2026, 4, 20)),  # 19 days, no gap
            ("Bert", D(2026, 5, 3), D(2026, 5, 15)),   # 30 + 14 = 44 days, gap April: 30
            ("Cleo", D(2026, 4, 28), D(2026, 5, 4)),   # 30 + 3 = 33 days, no gap
            ("Hana", D(2026, 4, 20), D(2026, 4, 27)),  # 26 days, no gap
            ("Ida", D(2026, 5, 5), D(2026, 5, 20))):   # 30 + 19 = 49 days, gap April: 30
        _completed(world, given_names=name, filed=filed, first_payment=first_payment)
    for name in ("Dana", "Jana"):  # open, no application by July: April to June as of today
        recognised_household(world, given_names=name, family_name="Test", partner=False)
    _completed(world, given_names="Emil", town="b", filed=D(2026, 6, 2), first_payment=D(2026, 6, 10))
    cancelled = recognised_household(world, given_names="Fritz", family_name="Test", town="b", partner=False,
                                     email="")
    handover_cancel(ctx=world.ctx("social_b"), handover_id=cancelled.pk, reason="Umzug")
    outside = recognised_household(world, given_names="Gina", family_name="Test", partner=False,
                                   on=D(2025, 3, 10))  # new start 1.4.2025: outside the period

    overview = handover_overview(world.ctx("coordinator", today=D(2026, 7, 1)),
                                 Period(D(2026, 1, 1), D(2026, 12, 31)))
    assert MIN_CELL == 5  # the numbers below assume it
    # B-Stadt has a single handover: it is not shown as a row of its own (nor pooled: the pool
    # would be smaller than the smallest cell).
    [a_dorf] = overview.rows
    assert (a_dorf.name, a_dorf.open, a_dorf.completed) == ("A-Dorf", 2, 5)
    # Days from 1.4. to the first payment: 19, 44, 33, 26, 49 → sorted 19, 26, 33, 44, 49 → median 33.
    assert a_dorf.median_days_to_payment == 33
    # Gaps in A-Dorf: Bert and Ida (April: 30 each); the open handovers of Dana and Jana (no
    # application by July: April to June, 30 + 31 + 30 = 91 each). Emil in B-Stadt (April and
    # May: 30 + 31 = 61).
    assert (a_dorf.gaps, a_dorf.gap_days_total) == (4, 30 + 30 + 91 + 91)
    # Small cells are not shown: four gaps (a cell that the old threshold of 3 showed) is now hidden.
    assert a_dorf.gap_days_shown is None and a_dorf.gap_days_suppressed
    district = overview.district
    assert (district.open, district.completed, district.gaps) == (2, 6, 5)
    # The district has five gaps, enough to be shown; but A-Dorf's gap days are hidden (and
    # B-Stadt's pool of one is too small), so the district's are too (no subtraction to one person).
    assert district.gap_days_shown is None and district.gap_days_total == 30 + 30 + 91 + 91 + 61
    # Payments in the district: A-Dorf's and Emil's 30 + 31 + 9 = 70 → 19, 26, 33, 44, 49, 70.
    assert district.median_days_to_payment == (33 + 44) / 2
    assert district.total == 8  # neither the cancelled one nor the one outside the period
    assert outside.new_regime_starts_on == D(2025, 4, 1)
    with pytest.raises(OverviewNotAllowed):
        handover_overview(world.ctx("jobcentre"), Period(D(2026, 1, 1), D(2026, 12, 31)))


def test_the_list_takes_the_same_number_of_queries_for_more_handovers(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = open_handovers(world.ctx("jobcentre", today=D(2026, 4, 27)))
        return page.total, len(captured.captured_queries)

    recognised_household(world, given_names="Fadi", family_name="Aziz")
    one, few = queries()
    for name in ("Lina", "Omar", "Sami"):
        recognised_household(world, given_names=name, family_name="Haddad")
    four, more = queries()
    assert (one, four) == (1, 4)
    assert more == few


def test_handovers_with_many_application_deadlines_take_no_more_queries(world):
    """The warning rule is read once per page, not once per distinct application deadline (the
    start page took 171 statements on a Kreis-scale database with many deadlines)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lotse.core.scoping import personal_data_scope
    from lotse.handovers.models import Handover

    def queries(call):
        with CaptureQueriesContext(connection) as captured:
            call(world.ctx("jobcentre", today=D(2026, 4, 27)))
        return len(captured.captured_queries)

    recognised_household(world, given_names="Fadi", family_name="Aziz")
    few = queries(open_handovers), queries(handover_counts)
    for index, name in enumerate(("Lina", "Omar", "Sami", "Rana", "Yara")):
        handover = recognised_household(world, given_names=name, family_name="Haddad")
        with personal_data_scope():  # the test's own set-up, not an access
            Handover.objects.filter(pk=handover.pk).update(
                application_due_on=handover.application_due_on + datetime.timedelta(days=index + 1))
    assert (queries(open_handovers), queries(handover_counts)) == few


def test_each_handover_is_warned_by_the_rule_version_in_force_on_its_deadline(world):
    from lotse.handovers.selectors import warning_date, warning_rule
    from lotse.rules.selectors import deadline_from

    current = DeadlineRule.objects.get(key="handover-risk-warning")
    DeadlineRule.objects.filter(pk=current.pk).update(valid_to=D(2026, 5, 31))
    newer = DeadlineRule.objects.get(pk=current.pk)
    newer.pk, newer.valid_from, newer.valid_to, newer.amount = None, D(2026, 6, 1), None, current.amount - 7
    newer.save()
    rule = warning_rule()
    for due in (D(2026, 4, 30), D(2026, 5, 31), D(2026, 6, 1), D(2026, 6, 30)):
        expected, _version = deadline_from(key="handover-risk-warning", anchor=due)
        assert warning_date(due, rule) == expected == warning_date(due)
    # the two versions really differ on either side of the change
    assert warning_date(D(2026, 6, 1), rule) - warning_date(D(2026, 5, 31), rule) != datetime.timedelta(days=1)
