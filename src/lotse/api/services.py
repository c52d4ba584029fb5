"""API tokens: create, revoke, and find the token a request presents.

A token is `lotse_` + `secrets.token_urlsafe(32)`. It is shown once; the database keeps its
SHA-256 (hex) and, to find the row, its first 8 random characters (`prefix`). Comparison of
the hash is constant-time (`hmac.compare_digest`).
"""

import datetime
import hashlib
import hmac
import re
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.access.context import context_for_user
from lotse.access.spine import log_action
from lotse.api.models import ApiToken

TOKEN_PREFIX = "lotse_"  # noqa: S105 - the public marker of a token, not a secret
PREFIX_LENGTH = 8
# token_urlsafe(32) gives 43 characters of [A-Za-z0-9_-]; accept nothing else.
TOKEN_PATTERN = re.compile(r"^lotse_[A-Za-z0-9_-]{43}$")
# `last_used_at` is written at most this often per token (no write on every request).
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
MAX_VALID_DAYS = 3660


def _digest(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("ascii")).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str, valid_days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token for `user`; return the row and the plaintext (shown once, never stored)."""
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Give the token a name (what it is used for).")
    if valid_days is not None and not 1 <= valid_days <= MAX_VALID_DAYS:
        errors["valid_days"] = _("A token is valid for 1 to %(max)s days.") % {
            "max": MAX_VALID_DAYS}
    if not user.is_active:
        errors["user"] = _("The user is deactivated.")
    elif user.agency_id is None:
        errors["user"] = _("The user belongs to no agency and could not read anything.")
    if errors:
        raise ValidationError(errors)
    secret = secrets.token_urlsafe(32)
    plaintext = TOKEN_PREFIX + secret
    now = timezone.now()
    token = ApiToken(
        user=user, name=name, prefix=secret[:PREFIX_LENGTH], key_hash=_digest(plaintext),
        expires_at=now + datetime.timedelta(days=valid_days) if valid_days else None,
    )
    token.full_clean()
    token.save()
    log_action(context_for_user(user), "api_token.created", object_ref=f"api_token:{token.pk}")
    return token, plaintext


@transaction.atomic
def api_token_revoke(*, token_id: int) -> ApiToken:
    """Revoke a token; the very next request with it is refused. Idempotent."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_action(context_for_user(token.user), "api_token.revoked",
                   object_ref=f"api_token:{token.pk}")
    return token


def api_token_authenticate(plaintext: str) -> ApiToken | None:
    """The usable token matching `plaintext`, or None (unknown, revoked, expired, inactive user)."""
    if not TOKEN_PATTERN.match(plaintext or ""):
        return None
    digest = _digest(plaintext)
    candidates = ApiToken.objects.filter(
        prefix=plaintext[len(TOKEN_PREFIX):len(TOKEN_PREFIX) + PREFIX_LENGTH]
    ).select_related("user", "user__agency")
    found = None
    for candidate in candidates:
        if hmac.compare_digest(candidate.key_hash, digest):
            found = candidate
    now = timezone.now()
    if found is None or not found.is_usable_at(now) or not found.user.is_active:
        return None
    if found.last_used_at is None or now - found.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        found.last_used_at = now
    return found
