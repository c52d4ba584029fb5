"""The one policy that decides every access to personal data. Deny by default.

    role × user agency × data category × owning agency × purpose
        × (own agency | dated statutory rule | valid consent | logged override)
        − blocked flows, which no consent or override opens

A person whose files are all closed is reached only by a statutory rule that says so
(`includes_closed_files`, the data-protection officer's rule): see `_decide_closed`.

`decide_category` is a pure function of the facts it is given, so it can be tested
exhaustively (see access/tests/test_policy_properties.py). `lotse.access.spine` gathers the
facts from the database, calls it and writes the access log.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.core.vocabulary import DataCategory
from lotse.rules.models import AccessRuleKind, AccessRuleScope


@dataclass(frozen=True)
class SourceAgency:
    """An agency holding data of the person in one category."""

    id: int
    kind: str
    name: str
    professional_secrecy: bool = False


@dataclass(frozen=True)
class PersonFacts:
    person_id: int
    district_id: int
    municipality_id: int | None
    # category -> agencies that hold data of that category for the person
    sources: dict[str, tuple[SourceAgency, ...]]
    # (paying office, next office) of the open handovers the person is part of
    handover_pairs: frozenset[tuple[int, int]] = frozenset()
    # category -> agencies whose file on the person is closed; filled only when every file on
    # the person is closed. Only a statutory rule that includes such persons opens them.
    closed_sources: dict[str, tuple[SourceAgency, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleFacts:
    id: int
    kind: str
    source_kind: str
    source_professional_secrecy: bool
    recipient_kind: str
    categories: frozenset[str]
    purposes: frozenset[str]
    scope: str
    legal_reference: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    # reaches persons whose files are all closed (statutory rules only; the DPO's rule)
    includes_closed_files: bool = False

    def in_force_on(self, on: datetime.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def matches(self, ctx: AccessContext, facts: PersonFacts, source: SourceAgency,
                category: str, purpose: str) -> bool:
        if not self.in_force_on(ctx.today) or category not in self.categories:
            return False
        if self.recipient_kind and self.recipient_kind != ctx.agency_kind:
            return False
        if self.purposes and purpose not in self.purposes:
            return False
        if self.source_kind and self.source_kind != source.kind:
            return False
        if self.source_professional_secrecy and not source.professional_secrecy:
            return False
        if self.kind == AccessRuleKind.STATUTORY and self.scope == AccessRuleScope.SAME_MUNICIPALITY:
            return ctx.municipality_id is not None and ctx.municipality_id == facts.municipality_id
        if self.kind == AccessRuleKind.STATUTORY and self.scope == AccessRuleScope.OPEN_HANDOVER:
            return ((source.id, ctx.agency_id) in facts.handover_pairs
                    or (ctx.agency_id, source.id) in facts.handover_pairs)
        return True


@dataclass(frozen=True)
class Basis:
    """Why data was shown: own agency, rule, consent or override."""

    kind: str  # "own_agency" | "rule" | "consent" | "override"
    ref: int | None = None
    until: datetime.date | None = None
    label: str = ""

    @property
    def code(self) -> str:
        return self.kind if self.ref is None else f"{self.kind}:{self.ref}"

    def explain(self) -> str:
        if self.kind == "own_agency":
            return _("visible because your agency holds this file")
        if self.kind == "rule":
            return _("visible because of rule #%(id)s (%(ref)s)") % {"id": self.ref, "ref": self.label}
        if self.kind == "consent":
            if self.until:
                return _("visible because of consent #%(id)s until %(until)s") % {
                    "id": self.ref, "until": self.until.isoformat()}
            return _("visible because of consent #%(id)s (no end date)") % {"id": self.ref}
        return _("visible because of emergency access #%(id)s: %(reason)s") % {
            "id": self.ref, "reason": self.label}


@dataclass(frozen=True)
class Denial:
    reason: str  # "role" | "purpose" | "blocked" | "no_basis" | "no_data" | "district"
    source: SourceAgency | None = None
    rule_ref: str = ""

    @property
    def code(self) -> str:
        if self.reason == "blocked":
            return f"blocked:{self.rule_ref}"
        if self.source is not None:
            return f"{self.reason}:agency:{self.source.id}"
        return self.reason

    @property
    def source_label(self) -> str:
        """Never name an agency bound by professional secrecy: that a person is its client is
        itself protected (§ 203 StGB)."""
        if self.source is None:
            return ""
        return _("another agency") if self.source.professional_secrecy else self.source.name

    def explain(self, category: str, recipient_name: str = "") -> str:
        label = DataCategory(category).label
        if self.reason == "role":
            return _("hidden: your role does not include the category '%(category)s'") % {
                "category": label}
        if self.reason == "purpose":
            return _("hidden: your role may not process data for this purpose")
        if self.reason == "district":
            return _("hidden: the person belongs to another district")
        if self.reason == "no_data":
            return _("no data of the category '%(category)s' recorded") % {"category": label}
        if self.reason == "blocked":
            return _("hidden: the flow of '%(category)s' from %(source)s to your agency is "
                     "blocked by law (%(ref)s); no consent can open it") % {
                "category": label, "source": self.source_label, "ref": self.rule_ref}
        return _("hidden: no consent for category '%(category)s' from %(source)s to "
                 "%(recipient)s") % {
            "category": label, "source": self.source_label,
            "recipient": recipient_name or _("your agency")}


@dataclass(frozen=True)
class CategoryDecision:
    category: str
    allowed: dict[int, Basis] = field(default_factory=dict)  # source agency id -> basis
    denied: tuple[Denial, ...] = ()

    @property
    def any_allowed(self) -> bool:
        return bool(self.allowed)

    @property
    def denial_is_loggable(self) -> bool:
        """A refusal to show existing data (not merely 'nothing recorded')."""
        return any(d.reason != "no_data" for d in self.denied)

    def allows_source(self, agency_id: int) -> bool:
        return agency_id in self.allowed


ConsentLookup = Callable[[str, SourceAgency], Basis | None]
OverrideLookup = Callable[[str], Basis | None]


def decide_category(
    ctx: AccessContext,
    facts: PersonFacts,
    category: str,
    purpose: str,
    *,
    rules: Iterable[RuleFacts],
    consent_lookup: ConsentLookup,
    override_lookup: OverrideLookup,
) -> CategoryDecision:
    """Decide, per agency holding data of `category`, whether the user may see it. A scheduled
    job of an agency (no user) sees that agency's own data and nothing else."""
    if not (ctx.is_staff_member or (ctx.system_job and ctx.agency_id is not None)) or (
            ctx.district_id != facts.district_id):
        return CategoryDecision(category, denied=(Denial("district"),))
    if category not in ctx.categories:
        return CategoryDecision(category, denied=(Denial("role"),))
    if purpose not in ctx.purposes:
        return CategoryDecision(category, denied=(Denial("purpose"),))
    rules = [rule for rule in rules if rule.recipient_kind in ("", ctx.agency_kind)]
    sources = facts.sources.get(category, ())
    if not sources:
        closed = facts.closed_sources.get(category, ())
        decision = _decide_closed(ctx, facts, closed, category, purpose, rules) if (
            closed and not ctx.system_job) else None
        return decision or CategoryDecision(category, denied=(Denial("no_data"),))
    allowed: dict[int, Basis] = {}
    denied: list[Denial] = []
    for source in sources:
        if source.id == ctx.agency_id:
            allowed[source.id] = Basis("own_agency")
            continue
        if ctx.system_job:
            denied.append(Denial("no_basis", source))
            continue
        blocking = _first_rule(rules, AccessRuleKind.BLOCKED, ctx, facts, source, category, purpose)
        if blocking is not None:
            denied.append(Denial("blocked", source, blocking.legal_reference))
            continue
        statutory = _first_rule(rules, AccessRuleKind.STATUTORY, ctx, facts, source, category, purpose)
        if statutory is not None:
            allowed[source.id] = _rule_basis(statutory)
            continue
        basis = consent_lookup(category, source) or override_lookup(category)
        if basis is not None:
            allowed[source.id] = basis
        else:
            denied.append(Denial("no_basis", source))
    return CategoryDecision(category, allowed=allowed, denied=tuple(denied))


def _first_rule(rules: list[RuleFacts], kind: str, ctx: AccessContext, facts: PersonFacts,
                source: SourceAgency, category: str, purpose: str, *,
                closed_files: bool = False) -> RuleFacts | None:
    """The first rule of `kind` that covers this flow (with `closed_files`: only rules that
    include persons whose files are all closed)."""
    return next((r for r in rules if r.kind == kind and (r.includes_closed_files or not closed_files)
                 and r.matches(ctx, facts, source, category, purpose)), None)


def _rule_basis(rule: RuleFacts) -> Basis:
    return Basis("rule", rule.id, rule.valid_to, rule.legal_reference)


def _decide_closed(ctx: AccessContext, facts: PersonFacts, sources: Iterable[SourceAgency],
                   category: str, purpose: str, rules: list[RuleFacts]) -> CategoryDecision | None:
    """Every file on the person is closed. Only a statutory rule that includes such persons
    (`includes_closed_files`, rule data) opens the closed files' data; the own agency, other
    rules, consents and overrides do not, and blocked flows still win. None when no such rule
    opens anything: for everyone else the person has no data here, exactly as before."""
    allowed: dict[int, Basis] = {}
    denied: list[Denial] = []
    for source in sources:
        blocking = _first_rule(rules, AccessRuleKind.BLOCKED, ctx, facts, source, category, purpose)
        if blocking is not None:
            denied.append(Denial("blocked", source, blocking.legal_reference))
            continue
        statutory = _first_rule(rules, AccessRuleKind.STATUTORY, ctx, facts, source, category, purpose,
                                closed_files=True)
        if statutory is not None:
            allowed[source.id] = _rule_basis(statutory)
    if not allowed:
        return None
    return CategoryDecision(category, allowed=allowed, denied=tuple(denied))
