"""docs/open-data.md documents every column of every open-data file and every open indicator."""

from __future__ import annotations

from pathlib import Path

import pytest

from helix.core.insights import OPEN_INDICATORS
from helix.insights.opendata import SCHEMAS

pytestmark = pytest.mark.integration

DOC = Path(__file__).resolve().parents[2] / "docs" / "open-data.md"


def test_every_column_and_open_indicator_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for name, (_, _, columns) in SCHEMAS.items():
        assert f"(`{name}`)" in text
        for column, kind, _ in columns:
            assert f"| `{column}` | {kind} |" in text
    for code in OPEN_INDICATORS:
        assert f"| `{code}` |" in text
