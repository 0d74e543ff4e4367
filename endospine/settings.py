"""EndoSpine settings, read from the environment. See the table in README.md.

Importing this module only reads: it creates no directory and no key. The
`endospine` command (`endospine init`, or any other) prepares the data
directory and the generated secret key first; see endospine/bootstrap.py.
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from endospine.bootstrap import read_generated_key
from endospine.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
CONTENT_DIR = Path(env_str("ENDOSPINE_CONTENT_DIR", str(PROJECT_DIR / "content")))
DATA_DIR = Path(env_str("ENDOSPINE_DATA_DIR", "./var")).resolve()
# From the environment (or ENDOSPINE_SECRET_KEY_FILE), else the key
# `endospine init` generated into the data dir. Empty when neither exists:
# Django then refuses to start, naming SECRET_KEY.
SECRET_KEY = env_str("ENDOSPINE_SECRET_KEY") or read_generated_key(DATA_DIR)
DEBUG = env_bool("ENDOSPINE_DEBUG", False)
ALLOWED_HOSTS = env_list("ENDOSPINE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("ENDOSPINE_CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "endospine.core.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "ninja",  # serves the API docs' Swagger UI from the package, not a CDN
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "endospine.core",
    "endospine.accounts",
    "endospine.audit",
    "endospine.journey",
    "endospine.learn",
    "endospine.assess",
    "endospine.prepare",
    "endospine.operate",
    "endospine.recover",
    "endospine.proms",
    "endospine.measure",
    "endospine.api",
    "endospine.fhir",
]

MIDDLEWARE = [
    "endospine.core.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "endospine.api.middleware.ApiBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "endospine.access.context.AccessMiddleware",
    "endospine.core.text.TextCheckMiddleware",
    "endospine.accounts.middleware.SessionExpiryMiddleware",
    "endospine.accounts.middleware.StaffTwoFactorMiddleware",
    "endospine.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "endospine.core.headers.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "endospine.urls"
WSGI_APPLICATION = "endospine.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "endospine.core.context_processors.site_contacts",
                "endospine.recover.context_processors.alert_badge",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite in the data dir by default. WAL lets readers run beside a writer;
# synchronous=FULL makes a committed check-in survive a power cut; IMMEDIATE
# transactions take the write lock up front, so concurrent writers queue
# (for up to `timeout` seconds) instead of failing with "database is locked".
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
        # PgBouncer in transaction mode (docs/deploy.md) gives each transaction
        # any server connection, so no cursor may outlive its transaction.
        # (Django already turns psycopg 3's prepared statements off.)
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "endospine.sqlite3"),
            "CONN_MAX_AGE": 60,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                " PRAGMA foreign_keys=ON;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: rate limits live here, so it must be shared by every process. ---
# Default: Django's database cache (the table is created by `migrate`), no
# extra server. Production option: Redis, `ENDOSPINE_CACHE_URL=redis://host:6379/0`
# (install the `redis` extra). `locmem://` is per-process: one process only.
CACHE_URL = env_str("ENDOSPINE_CACHE_URL")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL.startswith("locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif CACHE_URL in ("", "db://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "endospine_cache",
        }
    }
else:
    raise ImproperlyConfigured("ENDOSPINE_CACHE_URL must be redis://..., db:// or locmem://")

# --- Authentication and sessions (OWASP ASVS level 2) ------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["endospine.accounts.backends.UsernameOrEmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
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
]
# Lock-out after repeated failures cools off by itself, so nobody can lock a
# patient out for good by guessing at their username.
LOGIN_FAILURE_LIMIT = env_int("ENDOSPINE_LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_COOLOFF_SECONDS = env_int("ENDOSPINE_LOGIN_COOLOFF_SECONDS", 900, minimum=1)
SESSION_IDLE_SECONDS = env_int("ENDOSPINE_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_COOKIE_AGE = env_int("ENDOSPINE_SESSION_MAX_SECONDS", 12 * 3600, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("ENDOSPINE_SECURE_COOKIES", not DEBUG and env_bool("ENDOSPINE_HTTPS"))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# Staff must use TOTP; off only for the local demo and tests.
STAFF_REQUIRE_2FA = env_bool("ENDOSPINE_STAFF_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "EndoSpine"

# --- HTTPS (production) ------------------------------------------------------
if env_bool("ENDOSPINE_HTTPS"):
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = env_int("ENDOSPINE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# Only these peers may set the client address and scheme (X-Forwarded-For,
# X-Forwarded-Proto): see endospine/core/proxy.py.
TRUSTED_PROXIES = env_list("ENDOSPINE_TRUSTED_PROXIES", [])
SECURE_CONTENT_TYPE_NOSNIFF = True
# Scripts and styles from our own static files only: no inline script or
# style, no 'unsafe-inline', no third-party host (templates link to
# <app>/static/ files; a test checks every template).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Internationalisation ----------------------------------------------------
LANGUAGE_CODE = "en"
# The languages of the product: every page, message and PDF (issue 15).
# Spanish is switched on with ENDOSPINE_LANGUAGES=en,es once its catalogue and content are
# complete: until then a Spanish browser would get pages half in Spanish (Django's own
# strings) and half in English, which is worse for a patient than one language.
SUPPORTED_LANGUAGES = [("en", "English"), ("es", "Español")]
_ENABLED = env_list("ENDOSPINE_LANGUAGES", ["en"])
if not _ENABLED or set(_ENABLED) - {code for code, _ in SUPPORTED_LANGUAGES}:
    raise ImproperlyConfigured("ENDOSPINE_LANGUAGES: use codes from en, es (e.g. 'en,es')")
LANGUAGES = [(code, name) for code, name in SUPPORTED_LANGUAGES if code in _ENABLED]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("ENDOSPINE_TIME_ZONE", "UTC")
USE_I18N = True
# One date format per locale, used by every page, e-mail and PDF (endospine/formats/).
FORMAT_MODULE_PATH = ["endospine.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# --- API ---------------------------------------------------------------------
API_MAX_BODY_BYTES = env_int("ENDOSPINE_API_MAX_BODY_BYTES", 256 * 1024, minimum=1024)
# Load balancers whose X-Forwarded-For names the client (docs/deploy.md).
TRUSTED_PROXIES = env_list("ENDOSPINE_TRUSTED_PROXIES", [])
# A process remembers a bearer token's user this long (0: never); a revoked
# token or deactivated user is refused by every process within this delay.
API_TOKEN_CACHE_SECONDS = env_int("ENDOSPINE_API_TOKEN_CACHE_SECONDS", 10, minimum=0)
DATA_UPLOAD_MAX_MEMORY_SIZE = API_MAX_BODY_BYTES
RATE_LIMIT_PER_MINUTE = env_int("ENDOSPINE_RATE_LIMIT_PER_MINUTE", 120, minimum=1)
# 50 rows keep a page's audit rows in one INSERT on SQLite (999 parameters).
API_PAGE_SIZE_MAX = 50

# --- Clinical settings (sources in docs/clinical-settings.md) ---------------
DEFAULT_EMERGENCY_NUMBER = env_str("ENDOSPINE_DEFAULT_EMERGENCY_NUMBER", "911")
FEVER_THRESHOLD_C = env_float("ENDOSPINE_FEVER_THRESHOLD_C", 38.0)
ODI_MIC_POINTS = env_float("ENDOSPINE_ODI_MIC_POINTS", 10.0)
ODI_MIC_PERCENT = env_float("ENDOSPINE_ODI_MIC_PERCENT", 30.0)
NRS_MIC_POINTS = env_float("ENDOSPINE_NRS_MIC_POINTS", 2.0)
NRS_MIC_PERCENT = env_float("ENDOSPINE_NRS_MIC_PERCENT", 30.0)
# Minimal detectable change: a change counts as important only if it also reaches
# this (issue 16 item 15). ODI about 10 points at 90% confidence (clinical reference
# section 5); NRS 2 points (Childs, Spine 2005).
ODI_MDC_POINTS = env_float("ENDOSPINE_ODI_MDC_POINTS", 10.0)
NRS_MDC_POINTS = env_float("ENDOSPINE_NRS_MDC_POINTS", 2.0)
ODI_WORDING_FILE = env_str("ENDOSPINE_ODI_WORDING_FILE")
FASTING_FOOD_HOURS = env_int("ENDOSPINE_FASTING_FOOD_HOURS", 6, minimum=0)
FASTING_CLEAR_FLUIDS_HOURS = env_int("ENDOSPINE_FASTING_CLEAR_FLUIDS_HOURS", 2, minimum=0)
SEMANTIC_RERANK = env_bool("ENDOSPINE_SEMANTIC_RERANK", False)

# --- Background work, e-mail and SMS ------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str("ENDOSPINE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
EMAIL_BACKEND = env_str("ENDOSPINE_EMAIL_BACKEND", "endospine.core.mail.MaskedConsoleEmailBackend")
DEFAULT_FROM_EMAIL = env_str("ENDOSPINE_FROM_EMAIL", "care-team@endospine.invalid")
# The public address, for links in e-mails and text messages (relative without it).
SITE_URL = env_str("ENDOSPINE_SITE_URL", "")
# How often staff pages poll the alert badge and the worklist (htmx).
ALERT_POLL_SECONDS = env_int("ENDOSPINE_ALERT_POLL_SECONDS", 15, minimum=1)
SMS_BACKEND = env_str("ENDOSPINE_SMS_BACKEND", "endospine.core.sms.ConsoleSmsBackend")

# --- Logging: no PHI ever goes to logs; request paths carry only UUIDs. ------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"redact": {"()": "endospine.core.logfilters.RedactSecrets"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("ENDOSPINE_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Outcomes registry (docs/measure.md): groups with fewer responses are suppressed in
# GET /api/v1/outcomes; public counts 1 .. PUBLIC_MIN_CELL-1 are never shown.
MIN_CELL = env_int("ENDOSPINE_MIN_CELL", 5, minimum=1)
PUBLIC_MIN_CELL = env_int("ENDOSPINE_PUBLIC_MIN_CELL", 11, minimum=2)
