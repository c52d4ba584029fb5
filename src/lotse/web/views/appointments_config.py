"""The foreigners' authority's appointment configuration: offices with opening hours,
counters and closures; interpreters with their weekly hours; appointment lengths per service;
travel times from the municipalities to the offices. Organisational data, no person."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lotse.appointments.models import Interpreter, Office, ServiceLength, TravelTime
from lotse.appointments.selectors import appointments_available
from lotse.appointments.slots import authority_agencies, service_minutes
from lotse.organisations import permissions
from lotse.organisations.models import Agency, Municipality
from lotse.web.forms_appointments import (
    ClosureFormSet,
    InterpreterForm,
    InterpreterShiftFormSet,
    OfficeForm,
    OpeningPeriodFormSet,
    ServiceLengthsForm,
    TravelTimesForm,
)


def _require(ctx) -> None:
    if not (appointments_available(ctx) and ctx.has_permission(permissions.APPOINTMENTS_MANAGE)):
        raise Http404


def _family_ids(ctx) -> list[int]:
    return [a.pk for a in authority_agencies(Agency.objects.get(pk=ctx.agency_id))]


def offices_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    _require(ctx)
    lengths = ServiceLengthsForm(request.POST or None, initial_minutes=service_minutes(ctx.district_id))
    if request.method == "POST":
        if lengths.is_valid():
            with transaction.atomic():
                for service, minutes in lengths.cleaned_data.items():
                    ServiceLength.objects.update_or_create(district_id=ctx.district_id, service=service,
                                                           defaults={"minutes": minutes})
            messages.success(request, _("The appointment lengths were saved."))
            return redirect("web:appointments-offices")
    return render(request, "web/appointments_offices.html", {
        "offices": Office.objects.filter(agency_id__in=_family_ids(ctx)).select_related("municipality")
        .prefetch_related("opening_periods"),
        "interpreters": Interpreter.objects.filter(district_id=ctx.district_id).prefetch_related("shifts"),
        "lengths": lengths,
    }, status=400 if request.method == "POST" else 200)


def office_edit_view(request: HttpRequest, office_id: int | None = None) -> HttpResponse:
    ctx = request.access
    _require(ctx)
    office = None
    if office_id is not None:
        office = Office.objects.filter(pk=office_id, agency_id__in=_family_ids(ctx)).first()
        if office is None:
            raise Http404
    data = request.POST or None
    form = OfficeForm(data, instance=office, district_id=ctx.district_id)
    periods = OpeningPeriodFormSet(data, instance=office or Office(), prefix="periods")
    closures = ClosureFormSet(data, instance=office or Office(), prefix="closures")
    if request.method == "POST":
        if form.is_valid() and periods.is_valid() and closures.is_valid():
            with transaction.atomic():
                saved = form.save(commit=False)
                if saved.agency_id is None:
                    saved.agency = Agency.objects.get(pk=ctx.agency_id)
                saved.save()
                periods.instance = saved
                closures.instance = saved
                periods.save()
                closures.save()
            messages.success(request, _("The office was saved."))
            return redirect("web:appointments-office-edit", office_id=saved.pk)
    return render(request, "web/appointments_office_form.html", {
        "form": form, "periods": periods, "closures": closures, "office": office,
    }, status=400 if request.method == "POST" else 200)


def interpreter_edit_view(request: HttpRequest, interpreter_id: int | None = None) -> HttpResponse:
    ctx = request.access
    _require(ctx)
    interpreter = None
    if interpreter_id is not None:
        interpreter = Interpreter.objects.filter(pk=interpreter_id, district_id=ctx.district_id).first()
        if interpreter is None:
            raise Http404
    data = request.POST or None
    form = InterpreterForm(data, instance=interpreter)
    shifts = InterpreterShiftFormSet(data, instance=interpreter or Interpreter(), prefix="shifts",
                                     form_kwargs={"agency_ids": _family_ids(ctx)})
    if request.method == "POST":
        if form.is_valid() and shifts.is_valid():
            with transaction.atomic():
                saved = form.save(commit=False)
                saved.district_id = ctx.district_id
                saved.save()
                shifts.instance = saved
                shifts.save()
            messages.success(request, _("The interpreter was saved."))
            return redirect("web:appointments-interpreter-edit", interpreter_id=saved.pk)
    return render(request, "web/appointments_interpreter_form.html", {
        "form": form, "shifts": shifts, "interpreter": interpreter,
    }, status=400 if request.method == "POST" else 200)


def travel_times_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    _require(ctx)
    offices = list(Office.objects.filter(agency_id__in=_family_ids(ctx), is_active=True))
    municipalities = list(Municipality.objects.filter(district_id=ctx.district_id).order_by("name"))
    initial = {(t.municipality_id, t.office_id): t.minutes for t in TravelTime.objects.filter(office__in=offices)}
    form = TravelTimesForm(request.POST or None, municipalities=municipalities, offices=offices,
                           initial_minutes=initial)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                for (municipality_id, office_id), minutes in form.minutes().items():
                    if minutes is None:
                        TravelTime.objects.filter(municipality_id=municipality_id, office_id=office_id).delete()
                    else:
                        TravelTime.objects.update_or_create(municipality_id=municipality_id, office_id=office_id,
                                                            defaults={"minutes": minutes})
            messages.success(request, _("The travel times were saved."))
            return redirect("web:appointments-travel")
    return render(request, "web/appointments_travel.html", {"form": form, "offices": offices,
                                                            "municipalities": municipalities},
                  status=400 if request.method == "POST" else 200)
