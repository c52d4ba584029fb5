"""Authentication events in the access log (ASVS 16.3.1): password accepted or refused, TOTP code
accepted or refused, second factor enrolled, lockout, logout. Ids only: the actor is the staff
user's id where one is known (a refused password names nobody, so the log cannot be used to
find out which user names exist); never a user name, password or code."""

from django.db import transaction

from lotse.audit.chain import EventData, append_events, new_request_id
from lotse.audit.models import Decision

# Action names, not passwords (S105/B105 below).
PASSWORD_OK = "auth.password_ok"  # noqa: S105  # nosec B105
PASSWORD_FAILED = "auth.password_failed"  # noqa: S105  # nosec B105
OTP_OK = "auth.otp_ok"
OTP_FAILED = "auth.otp_failed"
OTP_ENROLLED = "auth.otp_enrolled"
ENROLMENT_CODE_REFUSED = "auth.enrolment_code_refused"
LOCKED_OUT = "auth.locked_out"
LOGOUT = "auth.logout"


def log_auth_event(action: str, *, user=None, denied: bool = False, request_id: str = "") -> None:
    """Append one authentication event, committed on its own (it stays when the request fails)."""
    with transaction.atomic():
        append_events([EventData(
            action=action, decision=Decision.DENIED if denied else Decision.ALLOWED,
            actor_id=getattr(user, "pk", None), agency_id=getattr(user, "agency_id", None),
            request_id=request_id or new_request_id(),
        )])
