"""Cases and integration plans in the JSON API, as their clients meet them: the owning agency
works on a case; another agency sees none of it without a consent; a consent opens the case
but never the Art. 9 note, and its revocation hides the case at once; bad input changes
nothing; every read is logged; the OpenAPI document lists the paths."""

import datetime
import json
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lotse.api.services import api_token_create
from lotse.audit.models import AccessEvent
from lotse.cases.models import Case, CaseNote, CaseTask
from lotse.cases.services import document_add, note_add, task_add
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import open_case, register_person
from lotse.organisations.models import Role, StaffUser
from lotse.plans.models import PlanGoal, PlanStep
from lotse.plans.services import goal_add, step_add

pytestmark = pytest.mark.django_db

API = "/api/v1"
TODAY = datetime.date.today()
CANARIES = ("Canary-Given", "CANARY-NOTE", "CANARY-HEALTH", "CANARY-TASK", "CANARY-GOAL",
            "CANARY-STEP")


# --- helpers (also used by the other test_api_* files) -----------------------------------

def post(client: Client, url: str, data=None):
    return client.post(url, data=json.dumps(data if data is not None else {}),
                       content_type="application/json")


def assert_no_canary(response) -> None:
    body = response.content.decode()
    for canary in CANARIES:
        assert canary not in body, (canary, response.status_code)


def client_for(world, key: str) -> Client:
    """A client with a bearer token of `key` (one is created if the API world has none)."""
    if key not in world.tokens:
        _token, world.tokens[key] = api_token_create(user=world.users[key], name=f"test client {key}")
    return world.client(key)


def consent_body(world, *, categories=("identity", "counselling_notes", "health"), frm="caritas",
                 to="jobcentre", purpose="benefits_administration") -> dict:
    return {
        "categories": list(categories), "purpose": purpose,
        "from_agency_id": world.agencies[frm].pk, "to_agency_id": world.agencies[to].pk,
        "given_on": TODAY.isoformat(), "method": "signed_form", "informed_language": "ar",
    }


def last_seq() -> int:
    return AccessEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def events_since(seq: int) -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(seq__gt=seq).order_by("seq"))


def counts() -> dict[str, int]:
    with personal_data_scope():
        return {"cases": Case.objects.count(), "notes": CaseNote.objects.count(),
                "tasks": CaseTask.objects.count(), "goals": PlanGoal.objects.count(),
                "steps": PlanStep.objects.count()}


@dataclass
class CaseFixture:
    world: object
    person_id: int
    case_id: int
    note_id: int
    health_note_id: int
    task_id: int
    goal_id: int
    step_id: int


def build_case(world) -> CaseFixture:
    """A case of the welfare association (caritas) with a general note, an Art. 9 note by its
    psychosocial counsellor, a task and a plan goal with a step — each carrying a canary."""
    pid = register_person(world, by="caritas", given_names="Canary-Given", family_name="Karimi")
    case = open_case(world, pid)
    caritas = world.ctx("caritas")
    note = note_add(ctx=caritas, case_id=case.pk, category="general",
                    text="CANARY-NOTE wants to work as an electrician")
    health = note_add(ctx=world.ctx("caritas_psych"), case_id=case.pk, category="health",
                      text="CANARY-HEALTH trauma counselling")
    task = task_add(ctx=caritas, case_id=case.pk, kind="accompany", title="CANARY-TASK job centre",
                    due_on=TODAY + datetime.timedelta(days=5))
    goal = goal_add(ctx=caritas, case_id=case.pk, life_area="work_training",
                    title="CANARY-GOAL work as an electrician")
    step = step_add(ctx=caritas, goal_id=goal.pk, title="CANARY-STEP certificate translated",
                    due_on=TODAY + datetime.timedelta(days=20))
    return CaseFixture(world, pid, case.pk, note.pk, health.pk, task.pk, goal.pk, step.pk)


@pytest.fixture
def cw(api_world) -> CaseFixture:
    return build_case(api_world)


# --- authentication and the OpenAPI document ---------------------------------------------

NEW_ENDPOINTS = [
    ("get", "/cases"), ("post", "/cases"), ("get", "/cases/1"), ("post", "/cases/1/phase"),
    ("post", "/cases/1/assign"), ("post", "/cases/1/next-contact"), ("post", "/cases/1/close"),
    ("post", "/cases/1/notes"), ("post", "/cases/1/tasks"), ("post", "/cases/tasks/1/done"),
    ("get", "/cases/1/plan"), ("post", "/cases/1/plan/goals"), ("post", "/cases/1/plan/templates"),
    ("post", "/plans/goals/1/steps"), ("post", "/plans/goals/1/status"),
    ("post", "/plans/steps/1/status"), ("get", "/plan-templates"),
    ("get", "/referrals/inbox"), ("get", "/referrals/outbox"), ("get", "/referrals/1"),
    ("post", "/referrals"), ("post", "/referrals/1/accept"), ("post", "/referrals/1/decline"),
    ("post", "/referrals/1/done"), ("post", "/referrals/1/withdraw"),
    ("get", "/gap-reports"), ("post", "/gap-reports"),
]


@pytest.mark.parametrize(("method", "path"), NEW_ENDPOINTS)
@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Bearer lotse_" + "A" * 43])
def test_every_new_endpoint_needs_a_valid_token(api_world, method, path, header):
    client = Client(headers={"Authorization": header} if header else {})
    response = client.get(API + path) if method == "get" else post(client, API + path)
    assert response.status_code == 401
    assert response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_openapi_document_lists_the_case_management_paths(api_world):
    document = Client().get(f"{API}/openapi.json").json()
    expected = {
        "/cases", "/cases/{case_id}", "/cases/{case_id}/phase", "/cases/{case_id}/assign",
        "/cases/{case_id}/next-contact", "/cases/{case_id}/close", "/cases/{case_id}/notes",
        "/cases/{case_id}/tasks", "/cases/tasks/{task_id}/done", "/cases/{case_id}/plan",
        "/cases/{case_id}/plan/goals", "/cases/{case_id}/plan/templates",
        "/plans/goals/{goal_id}/steps", "/plans/goals/{goal_id}/status",
        "/plans/steps/{step_id}/status", "/plan-templates", "/referrals/inbox", "/referrals/outbox",
        "/referrals/{referral_id}", "/referrals", "/referrals/{referral_id}/accept",
        "/referrals/{referral_id}/decline", "/referrals/{referral_id}/done",
        "/referrals/{referral_id}/withdraw", "/gap-reports",
    }
    assert set(document["paths"]) >= {API + p for p in expected}
    tags = {tag for item in document["paths"].values() for op in item.values() for tag in op["tags"]}
    assert tags >= {"persons", "cases", "plans", "referrals", "gap reports"}
    cases = document["paths"][f"{API}/cases"]
    assert set(cases) == {"get", "post"}
    assert {p["name"] for p in cases["get"]["parameters"]} >= {
        "team", "phase", "focus_area", "municipality_id", "overdue", "page"}
    assert "201" in cases["post"]["responses"]


# --- the owning agency works on a case ---------------------------------------------------

def test_case_manager_opens_works_on_and_closes_a_case(api_world):
    client = client_for(api_world, "caritas")
    pid = register_person(api_world, by="caritas", given_names="Olena", family_name="Kovalenko")
    # the person must be in a file of the own agency: registering did that
    response = post(client, f"{API}/cases", {"person_id": pid, "focus_area": "labour_market",
                                             "next_contact_on": (TODAY + datetime.timedelta(days=9)).isoformat()})
    assert response.status_code == 201, response.content
    case = response.json()
    assert case["person"] == {"id": pid, "given_names": "Olena", "family_name": "Kovalenko",
                              "birth_year": 1990}
    assert (case["phase"], case["focus_area"]) == ("intake", "labour_market")
    assert case["case_manager_id"] == api_world.users["caritas"].pk
    assert case["is_own_agency"] and case["owning_agency_name"] == "Caritas Test"
    assert case["notes"] == [] and case["tasks"] == [] and case["hidden_note_count"] == 0
    url = f"{API}/cases/{case['id']}"

    note = post(client, f"{url}/notes", {"category": "qualifications", "text": "Elektriker\nB1"})
    assert note.status_code == 201, note.content
    assert (note.json()["text"], note.json()["data_category"]) == ("Elektriker\nB1", "qualifications")

    due = TODAY + datetime.timedelta(days=2)
    task = post(client, f"{url}/tasks", {"kind": "accompany", "title": "Zum Jobcenter begleiten",
                                         "due_on": due.isoformat()})
    assert task.status_code == 201, task.content
    assert task.json()["due_on"] == due.isoformat() and task.json()["done_on"] is None

    assert post(client, f"{url}/phase", {"phase": "assessment"}).json()["phase"] == "assessment"
    body = client.get(url).json()
    assert [n["text"] for n in body["notes"]] == ["Elektriker\nB1"]
    assert [t["title"] for t in body["tasks"]] == ["Zum Jobcenter begleiten"]
    assert body["attention_on"] == due.isoformat()  # the task comes before the next contact

    done = post(client, f"{API}/cases/tasks/{task.json()['id']}/done")
    assert done.status_code == 200 and done.json()["done_on"] == TODAY.isoformat()
    assert client.get(url).json()["attention_on"] == (TODAY + datetime.timedelta(days=9)).isoformat()

    caseload = client.get(f"{API}/cases").json()
    assert [(i["id"], i["person"]["family_name"]) for i in caseload["items"]] == [(case["id"], "Kovalenko")]
    assert caseload["total"] == 1

    closed = post(client, f"{url}/close", {"reason": "goals_reached", "outcome": "achieved",
                                           "note": "Arbeitet als Elektriker"})
    assert closed.status_code == 200, closed.content
    assert (closed.json()["phase"], closed.json()["closed_on"]) == ("closed", TODAY.isoformat())
    assert client.get(f"{API}/cases").json()["items"] == []
    assert [i["id"] for i in client.get(f"{API}/cases", {"closed": "true"}).json()["items"]] == [case["id"]]
    late = post(client, f"{url}/notes", {"text": "zu spät"})
    assert late.status_code == 400 and late.json()["detail"]


def test_opening_a_case_needs_a_file_of_the_own_agency(api_world):
    """Caritas sees the person by consent only: no own file, no case (403), nothing saved."""
    client = client_for(api_world, "caritas")
    pid = api_world.persons["amina"]
    body = consent_body(api_world, categories=["identity"], frm="social_a", to="caritas",
                        purpose="case_management")
    assert post(client_for(api_world, "social_a"), f"{API}/persons/{pid}/consents", body).status_code == 201
    before = counts()
    response = post(client, f"{API}/cases", {"person_id": pid, "focus_area": "welcome_counselling"})
    assert response.status_code == 403
    assert response.json()["detail"]
    assert counts() == before
    assert post(client, f"{API}/persons/{pid}/file", {"file_number": "CA-1"}).status_code == 201
    assert post(client, f"{API}/cases", {"person_id": pid, "focus_area": "welcome_counselling"}).status_code == 201


def test_art9_note_only_for_the_psychosocial_counsellor_of_the_owning_agency(cw):
    world = cw.world
    url = f"{API}/cases/{cw.case_id}"
    own = client_for(world, "caritas").get(url)
    assert own.status_code == 200
    assert [n["text"] for n in own.json()["notes"]] == ["CANARY-NOTE wants to work as an electrician"]
    assert own.json()["hidden_note_count"] == 1
    assert "CANARY-HEALTH" not in own.content.decode()

    psych = client_for(world, "caritas_psych").get(url)
    assert {n["text"] for n in psych.json()["notes"]} == {
        "CANARY-NOTE wants to work as an electrician", "CANARY-HEALTH trauma counselling"}
    assert psych.json()["hidden_note_count"] == 0

    lead = client_for(world, "teamlead").get(url)
    assert lead.status_code == 200 and "CANARY-HEALTH" not in lead.content.decode()


def test_documents_are_listed_as_metadata_only_where_their_category_is_visible(cw, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = cw.world
    pdf = b"%PDF-1.4 certificate"
    document_add(ctx=world.ctx("caritas"), case_id=cw.case_id, kind="certificate",
                 title="Gesellenbrief Elektriker", category="qualifications",
                 upload=SimpleUploadedFile("brief.pdf", pdf, content_type="application/pdf"))
    document_add(ctx=world.ctx("caritas_psych"), case_id=cw.case_id, kind="medical",
                 title="CANARY-HEALTH Befund", category="health",
                 upload=SimpleUploadedFile("befund.pdf", b"%PDF-1.4 findings", content_type="application/pdf"))
    url = f"{API}/cases/{cw.case_id}"

    own = client_for(world, "caritas").get(url)
    assert [(d["title"], d["kind"], d["content_type"], d["size"]) for d in own.json()["documents"]] == [
        ("Gesellenbrief Elektriker", "certificate", "application/pdf", len(pdf))]
    assert "CANARY-HEALTH" not in own.content.decode()
    assert "%PDF" not in own.content.decode()  # metadata only, never the file
    psych = client_for(world, "caritas_psych").get(url).json()
    assert {d["title"] for d in psych["documents"]} == {"Gesellenbrief Elektriker", "CANARY-HEALTH Befund"}

    # the job centre with a consent for counselling notes only: not the qualifications document
    post(client_for(world, "caritas"), f"{API}/persons/{cw.person_id}/consents",
         consent_body(world, categories=["identity", "counselling_notes", "health"]))
    other = client_for(world, "jobcentre").get(url)
    assert other.status_code == 200 and other.json()["documents"] == []
    assert "CANARY-HEALTH" not in other.content.decode()


def test_only_psychosocial_counsellors_write_health_notes(cw):
    before = counts()
    response = post(client_for(cw.world, "caritas"), f"{API}/cases/{cw.case_id}/notes",
                    {"category": "health", "text": "Schlafstörungen"})
    assert response.status_code == 400
    assert response.json()["errors"]["category"]
    assert counts() == before
    response = post(client_for(cw.world, "caritas_psych"), f"{API}/cases/{cw.case_id}/notes",
                    {"category": "health", "text": "Schlafstörungen"})
    assert response.status_code == 201


# --- other agencies ----------------------------------------------------------------------

OTHERS = ("jobcentre", "abh", "social_a", "social_b", "psych")


def test_other_agencies_without_consent_see_nothing_of_the_case(cw):
    world = cw.world
    missing = client_for(world, "jobcentre").get(f"{API}/cases/999999")
    for key in OTHERS:
        client = client_for(world, key)
        for path in (f"/cases/{cw.case_id}", f"/cases/{cw.case_id}/plan"):
            response = client.get(API + path)
            assert response.status_code == 404, (key, path)
            assert response.json() == missing.json()  # missing and forbidden look the same
            assert_no_canary(response)
        caseload = client.get(f"{API}/cases")
        assert caseload.status_code in (200, 403)
        assert_no_canary(caseload)


def test_other_agencies_cannot_write_to_the_case(cw):
    world = cw.world
    before = counts()
    writes = [
        (f"/cases/{cw.case_id}/notes", {"text": "fremd"}),
        (f"/cases/{cw.case_id}/tasks", {"title": "fremd", "due_on": TODAY.isoformat()}),
        (f"/cases/{cw.case_id}/phase", {"phase": "monitoring"}),
        (f"/cases/{cw.case_id}/close", {"reason": "other", "outcome": "partly"}),
        (f"/cases/tasks/{cw.task_id}/done", None),
        (f"/cases/{cw.case_id}/plan/goals", {"life_area": "housing", "title": "fremd"}),
        (f"/plans/goals/{cw.goal_id}/steps", {"title": "fremd"}),
        (f"/plans/steps/{cw.step_id}/status", {"status": "done"}),
        (f"/plans/goals/{cw.goal_id}/status", {"status": "dropped"}),
    ]
    for key in ("jobcentre", "social_b"):
        client = client_for(world, key)
        for path, body in writes:
            response = post(client, API + path, body)
            assert response.status_code == 403, (key, path, response.content)
            assert_no_canary(response)
    assert counts() == before
    with personal_data_scope():
        assert Case.objects.get(pk=cw.case_id).phase == "planning"
        assert PlanStep.objects.get(pk=cw.step_id).status == "open"


def test_consent_opens_the_case_to_the_job_centre_but_not_the_art9_note(cw):
    world = cw.world
    caritas, jobcentre = client_for(world, "caritas"), client_for(world, "jobcentre")
    url = f"{API}/cases/{cw.case_id}"
    assert jobcentre.get(url).status_code == 404

    consent = post(caritas, f"{API}/persons/{cw.person_id}/consents", consent_body(world))
    assert consent.status_code == 201, consent.content

    response = jobcentre.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    assert [n["text"] for n in body["notes"]] == ["CANARY-NOTE wants to work as an electrician"]
    assert "CANARY-HEALTH" not in response.content.decode()
    assert body["hidden_note_count"] is None  # not even the number of hidden notes
    assert not body["is_own_agency"]
    assert f"#{consent.json()['id']}" in body["visibility"]
    assert body["person"]["given_names"] == "Canary-Given"
    assert [t["title"] for t in body["tasks"]] == ["CANARY-TASK job centre"]
    plan = jobcentre.get(f"{url}/plan")
    assert plan.status_code == 200
    assert [g["title"] for g in plan.json()["goals"]] == ["CANARY-GOAL work as an electrician"]

    # reading is not writing
    assert post(jobcentre, f"{url}/notes", {"text": "Jobcenter"}).status_code == 403

    revoked = post(caritas, f"{API}/persons/{cw.person_id}/consents/{consent.json()['id']}/revoke",
                   {"note": "am Schalter widerrufen"})
    assert revoked.status_code == 200
    for path in (url, f"{url}/plan"):
        response = jobcentre.get(path)
        assert response.status_code == 404  # at once
        assert_no_canary(response)


def test_case_reads_are_logged_and_refusals_logged_as_denied(cw):
    world = cw.world
    before = last_seq()
    assert client_for(world, "caritas").get(f"{API}/cases/{cw.case_id}").status_code == 200
    events = events_since(before)
    assert any(e.action == "case.read" and e.decision == "allowed" and e.person_id == cw.person_id
               and e.object_ref == f"case:{cw.case_id}" for e in events)

    before = last_seq()
    assert client_for(world, "jobcentre").get(f"{API}/cases/{cw.case_id}").status_code == 404
    assert [(e.person_id, e.decision, e.object_ref) for e in events_since(before)] == [
        (cw.person_id, "denied", f"case:{cw.case_id}")]

    before = last_seq()
    assert client_for(world, "caritas").get(f"{API}/cases").status_code == 200
    assert any(e.action == "caseload.read" and e.person_id == cw.person_id for e in events_since(before))


# --- caseload ----------------------------------------------------------------------------

def test_caseload_filters_sorts_and_pages(api_world):
    world = api_world
    caritas = client_for(world, "caritas")
    later = open_case(world, register_person(world, by="caritas", family_name="Later"))
    sooner = open_case(world, register_person(world, by="caritas", family_name="Sooner", town="b"),
                       focus_area="labour_market")
    none = open_case(world, register_person(world, by="caritas", family_name="Nothing"))
    post(caritas, f"{API}/cases/{later.pk}/next-contact",
         {"next_contact_on": (TODAY + datetime.timedelta(days=9)).isoformat()})
    post(caritas, f"{API}/cases/{sooner.pk}/tasks",
         {"title": "Begleiten", "due_on": (TODAY - datetime.timedelta(days=1)).isoformat()})

    def names(params=None):
        response = caritas.get(f"{API}/cases", params or {})
        assert response.status_code == 200, response.content
        return [i["person"]["family_name"] for i in response.json()["items"]]

    assert names() == ["Sooner", "Later", "Nothing"]
    assert names({"focus_area": "labour_market"}) == ["Sooner"]
    assert names({"municipality_id": world.town_b.pk}) == ["Sooner"]
    assert names({"overdue": "true"}) == ["Sooner"]
    assert names({"phase": "planning"}) == []
    assert names({"next_contact_until": (TODAY + datetime.timedelta(days=10)).isoformat()}) == ["Later"]
    page = caritas.get(f"{API}/cases", {"page": 7}).json()  # past the end: the last page
    assert (page["page"], page["num_pages"], page["total"]) == (1, 1, 3)
    assert none.pk in [i["id"] for i in page["items"]]

    # the team view: only with case:team_view
    response = caritas.get(f"{API}/cases", {"team": "true"})
    assert response.status_code == 403 and "case:team_view" in response.json()["detail"]
    lead = client_for(world, "teamlead")
    assert lead.get(f"{API}/cases").json()["items"] == []  # the lead manages none herself
    team = lead.get(f"{API}/cases", {"team": "true"}).json()
    assert team["total"] == 3
    only = lead.get(f"{API}/cases", {"team": "true", "case_manager_id": world.users["teamlead"].pk})
    assert only.json()["total"] == 0


def test_caseload_needs_case_manage(api_world):
    response = client_for(api_world, "abh").get(f"{API}/cases")
    assert response.status_code == 403
    assert "case:manage" in response.json()["detail"]


def test_team_lead_reassigns_only_to_colleagues(cw):
    world = cw.world
    url = f"{API}/cases/{cw.case_id}/assign"
    response = post(client_for(world, "caritas"), url, {"case_manager_id": world.users["teamlead"].pk})
    assert response.status_code == 403
    response = post(client_for(world, "teamlead"), url, {"case_manager_id": world.users["jobcentre"].pk})
    assert response.status_code == 400 and response.json()["errors"]["case_manager"]
    response = post(client_for(world, "teamlead"), url, {"case_manager_id": world.users["caritas_psych"].pk})
    assert response.status_code == 200
    assert response.json()["case_manager_id"] == world.users["caritas_psych"].pk
    ids = [i["id"] for i in client_for(world, "caritas_psych").get(f"{API}/cases").json()["items"]]
    assert ids == [cw.case_id]
    assert client_for(world, "caritas").get(f"{API}/cases").json()["items"] == []


# --- bad input ---------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "body", "status", "field"), [
    ("/cases", {"person_id": "PID", "focus_area": "astrology"}, 422, None),
    ("/cases", {"person_id": "1", "focus_area": "labour_market"}, 422, None),
    ("/cases", {"person_id": 10**30, "focus_area": "labour_market"}, 422, None),
    ("/cases", {"person_id": "PID", "focus_area": "labour_market", "next_contact_on": "morgen"}, 422, None),
    ("/cases", {"person_id": "PID", "focus_area": "labour_market", "owning_agency_id": 1}, 422, None),
    ("/cases", {"person_id": "PID", "focus_area": "labour_market", "case_manager_id": "OTHER"}, 400,
     "case_manager"),
    ("/cases", {"person_id": 999_999, "focus_area": "labour_market"}, 404, None),
    ("/cases/CASE/phase", {"phase": "closed"}, 422, None),
    ("/cases/CASE/phase", {"phase": "somewhere"}, 422, None),
    ("/cases/CASE/close", {"reason": "bored", "outcome": "achieved"}, 422, None),
    ("/cases/CASE/close", {"reason": "other", "outcome": "achieved", "note": "x" * 4001}, 422, None),
    ("/cases/CASE/notes", {"text": "   "}, 422, None),
    ("/cases/CASE/notes", {"text": "a\x00b"}, 422, None),
    ("/cases/CASE/notes", {"text": "x" * 20001}, 422, None),
    ("/cases/CASE/notes", {"text": "x", "category": "gossip"}, 422, None),
    ("/cases/CASE/tasks", {"title": "x", "due_on": "2024-02-30"}, 422, None),
    ("/cases/CASE/tasks", {"title": "x", "due_on": "3000-01-01"}, 422, None),
    ("/cases/CASE/tasks", {"title": "", "due_on": "2026-01-01"}, 422, None),
    ("/cases/CASE/tasks", {"title": "x" * 201, "due_on": "2026-01-01"}, 422, None),
    ("/cases/CASE/tasks", {"title": "x", "due_on": "2026-01-01", "kind": "party"}, 422, None),
    ("/cases/CASE/tasks", {"title": "x", "due_on": "2026-01-01", "assignee_id": "OTHER"}, 400,
     "case_manager"),
    ("/cases/tasks/999999/done", None, 403, None),  # like another agency's task: ids cannot be probed
    ("/cases/CASE/plan/goals", {"life_area": "moon", "title": "x"}, 422, None),
    ("/cases/CASE/plan/goals", {"life_area": "housing", "title": "x" * 301}, 422, None),
    ("/cases/CASE/plan/templates", {"template_code": "nope", "anchor_on": "2025-01-01"}, 400, "template"),
    ("/cases/CASE/plan/templates", {"template_code": "chancen-aufenthaltsrecht",
                                    "anchor_on": "2022-01-01"}, 400, "anchor_on"),
    ("/cases/CASE/plan/templates", {"template_code": "integration-course"}, 422, None),
    ("/plans/goals/GOAL/steps", {"title": "x", "due_on": "01.02.2026"}, 422, None),
    ("/plans/goals/GOAL/steps", {"title": "x", "responsible_agency_id": 999_999}, 400, "responsible_agency"),
    ("/plans/goals/GOAL/steps", {"title": "x", "offer_id": 999_999}, 400, "offer"),
    ("/plans/goals/999999/steps", {"title": "x"}, 400, "__all__"),
    ("/plans/steps/STEP/status", {"status": "finished"}, 422, None),
    ("/plans/steps/999999/status", {"status": "done"}, 400, "__all__"),
    ("/plans/goals/GOAL/status", {"status": "forgotten"}, 422, None),
])
def test_bad_input_answers_4xx_and_changes_nothing(cw, path, body, status, field):
    world = cw.world
    ids = {"CASE": str(cw.case_id), "GOAL": str(cw.goal_id), "STEP": str(cw.step_id)}
    for key, value in ids.items():
        path = path.replace(key, value)
    if body is not None:
        body = {k: {"PID": cw.person_id, "OTHER": world.users["jobcentre"].pk}.get(v, v)
                if isinstance(v, str) else v for k, v in body.items()}
    before = counts()
    with personal_data_scope():
        phase = Case.objects.get(pk=cw.case_id).phase
    response = post(client_for(world, "caritas"), API + path, body)
    assert response.status_code == status, response.content
    assert response.json()["detail"]
    if field:
        assert response.json()["errors"][field]
    assert counts() == before
    with personal_data_scope():
        assert Case.objects.get(pk=cw.case_id).phase == phase


@pytest.mark.parametrize("bad", ["-1", "0", "abc", "1" * 30, "1.5", "%00"])
def test_bad_ids_give_4xx(cw, bad):
    client = client_for(cw.world, "caritas")
    for path in (f"/cases/{bad}", f"/cases/{bad}/plan"):
        assert 400 <= client.get(API + path).status_code < 500, path
    for path in (f"/cases/{bad}/notes", f"/cases/tasks/{bad}/done", f"/plans/steps/{bad}/status",
                 f"/plans/goals/{bad}/steps"):
        assert 400 <= post(client, API + path, {"text": "x"}).status_code < 500, path


@pytest.mark.parametrize("params", [{"page": "0"}, {"page": "x"}, {"page": "1" * 30},
                                    {"phase": "nowhere"}, {"municipality_id": "-1"},
                                    {"next_contact_until": "bald"}, {"team": "vielleicht"}])
def test_bad_caseload_parameters_give_422(api_world, params):
    response = client_for(api_world, "caritas").get(f"{API}/cases", params)
    assert response.status_code == 422
    assert response.json()["detail"]


# --- plans -------------------------------------------------------------------------------

def test_plan_with_goal_step_and_progress(api_world):
    world = api_world
    client = client_for(world, "caritas")
    case = open_case(world, register_person(world, by="caritas", family_name="Plan"))
    url = f"{API}/cases/{case.pk}/plan"
    assert client.get(url).json() == {"case_id": case.pk, "exists": False, "done": 0, "total": 0,
                                      "percent": 0, "overdue_step_ids": [], "next_due_step_id": None,
                                      "goals": []}
    goal = post(client, f"{url}/goals", {"life_area": "housing", "title": "Eigene Wohnung finden"})
    assert goal.status_code == 201, goal.content
    assert (goal.json()["life_area"], goal.json()["steps"]) == ("housing", [])
    assert client.get(f"{API}/cases/{case.pk}").json()["phase"] == "planning"

    overdue_day = TODAY - datetime.timedelta(days=3)
    step = post(client, f"{API}/plans/goals/{goal.json()['id']}/steps",
                {"title": "WBS beantragen", "due_on": overdue_day.isoformat(),
                 "responsible_agency_id": world.agencies["social_a"].pk})
    assert step.status_code == 201, step.content
    assert step.json()["responsible"] == "Sozialamt A-Dorf" and step.json()["overdue"]
    second = post(client, f"{API}/plans/goals/{goal.json()['id']}/steps",
                  {"title": "Wohnungsbesichtigung", "responsible_note": "Person selbst"})
    assert second.status_code == 201

    plan = client.get(url).json()
    assert plan["exists"] and (plan["done"], plan["total"], plan["percent"]) == (0, 2, 0)
    assert plan["overdue_step_ids"] == [step.json()["id"]]
    assert client.get(f"{API}/cases/{case.pk}").json()["attention_on"] == overdue_day.isoformat()

    done = post(client, f"{API}/plans/steps/{step.json()['id']}/status", {"status": "done"})
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["done_on"], done.json()["overdue"]) == (
        "done", TODAY.isoformat(), False)
    plan = client.get(url).json()
    assert (plan["done"], plan["total"], plan["percent"], plan["overdue_step_ids"]) == (1, 2, 50, [])

    dropped = post(client, f"{API}/plans/goals/{goal.json()['id']}/status", {"status": "dropped"})
    assert dropped.status_code == 200 and dropped.json()["status"] == "dropped"
    assert client.get(url).json()["total"] == 0


def test_plan_from_a_template_with_dates_from_the_rules(api_world):
    world = api_world
    client = client_for(world, "caritas")
    templates = client.get(f"{API}/plan-templates")
    assert templates.status_code == 200
    by_code = {t["code"]: t for t in templates.json()}
    assert {"integration-course", "recognition", "chancen-aufenthaltsrecht"} <= set(by_code)
    assert by_code["integration-course"]["steps"][2]["deadline_rules"] == ["integration-course-start"]

    case = open_case(world, register_person(world, by="caritas", family_name="Kurs"))
    anchor = datetime.date(2025, 3, 3)
    response = post(client, f"{API}/cases/{case.pk}/plan/templates",
                    {"template_code": "integration-course", "anchor_on": anchor.isoformat()})
    assert response.status_code == 201, response.content
    goal = response.json()
    assert (goal["template_code"], goal["anchor_on"], goal["life_area"]) == (
        "integration-course", anchor.isoformat(), "language")
    dues = [s["due_on"] for s in goal["steps"]]
    assert dues == [anchor.isoformat(), (anchor + datetime.timedelta(weeks=2)).isoformat(),
                    (anchor + datetime.timedelta(weeks=8)).isoformat()]
    assert "§ 7 Abs. 2 IntV" in goal["steps"][1]["deadline_rule_ref"]
    assert goal["steps"][0]["responsible_agency_id"] == world.agencies["abh"].pk


def test_plan_templates_need_a_token_but_no_case_rights(api_world):
    response = client_for(api_world, "abh").get(f"{API}/plan-templates")
    assert response.status_code == 200 and response.json()


def test_plan_read_is_logged(cw):
    before = last_seq()
    assert client_for(cw.world, "caritas").get(f"{API}/cases/{cw.case_id}/plan").status_code == 200
    assert any(e.action == "plan.read" and e.decision == "allowed" and e.person_id == cw.person_id
               for e in events_since(before))


def test_a_user_with_roles_removed_gets_404_on_the_next_request(cw):
    world = cw.world
    client = client_for(world, "caritas")
    assert client.get(f"{API}/cases/{cw.case_id}").status_code == 200
    StaffUser.objects.get(pk=world.users["caritas"].pk).roles.set(Role.objects.filter(code="coordinator"))
    response = client.get(f"{API}/cases/{cw.case_id}")
    assert response.status_code == 404
    assert_no_canary(response)
