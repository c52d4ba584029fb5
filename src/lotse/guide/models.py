"""The newcomers' guide: public office profiles, the fixed welcome counsellors per municipality,
guide texts, and the translations of all of them. None of this is personal data of clients:
counsellors are staff whose work contact is published on purpose.

Translations are keyed by a stable content key (`office:<agency id>`, `counsellor:<id>`,
`offer:<id>`, `text:<id>`, `step:<rule key>`) and a field. Each remembers a hash of the German
source it was made from: when the German text changes, the translation is marked outdated."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.organisations.models import Agency, District, Municipality


class ReviewedContent(models.Model):
    """Content with a date by which someone checks it is still right."""

    review_due = models.DateField(_("review due"), null=True, blank=True,
                                  help_text=_("By when someone checks that this entry is still right."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OfficeProfile(ReviewedContent):
    """What the guide says about an agency: whether it is shown, what it does, when it is open.
    Address, phone and e-mail are the agency's own."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="guide_profile")
    public = models.BooleanField(_("shown in the public guide"), default=True)
    description = models.TextField(_("what the office does (German)"), blank=True)
    opening_hours = models.TextField(_("opening hours (German)"), blank=True)
    website = models.URLField(_("website"), blank=True)
    languages = models.JSONField(_("languages spoken (ISO 639-1)"), default=list, blank=True)

    class Meta:
        verbose_name = _("office profile")
        verbose_name_plural = _("office profiles")

    def __str__(self) -> str:
        return str(self.agency)

    @property
    def translation_key(self) -> str:
        return f"office:{self.agency_id}"

    def translatable(self) -> dict[str, str]:
        return {"description": self.description, "opening_hours": self.opening_hours}


class WelcomeCounsellor(ReviewedContent):
    """A fixed contact person of the welcome counselling for one or more municipalities, at a
    welfare association, regardless of residence status (seed 000)."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="welcome_counsellors")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="welcome_counsellors",
                               verbose_name=_("welfare association"))
    name = models.CharField(_("name"), max_length=200)
    municipalities = models.ManyToManyField(Municipality, related_name="welcome_counsellors",
                                            verbose_name=_("municipalities"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    office_hours = models.TextField(_("office hours (German)"), blank=True)
    languages = models.JSONField(_("languages spoken (ISO 639-1)"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("welcome counsellor")
        verbose_name_plural = _("welcome counsellors")

    def __str__(self) -> str:
        return self.name

    @property
    def translation_key(self) -> str:
        return f"counsellor:{self.pk}"

    def translatable(self) -> dict[str, str]:
        return {"office_hours": self.office_hours}


class GuideText(ReviewedContent):
    """A text page of the guide (welcome, what the welcome counselling is …), in German with
    translations; `easy_body` is the plain-language German (Leichte Sprache) version."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="guide_texts")
    slug = models.SlugField(_("short name"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title (German)"), max_length=200)
    body = models.TextField(_("text (German)"))
    easy_body = models.TextField(_("text in plain German (Leichte Sprache)"), blank=True)
    public = models.BooleanField(_("shown in the public guide"), default=True)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("guide text")
        verbose_name_plural = _("guide texts")
        constraints = [models.UniqueConstraint(fields=["district", "slug"], name="guidetext_unique_slug")]

    def __str__(self) -> str:
        return self.title

    @property
    def translation_key(self) -> str:
        return f"text:{self.pk}"

    def translatable(self) -> dict[str, str]:
        return {"title": self.title, "body": self.body}


class TranslationStatus(models.TextChoices):
    MACHINE_DRAFT = "machine_draft", _("Machine draft")
    REVIEWED = "reviewed", _("Reviewed")


class Translation(models.Model):
    """One field of one entry in one language. Missing = no row; outdated = made from another
    German source than the current one (`source_hash`)."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="guide_translations",
                                 help_text=_("Empty for texts of rules shared by all districts."))
    key = models.CharField(_("entry"), max_length=100)
    field = models.CharField(_("field"), max_length=40)
    language = models.CharField(_("language"), max_length=8)
    text = models.TextField(_("translation"))
    status = models.CharField(_("status"), max_length=20, choices=TranslationStatus.choices)
    source_hash = models.CharField(max_length=64)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(fields=["key", "field", "language"], name="translation_unique_entry")
        ]
        indexes = [models.Index(fields=["language", "key"])]

    def __str__(self) -> str:
        return f"{self.key}.{self.field} [{self.language}]"


class TranslatorLanguages(models.Model):
    """The languages a translator (permission `guide:translate`) may edit. Coordinators
    (`guide:manage`) edit every language."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="translator_languages")
    languages = models.JSONField(_("languages"), default=list)

    class Meta:
        verbose_name = _("translator languages")
        verbose_name_plural = _("translator languages")
