"""Referrals: the form from the case page (with the consent check and a link to record a
missing consent), the inbox and the sent list, and the detail page with the answers."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.access.spine import AccessDenied
from lotse.cases.selectors import CaseNotFound, case_access
from lotse.core.vocabulary import DataCategory, Purpose
from lotse.offers.selectors import referable_offers
from lotse.organisations import permissions
from lotse.organisations.models import Agency
from lotse.referrals.selectors import inbox, outbox, referral_detail
from lotse.referrals.services import (
    ReferralNotFound,
    held_categories,
    referral_accept,
    referral_decline,
    referral_done,
    referral_preview,
    referral_send,
    referral_withdraw,
)
from lotse.web.forms import add_service_errors
from lotse.web.forms_referrals import DeclineForm, DoneForm, ReferralFilterForm, ReferralForm
from lotse.web.views.common import page_number


def _require(ctx, permission: str) -> None:
    if not ctx.has_permission(permission):
        raise Http404


def _draft_key(case_id: int) -> str:
    return f"referral-draft:{case_id}"



def _form_query(data: dict, categories: list[str]) -> str:
    """The form's choices as a query string: ids and codes only, never personal data."""
    pairs = []
    if data.get("to_agency"):
        pairs.append(("to", data["to_agency"].pk))
    if data.get("offer"):
        pairs.append(("offer", data["offer"].pk))
    if data.get("purpose"):
        pairs.append(("purpose", data["purpose"]))
    pairs += [("categories", c) for c in categories]
    return urlencode(pairs)


def _consent_link(request, case, preview, query: str) -> str:
    """The consent form, prefilled (from = own agency, to = recipient, the missing categories,
    the purpose), returning to this form afterwards."""
    back = reverse("web:referral-new", kwargs={"case_id": case.pk}) + (f"?{query}" if query else "")
    params = [("from", request.access.agency_id), ("to", preview.agency.pk), ("purpose", preview.purpose)]
    params += [("categories", c) for c in preview.coverage.missing]
    params.append(("next", back))
    return reverse("web:consent-create", kwargs={"person_id": case.person_id}) + "?" + urlencode(params)


def referral_new_view(request: HttpRequest, case_id: int) -> HttpResponse:
    ctx = request.access
    _require(ctx, permissions.REFERRAL_SEND)
    try:
        access = case_access(ctx, case_id, action="referral.form")
    except CaseNotFound as exc:
        raise Http404 from exc
    case = access.case
    if not access.is_own_agency:
        raise Http404
    if not case.is_open:
        messages.error(request, _("The case is closed."))
        return redirect("web:case-detail", case_id=case.pk)
    held = held_categories(ctx, case.person_id)
    options = {"agencies": Agency.objects.filter(district_id=ctx.district_id, is_active=True)
               .exclude(pk=ctx.agency_id),
               "offers": referable_offers(ctx), "held": held}
    draft_key = _draft_key(case.pk)
    if request.method == "POST":
        form = ReferralForm(request.POST, **options)
    elif request.GET.get("to") or request.GET.get("offer"):
        # Chosen before (e.g. back from the consent form): check the choices again at once.
        data = QueryDict(mutable=True)
        data.update({"to_agency": request.GET.get("to", ""), "offer": request.GET.get("offer", ""),
                     "purpose": request.GET.get("purpose", ""), "message": request.session.get(draft_key, "")})
        data.setlist("categories", [c for c in request.GET.getlist("categories") if c in held])
        form = ReferralForm(data, **options)
    else:
        form = ReferralForm(initial={"categories": [DataCategory.IDENTITY],
                                     "message": request.session.get(draft_key, "")}, **options)
    preview = None
    consent_link = ""
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        categories = [DataCategory.IDENTITY, *[c for c in data["categories"] if c != DataCategory.IDENTITY]]
        arguments = {
            "ctx": ctx, "person_id": case.person_id,
            "to_agency_id": data["to_agency"].pk if data["to_agency"] else None,
            "offer_id": data["offer"].pk if data["offer"] else None,
            "purpose": data["purpose"] or None, "categories": categories,
        }
        if request.method == "POST" and "send" in request.POST:
            try:
                referral = referral_send(**arguments, case_id=case.pk, message=data["message"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            except AccessDenied as exc:
                form.add_error(None, str(exc))
            else:
                request.session.pop(draft_key, None)
                messages.success(request, _("The referral was sent to %(agency)s.") % {
                    "agency": referral.to_agency.name})
                return redirect("web:case-detail", case_id=case.pk)
        try:
            preview = referral_preview(**arguments)
        except ValidationError as exc:
            if request.method != "POST" or "send" not in request.POST:
                add_service_errors(form, exc)
        except AccessDenied as exc:
            form.add_error(None, str(exc))
        if preview is not None and preview.coverage.missing:
            consent_link = _consent_link(request, case, preview, _form_query(data, categories))
        if request.method == "POST":
            request.session[draft_key] = data["message"]
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "web/referral_form.html", {
        "form": form, "case": case, "person": access.record.person, "preview": preview,
        "consent_link": consent_link, "purpose_label": Purpose(preview.purpose).label if preview else "",
        "covered": [(DataCategory(c).label, basis.explain()) for c, basis in preview.coverage.covered.items()]
        if preview else [],
        "missing": [DataCategory(c).label for c in preview.coverage.missing] if preview else [],
        "blocked": [DataCategory(c).label for c in preview.coverage.blocked] if preview else [],
    }, status=status)



def _list(request: HttpRequest, *, sent: bool) -> HttpResponse:
    ctx = request.access
    _require(ctx, permissions.REFERRAL_SEND if sent else permissions.REFERRAL_ANSWER)
    form = ReferralFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_bound and form.is_valid() else ""
    select = outbox if sent else inbox
    page = select(ctx, status=status or None, page=page_number(request))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "web/referral_list.html", {
        "form": form, "page": page, "sent": sent, "query": query.urlencode(),
        "can_send": ctx.has_permission(permissions.REFERRAL_SEND),
        "can_answer": ctx.has_permission(permissions.REFERRAL_ANSWER),
    })


def referral_inbox_view(request: HttpRequest) -> HttpResponse:
    return _list(request, sent=False)


def referral_outbox_view(request: HttpRequest) -> HttpResponse:
    return _list(request, sent=True)


def _detail_response(request, referral_id: int, *, decline_form=None, done_form=None, status=200) -> HttpResponse:
    try:
        detail = referral_detail(request.access, referral_id)
    except ReferralNotFound as exc:
        raise Http404 from exc
    return render(request, "web/referral_detail.html", {
        "detail": detail, "referral": detail.referral, "record": detail.record,
        "person": detail.record.person if detail.record else None,
        "decline_form": decline_form or DeclineForm(), "done_form": done_form or DoneForm(),
    }, status=status)


def referral_detail_view(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _detail_response(request, referral_id)


def _answer(request: HttpRequest, referral_id: int, call, success: str, form=None, form_name: str = ""):
    try:
        call()
    except ReferralNotFound as exc:
        raise Http404 from exc
    except ValidationError as exc:
        if form is not None:
            add_service_errors(form, exc)
            return _detail_response(request, referral_id, status=400, **{form_name: form})
        messages.error(request, " ".join(exc.messages))
    except AccessDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("web:referral-detail", referral_id=referral_id)


@require_POST
def referral_accept_view(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _answer(request, referral_id,
                   lambda: referral_accept(ctx=request.access, referral_id=referral_id),
                   _("The referral was accepted; your agency now holds a file on the person."))


@require_POST
def referral_decline_view(request: HttpRequest, referral_id: int) -> HttpResponse:
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _detail_response(request, referral_id, decline_form=form, status=400)
    return _answer(request, referral_id,
                   lambda: referral_decline(ctx=request.access, referral_id=referral_id,
                                            reason=form.cleaned_data["reason"]),
                   _("The referral was declined."), form=form, form_name="decline_form")


@require_POST
def referral_done_view(request: HttpRequest, referral_id: int) -> HttpResponse:
    form = DoneForm(request.POST)
    if not form.is_valid():
        return _detail_response(request, referral_id, done_form=form, status=400)
    return _answer(request, referral_id,
                   lambda: referral_done(ctx=request.access, referral_id=referral_id,
                                         feedback=form.cleaned_data["feedback"]),
                   _("The referral was marked as done."), form=form, form_name="done_form")


@require_POST
def referral_withdraw_view(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _answer(request, referral_id,
                   lambda: referral_withdraw(ctx=request.access, referral_id=referral_id),
                   _("The referral was withdrawn."))

