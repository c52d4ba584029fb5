"""The offers directory ("Angebotslandschaft"): counselling, courses and services that case
managers refer people to. Not personal data: an offer describes a service, never a client."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.vocabulary import LifeArea
from lotse.organisations.models import Agency, District, Municipality


class Offer(models.Model):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="offers")
    name = models.CharField(_("name"), max_length=200)
    life_area = models.CharField(_("life area"), max_length=20, choices=LifeArea.choices)
    provider_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="offers",
        verbose_name=_("provider agency"),
        help_text=_("The agency in Lotse that receives referrals to this offer."),
    )
    provider_name = models.CharField(
        _("provider"), max_length=200, blank=True,
        help_text=_("For providers that do not use Lotse."),
    )
    description = models.TextField(_("description"), blank=True)
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="offers", verbose_name=_("municipalities"),
        help_text=_("Where the offer is available; none means the whole district."),
    )
    languages = models.JSONField(_("languages (ISO 639-1)"), default=list, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["life_area", "name"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self) -> str:
        return self.name

    @property
    def provider_label(self) -> str:
        return self.provider_agency.name if self.provider_agency_id else self.provider_name
