"""Builds `request.access` (user, agency, roles, purposes, permissions) for every request."""

from django.utils.functional import SimpleLazyObject

from lotse.access.context import context_for_user


class AccessContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.headers.get("X-Request-Id", "")[:40] or None
        request.access = SimpleLazyObject(
            lambda: context_for_user(request.user, request_id=request_id)
        )
        return self.get_response(request)
