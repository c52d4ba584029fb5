"""Retention rules (dated legal data) and legal holds.

The code-side registry (`retention/registry.py`) says which models form which data kind
(Datenart, DIN 66398), from which event the period runs and how the data is erased; the
period itself is a dated rule here, so a change in law or a decision of the data-protection
officer is a data change.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.scoping import PersonalModel
from lotse.organisations.models import StaffUser
from lotse.people.models import Person
from lotse.rules.models import DatedRule


class RetentionRule(DatedRule):
    """The standard deletion period (Regellöschfrist) of one data kind."""

    kind = models.CharField(_("data kind"), max_length=40)
    period_months = models.PositiveIntegerField(_("retention period (months)"))
    start_event = models.CharField(_("start of the period"), max_length=300)

    class Meta:
        ordering = ["kind", "valid_from"]
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        indexes = [models.Index(fields=["kind", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.period_months} / {self.valid_from}"

    def clean(self) -> None:
        super().clean()
        if self.period_months is not None and self.period_months > 1200:
            raise ValidationError({"period_months": _("A retention period of more than 100 "
                                                      "years is not plausible.")})


class LegalHold(PersonalModel):
    """Restriction instead of erasure (Art. 18 GDPR, § 84 Abs. 3 SGB X): while a hold is not
    lifted, the retention sweep erases nothing of the person and reports them as restricted."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    set_by = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(StaffUser, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")

    class Meta(PersonalModel.Meta):
        ordering = ["-set_at"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        indexes = [models.Index(fields=["person", "lifted_at"])]

    def __str__(self) -> str:
        return f"hold #{self.pk}"
