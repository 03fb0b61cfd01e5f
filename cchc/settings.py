"""Settings for CCHC, read from the environment.

CCHC_ENV=production turns on every safeguard and refuses to start with DEBUG on, a default
secret key or no allowed hosts. Without it the system runs locally with SQLite and demo-friendly
settings.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CCHC_VAR_DIR", BASE_DIR / "var"))

ENVIRONMENT = os.environ.get("CCHC_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
TESTING = ENVIRONMENT == "test"

DEFAULT_SECRET_KEY = "dev-only-insecure-key-change-me"
SECRET_KEY = os.environ.get("CCHC_SECRET_KEY", DEFAULT_SECRET_KEY)
DEBUG = os.environ.get("CCHC_DEBUG", "0" if PRODUCTION or TESTING else "1") == "1"
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get(
        "CCHC_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
    ).split(",")
    if h.strip()
]


def check_production_settings(values: dict | None = None) -> None:
    """Refuse to run a production server with development defaults, naming every problem.

    `values` are the settings to judge (this module's own by default), so that the check can be
    tried without starting a server."""
    values = globals() if values is None else values
    if not values.get("PRODUCTION"):
        return
    secret = values.get("SECRET_KEY") or ""
    problems = []
    if values.get("DEBUG"):
        problems.append("DEBUG must be off (CCHC_DEBUG=0)")
    if secret == DEFAULT_SECRET_KEY or len(secret) < 50 or len(set(secret)) < 10:
        problems.append("CCHC_SECRET_KEY must be set to a random value of at least 50 characters")
    if not values.get("ALLOWED_HOSTS"):
        problems.append("CCHC_ALLOWED_HOSTS must list the host names served")
    if values.get("EMAIL_HOST_USER") and not values.get("EMAIL_HOST_PASSWORD"):
        problems.append("CCHC_EMAIL_PASSWORD must be set when CCHC_EMAIL_USER is")
    if problems:
        raise ImproperlyConfigured("Refusing to start in production: " + "; ".join(problems))


INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "auditlog",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "org",
    "ingest",
    "plans",
    "notify",
    "reports",
    "scoring",
    "inspections",
    "surveys",
    "initiatives",
    "province_requests",
    "oversight",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cchc.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Account safeguards: the second factor, idle sessions, no caching of signed-in pages.
    "django_otp.middleware.OTPMiddleware",
    "cchc.middleware.SessionTimeoutMiddleware",
    "org.middleware.TwoFactorMiddleware",
    "cchc.middleware.PrivatePagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Axes must come last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cchc.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "org.context_processors.current_unit",
                "org.context_processors.main_menu",
                "notify.context_processors.unread_notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "cchc.wsgi.application"

# Database: SQLite by default; PostgreSQL (or another) through DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("CCHC_SQLITE_PATH", str(VAR_DIR / "cchc.sqlite3")),
            "OPTIONS": {
                # WAL lets readers work while one writer writes; IMMEDIATE avoids
                # "database is locked" on upgrade from a read to a write transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Hashing strength is not under test; speed of the suite is.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email")},
    },
    {
        "NAME": "org.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Two-factor sign-in (TOTP, with single-use recovery codes) is required of system administrators
# and province accounts when CCHC_REQUIRE_2FA=1, the default in production; anyone may turn it on.
CCHC_REQUIRE_2FA = os.environ.get("CCHC_REQUIRE_2FA", "1" if PRODUCTION else "0") == "1"
OTP_TOTP_ISSUER = os.environ.get("CCHC_OTP_ISSUER", "CCHC")
RECOVERY_CODE_COUNT = 10

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

# Login rate limiting: five failures for one account from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("CCHC_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLED = os.environ.get("CCHC_AXES", "1") == "1"

# Internationalisation: Vietnamese first, English available.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["cchc.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "core.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}


# Uploaded files: on local disk (MEDIA_ROOT) unless an S3-compatible bucket is named
# (Amazon S3, MinIO, Ceph, a provider's object storage), through django-storages.
def object_storage(
    bucket: str,
    endpoint_url: str | None = None,
    access_key: str = "",
    secret_key: str = "",
    region: str | None = None,
    prefix: str = "",
    addressing_style: str = "",
) -> dict:
    """The STORAGES entry keeping files in an S3-compatible bucket."""
    from boto3.s3.transfer import TransferConfig

    return {
        "BACKEND": "core.object_storage.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "access_key": access_key,
            "secret_key": secret_key,
            "region_name": region or None,
            "location": prefix,
            # Self-hosted servers are usually reached by address, not by bucket sub-domain.
            "addressing_style": addressing_style or ("path" if endpoint_url else "auto"),
            "signature_version": "s3v4",
            "default_acl": None,
            "file_overwrite": False,
            # Signed download links (CCHC_S3_SIGNED_DOWNLOADS=1) last one minute.
            "querystring_expire": 60,
            # Files up to the upload limit go in one streamed PUT; larger ones in parts of 8 MB.
            "transfer_config": TransferConfig(
                multipart_threshold=64 * 1024 * 1024,
                multipart_chunksize=8 * 1024 * 1024,
                max_concurrency=2,
            ),
        },
    }


S3_SIGNED_DOWNLOADS = os.environ.get("CCHC_S3_SIGNED_DOWNLOADS", "0") == "1"
if os.environ.get("CCHC_S3_BUCKET"):
    STORAGES["default"] = object_storage(
        os.environ["CCHC_S3_BUCKET"],
        endpoint_url=os.environ.get("CCHC_S3_ENDPOINT_URL"),
        access_key=os.environ.get("CCHC_S3_ACCESS_KEY", ""),
        secret_key=os.environ.get("CCHC_S3_SECRET_KEY", ""),
        region=os.environ.get("CCHC_S3_REGION"),
        prefix=os.environ.get("CCHC_S3_PREFIX", ""),
        addressing_style=os.environ.get("CCHC_S3_ADDRESSING_STYLE", ""),
    )
MEDIA_ROOT = VAR_DIR / "media"
for _folder in (VAR_DIR, STATIC_ROOT, MEDIA_ROOT, VAR_DIR / "mail"):
    _folder.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"

# Uploads: size limits checked again per file by the import services.
MAX_UPLOAD_BYTES = int(os.environ.get("CCHC_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail: password reset links. Local runs write messages to var/mail so they can be read.
EMAIL_BACKEND = os.environ.get(
    "CCHC_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("CCHC_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("CCHC_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("CCHC_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CCHC_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("CCHC_EMAIL_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("CCHC_EMAIL_FROM", "cchc@localhost")

check_production_settings()

# Security headers and cookies.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A session ends 8 hours after signing in, or after 30 minutes without a request.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_IDLE_SECONDS = int(os.environ.get("CCHC_SESSION_IDLE_MINUTES", "30")) * 60
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("CCHC_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    CSRF_TRUSTED_ORIGINS = [
        o for o in os.environ.get("CCHC_CSRF_TRUSTED_ORIGINS", "").split(",") if o
    ]

# Everything is served from the project itself: no CDN, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# The interactive API docs load their own script and style from the ninja package (served here).
NINJA_PAGINATION_PER_PAGE = 100
# Bounded limit and offset: a page never asks the database for more than it can count.
NINJA_PAGINATION_CLASS = "core.api.Pagination"

AUDITLOG_INCLUDE_ALL_MODELS = False

# Reminders: the daily run's hour, and after how many overdue days the department head is told.
REMINDER_HOUR = int(os.environ.get("CCHC_REMINDER_HOUR", "6"))
REMINDER_ESCALATION_DAYS = int(os.environ.get("CCHC_REMINDER_ESCALATION_DAYS", "7"))
REMINDER_RETRY_MINUTES = int(os.environ.get("CCHC_REMINDER_RETRY_MINUTES", "15"))
SITE_URL = os.environ.get("CCHC_SITE_URL", "http://127.0.0.1:8000")

# Background work: a queue kept in the database, run by `manage.py db_worker` (no Redis needed).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CCHC_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
