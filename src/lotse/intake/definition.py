"""The questionnaire definition format, its validator, and the checking of answers against it.

A definition is plain JSON::

    {"sections": [
        {"key": "education", "category": "qualifications",
         "title": {"de": "...", "en": "..."}, "intro": {"de": "...", "en": "..."},   # intro optional
         "questions": [
            {"key": "school", "type": "qualifications", "label": {"de": "...", "en": "..."},
             "help": {"de": "...", "en": "..."}, "required": false, "rows": 3,       # help, rows optional
             "options": [{"value": "x", "label": {"de": "...", "en": "..."}}]}       # choice types
         ]}
    ]}

Question types: choice, multichoice, text, number, date, yesno, language_levels (a CEFR level
per language; `options` are the languages offered), qualifications (repeatable rows of kind,
title, country, years and recognition status). Every section names the data category its
answers belong to; that decides who may read them.

No database here: this module is pure functions on dicts (no personal models).
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.core.vocabulary import DataCategory

QUESTION_TYPES = ("choice", "multichoice", "text", "number", "date", "yesno", "language_levels",
                  "qualifications")
OPTION_TYPES = ("choice", "multichoice", "language_levels")
SECTION_CATEGORIES = (DataCategory.QUALIFICATIONS.value, DataCategory.COUNSELLING_NOTES.value)
LABEL_LANGUAGES = ("de", "en")

CEFR_LEVELS = ("none", "A1", "A2", "B1", "B2", "C1", "C2")
QUALIFICATION_KINDS = ("school", "vocational", "academic")
RECOGNITION_STATUSES = ("not_started", "in_progress", "recognised", "partly_recognised", "rejected",
                        "not_needed")
QUALIFICATION_FIELDS = ("kind", "title", "country", "years", "recognition")

DEFAULT_REPEAT_ROWS = {"language_levels": 4, "qualifications": 3}
MAX_REPEAT_ROWS = 10
TEXT_MAX_LENGTH = 2000
SHORT_TEXT_MAX_LENGTH = 200

_KEY = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


class DefinitionError(ValidationError):
    """The definition is not usable; `messages` lists every problem found."""


def localised(label: dict | str | None, lang: str | None = None) -> str:
    """A {"de": …, "en": …} label in the active language (German, then English, as fallback)."""
    if not label:
        return ""
    if isinstance(label, str):
        return label
    lang = (lang or translation.get_language() or "de").split("-")[0]
    return label.get(lang) or label.get("de") or label.get("en") or next(iter(label.values()), "")


# --- the definition -------------------------------------------------------------------------

def _label_problems(value, where: str, what: str) -> list[str]:
    if not isinstance(value, dict):
        return [_("%(where)s: the %(what)s is missing (give it as {\"de\": …, \"en\": …}).")
                % {"where": where, "what": what}]
    missing = [lang for lang in LABEL_LANGUAGES if not str(value.get(lang) or "").strip()]
    if missing:
        return [_("%(where)s: the %(what)s has no text in %(languages)s.")
                % {"where": where, "what": what, "languages": ", ".join(missing)}]
    return []


def _option_problems(question: dict, where: str) -> list[str]:
    options = question.get("options")
    if not isinstance(options, list) or not options:
        return [_("%(where)s: a question of type %(type)s needs a list of options.")
                % {"where": where, "type": question.get("type")}]
    problems = []
    seen = set()
    for index, option in enumerate(options, start=1):
        at = _("%(where)s, option %(n)s") % {"where": where, "n": index}
        value = option.get("value") if isinstance(option, dict) else None
        if not isinstance(value, str) or not value.strip():
            problems.append(_("%(where)s: the option has no value.") % {"where": at})
            continue
        if value in seen:
            problems.append(_("%(where)s: the option value '%(value)s' is used twice.")
                            % {"where": at, "value": value})
        seen.add(value)
        problems += _label_problems(option.get("label"), at, _("label"))
    return problems


def validate_definition(definition) -> None:
    """Raise DefinitionError listing every problem: unknown types, duplicate keys, missing
    labels or options, unknown data categories."""
    problems: list[str] = []
    sections = definition.get("sections") if isinstance(definition, dict) else None
    if not isinstance(sections, list) or not sections:
        raise DefinitionError([_("The definition needs a non-empty list of sections.")])
    section_keys: set[str] = set()
    question_keys: set[str] = set()
    for s_index, section in enumerate(sections, start=1):
        if not isinstance(section, dict):
            problems.append(_("Section %(n)s is not an object.") % {"n": s_index})
            continue
        s_key = section.get("key")
        where = _("Section %(n)s (%(key)s)") % {"n": s_index, "key": s_key or "?"}
        if not isinstance(s_key, str) or not _KEY.match(s_key):
            problems.append(_("%(where)s: the key must be lower case letters, digits and _.")
                            % {"where": where})
        elif s_key in section_keys:
            problems.append(_("%(where)s: the section key '%(key)s' is used twice.")
                            % {"where": where, "key": s_key})
        section_keys.add(s_key)
        if section.get("category") not in SECTION_CATEGORIES:
            problems.append(_("%(where)s: the data category must be one of %(allowed)s.")
                            % {"where": where, "allowed": ", ".join(SECTION_CATEGORIES)})
        problems += _label_problems(section.get("title"), where, _("title"))
        if "intro" in section:
            problems += _label_problems(section.get("intro"), where, _("introduction"))
        questions = section.get("questions")
        if not isinstance(questions, list) or not questions:
            problems.append(_("%(where)s: the section has no questions.") % {"where": where})
            continue
        for q_index, question in enumerate(questions, start=1):
            problems += _question_problems(question, where, q_index, question_keys)
    if problems:
        raise DefinitionError(problems)


def _question_problems(question, section_where: str, index: int, keys: set[str]) -> list[str]:
    if not isinstance(question, dict):
        return [_("%(where)s, question %(n)s is not an object.") % {"where": section_where, "n": index}]
    key = question.get("key")
    where = _("%(where)s, question %(n)s (%(key)s)") % {"where": section_where, "n": index,
                                                        "key": key or "?"}
    problems = []
    if not isinstance(key, str) or not _KEY.match(key):
        problems.append(_("%(where)s: the key must be lower case letters, digits and _.")
                        % {"where": where})
    elif key in keys:
        problems.append(_("%(where)s: the question key '%(key)s' is used twice.")
                        % {"where": where, "key": key})
    keys.add(key)
    qtype = question.get("type")
    if qtype not in QUESTION_TYPES:
        problems.append(_("%(where)s: unknown type '%(type)s' (allowed: %(allowed)s).")
                        % {"where": where, "type": qtype, "allowed": ", ".join(QUESTION_TYPES)})
    problems += _label_problems(question.get("label"), where, _("label"))
    if "help" in question:
        problems += _label_problems(question.get("help"), where, _("help text"))
    if "required" in question and not isinstance(question["required"], bool):
        problems.append(_("%(where)s: 'required' must be true or false.") % {"where": where})
    if qtype in OPTION_TYPES:
        problems += _option_problems(question, where)
    if "rows" in question:
        rows = question["rows"]
        if qtype not in DEFAULT_REPEAT_ROWS or not isinstance(rows, int) or not 1 <= rows <= MAX_REPEAT_ROWS:
            problems.append(_("%(where)s: 'rows' is a number from 1 to %(max)s, for language levels "
                              "and qualifications only.") % {"where": where, "max": MAX_REPEAT_ROWS})
    return problems


# --- walking a definition --------------------------------------------------------------------

def sections_of(definition: dict) -> list[dict]:
    return list(definition.get("sections", []))


def questions_of(definition: dict) -> dict[str, tuple[dict, dict]]:
    """{question key: (question, section)} in definition order."""
    return {q["key"]: (q, s) for s in sections_of(definition) for q in s["questions"]}


def option_values(question: dict) -> list[str]:
    return [o["value"] for o in question.get("options", [])]


def option_label(question: dict, value: str) -> str:
    for option in question.get("options", []):
        if option["value"] == value:
            return localised(option["label"])
    return value


def repeat_rows(question: dict) -> int:
    return question.get("rows") or DEFAULT_REPEAT_ROWS.get(question["type"], 1)


# --- answers -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AnswerRow:
    """One counted value (becomes an IntakeAnswer row)."""

    question_key: str
    category: str
    item: str = ""
    value: str = ""
    number: Decimal | None = None


def _number(value, field_errors: list[str], *, minimum=None, maximum=None) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        field_errors.append(_("Enter a number."))
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        field_errors.append(_("Enter a number."))
        return None
    if not number.is_finite() or abs(number) >= Decimal("1e10"):
        field_errors.append(_("Enter a number."))
        return None
    if minimum is not None and number < Decimal(str(minimum)):
        field_errors.append(_("Enter at least %(min)s.") % {"min": minimum})
    if maximum is not None and number > Decimal(str(maximum)):
        field_errors.append(_("Enter at most %(max)s.") % {"max": maximum})
    return number.quantize(Decimal("0.01")).normalize()


def _json_number(number: Decimal):
    return int(number) if number == number.to_integral_value() else float(number)


def _is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _clean_languages(question: dict, value, errors: list[str]) -> list[dict]:
    if not isinstance(value, list):
        errors.append(_("Give the language levels as a list."))
        return []
    languages = option_values(question)
    rows, seen = [], set()
    for entry in value:
        if not isinstance(entry, dict):
            errors.append(_("Give each language level as language and level."))
            continue
        language, level = str(entry.get("language") or ""), str(entry.get("level") or "")
        if not language and not level:
            continue
        if language not in languages:
            errors.append(_("Choose a language from the list."))
        elif level not in CEFR_LEVELS:
            errors.append(_("Choose a level (A1 to C2, or none) for %(language)s.")
                          % {"language": option_label(question, language)})
        elif language in seen:
            errors.append(_("%(language)s is given twice.") % {"language": option_label(question, language)})
        else:
            seen.add(language)
            rows.append({"language": language, "level": level})
    return rows


def _clean_qualifications(value, errors: list[str]) -> list[dict]:
    if not isinstance(value, list):
        errors.append(_("Give the qualifications as a list."))
        return []
    rows = []
    for index, entry in enumerate(value, start=1):
        if not isinstance(entry, dict):
            errors.append(_("Qualification %(n)s: give kind, title and recognition status.") % {"n": index})
            continue
        kind = str(entry.get("kind") or "")
        title = str(entry.get("title") or "").strip()
        country = str(entry.get("country") or "").strip()
        recognition = str(entry.get("recognition") or "")
        if not any([kind, title, country, recognition, entry.get("years") not in (None, "")]):
            continue
        row_errors: list[str] = []
        if kind not in QUALIFICATION_KINDS:
            row_errors.append(_("choose the kind (school, vocational or academic)"))
        if not title:
            row_errors.append(_("give the title"))
        elif len(title) > SHORT_TEXT_MAX_LENGTH or len(country) > 80:
            row_errors.append(_("the title or country is too long"))
        if recognition not in RECOGNITION_STATUSES:
            row_errors.append(_("choose the recognition status"))
        years_errors: list[str] = []
        years = _number(entry.get("years"), years_errors, minimum=0, maximum=40)
        if years_errors:
            row_errors.append(_("give the years as a number from 0 to 40"))
        if row_errors:
            errors.append(_("Qualification %(n)s: %(problems)s.") % {"n": index, "problems": "; ".join(row_errors)})
            continue
        rows.append({"kind": kind, "title": title, "country": country,
                     "years": _json_number(years) if years is not None else None,
                     "recognition": recognition})
    return rows


def _clean_one(question: dict, value, errors: list[str]):
    """The answer as stored in JSON, or None when not answered."""
    qtype = question["type"]
    if _is_empty(value):
        return None
    if qtype == "choice":
        value = "" if value is None else str(value)
        if value and value not in option_values(question):
            errors.append(_("Choose one of the options."))
        return value or None
    if qtype == "multichoice":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple):
            errors.append(_("Choose from the options."))
            return None
        chosen = [str(v) for v in value]
        if any(v not in option_values(question) for v in chosen):
            errors.append(_("Choose only from the options."))
        # definition order, no duplicates
        return [v for v in option_values(question) if v in chosen] or None
    if qtype == "text":
        value = "" if value is None else str(value).strip()
        if len(value) > TEXT_MAX_LENGTH:
            errors.append(_("The text is too long (at most %(max)s characters).") % {"max": TEXT_MAX_LENGTH})
        return value or None
    if qtype == "number":
        number = _number(value, errors, minimum=question.get("min"), maximum=question.get("max"))
        return _json_number(number) if number is not None and not errors else None
    if qtype == "date":
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return value.isoformat()
        value = "" if value is None else str(value).strip()
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            errors.append(_("Enter a valid date."))
            return None
    if qtype == "yesno":
        if value in (True, "yes", "true", "1"):
            return True
        if value in (False, "no", "false", "0"):
            return False
        errors.append(_("Answer yes or no."))
        return None
    if qtype == "language_levels":
        return _clean_languages(question, value, errors) or None
    return _clean_qualifications(value, errors) or None


def clean_answers(definition: dict, answers: dict) -> dict:
    """Check answers against the definition; return them normalised for JSON (unanswered
    questions left out). Raise ValidationError({question key: message}) listing every problem."""
    if not isinstance(answers, dict):
        raise ValidationError(_("The answers are not in the expected form."))
    questions = questions_of(definition)
    errors: dict[str, list[str]] = {}
    unknown = [key for key in answers if key not in questions]
    if unknown:
        errors["__all__"] = [_("These questions are not part of the questionnaire: %(keys)s.")
                             % {"keys": ", ".join(sorted(map(str, unknown)))}]
    cleaned = {}
    for key, (question, _section) in questions.items():
        field_errors: list[str] = []
        value = _clean_one(question, answers.get(key), field_errors)
        if not field_errors and value is None and question.get("required"):
            field_errors.append(_("Please answer this question."))
        if field_errors:
            errors[key] = field_errors
        elif value is not None:
            cleaned[key] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def answer_rows(definition: dict, answers: dict) -> list[AnswerRow]:
    """The cleaned answers one counted value per row."""
    rows: list[AnswerRow] = []
    for key, (question, section) in questions_of(definition).items():
        if key not in answers:
            continue
        value, category, qtype = answers[key], section["category"], question["type"]
        if qtype == "multichoice":
            rows += [AnswerRow(key, category, value=v) for v in value]
        elif qtype == "language_levels":
            rows += [AnswerRow(key, category, item=r["language"], value=r["level"]) for r in value]
        elif qtype == "qualifications":
            for index, row in enumerate(value):
                for field in QUALIFICATION_FIELDS:
                    if row.get(field) in (None, ""):
                        continue
                    number = Decimal(str(row[field])) if field == "years" else None
                    rows.append(AnswerRow(f"{key}.{field}", category, item=str(index),
                                          value=str(row[field])[:SHORT_TEXT_MAX_LENGTH], number=number))
        elif qtype == "number":
            rows.append(AnswerRow(key, category, value=str(value), number=Decimal(str(value))))
        elif qtype == "yesno":
            rows.append(AnswerRow(key, category, value="yes" if value else "no"))
        else:
            rows.append(AnswerRow(key, category, value=str(value)[:SHORT_TEXT_MAX_LENGTH]))
    return rows


def answered_categories(definition: dict, answers: dict) -> list[str]:
    """The data categories of the sections with at least one answer, in category order."""
    found = {section["category"] for key, (_q, section) in questions_of(definition).items()
             if key in answers}
    return [c for c in SECTION_CATEGORIES if c in found]


# --- display ---------------------------------------------------------------------------------

CHOICE_LABELS = {
    "kinds": {"school": gettext_lazy("School"), "vocational": gettext_lazy("Vocational training"),
              "academic": gettext_lazy("University degree")},
    "recognition": {"not_started": gettext_lazy("not started"), "in_progress": gettext_lazy("in progress"),
                    "recognised": gettext_lazy("recognised"),
                    "partly_recognised": gettext_lazy("partly recognised"),
                    "rejected": gettext_lazy("rejected"), "not_needed": gettext_lazy("not needed")},
    "levels": {"none": gettext_lazy("no knowledge")},
}


def qualification_kind_choices() -> list[tuple[str, str]]:
    return [(k, CHOICE_LABELS["kinds"][k]) for k in QUALIFICATION_KINDS]


def recognition_choices() -> list[tuple[str, str]]:
    return [(k, CHOICE_LABELS["recognition"][k]) for k in RECOGNITION_STATUSES]


def level_choices() -> list[tuple[str, str]]:
    return [(k, CHOICE_LABELS["levels"].get(k, k)) for k in CEFR_LEVELS]


@dataclass(frozen=True)
class AnswerDisplay:
    """One answered question as a reader sees it: a line of text, or several (rows)."""

    key: str
    label: str
    text: str = ""
    rows: tuple[str, ...] = ()


def display_answer(question: dict, value) -> AnswerDisplay:
    qtype, label = question["type"], localised(question["label"])
    if qtype == "choice":
        return AnswerDisplay(question["key"], label, option_label(question, value))
    if qtype == "multichoice":
        return AnswerDisplay(question["key"], label, ", ".join(option_label(question, v) for v in value))
    if qtype == "yesno":
        return AnswerDisplay(question["key"], label, str(_("yes") if value else _("no")))
    if qtype == "date":
        return AnswerDisplay(question["key"], label, datetime.date.fromisoformat(value).strftime("%d.%m.%Y"))
    if qtype == "language_levels":
        return AnswerDisplay(question["key"], label, rows=tuple(
            f"{option_label(question, r['language'])}: {CHOICE_LABELS['levels'].get(r['level'], r['level'])}"
            for r in value))
    if qtype == "qualifications":
        rows = []
        for r in value:
            parts = [str(CHOICE_LABELS["kinds"].get(r["kind"], r["kind"])), r["title"]]
            if r.get("country"):
                parts.append(r["country"])
            if r.get("years") is not None:
                parts.append(_("%(years)s years") % {"years": r["years"]})
            parts.append(_("recognition: %(status)s")
                         % {"status": CHOICE_LABELS["recognition"].get(r["recognition"], r["recognition"])})
            rows.append(" · ".join(str(p) for p in parts))
        return AnswerDisplay(question["key"], label, rows=tuple(rows))
    return AnswerDisplay(question["key"], label, str(value))
