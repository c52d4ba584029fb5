"""The intake interview (Erstgespräch): a guided form generated from the questionnaire
definition, and the page of a recorded intake."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lotse.access.spine import AccessDenied
from lotse.cases.selectors import CaseNotFound, case_access
from lotse.core.vocabulary import DataCategory
from lotse.intake.reference import CODE as REFERENCE_CODE
from lotse.intake.selectors import (
    IntakeNotFound,
    intake_detail,
    questionnaire_current,
    questionnaires_current,
)
from lotse.intake.services import intake_record
from lotse.organisations import permissions
from lotse.web.forms_plans import IntakeForm


def _questionnaire(request: HttpRequest):
    """The questionnaire version to use: the one the form was rendered with (POST), the one
    chosen (GET ?questionnaire=), else the current reference questionnaire. The flag says
    whether a posted version is no longer current (answers to an old form are not recorded)."""
    current = questionnaires_current()
    wanted = request.POST.get("questionnaire") or request.GET.get("questionnaire")
    chosen = next((q for q in current if str(q.pk) == wanted), None) if wanted else None
    if chosen is not None:
        return chosen, current, False
    default = questionnaire_current(REFERENCE_CODE) or (current[0] if current else None)
    return default, current, request.method == "POST"


def intake_start_view(request: HttpRequest, case_id: int) -> HttpResponse:
    ctx = request.access
    if not ctx.has_permission(permissions.CASE_MANAGE):
        raise Http404
    try:
        access = case_access(ctx, case_id, action="intake.form",
                             categories=[DataCategory.IDENTITY, DataCategory.COUNSELLING_NOTES])
    except CaseNotFound as exc:
        raise Http404 from exc
    if not access.is_own_agency or not access.case.is_open:
        raise Http404
    questionnaire, available, outdated = _questionnaire(request)
    if questionnaire is None:
        raise Http404
    if outdated:
        messages.error(request, _("This questionnaire version is no longer in use; start the interview "
                                  "again with the current version."))
    form = IntakeForm(None if outdated else request.POST or None, questionnaire=questionnaire)
    status = 400 if outdated else 200
    if form.is_bound:
        if form.is_valid():
            try:
                intake = intake_record(ctx=ctx, case_id=case_id, questionnaire_id=questionnaire.pk,
                                       taken_on=form.cleaned_data["taken_on"], answers=form.answers())
            except AccessDenied as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    form.add_service_errors(exc.message_dict)
                else:
                    form.add_error(None, exc.messages)
            else:
                messages.success(request, _("The intake interview was recorded."))
                return redirect("web:intake-detail", intake_id=intake.pk)
        status = 400
    return render(request, "web/intake_form.html", {
        "form": form, "sections": form.sections(), "questionnaire": questionnaire,
        "available": available, "case": access.case, "person": access.record.person,
    }, status=status)


def intake_detail_view(request: HttpRequest, intake_id: int) -> HttpResponse:
    try:
        detail = intake_detail(request.access, intake_id)
    except IntakeNotFound as exc:
        raise Http404 from exc
    return render(request, "web/intake_detail.html", {
        "intake": detail.intake, "case": detail.access.case, "person": detail.access.record.person,
    })
