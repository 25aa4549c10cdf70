"""Unit: every setting is declared once and documented in docs/settings.md."""

from pathlib import Path

import pytest

from helix.config import SETTINGS, Setting, setting

pytestmark = pytest.mark.unit

DOC = Path(__file__).resolve().parent.parent / "docs" / "settings.md"


def test_every_setting_is_documented():
    documented = {line.split("`")[1] for line in DOC.read_text().splitlines() if line.startswith("| `")}
    assert documented == {s.name for s in SETTINGS}


def test_settings_are_declared_once():
    names = [s.name for s in SETTINGS]
    assert len(names) == len(set(names))


def test_setting_reads_environment_then_default(monkeypatch):
    item = Setting("HELIX_TEST_ONLY", "7", "test")
    assert item.read() == "7"
    monkeypatch.setenv("HELIX_TEST_ONLY", "yes")
    assert (item.read(), item.read_bool()) == ("yes", True)


def test_unknown_setting_is_an_error():
    with pytest.raises(KeyError):
        setting("HELIX_NO_SUCH_THING")


def test_core_imports_no_django():
    core = Path(__file__).resolve().parent.parent / "src" / "helix" / "core"
    offenders = [
        str(path.relative_to(core))
        for path in core.rglob("*.py")
        for line in path.read_text().splitlines()
        if line.lstrip().startswith(("import django", "from django", "import ninja", "from ninja"))
    ]
    assert offenders == []
