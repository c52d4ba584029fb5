"""The demo steering content of Kreis Düren: the committees of seed 001, five welcome-counselling
positions spread over all 15 municipalities (seed 000), the goals with indicators and a gap
report that went all the way to a measure."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from lotse.gaps.models import GapReport, GapStatus
from lotse.organisations.kreis_dueren import MUNICIPALITIES
from lotse.organisations.management.commands.seed import build_kreis_dueren
from lotse.steering.demo import seed_demo_steering
from lotse.steering.models import (
    Committee,
    CommitteeKind,
    CounsellingCapacity,
    Goal,
    Measure,
    Meeting,
    ResidentStatistic,
)

TODAY = datetime.date(2026, 12, 5)


@pytest.fixture
def dueren(db):
    call_command("load_reference_data", verbosity=0)
    world = build_kreis_dueren()
    seed_demo_steering(world.district, TODAY)
    return world


def test_seeding_twice_creates_nothing_twice(dueren):
    counts = [model.objects.count() for model in (Committee, Goal, Measure, Meeting, CounsellingCapacity)]
    assert seed_demo_steering(dueren.district, TODAY) == 0
    assert [model.objects.count() for model in (Committee, Goal, Measure, Meeting, CounsellingCapacity)] == counts


def test_the_committees_of_the_district_are_those_of_seed_001(dueren):
    names = set(Committee.objects.values_list("name", flat=True))
    assert {"Lenkungsgruppe Kommunales Integrationsmanagement", "Arbeitskreis Migration",
            "Integrationskurskonferenz", "Jour fixe Case-Management"} <= names
    assert Committee.objects.filter(kind=CommitteeKind.WORKING_GROUP).count() == 3


def test_five_positions_cover_every_municipality(dueren):
    assert CounsellingCapacity.objects.aggregate(total=Sum("fte"))["total"] == Decimal("5.00")
    covered = set(CounsellingCapacity.objects.values_list("municipality__name", flat=True))
    assert covered == {spec.name for spec in MUNICIPALITIES}
    # the AWO's position over Jülich, Linnich and Titz: 0.34 + 0.33 + 0.33
    awo = CounsellingCapacity.objects.filter(agency__short_name="AWO").order_by("-fte")
    assert [c.fte for c in awo] == [Decimal("0.34"), Decimal("0.33"), Decimal("0.33")]


def test_statistics_of_the_last_year_end(dueren):
    rows = ResidentStatistic.objects.all()
    assert rows.count() == 15 and {r.reference_date for r in rows} == {datetime.date(2025, 12, 31)}
    # Düren: 93,323 inhabitants × 0.8 % = 746.584 → 746
    assert rows.get(municipality__name="Düren").newcomers_last_12_months == 746


def test_a_gap_report_decided_into_a_measure(dueren):
    decided = GapReport.objects.get(status=GapStatus.DECIDED)
    measure = Measure.objects.get(gap_report=decided)
    assert measure.decision.meeting.committee.kind == CommitteeKind.STEERING_GROUP
    assert decided.resolved_on == TODAY - datetime.timedelta(days=40)
    assert GapReport.objects.filter(status=GapStatus.ON_AGENDA).count() == 1
    assert Goal.objects.exclude(indicator="").count() == 5
