"""Function-level permission checks of the staff views: a refusal answers 404 (the page does not
exist for this user) and is written to the access log as `permission.denied` with the permission
and the path (ASVS 16.3.2). Paths carry ids only, never personal data."""

from django.db import transaction
from django.http import Http404, HttpRequest

from lotse.access.spine import log_action
from lotse.audit.models import Decision


def require_permission(request: HttpRequest, permission: str) -> None:
    if request.access.has_permission(permission):
        return
    with transaction.atomic():
        log_action(request.access, "permission.denied", basis=permission,
                   object_ref=request.path[:100], decision=Decision.DENIED)
    raise Http404
