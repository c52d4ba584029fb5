"""Forms of case conferences and gap reports. They parse input; the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.core.vocabulary import LifeArea
from lotse.gaps.models import GapKind, GapStatus
from lotse.web.forms import MAX_ID, IdMultipleChoiceField, IsoDateInput, KernFormMixin

WHOLE_DISTRICT = "district"


class AgencyMultipleChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class ConferenceForm(KernFormMixin, forms.Form):
    held_on = forms.DateField(label=_("Date of the conference"), widget=IsoDateInput())
    topic = forms.CharField(
        label=_("Topic"), max_length=300,
        help_text=_("Seen by every participating agency, also those without access to the case "
                    "data: no names, dates of birth or file numbers."))
    participant_agencies = AgencyMultipleChoiceField(
        label=_("Participating agencies"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple)
    participants_note = forms.CharField(
        label=_("Participants (names)"), max_length=500, required=False,
        help_text=_("Shown only to participants who may see the case data."))

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant_agencies"].queryset = agencies


class DecisionForm(KernFormMixin, forms.Form):
    text = forms.CharField(label=_("Decision or action"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    assignee = forms.TypedChoiceField(label=_("Responsible person (your agency)"), choices=(),
                                      coerce=int, required=False, empty_value=None)
    assignee_agency = forms.TypedChoiceField(label=_("Responsible agency"), choices=(), coerce=int,
                                             required=False, empty_value=None)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=IsoDateInput())
    plan_step = forms.TypedChoiceField(label=_("Step of the integration plan"), choices=(), coerce=int,
                                       required=False, empty_value=None)

    def __init__(self, *args, users=(), agencies=(), plan_steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "–"), *[(u.pk, str(u)) for u in users]]
        self.fields["assignee_agency"].choices = [("", "–"), *[(a.pk, a.name) for a in agencies]]
        self.fields["plan_step"].choices = [("", "–"), *[
            (s.pk, f"{s.goal.get_life_area_display()}: {s.title}") for s in plan_steps]]


class MunicipalityChoiceMixin:
    """A municipality of the district or the whole district, chosen explicitly."""

    def _set_municipalities(self, municipalities) -> None:
        self.fields["municipality"].choices = [
            ("", _("– please choose –")), (WHOLE_DISTRICT, _("Whole district")),
            *[(str(m.pk), m.name) for m in municipalities]]

    def municipality_id(self) -> int | None:
        value = self.cleaned_data["municipality"]
        return None if value == WHOLE_DISTRICT else int(value)

    def clean_municipality(self) -> str:
        value = self.cleaned_data["municipality"]
        if value != WHOLE_DISTRICT and not (value.isdigit() and int(value) <= MAX_ID):
            raise forms.ValidationError(_("Choose a municipality or the whole district."))
        return value


class GapReportForm(MunicipalityChoiceMixin, KernFormMixin, forms.Form):
    """A gap report. The municipality is chosen explicitly (or the whole district): never
    copied from a person, so the report cannot point to one."""

    municipality = forms.ChoiceField(label=_("Municipality"), choices=())
    life_area = forms.ChoiceField(label=_("Life area"), choices=[("", "–"), *LifeArea.choices])
    kind = forms.ChoiceField(label=_("Kind of gap"), choices=[("", "–"), *GapKind.choices])
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Describe the need or gap in general terms. No names, dates of birth, file "
                    "numbers, e-mail addresses or phone numbers: the text is checked before saving."))
    offices = AgencyMultipleChoiceField(label=_("Offices involved"), queryset=None, required=False,
                                        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, municipalities=(), agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_municipalities(municipalities)
        self.fields["offices"].queryset = agencies

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"municipality_id": self.municipality_id(), "life_area": data["life_area"],
                "kind": data["kind"], "title": data["title"], "description": data["description"],
                "office_ids": [a.pk for a in data["offices"]]}


# --- triage by the coordination ---------------------------------------------------------------


class GapClassifyForm(MunicipalityChoiceMixin, KernFormMixin, forms.Form):
    municipality = forms.ChoiceField(label=_("Municipality"), choices=())
    life_area = forms.ChoiceField(label=_("Life area"), choices=[("", "–"), *LifeArea.choices])
    kind = forms.ChoiceField(label=_("Kind of gap"), choices=[("", "–"), *GapKind.choices])
    offices = AgencyMultipleChoiceField(label=_("Offices involved"), queryset=None, required=False,
                                        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, municipalities=(), agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_municipalities(municipalities)
        self.fields["offices"].queryset = agencies

    @classmethod
    def initial_for(cls, report) -> dict:
        return {"municipality": str(report.municipality_id) if report.municipality_id else WHOLE_DISTRICT,
                "life_area": report.life_area, "kind": report.kind,
                "offices": [a.pk for a in report.offices_involved.all()]}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"municipality_id": self.municipality_id(), "life_area": data["life_area"], "kind": data["kind"],
                "office_ids": [a.pk for a in data["offices"]]}


def _id_choices(pairs) -> list[tuple[str, str]]:
    return [("", _("– please choose –")), *[(str(pk), label) for pk, label in pairs]]


class GapMergeForm(KernFormMixin, forms.Form):
    into = forms.TypedChoiceField(
        label=_("Merge into this report"), choices=(), coerce=int,
        help_text=_("The report you are looking at is the duplicate: it is marked as merged and "
                    "follows the report chosen here."))

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].choices = _id_choices(
            (r.pk, f"{r.title} ({r.reported_on:%d.%m.%Y}, {r.get_status_display()})") for r in candidates)


class GapCloseForm(KernFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for closing"), max_length=300,
        help_text=_("Seen by the reporting agency. No names, dates of birth or file numbers."))


class GapAgendaForm(KernFormMixin, forms.Form):
    meeting = forms.TypedChoiceField(label=_("Meeting"), choices=(), coerce=int)
    notes = forms.CharField(label=_("Notes for the agenda item"), max_length=5000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].choices = _id_choices(
            (m.pk, f"{m.committee.name} – {timezone.localtime(m.starts_at):%d.%m.%Y %H:%M}") for m in meetings)


class InboxFilterForm(KernFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("all")), *GapStatus.choices])
    life_area = forms.ChoiceField(label=_("Life area"), required=False,
                                  choices=[("", _("all")), *LifeArea.choices])
    municipality = forms.ChoiceField(label=_("Municipality"), required=False, choices=())

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [
            ("", _("all")), (WHOLE_DISTRICT, _("Whole district")),
            *[(str(m.pk), m.name) for m in municipalities]]
