"""Bearer-token authentication for the API; builds the access context of the token's user."""

import re
from dataclasses import dataclass

from django.http import HttpRequest
from ninja.security import HttpBearer

from lotse.access.budget import charge
from lotse.access.context import AccessContext, context_for_user
from lotse.api.services import api_token_authenticate
from lotse.core.request_budget import API_TOKEN

_REQUEST_ID = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class ApiPrincipal:
    """What `request.auth` holds for an authenticated API request."""

    token_id: int
    user_id: int
    ctx: AccessContext


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer lotse_…`. Unknown, revoked or expired tokens and deactivated
    users get 401; the context is re-read from the database on every request, so a change of
    roles or agency applies at once. Every request counts against the token's budget."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiPrincipal | None:
        api_token = api_token_authenticate(token.strip())
        if api_token is None:
            return None
        request_id = _REQUEST_ID.sub("", request.headers.get("X-Request-Id", ""))[:40] or None
        ctx = context_for_user(api_token.user, request_id=request_id)
        charge(ctx, API_TOKEN, subject=f"token:{api_token.pk}")  # OverBudget: 429 (api.py)
        return ApiPrincipal(token_id=api_token.pk, user_id=api_token.user_id, ctx=ctx)


def ctx_of(request: HttpRequest) -> AccessContext:
    return request.auth.ctx  # type: ignore[attr-defined]
