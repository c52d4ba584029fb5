"""Case conferences (Fallkonferenz) in two phases. Phase 1 is about the case: decisions and
actions with owners and due dates, linked to the plan. Phase 2 records systemic findings as
gap reports (`lotse.gaps`), which carry no personal data."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.cases.models import Case
from lotse.core.scoping import PersonalModel
from lotse.organisations.models import Agency, StaffUser
from lotse.plans.models import PlanStep


class ConferenceStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    CASE_PHASE_DONE = "case_phase_done", _("phase 1 (case) done")
    CLOSED = "closed", _("closed")


class CaseConference(PersonalModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conferences")
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=300)
    organiser = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="+")
    participant_agencies = models.ManyToManyField(Agency, related_name="+",
                                                  verbose_name=_("participating agencies"))
    participants_note = models.CharField(_("participants (names)"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ConferenceStatus.choices,
                              default=ConferenceStatus.PLANNED)
    # Phase 2: how many gap reports were written from this conference. A counter only: the
    # reports themselves carry no link to the conference or the case (no personal data).
    gap_reports_written = models.PositiveIntegerField(_("gap reports written"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(PersonalModel.Meta):
        ordering = ["-held_on", "-id"]
        verbose_name = _("case conference")
        verbose_name_plural = _("case conferences")


class ConferenceDecision(PersonalModel):
    conference = models.ForeignKey(CaseConference, on_delete=models.CASCADE,
                                   related_name="decisions")
    text = models.TextField(_("decision or action"))
    assignee = models.ForeignKey(StaffUser, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("assigned to"))
    assignee_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("agency"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    plan_step = models.ForeignKey(PlanStep, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("plan step"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta(PersonalModel.Meta):
        ordering = ["due_on", "id"]
        verbose_name = _("conference decision")
        verbose_name_plural = _("conference decisions")
