"""A person with a distinct canary string in every free-text field of every personal model and
in uploaded files; all start events on EVENT, so moving `today` past a rule's period must erase
exactly the models of that data kind."""

import datetime
import re

from django.core.files.base import ContentFile
from django.db import connection
from django.db.models import JSONField
from django.utils import timezone

from lotse.access.overrides import access_override_grant
from lotse.access.spine import access_person
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import World, register_person
from lotse.core.vocabulary import DataCategory, Purpose
from lotse.organisations.models import StaffUser
from lotse.retention.registry import ENTRIES

EVENT = datetime.date(2025, 1, 15)
EVENT_AT = timezone.make_aware(datetime.datetime(2025, 1, 15, 10, 0))
PATTERN = re.compile(r"Kq\d\dZx9W")


def canary_for(label: str) -> str:
    index = [e.model_label for e in ENTRIES].index(label)
    return f"Kq{index:02d}Zx9W"


def _text_fields(model):
    for f in model._meta.concrete_fields:
        if f.is_relation or f.primary_key:
            continue
        kind = f.get_internal_type()
        if kind in ("CharField", "TextField") and not f.choices:
            yield f, "text"
        elif isinstance(f, JSONField):
            yield f, "json"


def _fill(model, label: str, given: dict) -> dict:
    canary = canary_for(label)
    values = dict(given)
    for f, kind in _text_fields(model):
        if f.name in values or f.attname in values:
            continue
        if kind == "json":
            values[f.name] = [canary]
        elif f.max_length is None or f.max_length >= len(canary):
            values[f.name] = canary
    for f in model._meta.concrete_fields:
        if f.choices and f.name not in values and not f.has_default():
            values[f.name] = f.choices[0][0]
    return values


def make(label: str, model, **given):
    return model._default_manager.create(**_fill(model, label, given))


def pdf(label: str) -> ContentFile:
    return ContentFile(b"%PDF-1.4\n% " + canary_for(label).encode() + b"\n%%EOF\n",
                       name=f"scan-{canary_for(label)}.pdf")


def set_files_closed(person_id: int, until: datetime.date | None) -> None:
    """Close (or reopen) every agency file on the person."""
    from lotse.people.models import PersonAgencyLink

    with personal_data_scope():
        PersonAgencyLink.objects.filter(person_id=person_id).update(until=until)


def build(world: World) -> dict:
    """Returns the ids: person, staff user, override."""
    from lotse.appointments.models import (
        Appointment,
        AppointmentMember,
        AppointmentProposal,
        Office,
    )
    from lotse.cases.models import (
        Case,
        CaseAssignment,
        CaseDocument,
        CaseNote,
        CaseTask,
    )
    from lotse.conferences.models import CaseConference, ConferenceDecision
    from lotse.consent.models import Consent
    from lotse.handovers.models import ChecklistItem, Handover, HandoverMember
    from lotse.intake.models import Intake, IntakeAnswer, Questionnaire
    from lotse.people.models import (
        BenefitsRegime,
        Household,
        Person,
        PersonAgencyLink,
        PersonNameKey,
        ResidenceStatus,
    )
    from lotse.plans.models import IntegrationPlan, PlanGoal, PlanStep
    from lotse.referrals.models import Referral
    from lotse.retention.models import LegalHold
    from lotse.rules.models import RegimeChangeRule, ResidenceKind

    pid = register_person(world, "social_a")
    caritas, abh, social = (world.agencies[k] for k in ("caritas", "abh", "social_a"))
    worker = world.users["caritas"]
    teamlead = world.ctx("teamlead")
    override = access_override_grant(
        ctx=teamlead, person_id=pid, categories=[DataCategory.IDENTITY],
        purpose=Purpose.CASE_MANAGEMENT,
        reason=f"Notfall {canary_for('access.AccessOverride')}: Person in der Beratung")
    access_person(teamlead, pid, Purpose.CASE_MANAGEMENT, categories=[DataCategory.IDENTITY])
    with personal_data_scope():
        from lotse.access.models import AccessOverride

        AccessOverride.objects.filter(pk=override.pk).update(expires_at=EVENT_AT)
        household = make("people.Household", Household, district=world.district)
        person_values = _fill(Person, "people.Person", {"household": household})
        person_values["email"] = f"{canary_for('people.Person')}@example.org"
        Person._plain.filter(pk=pid).update(**person_values)
        person = Person.objects.get(pk=pid)
        make("people.PersonNameKey", PersonNameKey, person=person, district_id=person.district_id)
        for agency in (caritas, abh):
            PersonAgencyLink.objects.get_or_create(person=person, agency=agency)
        PersonAgencyLink._plain.filter(person=person).update(
            file_number=canary_for("people.PersonAgencyLink"), until=EVENT)
        status = make("people.ResidenceStatus", ResidenceStatus, person=person, owning_agency=abh,
                      kind=ResidenceKind.objects.order_by("pk").first(),
                      valid_from=datetime.date(2023, 1, 1))
        make("people.BenefitsRegime", BenefitsRegime, person=person, responsible_agency=social,
             valid_from=datetime.date(2023, 1, 1))
        case = make("cases.Case", Case, district=world.district, person=person,
                    owning_agency=caritas, case_manager=worker, opened_on=datetime.date(2023, 1, 1),
                    closed_on=EVENT, phase="closed")
        make("cases.CaseAssignment", CaseAssignment, case=case, case_manager=worker, assigned_by=worker)
        make("cases.CaseNote", CaseNote, case=case, author=worker)
        make("cases.CaseDocument", CaseDocument, case=case, uploaded_by=worker,
             file=pdf("cases.CaseDocument"), content_type="application/pdf", size=30)
        make("cases.CaseTask", CaseTask, case=case, created_by=worker, due_on=EVENT)
        intake = make("intake.Intake", Intake, case=case, taken_by=worker, taken_on=EVENT,
                      questionnaire=Questionnaire.objects.order_by("pk").first(),
                      answers={"goals": canary_for("intake.Intake")})
        make("intake.IntakeAnswer", IntakeAnswer, intake=intake)
        plan = make("plans.IntegrationPlan", IntegrationPlan, case=case)
        goal = make("plans.PlanGoal", PlanGoal, plan=plan)
        step = make("plans.PlanStep", PlanStep, goal=goal)
        conference = make("conferences.CaseConference", CaseConference, case=case,
                          organiser=worker, held_on=EVENT)
        make("conferences.ConferenceDecision", ConferenceDecision, conference=conference,
             plan_step=step)
        make("referrals.Referral", Referral, district=world.district, person=person, case=case,
             from_agency=caritas, from_user=worker, to_agency=world.agencies["jobcentre"],
             purpose=Purpose.CASE_MANAGEMENT, categories_mask=1, status="done",
             answered_at=EVENT_AT, done_at=EVENT_AT)
        handover = make("handovers.Handover", Handover, district=world.district, person=person,
                        household=household, rule=RegimeChangeRule.objects.order_by("pk").first(),
                        trigger_status=status, trigger_on=EVENT, from_agency=social,
                        to_agency=world.agencies["jobcentre"], old_regime_ends_on=EVENT,
                        new_regime_starts_on=EVENT, application_due_on=EVENT,
                        status="completed", closed_at=EVENT_AT)
        make("handovers.HandoverMember", HandoverMember, handover=handover, person=person)
        make("handovers.ChecklistItem", ChecklistItem, handover=handover, owner_agency=social,
             due_on=EVENT)
        office = Office.objects.create(agency=abh, name="ABH", municipality=world.town_a,
                                       street="Markt 1", postal_code="52349", city="Düren")
        proposal = make("appointments.AppointmentProposal", AppointmentProposal, person=person,
                        owning_agency=abh, residence_status=status, earliest_on=EVENT,
                        latest_on=EVENT)
        appointment = make("appointments.Appointment", Appointment, owning_agency=abh,
                           office=office, counter=1, starts_at=EVENT_AT, ends_at=EVENT_AT)
        make("appointments.AppointmentMember", AppointmentMember, appointment=appointment,
             proposal=proposal, person=person, starts_at=EVENT_AT, ends_at=EVENT_AT)
        make("consent.Consent", Consent, person=person, categories_mask=1,
             purpose=Purpose.CASE_MANAGEMENT, given_on=datetime.date(2023, 1, 1),
             valid_from=datetime.date(2023, 1, 1), informed_language="de",
             recorded_by=worker, recorded_by_agency=caritas, revoked_at=EVENT_AT,
             revoked_by=worker, evidence=pdf("consent.Consent"))
        make("retention.LegalHold", LegalHold, person=person, set_by=world.users["dpo"],
             lifted_at=EVENT_AT)
    staff = StaffUser.objects.create_user(
        username=f"staff-{canary_for('organisations.StaffUser')}", password="x-Pass-123456",
        agency=caritas, first_name=canary_for("organisations.StaffUser"),
        last_name=canary_for("organisations.StaffUser"),
        email=f"{canary_for('organisations.StaffUser')}@example.org", is_active=False)
    StaffUser.objects.filter(pk=staff.pk).update(last_login=EVENT_AT, date_joined=EVENT_AT)
    _build_records_of_no_one(world, worker)
    return {"person": pid, "staff": staff.pk, "override": override.pk}


def _build_records_of_no_one(world: World, worker) -> None:
    """Reports of runs, task results and login records, all from EVENT."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_tasks_db.models import DBTaskResult

    from lotse.appointments.models import AssignmentRun, DailySchedule, PermitImport
    from lotse.core.models import TaskProgress
    from lotse.handovers.models import BulkChangeRun
    from lotse.rules.models import RegimeChangeRule

    abh = world.agencies["abh"]
    rows = [
        make("appointments.PermitImport", PermitImport, agency=abh, imported_by=worker),
        make("appointments.AssignmentRun", AssignmentRun, agency=abh, started_by=worker),
        make("handovers.BulkChangeRun", BulkChangeRun, district=world.district, on=EVENT,
             rule=RegimeChangeRule.objects.order_by("pk").first(), started_by=worker,
             status="finished"),
        make("core.TaskProgress", TaskProgress, owner=worker, state="done"),
        make("django_tasks_database.DBTaskResult", DBTaskResult, status="SUCCESSFUL",
             run_after=EVENT_AT, queue_name="default", backend_name="default"),
    ]
    for label, model in (("axes.AccessAttempt", AccessAttempt), ("axes.AccessLog", AccessLog),
                         ("axes.AccessFailureLog", AccessFailureLog)):
        extra = {"failures_since_start": 1} if model is AccessAttempt else {}
        rows.append(make(label, model, ip_address="192.0.2.7", **extra))
    for row in rows:
        entry = [e for e in ENTRIES if e.model_label == row._meta.label][0]
        type(row)._base_manager.filter(pk=row.pk).update(**{entry.age_field: EVENT_AT})
    DailySchedule.objects.update_or_create(agency=abh, defaults={
        "run_key": "", "last_run_at": EVENT_AT,
        "last_report": {"note": canary_for("appointments.DailySchedule")}})


def impersonal_canaries() -> set[str]:
    """The canaries of records of no one person (staff accounts, reports, task results,
    logins): the sweep erases them by their own rules, whatever a person's hold says."""
    return {canary_for(e.model_label) for e in ENTRIES
            if e.person_path is None and has_canary(e.model)}


def found_in_database() -> set[str]:
    """Every canary in any column of any table (generic: all tables, all rows, as text)."""
    found: set[str] = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("latin-1")
                    found.update(PATTERN.findall(str(value)))
    return found


def found_in_media(root) -> set[str]:
    found: set[str] = set()
    for path in root.rglob("*"):
        found.update(PATTERN.findall(str(path)))
        if path.is_file():
            found.update(PATTERN.findall(path.read_bytes().decode("latin-1")))
    return found


def has_canary(model) -> bool:
    return any(True for _ in _text_fields(model))


def models_left(person_id: int) -> set[str]:
    """Registry models with rows of the person (for the models without free text)."""
    left = set()
    with personal_data_scope():
        for entry in ENTRIES:
            if entry.person_path and entry.model._default_manager.filter(
                    **{entry.person_path: person_id}).exists():
                left.add(entry.model_label)
    return left
