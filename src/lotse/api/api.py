"""The versioned JSON API (`/api/v1/`), with its OpenAPI document at `/api/v1/openapi.json`."""

from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from lotse.access.spine import AccessDenied, PersonNotFound
from lotse.api.auth import BearerTokenAuth
from lotse.api.cases import router as cases_router
from lotse.api.gaps import router as gaps_router
from lotse.api.handovers import router as handovers_router
from lotse.api.persons import router as persons_router
from lotse.api.plans import router as plans_router
from lotse.api.referrals import router as referrals_router
from lotse.cases.selectors import CaseNotFound
from lotse.core.request_budget import OverBudget
from lotse.handovers.services import HandoverNotFound
from lotse.referrals.services import ReferralNotFound

DESCRIPTION = """
The JSON interface of Lotse for other software of the district and its partners.

**Authentication.** Every request carries `Authorization: Bearer lotse_…`, a token issued to
one staff user (`lotse api_token_create --username … --name …`; it is shown once and stored
only as a SHA-256 hash). Staff need a password and a TOTP code for the web interface; the
API does not ask for TOTP: the token itself is the API's factor, so treat it like a password
plus second factor — keep it in a secret store, give it an expiry, revoke it
(`lotse api_token_revoke`) when a client is retired. Unknown, revoked or expired tokens and
deactivated users get 401.

**Access.** A request acts as the token's user: the same roles, agency, purposes and
permissions as in the web interface, the same access policy, and every read or write of a
person's data is written to the access log. A person who does not exist and one you may not
see both answer 404. Reads use the first purpose your roles allow (case management,
residence administration, benefits administration, registry, data protection — in this
order); consents are read and written under the user's work purpose.

**Errors.** `{"detail": "…"}`; a business rule that was not met answers 400 with
`{"detail": "…", "errors": {"field": ["…"]}}`; malformed input answers 422 with ninja's
list of field errors; a missing permission answers 403.
"""

class LotseNinjaAPI(NinjaAPI):
    """Builds the OpenAPI document once per root path and language instead of on every request
    (building it costs about 0.35 s of CPU; the routes cannot change while the process runs)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        key = (path_prefix, get_language())
        cache = self.__dict__.setdefault("_openapi_cache", {})
        if key not in cache:
            cache[key] = super().get_openapi_schema(path_prefix=path_prefix)
        return cache[key]  # served as it is: nothing changes the document after it is built


api = LotseNinjaAPI(
    title="Lotse API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url=None,  # ninja's Swagger page loads assets from a CDN; our CSP forbids that
    auth=BearerTokenAuth(),
)
api.add_router("/", persons_router)
api.add_router("/", cases_router)
api.add_router("/", plans_router)
api.add_router("/", referrals_router)
api.add_router("/", gaps_router)
api.add_router("/", handovers_router)


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError):
    response = api.create_response(
        request, {"detail": _("Missing, unknown, revoked or expired API token.")}, status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="lotse"'
    return response


@api.exception_handler(PersonNotFound)
def _not_found(request: HttpRequest, exc: PersonNotFound):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(CaseNotFound)
def _case_not_found(request: HttpRequest, exc: CaseNotFound):
    return _not_found(request, exc)


@api.exception_handler(ReferralNotFound)
def _referral_not_found(request: HttpRequest, exc: ReferralNotFound):
    return _not_found(request, exc)


@api.exception_handler(HandoverNotFound)
def _handover_not_found(request: HttpRequest, exc: HandoverNotFound):
    return _not_found(request, exc)


@api.exception_handler(AccessDenied)
def _forbidden(request: HttpRequest, exc: AccessDenied):
    return api.create_response(request, {"detail": str(exc) or _("Forbidden.")}, status=403)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        errors = {field: list(messages) for field, messages in exc.message_dict.items()}
    else:
        errors = {"__all__": list(exc.messages)}
    return api.create_response(
        request, {"detail": "; ".join(exc.messages), "errors": errors}, status=400
    )


@api.exception_handler(OverBudget)
def _over_budget(request: HttpRequest, exc: OverBudget):
    response = api.create_response(request, {"detail": _(
        "Too many requests in a short time. Try again in %(seconds)d seconds.") % {"seconds": exc.retry_after}},
        status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig):
    return api.create_response(request, {"detail": _("The request body is too large.")},
                               status=413)
