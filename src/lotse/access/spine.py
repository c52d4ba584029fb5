"""The access spine: the only door to personal data.

Every read goes: gather facts → policy decision per category → access-log rows written in
the same transaction → data returned (redacted to what was allowed). If the log cannot be
written the access is denied (fail closed). Missing and forbidden look the same to the caller
(`PersonNotFound`).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.access.models import AccessOverride
from lotse.access.policy import (
    Basis,
    CategoryDecision,
    PersonFacts,
    RuleFacts,
    SourceAgency,
    decide_category,
)
from lotse.audit.chain import AuditWriteError, EventData, append_events, lock_chain
from lotse.audit.models import Decision
from lotse.cases.models import CASE_CATEGORIES, Case
from lotse.consent.selectors import consent_exists_q, consents_to_recipient, covering_row
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import CATEGORY_ORDER, DataCategory
from lotse.handovers.models import HandoverMember, HandoverStatus
from lotse.organisations import permissions
from lotse.organisations.models import Agency
from lotse.people.models import (
    FIELD_CATEGORIES,
    BenefitsRegime,
    Person,
    PersonAgencyLink,
    ResidenceStatus,
)
from lotse.rules.models import AccessRuleKind, AccessRuleScope
from lotse.rules.selectors import access_rules_in_force

# Who holds which category: a file (identity, contact, household), a residence status entry,
# a benefits entry, a case (counselling notes, qualifications, health; see cases.models).
# Categories whose owners are the agencies holding a file on the person.
FILE_CATEGORIES = (DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.HOUSEHOLD)


class PersonNotFound(LookupError):
    """No such person, or not visible to this user: the two are never told apart."""


class AccessDenied(PermissionError):
    """The access was refused (missing permission, or the access log could not be written)."""


# --- facts -----------------------------------------------------------------------------

def rules_for(ctx: AccessContext) -> list[RuleFacts]:
    return [
        RuleFacts(
            id=rule.id, kind=rule.kind, source_kind=rule.source_kind,
            source_professional_secrecy=rule.source_professional_secrecy,
            recipient_kind=rule.recipient_kind, categories=frozenset(rule.categories),
            purposes=frozenset(rule.purposes or ()), scope=rule.scope,
            legal_reference=rule.legal_reference, valid_from=rule.valid_from,
            valid_to=rule.valid_to, includes_closed_files=rule.includes_closed_files,
        )
        for rule in access_rules_in_force(on=ctx.today, recipient_kind=ctx.agency_kind)
    ]


def gather_facts(person_ids: Sequence[int], on: datetime.date) -> dict[int, PersonFacts]:
    """Who holds which category of each person's data. A constant number of queries."""
    if not person_ids:
        return {}
    with personal_data_scope():
        base = {
            row[0]: row
            for row in Person.objects.filter(pk__in=person_ids, merged_into__isnull=True)
            .values_list("id", "district_id", "municipality_id")
        }
        all_links = list(
            PersonAgencyLink.objects.filter(person_id__in=base)
            .values_list("person_id", "agency_id", "until")
        )
        residence = list(
            ResidenceStatus.objects.filter(person_id__in=base)
            .values_list("person_id", "owning_agency_id").distinct()
        )
        benefits = list(
            BenefitsRegime.objects.filter(person_id__in=base)
            .values_list("person_id", "responsible_agency_id").distinct()
        )
        cases = list(
            Case.objects.filter(person_id__in=base)
            .values_list("person_id", "owning_agency_id").distinct()
        )
        handover_pairs: dict[int, set[tuple[int, int]]] = defaultdict(set)
        for person_id, from_id, to_id in HandoverMember.objects.filter(
                person_id__in=base, handover__status=HandoverStatus.OPEN).values_list(
                "person_id", "handover__from_agency_id", "handover__to_agency_id"):
            handover_pairs[person_id].add((from_id, to_id))
    links = [(p, a) for p, a, until in all_links if until is None or until >= on]
    with_open_file = {p for p, _ in links}
    # persons whose files are all closed: the closed files' holders, for the rules that
    # include such persons (see policy._decide_closed)
    closed_links = [(p, a) for p, a, _ in all_links if p not in with_open_file]
    agency_ids = ({a for _, a, _ in all_links} | {a for _, a in residence} | {a for _, a in benefits}
                  | {a for _, a in cases})
    agencies = {
        a.id: SourceAgency(a.id, a.kind, a.name, a.bound_by_professional_secrecy)
        for a in Agency.objects.filter(pk__in=agency_ids)
    }
    sources: dict[int, dict[str, list[SourceAgency]]] = defaultdict(lambda: defaultdict(list))
    for person_id, agency_id in links:
        for category in FILE_CATEGORIES:
            sources[person_id][category].append(agencies[agency_id])
    closed: dict[int, dict[str, list[SourceAgency]]] = defaultdict(lambda: defaultdict(list))
    for person_id, agency_id in closed_links:
        for category in FILE_CATEGORIES:
            closed[person_id][category].append(agencies[agency_id])
    for person_id, agency_id in residence:
        sources[person_id][DataCategory.RESIDENCE].append(agencies[agency_id])
    for person_id, agency_id in benefits:
        sources[person_id][DataCategory.BENEFITS].append(agencies[agency_id])
    for person_id, agency_id in cases:
        for category in CASE_CATEGORIES:
            sources[person_id][category].append(agencies[agency_id])
    return {
        pid: PersonFacts(
            person_id=pid, district_id=district_id, municipality_id=municipality_id,
            sources={cat: tuple(dict.fromkeys(srcs)) for cat, srcs in sources[pid].items()},
            handover_pairs=frozenset(handover_pairs.get(pid, ())),
            closed_sources={cat: tuple(dict.fromkeys(srcs))
                            for cat, srcs in closed.get(pid, {}).items()},
        )
        for pid, district_id, municipality_id in base.values()
    }


def _active_overrides(ctx: AccessContext, purpose: str) -> QuerySet[AccessOverride]:
    """Emergency overrides that still hold for this user: unexpired, granted for the agency the
    user works for now, and only while the user still holds `access:override` (a demoted or
    moved user keeps no emergency access; ASVS 8.3.2)."""
    if not ctx.has_permission(permissions.ACCESS_OVERRIDE):
        return AccessOverride.objects.none()
    return AccessOverride.objects.filter(
        user_id=ctx.user_id, agency_id=ctx.agency_id, purpose=purpose,
        expires_at__gt=timezone.now(),
    )


def _override_lookups(ctx: AccessContext, person_ids: Sequence[int], purpose: str):
    """Active emergency overrides of this user, for a page of persons: one query."""
    by_person: dict[int, list[AccessOverride]] = defaultdict(list)
    for override in _active_overrides(ctx, purpose).filter(
        person_id__in=list(person_ids),
    ).order_by("-expires_at"):
        by_person[override.person_id].append(override)

    def lookup_for(person_id: int):
        def lookup(category: str) -> Basis | None:
            for override in by_person.get(person_id, ()):
                if category in override.categories:
                    return Basis("override", override.id, override.expires_at.date(),
                                 override.reason[:80])
            return None
        return lookup

    return lookup_for


def _consent_lookups(ctx: AccessContext, person_ids: Sequence[int], purpose: str):
    """Valid consents to this user's agency, for a page of persons: one query, read afresh."""
    rows = consents_to_recipient(person_ids=person_ids, purpose=purpose,
                                 recipient_id=ctx.agency_id, recipient_kind=ctx.agency_kind,
                                 on=ctx.today)

    def lookup_for(person_id: int):
        def lookup(category: str, source: SourceAgency) -> Basis | None:
            row = covering_row(rows.get(person_id, []), category=category,
                               source_id=source.id, source_kind=source.kind)
            return Basis("consent", row.id, row.valid_until) if row else None
        return lookup

    return lookup_for


def decide_person(
    ctx: AccessContext, facts: PersonFacts, purpose: str, categories: Iterable[str],
    rules: list[RuleFacts], consent_lookup=None, override_lookup=None,
) -> dict[str, CategoryDecision]:
    if consent_lookup is None:
        consent_lookup = _consent_lookups(ctx, [facts.person_id], purpose)(facts.person_id)
    if override_lookup is None:
        override_lookup = _override_lookups(ctx, [facts.person_id], purpose)(facts.person_id)
    return {
        category: decide_category(
            ctx, facts, category, purpose, rules=rules,
            consent_lookup=consent_lookup, override_lookup=override_lookup,
        )
        for category in categories
    }


# --- logging ---------------------------------------------------------------------------

def _events_for(ctx: AccessContext, action: str, person_id: int, purpose: str,
                decisions: dict[str, CategoryDecision], object_ref: str = "") -> list[EventData]:
    allowed = [d for d in decisions.values() if d.any_allowed]
    denied = [d for d in decisions.values() if d.denied and d.denial_is_loggable]
    common = {
        "action": action, "actor_id": ctx.user_id, "agency_id": ctx.agency_id,
        "person_id": person_id, "purpose": purpose, "object_ref": object_ref,
        "request_id": ctx.request_id,
    }
    events = []
    if allowed:
        events.append(EventData(
            decision=Decision.ALLOWED,
            categories=",".join(d.category for d in allowed),
            basis=";".join(
                f"{d.category}=" + ",".join(sorted({b.code for b in d.allowed.values()}))
                for d in allowed
            ),
            **common,
        ))
    if denied:
        events.append(EventData(
            decision=Decision.DENIED,
            categories=",".join(d.category for d in denied),
            basis=";".join(
                f"{d.category}="
                + ",".join(sorted({x.code for x in d.denied if x.reason != "no_data"}))
                for d in denied
            ),
            **common,
        ))
    return events


def _not_returned_event(ctx: AccessContext, action: str, person_id: int, purpose: str,
                        decisions: dict[str, CategoryDecision], object_ref: str) -> EventData:
    """Nothing is returned (identity denied, or the caller's requirement unmet), so every
    requested category is logged denied."""
    identity = decisions[DataCategory.IDENTITY]
    codes = ",".join(sorted({d.code for d in identity.denied})) or (
        "requirement_unmet" if identity.any_allowed else "no_basis")
    return EventData(
        action=action, decision=Decision.DENIED, actor_id=ctx.user_id, agency_id=ctx.agency_id,
        person_id=person_id, categories=",".join(decisions), purpose=purpose,
        basis=f"identity={codes};returned=none", object_ref=object_ref,
        request_id=ctx.request_id,
    )


def log_events(events: list[EventData]) -> None:
    try:
        append_events(events)
    except AuditWriteError as exc:
        raise AccessDenied(str(exc)) from exc


def log_action(ctx: AccessContext, action: str, *, person_id: int | None = None,
               categories: Iterable[str] = (), purpose: str = "", basis: str = "",
               object_ref: str = "", decision: str = Decision.ALLOWED) -> None:
    """Log a write or an administrative action (`consent.revoked`, `person.merged`, …)."""
    log_events([EventData(
        action=action, decision=decision, actor_id=ctx.user_id, agency_id=ctx.agency_id,
        person_id=person_id, categories=",".join(categories), purpose=purpose, basis=basis,
        object_ref=object_ref, request_id=ctx.request_id,
    )])


def refuse(ctx: AccessContext, action: str, *, message: str, person_id: int | None = None,
           reason: str = ""):
    """Log a refused action as denied — committed on its own, so the refusal stays in the log
    even though the caller's work is abandoned — then raise AccessDenied."""
    with transaction.atomic():
        log_action(ctx, action, person_id=person_id, basis=reason, decision=Decision.DENIED)
    raise AccessDenied(message)


# --- the doors -------------------------------------------------------------------------

@dataclass
class PersonRecord:
    """A person as one user may see them: hidden categories are blanked, never sent."""

    person: Person
    decisions: dict[str, CategoryDecision]
    residence_statuses: list[ResidenceStatus] = field(default_factory=list)
    benefits_regimes: list[BenefitsRegime] = field(default_factory=list)

    def shows(self, category: str) -> bool:
        decision = self.decisions.get(category)
        return bool(decision and decision.any_allowed)

    @property
    def visible_categories(self) -> list[str]:
        return [c for c in CATEGORY_ORDER if self.shows(c)]


def _redact(person: Person, decisions: dict[str, CategoryDecision]) -> Person:
    for field_name, category in FIELD_CATEGORIES.items():
        decision = decisions.get(category)
        if decision is None or not decision.any_allowed:
            model_field = Person._meta.get_field(field_name)
            attname = model_field.attname
            if model_field.null:
                setattr(person, attname, None)
            elif isinstance(getattr(person, attname), list):
                setattr(person, attname, [])
            else:
                setattr(person, attname, "")
    person._lotse_redacted = True  # save() refuses redacted instances
    return person


def access_people(
    ctx: AccessContext, person_ids: Sequence[int], purpose: str, *,
    categories: Iterable[str] | None = None, action: str = "person.read", object_ref: str = "",
    with_history: bool = True, require=None,
) -> list[PersonRecord]:
    """Decide, log and load several persons at once; returns those with identity allowed,
    in the order given. Persons whose identity is denied are logged as denied and dropped.

    `require(person_id, decisions) -> bool` is an extra condition for returning anything (a
    case page needs the case agency's counselling notes): when it fails, nothing is returned
    and the access is logged as denied, never as allowed."""
    wanted = list(categories) if categories is not None else [
        c for c in CATEGORY_ORDER if c in ctx.categories
    ]
    if DataCategory.IDENTITY not in wanted:
        wanted = [DataCategory.IDENTITY, *wanted]
    with transaction.atomic():
        lock_chain()  # decide and log in one order with concurrent revocations
        facts = gather_facts(person_ids, ctx.today)
        rules = rules_for(ctx)
        decided: dict[int, dict[str, CategoryDecision]] = {}
        events: list[EventData] = []
        consents = _consent_lookups(ctx, list(facts), purpose)
        overrides = _override_lookups(ctx, list(facts), purpose)
        for person_id in person_ids:
            person_facts = facts.get(person_id)
            if person_facts is None:
                continue
            decisions = decide_person(ctx, person_facts, purpose, wanted, rules,
                                      consents(person_id), overrides(person_id))
            if decisions[DataCategory.IDENTITY].any_allowed and (
                    require is None or require(person_id, decisions)):
                decided[person_id] = decisions
                events.extend(_events_for(ctx, action, person_id, purpose, decisions, object_ref))
            else:
                events.append(_not_returned_event(ctx, action, person_id, purpose, decisions,
                                                  object_ref))
        log_events(events)
        return _load_records(decided, person_ids, with_history)


def _load_records(decided: dict[int, dict[str, CategoryDecision]], order: Sequence[int],
                  with_history: bool) -> list[PersonRecord]:
    if not decided:
        return []
    with personal_data_scope():
        persons = Person.objects.in_bulk(list(decided))
        residence: dict[int, list[ResidenceStatus]] = defaultdict(list)
        benefits: dict[int, list[BenefitsRegime]] = defaultdict(list)
        if with_history:
            for status in ResidenceStatus.objects.filter(person_id__in=decided).select_related("kind"):
                decision = decided[status.person_id].get(DataCategory.RESIDENCE)
                if decision and decision.allows_source(status.owning_agency_id):
                    residence[status.person_id].append(status)
            for regime in BenefitsRegime.objects.filter(person_id__in=decided).select_related(
                "responsible_agency"
            ):
                decision = decided[regime.person_id].get(DataCategory.BENEFITS)
                if decision and decision.allows_source(regime.responsible_agency_id):
                    benefits[regime.person_id].append(regime)
    return [
        PersonRecord(
            person=_redact(persons[pid], decided[pid]), decisions=decided[pid],
            residence_statuses=residence[pid], benefits_regimes=benefits[pid],
        )
        for pid in order
        if pid in decided and pid in persons
    ]


def access_person(
    ctx: AccessContext, person_id: int, purpose: str, *,
    categories: Iterable[str] | None = None, action: str = "person.read", object_ref: str = "",
    require=None,
) -> PersonRecord:
    records = access_people(ctx, [person_id], purpose, categories=categories, action=action,
                            object_ref=object_ref, require=require)
    if not records:
        raise PersonNotFound(person_id)
    return records[0]


def access_person_for_write(
    ctx: AccessContext, person_id: int, action: str, *, permission: str,
    purpose: str | None = None, own_file: bool = True,
) -> PersonRecord:
    """The check before a write: the permission, the person visible (logged as a read), and —
    unless `own_file` is off — a file of the user's own agency on the person, so that a
    read-only rule or a consent never becomes a way to change another agency's data.

    Call it outside the write's transaction: its log rows then stay even when it refuses.
    """
    if not ctx.has_permission(permission):
        refuse(ctx, f"{action}.refused", person_id=person_id, reason=f"permission:{permission}",
               message=_("You lack the permission '%(perm)s'.") % {"perm": permission})
    record = access_person(ctx, person_id, ctx.work_purpose(purpose),
                           categories=[DataCategory.IDENTITY], action=action)
    basis = record.decisions[DataCategory.IDENTITY].allowed.get(ctx.agency_id)
    if own_file and (basis is None or basis.kind != "own_agency"):
        refuse(ctx, f"{action}.refused", person_id=person_id, reason="no_file_of_own_agency",
               message=_("Your agency holds no file on this person. Open a file first."))
    return record


def persons_visible_to(ctx: AccessContext, purpose: str) -> QuerySet[Person]:
    """Persons whose identity the user may see, as a SQL pre-filter for lists and search.

    A superset check in SQL (own file, statutory rule — with persons whose files are all
    closed only for a rule that includes them —, consent, override); the exact decision
    and the log row for each person shown is made by `access_people`.
    """
    if not ctx.is_staff_member or DataCategory.IDENTITY not in ctx.categories or (
        purpose not in ctx.purposes
    ):
        with personal_data_scope():
            return Person.objects.none()
    today = ctx.today
    active_link = Q(until__isnull=True) | Q(until__gte=today)
    visible = Exists(
        PersonAgencyLink._plain.filter(active_link, person_id=OuterRef("pk"), agency_id=ctx.agency_id)
    )
    for rule in rules_for(ctx):
        if rule.kind != AccessRuleKind.STATUTORY or DataCategory.IDENTITY not in rule.categories:
            continue
        if rule.purposes and purpose not in rule.purposes:
            continue
        source = PersonAgencyLink._plain.filter(active_link, person_id=OuterRef("pk"))
        if rule.source_kind:
            source = source.filter(agency__kind=rule.source_kind)
        if rule.source_professional_secrecy:
            source = source.filter(agency__bound_by_professional_secrecy=True)
        condition = Exists(source)
        if rule.includes_closed_files:  # also persons whose files are all closed (the DPO)
            closed = PersonAgencyLink._plain.filter(person_id=OuterRef("pk"), until__lt=today)
            if rule.source_kind:
                closed = closed.filter(agency__kind=rule.source_kind)
            if rule.source_professional_secrecy:
                closed = closed.filter(agency__bound_by_professional_secrecy=True)
            condition |= Exists(closed) & ~Exists(
                PersonAgencyLink._plain.filter(active_link, person_id=OuterRef("pk")))
        if rule.scope == AccessRuleScope.SAME_MUNICIPALITY:
            condition &= Q(municipality_id=ctx.municipality_id)
        elif rule.scope == AccessRuleScope.OPEN_HANDOVER:
            condition &= Exists(HandoverMember._plain.filter(
                Q(handover__from_agency_id=ctx.agency_id) | Q(handover__to_agency_id=ctx.agency_id),
                person_id=OuterRef("pk"), handover__status=HandoverStatus.OPEN))
        visible |= condition
    visible |= consent_exists_q(
        category=DataCategory.IDENTITY, purpose=purpose, recipient_id=ctx.agency_id,
        recipient_kind=ctx.agency_kind, on=today,
    )
    visible |= Exists(_active_overrides(ctx, purpose).filter(person_id=OuterRef("pk")))
    with personal_data_scope():
        return Person.objects.filter(visible, district_id=ctx.district_id, merged_into__isnull=True)
