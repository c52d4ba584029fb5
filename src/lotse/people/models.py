"""The person registry. Every model here holds personal data and is reachable only through
the access spine: the default manager (`ScopedManager`) refuses to query outside it.

Which category each field belongs to is declared in `FIELD_CATEGORIES`; the person page and
the API show a field only when the policy allowed its category.
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.scoping import ScopedManager
from lotse.core.vocabulary import DataCategory
from lotse.organisations.models import Agency, District, Municipality
from lotse.rules.models import ResidenceKind


class Sex(models.TextChoices):
    FEMALE = "f", _("female")
    MALE = "m", _("male")
    DIVERSE = "d", _("diverse")
    UNKNOWN = "u", _("not stated")


class Household(models.Model):
    """A household (Bedarfsgemeinschaft)."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        base_manager_name = "_plain"

    _plain = models.Manager()

    def __str__(self) -> str:
        return _("Household %(id)s") % {"id": self.pk}


class HouseholdRole(models.TextChoices):
    HEAD = "head", _("applicant")
    PARTNER = "partner", _("partner")
    CHILD = "child", _("child")
    OTHER = "other", _("other member")


class Person(models.Model):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    # identity
    given_names = models.CharField(_("given names"), max_length=200)
    family_name = models.CharField(_("family name"), max_length=200)
    given_names_original = models.CharField(_("given names (original script)"), max_length=200, blank=True)
    family_name_original = models.CharField(_("family name (original script)"), max_length=200, blank=True)
    other_names = models.CharField(
        _("other spellings"), max_length=500, blank=True,
        help_text=_("Further transliterations, separated by semicolons."),
    )
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(_("month of birth"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("day of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    nationalities = models.JSONField(_("nationalities (Destatis codes)"), default=list, blank=True)
    languages = models.JSONField(_("languages (ISO 639-1)"), default=list, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)
    interpreter_needed = models.BooleanField(
        _("needs an interpreter"), default=False,
        help_text=_("At appointments, in the preferred language."))
    azr_number = models.CharField(_("AZR number"), max_length=20, blank=True, db_index=True)
    # contact
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("municipality"),
    )
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    arrival_germany = models.DateField(_("arrival in Germany"), null=True, blank=True)
    arrival_district = models.DateField(_("arrival in the district"), null=True, blank=True)
    # household
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="members",
        verbose_name=_("household"),
    )
    household_role = models.CharField(
        _("role in household"), max_length=10, choices=HouseholdRole.choices, blank=True
    )
    # registry bookkeeping (not personal content)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()
    _plain = models.Manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        base_manager_name = "_plain"
        indexes = [
            models.Index(fields=["district", "municipality"]),
            models.Index(fields=["birth_year"]),
        ]

    def __str__(self) -> str:
        return f"{self.given_names} {self.family_name}"

    def save(self, *args, **kwargs) -> None:
        if getattr(self, "_lotse_redacted", False):
            raise RuntimeError("A redacted person record (from the access spine) cannot be saved.")
        super().save(*args, **kwargs)

    @property
    def birth_display(self) -> str:
        if not self.birth_year:
            return ""
        if not self.birth_month:
            return f"{self.birth_year}"
        if not self.birth_day:
            return f"{self.birth_month:02d}.{self.birth_year}"
        return f"{self.birth_day:02d}.{self.birth_month:02d}.{self.birth_year}"

    def age_on(self, on: datetime.date) -> int | None:
        if not self.birth_year:
            return None
        born = (self.birth_month or 1, self.birth_day or 1)
        return on.year - self.birth_year - ((on.month, on.day) < born)


# Which category each Person field belongs to.
FIELD_CATEGORIES: dict[str, str] = {
    **{
        name: DataCategory.IDENTITY
        for name in (
            "given_names", "family_name", "given_names_original", "family_name_original",
            "other_names", "birth_year", "birth_month", "birth_day", "sex", "nationalities",
            "languages", "preferred_language", "interpreter_needed", "azr_number",
        )
    },
    **{
        name: DataCategory.CONTACT
        for name in (
            "street", "postal_code", "city", "municipality", "phone", "email",
            "arrival_germany", "arrival_district",
        )
    },
    "household": DataCategory.HOUSEHOLD,
    "household_role": DataCategory.HOUSEHOLD,
}


class PersonNameKey(models.Model):
    """Indexed blocking keys for the tolerant name search (see people/matching.py)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    # The person's district, copied here so a search reads the keys of its own district only
    # (at state scale a common key is shared by persons of all 53 districts).
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", db_index=False)
    key = models.CharField(max_length=12)

    objects = ScopedManager()
    _plain = models.Manager()

    class Meta:
        base_manager_name = "_plain"
        indexes = [models.Index(fields=["district", "key", "person"], name="personnamekey_district_key")]
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="personnamekey_unique")]


class PersonAgencyLink(models.Model):
    """An agency's file on a person (Akte). The agency owns the identity and contact data it
    recorded; other agencies see them only through a rule or a consent."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="agency_links")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    file_number = models.CharField(_("file number"), max_length=50, blank=True)
    since = models.DateField(_("since"), default=datetime.date.today)
    until = models.DateField(_("until"), null=True, blank=True)

    objects = ScopedManager()
    _plain = models.Manager()

    class Meta:
        base_manager_name = "_plain"
        verbose_name = _("agency file")
        verbose_name_plural = _("agency files")
        indexes = [
            models.Index(fields=["agency", "person"]),
            models.Index(fields=["file_number"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person", "agency"], name="personagencylink_unique")
        ]


class DocumentKind(models.TextChoices):
    EAT = "eat", _("electronic residence permit (eAT)")
    FIKTION = "fiktion", _("provisional certificate (Fiktionsbescheinigung)")
    PAPER = "paper", _("paper document")
    NONE = "none", _("no document")


class ResidenceStatus(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="residence_statuses")
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    kind = models.ForeignKey(ResidenceKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("status"))
    document = models.CharField(_("document"), max_length=10, choices=DocumentKind.choices, default=DocumentKind.NONE)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    application_pending_since = models.DateField(_("application pending since"), null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    _plain = models.Manager()

    class Meta:
        base_manager_name = "_plain"
        ordering = ["-valid_from", "-id"]
        verbose_name = _("residence status")
        verbose_name_plural = _("residence statuses")
        indexes = [models.Index(fields=["person", "valid_from"]), models.Index(fields=["valid_to"])]


class BenefitsRegimeKind(models.TextChoices):
    ASYLBLG = "asylblg", _("AsylbLG (Asylum Seekers' Benefits Act)")
    SGB2 = "sgb2", _("SGB II (Bürgergeld)")
    SGB12 = "sgb12", _("SGB XII (social assistance)")
    NONE = "none", _("no benefits")


class BenefitsRegime(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="benefits_regimes")
    regime = models.CharField(_("benefits regime"), max_length=10, choices=BenefitsRegimeKind.choices)
    responsible_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible agency")
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    _plain = models.Manager()

    class Meta:
        base_manager_name = "_plain"
        ordering = ["-valid_from", "-id"]
        verbose_name = _("benefits regime")
        verbose_name_plural = _("benefits regimes")
        indexes = [models.Index(fields=["person", "valid_from"])]

    @property
    def owning_agency_id(self) -> int:
        return self.responsible_agency_id
