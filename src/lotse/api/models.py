"""API access tokens: one per staff user and client, shown once, stored only as a hash."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A bearer token of one staff user for the JSON API.

    The token (`lotse_` + 43 random URL-safe characters) is shown once when it is created;
    only its SHA-256 is kept. `prefix` holds the first 8 random characters (after `lotse_`)
    to find the row and to tell tokens apart in lists; it is not enough to use the token.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
        verbose_name=_("staff user"),
    )
    name = models.CharField(_("name"), max_length=100,
                            help_text=_("What the token is for, e.g. the client software."))
    prefix = models.CharField(_("prefix"), max_length=8, db_index=True)
    key_hash = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"lotse_{self.prefix}… ({self.name})"

    def is_usable_at(self, when) -> bool:
        return self.revoked_at is None and (self.expires_at is None or when < self.expires_at)
