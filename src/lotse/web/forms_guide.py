"""Forms of the content management of the newcomers' guide. They parse input; the services in
`lotse.guide.services` check and write."""

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from lotse.guide.entries import STATE_LABELS, STATES
from lotse.guide.languages import TRANSLATED_LANGUAGES, direction, language_name
from lotse.guide.models import TranslationStatus
from lotse.guide.translation import OUTDATED
from lotse.web.forms import IdMultipleChoiceField, IsoDateInput, KernFormMixin

UNKNOWN_LANGUAGE = {"invalid_choice": _("Unknown language: %(value)s.")}
REVIEW_HELP = _("By when someone checks that this entry is still right.")


def language_label(code: str) -> str:
    return f"{language_name(code)} ({code})"


def spoken_language_choices() -> list[tuple[str, str]]:
    return [(code, language_label(code)) for code in settings.LOTSE_PERSON_LANGUAGES]


def translated_language_choices(codes=TRANSLATED_LANGUAGES) -> list[tuple[str, str]]:
    return [(code, language_label(code)) for code in codes]


def _languages_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=_("Languages spoken"), required=False, choices=spoken_language_choices,
                                     widget=forms.CheckboxSelectMultiple, error_messages=UNKNOWN_LANGUAGE)


def _review_field() -> forms.DateField:
    return forms.DateField(label=_("Review date"), required=False, widget=IsoDateInput(), help_text=REVIEW_HELP)


class OfficeProfileForm(KernFormMixin, forms.Form):
    street = forms.CharField(label=_("Street"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    public = forms.BooleanField(label=_("Shown in the public newcomers' guide"), required=False, initial=True)
    description = forms.CharField(label=_("What the office does (German)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    opening_hours = forms.CharField(label=_("Opening hours (German)"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}))
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    languages = _languages_field()
    review_due = _review_field()


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class CounsellorForm(KernFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200,
                           error_messages={"required": _("Give the name of the welcome counsellor.")})
    agency = AgencyChoiceField(
        label=_("Welfare association"), queryset=None,
        error_messages={"required": _("Choose a welfare association of your district."),
                        "invalid_choice": _("Choose a welfare association of your district.")})
    municipalities = IdMultipleChoiceField(
        label=_("Municipalities the counsellor is there for"), queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one municipality the counsellor is there for."),
                        "invalid_choice": _("Choose municipalities of your district."),
                        "invalid_pk_value": _("Choose municipalities of your district.")})
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    office_hours = forms.CharField(label=_("Office hours (German)"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    languages = _languages_field()
    active = forms.BooleanField(label=_("Active (shown in the guide)"), required=False, initial=True)
    review_due = _review_field()

    def __init__(self, *args, agencies=None, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["municipalities"].queryset = municipalities


class GuideTextForm(KernFormMixin, forms.Form):
    title = forms.CharField(label=_("Title (German)"), max_length=200,
                            error_messages={"required": _("Give the text a title.")})
    slug = forms.SlugField(
        label=_("Short name in the address"), max_length=60,
        help_text=_("Lower-case letters, digits and hyphens, e.g. welcome-counselling."),
        error_messages={"required": _("Give the text a short name."),
                        "invalid": _("Use only lower-case letters, digits and hyphens.")})
    body = forms.CharField(label=_("Text (German)"), widget=forms.Textarea(attrs={"rows": 10}),
                           error_messages={"required": _("Write the text.")})
    easy_body = forms.CharField(label=_("Text in plain German (Leichte Sprache)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 8}))
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, initial=0)
    public = forms.BooleanField(label=_("Shown in the public newcomers' guide"), required=False, initial=True)
    review_due = _review_field()


class TranslationForm(KernFormMixin, forms.Form):
    """One entry in one language: per field with a German source a text and a status. Outdated
    fields get a box to confirm the translation still fits the changed German text."""

    def __init__(self, *args, sources: dict[str, str], labels: dict[str, str], language: str,
                 rows: dict, states: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = sources
        self.rows = rows
        self.states = states
        status_choices = [(value, label) for value, label in TranslationStatus.choices]
        for name in sources:
            row = rows.get(name)
            label = labels.get(name, name)
            self.fields[f"text_{name}"] = forms.CharField(
                label=label, required=False, initial=row.text if row else "",
                widget=forms.Textarea(attrs={"rows": 5 if len(sources[name]) > 120 else 2, "lang": language,
                                             "dir": direction(language), "class": "kern-form-input__input"}))
            self.fields[f"status_{name}"] = forms.ChoiceField(
                label=format_lazy("{}: {}", _("Status"), label), choices=status_choices, required=False,
                widget=forms.Select(attrs={"class": "kern-form-input__select"}),
                initial=row.status if row else TranslationStatus.REVIEWED)
            if states.get(name) == OUTDATED:
                self.fields[f"confirm_{name}"] = forms.BooleanField(
                    label=format_lazy("{}: {}", label, _("The translation still fits the changed German text")),
                    required=False, widget=forms.CheckboxInput(attrs={"class": "kern-form-check__checkbox"}))

    def fields_of(self, name: str) -> list:
        """The bound fields of one source field, for the template."""
        names = [f"text_{name}", f"status_{name}", f"confirm_{name}"]
        return [self[field] for field in names if field in self.fields]

    def clean(self):
        data = super().clean()
        for name in self.sources:
            text = (data.get(f"text_{name}") or "").strip()
            if self.rows.get(name) and not text:
                self.add_error(f"text_{name}", _("Enter the translation; an existing one cannot be emptied here."))
            elif text and f"status_{name}" in self.fields and not data.get(f"status_{name}"):
                self.add_error(f"status_{name}", _("Choose the status of the translation."))
        return data

    def changes(self) -> dict[str, tuple[str, str]]:
        """{field: (text, status)} of what is new, changed or confirmed; the rest stays as it is,
        so an outdated translation is not marked current by saving another field."""
        changes = {}
        for name in self.sources:
            text = (self.cleaned_data.get(f"text_{name}") or "").strip()
            status = self.cleaned_data.get(f"status_{name}")
            row = self.rows.get(name)
            if not text:
                continue
            if (row is None or text != row.text or status != row.status
                    or self.cleaned_data.get(f"confirm_{name}")):
                changes[name] = (text, status)
        return changes


class TranslationFilterForm(KernFormMixin, forms.Form):
    language = forms.ChoiceField(label=_("Language"), required=False,
                                 error_messages={"invalid_choice": _("Choose one of your languages.")})
    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("all my languages")), *translated_language_choices(languages)]
        self.fields["state"].choices = [("", _("all needing work")),
                                        *[(state, STATE_LABELS[state]) for state in STATES]]


class TranslatorLanguagesForm(KernFormMixin, forms.Form):
    languages = forms.MultipleChoiceField(label=_("Languages this user translates into"), required=False,
                                          choices=translated_language_choices, widget=forms.CheckboxSelectMultiple,
                                          error_messages=UNKNOWN_LANGUAGE)
