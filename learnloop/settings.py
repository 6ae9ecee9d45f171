"""Learnloop settings, read from the environment.

SQLite in ``LEARNLOOP_DATA_DIR`` by default; ``DATABASE_URL`` switches to PostgreSQL. Every
variable is listed in the README; a malformed value stops start-up with a message naming it.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from learnloop.core.env import (
    ConfigError,
    env_bool,
    env_int,
    env_list,
    env_str,
    env_url,
    listen_url,
)

BASE_DIR = Path(__file__).resolve().parent

DATA_DIR = Path(env_str("LEARNLOOP_DATA_DIR") or (Path.cwd() / "data")).expanduser().resolve()
try:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
except OSError as exc:
    raise ConfigError(
        f"LEARNLOOP_DATA_DIR={str(DATA_DIR)!r} cannot be created ({exc.strerror}); "
        "expected a writable directory path"
    ) from None

DEBUG = env_bool("LEARNLOOP_DEBUG", False)
HTTPS = env_bool("LEARNLOOP_HTTPS", False)
BENCHMARK_VIEWS = env_bool("LEARNLOOP_BENCHMARK_VIEWS", False)  # /bench/bare for loadtests


def _secret_key() -> str:
    """Use LEARNLOOP_SECRET_KEY, else a random key generated once and kept in the data dir."""
    key = env_str("LEARNLOOP_SECRET_KEY")
    if key:
        if len(key) < 50 or len(set(key)) < 5:
            raise ConfigError(
                "LEARNLOOP_SECRET_KEY is too weak; expected at least 50 characters with at "
                "least 5 distinct ones (for example: python -c 'import secrets; "
                "print(secrets.token_urlsafe(50))')"
            )
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(64))
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("LEARNLOOP_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("LEARNLOOP_CSRF_TRUSTED_ORIGINS", [])
BASE_URL = env_url("LEARNLOOP_BASE_URL", ("http", "https"), "https://learnloop.example.org")
# The address `learnloop serve` listens on: serve sets LEARNLOOP_SERVE_URL for its gunicorn and
# worker children; elsewhere it follows LEARNLOOP_HOST / LEARNLOOP_PORT, the defaults serve reads.
# Links in emails use BASE_URL, else this (core.urls_util.absolute_url, decision 0130).
SERVE_URL = env_url(
    "LEARNLOOP_SERVE_URL", ("http", "https"), "http://127.0.0.1:8000"
) or listen_url(
    env_str("LEARNLOOP_HOST", "127.0.0.1"),
    env_int("LEARNLOOP_PORT", 8000, minimum=1, maximum=65535),
)

INSTALLED_APPS = [
    "learnloop.accounts.admin_site.OperatorAdminConfig",  # django.contrib.admin, operators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "learnloop.core",
    "learnloop.accounts",
    "learnloop.tasks",
    "learnloop.web",
    "learnloop.incidents",
    "learnloop.reviews",
    "learnloop.actions",
    "learnloop.notifications",
    "learnloop.lessons",
    "learnloop.search",
    "learnloop.coach",
    "learnloop.surveys",
    "learnloop.applause",
    "learnloop.debriefs",
    "learnloop.webhooks",
    "learnloop.chat",
    "learnloop.transfer",
    "learnloop.retros",
    "learnloop.calendars",
    "learnloop.journal",
    "learnloop.drills",
    "learnloop.experiments",
    "learnloop.transcripts",
    "learnloop.metrics",
    "learnloop.devtools",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "learnloop.core.middleware.SecurityHeadersMiddleware",
    # The live retro poll's "nothing changed" in one query, before sessions (decisions/0164).
    "learnloop.retros.live.LiveStateMiddleware",
    "learnloop.core.middleware.ApiErrorShapeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "learnloop.core.middleware.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "learnloop.core.middleware.RequestGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Kept pages per viewer, and the organisation a request's writes belong to (decision 0076).
    "learnloop.web.page_cache.PageCacheMiddleware",
    # Last: turns a sign-in refused by django-axes into the sign-in page with a message (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "learnloop.urls"
WSGI_APPLICATION = "learnloop.wsgi.application"

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
                "learnloop.web.context.navigation",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_url(
    "DATABASE_URL",
    ("postgres", "postgresql", "sqlite"),
    "postgresql://USER:PASSWORD@HOST:5432/NAME",
)
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
    # Django's backends plus a before-commit hook (learnloop/core/commit_hooks.py, decision 0073).
    DATABASES["default"]["ENGINE"] = DATABASES["default"]["ENGINE"].replace(
        "django.db.backends.", "learnloop.core.backends.", 1
    )
else:
    DATABASES = {
        "default": {
            "ENGINE": "learnloop.core.backends.sqlite3",
            "NAME": DATA_DIR / "learnloop.sqlite3",
            "OPTIONS": {
                # IMMEDIATE avoids lock-upgrade deadlocks between concurrent writers; WAL lets
                # readers run beside one writer; synchronous=FULL keeps every acknowledged
                # commit across an OS crash; secure_delete overwrites deleted rows (expired
                # rate-limit keys must not linger in free pages: decision 0010).
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                    "PRAGMA foreign_keys=ON; PRAGMA cache_size=-20000; PRAGMA secure_delete=ON;"
                ),
            },
            # Each server thread keeps its connection between requests (decision 0176): opening
            # one (the pragmas above, the schema read by the first statement) cost 3-4 ms of
            # CPU, more than a kept page's whole request. 0 opens one per request as before.
            "CONN_MAX_AGE": env_int("LEARNLOOP_SQLITE_CONN_MAX_AGE", 600, minimum=0),
            # A file, not memory: tests with threads and processes see one real database.
            "TEST": {"NAME": str(DATA_DIR / f"test-learnloop-{os.getpid()}.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: file cache in the data dir (shared by processes on one machine) or Redis --------
# plus "local", per process and in memory only, for what must not reach a disk (decision 0010).
CACHE_URL = env_url("LEARNLOOP_CACHE_URL", ("redis", "rediss", "file"), "redis://127.0.0.1:6379/0")
if CACHE_URL.startswith("redis"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }
CACHES["local"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "local"}
# Rendered pages and API lists kept per viewer in process memory until their organisation's data
# changes (learnloop/web/page_cache.py, decision 0076): the views kept, by URL name.
LEARNLOOP_PAGE_CACHE = env_bool("LEARNLOOP_PAGE_CACHE", True)
PAGE_CACHE_URL_NAMES = (
    "web:home",
    "incidents:list",
    "incidents:detail",  # never an anonymous report's (negative id)
    "incidents:dashboard",
    "reviews:list",
    "reviews:detail",
    "actions:list",
    "lessons:library",
    "search:search",
    "debriefs:list",
    "debriefs:detail",
    "debriefs:spread",
    "metrics:team",
    "metrics:organisation",
    "experiments:list",
    "experiments:detail",
    "experiments:portfolio",
    "experiments:showcase",
    "experiments:diagnostic",
    "retros:list",
    "retros:detail",  # not while a timer runs, nor for a browser holding card secrets
    "drills:list",
    "drills:campaigns",
    "drills:detail",
    "drills:pledge",
)
# API lists, by route (ninja names operations by function name, and two apps use entry_list).
PAGE_CACHE_API_ROUTES = (
    "api/incidents",  # the list; only GETs are ever kept
    "api/reviews",
    "api/actions",
    "api/lessons",
    "api/notifications",
    "api/debriefs/deliverables/<int:deliverable_id>/entries",
    "api/metrics/teams/<slug>",
    "api/experiments",
    "api/drills",
    "api/drills/campaigns",
    "api/pledges",
)

# --- Auth -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (django-axes, docs/decisions/0016-sign-in-throttling.md): after
# LEARNLOOP_SIGNIN_ATTEMPTS wrong passwords for one email from one address, that pair is refused
# for LEARNLOOP_SIGNIN_COOLOFF_MINUTES, whether the email has an account or not. Attempts are
# rows in the database (atomic on SQLite and PostgreSQL, shared by every process).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Single sign-on (OpenID Connect, decision 0200): per deployment; the provider belongs to the
# organisation LEARNLOOP_OIDC_ORGANISATION (its slug). Off while the issuer is unset.
OIDC_ISSUER = env_url("LEARNLOOP_OIDC_ISSUER", ("http", "https"), "https://login.example.org")
OIDC_RP_CLIENT_ID = env_str("LEARNLOOP_OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("LEARNLOOP_OIDC_CLIENT_SECRET")
OIDC_ORGANISATION = env_str("LEARNLOOP_OIDC_ORGANISATION")
OIDC_PROVIDER_NAME = env_str("LEARNLOOP_OIDC_PROVIDER_NAME", "your company account")
if OIDC_ISSUER and not (OIDC_RP_CLIENT_ID and OIDC_ORGANISATION):
    raise ConfigError(
        "LEARNLOOP_OIDC_ISSUER is set: set LEARNLOOP_OIDC_CLIENT_ID (and _CLIENT_SECRET) and "
        "LEARNLOOP_OIDC_ORGANISATION (the slug of the organisation whose people sign in with it)"
    )
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_STORE_ID_TOKEN = True  # the hint for RP-initiated logout
OIDC_CREATE_USER = False  # provisioning is the organisation's choice (accounts.sso)
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso-callback"
# Signing out posts a form whose answer redirects to the provider's end-session endpoint (on
# the issuer's origin); browsers hold that redirect to the Content-Security-Policy's
# form-action, so the issuer's origin is added there (core.middleware.content_security_policy).
CSP_FORM_ACTION_ORIGINS = (
    ["{0.scheme}://{0.netloc}".format(urlsplit(OIDC_ISSUER))] if OIDC_ISSUER else []
)
LOGIN_REDIRECT_URL_FAILURE = "accounts:login"
AUTHENTICATION_BACKENDS.append("learnloop.accounts.sso.SSOBackend")
AXES_FAILURE_LIMIT = env_int("LEARNLOOP_SIGNIN_ATTEMPTS", 5, minimum=1, maximum=100)
AXES_COOLOFF_TIME = dt.timedelta(
    minutes=env_int("LEARNLOOP_SIGNIN_COOLOFF_MINUTES", 15, minimum=1, maximum=24 * 60)
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "learnloop.accounts.throttling.signin_email"
AXES_CLIENT_IP_CALLABLE = "learnloop.core.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "learnloop.accounts.throttling.signin_refused"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # no record of who signed in from where, only of failures
AXES_VERBOSE = False  # log lines name neither the email nor the address
# Password-reset emails (counted by core.ratelimit; over a limit the page answers as usual).
PASSWORD_RESET_EMAILS_PER_HOUR = 3
PASSWORD_RESET_REQUESTS_PER_ADDRESS_PER_HOUR = 20
# Proxies whose X-Forwarded-For is believed (the same variable gunicorn reads in `serve`).
FORWARDED_ALLOW_IPS = env_list("LEARNLOOP_FORWARDED_ALLOW_IPS", ["127.0.0.1"])

INVITATION_DAYS = env_int("LEARNLOOP_INVITATION_DAYS", 14, minimum=1, maximum=365)

# --- Email: printed to the console unless LEARNLOOP_SMTP_URL is set ---------------------------
SMTP_URL = env_url(
    "LEARNLOOP_SMTP_URL", ("smtp", "smtps", "smtp+tls"), "smtp://user:password@mail.example.org:587"
)
DEFAULT_FROM_EMAIL = env_str("LEARNLOOP_FROM_EMAIL", "Learnloop <learnloop@localhost>")
if SMTP_URL:
    from urllib.parse import unquote, urlsplit

    _smtp = urlsplit(SMTP_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _smtp.hostname or "localhost"
    try:
        EMAIL_PORT = _smtp.port or (465 if _smtp.scheme == "smtps" else 25)
    except ValueError:
        raise ConfigError(
            "LEARNLOOP_SMTP_URL has an invalid port; expected smtp://host:PORT"
        ) from None
    EMAIL_HOST_USER = unquote(_smtp.username or "")
    EMAIL_HOST_PASSWORD = unquote(_smtp.password or "")
    EMAIL_USE_SSL = _smtp.scheme == "smtps"
    EMAIL_USE_TLS = _smtp.scheme == "smtp+tls"
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Static files: served by WhiteNoise with far-future caching; no CDN ------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "media"},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

# --- Security -----------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "learnloop.core.error_pages.csrf_failure"
SESSION_COOKIE_AGE = env_int("LEARNLOOP_SESSION_DAYS", 14, minimum=1, maximum=365) * 86400
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("LEARNLOOP_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("LEARNLOOP_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Background jobs ----------------------------------------------------------------------------
TASKS_POLL_SECONDS = env_int("LEARNLOOP_WORKER_POLL_SECONDS", 2, minimum=1, maximum=300)
TASKS_LEASE_SECONDS = env_int("LEARNLOOP_JOB_LEASE_SECONDS", 300, minimum=10)

# --- Locale ---------------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("LEARNLOOP_TIME_ZONE", "UTC")
USE_I18N = False
USE_TZ = True

LOG_LEVEL = env_str("LEARNLOOP_LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
    raise ConfigError(
        f"LEARNLOOP_LOG_LEVEL={LOG_LEVEL!r} is not valid; expected DEBUG, INFO, WARNING or ERROR"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
