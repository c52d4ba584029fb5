"""Security checklist (docs/security.md), logging: access-log times in UTC (ASVS 16.2.2) and no
personal data in the access log or the application log (16.2.5)."""

import datetime
import logging

import pytest
from django.conf import settings

from lotse.audit.chain import PAYLOAD_FIELDS, canonical_payload
from lotse.audit.models import AccessEvent
from lotse.core.testing import register_person
from lotse.web.tests.test_security_auth import client_for

pytestmark = pytest.mark.django_db

CANARY_GIVEN, CANARY_FAMILY = "Zuleykha", "Qwertanari"
CANARY_EMAIL = "canary.qwertanari@example.org"


def test_access_log_times_are_utc_although_the_site_runs_in_berlin_time(world):
    assert settings.TIME_ZONE == "Europe/Berlin"
    register_person(world)
    event = AccessEvent.objects.order_by("-seq").first()
    assert event.ts.utcoffset() == datetime.timedelta(0)
    payload = canonical_payload({name: getattr(event, name) for name in PAYLOAD_FIELDS}).decode()
    assert f'"ts":"{event.ts.isoformat(timespec="microseconds")}"' in payload
    assert event.ts.isoformat().endswith("+00:00")


def test_names_and_contact_details_never_reach_the_access_log_or_the_application_log(world, caplog):
    caplog.set_level(logging.DEBUG)
    before = AccessEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    pid = register_person(world, given_names=CANARY_GIVEN, family_name=CANARY_FAMILY, email=CANARY_EMAIL)
    social = client_for(world, "social_a")
    assert social.get(f"/persons/{pid}/").status_code == 200
    assert social.post("/persons/", {"name": f"{CANARY_GIVEN} {CANARY_FAMILY}"}).status_code == 200
    assert client_for(world, "jobcentre").get(f"/persons/{pid}/").status_code == 404
    assert social.post("/persons/new/", {"given_names": CANARY_GIVEN, "family_name": "", "sex": "u",
                                         "email": "not-an-address"}).status_code == 200

    events = list(AccessEvent.objects.filter(seq__gt=before))
    assert {e.action for e in events} >= {"person.created", "person.read", "person.search"}
    assert any(e.decision == "denied" for e in events)
    logged = [str([getattr(e, f) for f in PAYLOAD_FIELDS]) for e in events]
    logged += [record.getMessage() for record in caplog.records]
    assert any("Not Found" in line for line in logged)  # the capture works: the refused read was logged
    for canary in (CANARY_GIVEN, CANARY_FAMILY, CANARY_EMAIL):
        assert not [line for line in logged if canary.lower() in line.lower()], canary
