"""Steering data: aggregates and plain organisational records, never a person.

- `ResidentStatistic`: imported counts of foreign residents per municipality (when the registry
  is incomplete); `CounsellingCapacity`: welcome-counselling positions per association and town.
- `Committee`, `Meeting`, `AgendaItem`, `MeetingDecision`: the steering group, its working groups
  and the jour fixe, with agenda, minutes and decisions.
- `Measure`: what a committee decided to do (owner agency, due date, status), often answering a
  gap report; `Goal`: the district's "Handlungsziele" with an indicator from `steering.kpis`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.vocabulary import LifeArea
from lotse.gaps.models import GapReport
from lotse.organisations.models import Agency, District, Municipality, StaffUser


class ResidentStatistic(models.Model):
    """Foreign residents of a municipality on a reference date, from an imported table."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("municipality"))
    reference_date = models.DateField(_("reference date"))
    newcomers_last_12_months = models.PositiveIntegerField(
        _("arrived in the last 12 months"),
        help_text=_("Foreign residents who moved to the municipality less than 12 months before the reference date."))
    foreign_residents = models.PositiveIntegerField(_("foreign residents in total"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(StaffUser, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    class Meta:
        ordering = ["-reference_date", "municipality__name"]
        verbose_name = _("resident statistic")
        verbose_name_plural = _("resident statistics")
        constraints = [models.UniqueConstraint(fields=["municipality", "reference_date"],
                                               name="steering_statistic_once_per_date")]

    def __str__(self) -> str:
        return f"{self.municipality} {self.reference_date}"


class CounsellingCapacity(models.Model):
    """Welcome-counselling positions (full-time equivalents) of one association in one town."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("welfare association"))
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("municipality"))
    fte = models.DecimalField(_("full-time equivalents"), max_digits=5, decimal_places=2)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["municipality__name", "agency__name"]
        verbose_name = _("counselling capacity")
        verbose_name_plural = _("counselling capacities")
        constraints = [models.UniqueConstraint(fields=["agency", "municipality"],
                                               name="steering_capacity_once_per_town")]

    def __str__(self) -> str:
        return f"{self.agency} – {self.municipality}: {self.fte}"


class CommitteeKind(models.TextChoices):
    STEERING_GROUP = "steering_group", _("Steering group")
    WORKING_GROUP = "working_group", _("Working group")
    COURSE_CONFERENCE = "course_conference", _("Integration course conference")
    JOUR_FIXE = "jour_fixe", _("Jour fixe of the case managers")


class Committee(models.Model):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=CommitteeKind.choices)
    description = models.TextField(_("description"), blank=True)
    member_agencies = models.ManyToManyField(Agency, blank=True, related_name="+",
                                             verbose_name=_("member agencies"))
    members = models.ManyToManyField(StaffUser, blank=True, related_name="committees",
                                     verbose_name=_("members"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")

    def __str__(self) -> str:
        return self.name


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class Meeting(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=300)
    status = models.CharField(_("status"), max_length=20, choices=MeetingStatus.choices,
                              default=MeetingStatus.PLANNED)
    minutes = models.TextField(_("minutes"), blank=True)
    present_agencies = models.ManyToManyField(Agency, blank=True, related_name="+",
                                              verbose_name=_("agencies present"))
    # iCalendar: the same UID for every version of the invitation, SEQUENCE counts the changes.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.committee} {self.starts_at:%Y-%m-%d}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("item"), max_length=300)
    gap_report = models.ForeignKey(GapReport, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="agenda_items", verbose_name=_("gap report"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class MeetingDecision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="decisions")
    text = models.TextField(_("decision"))
    decided_on = models.DateField(_("decided on"))

    class Meta:
        ordering = ["decided_on", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.text[:80]


class Goal(models.Model):
    """A 'Handlungsziel' of the district, optionally measured by a KPI (`steering.kpis`)."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    life_area = models.CharField(_("life area"), max_length=20, choices=LifeArea.choices, blank=True)
    indicator = models.CharField(_("indicator"), max_length=40, blank=True,
                                 help_text=_("The key figure that shows progress towards the goal."))
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.title


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


class Measure(models.Model):
    """A measure or action item: decided by a committee, owned by an agency, due on a date."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("measure"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("responsible agency"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=MeasureStatus.choices,
                              default=MeasureStatus.PLANNED)
    status_note = models.CharField(_("state of work"), max_length=500, blank=True)
    goal = models.ForeignKey(Goal, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="measures", verbose_name=_("goal"))
    decision = models.ForeignKey(MeetingDecision, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="measures")
    gap_report = models.ForeignKey(GapReport, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="measures", verbose_name=_("gap report"))
    created_on = models.DateField(auto_now_add=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        indexes = [models.Index(fields=["district", "status"])]

    def __str__(self) -> str:
        return self.title
