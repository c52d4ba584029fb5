"""Faults (issue 9, point 5).

1. A database error at every statement of the main write paths — recording and revoking a
   consent, a recorded status opening a handover, working its checklist, planning and inviting
   eAT appointments, sending and answering a referral (and a plain read, for comparison): the
   service raises, nothing is half-written, the access log neither shows a write that did not
   happen nor misses a check read that returned data, and the chain verifies (`faults.py`).
   The full run adds opening a file, cancelling a handover and an appointment, the person's
   confirmation, the invitation e-mail task and withdrawing a referral.
2. The access log cannot be written: the access is denied and no personal data is sent, on a
   staff page and in the API. (The service level is proven by
   `access/tests/test_spine.py::test_access_is_denied_when_the_log_cannot_be_written`.)
3. PostgreSQL: the connection is killed while a request is in its view; that request fails
   without data, the next one on the same worker succeeds (CONN_HEALTH_CHECKS).
"""

import datetime
import json

import pytest

from lotse.core.testing import add_benefits, open_case, register_person, reliability_scale
from lotse.core.tests.faults import WritePath, run_faults
from lotse.core.vocabulary import DataCategory as C
from lotse.core.vocabulary import Purpose as P

pytestmark = pytest.mark.reliability

TODAY = datetime.date.today()
D = datetime.date
RECOGNISED_ON = D(2026, 3, 10)  # see handovers/tests/test_workflow.py: a handover from 1.4.
CANARY_FAMILY = "Kanarienvogel-Fault"


# --- the write paths ---------------------------------------------------------------------------

def _consent(world, pid, *, by="social_a", to="jobcentre", categories=(C.IDENTITY, C.BENEFITS),
             purpose=P.BENEFITS_HANDOVER, ctx=None):
    from lotse.consent.services import consent_record

    return consent_record(
        ctx=ctx or world.ctx(by), person_id=pid, categories=list(categories), purpose=purpose,
        to_agency_id=world.agencies[to].pk, from_agency_id=world.agencies[by].pk,
        given_on=TODAY, valid_until=None, method="signed_form", informed_language="ar")


def path_consent_record(world) -> WritePath:
    pid = register_person(world, family_name=CANARY_FAMILY)
    add_benefits(world, pid)
    ctx = world.ctx("social_a")
    return WritePath("consent.record", lambda: _consent(world, pid, ctx=ctx), frozenset({"consent.record"}))


def path_consent_revoke(world) -> WritePath:
    from lotse.consent.services import consent_revoke

    pid = register_person(world, family_name=CANARY_FAMILY)
    add_benefits(world, pid)
    consent = _consent(world, pid)
    ctx = world.ctx("social_a")
    return WritePath("consent.revoke", lambda: consent_revoke(ctx=ctx, consent_id=consent.pk, note="by phone"),
                     frozenset({"consent.revoke"}))


def _asylblg_household(world) -> int:
    from lotse.core.scoping import personal_data_scope
    from lotse.people.models import PersonAgencyLink
    from lotse.people.services import household_assign

    pid = register_person(world, given_names="Rami", family_name=CANARY_FAMILY, email="rami@example.org")
    add_benefits(world, pid)
    partner = register_person(world, given_names="Huda", family_name=CANARY_FAMILY)
    household_assign(ctx=world.ctx("social_a"), person_id=partner, role="partner", with_person_id=pid)
    add_benefits(world, partner)
    with personal_data_scope():
        PersonAgencyLink.objects.get_or_create(person_id=pid, agency=world.agencies["abh"])
    return pid


def _record_recognition(world, pid):
    from lotse.people.services import residence_status_add
    from lotse.rules.models import ResidenceKind

    kind = ResidenceKind.objects.in_force(RECOGNISED_ON).get(code="p25-2-gfk")
    return residence_status_add(ctx=world.ctx("abh"), person_id=pid, kind_id=kind.pk, document="eat",
                                valid_from=RECOGNISED_ON)


def path_handover_open(world) -> WritePath:
    """Recording the recognition opens the handover for the household (same transaction)."""
    pid = _asylblg_household(world)
    return WritePath("handover.open (residence recorded)", lambda: _record_recognition(world, pid),
                     frozenset({"residence.write"}))


def path_checklist_item(world) -> WritePath:
    from lotse.core.scoping import personal_data_scope
    from lotse.handovers.models import ChecklistItem, Handover
    from lotse.handovers.services import checklist_item_update

    pid = _asylblg_household(world)
    _record_recognition(world, pid)
    with personal_data_scope():
        item = ChecklistItem.objects.get(handover=Handover.objects.get(person_id=pid), key="application")
    ctx = world.ctx("jobcentre", today=D(2026, 4, 21))
    return WritePath("handover.checklist_item", lambda: checklist_item_update(
        ctx=ctx, item_id=item.pk, done=True, value_date=D(2026, 4, 20)), frozenset({"handover.item_update"}))


def _titled_household(world):
    from lotse.appointments.tests.factories import configure, household, person_with_title

    configure(world)
    home = household(world)
    expires = TODAY + datetime.timedelta(weeks=8)
    head = person_with_title(world, expires_on=expires, family=CANARY_FAMILY, email="amina@example.org",
                             household=home, role="head")
    person_with_title(world, expires_on=expires, given="Omar", family=CANARY_FAMILY, household=home,
                      role="partner")
    return head


def path_plan(world) -> WritePath:
    from lotse.appointments.planning import plan_appointments
    from lotse.appointments.tasks import agency_context

    _titled_household(world)
    abh = world.agencies["abh"]
    ctx = agency_context(abh)
    return WritePath("appointment.plan", lambda: plan_appointments(ctx, agency=abh),
                     journal=frozenset({"appointments_assignmentrun"}))


def path_invite(world) -> WritePath:
    from lotse.appointments.planning import plan_appointments
    from lotse.appointments.services import appointment_invite
    from lotse.appointments.tasks import agency_context
    from lotse.appointments.tests.factories import appointment_of

    head = _titled_household(world)
    plan_appointments(agency_context(world.agencies["abh"]), agency=world.agencies["abh"])
    appointment = appointment_of(head)
    ctx = world.ctx("abh")
    return WritePath("appointment.invite", lambda: appointment_invite(ctx=ctx, appointment_id=appointment.pk))


def _case_with_consent(world):
    pid = register_person(world, family_name=CANARY_FAMILY, email="amina@example.org")
    case = open_case(world, pid)
    _consent(world, pid, by="caritas", categories=(C.IDENTITY, C.CONTACT), purpose=P.BENEFITS_ADMINISTRATION)
    return case


def _send(world, case, ctx=None):
    from lotse.referrals.services import referral_send

    return referral_send(ctx=ctx or world.ctx("caritas"), person_id=case.person_id,
                         to_agency_id=world.agencies["jobcentre"].pk, case_id=case.pk, purpose=None,
                         categories=[C.IDENTITY, C.CONTACT], message="Sucht Arbeit als Elektriker.")


def path_referral_send(world) -> WritePath:
    case = _case_with_consent(world)
    ctx = world.ctx("caritas")
    return WritePath("referral.send", lambda: _send(world, case, ctx), frozenset({"referral.send"}))


def path_referral_accept(world) -> WritePath:
    from lotse.referrals.services import referral_accept

    referral = _send(world, _case_with_consent(world))
    ctx = world.ctx("jobcentre")
    return WritePath("referral.accept", lambda: referral_accept(ctx=ctx, referral_id=referral.pk),
                     frozenset({"person.link"}))


def path_referral_decline(world) -> WritePath:
    from lotse.referrals.services import referral_decline

    referral = _send(world, _case_with_consent(world))
    ctx = world.ctx("jobcentre")
    return WritePath("referral.decline", lambda: referral_decline(
        ctx=ctx, referral_id=referral.pk, reason="Keine Kapazität in diesem Monat."))


def path_read(world) -> WritePath:
    """A plain read: the log row and the data go together."""
    from lotse.access.spine import access_person

    pid = register_person(world, family_name=CANARY_FAMILY)
    add_benefits(world, pid)
    ctx = world.ctx("social_a")
    return WritePath("person.read", lambda: access_person(ctx, pid, P.BENEFITS_ADMINISTRATION),
                     frozenset({"person.read"}), writes=False)


# More of the same in the full run (`make test-reliability`).

def path_file_open(world) -> WritePath:
    from lotse.people.services import person_link_agency

    pid = register_person(world, family_name=CANARY_FAMILY)
    _consent(world, pid, categories=(C.IDENTITY,), purpose=P.BENEFITS_ADMINISTRATION)
    ctx = world.ctx("jobcentre")
    return WritePath("person.file_open", lambda: person_link_agency(ctx=ctx, person_id=pid),
                     frozenset({"person.link"}))


def path_handover_cancel(world) -> WritePath:
    from lotse.core.scoping import personal_data_scope
    from lotse.handovers.models import Handover
    from lotse.handovers.services import handover_cancel

    pid = _asylblg_household(world)
    _record_recognition(world, pid)
    with personal_data_scope():
        handover = Handover.objects.get(person_id=pid)
    ctx = world.ctx("social_a")
    return WritePath("handover.cancel", lambda: handover_cancel(
        ctx=ctx, handover_id=handover.pk, reason="Die Familie ist weggezogen."), frozenset({"handover.cancel"}))


def _invited(world):
    from lotse.appointments.planning import plan_appointments
    from lotse.appointments.services import appointment_invite
    from lotse.appointments.tasks import agency_context
    from lotse.appointments.tests.factories import appointment_of

    head = _titled_household(world)
    plan_appointments(agency_context(world.agencies["abh"]), agency=world.agencies["abh"])
    appointment = appointment_of(head)
    appointment_invite(ctx=world.ctx("abh"), appointment_id=appointment.pk)
    return appointment_of(head)


def path_appointment_cancel(world) -> WritePath:
    from lotse.appointments.services import appointment_cancel

    appointment = _invited(world)
    ctx = world.ctx("abh")
    return WritePath("appointment.cancel", lambda: appointment_cancel(ctx=ctx, appointment_id=appointment.pk))


def path_public_confirm(world) -> WritePath:
    from lotse.appointments.services import public_confirm

    appointment = _invited(world)
    return WritePath("appointment.confirm (personal link)", lambda: public_confirm(appointment))


def path_send_invitation(world) -> WritePath:
    """The e-mail with the letter: reads through the spine (logged), then marks it sent. The
    mark is the task's own bookkeeping (no personal data, no log row)."""
    from lotse.appointments.tasks import send_invitation_task

    appointment = _invited(world)
    return WritePath("appointment.send_invitation",
                     lambda: send_invitation_task.call(appointment.pk, "http://127.0.0.1:8000"),
                     frozenset({"appointment.read", "appointment.letter", "appointment.email"}), writes=False,
                     journal=frozenset({"appointments_appointment"}))


def path_referral_withdraw(world) -> WritePath:
    from lotse.referrals.services import referral_withdraw

    referral = _send(world, _case_with_consent(world))
    ctx = world.ctx("caritas")
    return WritePath("referral.withdraw", lambda: referral_withdraw(ctx=ctx, referral_id=referral.pk))


PATHS = (path_consent_record, path_consent_revoke, path_handover_open, path_checklist_item, path_plan,
         path_invite, path_referral_send, path_referral_accept, path_referral_decline, path_read)
MORE_PATHS = (path_file_open, path_handover_cancel, path_appointment_cancel, path_public_confirm,
              path_send_invitation, path_referral_withdraw)


@pytest.mark.django_db
def test_a_database_error_at_any_statement_leaves_nothing_half_written(world):
    from django.db import transaction

    paths = PATHS + (MORE_PATHS if reliability_scale(quick=0, full=1) else ())
    outcomes = []
    for make in paths:
        with transaction.atomic():  # each path on the bare world, every statement of it
            outcomes.append(run_faults(make(world)))
            transaction.set_rollback(True)
    positions = sum(o.positions for o in outcomes)
    partial = sum(o.partial_writes for o in outcomes)
    mismatches = sum(o.log_mismatches for o in outcomes)
    for o in outcomes:
        print(f"[reliability] faults in {o.name}: {o.statements} statements, {o.positions} positions, "
              f"partial writes {o.partial_writes}, log mismatches {o.log_mismatches}, "
              f"absorbed {o.absorbed}, raised {dict(o.raised)}")
    print(f"[reliability] fault positions: {positions}, partial writes: {partial}, log mismatches: {mismatches}")
    problems = [p for o in outcomes for p in o.problems]
    assert not problems, "\n".join(problems[:200])


@pytest.mark.django_db
def test_a_failed_acceptance_opens_no_file_on_the_person(world):
    """The answer to a referral fails after the receiving office's file was opened: the
    referral stays unanswered, so the office must hold no file either; otherwise it keeps
    seeing the person after the consent is revoked, through a file nobody decided to open."""
    from django.db import OperationalError, connection

    from lotse.access.spine import PersonNotFound, access_person
    from lotse.consent.models import Consent
    from lotse.consent.services import consent_revoke
    from lotse.core.scoping import personal_data_scope
    from lotse.people.models import PersonAgencyLink
    from lotse.referrals.models import Referral, ReferralStatus
    from lotse.referrals.services import referral_accept

    case = _case_with_consent(world)
    referral = _send(world, case)
    jobcentre = world.agencies["jobcentre"]

    def fail_the_answer(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith('UPDATE "REFERRALS_REFERRAL"'):
            raise OperationalError("injected fault: the referral's row cannot be written")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail_the_answer), pytest.raises(OperationalError):
        referral_accept(ctx=world.ctx("jobcentre"), referral_id=referral.pk)
    with personal_data_scope():
        assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT
        opened = PersonAgencyLink.objects.filter(person_id=case.person_id, agency=jobcentre).exists()
        consent = Consent.objects.get(person_id=case.person_id, to_agency=jobcentre)
    consent_revoke(ctx=world.ctx("caritas"), consent_id=consent.pk, note="withdrawn")
    try:
        access_person(world.ctx("jobcentre"), case.person_id, P.BENEFITS_ADMINISTRATION)
        still_visible = True
    except PersonNotFound:
        still_visible = False
    assert (opened, still_visible) == (False, False), (
        "a failed acceptance left the job centre a file on the person "
        f"(file opened: {opened}; visible after the consent was revoked: {still_visible})")


# --- the access log cannot be written -----------------------------------------------------------

@pytest.mark.django_db
def test_pages_and_the_api_refuse_access_when_the_access_log_cannot_be_written(world):
    """Fail closed where a user sees it: the person page, the search and the API answer an
    error without personal data, and nothing is logged as read. (The spine itself is proven by
    access/tests/test_spine.py::test_access_is_denied_when_the_log_cannot_be_written.)"""
    from unittest import mock

    from django.test import Client

    from lotse.api.services import api_token_create
    from lotse.audit.chain import AuditWriteError
    from lotse.audit.models import AccessEvent
    from lotse.web.tests.test_views import _client_for

    pid = register_person(world, given_names="Zainab", family_name=CANARY_FAMILY, email="canary-fault@example.org")
    add_benefits(world, pid)
    page = _client_for(world, "social_a")
    page.raise_request_exception = False
    _token, secret = api_token_create(user=world.users["social_a"], name="fault test")
    api = Client(headers={"Authorization": f"Bearer {secret}"}, raise_request_exception=False)
    search = {"name": CANARY_FAMILY}
    requests = ((page, f"/persons/{pid}/", None), (page, "/persons/", search),
                (api, f"/api/v1/persons/{pid}", None), (api, "/api/v1/persons/search", search))

    def send(client, url, data):
        if data is None:
            return client.get(url)
        if url.startswith("/api/"):
            return client.post(url, data=json.dumps(data), content_type="application/json")
        return client.post(url, data)

    logged = AccessEvent.objects.filter(person_id=pid).count()
    # The spine calls the name it imported from audit.chain: patch it there.
    with mock.patch("lotse.access.spine.append_events", side_effect=AuditWriteError("disk full")):
        for client, url, data in requests:
            response = send(client, url, data)
            body = response.content.decode(errors="replace")
            print(f"[reliability] access log unwritable: {'GET' if data is None else 'POST'} {url} "
                  f"-> {response.status_code}")
            assert CANARY_FAMILY not in body and "canary-fault@" not in body, url
            assert response.status_code == 403, url  # refused (staff pages: a page saying so)
    assert AccessEvent.objects.filter(person_id=pid).count() == logged
    # The same requests with a working log show the person: the refusal above was the log's.
    for client, url, data in requests:
        response = send(client, url, data)
        assert response.status_code == 200 and CANARY_FAMILY in response.content.decode(), url
    assert AccessEvent.objects.filter(person_id=pid, decision="allowed").count() > logged


# --- PostgreSQL: a connection killed mid-request -------------------------------------------------

def _wsgi_get(app, path: str, token: str) -> tuple[int, str]:
    """One request as a WSGI server makes it (request_started/finished fire, so Django closes
    an unusable connection), on this thread's database connection: a sync worker."""
    from django.test.client import RequestFactory

    environ = RequestFactory().get(path, HTTP_AUTHORIZATION=f"Bearer {token}").environ
    status = []
    response = app(environ, lambda s, headers, exc_info=None: status.append(s))
    try:
        body = b"".join(response).decode(errors="replace")
    finally:
        response.close()
    return int(status[0].split()[0]), body


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_connection_killed_mid_request_fails_that_request_only(world, settings):
    """The database connection of a worker is terminated while a request is in its view, after
    the read was logged and before it committed: that request fails without data and leaves
    no log row; the next request on the same worker gets a new connection and succeeds."""
    from unittest import mock

    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection, connections

    from lotse.access import spine
    from lotse.api.services import api_token_create
    from lotse.audit.models import AccessEvent
    from lotse.audit.verification import verify_chain

    assert connection.vendor == "postgresql"  # postgres_only: deselected elsewhere (conftest)
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"]
    pid = register_person(world, family_name=CANARY_FAMILY)
    _token, secret = api_token_create(user=world.users["social_a"], name="fault test")
    app = WSGIHandler()
    real_load = spine._load_records
    killed = []

    def kill_then_load(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            victim = cursor.fetchone()[0]
        worker = connections[connection.alias]
        killer = type(worker)(dict(worker.settings_dict), alias=worker.alias)  # a second connection
        try:
            with killer.cursor() as cursor:  # waits up to 5 s until the backend has gone
                cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [victim])
                killed.append(cursor.fetchone()[0])
        finally:
            killer.close()
        return real_load(*args, **kwargs)

    logged = AccessEvent.objects.filter(person_id=pid).count()
    allowed = AccessEvent.objects.filter(person_id=pid, decision="allowed").count()
    rounds = reliability_scale(quick=1, full=5)
    for _round in range(rounds):
        with mock.patch.object(spine, "_load_records", kill_then_load):
            status, body = _wsgi_get(app, f"/api/v1/persons/{pid}", secret)
        assert killed and killed[-1] is True, f"the request never reached the read: {status} {body[:300]}"
        assert status >= 500 and CANARY_FAMILY not in body
        assert AccessEvent.objects.filter(person_id=pid).count() == logged  # the read died uncommitted
        status, body = _wsgi_get(app, f"/api/v1/persons/{pid}", secret)
        assert status == 200 and CANARY_FAMILY in body
        assert AccessEvent.objects.filter(person_id=pid, decision="allowed").count() == allowed + 1
        logged, allowed = AccessEvent.objects.filter(person_id=pid).count(), allowed + 1
    assert verify_chain(require_checkpoints=False).ok
    print(f"[reliability] connections killed mid-request: {rounds}, next request failed: 0")
