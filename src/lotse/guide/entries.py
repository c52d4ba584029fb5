"""The entries of the newcomers' guide as content management sees them: found by translation key
within a district, listed with the state of their translations, and the languages a user may
translate into. Public content, never personal data: no access spine for the reads.

An entry is an office profile (`office:<agency id>`), a welcome counsellor (`counsellor:<id>`),
an offer (`offer:<id>`), a guide text (`text:<id>`) or a first step (`step:<key>`, dated rule
data shared by every district: the version in force is the one translated, else the newest)."""

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.access.context import AccessContext
from lotse.guide.languages import TRANSLATED_LANGUAGES
from lotse.guide.models import (
    GuideText,
    OfficeProfile,
    Translation,
    TranslationStatus,
    TranslatorLanguages,
    WelcomeCounsellor,
)
from lotse.guide.translation import MISSING, OUTDATED, field_state, translatable_fields
from lotse.offers.models import Offer
from lotse.organisations import permissions
from lotse.organisations.models import District, StaffUser
from lotse.rules.models import FirstStep

KIND_LABELS = {
    "office": _("Office"),
    "counsellor": _("Welcome counsellor"),
    "offer": _("Offer"),
    "text": _("Guide text"),
    "step": _("First step"),
}
FIELD_LABELS = {
    "name": _("Name"),
    "description": _("Description"),
    "opening_hours": _("Opening hours"),
    "office_hours": _("Office hours"),
    "eligibility_note": _("Who can use it"),
    "title": _("Title"),
    "body": _("Text"),
    "text": _("Text"),
    "outside_office": _("Office outside Lotse"),
}
# The states content management shows, in the order of urgency.
STATES = (OUTDATED, MISSING, TranslationStatus.MACHINE_DRAFT.value, TranslationStatus.REVIEWED.value)
NEEDS_WORK = (OUTDATED, MISSING, TranslationStatus.MACHINE_DRAFT.value)
STATE_LABELS = {
    MISSING: _("missing"),
    OUTDATED: _("outdated"),
    TranslationStatus.MACHINE_DRAFT.value: _("machine draft"),
    TranslationStatus.REVIEWED.value: _("reviewed"),
}


_IDENT = re.compile(r"[-a-zA-Z0-9_]{1,80}")


def _pk(value: str) -> int | None:
    try:
        number = int(value)
    except ValueError:
        return None
    return number if 0 < number < 10**18 else None


def _step(key: str, on: datetime.date) -> FirstStep | None:
    versions = FirstStep.objects.filter(key=key)
    return versions.in_force(on).first() or versions.order_by("-valid_from").first()


def entry_for_key(district: District, key: str, *, on: datetime.date | None = None):
    """The entry behind a translation key, if it belongs to the district (first steps belong to
    every district); None for unknown keys, for other districts' entries, and for other
    spellings of a key ("text:01"), so that nothing is stored under a key no page reads."""
    entry = _entry_for_key(district, key, on=on)
    return entry if entry is not None and entry.translation_key == key else None


def _entry_for_key(district: District, key: str, *, on: datetime.date | None = None):
    kind, _sep, ident = (key or "").partition(":")
    if not _IDENT.fullmatch(ident):
        return None
    if kind == "step":
        return _step(ident, on or timezone.localdate()) if ident else None
    pk = _pk(ident)
    if pk is None:
        return None
    if kind == "office":
        return OfficeProfile.objects.filter(agency_id=pk, agency__district=district).select_related("agency").first()
    if kind == "counsellor":
        return WelcomeCounsellor.objects.filter(pk=pk, district=district).first()
    if kind == "offer":
        return Offer.objects.filter(pk=pk, district=district).first()
    if kind == "text":
        return GuideText.objects.filter(pk=pk, district=district).first()
    return None


def entry_kind(entry) -> str:
    return entry.translation_key.partition(":")[0]


def entry_name(entry) -> str:
    if isinstance(entry, OfficeProfile):
        return entry.agency.name
    if isinstance(entry, WelcomeCounsellor | Offer):
        return entry.name
    return entry.title


def entry_district_id(entry) -> int | None:
    """The district a translation of the entry belongs to (None: shared rule data)."""
    if isinstance(entry, OfficeProfile):
        return entry.agency.district_id
    if isinstance(entry, FirstStep):
        return None
    return entry.district_id


def guide_entries(district: District, *, on: datetime.date) -> list:
    """Every entry of the district that the public guide can show, with the first steps in force."""
    return [
        *OfficeProfile.objects.filter(agency__district=district, agency__is_active=True)
        .select_related("agency").order_by("agency__name"),
        *WelcomeCounsellor.objects.filter(district=district, active=True).order_by("name"),
        *Offer.objects.filter(district=district, active=True).order_by("name"),
        *GuideText.objects.filter(district=district).order_by("order", "slug"),
        *FirstStep.objects.in_force(on).order_by("order", "key"),
    ]


@dataclass
class EntryStates:
    """One entry in one language: the state of each field that needs a translation."""

    entry: object
    language: str
    states: dict[str, str]

    @property
    def key(self) -> str:
        return self.entry.translation_key

    @property
    def kind(self) -> str:
        return entry_kind(self.entry)

    @property
    def name(self) -> str:
        return entry_name(self.entry)


def translation_states(district: District, *, languages, on: datetime.date, entries=None) -> list[EntryStates]:
    """The state of every field of every entry (or of `entries`) in each language: two queries
    plus those for the entries."""
    languages = list(languages)
    entries = guide_entries(district, on=on) if entries is None else list(entries)
    keys = {entry.translation_key for entry in entries}
    found: dict[str, dict[tuple[str, str], Translation]] = {code: {} for code in languages}
    if keys and languages:
        for row in Translation.objects.filter(language__in=languages, key__in=keys):
            found[row.language][(row.key, row.field)] = row
    return [EntryStates(entry, code, {name: field_state(entry, name, code, found[code])
                                      for name in translatable_fields(entry)})
            for entry in entries for code in languages]


def translation_work(district: District, *, languages, states=NEEDS_WORK, on: datetime.date) -> list[EntryStates]:
    """Entries and languages with a field in one of `states` (by default: needing work), with
    only those fields; outdated ones first."""
    rows = []
    for row in translation_states(district, languages=languages, on=on):
        chosen = {name: state for name, state in row.states.items() if state in states}
        if chosen:
            rows.append(EntryStates(row.entry, row.language, chosen))
    urgency = {state: index for index, state in enumerate(STATES)}
    rows.sort(key=lambda row: min(urgency[state] for state in row.states.values()))
    return rows


def translation_counts(rows: list[EntryStates]) -> dict[str, dict[str, int]]:
    """Fields per language and state: {"ar": {"missing": 3, …}, …}."""
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        per_language = counts.setdefault(row.language, dict.fromkeys(STATES, 0))
        for state in row.states.values():
            per_language[state] += 1
    return counts


def translation_languages(ctx: AccessContext) -> list[str]:
    """The languages a user may translate into: every one with `guide:manage`, the assigned
    ones with `guide:translate`, none otherwise."""
    if ctx.has_permission(permissions.GUIDE_MANAGE):
        return list(TRANSLATED_LANGUAGES)
    if not ctx.has_permission(permissions.GUIDE_TRANSLATE) or ctx.user_id is None:
        return []
    assigned = TranslatorLanguages.objects.filter(user_id=ctx.user_id).values_list("languages", flat=True).first()
    return [code for code in TRANSLATED_LANGUAGES if code in (assigned or [])]


def translators_of(district_id: int) -> list[tuple[StaffUser, list[str]]]:
    """Active users of the district who hold `guide:translate` or were given languages, with
    their languages."""
    assigned = dict(TranslatorLanguages.objects.filter(user__agency__district_id=district_id)
                    .values_list("user_id", "languages"))
    users = (StaffUser.objects.filter(agency__district_id=district_id, is_active=True)
             .select_related("agency").prefetch_related("roles").order_by("last_name", "first_name", "username"))
    return [(user, [code for code in TRANSLATED_LANGUAGES if code in assigned.get(user.pk, [])])
            for user in users
            if user.pk in assigned or any(permissions.GUIDE_TRANSLATE in (role.permissions or [])
                                          for role in user.roles.all())]
