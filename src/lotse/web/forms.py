"""Forms of the staff UI. They parse and validate input; services do the work."""


from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.consent.models import ConsentMethod
from lotse.core.vocabulary import DataCategory, Purpose
from lotse.organisations.models import Agency, AgencyKind, Role, StaffUser
from lotse.people.matching import PartialDate
from lotse.people.models import BenefitsRegimeKind, DocumentKind, HouseholdRole, Sex

MAX_ID = 10**18 - 1  # ids beyond this are no ids of ours (and overflow SQLite)


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors at their field (when the form
    has it), the rest above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of records by id that refuses ids no record of ours can have (not
    digits, or beyond MAX_ID) with the field's own message before any query: an id beyond the
    database's integer range would otherwise end in an OverflowError, a server error."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk).strip()
            if not (text.isascii() and text.isdigit() and 0 < len(text) <= len(str(MAX_ID))):
                raise forms.ValidationError(self.error_messages["invalid_pk_value"],
                                            code="invalid_pk_value", params={"pk": text[:40]})
        return super()._check_values(value)


class IsoDateInput(forms.DateInput):
    """A native date picker: the value must be ISO (YYYY-MM-DD) whatever the UI language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class KernFormMixin:
    """Give every widget the KERN classes; render with web/partials/_field.html."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "kern-form-check__checkbox")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "kern-form-input__select")
            else:
                widget.attrs.setdefault("class", "kern-form-input__input")


def parse_partial_date(value: str) -> PartialDate | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return PartialDate.parse(value)
    except ValueError as exc:
        raise ValidationError(
            _("Enter the date of birth as YYYY, YYYY-MM, YYYY-MM-DD or DD.MM.YYYY.")
        ) from exc


class LoginForm(KernFormMixin, forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=200)


class TokenForm(KernFormMixin, forms.Form):
    token = forms.RegexField(
        label=_("Six-digit code from your authenticator app"), regex=r"^\s*\d{6}\s*$",
        max_length=12, error_messages={"invalid": _("Enter the six digits of the code.")},
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip()


class EnrolmentForm(TokenForm):
    enrolment_code = forms.CharField(
        label=_("Enrolment code from your administrator"), max_length=20,
        help_text=_("You receive it in person when your account is created or reset."))


class PurposeChoiceMixin:
    """The user states the purpose of a read (purpose limitation); only their roles' purposes."""

    def _set_purposes(self, ctx) -> None:
        allowed = [(value, label) for value, label in Purpose.choices
                   if value in ctx.purposes]
        self.fields["purpose"].choices = allowed
        self.fields["purpose"].initial = ctx.work_purpose()
        if len(allowed) <= 1:
            self.fields["purpose"].widget = forms.HiddenInput()


class PersonSearchForm(PurposeChoiceMixin, KernFormMixin, forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose of this search"), choices=())
    name = forms.CharField(label=_("Name"), max_length=200, required=False,
                           help_text=_("Any spelling; given and family name in any order."))
    birth = forms.CharField(label=_("Date of birth"), max_length=10, required=False,
                            help_text=_("Also only the year (1990) or year and month (1990-05)."))
    azr_number = forms.RegexField(label=_("AZR number"), regex=r"^\d{6,12}$", required=False,
                                  error_messages={"invalid": _("An AZR number has 6 to 12 digits.")})
    file_number = forms.CharField(label=_("File number"), max_length=50, required=False)

    def __init__(self, data=None, *args, ctx=None, **kwargs):
        if data is not None and not data.get("purpose"):
            data = data.copy()
            data["purpose"] = ctx.work_purpose()
        super().__init__(data, *args, **kwargs)
        self._set_purposes(ctx)

    def clean_birth(self):
        return parse_partial_date(self.cleaned_data.get("birth", ""))

    def clean(self):
        data = super().clean()
        if not any(data.get(k) for k in ("name", "birth", "azr_number", "file_number")):
            raise ValidationError(_("Enter a name, a date of birth, an AZR number or a file number."))
        return data


class PersonForm(KernFormMixin, forms.Form):
    given_names = forms.CharField(label=_("Given names"), max_length=200)
    family_name = forms.CharField(label=_("Family name"), max_length=200)
    given_names_original = forms.CharField(label=_("Given names (original script)"), max_length=200, required=False)
    family_name_original = forms.CharField(label=_("Family name (original script)"), max_length=200, required=False)
    birth = forms.CharField(label=_("Date of birth"), max_length=10, required=False,
                            help_text=_("YYYY, YYYY-MM, YYYY-MM-DD or DD.MM.YYYY — as much as is known."))
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    nationality = forms.RegexField(label=_("Nationality (Destatis code)"), regex=r"^\d{3}$", required=False,
                                   help_text=_("Three digits, e.g. 475 Syria, 166 Ukraine, 423 Afghanistan."),
                                   error_messages={"invalid": _("A Destatis code has three digits.")})
    languages = forms.RegexField(label=_("Languages (ISO codes, comma-separated)"),
                                 regex=r"^\s*[a-z]{2,3}(\s*,\s*[a-z]{2,3})*\s*$", required=False,
                                 error_messages={"invalid": _("Use two- or three-letter codes such as ar, uk, fa.")})
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter at appointments (first language listed)"),
                                            required=False)
    azr_number = forms.RegexField(label=_("AZR number"), regex=r"^\d{6,12}$", required=False,
                                  error_messages={"invalid": _("An AZR number has 6 to 12 digits.")})
    file_number = forms.CharField(label=_("Your file number"), max_length=50, required=False)
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    postal_code = forms.RegexField(label=_("Postal code"), regex=r"^\d{5}$", required=False,
                                   error_messages={"invalid": _("A German postal code has five digits.")})
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=None, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    arrival_germany = forms.DateField(label=_("Arrival in Germany"), required=False,
                                      widget=IsoDateInput())
    arrival_district = forms.DateField(label=_("Arrival in the district"), required=False,
                                       widget=IsoDateInput())
    confirm_new = forms.BooleanField(
        label=_("None of the records shown is this person: create a new record"), required=False
    )

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities

    def clean_birth(self):
        return parse_partial_date(self.cleaned_data.get("birth", ""))

    def clean(self):
        data = super().clean()
        for name in ("arrival_germany", "arrival_district"):
            if data.get(name) and data[name] > timezone.localdate():
                self.add_error(name, _("This date lies in the future."))
        return data


class ConsentForm(KernFormMixin, forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("Data categories"), choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    from_agency = forms.ModelChoiceField(label=_("From (agency holding the data)"), queryset=None,
                                         required=False)
    from_kind = forms.ChoiceField(label=_("or from every agency of this kind"), required=False,
                                  choices=[("", "–"), *AgencyKind.choices])
    to_agency = forms.ModelChoiceField(label=_("To (agency receiving the data)"), queryset=None,
                                       required=False)
    to_kind = forms.ChoiceField(label=_("or to every agency of this kind"), required=False,
                                choices=[("", "–"), *AgencyKind.choices])
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    given_on = forms.DateField(label=_("Given on"), widget=IsoDateInput())
    valid_until = forms.DateField(label=_("Valid until"), required=False,
                                  widget=IsoDateInput())
    method = forms.ChoiceField(label=_("How it was given"), choices=ConsentMethod.choices)
    informed_language = forms.ChoiceField(label=_("Language the person was informed in"), choices=())
    given_by_guardian = forms.BooleanField(label=_("Given by a legal guardian"), required=False)
    evidence = forms.FileField(label=_("Scan of the signed form (PDF, PNG, JPEG)"), required=False)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_agency"].queryset = agencies
        self.fields["to_agency"].queryset = agencies
        from lotse.core.languages import person_language_choices

        self.fields["informed_language"].choices = person_language_choices()
        self.fields["given_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        for side in ("from", "to"):
            if not data.get(f"{side}_agency") and not data.get(f"{side}_kind"):
                self.add_error(f"{side}_agency", _("Choose an agency or a kind of agency."))
            elif data.get(f"{side}_agency") and data.get(f"{side}_kind"):
                self.add_error(f"{side}_kind", _("Choose either one agency or a kind of agency."))
        if data.get("from_agency") and data.get("from_agency") == data.get("to_agency"):
            self.add_error("to_agency", _("Sender and recipient must differ."))
        if data.get("valid_until") and data.get("given_on") and data["valid_until"] < data["given_on"]:
            self.add_error("valid_until", _("The consent cannot end before it was given."))
        return data


class RevokeForm(KernFormMixin, forms.Form):
    note = forms.CharField(label=_("Note (how the revocation was declared)"), max_length=300, required=False)


class ResidenceStatusForm(KernFormMixin, forms.Form):
    kind = forms.ModelChoiceField(label=_("Status"), queryset=None)
    document = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    valid_from = forms.DateField(label=_("Valid from"), widget=IsoDateInput())
    valid_to = forms.DateField(label=_("Valid to"), required=False, widget=IsoDateInput())

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = kinds


class FileForm(KernFormMixin, forms.Form):
    file_number = forms.CharField(label=_("Your file number"), max_length=50, required=False)


class BenefitsRegimeForm(KernFormMixin, forms.Form):
    regime = forms.ChoiceField(label=_("Benefits regime"), choices=BenefitsRegimeKind.choices)
    valid_from = forms.DateField(label=_("From"), widget=IsoDateInput())
    valid_to = forms.DateField(label=_("To"), required=False, widget=IsoDateInput())


class HouseholdForm(KernFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role in the household"), choices=HouseholdRole.choices)
    with_person = forms.IntegerField(
        label=_("Joins the household of person no."), required=False, min_value=1, max_value=MAX_ID,
        help_text=_("The record no. shown on the other person's page; empty: a new household."))


class AuditFilterForm(KernFormMixin, forms.Form):
    person_id = forms.IntegerField(label=_("Person id"), required=False, min_value=1, max_value=MAX_ID)
    actor_id = forms.IntegerField(label=_("User id"), required=False, min_value=1, max_value=MAX_ID)
    decision = forms.ChoiceField(label=_("Decision"), required=False,
                                 choices=[("", _("all")), ("allowed", _("allowed")), ("denied", _("denied"))])


class AgencyForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "short_name", "kind", "municipality", "parent",
                  "bound_by_professional_secrecy", "street", "postal_code", "city", "phone",
                  "email", "is_active"]

    def __init__(self, *args, district=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = AgencyKind.choices
        self.fields["municipality"].queryset = district.municipalities.all()
        self.fields["parent"].queryset = district.agencies.all()


class RoleForm(KernFormMixin, forms.ModelForm):
    """Roles are data: which categories a role may read, for which purposes, with which
    permissions. Changes apply from the next request of every user holding the role."""

    categories = forms.MultipleChoiceField(label=_("Data categories"), choices=DataCategory.choices,
                                           widget=forms.CheckboxSelectMultiple, required=False)
    purposes = forms.MultipleChoiceField(label=_("Purposes"), choices=Purpose.choices,
                                         widget=forms.CheckboxSelectMultiple, required=False)
    permissions = forms.MultipleChoiceField(label=_("Permissions"), choices=(),
                                            widget=forms.CheckboxSelectMultiple, required=False)

    class Meta:
        model = Role
        fields = ["code", "name", "description"]

    def __init__(self, *args, **kwargs):
        from lotse.organisations.permissions import ALL_PERMISSIONS

        super().__init__(*args, **kwargs)
        self.fields["permissions"].choices = list(ALL_PERMISSIONS.items())
        if self.instance.pk:
            self.initial.update(categories=self.instance.categories,
                                purposes=self.instance.purposes,
                                permissions=self.instance.permissions)

    def save(self, commit=True):
        role = super().save(commit=False)
        role.categories = self.cleaned_data["categories"]
        role.purposes = self.cleaned_data["purposes"]
        role.permissions = self.cleaned_data["permissions"]
        if commit:
            role.save()
        return role


class OverrideForm(KernFormMixin, forms.Form):
    categories = forms.MultipleChoiceField(label=_("Data categories needed"), choices=DataCategory.choices,
                                           widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("Reason (recorded in the access log)"), widget=forms.Textarea(attrs={"rows": 3}),
                             min_length=20, max_length=1000)
    hours = forms.IntegerField(label=_("Duration in hours"), min_value=1, max_value=24, initial=4)


class StaffUserForm(KernFormMixin, forms.ModelForm):
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput,
                               required=False, min_length=12,
                               help_text=_("At least 12 characters. Leave empty to keep it."))

    class Meta:
        model = StaffUser
        fields = ["username", "first_name", "last_name", "email", "agency", "roles", "is_active"]
        widgets = {"roles": forms.CheckboxSelectMultiple}

    def __init__(self, *args, district=None, editing_self=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = district.agencies.all()
        self.fields["agency"].required = True
        self.fields["roles"].queryset = Role.objects.filter(
            Q(district__isnull=True) | Q(district=district))
        if editing_self:
            # Nobody grants themselves roles or locks themselves out, and a stolen administrator
            # session cannot change the account's own password (ASVS 7.5.1).
            for name in ("roles", "is_active", "agency", "password"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Another administrator changes this for you.")

    def clean_password(self):
        """Django's password validators (length, common passwords, similarity to the user's
        names, not all digits), as at every other place a password is set."""
        password = self.cleaned_data.get("password") or ""
        if password:
            names = {field: str(self.data.get(self.add_prefix(field), getattr(self.instance, field)) or "")
                     for field in ("username", "first_name", "last_name", "email")}
            validate_password(password, user=StaffUser(**names))
        return password

    def clean(self):
        data = super().clean()
        if not self.instance.pk and not data.get("password"):
            self.add_error("password", _("A new user needs an initial password."))
        return data
