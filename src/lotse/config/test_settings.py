"""Settings for the test suite: the production settings plus speed and isolation."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("LOTSE_DEV", "1")
_TEST_VAR = Path(tempfile.mkdtemp(prefix="lotse-test-"))
os.environ.setdefault("LOTSE_VAR_DIR", str(_TEST_VAR))

from lotse.config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOTSE_AUDIT_KEY_FILE = _TEST_VAR / "keys" / "audit-ed25519.pem"
LOTSE_AUDIT_PUBLIC_KEY_FILE = _TEST_VAR / "keys" / "audit-ed25519.pub.pem"
MEDIA_ROOT = _TEST_VAR / "media"
SECURE_SSL_REDIRECT = False
# The suite's robots search and call the API far faster than people: the budgets are tested
# with their own limits (core/tests/test_request_budget.py).
LOTSE_REQUEST_BUDGETS = {"person_search": (1_000_000, 300), "api_token": (1_000_000, 60)}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared-cache memory: concurrent writers then behave as in production
    # (WAL, busy timeout) instead of failing with "table is locked".
    DATABASES["default"]["TEST"] = {"NAME": str(_TEST_VAR / "test.sqlite3")}  # noqa: F405
