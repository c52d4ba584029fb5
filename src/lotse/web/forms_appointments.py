"""Forms of the eAT appointments: filters, the register import, the desk, and the authority's
configuration (offices, opening hours, closures, interpreters, appointment lengths, travel
times). They parse input; services and selectors do the work."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lotse.appointments.models import (
    Closure,
    Interpreter,
    InterpreterShift,
    Office,
    OpeningPeriod,
    Outcome,
    ServiceKind,
)
from lotse.appointments.selectors import AppointmentView, RegisterFilter
from lotse.web.forms import IsoDateInput, KernFormMixin

WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
            (5, _("Saturday")), (6, _("Sunday"))]
# An empty first choice: an untouched extra row of a formset stays unchanged and is skipped.
WEEKDAY_CHOICES = [("", "–"), *WEEKDAYS]
MAX_IMPORT_BYTES = 10 * 1024 * 1024


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class RegisterFilterForm(KernFormMixin, forms.Form):
    show = forms.ChoiceField(label=_("Show"), required=False, choices=[
        (RegisterFilter.EXPIRING, _("expiring soon")), (RegisterFilter.EXPIRED, _("expired, no application")),
        (RegisterFilter.PENDING, _("application pending")), (RegisterFilter.ALL, _("all current statuses"))])
    weeks = forms.IntegerField(label=_("Expiring within (weeks)"), required=False, min_value=1, max_value=104)

    def values(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {"show": data.get("show") or RegisterFilter.EXPIRING, "weeks": data.get("weeks") or 12}


class AppointmentViewForm(forms.Form):
    view = forms.ChoiceField(required=False, choices=[(v, v) for v in AppointmentView.CHOICES])


class PermitImportForm(KernFormMixin, forms.Form):
    file = forms.FileField(label=_("CSV file exported from the authority's software"))
    encoding = forms.ChoiceField(label=_("Character encoding"), choices=[
        ("utf-8", _("UTF-8 (recommended)")), ("cp1252", _("Windows-1252 (older Excel exports)"))])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("The file is larger than 10 MB."))
        if upload.size == 0:
            raise ValidationError(_("The file is empty."))
        return upload


class OutcomeForm(KernFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)


class DeskDayForm(forms.Form):
    office = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    day = forms.DateField(required=False, widget=IsoDateInput())


class FiguresForm(KernFormMixin, forms.Form):
    first = forms.DateField(label=_("From month"), required=False, widget=IsoDateInput())
    last = forms.DateField(label=_("To month"), required=False, widget=IsoDateInput())

    def clean(self):
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last and last < first:
            self.add_error("last", _("The end lies before the start."))
        if first and last and (last - first).days > 3 * 366:
            self.add_error("last", _("Choose at most three years."))
        return data


# --- configuration -------------------------------------------------------------------------

class OfficeForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = Office
        fields = ["name", "municipality", "street", "postal_code", "city", "phone", "email", "slot_minutes",
                  "is_active"]

    def __init__(self, *args, district_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = self.fields["municipality"].queryset.filter(district_id=district_id)
        self.fields["slot_minutes"].min_value = 5
        self.fields["slot_minutes"].max_value = 120

    def clean_slot_minutes(self):
        value = self.cleaned_data["slot_minutes"]
        if not 5 <= value <= 120:
            raise ValidationError(_("Choose between 5 and 120 minutes."))
        return value


class OpeningPeriodForm(KernFormMixin, forms.ModelForm):
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=WEEKDAY_CHOICES, coerce=int)

    class Meta:
        model = OpeningPeriod
        fields = ["weekday", "opens", "closes", "counters", "valid_from", "valid_to"]
        widgets = {"opens": TimeInput(), "closes": TimeInput(), "valid_from": IsoDateInput(),
                   "valid_to": IsoDateInput()}

    def clean(self):
        data = super().clean()
        if data.get("opens") and data.get("closes") and data["closes"] <= data["opens"]:
            self.add_error("closes", _("The closing time lies before the opening time."))
        if data.get("counters") is not None and not 1 <= data["counters"] <= 50:
            self.add_error("counters", _("Choose between 1 and 50 counters."))
        if data.get("valid_to") and data.get("valid_from") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", _("The end lies before the start."))
        return data


class ClosureForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["starts_on", "ends_on", "reason"]
        widgets = {"starts_on": IsoDateInput(), "ends_on": IsoDateInput()}

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end lies before the start."))
        return data


class BaseOpeningPeriodFormSet(forms.BaseInlineFormSet):
    """Periods of one weekday must not overlap while both are valid: the assignment would count
    the same counters twice."""

    def clean(self):
        super().clean()
        kept = [f.cleaned_data for f in self.forms if f.is_valid() and f.cleaned_data
                and not f.cleaned_data.get("DELETE")]
        first, last = datetime.date.min, datetime.date.max
        for i, a in enumerate(kept):
            for b in kept[i + 1:]:
                if (a.get("weekday") == b.get("weekday") and a.get("opens") and b.get("opens")
                        and a["opens"] < b["closes"] and b["opens"] < a["closes"]
                        and (a.get("valid_from") or first) <= (b.get("valid_to") or last)
                        and (b.get("valid_from") or first) <= (a.get("valid_to") or last)):
                    raise ValidationError(_("Opening hours on the same weekday overlap."))


OpeningPeriodFormSet = forms.inlineformset_factory(Office, OpeningPeriod, form=OpeningPeriodForm,
                                                   formset=BaseOpeningPeriodFormSet, extra=1,
                                                   can_delete=True, max_num=50, validate_max=True)
ClosureFormSet = forms.inlineformset_factory(Office, Closure, form=ClosureForm, extra=1, can_delete=True,
                                             max_num=200, validate_max=True)


class LanguageCodesField(forms.CharField):
    """Language codes (ISO 639-1, or 639-3 where there is none), separated by commas."""

    def to_python(self, value):
        text = super().to_python(value)
        codes = [part.strip().lower() for part in text.replace(";", ",").split(",") if part.strip()]
        bad = [code for code in codes if not (code.isascii() and code.isalpha() and 2 <= len(code) <= 3)]
        if bad:
            raise ValidationError(_("Enter language codes such as ar, fa, ku, separated by commas."))
        return list(dict.fromkeys(codes))

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value


class InterpreterForm(KernFormMixin, forms.ModelForm):
    languages = LanguageCodesField(label=_("Languages"), max_length=200,
                                   help_text=_("Codes such as ar, fa, ku, ti, separated by commas."))

    class Meta:
        model = Interpreter
        fields = ["name", "languages", "is_active"]


class InterpreterShiftForm(KernFormMixin, forms.ModelForm):
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=WEEKDAY_CHOICES, coerce=int)

    class Meta:
        model = InterpreterShift
        fields = ["office", "weekday", "starts", "ends", "valid_from", "valid_to"]
        widgets = {"starts": TimeInput(), "ends": TimeInput(), "valid_from": IsoDateInput(),
                   "valid_to": IsoDateInput()}

    def __init__(self, *args, agency_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.filter(agency_id__in=agency_ids)

    def clean(self):
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("The end lies before the start."))
        return data


InterpreterShiftFormSet = forms.inlineformset_factory(Interpreter, InterpreterShift, form=InterpreterShiftForm,
                                                      extra=1, can_delete=True, max_num=50, validate_max=True)


class ServiceLengthsForm(KernFormMixin, forms.Form):
    """Minutes per service of the district."""

    def __init__(self, *args, initial_minutes: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        for service, label in ServiceKind.choices:
            self.fields[service] = forms.IntegerField(label=label, min_value=5, max_value=240,
                                                      initial=initial_minutes.get(service))


class TravelTimesForm(KernFormMixin, forms.Form):
    """Travel minutes from each municipality to each office: one field per pair."""

    def __init__(self, *args, municipalities, offices, initial_minutes: dict[tuple[int, int], int], **kwargs):
        super().__init__(*args, **kwargs)
        self.pairs = []
        for municipality in municipalities:
            for office in offices:
                name = f"m{municipality.pk}_o{office.pk}"
                self.fields[name] = forms.IntegerField(
                    label=_("%(municipality)s → %(office)s (minutes)") % {"municipality": municipality.name,
                                                                          "office": office.name},
                    min_value=0, max_value=600, required=False,
                    initial=initial_minutes.get((municipality.pk, office.pk)))
                self.pairs.append((name, municipality, office))

    def minutes(self) -> dict[tuple[int, int], int | None]:
        return {(m.pk, o.pk): self.cleaned_data.get(name) for name, m, o in self.pairs}


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)
