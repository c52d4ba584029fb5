"""Proactive eAT appointments of the foreigners' authority (issue 5).

Organisational data (no personal data): offices with opening hours, counters and closures,
appointment lengths per service, interpreters and their shifts, travel times from each
municipality to each office.

Personal data (default manager refuses queries outside the spine's scope): invitation
proposals, appointments and their members. They belong to the data category *residence*; the
foreigners' authority that made them owns them.
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.scoping import PersonalModel
from lotse.organisations.models import Agency, District, Municipality
from lotse.people.models import Person, ResidenceStatus


class ServiceKind(models.TextChoices):
    FIRST_APPLICATION = "first_application", _("first application for an eAT")
    RENEWAL = "renewal", _("renewal of the residence title")
    FAMILY = "family", _("each further family member")


class Office(models.Model):
    """A place where the foreigners' authority receives persons (main office, branch)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("foreigners' authority"))
    name = models.CharField(_("name"), max_length=200)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("municipality"))
    street = models.CharField(_("street"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    slot_minutes = models.PositiveSmallIntegerField(_("slot grid in minutes"), default=20)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["agency_id", "name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name


class OpeningPeriod(models.Model):
    """Hours on one weekday with the number of staffed counters."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="opening_periods")
    weekday = models.PositiveSmallIntegerField(_("weekday (0 = Monday)"))
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    counters = models.PositiveSmallIntegerField(_("counters"), default=1)
    valid_from = models.DateField(_("valid from"), default=datetime.date(2000, 1, 1))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["office_id", "weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")


class Closure(models.Model):
    """Days an office is closed beyond the public holidays (training day, works, …)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="closures")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")


class ServiceLength(models.Model):
    """How long an appointment of a service takes in a district (a configuration value: no
    source fixes it, domain-rules.md §2)."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    service = models.CharField(_("service"), max_length=20, choices=ServiceKind.choices)
    minutes = models.PositiveSmallIntegerField(_("minutes"))

    class Meta:
        verbose_name = _("appointment length")
        verbose_name_plural = _("appointment lengths")
        constraints = [models.UniqueConstraint(fields=["district", "service"], name="servicelength_unique")]


class Interpreter(models.Model):
    """An interpreter the foreigners' authority can book (a contractor, not a newcomer)."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    languages = models.JSONField(_("languages (ISO 639-1)"), default=list)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("interpreter")
        verbose_name_plural = _("interpreters")

    def __str__(self) -> str:
        return self.name


class InterpreterShift(models.Model):
    """When an interpreter is at an office: a weekday with hours, repeated every week while
    valid (the usual arrangement: "Arabic, Tuesday mornings in Düren")."""

    interpreter = models.ForeignKey(Interpreter, on_delete=models.CASCADE, related_name="shifts")
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("office"))
    weekday = models.PositiveSmallIntegerField(_("weekday (0 = Monday)"))
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("to"))
    valid_from = models.DateField(_("valid from"), default=datetime.date(2000, 1, 1))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["weekday", "starts"]
        verbose_name = _("interpreter hours")
        verbose_name_plural = _("interpreter hours")
        indexes = [models.Index(fields=["office", "weekday"])]


class TravelTime(models.Model):
    """Travel from a municipality to an office by public transport (editable estimate)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="travel_times")
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    km = models.DecimalField(_("distance in km"), max_digits=6, decimal_places=1, null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "office"],
                                               name="traveltime_unique")]


class ProposalReason(models.TextChoices):
    EXPIRY = "expiry", _("title expires")
    FIRST_EAT = "first_eat", _("newly entitled to a first eAT")
    NO_SHOW = "no_show", _("new invitation after a missed appointment")


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("waiting for an appointment")
    SCHEDULED = "scheduled", _("appointment made")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class AppointmentProposal(PersonalModel):
    """Somebody needs an appointment before `latest_on` (from a residence status)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    residence_status = models.ForeignKey(ResidenceStatus, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=ProposalReason.choices)
    service = models.CharField(_("service"), max_length=20, choices=ServiceKind.choices)
    earliest_on = models.DateField(_("earliest date"))
    latest_on = models.DateField(_("latest acceptable date"))
    expires_on = models.DateField(_("title expires on"), null=True, blank=True)
    interpreter_language = models.CharField(_("interpreter language"), max_length=8, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ProposalStatus.choices,
                              default=ProposalStatus.OPEN)
    unassigned_reason = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(PersonalModel.Meta):
        ordering = ["latest_on", "id"]
        verbose_name = _("invitation proposal")
        verbose_name_plural = _("invitation proposals")
        indexes = [models.Index(fields=["owning_agency", "status", "latest_on"])]
        constraints = [
            # the daily scan is idempotent: one proposal per status and reason (a no-show adds
            # its own proposal, see services.desk_no_show)
            models.UniqueConstraint(fields=["residence_status", "reason"],
                                    condition=~models.Q(reason="no_show"),
                                    name="proposal_once_per_status"),
        ]


class AppointmentStatus(models.TextChoices):
    PLANNED = "planned", _("planned, not yet invited")
    INVITED = "invited", _("invited")
    CONFIRMED = "confirmed", _("confirmed by the person")
    CHECKED_IN = "checked_in", _("checked in")
    COMPLETED = "completed", _("completed")
    NO_SHOW = "no_show", _("did not come")
    CANCELLED = "cancelled", _("cancelled")


ACTIVE_STATUSES = (AppointmentStatus.PLANNED, AppointmentStatus.INVITED, AppointmentStatus.CONFIRMED,
                   AppointmentStatus.CHECKED_IN)


class Appointment(PersonalModel):
    """One booking of a counter: one person, or a household in adjacent slots."""

    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="appointments")
    counter = models.PositiveSmallIntegerField(_("counter"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    interpreter = models.ForeignKey(Interpreter, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    interpreter_language = models.CharField(max_length=8, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=AppointmentStatus.choices,
                              default=AppointmentStatus.PLANNED)
    travel_minutes = models.PositiveSmallIntegerField(default=0)
    # The personal link: "<id>.<salted HMAC of id and salt>" (see appointments.links); only the
    # random salt is stored, so the database alone never yields a working link.
    token_salt = models.CharField(max_length=32, blank=True)
    token_expires_on = models.DateField(null=True, blank=True)
    language = models.CharField(_("language of the letter"), max_length=8, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    invited_by_email = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)
    letter_printed_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    rebooked_count = models.PositiveSmallIntegerField(default=0)
    assignment_run = models.ForeignKey("AssignmentRun", on_delete=models.SET_NULL, null=True,
                                       blank=True, related_name="appointments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(PersonalModel.Meta):
        ordering = ["starts_at", "counter"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        indexes = [models.Index(fields=["office", "starts_at"]),
                   models.Index(fields=["owning_agency", "status"])]

    @property
    def ref(self) -> str:
        return f"T-{self.created_at:%Y}-{self.pk:06d}"


class Outcome(models.TextChoices):
    APPLICATION_TAKEN = "application_taken", _("application taken")
    FIKTION_ISSUED = "fiktion_issued", _("Fiktionsbescheinigung issued")
    CARD_ORDERED = "card_ordered", _("card ordered")
    CARD_HANDED_OVER = "card_handed_over", _("card handed over")


class AppointmentMember(PersonalModel):
    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="members")
    proposal = models.ForeignKey(AppointmentProposal, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    service = models.CharField(max_length=20, choices=ServiceKind.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)

    class Meta(PersonalModel.Meta):
        ordering = ["starts_at", "id"]


class AssignmentRun(models.Model):
    """One run of the automatic assignment for a foreigners' authority: counts and the quality
    of the result (its cost against a lower bound of the optimum). No personal data."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey("organisations.StaffUser", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    proposals = models.PositiveIntegerField(default=0)
    groups = models.PositiveIntegerField(default=0)
    assigned = models.PositiveIntegerField(default=0)
    unassigned = models.PositiveIntegerField(default=0)
    cost = models.FloatField(null=True, blank=True)
    lower_bound = models.FloatField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    report = models.JSONField(default=dict, help_text="Counts of unassigned groups by reason.")

    class Meta:
        ordering = ["-started_at"]

    @property
    def gap(self) -> float | None:
        """Relative distance to the optimum, at most (cost against the lower bound)."""
        if self.cost is None or not self.lower_bound:
            return None if self.cost is None else 0.0
        return max(0.0, (self.cost - self.lower_bound) / self.lower_bound)


class DailySchedule(models.Model):
    """The daily run of a foreigners' authority (expiry scan, assignment, invitations): when it
    runs next and what the last run did. `run_key` makes a stray second task a no-op."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="+")
    run_at = models.TimeField(_("daily at"), default=datetime.time(5, 0))
    next_run_at = models.DateTimeField(null=True, blank=True)
    run_key = models.CharField(max_length=32, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_report = models.JSONField(default=dict)


class PermitImport(models.Model):
    """One import of the permit register from a CSV export: what it did, or why it refused.
    The report names rows by line number and reason, never by a person's data."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    imported_by = models.ForeignKey("organisations.StaffUser", on_delete=models.PROTECT,
                                    related_name="+")
    file_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    created_persons = models.PositiveIntegerField(default=0)
    created_statuses = models.PositiveIntegerField(default=0)
    updated_statuses = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    accepted = models.BooleanField(default=False)
    report = models.JSONField(default=list, help_text="[{line, field, message}] of refused rows.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class PublicLinkAttempt(models.Model):
    """A failed or throttled use of a personal link, keyed by a keyed hash of the client's
    address (no address stored): the rate limit of the public appointment page."""

    client_hash = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
