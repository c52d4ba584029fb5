"""Integration plans: goals per life area with steps, and plan templates for service chains
(Integrationsketten). Plans are personal data (counselling notes of the case's agency);
templates are configuration whose deadlines come from dated `rules.DeadlineRule` data."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.cases.models import Case
from lotse.core.scoping import PersonalModel
from lotse.core.vocabulary import LifeArea
from lotse.offers.models import Offer
from lotse.organisations.models import Agency


class PlanTemplate(models.Model):
    """A service chain as data. `steps` is a list of
    {"title", "responsible_kind", "deadline_rule" (key) or "offset_days", "life_area"}; due
    dates count from the template's anchor date (for example the date of eligibility)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    life_area = models.CharField(_("life area"), max_length=20, choices=LifeArea.choices)
    goal_title = models.CharField(_("goal"), max_length=300)
    anchor_label = models.CharField(_("anchor date"), max_length=200,
                                    help_text=_("What the due dates count from."))
    steps = models.JSONField(_("steps"), default=list)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("plan template")
        verbose_name_plural = _("plan templates")

    def __str__(self) -> str:
        return self.name


class IntegrationPlan(PersonalModel):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="plan")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(PersonalModel.Meta):
        verbose_name = _("integration plan")
        verbose_name_plural = _("integration plans")


class GoalStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACHIEVED = "achieved", _("achieved")
    DROPPED = "dropped", _("dropped")


class PlanGoal(PersonalModel):
    plan = models.ForeignKey(IntegrationPlan, on_delete=models.CASCADE, related_name="goals")
    life_area = models.CharField(_("life area"), max_length=20, choices=LifeArea.choices)
    title = models.CharField(_("goal"), max_length=300)
    status = models.CharField(_("status"), max_length=20, choices=GoalStatus.choices,
                              default=GoalStatus.OPEN)
    template_code = models.CharField(max_length=50, blank=True)
    anchor_on = models.DateField(_("anchor date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(PersonalModel.Meta):
        ordering = ["life_area", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")


class StepStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


OPEN_STEP_STATUSES = (StepStatus.OPEN, StepStatus.IN_PROGRESS)


class PlanStep(PersonalModel):
    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(_("step"), max_length=300)
    responsible_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("responsible agency"),
    )
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("offer"))
    responsible_note = models.CharField(_("responsible (other)"), max_length=200, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=StepStatus.choices,
                              default=StepStatus.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    deadline_rule_ref = models.CharField(
        _("deadline rule"), max_length=300, blank=True,
        help_text=_("The rule the due date was computed from, with its legal reference."),
    )

    class Meta(PersonalModel.Meta):
        ordering = ["due_on", "id"]
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")
        indexes = [models.Index(fields=["status", "due_on"])]
