"""Unit: ids and numbers from query strings and forms: bad input is ignored or refused, never a crash."""

from __future__ import annotations

import pytest

from helix.params import MAX_ID, NotANumber, finite_number, object_id, object_ids, typed_decimal, whole_number

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        (str(MAX_ID), MAX_ID),
        ("²", None),  # "²".isdigit() is True, int("²") fails
        ("٣", None),  # an Arabic-Indic three: isdigit() and int() both say yes; not an id in a URL
        (str(MAX_ID + 1), None),  # the database cannot hold it (SQLite: OverflowError)
        ("9" * 5000, None),  # int() refuses more than 4,300 digits
        ("0", None),
        ("-3", None),
        ("1.0", None),
        ("", None),
        (None, None),
    ],
)
def test_object_id(raw, expected):
    assert object_id(raw) == expected


def test_object_ids_keep_valid_ids_once_in_order():
    assert object_ids(["3", "²", "1", "3", "x", "99999999999999999999"]) == [3, 1]


def test_whole_number():
    assert (whole_number("", default=1), whole_number(" 2 "), whole_number("-4", low=-5)) == (1, 2, -4)
    for raw in ("high", "²", "1.5", "1e3", "nan", "9" * 30):
        with pytest.raises(NotANumber):
            whole_number(raw)
    with pytest.raises(NotANumber) as out_of_range:
        whole_number("4", low=1, high=3)
    assert out_of_range.value.text == "A number from 1 to 3 was expected."
    with pytest.raises(NotANumber) as not_a_number:
        whole_number("high")
    assert not_a_number.value.text == "A number was expected."


def test_finite_number():
    assert (
        finite_number("2.5"),
        finite_number("2,5"),
        finite_number("-1e3"),
        finite_number("", default=0.0),
    ) == (
        2.5,
        2.5,
        -1000.0,
        0.0,
    )
    for raw in ("nan", "NaN", "inf", "-Infinity", "1e999", "1e16", "0x10", "²", "1_000"):
        with pytest.raises(NotANumber):
            finite_number(raw)
    with pytest.raises(NotANumber) as negative:
        finite_number("-1", low=0)
    assert negative.value.text == "A number of at least 0 was expected."
    assert finite_number("1e15") == 1e15


@pytest.mark.unit
@pytest.mark.parametrize(
    ("typed", "mark", "read"),
    [
        ("12500,50", ",", "12500.50"),  # fr/nl/de decimal comma
        ("12.500,50", ",", "12500.50"),  # de/nl grouping dots
        ("12 500,50", ",", "12500.50"),  # fr grouping space
        ("12\u202f500", ",", "12500"),  # fr narrow no-break space
        ("12.500", ",", "12500"),  # grouped by three in a comma-decimal language
        ("12500.50", ",", "12500.50"),  # a point that groups nothing is a decimal point anywhere
        ("1,250.50", ".", "1250.50"),  # en
        ("12,500", ".", "12500"),  # en grouping comma
        ("12500,5", ".", "12500.5"),  # a comma that groups nothing is a decimal comma anywhere
        ("-3,5", ",", "-3.5"),
        ("150000", ".", "150000"),
        ("twelve", ",", "twelve"),  # no number: as typed, for the form to say so
        ("1,2,3", ",", "1,2,3"),
    ],
)
def test_an_amount_is_read_as_the_reader_meant_it(typed, mark, read):  # type: ignore[no-untyped-def]
    assert typed_decimal(typed, mark) == read
