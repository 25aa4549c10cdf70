"""Unit: reading specs from plain data with coded problems (helix.core.specs)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from helix.core.specs import SpecError, SpecProblem, SpecReader, to_decimal, translated

pytestmark = pytest.mark.unit


def test_a_reader_collects_every_problem_with_its_path_and_context():
    problems: list[SpecProblem] = []
    r = SpecReader(
        {"name": "", "count": 1.5, "tags": ["a", 3], "label": {"fr": "x"}, "extra": 1},
        "rules[4]",
        problems,
        {"index": 4},
    )
    assert (r.text("name"), r.integer("count"), r.strings("tags"), r.translations("label")) == (
        "",
        None,
        (),
        {},
    )
    r.done()
    assert problems == [
        SpecProblem(
            "spec.wrong_type",
            {"index": 4, "path": "rules[4].name", "field": "name", "expected": "text"},
            "rules[4].name: must be a non-empty text",
        ),
        SpecProblem(
            "spec.wrong_type",
            {"index": 4, "path": "rules[4].count", "field": "count", "expected": "integer"},
            "rules[4].count: must be a whole number",
        ),
        SpecProblem(
            "spec.wrong_type",
            {"index": 4, "path": "rules[4].tags", "field": "tags", "expected": "list of texts"},
            "rules[4].tags: must be a non-empty list of texts",
        ),
        SpecProblem(
            "spec.missing_translation",
            {"index": 4, "path": "rules[4].label", "field": "label", "language": "en"},
            "rules[4].label: needs an English text",
        ),
        SpecProblem(
            "spec.unknown_field",
            {"index": 4, "path": "rules[4].extra", "field": "extra"},
            "rules[4].extra: is not a field here",
        ),
    ]
    assert str(SpecError(problems)).startswith("rules[4].name: rules[4].name: must be a non-empty text; ")


def test_good_values_read_as_typed_values():
    problems: list[SpecProblem] = []
    r = SpecReader(
        {"n": "12.50", "b": True, "t": "Titel", "l": {"en": "Title", "nl": "Titel"}}, "x", problems
    )
    assert (r.number("n"), r.boolean("b"), r.translations("t"), r.translations("l")) == (
        Decimal("12.50"),
        True,
        {"en": "Titel"},
        {"en": "Title", "nl": "Titel"},
    )
    r.done()
    assert problems == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, Decimal(3)),
        (0.1, Decimal("0.1")),
        (" 2.50 ", Decimal("2.50")),
        (True, None),
        ("x", None),
        ("Infinity", None),
        (None, None),
    ],
)
def test_to_decimal(value, expected):
    assert to_decimal(value) == expected


def test_translated_falls_back_to_english():
    assert (
        translated({"en": "Title", "nl": "Titel"}, "nl"),
        translated({"en": "Title"}, "fr"),
        translated({}, "de"),
    ) == ("Titel", "Title", "")
