"""Settings for the youth offending inspection findings database.

Everything that differs between a laptop and production comes from the environment:

- ``DATABASE_URL``: a database URL (``postgres://user@host:5432/name``); an SQLite file in the project when unset.
- ``DJANGO_SECRET_KEY``: required in production (the WSGI application refuses to start without it); a fixed,
  clearly insecure key stands in only when debug is on.
- ``DJANGO_ALLOWED_HOSTS``: comma-separated host names; 127.0.0.1 and localhost when unset.
- ``DJANGO_CSRF_TRUSTED_ORIGINS``: comma-separated origins (``https://findings.example.gov.uk``), if any.
- ``DJANGO_DEBUG``: ``1`` turns debug on; off otherwise (``make run`` sets it).
- ``DJANGO_SECURE_SSL_REDIRECT``: ``0`` stops redirecting plain HTTP to HTTPS (on by default without debug).
- ``DJANGO_BEHIND_PROXY``: ``1`` when a proxy terminates TLS and sets ``X-Forwarded-Proto``.

Production (debug off) is the default: HTTPS only, HSTS, secure cookies, security headers, a content security
policy and login throttling. docs/deploying.md lists it all.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
# Without debug there is no fallback: an empty key makes Django refuse anything that signs (sessions, CSRF), and
# the WSGI application refuses to start (inspections/wsgi.py). Management commands that sign nothing (migrate,
# load_reports) still run, so a server can be set up before its secret is in place.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or (
    "django-insecure-local-development-key-not-for-production" if DEBUG else ""
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "inspections",
    "ratings",
    "findings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "inspections.middleware.StaticFilesMiddleware",
    "inspections.middleware.RefuseNulParametersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its refusal.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "inspections.urls"
WSGI_APPLICATION = "inspections.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Counts failed logins and refuses a locked-out one before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with a user's permissions read in one query (every admin page reads them).
    "inspections.roles.PermissionsInOneQueryBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    ("moj", BASE_DIR / "node_modules" / "@ministryofjustice" / "frontend" / "moj"),
    BASE_DIR / "static",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # In production, `collectstatic` writes compressed files with hashed names that can be cached forever;
    # locally (DEBUG) files are served straight from the apps. Tests switch to the plain storage too.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGIN_URL = "admin:login"

# Production security: everything over HTTPS, cookies only over HTTPS, browsers told to stay on HTTPS.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
if env_bool("DJANGO_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_AGE = 60 * 60 * 8  # a working day
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content security policy: scripts, styles, fonts and images from this site only. GOV.UK Frontend's inline
# "js-enabled" snippet lives in static/js/enable.js, so no inline script is allowed. The charts set bar widths
# in style attributes, so attributes (not style elements) may carry inline styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Login throttling (django-axes): five failures for a username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Locks are lifted with `manage.py axes_reset_username USERNAME`, not in the admin: no pages that list who tried
# which username from where.
AXES_ENABLE_ADMIN = False
# The address is REMOTE_ADDR, which a client cannot forge (X-Forwarded-For can be): behind a proxy every login
# comes from the proxy, and the lock holds the username whatever address the attempts come from.
# History is written by the system only (inspections/audit.py refuses writes to history pages too).
SIMPLE_HISTORY_REVERT_DISABLED = True
# One inspection page edits a whole report: about two hundred findings with their fields come to ~2,000
# form fields, over Django's default of 1,000.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
