"""The Art. 15 export and the Art. 30 record from the registry; the DPO pages."""

import json

import pytest
from django.utils import timezone
from django.utils.translation import override

from lotse.access.spine import AccessDenied
from lotse.audit.models import AccessEvent
from lotse.retention.processing_record import as_markdown, processing_record
from lotse.retention.registry import ENTRIES, KINDS
from lotse.retention.subject_export import subject_export
from lotse.retention.tests.canary import (
    build,
    canary_for,
    has_canary,
)
from lotse.retention.tests.conftest import german
from lotse.web.tests.test_views import _client_for


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def canary_person(world, media):
    return build(world)  # every file on the person closed: the DPO's rule includes them


def test_the_export_holds_the_canary_of_every_model_and_the_files(world, canary_person):
    data = subject_export(world.ctx("dpo"), canary_person["person"])
    text = json.dumps(data, ensure_ascii=False)
    for entry in ENTRIES:
        if entry.person_path and has_canary(entry.model) and entry.model_label != "audit.AccessEvent":
            assert canary_for(entry.model_label) in text, entry.model_label
    assert {f["record"].split(":")[0] for f in data["files"]} == {"cases.CaseDocument", "consent.Consent"}
    assert all(len(f["sha256"]) == 64 for f in data["files"])
    assert data["records"]["audit.AccessEvent"]  # the person's access history is part of it
    assert AccessEvent.objects.filter(action="person.subject_exported",
                                      person_id=canary_person["person"]).exists()


@pytest.mark.parametrize("role", ["caritas", "abh", "admin", "teamlead"])
def test_the_export_is_refused_and_logged_for_others(world, canary_person, role):
    with pytest.raises(AccessDenied):
        subject_export(world.ctx(role), canary_person["person"])
    assert AccessEvent.objects.filter(action="person.subject_export.refused",
                                      person_id=canary_person["person"], decision="denied").exists()


def test_the_processing_record_has_every_data_kind(db):
    activities = processing_record(timezone.localdate())
    assert [a.code for a in activities] == list(KINDS)
    for activity in activities:
        assert activity.period and activity.legal_reference and activity.records, activity.code
    with override("de"):
        text = as_markdown(activities, timezone.localdate())
    for kind in KINDS.values():
        assert f"(`{kind.code}`)" in text
    models = {e.label for e in ENTRIES}
    assert all(name in text for name in models)


def test_the_processing_record_command_prints_markdown(db, capsys):
    from django.core.management import call_command

    call_command("processing_record")
    out = capsys.readouterr().out
    assert out.startswith("# ") and "`master_data`" in out and "`access_log`" in out


# --- pages -------------------------------------------------------------------------------------

def test_the_dpo_sees_the_record_in_german(world):
    client = _client_for(world, "dpo")
    response = client.get("/retention/")
    assert response.status_code == 200
    page = response.content.decode()
    for msgid in ("Retention and erasure", "Data export of a person (Art. 15 GDPR)",
                  "Record of processing activities (Art. 30 GDPR)", "Person master data",
                  "Counselling notes"):
        assert german(msgid) in page, msgid


@pytest.mark.parametrize("role", ["caritas", "abh", "admin", "coordinator"])
def test_others_do_not_find_the_page_and_are_refused_the_export(world, canary_person, role):
    client = _client_for(world, role)
    assert client.get("/retention/").status_code == 404
    response = client.post("/retention/export/", {"export-person_id": canary_person["person"]})
    assert response.status_code == 403
    assert canary_for("people.Person") not in response.content.decode()
    response = client.post("/retention/holds/", {"hold-person_id": canary_person["person"],
                                                 "hold-reason": "Klage anhängig, bitte halten"})
    assert response.status_code == 403
    assert AccessEvent.objects.filter(action="retention.hold.refused", decision="denied").exists()


def test_the_dpo_downloads_the_export_by_id_in_the_body(world, canary_person):
    client = _client_for(world, "dpo")
    response = client.post("/retention/export/", {"export-person_id": canary_person["person"]})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="auskunft-{canary_person["person"]}.json"'
    assert canary_for("cases.CaseNote") in response.content.decode()


@pytest.mark.parametrize("value", ["", "abc", "-1", "0", "1e5", "9" * 40, "99999999"])
def test_bad_ids_get_a_german_message_and_change_nothing(world, value):
    client = _client_for(world, "dpo")
    before = AccessEvent.objects.filter(action__startswith="retention.hold").count()
    for url, data in (("/retention/export/", {"export-person_id": value}),
                      ("/retention/holds/", {"hold-person_id": value, "hold-reason": "Klage anhängig"})):
        response = client.post(url, data)
        assert response.status_code in (400, 404), (url, value)
        assert response["Content-Type"].startswith("text/html")
        page = response.content.decode()
        assert "kern-error" in page
        if value == "99999999":
            assert german("No person with this id is known in your district.") in page
    assert AccessEvent.objects.filter(action__startswith="retention.hold").count() == before


def test_the_dpo_sets_and_lifts_a_hold_and_a_short_reason_is_refused(world, canary_person):
    from lotse.core.scoping import personal_data_scope
    from lotse.retention.models import LegalHold

    client = _client_for(world, "dpo")
    pid = canary_person["person"]
    response = client.post("/retention/holds/", {"hold-person_id": pid, "hold-reason": "kurz"})
    assert response.status_code == 400
    assert german("Write down why the data must be kept (at least %(n)s characters).") % {"n": 10} \
        in response.content.decode()
    with personal_data_scope():
        assert not LegalHold.objects.filter(person_id=pid, lifted_at__isnull=True).exists()
    response = client.post("/retention/holds/", {"hold-person_id": pid, "hold-action": "set",
                                                 "hold-reason": "Klage vor dem Sozialgericht"})
    assert response.status_code == 302
    page = client.get("/retention/").content.decode()
    assert f">{pid}<" in page
    assert "Klage vor dem Sozialgericht" not in page  # ids and dates only
    response = client.post("/retention/holds/", {"hold-person_id": pid, "hold-action": "lift"})
    assert response.status_code == 302
    with personal_data_scope():
        assert not LegalHold.objects.filter(person_id=pid, lifted_at__isnull=True).exists()
    response = client.post("/retention/holds/", {"hold-person_id": pid, "hold-action": "lift"})
    assert response.status_code == 400
    assert german("This person has no active legal hold.") in response.content.decode()


def test_the_person_page_offers_the_export_beside_the_access_history(world, canary_person):
    client = _client_for(world, "dpo")
    page = client.get(f"/persons/{canary_person['person']}/").content.decode()
    assert 'action="/retention/export/"' in page and 'name="export-person_id"' in page


def test_the_record_names_every_kind_of_record_in_german():
    """A model without a translatable verbose name gets a `record_label` in the registry."""
    plain = [e.model_label for e in ENTRIES
             if e.record_label is None and isinstance(e.model._meta.verbose_name, str)]
    assert plain == []


def test_the_help_page_explains_retention_in_german(world):
    page = _client_for(world, "caritas").get("/help/").content.decode()
    assert german("Retention and erasure") in page and 'id="help-retention"' in page
