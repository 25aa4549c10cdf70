"""Columns of an import file: how the text of a cell is parsed into a value, and what an empty cell
means.

Pure: no Django and no database. A :class:`Column` names a parser (``text(200)``, ``boolean``,
``iso_date``, ``organisation_reference``, ...); :func:`parse_cell` applies the formula rule of
:mod:`helix.core.registry.tables`, then the column's parser, and raises :class:`CellError` for a cell
that is not valid. The registry import (:mod:`helix.core.registry.records`) and the other imports
(people, market) declare their columns with these parsers.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from helix.core.registry.identifiers import InvalidIdentifier, normalise_identifier
from helix.core.registry.nace import UnknownNaceCode, normalise_nace
from helix.core.registry.tables import is_formula_like, unescape_cell


@dataclass(frozen=True)
class OrganisationKey:
    """How a file names an organisation: its legal identifier (``be:0403.170.701``), else its slug."""

    scheme: str = ""
    identifier: str = ""
    slug: str = ""

    def __str__(self) -> str:
        return f"{self.scheme}:{self.identifier}" if self.identifier else self.slug


Value = str | bool | float | dt.date | frozenset[str] | OrganisationKey | None


@dataclass(frozen=True)
class Vocabulary:
    """The allowed values of the choice columns; the registry app passes its model choices."""

    organisation_kinds: tuple[str, ...]
    size_classes: tuple[str, ...]
    government_levels: tuple[str, ...]
    regions: tuple[str, ...]
    languages: tuple[str, ...]


class CellError(ValueError):
    """A cell's text is not a valid value for its column."""


# --- columns --------------------------------------------------------------------------------------

Parser = Callable[[str, Vocabulary], Value]


@dataclass(frozen=True)
class Column:
    """A column of an import file: how its text is parsed, and what an empty cell means."""

    name: str
    parse: Parser
    required: bool = False  # the column must be there and its cells filled
    empty: Value = ""  # the value of an empty cell
    strip: bool = True  # remove surrounding spaces (not for multi-line descriptions)


def text(max_length: int) -> Parser:
    def parse(raw: str, _vocab: Vocabulary) -> str:
        if len(raw) > max_length:
            raise CellError(f"{len(raw)} characters, at most {max_length} are allowed")
        return raw

    return parse


def choice(values: Callable[[Vocabulary], Iterable[str]]) -> Parser:
    def parse(raw: str, vocab: Vocabulary) -> str:
        allowed = tuple(values(vocab))
        value = raw.lower()
        if value not in allowed:
            raise CellError(f"{raw!r} is not one of: {', '.join(allowed)}")
        return value

    return parse


_TRUE = frozenset({"true", "yes", "y", "1", "x"})
_FALSE = frozenset({"false", "no", "n", "0"})


def boolean(raw: str, _vocab: Vocabulary) -> bool:
    value = raw.lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise CellError(f"{raw!r} is not a yes/no value (use true or false)")


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date(raw: str, _vocab: Vocabulary) -> dt.date:
    if not _ISO_DATE.fullmatch(raw):
        raise CellError(f"{raw!r} is not a date written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise CellError(f"{raw!r} is not a date that exists") from None


def coordinate(limit: float) -> Parser:
    def parse(raw: str, _vocab: Vocabulary) -> float:
        try:
            value = float(raw.replace(",", ".") if "." not in raw else raw)
        except ValueError:
            raise CellError(f"{raw!r} is not a number") from None
        if not math.isfinite(value) or not -limit <= value <= limit:
            raise CellError(f"{raw!r} is out of range (-{limit:g} to {limit:g})")
        return value

    return parse


_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def slug(raw: str, _vocab: Vocabulary) -> str:
    if not _SLUG.fullmatch(raw) or len(raw) > 220:
        raise CellError(f"{raw!r} is not a slug (letters, digits, - and _, at most 220)")
    return raw


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def email(raw: str, _vocab: Vocabulary) -> str:
    if not _EMAIL.fullmatch(raw) or len(raw) > 254:
        raise CellError(f"{raw!r} is not an e-mail address")
    return raw


_URL = re.compile(r"https?://[^\s/?#]+\.[^\s/?#]+\S*", re.IGNORECASE)


def url(raw: str, _vocab: Vocabulary) -> str:
    if not _URL.fullmatch(raw) or len(raw) > 200:
        raise CellError(f"{raw!r} is not a web address starting with http:// or https://")
    return raw


def country(raw: str, _vocab: Vocabulary) -> str:
    value = raw.upper()
    if not re.fullmatch(r"[A-Z]{2}", value):
        raise CellError(f"{raw!r} is not a two-letter ISO 3166 country code")
    return value


def _split(raw: str, separators: str) -> list[str]:
    return [part.strip() for part in re.split(f"[{re.escape(separators)}]", raw) if part.strip()]


def languages(raw: str, vocab: Vocabulary) -> str:
    codes = [code.lower() for code in _split(raw, ",; ")]
    wrong = [code for code in codes if code not in vocab.languages]
    if wrong:
        raise CellError(f"unknown language {', '.join(map(repr, wrong))} (use {', '.join(vocab.languages)})")
    return ",".join(dict.fromkeys(codes))


_nace = lru_cache(maxsize=4096)(normalise_nace)  # a file repeats the same few codes; stdnum is slow


def nace_codes(raw: str, _vocab: Vocabulary) -> frozenset[str]:
    codes, problems = set(), []
    for part in _split(raw, ";"):
        try:
            codes.add(_nace(part))
        except UnknownNaceCode as exc:
            problems.append(str(exc))
    if problems:
        raise CellError("; ".join(problems))
    return frozenset(codes)


def keywords(raw: str, _vocab: Vocabulary) -> frozenset[str]:
    words = frozenset(" ".join(part.lower().split()) for part in _split(raw, ";"))
    long = sorted(word for word in words if len(word) > 80)
    if long:
        raise CellError(f"keyword {long[0]!r} is longer than 80 characters")
    return words


def slugs(raw: str, vocab: Vocabulary) -> frozenset[str]:
    return frozenset(slug(part, vocab) for part in _split(raw, ";"))


def organisation_reference(raw: str, _vocab: Vocabulary) -> OrganisationKey:
    """``scheme:identifier`` (``be:0403.170.701``) or a slug."""
    if ":" in raw:
        scheme, _, identifier = raw.partition(":")
        try:
            legal = normalise_identifier(scheme, identifier)
        except InvalidIdentifier as exc:
            raise CellError(str(exc)) from None
        return OrganisationKey(scheme=legal.scheme.value, identifier=legal.value)
    if not _SLUG.fullmatch(raw):
        raise CellError(f"{raw!r} is neither scheme:identifier (be:0403.170.701) nor an organisation slug")
    return OrganisationKey(slug=raw)


def column_name(raw: str) -> str:
    """Header cells are matched without case and with spaces read as underscores."""
    return "_".join(raw.strip().lower().replace("-", "_").split())


def parse_cell(column: Column, raw: str, vocab: Vocabulary) -> Value:
    """The value of one cell for ``column`` (``column.empty`` when empty), or :class:`CellError`; the
    apostrophe before a formula sign is the spreadsheet's escape, an unescaped formula is refused."""
    literal = unescape_cell(raw)
    if literal is None:
        if is_formula_like(raw):
            raise CellError(
                f"{raw[:40]!r} starts like a formula, which is not accepted "
                "(prefix an apostrophe if the text is meant literally)"
            )
        literal = raw.strip() if column.strip else raw
    if not literal:
        if column.required:
            raise CellError("required, but empty")
        return column.empty
    return column.parse(literal, vocab)
