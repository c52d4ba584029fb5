"""The intake interview (Erstgespräch): a versioned questionnaire configured as data.

A `Questionnaire` is a published version of a definition (sections → questions, each question
with its type, options and data category). An `Intake` keeps the version it was taken with;
its answers are also stored one row per answer (`IntakeAnswer`) so they can be counted.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.cases.models import Case
from lotse.core.scoping import PersonalModel
from lotse.organisations.models import StaffUser


class Questionnaire(models.Model):
    """Configuration, not personal data. A published version is never changed again."""

    code = models.SlugField(_("code"), max_length=50)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    definition = models.JSONField(_("definition"))
    published_on = models.DateField(_("published on"))
    retired_on = models.DateField(_("retired on"), null=True, blank=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="questionnaire_code_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class Intake(PersonalModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="intakes")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    taken_on = models.DateField(_("date of the interview"))
    taken_by = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(PersonalModel.Meta):
        ordering = ["-taken_on", "-id"]
        verbose_name = _("intake interview")
        verbose_name_plural = _("intake interviews")


class IntakeAnswer(PersonalModel):
    """One answer value, for counting: a multiple choice gives one row per chosen option, a
    language level one row per language (`item` = the language, `value` = the CEFR level)."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="answer_rows")
    question_key = models.CharField(max_length=80)
    category = models.CharField(max_length=30)
    item = models.CharField(max_length=80, blank=True)
    value = models.CharField(max_length=200, blank=True)
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta(PersonalModel.Meta):
        indexes = [models.Index(fields=["question_key", "value"])]
