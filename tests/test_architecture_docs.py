"""Unit: the architecture docs name only code that exists, and docs/architecture.md names every app.

A name in backticks that starts with ``helix.`` must be a module or package of src/helix, optionally
followed by a name that module defines (``helix.market.engine.get_engine``); a ``src/helix/...`` path in
backticks must exist; so must every entry of the package tree drawn in docs/architecture.md.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
DOCS = ROOT / "docs"
CHECKED = ["architecture.md", "concepts.md", "contributing.md"]

# `helix.x.y` or `helix.x.y.name`; a trailing call or wildcard is not part of the name.
DOTTED = re.compile(r"`(helix(?:\.[A-Za-z_]\w*)+)")
PATH = re.compile(r"`(src/helix/[\w./]*)`")
# A line of the tree: its indentation (two spaces a level) and a name ending in "/" or ".py".
TREE_ENTRY = re.compile(r"^( {0,8})([\w.]+(?:/|\.py))(?:\s|$)")


def _module_file(dotted: str) -> Path | None:
    base = SRC.joinpath(*dotted.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return base if base.is_dir() else None  # a namespace folder (templates, data)


@cache
def _top_level_names(path: Path) -> frozenset[str]:
    if path.is_dir():
        return frozenset(child.stem for child in path.iterdir())
    names = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return frozenset(names)


def _missing_name(dotted: str) -> str | None:
    """Why ``dotted`` names nothing in src/helix, or None when it does."""
    parts = dotted.split(".")
    found = 0
    for length in range(len(parts), 0, -1):
        if _module_file(".".join(parts[:length])) is not None:
            found = length
            break
    if found < 2 and dotted != "helix":
        return f"no module {'.'.join(parts[:2])}"
    if found == len(parts):
        return None
    module = ".".join(parts[:found])
    attribute = parts[found]
    file = _module_file(module)
    assert file is not None
    if attribute not in _top_level_names(file):
        return f"{module} defines no {attribute}"
    return None


def _doc(name: str) -> str:
    return (DOCS / name).read_text()


@pytest.mark.parametrize("doc", CHECKED)
def test_every_dotted_name_exists(doc):
    missing = {name: why for name in DOTTED.findall(_doc(doc)) if (why := _missing_name(name))}
    assert missing == {}


@pytest.mark.parametrize("doc", CHECKED)
def test_every_source_path_exists(doc):
    missing = [path for path in PATH.findall(_doc(doc)) if not (ROOT / path).exists()]
    assert missing == []


def _tree_paths() -> list[str]:
    """The paths the package tree of docs/architecture.md draws, relative to the repository."""
    text = _doc("architecture.md")
    block = text.split("```\nsrc/helix/\n", 1)[1].split("```", 1)[0]
    paths = ["src/helix/"]
    stack = ["src/helix/"]
    for line in block.splitlines():
        match = TREE_ENTRY.match(line)
        if not match:
            continue
        level = len(match.group(1)) // 2
        name = match.group(2)
        stack = stack[:level]
        parent = "".join(stack)
        paths.append(parent + name)
        if name.endswith("/"):
            stack.append(name)
    return paths


def test_the_package_tree_draws_what_exists():
    paths = _tree_paths()
    assert len(paths) > 40  # the tree was found and read
    assert [path for path in paths if not (ROOT / path).exists()] == []


def test_every_app_is_in_the_package_tree():
    apps = {app.split(".")[1] + "/" for app in settings.INSTALLED_APPS if app.startswith("helix.")}
    drawn = {path.removeprefix("src/helix/") for path in _tree_paths() if path.count("/") == 3}
    assert apps - drawn == set()


def test_the_doc_names_every_app():
    apps = {app for app in settings.INSTALLED_APPS if app.startswith("helix.")}
    named = set(DOTTED.findall(_doc("architecture.md")))
    assert apps - named == set()
