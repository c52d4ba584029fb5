"""The social offices' read-only view of the foreigners' authority's residence data: a list
of the persons of the own municipality (search by name, paginated) and a panel per person.

The name search is sent by POST, so that no name ends up in a URL, a proxy log or the
browser history; the pages of a search result are POST buttons as well."""

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from lotse.access.spine import PersonNotFound
from lotse.people.residence_overview import (
    residence_overview_available,
    residence_overview_page,
    residence_overview_person,
)
from lotse.web.forms import KernFormMixin

MAX_PAGE = 100_000


class ResidenceSearchForm(KernFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False,
                           help_text=_("Any spelling; given and family name in any order."))
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False,
                              widget=forms.HiddenInput)


@require_http_methods(["GET", "POST"])
def residence_overview_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    if not residence_overview_available(ctx):
        raise Http404
    form = ResidenceSearchForm(request.POST if request.method == "POST" else None)
    name, page = "", request.GET.get("page", 1)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"].strip()
        page = form.cleaned_data["page"] or 1
    result = residence_overview_page(ctx, name=name, page=page)
    return render(request, "web/residence_overview.html", {
        "form": form, "page": result, "name": name, "today": ctx.today,
        "searched": request.method == "POST" and form.is_valid() and bool(name),
    })


@require_GET
def residence_person_view(request: HttpRequest, person_id: int) -> HttpResponse:
    try:
        overview = residence_overview_person(request.access, person_id)
    except PersonNotFound as exc:
        raise Http404 from exc
    return render(request, "web/residence_overview_person.html", {"row": overview,
                                                                  "today": request.access.today})
