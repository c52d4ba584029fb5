"""The append-only, hash-chained access log.

Each row holds ids, never personal data. `entry_hash = SHA-256(prev_hash || payload)` where
payload is the canonical JSON of the row (see `audit/chain.py`). Sequence numbers have no
gaps: they are allocated under a lock inside the writing transaction. On PostgreSQL a trigger
refuses UPDATE and DELETE (migration 0002); on SQLite a trigger refuses UPDATE.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Decision(models.TextChoices):
    ALLOWED = "allowed", _("allowed")
    DENIED = "denied", _("denied")


class AccessEvent(models.Model):
    seq = models.BigIntegerField(primary_key=True)
    ts = models.DateTimeField(_("time (UTC)"))
    action = models.CharField(_("action"), max_length=60)
    actor_id = models.BigIntegerField(_("user id"), null=True)
    agency_id = models.BigIntegerField(_("agency id"), null=True)
    person_id = models.BigIntegerField(_("person id"), null=True)
    categories = models.CharField(_("categories"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose"), max_length=40, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    basis = models.TextField(_("basis"), blank=True)
    object_ref = models.CharField(_("object"), max_length=100, blank=True)
    request_id = models.CharField(_("request id"), max_length=40, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("access event")
        verbose_name_plural = _("access events")
        indexes = [
            models.Index(fields=["person_id", "seq"]),
            models.Index(fields=["actor_id", "seq"]),
            models.Index(fields=["ts"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.decision}"


class AuditCheckpoint(models.Model):
    """A signed statement 'the chain up to `seq` ends in `entry_hash`' (Ed25519).

    The signing key lives outside the database; the same checkpoint is also appended to a
    file outside the database (LOTSE_AUDIT_CHECKPOINT_FILE) so deleting rows here is caught.
    """

    seq = models.BigIntegerField(unique=True)
    entry_hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    key_id = models.CharField(max_length=64)
    signature = models.CharField(max_length=200)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
