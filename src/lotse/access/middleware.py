"""Builds `request.access` (user, agency, roles, purposes, permissions) for every request."""

import re

from django.utils.functional import SimpleLazyObject

from lotse.access.context import context_for_user
from lotse.audit.chain import new_request_id

_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,40}")


class AccessContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw = request.headers.get("X-Request-Id", "")
        request_id = raw if _REQUEST_ID.fullmatch(raw) else new_request_id()
        request.request_id = request_id  # also for log entries made before the context exists
        request.access = SimpleLazyObject(
            lambda: context_for_user(request.user, request_id=request_id)
        )
        return self.get_response(request)
