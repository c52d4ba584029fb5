"""The permission matrix (issue 9, point 2): every URL pattern of the staff UI, the public pages
and the JSON API × every role of the test world and an anonymous visitor × the object states of
`permission_matrix.py` (own agency; another agency with a valid, revoked or expired consent or
none; a statutory rule; a blocked flow; another district; an id that does not exist).

One world is built per module (in a transaction rolled back at the end) and every request runs
in a savepoint that is rolled back after it, so each cell sees the same world: a POST that
succeeds for one role (a revocation, a closed case) changes nothing for the next cell. One test
per role walks every cell and lists every mismatch at the end.

Per cell the test checks the status from the table, that no request answers 5xx, that a POST
refused to a role changed nothing in the database, that no GET writes to any table outside the
per-request ones (the access log, sessions, login throttling, request budgets: ASVS 3.5.3), that an object the role may not know of
answers exactly like one that does not exist, and that no canary value (a name, an e-mail
address, a note, a health note) appears in a body the role may not read. PDFs are "printed" by
a stand-in for WeasyPrint that returns the HTML it was given, so their content is searched too.
Each role's test fails if any URL pattern was never requested (like Zulip's suite); Django's
static files and admin are not mounted, so no pattern is excluded.

GET for every pattern; POST with an empty body for the POST-only views and the API's POST
operations (an API operation that needs a JSON body answers 422 before any lookup, so it is
requested in one state only).
"""

import datetime
import hashlib
import html
import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from lotse.web.tests import permission_matrix as matrix
from lotse.web.tests.test_views import _client_for

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
MISSING = 999_999_999
pytestmark = pytest.mark.django_db


# --- the world ----------------------------------------------------------------------------------


def today() -> datetime.date:
    return timezone.localdate()


class Objects(dict):
    """state → the ids of one kind of object (`persons["consent_valid"]`)."""


def _person(world, by, family, *, given="Amina", town="a", **data):
    from lotse.core.testing import register_person

    return register_person(world, by=by, town=town, given_names=given, family_name=family, **data)


def _populate_case(world, case, by, *, note="", health=""):
    """A document, a task, an intake, a plan goal with a step; notes as given."""
    from lotse.cases.services import document_add, note_add, task_add
    from lotse.intake.reference import CODE
    from lotse.intake.selectors import questionnaire_current
    from lotse.intake.services import intake_record
    from lotse.plans.services import goal_add, step_add

    ctx = world.ctx(by)
    if note:
        note_add(ctx=ctx, case_id=case.pk, category="general", text=note)
    if health:
        psych = "caritas_psych" if by in ("caritas", "teamlead") else by
        note_add(ctx=world.ctx(psych), case_id=case.pk, category="health", text=health)
    document = document_add(ctx=ctx, case_id=case.pk, kind="certificate", title="Zeugnis", category="general",
                            upload=SimpleUploadedFile("zeugnis.png", PNG, content_type="image/png"))
    task = task_add(ctx=ctx, case_id=case.pk, kind="follow_up", title="Nachfassen",
                    due_on=today() + datetime.timedelta(days=7))
    answers = {"goals": "Arbeit finden", "work_years": 2, "language_levels": [{"language": "de", "level": "A2"}]}
    intake = intake_record(ctx=ctx, case_id=case.pk, questionnaire_id=questionnaire_current(CODE).pk,
                           taken_on=ctx.today, answers=answers)
    goal = goal_add(ctx=ctx, case_id=case.pk, life_area="language", title="Deutsch B1")
    step = step_add(ctx=ctx, goal_id=goal.pk, title="Integrationskurs anmelden")
    return {"case": case.pk, "document": document.pk, "task": task.pk, "intake": intake.pk,
            "goal": goal.pk, "step": step.pk}


def _consent(world, by, person_id, *, to, frm, categories, purpose, given_on=None, valid_until=None):
    from lotse.consent.services import consent_record

    return consent_record(
        ctx=world.ctx(by), person_id=person_id, categories=categories, purpose=purpose,
        to_agency_id=world.agencies[to].pk, from_agency_id=world.agencies[frm].pk,
        given_on=given_on or today() - datetime.timedelta(days=10),
        valid_until=valid_until or today() + datetime.timedelta(days=365),
        method="signed_form", informed_language="de").pk


def _district_objects(world, *, main: bool) -> dict:
    """The objects of one district. The main district gets every object state; another district
    gets one object of each kind (all of which must stay out of reach)."""
    from lotse.appointments.models import PermitImport
    from lotse.appointments.tests import factories as appointment_factories
    from lotse.conferences.services import conference_create, decision_add
    from lotse.core.models import TaskProgress
    from lotse.core.scoping import personal_data_scope
    from lotse.core.testing import add_benefits, add_residence, open_case
    from lotse.gaps.models import GapSource
    from lotse.gaps.services import gap_report_create
    from lotse.guide.models import GuideText, WelcomeCounsellor
    from lotse.guide.services import translator_languages_set
    from lotse.handovers.models import BulkChangeRun, ChecklistItem
    from lotse.handovers.tests.test_workflow import recognised_household
    from lotse.offers.services import OfferData, offer_create
    from lotse.organisations.models import Role
    from lotse.referrals.services import referral_send
    from lotse.rules.models import RegimeChangeRule
    from lotse.steering import committees as steering

    C = matrix.CANARY
    o = {kind: Objects() for kind in ("person", "case", "document", "task", "intake", "goal", "step",
                                      "consent", "referral", "conference", "decision", "gap", "handover",
                                      "item", "bulkrun", "appointment", "member", "import", "office",
                                      "interpreter", "committee", "meeting", "agenda", "measure", "sgoal",
                                      "counsellor", "text", "offer", "agency", "role", "user", "progress")}
    label = "own" if main else "other_district"

    # Persons, cases and their parts.
    if main:
        client = _person(world, "caritas", C["client_family"], given=C["client_given"], email=C["client_email"])
        o["person"]["caritas_client"] = client
        cases = {"caritas_client": _populate_case(world, open_case(world, client), "caritas",
                                                  note=C["client_note"], health=C["client_health"])}
        for state, family in (("consent_valid", "Valentsen"), ("consent_revoked", C["revoked_family"]),
                              ("consent_expired", C["expired_family"])):
            pid = _person(world, "caritas", family, given="Karim")
            o["person"][state] = pid
            cases[state] = _populate_case(world, open_case(world, pid), "caritas")
        categories = ["identity", "contact", "counselling_notes"]
        o["consent"]["consent_valid"] = _consent(world, "caritas", o["person"]["consent_valid"], to="jobcentre",
                                                 frm="caritas", categories=categories,
                                                 purpose="benefits_administration")
        revoked = _consent(world, "caritas", o["person"]["consent_revoked"], to="jobcentre", frm="caritas",
                           categories=categories, purpose="benefits_administration")
        from lotse.consent.services import consent_revoke

        consent_revoke(ctx=world.ctx("caritas"), consent_id=revoked, note="widerrufen")
        o["consent"]["consent_revoked"] = revoked
        o["consent"]["consent_expired"] = _consent(
            world, "caritas", o["person"]["consent_expired"], to="jobcentre", frm="caritas",
            categories=categories, purpose="benefits_administration",
            given_on=today() - datetime.timedelta(days=400), valid_until=today() - datetime.timedelta(days=30))
        # Statutory: the ABH's person of town A, read by social office A through the rule.
        statutory = _person(world, "abh", "Statutsen", given="Omar")
        add_residence(world, statutory)
        o["person"]["statutory"] = statutory
        # Blocked: a person of the counselling service (professional secrecy) with a consent to
        # Caritas that names health data too — the Art. 9 rule keeps the health data closed, and
        # with it the psychosocial case itself.
        blocked = _person(world, "psych", "Blocksen", given="Dana")
        o["person"]["blocked"] = blocked
        psychosocial = open_case(world, blocked, by="psych", focus_area="psychosocial")
        cases["blocked"] = _populate_case(world, psychosocial, "psych", note=C["psych_note"], health=C["psych_health"])
        o["consent"]["blocked"] = _consent(world, "psych", blocked, to="caritas", frm="psych",
                                           categories=["identity", "counselling_notes", "health"],
                                           purpose="case_management")
        social = _person(world, "social_a", "Sozialsen", given="Lina")
        add_benefits(world, social)
        o["person"]["social_client"] = social
        handover = recognised_household(world)
        o["person"]["handover"] = handover.person_id
        o["handover"]["open"] = handover.pk
        with personal_data_scope():
            items = {i.key: i.pk for i in ChecklistItem.objects.filter(handover=handover)}
        o["item"]["jobcentre_item"] = items["application"]
        o["item"]["social_item"] = items["consent"]
        # Referrals: Caritas → job centre (covered by the consent); counselling service → Caritas.
        o["referral"]["to_jobcentre"] = referral_send(
            ctx=world.ctx("caritas"), person_id=o["person"]["consent_valid"], to_agency_id=world.agencies["jobcentre"].pk,
            case_id=cases["consent_valid"]["case"], purpose="benefits_administration",
            categories=["identity", "counselling_notes"], message="Bitte übernehmen").pk
        o["referral"]["to_caritas"] = referral_send(
            ctx=world.ctx("psych"), person_id=blocked, to_agency_id=world.agencies["caritas"].pk,
            case_id=cases["blocked"]["case"], purpose="case_management", categories=["identity"],
            message="Bitte Kontakt aufnehmen").pk
        # Conferences: with the job centre (consent) and with the counselling service (frame only).
        for state, participant in (("consent_valid", "jobcentre"), ("caritas_client", "psych")):
            conference = conference_create(ctx=world.ctx("caritas"), case_id=cases[state]["case"], held_on=today(),
                                           topic="Fallkonferenz Sprachkurs",
                                           participant_agency_ids=[world.agencies[participant].pk])
            o["conference"][state] = conference.pk
            o["decision"][state] = decision_add(ctx=world.ctx("caritas"), conference_id=conference.pk,
                                                text="Kursplatz suchen").pk
    else:
        pid = _person(world, "caritas", C["other_family"], given="Nadia")
        o["person"][label] = pid
        cases = {label: _populate_case(world, open_case(world, pid), "caritas", note=C["other_note"])}
        o["consent"][label] = _consent(world, "caritas", pid, to="jobcentre", frm="caritas",
                                       categories=["identity", "counselling_notes"],
                                       purpose="benefits_administration")
        o["referral"][label] = referral_send(
            ctx=world.ctx("caritas"), person_id=pid, to_agency_id=world.agencies["jobcentre"].pk,
            case_id=cases[label]["case"], purpose="benefits_administration", categories=["identity"],
            message="").pk
        conference = conference_create(ctx=world.ctx("caritas"), case_id=cases[label]["case"], held_on=today(),
                                       topic="Fallkonferenz", participant_agency_ids=[world.agencies["jobcentre"].pk])
        o["conference"][label] = conference.pk
        o["decision"][label] = decision_add(ctx=world.ctx("caritas"), conference_id=conference.pk,
                                            text="Kursplatz suchen").pk
        handover = recognised_household(world, given_names="Yusuf", family_name=C["other_family"])
        o["handover"][label] = handover.pk
        with personal_data_scope():
            o["item"][label] = ChecklistItem.objects.filter(handover=handover, key="application").first().pk
    for state, parts in cases.items():
        for kind in ("case", "document", "task", "intake", "goal", "step"):
            o[kind][state] = parts[kind]

    # Bulk change run, background task, offers.
    rule = RegimeChangeRule.objects.order_by("pk").first()
    o["bulkrun"][label] = BulkChangeRun.objects.create(district=world.district, rule=rule, on=today(),
                                                       started_by=world.users["coordinator"]).pk
    o["progress"]["dpo" if main else label] = TaskProgress.objects.create(
        label="verify-audit", owner=world.users["dpo"]).pk
    o["offer"][label] = offer_create(ctx=world.ctx("coordinator"), data=OfferData(
        name="Sprachcafé", life_area="language", provider_agency_id=world.agencies["caritas"].pk,
        municipality_ids=[world.town_a.pk])).pk

    # Gap reports and steering.
    gap = gap_report_create(ctx=world.ctx("caritas"), municipality_id=world.town_a.pk, life_area="language",
                            kind="missing_offer", title="Sprachkurs mit Kinderbetreuung fehlt",
                            description="Wartezeit über acht Wochen.", office_ids=[], source=GapSource.CASE_WORK)
    o["gap"][label] = gap.pk
    coordinator = world.ctx("coordinator")
    committee = steering.committee_create(ctx=coordinator, name="Arbeitskreis Migration", kind="working_group",
                                          member_agency_ids=[world.agencies["caritas"].pk])
    o["committee"][label] = committee.pk
    start = datetime.datetime.combine(today() - datetime.timedelta(days=20), datetime.time(10, 0),
                                      tzinfo=datetime.UTC)
    meeting = steering.meeting_plan(ctx=coordinator, committee_id=committee.pk, starts_at=start,
                                    ends_at=start + datetime.timedelta(hours=2), location="Kreishaus")
    o["meeting"][label] = meeting.pk
    o["agenda"][label] = steering.agenda_item_add(ctx=coordinator, meeting_id=meeting.pk, gap_report_id=gap.pk).pk
    decision = steering.decision_record(ctx=coordinator, meeting_id=meeting.pk, text="Kurs einrichten",
                                        decided_on=today())
    sgoal = steering.goal_create(ctx=coordinator, title="Integrationskurs binnen 8 Wochen")
    o["sgoal"][label] = sgoal.pk
    o["measure"][label] = steering.measure_create(
        ctx=coordinator, title="Kursträger gewinnen", owner_agency_id=world.agencies["caritas"].pk,
        decision_id=decision.pk, goal_id=sgoal.pk).pk

    # Appointments of the foreigners' authority.
    _person_id, appointment, token = appointment_factories.invited(
        world, today(), given="Farid", family=C["appointment_family"] if main else C["other_family"])
    o["appointment"][label] = appointment.pk
    with personal_data_scope():
        o["member"][label] = appointment.members.first().pk
    o["token"] = Objects({label: token})
    from lotse.appointments.models import Interpreter, Office

    o["office"][label] = Office.objects.filter(agency=world.agencies["abh"]).order_by("pk").first().pk
    o["interpreter"][label] = Interpreter.objects.filter(district=world.district).order_by("pk").first().pk
    o["import"][label] = PermitImport.objects.create(agency=world.agencies["abh"], imported_by=world.users["abh"],
                                                     file_name="register.csv", sha256="0" * 64).pk

    # The guide and the administration.
    o["counsellor"][label] = WelcomeCounsellor.objects.create(district=world.district,
                                                             agency=world.agencies["caritas"],
                                                             name="Willkommensberatung Caritas").pk
    o["text"][label] = GuideText.objects.create(district=world.district, slug="willkommen", title="Willkommen",
                                                body="Willkommen im Kreis.").pk
    if main:
        translator_languages_set(ctx=coordinator, user_id=world.users["translator"].pk, languages=["ar"])
    o["agency"][label] = world.agencies["caritas"].pk
    o["user"][label] = world.users["translator"].pk
    reference = Role.objects.get(code="case_manager", district__isnull=True)
    o["role"][label] = Role.objects.create(district=world.district, code=f"case_manager-{world.district.code}",
                                           name="Fallmanagement (Kreis)", categories_mask=reference.categories_mask,
                                           purposes=list(reference.purposes), permissions=[]).pk
    if main:
        o["role"]["reference"] = reference.pk
    return o


# --- the URL patterns ---------------------------------------------------------------------------


def url_patterns() -> list[tuple[str, str, str]]:
    """(key, route, name) of every pattern, recursively through the includes. The key is the
    namespaced name, or the route for an unnamed pattern."""
    found = []

    def walk(resolver, prefix, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(n for n in (namespace, pattern.namespace) if n)
                walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
                found.append((name or route, route, name))

    walk(get_resolver(), "", "")
    return found


def api_operations() -> dict[str, tuple[str, bool]]:
    """URL name → (HTTP method, whether a JSON body is required) of each API operation (ninja
    mounts one pattern per operation, several on one route)."""
    from lotse.api.api import api

    operations = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                name = api.get_operation_url_name(operation, router=router)
                needs_body = any(getattr(model, "__ninja_param_source__", "") == "body"
                                 and any(f.is_required() for f in model.model_fields.values())
                                 for model in operation.models)
                operations[f"api-v1:{name}"] = (operation.methods[0], needs_body)
    return operations


def api_methods() -> dict[str, str]:
    return {name: method for name, (method, _body) in api_operations().items()}


# --- filling the path parameters ----------------------------------------------------------------

OUTSIDE = {"other_district", "missing", "mismatch", "unknown", "bad", "reference"}


def targets(kind: str | None, objects: dict, main, other) -> dict:
    """state → path parameters (a dict), or the id of the pattern's single parameter."""
    from lotse.rules.models import AccessRule, RecordResponsibility

    if kind is None:
        return {"-": {}}
    if kind == "person_consent":
        found = {state: {"person_id": objects["person"][state], "consent_id": consent}
                 for state, consent in objects["consent"].items()}
        found["mismatch"] = {"person_id": objects["person"]["caritas_client"],
                             "consent_id": objects["consent"]["consent_valid"]}
        found["missing"] = {"person_id": objects["person"]["consent_valid"], "consent_id": MISSING}
        return found
    if kind in ("case_step", "case_goal"):
        part = kind.removeprefix("case_")
        found = {state: {"case_id": case, f"{part}_id": objects[part][state]}
                 for state, case in objects["case"].items()}
        found["mismatch"] = {"case_id": objects["case"]["caritas_client"],
                             f"{part}_id": objects[part]["consent_valid"]}
        found["missing"] = {"case_id": objects["case"]["caritas_client"], f"{part}_id": MISSING}
        return found
    if kind == "rule_kind":
        return {"access": {"kind": "access"}, "deadlines": {"kind": "deadlines"}, "unknown": {"kind": "nonsense"}}
    if kind == "rule":
        statutory = AccessRule.objects.filter(kind="statutory").order_by("pk").first()
        return {"access": {"kind": "access", "rule_id": statutory.pk},
                "responsibilities": {"kind": "responsibilities",
                                     "rule_id": RecordResponsibility.objects.order_by("pk").first().pk},
                "missing": {"kind": "access", "rule_id": MISSING}}
    own, far = main.district.code, other.district.code
    if kind == "district":
        return {"own": {"district": own}, "other_district": {"district": far}, "unknown": {"district": "00000"}}
    if kind == "district_lang":
        return {"de": {"district": own, "lang": "de"}, "ar": {"district": own, "lang": "ar"},
                "other_district": {"district": far, "lang": "de"}, "bad": {"district": own, "lang": "xx"},
                "unknown": {"district": "00000", "lang": "de"}}
    if kind == "guide_text":
        return {"own": {"district": own, "lang": "de", "slug": "willkommen"},
                "other_district": {"district": far, "lang": "de", "slug": "willkommen"},
                "unknown": {"district": own, "lang": "de", "slug": "gibt-es-nicht"}}
    if kind == "guide_sheet":
        return {"own": {"district": own, "lang": "de", "municipality_id": main.town_a.pk},
                "other_district": {"district": own, "lang": "de", "municipality_id": other.town_a.pk},
                "missing": {"district": own, "lang": "de", "municipality_id": MISSING}}
    if kind == "translation_key":
        return {"own": {"key": f"text:{objects['text']['own']}"}, "first_step": {"key": "step:registration"},
                "other_district": {"key": f"text:{objects['text']['other_district']}"},
                "unknown": {"key": "text:0"}}
    if kind == "translation_lang":
        key = f"text:{objects['text']['own']}"
        return {"own_ar": {"key": key, "language": "ar"}, "own_uk": {"key": key, "language": "uk"},
                "other_district": {"key": f"text:{objects['text']['other_district']}", "language": "ar"},
                "bad": {"key": key, "language": "xx"}}
    if kind == "token":
        return {**objects["token"], "bad": "1." + "0" * 32}
    return {**objects[kind], "missing": MISSING}


# --- running one request ------------------------------------------------------------------------


class _Rollback(Exception):
    pass


# Tables a request may write without changing the world: the access log, sessions, login
# throttling, the API tokens' last use, the public link's attempt counter, the request budgets.
VOLATILE_TABLES = ("audit_accessevent", "django_session", "axes_", "api_apitoken",
                   "appointments_publiclinkattempt", "core_requestcount")
_WRITE = re.compile(r'^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


class WriteWatch:
    """Collects the tables a request writes (outside the volatile ones)."""

    def __init__(self):
        self.tables: set[str] = set()

    def __call__(self, execute, sql, params, many, context):
        match = _WRITE.match(sql)
        if match and not match.group(1).startswith(VOLATILE_TABLES):
            self.tables.add(match.group(1))
        return execute(sql, params, many, context)


def fingerprint() -> str:
    """The content of every table outside the volatile ones."""
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.django_table_names(only_existing=True)):
            if table.startswith(VOLATILE_TABLES):
                continue
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from Django)
            digest.update(table.encode())
            digest.update(repr(sorted(map(repr, cursor.fetchall()))).encode())
    return digest.hexdigest()


class _FakeHTML:
    """Stands in for `weasyprint.HTML`: the "PDF" is the HTML it was given, so the matrix checks
    who gets a PDF and what goes into it (canaries included) without laying out pages; the
    layout has its own tests."""

    def __init__(self, string: str = "", **_options):
        self.text = string

    def render(self, **_options):
        return _FakeDocument([self])

    def write_pdf(self, **_options) -> bytes:
        return _FakeDocument([self]).write_pdf()


class _FakeDocument:
    def __init__(self, pages):
        self.pages = list(pages)

    def copy(self, pages):
        return _FakeDocument(pages)

    def write_pdf(self, **_options) -> bytes:
        return b"%PDF-stub\n" + "\n".join(page.text for page in self.pages).encode()


def _body(response) -> str:
    content_type = response.get("Content-Type", "")
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    # No response.close() here: the test client has closed it (or closes a streaming response
    # once it is consumed), and a second close would fire `request_finished`, whose
    # `close_old_connections` ends the module's transaction.
    if content_type.startswith("image/"):
        return ""  # binary: not searched for canaries
    text = content.decode("utf-8", errors="replace")
    return text + html.unescape(text)


@dataclass
class Answer:
    status: int
    location: str
    body: str
    changed: bool = False  # (with `check_changes`) the database differs from the world's
    written: frozenset[str] = frozenset()  # tables written outside the volatile ones


def perform(client: Client, method: str, url: str, *, api: bool, body: dict | None = None,
            check_changes: bool = True) -> Answer:
    """One request in a savepoint that is rolled back. An exception in the view counts as 500.
    `changed` (with `check_changes`): whether the request wrote to a table outside the volatile
    ones and the database then differed from the world's."""
    cookies = client.cookies
    client.cookies = type(cookies)()
    client.cookies.update(cookies)
    result = Answer(0, "", "")
    watch = WriteWatch()
    try:
        with transaction.atomic(), connection.execute_wrapper(watch):
            try:
                if method == "GET":
                    response = client.get(url)
                elif api:
                    response = client.post(url, data=json.dumps(body) if body else "",
                                           content_type="application/json")
                else:
                    response = client.post(url, body or {})
                result = Answer(response.status_code, response.get("Location", ""), _body(response))
            except Exception as exc:  # noqa: BLE001 — a view that raises is a 500 for the matrix
                result = Answer(500, "", f"{type(exc).__name__}: {exc}")
            result.written = frozenset(watch.tables)
            if check_changes and result.status < 500 and watch.tables:
                result.changed = fingerprint() != BASELINE[0]
            raise _Rollback
    except _Rollback:
        pass
    finally:
        client.cookies = cookies
    return result


BASELINE: list[str] = [""]


# --- the plan of requests -----------------------------------------------------------------------


@dataclass
class Cell:
    key: str  # the pattern's name (or route)
    method: str
    state: str
    url: str
    row: matrix.Row
    api: bool
    body: dict | None = None  # POST: the form fields or JSON body (`Row.query_in_body`)

    @property
    def sent(self) -> str:
        """Everything the request carries: a value in it shown again is no leak."""
        return f"{self.url} {self.body or ''}"


def request_plan(objects, main, other) -> tuple[list[Cell], list[str]]:
    """Every request to make (for every role), and the patterns without a row in the table."""
    from django.urls import reverse

    operations = api_operations()
    cells, missing_rows = [], []
    for key, route, name in url_patterns():
        row = matrix.TABLE.get(name)
        if row is None:
            missing_rows.append(key)
            continue
        api = name.startswith("api-v1:")
        found = targets(row.kind, objects, main, other)
        urls = {}
        for state, params in found.items():
            if not isinstance(params, dict):
                (param,) = _route_params(route)
                params = {param: params}
            urls[state] = reverse(name, kwargs=params)
        bodies = {}
        if row.kind is None:
            base = urls.pop("-")
            if row.plain:
                urls["-"] = base
            if row.query_in_body:
                bodies = {state: dict(parse_qsl(query)) for state, query in row.query.items()}
                urls.update(dict.fromkeys(bodies, base))
            else:
                urls.update({state: f"{base}?{query}" for state, query in row.query.items()})
        else:  # extra states: an object state's address with a query string
            urls.update({state: f"{urls[base]}?{query}" for state, (base, query) in row.query.items()})
        if api:
            method, needs_body = operations.get(name, ("GET", False))  # openapi.json, the root
            if needs_body:
                # An empty body fails validation (422) before any object is looked up: one
                # state suffices to show that, for every role.
                urls = dict([next(iter(urls.items()))])
            cells += [Cell(key, method, state, url, row, True, bodies.get(state)) for state, url in urls.items()]
            continue
        if row.post_only:
            state, url = next(iter(urls.items()))
            cells.append(Cell(key, "GET", state, url, row, False))
        else:
            cells += [Cell(key, "GET", state, url, row, False) for state, url in urls.items()
                      if state not in bodies]
        if row.post is not None:
            cells += [Cell(key, "POST", state, url, row, False, bodies.get(state)) for state, url in urls.items()]
    return cells, missing_rows


def _route_params(route: str) -> list[str]:
    return [match.split(":")[-1] for match in re.findall(r"<([^>]+)>", route)]


def _roles_in(allowed, row: matrix.Row, state: str) -> frozenset:
    if isinstance(allowed, dict):
        if state not in allowed and row.kind is not None and state in row.query:
            state = row.query[state][0]  # a query variant of a state: as the state, unless listed
        return allowed.get(state, matrix.NOBODY)
    return matrix.NOBODY if state in OUTSIDE else allowed


def allowed_roles(cell: Cell) -> frozenset:
    return _roles_in(cell.row.get if cell.method == "GET" else cell.row.post, cell.row, cell.state)


def seeing_roles(row: matrix.Row, method: str, state: str) -> frozenset:
    """Who may know that the object exists: `row.sees`, else who gets in."""
    if row.sees is not None:
        return _roles_in(row.sees, row, state)
    if method == "POST" and (row.post_only or row.kind is None or not row.get):
        return _roles_in(row.post, row, state)
    return _roles_in(row.get, row, state)


def existence_oracles(role: str, answers: dict) -> list[str]:
    """An object the role may not know of must answer exactly like one that does not exist
    (pretix: requests into another organizer get 404, not 403): compare with the `missing`
    state of the same pattern and method."""
    found = []
    for (key, method), by_state in answers.items():
        row = matrix.TABLE[key]
        if "missing" not in by_state or (method == "GET" and row.post_only):
            continue
        missing_status, _url = by_state["missing"]
        for state, (status, url) in by_state.items():
            if state != "missing" and status != missing_status and role not in seeing_roles(row, method, state):
                found.append(f"{method} {url} [{key}, {state}] as {role}: {status}, but {missing_status} for an id "
                             "that does not exist (tells that the object exists)")
    return found


def judge(cell: Cell, role: str, status: int, location: str, changed: bool) -> str:
    """'' if the answer is what the table says, else what was expected."""
    if status >= 500:
        return "no server error"
    row = cell.row
    if role == matrix.ANONYMOUS and not row.public:
        if cell.api:
            return "" if status == 401 else "401"
        return "" if status == 302 and location.startswith("/login/") else "302 to /login/"
    if cell.method == "GET" and row.post_only:
        return "" if status == 405 else "405"
    inside = role in allowed_roles(cell)
    if role in row.forbidden:
        return "" if status == 403 else "403"
    if cell.method == "GET":
        want = row.status_for.get(role, row.get_in) if inside else row.get_out
        return "" if status == want else str(want)
    if inside:
        return "" if status not in (401, 403, 404, 405) else "the write to be allowed (not 401/403/404/405)"
    if status in (403, 404) or (status in (200, 302, 400, 409, 422) and not changed):
        return ""
    return "403/404, or nothing changed" if changed else "403/404"


def canary_leaks(role: str, url: str, body: str) -> list[str]:
    """Canaries in a body the role may not read (a value the request itself carries, such as a
    searched name shown again in the search field, does not count)."""
    return [name for name, value in matrix.CANARY.items()
            if value in body and value not in url and role not in matrix.CANARY_READERS[name]]


# --- the world and the clients ------------------------------------------------------------------


@dataclass
class MatrixWorld:
    main: object
    other: object
    objects: dict
    clients: dict  # role → (staff UI client, API client)
    cells: list
    missing_rows: list
    patterns: list


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    """The world of the matrix, built once for the module inside a transaction that is rolled
    back afterwards; each request runs in a savepoint of its own (see `perform`)."""
    import logging

    import weasyprint

    from lotse.api.services import api_token_create
    from lotse.core.testing import build_world

    patch = pytest.MonkeyPatch()
    patch.setattr(weasyprint, "HTML", _FakeHTML)
    # Thousands of expected 404s and 405s: only errors are logged while the matrix runs.
    request_logger = logging.getLogger("django.request")
    level = request_logger.level
    request_logger.setLevel(logging.ERROR)
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            main = build_world()
            other = build_world(district_code="88888")
            objects = _district_objects(main, main=True)
            for kind, states in _district_objects(other, main=False).items():
                objects.setdefault(kind, Objects()).update(states)
            clients = {}
            for key, user in main.users.items():
                token = api_token_create(user=user, name=f"matrix {key}")[1]
                clients[key] = (_client_for(main, key), Client(headers={"Authorization": f"Bearer {token}"}))
            clients[matrix.ANONYMOUS] = (Client(), Client())
            cells, missing_rows = request_plan(objects, main, other)
            BASELINE[0] = fingerprint()
            yield MatrixWorld(main, other, objects, clients, cells, missing_rows, url_patterns())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            patch.undo()
            request_logger.setLevel(level)


# --- the tests ----------------------------------------------------------------------------------


def test_every_url_pattern_has_a_row_in_the_table():
    names = {key: name for key, _route, name in url_patterns()}
    assert sorted(key for key, name in names.items() if name not in matrix.TABLE) == [], (
        "URL patterns without a row in permission_matrix.TABLE")
    assert sorted(set(matrix.TABLE) - set(names.values())) == [], "rows for URL names that do not exist"


@pytest.mark.parametrize("role", matrix.ALL_ROLES)
def test_permission_matrix(matrix_world, role):
    from django.urls import resolve

    methods = api_methods()
    by_route: dict[str, list[str]] = {}
    for key, route, _name in matrix_world.patterns:
        by_route.setdefault(route, []).append(key)
    web, api = matrix_world.clients[role]
    mismatches, leaks, requested, seen, answers = [], [], set(), set(), {}
    for cell in matrix_world.cells:
        check_changes = cell.method == "POST" and role not in allowed_roles(cell)
        answer = perform(api if cell.api else web, cell.method, cell.url, api=cell.api, body=cell.body,
                         check_changes=check_changes)
        status, location, body, changed = answer.status, answer.location, answer.body, answer.changed
        match = resolve(cell.url.split("?")[0])
        keys = by_route[match.route]
        if len(keys) > 1:  # API operations sharing a route: the one of this method
            keys = [k for k in keys if methods.get(k) == cell.method] or keys
        requested.add(keys[0])
        answers.setdefault((cell.key, cell.method), {})[cell.state] = (status, cell.url)
        wanted = judge(cell, role, status, location, changed)
        if wanted:
            detail = body[:200].replace("\n", " ") if status >= 500 else location
            mismatches.append(f"{cell.method} {cell.url} [{cell.key}, {cell.state}] as {role}: "
                              f"{status}{' (database changed)' if changed else ''} {detail}, expected {wanted}")
        if cell.method == "GET" and answer.written:  # ASVS 3.5.3: reading changes nothing
            mismatches.append(f"GET {cell.url} [{cell.key}, {cell.state}] as {role}: {status}, wrote to "
                              f"{', '.join(sorted(answer.written))}, expected no write on GET")
        seen.update(name for name, value in matrix.CANARY.items() if value in body)
        for name in canary_leaks(role, cell.sent, body):
            leaks.append(f"{cell.method} {cell.url} [{cell.key}, {cell.state}] as {role}: canary {name} "
                         f"({matrix.CANARY[name]}) in the answer ({status})")
    never = sorted({key for key, _route, _name in matrix_world.patterns} - requested)
    # The canaries are live: each shows up somewhere for the roles that work with it.
    unseen = sorted(name for name, roles in matrix.CANARY_SHOWN.items() if role in roles and name not in seen)
    oracles = existence_oracles(role, answers) if role != matrix.ANONYMOUS else []
    problems = (mismatches + oracles + leaks + [f"never requested: {key}" for key in never]
                + [f"canary {name} never shown to {role}, who works with it" for name in unseen])
    assert not problems, f"{len(problems)} problems in {len(matrix_world.cells)} requests:\n" + "\n".join(problems)
