"""Request budgets of the API (ASVS 2.4.1): every request counts against the token, and person
searches count against the user's search budget shared with the staff UI."""

import json

from django.test import override_settings

from lotse.audit.models import AccessEvent
from lotse.web.tests.test_views import _client_for

API = "/api/v1"


def _search(client, name: str):
    return client.post(f"{API}/persons/search", data=json.dumps({"name": name}), content_type="application/json")


@override_settings(LOTSE_REQUEST_BUDGETS={"api_token": (3, 60)})
def test_a_token_over_its_budget_gets_429_with_retry_after(api_world):
    client = api_world.client("social_a")
    url = f"{API}/persons/{api_world.persons['amina']}"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(url)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Amina" not in response.content.decode() and response.json()["detail"]
    assert AccessEvent.objects.filter(action="rate_limit.exceeded", basis="api_token", decision="denied",
                                      actor_id=api_world.users["social_a"].pk).count() == 1
    assert api_world.client("abh").get(url).status_code != 429  # another token: its own budget


@override_settings(LOTSE_REQUEST_BUDGETS={"person_search": (2, 300)}, LANGUAGE_CODE="de")
def test_the_search_budget_is_shared_by_staff_ui_and_api(api_world):
    page = _client_for(api_world, "abh")
    api = api_world.client("abh")
    assert page.post("/persons/", {"name": "Amina Haddad"}).status_code == 200
    assert _search(api, "Amina Haddad").status_code == 200
    refused = _search(api, "Amina Haddad")
    assert refused.status_code == 429 and "Sekunden" in refused.json()["detail"]
    refused = page.post("/persons/", {"name": "Amina Haddad"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    text = refused.content.decode()
    assert "sehr oft gesucht" in text and f"/persons/{api_world.persons['amina']}/" not in text
    assert page.get("/persons/").status_code == 200  # the form itself stays open
    assert AccessEvent.objects.filter(action="rate_limit.exceeded", basis="person_search",
                                      actor_id=api_world.users["abh"].pk).count() == 2
    # another user of the same agency still searches
    assert _search(api_world.client("social_a"), "Amina Haddad").status_code == 200
