"""Integration: ``helix demo load`` prints the demo logins and claims no port the server was not given."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from helix.cli import main
from helix.registry.demo.load import DemoReport

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fake_load_demo(monkeypatch):  # type: ignore[no-untyped-def]
    """The CLI's printing is under test, not the demo itself (tests/registry/test_demo.py loads it)."""

    def load_demo() -> DemoReport:
        return DemoReport(
            created=Counter(Organisation=3),
            logins=[("staff", "cluster staff"), ("member", "member user of Enervalis")],
            organisations=3,
            clusters=1,
            memberships=2,
            listings={"needs": 1, "offers": 1, "created": 2, "updated": 0, "embedded": 2},
            symbiosis={"created": 1, "updated": 0, "exchanges": 0, "matching": {"proposals": 0}},
        )

    monkeypatch.setattr("helix.demo.load_demo", load_demo)


def _addresses(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def test_demo_load_without_a_port_prints_the_login_and_no_address():
    result = CliRunner().invoke(main, ["demo", "load"])

    assert result.exit_code == 0, result.output
    assert _addresses(result.output) == []
    assert "8000" not in result.output
    assert "  staff          helix-demo   cluster staff" in result.output
    assert result.output.splitlines()[-1] == (
        "Start the server with `helix serve`, open the address it prints and log in at /accounts/login/ "
        "as staff / helix-demo"
    )


def test_demo_load_with_a_port_prints_the_address_on_that_port_only():
    result = CliRunner().invoke(main, ["demo", "load", "--port", "8080"])

    assert result.exit_code == 0, result.output
    assert _addresses(result.output) == ["http://127.0.0.1:8080/accounts/login/"]


def test_demo_load_refuses_a_port_out_of_range():
    result = CliRunner().invoke(main, ["demo", "load", "--port", "0"])

    assert result.exit_code == 2
    assert "--port" in result.output


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_demo_prints_and_serves_the_same_port():
    dry_run = subprocess.run(
        ["make", "-n", "demo", "DEMO_PORT=8123"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout

    commands = [line for line in dry_run.splitlines() if "helix demo load" in line or "helix serve" in line]
    assert commands == [".venv/bin/helix demo load --port 8123", ".venv/bin/helix serve --port 8123"]
