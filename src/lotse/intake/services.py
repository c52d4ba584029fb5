"""Writes of the intake interview: recording an intake, publishing a questionnaire version.

`intake_record` checks through `case_for_write` (permission, own agency's case, own file on the
person), validates the answers against the intake's questionnaire version, writes atomically
and logs. Part of the spine perimeter (see core/tests/test_spine_guard.py)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.access.spine import log_action
from lotse.cases.models import Phase
from lotse.cases.services import case_for_write
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import Purpose
from lotse.intake.definition import answer_rows, answered_categories, clean_answers, validate_definition
from lotse.intake.models import Intake, IntakeAnswer, Questionnaire


def questionnaire_publish(*, code: str, title: str, definition: dict,
                          published_on: datetime.date) -> Questionnaire:
    """Publish a new version (the previous one is retired on the same day). Published versions
    are never changed: intakes keep the version they were taken with."""
    validate_definition(definition)
    if not title.strip():
        raise ValidationError({"title": _("Give the questionnaire a title.")})
    with transaction.atomic():
        current = (Questionnaire.objects.select_for_update().filter(code=code)
                   .aggregate(v=Max("version"))["v"] or 0)
        Questionnaire.objects.filter(code=code, retired_on__isnull=True).update(retired_on=published_on)
        return Questionnaire.objects.create(code=code, version=current + 1, title=title.strip(),
                                            definition=definition, published_on=published_on)


def intake_record(*, ctx: AccessContext, case_id: int, questionnaire_id: int,
                  taken_on: datetime.date, answers: dict) -> Intake:
    """Record an intake interview: answers stored as JSON and one `IntakeAnswer` row per value;
    logged as `intake.recorded` with the categories of the sections answered; a case still in
    the intake phase moves on to assessment."""
    case = case_for_write(ctx, case_id, "intake.record")
    questionnaire = Questionnaire.objects.filter(pk=questionnaire_id).first()
    if questionnaire is None or questionnaire.retired_on is not None:
        raise ValidationError({"questionnaire": _(
            "This questionnaire version is no longer in use; start the interview again with the "
            "current version.")})
    errors = {}
    if not isinstance(taken_on, datetime.date):
        errors["taken_on"] = _("Enter the date of the interview.")
    elif taken_on > ctx.today:
        errors["taken_on"] = _("The interview cannot be in the future.")
    elif taken_on < case.opened_on - datetime.timedelta(days=366):
        errors["taken_on"] = _("The interview date lies long before the case was opened.")
    try:
        cleaned = clean_answers(questionnaire.definition, answers)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        cleaned = {}
    if errors:
        raise ValidationError(errors)
    if not cleaned:
        raise ValidationError(_("The interview has no answers."))
    categories = answered_categories(questionnaire.definition, cleaned)
    not_allowed = [c for c in categories if c not in ctx.categories]
    if not_allowed:
        raise ValidationError(_("Your role may not record data of these categories: %(categories)s.")
                              % {"categories": ", ".join(not_allowed)})
    with transaction.atomic(), personal_data_scope():
        intake = Intake.objects.create(case=case, questionnaire=questionnaire, taken_on=taken_on,
                                       taken_by_id=ctx.user_id, answers=cleaned)
        IntakeAnswer.objects.bulk_create([
            IntakeAnswer(intake=intake, question_key=row.question_key, category=row.category,
                         item=row.item, value=row.value, number=row.number)
            for row in answer_rows(questionnaire.definition, cleaned)
        ])
        if case.phase == Phase.INTAKE:
            case.phase = Phase.ASSESSMENT
            case.save(update_fields=["phase", "updated_at"])
        log_action(ctx, "intake.recorded", person_id=case.person_id, categories=categories,
                   purpose=ctx.work_purpose(Purpose.CASE_MANAGEMENT), basis="own_agency",
                   object_ref=f"intake:{intake.pk}")
    return intake
