"""The data package of a handover: what the office paying until the change (`from_agency`)
holds on the person and the household members, as the office paying after it (`to_agency`)
may see it. Part of the spine perimeter.

Exactly the categories a valid consent covers (from the paying office or every office of its
kind, to the next office or every office of its kind, purpose `benefits_handover`) are shown;
without one only what a legal-basis rule allows (identity); every other category is named in
a banner with the policy's own explanation. Only data whose source is the paying office is
in the package — what the next office holds itself, or learns from a third office, is not.

The paying office may open the package of its own handovers too: it then sees its own data
cut to what the next office sees (the policy decided for the next office, with no emergency
access), so it knows what still needs the person's consent.

Every read goes through `access_people` (purpose `benefits_handover`, action
`handover.package.read` or `handover.package.export`) and is logged there."""

import datetime
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.access.policy import CategoryDecision
from lotse.access.spine import (
    PersonRecord,
    access_people,
    decide_person,
    gather_facts,
    refuse,
    rules_for,
)
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import DataCategory, Purpose
from lotse.handovers.models import Handover, HandoverMember
from lotse.handovers.services import HandoverNotFound
from lotse.organisations import permissions
from lotse.organisations.models import Agency, District, Municipality
from lotse.people.models import FIELD_CATEGORIES, BenefitsRegimeKind, HouseholdRole, Person, Sex

PURPOSE = Purpose.BENEFITS_HANDOVER
READ_ACTION = "handover.package.read"
EXPORT_ACTION = "handover.package.export"

# What a package can carry: the paying office's file (identity, contact, household) and its
# benefits entries. Residence data is the foreigners' authority's, case data is never part
# of a handover.
PACKAGE_CATEGORIES: tuple[str, ...] = (
    DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.HOUSEHOLD, DataCategory.BENEFITS,
)
PERSON_FIELDS: dict[str, tuple[str, ...]] = {
    category: tuple(name for name, cat in FIELD_CATEGORIES.items() if cat == category)
    for category in (DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.HOUSEHOLD)
}


class CategoryState:
    SHOWN = "shown"
    HIDDEN = "hidden"
    NONE = "none"  # the paying office holds nothing of the category


@dataclass(frozen=True)
class FieldRow:
    key: str
    label: str
    value: object  # raw (JSON)
    display: str  # formatted for people (page, PDF)


@dataclass(frozen=True)
class PackageSection:
    category: str
    label: str
    state: str
    explanation: str
    rows: tuple[FieldRow, ...] = ()  # identity, contact, household
    entries: tuple[dict, ...] = ()  # benefits entries (raw, with a "display" text)


@dataclass
class PackageMember:
    person_id: int
    name: str
    is_trigger_person: bool
    sections: list[PackageSection]

    @property
    def hidden(self) -> list[PackageSection]:
        return [s for s in self.sections if s.state == CategoryState.HIDDEN]


@dataclass
class HandoverPackage:
    handover_id: int
    district_name: str
    status: str
    from_regime: str
    to_regime: str
    from_agency_id: int
    from_agency_name: str
    to_agency_id: int
    to_agency_name: str
    trigger_on: datetime.date
    old_regime_ends_on: datetime.date
    new_regime_starts_on: datetime.date
    application_due_on: datetime.date
    viewer: str  # "receiving_office" | "paying_office"
    generated_on: datetime.date
    members: list[PackageMember] = field(default_factory=list)
    members_not_shown: int = 0

    @property
    def is_paying_office(self) -> bool:
        return self.viewer == "paying_office"

    @property
    def hidden(self) -> list[tuple[PackageMember, PackageSection]]:
        """Every hidden category of every member, for the banner."""
        return [(m, s) for m in self.members for s in m.hidden]

    @property
    def from_regime_label(self) -> str:
        return _regime_label(self.from_regime)

    @property
    def to_regime_label(self) -> str:
        return _regime_label(self.to_regime)


def _regime_label(code: str) -> str:
    try:
        return str(BenefitsRegimeKind(code).label)
    except ValueError:
        return code


# --- deciding ------------------------------------------------------------------------------

def _handover_of_office(ctx: AccessContext, handover_id: int) -> Handover:
    """The handover, if it is one of the user's office (paying or next); else not found.
    Missing permission is refused and logged."""
    with personal_data_scope():
        handover = (Handover.objects.filter(pk=handover_id, district_id=ctx.district_id)
                    .select_related("from_agency", "to_agency").first())
    if handover is None or ctx.agency_id is None or ctx.agency_id not in (
            handover.from_agency_id, handover.to_agency_id):
        raise HandoverNotFound(handover_id)
    if not ctx.has_permission(permissions.HANDOVER_WORK):
        refuse(ctx, f"{READ_ACTION}.refused", person_id=handover.person_id,
               reason=f"permission:{permissions.HANDOVER_WORK}",
               message=_("You lack the permission '%(perm)s'.") % {"perm": permissions.HANDOVER_WORK})
    return handover


def _member_ids(handover: Handover) -> list[int]:
    with personal_data_scope():
        ids = list(HandoverMember.objects.filter(handover_id=handover.pk).order_by("id")
                   .values_list("person_id", flat=True))
    # The person whose status triggered the handover first, then the household.
    return [handover.person_id, *[pid for pid in ids if pid != handover.person_id]]


def _recipient_context(ctx: AccessContext, to_agency: Agency) -> AccessContext:
    """The next office as the policy sees it: its agency, the package's categories and the
    handover purpose. Used only to decide what the next office would see; nothing is read or
    logged in its name."""
    return AccessContext(
        user_id=ctx.user_id, agency_id=to_agency.pk, agency_kind=to_agency.kind,
        municipality_id=to_agency.municipality_id, district_id=to_agency.district_id,
        categories=frozenset(PACKAGE_CATEGORIES), purposes=frozenset({PURPOSE}),
        request_id=ctx.request_id, today=ctx.today,
    )


def _recipient_decisions(ctx: AccessContext, handover: Handover,
                         person_ids: list[int]) -> dict[int, dict[str, CategoryDecision]]:
    recipient = _recipient_context(ctx, handover.to_agency)
    facts = gather_facts(person_ids, ctx.today)
    rules = rules_for(recipient)
    return {
        pid: decide_person(recipient, facts[pid], PURPOSE, PACKAGE_CATEGORIES, rules,
                           override_lookup=lambda category: None)
        for pid in person_ids if pid in facts
    }


def _state(decision: CategoryDecision | None, category: str, from_agency: Agency,
           to_agency: Agency) -> tuple[str, str]:
    """Shown, hidden (with the policy's reason) or nothing held by the paying office."""
    if decision is None:
        return CategoryState.HIDDEN, _("hidden: your role does not include the category "
                                       "'%(category)s'") % {"category": DataCategory(category).label}
    if decision.allows_source(from_agency.pk):
        basis = decision.allowed[from_agency.pk]
        return CategoryState.SHOWN, basis.explain()
    for denial in decision.denied:
        if denial.source is not None and denial.source.id == from_agency.pk:
            return CategoryState.HIDDEN, denial.explain(category, recipient_name=to_agency.name)
    for denial in decision.denied:
        if denial.source is None and denial.reason != "no_data":
            return CategoryState.HIDDEN, denial.explain(category, recipient_name=to_agency.name)
    return CategoryState.NONE, _("%(office)s holds no data of this category.") % {
        "office": from_agency.name}


# --- shaping -------------------------------------------------------------------------------

def _display(value) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, datetime.date):
        return date_format(value, "d.m.Y")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _person_rows(person: Person, category: str, municipalities: dict[int, str]) -> tuple[FieldRow, ...]:
    rows = []
    for name in PERSON_FIELDS[category]:
        model_field = Person._meta.get_field(name)
        attname = model_field.attname
        value = getattr(person, attname)
        display = _display(value)
        if name == "sex":
            display = str(Sex(value).label) if value in Sex.values else display
        elif name == "municipality":
            display = municipalities.get(value, "–") if value else "–"
        elif name == "household_role":
            display = str(HouseholdRole(value).label) if value in HouseholdRole.values else display
        elif name == "household":
            display = _("Household %(id)s") % {"id": value} if value else "–"
        rows.append(FieldRow(attname, str(model_field.verbose_name), value, display))
    return tuple(rows)


def _benefit_entries(record: PersonRecord, from_agency: Agency) -> tuple[dict, ...]:
    return tuple(
        {"id": r.pk, "regime": r.regime, "regime_label": r.get_regime_display(),
         "responsible_agency_id": r.responsible_agency_id, "responsible_agency_name": from_agency.name,
         "valid_from": r.valid_from, "valid_to": r.valid_to,
         "display": f"{r.get_regime_display()} · {_display(r.valid_from)} – {_display(r.valid_to)}"}
        for r in record.benefits_regimes if r.responsible_agency_id == from_agency.pk
    )


def _member(record: PersonRecord, decisions: dict[str, CategoryDecision], handover: Handover,
            municipalities: dict[int, str]) -> PackageMember:
    person = record.person
    sections = []
    for category in PACKAGE_CATEGORIES:
        state, explanation = _state(decisions.get(category), category, handover.from_agency,
                                    handover.to_agency)
        rows: tuple[FieldRow, ...] = ()
        entries: tuple[dict, ...] = ()
        if state == CategoryState.SHOWN:
            if category == DataCategory.BENEFITS:
                entries = _benefit_entries(record, handover.from_agency)
            else:
                rows = _person_rows(person, category, municipalities)
        sections.append(PackageSection(category, str(DataCategory(category).label), state,
                                       explanation, rows, entries))
    return PackageMember(
        person_id=person.pk, name=f"{person.given_names} {person.family_name}".strip(),
        is_trigger_person=person.pk == handover.person_id, sections=sections,
    )


# --- the door ------------------------------------------------------------------------------

def handover_package(ctx: AccessContext, handover_id: int, *, export: str = "") -> HandoverPackage:
    """The data package of a handover for the user's office. `export` ("pdf", "json") logs the
    read as `handover.package.export` with the format in the object reference.

    Raises `HandoverNotFound` for a handover of another office (or none, or whose person the
    user may not see), `AccessDenied` without the permission `handover:work`."""
    handover = _handover_of_office(ctx, handover_id)
    person_ids = _member_ids(handover)
    action = EXPORT_ACTION if export else READ_ACTION
    object_ref = f"handover:{handover.pk}" + (f":{export}" if export else "")
    # The trigger person first: if they are not visible, the household is not read (or logged).
    trigger = access_people(ctx, [handover.person_id], PURPOSE, categories=PACKAGE_CATEGORIES,
                            action=action, object_ref=object_ref)
    if not trigger:
        raise HandoverNotFound(handover_id)
    others = [pid for pid in person_ids if pid != handover.person_id]
    records = {r.person.pk: r for r in [*trigger, *(access_people(
        ctx, others, PURPOSE, categories=PACKAGE_CATEGORIES, action=action, object_ref=object_ref)
        if others else [])]}
    paying = ctx.agency_id == handover.from_agency_id
    if paying:
        # What the next office sees; the paying office's own read is logged above.
        decisions = _recipient_decisions(ctx, handover, list(records))
    else:
        decisions = {pid: r.decisions for pid, r in records.items()}
    municipalities = dict(Municipality.objects.filter(district_id=handover.district_id)
                          .values_list("pk", "name"))
    members = []
    for pid in person_ids:
        record = records.get(pid)
        if record is None:
            continue
        if paying and not decisions.get(pid, {}).get(DataCategory.IDENTITY, CategoryDecision(
                DataCategory.IDENTITY)).any_allowed:
            continue  # the next office would not see this member at all
        members.append(_member(record, decisions.get(pid, {}), handover, municipalities))
    district = District.objects.filter(pk=handover.district_id).values_list("name", flat=True).first()
    return HandoverPackage(
        handover_id=handover.pk, district_name=district or "", status=handover.status,
        from_regime=handover.from_regime, to_regime=handover.to_regime,
        from_agency_id=handover.from_agency_id, from_agency_name=handover.from_agency.name,
        to_agency_id=handover.to_agency_id, to_agency_name=handover.to_agency.name,
        trigger_on=handover.trigger_on, old_regime_ends_on=handover.old_regime_ends_on,
        new_regime_starts_on=handover.new_regime_starts_on,
        application_due_on=handover.application_due_on,
        viewer="paying_office" if paying else "receiving_office", generated_on=ctx.today,
        members=members, members_not_shown=len(person_ids) - len(members),
    )


def package_as_dict(package: HandoverPackage) -> dict:
    """The package as JSON-ready data (dates as `datetime.date`; encode with Django's
    encoder). Labels are in the active language; codes and raw values stay as stored."""
    return {
        "handover": {
            "id": package.handover_id, "status": package.status,
            "from_regime": package.from_regime, "to_regime": package.to_regime,
            "from_agency": {"id": package.from_agency_id, "name": package.from_agency_name},
            "to_agency": {"id": package.to_agency_id, "name": package.to_agency_name},
            "trigger_on": package.trigger_on, "old_regime_ends_on": package.old_regime_ends_on,
            "new_regime_starts_on": package.new_regime_starts_on,
            "application_due_on": package.application_due_on,
        },
        "viewer": package.viewer,
        "generated_on": package.generated_on,
        "members": [
            {
                "person_id": m.person_id,
                "trigger_person": m.is_trigger_person,
                **{
                    s.category: (
                        None if s.state != CategoryState.SHOWN
                        else [{k: v for k, v in e.items() if k != "display"} for e in s.entries]
                        if s.category == DataCategory.BENEFITS
                        else {row.key: row.value for row in s.rows}
                    )
                    for s in m.sections
                },
                "categories": [
                    {"category": s.category, "label": s.label, "state": s.state,
                     "explanation": s.explanation}
                    for s in m.sections
                ],
            }
            for m in package.members
        ],
        "members_not_shown": package.members_not_shown,
    }
