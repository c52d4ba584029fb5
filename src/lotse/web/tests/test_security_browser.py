"""Security checklist (docs/security.md), what the browser gets: CSRF on every form, the
production cookies and HSTS on real responses, pages with personal data never stored or framed,
uploaded file names kept off the disk and out of downloads, a generic page for unexpected errors."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client

from lotse.api.services import api_token_create
from lotse.cases.models import CaseDocument
from lotse.consent.models import Consent
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import open_case, register_person
from lotse.core.tests.test_security_settings import read_settings
from lotse.web.tests.browser import current_code, enrol_totp
from lotse.web.tests.test_security_auth import PASSWORD, client_for, url_samples

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CSRF_REFUSED = "X-Test-Csrf-Refused"


def csrf_refused(request, reason=""):
    """Stands in for Django's CSRF failure page, so the sweep sees exactly who refused."""
    return HttpResponse(reason, status=403, headers={CSRF_REFUSED: "1"})


# --- 3.5.1: every form of the site needs the CSRF token ---------------------------------------

def test_every_url_refuses_a_post_without_the_csrf_token(world, settings):
    """The API is left out: it takes no cookies, only `Authorization: Bearer` (see
    api/tests/test_api.py::test_a_session_login_is_not_enough_for_the_api)."""
    settings.CSRF_FAILURE_VIEW = f"{__name__}.csrf_refused"
    client = client_for(world, "admin")
    client.handler.enforce_csrf_checks = True
    paths = [p for p in url_samples() if not p.startswith("/api/")]
    assert len(paths) > 150, paths
    for path in paths:
        response = client.post(path, {"anything": "1"})
        assert response.status_code == 403 and response.has_header(CSRF_REFUSED), (path, response.status_code)
    # With the token the same client gets through (here: the logout form).
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post("/logout/", {"csrfmiddlewaretoken": token})
    assert (response.status_code, response["Location"]) == (302, "/login/")


# --- 3.3.1, 3.3.3, 3.3.4, 3.4.1: the production cookies and HSTS on the wire -------------------

@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict:
    return read_settings(tmp_path_factory.mktemp("prod"))


def test_production_cookies_and_hsts_on_real_responses(world, settings, production):
    for name in ("SESSION_COOKIE_NAME", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
                 "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_NAME", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY",
                 "CSRF_COOKIE_SAMESITE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
                 "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD"):
        setattr(settings, name, production[name])
    user = world.users["social_a"]
    device = enrol_totp(user)
    client = Client()  # a new client builds its middleware with these settings

    plain = client.get("/login/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")

    responses = [
        client.get("/login/", secure=True),
        client.post("/login/", {"username": user.username, "password": PASSWORD}, secure=True),
        client.post("/login/otp/", {"token": current_code(device)}, secure=True),
        client.get("/", secure=True),
        client.get(f"/persons/{register_person(world)}/", secure=True),
        client.post("/logout/", secure=True),
    ]
    assert [r.status_code for r in responses] == [200, 302, 302, 200, 200, 302]
    cookies = [morsel for response in responses for morsel in response.cookies.values()]
    assert {m.key for m in cookies} == {"__Host-lotse-session", "__Host-lotse-csrf"}
    for morsel in cookies:
        assert morsel["secure"] is True and morsel["path"] == "/" and not morsel["domain"], morsel.OutputString()
        assert morsel["samesite"] == "Lax", morsel.OutputString()
        if morsel.value:  # a deletion at logout carries no value to protect
            assert morsel["httponly"] is True, morsel.OutputString()
    for response in responses:
        hsts = response["Strict-Transport-Security"]
        max_age = int(hsts.split(";")[0].removeprefix("max-age="))
        assert max_age >= 365 * 24 * 3600 and "includeSubDomains" in hsts, hsts


# --- 14.3.2, 3.4.3, 3.4.6: pages with personal data --------------------------------------------

def test_responses_with_personal_data_are_never_stored_and_never_framed(world):
    pid = register_person(world)
    case = open_case(world, pid)
    caritas = client_for(world, "caritas")
    upload = io.BytesIO(PNG)
    upload.name = "scan.png"
    caritas.post(f"/cases/{case.pk}/documents/", {"title": "Zeugnis", "kind": "certificate",
                                                  "category": "general", "file": upload})
    with personal_data_scope():
        document = CaseDocument.objects.get(case=case)
    dpo = client_for(world, "dpo")
    _obj, token = api_token_create(user=world.users["caritas"], name="test client")
    api = Client(headers={"Authorization": f"Bearer {token}"})
    responses = {
        "person page": caritas.get(f"/persons/{pid}/"),
        "search results": caritas.post("/persons/", {"name": "Amina Haddad"}),
        "case page": caritas.get(f"/cases/{case.pk}/"),
        "document download": caritas.get(f"/cases/documents/{document.pk}/"),
        "start page with due tasks": caritas.get("/"),
        "access history export": dpo.get(f"/persons/{pid}/access-history/?format=csv"),
        "access log": dpo.get("/audit/"),
        "API person": api.get(f"/api/v1/persons/{pid}"),
    }
    for name, response in responses.items():
        assert response.status_code == 200, name
        assert response["Cache-Control"] == "no-store", name
        csp = response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp, name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["X-Content-Type-Options"] == "nosniff", name
    for name, response in (("missing person", caritas.get("/persons/999999/")),
                           ("refused person", client_for(world, "jobcentre").get(f"/persons/{pid}/"))):
        assert response.status_code == 404 and response["Cache-Control"] == "no-store", name


# --- 5.3.2, 5.4.1: uploaded file names never reach a path or a download --------------------------

def test_uploaded_file_names_never_reach_the_disk_path_or_the_download(world, settings):
    pid = register_person(world)
    case = open_case(world, pid)
    client = client_for(world, "caritas")
    upload = io.BytesIO(PNG)
    upload.name = '../../../etc/Amina Haddad".html'
    response = client.post(f"/cases/{case.pk}/documents/", {
        "title": "Zeugnis", "kind": "certificate", "category": "general", "file": upload})
    assert response.status_code == 302
    with personal_data_scope():
        document = CaseDocument.objects.get(case=case)
    # The hash names the file (the storage adds a suffix if that name is taken already).
    assert document.file.name.startswith(f"cases/{case.pk}/{document.sha256}")
    assert ".." not in document.file.name and "Haddad" not in document.file.name
    media = Path(settings.MEDIA_ROOT).resolve()
    assert Path(document.file.path).resolve().is_relative_to(media / "cases")
    download = client.get(f"/cases/documents/{document.pk}/")
    assert download["Content-Type"] == "image/png"  # the checked type, not the name's
    assert download["Content-Disposition"] == f'attachment; filename="dokument-{document.pk}.png"'

    # The consent scan keeps Django's cleaned-up upload name, inside consents/ (no traversal).
    scan = SimpleUploadedFile("../../../tmp/x.pdf", b"%PDF-1.4\n%scan\n", content_type="application/pdf")
    other = register_person(world)
    response = client_for(world, "social_a").post(f"/persons/{other}/consents/new/", {
        "categories": ["identity"], "from_agency": world.agencies["social_a"].pk,
        "to_agency": world.agencies["jobcentre"].pk, "purpose": "benefits_handover",
        "given_on": datetime.date.today().isoformat(), "method": "uploaded_scan",
        "informed_language": "de", "record": "1", "evidence": scan})
    assert response.status_code == 302
    with personal_data_scope():
        consent = Consent.objects.get(person_id=other)
    assert ".." not in consent.evidence.name and consent.evidence.name.startswith("consents/")
    assert Path(consent.evidence.path).resolve().is_relative_to(media / "consents")


# --- 16.5.1: unexpected errors -------------------------------------------------------------------

def test_an_unexpected_error_answers_a_generic_page_without_internals(world, monkeypatch):
    client = client_for(world, "social_a")
    client.raise_request_exception = False

    def broken(ctx):
        raise RuntimeError("canary-internal SELECT secret FROM lotse_table")

    monkeypatch.setattr("lotse.web.views.home.may_view_steering", broken)
    response = client.get("/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "canary-internal" not in body and "Traceback" not in body and "lotse_table" not in body
    assert response["Cache-Control"] == "no-store"
