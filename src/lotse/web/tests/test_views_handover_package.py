"""The data package pages (view, PDF, JSON) and the social offices' read-only residence view
through Django's test client: what each office sees, refusals, downloads logged, odd input
answered without a 500."""

import datetime
import json

import pytest

from lotse.audit.models import AccessEvent
from lotse.consent.services import consent_record
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import add_benefits, register_person
from lotse.handovers.models import Handover
from lotse.organisations.models import Role, StaffUser
from lotse.people.models import PersonAgencyLink, ResidenceStatus
from lotse.people.services import residence_status_add
from lotse.rules.models import ResidenceKind
from lotse.web.tests.test_views import _client_for

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = datetime.date.today()
EMAIL = "rami.canary@example.org"


RECOGNISED_ON = D(2026, 3, 10)


def _status(world, pid, code="p25-2-gfk", valid_from=RECOGNISED_ON, valid_to=None):
    with personal_data_scope():
        PersonAgencyLink.objects.get_or_create(person_id=pid, agency=world.agencies["abh"])
    kind = ResidenceKind.objects.in_force(valid_from).get(code=code)
    residence_status_add(ctx=world.ctx("abh"), person_id=pid, kind_id=kind.pk, document="eat",
                         valid_from=valid_from, valid_to=valid_to)


@pytest.fixture
def handover(world) -> Handover:
    pid = register_person(world, given_names="Rami", family_name="Saleh", email=EMAIL)
    add_benefits(world, pid)
    _status(world, pid)
    with personal_data_scope():
        return Handover.objects.get(person_id=pid)


def last_seq() -> int:
    return AccessEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def _urls(handover_id: int) -> list[str]:
    base = f"/handovers/{handover_id}"
    return [f"{base}/package/", f"{base}/package.pdf", f"{base}/package.json"]


# --- the data package ----------------------------------------------------------------------

def test_job_centre_without_consent_sees_identity_and_the_banner(world, handover):
    response = _client_for(world, "jobcentre").get(f"/handovers/{handover.pk}/package/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Datenpaket" in page and "Rami Saleh" in page
    assert "Nicht in diesem Paket" in page
    assert "verborgen: keine Einwilligung für die Kategorie „Kontakt und Anschrift“" in page
    assert "sichtbar aufgrund der Regel" in page
    assert EMAIL not in page


def test_job_centre_with_consent_sees_the_consented_contact_data(world, handover):
    consent_record(ctx=world.ctx("social_a"), person_id=handover.person_id, categories=["contact"],
                   purpose="benefits_handover", to_agency_id=world.agencies["jobcentre"].pk,
                   from_agency_id=world.agencies["social_a"].pk, given_on=TODAY, valid_until=None,
                   method="signed_form", informed_language="ar")
    page = _client_for(world, "jobcentre").get(f"/handovers/{handover.pk}/package/").content.decode()
    assert EMAIL in page
    assert "verborgen: keine Einwilligung für die Kategorie „Leistungen“" in page


def test_the_paying_office_sees_the_preview(world, handover):
    page = _client_for(world, "social_a").get(f"/handovers/{handover.pk}/package/").content.decode()
    assert "Vorschau für die bisher zahlende Stelle" in page
    assert EMAIL not in page  # the job centre would not see it


def test_downloads_are_attachments_and_logged(world, handover):
    client = _client_for(world, "jobcentre")
    seq = last_seq()
    pdf = client.get(f"/handovers/{handover.pk}/package.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == f'attachment; filename="datenpaket-{handover.pk}.pdf"'
    data = client.get(f"/handovers/{handover.pk}/package.json")
    assert data.status_code == 200
    assert data["Content-Disposition"] == f'attachment; filename="datenpaket-{handover.pk}.json"'
    body = json.loads(data.content)
    assert body["handover"]["id"] == handover.pk
    assert body["members"][0]["identity"]["given_names"] == "Rami"
    assert body["members"][0]["contact"] is None
    assert EMAIL not in data.content.decode()
    refs = [e.object_ref for e in AccessEvent.objects.filter(
        seq__gt=seq, action="handover.package.export", person_id=handover.person_id, decision="allowed")]
    assert refs == [f"handover:{handover.pk}:pdf", f"handover:{handover.pk}:json"]


@pytest.mark.parametrize("user", ["social_b", "caritas", "abh", "coordinator"])
def test_other_offices_get_404(world, handover, user):
    client = _client_for(world, user)
    for url in _urls(handover.pk):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Saleh" not in response.content


def test_an_office_user_without_the_permission_gets_403(world, handover):
    user = StaffUser.objects.create_user(username="jc-clerk", password="test-password-123",
                                         agency=world.agencies["jobcentre"])
    user.roles.set(Role.objects.filter(code="registration_clerk"))
    world.users["jc_clerk"] = user
    response = _client_for(world, "jc_clerk").get(f"/handovers/{handover.pk}/package/")
    assert response.status_code == 403
    assert b"Saleh" not in response.content


def test_odd_requests_answer_without_a_500(world, handover):
    client = _client_for(world, "jobcentre")
    assert client.post(f"/handovers/{handover.pk}/package/").status_code == 405
    assert client.get(f"/handovers/{10**9}/package/").status_code == 404
    assert client.get("/handovers/99999999999999999999999/package/").status_code == 404
    assert client.get("/handovers/abc/package/").status_code == 404


# --- the read-only residence view ----------------------------------------------------------

@pytest.fixture
def residents(world):
    omar = register_person(world, by="abh", given_names="Mohammed", family_name="Al-Hassan", town="a")
    _status(world, omar, valid_from=D(2024, 3, 1), valid_to=TODAY + datetime.timedelta(days=300))
    leyla = register_person(world, by="abh", given_names="Leyla", family_name="Yilmaz", town="b")
    _status(world, leyla, valid_from=D(2024, 3, 1))
    return {"omar": omar, "leyla": leyla}


def test_social_office_lists_the_persons_of_its_municipality(world, residents):
    response = _client_for(world, "social_a").get("/residence/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mohammed Al-Hassan" in page and "Flüchtlingseigenschaft" in page
    assert "Yilmaz" not in page
    assert '<form method="post"' in page  # the name search never puts a name in a URL


def test_search_by_name_is_a_post_and_finds_other_spellings(world, residents):
    client = _client_for(world, "social_a")
    page = client.post("/residence/", {"name": "Muhammad Alhasan"}).content.decode()
    assert "Mohammed Al-Hassan" in page and "1 Person gefunden" in page
    page = client.post("/residence/", {"name": "Leyla Yilmaz"}).content.decode()
    assert "keine Person Ihrer Kommune" in page
    assert f"/residence/{residents['leyla']}/" not in page and "Flüchtlingseigenschaft" not in page


@pytest.mark.parametrize("data", [{"name": "x" * 500}, {"name": "Omar", "page": "0"},
                                  {"name": "Omar", "page": "abc"}, {"page": "99999999999"}])
def test_odd_search_input_answers_200(world, residents, data):
    response = _client_for(world, "social_a").post("/residence/", data)
    assert response.status_code == 200


def test_the_search_needs_the_csrf_token(world, residents):
    client = _client_for(world, "social_a")
    client.handler.enforce_csrf_checks = True
    response = client.post("/residence/", {"name": "Mohammed"})
    assert response.status_code == 403
    assert b"Al-Hassan" not in response.content


def test_the_person_panel_shows_the_allowed_fields_only(world, residents, monkeypatch):
    monkeypatch.setattr(ResidenceStatus, "internal_note", "CANARY-ABH-NOTE", raising=False)
    response = _client_for(world, "social_a").get(f"/residence/{residents['omar']}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Aktueller Aufenthaltsstatus" in page and "kein Termin erfasst" in page
    assert "§ 25 Abs. 2 S. 1 Alt. 1 AufenthG" in page
    assert "CANARY-ABH-NOTE" not in page


def test_the_panel_of_another_municipality_and_other_offices_get_404(world, residents):
    assert _client_for(world, "social_a").get(f"/residence/{residents['leyla']}/").status_code == 404
    for user in ("jobcentre", "abh", "caritas"):
        client = _client_for(world, user)
        assert client.get("/residence/").status_code == 404
        assert client.get(f"/residence/{residents['omar']}/").status_code == 404
