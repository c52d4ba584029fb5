"""Changes of benefits regime (Rechtskreiswechsel): the list of the office's open handovers
sorted by risk, the handover page with its checklist, completing and cancelling, and the
coordinators' overview (aggregates only)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.access.spine import AccessDenied
from lotse.core.vocabulary import DataCategory, Purpose
from lotse.handovers.selectors import (
    OverviewNotAllowed,
    Period,
    handover_detail,
    handover_overview,
    item_ref,
    open_handovers,
)
from lotse.handovers.services import (
    HandoverNotFound,
    checklist_item_update,
    handover_cancel,
    handover_complete,
    handover_record_new_regime,
)
from lotse.organisations import permissions
from lotse.web.forms_handovers import CancelForm, ItemForm, OverviewForm
from lotse.web.views.common import page_number, write_and_report

# What the paying office asks the person to consent to for the next office: the data a
# social office or job centre holds (residence data is the foreigners' authority's).
CONSENT_CATEGORIES = (DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.BENEFITS,
                      DataCategory.HOUSEHOLD)


def _require(ctx, permission: str) -> None:
    if not ctx.has_permission(permission):
        raise Http404



def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def handover_list_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    _require(ctx, permissions.HANDOVER_WORK)
    return render(request, "web/handover_list.html", {
        "page": open_handovers(ctx, page=page_number(request)),
        "can_overview": ctx.has_permission(permissions.HANDOVER_OVERVIEW),
    })


def _consent_link(detail) -> str:
    """The consent form, prefilled: from the paying office to the next one, for the handover."""
    handover = detail.handover
    back = reverse("web:handover-detail", kwargs={"handover_id": handover.pk})
    params = [("from", handover.from_agency_id), ("to", handover.to_agency_id),
              ("purpose", Purpose.BENEFITS_HANDOVER), *[("categories", c) for c in CONSENT_CATEGORIES],
              ("next", back)]
    return (reverse("web:consent-create", kwargs={"person_id": handover.person_id}) + "?"
            + urlencode(params))


def _detail_response(request, handover_id: int, *, item_forms=None, cancel_form=None,
                     status: int = 200) -> HttpResponse:
    ctx = request.access
    try:
        detail = handover_detail(ctx, handover_id)
    except HandoverNotFound as exc:
        raise Http404 from exc
    forms = {row.item.pk: ItemForm(prefix=f"item-{row.item.pk}", records_date=row.records_date,
                                   initial={"value_date": row.item.value_date, "note": row.item.note})
             for row in detail.items if row.may_tick}
    forms.update(item_forms or {})
    rows = [(row, forms.get(row.item.pk)) for row in detail.items]
    return render(request, "web/handover_detail.html", {
        "detail": detail, "handover": detail.handover, "person": detail.record.person, "rows": rows,
        "cancel_form": cancel_form or CancelForm(),
        "consent_link": _consent_link(detail) if (
            detail.is_paying_office and detail.is_open and ctx.has_permission(permissions.CONSENT_RECORD)) else "",
        "today": ctx.today,
    }, status=status)


def handover_detail_view(request: HttpRequest, handover_id: int) -> HttpResponse:
    _require(request.access, permissions.HANDOVER_WORK)
    return _detail_response(request, handover_id)


@require_POST
def handover_item_view(request: HttpRequest, item_id: int) -> HttpResponse:
    ctx = request.access
    _require(ctx, permissions.HANDOVER_WORK)
    try:
        ref = item_ref(ctx, item_id)
    except HandoverNotFound as exc:
        raise Http404 from exc
    handover_id = ref.handover_id
    form = ItemForm(request.POST, prefix=f"item-{item_id}", records_date=ref.records_date)
    if form.is_valid():
        try:
            item = checklist_item_update(ctx=ctx, item_id=item_id, done=form.is_done,
                                         value_date=form.cleaned_data["value_date"],
                                         note=form.cleaned_data["note"])
        except HandoverNotFound as exc:
            raise Http404 from exc
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except AccessDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The item was ticked off.") if item.done_on else _("The item was reopened."))
            return redirect(reverse("web:handover-detail", kwargs={"handover_id": handover_id}) + f"#item-{item_id}")
    return _detail_response(request, handover_id, item_forms={item_id: form}, status=400)


@require_POST
def handover_complete_view(request: HttpRequest, handover_id: int) -> HttpResponse:
    ctx = request.access
    _require(ctx, permissions.HANDOVER_WORK)
    done = write_and_report(request, lambda: handover_complete(ctx=ctx, handover_id=handover_id),
                            _("The handover was completed."), not_found=(HandoverNotFound,))
    # A closed handover leaves the list; the other office's view of the person ends with it.
    return redirect("web:handovers") if done else redirect("web:handover-detail", handover_id=handover_id)


@require_POST
def handover_cancel_view(request: HttpRequest, handover_id: int) -> HttpResponse:
    ctx = request.access
    _require(ctx, permissions.HANDOVER_WORK)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            handover_cancel(ctx=ctx, handover_id=handover_id, reason=form.cleaned_data["reason"])
        except HandoverNotFound as exc:
            raise Http404 from exc
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except AccessDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The handover was cancelled."))
            return redirect("web:handovers")
    return _detail_response(request, handover_id, cancel_form=form, status=400)


@require_POST
def handover_regime_view(request: HttpRequest, handover_id: int) -> HttpResponse:
    ctx = request.access
    _require(ctx, permissions.HANDOVER_WORK)
    write_and_report(request, lambda: handover_record_new_regime(ctx=ctx, handover_id=handover_id),
                     _("The new benefits regime was recorded for the household."),
                     not_found=(HandoverNotFound,))
    return redirect("web:handover-detail", handover_id=handover_id)


def handover_overview_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    _require(ctx, permissions.HANDOVER_OVERVIEW)
    form = OverviewForm(request.GET or None, today=ctx.today)
    overview = None
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        data = form.cleaned_data if form.is_bound else {"start": form.default_start, "end": form.default_end}
        try:
            overview = handover_overview(ctx, Period(data["start"], data["end"]))
        except OverviewNotAllowed as exc:
            raise Http404 from exc
    return render(request, "web/handover_overview.html", {"form": form, "overview": overview}, status=status)

