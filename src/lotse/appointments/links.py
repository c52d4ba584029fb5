"""The personal link in an invitation: `/termin/<id>.<code>/`.

The code is a salted HMAC (SHA-256, Django's `salted_hmac` with the SECRET_KEY) of the
appointment id and a random per-appointment salt: 128 random bits behind it, unguessable without
the server's secret, reproducible for a reprinted letter, and revoked by drawing a new salt.
Only the salt is stored; the database alone yields no working link. Expiry is a date stored
on the appointment and checked on every use."""

import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

KEY_SALT = "lotse.appointments.links"
CODE_LENGTH = 32  # hex characters of the HMAC kept in the link (128 bits)


def new_salt() -> str:
    return secrets.token_hex(16)


def link_code(appointment_id: int, salt: str) -> str:
    mac = salted_hmac(KEY_SALT, f"{appointment_id}:{salt}", algorithm="sha256").hexdigest()
    return mac[:CODE_LENGTH]


def make_token(appointment_id: int, salt: str) -> str:
    return f"{appointment_id}.{link_code(appointment_id, salt)}"


def split_token(token: str) -> tuple[int, str] | None:
    """The appointment id and code of a well-formed token, else None (no database involved)."""
    head, sep, code = token.partition(".")
    if not sep or not head.isascii() or not head.isdigit() or len(head) > 12:
        return None
    if len(code) != CODE_LENGTH or not all(c in "0123456789abcdef" for c in code):
        return None
    return int(head), code


def code_matches(appointment_id: int, salt: str, code: str) -> bool:
    return bool(salt) and constant_time_compare(link_code(appointment_id, salt), code)
