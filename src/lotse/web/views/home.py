"""The start page per role and the in-app help."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lotse.cases.selectors import due_items
from lotse.handovers.selectors import handover_counts
from lotse.organisations import permissions
from lotse.referrals.selectors import overdue_counts
from lotse.steering.access import may_view as may_view_steering


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
    if ctx.has_permission(permissions.CASE_MANAGE):
        cards.insert(0, "cases")
    if may_view_steering(ctx):
        cards.append("steering")

    return render(request, "web/home.html", {
        "agency": user.agency, "roles": user.roles.all(), "cards": cards,
        "due": due_items(ctx) if "cases" in cards else [],
        "referrals_overdue": overdue_counts(ctx) if (
            ctx.has_permission(permissions.REFERRAL_SEND)
            or ctx.has_permission(permissions.REFERRAL_ANSWER)) else None,
        "today": ctx.today,
        "can_answer_referrals": ctx.has_permission(permissions.REFERRAL_ANSWER),
        "handovers": handover_counts(ctx) if ctx.has_permission(permissions.HANDOVER_WORK) else None,
    })


def help_view(request: HttpRequest) -> HttpResponse:
    return render(request, "web/help.html")


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
