"""Access-log shipping (audit/shipping.py, ASVS 16.4.3) at the level of a staff request: the
entries a page writes are shipped once its transaction commits, in order."""

import json

import pytest

from lotse.audit.models import AccessEvent
from lotse.audit.tests.test_shipping import shipped  # noqa: F401  the listening fixture

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_request_is_logged_and_shipped_once_it_commits(shipped, client):  # noqa: F811
    from lotse.core.testing import build_world, register_person
    from lotse.web.tests.test_views import _client_for

    world = build_world()
    pid = register_person(world)
    before = len(shipped)
    client = _client_for(world, "social_a")
    response = client.get(f"/persons/{pid}/")
    assert response.status_code == 200
    new = [json.loads(line) for line in shipped[before:]]
    seqs = list(AccessEvent.objects.filter(seq__gt=new[0]["seq"] - 1).values_list("seq", flat=True))
    assert [line["seq"] for line in new] == seqs
    assert any(line["person_id"] == pid and line["action"].startswith("person.") for line in new)
