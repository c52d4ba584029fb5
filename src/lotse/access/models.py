"""Emergency access overrides: their own permission, a written reason, a short validity."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.vocabulary import mask_to_categories


class AccessOverride(models.Model):
    user = models.ForeignKey("organisations.StaffUser", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    categories_mask = models.PositiveIntegerField()
    purpose = models.CharField(max_length=40)
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "person", "expires_at"])]

    @property
    def categories(self) -> list[str]:
        return mask_to_categories(self.categories_mask)
