"""Integration: migrations are complete, and they apply to an empty PostgreSQL database.

The PostgreSQL check runs whenever a server answers on 127.0.0.1:5432 (or HELIX_TEST_POSTGRES_URL);
otherwise it skips and says so. CI runs the whole suite on PostgreSQL as well.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from io import StringIO

import pytest
from django.core.management import call_command

SERVER_URL = os.environ.get("HELIX_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


@pytest.mark.integration
@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    assert "No changes detected" in out.getvalue()


def _admin_connection():  # type: ignore[no-untyped-def]
    psycopg = pytest.importorskip("psycopg")
    try:
        return psycopg.connect(SERVER_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable at {SERVER_URL} ({exc.__class__.__name__}); CI runs it")


@pytest.mark.integration
@pytest.mark.postgres
def test_migrations_apply_to_an_empty_postgresql_database(tmp_path):
    admin = _admin_connection()
    name = f"helix_migrate_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = SERVER_URL.rsplit("/", 1)[0] + f"/{name}"
        env = {**os.environ, "DATABASE_URL": url, "HELIX_VAR_DIR": str(tmp_path)}
        result = subprocess.run(
            [sys.executable, "-m", "helix.cli", "manage", "migrate", "--noinput"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        check = subprocess.run(
            [
                sys.executable,
                "-m",
                "helix.cli",
                "manage",
                "shell",
                "-c",
                "from helix.registry.models import Sector; print(Sector.objects.count())",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert check.stdout.strip().splitlines()[-1] == "1047"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
