from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from lotse.core.vocabulary import categories_to_mask
from lotse.organisations.models import Role
from lotse.organisations.reference import ROLES
from lotse.rules.models import (
    AccessRule,
    DeadlineRule,
    FirstStep,
    GuideResponsibility,
    RecordResponsibility,
    RegimeChangeRule,
    ResidenceKind,
)
from lotse.rules.reference import (
    ACCESS_RULES,
    DEADLINE_RULES,
    FIRST_STEPS,
    GUIDE_RESPONSIBILITIES,
    RECORD_RESPONSIBILITIES,
    REGIME_CHANGE_RULES,
    RESIDENCE_KINDS,
)


def _covered(versions, valid_from, valid_to) -> bool:
    """Is a shipped rule version there already? Yes if a version with its start exists, or if
    a version starting later lies in its period: an administrator moved the start in the
    rules area of the staff UI, and a second copy would bring the old start back. A shipped
    version starting after the existing ones is new law and is created."""
    later = versions.filter(valid_from__gt=valid_from)
    if valid_to is not None:
        later = later.filter(valid_from__lte=valid_to)
    return versions.filter(valid_from=valid_from).exists() or later.exists()


class Command(BaseCommand):
    help = "Create the reference roles, access rules and residence status kinds (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        for spec in ROLES:
            values = {"name": spec["name"], "categories_mask": categories_to_mask(spec["categories"]),
                      "purposes": [str(p) for p in spec["purposes"]],
                      "permissions": list(spec["permissions"])}
            # Reference roles are read-only in the UI (districts adapt copies), so they always
            # follow the shipped definition: new permissions reach existing installations.
            Role.objects.update_or_create(code=spec["code"], district=None, defaults=values)
        for spec in ACCESS_RULES:
            spec = dict(spec)
            key = spec.pop("key")
            categories = spec.pop("categories")
            spec["purposes"] = [str(p) for p in spec["purposes"]]
            if not AccessRule.objects.filter(key=key).exists():  # administrators may have versioned it
                AccessRule.objects.create(key=key, **spec, categories_mask=categories_to_mask(categories))
        for subject, kind, reference, valid_from in RECORD_RESPONSIBILITIES:
            RecordResponsibility.objects.get_or_create(
                subject=subject, agency_kind=kind, valid_from=valid_from,
                defaults={"legal_reference": reference},
            )
        for code, name, basis, is_title, valid_from, valid_to in RESIDENCE_KINDS:
            if not _covered(ResidenceKind.objects.filter(code=code), valid_from, valid_to):
                ResidenceKind.objects.create(
                    code=code, valid_from=valid_from, name=name, legal_basis=basis, is_title=is_title,
                    valid_to=valid_to, legal_reference=basis)
        for key, name, amount, unit, reference, valid_from, valid_to, note in DEADLINE_RULES:
            if not _covered(DeadlineRule.objects.filter(key=key), valid_from, valid_to):
                DeadlineRule.objects.create(
                    key=key, valid_from=valid_from, name=name, amount=amount, unit=unit,
                    valid_to=valid_to, legal_reference=reference, source_note=note)
        for spec in REGIME_CHANGE_RULES:
            spec = dict(spec)
            RegimeChangeRule.objects.get_or_create(key=spec.pop("key"), defaults=spec)
        for key, topic, situations, kind, reference, valid_from, valid_to, note in GUIDE_RESPONSIBILITIES:
            if not _covered(GuideResponsibility.objects.filter(key=key), valid_from, valid_to):
                GuideResponsibility.objects.create(
                    key=key, topic=topic, situations=list(situations), agency_kind=kind,
                    legal_reference=reference, valid_from=valid_from, valid_to=valid_to, source_note=note)
        for (key, order, topic, situations, title, text, kind, outside, days, reference,
             valid_from) in FIRST_STEPS:
            if not _covered(FirstStep.objects.filter(key=key), valid_from, None):
                FirstStep.objects.create(
                    key=key, order=order, topic=topic, situations=list(situations), title=title, text=text,
                    agency_kind=kind, outside_office=outside, deadline_days=days,
                    legal_reference=reference, valid_from=valid_from)
        # Apps above the rules layer (questionnaires, plan templates …) load their own.
        for config in apps.get_app_configs():
            if hasattr(config, "load_reference_data"):
                config.load_reference_data()
        if options.get("verbosity", 1) >= 1:
            self.stdout.write(self.style.SUCCESS(
                f"Reference data: {Role.objects.count()} roles, {AccessRule.objects.count()} "
                f"access rules, {ResidenceKind.objects.count()} residence status kinds."))
