"""The authority's appointment pages through Django's test client: who may open them (every URL
of the appointments, every persona, the stranger and the anonymous visitor included), what the
register, the import and the appointment page show, and configuration input that is refused
with a German message and changes nothing, or is saved and then used by the next planning."""

import csv
import datetime
import html
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, get_resolver, resolve, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from lotse.appointments.letter_texts import PUBLIC_TEXTS
from lotse.appointments.models import (
    Appointment,
    AppointmentMember,
    AppointmentStatus,
    Closure,
    Interpreter,
    InterpreterShift,
    Office,
    OpeningPeriod,
    PermitImport,
    ProposalReason,
    ProposalStatus,
    ServiceLength,
    TravelTime,
)
from lotse.appointments.permit_import import permit_import_template_csv
from lotse.appointments.planning import plan_appointments
from lotse.appointments.tests.factories import (
    BRANCH,
    MAIN,
    appointment_of,
    configure,
    invited,
    person_with_title,
    proposals_of,
    token_of,
)
from lotse.audit.models import AccessEvent
from lotse.core.calendar import is_public_holiday
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import register_person
from lotse.people.models import DocumentKind, Person, PersonAgencyLink, ResidenceStatus
from lotse.people.services import residence_status_add
from lotse.rules.models import ResidenceKind
from lotse.web.tests.test_views import _client_for

pytestmark = pytest.mark.django_db

D = datetime.date
STAFF_PAGES = ("/appointments/", "/appointments/register/", "/appointments/register/?show=all",
               "/appointments/register/import/", "/appointments/proposals/", "/appointments/proposals/?status=scheduled",
               "/appointments/list/", "/appointments/list/?view=planned", "/appointments/list/?view=to_print",
               "/appointments/desk/", "/appointments/figures/", "/appointments/offices/",
               "/appointments/offices/new/", "/appointments/interpreters/new/", "/appointments/travel-times/")


def _de(msgid: str, **values) -> str:
    """What a German user reads for `msgid` (the catalogue's text, or the msgid while the
    translation is still pending)."""
    with translation.override("de"):
        text = gettext(msgid)
    return text % values if values else text


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _dd(page: str, label: str) -> str:
    """The value next to a label of a description list."""
    match = re.search(re.escape(label) + r"</dt>\s*<dd[^>]*>(.*?)</dd>", page, re.S)
    assert match, label
    return match.group(1).strip()


def _status_and_token(appointment: Appointment) -> tuple[str, str]:
    with personal_data_scope():
        appointment.refresh_from_db()
    return appointment.status, appointment.token_salt


def test_the_authority_opens_every_page_and_others_get_404(world):
    today = timezone.localdate()
    _person, appointment, _token = invited(world, today, given="Nour", family="Saleh", language="ar")
    abh = _client_for(world, "abh")
    for url in (*STAFF_PAGES, f"/appointments/{appointment.pk}/"):
        response = abh.get(url)
        assert response.status_code == 200, url
    assert "Nour Saleh" in abh.get(f"/appointments/{appointment.pk}/").content.decode()
    social = _client_for(world, "social_a")
    for url in (*STAFF_PAGES, f"/appointments/{appointment.pk}/"):
        if url.startswith("/appointments/figures/"):
            continue
        assert social.get(url).status_code == 404, url


# --- the permission matrix ---------------------------------------------------------------------

MATRIX_USERS = ("social_a", "jobcentre", "caritas", "coordinator", "admin", "abh")


def _every_url(ids: dict) -> list[tuple[str, str]]:
    """One request per URL pattern of the appointments (method, path); actions that change
    something come last, the cancellation at the very end."""
    a = ids["appointment"]
    return [
        ("get", "/appointments/"),
        ("get", "/appointments/register/"),
        ("get", "/appointments/register/import/"),
        ("get", f"/appointments/register/import/{ids['import']}/"),
        ("get", "/appointments/register/import/template.csv"),
        ("get", "/appointments/proposals/"),
        ("get", "/appointments/list/"),
        ("get", "/appointments/print/"),
        ("get", "/appointments/desk/"),
        ("get", "/appointments/figures/"),
        ("get", "/appointments/offices/"),
        ("get", "/appointments/offices/new/"),
        ("get", f"/appointments/offices/{ids['office']}/"),
        ("get", "/appointments/interpreters/new/"),
        ("get", f"/appointments/interpreters/{ids['interpreter']}/"),
        ("get", "/appointments/travel-times/"),
        ("get", f"/appointments/{a}/"),
        ("get", f"/appointments/{a}/letter.pdf"),
        ("get", f"/appointments/{a}/invitation.ics"),
        ("post", "/appointments/scan/"),
        ("post", "/appointments/plan/"),
        ("post", "/appointments/invite/"),
        ("post", "/appointments/print/"),
        ("post", f"/appointments/desk/{a}/check-in/"),
        ("post", f"/appointments/desk/{a}/no-show/"),
        ("post", f"/appointments/desk/members/{ids['member']}/outcome/"),
        ("post", f"/appointments/{a}/invite/"),
        ("post", f"/appointments/{a}/new-link/"),
        ("post", f"/appointments/{a}/cancel/"),
    ]


def _staff_patterns() -> set[str]:
    """The names of the appointments' staff URLs: the patterns of urls_appointments and every
    pattern the resolver routes to an appointments view (the public `termin/` pages excepted)."""
    web = get_resolver().namespace_dict["web"][1]
    from lotse.web import urls_appointments  # after the resolver registered the converters

    names = {p.name for p in urls_appointments.urlpatterns if not str(p.pattern).startswith("termin/")}
    routed = {p.name for p in web.url_patterns if isinstance(p, URLPattern) and p.callback.__module__ in (
        "lotse.web.views.appointments", "lotse.web.views.appointments_config")}
    assert names <= {p.name for p in web.url_patterns if isinstance(p, URLPattern)}  # all are mounted
    for name in names:
        assert reverse(f"web:{name}", kwargs=dict.fromkeys(
            next(p for p in urls_appointments.urlpatterns if p.name == name).pattern.converters, 1))
    return names | routed


def _expected(user: str | None, method: str, path: str) -> int:
    if user is None:
        return 302
    if user == "abh":
        return 302 if method == "post" else 200
    if user == "coordinator" and path == "/appointments/figures/":
        return 200
    return 404


def test_every_appointments_url_answers_each_persona_as_the_matrix_says(world):
    today = timezone.localdate()
    person_id, appointment, token = invited(world, today, given="Nour", family="Saleh")
    with personal_data_scope():
        member = AppointmentMember.objects.get(appointment=appointment)
    ids = {
        "appointment": appointment.pk, "member": member.pk,
        "office": Office.objects.get(name=MAIN).pk,
        "interpreter": Interpreter.objects.filter(district=world.district).first().pk,
        "import": PermitImport.objects.create(agency=world.agencies["abh"], imported_by=world.users["abh"],
                                              file_name="register.csv", sha256="0" * 64).pk,
    }
    requests = _every_url(ids)
    requested = {resolve(path).url_name for _method, path in requests}
    assert requested == _staff_patterns(), f"not in the matrix: {_staff_patterns() - requested}"
    before = _status_and_token(appointment)

    clients = {None: Client(), **{key: _client_for(world, key) for key in MATRIX_USERS}}
    for user, client in clients.items():
        for method, path in requests:
            response = getattr(client, method)(path)
            expected = _expected(user, method, path)
            assert response.status_code == expected, (user, method, path, response.status_code)
            if user is None:
                assert response["Location"] == "/login/", path
            if user == "coordinator" and path == "/appointments/figures/":
                assert "Saleh" not in response.content.decode()
        if user != "abh":  # strangers changed nothing
            assert _status_and_token(appointment) == before, user
    # the authority's own cancellation, the last request, did take effect
    assert _status_and_token(appointment)[0] == AppointmentStatus.CANCELLED
    assert [p.status for p in proposals_of(person_id)] == [ProposalStatus.OPEN]


# --- the permit register -----------------------------------------------------------------------

def _register_person(world, *, given: str, family: str, expires_on: D | None, pending: D | None = None,
                     document: str = "eat") -> int:
    pid = register_person(world, by="abh", given_names=given, family_name=family)
    with personal_data_scope():
        PersonAgencyLink.objects.filter(person_id=pid, agency=world.agencies["abh"]).update(file_number=f"AZ-{given}")
    kind = ResidenceKind.objects.get(code="p25-2-gfk")
    residence_status_add(ctx=world.ctx("abh"), person_id=pid, kind_id=kind.pk, document=document,
                         valid_from=D(2024, 1, 1), valid_to=expires_on, application_pending_since=pending)
    return pid


def test_the_register_lists_title_document_expiry_and_pending_application_and_filters(world):
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=30)
    _register_person(world, given="Erika", family="Ablauf", expires_on=soon)
    _register_person(world, given="Emil", family="Vorbei", expires_on=today - datetime.timedelta(days=10))
    pending_since = today - datetime.timedelta(days=20)
    _register_person(world, given="Paula", family="Antrag", expires_on=today - datetime.timedelta(days=5),
                     pending=pending_since, document="fiktion")
    _register_person(world, given="Lars", family="Spaeter", expires_on=today + datetime.timedelta(days=400))
    _register_person(world, given="Uwe", family="Unbefristet", expires_on=None)
    client = _client_for(world, "abh")

    page = _text(client.get("/appointments/register/?show=expiring&weeks=12"))
    row = page.split("Erika Ablauf", 1)[1].split("</tr>", 1)[0]
    assert "AZ-Erika" in row
    assert ResidenceKind.objects.get(code="p25-2-gfk").name in row and "§ 25 Abs. 2 S. 1 Alt. 1 AufenthG" in row
    with translation.override("de"):
        assert str(DocumentKind.EAT.label) in row
    assert soon.strftime("%d.%m.%Y") in row
    assert _de("proposed, no time yet") in row  # the signal proposed an invitation at once

    shown = {
        "expiring": {"Erika Ablauf"},
        "expired": {"Emil Vorbei"},
        "pending": {"Paula Antrag"},
        "all": {"Erika Ablauf", "Emil Vorbei", "Paula Antrag", "Lars Spaeter", "Uwe Unbefristet"},
    }
    everybody = shown["all"]
    for show, names in shown.items():
        page = _text(client.get(f"/appointments/register/?show={show}"))
        assert {n for n in everybody if n in page} == names, show
    # soonest expiry first, titles without an end last
    assert sorted(everybody, key=page.index) == [
        "Emil Vorbei", "Paula Antrag", "Erika Ablauf", "Lars Spaeter", "Uwe Unbefristet"]
    assert _de("unlimited") in page.split("Uwe Unbefristet", 1)[1].split("</tr>", 1)[0]

    pending = _text(client.get("/appointments/register/?show=pending"))
    row = pending.split("Paula Antrag", 1)[1].split("</tr>", 1)[0]
    assert _de("application pending since %(d)s", d=pending_since.strftime("%d.%m.%Y")) in row
    with translation.override("de"):
        assert str(DocumentKind.FIKTION.label) in row


def test_the_register_pages_through_26_persons(world):
    today = timezone.localdate()
    for i in range(26):
        _register_person(world, given=f"Person{i:02d}", family="Liste",
                         expires_on=today + datetime.timedelta(days=500 + i))
    client = _client_for(world, "abh")
    first = _text(client.get("/appointments/register/?show=all"))
    second = _text(client.get("/appointments/register/?show=all&page=2"))
    assert "Person24 Liste" in first and "Person25 Liste" not in first
    assert "Person25 Liste" in second and "Person24 Liste" not in second
    assert _de("Page %(n)s of %(total)s", n=2, total=2) in second
    assert "?show=all&weeks=12&page=2" in first  # the pager keeps the filter


# --- the import --------------------------------------------------------------------------------

def _import_csv(*changes: dict) -> bytes:
    """The downloadable template's header with one row per `changes` (based on its example row,
    moved into the test district)."""
    header, example = list(csv.reader(io.StringIO(permit_import_template_csv()), delimiter=";"))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for change in changes:
        row = dict(zip(header, example, strict=True))
        row.update({"gemeinde": "A-Dorf", "ort": "A-Dorf", **change})
        writer.writerow([row[c] for c in header])
    return out.getvalue().encode("utf-8")


def _written() -> tuple[int, int]:
    with personal_data_scope():
        return Person.objects.count(), ResidenceStatus.objects.count()


def _upload(client, content: bytes, name: str = "register.csv"):
    return client.post("/appointments/register/import/", {
        "file": SimpleUploadedFile(name, content, content_type="text/csv"), "encoding": "utf-8"})


def test_a_good_file_is_imported_and_the_report_gives_the_counts(world):
    client = _client_for(world, "abh")
    before = _written()
    response = _upload(client, _import_csv({}, {"aktenzeichen": "ABH-2024-000124", "vornamen": "Max"}))
    record = PermitImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/appointments/register/import/{record.pk}/"
    page = _text(client.get(response["Location"]))
    assert _de("The file was imported.") in page
    assert _dd(page, _de("Rows")) == "2"
    assert _dd(page, _de("New persons")) == "2"
    assert _dd(page, _de("New residence statuses")) == "2"
    assert _written() == (before[0] + 2, before[1] + 2)
    register = _text(client.get("/appointments/register/?show=all"))
    assert "Erika Mustermann" in register and "Max Mustermann" in register


def test_a_bad_file_imports_nothing_and_the_report_names_the_line_but_no_person(world):
    client = _client_for(world, "abh")
    before = _written()
    response = _upload(client, _import_csv({}, {"aktenzeichen": "ABH-2024-000124", "vornamen": "Maximilian",
                                                "gueltig_ab": "31.02.2024"}))
    assert response.status_code == 302
    page = _text(client.get(response["Location"]))
    assert _de("Nothing was imported.") in page
    report = page.split("<table", 1)[1]
    assert re.search(r"<td[^>]*>\s*3\s*</td>\s*<td[^>]*>\s*gueltig_ab\s*</td>", report), report
    for personal in ("Mustermann", "Erika", "Maximilian", "ABH-2024-000124", "31.02.2024", "17.05.1990",
                     "Musterstraße"):
        assert personal not in page, personal
    assert _written() == before


@pytest.mark.parametrize(("content", "message"), [
    (b"", "The submitted file is empty."),
    (b"x" * (10 * 1024 * 1024 + 1), "The file is larger than 10 MB."),
])
def test_an_empty_or_too_large_file_is_refused_with_a_german_message(world, content, message):
    client = _client_for(world, "abh")
    before = _written()
    response = _upload(client, content)
    assert response.status_code == 400
    assert _de(message) in _text(response)
    assert _written() == before
    assert not PermitImport.objects.exists()


# --- one appointment -------------------------------------------------------------------------

def test_invite_new_link_letter_calendar_and_cancel_from_the_appointment_page(world):
    today = timezone.localdate()
    configure(world)
    person_id = person_with_title(world, expires_on=today + datetime.timedelta(weeks=8), given="Nour",
                                  family="Saleh")
    plan_appointments(world.ctx("abh"), agency=world.agencies["abh"])
    appointment = appointment_of(person_id)
    assert appointment.status == AppointmentStatus.PLANNED
    client = _client_for(world, "abh")
    url = f"/appointments/{appointment.pk}/"
    # not invited yet: no letter to give out, no link to replace
    assert client.get(url + "letter.pdf").status_code == 404
    refused = client.post(url + "new-link/", follow=True)
    assert _de("Only an invited appointment has a personal link to replace.") in _text(refused)
    assert _status_and_token(appointment) == (AppointmentStatus.PLANNED, "")

    response = client.post(url + "invite/")
    assert (response.status_code, response["Location"]) == (302, url)
    page = _text(client.get(url))
    assert "Nour Saleh" in page
    with translation.override("de"):
        assert _dd(page, _de("Status")).startswith(str(AppointmentStatus.INVITED.label))
    old_link = f"/termin/{token_of(appointment)}/"
    assert old_link in page
    assert Client().get(old_link).status_code == 200

    response = client.post(url + "new-link/")
    assert (response.status_code, response["Location"]) == (302, url)
    new_link = f"/termin/{token_of(appointment)}/"
    assert new_link != old_link and new_link in _text(client.get(url))
    assert Client().get(old_link).status_code == 404
    assert Client().get(new_link).status_code == 200

    letter = client.get(url + "letter.pdf")
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert letter.content.startswith(b"%PDF")
    assert AccessEvent.objects.filter(action="appointment.letter", person_id=person_id,
                                      actor_id=world.users["abh"].pk,
                                      object_ref=f"appointment:{appointment.pk}").exists()
    ics = client.get(url + "invitation.ics")
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    assert ics.content.startswith(b"BEGIN:VCALENDAR")
    for other in ("social_a", "jobcentre"):
        stranger = _client_for(world, other)
        assert stranger.get(url + "letter.pdf").status_code == 404
        assert stranger.get(url + "invitation.ics").status_code == 404

    response = client.post(url + "cancel/")
    assert (response.status_code, response["Location"]) == (302, url)
    assert _status_and_token(appointment)[0] == AppointmentStatus.CANCELLED
    gone = Client().get(new_link)  # the person learns that it was cancelled, nothing more
    assert gone.status_code == 410 and PUBLIC_TEXTS["de"]["cancelled_message"] in _text(gone)
    assert "Nour" not in _text(gone)
    # closed: no letter, no calendar file, no link on the page, no new link
    assert client.get(url + "letter.pdf").status_code == 404
    assert client.get(url + "invitation.ics").status_code == 404
    assert "/termin/" not in _text(client.get(url))
    closed_token = token_of(appointment)
    refused = client.post(url + "new-link/", follow=True)
    assert _de("Only an invited appointment has a personal link to replace.") in _text(refused)
    assert token_of(appointment) == closed_token
    assert [p.status for p in proposals_of(person_id)] == [ProposalStatus.OPEN]
    assert "Nour Saleh" in _text(client.get("/appointments/proposals/?status=open"))


def test_the_print_run_leaves_out_a_letter_it_cannot_make_and_prints_the_others(world):
    """A person merged into another record after the invitation is no longer readable through
    the appointment: that letter is left out instead of failing the whole print run."""
    from lotse.appointments.tasks import daily_run
    from lotse.appointments.tests.test_letter import extract_text

    today = timezone.localdate()
    gone_id, _appointment, _token = invited(world, today, given="Nour", family="Saleh")
    other_id = person_with_title(world, expires_on=today + datetime.timedelta(weeks=8), given="Rami",
                                 family="Haddad")
    daily_run(world.agencies["abh"], today)
    assert appointment_of(other_id).status == AppointmentStatus.INVITED
    keep = register_person(world, by="abh", given_names="Nour", family_name="Saleh")
    with personal_data_scope():
        Person.objects.filter(pk=gone_id).update(merged_into_id=keep)
    response = _client_for(world, "abh").get("/appointments/print/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = extract_text(response.content)
    assert "Rami Haddad" in text and "Saleh" not in text


# --- configuration -------------------------------------------------------------------------

def _management(prefix: str, total: int, initial: int = 0) -> dict:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def _office_data(world, office: Office | None = None, **values) -> dict:
    data = {"name": "Außenstelle C-Weiler", "municipality": str(world.town_b.pk), "street": "Kirchweg 3",
            "postal_code": "33333", "city": "C-Weiler", "phone": "", "email": "", "slot_minutes": "15",
            "is_active": "on"}
    if office is not None:
        data.update({"name": office.name, "municipality": str(office.municipality_id), "street": office.street,
                     "postal_code": office.postal_code, "city": office.city, "phone": office.phone,
                     "slot_minutes": str(office.slot_minutes)})
    data.update(values)
    return data


def _periods(*rows: tuple) -> dict:
    data = _management("periods", len(rows))
    for i, (weekday, opens, closes) in enumerate(rows):
        data.update({f"periods-{i}-weekday": str(weekday), f"periods-{i}-opens": opens,
                     f"periods-{i}-closes": closes, f"periods-{i}-counters": "2",
                     f"periods-{i}-valid_from": "2000-01-01", f"periods-{i}-valid_to": ""})
    return data


def _closures(*rows: tuple) -> dict:
    data = _management("closures", len(rows))
    for i, (starts, ends) in enumerate(rows):
        data.update({f"closures-{i}-starts_on": starts.isoformat(), f"closures-{i}-ends_on": ends.isoformat(),
                     f"closures-{i}-reason": "Schulung"})
    return data


def _config_rows() -> tuple:
    return (Office.objects.count(), OpeningPeriod.objects.count(), Closure.objects.count(),
            Interpreter.objects.count(), InterpreterShift.objects.count(),
            list(ServiceLength.objects.order_by("pk").values_list("service", "minutes")),
            list(TravelTime.objects.order_by("pk").values_list("minutes", flat=True)))


def test_an_office_with_opening_hours_is_saved_and_bad_hours_are_refused(world):
    client = _client_for(world, "abh")
    before = _config_rows()
    response = client.post("/appointments/offices/new/", {
        **_office_data(world), **_periods((0, "08:00", "12:00"), (1, "14:00", "13:00")), **_closures()})
    assert response.status_code == 400
    assert _de("The closing time lies before the opening time.") in _text(response)
    assert _config_rows() == before

    response = client.post("/appointments/offices/new/", {
        **_office_data(world), **_periods((0, "08:00", "12:00"), (3, "13:00", "15:30")), **_closures()})
    office = Office.objects.get(name="Außenstelle C-Weiler")
    assert response.status_code == 302 and response["Location"] == f"/appointments/offices/{office.pk}/"
    assert office.agency == world.agencies["abh"] and office.municipality == world.town_b
    assert list(office.opening_periods.values_list("weekday", "opens", "closes", "counters")) == [
        (0, datetime.time(8), datetime.time(12), 2), (3, datetime.time(13), datetime.time(15, 30), 2)]
    assert "Außenstelle C-Weiler" in _text(client.get("/appointments/offices/"))


def test_overlapping_opening_hours_on_one_weekday_are_refused(world):
    """Two periods of one weekday that overlap would count the same counters twice."""
    client = _client_for(world, "abh")
    before = _config_rows()
    response = client.post("/appointments/offices/new/", {
        **_office_data(world), **_periods((0, "08:00", "12:00"), (0, "11:30", "14:00")), **_closures()})
    assert response.status_code == 400
    assert _de("Opening hours on the same weekday overlap.") in _text(response)
    assert _config_rows() == before
    response = client.post("/appointments/offices/new/", {  # back to back, or on another day: fine
        **_office_data(world), **_periods((0, "08:00", "12:00"), (0, "12:00", "14:00"), (1, "11:00", "13:00")),
        **_closures()})
    assert response.status_code == 302
    assert OpeningPeriod.objects.count() == before[1] + 3


def test_a_closure_ending_before_it_starts_is_refused(world):
    offices = configure(world)
    client = _client_for(world, "abh")
    main = offices[MAIN]
    before = _config_rows()
    response = client.post(f"/appointments/offices/{main.pk}/", {
        **_office_data(world, main), **_periods(), **_closures((D(2027, 3, 10), D(2027, 3, 9)))})
    assert response.status_code == 400
    assert _de("The end lies before the start.") in _text(response)
    assert _config_rows() == before


def _interpreter_data(languages: str, *shifts: tuple) -> dict:
    data = {"name": "Dolmetsch Farsi", "languages": languages, "is_active": "on", **_management("shifts", len(shifts))}
    for i, (office_id, weekday, starts, ends) in enumerate(shifts):
        data.update({f"shifts-{i}-office": str(office_id), f"shifts-{i}-weekday": str(weekday),
                     f"shifts-{i}-starts": starts, f"shifts-{i}-ends": ends,
                     f"shifts-{i}-valid_from": "2000-01-01", f"shifts-{i}-valid_to": ""})
    return data


def test_an_interpreter_with_bad_language_codes_or_hours_is_refused(world):
    main = configure(world)[MAIN]
    client = _client_for(world, "abh")
    before = _config_rows()
    for languages in ("arabisch!", "x", "fa, x"):
        response = client.post("/appointments/interpreters/new/",
                               _interpreter_data(languages, (main.pk, 1, "08:00", "12:00")))
        assert response.status_code == 400, languages
        assert _de("Enter language codes such as ar, fa, ku, separated by commas.") in _text(response)
    response = client.post("/appointments/interpreters/new/", _interpreter_data("fa", (main.pk, 1, "12:00", "08:00")))
    assert response.status_code == 400
    assert _de("The end lies before the start.") in _text(response)
    assert _config_rows() == before


@pytest.mark.parametrize(("bad", "msgid", "values"), [
    ("0", "Ensure this value is greater than or equal to %(limit_value)s.", {"limit_value": 5}),
    ("999", "Ensure this value is less than or equal to %(limit_value)s.", {"limit_value": 240}),
    ("abc", "Enter a whole number.", {}),
    ("", "This field is required.", {}),
])
def test_appointment_lengths_out_of_range_are_refused(world, bad, msgid, values):
    configure(world)
    client = _client_for(world, "abh")
    before = _config_rows()
    response = client.post("/appointments/offices/", {"first_application": "30", "renewal": bad, "family": "20"})
    assert response.status_code == 400
    error = _text(response).split('id="id_renewal-error"', 1)[1].split("</p>", 1)[0]
    assert _de(msgid, **values) in error
    assert _config_rows() == before


def _travel_data(world, offices: dict, minutes: dict) -> dict:
    return {f"m{town.pk}_o{offices[name].pk}": str(minutes[(key, name)])
            for key, town in (("a", world.town_a), ("b", world.town_b)) for name in (MAIN, BRANCH)}


def test_negative_travel_times_are_refused(world):
    offices = configure(world)
    client = _client_for(world, "abh")
    before = _config_rows()
    minutes = {("a", MAIN): 10, ("a", BRANCH): -1, ("b", MAIN): 40, ("b", BRANCH): 10}
    response = client.post("/appointments/travel-times/", _travel_data(world, offices, minutes))
    assert response.status_code == 400
    assert _de("Ensure this value is greater than or equal to %(limit_value)s.", limit_value=0) in _text(response)
    assert _config_rows() == before


def _open_days(first: D, last: D) -> list[D]:
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    return [d for d in days if d.weekday() < 5 and not is_public_holiday(d)]


def test_saved_configuration_is_used_by_the_next_planning(world):
    """An interpreter, appointment lengths, travel times and closures entered on the pages:
    the next planning books the one open day the closures leave, at the office, with the
    interpreter, for the length and with the travel time entered."""
    today = timezone.localdate()
    offices = configure(world)
    main, branch = offices[MAIN], offices[BRANCH]
    client = _client_for(world, "abh")
    weekdays = [(main.pk, day, "08:00", "12:00") for day in range(5)]
    response = client.post("/appointments/interpreters/new/", _interpreter_data("FA, prs", *weekdays))
    farsi = Interpreter.objects.get(name="Dolmetsch Farsi")
    assert response.status_code == 302 and farsi.languages == ["fa", "prs"]
    assert farsi.shifts.count() == 5

    response = client.post("/appointments/offices/", {"first_application": "30", "renewal": "40", "family": "20"})
    assert response.status_code == 302
    assert ServiceLength.objects.get(district=world.district, service="renewal").minutes == 40

    minutes = {("a", MAIN): 15, ("a", BRANCH): 50, ("b", MAIN): 40, ("b", BRANCH): 10}
    response = client.post("/appointments/travel-times/", _travel_data(world, offices, minutes))
    assert response.status_code == 302
    assert TravelTime.objects.get(municipality=world.town_a, office=main).minutes == 15

    person_id = person_with_title(world, expires_on=today + datetime.timedelta(weeks=8), given="Dariush",
                                  family="Karimi", language="fa")
    [proposal] = proposals_of(person_id)
    assert (proposal.reason, proposal.interpreter_language) == (ProposalReason.EXPIRY, "fa")
    open_days = _open_days(proposal.earliest_on, proposal.latest_on)
    assert len(open_days) >= 2, open_days
    target = open_days[-1]  # without the closures the earliest open day would be booked
    for office, closed_until in ((main, target - datetime.timedelta(days=1)), (branch, proposal.latest_on)):
        response = client.post(f"/appointments/offices/{office.pk}/", {
            **_office_data(world, office), **_periods(), **_closures((proposal.earliest_on, closed_until))})
        assert response.status_code == 302, office.name
    assert Closure.objects.filter(office__in=[main, branch]).count() == 2

    plan_appointments(world.ctx("abh"), agency=world.agencies["abh"])
    appointment = appointment_of(person_id)
    assert appointment is not None
    starts = timezone.localtime(appointment.starts_at)
    assert (starts.date(), appointment.office_id) == (target, main.pk)
    assert appointment.interpreter_id == farsi.pk
    assert appointment.ends_at - appointment.starts_at == datetime.timedelta(minutes=40)
    assert appointment.travel_minutes == 15
