from lotse.organisations import permissions


def navigation(request):
    access = getattr(request, "access", None)
    user = getattr(request, "user", None)
    if access is None or user is None or not user.is_authenticated or not user.is_verified():
        return {"nav_items": []}
    items = [("web:home", "home"), ("web:person-search", "search")]
    if access.has_permission(permissions.PERSON_CREATE):
        items.append(("web:person-create", "create"))
    if access.has_permission(permissions.AUDIT_VIEW):
        items.append(("web:audit-log", "audit"))
    if access.has_permission(permissions.ADMIN_USERS):
        items.append(("web:admin-users", "users"))
    if access.has_permission(permissions.ADMIN_USERS):
        items.append(("web:admin-roles", "roles"))
    if access.has_permission(permissions.ADMIN_AGENCIES):
        items.append(("web:admin-agencies", "agencies"))
    items.append(("web:help", "help"))
    return {"nav_items": items}
