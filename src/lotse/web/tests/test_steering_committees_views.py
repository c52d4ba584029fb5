"""Committee, meeting, measure, goal and gap triage pages through the test client: who gets
which page (coordinator 200, steering member read-only, case manager and other districts 404),
the downloads, and bad input that answers 400 with the German message and stores nothing."""

import datetime

import pytest
from icalendar import Calendar

from lotse.audit.models import AccessEvent
from lotse.core.testing import build_world
from lotse.gaps.models import GapReport, GapStatus
from lotse.steering import committees as steering
from lotse.steering.models import AgendaItem, Committee, Goal, Measure, Meeting, MeetingDecision
from lotse.steering.tests.test_committees import gap_report, planned_meeting
from lotse.web.tests.test_views import _client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world):
    """A working group with a meeting: agenda with a gap report, a decision, a measure owned by
    Caritas under a goal; and a second, new gap report."""
    ctx = world.ctx("coordinator")
    meeting = planned_meeting(world)
    report = gap_report(world)
    item = steering.agenda_item_add(ctx=ctx, meeting_id=meeting.pk, gap_report_id=report.pk)
    decision = steering.decision_record(ctx=ctx, meeting_id=meeting.pk, agenda_item_id=item.pk,
                                        text="Ein Kurs mit Kinderbetreuung wird eingerichtet.",
                                        decided_on=datetime.date(2026, 3, 10))
    goal = steering.goal_create(ctx=ctx, title="Integrationskurs binnen 8 Wochen", indicator="course_start_days")
    measure = steering.measure_create(ctx=ctx, decision_id=decision.pk, title="Kursträger gewinnen",
                                      owner_agency_id=world.agencies["caritas"].pk,
                                      due_on=datetime.date(2026, 6, 30), goal_id=goal.pk)
    fresh = gap_report(world, title="Wartezeit bei der Ausländerbehörde", kind="waiting_time")
    return {"committee": meeting.committee, "meeting": meeting, "report": report, "item": item,
            "decision": decision, "goal": goal, "measure": measure, "fresh": fresh}


def _read_pages(data) -> list[str]:
    committee, meeting = data["committee"], data["meeting"]
    return ["/staff/steering/committees/", f"/staff/steering/committees/{committee.pk}/",
            f"/staff/steering/meetings/{meeting.pk}/", f"/staff/steering/meetings/{meeting.pk}/invitation.ics",
            f"/staff/steering/meetings/{meeting.pk}/minutes.pdf", "/staff/steering/measures/",
            "/staff/steering/goals/"]


def _coordination_pages(data) -> list[str]:
    return ["/staff/steering/committees/new/", f"/staff/steering/committees/{data['committee'].pk}/edit/",
            "/staff/steering/measures/new/", f"/staff/steering/measures/{data['measure'].pk}/",
            "/staff/steering/goals/new/", f"/staff/steering/goals/{data['goal'].pk}/",
            f"/staff/steering/gaps/{data['fresh'].pk}/", f"/staff/steering/gaps/{data['report'].pk}/",
            "/gaps/inbox/"]


def _posts(data) -> list[tuple[str, dict]]:
    meeting, report = data["meeting"], data["fresh"]
    return [
        ("/staff/steering/committees/new/", {"name": "AK", "kind": "working_group"}),
        (f"/staff/steering/committees/{data['committee'].pk}/meetings/",
         {"day": "2026-04-01", "starts": "10:00", "ends": "11:00", "location": "Kreishaus"}),
        (f"/staff/steering/meetings/{meeting.pk}/agenda/", {"title": "Neuer Punkt"}),
        (f"/staff/steering/meetings/{meeting.pk}/minutes/", {"minutes": "Protokoll"}),
        (f"/staff/steering/meetings/{meeting.pk}/decisions/", {"text": "Beschluss", "decided_on": "2026-03-10"}),
        (f"/staff/steering/meetings/{meeting.pk}/status/", {"status": "held"}),
        (f"/staff/steering/meetings/{meeting.pk}/edit/",
         {"day": "2026-04-01", "starts": "10:00", "ends": "11:00", "location": "Rathaus"}),
        (f"/staff/steering/gaps/{report.pk}/classify/",
         {"municipality": "district", "life_area": "housing", "kind": "other"}),
        (f"/staff/steering/gaps/{report.pk}/close/", {"reason": "Erledigt"}),
        (f"/staff/steering/gaps/{report.pk}/agenda/", {"meeting": str(meeting.pk)}),
        (f"/staff/steering/gaps/{report.pk}/merge/", {"into": str(data["report"].pk)}),
        ("/staff/steering/goals/new/", {"title": "Ziel"}),
    ]


def _nothing_changed(data) -> None:
    assert Committee.objects.count() == 1 and Meeting.objects.count() == 1 and AgendaItem.objects.count() == 1
    assert MeetingDecision.objects.count() == 1 and Goal.objects.count() == 1
    data["fresh"].refresh_from_db()
    data["meeting"].refresh_from_db()
    assert data["fresh"].status == GapStatus.NEW
    assert (data["meeting"].status, data["meeting"].minutes, data["meeting"].location) == (
        "planned", "", "Kreishaus, Raum 75")


def test_the_coordinator_gets_every_page(world, data):
    client = _client_for(world, "coordinator")
    for url in _read_pages(data) + _coordination_pages(data):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url
    meeting_page = client.get(f"/staff/steering/meetings/{data['meeting'].pk}/").content.decode()
    for expected in ("Arbeitskreis Migration: Sitzung am 10.03.2026", "Kreishaus, Raum 75",
                     "Sprachkurs mit Kinderbetreuung fehlt", "Ein Kurs mit Kinderbetreuung wird eingerichtet.",
                     "Kursträger gewinnen", "Caritas Test", "Beschluss erfassen", "Tagesordnungspunkt hinzufügen",
                     "Als stattgefunden markieren"):
        assert expected in meeting_page, expected
    goals = client.get("/staff/steering/goals/").content.decode()
    assert "Integrationskurs binnen 8 Wochen" in goals and "Kursträger gewinnen" in goals
    assert "Ziel bearbeiten" in goals
    measures = client.get("/staff/steering/measures/?status=planned").content.decode()
    assert "Kursträger gewinnen" in measures and "30.06.2026" in measures
    assert "Kursträger gewinnen" not in client.get("/staff/steering/measures/?status=done").content.decode()


def test_downloads_invitation_and_minutes(world, data):
    client = _client_for(world, "steering_member")
    response = client.get(f"/staff/steering/meetings/{data['meeting'].pk}/invitation.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="sitzung-2026-03-10-{data["meeting"].pk}.ics"'
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Arbeitskreis Migration – Sitzung"
    assert str(event["DESCRIPTION"]) == "Tagesordnung:\n1. Sprachkurs mit Kinderbetreuung fehlt"
    response = client.get(f"/staff/steering/meetings/{data['meeting'].pk}/minutes.pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_steering_members_read_but_do_not_write(world, data):
    client = _client_for(world, "steering_member")
    for url in _read_pages(data):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/staff/steering/meetings/{data['meeting'].pk}/").content.decode()
    assert "Kursträger gewinnen" in page and "Beschluss erfassen" not in page
    assert "Neues Gremium" not in client.get("/staff/steering/committees/").content.decode()
    for url in _coordination_pages(data):
        assert client.get(url).status_code == 404, url
    for url, post in _posts(data):
        assert client.post(url, post).status_code == 404, url
    assert client.post(f"/staff/steering/measures/{data['measure'].pk}/status/", {"status": "done"}).status_code == 404
    _nothing_changed(data)
    refusals = set(AccessEvent.objects.filter(decision="denied", actor_id=world.users["steering_member"].pk)
                   .values_list("action", flat=True))
    assert {"steering.gap_report.refused", "steering.committee.refused", "steering.meeting.refused",
            "steering.agenda.refused", "steering.minutes.refused", "steering.decision.refused",
            "steering.goal.refused"} <= refusals


def test_a_case_manager_sees_no_steering_page_but_updates_own_measures(world, data):
    client = _client_for(world, "caritas")
    for url in _read_pages(data) + _coordination_pages(data):
        if url == f"/staff/steering/measures/{data['measure'].pk}/":
            continue
        assert client.get(url).status_code == 404, url
    for url, post in _posts(data):
        assert client.post(url, post).status_code == 404, url
    _nothing_changed(data)
    # the measure of the own agency: the status page only
    page = client.get(f"/staff/steering/measures/{data['measure'].pk}/")
    assert page.status_code == 200 and "Arbeitsstand speichern" in page.content.decode()
    response = client.post(f"/staff/steering/measures/{data['measure'].pk}/status/",
                           {"status": "in_progress", "status_note": "Kontakt über Tel. 02421 123456"})
    assert response.status_code == 400
    assert "Telefonnummer „02421 123456“" in response.content.decode()
    data["measure"].refresh_from_db()
    assert (data["measure"].status, data["measure"].status_note) == ("planned", "")
    response = client.post(f"/staff/steering/measures/{data['measure'].pk}/status/",
                           {"status": "in_progress", "status_note": "Zwei Kursträger angefragt"})
    assert response.status_code == 302
    data["measure"].refresh_from_db()
    assert (data["measure"].status, data["measure"].status_note) == ("in_progress", "Zwei Kursträger angefragt")


def test_another_district_finds_nothing(world, data):
    other = build_world("88888")
    client = _client_for(other, "coordinator")
    for url in _read_pages(data)[1:5] + _coordination_pages(data)[1:]:
        if url in ("/staff/steering/measures/new/", "/staff/steering/goals/new/", "/gaps/inbox/"):
            continue
        assert client.get(url).status_code == 404, url
    for url, post in _posts(data)[1:-1]:
        assert client.post(url, post).status_code == 404, url
    assert client.post(f"/staff/steering/agenda/{data['item'].pk}/move/", {"direction": "down"}).status_code == 404
    _nothing_changed(data)
    assert "Arbeitskreis Migration" not in client.get("/staff/steering/committees/").content.decode()
    assert "Kursträger gewinnen" not in client.get("/staff/steering/measures/").content.decode()


def test_bad_input_answers_400_in_german_and_stores_nothing(world, data):
    client = _client_for(world, "coordinator")
    meeting, committee = data["meeting"], data["committee"]
    cases = [
        (f"/staff/steering/committees/{committee.pk}/meetings/",
         {"day": "2026-04-01", "starts": "11:00", "ends": "10:00", "location": "Kreishaus"},
         "Die Sitzung muss nach ihrem Beginn enden."),
        ("/staff/steering/committees/new/", {"name": "", "kind": "working_group"},
         "Dieses Feld ist zwingend erforderlich."),
        (f"/staff/steering/meetings/{meeting.pk}/minutes/", {"minutes": "Klientin geb. 12.03.1990 wartet."},
         "Der Text enthält vermutlich personenbezogene Daten: Datum „12.03.1990“"),
        (f"/staff/steering/meetings/{meeting.pk}/decisions/",
         {"text": "Vorgezogen", "decided_on": "2026-03-01"},
         "Der Beschluss kann nicht vor der Sitzung datiert sein."),
        (f"/staff/steering/meetings/{meeting.pk}/agenda/", {"title": "", "notes": "ohne Titel"},
         "Geben Sie dem Tagesordnungspunkt einen Titel."),
        (f"/staff/steering/meetings/{meeting.pk}/edit/",
         {"day": "2026-04-01", "starts": "10:00", "ends": "09:00", "location": "Rathaus"},
         "Die Sitzung muss nach ihrem Beginn enden."),
        (f"/staff/steering/meetings/{meeting.pk}/measures/",
         {"decision": str(data["decision"].pk), "title": "Aktenzeichen Az. 12-345/24 prüfen",
          "owner_agency": str(world.agencies["caritas"].pk), "status": "planned"},
         "Akten- oder Registernummer „Az. 12-345/24“"),
        ("/staff/steering/goals/new/", {"title": "Ziel", "indicator": "happiness"},
         "Bitte eine gültige Auswahl treffen."),
        (f"/staff/steering/gaps/{data['fresh'].pk}/close/", {"reason": ""}, "Dieses Feld ist zwingend erforderlich."),
        (f"/staff/steering/gaps/{data['fresh'].pk}/close/", {"reason": "Rückruf an m.k@example.org"},
         "E-Mail-Adresse „m.k@example.org“"),
        (f"/staff/steering/gaps/{data['fresh'].pk}/merge/", {"into": str(data["fresh"].pk)},
         "Bitte eine gültige Auswahl treffen."),
        (f"/staff/steering/gaps/{data['report'].pk}/merge/", {"into": str(data["fresh"].pk)},
         "Nur eine neue oder in Prüfung befindliche Meldung kann in eine andere übernommen werden"),
        (f"/staff/steering/gaps/{data['fresh'].pk}/classify/",
         {"municipality": "district", "life_area": "", "kind": "other"}, "Dieses Feld ist zwingend erforderlich."),
    ]
    for url, post, message in cases:
        response = client.post(url, post)
        assert response.status_code == 400, url
        assert message in response.content.decode(), (url, message)
    _nothing_changed(data)
    assert Measure.objects.count() == 1 and GapReport.objects.filter(status=GapStatus.MERGED).count() == 0


def test_the_coordination_triage_page_and_the_inbox(world, data):
    client = _client_for(world, "coordinator")
    page = client.get(f"/staff/steering/gaps/{data['fresh'].pk}/").content.decode()
    for expected in ("Wartezeit bei der Ausländerbehörde", "Neu", "Caritas Test", "Einordnen",
                     "Auf die Tagesordnung setzen", "Doppelte Meldung zusammenführen", "Ohne Beschluss schließen",
                     "Arbeitskreis Migration – 10.03.2026 14:00"):
        assert expected in page, expected
    decided = client.get(f"/staff/steering/gaps/{data['report'].pk}/").content.decode()
    assert "Entschieden (10.03.2026)" in decided and "Diese Meldung ist erledigt" in decided
    assert "Kursträger gewinnen" in decided
    response = client.post(f"/staff/steering/gaps/{data['fresh'].pk}/close/",
                           {"reason": "Wartezeiten sind seit Januar unter zwei Wochen."})
    assert response.status_code == 302
    data["fresh"].refresh_from_db()
    assert (data["fresh"].status, data["fresh"].closed_reason) == (
        GapStatus.CLOSED, "Wartezeiten sind seit Januar unter zwei Wochen.")
    inbox = client.get("/gaps/inbox/?status=closed").content.decode()
    assert "Wartezeit bei der Ausländerbehörde" in inbox and "Sprachkurs mit Kinderbetreuung fehlt" not in inbox


def test_meeting_status_and_agenda_order_through_the_page(world, data):
    client = _client_for(world, "coordinator")
    meeting = data["meeting"]
    client.post(f"/staff/steering/meetings/{meeting.pk}/agenda/", {"title": "Verschiedenes"})
    second = AgendaItem.objects.get(title="Verschiedenes")
    response = client.post(f"/staff/steering/agenda/{second.pk}/move/", {"direction": "up"})
    assert response.status_code == 302 and response["Location"] == f"/staff/steering/meetings/{meeting.pk}/"
    assert [i.title for i in AgendaItem.objects.filter(meeting=meeting)] == [
        "Verschiedenes", "Sprachkurs mit Kinderbetreuung fehlt"]
    response = client.post(f"/staff/steering/meetings/{meeting.pk}/status/", {"status": "held"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "held"
    page = client.get(f"/staff/steering/meetings/{meeting.pk}/").content.decode()
    assert "stattgefunden" in page and "Als stattgefunden markieren" not in page
