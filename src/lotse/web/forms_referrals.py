"""Forms of referrals and the offers directory. They parse input; services do the work."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lotse.core.languages import LANGUAGE_NAMES
from lotse.core.vocabulary import DataCategory, LifeArea, NewcomerSituation, Purpose
from lotse.referrals.models import ReferralStatus
from lotse.web.forms import IdMultipleChoiceField, IsoDateInput, KernFormMixin

REFERRAL_PURPOSES = (Purpose.CASE_MANAGEMENT, Purpose.RESIDENCE_ADMINISTRATION,
                     Purpose.BENEFITS_ADMINISTRATION, Purpose.BENEFITS_HANDOVER)


def language_choices() -> list[tuple[str, str]]:
    return [(code, LANGUAGE_NAMES.get(code, code)) for code in settings.LOTSE_PERSON_LANGUAGES]


class OfferChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.provider_label})"


class ReferralForm(KernFormMixin, forms.Form):
    to_agency = forms.ModelChoiceField(label=_("Receiving agency"), queryset=None, required=False)
    offer = OfferChoiceField(label=_("or an offer of the directory"), queryset=None, required=False,
                             help_text=_("The referral goes to the agency that provides the offer."))
    purpose = forms.ChoiceField(
        label=_("Purpose"), required=False,
        choices=[("", _("the purpose the receiving agency works for")),
                 *[(p.value, p.label) for p in REFERRAL_PURPOSES]],
    )
    categories = forms.MultipleChoiceField(label=_("Data passed on"), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    message = forms.CharField(label=_("Message to the receiving agency"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, agencies=None, offers=None, held=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = agencies
        self.fields["offer"].queryset = offers
        self.fields["categories"].choices = [(c, DataCategory(c).label) for c in held]

    def clean(self):
        data = super().clean()
        if not data.get("to_agency") and not data.get("offer"):
            self.add_error("to_agency", _("Choose the receiving agency or an offer."))
        return data


class DeclineForm(KernFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for declining"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class DoneForm(KernFormMixin, forms.Form):
    feedback = forms.CharField(label=_("Feedback to the sending agency"), max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 3}))


class ReferralFilterForm(KernFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("all")), *ReferralStatus.choices])


class OfferFilterForm(KernFormMixin, forms.Form):
    life_area = forms.ChoiceField(label=_("Life area"), required=False, choices=[("", _("all")), *LifeArea.choices])
    municipality = forms.ModelChoiceField(label=_("Municipality"), required=False, queryset=None,
                                          empty_label=_("all"))
    language = forms.ChoiceField(label=_("Language"), required=False, choices=())

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["language"].choices = [("", _("all")), *language_choices()]


class OfferForm(KernFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    life_area = forms.ChoiceField(label=_("Life area"), choices=LifeArea.choices)
    provider_agency = forms.ModelChoiceField(
        label=_("Provider agency in Lotse"), queryset=None, required=False,
        help_text=_("Referrals to the offer go to this agency."))
    provider_name = forms.CharField(label=_("or provider outside Lotse"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    municipalities = IdMultipleChoiceField(
        label=_("Municipalities (none: the whole district)"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple)
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups (none: everybody)"), required=False, choices=NewcomerSituation.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Unknown target group: %(value)s.")})
    eligibility_note = forms.CharField(
        label=_("Who can use it (German)"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Conditions beyond the municipalities, in plain words. Shown in the newcomers' guide."))
    languages = forms.MultipleChoiceField(label=_("Languages"), required=False, choices=(),
                                          widget=forms.CheckboxSelectMultiple)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    active = forms.BooleanField(label=_("Active (shown in the directory)"), required=False, initial=True)
    public = forms.BooleanField(label=_("Shown in the public newcomers' guide"), required=False, initial=True)
    review_due = forms.DateField(
        label=_("Review date"), required=False, widget=IsoDateInput(),
        help_text=_("By when someone checks that this entry is still right."))

    def __init__(self, *args, agencies=None, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider_agency"].queryset = agencies
        self.fields["municipalities"].queryset = municipalities
        self.fields["languages"].choices = language_choices()

    def clean(self):
        data = super().clean()
        if not data.get("provider_agency") and not (data.get("provider_name") or "").strip():
            self.add_error("provider_name",
                           _("Name the provider: an agency in Lotse or the name of a provider outside."))
        return data
