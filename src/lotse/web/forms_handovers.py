"""Forms of handovers (change of benefits regime). They parse input; services do the work."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.web.forms import IsoDateInput, KernFormMixin


class DateToTickOff(forms.DateField):
    """Marked as required (it is, to tick the item off) but not needed to reopen it: the form
    checks it together with `done`."""

    def validate(self, value) -> None:
        if value not in self.empty_values:
            super().validate(value)


class ItemForm(KernFormMixin, forms.Form):
    """Tick a checklist item off (done=1, with its date where it records one) or reopen it
    (done=0). The buttons carry `done`; the form is prefixed with the item id."""

    done = forms.ChoiceField(choices=[("1", _("done")), ("0", _("not done"))], widget=forms.HiddenInput)
    value_date = forms.DateField(label=_("Date"), required=False, widget=IsoDateInput())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, records_date: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.records_date = records_date
        if records_date:
            self.fields["value_date"] = DateToTickOff(label=_("Date"), widget=IsoDateInput(
                attrs={"class": "kern-form-input__input"}))

    def clean(self):
        data = super().clean()
        if self.records_date and data.get("done") == "1" and not data.get("value_date") and (
                "value_date" not in self.errors):
            self.add_error("value_date", _("Enter the date for this item."))
        return data

    @property
    def is_done(self) -> bool:
        return self.cleaned_data["done"] == "1"


class CancelForm(KernFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=300,
                             help_text=_("Both offices see it. No health or other sensitive details."),
                             widget=forms.Textarea(attrs={"rows": 3}))


class OverviewForm(KernFormMixin, forms.Form):
    start = forms.DateField(label=_("New entitlement starts from"), required=False, widget=IsoDateInput())
    end = forms.DateField(label=_("until"), required=False, widget=IsoDateInput())

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_start = today.replace(month=1, day=1)
        self.default_end = today.replace(month=12, day=31)
        self.fields["start"].initial = self.default_start
        self.fields["end"].initial = self.default_end

    def clean(self):
        data = super().clean()
        start = data.get("start") or self.default_start
        end = data.get("end") or self.default_end
        if not self.errors and end < start:
            self.add_error("end", _("The end lies before the start."))
        data["start"], data["end"] = start, end
        return data
