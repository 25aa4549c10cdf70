"""Every setting Helix reads from the environment, declared once with its default and a help line.

docs/settings.md lists them all; tests/test_config.py checks that it does.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    def read(self) -> str:
        return os.environ.get(self.name, self.default)

    def read_bool(self) -> bool:
        return self.read().strip().lower() in {"1", "true", "yes", "on"}

    def read_flag(self, unset: bool) -> bool:
        """A boolean whose empty value means ``unset`` (e.g. "on in production")."""
        return unset if not self.read().strip() else self.read_bool()

    def read_int(self, unset: int | None = None) -> int:
        """An integer; an empty value means ``unset`` when given."""
        value = self.read().strip()
        if not value and unset is not None:
            return unset
        try:
            return int(value)
        except ValueError:
            raise ImproperlyConfigured(f"{self.name} must be a whole number, not {value!r}.") from None


SETTINGS: tuple[Setting, ...] = (
    Setting("HELIX_DEBUG", "false", "Django debug mode; never 'true' in production."),
    Setting(
        "HELIX_ENV",
        "production",
        "'production' or 'development'. Production refuses to start without a proper HELIX_SECRET_KEY "
        "or with HELIX_DEBUG on, and turns on HTTPS-only cookies, HSTS and the HTTPS redirect. "
        "Development (what `make demo` and `make test` set, and the default under pytest) generates a "
        "secret key once in $HELIX_VAR_DIR/secret_key.",
    ),
    Setting(
        "HELIX_SECRET_KEY",
        "",
        "Django secret key (signs sessions, password-reset links and CSRF tokens): in production at "
        "least 50 random characters, or Helix refuses to start. Empty in development: a key generated "
        "once and kept in $HELIX_VAR_DIR/secret_key (mode 0600).",
    ),
    Setting(
        "HELIX_SECURE_COOKIES",
        "",
        "Send the session and CSRF cookies over HTTPS only. Empty: on in production, off in development.",
    ),
    Setting(
        "HELIX_SSL_REDIRECT",
        "",
        "Redirect every plain-HTTP request to HTTPS. Empty: on in production, off in development.",
    ),
    Setting(
        "HELIX_HSTS_SECONDS",
        "",
        "Strict-Transport-Security max-age: how long browsers refuse plain HTTP to this host. Empty: "
        "31536000 (a year) in production, 0 (no header) in development.",
    ),
    Setting(
        "HELIX_HSTS_INCLUDE_SUBDOMAINS",
        "",
        "Extend Strict-Transport-Security to every subdomain of the host. Empty: on in production.",
    ),
    Setting(
        "HELIX_HSTS_PRELOAD",
        "false",
        "Ask browsers to preload Strict-Transport-Security for the host (only once it is submitted to the "
        "browsers' preload list, which is hard to undo).",
    ),
    Setting(
        "HELIX_PROXY_SSL_HEADER",
        "",
        "Header by which a reverse proxy says the visitor used HTTPS, e.g. X-Forwarded-Proto (its value "
        "must then be 'https'). Set it only behind a proxy that always sets or strips that header.",
    ),
    Setting(
        "HELIX_USE_X_FORWARDED_HOST",
        "false",
        "Take the host name from the proxy's X-Forwarded-Host header instead of Host.",
    ),
    Setting(
        "HELIX_CLIENT_IP_HEADER",
        "",
        "Header holding the visitor's address behind a reverse proxy, e.g. X-Forwarded-For (the last "
        "address in it is used: the one the proxy added). Empty: the address of the connection. The "
        "rate limits count attempts per address.",
    ),
    Setting(
        "HELIX_CSRF_TRUSTED_ORIGINS",
        "",
        "Comma-separated origins (https://helix.example.org) allowed to send forms when they differ from "
        "the host of the request, e.g. behind a proxy that rewrites Host.",
    ),
    Setting(
        "HELIX_LOGIN_FAILURE_LIMIT",
        "5",
        "Failed log-ins (site, admin, API) for one user name from one address after which further "
        "attempts are refused, even with the right password, until HELIX_RATE_LIMIT_MINUTES have passed "
        "without a failure.",
    ),
    Setting(
        "HELIX_PASSWORD_RESET_LIMIT",
        "5",
        "Password-reset requests for one e-mail address from one address within HELIX_RATE_LIMIT_MINUTES; "
        "more are refused.",
    ),
    Setting(
        "HELIX_RATE_LIMIT_MINUTES",
        "15",
        "The window of the log-in and password-reset limits, in minutes.",
    ),
    Setting(
        "HELIX_CACHE_DIR",
        "",
        "Folder of a file cache shared by the server processes on one machine (it holds the "
        "password-reset counts and the version of the page cache). Empty: the memory of the process, "
        "except under `helix serve` with more than one worker, which uses $HELIX_VAR_DIR/cache.",
    ),
    Setting(
        "HELIX_WEB_WORKERS",
        "",
        "Processes of `helix serve` (gunicorn) answering requests. Empty: two per CPU core.",
    ),
    Setting(
        "HELIX_WEB_THREADS",
        "2",
        "Threads per `helix serve` process: requests one process answers at once (each waits on the "
        "database part of the time).",
    ),
    Setting(
        "HELIX_PAGE_CACHE_SECONDS",
        "300",
        "How long a page served to an anonymous visitor (directory, profiles, needs and offers, events) "
        "is kept and served again to the next anonymous visitor asking the same address in the same "
        "language. Any change to the registry, needs and offers, events or symbiosis data ends it "
        "earlier. 0: no page cache.",
    ),
    Setting(
        "DATABASE_URL",
        "",
        "Database URL (postgres://user@host:5432/name). Empty: SQLite at $HELIX_VAR_DIR/helix.sqlite3.",
    ),
    Setting(
        "HELIX_VAR_DIR", str(PROJECT_DIR / "var"), "Folder for the SQLite database, uploads and indexes."
    ),
    Setting("HELIX_ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names the site answers to."),
    Setting(
        "HELIX_EMAIL_BACKEND",
        "django.core.mail.backends.console.EmailBackend",
        "Django e-mail backend; the console backend prints password-reset mails to the server log.",
    ),
    Setting("HELIX_DEFAULT_FROM_EMAIL", "helix@localhost", "Sender address of the mails Helix sends."),
    Setting(
        "HELIX_SITE_URL",
        "http://127.0.0.1:8000",
        "Address of the site as readers reach it; links in e-mails (invitations, accepting a meeting) "
        "start with it.",
    ),
    Setting(
        "HELIX_DIGEST_HOUR",
        "7",
        "Hour of the day (0-23, in the site's time zone) from which the daily digest e-mail goes out.",
    ),
    Setting("HELIX_EMAIL_HOST", "localhost", "SMTP server (with the SMTP backend)."),
    Setting("HELIX_EMAIL_PORT", "25", "SMTP port (587 with STARTTLS, 465 with TLS)."),
    Setting("HELIX_EMAIL_HOST_USER", "", "SMTP user name (empty: no log-in)."),
    Setting("HELIX_EMAIL_HOST_PASSWORD", "", "SMTP password."),
    Setting("HELIX_EMAIL_USE_TLS", "false", "Use STARTTLS on the SMTP connection (port 587)."),
    Setting("HELIX_EMAIL_USE_SSL", "false", "Use implicit TLS on the SMTP connection (port 465)."),
    Setting(
        "HELIX_TASKS_IMMEDIATE",
        "false",
        "Run background tasks inside the calling process instead of the worker (tests, one-off scripts).",
    ),
    Setting(
        "HELIX_JOB_STALE_SECONDS",
        "120",
        "Seconds without a heartbeat after which a running background job counts as abandoned (its "
        "worker died): it turns failed, its temporary files are removed and its creator may retry it. "
        "On the worker's own machine a dead worker process is noticed at once.",
    ),
    Setting(
        "HELIX_FILE_RETENTION_DAYS",
        "30",
        "Days that export files and uploads of background jobs are kept; older ones are deleted by "
        "`helix jobs purge`, which the worker runs daily (the job keeps a note that its files expired).",
    ),
    Setting("HELIX_PAGE_SIZE", "25", "Rows per page in the directory and API lists."),
    Setting(
        "HELIX_UPLOAD_MAX_BYTES",
        str(20 * 1024 * 1024),
        "Largest file a page accepts (registry import, letter of intent), in bytes; a larger upload is "
        "discarded as it arrives and refused with this limit named.",
    ),
    Setting(
        "HELIX_IMPORT_MAX_ROWS",
        "200000",
        "Most rows (after the header) an import reads from one CSV file or workbook sheet, on pages and "
        "in the CLI; a longer table is refused.",
    ),
    Setting(
        "HELIX_IMPORT_MAX_COLUMNS",
        "100",
        "Most columns an import reads; a row with cells beyond it is refused (whatever size the workbook "
        "declares: only the cells present are read).",
    ),
    Setting(
        "HELIX_IMPORT_MAX_UNPACKED_BYTES",
        str(500 * 1024 * 1024),
        "Most bytes an XLSX workbook may unpack to (its parts added up); a larger one is refused before "
        "it is read, so a small compressed file cannot expand to gigabytes.",
    ),
    Setting(
        "HELIX_TEXT_ENCODER",
        "use",
        "Sentence encoder for matching: 'use' (multilingual Universal Sentence Encoder, shipped in its "
        "package) or 'hashing' (character 3-grams, no model: tests only, no cross-language matching).",
    ),
    Setting(
        "HELIX_ANN_THRESHOLD",
        "10000",
        "Listings per side from which matching uses an approximate (faiss HNSW) index instead of exact "
        "search; measured in bench/matching_scale. The HNSW index is saved under $HELIX_VAR_DIR/match-index.",
    ),
    Setting(
        "HELIX_SHARED_DATA",
        "",
        "Folder of the shared reference data (b2b/, symbiosis/, ...). The demo imports the documented "
        "symbiosis exchanges from symbiosis/maestri_exchanges_public.csv there; empty: ../shared/data "
        "beside the project. Tests and benchmarks that need it skip when it is absent.",
    ),
)


def setting(name: str) -> Setting:
    for item in SETTINGS:
        if item.name == name:
            return item
    raise KeyError(name)


# Environment and secret key --------------------------------------------------------------------------

ENVIRONMENTS = ("production", "development")
MIN_SECRET_KEY_LENGTH = 50
# Keys that are public: Helix's own default before issue 11, and Django's startproject prefix.
PUBLIC_SECRET_KEYS = frozenset({"insecure-development-key-change-me"})
SECRET_KEY_HOWTO = (
    "Set HELIX_SECRET_KEY in the server's environment to a random value of at least "
    f"{MIN_SECRET_KEY_LENGTH} characters, e.g. the output of: "
    "python -c 'import secrets; print(secrets.token_urlsafe(50))'. "
    "For a local demo or development, set HELIX_ENV=development instead (make demo does): Helix then "
    "generates a key once in $HELIX_VAR_DIR/secret_key."
)


def read_environment() -> str:
    """HELIX_ENV; when it is not set, 'development' under pytest (which sets PYTEST_VERSION), else its
    default, 'production': a server nobody configured must not run on development settings."""
    raw = os.environ.get("HELIX_ENV", "").strip().lower()
    if not raw:
        raw = "development" if os.environ.get("PYTEST_VERSION") else setting("HELIX_ENV").default
    if raw not in ENVIRONMENTS:
        raise ImproperlyConfigured(f"HELIX_ENV must be 'production' or 'development', not {raw!r}.")
    return raw


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` may not sign anything in production, or None when it may."""
    if not key:
        return "HELIX_SECRET_KEY is not set."
    if key in PUBLIC_SECRET_KEYS or key.startswith("django-insecure"):
        return "HELIX_SECRET_KEY is a publicly known development value."
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return f"HELIX_SECRET_KEY has {len(key)} characters; it needs at least {MIN_SECRET_KEY_LENGTH}."
    if len(set(key)) < 5:  # the same floor as Django's check --deploy (security.W009)
        return "HELIX_SECRET_KEY is not random: it has fewer than 5 different characters."
    return None


def read_secret_key(environment: str, var_dir: Path) -> str:
    """The secret key: HELIX_SECRET_KEY, refused in production when missing, public or short; in
    development, when unset, a random key generated once in ``var_dir``/secret_key."""
    key = setting("HELIX_SECRET_KEY").read().strip()
    if environment == "production":
        problem = secret_key_problem(key)
        if problem:
            raise ImproperlyConfigured(
                f"{problem} Helix runs with HELIX_ENV=production and refuses to start without a secret "
                f"key of its own. {SECRET_KEY_HOWTO}"
            )
        return key
    return key or development_secret_key(var_dir)


def development_secret_key(var_dir: Path) -> str:
    """The key in ``var_dir``/secret_key, created (mode 0600) on first use. Concurrent first runs (the web
    server and the worker, or test workers) agree: the file appears whole or not at all (a hard link of
    a written temporary file), and whoever loses the race reads the winner's key."""
    path = var_dir / "secret_key"
    if path.exists():
        return _stored_key(path)
    var_dir.mkdir(parents=True, exist_ok=True)
    temporary = var_dir / f".secret_key.{secrets.token_hex(8)}"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as stream:
        stream.write(secrets.token_urlsafe(50) + "\n")
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    return _stored_key(path)


def _stored_key(path: Path) -> str:
    key = path.read_text().strip()
    if not key:
        raise ImproperlyConfigured(f"{path} is empty: delete it and Helix generates a new key.")
    return key
