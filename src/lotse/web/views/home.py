"""The start page per role and the in-app help."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lotse.organisations import permissions


def home_view(request: HttpRequest) -> HttpResponse:
    ctx = request.access
    user = request.user
    cards = []
    if ctx.categories:
        cards.append("search")
    if ctx.has_permission(permissions.PERSON_CREATE):
        cards.append("create")
    if ctx.has_permission(permissions.AUDIT_VIEW):
        cards.append("audit")
    if ctx.has_permission(permissions.ADMIN_USERS) or ctx.has_permission(permissions.ADMIN_AGENCIES):
        cards.append("admin")
    return render(request, "web/home.html", {
        "agency": user.agency, "roles": user.roles.all(), "cards": cards,
    })


def help_view(request: HttpRequest) -> HttpResponse:
    return render(request, "web/help.html")


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
