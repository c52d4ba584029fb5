"""Staff accounts: enrolment codes for the second factor."""

import datetime
import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.utils import timezone

from lotse.organisations.models import StaffUser

ENROLMENT_CODE_DAYS = 7
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def enrolment_code_issue(*, user: StaffUser) -> str:
    """A new one-time enrolment code (shown once, stored hashed, valid for a week)."""
    code = "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(3))
    user.enrolment_code_hash = make_password(code)
    user.enrolment_code_expires = timezone.now() + datetime.timedelta(days=ENROLMENT_CODE_DAYS)
    user.save(update_fields=["enrolment_code_hash", "enrolment_code_expires"])
    return code


# A TOTP code is valid for its own 30-second step only (ASVS 6.5.5); django-otp's default would
# also accept the steps before and after it (90 seconds).
TOTP_TOLERANCE = 0


def enrolment_code_valid(*, user: StaffUser, code: str) -> bool:
    if not user.enrolment_code_hash or user.enrolment_code_expires is None:
        return False
    if user.enrolment_code_expires < timezone.now():
        return False
    return check_password(code.strip().upper(), user.enrolment_code_hash)


def enrolment_code_consume(*, user: StaffUser) -> None:
    user.enrolment_code_hash = ""
    user.enrolment_code_expires = None
    user.save(update_fields=["enrolment_code_hash", "enrolment_code_expires"])
