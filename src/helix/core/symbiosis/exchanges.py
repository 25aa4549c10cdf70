"""Documented exchanges in the column layout of the MAESTRI industrial-symbiosis database.

One row is one exchange: which industry provided which waste (its description and EWC, HS and CPA
codes) to which receiving industry, in which numbered case (an industrial park or a study). Codes
carry MAESTRI's markers (``*``, ``#``, ``^`` for codes assigned by the compilers) and several codes
are joined by ``;``; :func:`split_codes` reads both.

:func:`read_exchanges` reads a file of that layout; a missing column or an empty required cell is an
error that names the column and the line, and nothing is returned half-read.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

COLUMNS = {
    "case": "Case Number",
    "provider_nace": "NACE code - Providing industry",
    "provider_name": "Providing industry (according to NACE)",
    "receiver_nace": "NACE code - Receiving industry",
    "receiver_name": "Receiving industry (according to NACE)",
    "waste_description": "Waste description",
    "waste_detail": "Detailed waste information",
    "ewc": "EWC code",
    "ewc_description": "EWC code description",
    "hs": "HS code",
    "cpa": "CPA code",
    "cpa_description": "CPA code description",
    "reference": "Reference",
}
# What a query needs at the least: a waste and who provides it. The receiving columns may be absent.
QUERY_COLUMNS = ("provider_nace", "waste_description", "ewc")


class ExchangeFileError(ValueError):
    """A file that is not in the exchange layout; the message names the column and line."""


def split_codes(text: str) -> tuple[str, ...]:
    """``"200108;200125*"`` -> ``("200108", "200125")``: digits only, order kept, no empties."""
    out = []
    for part in (text or "").split(";"):
        digits = re.sub(r"\D", "", part)
        if digits and digits not in out:
            out.append(digits)
    return tuple(out)


def receiver_key(text: str) -> str:
    """The label a receiving industry is known by: its codes without markers, ``;``-joined."""
    return ";".join(split_codes(text))


@dataclass(frozen=True)
class WasteQuery:
    """A waste offered by an industry: what the receiver ranking is asked about."""

    provider_nace: tuple[str, ...] = ()
    ewc: tuple[str, ...] = ()
    description: str = ""
    detail: str = ""
    ewc_description: str = ""
    hs: tuple[str, ...] = ()
    cpa: tuple[str, ...] = ()
    cpa_description: str = ""

    @property
    def text(self) -> str:
        return ". ".join(t for t in (self.description, self.detail) if t.strip())


@dataclass(frozen=True)
class Exchange:
    case: str
    waste: WasteQuery
    receiver: str  # receiver_key of the receiving industry; "" in a query file without receivers
    receiver_code: str  # as written in the file, e.g. "3811*"
    receiver_name: str
    line: int
    provider_name: str = ""
    reference: str = ""


def _squash(name: str) -> str:
    return " ".join((name or "").lower().split())


def _cell(row: dict[str, str], key: str) -> str:
    return (row.get(COLUMNS[key]) or "").strip()


def read_exchanges(
    text: str,
    *,
    require_receiver: bool = True,
    source: str = "file",
    unlabelled: list[int] | None = None,
    max_rows: int | None = None,
    max_columns: int | None = None,
) -> list[Exchange]:
    """Rows of a MAESTRI-layout CSV (comma- or semicolon-separated, with its header line).

    With ``require_receiver=False`` (a query file) every data row is returned, in order, even one
    that says nothing about its waste: the i-th exchange is the i-th query. Given an ``unlabelled``
    list, a row without a receiving industry (or without any waste information) is left out and its
    line number appended there instead of stopping the read. A file with more than ``max_rows`` data
    rows or ``max_columns`` columns is refused, naming the limit."""
    if not text.strip():
        raise ExchangeFileError(f"{source}: the file is empty")
    sample = text.lstrip("\ufeff").splitlines()[0]
    dialect = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=dialect)
    # Headers are matched forgiving case and spacing ("EWC Code", "ewc  code"), written as in MAESTRI.
    canonical = {_squash(name): name for name in COLUMNS.values()}
    header = [canonical.get(_squash(h), h.strip()) for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    named = max((i + 1 for i, name in enumerate(header) if name), default=0)
    if max_columns is not None and named > max_columns:
        raise ExchangeFileError(
            f"{source}: {named:,} columns; an import reads at most {max_columns:,} (HELIX_IMPORT_MAX_COLUMNS)"
        )
    needed = list(QUERY_COLUMNS) + (["receiver_nace"] if require_receiver else [])
    missing = [COLUMNS[k] for k in needed if COLUMNS[k] not in header]
    if missing:
        raise ExchangeFileError(f"{source}: column(s) missing: {', '.join(repr(m) for m in missing)}")
    out: list[Exchange] = []
    for number, row in enumerate(reader, start=1):
        line = reader.line_num
        if max_rows is not None and number > max_rows:
            raise ExchangeFileError(
                f"{source}, line {line}: more than {max_rows:,} rows; an import reads at most {max_rows:,} "
                "(HELIX_IMPORT_MAX_ROWS): split the file"
            )
        extra = [i for i, cell in enumerate(row.get(None) or ()) if cell.strip()]  # beyond the header
        if max_columns is not None and extra and len(header) + extra[-1] >= max_columns:
            raise ExchangeFileError(
                f"{source}, line {line}: cells beyond column {max_columns:,}; an import reads at most "
                f"{max_columns:,} columns (HELIX_IMPORT_MAX_COLUMNS)"
            )
        provider = split_codes(_cell(row, "provider_nace"))
        ewc = split_codes(_cell(row, "ewc"))
        description = _cell(row, "waste_description")
        if not (provider or ewc or description) and require_receiver:
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue  # a blank line
            if unlabelled is not None:
                unlabelled.append(line)
                continue
            raise ExchangeFileError(
                f"{source}, line {line}: a row needs at least one of {COLUMNS['provider_nace']!r}, "
                f"{COLUMNS['ewc']!r} or {COLUMNS['waste_description']!r}"
            )
        receiver_raw = _cell(row, "receiver_nace")
        receiver = receiver_key(receiver_raw)
        if require_receiver and not receiver and unlabelled is not None:
            unlabelled.append(line)
            continue
        if require_receiver and not receiver:
            raise ExchangeFileError(f"{source}, line {line}: {COLUMNS['receiver_nace']!r} is empty")
        waste = WasteQuery(
            provider_nace=provider,
            ewc=ewc,
            description=description,
            detail=_cell(row, "waste_detail"),
            ewc_description=_cell(row, "ewc_description"),
            hs=split_codes(_cell(row, "hs")),
            cpa=split_codes(_cell(row, "cpa")),
            cpa_description=_cell(row, "cpa_description"),
        )
        case = _cell(row, "case") or _cell(row, "reference") or f"line {line}"
        out.append(
            Exchange(
                case,
                waste,
                receiver,
                receiver_raw,
                _cell(row, "receiver_name"),
                line,
                _cell(row, "provider_name"),
                _cell(row, "reference"),
            )
        )
    return out


def read_exchange_file(
    path: str, *, require_receiver: bool = True, unlabelled: list[int] | None = None
) -> list[Exchange]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return read_exchanges(
                fh.read(), require_receiver=require_receiver, source=path, unlabelled=unlabelled
            )
    except UnicodeDecodeError as exc:
        raise ExchangeFileError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
