"""Conference and gap report pages through the test client: who sees what, what is refused,
and that bad input is shown as an error with nothing saved."""

import datetime

import pytest

from lotse.conferences.models import CaseConference, ConferenceDecision, ConferenceStatus
from lotse.conferences.services import conference_create, conference_finish_case_phase
from lotse.consent.services import consent_record
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import open_case, register_person
from lotse.gaps.models import GapReport, GapSource
from lotse.web.tests.test_views import _client_for

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
HIDDEN_NOTE = "Die Falldaten sind für Ihre Stelle nicht freigegeben (keine Einwilligung oder Rechtsgrundlage)."


@pytest.fixture
def case(world):
    return open_case(world, register_person(world, by="caritas", given_names="Leyla", family_name="Canarian"))


@pytest.fixture
def conference(world, case):
    return conference_create(ctx=world.ctx("caritas"), case_id=case.pk, held_on=TODAY,
                             topic="Anerkennung Pflegeausbildung",
                             participant_agency_ids=[world.agencies["jobcentre"].pk],
                             participants_note="Frau Canarian, Dolmetscherin")


def _gap_post(**overrides):
    data = {"gap-municipality": "district", "gap-life_area": "language", "gap-kind": "waiting_time",
            "gap-title": "Wartezeit auf Integrationskurse",
            "gap-description": "Kursplätze fehlen, Wartezeit über acht Wochen."}
    data.update(overrides)
    return data


def test_case_manager_plans_a_conference_from_the_case(world, case):
    client = _client_for(world, "caritas")
    response = client.get(f"/cases/{case.pk}/conferences/new/")
    assert response.status_code == 200
    assert "Fallkonferenz planen" in response.content.decode() and "Leyla Canarian" in response.content.decode()
    response = client.post(f"/cases/{case.pk}/conferences/new/", {
        "held_on": TODAY.isoformat(), "topic": "Sprachkurs und Kita",
        "participant_agencies": [world.agencies["jobcentre"].pk], "participants_note": ""})
    with personal_data_scope():
        conference = CaseConference.objects.get()
        assert set(conference.participant_agencies.values_list("name", flat=True)) == {
            "Caritas Test", "Jobcenter Test"}
    assert response.status_code == 302 and response["Location"] == f"/conferences/{conference.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Sprachkurs und Kita" in page and "Leyla Canarian" in page and "Phase 1 abschließen" in page


def test_a_topic_with_a_date_of_birth_is_refused_and_nothing_saved(world, case):
    client = _client_for(world, "caritas")
    response = client.post(f"/cases/{case.pk}/conferences/new/", {
        "held_on": TODAY.isoformat(), "topic": "Klientin geb. 03.04.1985"})
    assert response.status_code == 200
    assert "Datum „03.04.1985“" in response.content.decode()
    with personal_data_scope():
        assert not CaseConference.objects.exists()


def test_other_agencies_cannot_plan_a_conference_on_the_case(world, case):
    for user in ("jobcentre", "social_a", "coordinator"):
        assert _client_for(world, user).get(f"/cases/{case.pk}/conferences/new/").status_code == 404


def test_participant_without_consent_sees_the_frame_and_the_note_only(world, case, conference):
    client = _client_for(world, "jobcentre")
    page = client.get(f"/conferences/{conference.pk}/").content.decode()
    assert "Anerkennung Pflegeausbildung" in page and "Jobcenter Test" in page
    assert HIDDEN_NOTE in page
    assert "Canarian" not in page and "Dolmetscherin" not in page
    listing = client.get("/conferences/").content.decode()
    assert "Anerkennung Pflegeausbildung" in listing and "Canarian" not in listing
    consent_record(ctx=world.ctx("caritas"), person_id=case.person_id,
                   categories=["identity", "counselling_notes"], purpose="benefits_administration",
                   to_agency_id=world.agencies["jobcentre"].pk, from_agency_id=world.agencies["caritas"].pk,
                   given_on=TODAY, valid_until=None, method="signed_form", informed_language="ar")
    page = client.get(f"/conferences/{conference.pk}/").content.decode()
    assert "Leyla Canarian" in page and HIDDEN_NOTE not in page
    assert "sichtbar aufgrund der Einwilligung" in page
    assert "Phase 1 abschließen" not in page  # only the owning agency runs phase 1


def test_non_participants_get_404_everywhere(world, conference):
    client = _client_for(world, "social_a")
    assert client.get(f"/conferences/{conference.pk}/").status_code == 404
    for url in (f"/conferences/{conference.pk}/decisions/", f"/conferences/{conference.pk}/phase-done/",
                f"/conferences/{conference.pk}/close/", f"/conferences/{conference.pk}/gaps/"):
        assert client.post(url, _gap_post()).status_code == 404, url
    with personal_data_scope():
        assert CaseConference.objects.get().status == ConferenceStatus.PLANNED
    assert not GapReport.objects.exists()


def test_decisions_with_errors_are_shown_and_not_saved(world, conference):
    client = _client_for(world, "caritas")
    response = client.post(f"/conferences/{conference.pk}/decisions/", {"decision-text": " ",
                                                                        "decision-due_on": "morgen"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dieses Feld ist zwingend erforderlich." in page and "Bitte ein gültiges Datum eingeben." in page
    with personal_data_scope():
        assert not ConferenceDecision.objects.exists()
    response = client.post(f"/conferences/{conference.pk}/decisions/", {
        "decision-text": "Antrag auf Anerkennung stellen", "decision-assignee": world.users["caritas"].pk,
        "decision-due_on": (TODAY + datetime.timedelta(days=7)).isoformat()})
    assert response.status_code == 302
    with personal_data_scope():
        decision = ConferenceDecision.objects.get()
    page = client.get(f"/conferences/{conference.pk}/").content.decode()
    assert "Antrag auf Anerkennung stellen" in page
    # The job centre (no consent) cannot mark it done.
    assert _client_for(world, "jobcentre").post(
        f"/conferences/decisions/{decision.pk}/done/", {"conference": conference.pk}).status_code == 302
    with personal_data_scope():
        assert ConferenceDecision.objects.get().done_on is None
    assert client.post(f"/conferences/decisions/{decision.pk}/done/").status_code == 302
    with personal_data_scope():
        assert ConferenceDecision.objects.get().done_on == TODAY


def test_phase_two_gap_report_from_a_participant_without_case_access(world, conference):
    conference_finish_case_phase(ctx=world.ctx("caritas"), conference_id=conference.pk)
    client = _client_for(world, "jobcentre")
    page = client.get(f"/conferences/{conference.pk}/").content.decode()
    assert "Lückenmeldung schreiben" in page and "– bitte wählen –" in page
    response = client.post(f"/conferences/{conference.pk}/gaps/",
                           _gap_post(**{"gap-description": "Rückfragen an m.k@example.org"}))
    assert response.status_code == 200
    assert "E-Mail-Adresse „m.k@example.org“" in response.content.decode()
    response = client.post(f"/conferences/{conference.pk}/gaps/", _gap_post(**{"gap-municipality": ""}))
    assert response.status_code == 200 and not GapReport.objects.exists()
    response = client.post(f"/conferences/{conference.pk}/gaps/", _gap_post())
    assert response.status_code == 302
    report = GapReport.objects.get()
    assert (report.source, report.municipality_id, report.reporting_agency_id) == (
        GapSource.CONFERENCE, None, world.agencies["jobcentre"].pk)
    page = client.get(f"/conferences/{conference.pk}/").content.decode()
    assert "1 Lückenmeldung aus dieser Fallkonferenz geschrieben." in page
    assert client.post(f"/conferences/{conference.pk}/close/").status_code == 404  # owning agency only
    with personal_data_scope():
        assert CaseConference.objects.get().status == ConferenceStatus.CASE_PHASE_DONE
    assert _client_for(world, "caritas").post(f"/conferences/{conference.pk}/close/").status_code == 302
    with personal_data_scope():
        assert CaseConference.objects.get().status == ConferenceStatus.CLOSED


def test_direct_gap_report_and_the_lists(world):
    client = _client_for(world, "caritas")
    assert client.get("/gaps/new/").status_code == 200
    response = client.post("/gaps/new/", {"municipality": str(world.town_a.pk), "life_area": "housing",
                                          "kind": "missing_offer", "title": "Kein Wohnraum",
                                          "description": "Anruf unter 0176 1234567"})
    assert response.status_code == 200 and "Telefonnummer „0176 1234567“" in response.content.decode()
    assert not GapReport.objects.exists()
    response = client.post("/gaps/new/", {"municipality": str(world.town_a.pk), "life_area": "housing",
                                          "kind": "missing_offer", "title": "Kein bezahlbarer Wohnraum",
                                          "description": "Familien finden in A-Dorf keine Wohnung.",
                                          "offices": [world.agencies["social_a"].pk]})
    assert response.status_code == 302 and response["Location"] == "/gaps/"
    report = GapReport.objects.get()
    assert (report.source, report.municipality_id) == (GapSource.CASE_WORK, world.town_a.pk)
    listing = client.get("/gaps/").content.decode()
    assert "Kein bezahlbarer Wohnraum" in listing and "Neu" in listing
    assert "Kein bezahlbarer Wohnraum" not in _client_for(world, "jobcentre").get("/gaps/").content.decode()
    coordinator = _client_for(world, "coordinator")
    assert coordinator.get("/gaps/new/").status_code == 404
    assert coordinator.get("/gaps/")["Location"] == "/gaps/inbox/"
    inbox = coordinator.get("/gaps/inbox/?municipality=" + str(world.town_a.pk)).content.decode()
    assert "Kein bezahlbarer Wohnraum" in inbox and "Caritas Test" in inbox
    assert "Kein bezahlbarer Wohnraum" not in coordinator.get("/gaps/inbox/?municipality=district").content.decode()
    assert client.get("/gaps/inbox/").status_code == 404


def test_the_case_page_lists_the_conferences_and_links_to_a_new_one(world, case, conference):
    page = _client_for(world, "caritas").get(f"/cases/{case.pk}/").content.decode()
    assert "Anerkennung Pflegeausbildung" in page and f"/conferences/{conference.pk}/" in page
    assert f"/cases/{case.pk}/conferences/new/" in page
