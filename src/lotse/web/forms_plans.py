"""Forms of the intake interview and the integration plan. They parse input; the services
validate it again and do the work."""

import dataclasses
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.core.vocabulary import LifeArea
from lotse.intake.definition import (
    TEXT_MAX_LENGTH,
    level_choices,
    localised,
    qualification_kind_choices,
    recognition_choices,
    repeat_rows,
    sections_of,
)
from lotse.plans.models import GoalStatus, StepStatus
from lotse.web.forms import MAX_ID, IsoDateInput, KernFormMixin

RADIO_MAX_OPTIONS = 7


# --- intake ----------------------------------------------------------------------------------------

@dataclass
class QuestionBlock:
    """How one question is rendered: a plain field, or a group of rows (language levels,
    qualifications) with the error messages that belong to the whole group."""

    key: str
    type: str
    label: str
    help: str
    required: bool
    field: forms.BoundField | None = None
    rows: list[list[forms.BoundField]] = dataclasses.field(default_factory=list)
    errors: list[str] = dataclasses.field(default_factory=list)


@dataclass
class SectionBlock:
    key: str
    title: str
    intro: str
    questions: list[QuestionBlock]


def _blank(choices) -> list[tuple[str, str]]:
    return [("", "–"), *choices]


def _row_name(key: str, index: int, part: str) -> str:
    return f"{key}__{index}__{part}"


class IntakeForm(KernFormMixin, forms.Form):
    """A form generated from a questionnaire definition: one fieldset per section."""

    taken_on = forms.DateField(label=_("Date of the interview"), widget=IsoDateInput)

    def __init__(self, *args, questionnaire, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("taken_on", timezone.localdate())
        self.questionnaire = questionnaire
        self.definition = questionnaire.definition
        self.group_errors: dict[str, list[str]] = {}
        super().__init__(*args, **kwargs)
        for section in sections_of(self.definition):
            for question in section["questions"]:
                self._add_question(question)
        # KernFormMixin styled the fields that existed before; style the generated ones too.
        for field_ in self.fields.values():
            widget = field_.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            css = "kern-form-input__select" if isinstance(widget, forms.Select) else "kern-form-input__input"
            widget.attrs.setdefault("class", css)

    def _add_question(self, question: dict) -> None:
        key, qtype = question["key"], question["type"]
        label = localised(question["label"])
        common = {"label": label, "required": bool(question.get("required")),
                  "help_text": localised(question.get("help"))}
        options = [(o["value"], localised(o["label"])) for o in question.get("options", [])]
        if qtype == "choice":
            if len(options) <= RADIO_MAX_OPTIONS:
                self.fields[key] = forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
            else:
                self.fields[key] = forms.ChoiceField(choices=_blank(options), **common)
        elif qtype == "multichoice":
            self.fields[key] = forms.MultipleChoiceField(choices=options,
                                                         widget=forms.CheckboxSelectMultiple, **common)
        elif qtype == "text":
            self.fields[key] = forms.CharField(max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
                                               **common)
        elif qtype == "number":
            self.fields[key] = forms.DecimalField(min_value=question.get("min"), max_value=question.get("max"),
                                                  max_digits=12, decimal_places=2, **common)
        elif qtype == "date":
            self.fields[key] = forms.DateField(widget=IsoDateInput, **common)
        elif qtype == "yesno":
            self.fields[key] = forms.ChoiceField(choices=[("yes", _("yes")), ("no", _("no"))],
                                                 widget=forms.RadioSelect, **common)
        elif qtype == "language_levels":
            for index in range(repeat_rows(question)):
                number = index + 1
                self.fields[_row_name(key, index, "language")] = forms.ChoiceField(
                    choices=_blank(options), required=False,
                    label=_("Language %(n)s") % {"n": number})
                self.fields[_row_name(key, index, "level")] = forms.ChoiceField(
                    choices=_blank(level_choices()), required=False,
                    label=_("Level of language %(n)s") % {"n": number})
        elif qtype == "qualifications":
            for index in range(repeat_rows(question)):
                self.fields[_row_name(key, index, "kind")] = forms.ChoiceField(
                    choices=_blank(qualification_kind_choices()), required=False,
                    label=_("Kind"))
                self.fields[_row_name(key, index, "title")] = forms.CharField(
                    max_length=200, required=False, label=_("Name of the qualification"))
                self.fields[_row_name(key, index, "country")] = forms.CharField(
                    max_length=80, required=False, label=_("Country"))
                self.fields[_row_name(key, index, "years")] = forms.DecimalField(
                    min_value=0, max_value=40, max_digits=4, decimal_places=1, required=False,
                    label=_("Duration in years"))
                self.fields[_row_name(key, index, "recognition")] = forms.ChoiceField(
                    choices=_blank(recognition_choices()), required=False,
                    label=_("Recognition status"))

    # -- rendering

    def sections(self) -> list[SectionBlock]:
        blocks = []
        for section in sections_of(self.definition):
            questions = []
            for question in section["questions"]:
                key, qtype = question["key"], question["type"]
                block = QuestionBlock(key, qtype, localised(question["label"]), localised(question.get("help")),
                                      bool(question.get("required")), errors=self.group_errors.get(key, []))
                if qtype == "language_levels":
                    block.rows = [[self[_row_name(key, i, p)] for p in ("language", "level")]
                                  for i in range(repeat_rows(question))]
                elif qtype == "qualifications":
                    block.rows = [[self[_row_name(key, i, p)]
                                   for p in ("kind", "title", "country", "years", "recognition")]
                                  for i in range(repeat_rows(question))]
                else:
                    block.field = self[key]
                questions.append(block)
            blocks.append(SectionBlock(section["key"], localised(section["title"]),
                                       localised(section.get("intro")), questions))
        return blocks

    # -- to the service

    def answers(self) -> dict:
        data = self.cleaned_data
        answers: dict = {}
        for section in sections_of(self.definition):
            for question in section["questions"]:
                key, qtype = question["key"], question["type"]
                if qtype == "language_levels":
                    answers[key] = [
                        {"language": data.get(_row_name(key, i, "language")) or "",
                         "level": data.get(_row_name(key, i, "level")) or ""}
                        for i in range(repeat_rows(question))
                    ]
                elif qtype == "qualifications":
                    answers[key] = [
                        {part: data.get(_row_name(key, i, part))
                         for part in ("kind", "title", "country", "years", "recognition")}
                        for i in range(repeat_rows(question))
                    ]
                else:
                    answers[key] = data.get(key)
        return answers

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """Errors from the service: on their field, on the question's row group, or for the
        whole form."""
        groups = {key for key, q in self._questions().items()
                  if q["type"] in ("language_levels", "qualifications")}
        for key, messages in errors.items():
            if key in self.fields:
                self.add_error(key, messages)
            elif key in groups:
                self.group_errors.setdefault(key, []).extend(messages)
                # keep the form invalid and tell the reader where to look
                self.add_error(None, _("Please check your answers to: %(question)s")
                               % {"question": localised(self._questions()[key]["label"])})
            else:
                self.add_error(None, messages)

    def _questions(self) -> dict[str, dict]:
        return {q["key"]: q for s in sections_of(self.definition) for q in s["questions"]}


# --- plan -------------------------------------------------------------------------------------------

class GoalForm(KernFormMixin, forms.Form):
    prefix = "goal"
    life_area = forms.ChoiceField(label=_("Life area"), choices=_blank(LifeArea.choices))
    title = forms.CharField(label=_("Goal"), max_length=300)


class StepForm(KernFormMixin, forms.Form):
    prefix = "step"
    goal = forms.TypedChoiceField(label=_("Goal"), coerce=int)
    title = forms.CharField(label=_("Step"), max_length=300)
    due_on = forms.DateField(label=_("Due on"), widget=IsoDateInput, required=False)
    responsible_agency = forms.ModelChoiceField(label=_("Responsible agency"), queryset=None, required=False)
    offer = forms.ModelChoiceField(label=_("Offer"), queryset=None, required=False)
    responsible_note = forms.CharField(label=_("Responsible (other)"), max_length=200, required=False,
                                       help_text=_("For example a person or an office that does not use Lotse."))

    def __init__(self, *args, goals, agencies, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = _blank(goals)
        self.fields["responsible_agency"].queryset = agencies
        self.fields["offer"].queryset = offers


class TemplateForm(KernFormMixin, forms.Form):
    prefix = "template"
    template = forms.ChoiceField(label=_("Plan template"))
    anchor_on = forms.DateField(label=_("Date the deadlines count from"), widget=IsoDateInput,
                                help_text=_("For example the date of eligibility or of the permit."))

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = _blank([(t.code, f"{t.name} – {t.anchor_label}") for t in templates])


class StepStatusForm(forms.Form):
    status = forms.ChoiceField(choices=StepStatus.choices)


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(choices=GoalStatus.choices)


class QuestionnaireChoiceForm(forms.Form):
    questionnaire = forms.IntegerField(min_value=1, max_value=MAX_ID)
