"""Case endpoints: the caseload, opening a case, the case with its notes, tasks and documents,
phase, assignment, next contact, closure, notes and tasks.

Thin handlers: parse (schemas_cases), call `lotse.cases.selectors` (which decide and log every
read through the access spine) or `lotse.cases.services` (which check, write atomically and
log), shape the answer. A case that does not exist and one you may not see both answer 404
(`CaseNotFound`); a refused write answers 403 (`AccessDenied`), a broken business rule 400.
"""

from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from lotse.access.spine import AccessDenied, PersonRecord
from lotse.api.auth import ctx_of
from lotse.api.schemas import ERRORS, MAX_ID
from lotse.api.schemas_cases import (
    AssignIn,
    CaseIn,
    CaseloadOut,
    CaseloadParams,
    CaseOut,
    CloseIn,
    NextContactIn,
    NoteIn,
    NoteOut,
    PhaseIn,
    TaskIn,
    TaskOut,
)
from lotse.cases.selectors import CaseDetail, CaseloadFilter, case_detail, caseload
from lotse.cases.services import (
    case_assign,
    case_close,
    case_open,
    case_set_next_contact,
    case_set_phase,
    note_add,
    task_add,
    task_done,
)
from lotse.core.vocabulary import DataCategory
from lotse.organisations import permissions

router = Router(tags=["cases"])

CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="Id of the case.")]
TaskId = Annotated[int, Path(ge=1, le=MAX_ID, description="Id of the task.")]



def require(ctx, permission: str) -> None:
    if not ctx.has_permission(permission):
        raise AccessDenied(_("You lack the permission '%(perm)s'.") % {"perm": permission})


# --- shaping ---------------------------------------------------------------------------

def _staff_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def person_ref(record: PersonRecord) -> dict:
    person = record.person
    return {"id": person.pk, "given_names": person.given_names, "family_name": person.family_name,
            "birth_year": person.birth_year}


def note_out(note) -> dict:
    return {"id": note.pk, "category": note.category, "data_category": note.data_category,
            "text": note.text, "author_id": note.author_id, "author_name": _staff_name(note.author),
            "created_at": note.created_at}


def task_out(task, today) -> dict:
    return {"id": task.pk, "case_id": task.case_id, "kind": task.kind, "title": task.title,
            "due_on": task.due_on, "assignee_id": task.assignee_id,
            "assignee_name": _staff_name(task.assignee), "done_on": task.done_on,
            "overdue": task.done_on is None and task.due_on < today, "created_at": task.created_at}


def _document_out(document) -> dict:
    return {"id": document.pk, "kind": document.kind, "title": document.title,
            "category": document.category, "content_type": document.content_type,
            "size": document.size, "sha256": document.sha256,
            "uploaded_by_name": _staff_name(document.uploaded_by), "uploaded_at": document.uploaded_at}


def _case_out(detail: CaseDetail, today) -> dict:
    case = detail.case
    return {
        "id": case.pk, "person": person_ref(detail.record),
        "owning_agency_id": case.owning_agency_id, "owning_agency_name": case.owning_agency.name,
        "is_own_agency": detail.is_own_agency,
        "visibility": detail.explain(DataCategory.COUNSELLING_NOTES),
        "focus_area": case.focus_area, "phase": case.phase, "case_manager_id": case.case_manager_id,
        "case_manager_name": _staff_name(case.case_manager), "opened_on": case.opened_on,
        "closed_on": case.closed_on, "closure_reason": case.closure_reason,
        "closure_outcome": case.closure_outcome, "closure_note": case.closure_note,
        "next_contact_on": case.next_contact_on, "attention_on": case.attention_on,
        "notes": [note_out(n) for n in detail.notes],
        # Another agency is not told that notes it cannot see exist (that alone can hint at
        # Art. 9 data).
        "hidden_note_count": detail.hidden_note_count if detail.is_own_agency else None,
        "tasks": [task_out(t, today) for t in detail.tasks],
        "documents": [_document_out(d) for d in detail.documents],
    }


def _read(ctx, case_id: int) -> dict:
    return _case_out(case_detail(ctx, case_id), ctx.today)


# --- caseload --------------------------------------------------------------------------

@router.get("/cases", response={200: CaseloadOut, **ERRORS},
            summary="Your caseload (or your team's), by what needs attention first")
def list_cases(request: HttpRequest, params: Query[CaseloadParams]):
    """Open cases of your agency managed by you — with `team=true` (permission
    `case:team_view`) the whole agency's. Sorted by the attention date, 25 per page. Every
    person shown is logged as `caseload.read`."""
    ctx = ctx_of(request)
    require(ctx, permissions.CASE_MANAGE)
    if params.team:
        require(ctx, permissions.CASE_TEAM_VIEW)
    filters = CaseloadFilter(
        team=params.team, case_manager_id=params.case_manager_id if params.team else None,
        phase=params.phase, focus_area=params.focus_area, municipality_id=params.municipality_id,
        overdue_only=params.overdue, next_contact_until=params.next_contact_until,
        include_closed=params.closed,
    )
    page = caseload(ctx, filters, page=params.page)
    items = [
        {"id": row.case.pk, "person": person_ref(row.record), "phase": row.case.phase,
         "focus_area": row.case.focus_area, "case_manager_id": row.case.case_manager_id,
         "case_manager_name": _staff_name(row.case.case_manager), "opened_on": row.case.opened_on,
         "closed_on": row.case.closed_on, "next_contact_on": row.case.next_contact_on,
         "attention_on": row.case.attention_on, "overdue_steps": row.overdue_steps}
        for row in page.rows
    ]
    return {"items": items, "page": page.number, "num_pages": page.num_pages, "total": page.total}


@router.post("/cases", response={201: CaseOut, **ERRORS}, summary="Open a case")
def create_case(request: HttpRequest, payload: CaseIn):
    """Needs `case:manage` and a file of your agency on the person (`POST
    /persons/{id}/file`). Opening for a colleague needs `case:assign`."""
    ctx = ctx_of(request)
    case = case_open(ctx=ctx, person_id=payload.person_id, focus_area=payload.focus_area,
                     case_manager_id=payload.case_manager_id,
                     next_contact_on=payload.next_contact_on)
    return Status(201, _read(ctx, case.pk))


@router.get("/cases/{case_id}", response={200: CaseOut, **ERRORS},
            summary="Read a case with the notes, tasks and documents you may see")
def get_case(request: HttpRequest, case_id: CaseId):
    """The owning agency's staff, or another agency through a consent or rule that opens the
    owning agency's counselling notes for its purpose. Health notes (Art. 9 GDPR) only for the
    psychosocial counsellors of the owning agency. Logged as `case.read`."""
    ctx = ctx_of(request)
    return _read(ctx, case_id)


@router.post("/cases/{case_id}/phase", response={200: CaseOut, **ERRORS},
             summary="Move the case to another phase")
def set_phase(request: HttpRequest, case_id: CaseId, payload: PhaseIn):
    ctx = ctx_of(request)
    case_set_phase(ctx=ctx, case_id=case_id, phase=payload.phase)
    return _read(ctx, case_id)


@router.post("/cases/{case_id}/assign", response={200: CaseOut, **ERRORS},
             summary="Assign the case to a case manager")
def assign(request: HttpRequest, case_id: CaseId, payload: AssignIn):
    """Needs `case:assign`; the case manager must be an active colleague of your agency."""
    ctx = ctx_of(request)
    case_assign(ctx=ctx, case_id=case_id, case_manager_id=payload.case_manager_id)
    return _read(ctx, case_id)


@router.post("/cases/{case_id}/next-contact", response={200: CaseOut, **ERRORS},
             summary="Set (or clear) the date of the next contact")
def set_next_contact(request: HttpRequest, case_id: CaseId, payload: NextContactIn):
    ctx = ctx_of(request)
    case_set_next_contact(ctx=ctx, case_id=case_id, next_contact_on=payload.next_contact_on)
    return _read(ctx, case_id)


@router.post("/cases/{case_id}/close", response={200: CaseOut, **ERRORS},
             summary="Close the case with a reason and an outcome")
def close(request: HttpRequest, case_id: CaseId, payload: CloseIn):
    ctx = ctx_of(request)
    case_close(ctx=ctx, case_id=case_id, reason=payload.reason, outcome=payload.outcome,
               note=payload.note)
    return _read(ctx, case_id)


@router.post("/cases/{case_id}/notes", response={201: NoteOut, **ERRORS}, summary="Add a note")
def add_note(request: HttpRequest, case_id: CaseId, payload: NoteIn):
    """Category `health` (Art. 9 GDPR) only for psychosocial counsellors."""
    ctx = ctx_of(request)
    note = note_add(ctx=ctx, case_id=case_id, category=payload.category, text=payload.text)
    return Status(201, note_out(note))


@router.post("/cases/{case_id}/tasks", response={201: TaskOut, **ERRORS},
             summary="Add a task or reminder")
def add_task(request: HttpRequest, case_id: CaseId, payload: TaskIn):
    ctx = ctx_of(request)
    task = task_add(ctx=ctx, case_id=case_id, kind=payload.kind, title=payload.title,
                    due_on=payload.due_on, assignee_id=payload.assignee_id)
    return Status(201, task_out(task, ctx.today))


@router.post("/cases/tasks/{task_id}/done", response={200: TaskOut, **ERRORS},
             summary="Mark a task as done")
def finish_task(request: HttpRequest, task_id: TaskId):
    """A task that does not exist answers 400 (the service's message)."""
    ctx = ctx_of(request)
    task = task_done(ctx=ctx, task_id=task_id)
    return task_out(task, ctx.today)
