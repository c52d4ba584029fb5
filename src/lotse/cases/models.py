"""Case management (KIM Baustein II) following the DGCC phases.

Every model here is personal data, reachable only through the access spine. Which data
category each piece belongs to is declared here: the case itself, its notes, tasks and
documents are counselling notes of the owning agency; notes and documents of the category
health/psychosocial are Art. 9 GDPR data (`DataCategory.HEALTH`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.scoping import PersonalModel
from lotse.core.vocabulary import DataCategory
from lotse.organisations.models import Agency, District, StaffUser
from lotse.people.models import Person

# The categories of data an agency holds on a person by running a case for them.
CASE_CATEGORIES = (DataCategory.COUNSELLING_NOTES, DataCategory.QUALIFICATIONS, DataCategory.HEALTH)


class FocusArea(models.TextChoices):
    WELCOME = "welcome_counselling", _("Welcome counselling")
    LABOUR_MARKET = "labour_market", _("Labour-market integration")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial counselling")


class Phase(models.TextChoices):
    """DGCC phases of case management, in order."""

    INTAKE = "intake", _("Intake")
    ASSESSMENT = "assessment", _("Assessment")
    PLANNING = "planning", _("Planning")
    LINKING = "linking", _("Linking")
    MONITORING = "monitoring", _("Monitoring")
    EVALUATION = "evaluation", _("Evaluation and closure")
    CLOSED = "closed", _("Closed")


PHASE_ORDER: list[str] = [p.value for p in Phase]


class ClosureReason(models.TextChoices):
    GOALS_REACHED = "goals_reached", _("Goals reached")
    REFERRED = "referred", _("Handed over to another agency")
    MOVED_AWAY = "moved_away", _("Moved away")
    ENDED_BY_PERSON = "ended_by_person", _("Ended by the person")
    NO_CONTACT = "no_contact", _("No contact any more")
    OTHER = "other", _("Other reason")


class ClosureOutcome(models.TextChoices):
    ACHIEVED = "achieved", _("Goals achieved")
    PARTLY = "partly", _("Goals partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Goals not achieved")


class Case(PersonalModel):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("agency"))
    focus_area = models.CharField(_("focus area"), max_length=30, choices=FocusArea.choices)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.INTAKE)
    case_manager = models.ForeignKey(
        StaffUser, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("case manager"),
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.CharField(_("reason for closing"), max_length=20,
                                      choices=ClosureReason.choices, blank=True)
    closure_outcome = models.CharField(_("outcome"), max_length=20,
                                       choices=ClosureOutcome.choices, blank=True)
    closure_note = models.TextField(_("closing remarks"), blank=True)
    next_contact_on = models.DateField(_("next contact"), null=True, blank=True)
    # The earliest date that needs attention: next contact, open plan steps, open tasks and
    # conference actions. Kept current by the services so the caseload sorts in SQL.
    attention_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(PersonalModel.Meta):
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["owning_agency", "closed_on", "attention_on"]),
            models.Index(fields=["case_manager", "closed_on", "attention_on"]),
        ]

    def __str__(self) -> str:
        return _("Case %(id)s") % {"id": self.pk}

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class CaseAssignment(PersonalModel):
    """Who managed the case when: every assignment and reassignment."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    case_manager = models.ForeignKey(StaffUser, on_delete=models.PROTECT, null=True,
                                     related_name="+")
    assigned_by = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta(PersonalModel.Meta):
        ordering = ["-assigned_at", "-id"]


class NoteCategory(models.TextChoices):
    GENERAL = "general", _("General")
    COUNSELLING = "counselling", _("Counselling")
    QUALIFICATIONS = "qualifications", _("Qualifications and work")
    HEALTH = "health", _("Health and psychosocial (Art. 9 GDPR)")


NOTE_DATA_CATEGORY = {
    NoteCategory.GENERAL: DataCategory.COUNSELLING_NOTES,
    NoteCategory.COUNSELLING: DataCategory.COUNSELLING_NOTES,
    NoteCategory.QUALIFICATIONS: DataCategory.QUALIFICATIONS,
    NoteCategory.HEALTH: DataCategory.HEALTH,
}


class CaseNote(PersonalModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    category = models.CharField(_("category"), max_length=20, choices=NoteCategory.choices,
                                default=NoteCategory.GENERAL)
    text = models.TextField(_("note"))
    author = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(PersonalModel.Meta):
        ordering = ["-created_at", "-id"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")

    @property
    def data_category(self) -> str:
        return NOTE_DATA_CATEGORY[self.category]


class DocumentKind(models.TextChoices):
    IDENTITY = "identity", _("Identity document")
    CERTIFICATE = "certificate", _("Certificate or qualification")
    DECISION = "decision", _("Decision of an authority")
    APPLICATION = "application", _("Application")
    MEDICAL = "medical", _("Medical or psychosocial document")
    OTHER = "other", _("Other document")


def _document_path(instance, filename: str) -> str:
    # Never the person's name or the original file name in the path: the hash names the file.
    return f"cases/{instance.case_id}/{instance.sha256}"


class CaseDocument(PersonalModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind of document"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("data category"), max_length=20, choices=NoteCategory.choices,
                                default=NoteCategory.GENERAL)
    file = models.FileField(upload_to=_document_path, max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta(PersonalModel.Meta):
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    @property
    def data_category(self) -> str:
        return NOTE_DATA_CATEGORY[self.category]


class TaskKind(models.TextChoices):
    NEXT_CONTACT = "next_contact", _("Next contact")
    ACCOMPANY = "accompany", _("Accompany to an appointment")
    FOLLOW_UP = "follow_up", _("Follow up")
    OTHER = "other", _("Other")


class CaseTask(PersonalModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices,
                            default=TaskKind.FOLLOW_UP)
    title = models.CharField(_("task"), max_length=200)
    due_on = models.DateField(_("due on"))
    assignee = models.ForeignKey(StaffUser, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("assigned to"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_by = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(PersonalModel.Meta):
        ordering = ["due_on", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [models.Index(fields=["assignee", "done_on", "due_on"])]
