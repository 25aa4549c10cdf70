"""Django settings. Every value read from the environment is declared in helix.config."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from helix.config import BASE_DIR, read_environment, read_secret_key, setting

# "production" (the default outside tests) or "development"; see docs/settings.md, Production checklist.
HELIX_ENV = read_environment()
PRODUCTION = HELIX_ENV == "production"
DEBUG = setting("HELIX_DEBUG").read_bool()
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured(
        "HELIX_DEBUG is on while HELIX_ENV=production: debug pages show settings and code to anyone. "
        "Unset HELIX_DEBUG, or set HELIX_ENV=development on a machine of your own."
    )

VAR_DIR = Path(setting("HELIX_VAR_DIR").read())
VAR_DIR.mkdir(parents=True, exist_ok=True)

# Refuses to start in production when HELIX_SECRET_KEY is missing, public or short.
SECRET_KEY = read_secret_key(HELIX_ENV, VAR_DIR)
ALLOWED_HOSTS = [h.strip() for h in setting("HELIX_ALLOWED_HOSTS").read().split(",") if h.strip()]
if not PRODUCTION:
    ALLOWED_HOSTS += ["testserver"]  # Django's test client

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "auditlog",
    "axes",
    "csp",
    "helix.jobs",
    "helix.registry",
    "helix.market",
    "helix.events",
    "helix.symbiosis",
    "helix.projects",
    "helix.funds",
    "helix.calls",
    "helix.roadmaps",
    "helix.api",
    "helix.audit",
    "helix.privacy",
    "helix.notifications",
    "helix.people",
    "helix.home",
    "helix.insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-auditlog's middleware (the session's user and address on every change), which also opens
    # the request's acting context so an API token's user is recorded too (helix.audit.context).
    "helix.audit.middleware.AuditMiddleware",
    # Mail follows the language a person last used, until they choose one (helix.notifications).
    "helix.notifications.middleware.ReaderLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a locked-out log-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "helix.urls"
WSGI_APPLICATION = "helix.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # Django's csrf processor, remembering the token so the page cache can swap it.
                "helix.pagecache.csrf",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "helix.privacy.context.my_data",
            ],
        },
    },
]

_database_url = setting("DATABASE_URL").read()
DATABASES = {
    "default": dj_database_url.parse(_database_url, conn_max_age=60)
    if _database_url
    else {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "helix.sqlite3",
        "OPTIONS": {
            # WAL lets the web server read while the worker writes.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# django-axes' lock-out check first; it authenticates no one itself (helix.accounts).
AUTHENTICATION_BACKENDS = [
    "helix.accounts.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "home:home"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("nl", "Nederlands"), ("fr", "Français"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English as read in Belgium and Luxembourg (day first, 24 h); nl/fr/de keep Django's formats.
FORMAT_MODULE_PATH = ["helix.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Private files (letters of intent, exports, uploads) live outside MEDIA_ROOT and are never served as
# static files: only permission-checked views send them (helix.private_files).
PRIVATE_ROOT = VAR_DIR / "private"

EMAIL_BACKEND = setting("HELIX_EMAIL_BACKEND").read()
DEFAULT_FROM_EMAIL = setting("HELIX_DEFAULT_FROM_EMAIL").read()
EMAIL_HOST = setting("HELIX_EMAIL_HOST").read()
EMAIL_PORT = setting("HELIX_EMAIL_PORT").read_int()
EMAIL_HOST_USER = setting("HELIX_EMAIL_HOST_USER").read()
EMAIL_HOST_PASSWORD = setting("HELIX_EMAIL_HOST_PASSWORD").read()
EMAIL_USE_TLS = setting("HELIX_EMAIL_USE_TLS").read_bool()
EMAIL_USE_SSL = setting("HELIX_EMAIL_USE_SSL").read_bool()
EMAIL_TIMEOUT = 20
HELIX_SITE_URL = setting("HELIX_SITE_URL").read()
HELIX_DIGEST_HOUR = setting("HELIX_DIGEST_HOUR").read_int()
# Called by the worker's housekeeping round (every few seconds; each decides itself whether it is due).
HELIX_HOUSEKEEPING = [
    "helix.notifications.mail.send_due_mail",
    "helix.notifications.services.send_digests",
    "helix.events.notices.remind_request_deadlines",
    "helix.market.notices.remind_expiring_listings",
    "helix.notifications.services.forget_old_mail",
    "helix.people.retention.forget_stale",
    "helix.calls.clock.close_due",
    "helix.roadmaps.notices.remind_due_milestones",
]

TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if setting("HELIX_TASKS_IMMEDIATE").read_bool()
        else "django_tasks_db.DatabaseBackend",
    }
}

HELIX_PAGE_SIZE = int(setting("HELIX_PAGE_SIZE").read())
HELIX_JOB_STALE_SECONDS = float(setting("HELIX_JOB_STALE_SECONDS").read())
HELIX_FILE_RETENTION_DAYS = int(setting("HELIX_FILE_RETENTION_DAYS").read())
HELIX_TEXT_ENCODER = setting("HELIX_TEXT_ENCODER").read()
HELIX_ANN_THRESHOLD = int(setting("HELIX_ANN_THRESHOLD").read())
if HELIX_TEXT_ENCODER not in {"use", "hashing"}:
    raise ValueError(f"HELIX_TEXT_ENCODER must be 'use' or 'hashing', not {HELIX_TEXT_ENCODER!r}")

# Uploads and imports (helix.uploads, helix.spreadsheets). Files above FILE_UPLOAD_MAX_MEMORY_SIZE are
# spooled to a temporary file; helix.uploads.SizeLimitHandler stops keeping an upload's bytes once it
# passes HELIX_UPLOAD_MAX_BYTES, and the form then refuses it naming the limit.
HELIX_UPLOAD_MAX_BYTES = setting("HELIX_UPLOAD_MAX_BYTES").read_int()
HELIX_IMPORT_MAX_ROWS = setting("HELIX_IMPORT_MAX_ROWS").read_int()
HELIX_IMPORT_MAX_COLUMNS = setting("HELIX_IMPORT_MAX_COLUMNS").read_int()
HELIX_IMPORT_MAX_UNPACKED_BYTES = setting("HELIX_IMPORT_MAX_UNPACKED_BYTES").read_int()
FILE_UPLOAD_HANDLERS = [
    "helix.uploads.SizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # larger uploads go to a temporary file, not memory
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # a form or JSON body without its files: refused above (400)
FILE_UPLOAD_PERMISSIONS = 0o600  # uploads hold personal data: readable by the server's user only

# HTTPS, cookies and security headers: on by default in production (docs/settings.md, Production checklist).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = setting("HELIX_SECURE_COOKIES").read_flag(PRODUCTION)
SESSION_COOKIE_HTTPONLY = True  # page scripts never read the session cookie
# Sessions in the database, read through the cache shared by the server processes: a signed-in page
# costs no session query (written through on change; logging out deletes both).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Not "Strict": a visitor following a link from a mail or another site would arrive logged out.
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = setting("HELIX_SSL_REDIRECT").read_flag(PRODUCTION)
SECURE_HSTS_SECONDS = setting("HELIX_HSTS_SECONDS").read_int(365 * 24 * 3600 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = setting("HELIX_HSTS_INCLUDE_SUBDOMAINS").read_flag(PRODUCTION)
SECURE_HSTS_PRELOAD = setting("HELIX_HSTS_PRELOAD").read_bool()
_proxy_ssl_header = setting("HELIX_PROXY_SSL_HEADER").read().strip()
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https") if _proxy_ssl_header else None
)
USE_X_FORWARDED_HOST = setting("HELIX_USE_X_FORWARDED_HOST").read_bool()
CSRF_TRUSTED_ORIGINS = [
    origin.strip() for origin in setting("HELIX_CSRF_TRUSTED_ORIGINS").read().split(",") if origin.strip()
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts, styles, images, fonts and requests from our own origin
# only; htmx and every asset are served by Helix. No inline script or style (a test scans the
# templates); data: images are the icons inside the API docs' stylesheet (Swagger UI).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Rate limits: django-axes counts failed log-ins (site, admin, API) per user name and address;
# helix.ratelimit counts password-reset requests in the cache (helix.accounts).
HELIX_RATE_LIMIT_MINUTES = setting("HELIX_RATE_LIMIT_MINUTES").read_int()
HELIX_PASSWORD_RESET_LIMIT = setting("HELIX_PASSWORD_RESET_LIMIT").read_int()
HELIX_CLIENT_IP_HEADER = setting("HELIX_CLIENT_IP_HEADER").read().strip()
AXES_FAILURE_LIMIT = setting("HELIX_LOGIN_FAILURE_LIMIT").read_int()
AXES_COOLOFF_TIME = dt.timedelta(minutes=HELIX_RATE_LIMIT_MINUTES)
# One user name from one address: a visitor mistyping cannot lock out a colleague behind the same
# office address, and nobody elsewhere can lock a user out by guessing at their name.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True  # "N failures in a row"
AXES_LOCKOUT_CALLABLE = "helix.accounts.lockout_response"
AXES_CLIENT_IP_CALLABLE = "helix.ratelimit.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # no record of every successful log-in and its address (personal data)
AXES_VERBOSE = False
_cache_dir = setting("HELIX_CACHE_DIR").read().strip()
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": _cache_dir}
    if _cache_dir
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "helix"},
    # Pages and results kept by helix.pagecache: in the folder the server processes share when there is
    # one (each page rendered once for all of them, not once per process), else in the process's memory.
    # Their data version lives in "default".
    "pages": {
        "BACKEND": "helix.filecache.SharedFileCache",
        "LOCATION": str(Path(_cache_dir) / "pages"),
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
    if _cache_dir
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "helix-pages",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
HELIX_PAGE_CACHE_SECONDS = setting("HELIX_PAGE_CACHE_SECONDS").read_int()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO" if DEBUG else "WARNING"},
    # bm25s sets its own logger to DEBUG and would print a line per index build.
    "loggers": {"bm25s": {"level": "WARNING"}},
}
