"""Reads of case data: always through the spine. Decide and log first (`access_person(s)`),
then load only what the decisions allow. Part of the spine perimeter (see
core/tests/test_spine_guard.py)."""

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Q, prefetch_related_objects

from lotse.access.context import AccessContext
from lotse.access.spine import PersonNotFound, PersonRecord, access_people, access_person
from lotse.cases.models import Case, CaseDocument, CaseNote, CaseTask, FocusArea
from lotse.core.paging import Page
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import DataCategory, Purpose
from lotse.organisations import permissions
from lotse.plans.models import OPEN_STEP_STATUSES, PlanStep

CASE_READ_CATEGORIES = (
    DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.COUNSELLING_NOTES,
    DataCategory.QUALIFICATIONS, DataCategory.HEALTH,
)
CASELOAD_PAGE_SIZE = 25


class CaseNotFound(LookupError):
    """No such case, or not visible to this user: the two are never told apart."""


def case_purpose(ctx: AccessContext) -> str:
    return ctx.work_purpose(Purpose.CASE_MANAGEMENT)


@dataclass
class CaseAccess:
    """A case as one user may see it. `shows(category)` says whether the case agency's data of
    that category is open to the user (own agency and role, a consent, or a rule)."""

    case: Case
    record: PersonRecord
    is_own_agency: bool

    def shows(self, category: str) -> bool:
        decision = self.record.decisions.get(category)
        return bool(decision and decision.allows_source(self.case.owning_agency_id))

    def explain(self, category: str) -> str:
        decision = self.record.decisions.get(category)
        if decision is None:
            return ""
        basis = decision.allowed.get(self.case.owning_agency_id)
        if basis is not None:
            return basis.explain()
        return decision.denied[0].explain(category) if decision.denied else ""


@dataclass
class CaseDetail(CaseAccess):
    notes: list[CaseNote] = field(default_factory=list)
    documents: list[CaseDocument] = field(default_factory=list)
    tasks: list[CaseTask] = field(default_factory=list)
    hidden_note_count: int = 0


def _case_row(case_id: int, district_id: int | None) -> Case | None:
    with personal_data_scope():
        return (Case.objects.filter(pk=case_id, district_id=district_id)
                .select_related("owning_agency", "case_manager").first())


def case_access(ctx: AccessContext, case_id: int, *, action: str = "case.read",
                categories=None) -> CaseAccess:
    """Decide and log the access to one case; raise CaseNotFound unless the user may see the
    case agency's counselling data (which the case itself is)."""
    case = _case_row(case_id, ctx.district_id)
    if case is None:
        raise CaseNotFound(case_id)
    # Counselling notes are always asked for: they decide whether the case is visible, and a
    # refusal is logged as such.
    wanted = [c for c in (categories or CASE_READ_CATEGORIES)
              if c in ctx.categories or c == DataCategory.COUNSELLING_NOTES]
    needed = case_visibility_categories(case, ctx.agency_id)
    if DataCategory.HEALTH in needed and DataCategory.HEALTH not in wanted:
        wanted.append(DataCategory.HEALTH)

    def case_visible(_person_id, decisions) -> bool:
        return all(decisions.get(c) is not None and decisions[c].allows_source(case.owning_agency_id)
                   for c in needed)

    try:
        record = access_person(ctx, case.person_id, case_purpose(ctx), categories=wanted,
                               action=action, object_ref=f"case:{case.pk}", require=case_visible)
    except PersonNotFound as exc:
        raise CaseNotFound(case_id) from exc
    return CaseAccess(case, record, is_own_agency=case.owning_agency_id == ctx.agency_id)


def case_visibility_categories(case: Case, agency_id: int | None) -> tuple[str, ...]:
    """What must be open for a user to see a case at all: the case agency's counselling notes;
    for another agency, a psychosocial case is health data too (that someone is in
    psychosocial counselling is itself Art. 9 data), which the blocked rule keeps closed."""
    if case.focus_area == FocusArea.PSYCHOSOCIAL and case.owning_agency_id != agency_id:
        return (DataCategory.COUNSELLING_NOTES, DataCategory.HEALTH)
    return (DataCategory.COUNSELLING_NOTES,)


def case_detail(ctx: AccessContext, case_id: int) -> CaseDetail:
    access = case_access(ctx, case_id)
    detail = CaseDetail(access.case, access.record, access.is_own_agency)
    with personal_data_scope():
        notes = list(CaseNote.objects.filter(case_id=case_id).select_related("author"))
        documents = list(CaseDocument.objects.filter(case_id=case_id).select_related("uploaded_by"))
        detail.tasks = list(CaseTask.objects.filter(case_id=case_id).select_related("assignee"))
    detail.notes = [n for n in notes if detail.shows(n.data_category)]
    detail.hidden_note_count = len(notes) - len(detail.notes)
    detail.documents = [d for d in documents if detail.shows(d.data_category)]
    return detail


def cases_of_person(ctx: AccessContext, record: PersonRecord) -> list[Case]:
    """The cases on a person the user may see: the agencies whose counselling data the
    decision already in `record` allows (no further log row: the person read was logged)."""
    decision = record.decisions.get(DataCategory.COUNSELLING_NOTES)
    if decision is None or not decision.any_allowed:
        return []
    with personal_data_scope():
        cases = list(Case.objects.filter(person_id=record.person.pk,
                                         owning_agency_id__in=list(decision.allowed))
                     .select_related("owning_agency", "case_manager").order_by("-opened_on"))
    health = record.decisions.get(DataCategory.HEALTH)
    return [c for c in cases
            if DataCategory.HEALTH not in case_visibility_categories(c, ctx.agency_id)
            or (health is not None and health.allows_source(c.owning_agency_id))]


def document_for_download(ctx: AccessContext, document_id: int) -> CaseDocument:
    with personal_data_scope():
        document = CaseDocument.objects.filter(pk=document_id).only("id", "case_id", "category").first()
    if document is None:
        raise CaseNotFound(document_id)
    access = case_access(ctx, document.case_id, action="case.document.read")
    if not access.shows(document.data_category):
        raise CaseNotFound(document_id)
    with personal_data_scope():
        return CaseDocument.objects.get(pk=document_id)


# --- caseload ---------------------------------------------------------------------------------

@dataclass
class CaseloadFilter:
    team: bool = False  # the whole agency (team leads) instead of the user's own cases
    case_manager_id: int | None = None  # within the team view
    phase: str = ""
    focus_area: str = ""
    municipality_id: int | None = None
    overdue_only: bool = False
    next_contact_until: datetime.date | None = None
    include_closed: bool = False


@dataclass
class CaseloadRow:
    case: Case
    record: PersonRecord
    overdue_steps: int


CaseloadPage = Page  # Page[CaseloadRow]


def caseload(ctx: AccessContext, filters: CaseloadFilter, page: int = 1,
             per_page: int = CASELOAD_PAGE_SIZE) -> CaseloadPage:
    """Cases of the user (or, for team leads, of the agency), sorted by what needs attention
    first: the earliest date among next contact, plan steps, tasks and conference actions."""
    today = ctx.today
    if filters.team and not ctx.has_permission(permissions.CASE_TEAM_VIEW):
        filters.team = False
    with personal_data_scope():
        cases = Case.objects.filter(owning_agency_id=ctx.agency_id, district_id=ctx.district_id)
        if not filters.team:
            cases = cases.filter(case_manager_id=ctx.user_id)
        elif filters.case_manager_id:
            cases = cases.filter(case_manager_id=filters.case_manager_id)
        if not filters.include_closed:
            cases = cases.filter(closed_on__isnull=True)
        if filters.phase:
            cases = cases.filter(phase=filters.phase)
        if filters.focus_area:
            cases = cases.filter(focus_area=filters.focus_area)
        if filters.municipality_id:
            cases = cases.filter(person__municipality_id=filters.municipality_id)
        overdue = PlanStep.objects.filter(goal__plan__case_id=OuterRef("pk"),
                                          status__in=OPEN_STEP_STATUSES, due_on__lt=today)
        if filters.overdue_only:
            cases = cases.filter(Q(Exists(overdue)) | Q(attention_on__lt=today))
        if filters.next_contact_until:
            cases = cases.filter(next_contact_on__lte=filters.next_contact_until)
        cases = cases.order_by(F("attention_on").asc(nulls_last=True), "opened_on", "id")
        paginator = Paginator(cases.select_related("case_manager"), per_page)
        page_obj = paginator.get_page(page)
        page_cases = list(page_obj.object_list)
        overdue_counts = dict(
            PlanStep.objects.filter(goal__plan__case_id__in=[c.pk for c in page_cases],
                                    status__in=OPEN_STEP_STATUSES, due_on__lt=today)
            .values("goal__plan__case_id").annotate(n=Count("id")).values_list("goal__plan__case_id", "n")
        )
    records = {
        r.person.pk: r
        for r in access_people(ctx, list(dict.fromkeys(c.person_id for c in page_cases)),
                               case_purpose(ctx), categories=[DataCategory.IDENTITY,
                                                              DataCategory.CONTACT,
                                                              DataCategory.COUNSELLING_NOTES],
                               action="caseload.read", with_history=False)
    }
    # The page shows each person's municipality: one query for the page, not one per row.
    prefetch_related_objects([r.person for r in records.values()], "municipality")
    rows = [CaseloadRow(c, records[c.person_id], overdue_counts.get(c.pk, 0))
            for c in page_cases if c.person_id in records]
    return CaseloadPage(rows, page_obj.number, paginator.num_pages, paginator.count)


# --- start page -------------------------------------------------------------------------------

@dataclass
class DueItem:
    case: Case
    record: PersonRecord
    kind: str  # "task" | "next_contact"
    title: str
    due_on: datetime.date
    task: CaseTask | None = None


def due_items(ctx: AccessContext, *, horizon_days: int = 14, limit: int = 50) -> list[DueItem]:
    """The user's open tasks and next contacts due within the horizon (or overdue)."""
    until = ctx.today + datetime.timedelta(days=horizon_days)
    with personal_data_scope():
        tasks = list(
            CaseTask.objects.filter(done_on__isnull=True, due_on__lte=until,
                                    case__owning_agency_id=ctx.agency_id,
                                    case__closed_on__isnull=True)
            .filter(Q(assignee_id=ctx.user_id) | Q(assignee__isnull=True,
                                                   case__case_manager_id=ctx.user_id))
            .select_related("case").order_by("due_on", "id")[:limit]
        )
        contacts = list(
            Case.objects.filter(owning_agency_id=ctx.agency_id, case_manager_id=ctx.user_id,
                                closed_on__isnull=True, next_contact_on__lte=until)
            .order_by("next_contact_on", "id")[:limit]
        )
    person_ids = list(dict.fromkeys([t.case.person_id for t in tasks] + [c.person_id for c in contacts]))
    if not person_ids:
        return []
    records = {r.person.pk: r for r in access_people(
        ctx, person_ids, case_purpose(ctx),
        categories=[DataCategory.IDENTITY, DataCategory.COUNSELLING_NOTES],
        action="tasks.read", with_history=False)}
    items = [DueItem(t.case, records[t.case.person_id], "task", t.title, t.due_on, t)
             for t in tasks if t.case.person_id in records]
    items += [DueItem(c, records[c.person_id], "next_contact", "", c.next_contact_on)
              for c in contacts if c.person_id in records]
    items.sort(key=lambda item: (item.due_on, item.case.pk))
    return items[:limit]
