"""Who is asking: the request context every door of the spine takes."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from lotse.audit.chain import new_request_id
from lotse.core.vocabulary import Purpose

WORK_PURPOSE_ORDER = (
    Purpose.CASE_MANAGEMENT, Purpose.RESIDENCE_ADMINISTRATION, Purpose.BENEFITS_ADMINISTRATION,
    Purpose.BENEFITS_HANDOVER, Purpose.REGISTRY, Purpose.DATA_PROTECTION,
)


@dataclass(frozen=True)
class AccessContext:
    user_id: int | None
    agency_id: int | None
    agency_kind: str
    municipality_id: int | None
    district_id: int | None
    role_codes: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    purposes: frozenset[str] = frozenset()
    permissions: frozenset[str] = frozenset()
    request_id: str = field(default_factory=new_request_id)
    today: datetime.date = field(default_factory=timezone.localdate)
    # A scheduled job working for one agency (no user): it reads that agency's own data only.
    system_job: bool = False

    def has_permission(self, permission: str) -> bool:
        return permission in self.permissions

    def work_purpose(self, preferred: str | None = None) -> str:
        """The purpose the user's work serves: `preferred` when their roles allow it, else the
        first allowed one in a fixed order, so one user reads with one purpose everywhere
        (staff UI, API, consent recording)."""
        if preferred and preferred in self.purposes:
            return preferred
        for purpose in WORK_PURPOSE_ORDER:
            if purpose in self.purposes:
                return purpose
        return Purpose.REGISTRY

    @property
    def is_staff_member(self) -> bool:
        return self.user_id is not None and self.agency_id is not None


ANONYMOUS = AccessContext(
    user_id=None, agency_id=None, agency_kind="", municipality_id=None, district_id=None
)


def context_for_user(user, *, request_id: str | None = None) -> AccessContext:
    """Build the context from the user's agency and roles (re-read from the database)."""
    if user is None or not user.is_authenticated or not user.is_active or user.agency_id is None:
        return ANONYMOUS
    agency = user.agency
    roles = list(user.roles.all())
    categories: set[str] = set()
    purposes: set[str] = set()
    permissions: set[str] = set()
    for role in roles:
        categories.update(role.categories)
        purposes.update(role.purposes)
        permissions.update(role.permissions)
    return AccessContext(
        user_id=user.pk,
        agency_id=agency.pk,
        agency_kind=agency.kind,
        municipality_id=agency.municipality_id,
        district_id=agency.district_id,
        role_codes=frozenset(role.code for role in roles),
        categories=frozenset(categories),
        purposes=frozenset(purposes),
        permissions=frozenset(permissions),
        request_id=request_id or new_request_id(),
    )


def system_context(agency, *, purpose: str, categories, permissions=()) -> AccessContext:
    """The context of a scheduled job working for one agency on that agency's own data (the
    foreigners' authority's daily expiry scan): no user (logged with an empty actor), the
    agency's rights limited to what the job needs."""
    return AccessContext(
        user_id=None, agency_id=agency.pk, agency_kind=agency.kind,
        municipality_id=agency.municipality_id, district_id=agency.district_id,
        categories=frozenset(categories), purposes=frozenset({purpose}),
        permissions=frozenset(permissions), system_job=True,
    )
