"""Writes to the newcomers' guide: office profiles, welcome counsellors, guide texts, their
translations and the languages of translators.

Coordinators (`guide:manage`) edit the entries of their own district and translate into every
language; translators (`guide:translate`) only translate, into the languages assigned to them.
Entries of another district look like missing ones. A translation remembers the hash of the
German source it was made from, so a later change of the German text marks it outdated. Guide
content is no personal data; each change is logged as an administrative action all the same."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.access.spine import log_action, refuse
from lotse.guide.entries import entry_district_id, entry_for_key, translation_languages
from lotse.guide.languages import TRANSLATED_LANGUAGES, language_name
from lotse.guide.models import (
    GuideText,
    OfficeProfile,
    Translation,
    TranslationStatus,
    TranslatorLanguages,
    WelcomeCounsellor,
)
from lotse.guide.translation import source_hash
from lotse.organisations import permissions
from lotse.organisations.models import Agency, AgencyKind, District, Municipality, StaffUser


def _require(ctx: AccessContext, action: str, permission: str = permissions.GUIDE_MANAGE) -> None:
    if not ctx.has_permission(permission) or ctx.district_id is None:
        refuse(ctx, f"{action}.refused", reason=f"permission:{permission}",
               message=_("You lack the permission '%(perm)s'.") % {"perm": permission})


def _spoken(languages: list[str], errors: dict) -> list[str]:
    unknown = [code for code in languages if code not in settings.LOTSE_PERSON_LANGUAGES]
    if unknown:
        errors["languages"] = _("Unknown language: %(codes)s.") % {"codes": ", ".join(unknown)}
    return list(dict.fromkeys(languages))


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


# --- office profiles -------------------------------------------------------------------------------

@dataclass
class OfficeProfileData:
    """The guide profile, and the agency's public contact (None: leave as it is)."""

    public: bool = True
    description: str = ""
    opening_hours: str = ""
    website: str = ""
    languages: list[str] = field(default_factory=list)
    review_due: datetime.date | None = None
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    phone: str | None = None
    email: str | None = None


CONTACT_FIELDS = ("street", "postal_code", "city", "phone", "email")


def office_profile_save(*, ctx: AccessContext, agency_id: int, data: OfficeProfileData) -> OfficeProfile:
    """Create or change what the guide says about an agency of the user's district."""
    _require(ctx, "guide.office.save")
    agency = Agency.objects.filter(pk=agency_id, district_id=ctx.district_id).first()
    if agency is None:
        raise ValidationError(_("This office does not exist."))
    errors: dict = {}
    languages = _spoken(data.languages, errors)
    _raise(errors)
    contact = {name: getattr(data, name).strip() for name in CONTACT_FIELDS if getattr(data, name) is not None}
    for name, value in contact.items():
        setattr(agency, name, value)
    try:
        agency.full_clean(exclude=["district", "municipality", "parent", "kind", "name"])
    except ValidationError as exc:
        raise ValidationError({name: messages for name, messages in exc.message_dict.items()
                               if name in CONTACT_FIELDS}) from exc
    with transaction.atomic():
        if contact:
            agency.save(update_fields=list(contact))
        profile = (OfficeProfile.objects.select_for_update().filter(agency=agency).first()
                   or OfficeProfile(agency=agency))
        profile.public = data.public
        profile.description = data.description.strip()
        profile.opening_hours = data.opening_hours.strip()
        profile.website = data.website.strip()
        profile.languages = languages
        profile.review_due = data.review_due
        profile.full_clean()
        profile.save()
        log_action(ctx, "guide.office.saved", object_ref=profile.translation_key)
    return profile


# --- welcome counsellors ----------------------------------------------------------------------------

@dataclass
class CounsellorData:
    name: str
    agency_id: int | None
    municipality_ids: list[int] = field(default_factory=list)
    address: str = ""
    phone: str = ""
    email: str = ""
    office_hours: str = ""
    languages: list[str] = field(default_factory=list)
    active: bool = True
    review_due: datetime.date | None = None


def _validate_counsellor(ctx: AccessContext, data: CounsellorData) -> list[Municipality]:
    errors: dict = {}
    if not data.name.strip():
        errors["name"] = _("Give the name of the welcome counsellor.")
    if not Agency.objects.filter(pk=data.agency_id or 0, district_id=ctx.district_id,
                                 kind=AgencyKind.WELFARE_ASSOCIATION, is_active=True).exists():
        errors["agency"] = _("Choose a welfare association of your district.")
    municipalities = list(Municipality.objects.filter(pk__in=data.municipality_ids, district_id=ctx.district_id))
    if len(municipalities) != len(set(data.municipality_ids)):
        errors["municipalities"] = _("Choose municipalities of your district.")
    elif not municipalities:
        errors["municipalities"] = _("Choose at least one municipality the counsellor is there for.")
    _spoken(data.languages, errors)
    _raise(errors)
    return municipalities


def _apply_counsellor(counsellor: WelcomeCounsellor, data: CounsellorData) -> None:
    counsellor.name = data.name.strip()[:200]
    counsellor.agency_id = data.agency_id
    counsellor.address = data.address.strip()[:300]
    counsellor.phone = data.phone.strip()[:50]
    counsellor.email = data.email.strip()
    counsellor.office_hours = data.office_hours.strip()
    counsellor.languages = list(dict.fromkeys(data.languages))
    counsellor.active = data.active
    counsellor.review_due = data.review_due
    counsellor.full_clean(exclude=["municipalities"])


def counsellor_create(*, ctx: AccessContext, data: CounsellorData) -> WelcomeCounsellor:
    _require(ctx, "guide.counsellor.create")
    municipalities = _validate_counsellor(ctx, data)
    with transaction.atomic():
        counsellor = WelcomeCounsellor(district_id=ctx.district_id)
        _apply_counsellor(counsellor, data)
        counsellor.save()
        counsellor.municipalities.set(municipalities)
        log_action(ctx, "guide.counsellor.created", object_ref=counsellor.translation_key)
    return counsellor


def _counsellor(ctx: AccessContext, counsellor_id: int, action: str) -> WelcomeCounsellor:
    _require(ctx, action)
    counsellor = WelcomeCounsellor.objects.filter(pk=counsellor_id, district_id=ctx.district_id).first()
    if counsellor is None:
        raise ValidationError(_("This welcome counsellor does not exist."))
    return counsellor


def counsellor_update(*, ctx: AccessContext, counsellor_id: int, data: CounsellorData) -> WelcomeCounsellor:
    counsellor = _counsellor(ctx, counsellor_id, "guide.counsellor.update")
    municipalities = _validate_counsellor(ctx, data)
    with transaction.atomic():
        _apply_counsellor(counsellor, data)
        counsellor.save()
        counsellor.municipalities.set(municipalities)
        log_action(ctx, "guide.counsellor.updated", object_ref=counsellor.translation_key)
    return counsellor


def counsellor_deactivate(*, ctx: AccessContext, counsellor_id: int) -> WelcomeCounsellor:
    """Take a counsellor out of the guide (kept, with the translations, to be activated again)."""
    counsellor = _counsellor(ctx, counsellor_id, "guide.counsellor.deactivate")
    with transaction.atomic():
        counsellor.active = False
        counsellor.save(update_fields=["active", "updated_at"])
        log_action(ctx, "guide.counsellor.deactivated", object_ref=counsellor.translation_key)
    return counsellor


# --- guide texts -------------------------------------------------------------------------------------

@dataclass
class GuideTextData:
    slug: str
    title: str
    body: str
    easy_body: str = ""
    order: int = 0
    public: bool = True
    review_due: datetime.date | None = None


def _apply_text(ctx: AccessContext, text: GuideText, data: GuideTextData) -> None:
    errors: dict = {}
    if not data.title.strip():
        errors["title"] = _("Give the text a title.")
    if not data.body.strip():
        errors["body"] = _("Write the text.")
    slug = data.slug.strip().lower()
    if GuideText.objects.filter(district_id=ctx.district_id, slug=slug).exclude(pk=text.pk).exists():
        errors["slug"] = _("Another text of your district has this short name.")
    _raise(errors)
    text.slug = slug
    text.title = data.title.strip()[:200]
    text.body = data.body.strip()
    text.easy_body = data.easy_body.strip()
    text.order = data.order
    text.public = data.public
    text.review_due = data.review_due
    text.full_clean(exclude=["district"], validate_unique=False)


def guide_text_create(*, ctx: AccessContext, data: GuideTextData) -> GuideText:
    _require(ctx, "guide.text.create")
    text = GuideText(district_id=ctx.district_id)
    _apply_text(ctx, text, data)
    with transaction.atomic():
        text.save()
        log_action(ctx, "guide.text.created", object_ref=text.translation_key)
    return text


def guide_text_update(*, ctx: AccessContext, text_id: int, data: GuideTextData) -> GuideText:
    """Change a guide text; translations of a changed title or text become outdated."""
    _require(ctx, "guide.text.update")
    text = GuideText.objects.filter(pk=text_id, district_id=ctx.district_id).first()
    if text is None:
        raise ValidationError(_("This guide text does not exist."))
    _apply_text(ctx, text, data)
    with transaction.atomic():
        text.save()
        log_action(ctx, "guide.text.updated", object_ref=text.translation_key)
    return text


# --- translations ----------------------------------------------------------------------------------

def _require_language(ctx: AccessContext, action: str, language: str) -> None:
    """Refuse users who may not translate, and translators outside their languages."""
    if ctx.district_id is None or not (ctx.has_permission(permissions.GUIDE_MANAGE)
                                       or ctx.has_permission(permissions.GUIDE_TRANSLATE)):
        _require(ctx, action, permissions.GUIDE_TRANSLATE)
    if language not in TRANSLATED_LANGUAGES:
        raise ValidationError({"language": _("Unknown language: %(codes)s.") % {"codes": language}})
    if language not in translation_languages(ctx):
        refuse(ctx, f"{action}.refused", reason=f"language:{language}",
               message=_("You may not translate into %(language)s.") % {"language": language_name(language)})


def translations_save(*, ctx: AccessContext, key: str, language: str,
                      texts: dict[str, tuple[str, str]]) -> list[Translation]:
    """Save translations of fields of one entry into one language: {field: (text, status)}.
    Each is stored with the hash of the current German source, so it counts as current. All
    or nothing: one bad field saves none."""
    _require_language(ctx, "guide.translation.save", language)
    district = District.objects.get(pk=ctx.district_id)
    entry = entry_for_key(district, key, on=ctx.today)
    if entry is None:
        raise ValidationError(_("This entry does not exist."))
    if entry_district_id(entry) is None and not ctx.has_permission(permissions.RULES_MANAGE):
        # First steps are rule data shared by every district: their translations are public
        # text in all of them, so they are kept by those who keep the rules (`rules:manage`).
        refuse(ctx, "guide.translation.save.refused", reason=f"permission:{permissions.RULES_MANAGE}",
               message=_("The first steps are shared by every district of this installation: their "
                         "translations are kept by administrators of the rules."))
    sources = entry.translatable()
    errors: dict = {}
    for name, (text, status) in texts.items():
        if name not in sources:
            errors[name] = _("This entry has no field '%(field)s'.") % {"field": name}
        elif not sources[name].strip():
            errors[name] = _("The German text of this field is empty: there is nothing to translate.")
        elif not text.strip():
            errors[name] = _("Enter the translation.")
        elif status not in TranslationStatus.values:
            errors[name] = _("Choose the status of the translation.")
    if not texts:
        errors["text"] = _("Enter the translation.")
    _raise(errors)
    saved = []
    with transaction.atomic():
        for name, (text, status) in texts.items():
            row, _created = Translation.objects.update_or_create(
                key=key, field=name, language=language,
                defaults={"district_id": entry_district_id(entry), "text": text.strip(), "status": status,
                          "source_hash": source_hash(sources[name]), "updated_by_id": ctx.user_id})
            log_action(ctx, "guide.translation.saved", basis=status,
                       object_ref=f"{key}.{name}[{language}]"[:100])
            saved.append(row)
    return saved


def translation_save(*, ctx: AccessContext, key: str, field: str, language: str, text: str,
                     status: str) -> Translation:
    """Save one field of one entry in one language (see `translations_save`)."""
    return translations_save(ctx=ctx, key=key, language=language, texts={field: (text, status)})[0]


# --- translators --------------------------------------------------------------------------------------

def translator_languages_set(*, ctx: AccessContext, user_id: int, languages: list[str]) -> TranslatorLanguages:
    """The languages a user of the own district may translate into."""
    _require(ctx, "guide.translator.languages_set")
    user = StaffUser.objects.filter(pk=user_id, agency__district_id=ctx.district_id).first()
    if user is None:
        raise ValidationError(_("This user does not exist."))
    unknown = [code for code in languages if code not in TRANSLATED_LANGUAGES]
    if unknown:
        raise ValidationError({"languages": _("Unknown language: %(codes)s.") % {"codes": ", ".join(unknown)}})
    chosen = [code for code in TRANSLATED_LANGUAGES if code in languages]
    with transaction.atomic():
        row, _created = TranslatorLanguages.objects.update_or_create(user=user, defaults={"languages": chosen})
        log_action(ctx, "guide.translator.languages_set", basis=",".join(chosen), object_ref=f"user:{user.pk}")
    return row
