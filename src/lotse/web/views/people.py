"""Person search, registration with duplicate check, person page, residence entries, merge."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lotse.access.budget import charge
from lotse.access.overrides import access_override_grant
from lotse.access.spine import AccessDenied, PersonNotFound, access_person
from lotse.cases.selectors import cases_of_person
from lotse.consent.queries import consents_for_record
from lotse.core.request_budget import PERSON_SEARCH, OverBudget
from lotse.core.vocabulary import DataCategory, Purpose
from lotse.organisations import permissions
from lotse.organisations.models import Municipality
from lotse.people.selectors import SearchQuery, person_search
from lotse.people.services import (
    PersonData,
    benefits_regime_add,
    household_assign,
    person_create,
    person_link_agency,
    person_merge,
    residence_status_add,
)
from lotse.rules.models import ResidenceKind
from lotse.rules.selectors import responsible_agency_kinds
from lotse.web.forms import (
    BenefitsRegimeForm,
    FileForm,
    HouseholdForm,
    OverrideForm,
    PersonForm,
    PersonSearchForm,
    ResidenceStatusForm,
)
from lotse.web.views.common import form_error_text, write_and_report

DUPLICATE_THRESHOLD = 80.0


def person_search_view(request: HttpRequest) -> HttpResponse:
    """The search is sent by POST: names, dates of birth and AZR numbers stay out of URLs, and so
    out of browser histories and the access logs of proxies and servers (ASVS 14.2.1)."""
    searching = request.method == "POST"
    form = PersonSearchForm(request.POST if searching else None, ctx=request.access)
    hits, over_budget = None, None
    purpose = request.access.work_purpose()
    if searching and form.is_valid():
        try:
            charge(request.access, PERSON_SEARCH)
        except OverBudget as exc:
            over_budget = exc
            form.add_error(None, ngettext(
                "You have searched very often in a short time. Please wait %(minutes)d minute and search again.",
                "You have searched very often in a short time. Please wait %(minutes)d minutes and search again.",
                exc.retry_after_minutes) % {"minutes": exc.retry_after_minutes})
        else:
            purpose = request.access.work_purpose(form.cleaned_data.get("purpose"))
            query = SearchQuery(
                name=form.cleaned_data["name"], birth=form.cleaned_data["birth"],
                azr_number=form.cleaned_data["azr_number"], file_number=form.cleaned_data["file_number"],
            )
            hits = person_search(request.access, query, purpose=purpose, threshold=55.0)
    response = render(request, "web/person_search.html", {"form": form, "hits": hits, "purpose": purpose},
                      status=429 if over_budget else 200)
    if over_budget:
        response["Retry-After"] = str(over_budget.retry_after)
    return response


def _person_data(cleaned) -> PersonData:
    birth = cleaned.get("birth")
    languages = [c.strip() for c in (cleaned.get("languages") or "").split(",") if c.strip()]
    return PersonData(
        given_names=cleaned["given_names"].strip(), family_name=cleaned["family_name"].strip(),
        given_names_original=cleaned["given_names_original"].strip(),
        family_name_original=cleaned["family_name_original"].strip(),
        birth_year=birth.year if birth else None, birth_month=birth.month if birth else None,
        birth_day=birth.day if birth else None, sex=cleaned["sex"],
        nationalities=[cleaned["nationality"]] if cleaned.get("nationality") else [],
        languages=languages, preferred_language=languages[0] if languages else "",
        interpreter_needed=bool(cleaned.get("interpreter_needed")) and bool(languages),
        azr_number=cleaned.get("azr_number") or "", street=cleaned["street"],
        postal_code=cleaned.get("postal_code") or "", city=cleaned["city"],
        municipality_id=cleaned["municipality"].pk if cleaned.get("municipality") else None,
        phone=cleaned["phone"], email=cleaned["email"],
        arrival_germany=cleaned.get("arrival_germany"),
        arrival_district=cleaned.get("arrival_district"),
    )


def person_create_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    if not ctx.has_permission(permissions.PERSON_CREATE):
        raise Http404
    municipalities = Municipality.objects.filter(district_id=ctx.district_id)
    form = PersonForm(request.POST or None, municipalities=municipalities)
    duplicates = None
    if request.method == "POST" and form.is_valid():
        data = _person_data(form.cleaned_data)
        duplicates = person_search(
            ctx, SearchQuery(name=f"{data.given_names} {data.family_name}",
                             birth=form.cleaned_data["birth"]),
            purpose=Purpose.REGISTRY, threshold=DUPLICATE_THRESHOLD, limit=10,
        )
        if not duplicates or form.cleaned_data["confirm_new"]:
            try:
                person = person_create(ctx=ctx, data=data, file_number=form.cleaned_data["file_number"])
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The person was registered."))
                return redirect("web:person-detail", person_id=person.pk)
    return render(request, "web/person_form.html", {"form": form, "duplicates": duplicates})


def person_detail_view(request: HttpRequest, person_id: int) -> HttpResponse:
    ctx = request.access
    purpose = ctx.work_purpose(request.GET.get("purpose"))
    try:
        record = access_person(ctx, person_id, purpose)
    except PersonNotFound as exc:
        raise Http404 from exc
    hidden = list(dict.fromkeys(
        (DataCategory(category).label, denial.explain(category))
        for category, decision in record.decisions.items()
        for denial in decision.denied
        if denial.reason not in ("no_data",)
    ))
    reasons = [
        (DataCategory(category).label, basis.explain())
        for category, decision in record.decisions.items()
        for basis in dict.fromkeys(decision.allowed.values())
    ]
    return render(request, "web/person_detail.html", {
        "record": record, "person": record.person, "hidden": hidden, "reasons": reasons,
        "purpose": purpose, "purposes": [(v, label) for v, label in Purpose.choices
                                         if v in ctx.purposes],
        "consents": consents_for_record(ctx, record),
        "cases": cases_of_person(ctx, record),
        "can_open_case": ctx.has_permission(permissions.CASE_MANAGE) and getattr(
            record.decisions[DataCategory.IDENTITY].allowed.get(ctx.agency_id), "kind", "") == "own_agency",
        "can_record_consent": ctx.has_permission(permissions.CONSENT_RECORD),
        "can_revoke": ctx.has_permission(permissions.CONSENT_REVOKE),
        "can_edit": ctx.has_permission(permissions.PERSON_EDIT),
        "can_merge": ctx.has_permission(permissions.PERSON_MERGE),
        "can_export_access": ctx.has_permission(permissions.AUDIT_SUBJECT_EXPORT),
        "can_override": ctx.has_permission(permissions.ACCESS_OVERRIDE),
        "can_open_file": ctx.has_permission(permissions.PERSON_EDIT) and getattr(
            record.decisions[DataCategory.IDENTITY].allowed.get(ctx.agency_id), "kind", "") != "own_agency",
        "residence_form": ResidenceStatusForm(kinds=ResidenceKind.objects.in_force(ctx.today))
        if ctx.has_permission(permissions.PERSON_EDIT) and ctx.agency_kind in
        responsible_agency_kinds(subject="residence", on=ctx.today) else None,
        "benefits_form": BenefitsRegimeForm() if ctx.has_permission(permissions.PERSON_EDIT)
        and DataCategory.BENEFITS in ctx.categories else None,
        "household_form": HouseholdForm() if ctx.has_permission(permissions.PERSON_EDIT)
        and DataCategory.HOUSEHOLD in ctx.categories else None,
    })


@require_POST
def residence_add_view(request: HttpRequest, person_id: int) -> HttpResponse:
    ctx = request.access
    return _post_write(
        request, person_id,
        ResidenceStatusForm(request.POST, kinds=ResidenceKind.objects.in_force(ctx.today)),
        lambda data: residence_status_add(
            ctx=ctx, person_id=person_id, kind_id=data["kind"].pk, document=data["document"],
            valid_from=data["valid_from"], valid_to=data["valid_to"]),
        _("The residence status was recorded."))


def _post_write(request, person_id: int, form, write, success: str) -> HttpResponse:
    """Run a write from a small form on the person page; errors come back as a message."""
    if not form.is_valid():
        messages.error(request, _("Not saved: %(errors)s") % {"errors": form_error_text(form)})
    else:
        write_and_report(request, lambda: write(form.cleaned_data), success)
    return redirect("web:person-detail", person_id=person_id)


@require_POST
def open_file_view(request: HttpRequest, person_id: int) -> HttpResponse:
    return _post_write(
        request, person_id, FileForm(request.POST),
        lambda data: person_link_agency(ctx=request.access, person_id=person_id,
                                        file_number=data["file_number"]),
        _("Your agency now holds a file on this person."))


@require_POST
def benefits_add_view(request: HttpRequest, person_id: int) -> HttpResponse:
    return _post_write(
        request, person_id, BenefitsRegimeForm(request.POST),
        lambda data: benefits_regime_add(ctx=request.access, person_id=person_id,
                                         regime=data["regime"], valid_from=data["valid_from"],
                                         valid_to=data["valid_to"]),
        _("The benefits regime was recorded."))


@require_POST
def household_view(request: HttpRequest, person_id: int) -> HttpResponse:
    return _post_write(
        request, person_id, HouseholdForm(request.POST),
        lambda data: household_assign(ctx=request.access, person_id=person_id, role=data["role"],
                                      with_person_id=data["with_person"]),
        _("The household was saved."))


def person_merge_view(request: HttpRequest, person_id: int) -> HttpResponse:
    """Show likely duplicates of a person and merge one of them into this record."""
    ctx = request.access
    if not ctx.has_permission(permissions.PERSON_MERGE):
        raise Http404
    try:
        record = access_person(ctx, person_id, Purpose.REGISTRY, categories=[DataCategory.IDENTITY],
                               action="person.merge_view")
    except PersonNotFound as exc:
        raise Http404 from exc
    person = record.person
    if request.method == "POST":
        try:
            other_id = int(request.POST.get("merge_id", ""))
            person_merge(ctx=ctx, keep_id=person_id, merge_id=other_id)
        except (ValueError, ValidationError):
            messages.error(request, _("Choose a record to merge."))
        except PersonNotFound as exc:
            raise Http404 from exc
        else:
            messages.success(request, _("The records were merged; the history of both is kept."))
            return redirect("web:person-detail", person_id=person_id)
    candidates = person_search(
        ctx, SearchQuery(name=f"{person.given_names} {person.family_name}"),
        purpose=Purpose.REGISTRY, threshold=DUPLICATE_THRESHOLD, exclude_ids=(person_id,),
    )
    return render(request, "web/person_merge.html", {"person": person, "candidates": candidates})




def override_view(request: HttpRequest, person_id: int) -> HttpResponse:
    """Emergency access: own permission, written reason, limited time; enforced by the service."""
    ctx = request.access
    if not ctx.has_permission(permissions.ACCESS_OVERRIDE):
        raise Http404
    purpose = ctx.work_purpose(request.GET.get("purpose") or request.POST.get("purpose"))
    form = OverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            access_override_grant(ctx=ctx, person_id=person_id, purpose=purpose,
                                  categories=form.cleaned_data["categories"],
                                  reason=form.cleaned_data["reason"], hours=form.cleaned_data["hours"])
        except AccessDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.warning(request, _("Emergency access granted and logged."))
            return redirect(f"{reverse('web:person-detail', args=[person_id])}?purpose={purpose}")
    return render(request, "web/override_form.html", {"form": form, "purpose": purpose,
                                                        "person_id": person_id})
