"""Referrals: sending a person to another agency (or to an offer of the directory) and the
answers of the receiving agency. Each write checks the permission, the agency side and the
spine, writes atomically and logs itself.

A referral passes on the sending agency's own data of the person, named by category. The
receiving agency reads it through the spine, so a referral is only sent when a statutory rule
or a valid consent already opens every named category to the recipient for the purpose: the
check below asks the policy itself, so it gives the answer the spine will give.

Part of the spine perimeter (see core/tests/test_spine_guard.py)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.access.context import WORK_PURPOSE_ORDER, AccessContext
from lotse.access.policy import Basis, PersonFacts, SourceAgency, decide_category
from lotse.access.spine import (
    AccessDenied,
    PersonNotFound,
    access_person_for_write,
    gather_facts,
    log_action,
    refuse,
    rules_for,
)
from lotse.audit.chain import lock_chain
from lotse.cases.models import PHASE_ORDER, Case, Phase
from lotse.cases.services import case_for_write, refresh_attention
from lotse.consent.selectors import consents_to_recipient, covering_row
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import CATEGORY_ORDER, SPECIAL_CATEGORIES, DataCategory, Purpose, categories_to_mask
from lotse.offers.models import Offer
from lotse.organisations import permissions
from lotse.organisations.models import Agency, Role
from lotse.people.services import agency_file_open, check_may_open_file
from lotse.referrals.models import Referral, ReferralStatus

MESSAGE_MAX_LENGTH = 4000
# Categories a referral can name. Health and psychosocial data (Art. 9 GDPR) stay with the
# agency that wrote them (blocked rule), so a referral never names them.
REFERRAL_CATEGORIES = tuple(c for c in CATEGORY_ORDER if c not in SPECIAL_CATEGORIES)


class ReferralNotFound(LookupError):
    """No such referral, or not one of the user's agency: the two are never told apart."""


# --- recipients and purposes -----------------------------------------------------------------

def _recipient_roles(agency_id: int):
    return Role.objects.filter(users__agency_id=agency_id, users__is_active=True).distinct()


def recipient_purposes(agency_id: int) -> list[str]:
    """The purposes the staff of an agency work for (from their roles), in the fixed order of
    work purposes; the registry purpose only when there is no other."""
    held = {p for role in _recipient_roles(agency_id) for p in role.purposes}
    ordered = [p for p in WORK_PURPOSE_ORDER if p in held and p != Purpose.REGISTRY]
    return ordered or [p for p in WORK_PURPOSE_ORDER if p in held]


def default_purpose(agency_id: int) -> str | None:
    """The purpose a referral to this agency names unless the sender chooses another: the one
    its staff work with (a job centre: benefits administration)."""
    purposes = recipient_purposes(agency_id)
    return purposes[0] if purposes else None


def _agency_answers_referrals(agency_id: int) -> bool:
    return any(permissions.REFERRAL_ANSWER in role.permissions for role in _recipient_roles(agency_id))


@dataclass(frozen=True)
class Recipient:
    agency: Agency
    offer: Offer | None


def resolve_recipient(ctx: AccessContext, *, to_agency_id: int | None, offer_id: int | None) -> Recipient:
    """The receiving agency: chosen directly, or the provider of an offer of the directory.
    Raises ValidationError with a clear message (an offer whose provider is not in Lotse names
    its contact details instead)."""
    offer = None
    if offer_id:
        offer = (Offer.objects.filter(pk=offer_id, district_id=ctx.district_id, active=True)
                 .select_related("provider_agency").first())
        if offer is None:
            raise ValidationError({"offer": _("Choose an active offer of your district.")})
        if offer.provider_agency_id is None or not offer.provider_agency.is_active:
            contact = ", ".join(x for x in (offer.provider_name, offer.address, offer.phone, offer.email,
                                            offer.website) if x)
            raise ValidationError({"offer": _(
                "The provider of this offer does not work with Lotse, so no referral can be sent "
                "through Lotse. Contact the provider directly: %(contact)s") % {"contact": contact or "–"}})
        if to_agency_id and to_agency_id != offer.provider_agency_id:
            raise ValidationError({"to_agency": _(
                "The offer is provided by %(agency)s: choose that agency or leave the agency empty.")
                % {"agency": offer.provider_agency.name}})
        to_agency_id = offer.provider_agency_id
    if not to_agency_id:
        raise ValidationError({"to_agency": _("Choose the receiving agency or an offer.")})
    agency = Agency.objects.filter(pk=to_agency_id, district_id=ctx.district_id, is_active=True).first()
    if agency is None:
        raise ValidationError({"to_agency": _("Choose an active agency of your district.")})
    if agency.pk == ctx.agency_id:
        raise ValidationError({"to_agency": _("A referral goes to another agency, not to your own.")})
    return Recipient(agency, offer)


# --- the consent check ------------------------------------------------------------------------

@dataclass(frozen=True)
class Coverage:
    """Per category: the basis that opens the sender's data to the recipient, or why not."""

    covered: dict[str, Basis]
    missing: list[str]  # a consent would open them
    blocked: list[str]  # closed by law; no consent opens them

    @property
    def not_covered(self) -> list[str]:
        return [c for c in CATEGORY_ORDER if c in self.missing or c in self.blocked]


def _recipient_context(ctx: AccessContext, agency: Agency, purpose: str, categories) -> AccessContext:
    """The receiving agency as the policy sees it: any of its staff whose role covers the
    categories and the purpose. Emergency access is personal, so it never counts here."""
    return AccessContext(
        user_id=0, agency_id=agency.pk, agency_kind=agency.kind, municipality_id=agency.municipality_id,
        district_id=agency.district_id, categories=frozenset(categories), purposes=frozenset({purpose}),
        request_id=ctx.request_id, today=ctx.today,
    )


def _coverage(ctx: AccessContext, person_id: int, agency: Agency, categories, purpose: str) -> Coverage:
    """Ask the policy, with the facts and rules the spine uses, whether the sender agency's data
    of each category is open to the recipient agency for the purpose."""
    sender = Agency.objects.get(pk=ctx.agency_id)
    source = SourceAgency(sender.pk, sender.kind, sender.name, sender.bound_by_professional_secrecy)
    facts = gather_facts([person_id], ctx.today).get(person_id)
    if facts is None:
        raise ValidationError(_("This person does not exist."))
    # Only the sender's data flows: the recipient's decision on that source is what counts.
    only_sender = PersonFacts(person_id, facts.district_id, facts.municipality_id,
                              {c: (source,) for c in categories})
    recipient = _recipient_context(ctx, agency, purpose, categories)
    rows = consents_to_recipient(person_ids=[person_id], purpose=purpose, recipient_id=agency.pk,
                                 recipient_kind=agency.kind, on=ctx.today).get(person_id, [])

    def consent_lookup(category: str, src: SourceAgency) -> Basis | None:
        row = covering_row(rows, category=category, source_id=src.id, source_kind=src.kind)
        return Basis("consent", row.id, row.valid_until) if row else None

    rules = rules_for(recipient)
    covered, missing, blocked = {}, [], []
    for category in categories:
        decision = decide_category(recipient, only_sender, category, purpose, rules=rules,
                                   consent_lookup=consent_lookup, override_lookup=lambda _c: None)
        basis = decision.allowed.get(source.id)
        if basis is not None:
            covered[category] = basis
        elif any(d.reason == "blocked" for d in decision.denied):
            blocked.append(category)
        else:
            missing.append(category)
    return Coverage(covered, missing, blocked)


def held_categories(ctx: AccessContext, person_id: int) -> list[str]:
    """The categories of the person's data that the user's agency holds itself (its file, its
    case, its residence or benefits entries) and the user's role covers: what a referral of
    this agency can pass on."""
    facts = gather_facts([person_id], ctx.today).get(person_id)
    if facts is None:
        return []
    return [c for c in REFERRAL_CATEGORIES
            if c in ctx.categories and any(s.id == ctx.agency_id for s in facts.sources.get(c, ()))]


def _normalise_categories(categories) -> list[str]:
    wanted = set(categories or ()) | {DataCategory.IDENTITY}
    if wanted - set(DataCategory.values):
        raise ValidationError({"categories": _("Choose data categories from the list.")})
    return [c for c in CATEGORY_ORDER if c in wanted]


def _check_categories(ctx: AccessContext, person_id: int, categories: list[str]) -> None:
    special = [c for c in categories if c in SPECIAL_CATEGORIES]
    if special:
        raise ValidationError({"categories": _(
            "Health and psychosocial data (Art. 9 GDPR) are never passed on by a referral.")})
    held = set(held_categories(ctx, person_id))
    foreign = [c for c in categories if c not in held]
    if foreign:
        raise ValidationError({"categories": _(
            "A referral passes on only your agency's own data. Your agency holds none of: %(categories)s.")
            % {"categories": _labels(foreign)}})


def _labels(categories) -> str:
    return ", ".join(str(DataCategory(c).label) for c in categories)


def _purpose_for(recipient: Agency, purpose: str | None) -> str:
    allowed = recipient_purposes(recipient.pk)
    if not allowed or not _agency_answers_referrals(recipient.pk):
        raise ValidationError({"to_agency": _(
            "Nobody at %(agency)s answers referrals in Lotse. Contact the agency directly.")
            % {"agency": recipient.name}})
    purpose = purpose or allowed[0]
    if purpose not in allowed:
        raise ValidationError({"purpose": _(
            "The staff of %(agency)s do not work for this purpose. Choose one of: %(purposes)s.")
            % {"agency": recipient.name, "purposes": ", ".join(str(Purpose(p).label) for p in allowed)}})
    return purpose


def _sender_purpose(ctx: AccessContext) -> str:
    return ctx.work_purpose(Purpose.CASE_MANAGEMENT)


def referral_check_consent(ctx: AccessContext, person_id: int, to_agency_id: int, categories,
                           purpose: str) -> list[str]:
    """The categories NOT opened to the recipient agency for the purpose, neither by a
    statutory rule nor by a valid consent from the sender's agency (nor at all: blocked by
    law). Identity is always checked. The same policy decides as in the spine."""
    access_person_for_write(ctx, person_id, "referral.check", permission=permissions.REFERRAL_SEND,
                            purpose=_sender_purpose(ctx))
    agency = Agency.objects.filter(pk=to_agency_id, district_id=ctx.district_id).first()
    if agency is None:
        raise ValidationError({"to_agency": _("Choose an active agency of your district.")})
    return _coverage(ctx, person_id, agency, _normalise_categories(categories), purpose).not_covered


@dataclass(frozen=True)
class ReferralPreview:
    """What a referral would be: the recipient, the purpose, the categories and, per category,
    whether a rule or a consent opens it to the recipient."""

    agency: Agency
    offer: Offer | None
    purpose: str
    categories: list[str]
    coverage: Coverage


def _prepare(ctx: AccessContext, person_id: int, to_agency_id: int | None, offer_id: int | None,
             purpose: str | None, categories) -> tuple[Recipient, str, list[str]]:
    recipient = resolve_recipient(ctx, to_agency_id=to_agency_id, offer_id=offer_id)
    purpose = _purpose_for(recipient.agency, purpose)
    categories = _normalise_categories(categories)
    _check_categories(ctx, person_id, categories)
    return recipient, purpose, categories


def referral_preview(*, ctx: AccessContext, person_id: int, to_agency_id: int | None = None,
                     offer_id: int | None = None, purpose: str | None = None, categories=()) -> ReferralPreview:
    """Check a referral before sending: ValidationError for a wrong recipient, purpose or
    category; otherwise the consent coverage (missing consents are not an error here)."""
    access_person_for_write(ctx, person_id, "referral.check", permission=permissions.REFERRAL_SEND,
                            purpose=_sender_purpose(ctx))
    recipient, purpose, categories = _prepare(ctx, person_id, to_agency_id, offer_id, purpose, categories)
    return ReferralPreview(recipient.agency, recipient.offer, purpose, categories,
                           _coverage(ctx, person_id, recipient.agency, categories, purpose))


def _consent_error(coverage: Coverage) -> ValidationError:
    messages = []
    if coverage.missing:
        messages.append(_("No consent for: %(categories)s. Record the person's consent first.")
                        % {"categories": _labels(coverage.missing)})
    if coverage.blocked:
        messages.append(_("Passing on %(categories)s to this agency is blocked by law; no consent opens it.")
                        % {"categories": _labels(coverage.blocked)})
    return ValidationError({"categories": messages})


# --- sending ----------------------------------------------------------------------------------

def referral_send(*, ctx: AccessContext, person_id: int, to_agency_id: int | None = None,
                  offer_id: int | None = None, case_id: int | None = None, purpose: str | None,
                  categories, message: str) -> Referral:
    """Refer a person. Refused (ValidationError naming the categories) unless a rule or a valid
    consent opens every named category of the sender's data to the recipient. Moves the case
    to the linking phase if it was in an earlier one."""
    case = None
    if case_id is not None:
        case = case_for_write(ctx, case_id, "referral.send", permission=permissions.REFERRAL_SEND)
        if case.person_id != person_id:
            raise ValidationError(_("This case belongs to another person."))
    else:
        access_person_for_write(ctx, person_id, "referral.send", permission=permissions.REFERRAL_SEND,
                                purpose=_sender_purpose(ctx))
    recipient, purpose, categories = _prepare(ctx, person_id, to_agency_id, offer_id, purpose, categories)
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX_LENGTH:
        raise ValidationError({"message": _("The message is too long (at most %(n)s characters).")
                               % {"n": MESSAGE_MAX_LENGTH}})
    with transaction.atomic():
        lock_chain()  # decide in one order with concurrent revocations
        coverage = _coverage(ctx, person_id, recipient.agency, categories, purpose)
        if coverage.not_covered:
            raise _consent_error(coverage)
        with personal_data_scope():
            referral = Referral.objects.create(
                district_id=ctx.district_id, person_id=person_id, case=case,
                from_agency_id=ctx.agency_id, from_user_id=ctx.user_id, to_agency=recipient.agency,
                offer=recipient.offer, purpose=purpose, categories_mask=categories_to_mask(categories),
                message=message,
            )
            if case is not None and PHASE_ORDER.index(case.phase) < PHASE_ORDER.index(Phase.LINKING):
                Case.objects.filter(pk=case.pk).update(phase=Phase.LINKING, updated_at=timezone.now())
                log_action(ctx, "case.phase_changed", person_id=person_id,
                           categories=[DataCategory.COUNSELLING_NOTES], purpose=_sender_purpose(ctx),
                           basis="own_agency", object_ref=f"case:{case.pk}")
            if case is not None:
                refresh_attention(case.pk)
        log_action(ctx, "referral.sent", person_id=person_id, categories=categories, purpose=purpose,
                   basis=";".join(f"{c}={b.code}" for c, b in coverage.covered.items()),
                   object_ref=f"referral:{referral.pk}")
    return referral


# --- answers ----------------------------------------------------------------------------------

ANSWERS = {
    # action: (side, permission, statuses it starts from, status it leads to)
    "accept": ("recipient", permissions.REFERRAL_ANSWER, (ReferralStatus.SENT,), ReferralStatus.ACCEPTED),
    "decline": ("recipient", permissions.REFERRAL_ANSWER, (ReferralStatus.SENT,), ReferralStatus.DECLINED),
    "done": ("recipient", permissions.REFERRAL_ANSWER, (ReferralStatus.ACCEPTED,), ReferralStatus.DONE),
    "withdraw": ("sender", permissions.REFERRAL_SEND, (ReferralStatus.SENT, ReferralStatus.ACCEPTED),
                 ReferralStatus.WITHDRAWN),
}


def allowed_answers(ctx: AccessContext, referral: Referral) -> list[str]:
    """The answers the user may give to this referral now (for the detail page)."""
    found = []
    for action, (side, permission, sources, _target) in ANSWERS.items():
        agency_id = referral.to_agency_id if side == "recipient" else referral.from_agency_id
        if agency_id == ctx.agency_id and ctx.has_permission(permission) and referral.status in sources:
            found.append(action)
    return found


def _referral_for_answer(ctx: AccessContext, referral_id: int, action: str) -> Referral:
    side, permission, sources, _target = ANSWERS[action]
    with personal_data_scope():
        referral = Referral.objects.filter(pk=referral_id, district_id=ctx.district_id).first()
    if referral is None:
        raise ReferralNotFound(referral_id)
    if referral.to_agency_id != ctx.agency_id and referral.from_agency_id != ctx.agency_id:
        raise ReferralNotFound(referral_id)
    if not ctx.has_permission(permission):
        refuse(ctx, f"referral.{action}.refused", person_id=referral.person_id,
               reason=f"permission:{permission}",
               message=_("You lack the permission '%(perm)s'.") % {"perm": permission})
    agency_id = referral.to_agency_id if side == "recipient" else referral.from_agency_id
    if agency_id != ctx.agency_id:
        # Logged as refused; to the caller it looks like a missing referral.
        try:
            refuse(ctx, f"referral.{action}.refused", person_id=referral.person_id,
                   reason="referral_of_other_agency", message="")
        except AccessDenied as exc:
            raise ReferralNotFound(referral_id) from exc
    _check_transition(referral, action)
    return referral


def _check_transition(referral: Referral, action: str) -> None:
    sources = ANSWERS[action][2]
    if referral.status not in sources:
        raise ValidationError(_("This referral is %(status)s; it cannot be %(action)s.") % {
            "status": referral.get_status_display(), "action": _action_label(action)})


def _action_label(action: str) -> str:
    return {"accept": _("accepted"), "decline": _("declined"), "done": _("marked as done"),
            "withdraw": _("withdrawn")}[action]


def _answer(ctx: AccessContext, referral_id: int, action: str, **fields) -> Referral:
    """Change the status under a row lock (the status is checked again inside) and log."""
    target = ANSWERS[action][3]
    with transaction.atomic(), personal_data_scope():
        referral = Referral.objects.select_for_update().get(pk=referral_id)
        _check_transition(referral, action)
        referral.status = target
        for name, value in fields.items():
            setattr(referral, name, value)
        referral.save()
        if referral.case_id:
            refresh_attention(referral.case_id)
        log_action(ctx, f"referral.{target}", person_id=referral.person_id,
                   categories=[DataCategory.IDENTITY], purpose=referral.purpose,
                   basis="recipient" if ANSWERS[action][0] == "recipient" else "own_agency",
                   object_ref=f"referral:{referral.pk}")
    return referral


def referral_accept(*, ctx: AccessContext, referral_id: int) -> Referral:
    """Accept: the receiving agency opens a file on the person (it becomes their client). The
    person must be visible to the recipient (a rule or a valid consent)."""
    referral = _referral_for_answer(ctx, referral_id, "accept")
    # The check outside the write: refusals (consent revoked meanwhile) stay logged.
    try:
        check_may_open_file(ctx, referral.person_id)
    except PersonNotFound as exc:
        raise ValidationError(_(
            "Your agency cannot see this person (no valid consent or rule), so the referral cannot "
            "be accepted. Decline it with a reason, or ask the sending agency.")) from exc
    with transaction.atomic():  # the file and the answer together, or neither
        agency_file_open(ctx=ctx, person_id=referral.person_id)
        return _answer(ctx, referral_id, "accept", answered_at=timezone.now(), answered_by_id=ctx.user_id)


def referral_decline(*, ctx: AccessContext, referral_id: int, reason: str) -> Referral:
    referral = _referral_for_answer(ctx, referral_id, "decline")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for declining; the sending agency reads it.")})
    return _answer(ctx, referral.pk, "decline", decline_reason=reason[:MESSAGE_MAX_LENGTH],
                   answered_at=timezone.now(), answered_by_id=ctx.user_id)


def referral_done(*, ctx: AccessContext, referral_id: int, feedback: str) -> Referral:
    referral = _referral_for_answer(ctx, referral_id, "done")
    feedback = (feedback or "").strip()
    if not feedback:
        raise ValidationError({"feedback": _("Give feedback on the outcome; the sending agency reads it.")})
    return _answer(ctx, referral.pk, "done", feedback=feedback[:MESSAGE_MAX_LENGTH], done_at=timezone.now())


def referral_withdraw(*, ctx: AccessContext, referral_id: int) -> Referral:
    referral = _referral_for_answer(ctx, referral_id, "withdraw")
    return _answer(ctx, referral.pk, "withdraw")

