"""The JSON API as its clients meet it: tokens, the access spine behind every endpoint,
consent and revocation, statutory rules, bad input, the OpenAPI document, the access log."""

import datetime
import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from lotse.api.models import ApiToken
from lotse.api.schemas import ContactOut, HouseholdOut, IdentityOut
from lotse.api.services import api_token_create, api_token_revoke
from lotse.audit.models import AccessEvent
from lotse.core.vocabulary import CATEGORY_ORDER
from lotse.organisations.models import Role, StaffUser
from lotse.people.models import FIELD_CATEGORIES, Person
from lotse.rules.models import AccessRule

pytestmark = pytest.mark.django_db

API = "/api/v1"
TODAY = datetime.date.today()


def _post(client: Client, url: str, data) -> "object":
    return client.post(url, data=json.dumps(data), content_type="application/json")


def _search(client: Client, params: dict) -> "object":
    """The person search: its terms go in the JSON body, never in the URL."""
    return _post(client, f"{API}/persons/search", params)


def _consent_body(world, *, categories=("identity", "benefits"), frm="social_a", to="jobcentre",
                  **extra):
    body = {
        "categories": list(categories), "purpose": "benefits_administration",
        "from_agency_id": world.agencies[frm].pk, "to_agency_id": world.agencies[to].pk,
        "given_on": TODAY.isoformat(), "valid_until": None, "method": "signed_form",
        "informed_language": "ar",
    }
    body.update(extra)
    return body


def _events_since(seq: int):
    return list(AccessEvent.objects.filter(seq__gt=seq).order_by("seq"))


def _last_seq() -> int:
    return AccessEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


# --- authentication ----------------------------------------------------------------------

ENDPOINTS = [
    ("post", "/persons/search"),
    ("get", "/persons/1"),
    ("post", "/persons"),
    ("get", "/persons/1/residence"),
    ("post", "/persons/1/residence"),
    ("get", "/persons/1/consents"),
    ("post", "/persons/1/consents"),
    ("post", "/persons/1/consents/1/revoke"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
@pytest.mark.parametrize("header", [
    None, "Bearer", "Bearer nonsense", "Basic YWxhZGRpbjpvcGVuc2VzYW1l",
    "Bearer lotse_" + "A" * 43, "Bearer lotse_" + "\u00e4" * 43, "Bearer lotse_" + "A" * 5000,
])
def test_every_endpoint_needs_a_valid_token(api_world, method, path, header):
    client = Client(headers={"Authorization": header} if header else {})
    if method == "get":
        response = client.get(API + path)
    else:
        response = client.post(API + path, data="{}", content_type="application/json")
    assert response.status_code == 401
    assert response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_session_login_is_not_enough_for_the_api(api_world):
    client = Client()
    client.force_login(api_world.users["social_a"])
    assert client.get(f"{API}/persons/{api_world.persons['amina']}").status_code == 401


def test_token_is_stored_only_as_hash_and_works_until_revoked(api_world):
    token, plaintext = api_token_create(user=api_world.users["social_a"], name="Fachverfahren")
    assert plaintext.startswith("lotse_") and len(plaintext) == 49
    assert token.key_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert token.prefix == plaintext[6:14]
    assert not ApiToken.objects.filter(key_hash=plaintext).exists()
    assert plaintext not in str(ApiToken.objects.filter(pk=token.pk).values().get())

    client = Client(headers={"Authorization": f"Bearer {plaintext}"})
    url = f"{API}/persons/{api_world.persons['amina']}"
    assert client.get(url).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    api_token_revoke(token_id=token.pk)
    assert client.get(url).status_code == 401  # the very next request


def test_expired_token_and_deactivated_user_get_401(api_world):
    user = api_world.users["social_a"]
    token, plaintext = api_token_create(user=user, name="kurz", valid_days=1)
    client = Client(headers={"Authorization": f"Bearer {plaintext}"})
    url = f"{API}/persons/{api_world.persons['amina']}"
    assert client.get(url).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(1))
    assert client.get(url).status_code == 401

    other = api_world.client("social_a")
    assert other.get(url).status_code == 200
    StaffUser.objects.filter(pk=user.pk).update(is_active=False)
    assert other.get(url).status_code == 401


def test_management_command_prints_the_token_once(api_world):
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token_create", username=api_world.users["caritas"].username, name="Import", valid_days=30,
                 stdout=out, stderr=err)
    plaintext = out.getvalue().strip()
    assert plaintext.startswith("lotse_")
    assert plaintext not in err.getvalue()
    token = ApiToken.objects.get(prefix=plaintext[6:14])
    assert token.expires_at is not None and token.name == "Import"
    client = Client(headers={"Authorization": f"Bearer {plaintext}"})
    assert _search(client, {"name": "Haddad"}).status_code == 200

    call_command("api_token_revoke", token_id=token.pk, stdout=io.StringIO())
    assert _search(client, {"name": "Haddad"}).status_code == 401


def test_role_changes_apply_to_the_next_request(api_world):
    client = api_world.client("social_a")
    url = f"{API}/persons/{api_world.persons['amina']}"
    assert client.get(url).status_code == 200
    api_world.users["social_a"].roles.set(Role.objects.filter(code="coordinator"))
    assert client.get(url).status_code == 404


# --- OpenAPI -----------------------------------------------------------------------------

def test_openapi_document_is_served_and_lists_the_paths(api_world):
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "Lotse API"
    assert "TOTP" in document["info"]["description"]
    assert set(document["paths"]) >= {
        f"{API}/persons", f"{API}/persons/search", f"{API}/persons/{{person_id}}", f"{API}/persons/{{person_id}}/residence",
        f"{API}/persons/{{person_id}}/consents",
        f"{API}/persons/{{person_id}}/consents/{{consent_id}}/revoke",
    }
    schemes = document["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    # ninja's Swagger page (CDN assets, forbidden by our CSP) is switched off
    assert Client().get(f"{API}/docs").status_code == 404


def test_output_schemas_cover_every_person_field():
    """A field added to Person with a category must appear in the API's group for it."""
    groups = {"identity": IdentityOut, "contact": ContactOut, "household": HouseholdOut}
    for name, category in FIELD_CATEGORIES.items():
        attname = Person._meta.get_field(name).attname
        assert attname in groups[category].model_fields, (name, category)


# --- search ------------------------------------------------------------------------------

def test_search_finds_a_transliteration_variant_with_identity_fields_only(api_world):
    response = _search(api_world.client("abh"), {"name": "Muhammad Alhasan"})
    assert response.status_code == 200
    hits = response.json()
    assert [hit["id"] for hit in hits][:1] == [api_world.persons["omar"]]
    assert set(hits[0]) == {"id", "score", "identity"}
    assert hits[0]["identity"]["family_name"] == "Al-Hassan"
    assert "street" not in hits[0]["identity"]


PERSONAL_QUERY_PARAMETERS = {"name", "birth", "azr_number", "file_number", "given_names",
                             "family_name", "email", "phone", "street"}


def test_no_operation_takes_personal_data_in_the_url(api_world):
    """ASVS 14.2.1: search terms travel in the body; a GET with them in the query string is no
    search (405) and reads nothing."""
    document = api_world.client("abh").get(f"{API}/openapi.json").json()
    in_urls = sorted(f"{method.upper()} {path} ?{parameter['name']}"
                     for path, operations in document["paths"].items()
                     for method, operation in operations.items()
                     for parameter in operation.get("parameters", [])
                     if parameter["in"] == "query" and parameter["name"] in PERSONAL_QUERY_PARAMETERS)
    assert in_urls == []
    before = _last_seq()
    response = api_world.client("abh").get(f"{API}/persons", {"name": "Mohammed Al-Hassan"})
    assert response.status_code == 405
    assert "Al-Hassan" not in response.content.decode()
    assert _events_since(before) == []


@pytest.mark.parametrize("name", [
    "---", "محمد الحسن", "Ａｍｉｎａ", "'; DROP TABLE x; --", "ß" * 200, "a b c d e f g h",
    "%", "_",
])
def test_search_with_odd_names_answers_without_error(api_world, name):
    response = _search(api_world.client("social_a"), {"name": name})
    assert response.status_code in (200, 400)
    assert isinstance(response.json(), list) or response.json()["detail"]


def test_search_does_not_show_persons_the_user_may_not_see(api_world):
    response = _search(api_world.client("jobcentre"), {"name": "Amina Haddad"})
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize(("params", "status", "field"), [
    ({}, 400, "__all__"),
    ({"name": "   "}, 400, "__all__"),
    ({"birth": "gestern"}, 400, "birth"),
    ({"birth": "1990-13"}, 400, "birth"),
    ({"azr_number": "12ab"}, 400, "azr_number"),
    ({"name": "Amina\x00Haddad"}, 422, None),
    ({"name": "A" * 10_000}, 422, None),
    ({"name": "Amina", "limit": "0"}, 422, None),
    ({"name": "Amina", "limit": "viele"}, 422, None),
    ({"name": "Amina", "limit": "1" * 40}, 422, None),
])
def test_search_rejects_bad_input_with_a_message(api_world, params, status, field):
    response = _search(api_world.client("social_a"), params)
    assert response.status_code == status
    body = response.json()
    assert body["detail"]
    if field:
        assert body["errors"][field]


# --- reading a person --------------------------------------------------------------------

def test_own_agency_reads_its_person_grouped_by_category(api_world):
    pid = api_world.persons["amina"]
    response = api_world.client("social_a").get(f"{API}/persons/{pid}")
    assert response.status_code == 200
    body = response.json()
    assert body["identity"]["given_names"] == "Amina"
    assert body["contact"]["email"] == "amina@example.org"
    assert [b["regime"] for b in body["benefits"]] == ["asylblg"]
    visibility = {v["category"]: v for v in body["visibility"]}
    assert list(visibility) == CATEGORY_ORDER
    assert visibility["identity"]["visible"] and visibility["identity"]["explanation"]
    assert not visibility["health"]["visible"]


def test_job_centre_sees_exactly_the_consented_categories_until_revocation(api_world):
    pid = api_world.persons["amina"]
    jobcentre, social = api_world.client("jobcentre"), api_world.client("social_a")
    url = f"{API}/persons/{pid}"

    assert jobcentre.get(url).status_code == 404

    response = _post(social, f"{url}/consents", _consent_body(api_world))
    assert response.status_code == 201, response.content
    consent = response.json()
    assert consent["categories"] == ["identity", "benefits"] and consent["valid_today"]

    response = jobcentre.get(url)
    assert response.status_code == 200
    body = response.json()
    assert set(body) - {"id", "visibility"} == {"identity", "benefits"}
    assert body["identity"]["family_name"] == "Haddad"
    assert [b["regime"] for b in body["benefits"]] == ["asylblg"]
    visibility = {v["category"]: v for v in body["visibility"]}
    assert f"#{consent['id']}" in visibility["identity"]["explanation"]
    assert not visibility["contact"]["visible"]
    assert "amina@example.org" not in response.content.decode()

    response = _post(social, f"{url}/consents/{consent['id']}/revoke", {"note": "mündlich\n"})
    assert response.status_code == 200
    assert response.json()["revoked_at"] and not response.json()["valid_today"]

    assert jobcentre.get(url).status_code == 404  # right after the revocation
    assert _search(jobcentre, {"name": "Amina Haddad"}).json() == []


def test_missing_and_forbidden_persons_look_the_same(api_world):
    client = api_world.client("jobcentre")
    forbidden = client.get(f"{API}/persons/{api_world.persons['amina']}")
    missing = client.get(f"{API}/persons/999999")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()


@pytest.mark.parametrize("path", ["-1", "0", "abc", "1" * 30, "1.5", "%00"])
def test_bad_person_ids_give_4xx(api_world, path):
    client = api_world.client("social_a")
    for suffix in ("", "/residence", "/consents"):
        response = client.get(f"{API}/persons/{path}{suffix}")
        assert 400 <= response.status_code < 500, (path, suffix)


# --- residence ---------------------------------------------------------------------------

def test_social_office_sees_abh_residence_rows_for_persons_of_its_municipality(api_world):
    client = api_world.client("social_a")
    response = client.get(f"{API}/persons/{api_world.persons['omar']}/residence")
    assert response.status_code == 200
    body = response.json()
    assert [(s["kind"], s["owning_agency_id"]) for s in body["statuses"]] == [
        ("p25-2-gfk", api_world.agencies["abh"].pk)]
    rule = AccessRule.objects.get(key="abh-to-social-office-residence")
    assert body["visibility"]["visible"]
    assert f"#{rule.pk}" in body["visibility"]["explanation"]

    # a person living in B: the statutory rule does not reach them
    assert client.get(f"{API}/persons/{api_world.persons['leyla']}/residence").status_code == 404
    assert client.get(f"{API}/persons/{api_world.persons['leyla']}").status_code == 404


def test_residence_rows_of_a_person_in_another_municipality_stay_hidden(api_world):
    """Social office A's own client who lives in B: identity visible, ABH rows not."""
    social = api_world.client("social_a")
    response = _post(social, f"{API}/persons", {
        "given_names": "Karim", "family_name": "Nasser", "birth_year": 1979,
        "municipality_id": api_world.town_b.pk})
    assert response.status_code == 201, response.content
    pid = response.json()["id"]
    # the ABH may see Karim by consent and records his status
    body = _consent_body(api_world, categories=["identity"], to="abh",
                         purpose="residence_administration")
    assert _post(social, f"{API}/persons/{pid}/consents", body).status_code == 201
    residence = {"kind": "duldung", "document": "paper", "valid_from": "2025-01-01"}
    response = _post(api_world.client("abh"), f"{API}/persons/{pid}/residence", residence)
    assert response.status_code == 403  # seeing by consent is not a file of one's own
    assert "Open a file first" in response.json()["detail"] or "Akte" in response.json()["detail"]
    opened = _post(api_world.client("abh"), f"{API}/persons/{pid}/file", {"file_number": "ABH-7"})
    assert opened.status_code == 201, opened.content
    response = _post(api_world.client("abh"), f"{API}/persons/{pid}/residence", residence)
    assert response.status_code == 201, response.content

    response = social.get(f"{API}/persons/{pid}/residence")
    assert response.status_code == 200
    assert response.json()["statuses"] == []
    assert not response.json()["visibility"]["visible"]
    own = api_world.client("abh").get(f"{API}/persons/{pid}/residence").json()
    assert [s["kind"] for s in own["statuses"]] == ["duldung"]


def test_only_the_abh_records_residence_statuses(api_world):
    pid = api_world.persons["omar"]
    body = {"kind": "p24", "document": "eat", "valid_from": "2025-02-01",
            "valid_to": "2026-02-01"}
    assert _post(api_world.client("social_a"), f"{API}/persons/{pid}/residence",
                 body).status_code == 403
    response = _post(api_world.client("abh"), f"{API}/persons/{pid}/residence", body)
    assert response.status_code == 201
    assert response.json()["owning_agency_name"] == "Ausländerbehörde Teststadt"
    statuses = api_world.client("abh").get(f"{API}/persons/{pid}/residence").json()["statuses"]
    assert {s["kind"] for s in statuses} == {"p24", "p25-2-gfk"}


@pytest.mark.parametrize(("body", "status"), [
    ({"kind": "gibtsnicht", "valid_from": "2025-01-01"}, 400),
    ({"kind": "p24", "valid_from": "2025-01-01", "valid_to": "2024-01-01"}, 400),
    ({"kind": "p24", "valid_from": "10000-01-01"}, 422),
    ({"kind": "p24", "valid_from": "0001-01-01"}, 422),
    ({"kind": "p24", "valid_from": "2025-02-30"}, 422),
    ({"kind": "p24", "valid_from": 20250101}, 422),
    ({"kind": "p24\x00", "valid_from": "2025-01-01"}, 422),
    ({"kind": "p24", "valid_from": "2025-01-01", "document": "passport"}, 422),
    ({"kind": "p24"}, 422),
    ({"kind": "p24", "valid_from": "2025-01-01", "owning_agency_id": 1}, 422),
])
def test_residence_input_is_validated(api_world, body, status):
    url = f"{API}/persons/{api_world.persons['omar']}/residence"
    response = _post(api_world.client("abh"), url, body)
    assert response.status_code == status, response.content
    assert response.json()["detail"]


# --- registering a person ----------------------------------------------------------------

def test_register_a_person_with_duplicate_check(api_world):
    client = api_world.client("caritas")
    body = {"given_names": "Olena", "family_name": "Kovalenko", "birth_year": 1992,
            "birth_month": 2, "languages": ["uk", "ru"], "nationalities": ["166"],
            "municipality_id": api_world.town_a.pk, "file_number": "CA-7"}
    response = _post(client, f"{API}/persons", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["identity"]["preferred_language"] == "uk"
    assert created["contact"]["municipality_id"] == api_world.town_a.pk

    response = _post(client, f"{API}/persons", {**body, "given_names": "Olena "})
    assert response.status_code == 409
    assert [d["id"] for d in response.json()["duplicates"]] == [created["id"]]

    response = _post(client, f"{API}/persons", {**body, "confirm_new": True})
    assert response.status_code == 201
    assert response.json()["id"] != created["id"]


def test_registering_needs_the_permission(api_world):
    user = StaffUser.objects.create_user(username="api-coordinator", password="x" * 16,
                                         agency=api_world.agencies["caritas"])
    user.roles.set(Role.objects.filter(code="coordinator"))
    _token, plaintext = api_token_create(user=user, name="Auswertung")
    client = Client(headers={"Authorization": f"Bearer {plaintext}"})
    response = _post(client, f"{API}/persons", {"given_names": "A", "family_name": "B"})
    assert response.status_code == 403
    assert "person:create" in response.json()["detail"]


VALID_PERSON = {"given_names": "Samir", "family_name": "Rahimi"}


@pytest.mark.parametrize(("change", "status", "field"), [
    ({"given_names": "Sa\x00mir"}, 422, None),
    ({"family_name": "R" * 201}, 422, None),
    ({"family_name": "R" * 1_000_000}, 422, None),
    ({"given_names": ""}, 422, None),
    ({"given_names": "\ud800"}, 422, None),
    ({"given_names": 42}, 422, None),
    ({"given_names": ["Samir"]}, 422, None),
    ({"birth_year": "1990"}, 422, None),
    ({"birth_year": True}, 422, None),
    ({"birth_year": 1800}, 422, None),
    ({"birth_year": 10**40}, 422, None),
    ({"birth_year": 1990, "birth_day": 3}, 422, None),
    ({"birth_year": 1990, "birth_month": 2, "birth_day": 30}, 422, None),
    ({"sex": "x"}, 422, None),
    ({"email": "not-an-address"}, 422, None),
    ({"postal_code": "5235"}, 422, None),
    ({"nationalities": ["Syrien"]}, 422, None),
    ({"languages": ["ar"] * 21}, 422, None),
    ({"municipality_id": -3}, 422, None),
    ({"municipality_id": 10**30}, 422, None),
    ({"arrival_germany": "99999-01-01"}, 422, None),
    ({"is_superuser": True}, 422, None),
    ({"municipality_id": 999_999}, 400, "municipality_id"),
    ({"arrival_district": (TODAY + datetime.timedelta(days=3)).isoformat()}, 400,
     "arrival_district"),
    ({"birth_year": TODAY.year + 1}, 400, "birth_year"),
])
def test_registration_input_is_validated(api_world, change, status, field):
    response = _post(api_world.client("caritas"), f"{API}/persons", {**VALID_PERSON, **change})
    assert response.status_code == status, response.content
    body = response.json()
    assert body["detail"]
    if field:
        assert body["errors"][field]


@pytest.mark.parametrize("raw", [b"{", b"[]", b"null", b'"x"', b"\xff\xfe", b""])
def test_malformed_json_bodies_give_4xx(api_world, raw):
    response = api_world.client("caritas").post(f"{API}/persons", data=raw,
                                                 content_type="application/json")
    assert 400 <= response.status_code < 500


def test_an_oversized_body_gives_413(api_world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {**VALID_PERSON, "other_names": "x" * 2000}
    response = _post(api_world.client("caritas"), f"{API}/persons", body)
    assert response.status_code == 413
    assert response.json()["detail"]


def test_municipality_of_another_district_is_refused(api_world):
    from lotse.organisations.models import District, Municipality

    other = District.objects.create(name="Anderer Kreis", code="77777")
    town = Municipality.objects.create(district=other, name="Fremd", code="77777001")
    response = _post(api_world.client("caritas"), f"{API}/persons",
                     {**VALID_PERSON, "municipality_id": town.pk})
    assert response.status_code == 400
    assert response.json()["errors"]["municipality_id"]


# --- consents ----------------------------------------------------------------------------

def test_consents_are_listed_for_staff_who_may_see_the_person(api_world):
    pid = api_world.persons["amina"]
    social = api_world.client("social_a")
    response = _post(social, f"{API}/persons/{pid}/consents", _consent_body(api_world))
    assert response.status_code == 201
    consents = social.get(f"{API}/persons/{pid}/consents").json()
    assert [(c["from_agency_name"], c["to_agency_name"]) for c in consents] == [
        ("Sozialamt A-Dorf", "Jobcenter Test")]
    assert api_world.client("caritas").get(f"{API}/persons/{pid}/consents").status_code == 404


@pytest.mark.parametrize(("change", "status", "field"), [
    ({"to_agency_id": "FROM"}, 400, "to_agency_id"),
    ({"to_agency_id": 999_999}, 400, "to_agency"),
    ({"given_on": (TODAY + datetime.timedelta(days=1)).isoformat()}, 400, "given_on"),
    ({"valid_until": "2000-01-01"}, 400, "valid_until"),
    ({"informed_language": "xx"}, 400, "informed_language"),
    ({"method": "uploaded_scan"}, 422, None),
    ({"categories": []}, 422, None),
    ({"categories": ["everything"]}, 422, None),
    ({"categories": "identity"}, 422, None),
    ({"purpose": "curiosity"}, 422, None),
    ({"from_agency_id": 0}, 422, None),
    ({"from_agency_id": "1"}, 422, None),
    ({"given_on": "2024-02-30"}, 422, None),
    ({"informed_language": "a\x00"}, 422, None),
])
def test_consent_input_is_validated(api_world, change, status, field):
    body = _consent_body(api_world, **change)
    if body["to_agency_id"] == "FROM":
        body["to_agency_id"] = body["from_agency_id"]
    pid = api_world.persons["amina"]
    response = _post(api_world.client("social_a"), f"{API}/persons/{pid}/consents", body)
    assert response.status_code == status, response.content
    assert response.json()["detail"]
    if field:
        assert response.json()["errors"][field]


def test_consent_for_a_person_the_user_cannot_see_is_not_found(api_world):
    pid = api_world.persons["amina"]
    response = _post(api_world.client("jobcentre"), f"{API}/persons/{pid}/consents",
                     _consent_body(api_world, frm="social_a", to="jobcentre"))
    assert response.status_code == 404


def test_revocation_errors(api_world):
    pid, other = api_world.persons["amina"], api_world.persons["omar"]
    social = api_world.client("social_a")
    consent = _post(social, f"{API}/persons/{pid}/consents", _consent_body(api_world)).json()
    url = f"{API}/persons/{pid}/consents/{consent['id']}/revoke"
    assert _post(social, url, {"note": "x\x00"}).status_code == 422
    assert _post(social, url, {"note": "x" * 301}).status_code == 422
    # the consent belongs to another person than the URL says
    wrong = f"{API}/persons/{other}/consents/{consent['id']}/revoke"
    assert _post(api_world.client("abh"), wrong, {}).status_code == 404
    assert _post(social, f"{API}/persons/{pid}/consents/999999/revoke", {}).status_code == 404
    assert _post(social, url, {"note": "per Brief"}).status_code == 200
    response = _post(social, url, {})
    assert response.status_code == 400 and response.json()["detail"]


# --- the access log ----------------------------------------------------------------------

def test_every_read_writes_an_access_log_row(api_world):
    pid = api_world.persons["omar"]
    social = api_world.client("social_a")
    reads = [
        (social, f"{API}/persons/{pid}", "person.read"),
        (social, f"{API}/persons/{pid}/residence", "residence.read"),
        (api_world.client("abh"), f"{API}/persons/{pid}/consents", "consent.list"),
        (api_world.client("abh"), f"{API}/persons/search", "person.search"),
    ]
    for client, url, action in reads:
        before = _last_seq()
        count = AccessEvent.objects.count()
        if url.endswith("/search"):
            response = _search(client, {"name": "Mohammed Al-Hassan"})
        else:
            response = client.get(url)
        assert response.status_code == 200, url
        events = _events_since(before)
        assert AccessEvent.objects.count() > count
        assert any(e.person_id == pid and e.action == action and e.decision == "allowed"
                   for e in events), (url, [(e.action, e.person_id) for e in events])


def test_a_refused_read_is_logged_as_denied(api_world):
    pid = api_world.persons["amina"]
    before = _last_seq()
    assert api_world.client("jobcentre").get(f"{API}/persons/{pid}").status_code == 404
    events = _events_since(before)
    assert [(e.person_id, e.decision, e.actor_id) for e in events] == [
        (pid, "denied", api_world.users["jobcentre"].pk)]


def test_request_id_header_is_kept_but_sanitised(api_world):
    pid = api_world.persons["amina"]
    client = Client(headers={"Authorization": f"Bearer {api_world.tokens['social_a']}",
                             "X-Request-Id": "abc-123;<script>"})
    before = _last_seq()
    assert client.get(f"{API}/persons/{pid}").status_code == 200
    assert {e.request_id for e in _events_since(before)} == {"abc-123script"}
