"""District (the tenant) → municipalities → agencies; staff users with roles in one agency."""

import logging

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotse.core.vocabulary import categories_to_mask, mask_to_categories

logger = logging.getLogger("lotse.security")


class District(models.Model):
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("official municipality key"), max_length=12, unique=True)
    state = models.CharField(_("federal state"), max_length=2, default="NW")

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="municipalities")
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("official municipality key"), max_length=12, unique=True)
    population = models.PositiveIntegerField(_("population"), default=0)
    is_town = models.BooleanField(_("town (Stadt)"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="municipality_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class AgencyKind(models.TextChoices):
    FOREIGNERS_AUTHORITY = "abh", _("Foreigners' authority")
    SOCIAL_OFFICE = "social_office", _("Social office")
    JOB_CENTRE = "job_centre", _("Job centre")
    INTEGRATION_CENTRE = "integration_centre", _("Municipal integration centre")
    WELCOME_CENTER = "welcome_center", _("Welcome Center")
    WELFARE_ASSOCIATION = "welfare_association", _("Welfare association")
    REGISTRATION_OFFICE = "registration_office", _("Registration office")
    NATURALISATION_OFFICE = "naturalisation_office", _("Naturalisation office")
    COUNSELLING_SERVICE = "counselling_service", _("Counselling service")
    DISTRICT_ADMINISTRATION = "district_administration", _("District administration")


class Agency(models.Model):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="agencies")
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        help_text=_("Set for agencies that serve one municipality (social office, registration)."),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=AgencyKind.choices)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="branches",
        verbose_name=_("main office"),
    )
    bound_by_professional_secrecy = models.BooleanField(
        _("bound by professional secrecy (§ 203 StGB)"), default=False
    )
    street = models.CharField(_("street"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        indexes = [models.Index(fields=["district", "kind"])]

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """A role is data: which categories it may read, for which purposes, with which permissions."""

    district = models.ForeignKey(
        District, on_delete=models.CASCADE, null=True, blank=True, related_name="roles",
        help_text=_("Empty for the reference roles shipped with Lotse (read-only in the UI)."),
    )
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=100)
    categories_mask = models.PositiveIntegerField(_("data categories"), default=0)
    purposes = models.JSONField(_("purposes"), default=list, blank=True)
    permissions = models.JSONField(_("permissions"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=models.Q(district__isnull=True),
                                    name="role_reference_code_unique"),
            models.UniqueConstraint(fields=["district", "code"], name="role_district_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def categories(self) -> list[str]:
        return mask_to_categories(self.categories_mask)

    @categories.setter
    def categories(self, value) -> None:
        self.categories_mask = categories_to_mask(value)


class StaffUser(AbstractUser):
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("agency"),
    )
    roles = models.ManyToManyField(Role, blank=True, related_name="users", verbose_name=_("roles"))
    focus_area = models.CharField(_("focus area"), max_length=50, blank=True)
    # Sessions started before this moment are no longer valid (deactivation, password reset).
    sessions_valid_after = models.DateTimeField(null=True, blank=True)
    # One-time code an administrator hands over in person; needed to enrol a second factor,
    # so that a password alone never sets one up (ASVS 6.4.3).
    enrolment_code_hash = models.CharField(max_length=200, blank=True)
    enrolment_code_expires = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("staff user")
        verbose_name_plural = _("staff users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class StaffTOTPDevice(TOTPDevice):
    """django-otp's TOTP device with its seed sealed at rest (ASVS 13.3.1, totp_seeds.py).

    Every device Lotse makes or checks goes through this proxy: `save()` seals a plain seed,
    `bin_key` opens it, and a seed that cannot be opened (key file lost or replaced) verifies no
    code instead of failing the request."""

    class Meta:
        proxy = True
        verbose_name = "TOTP device (sealed seed)"

    @property
    def bin_key(self) -> bytes:
        from lotse.organisations.totp_seeds import unseal

        return unseal(self.key)

    def save(self, *args, **kwargs):
        from lotse.organisations.totp_seeds import is_sealed, seal

        if not is_sealed(self.key):
            self.key = seal(self.key)
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "key" not in update_fields:
                kwargs["update_fields"] = [*update_fields, "key"]
        super().save(*args, **kwargs)

    def seed_readable(self) -> bool:
        from lotse.organisations.totp_seeds import SeedUnreadable

        try:
            self.bin_key  # noqa: B018 - opening it is the check
        except SeedUnreadable:
            return False
        return True

    def verify_token(self, token) -> bool:
        from lotse.organisations.totp_seeds import SeedUnreadable

        try:
            return super().verify_token(token)
        except SeedUnreadable:
            logger.error("TOTP seed of device %s cannot be opened; the second factor needs a reset", self.pk)
            return False
