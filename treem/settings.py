"""Settings of treem, read from the environment (see README.md, "Configuration")."""

import warnings
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from treem.env import ConfigError, env_bool, env_int, env_list, env_str, local_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("TREEM_DATA_DIR", str(BASE_DIR / "var")))

# Production mode turns on every transport-security setting and refuses to start without a real
# secret; everything else behaves the same in every mode, so tests exercise what production runs.
PRODUCTION = env_bool("TREEM_PRODUCTION", default=False)
DEBUG = env_bool("TREEM_DEBUG", default=False)
DEMO = env_bool("TREEM_DEMO", default=False)
if PRODUCTION and (DEBUG or DEMO):
    raise ConfigError("TREEM_PRODUCTION cannot be combined with TREEM_DEBUG or TREEM_DEMO")

if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ConfigError("SECRET_KEY must be at least 50 characters in production")
else:
    SECRET_KEY = env_str("SECRET_KEY", "") or local_secret_key(DATA_DIR / "secret_key")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])
# Behind a reverse proxy, the client address recorded in the audit trail is the last entry of
# X-Forwarded-For (the one the proxy adds); off, it is the address of the connection itself.
TREEM_TRUST_X_FORWARDED_FOR = env_bool("TREEM_TRUST_X_FORWARDED_FOR", default=False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",
    "treem.audit",
    "treem.auditlog",
    "treem.geo",
    "treem.accounts",
    "treem.units",
    "treem.registry",
    "treem.cases",
    "treem.indicators",
    "treem.reports",
    "treem.dhis2",
    "treem.plans",
    "treem.fund",
    "treem.privacy",
    "treem.offline",
    "treem.web",
    "treem.partitions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Bodies too large and control characters in a page's query string are refused before
    # anything reads them; every error under /api/ leaves in the API's error shape.
    "treem.web.request_limits.RequestLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "treem.audit.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "treem.web.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "treem.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "treem.web.middleware.HtmxRedirectMiddleware",
    "treem.web.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "treem.urls"
WSGI_APPLICATION = "treem.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "treem" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "treem.web.context_processors.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
def _database(url: str) -> dict[str, Any]:
    parsed = dict(dj_database_url.parse(
        url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", default=60), conn_health_checks=True))
    if parsed["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers go on while one writer commits; IMMEDIATE avoids "database is locked"
        # surprises when two requests upgrade a read transaction to a write at the same time.
        parsed["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
        }
        parsed["CONN_MAX_AGE"] = 0
    elif parsed["ENGINE"] == "django.db.backends.postgresql":
        # Django's, grouping queries of partitioned tables by their full key (docs/scale.md).
        parsed["ENGINE"] = "treem.lib.postgresql"
    return parsed


DATABASES = {
    "default": _database(env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'treem.sqlite3'}")),
}
# A streaming replica of the primary (docs/replica.md): dashboards, reports, exports and the
# DHIS2 documents read there when they ask to (`treem.lib.routing.replica_reads`); empty, none.
# (Not kept as a setting of its own: the URL holds a password, which DATABASES hides on error pages.)
_replica_url = env_str("TREEM_REPLICA_DATABASE_URL", "")
if _replica_url:
    # Tests have no replica: there the alias is a second connection to the test database.
    DATABASES["replica"] = {**_database(_replica_url),
                            "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["treem.lib.routing.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email", "phone")},
    },
    {
        "NAME": "treem.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("TREEM_PASSWORD_MIN_LENGTH", default=10, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "treem.accounts.validators.CharacterClassValidator"},
]

# Memory for each sort and hash of the computed indicators' grouped query on PostgreSQL, in MB
# (0: the server's work_mem). DHIS2 recommends 24 MB for its aggregation; at the nation's 5
# million children it lets the groups be hashed in the parallel workers (docs/scale.md).
TREEM_INDICATORS_WORK_MEM_MB = env_int("TREEM_INDICATORS_WORK_MEM_MB", default=24, minimum=0)

# Lockout (docs/sign-in-lockout.md): after this many failed sign-ins in a row from one address
# for one username, that address is locked out of that username for the given minutes (the user
# elsewhere is not).
TREEM_LOCKOUT_THRESHOLD = env_int("TREEM_LOCKOUT_THRESHOLD", default=5, minimum=1)
TREEM_LOCKOUT_MINUTES = env_int("TREEM_LOCKOUT_MINUTES", default=15, minimum=1)
# Slowdown of a username tried from many addresses: past this many failures within the window,
# each failure makes the next attempt wait one more step, up to the maximum; an address the user
# signed in from within the last TREEM_KNOWN_ADDRESS_DAYS does not wait.
TREEM_SLOWDOWN_THRESHOLD = env_int("TREEM_SLOWDOWN_THRESHOLD", default=20, minimum=1)
TREEM_SLOWDOWN_WINDOW_HOURS = env_int("TREEM_SLOWDOWN_WINDOW_HOURS", default=12, minimum=1)
TREEM_SLOWDOWN_STEP_SECONDS = env_int("TREEM_SLOWDOWN_STEP_SECONDS", default=60, minimum=1)
TREEM_SLOWDOWN_MAX_MINUTES = env_int("TREEM_SLOWDOWN_MAX_MINUTES", default=15, minimum=1)
TREEM_KNOWN_ADDRESS_DAYS = env_int("TREEM_KNOWN_ADDRESS_DAYS", default=90, minimum=1)
# The e-mailed link that lifts a user's sign-in locks is valid this long, once.
TREEM_UNLOCK_LINK_MINUTES = env_int("TREEM_UNLOCK_LINK_MINUTES", default=30, minimum=5)
# Roles that may sign in without a second factor. Every staff role needs TOTP by default; village
# collaborators are volunteers on shared phones and see one village only.
TREEM_TWO_FACTOR_EXEMPT_ROLES = env_list(
    "TREEM_TWO_FACTOR_EXEMPT_ROLES", default=["village_collaborator"]
)
TREEM_API_TOKEN_MAX_DAYS = env_int("TREEM_API_TOKEN_MAX_DAYS", default=90, minimum=1)
# A collaborator's phone unused this many days asks for the password again before it opens
# what it keeps (docs/offline.md).
TREEM_OFFLINE_IDLE_DAYS = env_int("TREEM_OFFLINE_IDLE_DAYS", default=14, minimum=1)
# Unusual access flagged to the auditors (treem/privacy/alerts/detection.py, docs/access-alerts.md):
# a user reading more child records in a day than TREEM_ALERT_READS_FACTOR times their median of
# the TREEM_ALERT_READS_DAYS days before, and at least TREEM_ALERT_READS_FLOOR; exports between
# the night's hours (local time); TREEM_ALERT_FAILED_SIGN_INS failed sign-ins from one address
# within TREEM_ALERT_FAILED_SIGN_IN_WINDOW_HOURS hours.
TREEM_ALERT_READS_FLOOR = env_int("TREEM_ALERT_READS_FLOOR", default=100, minimum=1)
TREEM_ALERT_READS_FACTOR = env_int("TREEM_ALERT_READS_FACTOR", default=3, minimum=1)
TREEM_ALERT_READS_DAYS = env_int("TREEM_ALERT_READS_DAYS", default=28, minimum=1)
TREEM_ALERT_NIGHT_START_HOUR = env_int("TREEM_ALERT_NIGHT_START_HOUR", default=22)
TREEM_ALERT_NIGHT_END_HOUR = env_int("TREEM_ALERT_NIGHT_END_HOUR", default=6)
if max(TREEM_ALERT_NIGHT_START_HOUR, TREEM_ALERT_NIGHT_END_HOUR) > 23:
    raise ConfigError("TREEM_ALERT_NIGHT_START_HOUR and _END_HOUR must be hours from 0 to 23")
TREEM_ALERT_FAILED_SIGN_INS = env_int("TREEM_ALERT_FAILED_SIGN_INS", default=20, minimum=2)
TREEM_ALERT_FAILED_SIGN_IN_WINDOW_HOURS = env_int("TREEM_ALERT_FAILED_SIGN_IN_WINDOW_HOURS",
                                                  default=1, minimum=1)
if TREEM_ALERT_FAILED_SIGN_IN_WINDOW_HOURS > 24:
    raise ConfigError("TREEM_ALERT_FAILED_SIGN_IN_WINDOW_HOURS must be at most 24")
OTP_TOTP_ISSUER = "treem"

# The dashboards keep computed indicator values this long (a sector's new figures drop them at
# once). Shared by the server's processes through files under TREEM_CACHE_DIR when it is set;
# each process keeps its own in memory otherwise.
TREEM_INDICATOR_CACHE_SECONDS = env_int("TREEM_INDICATOR_CACHE_SECONDS", default=900, minimum=0)
_CACHE_DIR = env_str("TREEM_CACHE_DIR", "")
CACHES = {"default": (
    {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": _CACHE_DIR}
    if _CACHE_DIR else
    {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "treem"})}

# The level that appraises and recognises a child-friendly commune (QĐ 06/QĐ-TTg named the
# district, dissolved in July 2025; who does it now could not be verified): "province" or
# "commune_leader" (`treem.plans.child_friendly.services.may_recognise`).
TREEM_CHILD_FRIENDLY_RECOGNISER = env_str("TREEM_CHILD_FRIENDLY_RECOGNISER", "province")
if TREEM_CHILD_FRIENDLY_RECOGNISER not in ("province", "commune_leader"):
    raise ConfigError("TREEM_CHILD_FRIENDLY_RECOGNISER must be province or commune_leader.")

# Excel import of child lists: limits on what one upload may hold.
TREEM_EVIDENCE_MAX_BYTES = env_int("TREEM_EVIDENCE_MAX_MB", default=10, minimum=1) * 1024 * 1024
TREEM_IMPORT_MAX_BYTES = env_int("TREEM_IMPORT_MAX_MB", default=20, minimum=1) * 1024 * 1024
TREEM_IMPORT_MAX_ROWS = env_int("TREEM_IMPORT_MAX_ROWS", default=200_000, minimum=1)
# Tests run import jobs inline; a deployment runs them in a background thread.
TREEM_IMPORT_SYNC = False

# Sessions slide: every request extends them, idle ones expire.
SESSION_COOKIE_AGE = env_int("TREEM_SESSION_MINUTES", default=120, minimum=5) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Security in production ---------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("TREEM_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("TREEM_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("TREEM_HSTS_PRELOAD", default=False)
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "vi"
FORMAT_MODULE_PATH = ["treem.formats"]  # numbers grouped by thousands (treem/formats)
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "treem" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded files (evidence of plans' progress) live under the data directory and are never
# served by a URL of their own: each is read through a page that checks the reader's scope.
MEDIA_ROOT = DATA_DIR / "files"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    # Outside production static files come from the finders; no collected directory exists.
    warnings.filterwarnings("ignore", message="No directory at")

# --- Email --------------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", default=587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "treem@localhost")
# The address of the site, for links in emails ("https://treem.caobang.gov.vn").
TREEM_SITE_URL = env_str("TREEM_SITE_URL", "")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Logging: request ids, never personal data --------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_context": {"()": "treem.audit.logging.RequestContextFilter"},
        "redact_urls": {"()": "treem.audit.logging.RedactQueryStringFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_context", "redact_urls"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("TREEM_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # WeasyPrint (the forms' PDFs) logs each step of each PDF, and warns on every PDF about
        # the rules of treem.css that only browsers know (media features, vendor selectors).
        # Its errors stay: a resource refused or unreadable.
        "weasyprint": {"level": "ERROR"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
