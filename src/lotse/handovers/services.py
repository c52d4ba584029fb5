"""Opening and working handovers. Part of the spine perimeter: reads and writes personal models
after the caller's access was decided, and logs every change.

`handover_open_for_status` is the trigger: called (via `people.signals`) when a residence status
is recorded, and by the bulk change for a whole group. It is idempotent: a person gets at most
one handover per rule, as the trigger person or as a member of their household's handover."""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q

from lotse.access.context import AccessContext
from lotse.access.spine import log_action
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import DataCategory, Purpose
from lotse.handovers.checklist import CHECKLIST
from lotse.handovers.models import BulkChangeRun, ChecklistItem, Handover, HandoverMember
from lotse.handovers.timing import change_dates, rule_applies
from lotse.organisations.models import Agency, AgencyKind
from lotse.people.models import BenefitsRegime, Person, ResidenceStatus
from lotse.rules.models import RegimeChangeRule
from lotse.rules.selectors import deadline_from, regime_change_rules_for, responsible_agency_kinds


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
    dates = change_dates(rule, status_from=status.valid_from)
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
            members += list(Person.objects.filter(household_id=person.household_id,
                                                  merged_into__isnull=True).exclude(pk=person.pk))
        HandoverMember.objects.bulk_create([
            HandoverMember(handover=handover, person=m, role=m.household_role) for m in members
        ])
        anchors = {"trigger": dates.trigger_on, "new_start": dates.new_regime_starts_on,
                   "application_due": dates.application_due_on, "old_end": dates.old_regime_ends_on}
        owners = {"from": from_agency, "to": to_agency, "abh": abh or from_agency}
        items = []
        for spec in CHECKLIST:
            due, deadline = deadline_from(key=spec.deadline_rule, anchor=anchors[spec.anchor])
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
    from django.utils.translation import gettext as _

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


def checklist_item_update(*, ctx: AccessContext, item_id: int, done: bool,
                          value_date: datetime.date | None = None, note: str = "") -> ChecklistItem:
    """Tick off (or reopen) a checklist item; only the item's responsible office may. Items that
    record a date (application filed, first payment …) need it when done."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from lotse.handovers.checklist import BY_KEY

    with personal_data_scope():
        item = ChecklistItem.objects.filter(pk=item_id).select_related("handover").first()
    if item is None:
        raise HandoverNotFound(item_id)
    handover = handover_for_write(ctx, item.handover_id, "handover.item_update")
    if item.owner_agency_id != ctx.agency_id:
        raise ValidationError(_("Only the responsible office ticks off this item."))
    spec = BY_KEY.get(item.key)
    if done and spec is not None and spec.records_date and value_date is None:
        raise ValidationError({"value_date": _("Enter the date for this item.")})
    if value_date is not None and value_date > ctx.today + datetime.timedelta(days=366):
        raise ValidationError({"value_date": _("The date lies too far in the future.")})
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
