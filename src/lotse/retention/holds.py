"""Legal holds: restrict instead of erasing (Art. 18 GDPR, § 84 Abs. 3 SGB X).

Set and lifted by the data-protection officer, through the spine (the person identified with
the DPO's purpose, the change logged; the reason stays in the hold, never in the log)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.access.spine import access_person, log_action, refuse
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import DataCategory, Purpose
from lotse.organisations import permissions
from lotse.retention.models import LegalHold

MIN_REASON_LENGTH = 10


def _check(ctx: AccessContext, person_id: int, action: str) -> None:
    if not ctx.has_permission(permissions.RETENTION_MANAGE):
        refuse(ctx, f"{action}.refused", person_id=person_id,
               reason=f"permission:{permissions.RETENTION_MANAGE}",
               message=_("You may not set or lift legal holds."))
    access_person(ctx, person_id, Purpose.DATA_PROTECTION, categories=[DataCategory.IDENTITY],
                  action=action)


def legal_hold_set(*, ctx: AccessContext, person_id: int, reason: str) -> LegalHold:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError({"reason": _("Write down why the data must be kept (at least "
                                           "%(n)s characters).") % {"n": MIN_REASON_LENGTH}})
    if len(reason) > 300:
        raise ValidationError({"reason": _("The reason is too long (at most 300 characters).")})
    _check(ctx, person_id, "retention.hold_set")
    with transaction.atomic(), personal_data_scope():
        hold = LegalHold.objects.create(person_id=person_id, reason=reason, set_by_id=ctx.user_id)
        log_action(ctx, "retention.hold_set", person_id=person_id, purpose=Purpose.DATA_PROTECTION,
                   basis=f"hold:{hold.pk}", object_ref=f"hold:{hold.pk}")
    return hold


def legal_hold_lift(*, ctx: AccessContext, person_id: int) -> int:
    """Lift every active hold of the person; returns how many were lifted."""
    _check(ctx, person_id, "retention.hold_lifted")
    with transaction.atomic(), personal_data_scope():
        holds = list(LegalHold.objects.select_for_update().filter(person_id=person_id,
                                                                  lifted_at__isnull=True))
        if not holds:
            raise ValidationError(_("This person has no active legal hold."))
        for hold in holds:
            hold.lifted_at = timezone.now()
            hold.lifted_by_id = ctx.user_id
            hold.save(update_fields=["lifted_at", "lifted_by"])
            log_action(ctx, "retention.hold_lifted", person_id=person_id,
                       purpose=Purpose.DATA_PROTECTION, basis=f"hold:{hold.pk}",
                       object_ref=f"hold:{hold.pk}")
    return len(holds)


def active_holds(ctx: AccessContext) -> list[LegalHold]:
    """The active holds of the DPO's district (ids and dates; the page shows no names)."""
    if not ctx.has_permission(permissions.RETENTION_MANAGE):
        return []
    with personal_data_scope():
        return list(LegalHold.objects.filter(lifted_at__isnull=True,
                                             person__district_id=ctx.district_id)
                    .order_by("-set_at")[:200])
