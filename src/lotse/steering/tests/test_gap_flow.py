"""The whole way of a gap report, through the pages: a case manager reports a gap, the
coordination classifies it in its inbox, merges a duplicate, puts it on the agenda of a working
group's meeting, the committee decides, the decision becomes a measure with an owner agency, a
due date and a status, and both reporting agencies see on their page what became of their
report — without anyone in the coordination being named."""

import datetime

import pytest

from lotse.gaps.models import GapReport, GapSource, GapStatus
from lotse.gaps.services import gap_report_create
from lotse.steering.models import AgendaItem, Committee, Measure, Meeting, MeetingDecision
from lotse.web.tests.test_views import _client_for

pytestmark = pytest.mark.django_db

DESCRIPTION = "Frauen mit kleinen Kindern finden in B-Stadt keinen Integrationskurs mit Kinderbetreuung."


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_from_a_case_manager_to_a_decided_measure_the_reporter_can_follow(world):
    # 1. a case manager of Caritas reports the gap; the job centre reports the same gap again
    report = gap_report_create(
        ctx=world.ctx("caritas"), municipality_id=world.town_b.pk, life_area="language", kind="other",
        title="Kein Integrationskurs mit Kinderbetreuung", description=DESCRIPTION, office_ids=[],
        source=GapSource.CASE_WORK)
    duplicate = gap_report_create(
        ctx=world.ctx("jobcentre"), municipality_id=world.town_b.pk, life_area="language", kind="missing_offer",
        title="Kinderbetreuung im Sprachkurs fehlt", description="Kundinnen brechen Kurse ab.",
        office_ids=[world.agencies["jobcentre"].pk], source=GapSource.CASE_WORK)

    # 2. the coordination finds both in its inbox, each with a link to work on it
    coordinator = _client_for(world, "coordinator")
    inbox = _page(coordinator.get("/gaps/inbox/"))
    assert "Kein Integrationskurs mit Kinderbetreuung" in inbox and "Kinderbetreuung im Sprachkurs fehlt" in inbox
    assert f"/staff/steering/gaps/{report.pk}/" in inbox and f"/staff/steering/gaps/{duplicate.pk}/" in inbox

    # 3. classify: kind and offices involved; the report is now in review
    response = coordinator.post(f"/staff/steering/gaps/{report.pk}/classify/", {
        "municipality": str(world.town_b.pk), "life_area": "language", "kind": "missing_offer",
        "offices": [world.agencies["abh"].pk, world.agencies["social_b"].pk]})
    assert response.status_code == 302 and response["Location"] == f"/staff/steering/gaps/{report.pk}/"
    report.refresh_from_db()
    assert (report.status, report.kind) == (GapStatus.IN_REVIEW, "missing_offer")

    # 4. merge the job centre's duplicate into it: the kept report takes over its offices
    response = coordinator.post(f"/staff/steering/gaps/{duplicate.pk}/merge/", {"into": str(report.pk)})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into_id) == (GapStatus.MERGED, report.pk)
    assert sorted(a.name for a in report.offices_involved.all()) == [
        "Ausländerbehörde Teststadt", "Jobcenter Test", "Sozialamt B-Stadt"]

    # 5. a working group with a meeting; the report goes on its agenda
    response = coordinator.post("/staff/steering/committees/new/", {
        "name": "Arbeitskreis Migration", "kind": "working_group",
        "member_agencies": [world.agencies["caritas"].pk, world.agencies["jobcentre"].pk]})
    assert response.status_code == 302
    committee = Committee.objects.get()
    response = coordinator.post(f"/staff/steering/committees/{committee.pk}/meetings/", {
        "day": "2026-03-10", "starts": "14:00", "ends": "16:00", "location": "Kreishaus, Raum 75"})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/steering/meetings/{meeting.pk}/"
    response = coordinator.post(f"/staff/steering/gaps/{report.pk}/agenda/", {"meeting": str(meeting.pk)})
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    report.refresh_from_db()
    assert (item.meeting_id, item.gap_report_id, report.status) == (meeting.pk, report.pk, GapStatus.ON_AGENDA)

    # 6. the committee decides on the item: the report is decided on the day of the decision
    response = coordinator.post(f"/staff/steering/meetings/{meeting.pk}/decisions/", {
        "agenda_item": str(item.pk), "decided_on": "2026-03-10",
        "text": "In B-Stadt wird ein Integrationskurs mit Kinderbetreuung eingerichtet."})
    assert response.status_code == 302
    decision = MeetingDecision.objects.get()
    report.refresh_from_db()
    assert (report.status, report.resolved_on) == (GapStatus.DECIDED, datetime.date(2026, 3, 10))

    # 7. the decision becomes a measure: owner agency, due date, status
    response = coordinator.post(f"/staff/steering/meetings/{meeting.pk}/measures/", {
        "decision": str(decision.pk), "title": "Kursträger für einen Kurs mit Kinderbetreuung gewinnen",
        "owner_agency": str(world.agencies["social_b"].pk), "due_on": "2026-09-30", "status": "in_progress",
        "status_note": "Gespräche mit zwei Kursträgern laufen"})
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert (measure.gap_report_id, measure.decision_id, measure.owner_agency_id, measure.due_on, measure.status) == (
        report.pk, decision.pk, world.agencies["social_b"].pk, datetime.date(2026, 9, 30), "in_progress")

    # 8. Caritas follows its report: status, committee and meeting, decision, measure
    caritas = _client_for(world, "caritas")
    page = _page(caritas.get("/gaps/"))
    assert "Kein Integrationskurs mit Kinderbetreuung" in page
    assert "Entschieden" in page
    assert "Auf der Tagesordnung: Arbeitskreis Migration, Sitzung am 10.03.2026" in page
    assert "Beschluss Arbeitskreis Migration vom 10.03.2026:" in page
    assert "In B-Stadt wird ein Integrationskurs mit Kinderbetreuung eingerichtet." in page
    assert "Kursträger für einen Kurs mit Kinderbetreuung gewinnen" in page
    assert "Verantwortliche Stelle: Sozialamt B-Stadt" in page
    assert "Fällig am: 30.09.2026" in page
    assert "Status: in Arbeit (Gespräche mit zwei Kursträgern laufen)" in page
    # … and never who in the coordination did what
    coordinator_user = world.users["coordinator"]
    assert coordinator_user.username not in page and "Coordinator" not in page
    assert "Kreisverwaltung Test" not in page

    # the job centre's duplicate points to the kept report and shows the same outcome
    page = _page(_client_for(world, "jobcentre").get("/gaps/"))
    assert "Mit einer anderen Meldung zusammengeführt" in page
    assert "Zusammengeführt mit „Kein Integrationskurs mit Kinderbetreuung“ (Stand: Entschieden)." in page
    assert "Kursträger für einen Kurs mit Kinderbetreuung gewinnen" in page and "30.09.2026" in page

    # the social office owns the measure and updates its state of work from its own page
    social = _client_for(world, "social_b")
    page = _page(social.get("/gaps/"))
    assert "Maßnahmen in Verantwortung Ihrer Stelle" in page
    response = social.post(f"/staff/steering/measures/{measure.pk}/status/", {
        "prefix": f"m{measure.pk}", f"m{measure.pk}-status": "done",
        f"m{measure.pk}-status_note": "Kurs startet im September"})
    assert response.status_code == 302 and response["Location"] == "/gaps/"
    page = _page(caritas.get("/gaps/"))
    assert "Status: erledigt (Kurs startet im September)" in page
    assert GapReport.objects.count() == 2
