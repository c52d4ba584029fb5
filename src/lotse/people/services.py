"""Writes to the person registry. Each is atomic, checks the policy and logs itself."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.access.spine import AccessDenied, access_person_for_write, log_action, refuse
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import DataCategory, Purpose
from lotse.organisations import permissions
from lotse.people.matching import blocking_keys
from lotse.people.models import (
    BenefitsRegime,
    BenefitsRegimeKind,
    Household,
    HouseholdRole,
    Person,
    PersonAgencyLink,
    PersonNameKey,
    ResidenceStatus,
)
from lotse.people.signals import person_merged, residence_status_recorded
from lotse.rules.selectors import responsible_agency_kinds


@dataclass
class PersonData:
    given_names: str
    family_name: str
    given_names_original: str = ""
    family_name_original: str = ""
    other_names: str = ""
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    sex: str = "u"
    nationalities: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    preferred_language: str = ""
    interpreter_needed: bool = False
    azr_number: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    municipality_id: int | None = None
    phone: str = ""
    email: str = ""
    arrival_germany: datetime.date | None = None
    arrival_district: datetime.date | None = None


def _require(ctx: AccessContext, permission: str) -> None:
    if not ctx.has_permission(permission):
        raise AccessDenied(_("You lack the permission '%(perm)s'.") % {"perm": permission})


def _validate_birth(data: PersonData) -> None:
    if data.birth_day and not data.birth_month:
        raise ValidationError({"birth_day": _("A day of birth needs a month of birth.")})
    if data.birth_month and not data.birth_year:
        raise ValidationError({"birth_month": _("A month of birth needs a year of birth.")})
    if data.birth_year:
        try:
            datetime.date(data.birth_year, data.birth_month or 1, data.birth_day or 1)
        except ValueError as exc:
            raise ValidationError({"birth_day": _("This date of birth does not exist.")}) from exc
        if data.birth_year < 1900 or datetime.date(data.birth_year, 1, 1) > timezone.localdate():
            raise ValidationError({"birth_year": _("The year of birth is not plausible.")})


def refresh_name_keys(person: Person) -> None:
    keys = set(blocking_keys(person.given_names, person.family_name))
    for other in [f"{person.given_names_original} {person.family_name_original}",
                  *person.other_names.split(";")]:
        parts = other.split()
        if parts:
            keys |= blocking_keys(" ".join(parts[:-1]), parts[-1])
    PersonNameKey.objects.filter(person=person).delete()
    PersonNameKey.objects.bulk_create([PersonNameKey(person=person, district_id=person.district_id, key=k)
                                       for k in sorted(keys)])


@transaction.atomic
def person_create(
    *, ctx: AccessContext, data: PersonData, file_number: str = "",
    household_id: int | None = None, household_role: str = "",
) -> Person:
    _require(ctx, permissions.PERSON_CREATE)
    _validate_birth(data)
    with personal_data_scope():
        person = Person(district_id=ctx.district_id, **data.__dict__)
        if household_id is not None:
            person.household = Household.objects.get(pk=household_id, district_id=ctx.district_id)
            person.household_role = household_role
        person.full_clean()
        person.save()
        PersonAgencyLink.objects.create(
            person=person, agency_id=ctx.agency_id, file_number=file_number, since=ctx.today
        )
        refresh_name_keys(person)
    log_action(ctx, "person.created", person_id=person.pk,
               categories=[DataCategory.IDENTITY, DataCategory.CONTACT],
               purpose=Purpose.REGISTRY, basis="own_agency")
    return person


def person_link_agency(*, ctx: AccessContext, person_id: int, file_number: str = "") -> None:
    """Open a file of the user's agency on a person it can already see (rule or consent)."""
    check_may_open_file(ctx, person_id)
    agency_file_open(ctx=ctx, person_id=person_id, file_number=file_number)


def check_may_open_file(ctx: AccessContext, person_id: int) -> None:
    """The spine's check before a file is opened (logged; PersonNotFound when not visible). Run it
    outside the caller's transaction, so that a refusal stays in the log."""
    access_person_for_write(ctx, person_id, "person.link", permission=permissions.PERSON_EDIT,
                            own_file=False)


def agency_file_open(*, ctx: AccessContext, person_id: int, file_number: str = "") -> None:
    """The write of `person_link_agency`, for callers that checked with `check_may_open_file` and
    open the file as part of a larger write (it joins their transaction). Idempotent."""
    with transaction.atomic(), personal_data_scope():
        _link, created = PersonAgencyLink.objects.get_or_create(
            person_id=person_id, agency_id=ctx.agency_id,
            defaults={"file_number": file_number[:50], "since": ctx.today},
        )
        if created:
            log_action(ctx, "person.file_opened", person_id=person_id,
                       categories=[DataCategory.IDENTITY], purpose=ctx.work_purpose(),
                       object_ref=f"agency:{ctx.agency_id}")


def residence_status_add(
    *, ctx: AccessContext, person_id: int, kind_id: int, document: str,
    valid_from: datetime.date, valid_to: datetime.date | None = None,
    application_pending_since: datetime.date | None = None,
) -> ResidenceStatus:
    if ctx.agency_kind not in responsible_agency_kinds(subject="residence", on=ctx.today):
        refuse(ctx, "residence.write.refused", person_id=person_id, reason="not_responsible",
               message=_("Your agency does not record residence statuses."))
    access_person_for_write(ctx, person_id, "residence.write", permission=permissions.PERSON_EDIT,
                            purpose=Purpose.RESIDENCE_ADMINISTRATION)
    if valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end of validity lies before its start.")})
    with transaction.atomic(), personal_data_scope():
        status = ResidenceStatus(
            person_id=person_id, owning_agency_id=ctx.agency_id, kind_id=kind_id,
            document=document, valid_from=valid_from, valid_to=valid_to,
            application_pending_since=application_pending_since,
        )
        status.full_clean()
        status.save()
        log_action(ctx, "residence.recorded", person_id=person_id,
                   categories=[DataCategory.RESIDENCE], purpose=Purpose.RESIDENCE_ADMINISTRATION,
                   object_ref=f"residence:{status.pk}")
        residence_status_recorded.send(sender=ResidenceStatus, ctx=ctx, status=status)
    return status


def benefits_regime_add(
    *, ctx: AccessContext, person_id: int, regime: str, valid_from: datetime.date,
    valid_to: datetime.date | None = None,
) -> BenefitsRegime:
    access_person_for_write(ctx, person_id, "benefits.write", permission=permissions.PERSON_EDIT,
                            purpose=Purpose.BENEFITS_ADMINISTRATION)
    if valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end lies before the start.")})
    if regime != BenefitsRegimeKind.NONE and ctx.agency_kind not in responsible_agency_kinds(
            subject=regime, on=valid_from):
        raise ValidationError({"regime": _("Your agency is not responsible for this benefits regime.")})
    with transaction.atomic(), personal_data_scope():
        entry = BenefitsRegime(
            person_id=person_id, regime=regime, responsible_agency_id=ctx.agency_id,
            valid_from=valid_from, valid_to=valid_to,
        )
        entry.full_clean()
        entry.save()
        log_action(ctx, "benefits.recorded", person_id=person_id,
                   categories=[DataCategory.BENEFITS], purpose=Purpose.BENEFITS_ADMINISTRATION,
                   object_ref=f"benefits:{entry.pk}")
    return entry


def person_merge(*, ctx: AccessContext, keep_id: int, merge_id: int) -> Person:
    """Merge a duplicate into the kept record. All history moves; nothing is deleted; the
    merged record stays, pointing to the kept one, and both are logged. The user's agency
    must hold a file on both records, so nothing it may not see is copied over."""
    if keep_id == merge_id:
        raise ValidationError(_("A record cannot be merged with itself."))
    for pid in (keep_id, merge_id):
        access_person_for_write(ctx, pid, "person.merge", permission=permissions.PERSON_MERGE,
                                purpose=Purpose.REGISTRY)
    from lotse.consent.models import Consent

    with transaction.atomic(), personal_data_scope():
        keep = Person.objects.select_for_update().get(pk=keep_id)
        gone = Person.objects.select_for_update().get(pk=merge_id)
        for link in PersonAgencyLink.objects.filter(person=gone):
            if PersonAgencyLink.objects.filter(person=keep, agency_id=link.agency_id).exists():
                link.until = link.until or ctx.today
                link.save(update_fields=["until"])
            else:
                link.person = keep
                link.save(update_fields=["person"])
        ResidenceStatus.objects.filter(person=gone).update(person=keep)
        BenefitsRegime.objects.filter(person=gone).update(person=keep)
        Consent.objects.filter(person=gone).update(person=keep)
        spellings = [s.strip() for s in keep.other_names.split(";") if s.strip()]
        for name in (f"{gone.given_names} {gone.family_name}", *gone.other_names.split(";")):
            name = name.strip()
            if name and name not in spellings and name != f"{keep.given_names} {keep.family_name}":
                spellings.append(name)
        keep.other_names = "; ".join(spellings)[:500]
        for attr in ("birth_month", "birth_day", "azr_number", "given_names_original",
                     "family_name_original", "household_id", "municipality_id"):
            if not getattr(keep, attr) and getattr(gone, attr):
                setattr(keep, attr, getattr(gone, attr))
        keep.save()
        gone.merged_into = keep
        gone.save(update_fields=["merged_into", "updated_at"])
        person_merged.send(sender=Person, ctx=ctx, keep_id=keep.pk, merge_id=gone.pk)
        refresh_name_keys(keep)
        log_action(ctx, "person.merged", person_id=keep.pk, categories=[DataCategory.IDENTITY],
                   purpose=Purpose.REGISTRY, object_ref=f"merged:{gone.pk}")
        log_action(ctx, "person.merged_away", person_id=gone.pk,
                   categories=[DataCategory.IDENTITY], purpose=Purpose.REGISTRY,
                   object_ref=f"into:{keep.pk}")
    return keep


def household_assign(
    *, ctx: AccessContext, person_id: int, role: str, with_person_id: int | None = None,
) -> Household:
    """Put a person into the household of another person (founding it if needed), or into a
    new household of their own. The user's agency must hold a file on both; both are logged."""
    if role not in HouseholdRole.values:
        raise ValidationError({"role": _("Choose a role in the household.")})
    if with_person_id == person_id:
        raise ValidationError({"with_person": _("A person cannot join their own household.")})
    purpose = ctx.work_purpose()
    involved = [person_id] + ([with_person_id] if with_person_id else [])
    for pid in involved:
        access_person_for_write(ctx, pid, "household.write", permission=permissions.PERSON_EDIT)
    with transaction.atomic(), personal_data_scope():
        person = Person.objects.select_for_update().get(pk=person_id)
        if with_person_id:
            other = Person.objects.select_for_update().get(pk=with_person_id)
            if other.household_id is None:
                other.household = Household.objects.create(district_id=ctx.district_id)
                other.household_role = HouseholdRole.HEAD
                other.save(update_fields=["household", "household_role", "updated_at"])
            household = other.household
        else:
            household = Household.objects.create(district_id=ctx.district_id)
        person.household = household
        person.household_role = role
        person.save(update_fields=["household", "household_role", "updated_at"])
        for pid in involved:
            log_action(ctx, "household.assigned", person_id=pid,
                       categories=[DataCategory.HOUSEHOLD], purpose=purpose,
                       object_ref=f"household:{household.pk}")
    return household
