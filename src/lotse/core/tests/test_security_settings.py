"""Security checklist (docs/security.md): the settings a production start gets (no LOTSE_DEV),
read in a fresh interpreter: `__Host-` cookies with Secure and HttpOnly, HSTS for a year with
subdomains, session timeouts, no debug mode, Argon2 for passwords. The web tests apply the same
values to real responses (`web/tests/test_security_browser.py`)."""

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.db_independent

SETTINGS_READ = [
    "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS",
    "SESSION_COOKIE_NAME", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_DOMAIN", "SESSION_COOKIE_PATH", "SESSION_COOKIE_AGE", "SESSION_SAVE_EVERY_REQUEST",
    "SESSION_EXPIRE_AT_BROWSER_CLOSE", "LOTSE_SESSION_ABSOLUTE_SECONDS",
    "CSRF_COOKIE_NAME", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_DOMAIN", "CSRF_COOKIE_PATH", "MESSAGE_STORAGE", "PASSWORD_HASHERS",
    "AXES_FAILURE_LIMIT", "CONTENT_SECURITY_POLICY",
]

_CODE = """
import json
import django
django.setup()
from django.conf import settings
from django.contrib.auth.hashers import make_password
values = {name: getattr(settings, name) for name in NAMES}
values["CONTENT_SECURITY_POLICY"] = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
values["password_hash"] = make_password("correct horse battery staple")
print(json.dumps(values, default=str))
"""


def read_settings(tmp_path, **env_extra) -> dict:
    """The settings of a production start: no LOTSE_*, DJANGO_*, DEBUG or secrets inherited."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LOTSE_", "DJANGO_", "DEBUG", "SECRET_", "ALLOWED_HOSTS", "SESSION", "CSRF"))}
    env.update({"SECRET_KEY": "p" * 60, "ALLOWED_HOSTS": "lotse.example.org",
                "LOTSE_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "lotse.config.settings",
                **env_extra})
    code = f"NAMES = {SETTINGS_READ!r}\n{_CODE}"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict:
    return read_settings(tmp_path_factory.mktemp("prod"))


def test_production_cookies_are_host_prefixed_secure_and_httponly(production):
    """ASVS 3.3.1, 3.3.3, 3.3.4: `__Host-` names require Secure, Path=/ and no Domain."""
    for kind in ("SESSION", "CSRF"):
        assert production[f"{kind}_COOKIE_NAME"].startswith("__Host-"), kind
        assert production[f"{kind}_COOKIE_SECURE"] is True, kind
        assert production[f"{kind}_COOKIE_HTTPONLY"] is True, kind
        assert production[f"{kind}_COOKIE_DOMAIN"] is None, kind
        assert production[f"{kind}_COOKIE_PATH"] == "/", kind
        assert production[f"{kind}_COOKIE_SAMESITE"] in ("Lax", "Strict"), kind
    assert production["MESSAGE_STORAGE"].endswith("SessionStorage")  # no data in other cookies


def test_production_forces_https_with_hsts_for_a_year_including_subdomains(production):
    """ASVS 3.4.1 (the header itself: web/tests/test_security_browser.py)."""
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True


def test_production_headers_policy(production):
    """ASVS 3.4.3, 3.4.6 (and 3.4.4, 3.4.5): a CSP without inline script, no framing."""
    csp = production["CONTENT_SECURITY_POLICY"]
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    for directive in ("default-src", "script-src", "style-src"):
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(csp[directive]), directive
    assert production["X_FRAME_OPTIONS"] == "DENY"
    assert production["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert production["SECURE_REFERRER_POLICY"] == "same-origin"


def test_production_sessions_time_out(production):
    """ASVS 7.3.1, 7.3.2: idle timeout at most 30 minutes (sliding), absolute at most 12 hours."""
    assert production["SESSION_COOKIE_AGE"] <= 30 * 60
    assert production["SESSION_SAVE_EVERY_REQUEST"] is True
    assert production["LOTSE_SESSION_ABSOLUTE_SECONDS"] <= 12 * 3600


def test_production_hashes_passwords_with_argon2id(production):
    """ASVS 11.4.2: Django's Argon2 hasher (argon2id) first; PBKDF2 only to read older hashes."""
    assert production["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert production["password_hash"].startswith("argon2$argon2id$")


def test_debug_stays_off_outside_dev_mode_even_when_asked_for(tmp_path):
    """ASVS 13.4.2: DEBUG=1 alone does not switch on Django's debug pages."""
    assert read_settings(tmp_path, DEBUG="1")["DEBUG"] is False
