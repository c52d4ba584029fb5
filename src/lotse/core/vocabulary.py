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
