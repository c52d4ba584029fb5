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
    target_groups = models.JSONField(
        _("target groups"), default=list, blank=True,
        help_text=_("Situations the offer is for (codes); none means everybody."))
    eligibility_note = models.TextField(
        _("who can use it (German)"), blank=True,
        help_text=_("Conditions beyond the municipalities, in plain words."))
    public = models.BooleanField(_("shown in the public guide"), default=True)
    review_due = models.DateField(_("review due"), null=True, blank=True,
                                  help_text=_("By when someone checks that this entry is still right."))
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["life_area", "name"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self) -> str:
        return self.name

    @property
    def translation_key(self) -> str:
        return f"offer:{self.pk}"

    def translatable(self) -> dict[str, str]:
        return {"name": self.name, "description": self.description, "eligibility_note": self.eligibility_note}

    def available_in(self, municipality_id: int) -> bool:
        """Eligibility by residence: offers naming municipalities serve only those."""
        chosen = [m.pk for m in self.municipalities.all()]
        return not chosen or municipality_id in chosen

    def serves(self, situation: str) -> bool:
        return not self.target_groups or situation in self.target_groups

    @property
    def provider_label(self) -> str:
        return self.provider_agency.name if self.provider_agency_id else self.provider_name
