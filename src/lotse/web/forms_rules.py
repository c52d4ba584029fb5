"""Forms of the rules area: administrators enter and correct the dated rule data
(`rules.models`) without a code change. They parse and validate; the views write and log."""

import datetime
from collections.abc import Callable, Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from lotse.core.vocabulary import DataCategory, NewcomerSituation, Purpose, categories_to_mask
from lotse.organisations.models import AgencyKind
from lotse.people.models import BenefitsRegimeKind
from lotse.rules.models import (
    AccessRule,
    DatedRule,
    DeadlineRule,
    FirstStep,
    GuideResponsibility,
    RecordResponsibility,
    RegimeChangeRule,
    ResidenceKind,
)
from lotse.web.forms import IsoDateInput, KernFormMixin

DATE_FIELDS = ("valid_from", "valid_to", "first_issued_after", "not_before", "old_regime_continues_until")
TEXT_AREAS = ("description", "source_note")
MAX_AMOUNT = 1000  # a period longer than 1000 units is a typing error, not a rule


def _regimes() -> list[tuple[str, str]]:
    return [(value, label) for value, label in BenefitsRegimeKind.choices if value != BenefitsRegimeKind.NONE]


def _residence_kind_codes() -> list[str]:
    return sorted(set(ResidenceKind.objects.values_list("code", flat=True)))


class CodeListField(forms.CharField):
    """A JSON list of codes edited as "a, b, c". Every code must be one of `codes()`."""

    def __init__(self, *, codes: Callable[[], Iterable[str]], **kwargs):
        self.codes = codes
        kwargs.setdefault("max_length", 1000)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        found: list[str] = []
        for part in text.replace(";", ",").replace("\n", ",").split(","):
            code = part.strip()
            if code and code not in found:
                found.append(code)
        return found

    def validate(self, value) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        known = list(self.codes())
        unknown = [code for code in value if code not in known]
        if unknown:
            raise ValidationError(
                _("Unknown codes: %(codes)s. Known codes: %(known)s."), code="unknown",
                params={"codes": ", ".join(unknown), "known": ", ".join(known)})

    def has_changed(self, initial, data) -> bool:
        return list(initial or []) != self.to_python(data)


class DatedRuleForm(KernFormMixin, forms.ModelForm):
    """Common to every rule: ISO date pickers, validity checked by the model (the end not before
    the start), and the stable name (`key` or `code`) read-only once saved, because code and
    recorded data refer to it. Versions of one rule must not overlap."""

    identity_field = ""  # the field that names the rule across its versions ("" = none)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in DATE_FIELDS:
                field.widget = IsoDateInput(attrs={"class": "kern-form-input__input"})
            elif name in TEXT_AREAS:
                field.widget = forms.Textarea(attrs={"class": "kern-form-input__input", "rows": 3})
        if self.instance.pk and self.identity_field:
            self.fields[self.identity_field].disabled = True
            self.fields[self.identity_field].help_text = _(
                "Code and recorded data refer to this name: it cannot be changed.")

    def overlapping_versions(self, model: type[DatedRule], **identity):
        """Other versions of the same rule valid on any day of this one's validity."""
        start, end = self.cleaned_data.get("valid_from"), self.cleaned_data.get("valid_to")
        if start is None or (end is not None and end < start):
            return model.objects.none()
        others = model.objects.filter(**identity).exclude(pk=self.instance.pk).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        return others.filter(valid_from__lte=end) if end else others

    def clean(self):
        data = super().clean()
        if self.identity_field:
            name = data.get(self.identity_field, getattr(self.instance, self.identity_field, ""))
            if name:
                clash = self.overlapping_versions(self._meta.model, **{self.identity_field: name}).first()
                if clash is not None:
                    raise ValidationError(_(
                        "Another version of this rule is valid from %(start)s to %(end)s and "
                        "overlaps this one. Shorten that version first, or create a new version "
                        "from a date instead."), params={
                        "start": date_format(clash.valid_from, "SHORT_DATE_FORMAT"),
                        "end": date_format(clash.valid_to, "SHORT_DATE_FORMAT") if clash.valid_to else "–"})
        return data


class DeadlineRuleForm(DatedRuleForm):
    identity_field = "key"

    amount = forms.IntegerField(
        label=_("amount"), min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT,
        help_text=_("A whole number of the unit; negative amounts count back from the anchor date."))

    class Meta:
        model = DeadlineRule
        fields = ["key", "name", "amount", "unit", "legal_reference", "description", "valid_from",
                  "valid_to", "source_note"]


class RegimeChangeRuleForm(DatedRuleForm):
    """`key` is unique: a regime change rule is corrected in place, never versioned. Its own
    validity bounds the dates of the residence statuses it applies to."""

    identity_field = "key"  # read-only once saved; unique, so there are no other versions

    trigger_kinds = CodeListField(
        label=_("residence status kinds (codes)"), codes=_residence_kind_codes,
        help_text=_("Codes of the residence status kinds that trigger the change, separated by commas."))
    from_regime = forms.ChoiceField(label=_("from benefits regime"), choices=_regimes)
    to_regime = forms.ChoiceField(label=_("to benefits regime"), choices=_regimes)

    class Meta:
        model = RegimeChangeRule
        fields = ["key", "name", "trigger_kinds", "first_issued_after", "from_regime", "to_regime",
                  "new_start", "not_before", "old_regime_continues_until", "legal_reference",
                  "description", "valid_from", "valid_to", "source_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trigger_kinds"].help_text = _(
            "Codes of the residence status kinds that trigger the change, separated by commas. "
            "Known codes: %(codes)s.") % {"codes": ", ".join(_residence_kind_codes())}

    def clean(self):
        data = super().clean()
        if data.get("from_regime") and data.get("from_regime") == data.get("to_regime"):
            self.add_error("to_regime", _("The new benefits regime must differ from the old one."))
        cap, not_before = data.get("old_regime_continues_until"), data.get("not_before")
        if cap and not_before and cap < not_before - datetime.timedelta(days=1):
            self.add_error("old_regime_continues_until", _(
                "Existing grants cannot end before the day before the transition date ('not before')."))
        return data


class AccessRuleForm(DatedRuleForm):
    identity_field = "key"

    categories = forms.MultipleChoiceField(label=_("Data categories"), choices=DataCategory.choices,
                                           widget=forms.CheckboxSelectMultiple)
    purposes = CodeListField(label=_("purposes"), codes=lambda: list(Purpose.values), required=False)

    class Meta:
        model = AccessRule
        fields = ["key", "kind", "source_kind", "source_professional_secrecy", "recipient_kind",
                  "categories", "purposes", "scope", "read_only", "legal_reference", "description",
                  "valid_from", "valid_to", "source_note", "includes_closed_files"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_kind"].choices = [("", "–"), *AgencyKind.choices]
        self.fields["recipient_kind"].choices = [("", "–"), *AgencyKind.choices]
        self.fields["purposes"].help_text = _(
            "Codes separated by commas; empty: every purpose. Known codes: %(codes)s.") % {
            "codes": ", ".join(Purpose.values)}
        if self.instance.pk:
            self.initial.setdefault("categories", self.instance.categories)

    def save(self, commit=True):
        rule = super().save(commit=False)
        rule.categories_mask = categories_to_mask(self.cleaned_data["categories"])
        if commit:
            rule.save()
        return rule

    def _post_clean(self):
        # The mask is what the model stores and validates; set it before the model's checks.
        if "categories" in self.cleaned_data:
            self.instance.categories_mask = categories_to_mask(self.cleaned_data["categories"])
        super()._post_clean()


class ResidenceKindForm(DatedRuleForm):
    identity_field = "code"

    class Meta:
        model = ResidenceKind
        fields = ["code", "name", "legal_basis", "is_title", "legal_reference", "description",
                  "valid_from", "valid_to", "source_note"]


RESPONSIBILITY_SUBJECTS = [("residence", _("Residence status")), *_regimes()]


class RecordResponsibilityForm(DatedRuleForm):
    subject = forms.ChoiceField(label=_("subject"), choices=RESPONSIBILITY_SUBJECTS)

    class Meta:
        model = RecordResponsibility
        fields = ["subject", "agency_kind", "legal_reference", "description", "valid_from", "valid_to",
                  "source_note"]

    def clean(self):
        data = super().clean()
        if data.get("subject") and data.get("agency_kind"):
            clash = self.overlapping_versions(RecordResponsibility, subject=data["subject"],
                                              agency_kind=data["agency_kind"]).first()
            if clash is not None:
                raise ValidationError(_(
                    "This kind of agency is already responsible for this subject in part of the "
                    "period (from %(start)s). Shorten that entry first."),
                    params={"start": date_format(clash.valid_from, "SHORT_DATE_FORMAT")})
        return data


class NewVersionForm(KernFormMixin, forms.Form):
    """A new version of a rule from a date: a copy valid from then, the old one closed the day
    before, so facts before the date keep being judged by the old rule."""

    valid_from = forms.DateField(label=_("The new version applies from"), widget=IsoDateInput)

    def __init__(self, *args, rule: DatedRule, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule = rule

    def clean_valid_from(self) -> datetime.date:
        start = self.cleaned_data["valid_from"]
        if start <= self.rule.valid_from:
            raise ValidationError(_("The new version must start after the current one (%(start)s)."),
                                  params={"start": date_format(self.rule.valid_from, "SHORT_DATE_FORMAT")})
        if self.rule.valid_to is not None and start > self.rule.valid_to:
            raise ValidationError(_("The current version ends on %(end)s; a new version must start "
                                    "on or before that day."),
                                  params={"end": date_format(self.rule.valid_to, "SHORT_DATE_FORMAT")})
        return start


def _situation_codes() -> list[str]:
    return list(NewcomerSituation.values)


class GuideResponsibilityForm(DatedRuleForm):
    identity_field = "key"

    situations = CodeListField(label=_("situations"), codes=_situation_codes, required=False)

    class Meta:
        model = GuideResponsibility
        fields = ["key", "topic", "situations", "agency_kind", "order", "legal_reference", "description",
                  "valid_from", "valid_to", "source_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["situations"].help_text = _(
            "Codes separated by commas; empty: every situation. Known codes: %(codes)s.") % {
            "codes": ", ".join(_situation_codes())}


class FirstStepForm(DatedRuleForm):
    identity_field = "key"

    situations = CodeListField(label=_("situations"), codes=_situation_codes, required=False)

    class Meta:
        model = FirstStep
        fields = ["key", "order", "topic", "situations", "title", "text", "agency_kind", "outside_office",
                  "deadline_days", "legal_reference", "description", "valid_from", "valid_to", "source_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["situations"].help_text = _(
            "Codes separated by commas; empty: every situation. Known codes: %(codes)s.") % {
            "codes": ", ".join(_situation_codes())}
        self.fields["agency_kind"].choices = [("", "–"), *AgencyKind.choices]
        self.fields["text"].widget = forms.Textarea(attrs={"class": "kern-form-input__input", "rows": 3})
