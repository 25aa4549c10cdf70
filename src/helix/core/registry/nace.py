"""NACE Rev. 2.1, the EU classification of economic activities (2025), read from python-stdnum's table.

Helix stores sectors as NACE Rev. 2.1 codes in their printed form: a section letter (``J``), a
division (``62``), a group (``62.1``) or a class (``62.10``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from stdnum import exceptions as stdnum_exceptions
from stdnum.eu import nace as stdnum_nace

REVISION = "2.1"


@dataclass(frozen=True)
class NaceEntry:
    code: str  # printed form: "J", "62", "62.1", "62.10"
    level: int  # 1 section, 2 division, 3 group, 4 class
    label: str
    parent: str | None
    section: str


class UnknownNaceCode(ValueError):
    """The text is not a NACE Rev. 2.1 code."""


def _printed(compact: str) -> str:
    return compact if len(compact) <= 2 else f"{compact[:2]}.{compact[2:]}"


@cache
def nace_entries() -> tuple[NaceEntry, ...]:
    """All sections, divisions, groups and classes of NACE Rev. 2.1, in table order."""
    text = resources.files("stdnum.eu").joinpath("nace21.dat").read_text(encoding="utf-8")
    entries: list[NaceEntry] = []
    section = division = group = ""
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        depth = len(line) - len(line.lstrip(" "))
        head, _, rest = line.strip().partition(" ")
        label = rest.split('label="', 1)[1].split('"', 1)[0] if 'label="' in rest else head
        if depth == 0 and head.isalpha():
            section = head
            entries.append(NaceEntry(section, 1, label, None, section))
        elif depth == 0:
            division = head
            entries.append(NaceEntry(division, 2, label, section, section))
        elif depth == 1:
            group = division + head
            entries.append(NaceEntry(_printed(group), 3, label, division, section))
        else:
            entries.append(NaceEntry(_printed(group + head), 4, label, _printed(group), section))
    return tuple(entries)


@cache
def _by_code() -> dict[str, NaceEntry]:
    return {e.code: e for e in nace_entries()}


def normalise_nace(raw: str) -> str:
    """Return the printed NACE Rev. 2.1 code for ``raw`` ("6210", "62.10", " j ") or raise UnknownNaceCode."""
    text = raw.strip().upper()
    try:
        compact = stdnum_nace.validate(text, revision=REVISION)
    except stdnum_exceptions.ValidationError:
        raise UnknownNaceCode(f"{raw.strip()!r} is not a NACE Rev. {REVISION} code") from None
    code = _printed(compact)
    if code not in _by_code():
        raise UnknownNaceCode(f"{raw.strip()!r} is not a NACE Rev. {REVISION} code")
    return code


def nace_entry(code: str) -> NaceEntry:
    return _by_code()[normalise_nace(code)]


def normalise_nace_codes(raws: Iterable[str]) -> tuple[list[str], list[str]]:
    """(the printed codes of ``raws`` in first-seen order without repeats, the raws that are no code)."""
    codes: list[str] = []
    unknown: list[str] = []
    for raw in raws:
        try:
            code = normalise_nace(raw)
        except UnknownNaceCode:
            unknown.append(raw.strip())
            continue
        if code not in codes:
            codes.append(code)
    return codes, unknown
