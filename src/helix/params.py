"""Numbers and ids read from query strings and posted forms, where a bad value must never be a 500.

``int()`` and ``float()`` are not parsers for what a visitor types: ``"²".isdigit()`` is True but
``int("²")`` fails, ``int("9" * 30)`` overflows the database, and ``float("nan")`` or ``float("inf")`` are
numbers to Python only. These accept ASCII decimal text within a range. A filter that is not a valid
id is ignored (:func:`object_id`, :func:`object_ids`); a number a form asked for is refused with
:class:`NotANumber`, which helix.actions shows as a message.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from django.utils.formats import get_format
from django.utils.translation import gettext as _

MAX_ID = 2**63 - 1  # the largest primary key (and integer) PostgreSQL and SQLite store
_DIGITS = re.compile(r"[0-9]{1,19}")  # ASCII digits only: str.isdigit() also says yes to "²" and "٣"
_WHOLE = re.compile(r"[+-]?[0-9]{1,19}")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")


class NotANumber(ValueError):
    """A parameter that had to be a number (in a range) is not one."""

    def __init__(self, raw: str, low: float | None = None, high: float | None = None) -> None:
        super().__init__(f"{raw[:40]!r} is not a number in [{low}, {high}]")
        self.low, self.high = low, high

    @property
    def text(self) -> str:
        """What a page says about it."""
        low, high = (None if x is None else _plain(x) for x in (self.low, self.high))
        if low is not None and high is not None:
            return _("A number from %(low)s to %(high)s was expected.") % {"low": low, "high": high}
        if low is not None:
            return _("A number of at least %(low)s was expected.") % {"low": low}
        if high is not None:
            return _("A number of at most %(high)s was expected.") % {"high": high}
        return _("A number was expected.")


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def object_id(raw: object) -> int | None:
    """The primary key that ``raw`` names, or None when it names none (absent, not ASCII digits, 0 or
    beyond the largest key)."""
    text = str(raw).strip() if raw is not None else ""
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


def object_ids(values: Iterable[object]) -> list[int]:
    """The valid primary keys among ``values``, in order, without repeats; the others are ignored."""
    return list(dict.fromkeys(v for v in map(object_id, values) if v is not None))


def whole_number(
    raw: object, *, default: int | None = None, low: int | None = None, high: int | None = None
) -> int | None:
    """A whole number within ``low`` and ``high`` (and what the database stores); ``default`` when
    empty; else :class:`NotANumber`."""
    text = str(raw).strip() if raw is not None else ""
    if not text:
        return default
    if not _WHOLE.fullmatch(text):
        raise NotANumber(text, low, high)
    value = int(text)
    floor = -MAX_ID if low is None else max(low, -MAX_ID)
    ceiling = MAX_ID if high is None else min(high, MAX_ID)
    if not floor <= value <= ceiling:
        raise NotANumber(text, low, high)
    return value


LARGEST = 1e15  # larger magnitudes are typing errors or attacks (and overflow sums) for every quantity here


def finite_number(
    raw: object, *, default: float | None = None, low: float | None = None, high: float | None = None
) -> float | None:
    """A finite decimal number within ``low`` and ``high`` (and ±1e15); a comma as the decimal mark is
    read as a point; ``default`` when empty; else :class:`NotANumber` (also for NaN and Infinity)."""
    text = str(raw).strip() if raw is not None else ""
    if not text:
        return default
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    if not _DECIMAL.fullmatch(text):
        raise NotANumber(text, low, high)
    value = float(text)
    floor = -LARGEST if low is None else low
    ceiling = LARGEST if high is None else high
    if not math.isfinite(value) or not floor <= value <= ceiling:
        raise NotANumber(text, low, high)
    return value


# --- amounts as a reader types them -----------------------------------------------------------------

_GROUPED = re.compile(r"^-?\d{1,3}([.,]\d{3})+$")


def typed_decimal(raw: str, decimal_mark: str | None = None) -> str:
    """An amount as typed in the reader's language, in the dot-decimal form the core reads: spaces
    and apostrophes grouping the digits go; of a comma and a dot both present the last is the decimal
    mark; one alone is the reader's decimal mark unless it groups digits by three ("12.500" in German,
    "12,500" in English). ``decimal_mark``: the reader's, from the active language when not given.
    Text that is no number is returned as typed (the form or the service then says so)."""
    if decimal_mark is None:
        decimal_mark = str(get_format("DECIMAL_SEPARATOR"))
    text = re.sub(r"[\s\u00a0\u202f'’]", "", raw)
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
    elif "," in text or "." in text:
        mark = "," if "," in text else "."
        grouped = _GROUPED.match(text) is not None and mark != decimal_mark
        decimal = "" if grouped else mark
    else:
        decimal = ""
    if decimal:
        cleaned = text.replace("." if decimal == "," else ",", "").replace(",", ".")
    else:
        cleaned = text.replace(",", "").replace(".", "")
    return cleaned if re.fullmatch(r"-?\d+(\.\d+)?", cleaned) else raw.strip()
