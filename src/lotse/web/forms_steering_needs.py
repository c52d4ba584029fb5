"""Forms of the needs analysis: reference date and source, the proposal, the statistics import
and the capacity table. They parse input; `steering.needs`, `statistics_import` and `capacity`
do the work."""

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from lotse.steering import apportionment, needs
from lotse.steering.capacity import fte_error, parse_fte
from lotse.steering.periods import Period
from lotse.steering.statistics_import import SOURCE_MAX_LENGTH
from lotse.web.forms import IsoDateInput, KernFormMixin

EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2199, 12, 31)

SOURCE_CHOICES = [(needs.REGISTRY, _("Registry (persons recorded in Lotse)")),
                  (needs.STATISTICS, _("Imported statistics"))]
METHOD_CHOICES = [
    (apportionment.HARE_NIEMEYER, _("Hare–Niemeyer (largest remainder): every municipality gets the whole "
                                    "part of its quota, the positions left go to the largest remainders.")),
    (apportionment.SAINTE_LAGUE, _("Sainte-Laguë/Schepers: the positions go one by one to the highest "
                                   "quotient, newcomers divided by 1, 3, 5, … (twice the positions already "
                                   "given plus one).")),
]
UNIT_CHOICES = [(needs.WHOLE, _("Whole positions")), (needs.HALF, _("Half positions (0.5 FTE)"))]


class NeedsForm(KernFormMixin, forms.Form):
    on = forms.DateField(label=_("Reference date"), required=False, widget=IsoDateInput())
    source = forms.ChoiceField(label=_("Newcomers from"), choices=SOURCE_CHOICES, required=False,
                               widget=forms.RadioSelect)

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on is not None and not EARLIEST <= on <= LATEST:
            raise ValidationError(_("Choose a reference date between 2000 and 2199."))
        return on

    def clean(self):
        """Counts from the registry only on the last day of a quarter: the difference between two
        nearby days would tell who arrived in a municipality in between."""
        data = super().clean()
        on, source = data.get("on"), data.get("source") or needs.REGISTRY
        if on is not None and source == needs.REGISTRY and on != quarter_end(on):
            self.add_error("on", ValidationError(_(
                "For counts from the registry choose the last day of a quarter (31.3., 30.6., 30.9. or "
                "31.12.): counts of nearby days would show single arrivals.")))
        return data


def quarter_end(day: datetime.date) -> datetime.date:
    """The last day of the quarter `day` falls in."""
    return Period.containing(day, "quarter").end


def last_quarter_end(today: datetime.date) -> datetime.date:
    """The latest quarter end on or before `today` (the registry's default reference date)."""
    quarter = Period.containing(today, "quarter")
    return quarter.end if quarter.end == today else quarter.previous().end


class ProposalForm(KernFormMixin, forms.Form):
    positions = forms.CharField(label=_("Positions to distribute"), max_length=10,
                                help_text=_("Full-time equivalents, e.g. 5 or 4,5."))
    method = forms.ChoiceField(label=_("Method"), choices=METHOD_CHOICES, widget=forms.RadioSelect)
    unit = forms.ChoiceField(label=_("Distribute in"), choices=UNIT_CHOICES, widget=forms.RadioSelect)

    def clean_positions(self) -> Decimal:
        text = self.cleaned_data["positions"].strip().replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or not 0 < value <= needs.MAX_POSITIONS:
            raise ValidationError(_("Enter a number of positions between 0.5 and %(max)s.")
                                  % {"max": needs.MAX_POSITIONS})
        return value


class StatisticsImportForm(KernFormMixin, forms.Form):
    file = forms.FileField(label=_("CSV file with the statistics"))
    source = forms.CharField(label=_("Source of the figures"), max_length=SOURCE_MAX_LENGTH,
                             help_text=_("E.g. IT.NRW, Ausländerstatistik, or the registration office of the "
                                         "municipality."))


class CapacityForm(forms.Form):
    """One field per welfare association and municipality: `fte-<agency id>-<municipality id>`,
    blank or 0 for none."""

    def __init__(self, *args, associations, municipalities, current: dict[tuple[int, int], Decimal], **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        self.cells = []
        for municipality in municipalities:
            row = []
            for agency in associations:
                name = f"fte-{agency.pk}-{municipality.pk}"
                value = current.get((agency.pk, municipality.pk))
                self.fields[name] = forms.CharField(
                    label=_("%(association)s in %(municipality)s") % {
                        "association": agency.short_name or agency.name, "municipality": municipality.name},
                    required=False, max_length=6,
                    initial=number_format(value, 2) if value else "",
                    widget=forms.TextInput(attrs={"class": "kern-form-input__input", "inputmode": "decimal",
                                                  "size": 5}))
                row.append((agency.pk, municipality.pk, name))
            self.cells.append((municipality, [self[name] for _a, _m, name in row], row))

    def clean(self):
        data = super().clean()
        self.values: dict[tuple[int, int], Decimal] = {}
        for _municipality, _fields, row in self.cells:
            for agency_id, municipality_id, name in row:
                try:
                    self.values[(agency_id, municipality_id)] = parse_fte(data.get(name) or "")
                except ValueError:
                    self.add_error(name, fte_error())
        return data

    def changes(self) -> list[tuple[int, int, Decimal]]:
        """(agency id, municipality id, FTE) of every cell whose value differs from today's."""
        return [(agency_id, municipality_id, fte) for (agency_id, municipality_id), fte in self.values.items()
                if fte != self.current.get((agency_id, municipality_id), Decimal("0"))]
