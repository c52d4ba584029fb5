"""Writes to cases. Each checks the permission and the spine (the person visible, a file of
the own agency, the case owned by the own agency), writes atomically and logs itself.

Part of the spine perimeter (see core/tests/test_spine_guard.py)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.access.spine import access_person_for_write, log_action, refuse
from lotse.cases.models import (
    Case,
    CaseAssignment,
    CaseDocument,
    CaseNote,
    CaseTask,
    ClosureOutcome,
    ClosureReason,
    DocumentKind,
    FocusArea,
    NoteCategory,
    Phase,
)
from lotse.core.scoping import personal_data_scope
from lotse.core.uploads import check_upload
from lotse.core.vocabulary import DataCategory, Purpose
from lotse.organisations import permissions
from lotse.organisations.models import StaffUser


def _purpose(ctx: AccessContext) -> str:
    return ctx.work_purpose(Purpose.CASE_MANAGEMENT)


def case_for_write(ctx: AccessContext, case_id: int, action: str, *,
                   permission: str = permissions.CASE_MANAGE, require_open: bool = True) -> Case:
    """The check before any write to a case or its parts (notes, plan, intake, conferences):
    the permission, the case owned by the user's agency, the person visible with a file of
    the own agency. Refusals are logged. Call it outside the write's transaction."""
    with personal_data_scope():
        case = Case.objects.filter(pk=case_id, district_id=ctx.district_id).first()
    if case is None or case.owning_agency_id != ctx.agency_id:
        refuse(ctx, f"{action}.refused", person_id=case.person_id if case else None,
               reason="case_of_other_agency" if case else "no_such_case",
               message=_("This case does not exist or belongs to another agency."))
    access_person_for_write(ctx, case.person_id, action, permission=permission,
                            purpose=_purpose(ctx))
    if require_open and not case.is_open:
        raise ValidationError(_("The case is closed."))
    return case


def _log(ctx: AccessContext, action: str, case: Case, *categories: str, basis: str = "own_agency") -> None:
    log_action(ctx, action, person_id=case.person_id,
               categories=categories or [DataCategory.COUNSELLING_NOTES], purpose=_purpose(ctx),
               basis=basis, object_ref=f"case:{case.pk}")


def _colleague(ctx: AccessContext, user_id: int | None) -> StaffUser | None:
    if user_id is None:
        return None
    user = StaffUser.objects.filter(pk=user_id, agency_id=ctx.agency_id, is_active=True).first()
    if user is None:
        raise ValidationError({"case_manager": _("Choose an active colleague of your agency.")})
    return user


def refresh_attention(case_id: int) -> None:
    """Recompute the date the case needs attention: next contact, open tasks, open plan steps
    and open conference actions, whichever comes first."""
    from lotse.conferences.models import ConferenceDecision
    from lotse.plans.models import OPEN_STEP_STATUSES, PlanStep

    with personal_data_scope():
        case = Case.objects.get(pk=case_id)
        candidates = [
            case.next_contact_on,
            CaseTask.objects.filter(case_id=case_id, done_on__isnull=True)
            .aggregate(d=Min("due_on"))["d"],
            PlanStep.objects.filter(goal__plan__case_id=case_id, status__in=OPEN_STEP_STATUSES)
            .aggregate(d=Min("due_on"))["d"],
            ConferenceDecision.objects.filter(conference__case_id=case_id, done_on__isnull=True)
            .aggregate(d=Min("due_on"))["d"],
        ]
        dates = [d for d in candidates if d is not None]
        Case.objects.filter(pk=case_id).update(attention_on=min(dates) if dates else None)


def case_open(*, ctx: AccessContext, person_id: int, focus_area: str,
              case_manager_id: int | None = None,
              next_contact_on: datetime.date | None = None) -> Case:
    access_person_for_write(ctx, person_id, "case.open", permission=permissions.CASE_MANAGE,
                            purpose=_purpose(ctx))
    if focus_area not in FocusArea.values:
        raise ValidationError({"focus_area": _("Choose a focus area.")})
    manager_id = case_manager_id or ctx.user_id
    if manager_id != ctx.user_id and not ctx.has_permission(permissions.CASE_ASSIGN):
        raise ValidationError({"case_manager": _("You may only open cases for yourself.")})
    manager = _colleague(ctx, manager_id)
    with transaction.atomic(), personal_data_scope():
        case = Case.objects.create(
            district_id=ctx.district_id, person_id=person_id, owning_agency_id=ctx.agency_id,
            focus_area=focus_area, case_manager=manager, opened_on=ctx.today,
            next_contact_on=next_contact_on, attention_on=next_contact_on,
        )
        CaseAssignment.objects.create(case=case, case_manager=manager, assigned_by_id=ctx.user_id)
        _log(ctx, "case.opened", case)
    return case


def case_assign(*, ctx: AccessContext, case_id: int, case_manager_id: int | None) -> Case:
    case = case_for_write(ctx, case_id, "case.assign", permission=permissions.CASE_ASSIGN)
    manager = _colleague(ctx, case_manager_id)
    with transaction.atomic(), personal_data_scope():
        case.case_manager = manager
        case.save(update_fields=["case_manager", "updated_at"])
        CaseAssignment.objects.create(case=case, case_manager=manager, assigned_by_id=ctx.user_id)
        _log(ctx, "case.assigned", case)
    return case


def case_set_phase(*, ctx: AccessContext, case_id: int, phase: str) -> Case:
    case = case_for_write(ctx, case_id, "case.phase")
    if phase not in Phase.values or phase == Phase.CLOSED:
        raise ValidationError({"phase": _("Choose a phase; close the case with its own form.")})
    with transaction.atomic(), personal_data_scope():
        case.phase = phase
        case.save(update_fields=["phase", "updated_at"])
        _log(ctx, "case.phase_changed", case)
    return case


def case_set_next_contact(*, ctx: AccessContext, case_id: int,
                          next_contact_on: datetime.date | None) -> Case:
    case = case_for_write(ctx, case_id, "case.next_contact")
    with transaction.atomic(), personal_data_scope():
        case.next_contact_on = next_contact_on
        case.save(update_fields=["next_contact_on", "updated_at"])
        refresh_attention(case.pk)
        _log(ctx, "case.next_contact_set", case)
    return case


def case_close(*, ctx: AccessContext, case_id: int, reason: str, outcome: str,
               note: str = "") -> Case:
    case = case_for_write(ctx, case_id, "case.close")
    errors = {}
    if reason not in ClosureReason.values:
        errors["reason"] = _("Choose the reason for closing.")
    if outcome not in ClosureOutcome.values:
        errors["outcome"] = _("Choose the outcome.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), personal_data_scope():
        case.phase = Phase.CLOSED
        case.closed_on = ctx.today
        case.closure_reason = reason
        case.closure_outcome = outcome
        case.closure_note = note
        case.attention_on = None
        case.save()
        _log(ctx, "case.closed", case)
    return case


def _check_category_allowed(ctx: AccessContext, category: str) -> None:
    data_category = {NoteCategory.HEALTH: DataCategory.HEALTH,
                     NoteCategory.QUALIFICATIONS: DataCategory.QUALIFICATIONS}.get(
        category, DataCategory.COUNSELLING_NOTES)
    if category not in NoteCategory.values:
        raise ValidationError({"category": _("Choose a category.")})
    if data_category not in ctx.categories:
        raise ValidationError({"category": _(
            "Your role may not record data of this category (only psychosocial counsellors "
            "record health and psychosocial notes).")})


def note_add(*, ctx: AccessContext, case_id: int, category: str, text: str) -> CaseNote:
    case = case_for_write(ctx, case_id, "case.note_add")
    _check_category_allowed(ctx, category)
    if not text.strip():
        raise ValidationError({"text": _("The note is empty.")})
    with transaction.atomic(), personal_data_scope():
        note = CaseNote.objects.create(case=case, category=category, text=text.strip(),
                                       author_id=ctx.user_id)
        _log(ctx, "case.note_added", case, note.data_category)
    return note


def document_add(*, ctx: AccessContext, case_id: int, kind: str, title: str, category: str,
                 upload) -> CaseDocument:
    case = case_for_write(ctx, case_id, "case.document_add")
    _check_category_allowed(ctx, category)
    errors = {}
    if kind not in DocumentKind.values:
        errors["kind"] = _("Choose the kind of document.")
    if not title.strip():
        errors["title"] = _("Give the document a title.")
    if upload is None:
        errors["file"] = _("Choose a file.")
    if kind == DocumentKind.MEDICAL and category != NoteCategory.HEALTH:
        errors["category"] = _("A medical or psychosocial document belongs to the category "
                               "health and psychosocial.")
    if errors:
        raise ValidationError(errors)
    checked = check_upload(upload, settings.LOTSE_MAX_UPLOAD_BYTES, field="file")
    with transaction.atomic(), personal_data_scope():
        document = CaseDocument(
            case=case, kind=kind, title=title.strip()[:200], category=category,
            content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
            uploaded_by_id=ctx.user_id,
        )
        document.file.save(checked.sha256, upload, save=False)
        document.save()
        _log(ctx, "case.document_added", case, document.data_category)
    return document


def task_add(*, ctx: AccessContext, case_id: int, kind: str, title: str, due_on: datetime.date,
             assignee_id: int | None = None) -> CaseTask:
    case = case_for_write(ctx, case_id, "case.task_add")
    if not title.strip():
        raise ValidationError({"title": _("Describe the task.")})
    assignee = _colleague(ctx, assignee_id)
    with transaction.atomic(), personal_data_scope():
        task = CaseTask.objects.create(case=case, kind=kind, title=title.strip()[:200],
                                       due_on=due_on, assignee=assignee, created_by_id=ctx.user_id)
        refresh_attention(case.pk)
        _log(ctx, "case.task_added", case)
    return task


def task_done(*, ctx: AccessContext, task_id: int) -> CaseTask:
    with personal_data_scope():
        task = CaseTask.objects.filter(pk=task_id, case__district_id=ctx.district_id).first()
    if task is None:  # answered like another agency's task: ids are not to be probed
        refuse(ctx, "case.task_done.refused", reason="no_such_task",
               message=_("This case does not exist or belongs to another agency."))
    case = case_for_write(ctx, task.case_id, "case.task_done")
    with transaction.atomic(), personal_data_scope():
        task.done_on = ctx.today
        task.save(update_fields=["done_on"])
        refresh_attention(case.pk)
        _log(ctx, "case.task_done", case)
    return task
