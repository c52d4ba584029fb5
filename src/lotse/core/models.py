"""Progress of long background tasks, shown to the user as a progress bar."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskProgress(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("finished")
        FAILED = "failed", _("failed")

    label = models.CharField(_("task"), max_length=200)
    owner = models.ForeignKey("organisations.StaffUser", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)


class RequestCount(models.Model):
    """How many requests one subject made in one window of one budget (ASVS 2.4.1). The key is a
    keyed hash of budget and subject (a user or token id): the table names nobody."""

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="request_count_key_window")]
        indexes = [models.Index(fields=["window_start"], name="request_count_window")]
