"""Administration of agencies and staff users (administrators only)."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.access.spine import log_action
from lotse.audit.models import Decision
from lotse.organisations import permissions
from lotse.organisations.models import Agency, District, Role, StaffTOTPDevice, StaffUser
from lotse.organisations.services import enrolment_code_issue
from lotse.web.forms import AgencyForm, RoleForm, StaffUserForm
from lotse.web.permission_checks import require_permission


def _require(request, permission: str) -> District:
    require_permission(request, permission)
    return District.objects.get(pk=request.access.district_id)


def agency_list_view(request: HttpRequest) -> HttpResponse:
    district = _require(request, permissions.ADMIN_AGENCIES)
    agencies = district.agencies.select_related("municipality", "parent").order_by("kind", "name")
    return render(request, "web/admin_agencies.html", {"agencies": agencies})


def agency_edit_view(request: HttpRequest, agency_id: int | None = None) -> HttpResponse:
    district = _require(request, permissions.ADMIN_AGENCIES)
    agency = get_object_or_404(Agency, pk=agency_id, district=district) if agency_id else Agency(district=district)
    form = AgencyForm(request.POST or None, instance=agency, district=district)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            log_action(request.access, "admin.agency_saved", object_ref=f"agency:{agency.pk}")
        messages.success(request, _("The agency was saved."))
        return redirect("web:admin-agencies")
    return render(request, "web/admin_form.html", {"form": form, "title": agency.name or _("New agency")})


def _roles_for(district: District):
    """Reference roles (shared by all districts, read-only here) and the district's own."""
    return Role.objects.filter(Q(district__isnull=True) | Q(district=district))


def role_list_view(request: HttpRequest) -> HttpResponse:
    district = _require(request, permissions.ADMIN_USERS)
    return render(request, "web/admin_roles.html",
                  {"roles": _roles_for(district).order_by("district_id", "name")})


def role_edit_view(request: HttpRequest, role_id: int | None = None) -> HttpResponse:
    """Only the district's own roles can be changed; reference roles are copied first."""
    district = _require(request, permissions.ADMIN_USERS)
    role = get_object_or_404(Role, pk=role_id, district=district) if role_id else Role(district=district)
    form = RoleForm(request.POST or None, instance=role)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            log_action(request.access, "admin.role_saved", object_ref=f"role:{role.pk}")
        messages.success(request, _("The role was saved; it applies from the next request."))
        return redirect("web:admin-roles")
    return render(request, "web/admin_form.html", {"form": form, "title": role.name or _("New role")})


def user_list_view(request: HttpRequest) -> HttpResponse:
    district = _require(request, permissions.ADMIN_USERS)
    users = StaffUser.objects.filter(agency__district=district).select_related("agency").prefetch_related("roles")
    return render(request, "web/admin_users.html", {"users": users.order_by("agency__name", "username")})


def user_edit_view(request: HttpRequest, user_id: int | None = None) -> HttpResponse:
    district = _require(request, permissions.ADMIN_USERS)
    user = get_object_or_404(StaffUser, pk=user_id, agency__district=district) if user_id else StaffUser()
    is_new = user.pk is None
    was_active = user.is_active if user.pk else True
    form = StaffUserForm(request.POST or None, instance=user, district=district,
                         editing_self=user.pk == request.user.pk)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save(commit=False)
            if form.cleaned_data.get("password"):
                user.set_password(form.cleaned_data["password"])
                user.sessions_valid_after = timezone.now()
            if was_active and not user.is_active:
                user.sessions_valid_after = timezone.now()
            user.save()
            form.save_m2m()
            log_action(request.access, "admin.user_saved", object_ref=f"user:{user.pk}")
            code = enrolment_code_issue(user=user) if is_new else None
        messages.success(request, _("The user was saved."))
        if code:
            messages.warning(request, _("Enrolment code for %(user)s: %(code)s — hand it over in "
                                        "person; it is shown only now.") % {"user": user.username, "code": code})
        return redirect("web:admin-users")
    return render(request, "web/admin_form.html", {"form": form, "title": user.username or _("New user")})


@require_POST
def role_copy_view(request: HttpRequest, role_id: int) -> HttpResponse:
    district = _require(request, permissions.ADMIN_USERS)
    source = get_object_or_404(_roles_for(district), pk=role_id)
    code = f"{source.code}-{district.code}"[:50]
    if Role.objects.filter(district=district, code=code).exists():
        messages.error(request, _("This role has already been copied for your district."))
        return redirect("web:admin-roles")
    with transaction.atomic():
        copy = Role.objects.create(
            district=district, code=code, name=f"{source.name} ({district.name})"[:100],
            categories_mask=source.categories_mask, purposes=list(source.purposes),
            permissions=list(source.permissions), description=source.description,
        )
        log_action(request.access, "admin.role_copied", object_ref=f"role:{copy.pk}")
    messages.success(request, _("The role was copied; you can now change the copy."))
    return redirect("web:admin-role-edit", role_id=copy.pk)


@require_POST
def user_reset_otp_view(request: HttpRequest, user_id: int) -> HttpResponse:
    district = _require(request, permissions.ADMIN_USERS)
    user = get_object_or_404(StaffUser, pk=user_id, agency__district=district)
    if user.pk == request.user.pk:  # a stolen session must not take the account over (ASVS 7.5.1)
        with transaction.atomic():
            log_action(request.access, "admin.user_otp_reset", object_ref=f"user:{user.pk}",
                       basis="own_account", decision=Decision.DENIED)
        messages.error(request, _("You cannot reset your own second factor. Ask another administrator."))
        return redirect("web:admin-users")
    with transaction.atomic():
        StaffTOTPDevice.objects.filter(user=user).delete()
        StaffUser.objects.filter(pk=user.pk).update(sessions_valid_after=timezone.now())
        code = enrolment_code_issue(user=user)
        log_action(request.access, "admin.user_otp_reset", object_ref=f"user:{user.pk}")
    messages.success(request, _("The second factor was reset; the user enrols a new one at the next login."))
    messages.warning(request, _("Enrolment code for %(user)s: %(code)s — hand it over in "
                                "person; it is shown only now.") % {"user": user.username, "code": code})
    return redirect("web:admin-users")
