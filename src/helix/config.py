"""Every setting Helix reads from the environment, declared once with its default and a help line.

docs/settings.md lists them all; tests/test_config.py checks that it does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

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


SETTINGS: tuple[Setting, ...] = (
    Setting("HELIX_DEBUG", "false", "Django debug mode; never 'true' in production."),
    Setting(
        "HELIX_SECRET_KEY",
        "insecure-development-key-change-me",
        "Django secret key; set a long random value in production.",
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
        "HELIX_TASKS_IMMEDIATE",
        "false",
        "Run background tasks inside the calling process instead of the worker (tests, one-off scripts).",
    ),
    Setting("HELIX_PAGE_SIZE", "25", "Rows per page in the directory and API lists."),
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
