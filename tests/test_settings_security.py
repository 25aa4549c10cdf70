"""Production settings, the secret key and security headers (issue 11).

Unit tests of helix.config's environment and secret key; subprocesses that start Django as a server
would (production refuses a missing or public key; development generates one; `check --deploy` passes);
the headers every page carries; and a scan of the templates for what the Content-Security-Policy blocks.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from helix import config

SRC = Path(__file__).resolve().parent.parent / "src" / "helix"
GOOD_KEY = "k3y-" + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"  # 56 characters
HOWTO = "secrets.token_urlsafe(50)"


# The environment and the secret key (unit) -------------------------------------------------------------


@pytest.mark.unit
def test_environment_is_production_unless_told_or_under_pytest(monkeypatch):
    monkeypatch.delenv("HELIX_ENV", raising=False)
    monkeypatch.delenv("PYTEST_VERSION", raising=False)
    assert config.read_environment() == "production"
    monkeypatch.setenv("PYTEST_VERSION", "9")
    assert config.read_environment() == "development"
    monkeypatch.setenv("HELIX_ENV", "Production")
    assert config.read_environment() == "production"
    monkeypatch.setenv("HELIX_ENV", "staging")
    with pytest.raises(ImproperlyConfigured, match="HELIX_ENV must be 'production' or 'development'"):
        config.read_environment()


@pytest.mark.unit
@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("", "HELIX_SECRET_KEY is not set."),
        ("insecure-development-key-change-me", "HELIX_SECRET_KEY is a publicly known development value."),
        ("django-insecure-" + "x1y2z3" * 10, "HELIX_SECRET_KEY is a publicly known development value."),
        ("short-but-random-9f8e7d", "HELIX_SECRET_KEY has 23 characters; it needs at least 50."),
        ("abab" * 20, "HELIX_SECRET_KEY is not random: it has fewer than 5 different characters."),
    ],
)
def test_production_refuses_a_missing_public_or_short_secret_key(monkeypatch, tmp_path, key, problem):
    monkeypatch.setenv("HELIX_SECRET_KEY", key)
    with pytest.raises(ImproperlyConfigured) as refused:
        config.read_secret_key("production", tmp_path)
    assert str(refused.value).startswith(f"{problem} Helix runs with HELIX_ENV=production")
    assert HOWTO in str(refused.value)
    assert "HELIX_ENV=development" in str(refused.value)
    assert list(tmp_path.iterdir()) == []  # nothing generated behind the deployer's back


@pytest.mark.unit
def test_production_takes_a_long_random_key(monkeypatch, tmp_path):
    monkeypatch.setenv("HELIX_SECRET_KEY", f"  {GOOD_KEY}\n")
    assert config.read_secret_key("production", tmp_path) == GOOD_KEY


@pytest.mark.unit
def test_development_generates_a_private_key_once_and_keeps_it(monkeypatch, tmp_path):
    monkeypatch.delenv("HELIX_SECRET_KEY", raising=False)
    first = config.read_secret_key("development", tmp_path / "var")
    again = config.read_secret_key("development", tmp_path / "var")
    stored = tmp_path / "var" / "secret_key"
    assert first == again == stored.read_text().strip()
    assert config.secret_key_problem(first) is None
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert [p.name for p in stored.parent.iterdir()] == ["secret_key"]  # no temporary file left
    assert config.read_secret_key("development", tmp_path / "elsewhere") != first


@pytest.mark.unit
def test_development_uses_a_key_that_is_set(monkeypatch, tmp_path):
    monkeypatch.setenv("HELIX_SECRET_KEY", "my-own-dev-key")
    assert config.read_secret_key("development", tmp_path) == "my-own-dev-key"
    assert list(tmp_path.iterdir()) == []


# Starting Django as a server does (subprocesses) ----------------------------------------------------------


def run_helix(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`helix manage ...` with a clean environment: none of ours, and not under pytest."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("HELIX_") and k != "PYTEST_VERSION"}
    base.pop("DATABASE_URL", None)
    base.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest when they run first
    return subprocess.run(
        [sys.executable, "-m", "helix.cli", "manage", *args],
        env={**base, "HELIX_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.integration
def test_a_server_with_nothing_set_refuses_to_start_and_says_how_to_set_the_key(tmp_path):
    result = run_helix(tmp_path, "check")
    assert result.returncode == 1
    assert result.stderr.startswith(
        "Error: HELIX_SECRET_KEY is not set. Helix runs with HELIX_ENV=production"
    )
    assert HOWTO in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.integration
def test_production_refuses_the_old_public_default_and_debug(tmp_path):
    production = {"HELIX_ENV": "production"}
    public = run_helix(tmp_path, "check", **production, HELIX_SECRET_KEY="insecure-development-key-change-me")
    debug = run_helix(tmp_path, "check", **production, HELIX_SECRET_KEY=GOOD_KEY, HELIX_DEBUG="true")
    assert (public.returncode, debug.returncode) == (1, 1)
    assert public.stderr.startswith("Error: HELIX_SECRET_KEY is a publicly known development value.")
    assert debug.stderr.startswith("Error: HELIX_DEBUG is on while HELIX_ENV=production")


@pytest.mark.integration
def test_development_starts_with_nothing_set_and_generates_its_key(tmp_path):
    result = run_helix(tmp_path, "check", HELIX_ENV="development")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


@pytest.mark.integration
def test_check_deploy_passes_in_production_but_for_the_hsts_preload_choice(tmp_path):
    result = run_helix(
        tmp_path,
        "check",
        "--deploy",
        HELIX_ENV="production",
        HELIX_SECRET_KEY=GOOD_KEY,
        HELIX_ALLOWED_HOSTS="helix.example.org",
    )
    assert result.returncode == 0, result.stderr
    # Preload is a commitment to the browsers' list, left to the deployer (docs/settings.md).
    assert re.findall(r"\(([a-z_]+\.[WE]\d+)\)", result.stderr + result.stdout) == ["security.W021"]


# What every page carries ---------------------------------------------------------------------------------

CSP = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
}


@pytest.mark.integration
@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/admin/login/", "/api/docs"])
def test_pages_answer_with_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    headers = {
        name: response.headers.get(name)
        for name in (
            "X-Content-Type-Options",
            "Referrer-Policy",
            "Cross-Origin-Opener-Policy",
            "X-Frame-Options",
        )
    }
    assert set(response.headers["Content-Security-Policy"].split("; ")) == CSP  # in no fixed order
    assert headers == {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }


@pytest.mark.unit
def test_production_defaults_turn_https_on_and_development_leaves_it_off(monkeypatch):
    monkeypatch.delenv("HELIX_SECURE_COOKIES", raising=False)
    monkeypatch.delenv("HELIX_HSTS_SECONDS", raising=False)
    cookies, hsts = config.setting("HELIX_SECURE_COOKIES"), config.setting("HELIX_HSTS_SECONDS")
    assert (cookies.read_flag(True), cookies.read_flag(False)) == (True, False)
    assert (hsts.read_int(31536000), hsts.read_int(0)) == (31536000, 0)
    monkeypatch.setenv("HELIX_SECURE_COOKIES", "false")
    monkeypatch.setenv("HELIX_HSTS_SECONDS", "3600")
    assert (cookies.read_flag(True), hsts.read_int(31536000)) == (False, 3600)
    monkeypatch.setenv("HELIX_HSTS_SECONDS", "a year")
    with pytest.raises(ImproperlyConfigured, match="HELIX_HSTS_SECONDS must be a whole number, not 'a year'"):
        hsts.read_int(0)


@pytest.mark.integration
def test_production_settings_module_turns_on_secure_cookies_hsts_and_redirect(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.SECURE_PROXY_SSL_HEADER, "
        "'testserver' in s.ALLOWED_HOSTS)"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("HELIX_") and k != "PYTEST_VERSION"}
    env = {**base, "DJANGO_SETTINGS_MODULE": "helix.settings", "HELIX_VAR_DIR": str(tmp_path)}
    production = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "HELIX_SECRET_KEY": GOOD_KEY, "HELIX_PROXY_SSL_HEADER": "X-Forwarded-Proto"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    development = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "HELIX_ENV": "development"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert production.stdout.split() == [
        "True",
        "True",
        "True",
        "31536000",
        "True",
        "False",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "False",
    ]
    assert development.stdout.split() == ["False", "False", "False", "0", "False", "False", "None", "True"]


# Templates hold nothing the policy blocks ---------------------------------------------------------------

INLINE = {
    "inline <script> (move it to static/helix/*.js)": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "inline event handler (use a data- attribute and helix.js)": re.compile(r"<[^>]*\son[a-z]+\s*=", re.I),
    "style attribute (use a class, or an SVG attribute for a computed size)": re.compile(
        r"<[^>]*\sstyle\s*=", re.I
    ),
    "<style> element (use helix.css)": re.compile(r"<style\b", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


# Templates never rendered into a page: they are written to files people download and open from their
# disk, where no Content-Security-Policy applies and no stylesheet of the site can be reached.
STANDALONE = {
    "insights/templates/insights/report.html": "the report as a file (helix.insights.reports.as_html)",
}


def templates() -> list[Path]:
    return sorted(
        path
        for path in SRC.rglob("*.html")
        if "templates" in path.parts and str(path.relative_to(SRC)) not in STANDALONE
    )


@pytest.mark.unit
def test_no_template_holds_an_inline_script_handler_or_style():
    found = [
        f"{path.relative_to(SRC)}: {what}"
        for path in templates()
        for what, pattern in INLINE.items()
        if pattern.search(path.read_text())
    ]
    assert len(templates()) > 50
    assert found == []


@pytest.mark.unit
def test_the_template_scan_finds_what_the_policy_blocks():
    samples = {
        "<script>alert(1)</script>": "inline <script> (move it to static/helix/*.js)",
        '<select onchange="this.form.submit()">': "inline event handler (use a data- attribute and helix.js)",
        '<span style="width: 3%">': "style attribute (use a class, or an SVG attribute for a computed size)",
        "<style>p{}</style>": "<style> element (use helix.css)",
    }
    assert {
        sample: [what for what, pattern in INLINE.items() if pattern.search(sample)] for sample in samples
    } == {sample: [what] for sample, what in samples.items()}
    allowed = '<script src="/static/x.js" defer></script>'
    assert [what for what, pattern in INLINE.items() if pattern.search(allowed)] == []
