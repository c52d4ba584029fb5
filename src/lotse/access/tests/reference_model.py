"""An independent reference model of who may see what, for the generated access attempts of
issue 9 point 3 (`test_generated_access.py`).

Written from `docs/access-model.md` and the shipped rule data, not from `lotse.access.policy`:
it imports no code of the access spine, only vocabulary and the reference data (roles in
`organisations/reference.py`, access rules in `rules/reference.py`). The state it judges on is
kept by the test itself, which mirrors every change it makes through the real services.

The rules, stated plainly (deny by default):

* the user is active, works in an agency, and the agency lies in the person's district;
* the user's roles name the category and the purpose;
* data of a category is held by agencies: identity, contact and household by every agency with
  an open file on the person, residence entries by the agency that recorded them, benefits by
  the responsible agency, counselling notes, qualifications and health by the agency running a
  case; each holder is judged on its own;
* a holder that is the user's own agency is visible;
* a blocked rule in force (matching recipient kind, source kind or secrecy, category and
  purpose) hides the holder's data whatever else exists;
* a statutory rule in force opens it within its scope (the district; the recipient's own
  municipality being the person's; an open handover between the two offices);
* when every file on the person is closed (at least one file, none open), the agencies of the
  closed files hold identity, contact and household, but only a statutory rule in force that
  says it includes such persons (`includes_closed_files` in the rule data: the
  data-protection officer's rule) opens them; the own agency, other rules, consents and
  emergency access do not, and a blocked rule still wins;
* a consent opens it when it names the person, the category, the purpose, the holder (or its
  kind), the user's agency (or its kind), is not revoked and its validity covers the day;
* an emergency access of the user for the person, the purpose and the category opens it until
  it expires, while the user still holds the permission for it and works in the agency it was
  granted for;
* anything else stays hidden.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from lotse.core.vocabulary import DataCategory, Purpose
from lotse.organisations.reference import ROLES
from lotse.rules.reference import ACCESS_RULES


def _v(value) -> str:
    return getattr(value, "value", value)


FILE_HELD = frozenset({"identity", "contact", "household"})
CASE_HELD = frozenset({"counselling_notes", "qualifications", "health"})
ALL_CATEGORIES = tuple(_v(c) for c in DataCategory)
ALL_PURPOSES = tuple(_v(p) for p in Purpose)
# The order in which a user's work purpose is chosen (docs/access-model.md, "Purposes").
WORK_PURPOSE_ORDER = ("case_management", "residence_administration", "benefits_administration",
                      "benefits_handover", "registry", "data_protection")

# role code -> (categories, purposes, permissions), from the shipped role data
ROLE_TABLE: dict[str, tuple[frozenset, frozenset, frozenset]] = {
    role["code"]: (frozenset(_v(c) for c in role["categories"]),
                   frozenset(_v(p) for p in role["purposes"]),
                   frozenset(role["permissions"]))
    for role in ROLES
}


@dataclass(frozen=True)
class RefAgency:
    id: int
    kind: str
    district: int
    municipality: int | None
    secrecy: bool
    name: str = ""


@dataclass
class RefRule:
    id: int
    kind: str  # "statutory" | "blocked"
    source_kind: str  # "" = any kind
    secrecy_sources_only: bool
    recipient_kind: str  # "" = any kind
    categories: frozenset
    purposes: frozenset  # empty = any purpose
    scope: str  # "district" | "same_municipality" | "open_handover"
    valid_from: datetime.date
    valid_to: datetime.date | None
    key: str = ""
    includes_closed_files: bool = False

    def in_force(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def concerns(self, source: RefAgency, recipient: RefAgency, category: str, purpose: str) -> bool:
        return (category in self.categories
                and self.recipient_kind in ("", recipient.kind)
                and (not self.purposes or purpose in self.purposes)
                and self.source_kind in ("", source.kind)
                and (source.secrecy or not self.secrecy_sources_only))


def shipped_rules(db_id_of_key: dict[str, int]) -> dict[int, RefRule]:
    """The reference access rules as shipped (`rules/reference.py`), under their database ids."""
    rules = {}
    for spec in ACCESS_RULES:
        rule_id = db_id_of_key[spec["key"]]
        rules[rule_id] = RefRule(
            id=rule_id, key=spec["key"], kind=spec["kind"], source_kind=_v(spec.get("source_kind", "")),
            secrecy_sources_only=bool(spec.get("source_professional_secrecy", False)),
            recipient_kind=_v(spec.get("recipient_kind", "")),
            categories=frozenset(_v(c) for c in spec["categories"]),
            purposes=frozenset(_v(p) for p in spec.get("purposes", ())),
            scope=spec.get("scope", "district"), valid_from=spec["valid_from"],
            valid_to=spec.get("valid_to"),
            includes_closed_files=bool(spec.get("includes_closed_files", False)),
        )
    return rules


@dataclass
class RefUser:
    id: int
    agency: int | None
    roles: set[str]
    active: bool = True
    label: str = ""


@dataclass
class RefCase:
    id: int
    agency: int
    psychosocial: bool
    notes: dict[int, tuple[str, str]] = field(default_factory=dict)  # note id -> (category, canary)


NOTE_CATEGORY_DATA = {"general": "counselling_notes", "counselling": "counselling_notes",
                      "qualifications": "qualifications", "health": "health"}


@dataclass
class RefPerson:
    id: int
    district: int
    municipality: int | None
    name_canary: str  # identity
    contact_canary: str  # contact
    azr: str
    files: dict[int, datetime.date | None] = field(default_factory=dict)  # agency -> until
    residence: set[int] = field(default_factory=set)  # agencies that recorded a status
    benefits: set[int] = field(default_factory=set)  # responsible agencies
    cases: dict[int, RefCase] = field(default_factory=dict)
    handovers: set[tuple[int, int]] = field(default_factory=set)  # open (from, to) pairs


@dataclass
class RefConsent:
    id: int
    person: int
    categories: frozenset
    from_agency: int | None
    from_kind: str
    to_agency: int | None
    to_kind: str
    purpose: str
    valid_from: datetime.date
    valid_until: datetime.date | None
    recorded_by_agency: int
    revoked: bool = False


@dataclass
class RefOverride:
    id: int
    user: int
    agency: int
    person: int
    categories: frozenset
    purpose: str
    active: bool = True


@dataclass(frozen=True)
class Rights:
    agency: RefAgency | None
    categories: frozenset
    purposes: frozenset
    permissions: frozenset


NO_RIGHTS = Rights(None, frozenset(), frozenset(), frozenset())


@dataclass
class Reference:
    agencies: dict[int, RefAgency]
    rules: dict[int, RefRule]
    today: datetime.date
    users: dict[int, RefUser] = field(default_factory=dict)
    persons: dict[int, RefPerson] = field(default_factory=dict)
    consents: dict[int, RefConsent] = field(default_factory=dict)
    overrides: dict[int, RefOverride] = field(default_factory=dict)
    bases: Counter = field(default_factory=Counter)  # how each holder was decided (coverage)

    # --- who the user is ------------------------------------------------------------------

    def rights(self, user_id: int) -> Rights:
        user = self.users[user_id]
        if not user.active or user.agency is None:
            return NO_RIGHTS
        categories, purposes, permissions = set(), set(), set()
        for code in user.roles:
            cats, purps, perms = ROLE_TABLE[code]
            categories |= cats
            purposes |= purps
            permissions |= perms
        return Rights(self.agencies[user.agency], frozenset(categories), frozenset(purposes),
                      frozenset(permissions))

    def work_purpose(self, user_id: int, preferred: str | None = None) -> str:
        purposes = self.rights(user_id).purposes
        if preferred in purposes:
            return preferred
        return next((p for p in WORK_PURPOSE_ORDER if p in purposes), "registry")

    # --- who holds what -------------------------------------------------------------------

    def holders(self, person: RefPerson, category: str) -> set[int]:
        if category in FILE_HELD:
            return {a for a, until in person.files.items() if until is None or until >= self.today}
        if category == "residence":
            return set(person.residence)
        if category == "benefits":
            return set(person.benefits)
        if category in CASE_HELD:
            return {case.agency for case in person.cases.values()}
        return set()

    # --- the decision ---------------------------------------------------------------------

    def visible_sources(self, user_id: int, person_id: int, category: str, purpose: str) -> set[int]:
        """The agencies whose data of `category` on the person the user may see."""
        rights = self.rights(user_id)
        person = self.persons[person_id]
        me = rights.agency
        if me is None or me.district != person.district:
            return set()
        if category not in rights.categories or purpose not in rights.purposes:
            return set()
        seen = set()
        if category in FILE_HELD and person.files and not self.holders(person, category):
            for holder_id in person.files:  # every file closed
                basis = self._closed_basis(me, person, self.agencies[holder_id], category, purpose)
                self.bases[basis] += 1
                if basis == "rule for closed files":
                    seen.add(holder_id)
            return seen
        for holder_id in self.holders(person, category):
            if holder_id == me.id:
                basis = "own agency"
            else:
                basis = self._basis(user_id, me, person, self.agencies[holder_id], category, purpose)
            self.bases[basis] += 1
            if basis not in ("blocked", "none"):
                seen.add(holder_id)
        return seen

    def _basis(self, user_id: int, me: RefAgency, person: RefPerson, holder: RefAgency,
               category: str, purpose: str) -> str:
        rules = [r for r in self.rules.values()
                 if r.in_force(self.today) and r.concerns(holder, me, category, purpose)]
        if any(r.kind == "blocked" for r in rules):
            return "blocked"
        if any(rule.kind == "statutory" and self._scope_reaches(rule, me, person, holder) for rule in rules):
            return "rule"
        for consent in self.consents.values():
            if consent.person != person.id or consent.revoked or consent.purpose != purpose:
                continue
            if category not in consent.categories:
                continue
            if not (consent.valid_from <= self.today
                    and (consent.valid_until is None or self.today <= consent.valid_until)):
                continue
            from_ok = consent.from_agency == holder.id or (
                consent.from_agency is None and consent.from_kind == holder.kind)
            to_ok = consent.to_agency == me.id or (consent.to_agency is None and consent.to_kind == me.kind)
            if from_ok and to_ok:
                return "consent"
        return "override" if self.override_opens(user_id, me, person, category, purpose) else "none"

    def _closed_basis(self, me: RefAgency, person: RefPerson, holder: RefAgency, category: str,
                      purpose: str) -> str:
        rules = [r for r in self.rules.values()
                 if r.in_force(self.today) and r.concerns(holder, me, category, purpose)]
        if any(r.kind == "blocked" for r in rules):
            return "blocked"
        if any(rule.kind == "statutory" and rule.includes_closed_files
               and self._scope_reaches(rule, me, person, holder) for rule in rules):
            return "rule for closed files"
        return "closed files"

    @staticmethod
    def _scope_reaches(rule, me: RefAgency, person: RefPerson, holder: RefAgency) -> bool:
        """Whether a rule's scope covers this recipient, person and holder."""
        if rule.scope == "district":
            return True
        if rule.scope == "same_municipality":
            return me.municipality is not None and me.municipality == person.municipality
        if rule.scope == "open_handover":
            return (holder.id, me.id) in person.handovers or (me.id, holder.id) in person.handovers
        return False

    def override_opens(self, user_id: int, me: RefAgency, person: RefPerson, category: str,
                       purpose: str) -> bool:
        """Emergency access: the user's own, for this person, purpose and category, not yet
        expired — and only while the user still holds the permission for it and works in the
        agency it was granted for (changes to authorisation apply at once, ASVS 8.3.2)."""
        if "access:override" not in self.rights(user_id).permissions:
            return False
        return any(o.active and o.user == user_id and o.agency == me.id and o.person == person.id
                   and o.purpose == purpose and category in o.categories
                   for o in self.overrides.values())

    def sees_person(self, user_id: int, person_id: int, purpose: str) -> bool:
        return bool(self.visible_sources(user_id, person_id, "identity", purpose))

    def own_file_visible(self, user_id: int, person_id: int, purpose: str) -> bool:
        """The check before writes: the person visible through a file of the user's own agency."""
        me = self.rights(user_id).agency
        return me is not None and me.id in self.visible_sources(user_id, person_id, "identity", purpose)

    def case_visible(self, user_id: int, person_id: int, case: RefCase) -> bool:
        purpose = self.work_purpose(user_id, "case_management")
        if not self.sees_person(user_id, person_id, purpose):
            return False
        needed = ["counselling_notes"]
        me = self.rights(user_id).agency
        if case.psychosocial and (me is None or me.id != case.agency):
            needed.append("health")  # that someone is in psychosocial counselling is Art. 9 data
        return all(case.agency in self.visible_sources(user_id, person_id, c, purpose) for c in needed)

    def consent_concerns(self, user_id: int, consent: RefConsent) -> bool:
        me = self.rights(user_id).agency
        if me is None:
            return False
        return (consent.recorded_by_agency == me.id or consent.from_agency == me.id
                or consent.to_agency == me.id
                or (consent.from_agency is None and consent.from_kind == me.kind)
                or (consent.to_agency is None and consent.to_kind == me.kind))

    def explain(self, user_id: int, person_id: int, purpose: str) -> str:
        """A short account of the facts, for failure messages."""
        rights = self.rights(user_id)
        person = self.persons[person_id]
        lines = [
            f"day {self.today}; user {self.users[user_id]} rights agency="
            f"{rights.agency} cats={sorted(rights.categories)} purposes={sorted(rights.purposes)}",
            f"person {person.id} district={person.district} municipality={person.municipality} "
            f"files={person.files} residence={person.residence} benefits={person.benefits} "
            f"cases={[(c.id, c.agency, c.psychosocial) for c in person.cases.values()]} "
            f"handovers={person.handovers}",
            f"purpose {purpose}",
        ]
        lines += [f"  {c}" for c in self.consents.values() if c.person == person_id]
        lines += [f"  {o}" for o in self.overrides.values() if o.person == person_id]
        lines += [f"  rule {r}" for r in self.rules.values() if r.in_force(self.today)]
        return "\n".join(lines)
