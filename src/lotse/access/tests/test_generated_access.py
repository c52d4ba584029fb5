"""Generated access attempts (issue 9, point 3).

A Hypothesis state machine changes the world the way the offices do — consents are recorded,
revoked and run out as the clock moves on, users get other roles, move to other agencies or are
deactivated, persons move between municipalities, files are opened and closed, residence and
benefits entries, cases and notes are written, handovers open and close, emergency access is
granted and expires, access rules are added, ended and reinstated — always through the real
services (or, for facts no service changes, the database row itself). In between, users read
through the real doors of the spine: `access_person`, `access_people`, `persons_visible_to`,
the person search, the case page (`case_detail`) and the case list of a person.

Every answer is compared with an independent reference model (`reference_model.py`), written
from docs/access-model.md and the shipped rule data. Every person carries canary values
(`KANARIE-nnnnnn`) in a name field (identity), the street (contact) and each case note:

* a **leak** is anything in an answer the reference forbids: a canary of a hidden category, a
  residence or benefits entry of a hidden holder, a decision granting a source the reference
  closes, a case shown that the reference hides, or a write allowed that it refuses;
* a **mismatch** is the opposite: the reference allows it, the spine does not return it (or
  refuses the write; or the SQL pre-filter of lists drops a person the reference shows).

Each example runs inside a savepoint that is rolled back, so every example starts from the same
base population (built once per test). The figures are printed:
`[reliability] access attempts: N, leaks: 0, mismatches: M` (one attempt = one call of a door),
with the runs, examples, steps, writes checked, how the reference decided and what the doors
answered. A failure names the attempt, the facts the reference judged on and the steps.

What the machine found is pinned down by plain tests at the end of this module.
"""

import copy
import datetime
import itertools
import math
import os
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    precondition,
    rule,
    run_state_machine_as_test,
)

from lotse.access.context import context_for_user
from lotse.access.models import AccessOverride
from lotse.access.overrides import access_override_grant
from lotse.access.spine import (
    AccessDenied,
    PersonNotFound,
    access_people,
    access_person,
    persons_visible_to,
)
from lotse.access.tests import attempt_counter
from lotse.access.tests.reference_model import (
    ALL_CATEGORIES,
    ALL_PURPOSES,
    NOTE_CATEGORY_DATA,
    ROLE_TABLE,
    RefAgency,
    RefCase,
    RefConsent,
    Reference,
    RefOverride,
    RefPerson,
    RefRule,
    RefUser,
    shipped_rules,
)
from lotse.cases.selectors import CaseNotFound, case_detail, cases_of_person
from lotse.cases.services import case_open, note_add
from lotse.consent.services import consent_record, consent_revoke
from lotse.core.testing import World, build_world, reliability_scale
from lotse.core.vocabulary import categories_to_mask
from lotse.handovers.models import Handover, HandoverMember
from lotse.organisations.models import Agency, AgencyKind, Role, StaffUser
from lotse.people.models import Person, PersonAgencyLink
from lotse.people.selectors import SearchQuery, person_search
from lotse.people.services import (
    PersonData,
    benefits_regime_add,
    person_create,
    person_link_agency,
    residence_status_add,
)
from lotse.rules.models import AccessRule, ResidenceKind
from lotse.rules.reference import ACCESS_RULES

pytestmark = [pytest.mark.reliability, pytest.mark.django_db]

# Attempts per database pass: a few thousand in `make test` (under a minute on SQLite); 50,000 in
# `make test-reliability`, in two shards that xdist runs side by side on the two cores, so the
# reliability job (SQLite and PostgreSQL passes) makes 100,000. An attempt costs ~14 ms on
# SQLite and ~21 ms on PostgreSQL on the 2-core machine (74 and 48 attempts/s, measured).
TARGET_ATTEMPTS = reliability_scale(quick=2_000, full=50_000)
SHARDS = reliability_scale(quick=1, full=2)

CANARY = re.compile(r"KANARIE-\d{6}")
_tokens = itertools.count(1)
REFUSED = (AccessDenied, PersonNotFound)
KINDS = [AgencyKind.FOREIGNERS_AUTHORITY, AgencyKind.SOCIAL_OFFICE, AgencyKind.JOB_CENTRE,
         AgencyKind.WELFARE_ASSOCIATION, AgencyKind.COUNSELLING_SERVICE,
         AgencyKind.DISTRICT_ADMINISTRATION]
KINDS = [k.value for k in KINDS]
CASE_READ = ("identity", "contact", "counselling_notes", "qualifications", "health")
# Roles of case work (case management purpose): a change among them keeps the purpose.
CASEWORK_ROLES = ["case_manager", "welcome_counsellor", "psychosocial_counsellor", "team_lead"]
REASON = "Gefahr im Verzug: Kind allein in der Unterkunft angetroffen"


def _token() -> str:
    return f"KANARIE-{next(_tokens):06d}"


@dataclass
class Stats:
    attempts: int = 0
    leaks: int = 0
    mismatches: int = 0
    write_checks: int = 0
    prefilter_extras: int = 0
    examples: int = 0
    steps: int = 0
    first_problems: list[str] = field(default_factory=list)
    outcomes: Counter = field(default_factory=Counter)  # (door, outcome) -> count
    bases: Counter = field(default_factory=Counter)  # how the reference decided, per holder


@dataclass
class Env:
    """What the test built once: both districts, the users, the base population and its
    mirror in the reference model (copied for every example)."""

    world: World
    world2: World
    agency_ids: dict[str, int]  # "abh", …, "d2:abh", …
    setup_users: dict[str, int]  # static users that write the base data
    pool_users: list[int]  # users whose roles, agency and state the machine changes
    readers: list[int]
    base: Reference
    canaries: dict[str, tuple]  # token -> what it reveals
    residence_kinds: dict[str, int]
    municipalities_d1: list[int | None]
    stats: Stats = field(default_factory=Stats)


# --- building the world (real services) ----------------------------------------------------

def ctx_for(user_id: int, today: datetime.date):
    """The context a request of this user gets (roles, agency and state re-read), on `today`."""
    user = StaffUser.objects.select_related("agency").get(pk=user_id)
    return replace(context_for_user(user), today=today)


def new_person(env: Env, ref: Reference, registrar: int, municipality: int | None) -> int:
    name, contact = _token(), _token()
    azr = f"{700000000 + next(_tokens)}"
    person = person_create(ctx=ctx_for(registrar, ref.today), data=PersonData(
        given_names="Amina", family_name="Haddad", other_names=name, azr_number=azr,
        street=f"{contact} Weg 1", municipality_id=municipality))
    agency = ref.users[registrar].agency
    ref.persons[person.pk] = RefPerson(
        id=person.pk, district=ref.agencies[agency].district, municipality=municipality,
        name_canary=name, contact_canary=contact, azr=azr, files={agency: None})
    env.canaries[name] = ("identity", person.pk)
    env.canaries[contact] = ("contact", person.pk)
    return person.pk


def ensure_file(ref: Reference, person_id: int, agency_id: int) -> None:
    """A file of the agency on the person (as `core.testing.open_case` opens one)."""
    _link, created = PersonAgencyLink._plain.get_or_create(
        person_id=person_id, agency_id=agency_id, defaults={"since": ref.today})
    if created:
        ref.persons[person_id].files[agency_id] = None


def refresh_handovers(ref: Reference) -> None:
    """Handovers are opened by the residence trigger (a side effect of a real service); the
    reference takes the open (from, to) pairs as facts from their rows."""
    pairs = defaultdict(set)
    for person_id, frm, to in HandoverMember._plain.filter(handover__status="open").values_list(
            "person_id", "handover__from_agency_id", "handover__to_agency_id"):
        pairs[person_id].add((frm, to))
    for person in ref.persons.values():
        person.handovers = pairs.get(person.id, set())


class Outcome:
    OK = "ok"
    REFUSED = "refused"
    INVALID = "invalid"


def run_write(call) -> tuple[str, object]:
    try:
        return Outcome.OK, call()
    except REFUSED:
        return Outcome.REFUSED, None
    except ValidationError:
        return Outcome.INVALID, None


# --- the checks ----------------------------------------------------------------------------

class Checker:
    """Compares what a door returned with what the reference allows."""

    def __init__(self, env: Env, ref: Reference):
        self.env = env
        self.ref = ref

    def _problem(self, kind: str, door: str, items, context: str) -> None:
        stats = self.env.stats
        if kind == "leak":
            stats.leaks += len(items)
        else:
            stats.mismatches += len(items)
        message = f"{kind.upper()} at {door}: {sorted(items, key=repr)}\n{context}"
        if len(stats.first_problems) < 5:
            stats.first_problems.append(message)
        raise AssertionError(message)

    def compare(self, door: str, observed: set, expected: set, context) -> None:
        self.env.stats.outcomes[door, "shown" if expected else "hidden"] += 1
        leaked = observed - expected
        if leaked:
            self._problem("leak", door, leaked, context())
        missing = expected - observed
        if missing:
            self._problem("mismatch", door, missing, context())

    def write(self, door: str, expected: str, got: str, context) -> None:
        self.env.stats.write_checks += 1
        self.env.stats.outcomes[door, got] += 1
        if expected == got:
            return
        kind = "leak" if got == Outcome.OK else "mismatch"
        self._problem(kind, door, {f"expected {expected}, got {got}"}, context())

    # what an answer shows ---------------------------------------------------------------

    def canaries_in(self, *values) -> set:
        found = set()
        for value in values:
            for token in CANARY.findall(str(value)):
                found.add(self.env.canaries.get(token, ("unknown canary", token)))
        return found

    def observed_record(self, record, with_cases: bool = False, ctx=None) -> set:
        person = record.person
        pid = person.pk
        seen = self.canaries_in(*(getattr(person, f.attname) for f in Person._meta.concrete_fields))
        seen |= {("residence", pid, s.owning_agency_id) for s in record.residence_statuses}
        seen |= {("benefits", pid, b.responsible_agency_id) for b in record.benefits_regimes}
        for category, decision in record.decisions.items():
            category = getattr(category, "value", category)
            seen |= {("decision", pid, category, source) for source in decision.allowed}
        if with_cases:
            seen |= {("case", pid, case.pk) for case in cases_of_person(ctx, record)}
        return seen

    def expected_record(self, user: int, pid: int, purpose: str, requested, *,
                        with_history: bool = True, with_cases: bool = False) -> set:
        ref = self.ref
        requested = list(dict.fromkeys(["identity", *requested]))
        visible = {c: ref.visible_sources(user, pid, c, purpose) for c in requested}
        if not visible["identity"]:
            return set()
        person = ref.persons[pid]
        expected = {("identity", pid)}
        if visible.get("contact"):
            expected.add(("contact", pid))
        if with_history:
            expected |= {("residence", pid, a) for a in visible.get("residence", ())}
            expected |= {("benefits", pid, a) for a in visible.get("benefits", ())}
        for category in requested:
            expected |= {("decision", pid, category, a) for a in visible[category]}
        if with_cases:
            me = ref.rights(user).agency
            for case in person.cases.values():
                if case.agency not in visible.get("counselling_notes", ()):
                    continue
                if case.psychosocial and me.id != case.agency and case.agency not in visible.get(
                        "health", ()):
                    continue
                expected.add(("case", pid, case.id))
        return expected

    def requested(self, user: int) -> list[str]:
        cats = self.ref.rights(user).categories
        return [c for c in ALL_CATEGORIES if c in cats]


# --- the state machine -----------------------------------------------------------------------

def machine_for(env: Env):
    ids = env.agency_ids
    d1_agencies = [ids[k] for k in ids if not k.startswith("d2:")]
    all_agencies = list(ids.values())
    role_codes = sorted(ROLE_TABLE)
    writers = [env.setup_users[k] for k in ("abh", "social_a", "social_b", "jobcentre", "caritas",
                                            "caritas_psych", "teamlead", "psych", "diakonie",
                                            "mbe", "dpo")] + env.pool_users

    class GeneratedAccess(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.ref: Reference = copy.deepcopy(env.base)
            self.ref.bases = Counter()
            self.check = Checker(env, self.ref)
            self.rules_added = 0

        def teardown(self):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
            env.stats.examples += 1
            env.stats.bases.update(self.ref.bases)

        # helpers ---------------------------------------------------------------------------

        def ctx(self, user: int):
            return ctx_for(user, self.ref.today)

        def explain(self, user, pid, purpose):
            return lambda: self.ref.explain(user, pid, purpose)

        @staticmethod
        def mostly(preferred, everyone):
            """Mostly one of `preferred` (the interesting choices), now and then anyone."""
            if not preferred:
                return st.sampled_from(everyone)
            return st.one_of(st.sampled_from(preferred), st.sampled_from(preferred),
                             st.sampled_from(everyone))

        def persons(self, data, district_one=False):
            choices = sorted(p for p, person in self.ref.persons.items()
                             if not district_one or person.district == env.world.district.pk)
            return data.draw(st.sampled_from(choices))

        # --- changes of the world ---------------------------------------------------------

        @rule(registrar=st.sampled_from(["social_a", "social_b", "caritas", "abh", "jobcentre",
                                         "psych"]),
              municipality=st.sampled_from(env.municipalities_d1))
        def register_person(self, registrar, municipality):
            env.stats.steps += 1
            new_person(env, self.ref, env.setup_users[registrar], municipality)

        @rule(data=st.data(), categories=st.sets(st.sampled_from(ALL_CATEGORIES), min_size=1, max_size=4),
              purpose=st.sampled_from(ALL_PURPOSES), source=st.one_of(
                  st.sampled_from(d1_agencies), st.sampled_from(KINDS).map(lambda k: ("kind", k))),
              recipient=st.one_of(st.sampled_from(d1_agencies),
                                  st.sampled_from(KINDS).map(lambda k: ("kind", k))),
              given_back=st.integers(0, 60), delay=st.integers(0, 20),
              length=st.one_of(st.none(), st.integers(0, 90)))
        def grant_consent(self, data, categories, purpose, source, recipient, given_back, delay, length):
            env.stats.steps += 1
            ref = self.ref
            pid = self.persons(data, district_one=True)
            able = [u for u in writers if "consent:record" in ref.rights(u).permissions
                    and ref.sees_person(u, pid, ref.work_purpose(u, purpose))]
            recorder = data.draw(self.mostly(able, writers))
            given_on = ref.today - datetime.timedelta(days=given_back)
            valid_from = given_on + datetime.timedelta(days=delay)
            valid_until = None if length is None else valid_from + datetime.timedelta(days=length)
            from_agency, from_kind = (None, source[1]) if isinstance(source, tuple) else (source, "")
            to_agency, to_kind = (None, recipient[1]) if isinstance(recipient, tuple) else (recipient, "")
            rights = ref.rights(recorder)
            expected = Outcome.OK if (
                "consent:record" in rights.permissions
                and ref.sees_person(recorder, pid, ref.work_purpose(recorder, purpose))
            ) else Outcome.REFUSED
            got, consent = run_write(lambda: consent_record(
                ctx=self.ctx(recorder), person_id=pid, categories=sorted(categories),
                purpose=purpose, to_agency_id=to_agency, to_kind=to_kind,
                from_agency_id=from_agency, from_kind=from_kind, given_on=given_on,
                valid_from=valid_from, valid_until=valid_until, method="signed_form",
                informed_language="ar"))
            self.check.write("consent_record", expected, got,
                             self.explain(recorder, pid, ref.work_purpose(recorder, purpose)))
            if got == Outcome.OK:
                ref.consents[consent.pk] = RefConsent(
                    id=consent.pk, person=pid, categories=frozenset(categories),
                    from_agency=from_agency, from_kind=from_kind, to_agency=to_agency,
                    to_kind=to_kind, purpose=purpose, valid_from=valid_from,
                    valid_until=valid_until, recorded_by_agency=rights.agency.id)

        @precondition(lambda self: self.ref.consents)
        @rule(data=st.data())
        def revoke_consent(self, data):
            env.stats.steps += 1
            ref = self.ref
            consent = ref.consents[data.draw(st.sampled_from(sorted(ref.consents)))]
            able = [u for u in writers if ref.consent_concerns(u, consent)
                    and "consent:revoke" in ref.rights(u).permissions]
            revoker = data.draw(self.mostly(able, writers))
            purpose = ref.work_purpose(revoker, consent.purpose)
            if not (ref.consent_concerns(revoker, consent)
                    and "consent:revoke" in ref.rights(revoker).permissions
                    and ref.sees_person(revoker, consent.person, purpose)):
                expected = Outcome.REFUSED
            else:
                expected = Outcome.INVALID if consent.revoked else Outcome.OK
            got, _ = run_write(lambda: consent_revoke(ctx=self.ctx(revoker), consent_id=consent.id,
                                                      note="widerrufen"))
            self.check.write("consent_revoke", expected, got,
                             self.explain(revoker, consent.person, purpose))
            if got == Outcome.OK:
                consent.revoked = True

        @rule(days=st.integers(1, 120))
        def advance_clock(self, days):
            """Consents, files and rules run out as the days pass."""
            env.stats.steps += 1
            self.ref.today += datetime.timedelta(days=days)

        def pool_user(self, data) -> int:
            """A user whose roles, agency or state change: mostly one holding an emergency
            access or named by a consent, so that the change meets what it should end."""
            choices = [st.sampled_from(env.pool_users)]
            holders = sorted({o.user for o in self.ref.overrides.values()} & set(env.pool_users))
            if holders:
                choices += [st.sampled_from(holders)] * 2
            named = [u for u in env.pool_users if self.consents_to(u)]
            if named:
                choices.append(st.sampled_from(named))
            return data.draw(st.one_of(*choices))

        @rule(data=st.data(), roles=st.one_of(
            st.sets(st.sampled_from(role_codes), max_size=2),
            st.sets(st.sampled_from(CASEWORK_ROLES), min_size=1, max_size=2)))
        def change_roles(self, data, roles):
            env.stats.steps += 1
            user = self.pool_user(data)
            StaffUser.objects.get(pk=user).roles.set(
                Role.objects.filter(code__in=roles, district__isnull=True))
            self.ref.users[user].roles = set(roles)
            self.next_request(user)

        @rule(data=st.data(), agency=st.one_of(st.sampled_from(d1_agencies),
                                               st.sampled_from(all_agencies)))
        def move_user(self, data, agency):
            env.stats.steps += 1
            user = self.pool_user(data)
            StaffUser.objects.filter(pk=user).update(agency_id=agency)
            self.ref.users[user].agency = agency
            self.next_request(user)

        @rule(data=st.data())
        def toggle_active(self, data):
            env.stats.steps += 1
            user = self.pool_user(data)
            state = not self.ref.users[user].active
            StaffUser.objects.filter(pk=user).update(is_active=state)
            self.ref.users[user].active = state
            self.next_request(user)

        def next_request(self, user: int) -> None:
            """The changed user's next request: the persons their emergency accesses name, for
            their purposes (changes to authorisation apply at once)."""
            ctx = self.ctx(user)
            for override in list(self.ref.overrides.values()):
                if override.user == user:
                    self.read_person(ctx, user, override.person, override.purpose)

        @rule(data=st.data(), municipality=st.sampled_from(env.municipalities_d1))
        def move_person(self, data, municipality):
            """No service moves a person (the address form is not built yet): the row changes."""
            env.stats.steps += 1
            pid = self.persons(data, district_one=True)
            Person._plain.filter(pk=pid).update(municipality_id=municipality)
            self.ref.persons[pid].municipality = municipality

        @rule(data=st.data())
        def open_file(self, data):
            env.stats.steps += 1
            ref = self.ref
            user = data.draw(st.sampled_from(writers))
            pid = self.persons(data)
            purpose = ref.work_purpose(user)
            expected = Outcome.OK if ("person:edit" in ref.rights(user).permissions
                                      and ref.sees_person(user, pid, purpose)) else Outcome.REFUSED
            got, _ = run_write(lambda: person_link_agency(ctx=self.ctx(user), person_id=pid))
            self.check.write("person_link_agency", expected, got, self.explain(user, pid, purpose))
            if got == Outcome.OK:
                ref.persons[pid].files.setdefault(ref.users[user].agency, None)

        @rule(data=st.data(), reopen=st.booleans())
        def close_or_reopen_file(self, data, reopen):
            """Files end (the link's `until`): no service closes one yet, the row changes."""
            env.stats.steps += 1
            pid = self.persons(data)
            person = self.ref.persons[pid]
            agency = data.draw(st.sampled_from(sorted(person.files)))
            until = None if reopen else self.ref.today - datetime.timedelta(days=1)
            PersonAgencyLink._plain.filter(person_id=pid, agency_id=agency).update(until=until)
            person.files[agency] = until

        @rule(data=st.data(), kind=st.sampled_from(["duldung", "gestattung", "p25-2-gfk"]))
        def record_residence(self, data, kind):
            env.stats.steps += 1
            ref = self.ref
            abh = env.setup_users["abh"]
            pid = self.persons(data, district_one=True)
            ensure_file(ref, pid, ids["abh"])
            purpose = ref.work_purpose(abh, "residence_administration")
            expected = Outcome.OK if ref.own_file_visible(abh, pid, purpose) else Outcome.REFUSED
            got, _ = run_write(lambda: residence_status_add(
                ctx=self.ctx(abh), person_id=pid, kind_id=env.residence_kinds[kind], document="eat",
                valid_from=datetime.date(2024, 1, 1)))
            self.check.write("residence_status_add", expected, got, self.explain(abh, pid, purpose))
            if got == Outcome.OK:
                ref.persons[pid].residence.add(ids["abh"])
                refresh_handovers(ref)

        @rule(data=st.data(), office=st.sampled_from([("social_a", "asylblg"), ("social_b", "asylblg"),
                                                      ("social_a", "sgb12"), ("jobcentre", "sgb2")]))
        def record_benefits(self, data, office):
            env.stats.steps += 1
            ref = self.ref
            key, regime = office
            user = env.setup_users[key]
            pid = self.persons(data, district_one=True)
            ensure_file(ref, pid, ids[key])
            purpose = ref.work_purpose(user, "benefits_administration")
            expected = Outcome.OK if ref.own_file_visible(user, pid, purpose) else Outcome.REFUSED
            got, _ = run_write(lambda: benefits_regime_add(
                ctx=self.ctx(user), person_id=pid, regime=regime, valid_from=datetime.date(2024, 1, 1)))
            self.check.write("benefits_regime_add", expected, got, self.explain(user, pid, purpose))
            if got == Outcome.OK:
                ref.persons[pid].benefits.add(ids[key])

        @rule(data=st.data(), focus=st.sampled_from(["welcome_counselling", "labour_market",
                                                     "psychosocial"]),
              notes=st.lists(st.sampled_from(sorted(NOTE_CATEGORY_DATA)), min_size=1, max_size=3))
        def open_case_with_notes(self, data, focus, notes):
            env.stats.steps += 1
            ref = self.ref
            user = data.draw(st.sampled_from(writers))
            pid = self.persons(data)
            rights = ref.rights(user)
            if rights.agency is not None:
                ensure_file(ref, pid, rights.agency.id)
            open_case_and_notes(env, ref, self.check, user, pid, focus, notes)

        @rule(data=st.data(), categories=st.sets(st.sampled_from(ALL_CATEGORIES), min_size=1, max_size=4))
        def grant_override(self, data, categories):
            env.stats.steps += 1
            ref = self.ref
            candidates = [*env.pool_users, env.setup_users["teamlead"]]
            user = data.draw(self.mostly(
                [u for u in candidates if "access:override" in ref.rights(u).permissions], candidates))
            purpose = data.draw(self.purposes_of(user))
            pid = data.draw(self.mostly(
                [p for p in sorted(ref.persons) if not ref.sees_person(user, p, purpose)],
                sorted(ref.persons)))
            rights = ref.rights(user)
            expected = Outcome.OK if (
                "access:override" in rights.permissions and rights.agency is not None
                and rights.agency.district == ref.persons[pid].district) else Outcome.REFUSED
            got, override = run_write(lambda: access_override_grant(
                ctx=self.ctx(user), person_id=pid, categories=sorted(categories), purpose=purpose,
                reason=REASON, hours=4))
            self.check.write("access_override_grant", expected, got, self.explain(user, pid, purpose))
            if got == Outcome.OK:
                ref.overrides[override.pk] = RefOverride(override.pk, user, rights.agency.id, pid,
                                                         frozenset(categories), purpose)

        @precondition(lambda self: any(o.active for o in self.ref.overrides.values()))
        @rule(data=st.data())
        def expire_override(self, data):
            """Emergency access runs out after its hours (real time): its end is moved back."""
            env.stats.steps += 1
            oid = data.draw(st.sampled_from(sorted(o.id for o in self.ref.overrides.values() if o.active)))
            AccessOverride.objects.filter(pk=oid).update(
                expires_at=timezone.now() - datetime.timedelta(minutes=1))
            self.ref.overrides[oid].active = False

        @rule(data=st.data(), reinstate=st.booleans())
        def end_or_reinstate_rule(self, data, reinstate):
            """An administrator ends a rule (valid to yesterday) or lifts the end again."""
            env.stats.steps += 1
            rule_id = data.draw(st.sampled_from(sorted(self.ref.rules)))
            valid_to = None if reinstate else self.ref.today - datetime.timedelta(days=1)
            AccessRule.objects.filter(pk=rule_id).update(valid_to=valid_to)
            self.ref.rules[rule_id].valid_to = valid_to

        @precondition(lambda self: self.rules_added < 3)
        @rule(kind=st.sampled_from(["statutory", "blocked"]),
              source_kind=st.sampled_from(["", *KINDS]), secrecy=st.booleans(),
              recipient_kind=st.sampled_from(["", *KINDS]),
              categories=st.sets(st.sampled_from(ALL_CATEGORIES), min_size=1, max_size=3),
              purposes=st.sets(st.sampled_from(ALL_PURPOSES), max_size=2),
              scope=st.sampled_from(["district", "same_municipality", "open_handover"]),
              start=st.integers(-30, 30), length=st.one_of(st.none(), st.integers(0, 60)))
        def add_rule(self, kind, source_kind, secrecy, recipient_kind, categories, purposes, scope,
                     start, length):
            """An administrator adds an access rule (rules are data)."""
            env.stats.steps += 1
            self.rules_added += 1
            valid_from = self.ref.today + datetime.timedelta(days=start)
            valid_to = None if length is None else valid_from + datetime.timedelta(days=length)
            row = AccessRule.objects.create(
                kind=kind, source_kind=source_kind, source_professional_secrecy=secrecy,
                recipient_kind=recipient_kind, categories_mask=categories_to_mask(categories),
                purposes=sorted(purposes), scope=scope, legal_reference="Testregel",
                valid_from=valid_from, valid_to=valid_to)
            self.ref.rules[row.pk] = RefRule(
                id=row.pk, kind=kind, source_kind=source_kind, secrecy_sources_only=secrecy,
                recipient_kind=recipient_kind, categories=frozenset(categories),
                purposes=frozenset(purposes), scope=scope, valid_from=valid_from, valid_to=valid_to)

        @precondition(lambda self: any(p.handovers for p in self.ref.persons.values()))
        @rule(data=st.data())
        def close_handover(self, data):
            env.stats.steps += 1
            open_ids = sorted(Handover._plain.filter(status="open").values_list("pk", flat=True))
            if open_ids:
                Handover._plain.filter(pk=data.draw(st.sampled_from(open_ids))).update(
                    status="cancelled", closed_at=timezone.now())
            refresh_handovers(self.ref)

        # --- reads ------------------------------------------------------------------------

        def reader_and_purpose(self, data):
            """A reader — any reader, a user whose roles or agency change, a user holding an
            emergency access, a user of an agency a consent names — and mostly a purpose of
            their roles, their emergency access or such a consent (any purpose now and then)."""
            ref = self.ref
            readers = [st.sampled_from(env.readers), st.sampled_from(env.pool_users)]
            holders = sorted({o.user for o in ref.overrides.values()})
            if holders:
                readers += [st.sampled_from(holders)] * 2
            recipients = [u for u in env.readers if self.consents_to(u)]
            if recipients:
                readers.append(st.sampled_from(recipients))
            user = data.draw(st.one_of(*readers))
            return user, data.draw(self.purposes_of(user))

        def consents_to(self, user):
            agency = self.ref.agencies.get(self.ref.users[user].agency)
            if agency is None:
                return []
            return [c for c in self.ref.consents.values() if c.to_agency == agency.id or (
                c.to_agency is None and c.to_kind == agency.kind)]

        def purposes_of(self, user):
            ref = self.ref
            choices = [st.sampled_from(ALL_PURPOSES)]
            own = sorted(ref.rights(user).purposes)
            if own:
                choices += [st.sampled_from(own)] * 2
            emergency = sorted({o.purpose for o in ref.overrides.values() if o.user == user})
            if emergency:
                choices += [st.sampled_from(emergency)] * 2
            consented = sorted({c.purpose for c in self.consents_to(user)})
            if consented:
                choices.append(st.sampled_from(consented))
            return st.one_of(*choices)

        def read_person(self, ctx, user: int, pid: int, purpose: str) -> None:
            env.stats.attempts += 1
            try:
                record = access_person(ctx, pid, purpose)
            except PersonNotFound:
                observed = set()
            else:
                observed = self.check.observed_record(record, with_cases=True, ctx=ctx)
            expected = self.check.expected_record(user, pid, purpose, self.check.requested(user),
                                                  with_cases=True)
            self.check.compare("access_person", observed, expected, self.explain(user, pid, purpose))

        def prefilter(self, ctx, user: int, purpose: str) -> set[int]:
            """The SQL pre-filter of lists: never narrower than what the reference shows."""
            ref = self.ref
            env.stats.attempts += 1
            prefiltered = set(persons_visible_to(ctx, purpose).values_list("pk", flat=True))
            visible = {p for p in ref.persons if ref.sees_person(user, p, purpose)}
            if visible - prefiltered:
                self.check._problem("mismatch", "persons_visible_to", visible - prefiltered,
                                    ref.explain(user, min(visible - prefiltered), purpose))
            env.stats.prefilter_extras += len(prefiltered - visible)
            return prefiltered

        @rule(data=st.data())
        def read_every_person(self, data):
            """One user opens the page of every person, one after the other."""
            env.stats.steps += 1
            user, purpose = self.reader_and_purpose(data)
            ctx = self.ctx(user)
            for pid in sorted(self.ref.persons):
                self.read_person(ctx, user, pid, purpose)

        @precondition(lambda self: self.ref.overrides)
        @rule(data=st.data())
        def read_under_emergency_access(self, data):
            """The holder of an emergency access (running, expired, or since changed in role or
            agency) opens the person it names, for its purpose or another one."""
            env.stats.steps += 1
            override = self.ref.overrides[data.draw(st.sampled_from(sorted(self.ref.overrides)))]
            purpose = data.draw(st.one_of(st.just(override.purpose), st.sampled_from(ALL_PURPOSES)))
            ctx = self.ctx(override.user)
            self.read_person(ctx, override.user, override.person, purpose)
            self.prefilter(ctx, override.user, purpose)

        @precondition(lambda self: self.ref.consents)
        @rule(data=st.data())
        def read_under_consent(self, data):
            """A user of an agency a consent names (by name or kind) opens the person, for the
            consent's purpose or another one — whether the consent is running, not yet valid,
            expired or revoked, and whether its source holds data at all."""
            env.stats.steps += 1
            ref = self.ref
            consent = ref.consents[data.draw(st.sampled_from(sorted(ref.consents)))]
            named = [u for u in env.readers + env.pool_users if (agency := ref.agencies.get(
                ref.users[u].agency)) and (consent.to_agency == agency.id or (
                    consent.to_agency is None and consent.to_kind == agency.kind))]
            user = data.draw(self.mostly(named, env.readers))
            purpose = data.draw(st.one_of(st.just(consent.purpose), st.just(consent.purpose),
                                          st.sampled_from(ALL_PURPOSES)))
            ctx = self.ctx(user)
            self.read_person(ctx, user, consent.person, purpose)
            self.prefilter(ctx, user, purpose)

        @rule(data=st.data(), missing=st.booleans())
        def read_list(self, data, missing):
            """A list of persons through `access_people` (the order kept)."""
            env.stats.steps += 1
            ref = self.ref
            user, purpose = self.reader_and_purpose(data)
            wanted = data.draw(st.permutations(sorted(ref.persons)))
            if missing:
                wanted = [*wanted, max(ref.persons) + 10_000]
            env.stats.attempts += 1
            records = access_people(self.ctx(user), wanted, purpose)
            returned = [r.person.pk for r in records]
            visible = [p for p in wanted if p in ref.persons and ref.sees_person(user, p, purpose)]
            observed = set().union(*(self.check.observed_record(r) for r in records)) if records else set()
            expected = set().union(*(self.check.expected_record(
                user, p, purpose, self.check.requested(user)) for p in visible)) if visible else set()
            self.check.compare("access_people", observed, expected,
                               lambda: ref.explain(user, wanted[0], purpose))
            if returned != visible:
                self.check._problem("mismatch", "access_people order", {(tuple(returned), tuple(visible))},
                                    ref.explain(user, wanted[0], purpose))

        @rule(data=st.data())
        def search(self, data):
            """The list and search path: the SQL pre-filter, then the exact decision per person,
            and the person search by AZR number."""
            env.stats.steps += 1
            ref = self.ref
            user, purpose = self.reader_and_purpose(data)
            ctx = self.ctx(user)
            prefiltered = self.prefilter(ctx, user, purpose)
            visible = {p for p in ref.persons if ref.sees_person(user, p, purpose)}
            env.stats.attempts += 1
            records = access_people(ctx, sorted(prefiltered), purpose, categories=["identity"],
                                    action="person.search", with_history=False)
            observed = set().union(*(self.check.observed_record(r) for r in records)) if records else set()
            expected = set().union(*(self.check.expected_record(
                user, p, purpose, ["identity"], with_history=False) for p in visible)) if visible else set()
            self.check.compare("persons_visible_to + access_people", observed, expected,
                               lambda: ref.explain(user, min(ref.persons), purpose))
            pid = self.persons(data)
            env.stats.attempts += 1
            hits = person_search(ctx, SearchQuery(azr_number=ref.persons[pid].azr), purpose=purpose)
            observed = set().union(*(self.check.observed_record(h.record) for h in hits)) if hits else set()
            expected = self.check.expected_record(user, pid, purpose, ["identity"], with_history=False)
            self.check.compare("person_search", observed, expected, self.explain(user, pid, purpose))

        @precondition(lambda self: any(p.cases for p in self.ref.persons.values()))
        @rule(data=st.data())
        def read_cases(self, data):
            """One user opens every case page: the notes it shows are checked canary by canary."""
            env.stats.steps += 1
            ref = self.ref
            user = data.draw(st.sampled_from(env.readers))
            ctx = self.ctx(user)
            rights = ref.rights(user)
            purpose = ref.work_purpose(user, "case_management")
            for pid, person in sorted(ref.persons.items()):
                for case in person.cases.values():
                    env.stats.attempts += 1
                    try:
                        detail = case_detail(ctx, case.id)
                    except CaseNotFound:
                        observed = set()
                    else:
                        observed = self.check.observed_record(detail.record)
                        observed.add(("case", pid, detail.case.pk))
                        observed |= self.check.canaries_in(*(n.text for n in detail.notes))
                    expected = set()
                    if ref.case_visible(user, pid, case):
                        requested = [c for c in CASE_READ
                                     if c in rights.categories or c == "counselling_notes"]
                        expected = self.check.expected_record(user, pid, purpose, requested)
                        expected.add(("case", pid, case.id))
                        for note_id, (category, _canary) in case.notes.items():
                            if case.agency in ref.visible_sources(user, pid, category, purpose):
                                expected.add(("note", pid, case.id, note_id))
                    self.check.compare("case_detail", observed, expected,
                                       self.explain(user, pid, purpose))

    return GeneratedAccess


def open_case_and_notes(env: Env, ref: Reference, check: Checker, user: int, pid: int,
                        focus: str, notes) -> None:
    rights = ref.rights(user)
    purpose = ref.work_purpose(user, "case_management")
    may = "case:manage" in rights.permissions and ref.own_file_visible(user, pid, purpose)
    got, case = run_write(lambda: case_open(ctx=ctx_for(user, ref.today), person_id=pid,
                                            focus_area=focus))
    check.write("case_open", Outcome.OK if may else Outcome.REFUSED, got,
                lambda: ref.explain(user, pid, purpose))
    if got != Outcome.OK:
        return
    ref_case = RefCase(case.pk, rights.agency.id, focus == "psychosocial")
    ref.persons[pid].cases[case.pk] = ref_case
    for category in notes:
        token = _token()
        expected = Outcome.OK if NOTE_CATEGORY_DATA[category] in rights.categories else Outcome.INVALID
        got, note = run_write(lambda category=category, token=token: note_add(
            ctx=ctx_for(user, ref.today), case_id=case.pk, category=category,
            text=f"Notiz {token}: Gespräch geführt"))
        check.write("note_add", expected, got, lambda: ref.explain(user, pid, purpose))
        if got == Outcome.OK:
            ref_case.notes[note.pk] = (NOTE_CATEGORY_DATA[category], token)
            env.canaries[token] = ("note", pid, case.pk, note.pk)


# --- the base population ----------------------------------------------------------------------

POOL = [  # (agency key, roles): users whose roles, agency and state the machine changes
    ("caritas", ["case_manager"]), ("social_a", ["social_office_caseworker"]),
    ("jobcentre", ["jobcentre_caseworker"]), ("abh", ["abh_caseworker"]),
    ("psych", ["psychosocial_counsellor"]), ("district_admin", ["data_protection_officer"]),
    ("caritas", ["team_lead"]), ("social_b", ["social_office_lead"]),
    ("diakonie", ["team_lead"]), ("mbe", ["team_lead", "welcome_counsellor"]),
]


def build_env(world: World) -> Env:
    world2 = build_world("88888")
    d1 = world.district
    extra = {
        "diakonie": Agency.objects.create(district=d1, kind=AgencyKind.WELFARE_ASSOCIATION,
                                          name="Diakonie Test", municipality=world.town_b),
        "mbe": Agency.objects.create(district=d1, kind=AgencyKind.COUNSELLING_SERVICE,
                                     name="Migrationsberatung Test"),
    }
    agencies = {**world.agencies, **extra}
    agency_ids = {k: a.pk for k, a in agencies.items()}
    agency_ids |= {f"d2:{k}": a.pk for k, a in world2.agencies.items()}
    setup_users = {k: u.pk for k, u in world.users.items()}
    for key, role in (("diakonie", "case_manager"), ("mbe", "welcome_counsellor")):
        user = StaffUser.objects.create_user(username=f"gen-{key}", password="test-password-123",
                                             agency=extra[key])
        user.roles.set(Role.objects.filter(code=role, district__isnull=True))
        setup_users[key] = user.pk
    setup_users |= {f"d2:{k}": u.pk for k, u in world2.users.items()}
    pool = []
    for i, (agency_key, roles) in enumerate(POOL):
        user = StaffUser.objects.create_user(username=f"gen-pool-{i}", password="test-password-123",
                                             agency=agencies[agency_key])
        user.roles.set(Role.objects.filter(code__in=roles, district__isnull=True))
        pool.append(user.pk)

    ref_agencies = {
        a.pk: RefAgency(a.pk, a.kind, a.district_id, a.municipality_id,
                        a.bound_by_professional_secrecy, a.name)
        for a in Agency.objects.filter(pk__in=agency_ids.values())
    }
    rule_ids = dict(AccessRule.objects.filter(key__in=[r["key"] for r in ACCESS_RULES])
                    .values_list("key", "pk"))
    ref = Reference(ref_agencies, shipped_rules(rule_ids), timezone.localdate())
    for user in StaffUser.objects.filter(pk__in=[*setup_users.values(), *pool]).prefetch_related("roles"):
        ref.users[user.pk] = RefUser(user.pk, user.agency_id, {r.code for r in user.roles.all()},
                                     True, user.username)
    readers = [setup_users[k] for k in world.users] + [setup_users["diakonie"], setup_users["mbe"]]
    readers += [setup_users[f"d2:{k}"] for k in ("social_a", "caritas", "dpo")] + pool
    env = Env(world=world, world2=world2, agency_ids=agency_ids, setup_users=setup_users,
              pool_users=pool, readers=readers, base=ref, canaries={},
              residence_kinds=dict(ResidenceKind.objects.values_list("code", "pk")),
              municipalities_d1=[world.town_a.pk, world.town_b.pk, None])
    _populate(env, ref)
    return env


def _populate(env: Env, ref: Reference) -> None:
    u = env.setup_users
    a = env.agency_ids
    town = {"a": env.world.town_a.pk, "b": env.world.town_b.pk, None: None,
            "a2": env.world2.town_a.pk}
    check = Checker(env, ref)

    def person(registrar, where, *, files=(), benefits=(), residence=None, cases=()):
        pid = new_person(env, ref, u[registrar], town[where])
        for key in files:
            ensure_file(ref, pid, a[key])
        for office, regime in benefits:
            ensure_file(ref, pid, a[office])
            benefits_regime_add(ctx=ctx_for(u[office], ref.today), person_id=pid, regime=regime,
                                valid_from=datetime.date(2024, 1, 1))
            ref.persons[pid].benefits.add(a[office])
        if residence:
            abh = "d2:abh" if registrar.startswith("d2:") else "abh"
            ensure_file(ref, pid, a[abh])
            residence_status_add(ctx=ctx_for(u[abh], ref.today), person_id=pid,
                                 kind_id=env.residence_kinds[residence], document="eat",
                                 valid_from=datetime.date(2024, 1, 1))
            ref.persons[pid].residence.add(a[abh])
        for user_key, focus, notes in cases:
            ensure_file(ref, pid, ref.users[u[user_key]].agency)
            open_case_and_notes(env, ref, check, u[user_key], pid, focus, notes)
        return pid

    today = ref.today
    p0 = person("social_a", "a", benefits=[("social_a", "asylblg")], residence="duldung",
                cases=[("caritas", "welcome_counselling", ["general", "qualifications"]),
                       ("caritas_psych", "welcome_counselling", ["health"])])
    person("social_b", "b", benefits=[("social_b", "asylblg")], residence="p25-2-gfk")
    p2 = person("caritas", "a", cases=[("caritas", "welcome_counselling", ["general"]),
                                       ("psych", "psychosocial", ["health", "counselling"])])
    p3 = person("psych", "b", cases=[("psych", "psychosocial", ["health", "general"])])
    person("jobcentre", None, benefits=[("jobcentre", "sgb2")], residence="p25-2-gfk")
    p5 = person("abh", "a", residence="gestattung")
    p6 = person("social_a", "b", files=["diakonie"], benefits=[("social_a", "sgb12")])
    person("caritas", None, files=["mbe"],
           cases=[("teamlead", "labour_market", ["general", "qualifications"])])
    person("social_b", "a")
    person("diakonie", "b", cases=[("diakonie", "welcome_counselling", ["general", "qualifications"])])
    person("mbe", "a", cases=[("mbe", "welcome_counselling", ["counselling"])])
    person("d2:social_a", "a2", benefits=[("d2:social_a", "asylblg")])
    person("d2:caritas", "a2", residence="duldung",
           cases=[("d2:caritas", "welcome_counselling", ["general"])])
    person("d2:psych", None, cases=[("d2:psych", "psychosocial", ["health"])])
    # every file closed: only the data-protection officer's rule (includes_closed_files) reaches
    # the person; the agencies that held the files do not
    closed = person("social_a", "a", benefits=[("social_a", "asylblg")],
                    cases=[("caritas", "welcome_counselling", ["general"])])
    yesterday = today - datetime.timedelta(days=1)
    PersonAgencyLink._plain.filter(person_id=closed).update(until=yesterday)
    ref.persons[closed].files = dict.fromkeys(ref.persons[closed].files, yesterday)
    refresh_handovers(ref)

    def consent(by, pid, categories, purpose, *, frm=None, frm_kind="", to=None, to_kind="",
                given_back=0, delay=0, length=None, revoke=False):
        given_on = today - datetime.timedelta(days=given_back)
        valid_from = given_on + datetime.timedelta(days=delay)
        valid_until = None if length is None else valid_from + datetime.timedelta(days=length)
        row = consent_record(
            ctx=ctx_for(u[by], today), person_id=pid, categories=categories, purpose=purpose,
            to_agency_id=a[to] if to else None, to_kind=to_kind,
            from_agency_id=a[frm] if frm else None, from_kind=frm_kind, given_on=given_on,
            valid_from=valid_from, valid_until=valid_until, method="signed_form",
            informed_language="ar")
        ref.consents[row.pk] = RefConsent(
            row.pk, pid, frozenset(categories), a[frm] if frm else None, "" if frm else frm_kind,
            a[to] if to else None, "" if to else to_kind, purpose, valid_from, valid_until,
            ref.users[u[by]].agency)
        if revoke:
            consent_revoke(ctx=ctx_for(u[by], today), consent_id=row.pk)
            ref.consents[row.pk].revoked = True

    consent("social_a", p0, ["identity", "contact", "benefits"], "benefits_handover",
            frm="social_a", to="jobcentre")
    consent("caritas", p0, ["identity", "counselling_notes", "qualifications"],
            "benefits_administration", frm="caritas", to_kind="job_centre", length=30)
    consent("psych", p2, ["identity", "health", "counselling_notes"], "case_management",
            frm="psych", to="caritas")
    consent("psych", p3, ["identity", "counselling_notes"], "case_management",
            frm_kind="counselling_service", to_kind="welfare_association", delay=0, length=40)
    consent("abh", p5, ["identity", "residence"], "case_management", frm="abh", to="caritas",
            revoke=True)
    consent("social_a", p6, ["identity", "contact"], "benefits_administration", frm="social_a",
            to="social_b", given_back=30, length=20)
    consent("social_a", p6, ["identity", "contact", "household"], "case_management",
            frm_kind="social_office", to="diakonie")


# --- the test ---------------------------------------------------------------------------------

def run_settings(examples: int, steps: int) -> settings:
    """No shrinking by default: a failure names the attempt, the facts the reference judged on
    and the steps that led there; shrinking a database-backed history takes minutes
    (LOTSE_SHRINK=1 turns it on)."""
    phases = list(Phase) if os.environ.get("LOTSE_SHRINK") else [Phase.generate]
    return settings(max_examples=examples, stateful_step_count=steps, deadline=None,
                    database=None, phases=phases, suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("shard", range(SHARDS))
def test_generated_access_attempts_show_nothing_the_rules_forbid(world, shard):
    target = math.ceil(TARGET_ATTEMPTS / SHARDS)
    env = build_env(world)
    machine = machine_for(env)
    stats = env.stats
    started = time.monotonic()
    # Alternating histories: short ones (many fresh starts) and long ones (consents, rule and
    # role changes piling up). The number of examples follows the attempts still missing.
    shapes = [20, 60]
    run = 0
    try:
        while stats.attempts < target and run < 400:
            steps = shapes[run % len(shapes)]
            per_example = stats.attempts / stats.examples if stats.examples else steps * 3
            examples = max(2, min(10, math.ceil((target - stats.attempts) / max(per_example, 1))))
            run_state_machine_as_test(machine, settings=run_settings(examples, steps))
            run += 1
    finally:
        elapsed = time.monotonic() - started
        attempt_counter.count("generated", stats.attempts)
        attempt_counter.count("generated", stats.leaks, leak=True)
        print(f"\n[reliability] shard {shard}: access attempts: {stats.attempts}, leaks: {stats.leaks}, "
              f"mismatches: {stats.mismatches}")
        print(f"[reliability] generated access: {run} runs, {stats.examples} examples, "
              f"{stats.steps} steps, {stats.write_checks} writes checked, "
              f"{stats.prefilter_extras} persons pre-filtered in SQL but not shown, "
              f"{elapsed:.0f} s ({stats.attempts / max(elapsed, 1e-9):.0f} attempts/s)")
        print("[reliability] generated access, reference decisions per holder: " + ", ".join(
            f"{basis} {n}" for basis, n in stats.bases.most_common()))
        print("[reliability] generated access, outcomes: " + ", ".join(
            f"{door} {outcome} {n}" for (door, outcome), n in sorted(stats.outcomes.items())))
    assert stats.leaks == 0 and stats.mismatches == 0, "\n\n".join(stats.first_problems)
    assert stats.attempts >= target


# --- found by the generated attempts ------------------------------------------------------------

def _team_lead_with_emergency_access(world: World) -> int:
    from lotse.core.testing import register_person

    pid = register_person(world, by="social_a")  # no file of the team lead's agency (Caritas)
    access_override_grant(ctx=world.ctx("teamlead"), person_id=pid,
                          categories=["identity", "contact"], purpose="case_management",
                          reason=REASON, hours=4)
    assert access_person(world.ctx("teamlead"), pid, "case_management").shows("contact")
    return pid


def test_emergency_access_ends_when_the_user_loses_the_permission(world):
    """A team lead demoted to case manager (no `access:override`) keeps no emergency access:
    changes to authorisation apply at once (ASVS 8.3.2, docs/security.md)."""
    pid = _team_lead_with_emergency_access(world)
    world.users["teamlead"].roles.set(Role.objects.filter(code="case_manager", district__isnull=True))
    with pytest.raises(PersonNotFound):
        access_person(world.ctx("teamlead"), pid, "case_management")


def test_emergency_access_stays_with_the_agency_it_was_granted_for(world):
    """Emergency access granted to a team lead of Caritas does not follow them to another
    agency (here a counselling service): the override records its agency."""
    pid = _team_lead_with_emergency_access(world)
    StaffUser.objects.filter(pk=world.users["teamlead"].pk).update(agency=world.agencies["psych"])
    with pytest.raises(PersonNotFound):
        access_person(world.ctx("teamlead"), pid, "case_management")
