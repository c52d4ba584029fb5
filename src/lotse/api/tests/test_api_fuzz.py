"""Schemathesis against the JSON API (issue 9, point 4): every operation of the OpenAPI document
(`/api/v1/openapi.json`, django-ninja) with generated valid and invalid input, sent in-process
to the project's WSGI application — once with the bearer token of a user who works with that
part of the API, once without credentials (and with broken ones).

Asserted for every answer: no server error (`not_a_server_error`), and the answer conforms to
the document: documented status code, content type, headers and body schema
(`status_code_conformance`, `content_type_conformance`, `response_headers_conformance`,
`response_schema_conformance`). Without valid credentials every answer is 401 or 403.

Half of the generated cases use the ids of objects that exist (a person, a case, its task,
goal and step, a referral, a consent, a handover and its items), so that generated bodies reach
the services instead of stopping at "not found". The generation is derandomised: the same
cases on every run. `make test` runs a few cases per operation and mode, `make
test-reliability` a hundred and more.
"""

import datetime
import logging
import time

import pytest
from django.core import signals
from django.db import close_old_connections

from lotse.core.testing import reliability_scale

pytestmark = [pytest.mark.django_db, pytest.mark.reliability]

TODAY = datetime.date.today()
SCHEMA_PATH = "/api/v1/openapi.json"
# The user whose token a generated case carries, by the first part of the operation's path:
# the foreigners' authority for persons (residence), Caritas (case management) for cases,
# plans, referrals and gap reports, social office A for handovers.
TOKEN_FOR = {"persons": "abh", "handovers": "social_a"}
DEFAULT_TOKEN = "caritas"
BROKEN_CREDENTIALS = [None, "Bearer", "Bearer nonsense", "Bearer lotse_" + "A" * 43, "Basic YWxhZGRpbjpvcGVuc2VzYW1l",
                      "bearer lotse_\u00e4\u00f6\u00fc", "Bearer " + "x" * 5000]


def _objects(world) -> dict[str, int]:
    """Ids of existing objects, by the name of the path parameter they fill."""
    from lotse.api.tests.test_api_cases import build_case
    from lotse.consent.services import consent_record
    from lotse.core.scoping import personal_data_scope
    from lotse.handovers.models import ChecklistItem
    from lotse.handovers.tests.test_workflow import recognised_household
    from lotse.referrals.services import referral_send

    case = build_case(world)
    consent = consent_record(
        ctx=world.ctx("caritas"), person_id=case.person_id, categories=["identity", "counselling_notes"],
        purpose="benefits_administration", to_agency_id=world.agencies["jobcentre"].pk,
        from_agency_id=world.agencies["caritas"].pk, given_on=TODAY - datetime.timedelta(days=3),
        valid_until=TODAY + datetime.timedelta(days=300), method="signed_form", informed_language="de")
    referral = referral_send(ctx=world.ctx("caritas"), person_id=case.person_id,
                             to_agency_id=world.agencies["jobcentre"].pk, case_id=case.case_id,
                             purpose="benefits_administration", categories=["identity"], message="Bitte übernehmen")
    handover = recognised_household(world)
    with personal_data_scope():
        item = ChecklistItem.objects.filter(handover=handover).order_by("pk").first()
    return {"person_id": case.person_id, "case_id": case.case_id, "task_id": case.task_id, "goal_id": case.goal_id,
            "step_id": case.step_id, "consent_id": consent.pk, "referral_id": referral.pk,
            "handover_id": handover.pk, "item_id": item.pk}


def _token_user(operation) -> str:
    first = operation.path.removeprefix("/api/v1/").split("/")[0]
    return TOKEN_FOR.get(first, DEFAULT_TOKEN)


def _checks():
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
            response_schema_conformance]


class _Run:
    """Counts and findings of one schemathesis run."""

    def __init__(self):
        self.cases = 0
        self.server_errors: list[str] = []
        self.violations: dict[tuple, list[str]] = {}  # (operation, check, status) → examples
        self.not_refused: list[str] = []
        self.statuses: dict[int, int] = {}

    def note(self, case, response, mode) -> None:
        self.cases += 1
        key = (mode.value, response.status_code)
        self.statuses[key] = self.statuses.get(key, 0) + 1


def _failure_text(exc) -> str:
    failures = getattr(exc, "exceptions", None) or [exc]
    return "; ".join(f"{type(f).__name__}: {getattr(f, 'title', '')} {str(getattr(f, 'message', f))[:300]}"
                     for f in failures)


def _run_operation(operation, mode, *, examples: int, headers: dict, path_parameters: dict | None, run: _Run,
                   authenticated: bool) -> None:
    import hypothesis
    from hypothesis import HealthCheck, Phase
    from hypothesis import strategies as st
    from schemathesis.core.failures import Failure, FailureGroup

    strategies = [operation.as_strategy(generation_mode=mode)]
    if path_parameters:
        strategies.append(operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    checks = _checks()

    @hypothesis.settings(max_examples=examples, derandomize=True, database=None, deadline=None,
                         phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
                         print_blob=False)
    @hypothesis.given(case=st.one_of(strategies))
    def test(case):
        label = f"{operation.label} [{mode.value}{'' if authenticated else ', no credentials'}]"
        try:
            response = case.call(headers=headers)
        except Exception as exc:  # noqa: BLE001 — the app raised: a server error
            run.cases += 1
            run.server_errors.append(f"{label}: {type(exc).__name__}: {exc}"[:600])
            return
        run.note(case, response, mode)
        where = f"{label}: {case.method} {case.formatted_path} → {response.status_code}"
        if response.status_code >= 500:
            run.server_errors.append(f"{where}: {response.text[:300]}")
        if not authenticated and response.status_code not in (401, 403):
            run.not_refused.append(where)
        try:
            case.validate_response(response, checks=checks)
        except (FailureGroup, Failure, AssertionError) as exc:
            if response.status_code < 500:
                for failure in getattr(exc, "exceptions", None) or [exc]:
                    title = getattr(failure, "title", type(failure).__name__)
                    run.violations.setdefault((operation.label, title, response.status_code), []).append(
                        " ".join(f"{where}: {_failure_text(failure)}".split())[:600])

    test()


@pytest.fixture
def wsgi_app():
    """The project's WSGI application (`lotse.config.wsgi` without its printing warm-up thread),
    called in-process. As Django's test client does, the request signals do not close the
    database connection, which holds the test's transaction."""
    from django.core.handlers.wsgi import WSGIHandler

    quiet = logging.getLogger("django.request")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # thousands of 4xx on purpose
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
        quiet.setLevel(level)


def test_schemathesis_against_every_api_operation(api_world, wsgi_app):
    import schemathesis
    from schemathesis import GenerationMode

    objects = _objects(api_world)
    schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 40, "the OpenAPI document lost operations"
    examples = reliability_scale(quick=5, full=120)
    unauthenticated = reliability_scale(quick=1, full=10)  # per kind of broken credentials
    started = time.monotonic()
    with_token, without = _Run(), _Run()
    for operation in operations:
        params = {p.name: objects[p.name] for p in operation.path_parameters if p.name in objects}
        token = api_world.tokens[_token_user(operation)]
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _run_operation(operation, mode, examples=examples, headers={"Authorization": f"Bearer {token}"},
                           path_parameters=params, run=with_token, authenticated=True)
        for index, credentials in enumerate(BROKEN_CREDENTIALS):
            headers = {"Authorization": credentials} if credentials else {}
            mode = GenerationMode.POSITIVE if index % 2 == 0 else GenerationMode.NEGATIVE
            _run_operation(operation, mode, examples=unauthenticated, headers=headers, path_parameters=params,
                           run=without, authenticated=False)
    elapsed = time.monotonic() - started
    cases = with_token.cases + without.cases
    server_errors = with_token.server_errors + without.server_errors
    violations = {**with_token.violations}
    for key, examples in without.violations.items():
        violations.setdefault(key, []).extend(examples)
    print(f"[reliability] schemathesis: operations {len(operations)}, cases {cases}, "
          f"server errors {len(server_errors)}, schema violations {sum(map(len, violations.values()))}")
    print(f"[reliability] schemathesis without credentials: cases {without.cases}, answered 401/403: "
          f"{without.cases - len(without.not_refused)}; with a token: cases {with_token.cases}, (mode, status): "
          f"{dict(sorted(with_token.statuses.items()))}; {elapsed:.0f} s")
    # One line per operation, check and status (with the number of cases and one example).
    grouped = [f"{operation} — {title} (status {status}), {len(examples)} cases, e.g. {examples[0]}"
               for (operation, title, status), examples in sorted(violations.items())]
    problems = server_errors + grouped + [f"not refused without credentials: {w}" for w in without.not_refused]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(dict.fromkeys(problems))


def test_a_gap_report_states_its_date_in_the_format_the_document_declares(api_world):
    """Found by the schemathesis run: `GapReportOut.reported_on` is declared `date-time`, but the
    report has a date (a `DateField`), which went out as a date-time without an offset
    ("2026-12-05T00:00:00"), which RFC 3339 (and so OpenAPI's `date-time`) does not allow."""
    import json
    import re

    from django.test import Client

    document = Client().get(SCHEMA_PATH).json()
    declared = document["components"]["schemas"]["GapReportOut"]["properties"]["reported_on"]
    body = {"municipality_id": api_world.town_a.pk, "life_area": "language", "kind": "missing_offer",
            "title": "Sprachkurs mit Kinderbetreuung fehlt", "description": "Wartezeit über acht Wochen."}
    response = api_world.client("caritas").post("/api/v1/gap-reports", data=json.dumps(body),
                                                content_type="application/json")
    assert response.status_code == 201, response.content
    value = response.json()["reported_on"]
    if declared.get("format") == "date":
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), value
    else:
        assert declared.get("format") == "date-time"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", value), value


def test_malformed_input_gets_a_status_the_document_declares(api_world):
    """Found by the schemathesis run: malformed input answers 422 (django-ninja's validation
    error, as the API's description says), but no operation declares 422 in the OpenAPI
    document, so a generated client does not expect it. Every operation, with a valid token,
    a path id that is not a number and a body that is not an object."""
    import re

    from django.test import Client

    document = Client().get(SCHEMA_PATH).json()
    client = api_world.client("caritas")
    undeclared = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            url = re.sub(r"\{[^}]+\}", "not-a-number", path)
            response = client.generic(method.upper(), url, "[]", content_type="application/json")
            if str(response.status_code) not in operation["responses"]:
                undeclared.append(f"{method.upper()} {path}: {response.status_code} "
                                  f"(declared: {', '.join(operation['responses'])})")
    assert not undeclared, "\n".join(undeclared)
