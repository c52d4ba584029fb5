"""The client's address behind the reverse proxies the installation declares."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The visitor's address for rate limits and the login lockout. Behind
    `LOTSE_TRUSTED_PROXY_COUNT` reverse proxies it is the address the outermost proxy saw (from
    X-Forwarded-For, counted from the right, so a visitor cannot forge it); without proxies it
    is REMOTE_ADDR."""
    hops = getattr(settings, "LOTSE_TRUSTED_PROXY_COUNT", 0)
    if hops > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")
