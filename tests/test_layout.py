"""Unit: the tests mirror src/helix, so that the tests of a module are found beside its name.

Every test folder stands for the package of src/helix at the same place (tests/registry for
src/helix/registry, tests/core/symbiosis for src/helix/core/symbiosis), except the folders that cut
across the apps; every test file of tests/core names a module of its package (test_<module>.py, or
test_<module>_<aspect>.py); every folder that holds Python files is a package (``__init__.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

TESTS = Path(__file__).resolve().parent
SRC = TESTS.parent / "src" / "helix"
# Folders that test across the apps, or hold shared set-up: they mirror no package. (tests/cli mirrors
# src/helix/cli.)
CROSS_CUTTING = {"e2e", "permissions", "query_counts", "bench", "helpers", "factories"}


def python_folders() -> list[Path]:
    """Every folder under tests/ that holds a Python file (folders of data files and templates hold none)."""
    return sorted({p.parent for p in TESTS.rglob("*.py") if "__pycache__" not in p.parts} - {TESTS})


def test_every_test_folder_names_a_package_of_src_helix() -> None:
    strays = [
        folder.relative_to(TESTS).as_posix()
        for folder in python_folders()
        if folder.relative_to(TESTS).parts[0] not in CROSS_CUTTING
        and not (SRC / folder.relative_to(TESTS) / "__init__.py").is_file()
    ]
    assert not strays, (
        f"test folders that name no package of src/helix (rename, or move into helpers/): {strays}"
    )


def test_every_core_test_file_names_a_module_of_its_package() -> None:
    strays = []
    for path in sorted((TESTS / "core").rglob("test_*.py")):
        package = SRC / path.parent.relative_to(TESTS)
        modules = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
        name = path.stem.removeprefix("test_")
        if not any(name == module or name.startswith(module + "_") for module in modules):
            strays.append(path.relative_to(TESTS).as_posix())
    assert not strays, (
        f"core test files that name no module of their package (test_<module>[_<aspect>].py): {strays}"
    )


def test_every_test_folder_is_a_package() -> None:
    missing = [f.relative_to(TESTS).as_posix() for f in python_folders() if not (f / "__init__.py").is_file()]
    assert not missing, f"test folders without __init__.py: {missing}"
