from lotse.appointments.figures import figures_available
from lotse.appointments.selectors import appointments_available
from lotse.organisations import permissions
from lotse.people.residence_overview import residence_overview_available
from lotse.steering.access import may_coordinate, may_view


def navigation(request):
    access = getattr(request, "access", None)
    user = getattr(request, "user", None)
    if access is None or user is None or not user.is_authenticated or not user.is_verified():
        return {"nav_items": []}
    items = [("web:home", "home"), ("web:person-search", "search")]
    if access.has_permission(permissions.PERSON_CREATE):
        items.append(("web:person-create", "create"))
    if access.has_permission(permissions.CASE_MANAGE):
        items.append(("web:caseload", "cases"))
    if access.has_permission(permissions.REFERRAL_ANSWER):
        items.append(("web:referral-inbox", "referrals"))
    elif access.has_permission(permissions.REFERRAL_SEND):
        items.append(("web:referral-outbox", "referrals"))
    if access.has_permission(permissions.HANDOVER_WORK):
        items.append(("web:handovers", "handovers"))
    if residence_overview_available(access):
        items.append(("web:residence-overview", "residence"))
    if appointments_available(access):
        items.append(("web:appointments", "appointments"))
    elif figures_available(access):
        items.append(("web:appointments-figures", "appointment_figures"))
    if access.has_permission(permissions.HANDOVER_OVERVIEW):
        items.append(("web:handover-overview", "handover_overview"))
    if access.has_permission(permissions.HANDOVER_BULK):
        items.append(("web:handover-bulk", "handover_bulk"))
    if access.has_permission(permissions.CASE_MANAGE) or access.has_permission(permissions.OFFERS_MANAGE):
        items.append(("web:offers", "offers"))
    if access.has_permission(permissions.GUIDE_MANAGE) or access.has_permission(permissions.GUIDE_TRANSLATE):
        items.append(("web:guide-manage", "guide"))
    if access.has_permission(permissions.CONFERENCE_MANAGE) or access.has_permission(
            permissions.REFERRAL_ANSWER):
        items.append(("web:conference-list", "conferences"))
    if access.has_permission(permissions.GAP_REPORT):
        items.append(("web:gap-reports", "gaps"))
    if may_coordinate(access):
        items.append(("web:gap-inbox", "gap_inbox"))
    if may_view(access):
        items.append(("web:steering-dashboard", "steering"))
    if access.has_permission(permissions.AUDIT_VIEW):
        items.append(("web:audit-log", "audit"))
    if access.has_permission(permissions.ADMIN_USERS):
        items.append(("web:admin-users", "users"))
    if access.has_permission(permissions.ADMIN_USERS):
        items.append(("web:admin-roles", "roles"))
    if access.has_permission(permissions.ADMIN_AGENCIES):
        items.append(("web:admin-agencies", "agencies"))
    if access.has_permission(permissions.RULES_MANAGE):
        items.append(("web:admin-rules", "rules"))
    items.append(("web:help", "help"))
    return {"nav_items": items, "steering_coordinator": may_coordinate(access)}
