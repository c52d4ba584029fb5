"""Content management of the newcomers' guide in the staff UI: office profiles, welcome
counsellors, guide texts, translations and translators' languages.

Coordinators (`guide:manage`) use every page; translators (`guide:translate`) see the overview
and the translations, in their languages only. Everybody else, and every entry of another
district, gets 404. Offers are edited in the offers directory, first steps in the rules area;
their translations are made here."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.access.context import AccessContext
from lotse.access.spine import AccessDenied
from lotse.guide import entries as guide_entries
from lotse.guide.entries import (
    FIELD_LABELS,
    KIND_LABELS,
    NEEDS_WORK,
    STATES,
    entry_for_key,
    entry_kind,
    entry_name,
    translation_counts,
    translation_languages,
    translation_states,
    translation_work,
    translators_of,
)
from lotse.guide.languages import TRANSLATED_LANGUAGES, direction
from lotse.guide.models import GuideText, OfficeProfile, Translation, WelcomeCounsellor
from lotse.guide.selectors import review_overdue
from lotse.guide.services import (
    CONTACT_FIELDS,
    CounsellorData,
    GuideTextData,
    OfficeProfileData,
    counsellor_create,
    counsellor_deactivate,
    counsellor_update,
    guide_text_create,
    guide_text_update,
    office_profile_save,
    translations_save,
    translator_languages_set,
)
from lotse.guide.translation import translation_overview
from lotse.offers.models import Offer
from lotse.organisations import permissions
from lotse.organisations.models import Agency, AgencyKind, District, Municipality, StaffUser
from lotse.rules.models import FirstStep
from lotse.web.forms_guide import (
    CounsellorForm,
    GuideTextForm,
    OfficeProfileForm,
    TranslationFilterForm,
    TranslationForm,
    TranslatorLanguagesForm,
    language_label,
)
from lotse.web.views.common import page_number, write_and_report

WORK_PAGE_SIZE = 50


def _require(request: HttpRequest, *, translate: bool = False) -> AccessContext:
    """404 for users without `guide:manage` (or, where `translate`, `guide:translate`)."""
    ctx = request.access
    allowed = ctx.has_permission(permissions.GUIDE_MANAGE) or (
        translate and ctx.has_permission(permissions.GUIDE_TRANSLATE))
    if not allowed or ctx.district_id is None:
        raise Http404
    return ctx


def _district(ctx: AccessContext) -> District:
    return District.objects.get(pk=ctx.district_id)


def _add_errors(form, exc: Exception, fields: dict[str, str] | None = None) -> None:
    """Show a refusal or a service's ValidationError on the form (field errors at the field)."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            target = (fields or {}).get(name, name)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, getattr(exc, "messages", None) or str(exc))


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    """Render a page of the area; `can_manage` decides the links of its navigation."""
    context.setdefault("can_manage", request.access.has_permission(permissions.GUIDE_MANAGE))
    return render(request, f"web/guide_manage_{template}.html", context, status=status)


def _status(request: HttpRequest, form) -> int:
    return 400 if request.method == "POST" and form.errors else 200


def edit_url(entry, ctx: AccessContext) -> str:
    """Where the user edits the German content of an entry ("" where they may not): offers in
    the offers directory, first steps in the rules area."""
    if isinstance(entry, Offer):
        return reverse("web:offer-edit", args=[entry.pk]) if ctx.has_permission(permissions.OFFERS_MANAGE) else ""
    if isinstance(entry, FirstStep):
        allowed = ctx.has_permission(permissions.RULES_MANAGE)
        return reverse("web:admin-rule-edit", args=["first-steps", entry.pk]) if allowed else ""
    if not ctx.has_permission(permissions.GUIDE_MANAGE):
        return ""
    if isinstance(entry, OfficeProfile):
        return reverse("web:guide-office-edit", args=[entry.agency_id])
    if isinstance(entry, WelcomeCounsellor):
        return reverse("web:guide-counsellor-edit", args=[entry.pk])
    return reverse("web:guide-text-edit", args=[entry.pk])


def _entry_row(entry, ctx: AccessContext) -> dict:
    return {"entry": entry, "kind": KIND_LABELS[entry_kind(entry)], "name": entry_name(entry),
            "key": entry.translation_key, "edit_url": edit_url(entry, ctx)}


# --- overview ------------------------------------------------------------------------------------

def overview_view(request: HttpRequest) -> HttpResponse:
    ctx = _require(request, translate=True)
    district = _district(ctx)
    languages = translation_languages(ctx)
    counts = translation_counts(translation_states(district, languages=languages, on=ctx.today))
    can_manage = ctx.has_permission(permissions.GUIDE_MANAGE)
    context = {
        "languages": [(code, language_label(code), counts.get(code, {})) for code in languages],
        "states": STATES,
    }
    if can_manage:
        context.update(
            agencies=Agency.objects.filter(district=district, is_active=True).count(),
            profiles=OfficeProfile.objects.filter(agency__district=district, agency__is_active=True).count(),
            counsellors=WelcomeCounsellor.objects.filter(district=district, active=True).count(),
            offers=Offer.objects.filter(district=district, active=True, public=True).count(),
            texts=GuideText.objects.filter(district=district).count(),
            overdue=[_entry_row(entry, ctx) for entry in review_overdue(district, today=ctx.today)],
        )
    return _page(request, "home", context)


# --- office profiles -------------------------------------------------------------------------------

def office_list_view(request: HttpRequest) -> HttpResponse:
    ctx = _require(request)
    agencies = (Agency.objects.filter(district_id=ctx.district_id).select_related("guide_profile", "municipality")
                .order_by("-is_active", "kind", "name"))
    rows = [{"agency": agency, "profile": getattr(agency, "guide_profile", None)} for agency in agencies]
    return _page(request, "offices", {"rows": rows})


def office_edit_view(request: HttpRequest, agency_id: int) -> HttpResponse:
    ctx = _require(request)
    agency = Agency.objects.filter(pk=agency_id, district_id=ctx.district_id).first()
    if agency is None:
        raise Http404
    profile = OfficeProfile.objects.filter(agency=agency).first()
    initial = {"public": True, **{name: getattr(agency, name) for name in CONTACT_FIELDS}}
    if profile is not None:
        initial |= {"public": profile.public, "description": profile.description,
                   "opening_hours": profile.opening_hours, "website": profile.website,
                   "languages": profile.languages, "review_due": profile.review_due}
    form = OfficeProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            office_profile_save(ctx=ctx, agency_id=agency.pk, data=OfficeProfileData(**form.cleaned_data))
        except (ValidationError, AccessDenied) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The guide profile of '%(name)s' was saved.") % {"name": agency.name})
            return redirect("web:guide-offices")
    return _page(request, "office_form", {"form": form, "agency": agency, "profile": profile},
                  status=_status(request, form))


# --- welcome counsellors ----------------------------------------------------------------------------

def counsellor_list_view(request: HttpRequest) -> HttpResponse:
    ctx = _require(request)
    counsellors = (WelcomeCounsellor.objects.filter(district_id=ctx.district_id).select_related("agency")
                   .prefetch_related("municipalities").order_by("-active", "name"))
    return _page(request, "counsellors", {"counsellors": counsellors})


def counsellor_edit_view(request: HttpRequest, counsellor_id: int | None = None) -> HttpResponse:
    ctx = _require(request)
    counsellor = None
    initial: dict = {"active": True}
    if counsellor_id is not None:
        counsellor = WelcomeCounsellor.objects.filter(pk=counsellor_id, district_id=ctx.district_id).first()
        if counsellor is None:
            raise Http404
        initial = {"name": counsellor.name, "agency": counsellor.agency_id,
                   "municipalities": [m.pk for m in counsellor.municipalities.all()],
                   "address": counsellor.address, "phone": counsellor.phone, "email": counsellor.email,
                   "office_hours": counsellor.office_hours, "languages": counsellor.languages,
                   "active": counsellor.active, "review_due": counsellor.review_due}
    form = CounsellorForm(
        request.POST or None, initial=initial,
        agencies=Agency.objects.filter(district_id=ctx.district_id, kind=AgencyKind.WELFARE_ASSOCIATION,
                                       is_active=True).order_by("name"),
        municipalities=Municipality.objects.filter(district_id=ctx.district_id).order_by("name"))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        values = CounsellorData(agency_id=data.pop("agency").pk,
                                municipality_ids=[m.pk for m in data.pop("municipalities")], **data)
        try:
            if counsellor is None:
                saved = counsellor_create(ctx=ctx, data=values)
            else:
                saved = counsellor_update(ctx=ctx, counsellor_id=counsellor.pk, data=values)
        except (ValidationError, AccessDenied) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The welcome counsellor '%(name)s' was saved.") % {"name": saved.name})
            return redirect("web:guide-counsellors")
    return _page(request, "counsellor_form", {"form": form, "counsellor": counsellor},
                  status=_status(request, form))


@require_POST
def counsellor_deactivate_view(request: HttpRequest, counsellor_id: int) -> HttpResponse:
    ctx = _require(request)
    write_and_report(request, lambda: counsellor_deactivate(ctx=ctx, counsellor_id=counsellor_id),
                     _("The welcome counsellor is no longer shown in the guide."))
    return redirect("web:guide-counsellors")


# --- guide texts -----------------------------------------------------------------------------------

def text_list_view(request: HttpRequest) -> HttpResponse:
    ctx = _require(request)
    texts = GuideText.objects.filter(district_id=ctx.district_id).order_by("order", "slug")
    return _page(request, "texts", {"texts": texts})


def text_edit_view(request: HttpRequest, text_id: int | None = None) -> HttpResponse:
    ctx = _require(request)
    text = None
    initial: dict = {"public": True, "order": 0}
    if text_id is not None:
        text = GuideText.objects.filter(pk=text_id, district_id=ctx.district_id).first()
        if text is None:
            raise Http404
        initial = {name: getattr(text, name) for name in GuideTextForm.base_fields}
    form = GuideTextForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = GuideTextData(**form.cleaned_data)
        try:
            if text is None:
                saved = guide_text_create(ctx=ctx, data=values)
            else:
                saved = guide_text_update(ctx=ctx, text_id=text.pk, data=values)
        except (ValidationError, AccessDenied) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The guide text '%(title)s' was saved.") % {"title": saved.title})
            return redirect("web:guide-texts")
    return _page(request, "text_form", {"form": form, "text": text},
                  status=_status(request, form))


# --- translations ----------------------------------------------------------------------------------

def _entry(ctx: AccessContext, key: str):
    entry = entry_for_key(_district(ctx), key, on=ctx.today)
    if entry is None:
        raise Http404
    return entry


def entry_translations_view(request: HttpRequest, key: str) -> HttpResponse:
    """One entry: its German source and, per language, the state of each field."""
    ctx = _require(request, translate=True)
    entry = _entry(ctx, key)
    languages = translation_languages(ctx)
    overview = translation_overview(entry, languages)
    fields = guide_entries.translatable_fields(entry)
    sources = entry.translatable()
    return _page(request, "entry", {
        "row": _entry_row(entry, ctx),
        "fields": [(name, FIELD_LABELS.get(name, name), sources[name]) for name in fields],
        "languages": [(code, language_label(code), [overview[code][name] for name in fields])
                      for code in languages],
    })


def translation_edit_view(request: HttpRequest, key: str, language: str) -> HttpResponse:
    """The translation of one entry into one language: the German source beside each text."""
    ctx = _require(request, translate=True)
    if language not in TRANSLATED_LANGUAGES or language not in translation_languages(ctx):
        raise Http404
    entry = _entry(ctx, key)
    fields = guide_entries.translatable_fields(entry)
    sources = {name: entry.translatable()[name] for name in fields}
    states = translation_overview(entry, [language])[language]
    rows = {row.field: row for row in Translation.objects.filter(key=key, language=language, field__in=fields)}
    form = TranslationForm(request.POST or None, sources=sources, labels=FIELD_LABELS, language=language,
                           rows=rows, states=states)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, _("Nothing was changed."))
            return redirect("web:guide-entry-translations", key=key)
        try:
            translations_save(ctx=ctx, key=key, language=language, texts=changes)
        except (ValidationError, AccessDenied) as exc:
            _add_errors(form, exc, {name: f"text_{name}" for name in sources})
        else:
            messages.success(request, _("The translation into %(language)s was saved.") % {
                "language": language_label(language)})
            return redirect("web:guide-entry-translations", key=key)
    return _page(request, "translation_form", {
        "row": _entry_row(entry, ctx), "form": form, "language": language, "language_label": language_label(language),
        "direction": direction(language),
        "fields": [(name, FIELD_LABELS.get(name, name), sources[name], states.get(name), form.fields_of(name))
                   for name in fields],
    }, status=_status(request, form))


def translation_work_view(request: HttpRequest) -> HttpResponse:
    """Translations needing work (missing, outdated, machine drafts), by language and state."""
    ctx = _require(request, translate=True)
    languages = translation_languages(ctx)
    form = TranslationFilterForm(request.GET or None, languages=languages)
    chosen, states = languages, NEEDS_WORK
    if form.is_bound and form.is_valid():
        chosen = [form.cleaned_data["language"]] if form.cleaned_data["language"] else languages
        states = (form.cleaned_data["state"],) if form.cleaned_data["state"] else NEEDS_WORK
    elif form.is_bound:
        chosen = []
    rows = translation_work(_district(ctx), languages=chosen, states=states, on=ctx.today)
    page = Paginator(rows, WORK_PAGE_SIZE).get_page(page_number(request))
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    return _page(request, "work", {
        "form": form, "page": page, "total": len(rows), "query": f"{query}&" if query else "",
        "rows": [{"entry": _entry_row(row.entry, ctx), "language": row.language,
                  "language_label": language_label(row.language),
                  "states": [(FIELD_LABELS.get(name, name), state) for name, state in row.states.items()]}
                 for row in page.object_list],
        "has_languages": bool(languages),
    }, status=400 if form.is_bound and form.errors else 200)


# --- translators -----------------------------------------------------------------------------------

def translator_list_view(request: HttpRequest) -> HttpResponse:
    ctx = _require(request)
    rows = [(user, [language_label(code) for code in codes]) for user, codes in translators_of(ctx.district_id)]
    return _page(request, "translators", {"rows": rows})


def translator_edit_view(request: HttpRequest, user_id: int) -> HttpResponse:
    ctx = _require(request)
    person = StaffUser.objects.filter(pk=user_id, agency__district_id=ctx.district_id).first()
    if person is None:
        raise Http404
    current = getattr(getattr(person, "translator_languages", None), "languages", [])
    form = TranslatorLanguagesForm(request.POST or None, initial={"languages": current})
    if request.method == "POST" and form.is_valid():
        try:
            translator_languages_set(ctx=ctx, user_id=person.pk, languages=form.cleaned_data["languages"])
        except (ValidationError, AccessDenied) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The languages of %(user)s were saved.") % {"user": person})
            return redirect("web:guide-translators")
    return _page(request, "translator_form", {"form": form, "staff_user": person},
                  status=_status(request, form))
