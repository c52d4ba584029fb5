"""Who may see and work on steering, and the door through which steering counts personal data.

Steering sees aggregates only. A module that counts over personal models (KPIs, the needs
analysis) does so inside `aggregate_scope`, which checks the permission, writes one access-log
entry (`steering.aggregate`, no person, the figures named in `object_ref`) and only then opens
the scope. Such modules are listed in the spine perimeter (core/tests/test_spine_guard.py) and
return numbers, never rows."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.access.spine import log_action, refuse
from lotse.core.scoping import personal_data_scope
from lotse.organisations import permissions

AGGREGATE_PURPOSE = "steering"


def may_view(ctx: AccessContext) -> bool:
    return ctx.is_staff_member and ctx.has_permission(permissions.STEERING_VIEW)


def may_coordinate(ctx: AccessContext) -> bool:
    return ctx.is_staff_member and ctx.has_permission(permissions.STEERING_COORDINATE)


def check_may_view(ctx: AccessContext, action: str = "steering.view.refused") -> None:
    if not may_view(ctx):
        refuse(ctx, action, reason=f"permission:{permissions.STEERING_VIEW}",
               message=_("You lack the permission '%(perm)s'.") % {"perm": permissions.STEERING_VIEW})


def check_may_coordinate(ctx: AccessContext, action: str = "steering.coordinate.refused") -> None:
    if not may_coordinate(ctx):
        refuse(ctx, action, reason=f"permission:{permissions.STEERING_COORDINATE}",
               message=_("You lack the permission '%(perm)s'.") % {"perm": permissions.STEERING_COORDINATE})


@contextmanager
def aggregate_scope(ctx: AccessContext, figures: str) -> Iterator[None]:
    """Count over personal data for `figures` (e.g. "kpis:2026-Q3"): refused without
    `steering:view`; logged before any row is read; the log failing denies the count."""
    check_may_view(ctx, "steering.aggregate.refused")
    with transaction.atomic():
        log_action(ctx, "steering.aggregate", purpose=AGGREGATE_PURPOSE, basis="aggregate",
                   object_ref=figures[:100])
        with personal_data_scope():
            yield
