"""Forms of the case pages: open, assign, phase, next contact, close, notes, documents, tasks,
and the caseload filter. They parse input; `lotse.cases.services` does the work."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.cases.models import (
    ClosureOutcome,
    ClosureReason,
    DocumentKind,
    FocusArea,
    NoteCategory,
    Phase,
    TaskKind,
)
from lotse.core.vocabulary import DataCategory
from lotse.organisations.models import Municipality, StaffUser
from lotse.web.forms import IsoDateInput, KernFormMixin

OPEN_PHASES = [(value, label) for value, label in Phase.choices if value != Phase.CLOSED]

_NOTE_CATEGORY_NEEDS = {NoteCategory.HEALTH: DataCategory.HEALTH,
                        NoteCategory.QUALIFICATIONS: DataCategory.QUALIFICATIONS}


def note_categories_for(ctx) -> list[tuple[str, str]]:
    """Only the note categories the user's role may record (health: psychosocial counsellors)."""
    return [(value, label) for value, label in NoteCategory.choices
            if _NOTE_CATEGORY_NEEDS.get(value, DataCategory.COUNSELLING_NOTES) in ctx.categories]


def colleagues(ctx):
    return StaffUser.objects.filter(agency_id=ctx.agency_id, is_active=True).order_by(
        "last_name", "first_name", "username")


class ColleagueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class CaseOpenForm(KernFormMixin, forms.Form):
    focus_area = forms.ChoiceField(label=_("Focus area"), choices=FocusArea.choices)
    case_manager = ColleagueChoiceField(label=_("Case manager"), queryset=StaffUser.objects.none(),
                                        required=False, help_text=_("Empty: yourself."))
    next_contact_on = forms.DateField(label=_("Next contact"), required=False, widget=IsoDateInput)

    def __init__(self, *args, ctx, can_assign: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if can_assign:
            self.fields["case_manager"].queryset = colleagues(ctx)
        else:
            del self.fields["case_manager"]


class CaseAssignForm(KernFormMixin, forms.Form):
    case_manager = ColleagueChoiceField(label=_("Case manager"), queryset=StaffUser.objects.none())

    def __init__(self, *args, ctx, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_manager"].queryset = colleagues(ctx)


class CasePhaseForm(KernFormMixin, forms.Form):
    phase = forms.ChoiceField(label=_("Phase"), choices=OPEN_PHASES)


class NextContactForm(KernFormMixin, forms.Form):
    next_contact_on = forms.DateField(label=_("Next contact"), required=False, widget=IsoDateInput)


class CaseCloseForm(KernFormMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Reason for closing"), choices=ClosureReason.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ClosureOutcome.choices)
    note = forms.CharField(label=_("Closing remarks"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 4}))


class NoteForm(KernFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=NoteCategory.choices)
    text = forms.CharField(label=_("Note"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, ctx, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = note_categories_for(ctx)


class DocumentForm(KernFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    category = forms.ChoiceField(label=_("Category"), choices=NoteCategory.choices)
    file = forms.FileField(label=_("File (PDF, PNG or JPEG)"))

    def __init__(self, *args, ctx, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = note_categories_for(ctx)


class TaskForm(KernFormMixin, forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=TaskKind.choices)
    due_on = forms.DateField(label=_("Due on"), widget=IsoDateInput)
    assignee = ColleagueChoiceField(label=_("Assigned to"), queryset=StaffUser.objects.none(),
                                    required=False, help_text=_("Empty: the case manager."))

    def __init__(self, *args, ctx, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = colleagues(ctx)


class CaseloadFilterForm(KernFormMixin, forms.Form):
    phase = forms.ChoiceField(label=_("Phase"), required=False,
                              choices=[("", _("all phases")), *Phase.choices])
    focus_area = forms.ChoiceField(label=_("Focus area"), required=False,
                                   choices=[("", _("all focus areas")), *FocusArea.choices])
    municipality = forms.ModelChoiceField(label=_("Municipality"), required=False,
                                          queryset=Municipality.objects.none(),
                                          empty_label=_("all municipalities"))
    overdue = forms.BooleanField(label=_("Only with overdue steps or tasks"), required=False)
    next_contact_until = forms.DateField(label=_("Next contact until"), required=False,
                                         widget=IsoDateInput)
    case_manager = ColleagueChoiceField(label=_("Case manager"), required=False,
                                        queryset=StaffUser.objects.none(),
                                        empty_label=_("whole team"))
    closed = forms.BooleanField(label=_("Include closed cases"), required=False)

    def __init__(self, *args, ctx, team: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(
            district_id=ctx.district_id).order_by("name")
        if team:
            self.fields["case_manager"].queryset = colleagues(ctx)
        else:
            del self.fields["case_manager"]
