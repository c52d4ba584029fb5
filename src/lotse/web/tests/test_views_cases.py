"""Case pages through the test client: caseload, opening, the case page per agency, writes
with bad input that change nothing, uploads checked by content, downloads only where allowed."""

import datetime
import io

import pytest

from lotse.cases.models import Case, CaseDocument
from lotse.cases.services import note_add
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import open_case, register_person
from lotse.web.tests.test_views import _client_for

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def case(world):
    pid = register_person(world, by="caritas", given_names="Samira", family_name="Canary")
    case = open_case(world, pid)
    note_add(ctx=world.ctx("caritas"), case_id=case.pk, category="general", text="CANARY-NOTE")
    return case


def test_case_manager_opens_a_case_from_the_person_page(world):
    pid = register_person(world, by="caritas", given_names="Nour", family_name="Haddad")
    client = _client_for(world, "caritas")
    page = client.get(f"/persons/{pid}/").content.decode()
    assert f"/persons/{pid}/cases/new/" in page
    response = client.post(f"/persons/{pid}/cases/new/", {"focus_area": "labour_market",
                                                           "next_contact_on": "2030-01-15"})
    assert response.status_code == 302
    with personal_data_scope():
        case = Case.objects.get(person_id=pid)
    assert response["Location"] == f"/cases/{case.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Nour Haddad" in page and "15.01.2030" in page and 'aria-current="step"' in page
    assert "Arbeitsmarktintegration" in page or "Labour-market integration" in page


def test_bad_focus_area_changes_nothing(world):
    pid = register_person(world, by="caritas")
    client = _client_for(world, "caritas")
    response = client.post(f"/persons/{pid}/cases/new/", {"focus_area": "astrology"})
    assert response.status_code == 200 and "kern-error" in response.content.decode()
    with personal_data_scope():
        assert not Case.objects.filter(person_id=pid).exists()


def test_other_agency_gets_404_for_the_case_and_its_forms(world, case):
    client = _client_for(world, "jobcentre")
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.get(f"/cases/{case.pk}/close/").status_code == 404
    response = client.post(f"/cases/{case.pk}/notes/", {"category": "general", "text": "intrusion"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "intrusion" not in page


def test_caseload_lists_own_cases_with_filters_and_rejects_bad_filters(world, case):
    client = _client_for(world, "caritas")
    page = client.get("/cases/").content.decode()
    assert "Samira Canary" in page
    page = client.get("/cases/?phase=closed").content.decode()
    assert "Samira Canary" not in page
    response = client.get("/cases/?phase=nonsense&page=abc&next_contact_until=2025-99-99")
    assert response.status_code == 200
    assert "Samira Canary" in response.content.decode()  # invalid filters are shown, not applied
    assert _client_for(world, "jobcentre").get("/cases/").status_code == 404


def test_empty_note_is_refused_with_a_message(world, case):
    client = _client_for(world, "caritas")
    response = client.post(f"/cases/{case.pk}/notes/", {"category": "general", "text": "   "}, follow=True)
    assert "Nicht gespeichert" in response.content.decode() or "Not saved" in response.content.decode()


def test_upload_checks_the_content_and_download_is_logged_and_limited(world, case):
    client = _client_for(world, "caritas")
    fake = io.BytesIO(b"MZ\x90\x00 not a pdf")
    fake.name = "zeugnis.pdf"
    response = client.post(f"/cases/{case.pk}/documents/", {
        "title": "Zeugnis", "kind": "certificate", "category": "general", "file": fake}, follow=True)
    assert "PDF, PNG" in response.content.decode()
    with personal_data_scope():
        assert not CaseDocument.objects.exists()
    good = io.BytesIO(PNG)
    good.name = "scan.png"
    client.post(f"/cases/{case.pk}/documents/", {
        "title": "Zeugnis", "kind": "certificate", "category": "general", "file": good})
    with personal_data_scope():
        document = CaseDocument.objects.get()
    download = client.get(f"/cases/documents/{document.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    assert b"".join(download.streaming_content) == PNG
    assert _client_for(world, "jobcentre").get(f"/cases/documents/{document.pk}/").status_code == 404


def test_start_page_shows_due_tasks(world, case):
    client = _client_for(world, "caritas")
    client.post(f"/cases/{case.pk}/tasks/", {"title": "Begleitung zur ABH", "kind": "accompany",
                                             "due_on": TODAY.isoformat()})
    page = client.get("/").content.decode()
    assert "Begleitung zur ABH" in page and "Samira Canary" in page


def test_team_lead_reassigns_and_closes(world, case):
    client = _client_for(world, "teamlead")
    response = client.post(f"/cases/{case.pk}/assign/", {"case_manager": world.users["caritas_psych"].pk})
    assert response.status_code == 302
    response = client.post(f"/cases/{case.pk}/close/", {"reason": "goals_reached", "outcome": "achieved"})
    assert response.status_code == 302
    with personal_data_scope():
        case = Case.objects.get(pk=case.pk)
    assert (case.case_manager_id, case.phase) == (world.users["caritas_psych"].pk, "closed")


# --- uploads refused by size; the page's ids; queries independent of the caseload size --------

def _stored_files(settings) -> list:
    folder = settings.MEDIA_ROOT / "cases"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def _upload(client, case, content: bytes, name="zeugnis.pdf"):
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(f"/cases/{case.pk}/documents/", {
        "title": "Zeugnis", "kind": "certificate", "category": "general", "file": upload}, follow=True)


def test_an_upload_over_the_size_limit_is_refused_in_german_and_nothing_is_stored(world, case, settings):
    settings.LOTSE_MAX_UPLOAD_BYTES = 1024 * 1024
    before = _stored_files(settings)
    client = _client_for(world, "caritas")
    response = _upload(client, case, b"%PDF-1.4\n" + b"0" * (1024 * 1024))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nicht gespeichert: Die Datei ist zu groß (höchstens 1 MB)." in page
    assert "Das Dokument wurde hochgeladen." not in page
    with personal_data_scope():
        assert not CaseDocument.objects.exists()
    assert _stored_files(settings) == before
    # Exactly at the limit it is taken.
    response = _upload(client, case, b"%PDF-1.4\n" + b"0" * (1024 * 1024 - 9))
    assert "Das Dokument wurde hochgeladen." in response.content.decode()
    with personal_data_scope():
        assert CaseDocument.objects.get().size == 1024 * 1024


def test_an_empty_upload_is_refused_in_german_and_nothing_is_stored(world, case, settings):
    before = _stored_files(settings)
    response = _upload(_client_for(world, "caritas"), case, b"")
    page = response.content.decode()
    assert "Nicht gespeichert: Die übertragene Datei ist leer." in page  # the form's own check
    with personal_data_scope():
        assert not CaseDocument.objects.exists()
    assert _stored_files(settings) == before


def test_the_upload_service_refuses_an_empty_file_in_german(world, case, settings):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import translation

    from lotse.cases.services import document_add

    before = _stored_files(settings)
    with translation.override("de"), pytest.raises(ValidationError) as exc:
        document_add(ctx=world.ctx("caritas"), case_id=case.pk, kind="certificate", title="Zeugnis",
                     category="general", upload=SimpleUploadedFile("leer.pdf", b""))
    assert exc.value.message_dict == {"file": ["Die Datei ist leer."]}
    with personal_data_scope():
        assert not CaseDocument.objects.exists()
    assert _stored_files(settings) == before


def test_every_id_on_the_case_page_is_unique_so_each_label_names_its_own_field(world, case):
    """The note, document and task forms share field names; their ids must not collide."""
    import collections
    import re

    for user in ("caritas", "teamlead"):
        page = _client_for(world, user).get(f"/cases/{case.pk}/").content.decode()
        ids = collections.Counter(re.findall(r'\sid="([^"]+)"', page))
        assert [i for i, n in ids.items() if n > 1] == [], user
        targets = re.findall(r'<label[^>]*\sfor="([^"]+)"', page)
        assert targets and all(ids[t] == 1 for t in targets), user
        assert 'for="document-title"' in page and 'for="task-title"' in page


def _caseload_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_caseload_page_needs_as_many_queries_for_40_cases_as_for_5(world):
    from lotse.cases.services import case_set_next_contact, task_add

    ctx = world.ctx("caritas")

    def add_cases(n: int, start: int) -> None:
        for i in range(start, start + n):
            case = open_case(world, register_person(world, by="caritas", given_names=f"Person{i:02d}",
                                                    family_name="Load", town="ab"[i % 2]),
                             focus_area=["welcome_counselling", "labour_market"][i % 2])
            case_set_next_contact(ctx=ctx, case_id=case.pk, next_contact_on=TODAY + datetime.timedelta(days=i))
            if i % 3 == 0:
                task_add(ctx=ctx, case_id=case.pk, kind="follow_up", title="Nachfassen",
                         due_on=TODAY - datetime.timedelta(days=1))

    client = _client_for(world, "caritas")
    lead = _client_for(world, "teamlead")
    urls = ("/cases/", "/cases/?focus_area=labour_market", "/cases/?overdue=on")
    add_cases(5, 0)
    client.get("/cases/")  # warm-up: sessions, content types and the like are cached after it
    lead.get("/cases/?view=team")
    small = [_caseload_queries(client, url) for url in urls] + [_caseload_queries(lead, "/cases/?view=team")]
    add_cases(35, 5)
    page = client.get("/cases/").content.decode()
    assert "40 Fälle" in page and "Seite 1 von 2" in page
    large = [_caseload_queries(client, url) for url in urls] + [_caseload_queries(lead, "/cases/?view=team")]
    assert large == small
