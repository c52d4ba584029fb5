"""Request and response schemas of the case-management endpoints: cases, plans, referrals and
gap reports.

As in `lotse.api.schemas`: input is checked here before any service sees it (lengths as in
the models, no control characters, ids and dates in a range every database can store, only
known codes); type and format errors give 422, business rules give 400 from the services.
"""

import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints

from lotse.api.schemas import (
    MAX_ID,
    CategoryName,
    Date,
    Id,
    InputSchema,
    Line,
    PersonDetailOut,
    PurposeName,
    _text,
)
from lotse.cases.models import (
    ClosureOutcome,
    ClosureReason,
    FocusArea,
    NoteCategory,
    Phase,
    TaskKind,
)
from lotse.core.vocabulary import DataCategory, LifeArea
from lotse.gaps.models import GapKind
from lotse.plans.models import GoalStatus, StepStatus
from lotse.referrals.models import ReferralStatus

# Page numbers beyond this are refused (422); a page past the end answers the last page.
MAX_PAGE = 100_000


def Text(max_length: int, min_length: int = 0):  # noqa: N802 - a type factory
    """A multi-line text: tabs and line breaks allowed, other control characters not."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        AfterValidator(_text),
    ]


FocusAreaName = Literal[tuple(FocusArea.values)]  # type: ignore[valid-type]
PhaseName = Literal[tuple(Phase.values)]  # type: ignore[valid-type]
OpenPhaseName = Literal[tuple(p for p in Phase.values if p != Phase.CLOSED)]  # type: ignore[valid-type]
ClosureReasonName = Literal[tuple(ClosureReason.values)]  # type: ignore[valid-type]
ClosureOutcomeName = Literal[tuple(ClosureOutcome.values)]  # type: ignore[valid-type]
NoteCategoryName = Literal[tuple(NoteCategory.values)]  # type: ignore[valid-type]
TaskKindName = Literal[tuple(TaskKind.values)]  # type: ignore[valid-type]
LifeAreaName = Literal[tuple(LifeArea.values)]  # type: ignore[valid-type]
GoalStatusName = Literal[tuple(GoalStatus.values)]  # type: ignore[valid-type]
StepStatusName = Literal[tuple(StepStatus.values)]  # type: ignore[valid-type]
ReferralStatusName = Literal[tuple(ReferralStatus.values)]  # type: ignore[valid-type]
GapKindName = Literal[tuple(GapKind.values)]  # type: ignore[valid-type]
Page = Annotated[int, Field(ge=1, le=MAX_PAGE)]


class PersonRefOut(Schema):
    """Who a case or referral is about: identity fields only (the person's full record is at
    `/persons/{id}`)."""

    id: int
    given_names: str
    family_name: str
    birth_year: int | None


class PageInfo(Schema):
    page: int
    num_pages: int
    total: int


# --- cases -------------------------------------------------------------------------------

class CaseloadParams(Schema):
    team: bool = Field(False, description="The whole agency's open cases (needs `case:team_view`).")
    case_manager_id: Annotated[int, Field(ge=1, le=MAX_ID)] | None = Field(
        None, description="Within the team view: the cases of one colleague.")
    phase: PhaseName | Literal[""] = ""
    focus_area: FocusAreaName | Literal[""] = ""
    municipality_id: Annotated[int, Field(ge=1, le=MAX_ID)] | None = Field(
        None, description="Persons living in this municipality.")
    overdue: bool = Field(False, description="Only cases with overdue plan steps, tasks or contacts.")
    next_contact_until: Date | None = None
    closed: bool = Field(False, description="Include closed cases.")
    page: Page = 1


class CaseRowOut(Schema):
    id: int
    person: PersonRefOut
    phase: str
    focus_area: str
    case_manager_id: int | None
    case_manager_name: str
    opened_on: datetime.date
    closed_on: datetime.date | None
    next_contact_on: datetime.date | None
    attention_on: datetime.date | None = Field(
        description="The earliest date that needs attention: next contact, open tasks, open plan "
                    "steps and conference actions. The list is sorted by it.")
    overdue_steps: int


class CaseloadOut(PageInfo):
    items: list[CaseRowOut]


class NoteOut(Schema):
    id: int
    category: str
    data_category: str
    text: str
    author_id: int
    author_name: str
    created_at: datetime.datetime


class TaskOut(Schema):
    id: int
    case_id: int
    kind: str
    title: str
    due_on: datetime.date
    assignee_id: int | None
    assignee_name: str
    done_on: datetime.date | None
    overdue: bool
    created_at: datetime.datetime


class DocumentOut(Schema):
    """Metadata only; the file itself is downloaded in the staff interface."""

    id: int
    kind: str
    title: str
    category: str
    content_type: str
    size: int
    sha256: str
    uploaded_by_name: str
    uploaded_at: datetime.datetime


class CaseOut(Schema):
    id: int
    person: PersonRefOut
    owning_agency_id: int
    owning_agency_name: str
    is_own_agency: bool
    visibility: str = Field(description="Why this case is visible to you (own agency, consent …).")
    focus_area: str
    phase: str
    case_manager_id: int | None
    case_manager_name: str
    opened_on: datetime.date
    closed_on: datetime.date | None
    closure_reason: str
    closure_outcome: str
    closure_note: str
    next_contact_on: datetime.date | None
    attention_on: datetime.date | None
    notes: list[NoteOut] = Field(description="Only the notes whose data category you may see; "
                                             "health notes (Art. 9 GDPR) only for the psychosocial "
                                             "counsellors of the owning agency.")
    hidden_note_count: int | None = Field(
        description="Notes of the case hidden from you; told only to the owning agency.")
    tasks: list[TaskOut]
    documents: list[DocumentOut]


class CaseIn(InputSchema):
    person_id: Id
    focus_area: FocusAreaName
    case_manager_id: Id | None = Field(None, description="Empty: yourself (others need `case:assign`).")
    next_contact_on: Date | None = None


class PhaseIn(InputSchema):
    phase: OpenPhaseName = Field(description="A phase of an open case; close with `/close`.")


class AssignIn(InputSchema):
    case_manager_id: Id | None = Field(description="An active colleague of your agency; null: nobody.")


class NextContactIn(InputSchema):
    next_contact_on: Date | None


class CloseIn(InputSchema):
    reason: ClosureReasonName
    outcome: ClosureOutcomeName
    note: Text(4000) = ""


class NoteIn(InputSchema):
    category: NoteCategoryName = "general"
    text: Text(20000, min_length=1)


class TaskIn(InputSchema):
    kind: TaskKindName = "follow_up"
    title: Line(200, min_length=1)
    due_on: Date
    assignee_id: Id | None = Field(None, description="Empty: the case manager.")


# --- plans -------------------------------------------------------------------------------

class StepOut(Schema):
    id: int
    goal_id: int
    title: str
    status: str
    due_on: datetime.date | None
    done_on: datetime.date | None
    overdue: bool
    responsible: str = Field(description="The offer, the agency or the free note, for display.")
    responsible_agency_id: int | None
    offer_id: int | None
    responsible_note: str
    deadline_rule_ref: str = Field(description="The dated rule(s) the due date was computed from.")


class GoalStatusOut(Schema):
    id: int
    life_area: str
    title: str
    status: str
    template_code: str
    anchor_on: datetime.date | None


class GoalOut(GoalStatusOut):
    done: int
    total: int
    steps: list[StepOut]


class PlanOut(Schema):
    case_id: int
    exists: bool = Field(description="False: the case has no plan yet.")
    done: int
    total: int
    percent: int
    overdue_step_ids: list[int]
    next_due_step_id: int | None
    goals: list[GoalOut]


class GoalIn(InputSchema):
    life_area: LifeAreaName
    title: Line(300, min_length=1)


class GoalStatusIn(InputSchema):
    status: GoalStatusName


class StepIn(InputSchema):
    title: Line(300, min_length=1)
    due_on: Date | None = None
    responsible_agency_id: Id | None = None
    offer_id: Id | None = None
    responsible_note: Line(200) = ""


class StepStatusIn(InputSchema):
    status: StepStatusName


class TemplateApplyIn(InputSchema):
    template_code: Line(50, min_length=1)
    anchor_on: Date = Field(description="The date the template's deadlines count from.")


class TemplateStepOut(Schema):
    title: str
    responsible_kinds: list[str]
    responsible_label: str
    deadline_rules: list[str]
    offset_days: int | None


class PlanTemplateOut(Schema):
    code: str
    name: str
    description: str
    life_area: str
    goal_title: str
    anchor_label: str
    steps: list[TemplateStepOut]


# --- referrals ---------------------------------------------------------------------------

class ReferralListParams(Schema):
    status: ReferralStatusName | Literal[""] = ""
    page: Page = 1


class ReferralRowOut(Schema):
    id: int
    person: PersonRefOut | None = Field(
        description="Null when you may not see the person (any more), e.g. after a revoked consent: "
                    "the referral stays listed.")
    from_agency_id: int
    from_agency_name: str
    to_agency_id: int
    to_agency_name: str
    offer_id: int | None
    offer_name: str
    purpose: str
    categories: list[str]
    status: str
    sent_at: datetime.datetime
    answered_at: datetime.datetime | None
    done_at: datetime.datetime | None
    overdue_since: datetime.date | None


class ReferralPageOut(PageInfo):
    items: list[ReferralRowOut]


class PassedOut(Schema):
    category: str
    explanation: str
    shown: bool


class ReferralOut(ReferralRowOut):
    case_id: int | None = Field(description="The sending agency's case (told to the sender only).")
    is_sender: bool
    is_recipient: bool
    message: str | None = Field(description="Null for the recipient while it may not see the person.")
    decline_reason: str
    feedback: str
    answers: list[str] = Field(description="What you may do now: accept, decline, done, withdraw.")
    passed: list[PassedOut] = Field(description="For the recipient: per category named, whether "
                                                "it is open to you and why.")
    record: PersonDetailOut | None = Field(
        description="The person as far as the referral's categories are open to you.")


class ReferralIn(InputSchema):
    person_id: Id
    to_agency_id: Id | None = Field(None, description="The receiving agency, or give `offer_id`.")
    offer_id: Id | None = Field(None, description="An offer of the directory; its provider receives it.")
    case_id: Id | None = Field(None, description="Your case the referral is made from.")
    purpose: PurposeName | None = Field(
        None, description="Default: the purpose the recipient's staff work for.")
    categories: list[CategoryName] = Field(
        default_factory=lambda: [DataCategory.IDENTITY.value], max_length=len(DataCategory.values),
        description="The data passed on (identity always). A rule or a valid consent must open "
                    "every category to the recipient, else 400 naming the missing ones.")
    message: Text(4000) = ""


class DeclineIn(InputSchema):
    reason: Text(4000, min_length=1)


class DoneIn(InputSchema):
    feedback: Text(4000, min_length=1)


# --- gap reports -------------------------------------------------------------------------

class GapListParams(Schema):
    page: Page = 1


class OfficeOut(Schema):
    id: int
    name: str


class GapReportOut(Schema):
    id: int
    municipality_id: int | None = Field(description="Null: the whole district.")
    municipality_name: str
    life_area: str
    kind: str
    title: str
    description: str
    offices_involved: list[OfficeOut]
    source: str
    reporting_agency_id: int
    reporting_agency_name: str
    reported_on: datetime.date
    status: str


class GapPageOut(PageInfo):
    items: list[GapReportOut]


class GapReportIn(InputSchema):
    municipality_id: Id | None = Field(None, description="Null: the whole district.")
    life_area: LifeAreaName
    kind: GapKindName
    title: Line(200, min_length=1)
    description: Text(5000, min_length=1) = Field(
        description="No personal data: the text is screened (names of registered persons, dates, "
                    "file numbers, e-mail addresses, phone numbers) and refused with 400 on a hit.")
    office_ids: list[Id] = Field(default_factory=list, max_length=50,
                                 description="Offices involved (agencies of your district).")
