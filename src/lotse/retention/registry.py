"""The retention registry: every model holding personal data, its data kind (Datenart in the
sense of DIN 66398), the event from which its period runs, how it is erased and what the
person's data export (Art. 15 GDPR) shows of it.

The period comes from the dated `RetentionRule` in force for the kind (data, not code). The
same registry builds the record of processing activities (Art. 30 GDPR, `processing_record`)
and the export (`subject_export`); a meta-test fails when a personal model is missing here.

Start functions get the record and the person's `PersonState` and return the date from which
the period runs, or None while it has not started (case open, consent valid …).

Each entry the sweep erases by its own start event also has a `due` condition: the same start
event in SQL, so that the sweep visits only the persons who can have anything expired (see
`sweep.candidate_persons`). `due(cutoff, files)` is a condition on the entry's model that holds
for every record whose start event lies on or before `cutoff` — it may hold for more (the
sweep still decides each record exactly with `start`), never for fewer. `files` is the
queryset of agency files (`PersonAgencyLink`), handed in by the sweep.
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lotse.core.vocabulary import DataCategory as C


class Action(StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"
    KEEP = "keep"  # declared, kept whole (the access log); see docs/retention.md


@dataclass(frozen=True)
class DataKind:
    """One Datenart: same purpose, same legal basis, same group of persons, one rule."""

    code: str
    label: Promise
    purpose: Promise
    legal_basis: Promise
    persons: Promise
    recipients: Promise
    categories: tuple[str, ...]
    action: Action


@dataclass
class PersonState:
    """What start events need to know about one person, read once per person by the sweep."""

    person_id: int
    today: datetime.date
    # agency id -> date its file was closed (None: still open)
    files: dict[int, datetime.date | None] = field(default_factory=dict)
    fallback_date: datetime.date | None = None  # the person's last change (no file at all)
    proposals_by_status: set[int] = field(default_factory=set)  # residence statuses in use

    @property
    def all_files_closed_on(self) -> datetime.date | None:
        if not self.files:
            return self.fallback_date
        if any(until is None for until in self.files.values()):
            return None
        return max(self.files.values())

    def file_closed_on(self, agency_id: int) -> datetime.date | None:
        return self.files.get(agency_id)


def _date(value) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value)
    return value


@dataclass(frozen=True)
class Entry:
    model_label: str
    kind: str
    # ORM path from the model to the person's id; None: not a record of a person (staff).
    person_path: str | None
    start: Callable[[object, PersonState], datetime.date | None] | None = None
    # The start event in SQL: (cutoff, agency files) -> a condition on the model (see above).
    due: Callable[[datetime.date, object], Q] | None = None
    # Erased together with the record of another entry (cascade), sharing its start event.
    erased_with: str | None = None
    files: tuple[str, ...] = ()
    # Fields left out of the export, each with the reason (secrets, not data about the person).
    export_exclude: Mapping[str, str] = field(default_factory=dict)
    # The name in the Art. 30 record where the model has no translated verbose name.
    record_label: Promise | None = None
    # Records of no one person (reports of runs, task results, login records): the period runs
    # from this timestamp and the sweep deletes the rows older than it — or, with
    # `clear_fields`, empties those fields and keeps the row (a schedule's settings).
    age_field: str | None = None
    age_exclude: Mapping[str, object] = field(default_factory=dict)  # rows still in use
    clear_fields: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return str(self.record_label or self.model._meta.verbose_name)

    @property
    def model(self):
        return apps.get_model(self.model_label)

    @property
    def export_fields(self) -> list[str]:
        return [f.attname for f in self.model._meta.concrete_fields
                if f.name not in self.export_exclude]


# --- data kinds ------------------------------------------------------------------------

_CLIENTS = _("Newcomers and their household members known to the integration network")
_NETWORK = _("Agencies of the district's integration network, only by access rule or consent")

KINDS: dict[str, DataKind] = {k.code: k for k in [
    DataKind("master_data", _("Person master data"),
             _("Identify the person across the agencies and keep their files apart"),
             _("Art. 6(1)(c), (e) GDPR with the agencies' specialist laws (SGB II/XII, AsylbLG, AufenthG)"),
             _CLIENTS, _NETWORK, (C.IDENTITY, C.CONTACT, C.HOUSEHOLD), Action.DELETE),
    DataKind("residence_snapshot", _("Residence status"),
             _("Coordinate residence-related deadlines and benefits"),
             _("Art. 6(1)(e) GDPR; §§ 86, 90 AufenthG"),
             _CLIENTS, _("Social offices of the person's municipality (access rule)"),
             (C.RESIDENCE,), Action.DELETE),
    DataKind("benefits_record", _("Benefits regime"),
             _("Know which office is responsible for which benefits"),
             _("Art. 6(1)(e) GDPR; § 67b SGB X; § 9 AsylbLG"),
             _CLIENTS, _NETWORK, (C.BENEFITS,), Action.DELETE),
    DataKind("case_file", _("Case file"),
             _("Case management: intake, integration plan, tasks, conferences and documents"),
             _("Art. 6(1)(a), (e) GDPR; Art. 9(2)(a) GDPR for health data; § 67b SGB X"),
             _CLIENTS, _("The case's agency; others by consent (referrals, conferences)"),
             (C.IDENTITY, C.QUALIFICATIONS, C.COUNSELLING_NOTES, C.HEALTH), Action.DELETE),
    DataKind("counselling_notes", _("Counselling notes"),
             _("Document counselling for the person's follow-up"),
             _("Art. 6(1)(a), (e) GDPR; Art. 9(2)(a), (h) GDPR; § 203 StGB"),
             _CLIENTS, _("None outside the writing agency"),
             (C.COUNSELLING_NOTES, C.HEALTH), Action.DELETE),
    DataKind("consent_proof", _("Consents and their proof"),
             _("Prove consents to share data and their revocation"),
             _("Art. 6(1)(c) and Art. 7(1) GDPR"),
             _CLIENTS, _("The agencies named in the consent"), (C.IDENTITY,), Action.DELETE),
    DataKind("emergency_access", _("Emergency access"),
             _("Review emergency access and its written reason"),
             _("Art. 5(2), Art. 32 GDPR"),
             _CLIENTS, _("Data-protection officer"), (C.IDENTITY,), Action.DELETE),
    DataKind("referral", _("Referrals"),
             _("Refer a person to another agency or offer and receive feedback"),
             _("Art. 6(1)(a) GDPR (consent) or the transfer rule; § 67d SGB X"),
             _CLIENTS, _("The receiving agency"), (C.IDENTITY, C.CONTACT, C.COUNSELLING_NOTES),
             Action.DELETE),
    DataKind("benefits_handover", _("Change of benefits regime"),
             _("Hand a household over between benefit offices without a gap"),
             _("Art. 6(1)(e) GDPR; §§ 67d, 69 SGB X; § 9 AsylbLG"),
             _CLIENTS, _("The two offices involved"), (C.IDENTITY, C.RESIDENCE, C.BENEFITS,
                                                         C.HOUSEHOLD), Action.DELETE),
    DataKind("appointment", _("Appointments"),
             _("Invite to eAT and other appointments at the foreigners' authority"),
             _("Art. 6(1)(e) GDPR; § 82 AufenthG"),
             _CLIENTS, _("Foreigners' authority; interpreters (time and language only)"),
             (C.IDENTITY, C.CONTACT, C.RESIDENCE), Action.DELETE),
    DataKind("legal_hold", _("Legal holds"),
             _("Restrict processing instead of erasing where a legal hold exists"),
             _("Art. 18 GDPR; § 84(3) SGB X"),
             _CLIENTS, _("Data-protection officer"), (C.IDENTITY,), Action.DELETE),
    DataKind("staff_account", _("Staff accounts"),
             _("Sign in, permissions, and naming who did what"),
             _("Art. 88 GDPR; § 26 BDSG"),
             _("Staff of the agencies"), _("Administrators of the district"), (), Action.ANONYMISE),
    DataKind("run_report", _("Reports of imports and runs"),
             _("Check what a permit import, an assignment run, a bulk change of benefits "
               "regime or a daily run did, and find its errors"),
             _("Art. 6(1)(e) GDPR; Art. 5(2) GDPR"),
             _CLIENTS, _("The agency that started the run; administrators of the district"),
             (C.IDENTITY, C.RESIDENCE, C.BENEFITS), Action.DELETE),
    DataKind("task_result", _("Results of background tasks"),
             _("Show the user who started a background task its progress and result"),
             _("Art. 6(1)(e) GDPR"),
             _("Staff of the agencies; newcomers named in a result (ids)"),
             _("The user who started the task"), (C.IDENTITY,), Action.DELETE),
    DataKind("login_record", _("Login records"),
             _("Throttle guessing of passwords and investigate attacks on accounts"),
             _("Art. 6(1)(e), Art. 32 GDPR; § 26 BDSG"),
             _("Staff of the agencies and anyone trying to log in (user names, IP addresses)"),
             _("Administrators of the district"), (), Action.DELETE),
    DataKind("access_log", _("Access log"),
             _("Prove every access to personal data (accountability)"),
             _("Art. 5(2), Art. 32 GDPR"),
             _("Newcomers and staff (ids only)"), _("Data-protection officer; the person (Art. 15)"),
             (), Action.KEEP),
]}


# --- start events ----------------------------------------------------------------------

def _case_closed(case) -> datetime.date | None:
    return case.closed_on


def _referral_closed(referral, state) -> datetime.date | None:
    if referral.status not in ("declined", "done", "withdrawn"):
        return None
    return _date(referral.done_at or referral.answered_at or referral.sent_at)


def _consent_ended(consent, state) -> datetime.date | None:
    ends = [_date(consent.revoked_at), consent.valid_until, state.all_files_closed_on]
    ends = [d for d in ends if d is not None]
    return min(ends) if ends else None


def _agency_file_closed(agency_attr: str):
    def start(record, state) -> datetime.date | None:
        agency_id = getattr(record, agency_attr)
        if record.pk in state.proposals_by_status and agency_attr == "owning_agency_id":
            return None  # an appointment proposal still rests on this status
        if agency_id in state.files:
            return state.file_closed_on(agency_id)
        return record.valid_to
    return start


def _appointment_member_ended(member, state) -> datetime.date | None:
    return _date(member.ends_at)


def _proposal_ended(proposal, state) -> datetime.date | None:
    if proposal.members.exists():
        return None  # goes with its appointment
    return proposal.latest_on


# --- the start events in SQL (`Entry.due`) ----------------------------------------------------

def day_end(day: datetime.date) -> datetime.datetime:
    """The first moment after `day` (local time): `_date(value) <= day` ⇔ `value < day_end(day)`."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1),
                                                         datetime.time.min))


def _files_all_closed_by(cutoff: datetime.date, files, person: str, prefix: str = "") -> Q:
    """`PersonState.all_files_closed_on <= cutoff`: no file open or closed after `cutoff`, and
    some file, or none at all and the person unchanged since (the fallback date)."""
    ref = OuterRef(person)
    still_open = files.filter(Q(until__isnull=True) | Q(until__gt=cutoff), person_id=ref)
    return ~Exists(still_open) & (
        Exists(files.filter(person_id=ref)) | Q(**{f"{prefix}updated_at__lt": day_end(cutoff)}))


def _referral_due(cutoff, files) -> Q:
    end = day_end(cutoff)
    return Q(status__in=("declined", "done", "withdrawn")) & (
        Q(done_at__lt=end)
        | Q(done_at__isnull=True, answered_at__lt=end)
        | Q(done_at__isnull=True, answered_at__isnull=True, sent_at__lt=end))


def _consent_due(cutoff, files) -> Q:
    return (Q(revoked_at__lt=day_end(cutoff)) | Q(valid_until__lte=cutoff)
            | _files_all_closed_by(cutoff, files, "person_id", "person__"))


def _agency_file_closed_due(agency_attr: str):
    def due(cutoff, files) -> Q:
        own_file = files.filter(person_id=OuterRef("person_id"), agency_id=OuterRef(agency_attr))
        return Exists(own_file.filter(until__lte=cutoff)) | (
            Q(valid_to__lte=cutoff) & ~Exists(own_file))
    return due


ENTRIES: list[Entry] = [
    # counselling notes go first: the shortest class, inside a case file
    Entry("cases.CaseNote", "counselling_notes", "case__person_id",
          start=lambda r, s: _case_closed(r.case), due=lambda c, f: Q(case__closed_on__lte=c)),
    Entry("cases.Case", "case_file", "person_id", start=lambda r, s: _case_closed(r),
          due=lambda c, f: Q(closed_on__lte=c)),
    Entry("cases.CaseAssignment", "case_file", "case__person_id", erased_with="cases.Case",
          record_label=_("case assignments")),
    Entry("cases.CaseDocument", "case_file", "case__person_id", erased_with="cases.Case",
          files=("file",)),
    Entry("cases.CaseTask", "case_file", "case__person_id", erased_with="cases.Case"),
    Entry("intake.Intake", "case_file", "case__person_id", erased_with="cases.Case"),
    Entry("intake.IntakeAnswer", "case_file", "intake__case__person_id", erased_with="cases.Case",
          record_label=_("intake answers")),
    Entry("plans.IntegrationPlan", "case_file", "case__person_id", erased_with="cases.Case"),
    Entry("plans.PlanGoal", "case_file", "plan__case__person_id", erased_with="cases.Case"),
    Entry("plans.PlanStep", "case_file", "goal__plan__case__person_id", erased_with="cases.Case"),
    Entry("conferences.CaseConference", "case_file", "case__person_id", erased_with="cases.Case"),
    Entry("conferences.ConferenceDecision", "case_file", "conference__case__person_id",
          erased_with="cases.Case"),
    Entry("referrals.Referral", "referral", "person_id", start=_referral_closed,
          due=_referral_due),
    Entry("handovers.Handover", "benefits_handover", "person_id",
          start=lambda r, s: _date(r.closed_at), due=lambda c, f: Q(closed_at__lt=day_end(c))),
    Entry("handovers.HandoverMember", "benefits_handover", "person_id",
          erased_with="handovers.Handover", record_label=_("household members in the change")),
    Entry("handovers.ChecklistItem", "benefits_handover", "handover__person_id",
          erased_with="handovers.Handover", record_label=_("checklist items")),
    Entry("appointments.AppointmentMember", "appointment", "person_id",
          start=_appointment_member_ended, due=lambda c, f: Q(ends_at__lt=day_end(c)),
          record_label=_("participants of appointments")),
    Entry("appointments.Appointment", "appointment", "members__person_id",
          erased_with="appointments.AppointmentMember",
          export_exclude={"token_salt": "secret of the public link, not data about the person"}),
    Entry("appointments.AppointmentProposal", "appointment", "person_id", start=_proposal_ended,
          due=lambda c, f: Q(latest_on__lte=c)),
    Entry("consent.Consent", "consent_proof", "person_id", start=_consent_ended,
          due=_consent_due, files=("evidence",)),
    Entry("access.AccessOverride", "emergency_access", "person_id",
          start=lambda r, s: _date(r.expires_at), due=lambda c, f: Q(expires_at__lt=day_end(c)),
          record_label=_("emergency accesses")),
    Entry("people.ResidenceStatus", "residence_snapshot", "person_id",
          start=_agency_file_closed("owning_agency_id"),
          due=_agency_file_closed_due("owning_agency_id")),
    Entry("people.BenefitsRegime", "benefits_record", "person_id",
          start=_agency_file_closed("responsible_agency_id"),
          due=_agency_file_closed_due("responsible_agency_id")),
    Entry("retention.LegalHold", "legal_hold", "person_id",
          start=lambda r, s: _date(r.lifted_at), due=lambda c, f: Q(lifted_at__lt=day_end(c))),
    # master data last, and only when nothing above remains (see sweep)
    Entry("people.Person", "master_data", "id", start=lambda r, s: s.all_files_closed_on,
          due=lambda c, f: _files_all_closed_by(c, f, "pk")),
    Entry("people.PersonNameKey", "master_data", "person_id", erased_with="people.Person",
          record_label=_("name search keys")),
    Entry("people.PersonAgencyLink", "master_data", "person_id", erased_with="people.Person"),
    Entry("people.Household", "master_data", "members__id", erased_with="people.Person"),
    Entry("organisations.StaffUser", "staff_account", None,
          export_exclude={"password": "secret (hash)", "enrolment_code_hash": "secret (hash)"}),
    Entry("audit.AccessEvent", "access_log", "person_id"),
    # records of no one person: the rows older than the period go (see `age_field`)
    Entry("appointments.PermitImport", "run_report", None, age_field="created_at",
          record_label=_("permit imports")),
    Entry("appointments.AssignmentRun", "run_report", None, age_field="started_at",
          record_label=_("assignment runs")),
    Entry("handovers.BulkChangeRun", "run_report", None, age_field="created_at",
          age_exclude={"status": "running"}, record_label=_("bulk changes of benefits regime")),
    Entry("appointments.DailySchedule", "run_report", None, age_field="last_run_at",
          clear_fields=("last_report",), record_label=_("reports of the daily runs")),
    Entry("core.TaskProgress", "task_result", None, age_field="updated_at",
          age_exclude={"state__in": ("queued", "running")},
          record_label=_("progress and results of background tasks")),
    Entry("django_tasks_database.DBTaskResult", "task_result", None, age_field="enqueued_at",
          age_exclude={"status__in": ("READY", "RUNNING")},
          record_label=_("queued background tasks and their results")),
    Entry("axes.AccessAttempt", "login_record", None, age_field="attempt_time",
          record_label=_("failed login attempts (throttling)")),
    Entry("axes.AccessAttemptExpiration", "login_record", None, erased_with="axes.AccessAttempt",
          record_label=_("expiry of failed login attempts")),
    Entry("axes.AccessFailureLog", "login_record", None, age_field="attempt_time",
          record_label=_("log of failed logins")),
    Entry("axes.AccessLog", "login_record", None, age_field="attempt_time",
          record_label=_("log of logins")),
]

BY_MODEL: dict[str, Entry] = {e.model_label: e for e in ENTRIES}


def entry_for(model) -> Entry | None:
    return BY_MODEL.get(model._meta.label)


def person_entries() -> list[Entry]:
    """Entries holding records of a person (newcomer), in the order the sweep erases them."""
    return [e for e in ENTRIES if e.person_path is not None]


def aged_entries() -> list[Entry]:
    """Entries of no one person that the sweep erases by age (reports, task results, logins)."""
    return [e for e in ENTRIES if e.person_path is None and e.age_field is not None]


def own_entries() -> list[Entry]:
    """Entries the sweep erases by their own start event (the others go with a parent)."""
    return [e for e in person_entries()
            if e.erased_with is None and KINDS[e.kind].action != Action.KEEP]
