"""Consent records (Einwilligung, § 67b SGB X, Art. 7 GDPR).

A consent states exactly which data categories flow from which agency (or kind of agency) to
which, for which purpose, since when, until when, how it was given and in which language the
person was informed. It is never edited: a revocation is recorded on it, a change is a new
consent. Whether a consent covers an access is answered in `consent/selectors.py`.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lotse.core.scoping import ScopedManager
from lotse.core.vocabulary import Purpose, mask_to_categories
from lotse.organisations.models import Agency, AgencyKind


class ConsentMethod(models.TextChoices):
    SIGNED_FORM = "signed_form", _("signed form (kept on file)")
    UPLOADED_SCAN = "uploaded_scan", _("signed form, scan uploaded")
    ELECTRONIC = "electronic", _("electronic declaration")


class ConsentQuerySet(models.QuerySet):
    def valid_on(self, on: datetime.date) -> "ConsentQuerySet":
        return self.filter(valid_from__lte=on, revoked_at__isnull=True).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=on)
        )


class Consent(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="consents")
    categories_mask = models.PositiveIntegerField(_("data categories"))
    from_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("from agency"),
    )
    from_kind = models.CharField(
        _("from every agency of kind"), max_length=40, choices=AgencyKind.choices, blank=True
    )
    to_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("to agency"),
    )
    to_kind = models.CharField(
        _("to every agency of kind"), max_length=40, choices=AgencyKind.choices, blank=True
    )
    purpose = models.CharField(_("purpose"), max_length=40, choices=Purpose.choices)
    given_on = models.DateField(_("given on"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    method = models.CharField(_("how it was given"), max_length=20, choices=ConsentMethod.choices)
    informed_language = models.CharField(_("language the person was informed in"), max_length=8)
    given_by_guardian = models.BooleanField(_("given by a legal guardian"), default=False)
    evidence = models.FileField(_("scan of the signed form"), upload_to="consents/%Y/", blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        "organisations.StaffUser", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        "organisations.StaffUser", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revocation_note = models.CharField(_("note on the revocation"), max_length=300, blank=True)

    objects = ScopedManager.from_queryset(ConsentQuerySet)()
    _plain = ConsentQuerySet.as_manager()

    class Meta:
        base_manager_name = "_plain"
        ordering = ["-given_on", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [
            models.Index(fields=["person", "to_agency"]),
            models.Index(fields=["to_agency", "revoked_at"]),
            models.Index(fields=["to_kind", "revoked_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_agency__isnull=False) | ~Q(from_kind=""),
                name="consent_has_source",
            ),
            models.CheckConstraint(
                condition=Q(to_agency__isnull=False) | ~Q(to_kind=""),
                name="consent_has_recipient",
            ),
        ]

    def __str__(self) -> str:
        return _("Consent #%(id)s") % {"id": self.pk}

    @property
    def categories(self) -> list[str]:
        return mask_to_categories(self.categories_mask)

    @property
    def category_labels(self) -> list[str]:
        from lotse.core.vocabulary import DataCategory

        return [str(DataCategory(c).label) for c in self.categories]

    def is_valid_on(self, on: datetime.date) -> bool:
        return (
            self.revoked_at is None
            and self.valid_from <= on
            and (self.valid_until is None or on <= self.valid_until)
        )

    def clean(self) -> None:
        errors = {}
        if not self.categories_mask:
            errors["categories_mask"] = _("Choose at least one data category.")
        if self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("The consent cannot end before it starts.")
        if self.valid_from and self.given_on and self.valid_from < self.given_on:
            errors["valid_from"] = _("A consent cannot be valid before it was given.")
        if errors:
            raise ValidationError(errors)
