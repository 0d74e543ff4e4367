"""EndoSpine settings, read from the environment. See the table in README.md."""

import secrets
from pathlib import Path

import dj_database_url

from endospine.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
CONTENT_DIR = Path(env_str("ENDOSPINE_CONTENT_DIR", str(PROJECT_DIR / "content")))
DATA_DIR = Path(env_str("ENDOSPINE_DATA_DIR", "./var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The key from the environment, or one generated once and kept in the data dir."""
    from_env = env_str("ENDOSPINE_SECRET_KEY")
    if from_env:
        return from_env
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(64))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("ENDOSPINE_DEBUG", False)
ALLOWED_HOSTS = env_list("ENDOSPINE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("ENDOSPINE_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "endospine.api.middleware.ApiBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "endospine.accounts.middleware.SessionExpiryMiddleware",
    "endospine.accounts.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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

# --- Authentication and sessions (OWASP ASVS level 2) ------------------------
AUTH_USER_MODEL = "accounts.User"
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
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("ENDOSPINE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Internationalisation ----------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = env_str("ENDOSPINE_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# --- API ---------------------------------------------------------------------
API_MAX_BODY_BYTES = env_int("ENDOSPINE_API_MAX_BODY_BYTES", 256 * 1024, minimum=1024)
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
EMAIL_BACKEND = env_str("ENDOSPINE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("ENDOSPINE_FROM_EMAIL", "care-team@endospine.invalid")
# The public address, for links in e-mails and text messages (relative without it).
SITE_URL = env_str("ENDOSPINE_SITE_URL", "")
SMS_BACKEND = env_str("ENDOSPINE_SMS_BACKEND", "endospine.core.sms.ConsoleSmsBackend")

# --- Logging: no PHI ever goes to logs; request paths carry only UUIDs. ------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"no_query_strings": {"()": "endospine.core.logfilters.StripQueryString"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_query_strings"],
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
