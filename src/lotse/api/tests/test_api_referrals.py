"""Referrals and gap reports in the JSON API: a referral is sent only with a consent (400
naming the missing categories otherwise, nothing saved); the job centre answers it in its
inbox; other agencies see nothing of it; a revoked consent hides the person at once but never
the referral; gap reports carry no personal data (a screening hit answers 400, nothing saved)."""

import pytest

from lotse.api.tests.test_api_cases import (
    API,
    CaseFixture,
    assert_no_canary,
    build_case,
    client_for,
    consent_body,
    events_since,
    last_seq,
    post,
)
from lotse.core.scoping import personal_data_scope
from lotse.gaps.models import GapReport
from lotse.organisations.models import Agency, AgencyKind, District, Municipality, Role, StaffUser
from lotse.referrals.models import Referral

pytestmark = pytest.mark.django_db

MESSAGE = "CANARY-NOTE sucht Arbeit als Elektriker"


@pytest.fixture
def cw(api_world) -> CaseFixture:
    return build_case(api_world)


def _referrals() -> int:
    with personal_data_scope():
        return Referral.objects.count()


def _consent(cw, categories=("identity", "contact", "counselling_notes")) -> dict:
    response = post(client_for(cw.world, "caritas"), f"{API}/persons/{cw.person_id}/consents",
                    consent_body(cw.world, categories=categories))
    assert response.status_code == 201, response.content
    return response.json()


def _send(cw, **extra):
    body = {"person_id": cw.person_id, "case_id": cw.case_id,
            "to_agency_id": cw.world.agencies["jobcentre"].pk,
            "categories": ["identity", "contact"], "message": MESSAGE}
    body.update(extra)
    return post(client_for(cw.world, "caritas"), f"{API}/referrals", body)


# --- referrals ---------------------------------------------------------------------------

def test_referral_without_consent_is_refused_naming_the_missing_categories(cw):
    before = _referrals()
    response = _send(cw)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["errors"]["missing_consent"] == ["identity", "contact"]
    assert body["errors"]["categories"] and body["detail"]
    assert _referrals() == before

    _consent(cw, categories=["identity"])  # contact still missing
    response = _send(cw)
    assert response.status_code == 400
    assert response.json()["errors"]["missing_consent"] == ["contact"]
    assert _referrals() == before


def test_referral_to_the_job_centre_accepted_and_done(cw):
    world = cw.world
    caritas, jobcentre = client_for(world, "caritas"), client_for(world, "jobcentre")
    _consent(cw)
    response = _send(cw)
    assert response.status_code == 201, response.content
    sent = response.json()
    assert (sent["status"], sent["purpose"], sent["categories"]) == (
        "sent", "benefits_administration", ["identity", "contact"])
    assert sent["is_sender"] and sent["case_id"] == cw.case_id and sent["message"] == MESSAGE
    assert sent["answers"] == ["withdraw"]
    assert client_for(world, "caritas").get(f"{API}/cases/{cw.case_id}").json()["phase"] == "linking"

    inbox = jobcentre.get(f"{API}/referrals/inbox")
    assert inbox.status_code == 200
    assert [(i["id"], i["person"]["family_name"], i["status"]) for i in inbox.json()["items"]] == [
        (sent["id"], "Karimi", "sent")]
    detail = jobcentre.get(f"{API}/referrals/{sent['id']}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["is_recipient"] and body["case_id"] is None  # the sender's case id is not told
    assert body["message"] == MESSAGE and body["answers"] == ["accept", "decline"]
    assert body["record"]["identity"]["given_names"] == "Canary-Given"
    assert [v["category"] for v in body["record"]["visibility"]] == ["identity", "contact"]
    assert all(v["visible"] for v in body["record"]["visibility"])
    assert [p["shown"] for p in body["passed"]] == [True, True]
    assert "CANARY-HEALTH" not in detail.content.decode()

    accepted = post(jobcentre, f"{API}/referrals/{sent['id']}/accept")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted" and accepted.json()["answered_at"]
    assert post(jobcentre, f"{API}/referrals/{sent['id']}/accept").status_code == 400  # not twice
    assert post(jobcentre, f"{API}/referrals/{sent['id']}/done", {"feedback": "  "}).status_code == 422
    done = post(jobcentre, f"{API}/referrals/{sent['id']}/done", {"feedback": "Vermittelt in Arbeit"})
    assert done.status_code == 200 and done.json()["status"] == "done"

    outbox = caritas.get(f"{API}/referrals/outbox", {"status": "done"}).json()
    assert [i["id"] for i in outbox["items"]] == [sent["id"]] and outbox["total"] == 1
    assert caritas.get(f"{API}/referrals/{sent['id']}").json()["feedback"] == "Vermittelt in Arbeit"
    assert caritas.get(f"{API}/referrals/outbox", {"status": "sent"}).json()["items"] == []


def test_decline_needs_a_reason_and_withdraw_is_for_the_sender(cw):
    world = cw.world
    _consent(cw)
    first = _send(cw).json()
    jobcentre, caritas = client_for(world, "jobcentre"), client_for(world, "caritas")
    assert post(jobcentre, f"{API}/referrals/{first['id']}/decline", {}).status_code == 422
    assert post(jobcentre, f"{API}/referrals/{first['id']}/withdraw").status_code == 404
    assert post(caritas, f"{API}/referrals/{first['id']}/accept").status_code == 404
    declined = post(jobcentre, f"{API}/referrals/{first['id']}/decline", {"reason": "Nicht zuständig"})
    assert declined.status_code == 200 and declined.json()["decline_reason"] == "Nicht zuständig"
    assert caritas.get(f"{API}/referrals/{first['id']}").json()["status"] == "declined"

    second = _send(cw).json()
    withdrawn = post(caritas, f"{API}/referrals/{second['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    response = post(jobcentre, f"{API}/referrals/{second['id']}/accept")
    assert response.status_code == 400 and response.json()["detail"]


def test_other_agencies_see_nothing_of_a_referral(cw):
    world = cw.world
    _consent(cw)
    sent = _send(cw).json()
    missing = client_for(world, "social_b").get(f"{API}/referrals/999999")
    for key in ("abh", "social_a", "social_b", "psych"):
        client = client_for(world, key)
        response = client.get(f"{API}/referrals/{sent['id']}")
        assert response.status_code == 404, key
        assert response.json() == missing.json()
        assert_no_canary(response)
        assert MESSAGE not in response.content.decode()
        for box in ("inbox", "outbox"):
            listing = client.get(f"{API}/referrals/{box}")
            assert listing.status_code in (200, 403)
            assert_no_canary(listing)
        for action, body in (("accept", None), ("decline", {"reason": "x"}), ("done", {"feedback": "x"}),
                             ("withdraw", None)):
            response = post(client, f"{API}/referrals/{sent['id']}/{action}", body)
            assert response.status_code == 404, (key, action)
            assert_no_canary(response)
    with personal_data_scope():
        assert Referral.objects.get(pk=sent["id"]).status == "sent"


def test_a_revoked_consent_hides_the_person_but_not_the_referral(cw):
    world = cw.world
    consent = _consent(cw)
    sent = _send(cw).json()
    jobcentre = client_for(world, "jobcentre")
    assert jobcentre.get(f"{API}/referrals/{sent['id']}").json()["record"] is not None
    revoke = post(client_for(world, "caritas"),
                  f"{API}/persons/{cw.person_id}/consents/{consent['id']}/revoke", {"note": "widerrufen"})
    assert revoke.status_code == 200

    inbox = jobcentre.get(f"{API}/referrals/inbox")
    assert [(i["id"], i["person"]) for i in inbox.json()["items"]] == [(sent["id"], None)]
    assert_no_canary(inbox)
    detail = jobcentre.get(f"{API}/referrals/{sent['id']}")
    assert detail.status_code == 200
    body = detail.json()
    assert (body["person"], body["record"], body["message"]) == (None, None, None)
    assert_no_canary(detail)
    assert MESSAGE not in detail.content.decode()
    # it can no longer be accepted; declining is still possible
    response = post(jobcentre, f"{API}/referrals/{sent['id']}/accept")
    assert response.status_code == 400 and response.json()["detail"]
    assert post(jobcentre, f"{API}/referrals/{sent['id']}/decline",
                {"reason": "Keine Einwilligung mehr"}).status_code == 200


def test_referral_reads_are_logged(cw):
    _consent(cw)
    sent = _send(cw).json()
    before = last_seq()
    assert client_for(cw.world, "jobcentre").get(f"{API}/referrals/{sent['id']}").status_code == 200
    assert any(e.action == "referral.read" and e.person_id == cw.person_id and e.decision == "allowed"
               for e in events_since(before))
    before = last_seq()
    assert client_for(cw.world, "jobcentre").get(f"{API}/referrals/inbox").status_code == 200
    assert any(e.action == "referral.inbox.read" and e.person_id == cw.person_id
               for e in events_since(before))


@pytest.mark.parametrize(("change", "status", "field"), [
    ({"categories": ["identity", "health"]}, 400, "categories"),
    ({"categories": ["everything"]}, 422, None),
    ({"categories": "identity"}, 422, None),
    ({"to_agency_id": "OWN"}, 400, "to_agency"),
    ({"to_agency_id": 999_999}, 400, "to_agency"),
    ({"to_agency_id": None}, 400, "to_agency"),
    ({"offer_id": 999_999}, 400, "offer"),
    ({"purpose": "curiosity"}, 422, None),
    ({"purpose": "residence_administration"}, 400, "purpose"),
    ({"person_id": "1"}, 422, None),
    ({"person_id": 0}, 422, None),
    ({"case_id": 10**20}, 422, None),
    ({"message": "x" * 4001}, 422, None),
    ({"message": "a\x00b"}, 422, None),
    ({"status": "done"}, 422, None),
])
def test_bad_referral_input_answers_4xx_and_saves_nothing(cw, change, status, field):
    _consent(cw)
    if change.get("to_agency_id") == "OWN":
        change = {"to_agency_id": cw.world.agencies["caritas"].pk}
    before = _referrals()
    response = _send(cw, **change)
    assert response.status_code == status, response.content
    assert response.json()["detail"]
    if field:
        assert response.json()["errors"][field]
    assert _referrals() == before


def test_referral_for_a_case_of_another_person_is_refused(cw):
    world = cw.world
    _consent(cw)
    other = build_case(world)
    before = _referrals()
    response = _send(cw, case_id=other.case_id)
    assert response.status_code == 400
    assert _referrals() == before


def test_inbox_and_outbox_need_their_permissions(cw):
    world = cw.world
    user = StaffUser.objects.create_user(username="api-coord", password="x" * 16,
                                         agency=world.agencies["district_admin"])
    user.roles.set(Role.objects.filter(code="coordinator"))
    world.users["coord"] = user
    client = client_for(world, "coord")
    for box in ("inbox", "outbox"):
        response = client.get(f"{API}/referrals/{box}")
        assert response.status_code == 403 and "referral:" in response.json()["detail"]


@pytest.mark.parametrize("params", [{"status": "lost"}, {"page": "0"}, {"page": "1" * 30}])
def test_bad_list_parameters_give_422(cw, params):
    assert client_for(cw.world, "jobcentre").get(f"{API}/referrals/inbox", params).status_code == 422


@pytest.mark.parametrize("bad", ["-1", "0", "abc", "1" * 30])
def test_bad_referral_ids_give_4xx(cw, bad):
    client = client_for(cw.world, "jobcentre")
    assert 400 <= client.get(f"{API}/referrals/{bad}").status_code < 500
    assert 400 <= post(client, f"{API}/referrals/{bad}/accept").status_code < 500


# --- gap reports -------------------------------------------------------------------------

GAP = {"life_area": "language", "kind": "waiting_time", "title": "Wartezeit Integrationskurs",
       "description": "Kurse für Schichtarbeitende fehlen; Wartezeit über 4 Monate."}


def _gaps() -> int:
    return GapReport.objects.count()


def test_gap_report_written_and_listed_for_the_own_agency(cw):
    world = cw.world
    caritas = client_for(world, "caritas")
    body = {**GAP, "municipality_id": world.town_a.pk,
            "office_ids": [world.agencies["jobcentre"].pk, world.agencies["abh"].pk]}
    response = post(caritas, f"{API}/gap-reports", body)
    assert response.status_code == 201, response.content
    report = response.json()
    assert (report["municipality_name"], report["source"], report["status"]) == ("A-Dorf", "case_work", "new")
    assert sorted(o["name"] for o in report["offices_involved"]) == ["Ausländerbehörde Teststadt", "Jobcenter Test"]
    assert report["reporting_agency_id"] == world.agencies["caritas"].pk

    whole = post(caritas, f"{API}/gap-reports", {**GAP, "title": "Fehlender Kooperationspartner",
                                                 "kind": "missing_partner"})
    assert whole.status_code == 201 and whole.json()["municipality_id"] is None

    listing = client_for(world, "caritas_psych").get(f"{API}/gap-reports")  # same agency
    assert listing.status_code == 200
    assert [r["id"] for r in listing.json()["items"]] == [whole.json()["id"], report["id"]]
    assert listing.json()["total"] == 2

    other = client_for(world, "jobcentre").get(f"{API}/gap-reports")
    assert other.status_code == 200 and other.json()["items"] == []
    assert "Wartezeit" not in other.content.decode()


@pytest.mark.parametrize(("field", "text", "found"), [
    ("description", "Frau Canary-Given Karimi wartet seit Monaten.", "Canary-Given Karimi"),
    ("description", "Termin am 12.03.2025 geplatzt", "12.03.2025"),
    ("title", "Rückruf unter 0151 2345678", "0151 2345678"),
    ("description", "Az. 123-45/2024 liegt beim Amt", "123-45/2024"),
    ("description", "Mail an amina@example.org", "amina@example.org"),
])
def test_gap_report_with_personal_data_is_refused_naming_it(cw, field, text, found):
    before = _gaps()
    response = post(client_for(cw.world, "caritas"), f"{API}/gap-reports", {**GAP, field: text})
    assert response.status_code == 400, response.content
    assert found in " ".join(response.json()["errors"][field])
    assert _gaps() == before


@pytest.mark.parametrize(("change", "status", "field"), [
    ({"life_area": "moon"}, 422, None),
    ({"kind": "grumble"}, 422, None),
    ({"title": ""}, 422, None),
    ({"title": "x" * 201}, 422, None),
    ({"description": "x" * 5001}, 422, None),
    ({"description": "a\x00b"}, 422, None),
    ({"office_ids": ["1"]}, 422, None),
    ({"office_ids": list(range(1, 60))}, 422, None),
    ({"person_id": 1}, 422, None),
    ({"source": "conference"}, 422, None),
    ({"municipality_id": 999_999}, 400, "municipality"),
    ({"office_ids": [999_999]}, 400, "offices"),
])
def test_bad_gap_report_input_answers_4xx_and_saves_nothing(cw, change, status, field):
    before = _gaps()
    response = post(client_for(cw.world, "caritas"), f"{API}/gap-reports", {**GAP, **change})
    assert response.status_code == status, response.content
    assert response.json()["detail"]
    if field:
        assert response.json()["errors"][field]
    assert _gaps() == before


def test_offices_and_municipalities_of_another_district_are_refused(cw):
    other = District.objects.create(name="Anderer Kreis", code="77777")
    town = Municipality.objects.create(district=other, name="Fremd", code="77777001")
    agency = Agency.objects.create(district=other, kind=AgencyKind.JOB_CENTRE, name="Fremdes Jobcenter")
    client = client_for(cw.world, "caritas")
    assert post(client, f"{API}/gap-reports", {**GAP, "municipality_id": town.pk}).status_code == 400
    assert post(client, f"{API}/gap-reports", {**GAP, "office_ids": [agency.pk]}).status_code == 400
    assert _gaps() == 0


def test_gap_reports_need_the_permission(cw):
    world = cw.world
    user = StaffUser.objects.create_user(username="api-coord2", password="x" * 16,
                                         agency=world.agencies["district_admin"])
    user.roles.set(Role.objects.filter(code="coordinator"))
    world.users["coord"] = user
    client = client_for(world, "coord")
    assert client.get(f"{API}/gap-reports").status_code == 403
    response = post(client, f"{API}/gap-reports", GAP)
    assert response.status_code == 403 and "gap:report" in response.json()["detail"]
    assert _gaps() == 0


def test_gap_report_page_past_the_end_answers_the_last_page(cw):
    post(client_for(cw.world, "caritas"), f"{API}/gap-reports", GAP)
    page = client_for(cw.world, "caritas").get(f"{API}/gap-reports", {"page": 9}).json()
    assert (page["page"], page["num_pages"], page["total"]) == (1, 1, 1)
    assert client_for(cw.world, "caritas").get(f"{API}/gap-reports", {"page": 0}).status_code == 422


def test_gap_report_dates_are_not_confused_with_numbers(cw):
    """A plain year or a count is no personal data."""
    body = {**GAP, "description": "Seit 2024 warten 35 Personen länger als 12 Wochen."}
    response = post(client_for(cw.world, "caritas"), f"{API}/gap-reports", body)
    assert response.status_code == 201, response.content
    assert response.json()["description"] == body["description"]
