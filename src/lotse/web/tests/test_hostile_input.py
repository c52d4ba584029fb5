"""Bad input (issue 9, point 4): the hostile corpus of `core/tests/hostile.py` (650 values) sent
to every field of every form the roles of the test world can reach, to the two CSV imports and
to the document upload.

Forms are discovered, not listed. Every user of the test world (13 roles), an anonymous
visitor and two users half-way through the login (password given; code or enrolment pending)
crawl the staff UI: each starts at the home page (plus a few pages no link leads to), follows
links and redirects (a few paths per URL pattern and a few query strings per path), and parses
each HTML page with the stdlib `html.parser`; then every URL pattern of
`django.urls.get_resolver()` without path parameters that nobody reached yet is requested by
every role, and the crawl goes on from there. A form is known by the URL pattern of its action
and its field names (numbered formset rows counted once); the first role that meets it sends
it. The test fails if any URL pattern outside the JSON API (see `api/tests/test_api_fuzz.py`)
and the downloads was reached neither as a page nor as the target of a form, so a new page with
a form cannot slip by.

Each field of each form then gets hostile values in turn; the other fields keep what the page
filled in (the selected or first option, the checked boxes), completed where the page left them
empty (a date, a number, a word; the first box of a group of checkboxes; never in formset rows)
so that the submission gets past "required" and the hostile value reaches the services. Values
go on the wire as a careless client sends them: invalid UTF-8 and lone surrogates as raw bytes,
hostile file names in multipart bodies. `make test`: one value per field, rotating through the
corpus interleaved by family (the ~550 fields together get ~500 different values);
`make test-reliability`: 12 values per field (see `values_per_field()`); LOTSE_HOSTILE_PER_FIELD=all
sends every value to every field (some 380,000 requests: hours). Every request runs in a
savepoint that is rolled back (one world per module, as in the permission matrix), so each
starts from the same page; a redirect after a submission is followed once inside the savepoint,
so a stored value is seen where it is shown again (stored XSS).

Asserted for every answer: no status >= 500 (an exception in a view counts as 500); no live
canary in HTML (`hostile.unescaped_canaries`: escaped text is fine, markup, event handlers and
script URLs are not); no line break or canary in a response header; no redirect off the site.
The CSV imports (permit register, steering statistics) through their views: a known-good file
is accepted, so refusals are the hostile part's doing; every refused file leaves the row counts
of every table the import writes unchanged (0 partial imports); no accepted file stores a value
a spreadsheet would run as a formula. Document uploads with hostile names and contents: only
PDF, PNG and JPEG by their magic bytes are stored, under their SHA-256 inside the media folder,
and served only as an attachment of the checked type with `nosniff`.
"""

import datetime
import itertools
import logging
import os
import re
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from lotse.core.testing import reliability_scale
from lotse.core.tests import hostile

TODAY = datetime.date.today()
pytestmark = [pytest.mark.django_db, pytest.mark.reliability]

ANONYMOUS = "anonymous"
# Links followed per URL pattern and role while crawling (a second object may show other forms),
# and query strings per path (tabs and filters of a list; pagination is not followed).
LINKS_PER_PATTERN = reliability_scale(quick=2, full=3)
QUERIES_PER_PATH = reliability_scale(quick=1, full=4)
# Routes never crawled: downloads (PDF, CSV, iCalendar, JSON), the API, logging out.
SKIPPED_SUFFIXES = (".pdf", ".csv", ".ics", ".json")
DIGITS = re.compile(r"\d+")
SKIPPED_NAMES = {"web:logout", "web:healthz", "web:appointments-print"}
# Patterns the crawl need not reach (besides the API, tested in `api/tests/test_api_fuzz.py`,
# and the downloads): why.
NOT_CRAWLED = {
    "web:healthz": "plain text for the load balancer, no form",
    "web:appointments-print": "GET is the letters' PDF; its POST form (mark as printed) is on the list",
}


# --- the world ---------------------------------------------------------------------------------


def _populate(world) -> dict:
    """Objects of every kind a page with a form is about (through the services, as users would
    create them): a client of Caritas with a case and its parts, a consent, a referral, a
    conference, a handover, appointments, an import record, offers, gap reports, a committee
    with a meeting, goals and measures, guide texts and counsellors, a district role."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lotse.appointments.models import Appointment, PermitImport
    from lotse.appointments.planning import plan_appointments
    from lotse.appointments.scan import expiry_scan
    from lotse.appointments.services import desk_check_in
    from lotse.appointments.tasks import agency_context
    from lotse.appointments.tests import factories as appointment_factories
    from lotse.appointments.tests.test_desk import _move
    from lotse.cases.services import document_add, note_add, task_add
    from lotse.conferences.services import conference_create, conference_finish_case_phase, decision_add
    from lotse.consent.services import consent_record
    from lotse.core.models import TaskProgress
    from lotse.core.testing import add_residence, open_case, register_person
    from lotse.gaps.models import GapSource
    from lotse.gaps.services import gap_report_create
    from lotse.guide.models import GuideText, WelcomeCounsellor
    from lotse.guide.services import translator_languages_set
    from lotse.handovers.models import BulkChangeRun
    from lotse.handovers.tests.test_workflow import RECOGNISED_ON, recognised_household, tick
    from lotse.intake.reference import CODE
    from lotse.intake.selectors import questionnaire_current
    from lotse.intake.services import intake_record
    from lotse.offers.services import OfferData, offer_create
    from lotse.organisations.models import Role, StaffUser
    from lotse.plans.services import goal_add, step_add
    from lotse.referrals.services import referral_accept, referral_send
    from lotse.rules.models import RegimeChangeRule
    from lotse.steering import committees as steering

    caritas = world.ctx("caritas")
    o: dict = {}
    client = register_person(world, by="caritas", given_names="Karim", family_name="Valentsen",
                             email="karim@example.org")
    add_residence(world, client)
    case = open_case(world, client)
    note_add(ctx=caritas, case_id=case.pk, category="general", text="Erstgespräch geführt")
    document_add(ctx=caritas, case_id=case.pk, kind="certificate", title="Zeugnis", category="general",
                 upload=SimpleUploadedFile("zeugnis.png", hostile.PNG, content_type="image/png"))
    task_add(ctx=caritas, case_id=case.pk, kind="follow_up", title="Nachfassen",
             due_on=TODAY + datetime.timedelta(days=7))
    intake_record(ctx=caritas, case_id=case.pk, questionnaire_id=questionnaire_current(CODE).pk, taken_on=TODAY,
                  answers={"goals": "Arbeit finden", "work_years": 2,
                           "language_levels": [{"language": "de", "level": "A2"}]})
    goal = goal_add(ctx=caritas, case_id=case.pk, life_area="language", title="Deutsch B1")
    step_add(ctx=caritas, goal_id=goal.pk, title="Integrationskurs anmelden")
    consent_record(ctx=caritas, person_id=client, categories=["identity", "contact", "counselling_notes"],
                   purpose="benefits_administration", to_agency_id=world.agencies["jobcentre"].pk,
                   from_agency_id=world.agencies["caritas"].pk, given_on=TODAY - datetime.timedelta(days=10),
                   valid_until=TODAY + datetime.timedelta(days=365), method="signed_form", informed_language="de")
    referral_send(ctx=caritas, person_id=client, to_agency_id=world.agencies["jobcentre"].pk, case_id=case.pk,
                  purpose="benefits_administration", categories=["identity", "counselling_notes"],
                  message="Bitte übernehmen")
    conference = conference_create(ctx=caritas, case_id=case.pk, held_on=TODAY, topic="Fallkonferenz Sprachkurs",
                                   participant_agency_ids=[world.agencies["jobcentre"].pk])
    decision_add(ctx=caritas, conference_id=conference.pk, text="Kursplatz suchen")
    # A referral answered (the "done" form), a conference in its second phase (close, gaps).
    accepted = referral_send(ctx=caritas, person_id=client, to_agency_id=world.agencies["jobcentre"].pk,
                             case_id=case.pk, purpose="benefits_administration", categories=["identity"],
                             message="Zweite Überweisung")
    referral_accept(ctx=world.ctx("jobcentre"), referral_id=accepted.pk)
    second = conference_create(ctx=caritas, case_id=case.pk, held_on=TODAY, topic="Fallkonferenz Arbeit",
                               participant_agency_ids=[world.agencies["jobcentre"].pk])
    conference_finish_case_phase(ctx=caritas, conference_id=second.pk)
    psych_client = register_person(world, by="psych", given_names="Dana", family_name="Blocksen")
    open_case(world, psych_client, by="psych", focus_area="psychosocial")
    # Handovers: one just opened, one with every item the completion needs (complete, regime).
    recognised_household(world)
    ready = recognised_household(world, on=RECOGNISED_ON, given_names="Sami", family_name="Nasser",
                                 email="sami.nasser@example.org")
    for who, key, day in (("jobcentre", "application", RECOGNISED_ON + datetime.timedelta(days=41)),
                          ("jobcentre", "confirmation", RECOGNISED_ON + datetime.timedelta(days=45)),
                          ("jobcentre", "first_payment", RECOGNISED_ON + datetime.timedelta(days=53)),
                          ("social_a", "last_payment", RECOGNISED_ON + datetime.timedelta(days=21))):
        tick(world, who, ready, key, day, today=max(day, TODAY))

    rule = RegimeChangeRule.objects.order_by("pk").first()
    BulkChangeRun.objects.create(district=world.district, rule=rule, on=TODAY, started_by=world.users["coordinator"])
    progress = TaskProgress.objects.create(label="verify-audit", owner=world.users["dpo"])
    offer_create(ctx=world.ctx("coordinator"), data=OfferData(
        name="Sprachcafé", life_area="language", provider_agency_id=world.agencies["caritas"].pk,
        municipality_ids=[world.town_a.pk]))

    gap = gap_report_create(ctx=caritas, municipality_id=world.town_a.pk, life_area="language",
                            kind="missing_offer", title="Sprachkurs mit Kinderbetreuung fehlt",
                            description="Wartezeit über acht Wochen.", office_ids=[], source=GapSource.CASE_WORK)
    gap_report_create(ctx=caritas, municipality_id=None, life_area="language", kind="missing_offer",
                      title="Beratung zur Anerkennung fehlt", description="Keine Stelle im Kreis.", office_ids=[],
                      source=GapSource.CASE_WORK)
    coordinator = world.ctx("coordinator")
    committee = steering.committee_create(ctx=coordinator, name="Arbeitskreis Migration", kind="working_group",
                                          member_agency_ids=[world.agencies["caritas"].pk],
                                          member_user_ids=[world.users["steering_member"].pk])
    for days in (20, -20):  # one to come (agenda), one held (decisions)
        start = datetime.datetime.combine(TODAY + datetime.timedelta(days=days), datetime.time(10, 0),
                                          tzinfo=datetime.UTC)
        meeting = steering.meeting_plan(ctx=coordinator, committee_id=committee.pk, starts_at=start,
                                        ends_at=start + datetime.timedelta(hours=2), location="Kreishaus")
        if days > 0:
            steering.agenda_item_add(ctx=coordinator, meeting_id=meeting.pk, gap_report_id=gap.pk)
            steering.agenda_item_add(ctx=coordinator, meeting_id=meeting.pk, title="Verschiedenes")
    decision = steering.decision_record(ctx=coordinator, meeting_id=meeting.pk, text="Kurs einrichten",
                                        decided_on=TODAY)
    sgoal = steering.goal_create(ctx=coordinator, title="Integrationskurs binnen 8 Wochen")
    steering.measure_create(ctx=coordinator, title="Kursträger gewinnen", owner_agency_id=world.agencies["caritas"].pk,
                            decision_id=decision.pk, goal_id=sgoal.pk)

    # Appointments: two on today's desk (one checked in: the outcome form), one planned and
    # not yet invited (the invite form).
    for given, family in (("Farid", "Termsen"), ("Nour", "Deskmann")):
        _person, appointment, _token = appointment_factories.invited(world, TODAY, given=given, family=family)
        _move(appointment, TODAY, hour=9 if given == "Farid" else 10)
    desk_check_in(ctx=world.ctx("abh"), appointment_id=appointment.pk)
    appointment_factories.person_with_title(world, expires_on=TODAY + datetime.timedelta(weeks=9), given="Lina",
                                            family="Plansen")
    expiry_scan(agency_context(world.agencies["abh"]), TODAY)
    plan_appointments(agency_context(world.agencies["abh"]), agency=world.agencies["abh"])
    PermitImport.objects.create(agency=world.agencies["abh"], imported_by=world.users["abh"],
                                file_name="register.csv", sha256="0" * 64)

    WelcomeCounsellor.objects.create(district=world.district, agency=world.agencies["caritas"],
                                     name="Willkommensberatung Caritas")
    GuideText.objects.create(district=world.district, slug="willkommen", title="Willkommen",
                             body="Willkommen im Kreis.")
    translator_languages_set(ctx=coordinator, user_id=world.users["translator"].pk, languages=["ar"])
    reference = Role.objects.get(code="case_manager", district__isnull=True)
    Role.objects.create(district=world.district, code=f"case_manager-{world.district.code}",
                        name="Fallmanagement (Kreis)", categories_mask=reference.categories_mask,
                        purposes=list(reference.purposes), permissions=[])
    # Pages no link leads to (the progress page is loaded by the page that starts the task), and
    # every person's page for every role (the crawl of each role starts there too).
    from lotse.core.scoping import personal_data_scope
    from lotse.people.models import Person

    with personal_data_scope():
        persons = list(Person.objects.filter(district=world.district).values_list("pk", flat=True))
        appointments = list(Appointment.objects.values_list("pk", flat=True))
    o["seeds"] = [f"/tasks/{progress.pk}/", f"/wegweiser/{world.district.code}/", *(f"/persons/{pk}/" for pk in persons),
                  *(f"/appointments/{pk}/" for pk in appointments)]
    # Two users half-way through the login: password given, code not yet (the code form), and
    # not yet enrolled (the enrolment form).
    for key in ("otp_pending", "otp_new"):
        user = StaffUser.objects.create_user(username=f"{key}-{world.district.code}", password="test-password-123",
                                             agency=world.agencies["caritas"], first_name=key)
        user.roles.set(Role.objects.filter(code="case_manager", district__isnull=True))
        o[key] = user
    return o


def _logged_in(world, key: str) -> Client:
    from lotse.web.tests.test_views import _client_for

    client = _client_for(world, key)
    session = client.session
    session.set_expiry(6 * 3600)  # requests are rolled back: the idle timeout would never move on
    session.save()
    return client


def _half_logged_in(objects) -> dict[str, Client]:
    from lotse.web.tests.browser import enrol_totp

    enrol_totp(objects["otp_pending"])
    clients = {}
    for key in ("otp_pending", "otp_new"):
        client = Client()
        response = client.post("/login/", {"username": objects[key].username, "password": "test-password-123"})
        assert response.status_code == 302, key
        clients[key] = client
    return clients


# --- requests in a savepoint -------------------------------------------------------------------


class _Rollback(Exception):
    pass


@dataclass
class Answer:
    status: int
    content_type: str
    body: str
    location: str = ""
    headers: dict = field(default_factory=dict)
    error: str = ""


def _answer(response) -> Answer:
    content_type = response.get("Content-Type", "")
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    # No response.close(): the test client closed it already, and a second close fires
    # `request_finished`, whose `close_old_connections` would end the module's transaction.
    text = content.decode("utf-8", "replace") if content_type.startswith("text/html") else ""
    return Answer(response.status_code, content_type, text, response.get("Location", ""),
                  {k: v for k, v in response.items()})


def send(client: Client, method: str, url: str, *, body: bytes = b"", content_type: str = "",
         follow: bool = True, keep=None) -> list[Answer]:
    """One request (and the page an accepted POST redirects to) in a savepoint rolled back
    afterwards. An exception in the view is an answer with status 500. `keep(answers)` runs
    inside the savepoint, before the rollback (for checks on what was written)."""
    cookies = client.cookies
    client.cookies = type(cookies)()
    client.cookies.update(cookies)
    answers: list[Answer] = []
    try:
        with transaction.atomic():
            try:
                if method == "GET":
                    response = client.get(url)
                else:
                    response = client.generic("POST", url, body, content_type=content_type)
                answers.append(_answer(response))
                location = answers[-1].location
                if follow and method == "POST" and answers[-1].status in (301, 302, 303) \
                        and location.startswith("/") and not location.startswith("/login/"):
                    answers.append(_answer(client.get(location)))
            except Exception as exc:  # noqa: BLE001 — a view that raises is a server error
                answers.append(Answer(500, "", "", error=f"{type(exc).__name__}: {str(exc)[:300]}"))
            if keep is not None:
                keep(answers)
            raise _Rollback
    except _Rollback:
        pass
    finally:
        client.cookies = cookies
    return answers


# --- the URL patterns and the crawl ------------------------------------------------------------


def url_patterns() -> list[tuple[str, str]]:
    """(name, route) of every URL pattern, through the includes."""
    found = []

    def walk(resolver, prefix, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(n for n in (namespace, pattern.namespace) if n)
                walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
                found.append((name or prefix + str(pattern.pattern), prefix + str(pattern.pattern)))

    walk(get_resolver(), "", "")
    return found


def pattern_of(url: str) -> str | None:
    """The name of the URL pattern a local URL resolves to (None: not ours)."""
    path = urllib.parse.urlsplit(url).path
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


@dataclass
class FormField:
    name: str
    kind: str  # input type, "select", "select-multiple", "textarea", "button"
    value: str | None  # the pre-filled value sent by a browser (None: not sent)
    options: tuple[str, ...] = ()


@dataclass
class Form:
    role: str
    page: str  # the URL of the page it was found on
    action: str  # the URL it is sent to
    method: str  # "get" or "post"
    multipart: bool
    fields: list[FormField]

    @property
    def target(self) -> str:
        return pattern_of(self.action) or self.action

    @property
    def key(self) -> tuple:
        """Forms with the same target and the same fields (numbered rows of a formset or a table
        counted once) are the same form."""
        return (self.target, self.method, tuple(sorted({DIGITS.sub("N", f.name) for f in self.fields})))

    def baseline(self) -> list[tuple[str, bytes]]:
        """(name, value) pairs a browser sends for the page as filled in: the first named
        submit button only."""
        pairs, button = [], False
        for f in self.fields:
            if f.kind == "button":
                if button or f.value is None:
                    continue
                button = True
            if f.value is not None and f.kind != "file":
                pairs.append((f.name, f.value.encode("utf-8")))
        return pairs

    def fuzzable(self) -> list[str]:
        """The names of the fields that take the hostile values: each name once, and of numbered
        fields (formset rows, table cells) the first only."""
        names: dict[str, str] = {}
        for f in self.fields:
            if f.name != "csrfmiddlewaretoken":
                names.setdefault(DIGITS.sub("N", f.name), f.name)
        return list(names.values())


class PageParser(HTMLParser):
    """Links and forms of one HTML page."""

    def __init__(self, base: str):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: FormField | None = None
        self._option: str | None = None
        self._option_selected = False
        self._textarea: FormField | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urllib.parse.urljoin(self.base, a["href"]))
        elif tag == "form":
            self._form = {"action": urllib.parse.urljoin(self.base, a.get("action") or self.base),
                          "method": (a.get("method") or "get").lower(),
                          "multipart": "multipart" in (a.get("enctype") or ""), "fields": []}
            self.forms.append(self._form)
        elif self._form is None or "disabled" in a:  # a browser sends no disabled field
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                value = (a.get("value") or "on") if "checked" in a else None
                self._form["fields"].append(FormField(a["name"], kind, value, (a.get("value") or "on",)))
            elif kind in ("submit", "image", "reset"):
                if kind == "submit":
                    self._form["fields"].append(FormField(a["name"], "button", a.get("value") or ""))
            else:
                self._form["fields"].append(FormField(a["name"], kind, a.get("value") or ""))
        elif tag == "button" and a.get("name") and (a.get("type") or "submit") == "submit":
            self._form["fields"].append(FormField(a["name"], "button", a.get("value") or ""))
        elif tag == "select" and a.get("name"):
            self._select = FormField(a["name"], "select-multiple" if "multiple" in a else "select", None)
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")
            self._option_selected = "selected" in a
            if self._option is not None:
                self._add_option(self._option)
            else:
                self._option = ""
        elif tag == "textarea" and a.get("name"):
            self._textarea = FormField(a["name"], "textarea", "")
            self._form["fields"].append(self._textarea)

    def _add_option(self, value: str):
        select = self._select
        select.options += (value,)
        if self._option_selected:
            if select.kind == "select" or select.value is None:
                select.value = value
            else:  # a multiple select sends every selected option: one field per option
                self._form["fields"].append(FormField(select.name, "select-multiple", value))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        elif self._select is not None and self._option == "" and data.strip():
            self._option = None
            self._add_option(data.strip())

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            if self._select.kind == "select" and self._select.value is None and self._select.options:
                self._select.value = self._select.options[0]  # a browser sends the first option
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea":
            if self._textarea is not None and self._textarea.value.startswith("\n"):
                self._textarea.value = self._textarea.value[1:]  # the parser drops one leading newline
            self._textarea = None


@dataclass
class Crawl:
    forms: dict  # form key → Form
    pages: Counter  # pattern name → HTML pages seen (all roles)
    requests: int
    server_errors: list
    canaries: list
    reached: set = field(default_factory=set)  # patterns that answered a role with 200 or a redirect


def crawl(clients: dict, patterns: list[tuple[str, str]], seeds: list[str]) -> Crawl:
    """Each role starts at the home page (and the seeds) and follows links and redirects (a few
    paths per pattern, a few query strings per path), collecting the forms. Then every pattern
    without path parameters that no role reached so far is requested by every role, and the
    crawl goes on from there: a page no menu links to is found too."""
    from django.urls import reverse

    unlinked = []
    for name, route in patterns:
        if "<" in route or route.startswith("api/") or name in SKIPPED_NAMES or route.endswith(SKIPPED_SUFFIXES):
            continue
        try:
            unlinked.append((name, reverse(name)))
        except Exception:  # noqa: BLE001, S112 — an unnamed pattern
            continue
    result = Crawl({}, Counter(), 0, [], [])
    state = {role: _RoleCrawl(role, client, result) for role, client in clients.items()}
    for role_crawl in state.values():
        role_crawl.run(["/", *seeds])
    missing = [url for name, url in unlinked if name not in result.reached]
    for role_crawl in state.values():
        role_crawl.run(missing)
    return result


class _RoleCrawl:
    def __init__(self, role: str, client: Client, result: Crawl):
        self.role, self.client, self.result = role, client, result
        self.seen: set[str] = set()
        self.paths: dict[str, set] = {}  # pattern → paths followed
        self.queries: Counter = Counter()  # path → query strings followed
        self.queue: list[str] = []

    def follow(self, link: str, base: str) -> None:
        parts = urllib.parse.urlsplit(urllib.parse.urljoin(base, link))
        if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
            return
        local = urllib.parse.urlunsplit(("", "", parts.path, parts.query, ""))
        target = pattern_of(local)
        if (target is None or local in self.seen or target in SKIPPED_NAMES or target.startswith("api-v1:")
                or parts.path.endswith(SKIPPED_SUFFIXES) or "page=" in parts.query):
            return
        followed = self.paths.setdefault(target, set())
        if parts.path not in followed:
            if len(followed) >= LINKS_PER_PATTERN:
                return
            followed.add(parts.path)
        if parts.query:
            if self.queries[parts.path] >= QUERIES_PER_PATH:
                return
            self.queries[parts.path] += 1
        self.seen.add(local)
        self.queue.append(local)

    def run(self, starts: list[str]) -> None:
        result = self.result
        for url in starts:
            if url not in self.seen:
                self.seen.add(url)
                self.queue.append(url)
        while self.queue:
            url = self.queue.pop(0)
            (answer, *_rest) = send(self.client, "GET", url, follow=False)
            result.requests += 1
            if answer.status >= 500:
                result.server_errors.append(f"GET {url} as {self.role}: {answer.status} {answer.error}")
                continue
            if answer.status in (301, 302, 303) and not answer.location.startswith("/login/"):
                result.reached.add(pattern_of(url))
                self.follow(answer.location, url)
                continue
            if answer.status != 200:
                continue
            result.reached.add(pattern_of(url))
            if not answer.body:  # not HTML: a download
                continue
            result.pages[pattern_of(url)] += 1
            result.canaries += [f"GET {url} as {self.role}: {c}" for c in hostile.unescaped_canaries(answer.body)]
            parser = PageParser(url)
            parser.feed(answer.body)
            for raw in parser.forms:
                form = Form(self.role, url, raw["action"], raw["method"], raw["multipart"], raw["fields"])
                if pattern_of(form.action) is not None:
                    result.forms.setdefault(form.key, form)
            for link in parser.links:
                self.follow(link, url)


# --- the module's world ------------------------------------------------------------------------


@dataclass
class HostileWorld:
    world: object
    objects: dict
    clients: dict
    crawl: Crawl
    patterns: list


@pytest.fixture(scope="module")
def hostile_world(django_db_setup, django_db_blocker):
    """One world for the module, built inside a transaction rolled back at the end; every
    request runs in a savepoint of its own (see `send`)."""
    from lotse.core.testing import build_world

    quiet = logging.getLogger("django.request")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # the crawl meets many 404s and 403s on purpose
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world(district_code="77777")  # beside the `world` fixture's district
            objects = _populate(world)
            clients = {key: _logged_in(world, key) for key in world.users}
            clients[ANONYMOUS] = Client()
            clients.update(_half_logged_in(objects))
            patterns = url_patterns()
            started = time.monotonic()
            found = crawl(clients, patterns, objects["seeds"])
            print(f"[reliability] crawl: {len(clients)} roles, {found.requests} pages in "
                  f"{time.monotonic() - started:.0f} s, {len(found.forms)} forms")
            yield HostileWorld(world, objects, clients, found, patterns)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            quiet.setLevel(level)


# --- building requests ----------------------------------------------------------------------

BOUNDARY = "lotse-hostile-boundary-5b1e"
FORMSET_INDEX = re.compile(r"-\d+-")
# Plausible values for fields the page leaves empty, so that a submission gets past "this field
# is required" and the hostile value in another field reaches the services and the page that
# shows what was stored.
COMPLETIONS = {"date": TODAY.isoformat(), "number": "1", "email": "test@example.org", "time": "10:00",
               "url": "https://example.org/", "tel": "0151 1234567", "datetime-local": f"{TODAY.isoformat()}T10:00",
               "month": TODAY.strftime("%Y-%m"), "text": "Test", "textarea": "Test", "search": "Test"}


def _form_value(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


def filled(form: Form) -> list[tuple[str, bytes]]:
    """The fields as the page filled them, completed where it left them empty (see
    COMPLETIONS; not in formset rows, whose empty extra rows must stay empty)."""
    pairs = form.baseline()
    present = {name for name, _value in pairs}
    completed = []
    for name, value in pairs:
        kind = next(f.kind for f in form.fields if f.name == name)
        if not value and kind in COMPLETIONS and not FORMSET_INDEX.search(name) and name not in ("q", "name"):
            value = COMPLETIONS[kind].encode()
        completed.append((name, value))
    for f in form.fields:  # a group of checkboxes with none checked: check the first
        if f.kind == "checkbox" and f.name not in present and not FORMSET_INDEX.search(f.name) and \
                sum(1 for g in form.fields if g.name == f.name) > 1:
            completed.append((f.name, f.options[0].encode()))
            present.add(f.name)
    return completed


def encode(pairs: list[tuple[str, bytes]], files: list[tuple[str, str | bytes, bytes]], multipart: bool
           ) -> tuple[bytes, str]:
    """The request body and its content type; `files` are (field, file name, content)."""
    if not multipart:
        body = "&".join(f"{urllib.parse.quote_plus(n)}={urllib.parse.quote_plus(v)}" for n, v in pairs)
        return body.encode("ascii"), "application/x-www-form-urlencoded"
    parts = []
    for name, value in pairs:
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value)
    for name, file_name, content in files:
        raw = _form_value(file_name)
        # as browsers write it (HTML's multipart rules): quote, CR and LF percent-encoded
        raw = raw.replace(b'"', b"%22").replace(b"\r", b"%0D").replace(b"\n", b"%0A")
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="'.encode() + raw
                     + b'"\r\nContent-Type: application/octet-stream\r\n\r\n' + content)
    body = b"\r\n".join(parts) + f"\r\n--{BOUNDARY}--\r\n".encode()
    return body, f"multipart/form-data; boundary={BOUNDARY}"


def default_file(target: str) -> bytes:
    """What a user would pick for a form's file field: a valid file of the kind it takes."""
    if target == "web:appointments-import":
        return PERMIT_GOOD.encode()
    if target == "web:steering-statistics-import":
        return STATISTICS_GOOD.encode()
    return hostile.PNG


# --- judging answers ---------------------------------------------------------------------------


@dataclass
class Tally:
    requests: int = 0
    values: set = field(default_factory=set)
    server_errors: list = field(default_factory=list)
    unescaped: list = field(default_factory=list)
    partial_imports: list = field(default_factory=list)
    other: list = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    echoed: int = 0  # answers showing a canary (escaped): the check is live

    def judge(self, what: str, answers: list[Answer], sent: hostile.Hostile | None = None) -> None:
        self.requests += len(answers)
        if sent is not None:
            self.values.add(sent.name)
        for answer in answers:
            self.statuses[answer.status] += 1
            if answer.status >= 500:
                self.server_errors.append(f"{what}: {answer.status} {answer.error}")
            self.echoed += hostile.CANARY in answer.body
            for place in hostile.unescaped_canaries(answer.body, sent):
                self.unescaped.append(f"{what}: {place}")
            for name, value in answer.headers.items():
                if "\r" in value or "\n" in value or hostile.CANARY in name:
                    self.other.append(f"{what}: header injected: {name}: {value[:80]!r}")
            location = answer.location
            if location and not (location.startswith("/") and not location.startswith("//")) \
                    and not location.startswith("http://testserver/"):
                self.other.append(f"{what}: redirect off the site to {location[:120]!r}")

    def problems(self) -> list[str]:
        return self.server_errors + self.unescaped + self.partial_imports + self.other


def values_for(position: int, count: int, *, big: bool = True) -> list[hostile.Hostile]:
    """`count` values for the field at `position` of the plan: consecutive slices of the corpus
    interleaved by family, so neighbouring fields get different families and the fields
    together get every value."""
    pool = INTERLEAVED if big else [h for h in INTERLEAVED if not h.big]
    if count >= len(pool):
        return list(pool)
    start = (position * count) % len(pool)
    return [pool[(start + i) % len(pool)] for i in range(count)]


def _interleave() -> list[hostile.Hostile]:
    by_family: dict[str, list] = {}
    for h in hostile.VALUES:
        by_family.setdefault(h.family, []).append(h)
    rows = itertools.zip_longest(*by_family.values())
    return [h for row in rows for h in row if h is not None]


INTERLEAVED = _interleave()


def values_per_field() -> int:
    """Quick: one value per field (the fields together still get most of the corpus); full: 12
    per field (every value reaches some ten fields of different kinds; about 7,000 requests);
    LOTSE_HOSTILE_PER_FIELD=<n>, or =all for every value on every field (some 380,000 requests,
    hours), for a longer run."""
    override = os.environ.get("LOTSE_HOSTILE_PER_FIELD", "")
    if override == "all":
        return len(hostile.VALUES)
    if override.isdigit():
        return int(override)
    return reliability_scale(quick=1, full=12)


# --- the CSV imports ---------------------------------------------------------------------------

PERMIT_HEADER = ["aktenzeichen", "azr_nummer", "familienname", "vornamen", "geburtsdatum", "staatsangehoerigkeit",
                 "sprache", "strasse", "plz", "ort", "email", "gemeinde", "aufenthaltsstatus", "dokument",
                 "gueltig_ab", "gueltig_bis", "antrag_gestellt_am"]
PERMIT_ROW = ["ABH-2024-000777", "", "Mustermann", "Erika", "17.05.1990", "475", "ar", "Musterstraße 1", "11111",
              "A-Dorf", "erika@example.org", "A-Dorf", "p25-2-gfk", "eAT", "01.03.2024", "28.02.2027", ""]
PERMIT_GOOD = ";".join(PERMIT_HEADER) + "\r\n" + ";".join(PERMIT_ROW) + "\r\n"
STATISTICS_HEADER = ["gemeinde", "stichtag", "neuzugewanderte", "auslaender_gesamt"]
STATISTICS_ROW = ["A-Dorf", "31.12.2025", "123", "4567"]
STATISTICS_GOOD = ";".join(STATISTICS_HEADER) + "\r\n" + ";".join(STATISTICS_ROW) + "\r\n"


def _permit_tables() -> dict[str, int]:
    from lotse.appointments.models import Appointment, AppointmentProposal
    from lotse.core.scoping import personal_data_scope
    from lotse.handovers.models import Handover
    from lotse.people.models import Person, PersonAgencyLink, PersonNameKey, ResidenceStatus

    with personal_data_scope():
        return {model.__name__: model.objects.count() for model in (
            Person, PersonAgencyLink, PersonNameKey, ResidenceStatus, Appointment, AppointmentProposal, Handover)}


def _statistics_tables() -> dict[str, int]:
    from lotse.steering.models import ResidentStatistic

    return {"ResidentStatistic": ResidentStatistic.objects.count()}


def _import(hw, tally: Tally, kind: str, label: str, content: bytes, encoding: str,
            sent: hostile.Hostile | None = None) -> bool | None:
    """Send one file through the import's view; check that a refused file wrote nothing and
    that an accepted one stored no spreadsheet formula. Returns whether it was accepted."""
    if kind == "permit":
        role, url, tables = "abh", "/appointments/register/import/", _permit_tables
        pairs = [("encoding", encoding.encode())]
    else:
        role, url, tables = "coordinator", "/staff/steering/needs/statistics/import/", _statistics_tables
        pairs = [("source", b"IT.NRW")]
    body, content_type = encode(pairs, [("file", f"{label[:40]}.csv", content)], True)
    outcome: dict = {}

    def keep(answers):
        outcome["after"] = tables()
        if kind == "permit":
            from lotse.appointments.models import PermitImport

            record = PermitImport.objects.order_by("-pk").first()
            outcome["accepted"] = bool(record and record.pk > outcome["last_import"] and record.accepted)
            if outcome["accepted"]:
                outcome["formulas"] = _stored_formulas()
        else:
            outcome["accepted"] = answers[0].status == 302

    if kind == "permit":
        from lotse.appointments.models import PermitImport

        outcome["last_import"] = PermitImport.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    before = tables()
    answers = send(hw.clients[role], "POST", url, body=body, content_type=content_type, keep=keep)
    tally.judge(f"{kind} import {label}", answers, sent)
    if answers[0].status >= 500:
        return None
    if not outcome.get("accepted") and outcome.get("after") != before:
        changed = {k: (before[k], v) for k, v in outcome.get("after", {}).items() if before.get(k) != v}
        tally.partial_imports.append(f"{kind} import {label}: refused, yet rows changed {changed}")
    if outcome.get("formulas"):
        tally.other.append(f"{kind} import {label}: formula stored {outcome['formulas'][:3]}")
    return outcome.get("accepted")


def _stored_formulas() -> list[str]:
    """Text values of persons and statuses that a spreadsheet would run as a formula."""
    from lotse.core.scoping import personal_data_scope
    from lotse.people.models import Person, PersonAgencyLink

    found = []
    with personal_data_scope():
        for row in Person.objects.values_list("given_names", "family_name", "street", "city", "email"):
            found += [v for v in row if v and v.lstrip()[:1] in ("=", "+", "@", "-")]
        found += [n for n in PersonAgencyLink.objects.values_list("file_number", flat=True)
                  if n and n.lstrip()[:1] in ("=", "+", "@", "-")]
    return found


# --- the tests ---------------------------------------------------------------------------------


def test_the_corpus_is_large_deterministic_and_covers_every_family():
    assert len(hostile.VALUES) >= 500
    assert [h.name for h in hostile.VALUES] == [h.name for h in hostile._build()]
    assert {"markup", "sql", "control", "surrogate", "unicode", "long", "date", "number", "emoji", "bytes",
            "formula", "path"} <= set(hostile.FAMILIES)
    assert any(h.big and len(h.value) >= hostile.MEGABYTE for h in hostile.VALUES)
    # the canary finder tells escaped from live markup
    assert hostile.unescaped_canaries("<p>&lt;script&gt;KANARIE()&lt;/script&gt;</p>") == []
    assert hostile.unescaped_canaries('<input value="&quot; onfocus=&quot;KANARIE()">') == []
    assert hostile.unescaped_canaries("<p><script>KANARIE()</script></p>")
    assert hostile.unescaped_canaries('<input value="" onfocus="KANARIE()">')
    assert hostile.unescaped_canaries('<a href="javascript:KANARIE()">x</a>')


def unreached_patterns(hw) -> list[str]:
    """URL patterns (outside the API and the downloads) that the crawl never reached as a page
    nor as the target of a form."""
    targets = {form.target for form in hw.crawl.forms.values()}
    return sorted(name for name, route in hw.patterns
                  if not name.startswith("api-v1:") and not route.endswith(SKIPPED_SUFFIXES)
                  and name not in NOT_CRAWLED and name not in hw.crawl.reached and name not in targets)


def test_hostile_values_in_every_form_import_and_upload(hostile_world):
    hw = hostile_world
    tally = Tally()
    tally.server_errors += hw.crawl.server_errors
    tally.unescaped += hw.crawl.canaries
    tally.requests += hw.crawl.requests
    tally.other += [f"URL pattern never reached by the crawl (its forms untested): {name}"
                    for name in unreached_patterns(hw)]
    started = time.monotonic()
    per_field = values_per_field()

    # 1. Every field of every form, the others as the page filled them.
    forms = sorted(hw.crawl.forms.values(), key=lambda f: (f.target, f.method, f.role, f.page))
    plan = [(form, name) for form in forms for name in form.fuzzable()]
    crawl_requests = tally.requests
    accepted = Counter()
    for position, (form, name) in enumerate(plan):
        client = hw.clients[form.role]
        kinds = {f.kind for f in form.fields if f.name == name}
        base = filled(form)
        file_fields = [f.name for f in form.fields if f.kind == "file"]
        for value in values_for(position, per_field, big=form.method == "post"):
            what = f"{form.method.upper()} {form.action} [{form.target}] as {form.role}, field {name}, value {value.name}"
            if "file" in kinds:
                pairs = base
                files = [(n, value.value if n == name else "datei.png", default_file(form.target))
                         for n in file_fields]
            else:
                pairs = [(n, v) for n, v in base if n != name] + [(name, value.wire())]
                files = [(n, "datei.png" if form.target != "web:appointments-import" else "register.csv",
                          default_file(form.target)) for n in file_fields]
            if form.method == "get":
                query = "&".join(f"{urllib.parse.quote_plus(n)}={urllib.parse.quote_plus(v)}" for n, v in pairs)
                answers = send(client, "GET", form.action.split("?")[0] + "?" + query)
            else:
                body, content_type = encode(pairs, files, form.multipart)
                answers = send(client, "POST", form.action, body=body, content_type=content_type)
            if answers and answers[0].status in (301, 302, 303):
                accepted[form.target] += 1
            tally.judge(what, answers, value)
    form_requests = tally.requests - crawl_requests

    # 2. The CSV imports: the good file is accepted (so refusals are the hostile cell's doing),
    # every hostile file is refused or stores nothing harmful, and a refusal writes nothing.
    import_count = reliability_scale(quick=12, full=400)  # files with a hostile cell, per import
    assert _import(hw, tally, "permit", "good", PERMIT_GOOD.encode(), "utf-8") is True
    assert _import(hw, tally, "statistics", "good", STATISTICS_GOOD.encode(), "utf-8") is True
    for kind, header, row in (("permit", PERMIT_HEADER, PERMIT_ROW), ("statistics", STATISTICS_HEADER, STATISTICS_ROW)):
        files = hostile.csv_files(header, row)
        step = max(1, len(files) // import_count)
        for index, (label, content, encoding) in enumerate(files):
            if label.startswith("cell-") and index % step:  # every whole-file case, a spread of the cells
                continue
            _import(hw, tally, kind, label, content, encoding)

    # 3. Uploads: case documents (and the upload field of the forms above).
    for label, file_name, content, type_ok in hostile.uploads():
        _upload(hw, tally, label, file_name, content, type_ok)

    elapsed = time.monotonic() - started
    print(f"[reliability] hostile forms: {len(forms)} forms, {len(plan)} fields, {per_field} values per field, "
          f"{form_requests} requests ({sum(accepted.values())} redirected, i.e. accepted); answers showing a "
          f"canary escaped: {tally.echoed}; statuses {dict(sorted(tally.statuses.items()))}; {elapsed:.0f} s")
    print(f"[reliability] hostile values: {len(tally.values)}, requests: {tally.requests}, "
          f"5xx: {len(tally.server_errors)}, unescaped: {len(tally.unescaped)}, "
          f"partial imports: {len(tally.partial_imports)}")
    problems = tally.problems()
    if not tally.echoed:
        problems.append("no answer showed a canary at all: the canary check tested nothing")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:200])


def _upload(hw, tally: Tally, label: str, file_name, content: bytes, type_ok: bool) -> None:
    """A case document with a hostile name or content: refused unless its magic bytes are
    those of PDF, PNG or JPEG; if accepted, stored under its SHA-256 inside the media folder
    and served only as an attachment of the checked type."""
    from django.conf import settings

    from lotse.cases.models import CaseDocument
    from lotse.core.scoping import personal_data_scope

    with personal_data_scope():
        case_id = CaseDocument.objects.order_by("pk").values_list("case_id", flat=True).first()
    pairs = [("title", b"Bescheid"), ("kind", b"certificate"), ("category", b"general")]
    body, content_type = encode(pairs, [("file", file_name, content)], True)
    stored: dict = {}

    with personal_data_scope():
        last = CaseDocument.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def keep(answers):
        with personal_data_scope():
            document = CaseDocument.objects.filter(pk__gt=last).first()
            stored["document"] = document
            if document is not None:
                stored["path"] = os.path.realpath(document.file.path)
        if document is not None:
            download = hw.clients["caritas"].get(f"/cases/documents/{document.pk}/")
            stored["download"] = (download.status_code, download.get("Content-Type", ""),
                                  download.get("Content-Disposition", ""), download.get("X-Content-Type-Options", ""))
            b"".join(download.streaming_content)

    answers = send(hw.clients["caritas"], "POST", f"/cases/{case_id}/documents/", body=body,
                   content_type=content_type, follow=True, keep=keep)
    what = f"upload {label}"
    tally.judge(what, answers)
    if answers[0].status >= 500:
        return
    ok = stored.get("document") is not None
    if ok and not type_ok:
        tally.other.append(f"{what}: a file without PDF/PNG/JPEG magic bytes was accepted")
    if ok:
        document = stored["document"]
        media = os.path.realpath(settings.MEDIA_ROOT)
        if not stored["path"].startswith(media + os.sep):
            tally.other.append(f"{what}: stored outside the media folder: {stored['path']}")
        if not os.path.basename(stored["path"]).startswith(document.sha256):  # Django adds _xyz to a name taken
            tally.other.append(f"{what}: stored under a name other than its SHA-256: {stored['path']}")
        status, served_type, disposition, nosniff = stored["download"]
        if status != 200 or served_type != document.content_type or not disposition.startswith("attachment") \
                or nosniff != "nosniff":
            tally.other.append(f"{what}: served as {status} {served_type} {disposition!r} {nosniff!r}")


def test_a_new_dated_rule_without_a_valid_start_is_refused_not_a_server_error(world):
    """Found by the hostile input test: a new dated rule (deadline, regime change, …) with an
    end date but no valid start date made `DatedRule.clean()` compare a date with None."""
    from lotse.web.tests.test_views import _client_for

    client = _client_for(world, "admin")
    for start in ("", "31.02.2024", "\u202e"):
        response = client.post("/admin/rules/deadlines/new/", {
            "key": "test_deadline", "name": "Testfrist", "amount": "4", "unit": "weeks",
            "legal_reference": "§ 1 Test", "description": "", "valid_from": start, "valid_to": "2030-01-01",
            "source_note": ""})
        assert response.status_code == 400, start
        assert "valid_from" in response.context["form"].errors


@pytest.mark.parametrize("number", ["9223372036854775808", "18446744073709551616", "-9223372036854775809"])
def test_an_id_beyond_the_database_integer_range_in_a_multiple_choice_is_refused(world, number):
    """Found by the hostile input test (full run): a multiple choice of objects (here the
    municipalities of a welcome counsellor) given an id outside the database's integer range
    let `ModelMultipleChoiceField` query with it; SQLite raised OverflowError (a 500)."""
    from lotse.web.tests.test_views import _client_for

    client = _client_for(world, "coordinator")
    response = client.post("/staff/guide/counsellors/new/", {
        "name": "Willkommensberatung Test", "agency": world.agencies["caritas"].pk,
        "municipalities": [world.town_a.pk, number], "active": "on"})
    assert response.status_code in (200, 400)
    assert "municipalities" in response.context["form"].errors
