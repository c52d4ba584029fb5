"""Opening and working handovers. Part of the spine perimeter: reads and writes personal models
after the caller's access was decided, and logs every change.

`handover_open_for_status` is the trigger: called (via `people.signals`) when a residence status
is recorded, and by the bulk change for a whole group. It is idempotent: a person gets at most
one handover per rule, as the trigger person or as a member of their household's handover."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.access.spine import log_action
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import DataCategory, Purpose
from lotse.handovers.checklist import BY_KEY, CHECKLIST
from lotse.handovers.models import BulkChangeRun, ChecklistItem, Handover, HandoverMember, HandoverStatus
from lotse.handovers.timing import change_dates, rule_applies
from lotse.organisations.models import Agency, AgencyKind
from lotse.people.models import BenefitsRegime, Person, ResidenceStatus
from lotse.rules.models import RegimeChangeRule
from lotse.rules.selectors import (
    NoRuleInForce,
    deadline_from,
    regime_change_rules_for,
    responsible_agency_kinds,
)


@dataclass(frozen=True)
class OpenResult:
    handover: Handover | None
    created: bool
    reason: str = ""  # why nothing was opened: "exists", "member_of_household_handover", …


def _nearest(district_id: int, kinds: set[str], municipality_id: int | None) -> Agency | None:
    """The agency of one of `kinds` for the municipality: a local office first, else the
    district-wide one, else any of the district."""
    agencies = list(Agency.objects.filter(district_id=district_id, kind__in=kinds)
                    .order_by("id"))
    for match in (lambda a: a.municipality_id == municipality_id and municipality_id is not None,
                  lambda a: a.municipality_id is None, lambda a: True):
        found = [a for a in agencies if match(a)]
        if found:
            return found[0]
    return None


def _current_regime(person_id: int, on: datetime.date) -> BenefitsRegime | None:
    return (BenefitsRegime.objects.filter(person_id=person_id, valid_from__lte=on)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
            .order_by("-valid_from", "-id").first())


def _first_issued(person_id: int, kind_codes: list[str]) -> datetime.date | None:
    first = (ResidenceStatus.objects.filter(person_id=person_id, kind__code__in=kind_codes)
             .order_by("valid_from").values_list("valid_from", flat=True).first())
    return first


def handover_open_for_status(*, ctx: AccessContext, status: ResidenceStatus,
                             bulk_run: BulkChangeRun | None = None,
                             rules: list[RegimeChangeRule] | None = None) -> list[OpenResult]:
    """Open the handovers the rule data asks for after `status` was recorded. A status that
    leads to no change opens nothing (an empty list)."""
    results = []
    kind_code = status.kind.code
    for rule in rules if rules is not None else regime_change_rules_for(kind_code=kind_code):
        if kind_code not in (rule.trigger_kinds or []):
            continue
        with personal_data_scope():
            first = _first_issued(status.person_id, rule.trigger_kinds)
        if not rule_applies(rule, status_from=status.valid_from, status_to=status.valid_to,
                            first_issued_on=first):
            continue
        results.append(_open(ctx, status, rule, bulk_run))
    return results


def _open(ctx: AccessContext, status: ResidenceStatus, rule: RegimeChangeRule,
          bulk_run: BulkChangeRun | None) -> OpenResult:
    try:
        dates = change_dates(rule, status_from=status.valid_from)
    except NoRuleInForce:  # no deadline rule for such an old date: nothing to hand over today
        return OpenResult(None, False, "no_deadline_rule")
    with transaction.atomic(), personal_data_scope():
        person = Person.objects.select_related("household").get(pk=status.person_id)
        existing = Handover.objects.filter(person_id=person.pk, rule=rule).first()
        if existing is not None:
            return OpenResult(existing, False, "exists")
        as_member = (HandoverMember.objects.filter(person_id=person.pk, handover__rule=rule)
                     .select_related("handover").first())
        if as_member is not None:
            return OpenResult(as_member.handover, False, "member_of_household_handover")
        current = _current_regime(person.pk, dates.old_regime_ends_on)
        if current is None or current.regime != rule.from_regime:
            return OpenResult(None, False, "not_in_previous_regime")
        if current.valid_to is not None and rule.old_regime_continues_until is not None:
            try:  # transitional protection: the grant runs to its recorded end, at most to the cap
                dates = change_dates(rule, status_from=status.valid_from, old_grant_ends_on=current.valid_to)
            except NoRuleInForce:
                return OpenResult(None, False, "no_deadline_rule")
        to_kinds = responsible_agency_kinds(subject=rule.to_regime, on=dates.new_regime_starts_on)
        to_agency = _nearest(person.district_id, to_kinds, person.municipality_id)
        if to_agency is None:
            return OpenResult(None, False, "no_office_for_next_regime")
        from_agency = current.responsible_agency
        abh = _nearest(person.district_id, {AgencyKind.FOREIGNERS_AUTHORITY}, person.municipality_id)
        try:
            with transaction.atomic():
                handover = Handover.objects.create(
                    district_id=person.district_id, person=person, household=person.household,
                    rule=rule, trigger_status=status, trigger_on=dates.trigger_on,
                    from_regime=rule.from_regime, to_regime=rule.to_regime, from_agency=from_agency,
                    to_agency=to_agency, old_regime_ends_on=dates.old_regime_ends_on,
                    new_regime_starts_on=dates.new_regime_starts_on,
                    application_due_on=dates.application_due_on, bulk_run=bulk_run,
                )
        except IntegrityError:  # a concurrent trigger won the race
            return OpenResult(Handover.objects.get(person_id=person.pk, rule=rule), False, "exists")
        members = [person]
        if person.household_id:
            # Household members move together, except those already in a handover of this rule
            # (their own, or another of the household's: one handover per person and rule) and
            # those under another regime already (a member without an entry of their own moves).
            already = set(HandoverMember.objects.filter(
                handover__rule=rule, person__household_id=person.household_id).values_list(
                "person_id", flat=True)) | set(Handover.objects.filter(
                    rule=rule, person__household_id=person.household_id).values_list("person_id", flat=True))
            members += [m for m in Person.objects.filter(household_id=person.household_id,
                                                         merged_into__isnull=True).exclude(pk=person.pk)
                        if m.pk not in already and getattr(_current_regime(m.pk, dates.old_regime_ends_on),
                                                           "regime", rule.from_regime) == rule.from_regime]
        HandoverMember.objects.bulk_create([
            HandoverMember(handover=handover, person=m, role=m.household_role) for m in members
        ])
        anchors = {"trigger": dates.trigger_on, "new_start": dates.new_regime_starts_on,
                   "application_due": dates.application_due_on, "old_end": dates.old_regime_ends_on}
        owners = {"from": from_agency, "to": to_agency, "abh": abh or from_agency}
        items = []
        for spec in CHECKLIST:
            try:
                due, deadline = deadline_from(key=spec.deadline_rule, anchor=anchors[spec.anchor])
            except NoRuleInForce:
                transaction.set_rollback(True)
                return OpenResult(None, False, "no_deadline_rule")
            items.append(ChecklistItem(
                handover=handover, key=spec.key, owner_agency=owners[spec.owner], due_on=due,
                deadline_rule_ref=f"{deadline.name} ({deadline.legal_reference})"[:300]))
        ChecklistItem.objects.bulk_create(items)
        for member in members:
            log_action(ctx, "handover.opened", person_id=member.pk,
                       categories=[DataCategory.RESIDENCE, DataCategory.BENEFITS],
                       purpose=Purpose.BENEFITS_HANDOVER, basis=f"rule:{rule.key}",
                       object_ref=f"handover:{handover.pk}")
    return OpenResult(handover, True)


def on_residence_status_recorded(sender, *, ctx: AccessContext, status: ResidenceStatus, **kwargs) -> None:
    handover_open_for_status(ctx=ctx, status=status)


# --- working a handover ------------------------------------------------------------------------

class HandoverNotFound(LookupError):
    """No such handover, or not one of the user's office: never told apart."""


def handover_for_write(ctx: AccessContext, handover_id: int, action: str) -> Handover:
    """The check before a write: permission, the handover owned by the user's office (as the
    paying or the next office), the person visible for the handover purpose. Refusals logged."""
    from lotse.access.spine import PersonNotFound, access_person, refuse
    from lotse.organisations import permissions

    with personal_data_scope():
        handover = Handover.objects.filter(pk=handover_id, district_id=ctx.district_id).first()
    if handover is None or ctx.agency_id not in (handover.from_agency_id, handover.to_agency_id):
        raise HandoverNotFound(handover_id)
    if not ctx.has_permission(permissions.HANDOVER_WORK):
        refuse(ctx, f"{action}.refused", person_id=handover.person_id,
               reason=f"permission:{permissions.HANDOVER_WORK}",
               message=_("You lack the permission '%(perm)s'.") % {"perm": permissions.HANDOVER_WORK})
    try:
        access_person(ctx, handover.person_id, Purpose.BENEFITS_HANDOVER,
                      categories=[DataCategory.IDENTITY], action=action,
                      object_ref=f"handover:{handover.pk}")
    except PersonNotFound as exc:
        raise HandoverNotFound(handover_id) from exc
    return handover


def may_tick(ctx: AccessContext, item: ChecklistItem, handover: Handover) -> bool:
    """The responsible office ticks off its items. An item of an office outside the handover
    (the foreigners' authority's residence document) is recorded by the paying office, which
    sees the document when the person brings it: the authority has no handover access."""
    if item.owner_agency_id == ctx.agency_id:
        return True
    outside = item.owner_agency_id not in (handover.from_agency_id, handover.to_agency_id)
    return outside and ctx.agency_id == handover.from_agency_id


def checklist_item_update(*, ctx: AccessContext, item_id: int, done: bool,
                          value_date: datetime.date | None = None, note: str = "") -> ChecklistItem:
    """Tick off (or reopen) a checklist item; only the item's responsible office may. Items that
    record a date (application filed, first payment …) need it when done."""
    with personal_data_scope():
        item = ChecklistItem.objects.filter(pk=item_id).select_related("handover").first()
    if item is None:
        raise HandoverNotFound(item_id)
    handover = handover_for_write(ctx, item.handover_id, "handover.item_update")
    if handover.status != HandoverStatus.OPEN:
        raise ValidationError(_("The handover is closed."))
    if not may_tick(ctx, item, handover):
        raise ValidationError(_("Only the responsible office ticks off this item."))
    spec = BY_KEY.get(item.key)
    if done and spec is not None and spec.records_date and value_date is None:
        raise ValidationError({"value_date": _("Enter the date for this item.")})
    if value_date is not None and value_date > ctx.today + datetime.timedelta(days=366):
        raise ValidationError({"value_date": _("The date lies too far in the future.")})
    if value_date is not None and value_date < handover.trigger_on - datetime.timedelta(days=366):
        raise ValidationError({"value_date": _("The date lies too far in the past.")})
    with transaction.atomic(), personal_data_scope():
        item.done_on = ctx.today if done else None
        item.done_by_id = ctx.user_id if done else None
        item.value_date = value_date if done else None
        item.note = note.strip()[:300]
        item.save(update_fields=["done_on", "done_by", "value_date", "note"])
        log_action(ctx, "handover.item_updated", person_id=handover.person_id,
                   categories=[DataCategory.BENEFITS], purpose=Purpose.BENEFITS_HANDOVER,
                   basis="own_agency", object_ref=f"handover:{handover.pk}:{item.key}")
    return item


# Items whose dates the gap check and the coordinators' overview rely on: a handover is
# completed only once they are recorded.
REQUIRED_FOR_COMPLETION = ("application", "confirmation", "first_payment", "last_payment")


def _open_for_update(handover_id: int) -> Handover:
    """Inside the write transaction: lock the row and re-check that it is still open."""

    handover = Handover.objects.select_for_update().get(pk=handover_id)
    if handover.status != HandoverStatus.OPEN:
        raise ValidationError(_("The handover is closed."))
    return handover


def _member_ids(handover: Handover) -> list[int]:
    ids = list(HandoverMember.objects.filter(handover=handover).order_by("id")
               .values_list("person_id", flat=True))
    return list(dict.fromkeys([handover.person_id, *ids]))


def _log_members(ctx: AccessContext, action: str, handover: Handover, person_ids: list[int]) -> None:
    for person_id in person_ids:
        log_action(ctx, action, person_id=person_id, categories=[DataCategory.BENEFITS],
                   purpose=Purpose.BENEFITS_HANDOVER, basis="own_agency",
                   object_ref=f"handover:{handover.pk}")


def handover_complete(*, ctx: AccessContext, handover_id: int) -> Handover:
    """Close a handover as done: either office may, once the application, the confirmation,
    the first payment of the next office and the last payment of the previous one are
    recorded (the dates the gap check and the overview count with)."""

    handover_for_write(ctx, handover_id, "handover.complete")
    with transaction.atomic(), personal_data_scope():
        handover = _open_for_update(handover_id)
        done = set(ChecklistItem.objects.filter(handover=handover, done_on__isnull=False)
                   .values_list("key", flat=True))
        missing = [str(BY_KEY[key].label) for key in REQUIRED_FOR_COMPLETION if key not in done]
        if missing:
            raise ValidationError(_("Record these items first: %(items)s.") % {"items": "; ".join(missing)})
        handover.status = HandoverStatus.COMPLETED
        handover.closed_at = timezone.now()
        handover.save(update_fields=["status", "closed_at"])
        _log_members(ctx, "handover.completed", handover, _member_ids(handover))
    return handover


def handover_cancel(*, ctx: AccessContext, handover_id: int, reason: str) -> Handover:
    """Close a handover that does not happen (status withdrawn, person moved away …), with
    the reason both offices see."""

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    if len(reason) > Handover._meta.get_field("close_reason").max_length:
        raise ValidationError({"reason": _("The reason is too long (at most %(n)s characters).") % {
            "n": Handover._meta.get_field("close_reason").max_length}})
    handover_for_write(ctx, handover_id, "handover.cancel")
    with transaction.atomic(), personal_data_scope():
        handover = _open_for_update(handover_id)
        handover.status = HandoverStatus.CANCELLED
        handover.closed_at = timezone.now()
        handover.close_reason = reason
        handover.save(update_fields=["status", "closed_at", "close_reason"])
        _log_members(ctx, "handover.cancelled", handover, _member_ids(handover))
    return handover


def new_regime_recorded(handover: Handover) -> bool:
    """Has the next office recorded the new regime from the new start for every member?
    (Call inside the scope.)"""
    members = _member_ids(handover)
    recorded = set(BenefitsRegime.objects.filter(
        person_id__in=members, regime=handover.to_regime, responsible_agency_id=handover.to_agency_id,
        valid_from=handover.new_regime_starts_on).values_list("person_id", flat=True))
    return recorded >= set(members)


def handover_record_new_regime(*, ctx: AccessContext, handover_id: int) -> list[BenefitsRegime]:
    """The next office records the new benefits regime (SGB II, or AsylbLG in the reverse
    direction) from the new start for every member of the household, through
    `people.services.benefits_regime_add`. The application filed with it is the basis for the
    office's own file on each member, which is opened here if missing (logged). The previous
    office's entry stays as it is; its last payment is a checklist item. Members that already
    have the entry are skipped; all or nothing."""

    from lotse.access.spine import refuse
    from lotse.organisations import permissions
    from lotse.people.models import PersonAgencyLink
    from lotse.people.services import benefits_regime_add

    handover = handover_for_write(ctx, handover_id, "handover.regime_record")
    if handover.status != HandoverStatus.OPEN:
        raise ValidationError(_("The handover is closed."))
    if ctx.agency_id != handover.to_agency_id:
        raise ValidationError(_("Only the next office records the new benefits regime."))
    if not ctx.has_permission(permissions.PERSON_EDIT):
        refuse(ctx, "handover.regime_record.refused", person_id=handover.person_id,
               reason=f"permission:{permissions.PERSON_EDIT}",
               message=_("You lack the permission '%(perm)s'.") % {"perm": permissions.PERSON_EDIT})
    if ctx.agency_kind not in responsible_agency_kinds(subject=handover.to_regime,
                                                       on=handover.new_regime_starts_on):
        raise ValidationError(_("Your agency is not responsible for this benefits regime."))
    with personal_data_scope():
        filed = ChecklistItem.objects.filter(handover=handover, key="application",
                                             done_on__isnull=False).exists()
    if not filed:
        raise ValidationError(_("Record the application first."))
    # Only members the next office may see (through the handover rule or a consent) get a file:
    # opening a file must never become a way around the spine.
    from lotse.access.spine import access_people

    with personal_data_scope():
        member_ids = _member_ids(Handover.objects.get(pk=handover_id))
    visible = {r.person.pk for r in access_people(
        ctx, member_ids, Purpose.BENEFITS_HANDOVER, categories=[DataCategory.IDENTITY],
        action="handover.regime_record", object_ref=f"handover:{handover_id}", with_history=False)}
    entries = []
    with transaction.atomic(), personal_data_scope():
        handover = _open_for_update(handover_id)
        for person_id in [m for m in _member_ids(handover) if m in visible]:
            link, created = PersonAgencyLink.objects.get_or_create(
                person_id=person_id, agency_id=ctx.agency_id, defaults={"since": ctx.today})
            if not created and link.until is not None and link.until < ctx.today:
                link.until = None  # a closed file is reopened by the new application
                link.save(update_fields=["until"])
                created = True
            if created:
                log_action(ctx, "person.file_opened", person_id=person_id,
                           categories=[DataCategory.IDENTITY], purpose=Purpose.BENEFITS_HANDOVER,
                           basis=f"handover:{handover.pk}:application",
                           object_ref=f"agency:{ctx.agency_id}")
            if BenefitsRegime.objects.filter(person_id=person_id, regime=handover.to_regime,
                                             responsible_agency_id=ctx.agency_id,
                                             valid_from=handover.new_regime_starts_on).exists():
                continue
            entries.append(benefits_regime_add(ctx=ctx, person_id=person_id, regime=handover.to_regime,
                                               valid_from=handover.new_regime_starts_on))
        if not entries:
            raise ValidationError(_("The new benefits regime is already recorded."))
    return entries
