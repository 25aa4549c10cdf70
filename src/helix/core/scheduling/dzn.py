"""Read the published B2B benchmark format (MiniZinc data, Bofill et al., JAIR 74, 2022) and write the
``schedule.json`` answer format.

The file assigns ``nBusiness, nMeetings, nTables, nTotalSlots, nMorningSlots``; ``requested = [| p1, p2,
session | ...]`` (session 1 morning, 2 afternoon, 3 any); ``forbidden`` (a set of slots per participant,
``{0}`` or ``{}`` = none); ``fixed`` (a slot per meeting or 0); ``precedences`` (per meeting, the set of
meetings that must come before it; 0 = none). Everything in the file is 1-based; the :class:`Problem` is
0-based. Errors name the line and the field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .problem import InvalidProblem, Meeting, Problem, Result, uniform_tables

_ASSIGN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?);", re.S)
_REQUIRED = ("nBusiness", "nMeetings", "nTables", "nTotalSlots", "requested")


class DznError(InvalidProblem):
    pass


@dataclass(frozen=True)
class _Value:
    name: str
    text: str
    line: int


def _strip_comments(text: str) -> str:
    return re.sub(r"%[^\n]*", "", text)


def _values(text: str) -> dict[str, _Value]:
    text = _strip_comments(text)
    out: dict[str, _Value] = {}
    for match in _ASSIGN.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        out[match.group(1)] = _Value(match.group(1), match.group(2), line)
    return out


def _int(value: _Value) -> int:
    try:
        return int(value.text.strip())
    except ValueError:
        raise DznError(
            f"line {value.line}: {value.name} must be a whole number, not {value.text.strip()!r}"
        ) from None


def _int_list(value: _Value) -> list[int]:
    body = value.text.strip()
    if not (body.startswith("[") and body.endswith("]")):
        raise DznError(f"line {value.line}: {value.name} must be a list [ ... ]")
    items = [x.strip() for x in body[1:-1].split(",") if x.strip()]
    try:
        return [int(x) for x in items]
    except ValueError:
        raise DznError(
            f"line {value.line}: {value.name} holds something that is not a whole number"
        ) from None


def _set_list(value: _Value) -> list[set[int]]:
    body = value.text.strip()
    if not (body.startswith("[") and body.endswith("]")):
        raise DznError(f"line {value.line}: {value.name} must be a list of sets [{{...}}, ...]")
    sets = re.findall(r"\{([^}]*)\}", body)
    out: list[set[int]] = []
    for k, inner in enumerate(sets):
        try:
            out.append({int(x) for x in inner.split(",") if x.strip()})
        except ValueError:
            raise DznError(
                f"line {value.line}: {value.name}, entry {k + 1} is not a set of numbers"
            ) from None
    return out


def _rows(value: _Value) -> list[tuple[int, list[int]]]:
    body = value.text.strip()
    if not (body.startswith("[|") and body.endswith("|]")):
        raise DznError(f"line {value.line}: {value.name} must be a two-dimensional array [| ... |]")
    rows: list[tuple[int, list[int]]] = []
    line = value.line
    for chunk in body[2:-2].split("|"):
        here = line
        line += chunk.count("\n")
        items = [x.strip() for x in chunk.split(",") if x.strip()]
        if not items:
            continue
        try:
            rows.append((here + (1 if chunk.startswith("\n") else 0), [int(x) for x in items]))
        except ValueError:
            raise DznError(
                f"line {here}: {value.name} row holds something that is not a whole number"
            ) from None
    return rows


def parse_dzn(text: str, name: str = "") -> Problem:
    values = _values(text)
    missing = [k for k in _REQUIRED if k not in values]
    if missing:
        raise DznError(f"{name or 'instance'}: missing {', '.join(missing)}")
    n = _int(values["nBusiness"])
    n_meetings = _int(values["nMeetings"])
    n_tables = _int(values["nTables"])
    n_slots = _int(values["nTotalSlots"])
    n_morning = _int(values["nMorningSlots"]) if "nMorningSlots" in values else n_slots
    if not 0 <= n_morning <= n_slots:
        raise DznError(f"line {values['nMorningSlots'].line}: nMorningSlots must lie in 0..nTotalSlots")
    morning = frozenset(range(n_morning))
    afternoon = frozenset(range(n_morning, n_slots))

    rows = _rows(values["requested"])
    if len(rows) != n_meetings:
        raise DznError(
            f"line {values['requested'].line}: requested has {len(rows)} rows, nMeetings is {n_meetings}"
        )
    fixed = _int_list(values["fixed"]) if "fixed" in values else [0] * n_meetings
    if len(fixed) != n_meetings:
        raise DznError(
            f"line {values['fixed'].line}: fixed has {len(fixed)} entries, nMeetings is {n_meetings}"
        )
    precedences = _set_list(values["precedences"]) if "precedences" in values else [set()] * n_meetings
    if len(precedences) != n_meetings:
        raise DznError(
            f"line {values['precedences'].line}: precedences has {len(precedences)} entries, "
            f"nMeetings is {n_meetings}"
        )
    forbidden_raw = _set_list(values["forbidden"]) if "forbidden" in values else [set()] * n
    if len(forbidden_raw) != n:
        raise DznError(
            f"line {values['forbidden'].line}: forbidden has {len(forbidden_raw)} entries, nBusiness is {n}"
        )

    meetings: list[Meeting] = []
    for i, (line, row) in enumerate(rows):
        if len(row) != 3:
            raise DznError(f"line {line}: requested row {i + 1} must be 'participant, participant, session'")
        a, b, session = row
        for p in (a, b):
            if not 1 <= p <= n:
                raise DznError(f"line {line}: requested row {i + 1}: participant {p} is outside 1..{n}")
        if session not in (1, 2, 3):
            raise DznError(f"line {line}: requested row {i + 1}: session must be 1, 2 or 3, not {session}")
        slot = fixed[i]
        if not 0 <= slot <= n_slots:
            raise DznError(
                f"line {values['fixed'].line}: fixed entry {i + 1}: slot {slot} outside 0..{n_slots}"
            )
        after = sorted(j for j in precedences[i] if j != 0)
        for j in after:
            if not 1 <= j <= n_meetings:
                raise DznError(
                    f"line {values['precedences'].line}: precedences entry {i + 1} names meeting {j}"
                )
        meetings.append(
            Meeting(
                a=a - 1,
                b=b - 1,
                slots=morning if session == 1 else afternoon if session == 2 else None,
                fixed=slot - 1 if slot else None,
                after=tuple(j - 1 for j in after),
            )
        )
    forbidden: list[frozenset[int]] = []
    for p, slots in enumerate(forbidden_raw):
        bad = [t for t in slots if t != 0 and not 1 <= t <= n_slots]
        if bad:
            raise DznError(
                f"line {values['forbidden'].line}: forbidden entry {p + 1}: slot {bad[0]} "
                f"outside 1..{n_slots}"
            )
        forbidden.append(frozenset(t - 1 for t in slots if t != 0))
    return Problem(
        n, n_slots, uniform_tables(n_slots, n_tables), tuple(meetings), tuple(forbidden), n_morning, name
    )


def read_dzn(path: str | Path) -> Problem:
    path = Path(path)
    name = path.name.removesuffix(".dzn").removesuffix(".original")
    return parse_dzn(path.read_text(encoding="utf-8"), name)


# -- schedule.json -----------------------------------------------------------------------------------------


def schedule_json(result: Result) -> dict[str, Any]:
    """The answer format of ``helix schedule solve``: 1-based meetings and slots."""
    return {
        "status": result.status.value,
        "total_breaks": result.total_breaks,
        "bound": result.bound,
        "seconds": round(result.seconds, 3),
        "meetings": [{"meeting": m + 1, "slot": t + 1} for m, t in sorted(result.assignment.items())],
    }


def read_schedule_json(data: Mapping[str, Any] | str) -> dict[int, int]:
    """meeting index -> slot (0-based) from a schedule.json document; errors name the entry."""
    doc = json.loads(data) if isinstance(data, str) else data
    if not isinstance(doc, Mapping) or not isinstance(doc.get("meetings"), list):
        raise InvalidProblem("schedule.json: expected an object with a 'meetings' list")
    out: dict[int, int] = {}
    for k, entry in enumerate(doc["meetings"]):
        if (
            not isinstance(entry, Mapping)
            or not isinstance(entry.get("meeting"), int)
            or not isinstance(entry.get("slot"), int)
            or isinstance(entry.get("meeting"), bool)
        ):
            raise InvalidProblem(f'schedule.json: meetings[{k}] must be {{"meeting": int, "slot": int}}')
        m = entry["meeting"] - 1
        if m in out:
            raise InvalidProblem(f"schedule.json: meetings[{k}]: meeting {m + 1} is scheduled twice")
        out[m] = entry["slot"] - 1
    return out
