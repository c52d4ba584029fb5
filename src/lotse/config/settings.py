"""Lotse settings. Everything that differs between machines comes from the environment.

`LOTSE_DEV=1` (set by `make run` and the test suite) switches on conveniences for a local
machine: DEBUG, a generated secret key under var/, cookies without the Secure flag. Without it
the defaults are the production ones.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

from lotse.config.env import env_bool, env_int, env_list, env_str

SRC_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = Path(env_str("LOTSE_PROJECT_DIR") or SRC_DIR.parent.parent)
VAR_DIR = Path(env_str("LOTSE_VAR_DIR") or PROJECT_DIR / "var")

DEV_MODE = env_bool("LOTSE_DEV", False)
DEBUG = env_bool("DEBUG", False) and DEV_MODE


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEV_MODE:
        raise RuntimeError("SECRET_KEY must be set (or SECRET_KEY_FILE) outside LOTSE_DEV mode.")
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEV_MODE else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "lotse.core",
    "lotse.organisations",
    "lotse.rules",
    "lotse.audit",
    "lotse.consent",
    "lotse.access",
    "lotse.people",
    "lotse.offers",
    "lotse.guide",
    "lotse.cases",
    "lotse.intake",
    "lotse.plans",
    "lotse.referrals",
    "lotse.conferences",
    "lotse.gaps",
    "lotse.handovers",
    "lotse.appointments",
    "lotse.steering",
    "lotse.retention",
    "lotse.web",
    "lotse.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lotse.web.middleware.SessionTimeoutMiddleware",
    "lotse.web.middleware.RequireVerifiedStaffMiddleware",
    "lotse.access.middleware.AccessContextMiddleware",
    "lotse.web.middleware.NoStoreMiddleware",
    "lotse.web.middleware.AccessDeniedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lotse.config.urls"
WSGI_APPLICATION = "lotse.config.wsgi.application"
AUTH_USER_MODEL = "organisations.StaffUser"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lotse.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'lotse.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # ASVS 6.2.12: an offline breached-password list (Pwned Passwords SHA-1, a sorted file or a
    # folder of range files) named by LOTSE_BREACHED_PASSWORDS; see docs/operations.md.
    {"NAME": "lotse.organisations.breached_passwords.BreachedPasswordValidator"},
]
LOTSE_BREACHED_PASSWORDS = env_str("LOTSE_BREACHED_PASSWORDS", "")
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"  # never in cookies
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"

# Login throttling (django-axes): lock a username after repeated failures.
AXES_FAILURE_LIMIT = env_int("LOTSE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOTSE_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The address the outermost trusted proxy saw: behind a proxy REMOTE_ADDR is the proxy's, and
# five failures by anyone would lock every user out (LOTSE_TRUSTED_PROXY_COUNT must be set there).
AXES_CLIENT_IP_CALLABLE = "lotse.web.client.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "lotse.web.views.auth.lockout_response"

# Sessions: idle timeout (cookie age, refreshed on every request) plus an absolute limit.
SESSION_COOKIE_AGE = env_int("LOTSE_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LOTSE_SESSION_ABSOLUTE_SECONDS = env_int("LOTSE_SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_COOKIES = env_bool("LOTSE_SECURE_COOKIES", not DEV_MODE)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if SECURE_COOKIES:
    SESSION_COOKIE_NAME = "__Host-lotse-session"
    CSRF_COOKIE_NAME = "__Host-lotse-csrf"
else:
    SESSION_COOKIE_NAME = "lotse-session"
    CSRF_COOKIE_NAME = "lotse-csrf"

SECURE_SSL_REDIRECT = env_bool("LOTSE_SSL_REDIRECT", not DEV_MODE)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEV_MODE else env_int("LOTSE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
# Languages a person can be informed in (consent forms, letters); right-to-left where needed.
LOTSE_PERSON_LANGUAGES = ["de", "en", "ar", "uk", "ru", "tr", "fa"]
# Licence of the guide's open data (directory and responsibilities as JSON).
LOTSE_OPEN_DATA_LICENCE = {
    "id": env_str("LOTSE_OPEN_DATA_LICENCE_ID", "dl-de/by-2-0"),
    "name": env_str("LOTSE_OPEN_DATA_LICENCE_NAME", "Datenlizenz Deutschland – Namensnennung – Version 2.0"),
    "url": env_str("LOTSE_OPEN_DATA_LICENCE_URL", "https://www.govdata.de/dl-de/by-2-0"),
}
LOCALE_PATHS = [SRC_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Berlin"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PROJECT_DIR / "node_modules"] if (PROJECT_DIR / "node_modules").exists() else []
MEDIA_ROOT = Path(env_str("LOTSE_MEDIA_DIR") or VAR_DIR / "media")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
LOTSE_MAX_UPLOAD_BYTES = env_int("LOTSE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# ASVS 5.4.3: antivirus scan of uploads by clamd (core/virus_scan.py); fail closed when set.
LOTSE_CLAMD_SOCKET = env_str("LOTSE_CLAMD_SOCKET", "") or ""
LOTSE_CLAMD_ADDRESS = env_str("LOTSE_CLAMD_ADDRESS", "") or ""
LOTSE_CLAMD_TIMEOUT = env_int("LOTSE_CLAMD_TIMEOUT", 30)
# The address printed in invitation letters and e-mails (personal links); empty: the request's.
LOTSE_PUBLIC_BASE_URL = env_str("LOTSE_PUBLIC_BASE_URL", "")
# Reverse proxies in front of Lotse that append to X-Forwarded-For (0: none). The public
# appointment page's rate limit counts the address the outermost trusted proxy saw.
LOTSE_TRUSTED_PROXY_COUNT = env_int("LOTSE_TRUSTED_PROXY_COUNT", 0)
# Request budgets against automated misuse (ASVS 2.4.1; core/request_budget.py): budget →
# (requests, window in seconds). Person searches count per staff user (staff UI and API
# together); every API request counts per token.
LOTSE_REQUEST_BUDGETS = {
    "person_search": (env_int("LOTSE_SEARCH_LIMIT", 100), env_int("LOTSE_SEARCH_WINDOW_SECONDS", 300)),
    "api_token": (env_int("LOTSE_API_LIMIT", 1200), env_int("LOTSE_API_WINDOW_SECONDS", 60)),
}

TASKS = {
    "default": {
        "BACKEND": env_str("LOTSE_TASK_BACKEND") or "django_tasks_db.DatabaseBackend",
    }
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND") or (
    "django.core.mail.backends.filebased.EmailBackend"
    if DEV_MODE
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "lotse@localhost")

# The audit checkpoint signing key lives outside the database (a file, ideally on another
# machine or a hardware token); the public key is what verifiers need.
LOTSE_AUDIT_KEY_FILE = Path(env_str("LOTSE_AUDIT_KEY_FILE") or VAR_DIR / "keys" / "audit-ed25519.pem")
LOTSE_AUDIT_PUBLIC_KEY_FILE = Path(
    env_str("LOTSE_AUDIT_PUBLIC_KEY_FILE") or VAR_DIR / "keys" / "audit-ed25519.pub.pem"
)

OTP_TOTP_ISSUER = env_str("LOTSE_TOTP_ISSUER", "Lotse")
# ASVS 13.3.1: TOTP seeds are stored sealed (AES-GCM) with this key, kept outside the database
# (organisations/totp_seeds.py). A systemd credential or a mounted secret can be named here.
LOTSE_TOTP_SEED_KEY_FILE = Path(env_str("LOTSE_TOTP_SEED_KEY_FILE") or VAR_DIR / "keys" / "totp-seed.key")

# ASVS 16.4.3: application logs and access-log entries (audit/shipping.py) to a separate log
# host: the local syslog socket (/dev/log; rsyslog or journald forward over TLS) or a relay
# "host:port" (UDP). See docs/operations.md.
LOTSE_SYSLOG_ADDRESS = env_str("LOTSE_SYSLOG_ADDRESS", "") or ""
LOTSE_SYSLOG_FACILITY = env_str("LOTSE_SYSLOG_FACILITY", "local0")


def _syslog_address(value: str):
    if value.startswith("/"):
        return value
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise RuntimeError("LOTSE_SYSLOG_ADDRESS must be a socket path or host:port.")
    return (host.strip("[]"), int(port))


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "syslog": {"format": "lotse[%(process)d]: %(levelname)s %(name)s %(message)s"},
        "audit": {"format": "lotse-audit: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"},
                "fontTools": {"level": "WARNING"},
                # Access-log entries as JSON lines (audit/shipping.py): off unless shipped.
                "lotse.audit.shipping": {"level": "WARNING", "handlers": [], "propagate": False}},
}
if LOTSE_SYSLOG_ADDRESS:
    LOGGING["handlers"]["syslog"] = {
        "class": "logging.handlers.SysLogHandler", "address": _syslog_address(LOTSE_SYSLOG_ADDRESS),
        "facility": LOTSE_SYSLOG_FACILITY, "formatter": "syslog"}
    LOGGING["handlers"]["audit_syslog"] = {**LOGGING["handlers"]["syslog"], "formatter": "audit"}
    LOGGING["root"]["handlers"].append("syslog")  # the django loggers propagate to root
    LOGGING["loggers"]["lotse.audit.shipping"] = {
        "level": "INFO", "handlers": ["audit_syslog"], "propagate": False}
