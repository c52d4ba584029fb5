"""Reads of intake interviews, always through the spine: the case read is decided and logged
by `cases.selectors.case_access`; here only the sections whose data category the decision
allows are returned. Part of the spine perimeter (see core/tests/test_spine_guard.py)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count

from lotse.access.context import AccessContext
from lotse.access.spine import AccessDenied
from lotse.cases.selectors import CaseAccess, CaseNotFound, case_access
from lotse.core.scoping import personal_data_scope
from lotse.intake.definition import (
    AnswerDisplay,
    display_answer,
    localised,
    questions_of,
    sections_of,
)
from lotse.intake.models import Intake, IntakeAnswer, Questionnaire

# Question types and qualification fields whose values can be counted without returning
# anything a person wrote (free texts and dates are never counted).
COUNTABLE_TYPES = {"choice", "multichoice", "yesno", "number", "language_levels"}
COUNTABLE_QUALIFICATION_FIELDS = {"kind", "years", "recognition"}


class IntakeNotFound(LookupError):
    """No such intake, or not visible to this user: the two are never told apart."""


@dataclass(frozen=True)
class IntakeSectionView:
    key: str
    title: str
    category: str
    answers: tuple[AnswerDisplay, ...]


@dataclass(frozen=True)
class IntakeSummary:
    """An intake as one user may see it: only the sections of categories open to the user.
    The raw answers are never handed out."""

    id: int
    case_id: int
    questionnaire_title: str
    questionnaire_code: str
    version: int
    taken_on: datetime.date
    taken_by: str
    sections: tuple[IntakeSectionView, ...]
    hidden_sections: int = 0


def _summary(intake: Intake, access: CaseAccess, *, full: bool) -> IntakeSummary:
    """`full`: every question of the intake's own questionnaire version (unanswered ones with
    an empty text); otherwise only the answered questions and sections."""
    definition = intake.questionnaire.definition
    sections, hidden = [], 0
    for section in sections_of(definition):
        answered = [q for q in section["questions"] if q["key"] in intake.answers]
        if not answered and not full:
            continue
        if not access.shows(section["category"]):
            hidden += 1
            continue
        shown = section["questions"] if full else answered
        sections.append(IntakeSectionView(
            key=section["key"], title=localised(section["title"]), category=section["category"],
            answers=tuple(
                display_answer(q, intake.answers[q["key"]]) if q["key"] in intake.answers
                else AnswerDisplay(q["key"], localised(q["label"]))
                for q in shown
            ),
        ))
    user = intake.taken_by
    return IntakeSummary(
        id=intake.pk, case_id=intake.case_id, questionnaire_title=intake.questionnaire.title,
        questionnaire_code=intake.questionnaire.code, version=intake.questionnaire.version,
        taken_on=intake.taken_on, taken_by=user.get_full_name() or user.username,
        sections=tuple(sections), hidden_sections=hidden,
    )


def intake_summaries(access: CaseAccess) -> list[IntakeSummary]:
    """Per intake of the case (newest first): its questionnaire version and the answered
    sections of the categories `access.shows(...)` (a reader with qualifications but no
    counselling notes gets only the qualification sections). The read is already logged."""
    with personal_data_scope():
        intakes = list(Intake.objects.filter(case_id=access.case.pk)
                       .select_related("questionnaire", "taken_by"))
    return [_summary(intake, access, full=False) for intake in intakes]


@dataclass
class IntakeDetail:
    access: CaseAccess
    intake: IntakeSummary
    others: list[IntakeSummary] = field(default_factory=list)


def intake_detail(ctx: AccessContext, intake_id: int) -> IntakeDetail:
    """One intake with every question of its own questionnaire version; raises IntakeNotFound
    for missing and forbidden alike (the refusal is logged by case_access)."""
    with personal_data_scope():
        row = Intake.objects.filter(pk=intake_id).values_list("case_id", flat=True).first()
    if row is None:
        raise IntakeNotFound(intake_id)
    try:
        access = case_access(ctx, row, action="intake.read")
    except CaseNotFound as exc:
        raise IntakeNotFound(intake_id) from exc
    with personal_data_scope():
        intake = Intake.objects.select_related("questionnaire", "taken_by").get(pk=intake_id)
    return IntakeDetail(access, _summary(intake, access, full=True))


# --- questionnaires (configuration, no personal data) -----------------------------------------

def questionnaires_current() -> list[Questionnaire]:
    """The newest unretired version of each questionnaire."""
    latest: dict[str, Questionnaire] = {}
    for questionnaire in Questionnaire.objects.filter(retired_on__isnull=True).order_by("code", "-version"):
        latest.setdefault(questionnaire.code, questionnaire)
    return list(latest.values())


def questionnaire_current(code: str) -> Questionnaire | None:
    return (Questionnaire.objects.filter(code=code, retired_on__isnull=True)
            .order_by("-version").first())


# --- counting -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AnswerCount:
    item: str
    value: str
    count: int


def _countable_category(question_key: str) -> str:
    """The data category of a countable question, looked up in the questionnaire
    definitions; raise ValueError for free texts, dates and unknown keys."""
    base, _dot, sub = question_key.partition(".")
    for definition in Questionnaire.objects.values_list("definition", flat=True):
        found = questions_of(definition).get(base)
        if found is None:
            continue
        question, section = found
        countable = (sub in COUNTABLE_QUALIFICATION_FIELDS if question["type"] == "qualifications"
                     else not sub and question["type"] in COUNTABLE_TYPES)
        if not countable:
            raise ValueError(f"answers to {question_key!r} are not counted (free text or date)")
        return section["category"]
    raise ValueError(f"no questionnaire asks {question_key!r}")


def answer_counts(ctx: AccessContext, question_key: str, *, since: datetime.date | None = None,
                  until: datetime.date | None = None) -> list[AnswerCount]:
    """How often each answer was given in intakes of the user's agency: counts only, never a
    person, a case or a free text. `question_key` is a question's key, or for qualifications
    "<key>.kind", "<key>.years" or "<key>.recognition". Language levels count per language
    (`item`) and level (`value`)."""
    category = _countable_category(question_key)
    if not ctx.is_staff_member or category not in ctx.categories:
        raise AccessDenied("Your role does not cover this data category.")
    with personal_data_scope():
        rows = IntakeAnswer.objects.filter(question_key=question_key,
                                           intake__case__owning_agency_id=ctx.agency_id)
        if since:
            rows = rows.filter(intake__taken_on__gte=since)
        if until:
            rows = rows.filter(intake__taken_on__lte=until)
        if "." in question_key:  # one count per qualification, not per field row
            counted = rows.values("value").annotate(n=Count("id")).order_by("-n", "value")
            return [AnswerCount("", r["value"], r["n"]) for r in counted]
        counted = (rows.values("item", "value").annotate(n=Count("intake_id", distinct=True))
                   .order_by("-n", "item", "value"))
        return [AnswerCount(r["item"], r["value"], r["n"]) for r in counted]
