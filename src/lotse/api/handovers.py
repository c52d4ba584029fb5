"""Handover endpoints (change of benefits regime AsylbLG ↔ SGB II): the office's open
handovers, one handover with its checklist, ticking off a checklist item (the job centre's
own software confirms an application or a first payment) and the data package.

Thin handlers: parse (the schemas below), call `lotse.handovers.selectors` /
`lotse.handovers.package` (which decide and log every read through the access spine, purpose
`benefits_handover`) or `lotse.handovers.services` (which check, write atomically and log),
shape the answer. A handover that does not exist and one of another office both answer 404
(`HandoverNotFound`); the permission `handover:work` is needed (403), a broken business rule
answers 400 with nothing changed.
"""

import datetime
from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from pydantic import Strict

from lotse.access.spine import AccessDenied, PersonRecord
from lotse.api.auth import ctx_of
from lotse.api.schemas import (
    ERRORS,
    MAX_ID,
    BenefitsOut,
    ContactOut,
    Date,
    HouseholdOut,
    IdentityOut,
    InputSchema,
    Line,
)
from lotse.api.schemas_cases import Page, PageInfo, PersonRefOut
from lotse.handovers.checklist import BY_KEY
from lotse.handovers.package import handover_package, package_as_dict
from lotse.handovers.selectors import Assessment, HandoverRow, handover_detail, open_handovers
from lotse.handovers.services import checklist_item_update
from lotse.organisations import permissions

router = Router(tags=["handovers"])

HandoverId = Annotated[int, Path(ge=1, le=MAX_ID, description="Id of the handover.")]
ItemId = Annotated[int, Path(ge=1, le=MAX_ID, description="Id of the checklist item.")]



# --- schemas -------------------------------------------------------------------------------

class HandoverListParams(Schema):
    page: Page = 1


class AgencyRefOut(Schema):
    id: int
    name: str


class MemberOut(Schema):
    person: PersonRefOut
    role: str = Field(description="Role in the household (head, partner, child, other).")


class CoverageOut(Schema):
    old_ends_on: datetime.date = Field(
        description="Last day paid by the previous office (its last payment, if recorded).")
    new_starts_on: datetime.date = Field(
        description="First day paid by the next office: the 1st of the month the application was "
                    "filed in (§ 37 Abs. 2 S. 2 SGB II), never before the new entitlement starts.")
    expected: bool = Field(description="True: no application recorded yet; computed as if filed today.")
    gap_days: int
    overlap_days: int


class HandoverOut(Schema):
    id: int
    status: str
    person: PersonRefOut | None = Field(
        description="The person whose status triggered the change; null if you may not see them.")
    members: list[MemberOut] = Field(description="The other household members you may see.")
    hidden_members: int = Field(description="Household members you may not see.")
    from_regime: str
    to_regime: str
    from_agency: AgencyRefOut
    to_agency: AgencyRefOut
    trigger_on: datetime.date
    old_regime_ends_on: datetime.date
    new_regime_starts_on: datetime.date
    application_due_on: datetime.date
    risk: str = Field(description="The worst flag: gap, application_missing, confirmation_missing, "
                                  "overdue, or none.")
    flags: list[str]
    warning_on: datetime.date | None = Field(
        description="From this day a missing application or confirmation is flagged.")
    coverage: CoverageOut


class HandoverListOut(PageInfo):
    items: list[HandoverOut]


class ItemOut(Schema):
    id: int
    key: str
    label: str
    owner_agency_id: int
    owner_agency_name: str
    due_on: datetime.date
    deadline_rule: str = Field(description="The deadline rule and its legal reference.")
    records_date: bool = Field(description="True: ticking it off needs `value_date`.")
    done: bool
    done_on: datetime.date | None
    value_date: datetime.date | None
    note: str
    overdue: bool
    may_tick: bool = Field(description="True: your office may tick it off.")


class HandoverDetailOut(HandoverOut):
    is_paying_office: bool
    is_next_office: bool
    items: list[ItemOut]
    missing_for_completion: list[str]


class ItemIn(InputSchema):
    done: Annotated[bool, Strict()]
    value_date: Date | None = Field(
        None, description="The date the item records (application filed, first payment …).")
    note: Line(300) = ""


class PackageCategoryOut(Schema):
    category: str
    label: str
    state: str = Field(description="shown, hidden (see explanation) or none (the paying office "
                                   "holds nothing of it).")
    explanation: str


class PackageBenefitsOut(BenefitsOut):
    regime_label: str


class PackageMemberOut(Schema):
    person_id: int
    trigger_person: bool
    identity: IdentityOut | None
    contact: ContactOut | None
    household: HouseholdOut | None
    benefits: list[PackageBenefitsOut] | None
    categories: list[PackageCategoryOut]


class PackageHandoverOut(Schema):
    id: int
    status: str
    from_regime: str
    to_regime: str
    from_agency: AgencyRefOut
    to_agency: AgencyRefOut
    trigger_on: datetime.date
    old_regime_ends_on: datetime.date
    new_regime_starts_on: datetime.date
    application_due_on: datetime.date


class PackageOut(Schema):
    handover: PackageHandoverOut
    viewer: str = Field(description="receiving_office, or paying_office (a preview of what the "
                                    "next office sees).")
    generated_on: datetime.date
    members: list[PackageMemberOut]
    members_not_shown: int = Field(description="Household members the next office may not see.")


# --- shaping -------------------------------------------------------------------------------

def require(ctx, permission: str) -> None:
    if not ctx.has_permission(permission):
        raise AccessDenied(_("You lack the permission '%(perm)s'.") % {"perm": permission})


def _person(record: PersonRecord | None) -> dict | None:
    if record is None:
        return None
    person = record.person
    return {"id": person.pk, "given_names": person.given_names, "family_name": person.family_name,
            "birth_year": person.birth_year}


def _assessment(assessment: Assessment) -> dict:
    c = assessment.coverage
    return {"risk": assessment.risk, "flags": list(assessment.flags), "warning_on": assessment.warning_on,
            "coverage": {"old_ends_on": c.old_ends_on, "new_starts_on": c.new_starts_on,
                         "expected": c.expected, "gap_days": c.gap_days,
                         "overlap_days": c.overlap_days}}


def _handover(handover, record, members, assessment: Assessment) -> dict:
    return {
        "id": handover.pk, "status": handover.status, "person": _person(record),
        "members": [{"person": _person(m.record), "role": m.role} for m in members if m.record],
        "hidden_members": sum(1 for m in members if m.record is None),
        "from_regime": handover.from_regime, "to_regime": handover.to_regime,
        "from_agency": {"id": handover.from_agency_id, "name": handover.from_agency.name},
        "to_agency": {"id": handover.to_agency_id, "name": handover.to_agency.name},
        "trigger_on": handover.trigger_on, "old_regime_ends_on": handover.old_regime_ends_on,
        "new_regime_starts_on": handover.new_regime_starts_on,
        "application_due_on": handover.application_due_on,
        **_assessment(assessment),
    }


def _row(row: HandoverRow) -> dict:
    return _handover(row.handover, row.record, row.members, row.assessment)


def _item(item, *, may_tick: bool, today: datetime.date) -> dict:
    spec = BY_KEY.get(item.key)
    return {
        "id": item.pk, "key": item.key, "label": str(spec.label) if spec else item.key,
        "owner_agency_id": item.owner_agency_id, "owner_agency_name": item.owner_agency.name,
        "due_on": item.due_on, "deadline_rule": item.deadline_rule_ref,
        "records_date": bool(spec and spec.records_date), "done": item.done_on is not None,
        "done_on": item.done_on, "value_date": item.value_date, "note": item.note,
        "overdue": item.done_on is None and item.due_on < today, "may_tick": may_tick,
    }


def _detail(ctx, handover_id: int) -> dict:
    detail = handover_detail(ctx, handover_id)
    return {
        **_handover(detail.handover, detail.record, detail.members, detail.assessment),
        "is_paying_office": detail.is_paying_office, "is_next_office": detail.is_next_office,
        "items": [_item(row.item, may_tick=row.may_tick, today=ctx.today) for row in detail.items],
        "missing_for_completion": detail.missing_for_completion,
    }


# --- endpoints -----------------------------------------------------------------------------

@router.get("/handovers", response={200: HandoverListOut, **ERRORS},
            summary="Open handovers of your office, by risk of a payment gap")
def list_handovers(request: HttpRequest, params: Query[HandoverListParams]):
    """Open changes of benefits regime where your office pays until the change or after it.
    Worst risk first (gap, application missing, confirmation missing, overdue items), then by
    the application deadline; 25 per page. Needs `handover:work`. Every person named is
    logged as `handover.list.read`."""
    ctx = ctx_of(request)
    require(ctx, permissions.HANDOVER_WORK)
    page = open_handovers(ctx, page=params.page)
    return {"items": [_row(row) for row in page.rows], "page": page.number,
            "num_pages": page.num_pages, "total": page.total}


@router.get("/handovers/{handover_id}", response={200: HandoverDetailOut, **ERRORS},
            summary="Read a handover with its checklist")
def get_handover(request: HttpRequest, handover_id: HandoverId):
    """Dates, gap check and every checklist item with its responsible office, due date and
    deadline rule. Logged as `handover.read`."""
    ctx = ctx_of(request)
    require(ctx, permissions.HANDOVER_WORK)
    return _detail(ctx, handover_id)


@router.post("/handovers/items/{item_id}", response={200: ItemOut, **ERRORS},
             summary="Tick off (or reopen) a checklist item of your office")
def update_item(request: HttpRequest, item_id: ItemId, payload: ItemIn):
    """Only the item's responsible office; items that record a date (application filed,
    confirmation, first or last payment) need `value_date` when `done` is true. Example:
    `{"done": true, "value_date": "2026-04-20", "note": "Antrag eingegangen"}`. Bad input
    answers 400 and changes nothing."""
    ctx = ctx_of(request)
    require(ctx, permissions.HANDOVER_WORK)
    item = checklist_item_update(ctx=ctx, item_id=item_id, done=payload.done,
                                 value_date=payload.value_date, note=payload.note)
    return _item(item, may_tick=True, today=ctx.today)


@router.get("/handovers/{handover_id}/package", response={200: PackageOut, **ERRORS},
            summary="The data package of a handover (as the next office may see it)")
def get_package(request: HttpRequest, handover_id: HandoverId):
    """The paying office's data on the household: with the person's consent (purpose
    `benefits_handover`) the consented categories, otherwise only what a legal-basis rule
    allows (identity). `categories` names every category with its state and the reason.
    Logged as `handover.package.export`."""
    ctx = ctx_of(request)
    require(ctx, permissions.HANDOVER_WORK)
    return package_as_dict(handover_package(ctx, handover_id, export="api"))
