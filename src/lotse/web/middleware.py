"""Session and response hardening for the staff UI."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

SESSION_STARTED_KEY = "lotse_started_at"

# Paths reachable without a verified second factor.
PUBLIC_PREFIXES = ("/login/", "/static/", "/api/", "/healthz", "/favicon.ico", "/termin/", "/wegweiser/",
                   "/open-data/")
CACHEABLE_PUBLIC_PREFIXES = ("/wegweiser/", "/open-data/")


class SessionTimeoutMiddleware:
    """Absolute session lifetime (the idle timeout is the cookie age) and forced logout of
    sessions that started before the user's `sessions_valid_after` (deactivation, reset)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = time.time()
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            else:
                expired = now - started > settings.LOTSE_SESSION_ABSOLUTE_SECONDS
                cutoff = user.sessions_valid_after
                revoked = cutoff is not None and started < cutoff.timestamp()
                if expired or revoked:
                    logout(request)
                    return redirect(f"{reverse('web:login')}?expired=1")
        return self.get_response(request)


class RequireVerifiedStaffMiddleware:
    """Every staff page needs a login with password and a verified TOTP code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PUBLIC_PREFIXES):
            user = request.user
            if not user.is_authenticated:
                return redirect(f"{reverse('web:login')}")
            if not user.is_verified():
                return redirect(reverse("web:otp"))
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages and API answers that may carry personal data are never cached. The public guide
    and its open data carry none: there the view's own caching header stands."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(CACHEABLE_PUBLIC_PREFIXES) and response.has_header("Cache-Control"):
            return response
        if not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


class AccessDeniedMiddleware:
    """A refusal of the access spine that no view handled — above all an access log that could
    not be written (fail closed) — is answered with a 403 page that says so, not a server error.
    The spine has logged what it could; the page carries no data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render

        from lotse.access.spine import AccessDenied

        if isinstance(exception, AccessDenied):
            return render(request, "web/access_denied.html", status=403)
        return None
