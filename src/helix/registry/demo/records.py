"""Read demo data files (CSV and JSON under an app's ``demo/data/``) into frozen dataclasses.

The dataclass is the schema: each CSV column or JSON key is a field, converted to the field's type
(``str``, ``int``, ``float``, ``bool``, ``datetime.date``, ``X | None``, ``tuple[X, ...]``, a nested
dataclass, ``dict``). A field left out, or an empty CSV cell, takes the field's default. A record that
does not fit raises :class:`DataFileError`, which names the file and the line where the record starts.

CSV is for tables: a ``tuple`` cell holds ``;``-separated items (a pair inside an item is written
``a/b``), ``true``/``false`` are booleans, dates are ISO dates, and a nested dataclass is spread over
columns named ``field.subfield`` (all empty: ``None``). JSON (a list of objects, one per record) is for
nested records.

Standard library only: ``helix demo load`` runs on a base install. No Django.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import types
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

T = TypeVar("T")

LIST_SEPARATOR = ";"
PAIR_SEPARATOR = "/"


class DataFileError(ValueError):
    """A record of a demo data file that does not fit its dataclass."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}, line {line}: {message}")
        self.path = path
        self.line = line


def read_csv(path: Path, cls: type[T]) -> tuple[T, ...]:
    """The rows of the CSV file ``path`` (a header row, then one record per row) as ``cls`` objects."""
    records = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None:  # reads the header
            raise DataFileError(path, 1, "a header row was expected")
        start = reader.line_num + 1
        for row in reader:
            try:
                if None in row or None in row.values():
                    raise ValueError("the row does not have as many cells as the header")
                records.append(_build(cls, _nest(row), from_text=True))
            except (TypeError, ValueError) as error:
                raise DataFileError(path, start, str(error)) from None
            start = reader.line_num + 1
    return tuple(records)


def read_json(path: Path, cls: type[T]) -> tuple[T, ...]:
    """The objects of the JSON list in ``path`` as ``cls`` objects."""
    records = []
    for line, item in _json_items(path):
        try:
            if not isinstance(item, dict):
                raise ValueError(f"a JSON object was expected, not {item!r}")
            records.append(_build(cls, item, from_text=False))
        except (TypeError, ValueError) as error:
            raise DataFileError(path, line, str(error)) from None
    return tuple(records)


def _json_items(path: Path) -> Iterator[tuple[int, Any]]:
    """(line where it starts, item) for each item of the JSON list in ``path``."""
    text = path.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()

    def skip(at: int) -> int:
        while at < len(text) and text[at].isspace():
            at += 1
        return at

    def fail(at: int, message: str) -> DataFileError:
        return DataFileError(path, text.count("\n", 0, at) + 1, message)

    at = skip(0)
    if text[at : at + 1] != "[":
        raise fail(at, "a JSON list of records was expected")
    at = skip(at + 1)
    if text[at : at + 1] == "]":
        return
    while True:
        try:
            item, end = decoder.raw_decode(text, at)
        except json.JSONDecodeError as error:
            raise fail(error.pos, error.msg) from None
        yield text.count("\n", 0, at) + 1, item
        at = skip(end)
        if text[at : at + 1] == "]":
            return
        if text[at : at + 1] != ",":
            raise fail(at, "',' or ']' was expected")
        at = skip(at + 1)


def _nest(row: Mapping[str, str]) -> dict[str, Any]:
    """Columns ``site.city`` and ``site.region`` become ``{"site": {"city": …, "region": …}}``."""
    nested: dict[str, Any] = {}
    for column, value in row.items():
        head, dot, rest = column.partition(".")
        if dot:
            nested.setdefault(head, {})[rest] = value
        else:
            nested[column] = value
    return nested


def _build(cls: type[T], data: Mapping[str, Any], *, from_text: bool) -> T:
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(data) - fields.keys())
    if unknown:
        raise ValueError(f"unknown field(s) for {cls.__name__}: {', '.join(unknown)}")
    hints = get_type_hints(cls)
    values = {}
    for name, spec in fields.items():
        missing = dataclasses.MISSING
        has_default = spec.default is not missing or spec.default_factory is not missing
        value = data.get(name, _MISSING)
        if value is _MISSING or (from_text and _blank(value)):
            if has_default:
                continue
            if value is _MISSING:
                raise ValueError(f"{cls.__name__}.{name} is missing")
        try:
            values[name] = _convert(hints[name], value, from_text=from_text)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{cls.__name__}.{name}: {error}") from None
    return cls(**values)


_MISSING = object()


def _blank(value: Any) -> bool:
    return value == "" or (isinstance(value, dict) and all(v == "" for v in value.values()))


def _convert(hint: Any, value: Any, *, from_text: bool) -> Any:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(hint) if a is not type(None)]
        if value is None or (from_text and _blank(value)):
            return None
        return _convert(options[0], value, from_text=from_text)
    if origin is tuple:
        args = get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            if from_text and isinstance(value, str):
                items = value.split(LIST_SEPARATOR) if value else []
                if get_origin(args[0]) is tuple:
                    return tuple(tuple(item.split(PAIR_SEPARATOR)) for item in items)
                return tuple(_convert(args[0], item, from_text=True) for item in items)
            return tuple(_convert(args[0], item, from_text=from_text) for item in _list(value))
        items = _list(value)
        if len(items) != len(args):
            raise ValueError(f"{len(args)} items were expected, not {value!r}")
        return tuple(_convert(a, item, from_text=from_text) for a, item in zip(args, items, strict=True))
    if origin is dict or hint is dict:
        if not isinstance(value, dict):
            raise ValueError(f"an object was expected, not {value!r}")
        return value
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise ValueError(f"an object was expected, not {value!r}")
        return _build(hint, value, from_text=from_text)  # type: ignore[arg-type]
    if hint is Any:
        return value
    if hint is bool:
        if isinstance(value, bool):
            return value
        if from_text and value in ("true", "false"):
            return value == "true"
        raise ValueError(f"true or false was expected, not {value!r}")
    if hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if from_text and isinstance(value, str):
            return int(value)
        raise ValueError(f"a whole number was expected, not {value!r}")
    if hint is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if from_text and isinstance(value, str):
            return float(value)
        raise ValueError(f"a number was expected, not {value!r}")
    if hint is dt.date:
        if isinstance(value, str):
            return dt.date.fromisoformat(value)
        raise ValueError(f"an ISO date was expected, not {value!r}")
    if hint is str:
        if isinstance(value, str):
            return value
        raise ValueError(f"a text was expected, not {value!r}")
    raise TypeError(f"no reader for the type {hint!r}")


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"a list was expected, not {value!r}")
    return value
