"""Handovers between benefits regimes (AsylbLG ↔ SGB II) without payment gaps.

A handover opens when a recorded residence status triggers a `rules.RegimeChangeRule`; it
covers the person's household (Bedarfsgemeinschaft) and is owned jointly by the office that
pays now (`from_agency`, e.g. the social office of the person's municipality) and the office
that pays next (`to_agency`, e.g. the job centre). The reverse direction is the same handover
with the roles swapped. Personal data: reachable only through the access spine."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.scoping import PersonalModel
from lotse.organisations.models import Agency, District, StaffUser
from lotse.people.models import Household, Person, ResidenceStatus
from lotse.rules.models import RegimeChangeRule


class HandoverStatus(models.TextChoices):
    OPEN = "open", _("open")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


class Handover(PersonalModel):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="handovers",
                               help_text=_("The person whose status triggered the handover."))
    household = models.ForeignKey(Household, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    rule = models.ForeignKey(RegimeChangeRule, on_delete=models.PROTECT, related_name="+")
    trigger_status = models.ForeignKey(ResidenceStatus, on_delete=models.SET_NULL, null=True,
                                       blank=True, related_name="+")
    trigger_on = models.DateField(_("trigger date"))
    from_regime = models.CharField(_("from"), max_length=10)
    to_regime = models.CharField(_("to"), max_length=10)
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("office paying until the change"))
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("office paying after the change"))
    old_regime_ends_on = models.DateField(_("old entitlement ends on"))
    new_regime_starts_on = models.DateField(_("new entitlement starts on"))
    application_due_on = models.DateField(_("application due on"))
    status = models.CharField(_("status"), max_length=20, choices=HandoverStatus.choices,
                              default=HandoverStatus.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    # Bulk runs: which run created it (resumable, idempotent runs skip what exists).
    bulk_run = models.ForeignKey("BulkChangeRun", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="handovers")

    class Meta(PersonalModel.Meta):
        ordering = ["application_due_on", "id"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        indexes = [
            models.Index(fields=["from_agency", "status", "application_due_on"]),
            models.Index(fields=["to_agency", "status", "application_due_on"]),
        ]
        constraints = [
            # One handover per person and rule: a second trigger or a second bulk run adds nothing.
            models.UniqueConstraint(fields=["person", "rule"], name="handover_person_rule"),
        ]


class HandoverMember(PersonalModel):
    """A member of the household moving with the handover (the trigger person included)."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, blank=True)

    class Meta(PersonalModel.Meta):
        constraints = [models.UniqueConstraint(fields=["handover", "person"], name="handovermember_unique")]


class ChecklistItem(PersonalModel):
    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(max_length=40)
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("responsible office"))
    due_on = models.DateField(_("due on"))
    deadline_rule_ref = models.CharField(max_length=300, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    value_date = models.DateField(_("date"), null=True, blank=True,
                                  help_text=_("The date the item records (application filed, first payment …)."))
    note = models.CharField(_("note"), max_length=300, blank=True)
    done_by = models.ForeignKey(StaffUser, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")

    class Meta(PersonalModel.Meta):
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["handover", "key"], name="checklistitem_unique")]


class BulkRunStatus(models.TextChoices):
    PREVIEWED = "previewed", _("previewed")
    RUNNING = "running", _("running")
    FINISHED = "finished", _("finished")
    FAILED = "failed", _("interrupted")


class BulkChangeRun(models.Model):
    """A regime change for a whole group (e.g. all § 24 persons of the district on 2022-06-01).
    Holds counts and a report; no personal data beyond person ids in the skip report."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey(RegimeChangeRule, on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("reference date"))
    started_by = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=BulkRunStatus.choices,
                              default=BulkRunStatus.PREVIEWED)
    total = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    last_person_id = models.PositiveBigIntegerField(default=0, help_text="Resume point (ids ascending).")
    report = models.JSONField(default=list, help_text="[{person_id, reason}] of skipped persons.")
    progress = models.ForeignKey("core.TaskProgress", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
