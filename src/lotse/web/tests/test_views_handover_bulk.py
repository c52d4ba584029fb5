"""The bulk change of benefits regime in the staff UI: preview, start, progress (htmx and
without JavaScript), report and CSV — for users with HANDOVER_BULK only, ids and reasons only."""

import csv
import datetime
import io
import re

import pytest
from django.test import Client

from lotse.audit.models import AccessEvent
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import build_world, register_person
from lotse.handovers import bulk
from lotse.handovers.models import BulkChangeRun, BulkRunStatus, Handover
from lotse.handovers.tests.test_bulk import _status, _ukrainian
from lotse.organisations.models import Role, StaffUser
from lotse.people.services import household_assign
from lotse.web.tests.browser import enrol_totp
from lotse.web.tests.test_views import _client_for, _login

pytestmark = pytest.mark.django_db

RULE = "ukraine-2022-to-sgb2"
PREVIEW = {"rule": RULE, "on": "2022-06-01"}


@pytest.fixture
def group(world):
    head = _ukrainian(world, given_names="Olena", family_name="Shevchenko")
    partner = _ukrainian(world, given_names="Taras", family_name="Shevchenko")
    household_assign(ctx=world.ctx("social_a"), person_id=partner, role="partner", with_person_id=head)
    single = _ukrainian(world, given_names="Iryna", family_name="Bondarenko")
    no_benefits = _ukrainian(world, benefits=False, given_names="Petro", family_name="Koval")
    return {"head": head, "partner": partner, "single": single, "no_benefits": no_benefits}


NAMES = ("Olena", "Taras", "Iryna", "Petro", "Shevchenko", "Bondarenko", "Koval")


def _handovers() -> int:
    with personal_data_scope():
        return Handover.objects.count()


def test_coordinator_previews_starts_and_reads_the_report_with_ids_only(world, group):
    client = _client_for(world, "coordinator")
    page = client.get("/handovers/bulk/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Rechtskreiswechsel für eine Gruppe" in html and "Stichtag" in html
    assert "§ 24 (Ukraine) ab 1.6.2022" in html  # the rules are offered by name

    preview = client.get("/handovers/bulk/", PREVIEW)
    html = preview.content.decode()
    assert preview.status_code == 200 and _handovers() == 0
    assert "Personen in der Gruppe" in html
    assert "Wechsel starten (2 Rechtskreiswechsel)" in html
    assert "erhielt am Tag vor dem Wechsel keine Leistungen im bisherigen Rechtskreis" in html
    assert str(group["no_benefits"]) in html and str(group["partner"]) in html
    assert not any(name in html for name in NAMES)

    started = client.post("/handovers/bulk/", PREVIEW)
    run = BulkChangeRun.objects.get()
    assert started.status_code == 302 and started["Location"] == f"/handovers/bulk/{run.pk}/"
    assert _handovers() == 2

    report = client.get(started["Location"])
    html = report.content.decode()
    assert report.status_code == 200
    assert "Der Wechsel wurde gestartet" in html
    assert "abgeschlossen" in html and "Bericht" in html
    assert "wechselt mit dem Rechtskreiswechsel der Bedarfsgemeinschaft" in html
    assert f">{group['partner']}<" in html and f">{group['no_benefits']}<" in html
    assert 'hx-get' not in html  # finished: no more polling
    assert not any(name in html for name in NAMES)

    download = client.get(f"/handovers/bulk/{run.pk}/report.csv")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0] == ["person_id", "reason", "reason_text"]
    assert sorted((int(r[0]), r[1]) for r in rows[1:]) == sorted(
        [(group["partner"], "member_of_household_handover"), (group["no_benefits"], "not_in_previous_regime")])
    assert {r[2] for r in rows[1:]} == {"wechselt mit dem Rechtskreiswechsel der Bedarfsgemeinschaft",
                                       "erhielt am Tag vor dem Wechsel keine Leistungen im bisherigen Rechtskreis"}
    assert AccessEvent.objects.filter(action="handover.bulk_report_read", actor_id=world.users["coordinator"].pk,
                                      object_ref=f"bulkrun:{run.pk}").count() == 2

    listing = client.get("/handovers/bulk/").content.decode()
    assert f"/handovers/bulk/{run.pk}/" in listing and "Bisherige Läufe" in listing


def test_a_social_office_lead_may_run_it_too(world, group):
    lead = StaffUser.objects.create_user(username="lead-99999", password="test-password-123",
                                         agency=world.agencies["social_a"])
    lead.roles.set(Role.objects.filter(code="social_office_lead"))
    client = Client()
    _login(client, lead, enrol_totp(lead))
    assert client.post("/handovers/bulk/", PREVIEW).status_code == 302
    assert _handovers() == 2


def test_users_without_the_permission_and_other_districts_get_404(world, group):
    run = bulk.bulk_run_start(world.ctx("coordinator"), RULE, datetime.date(2022, 6, 1))
    urls = ("/handovers/bulk/", f"/handovers/bulk/{run.pk}/", f"/handovers/bulk/{run.pk}/report.csv")
    for key in ("social_a", "jobcentre", "caritas", "dpo"):
        client = _client_for(world, key)
        for url in urls:
            assert client.get(url).status_code == 404, (key, url)
        assert client.post("/handovers/bulk/", PREVIEW).status_code == 404
        assert client.post(f"/handovers/bulk/{run.pk}/").status_code == 404
    elsewhere = build_world("88888")
    client = _client_for(elsewhere, "coordinator")
    assert client.get("/handovers/bulk/").status_code == 200
    other = client.get("/handovers/bulk/").content.decode()
    assert "Es wurde noch kein Wechsel für eine Gruppe ausgeführt." in other
    assert f"/handovers/bulk/{run.pk}/" not in other
    for url in urls[1:]:
        assert client.get(url).status_code == 404, url
    assert BulkChangeRun.objects.count() == 1


def test_anonymous_users_are_sent_to_the_login(world):
    response = Client().get("/handovers/bulk/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("params, message", [
    ({"rule": "no-such-rule", "on": "2022-06-01"}, "Bitte eine gültige Auswahl treffen"),
    ({"rule": RULE, "on": "2021-12-01"}, "Die Regel gilt an diesem Tag nicht."),
    ({"rule": RULE, "on": "2099-01-01"}, "zu weit in der Zukunft"),
    ({"rule": RULE, "on": "01.06.2022x"}, "Bitte ein gültiges Datum eingeben"),
    ({"rule": RULE, "on": ""}, "Dieses Feld ist zwingend erforderlich"),
])
def test_bad_input_answers_400_with_the_reason_and_writes_nothing(world, group, params, message):
    client = _client_for(world, "coordinator")
    for response in (client.get("/handovers/bulk/", params), client.post("/handovers/bulk/", params)):
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not BulkChangeRun.objects.exists() and _handovers() == 0


def test_a_second_start_while_a_run_is_running_is_refused_on_the_form(world, group):
    coordinator = world.users["coordinator"]
    BulkChangeRun.objects.create(district=world.district, rule_id=bulk._rule_for(RULE, datetime.date(2022, 6, 1),
                                                                                 world.ctx("coordinator")).pk,
                                 on=datetime.date(2022, 6, 1), started_by=coordinator, status=BulkRunStatus.RUNNING)
    response = _client_for(world, "coordinator").post("/handovers/bulk/", PREVIEW)
    assert response.status_code == 400
    assert "Ein Wechsel nach dieser Regel läuft bereits" in response.content.decode()
    assert _handovers() == 0


def test_progress_polls_with_htmx_while_running_and_reloads_the_page_when_done(world, group, monkeypatch):
    client = _client_for(world, "coordinator")
    _crash = {"n": 0}
    real = bulk.handover_open_for_status

    def killed(**kwargs):  # the worker dies without a trace: the run stays "running"
        _crash["n"] += 1
        if _crash["n"] == 2:
            raise SystemExit("killed")
        return real(**kwargs)

    monkeypatch.setattr(bulk, "BATCH_SIZE", 1)
    monkeypatch.setattr(bulk, "handover_open_for_status", killed)
    client.post("/handovers/bulk/", PREVIEW)
    run = BulkChangeRun.objects.get()
    assert run.status == BulkRunStatus.RUNNING

    partial = client.get(f"/handovers/bulk/{run.pk}/", headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert partial.status_code == 200 and "<html" not in html
    assert f'hx-get="/handovers/bulk/{run.pk}/"' in html and 'hx-trigger="every 1s"' in html
    assert "1 von 4 Personen geprüft" in html
    assert "HX-Refresh" not in partial

    page = client.get(f"/handovers/bulk/{run.pk}/").content.decode()
    assert "Seite neu laden" in page  # <noscript>: reload by hand
    assert "Wechsel fortsetzen" not in page  # not stale yet

    monkeypatch.undo()
    from lotse.core.models import TaskProgress

    TaskProgress.objects.filter(pk=run.progress_id).update(
        updated_at=run.progress.updated_at - datetime.timedelta(minutes=10))
    page = client.get(f"/handovers/bulk/{run.pk}/").content.decode()
    assert "Wechsel fortsetzen" in page and "Hintergrundprozess" in page
    resumed = client.post(f"/handovers/bulk/{run.pk}/")
    assert resumed.status_code == 302
    run.refresh_from_db()
    assert (run.status, run.created, run.skipped) == (BulkRunStatus.FINISHED, 2, 2)

    done = client.get(f"/handovers/bulk/{run.pk}/", headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true" and "hx-get" not in done.content.decode()


def test_an_interrupted_run_shows_the_warning_and_resumes(world, group, monkeypatch):
    client = _client_for(world, "coordinator")
    real = bulk.handover_open_for_status

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(bulk, "handover_open_for_status", broken)
    client.post("/handovers/bulk/", PREVIEW)
    run = BulkChangeRun.objects.get()
    page = client.get(f"/handovers/bulk/{run.pk}/").content.decode()
    assert "Der Wechsel wurde unterbrochen" in page and "unterbrochen" in page
    monkeypatch.setattr(bulk, "handover_open_for_status", real)
    response = client.post(f"/handovers/bulk/{run.pk}/", follow=True)
    assert "Der Wechsel wird nach dem zuletzt abgeschlossenen Abschnitt fortgesetzt" in response.content.decode()
    assert _handovers() == 2
    again = client.post(f"/handovers/bulk/{run.pk}/", follow=True)
    assert "Nicht fortgesetzt" in again.content.decode()


def test_the_start_form_needs_the_csrf_token(world, group):
    logged_in = _client_for(world, "coordinator")
    client = Client(enforce_csrf_checks=True)
    client.cookies = logged_in.cookies
    assert client.get("/handovers/bulk/").status_code == 200
    assert client.post("/handovers/bulk/", PREVIEW).status_code == 403
    assert not BulkChangeRun.objects.exists()


def test_a_person_recorded_later_is_not_named_in_the_page_either(world, group):
    """Household members outside the group appear only as a count."""
    baby = register_person(world, given_names="Mila", family_name="Shevchenko", birth_year=2023)
    household_assign(ctx=world.ctx("social_a"), person_id=baby, role="child", with_person_id=group["head"])
    _status(world, baby, valid_from=datetime.date(2023, 5, 1))
    client = _client_for(world, "coordinator")
    html = client.get("/handovers/bulk/", PREVIEW).content.decode()
    assert "Mila" not in html
    moving = re.search(r"Personen in diesen Rechtskreiswechseln.*?</dt><dd[^>]*>(\d+)</dd>", html)
    assert moving and moving.group(1) == "4"  # head, partner, baby, single
