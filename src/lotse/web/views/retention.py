"""Retention for the data-protection officer: the record of processing activities (Art. 30
GDPR), a person's data export (Art. 15 GDPR) and legal holds. Persons are named by id in POST
bodies only, never in URLs."""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lotse.access.spine import PersonNotFound, refuse
from lotse.organisations import permissions
from lotse.retention.holds import active_holds, legal_hold_lift, legal_hold_set
from lotse.retention.processing_record import processing_record
from lotse.retention.subject_export import subject_export
from lotse.web.forms import MAX_ID, KernFormMixin, add_service_errors
from lotse.web.permission_checks import require_permission


class PersonIdForm(KernFormMixin, forms.Form):
    person_id = forms.IntegerField(label=gettext_lazy("Person id"), min_value=1, max_value=MAX_ID)


class HoldForm(PersonIdForm):
    reason = forms.CharField(label=gettext_lazy("Reason for the legal hold"), required=False,
                             max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    # given by the button pressed; without one (Enter in the form) a hold is set
    action = forms.ChoiceField(choices=[("set", gettext_lazy("Set a hold")),
                                        ("lift", gettext_lazy("Lift the hold"))],
                               widget=forms.HiddenInput, required=False)


def _page(request: HttpRequest, *, export_form=None, hold_form=None, status=200) -> HttpResponse:
    today = timezone.localdate()
    return render(request, "web/retention.html", {
        "activities": processing_record(today), "today": today,
        "export_form": export_form or PersonIdForm(prefix="export"),
        "hold_form": hold_form or HoldForm(prefix="hold"),
        "holds": active_holds(request.access),
    }, status=status)


def retention_view(request: HttpRequest) -> HttpResponse:
    require_permission(request, permissions.RETENTION_MANAGE)
    return _page(request)


def _bound_form(request: HttpRequest, form_class, prefix: str, refused_action: str, message: str):
    """The posted form, after the permission: without it the refusal is logged (with the
    person id when the form names one) and AccessDenied raised (403)."""
    ctx = request.access
    form = form_class(request.POST, prefix=prefix)
    if not ctx.has_permission(permissions.RETENTION_MANAGE):
        refuse(ctx, refused_action, person_id=form.cleaned_data["person_id"] if form.is_valid() else None,
               reason=f"permission:{permissions.RETENTION_MANAGE}", message=message)
    return form


UNKNOWN_PERSON = gettext_lazy("No person with this id is known in your district.")

@require_POST
def retention_export_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    form = _bound_form(request, PersonIdForm, "export", "person.subject_export.refused",
                       _("You may not export a person's data."))
    if not form.is_valid():
        return _page(request, export_form=form, status=400)
    person_id = form.cleaned_data["person_id"]
    try:
        data = subject_export(ctx, person_id)
    except PersonNotFound:
        form.add_error("person_id", UNKNOWN_PERSON)
        return _page(request, export_form=form, status=404)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="auskunft-{person_id}.json"'
    return response


@require_POST
def retention_hold_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    form = _bound_form(request, HoldForm, "hold", "retention.hold.refused",
                       _("You may not set or lift legal holds."))
    if not form.is_valid():
        return _page(request, hold_form=form, status=400)
    person_id = form.cleaned_data["person_id"]
    try:
        if form.cleaned_data["action"] == "lift":
            legal_hold_lift(ctx=ctx, person_id=person_id)
            messages.success(request, _("The legal hold was lifted."))
        else:
            legal_hold_set(ctx=ctx, person_id=person_id, reason=form.cleaned_data["reason"])
            messages.success(request, _("The legal hold was set: the retention sweep keeps "
                                        "all data of this person."))
    except PersonNotFound:
        form.add_error("person_id", UNKNOWN_PERSON)
        return _page(request, hold_form=form, status=404)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _page(request, hold_form=form, status=400)
    return redirect("web:retention")
