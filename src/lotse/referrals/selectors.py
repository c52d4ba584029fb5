"""Reads of referrals: always through the spine. The referral row says that a person was sent
somewhere; the person's data comes only from `access_people`, so a recipient whose consent
was revoked still sees the referral listed, but not the person. Part of the spine perimeter
(see core/tests/test_spine_guard.py)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Q
from django.utils import timezone

from lotse.access.context import AccessContext
from lotse.access.spine import PersonNotFound, PersonRecord, access_people, access_person
from lotse.cases.selectors import CaseAccess
from lotse.core.paging import Page
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import DataCategory, Purpose
from lotse.organisations import permissions
from lotse.referrals.models import OPEN_REFERRAL_STATUSES, Referral, ReferralStatus
from lotse.referrals.services import ReferralNotFound, allowed_answers
from lotse.rules.selectors import DeadlineForMany, NoRuleInForce

RESPONSE_RULE_KEY = "referral-response"
PAGE_SIZE = 25
# What a recipient may read of a referred person: the person record, never case data.
PERSON_RECORD_CATEGORIES = (DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.RESIDENCE,
                            DataCategory.BENEFITS, DataCategory.HOUSEHOLD)


# --- overdue ------------------------------------------------------------------------------------

def _anchor(referral: Referral) -> datetime.date | None:
    if referral.status == ReferralStatus.SENT:
        moment = referral.sent_at
    elif referral.status == ReferralStatus.ACCEPTED:
        moment = referral.answered_at or referral.sent_at
    else:
        return None
    return timezone.localdate(moment) if moment else None


def response_rule() -> DeadlineForMany:
    """The response rule for a page of referrals: read once, applied to each (rule data)."""
    return DeadlineForMany(RESPONSE_RULE_KEY)


def _due(anchor: datetime.date, rule: DeadlineForMany | None = None) -> datetime.date | None:
    try:
        due, _rule = (rule or response_rule()).deadline_from(anchor)
    except NoRuleInForce:
        due = None
    return due


def overdue(referral: Referral, today: datetime.date, *, rule: DeadlineForMany | None = None) -> datetime.date | None:
    """The date since which the referral is overdue, or None. A sent referral must be answered,
    an accepted one done, within the `referral-response` period (dated rule data, the rule in
    force on the day it was sent / accepted), counted from sending / accepting."""
    anchor = _anchor(referral)
    if anchor is None:
        return None
    due = _due(anchor, rule)
    return due if due is not None and today > due else None


def overdue_counts(ctx: AccessContext) -> dict[str, int]:
    """How many open referrals to (inbox) and from (outbox) the user's agency are overdue."""
    counts = {"inbox": 0, "outbox": 0}
    if ctx.agency_id is None:
        return counts
    with personal_data_scope():
        rows = list(Referral.objects.filter(
            Q(to_agency_id=ctx.agency_id) | Q(from_agency_id=ctx.agency_id),
            district_id=ctx.district_id, status__in=OPEN_REFERRAL_STATUSES,
        ).only("id", "status", "sent_at", "answered_at", "to_agency_id", "from_agency_id"))
    rule = response_rule()
    for referral in rows:
        if overdue(referral, ctx.today, rule=rule) is None:
            continue
        if referral.to_agency_id == ctx.agency_id and ctx.has_permission(permissions.REFERRAL_ANSWER):
            counts["inbox"] += 1
        if referral.from_agency_id == ctx.agency_id and ctx.has_permission(permissions.REFERRAL_SEND):
            counts["outbox"] += 1
    return counts


# --- lists -------------------------------------------------------------------------------------

@dataclass
class ReferralRow:
    referral: Referral
    record: PersonRecord | None  # None: the person is not visible to the user (any more)
    overdue_since: datetime.date | None

    @property
    def person_visible(self) -> bool:
        return self.record is not None


ReferralPage = Page  # Page[ReferralRow]


def reading_purpose(ctx: AccessContext, referral: Referral) -> str:
    """The purpose a user reads a referred person with: the referral's purpose on the
    receiving side (the one the consent names), the user's work purpose on the sending side."""
    if referral.to_agency_id == ctx.agency_id:
        return ctx.work_purpose(referral.purpose)
    return ctx.work_purpose(Purpose.CASE_MANAGEMENT)


def _records(ctx: AccessContext, referrals: list[Referral], action: str) -> dict[tuple[int, str], PersonRecord]:
    """Identity of the persons of a page of referrals, through the spine, per reading purpose."""
    by_purpose: dict[str, list[int]] = defaultdict(list)
    for referral in referrals:
        ids = by_purpose[reading_purpose(ctx, referral)]
        if referral.person_id not in ids:
            ids.append(referral.person_id)
    found = {}
    for purpose, person_ids in by_purpose.items():
        for record in access_people(ctx, person_ids, purpose, categories=[DataCategory.IDENTITY],
                                    action=action, with_history=False):
            found[(record.person.pk, purpose)] = record
    return found


def _page(ctx: AccessContext, side: Q, status: str | None, page: int, per_page: int, action: str) -> ReferralPage:
    with personal_data_scope():
        referrals = Referral.objects.filter(side, district_id=ctx.district_id)
        if status:
            referrals = referrals.filter(status=status)
        paginator = Paginator(referrals.select_related("from_agency", "to_agency", "offer", "from_user"),
                              per_page)
        page_obj = paginator.get_page(page)
        items = list(page_obj.object_list)
    records = _records(ctx, items, action) if items else {}
    rule = response_rule()
    rows = [ReferralRow(r, records.get((r.person_id, reading_purpose(ctx, r))),
                        overdue(r, ctx.today, rule=rule)) for r in items]
    return ReferralPage(rows, page_obj.number, paginator.num_pages, paginator.count)


def _empty() -> ReferralPage:
    return ReferralPage([], 1, 1, 0)


def inbox(ctx: AccessContext, status: str | None = None, page: int = 1, per_page: int = PAGE_SIZE) -> ReferralPage:
    """Referrals to the user's agency, newest first. A person the user may not see (e.g. the
    consent was revoked) is listed without data: the referral is never silently lost."""
    if not ctx.has_permission(permissions.REFERRAL_ANSWER) or ctx.agency_id is None:
        return _empty()
    return _page(ctx, Q(to_agency_id=ctx.agency_id), status, page, per_page, "referral.inbox.read")


def outbox(ctx: AccessContext, status: str | None = None, page: int = 1, per_page: int = PAGE_SIZE) -> ReferralPage:
    """Referrals sent by the user's agency, newest first."""
    if not ctx.has_permission(permissions.REFERRAL_SEND) or ctx.agency_id is None:
        return _empty()
    return _page(ctx, Q(from_agency_id=ctx.agency_id), status, page, per_page, "referral.outbox.read")


# --- one referral ------------------------------------------------------------------------------

@dataclass
class ReferralDetail:
    referral: Referral
    record: PersonRecord | None
    is_sender: bool
    is_recipient: bool
    overdue_since: datetime.date | None
    answers: list[str] = field(default_factory=list)
    # (category label, explanation) for the data the referral names, as the spine decided
    passed: list[tuple[str, str, bool]] = field(default_factory=list)

    @property
    def person_visible(self) -> bool:
        return self.record is not None

    message_allowed: bool = False

    @property
    def message_visible(self) -> bool:
        """The sender always reads its message; the recipient only while every category the
        referral names is still open to it from the sending agency (a consent or a rule) — an
        own file opened on accepting does not keep a revoked consent's message readable."""
        return self.is_sender or (self.record is not None and self.message_allowed)


def _explain(record: PersonRecord, category: str, source_id: int) -> tuple[str, bool]:
    decision = record.decisions.get(category)
    if decision is None:
        return "", False
    basis = decision.allowed.get(source_id)
    if basis is not None:
        return basis.explain(), True
    if decision.any_allowed and category in (DataCategory.IDENTITY, DataCategory.CONTACT,
                                             DataCategory.HOUSEHOLD):
        return next(iter(decision.allowed.values())).explain(), True
    return (decision.denied[0].explain(category) if decision.denied else ""), False


def referral_detail(ctx: AccessContext, referral_id: int) -> ReferralDetail:
    """One referral, for the sending or the receiving agency only (ReferralNotFound otherwise),
    with the person's record in the categories the referral names, as far as the spine allows."""
    with personal_data_scope():
        referral = (Referral.objects.filter(pk=referral_id, district_id=ctx.district_id)
                    .filter(Q(to_agency_id=ctx.agency_id) | Q(from_agency_id=ctx.agency_id))
                    .select_related("from_agency", "to_agency", "offer", "from_user", "answered_by",
                                    "offer__provider_agency").first())
    if referral is None or ctx.agency_id is None:
        raise ReferralNotFound(referral_id)
    is_recipient = referral.to_agency_id == ctx.agency_id
    is_sender = referral.from_agency_id == ctx.agency_id
    if not ((is_recipient and ctx.has_permission(permissions.REFERRAL_ANSWER))
            or (is_sender and ctx.has_permission(permissions.REFERRAL_SEND))):
        raise ReferralNotFound(referral_id)
    if is_recipient:
        wanted = [c for c in referral.categories if c in ctx.categories]
    else:
        wanted = [DataCategory.IDENTITY]
    try:
        record = access_person(ctx, referral.person_id, reading_purpose(ctx, referral), categories=wanted,
                               action="referral.read", object_ref=f"referral:{referral.pk}")
    except PersonNotFound:
        record = None
    detail = ReferralDetail(referral, record, is_sender, is_recipient, overdue(referral, ctx.today),
                            answers=allowed_answers(ctx, referral))
    if is_recipient and record is not None:
        detail.message_allowed = all(
            record.decisions.get(c) is not None
            and record.decisions[c].allows_source(referral.from_agency_id)
            for c in wanted)
    if is_recipient and record is not None:
        for category in referral.categories:
            label = str(DataCategory(category).label)
            if category in PERSON_RECORD_CATEGORIES and category in ctx.categories:
                text, shown = _explain(record, category, referral.from_agency_id)
            else:
                text, shown = "", False
            detail.passed.append((label, text, shown))
    return detail


# --- the case page -----------------------------------------------------------------------------

@dataclass
class CaseReferral:
    referral: Referral
    overdue_since: datetime.date | None
    linkable: bool  # the referral's own page is open to the sending agency only


def referrals_for_case(access: CaseAccess, today: datetime.date | None = None) -> list[CaseReferral]:
    """The referrals made from a case, for the case page. `case_access` already decided and
    logged the read of the case; its referrals are case data of the owning agency."""
    if not access.shows(DataCategory.COUNSELLING_NOTES):
        return []
    today = today or timezone.localdate()
    with personal_data_scope():
        rows = list(Referral.objects.filter(case_id=access.case.pk, from_agency_id=access.case.owning_agency_id)
                    .select_related("to_agency", "offer"))
    rule = response_rule()
    return [CaseReferral(r, overdue(r, today, rule=rule), access.is_own_agency) for r in rows]
