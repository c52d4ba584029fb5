"""Emergency access ("break glass"): its own permission, a written reason, a short validity,
enforced here on the server and logged. Blocked flows stay closed (the policy checks them
before any override)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.access.models import AccessOverride
from lotse.access.spine import AccessDenied, gather_facts, log_action, refuse
from lotse.core.vocabulary import categories_to_mask
from lotse.organisations import permissions

MIN_REASON_LENGTH = 20
MAX_HOURS = 24


def access_override_grant(
    *, ctx: AccessContext, person_id: int, categories: list[str], purpose: str, reason: str,
    hours: int = 4,
) -> AccessOverride:
    if not ctx.has_permission(permissions.ACCESS_OVERRIDE):
        refuse(ctx, "access.override_refused", person_id=person_id,
               reason=f"permission:{permissions.ACCESS_OVERRIDE}",
               message=_("You may not use emergency access."))
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError({"reason": _("Write down why the access is necessary (at least "
                                           "%(n)s characters).") % {"n": MIN_REASON_LENGTH}})
    if not 1 <= hours <= MAX_HOURS:
        raise ValidationError({"hours": _("Emergency access lasts 1 to 24 hours.")})
    facts = gather_facts([person_id], ctx.today).get(person_id)
    if facts is None or facts.district_id != ctx.district_id:
        raise AccessDenied(_("Unknown person."))
    with transaction.atomic():
        override = AccessOverride.objects.create(
            user_id=ctx.user_id, agency_id=ctx.agency_id, person_id=person_id,
            categories_mask=categories_to_mask(categories), purpose=purpose, reason=reason,
            expires_at=timezone.now() + datetime.timedelta(hours=hours),
        )
        log_action(ctx, "access.override_granted", person_id=person_id, categories=categories,
                   purpose=purpose, basis=f"override:{override.pk}",
                   object_ref=f"override:{override.pk}")
    return override
