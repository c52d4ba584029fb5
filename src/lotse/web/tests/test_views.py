"""The staff UI through Django's test client: login with second factor, session rules,
security headers, refusals, and bad input that changes nothing."""

import datetime
import time

import pytest
from django.test import Client
from django.utils import timezone

from lotse.audit.models import AccessEvent
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import register_person
from lotse.people.models import Person
from lotse.web.tests.browser import current_code, enrol_totp

pytestmark = pytest.mark.django_db


def _login(client: Client, user, device, password="test-password-123"):
    response = client.post("/login/", {"username": user.username, "password": password})
    assert response.status_code == 302 and response["Location"] == "/login/otp/"
    response = client.post("/login/otp/", {"token": current_code(device)})
    assert response.status_code == 302 and response["Location"] == "/"
    return response


def _client_for(world, key):
    user = world.users[key]
    device = enrol_totp(user)
    client = Client()
    _login(client, user, device)
    return client


def test_password_alone_does_not_open_any_page(world):
    client = Client()
    user = world.users["social_a"]
    enrol_totp(user)
    client.post("/login/", {"username": user.username, "password": "test-password-123"})
    for url in ("/", "/persons/", "/audit/", "/admin/users/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/login/otp/", url


def test_a_totp_code_works_only_once(world):
    user = world.users["social_a"]
    device = enrol_totp(user)
    code = current_code(device)
    first = Client()
    first.post("/login/", {"username": user.username, "password": "test-password-123"})
    assert first.post("/login/otp/", {"token": code}).status_code == 302
    second = Client()
    second.post("/login/", {"username": user.username, "password": "test-password-123"})
    response = second.post("/login/otp/", {"token": code})
    assert response.status_code == 200
    assert "wrong or was already used" in response.content.decode() or "bereits verwendet" in response.content.decode()


def test_login_is_throttled_after_repeated_failures(world):
    user = world.users["social_a"]
    client = Client()
    for _ in range(5):
        client.post("/login/", {"username": user.username, "password": "wrong"})
    response = client.post("/login/", {"username": user.username, "password": "test-password-123"})
    assert response.status_code == 429


def test_session_key_rotates_at_login_and_ends_on_deactivation(world):
    user = world.users["social_a"]
    device = enrol_totp(user)
    client = Client()
    client.get("/login/")
    before = client.cookies.get("lotse-session")
    _login(client, user, device)
    assert client.cookies["lotse-session"].value != (before.value if before else None)
    assert client.get("/").status_code == 200
    user.is_active = False
    user.save()
    assert client.get("/").status_code == 302


def test_absolute_session_timeout(world, settings):
    client = _client_for(world, "social_a")
    session = client.session
    session["lotse_started_at"] = time.time() - settings.LOTSE_SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and "expired" in response["Location"]


def test_admin_password_reset_ends_running_sessions(world):
    user = world.users["social_a"]
    device = enrol_totp(user)
    client = Client()
    _login(client, user, device)
    user.sessions_valid_after = timezone.now() + datetime.timedelta(seconds=1)
    user.save()
    assert client.get("/").status_code == 302


def test_security_headers_on_pages_with_personal_data(world):
    client = _client_for(world, "social_a")
    pid = register_person(world)
    response = client.get(f"/persons/{pid}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "<script>" not in response.content.decode()


def test_missing_and_forbidden_persons_look_the_same(world):
    pid = register_person(world)
    client = _client_for(world, "jobcentre")
    forbidden = client.get(f"/persons/{pid}/")
    missing = client.get("/persons/999999/")
    assert forbidden.status_code == missing.status_code == 404
    assert AccessEvent.objects.filter(person_id=pid, decision="denied").exists()


def test_bad_person_input_gets_messages_and_creates_nothing(world):
    client = _client_for(world, "social_a")
    with personal_data_scope():
        before = Person.objects.count()
    payloads = [
        {"given_names": "", "family_name": "X", "sex": "u"},
        {"given_names": "A", "family_name": "B", "sex": "u", "birth": "1990-13-45"},
        {"given_names": "A", "family_name": "B", "sex": "u", "birth": "31.02.1990"},
        {"given_names": "A", "family_name": "B", "sex": "u", "postal_code": "12"},
        {"given_names": "A" * 5000, "family_name": "B", "sex": "u"},
        {"given_names": "A", "family_name": "B", "sex": "zz"},
        {"given_names": "<script>alert(1)</script>", "family_name": "B", "sex": "u", "email": "nope"},
    ]
    for data in payloads:
        response = client.post("/persons/new/", data)
        assert response.status_code == 200, data
        assert 'class="kern-error"' in response.content.decode()
        assert "<script>alert(1)</script>" not in response.content.decode()
    with personal_data_scope():
        assert Person.objects.count() == before


def test_bad_search_input_is_explained(world):
    client = _client_for(world, "social_a")
    for search in ({"birth": "abc"}, {"azr_number": "12"}, {"name": ""}, {"birth": "1990-99"}):
        response = client.post("/persons/", search)
        assert response.status_code == 200
        assert 'class="kern-error"' in response.content.decode() or "kern-alert--danger" in response.content.decode()


def test_roles_without_permission_get_404_on_admin_and_audit_pages(world):
    client = _client_for(world, "caritas")
    for url in ("/audit/", "/admin/users/", "/admin/agencies/", "/admin/users/new/"):
        assert client.get(url).status_code == 404, url


def test_consent_upload_rejects_non_pdf(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lotse.consent.models import Consent

    pid = register_person(world)
    client = _client_for(world, "social_a")
    bad = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(f"/persons/{pid}/consents/new/", {
        "categories": ["identity"], "from_agency": world.agencies["social_a"].pk,
        "to_agency": world.agencies["jobcentre"].pk, "purpose": "benefits_handover",
        "given_on": datetime.date.today().isoformat(), "method": "uploaded_scan",
        "informed_language": "ar", "evidence": bad, "record": "1",
    })
    assert response.status_code == 200
    assert "PDF, PNG" in response.content.decode()
    with personal_data_scope():
        assert not Consent.objects.filter(person_id=pid).exists()


def test_consent_form_pdf_lists_what_is_shared(world):
    import io

    from pypdf import PdfReader

    pid = register_person(world)
    client = _client_for(world, "social_a")
    response = client.post(f"/persons/{pid}/consents/new/", {
        "categories": ["identity", "benefits"], "from_agency": world.agencies["social_a"].pk,
        "to_agency": world.agencies["jobcentre"].pk, "purpose": "benefits_handover",
        "given_on": datetime.date.today().isoformat(), "method": "signed_form",
        "informed_language": "uk", "preview": "1",
    })
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Jobcenter Test" in text and "Sozialamt A-Dorf" in text and "Haddad" in text


def test_consent_to_every_agency_of_a_kind_and_missing_recipient(world):
    from lotse.access.spine import access_person
    from lotse.consent.models import Consent

    pid = register_person(world)
    user = world.users["social_a"]
    device = enrol_totp(user)
    client = Client()
    _login(client, user, device)
    base = {"categories": ["identity"], "from_agency": world.agencies["social_a"].pk,
            "purpose": "benefits_handover", "given_on": datetime.date.today().isoformat(),
            "method": "signed_form", "informed_language": "ar", "record": "1"}
    response = client.post(f"/persons/{pid}/consents/new/", base)
    assert response.status_code == 200 and 'class="kern-error"' in response.content.decode()
    with personal_data_scope():
        assert not Consent.objects.filter(person_id=pid).exists()
    response = client.post(f"/persons/{pid}/consents/new/", {**base, "to_kind": "job_centre"})
    assert response.status_code == 302
    record = access_person(world.ctx("jobcentre"), pid, "benefits_handover")
    assert record.person.family_name == "Haddad"


def test_uploaded_scan_is_stored_with_its_hash_and_the_recorded_form_prints(world):
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    from lotse.consent.models import Consent

    pid = register_person(world)
    client = _client_for(world, "social_a")
    scan = b"%PDF-1.4\n% signed consent form\n"
    response = client.post(f"/persons/{pid}/consents/new/", {
        "categories": ["identity", "benefits"], "from_agency": world.agencies["social_a"].pk,
        "to_agency": world.agencies["jobcentre"].pk, "purpose": "benefits_handover",
        "given_on": datetime.date.today().isoformat(), "method": "uploaded_scan",
        "informed_language": "uk", "record": "1",
        "evidence": SimpleUploadedFile("scan.pdf", scan, content_type="application/pdf"),
    })
    assert response.status_code == 302
    with personal_data_scope():
        consent = Consent.objects.get(person_id=pid)
    assert consent.evidence_sha256 == hashlib.sha256(scan).hexdigest()
    pdf = client.get(f"/persons/{pid}/consents/{consent.pk}/form.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    other = register_person(world, given_names="Other")
    assert client.get(f"/persons/{other}/consents/{consent.pk}/form.pdf").status_code == 404


def test_dpo_filters_the_log_and_exports_a_history_as_csv_and_json(world):
    import json

    pid = register_person(world)
    client = _client_for(world, "dpo")
    page = client.get(f"/audit/?person_id={pid}&decision=allowed")
    assert page.status_code == 200 and "person.created" in page.content.decode()
    as_csv = client.get(f"/persons/{pid}/access-history/?format=csv")
    assert as_csv["Content-Type"].startswith("text/csv")
    assert "Sozialamt A-Dorf" in as_csv.content.decode() and "person.created" in as_csv.content.decode()
    as_json = json.loads(client.get(f"/persons/{pid}/access-history/?format=json").content)
    assert as_json["person_id"] == pid
    assert {e["action"] for e in as_json["events"]} >= {"person.created"}
    assert AccessEvent.objects.filter(person_id=pid, action="person.access_history").count() == 2


def test_task_progress_belongs_to_its_owner(world):
    from lotse.audit.models import AccessEvent
    from lotse.core.models import TaskProgress

    progress = TaskProgress.objects.create(label="verify-audit", owner=world.users["dpo"])
    assert _client_for(world, "admin").get(f"/tasks/{progress.pk}/").status_code == 404
    # The refusal is logged (ASVS 16.3.2).
    assert AccessEvent.objects.filter(action="task_progress.refused", decision="denied",
                                      actor_id=world.users["admin"].pk,
                                      object_ref=f"progress:{progress.pk}").exists()
    response = _client_for(world, "dpo").get(f"/tasks/{progress.pk}/", headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'id="task-progress"' in response.content.decode()


def test_the_person_search_keeps_names_out_of_the_url(world):
    """ASVS 14.2.1: the search form posts; a name in the query string finds and logs nothing."""
    pid = register_person(world, given_names="Olena", family_name="Kovalenko")
    client = _client_for(world, "social_a")
    page = client.get("/persons/")
    assert 'method="post"' in page.content.decode() and "csrfmiddlewaretoken" in page.content.decode()
    logged = AccessEvent.objects.filter(person_id=pid).count()
    response = client.get("/persons/?name=Olena+Kovalenko")
    assert response.status_code == 200 and f"/persons/{pid}/" not in response.content.decode()
    assert AccessEvent.objects.filter(person_id=pid).count() == logged
    response = client.post("/persons/", {"name": "Olena Kowalenko"})
    assert f"/persons/{pid}/" in response.content.decode()
    assert AccessEvent.objects.filter(person_id=pid, action="person.search", decision="allowed").exists()


def test_huge_or_odd_ids_and_parameters_answer_without_server_error(world):
    client = _client_for(world, "social_a")
    for url in ("/persons/99999999999999999999999/", "/persons/0/", "/persons/-1/",
                "/tasks/99999999999999999999/"):
        assert client.get(url).status_code in (200, 404), url
    for search in ({"name": "x", "purpose": "nonsense"}, {"birth": "\x00"}, {"name": "a" * 5000}):
        response = client.post("/persons/", search)
        assert response.status_code == 200 and "kern-error" in response.content.decode(), search
    dpo = _client_for(world, "dpo")
    for url in ("/audit/?page=abc", "/audit/?page=99999", "/audit/?person_id=abc",
                "/audit/?person_id=999999999999999999999999"):
        assert dpo.get(url).status_code == 200, url


def test_a_password_alone_cannot_enrol_a_second_factor(world):
    from lotse.organisations.models import StaffTOTPDevice
    from lotse.organisations.services import enrolment_code_issue

    user = world.users["caritas"]
    client = Client()
    client.post("/login/", {"username": user.username, "password": "test-password-123"})
    assert client.get("/login/otp/").status_code == 302  # no device yet: to the set-up page
    client.get("/login/otp/setup/")
    device = StaffTOTPDevice.objects.get(user=user)
    response = client.post("/login/otp/setup/", {"token": current_code(device), "enrolment_code": "AAAA-BBBB-CCCC"})
    assert response.status_code == 200
    assert not StaffTOTPDevice.objects.filter(user=user, confirmed=True).exists()
    code = enrolment_code_issue(user=user)
    response = client.post("/login/otp/setup/", {"token": current_code(device), "enrolment_code": code})
    assert response.status_code == 302 and StaffTOTPDevice.objects.filter(user=user, confirmed=True).exists()
    user.refresh_from_db()
    assert user.enrolment_code_hash == ""  # one-time


def test_admin_reset_shows_a_new_enrolment_code_once(world):
    client = _client_for(world, "admin")
    target = world.users["caritas"]
    response = client.post(f"/admin/users/{target.pk}/reset-otp/", follow=True)
    target.refresh_from_db()
    assert target.enrolment_code_hash and response.status_code == 200
    assert "kern-alert--warning" in response.content.decode()
    assert "lotse-session" not in str(response.cookies.get("messages", ""))


def test_reference_roles_are_read_only_and_admins_do_not_grant_themselves_roles(world):
    from lotse.organisations.models import Role

    client = _client_for(world, "admin")
    reference = Role.objects.get(code="data_protection_officer", district=None)
    assert client.get(f"/admin/roles/{reference.pk}/").status_code == 404
    assert client.post(f"/admin/roles/{reference.pk}/", {"code": "x", "name": "x"}).status_code == 404
    admin = world.users["admin"]
    response = client.post(f"/admin/users/{admin.pk}/", {
        "username": admin.username, "agency": admin.agency_id, "roles": [reference.pk],
        "is_active": "on"})
    assert response.status_code == 302
    assert list(admin.roles.values_list("code", flat=True)) == ["administrator"]


def test_failures_of_many_users_behind_the_proxy_lock_nobody_else(world, settings):
    """Behind a reverse proxy every request comes from the proxy's address. The lockout counts
    the client's address from X-Forwarded-For, so five users mistyping once do not lock out a
    sixth; five failures from one client address still lock that address."""
    settings.LOTSE_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    keys = ["abh", "social_b", "jobcentre", "caritas", "teamlead"]
    for index, key in enumerate(keys):
        Client(**proxy, HTTP_X_FORWARDED_FOR=f"198.51.100.{index + 1}").post(
            "/login/", {"username": world.users[key].username, "password": "wrong"})
    sixth = Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.99")
    response = sixth.post("/login/", {"username": world.users["social_a"].username, "password": "test-password-123"})
    assert response.status_code == 302  # on to the second factor
    sprayer = Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    for key in keys:
        sprayer.post("/login/", {"username": world.users[key].username, "password": "wrong"})
    response = sprayer.post("/login/", {"username": world.users["psych"].username, "password": "test-password-123"})
    assert response.status_code == 429  # the spraying address is locked
