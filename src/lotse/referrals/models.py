"""Referrals from one agency to another (or to an offer of the directory). Personal data: a
referral says that a person was sent somewhere. The data passed on is named by category; the
receiving agency reads it through the spine, so only a consent (or a rule) opens it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.cases.models import Case
from lotse.core.scoping import PersonalModel
from lotse.core.vocabulary import Purpose, mask_to_categories
from lotse.offers.models import Offer
from lotse.organisations.models import Agency, District, StaffUser
from lotse.people.models import Person


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("sent")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    DONE = "done", _("done")
    WITHDRAWN = "withdrawn", _("withdrawn")


OPEN_REFERRAL_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)


class Referral(PersonalModel):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="referrals")
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("from"))
    from_user = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("to"))
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("offer"))
    purpose = models.CharField(_("purpose"), max_length=40, choices=Purpose.choices)
    categories_mask = models.PositiveIntegerField(_("data passed on"))
    message = models.TextField(_("message to the receiving agency"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ReferralStatus.choices,
                              default=ReferralStatus.SENT)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(StaffUser, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta(PersonalModel.Meta):
        ordering = ["-sent_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["to_agency", "status", "sent_at"]),
            models.Index(fields=["from_agency", "status", "sent_at"]),
        ]

    @property
    def categories(self) -> list[str]:
        return mask_to_categories(self.categories_mask)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REFERRAL_STATUSES
