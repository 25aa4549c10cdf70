"""Django settings. Every value read from the environment is declared in helix.config."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from helix.config import BASE_DIR, setting

DEBUG = setting("HELIX_DEBUG").read_bool()
SECRET_KEY = setting("HELIX_SECRET_KEY").read()
ALLOWED_HOSTS = [h.strip() for h in setting("HELIX_ALLOWED_HOSTS").read().split(",") if h.strip()]
ALLOWED_HOSTS += ["testserver"]

VAR_DIR = Path(setting("HELIX_VAR_DIR").read())
VAR_DIR.mkdir(parents=True, exist_ok=True)

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
    "helix.jobs",
    "helix.registry",
    "helix.market",
    "helix.events",
    "helix.symbiosis",
    "helix.api",
    "helix.audit",
    "helix.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "registry:directory"
LOGOUT_REDIRECT_URL = "registry:directory"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("nl", "Nederlands"), ("fr", "Français"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
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

EMAIL_BACKEND = setting("HELIX_EMAIL_BACKEND").read()
DEFAULT_FROM_EMAIL = setting("HELIX_DEFAULT_FROM_EMAIL").read()

TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if setting("HELIX_TASKS_IMMEDIATE").read_bool()
        else "django_tasks_db.DatabaseBackend",
    }
}

HELIX_PAGE_SIZE = int(setting("HELIX_PAGE_SIZE").read())
HELIX_TEXT_ENCODER = setting("HELIX_TEXT_ENCODER").read()
HELIX_ANN_THRESHOLD = int(setting("HELIX_ANN_THRESHOLD").read())
if HELIX_TEXT_ENCODER not in {"use", "hashing"}:
    raise ValueError(f"HELIX_TEXT_ENCODER must be 'use' or 'hashing', not {HELIX_TEXT_ENCODER!r}")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO" if DEBUG else "WARNING"},
    # bm25s sets its own logger to DEBUG and would print a line per index build.
    "loggers": {"bm25s": {"level": "WARNING"}},
}
