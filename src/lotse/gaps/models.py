"""Gap reports: systemic needs and gaps found in case work (missing offer, interface problem,
waiting time …). They carry no personal data — municipality and life area, never a person or
a case — and flow to the coordinators of the integration centre (steering)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.vocabulary import LifeArea
from lotse.organisations.models import Agency, District, Municipality, StaffUser


class GapKind(models.TextChoices):
    MISSING_OFFER = "missing_offer", _("Missing offer")
    INTERFACE = "interface_problem", _("Interface problem between offices")
    LANGUAGE_BARRIER = "language_barrier", _("Language barrier")
    MISSING_PARTNER = "missing_partner", _("Missing cooperation partner")
    LEGAL_OBSTACLE = "legal_obstacle", _("Legal obstacle")
    WAITING_TIME = "waiting_time", _("Waiting time")
    OTHER = "other", _("Other")


class GapSource(models.TextChoices):
    CONFERENCE = "conference", _("Case conference")
    CASE_WORK = "case_work", _("Case work (jour fixe)")


class GapStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_REVIEW = "in_review", _("In review by the coordination")
    ON_AGENDA = "on_agenda", _("On a committee's agenda")
    DECIDED = "decided", _("Decided")
    MERGED = "merged", _("Merged into another report")
    CLOSED = "closed", _("Closed")


class GapReport(models.Model):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("municipality"), help_text=_("Empty: the whole district."),
    )
    life_area = models.CharField(_("life area"), max_length=20, choices=LifeArea.choices)
    kind = models.CharField(_("kind of gap"), max_length=20, choices=GapKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    offices_involved = models.ManyToManyField(
        Agency, blank=True, related_name="+", verbose_name=_("offices involved"),
    )
    source = models.CharField(_("source"), max_length=20, choices=GapSource.choices)
    reporting_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    # Only the day, and no reporter for reports from a case conference: a timestamp or a name
    # next to the access log of that day would link the report back to the person.
    reported_by = models.ForeignKey(StaffUser, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    reported_on = models.DateField(auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=GapStatus.choices,
                              default=GapStatus.NEW)
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="merged_from")
    # The day the report was decided, merged or closed: its resolution time for the figures.
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    # Why the coordination closed the report without a committee's decision (screened text).
    closed_reason = models.CharField(_("reason for closing"), max_length=300, blank=True)

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = _("gap report")
        verbose_name_plural = _("gap reports")
        indexes = [models.Index(fields=["district", "status"])]

    def __str__(self) -> str:
        return self.title
