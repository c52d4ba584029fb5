"""Handovers in the JSON API, as the job centre's own software meets them: its open handovers
with dates and risk, one handover with the checklist, confirming an application (only the
responsible office; bad input answers 400/422 and changes nothing), and the data package
(identity only without consent, exactly the consented categories with it, hidden again at once
after a revocation). Another office gets 404, an office without the permission 403, a client
without a token 401."""

import datetime

import pytest
from django.test import Client

from lotse.api.tests.test_api_cases import API, client_for, consent_body, events_since, last_seq, post
from lotse.core.scoping import personal_data_scope
from lotse.handovers.models import ChecklistItem, Handover
from lotse.people.models import PersonAgencyLink
from lotse.people.services import residence_status_add
from lotse.rules.models import ResidenceKind

pytestmark = pytest.mark.django_db

D = datetime.date
EMAIL = "amina@example.org"  # social office A's contact data of Amina (see conftest)


@pytest.fixture
def handover(api_world) -> Handover:
    """The ABH records Amina's recognition: her AsylbLG benefits (social office A) end, a
    handover to the job centre opens."""
    pid = api_world.persons["amina"]
    with personal_data_scope():
        PersonAgencyLink.objects.get_or_create(person_id=pid, agency=api_world.agencies["abh"])
    kind = ResidenceKind.objects.get(code="p25-2-gfk")
    residence_status_add(ctx=api_world.ctx("abh"), person_id=pid, kind_id=kind.pk, document="eat",
                         valid_from=D(2026, 3, 10))
    with personal_data_scope():
        return Handover.objects.get(person_id=pid)


def item(handover, key) -> ChecklistItem:
    with personal_data_scope():
        return ChecklistItem.objects.get(handover=handover, key=key)


def snapshot(handover) -> list[tuple]:
    with personal_data_scope():
        return list(ChecklistItem.objects.filter(handover=handover).order_by("id").values_list(
            "id", "done_on", "value_date", "note", "done_by_id"))


# --- authentication and the OpenAPI document ---------------------------------------------

ENDPOINTS = [("get", "/handovers"), ("get", "/handovers/1"), ("post", "/handovers/items/1"),
             ("get", "/handovers/1/package")]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
@pytest.mark.parametrize("header", [None, "Bearer nonsense"])
def test_every_handover_endpoint_needs_a_valid_token(api_world, method, path, header):
    client = Client(headers={"Authorization": header} if header else {})
    response = client.get(API + path) if method == "get" else post(client, API + path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_openapi_document_lists_the_handover_paths(api_world):
    paths = Client().get(f"{API}/openapi.json").json()["paths"]
    assert {"/api/v1/handovers", "/api/v1/handovers/{handover_id}", "/api/v1/handovers/items/{item_id}",
            "/api/v1/handovers/{handover_id}/package"} <= set(paths)


# --- list and detail ---------------------------------------------------------------------

@pytest.mark.parametrize("office", ["jobcentre", "social_a"])
def test_both_offices_list_the_open_handover_with_dates_and_risk(api_world, handover, office):
    response = client_for(api_world, office).get(f"{API}/handovers")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total"] == 1 and body["page"] == 1
    [row] = body["items"]
    assert row["id"] == handover.pk
    assert row["person"]["family_name"] == "Haddad"
    assert (row["from_regime"], row["to_regime"]) == ("asylblg", "sgb2")
    assert row["to_agency"]["id"] == api_world.agencies["jobcentre"].pk
    assert (row["old_regime_ends_on"], row["new_regime_starts_on"], row["application_due_on"]) == (
        "2026-03-31", "2026-04-01", "2026-04-30")
    assert row["risk"] in {"gap", "application_missing", "confirmation_missing", "overdue", "none"}
    assert row["coverage"]["expected"] is True
    assert EMAIL not in response.content.decode()


def test_the_detail_lists_every_checklist_item_with_its_office(api_world, handover):
    seq = last_seq()
    response = client_for(api_world, "jobcentre").get(f"{API}/handovers/{handover.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    items = {i["key"]: i for i in body["items"]}
    assert len(items) == 13
    assert items["application"]["owner_agency_id"] == api_world.agencies["jobcentre"].pk
    assert items["application"]["records_date"] is True and items["application"]["may_tick"] is True
    assert items["application"]["due_on"] == "2026-04-30"
    assert "§ 37 Abs. 2 S. 2 SGB II" in items["application"]["deadline_rule"]
    assert items["consent"]["may_tick"] is False  # the social office's item
    assert body["is_next_office"] is True and body["is_paying_office"] is False
    assert any(e.action == "handover.read" and e.person_id == api_world.persons["amina"]
               for e in events_since(seq))


@pytest.mark.parametrize(("user", "status"), [("social_b", 404), ("caritas", 403), ("abh", 403)])
def test_other_offices_get_nothing(api_world, handover, user, status):
    client = client_for(api_world, user)
    for url in (f"{API}/handovers/{handover.pk}", f"{API}/handovers/{handover.pk}/package"):
        response = client.get(url)
        assert response.status_code == status, (url, response.content)
        assert "Haddad" not in response.content.decode()
    listed = client.get(f"{API}/handovers")
    assert listed.status_code == (200 if status == 404 else 403)
    if status == 404:
        assert listed.json()["items"] == []
    response = post(client, f"{API}/handovers/items/{item(handover, 'consent').pk}", {"done": True})
    assert response.status_code == status
    assert client_for(api_world, "jobcentre").get(f"{API}/handovers/{10**9}").status_code == 404


# --- confirming an item --------------------------------------------------------------------

def test_the_job_centre_confirms_the_application_with_its_date(api_world, handover):
    application = item(handover, "application")
    seq = last_seq()
    response = post(client_for(api_world, "jobcentre"), f"{API}/handovers/items/{application.pk}",
                    {"done": True, "value_date": "2026-04-20", "note": "Antrag eingegangen"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["key"], body["done"], body["value_date"], body["note"]) == (
        "application", True, "2026-04-20", "Antrag eingegangen")
    stored = item(handover, "application")
    assert stored.value_date == D(2026, 4, 20) and stored.done_on is not None
    assert stored.done_by_id == api_world.users["jobcentre"].pk
    assert [e.action for e in events_since(seq) if e.decision == "allowed"][-1] == "handover.item_updated"
    detail = client_for(api_world, "jobcentre").get(f"{API}/handovers/{handover.pk}").json()
    assert detail["coverage"]["expected"] is False
    assert detail["coverage"]["new_starts_on"] == "2026-04-01"
    # Reopening clears the date.
    response = post(client_for(api_world, "jobcentre"), f"{API}/handovers/items/{application.pk}",
                    {"done": False})
    assert response.status_code == 200 and response.json()["value_date"] is None


@pytest.mark.parametrize(("payload", "status", "field"), [
    ({"done": True}, 400, "value_date"),  # the item records a date
    ({"done": True, "value_date": "2999-01-01"}, 400, "value_date"),  # far in the future
    ({"done": "yes", "value_date": "2026-04-20"}, 422, None),
    ({"done": True, "value_date": "20.04.2026"}, 422, None),
    ({"done": True, "value_date": "2026-04-20", "note": "a\x00b"}, 422, None),
    ({"done": True, "value_date": "2026-04-20", "note": "x" * 301}, 422, None),
    ({"done": True, "value_date": "2026-04-20", "owner_agency_id": 1}, 422, None),
    ({}, 422, None),
])
def test_bad_input_answers_400_or_422_and_changes_nothing(api_world, handover, payload, status, field):
    before = snapshot(handover)
    response = post(client_for(api_world, "jobcentre"),
                    f"{API}/handovers/items/{item(handover, 'application').pk}", payload)
    assert response.status_code == status, response.content
    if field:
        assert field in response.json()["errors"]
    assert snapshot(handover) == before


def test_only_the_responsible_office_ticks_an_item(api_world, handover):
    before = snapshot(handover)
    response = post(client_for(api_world, "jobcentre"),
                    f"{API}/handovers/items/{item(handover, 'last_payment').pk}",
                    {"done": True, "value_date": "2026-03-31"})
    assert response.status_code == 400
    assert response.json()["detail"]
    assert snapshot(handover) == before
    response = post(client_for(api_world, "jobcentre"), f"{API}/handovers/items/{10**9}",
                    {"done": True})
    assert response.status_code == 404
    assert snapshot(handover) == before


# --- the data package ----------------------------------------------------------------------

def _package(api_world, handover, user="jobcentre"):
    response = client_for(api_world, user).get(f"{API}/handovers/{handover.pk}/package")
    assert response.status_code == 200, response.content
    return response


def test_package_without_consent_is_identity_only_with_the_reasons(api_world, handover):
    seq = last_seq()
    response = _package(api_world, handover)
    assert EMAIL not in response.content.decode()
    body = response.json()
    assert body["viewer"] == "receiving_office" and body["members_not_shown"] == 0
    [member] = body["members"]
    assert member["trigger_person"] is True
    assert member["identity"]["family_name"] == "Haddad"
    assert member["contact"] is None and member["benefits"] is None and member["household"] is None
    states = {c["category"]: c for c in member["categories"]}
    assert {k: v["state"] for k, v in states.items()} == {
        "identity": "shown", "contact": "hidden", "household": "hidden", "benefits": "hidden"}
    assert "Sozialamt A-Dorf" in states["contact"]["explanation"]
    assert any(e.action == "handover.package.export" and e.object_ref == f"handover:{handover.pk}:api"
               for e in events_since(seq))


def test_package_with_consent_then_revoked(api_world, handover):
    pid = api_world.persons["amina"]
    social = client_for(api_world, "social_a")
    response = post(social, f"{API}/persons/{pid}/consents",
                    consent_body(api_world, categories=["contact", "benefits"], frm="social_a",
                                 to="jobcentre", purpose="benefits_handover"))
    assert response.status_code == 201, response.content
    consent_id = response.json()["id"]
    [member] = _package(api_world, handover).json()["members"]
    assert member["contact"]["email"] == EMAIL
    assert [b["regime"] for b in member["benefits"]] == ["asylblg"]
    assert member["household"] is None
    response = post(social, f"{API}/persons/{pid}/consents/{consent_id}/revoke", {"note": "widerrufen"})
    assert response.status_code == 200
    response = _package(api_world, handover)
    assert EMAIL not in response.content.decode()
    assert response.json()["members"][0]["contact"] is None


def test_the_paying_office_reads_the_package_as_a_preview(api_world, handover):
    body = _package(api_world, handover, user="social_a").json()
    assert body["viewer"] == "paying_office"
    assert body["members"][0]["contact"] is None  # the job centre would not see it either
