"""Triage of gap reports by the coordination: classify, merge duplicates, close, put on an
agenda. Each step is atomic and logged; bad input, refusals and other districts change nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lotse.access.spine import AccessDenied
from lotse.audit.models import AccessEvent
from lotse.core.testing import build_world
from lotse.gaps.models import GapReport, GapSource, GapStatus
from lotse.gaps.selectors import GapReportNotFound, follow_ups, merge_candidates, report_for_coordination
from lotse.gaps.services import (
    gap_report_classify,
    gap_report_close,
    gap_report_create,
    gap_report_merge,
    gap_report_put_on_agenda,
)
from lotse.steering.models import AgendaItem
from lotse.steering.tests.test_committees import planned_meeting

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


def _report(world, title="Kein Sprachkurs mit Kinderbetreuung", by="caritas", **overrides) -> GapReport:
    values = {"municipality_id": world.town_b.pk, "life_area": "language", "kind": "missing_offer",
              "title": title, "description": "Frauen mit kleinen Kindern finden keinen Kurs.",
              "office_ids": [world.agencies["jobcentre"].pk], "source": GapSource.CASE_WORK}
    values.update(overrides)
    return gap_report_create(ctx=world.ctx(by), **values)


def _coordinator(world):
    return world.ctx("coordinator", today=TODAY)


def _last_event() -> AccessEvent:
    return AccessEvent.objects.order_by("-seq").first()


def test_classifying_puts_a_new_report_in_review(world):
    report = _report(world)
    gap_report_classify(ctx=_coordinator(world), report_id=report.pk, municipality_id=None, life_area="education",
                        kind="waiting_time", office_ids=[world.agencies["social_b"].pk, world.agencies["abh"].pk])
    report.refresh_from_db()
    assert (report.status, report.municipality_id, report.life_area, report.kind) == (
        GapStatus.IN_REVIEW, None, "education", "waiting_time")
    assert sorted(a.name for a in report.offices_involved.all()) == ["Ausländerbehörde Teststadt", "Sozialamt B-Stadt"]
    assert (_last_event().action, _last_event().object_ref) == ("steering.gap_report.classify",
                                                                f"gap_report:{report.pk}")


def test_bad_classification_changes_nothing(world):
    report = _report(world)
    other = build_world("88888")
    with pytest.raises(ValidationError) as exc:
        gap_report_classify(ctx=_coordinator(world), report_id=report.pk, municipality_id=other.town_a.pk,
                            life_area="moon", kind="", office_ids=[other.agencies["abh"].pk])
    assert set(exc.value.message_dict) == {"municipality", "life_area", "kind", "offices"}
    report.refresh_from_db()
    assert (report.status, report.life_area, report.municipality_id) == (GapStatus.NEW, "language", world.town_b.pk)


def test_merging_a_duplicate(world):
    kept = _report(world)
    duplicate = _report(world, title="Kurs mit Kinderbetreuung fehlt", by="jobcentre",
                        office_ids=[world.agencies["social_b"].pk])
    earlier = _report(world, title="Kinderbetreuung beim Kurs", by="social_b")
    ctx = _coordinator(world)
    gap_report_merge(ctx=ctx, report_id=earlier.pk, into_id=duplicate.pk)
    assert gap_report_merge(ctx=ctx, report_id=duplicate.pk, into_id=kept.pk) == kept
    duplicate.refresh_from_db()
    earlier.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into_id, duplicate.resolved_on) == (GapStatus.MERGED, kept.pk, TODAY)
    assert earlier.merged_into_id == kept.pk  # the chain is re-pointed to the kept report
    assert sorted(a.name for a in kept.offices_involved.all()) == ["Jobcenter Test", "Sozialamt B-Stadt"]
    assert kept.status == GapStatus.NEW
    assert _last_event().action == "steering.gap_report.merge"
    assert [r.pk for r in merge_candidates(ctx, kept)] == []  # the others are merged


def test_merge_refusals(world):
    kept = _report(world)
    duplicate = _report(world, title="Doppelt")
    third = _report(world, title="Dritter")
    ctx = _coordinator(world)
    with pytest.raises(ValidationError) as exc:
        gap_report_merge(ctx=ctx, report_id=kept.pk, into_id=kept.pk)
    assert exc.value.message_dict == {"into": ["Eine Meldung kann nicht in sich selbst übernommen werden."]}
    gap_report_merge(ctx=ctx, report_id=duplicate.pk, into_id=kept.pk)
    with pytest.raises(ValidationError) as exc:
        gap_report_merge(ctx=ctx, report_id=third.pk, into_id=duplicate.pk)  # into a merged report
    assert set(exc.value.message_dict) == {"into"}
    with pytest.raises(ValidationError) as exc:
        gap_report_merge(ctx=ctx, report_id=duplicate.pk, into_id=third.pk)  # a merged report again
    assert set(exc.value.message_dict) == {"report"}
    other = build_world("88888")
    foreign = _report(other, title="Anderer Kreis")
    with pytest.raises(GapReportNotFound):
        gap_report_merge(ctx=ctx, report_id=third.pk, into_id=foreign.pk)
    with pytest.raises(GapReportNotFound):
        gap_report_merge(ctx=other.ctx("coordinator"), report_id=foreign.pk, into_id=third.pk)
    third.refresh_from_db()
    foreign.refresh_from_db()
    assert (third.status, foreign.status) == (GapStatus.NEW, GapStatus.NEW)


def test_closing_without_a_decision_needs_a_screened_reason(world):
    report = _report(world)
    ctx = _coordinator(world)
    with pytest.raises(ValidationError) as exc:
        gap_report_close(ctx=ctx, report_id=report.pk, reason=" ")
    assert exc.value.message_dict == {"reason": ["Geben Sie kurz an, warum die Meldung geschlossen wird."]}
    with pytest.raises(ValidationError) as exc:
        gap_report_close(ctx=ctx, report_id=report.pk, reason="Geklärt mit Frau M., Tel. 02421 123456")
    assert "02421 123456" in exc.value.message_dict["reason"][0]
    report.refresh_from_db()
    assert report.status == GapStatus.NEW
    gap_report_close(ctx=ctx, report_id=report.pk, reason="Seit Februar gibt es einen Kurs mit Kinderbetreuung.")
    report.refresh_from_db()
    assert (report.status, report.resolved_on, report.closed_reason) == (
        GapStatus.CLOSED, TODAY, "Seit Februar gibt es einen Kurs mit Kinderbetreuung.")
    with pytest.raises(ValidationError):  # settled
        gap_report_classify(ctx=ctx, report_id=report.pk, municipality_id=None, life_area="language",
                            kind="other", office_ids=[])


def test_putting_a_report_on_an_agenda(world):
    report = _report(world)
    meeting = planned_meeting(world)
    ctx = _coordinator(world)
    item = gap_report_put_on_agenda(ctx=ctx, report_id=report.pk, meeting_id=meeting.pk,
                                    notes="Bitte Zahlen der Kursträger mitbringen.")
    report.refresh_from_db()
    assert report.status == GapStatus.ON_AGENDA
    assert (item.meeting_id, item.position, item.title, item.gap_report_id) == (
        meeting.pk, 1, "Kein Sprachkurs mit Kinderbetreuung", report.pk)
    with pytest.raises(ValidationError) as exc:  # twice on one agenda
        gap_report_put_on_agenda(ctx=ctx, report_id=report.pk, meeting_id=meeting.pk)
    assert set(exc.value.message_dict) == {"gap_report"}
    other = build_world("88888")
    foreign_meeting = planned_meeting(other)
    with pytest.raises(ValidationError) as exc:
        gap_report_put_on_agenda(ctx=ctx, report_id=report.pk, meeting_id=foreign_meeting.pk)
    assert set(exc.value.message_dict) == {"meeting"}
    assert AgendaItem.objects.filter(gap_report=report).count() == 1
    [row] = follow_ups([report])
    assert [(i.meeting.committee.name, i.meeting_id) for i in row.agenda_items] == [
        ("Arbeitskreis Migration", meeting.pk)]


@pytest.mark.parametrize("user", ["steering_member", "caritas"])
def test_only_the_coordination_triages_and_refusals_are_logged(world, user):
    report = _report(world)
    meeting = planned_meeting(world)
    ctx = world.ctx(user)
    calls = [
        lambda: gap_report_classify(ctx=ctx, report_id=report.pk, municipality_id=None, life_area="language",
                                    kind="other", office_ids=[]),
        lambda: gap_report_merge(ctx=ctx, report_id=report.pk, into_id=report.pk + 1),
        lambda: gap_report_close(ctx=ctx, report_id=report.pk, reason="Erledigt"),
        lambda: gap_report_put_on_agenda(ctx=ctx, report_id=report.pk, meeting_id=meeting.pk),
        lambda: report_for_coordination(ctx, report.pk),
    ]
    for call in calls[:4]:
        with pytest.raises(AccessDenied):
            call()
        event = _last_event()
        assert (event.action, event.decision, event.actor_id) == ("steering.gap_report.refused", "denied",
                                                                  world.users[user].pk)
    with pytest.raises(AccessDenied):
        calls[4]()
    report.refresh_from_db()
    assert report.status == GapStatus.NEW and not AgendaItem.objects.exists()


def test_another_districts_report_is_not_found(world):
    report = _report(world)
    other = build_world("88888")
    with pytest.raises(GapReportNotFound):
        report_for_coordination(other.ctx("coordinator"), report.pk)
    with pytest.raises(GapReportNotFound):
        gap_report_close(ctx=other.ctx("coordinator"), report_id=report.pk, reason="Fremd")
    report.refresh_from_db()
    assert report.status == GapStatus.NEW
