"""The shared vocabulary of Lotse: data categories and purposes of processing.

Every piece of personal data belongs to exactly one category; every access names one purpose.
The policy (`lotse.access.policy`) decides on category × purpose, never on single fields.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataCategory(models.TextChoices):
    IDENTITY = "identity", _("Identity")
    CONTACT = "contact", _("Contact and address")
    RESIDENCE = "residence", _("Residence status")
    BENEFITS = "benefits", _("Benefits")
    HOUSEHOLD = "household", _("Household")
    QUALIFICATIONS = "qualifications", _("Qualifications")
    COUNSELLING_NOTES = "counselling_notes", _("Counselling notes")
    HEALTH = "health", _("Health and psychosocial (Art. 9 GDPR)")


# Special categories of personal data (Art. 9 GDPR).
SPECIAL_CATEGORIES = frozenset({DataCategory.HEALTH})

CATEGORY_ORDER: list[str] = [c.value for c in DataCategory]


def category_bit(category: str) -> int:
    """The bit of a category in a category mask (stable: the order above never changes)."""
    return 1 << CATEGORY_ORDER.index(category)


def categories_to_mask(categories) -> int:
    mask = 0
    for category in categories:
        mask |= category_bit(category)
    return mask


def mask_to_categories(mask: int) -> list[str]:
    return [c for c in CATEGORY_ORDER if mask & category_bit(c)]


class Purpose(models.TextChoices):
    CASE_MANAGEMENT = "case_management", _("Case management and counselling")
    RESIDENCE_ADMINISTRATION = "residence_administration", _("Residence administration")
    BENEFITS_ADMINISTRATION = "benefits_administration", _("Benefits administration")
    BENEFITS_HANDOVER = "benefits_handover", _("Change of benefits regime")
    REGISTRY = "registry", _("Maintenance of the person registry")
    DATA_PROTECTION = "data_protection", _("Data protection supervision and data subject requests")


class LifeArea(models.TextChoices):
    """Life areas of integration work: plan goals, offers and gap reports use the same list."""

    LANGUAGE = "language", _("Language")
    WORK_TRAINING = "work_training", _("Work and training")
    RECOGNITION = "recognition", _("Recognition of qualifications")
    HOUSING = "housing", _("Housing")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education, childcare and school")
    LIVELIHOOD = "livelihood", _("Livelihood")
    RESIDENCE = "residence", _("Residence")
    PARTICIPATION = "participation", _("Social participation")


class NewcomerSituation(models.TextChoices):
    """The situations the newcomers' guide asks about ("Who is responsible for me?"). Offers
    name the situations they serve (target groups); guide rules name those they apply to."""

    ASYLUM_PROCEDURE = "asylum_procedure", _("In the asylum procedure")
    PROTECTION = "protection", _("Recognised refugee or subsidiary protection")
    TEMPORARY_PROTECTION = "temporary_protection", _("Temporary protection (§ 24 AufenthG, Ukraine)")
    TOLERATED = "tolerated", _("Tolerated (Duldung)")
    EU_CITIZEN = "eu_citizen", _("Citizen of the European Union")
    SKILLED_WORKER_STUDENT = "skilled_worker_student", _("Skilled worker or student from abroad")
    FAMILY_REUNIFICATION = "family_reunification", _("Family reunification")


class GuideTopic(models.TextChoices):
    """What a newcomer asks about in the guide."""

    REGISTRATION = "registration", _("Registration of address")
    RESIDENCE = "residence", _("Residence permit")
    MONEY = "money", _("Money for living")
    WORK = "work", _("Work and job search")
    LANGUAGE_COURSE = "language_course", _("Language course")
    RECOGNITION = "recognition", _("Recognition of qualifications")
    SCHOOL_CHILDCARE = "school_childcare", _("School and childcare")
    HEALTH = "health", _("Health")
    HOUSING = "housing", _("Housing")
    COUNSELLING = "counselling", _("Counselling")


# The offers of a life area answer these guide topics (one directory, two uses).
TOPIC_LIFE_AREAS: dict[str, tuple[str, ...]] = {
    GuideTopic.REGISTRATION: (),
    GuideTopic.RESIDENCE: (LifeArea.RESIDENCE,),
    GuideTopic.MONEY: (LifeArea.LIVELIHOOD,),
    GuideTopic.WORK: (LifeArea.WORK_TRAINING,),
    GuideTopic.LANGUAGE_COURSE: (LifeArea.LANGUAGE,),
    GuideTopic.RECOGNITION: (LifeArea.RECOGNITION,),
    GuideTopic.SCHOOL_CHILDCARE: (LifeArea.EDUCATION,),
    GuideTopic.HEALTH: (LifeArea.HEALTH,),
    GuideTopic.HOUSING: (LifeArea.HOUSING,),
    GuideTopic.COUNSELLING: (LifeArea.PARTICIPATION, LifeArea.HEALTH),
}
