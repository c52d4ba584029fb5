"""Forms of committees, meetings, agenda, minutes, decisions, measures and goals. They parse
input; the services in `steering.committees` validate, screen and decide."""

import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.core.vocabulary import LifeArea
from lotse.steering.models import CommitteeKind, MeasureStatus, MeetingStatus
from lotse.web.forms import IdMultipleChoiceField, IsoDateInput, KernFormMixin
from lotse.web.forms_conferences import AgencyMultipleChoiceField

TIME_ZONE = ZoneInfo("Europe/Berlin")
NO_PERSONAL_DATA = _("No names of clients, dates of birth or file numbers: the text is checked before saving.")


PLEASE_CHOOSE = _("– please choose –")


def _choices(pairs, *, empty=PLEASE_CHOOSE) -> list[tuple[str, str]]:
    return [("", empty), *[(str(value), label) for value, label in pairs]]


def _optional_id(value) -> int | None:
    return int(value) if value not in (None, "") else None


class StaffMultipleChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.agency.name})" if obj.agency_id else name


class CommitteeForm(KernFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=_choices(CommitteeKind.choices))
    description = forms.CharField(label=_("Description"), max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}), help_text=NO_PERSONAL_DATA)
    member_agencies = AgencyMultipleChoiceField(label=_("Member agencies"), queryset=None, required=False,
                                                widget=forms.CheckboxSelectMultiple)
    members = StaffMultipleChoiceField(label=_("Members (staff)"), queryset=None, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, agencies=None, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_agencies"].queryset = agencies
        self.fields["members"].queryset = staff

    @staticmethod
    def initial_for(committee) -> dict:
        return {"name": committee.name, "kind": committee.kind, "description": committee.description,
                "member_agencies": [a.pk for a in committee.member_agencies.all()],
                "members": [u.pk for u in committee.members.all()], "active": committee.active}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"name": data["name"], "kind": data["kind"], "description": data["description"],
                "member_agency_ids": [a.pk for a in data["member_agencies"]],
                "member_user_ids": [u.pk for u in data["members"]]}


class MeetingForm(KernFormMixin, forms.Form):
    """Day, start and end time (Europe/Berlin) and place of a meeting."""

    day = forms.DateField(label=_("Date"), widget=IsoDateInput())
    starts = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    ends = forms.TimeField(label=_("End time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    location = forms.CharField(label=_("Place"), max_length=300)

    @staticmethod
    def initial_for(meeting) -> dict:
        starts, ends = meeting.starts_at.astimezone(TIME_ZONE), meeting.ends_at.astimezone(TIME_ZONE)
        return {"day": starts.date(), "starts": starts.time(), "ends": ends.time(), "location": meeting.location}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"starts_at": datetime.datetime.combine(data["day"], data["starts"], tzinfo=TIME_ZONE),
                "ends_at": datetime.datetime.combine(data["day"], data["ends"], tzinfo=TIME_ZONE),
                "location": data["location"]}


class MeetingStatusForm(forms.Form):
    status = forms.ChoiceField(choices=[(MeetingStatus.HELD, MeetingStatus.HELD.label),
                                        (MeetingStatus.CANCELLED, MeetingStatus.CANCELLED.label)])


class AgendaItemForm(KernFormMixin, forms.Form):
    title = forms.CharField(label=_("Agenda item"), max_length=300, required=False,
                            help_text=_("Empty with a gap report: the report's title."))
    gap_report = forms.ChoiceField(label=_("Gap report"), choices=(), required=False)
    notes = forms.CharField(label=_("Notes"), max_length=5000, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}), help_text=NO_PERSONAL_DATA)

    def __init__(self, *args, reports=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gap_report"].choices = _choices(
            ((r.pk, f"{r.title} ({r.get_status_display()})") for r in reports), empty=_("– none –"))

    def clean(self):
        data = super().clean()
        if not data.get("title") and not data.get("gap_report"):
            self.add_error("title", _("Give the agenda item a title."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"title": data["title"], "notes": data["notes"], "gap_report_id": _optional_id(data["gap_report"])}


class MinutesForm(KernFormMixin, forms.Form):
    present_agencies = AgencyMultipleChoiceField(label=_("Agencies present"), queryset=None, required=False,
                                                 widget=forms.CheckboxSelectMultiple)
    minutes = forms.CharField(label=_("Minutes"), max_length=50000, required=False,
                              widget=forms.Textarea(attrs={"rows": 10}), help_text=NO_PERSONAL_DATA)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present_agencies"].queryset = agencies

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"minutes": data["minutes"], "present_agency_ids": [a.pk for a in data["present_agencies"]]}


class MeetingDecisionForm(KernFormMixin, forms.Form):
    agenda_item = forms.ChoiceField(label=_("On agenda item"), choices=(), required=False)
    text = forms.CharField(label=_("Decision"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=NO_PERSONAL_DATA)
    decided_on = forms.DateField(label=_("Decided on"), widget=IsoDateInput())

    def __init__(self, *args, agenda=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].choices = _choices(
            ((item.pk, f"{number}. {item.title}") for number, item in enumerate(agenda, start=1)),
            empty=_("– none –"))

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"agenda_item_id": _optional_id(data["agenda_item"]), "text": data["text"],
                "decided_on": data["decided_on"]}


class MeasureForm(KernFormMixin, forms.Form):
    """A measure: from a decision (meeting page) or on its own (measures page)."""

    decision = forms.ChoiceField(label=_("From decision"), choices=(), required=False)
    title = forms.CharField(label=_("Measure"), max_length=300, help_text=NO_PERSONAL_DATA)
    description = forms.CharField(label=_("Description"), max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    owner_agency = forms.ChoiceField(label=_("Responsible agency"), choices=())
    due_on = forms.DateField(label=_("Due on"), required=False, widget=IsoDateInput())
    status = forms.ChoiceField(label=_("Status"), choices=MeasureStatus.choices, initial=MeasureStatus.PLANNED)
    status_note = forms.CharField(label=_("State of work"), max_length=500, required=False)
    goal = forms.ChoiceField(label=_("Goal"), choices=(), required=False)

    def __init__(self, *args, agencies=(), goals=(), decisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].choices = _choices((a.pk, a.name) for a in agencies)
        self.fields["goal"].choices = _choices(((g.pk, g.title) for g in goals), empty=_("– none –"))
        if decisions is None:
            del self.fields["decision"]
        else:
            self.fields["decision"].required = True
            self.fields["decision"].choices = _choices(
                (d.pk, f"{d.decided_on:%d.%m.%Y}: {d.text[:80]}") for d in decisions)

    @staticmethod
    def initial_for(measure) -> dict:
        return {"title": measure.title, "description": measure.description,
                "owner_agency": str(measure.owner_agency_id), "due_on": measure.due_on, "status": measure.status,
                "status_note": measure.status_note, "goal": str(measure.goal_id or "")}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        values = {"title": data["title"], "description": data["description"],
                  "owner_agency_id": _optional_id(data["owner_agency"]), "due_on": data["due_on"],
                  "status": data["status"], "status_note": data["status_note"],
                  "goal_id": _optional_id(data["goal"])}
        if "decision" in self.fields:
            values["decision_id"] = _optional_id(data["decision"])
        return values


class MeasureStatusForm(KernFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MeasureStatus.choices)
    status_note = forms.CharField(label=_("State of work"), max_length=500, required=False,
                                  help_text=NO_PERSONAL_DATA)


class MeasureFilterForm(KernFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("all")), *MeasureStatus.choices])
    owner = forms.ChoiceField(label=_("Responsible agency"), required=False, choices=())

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", _("all")), *[(str(a.pk), a.name) for a in agencies]]

    def owner_id(self) -> int | None:
        return _optional_id(self.cleaned_data.get("owner"))


class GoalForm(KernFormMixin, forms.Form):
    title = forms.CharField(label=_("Goal"), max_length=300)
    description = forms.CharField(label=_("Description"), max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    life_area = forms.ChoiceField(label=_("Life area"), required=False,
                                  choices=[("", _("– none –")), *LifeArea.choices])
    indicator = forms.ChoiceField(label=_("Indicator"), required=False, choices=(),
                                  help_text=_("The key figure that shows progress towards the goal."))
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", _("– none –")), *indicators]

    @staticmethod
    def initial_for(goal) -> dict:
        return {"title": goal.title, "description": goal.description, "life_area": goal.life_area,
                "indicator": goal.indicator, "active": goal.active}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"title": data["title"], "description": data["description"], "life_area": data["life_area"],
                "indicator": data["indicator"]}
