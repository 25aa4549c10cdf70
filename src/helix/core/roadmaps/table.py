"""A roadmap as spreadsheet rows, and back: one row per item, the columns of :data:`ROADMAP_COLUMNS`.

The export (:func:`roadmap_rows`) and the import (:func:`parse_roadmap_rows`) use the same columns, so a
sheet exported, edited and imported again gives back the roadmap. The edge writes the rows with
``helix.spreadsheets`` (formula escaping, ISO dates) and reads the file into ``dict`` rows of text cells.

Cells:

- ``key``: the item's key, unique, without spaces or ``;`` (e.g. ``M1``, ``WP2.3``);
- ``kind``: ``milestone``, ``deliverable`` or ``activity`` (empty: a milestone when the duration is 0
  or empty, else an activity); ``phase``: ``concept`` .. ``recycling`` or empty;
- ``trl_from``/``trl_to``: whole numbers 1-9 or empty;
- ``owner``: a participant; ``contributors``: participants separated by ``;``. A participant is
  written as its name (or id) and resolved by the caller's ``resolve`` (names to registry ids);
- ``start``: the planned start as an ISO date (``2026-03-01``), empty = as early as its dependencies
  allow; ``duration_days``: whole days, 0 for a milestone;
- ``depends_on``: the predecessors, separated by ``;``. Each is a key, then optionally the kind ``FS``
  (finish-to-start, the default) or ``SS`` (start-to-start) after a space, then optionally a signed lag
  in days (``+30``, ``-5`` = a lead; a trailing ``d`` is allowed). ``M1;M2+30;A3 SS+10`` means: after
  M1 finishes; 30 days after M2 finishes; 10 days after A3 starts. A key that itself contains ``+`` or
  ``-`` is read as a whole when it names an item;
- ``effort``: person-months per participant, ``name:pm`` separated by ``;`` (``Acme:3;Uni X:1.5``);
- ``budget``, ``funding_secured``: amounts (a decimal point, or a decimal comma when there is no point);
  ``percent_complete``: 0-100;
- ``actual_start``, ``actual_finish``: ISO dates or empty.

The export may add ``plan_start`` and ``plan_finish`` (a computed plan's dates, for reading); the import
accepts and ignores them. Any other column is refused, so a misspelt header is not silently lost.

Import is all or nothing: :func:`parse_roadmap_rows` reports every bad cell as a :class:`RowProblem`
with its spreadsheet row (the header is row 1) and column, and returns no roadmap while any is wrong.
A cell written with an apostrophe before a formula sign (``'=x``, as ``helix.spreadsheets`` escapes
text) is read without it. It does not check cycles or dates against dependencies (validation does that
on the roadmap).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from helix.core.registry.tables import escape_cell, unescape_cell
from helix.core.roadmaps.dates import finish_of
from helix.core.roadmaps.model import (
    TRL_MAX,
    TRL_MIN,
    Dependency,
    DependencyKind,
    Effort,
    Item,
    ItemKind,
    Participant,
    ParticipantId,
    Phase,
    Roadmap,
    Track,
)

ROADMAP_COLUMNS: tuple[str, ...] = (
    "key",
    "title",
    "kind",
    "track",
    "phase",
    "trl_from",
    "trl_to",
    "owner",
    "contributors",
    "start",
    "duration_days",
    "depends_on",
    "effort",
    "budget",
    "funding_secured",
    "percent_complete",
    "actual_start",
    "actual_finish",
)
PLAN_COLUMNS: tuple[str, ...] = ("plan_start", "plan_finish")
REQUIRED_COLUMNS: tuple[str, ...] = ("key",)

Cell = str | int | float | None


@dataclass(frozen=True)
class RowProblem:
    """A bad cell (or header): its spreadsheet row, its column, a stable code, params and English text."""

    row: int
    column: str | None
    code: str
    params: Mapping[str, object] = field(default_factory=dict)
    text: str = ""

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.text}"


# ---- export ----


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _number_text(value: float) -> str:
    return str(_number(value))


def format_dependency(dep: Dependency) -> str:
    """One predecessor in the ``depends_on`` syntax: ``KEY``, ``KEY+30``, ``KEY SS-5``."""
    text = dep.predecessor
    if dep.kind is DependencyKind.START_TO_START:
        text += " SS"
    if dep.lag_days:
        text += f"{dep.lag_days:+d}"
    return text


def roadmap_columns(*, with_plan: bool = False) -> tuple[str, ...]:
    return ROADMAP_COLUMNS + PLAN_COLUMNS if with_plan else ROADMAP_COLUMNS


def roadmap_rows(
    roadmap: Roadmap,
    starts: Mapping[str, date] | None = None,
    *,
    name_of: Callable[[ParticipantId], str] | None = None,
) -> list[tuple[Cell, ...]]:
    """One row per item in the order of :func:`roadmap_columns` (with ``plan_start`` and ``plan_finish``
    from ``starts`` when given). Participants are written by ``name_of`` (default: their name in the
    roadmap, else their id), which the import's resolver must understand."""
    names = {p.id: p.name for p in roadmap.participants if p.name}

    def name(pid: ParticipantId) -> str:
        return name_of(pid) if name_of is not None else names.get(pid, str(pid))

    preds: dict[str, list[str]] = {}
    for dep in roadmap.dependencies:
        preds.setdefault(dep.successor, []).append(format_dependency(dep))
    rows: list[tuple[Cell, ...]] = []
    for it in roadmap.items:
        row: tuple[Cell, ...] = (
            it.key,
            it.title,
            it.kind.value,
            it.track or "",
            it.phase.value if it.phase else "",
            it.trl_from,
            it.trl_to,
            name(it.owner) if it.owner is not None else "",
            ";".join(name(p) for p in it.contributors),
            it.planned_start.isoformat() if it.planned_start else "",
            it.duration_days,
            ";".join(preds.get(it.key, ())),
            ";".join(f"{name(e.participant)}:{_number_text(e.person_months)}" for e in it.efforts),
            _number(it.budget),
            _number(it.funding_secured),
            _number(it.percent_complete),
            it.actual_start.isoformat() if it.actual_start else "",
            it.actual_finish.isoformat() if it.actual_finish else "",
        )
        if starts is not None:
            begin = starts.get(it.key)
            row += (
                begin.isoformat() if begin else "",
                finish_of(it, begin).isoformat() if begin else "",
            )
        rows.append(row)
    return rows


def rows_as_text(columns: Sequence[str], rows: Sequence[Sequence[Cell]]) -> list[dict[str, str]]:
    """Exported rows as the text cells an import reads (what a CSV round trip gives: text a spreadsheet
    would run as a formula, or that starts with the escaping apostrophe, gets an apostrophe, as the file
    writers add it; numbers stay numbers)."""
    return [
        {
            c: "" if v is None else escape_cell(v) if isinstance(v, str) else str(v)
            for c, v in zip(columns, row, strict=True)
        }
        for row in rows
    ]


# ---- import ----

_DEPENDENCY = re.compile(
    r"^(?P<key>.+?)(?:\s+(?P<kind>FS|SS))?\s*(?:(?P<lag>[+-]\s*\d+)\s*d?)?$", re.IGNORECASE
)
_BAD_KEY = re.compile(r"[\s;]")


class _Row:
    """Parses the cells of one row, collecting problems."""

    def __init__(self, number: int, cells: Mapping[str, str], problems: list[RowProblem]) -> None:
        self.line = number
        self.cells = cells
        self.problems = problems
        self.ok = True

    def text(self, column: str) -> str:
        raw = (self.cells.get(column) or "").strip()
        literal = unescape_cell(raw)  # a spreadsheet's apostrophe before text that looks like a formula
        return raw if literal is None else literal

    def fail(self, column: str | None, code: str, text: str, **params: object) -> None:
        self.ok = False
        self.problems.append(RowProblem(self.line, column, code, dict(params), text))

    def date(self, column: str) -> date | None:
        value = self.text(column)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(column, "bad_date", f"{value!r} is not a date (YYYY-MM-DD)", value=value)
            return None

    def number(self, column: str, *, low: float = 0.0, high: float = math.inf) -> float:
        value = self.text(column)
        if not value:
            return 0.0
        parsed = _parse_number(value)
        if parsed is None:
            self.fail(column, "bad_number", f"{value!r} is not a number", value=value)
            return 0.0
        if not low <= parsed <= high:
            self.fail(column, "out_of_range", f"{value} is not between {low:g} and {high:g}", value=value)
            return 0.0
        return parsed

    def integer(self, column: str, *, low: int, high: int | None = None) -> int | None:
        value = self.text(column)
        if not value:
            return None
        parsed = _parse_number(value)
        if parsed is None or not parsed.is_integer():
            self.fail(column, "bad_integer", f"{value!r} is not a whole number", value=value)
            return None
        if parsed < low or (high is not None and parsed > high):
            bound = f"between {low} and {high}" if high is not None else f"at least {low}"
            self.fail(column, "out_of_range", f"{value} is not {bound}", value=value)
            return None
        return int(parsed)


def _parse_number(text: str) -> float | None:
    cleaned = text.replace(" ", "").replace("\u00a0", "").replace("\u202f", "").replace("_", "")
    if "," in cleaned and "." not in cleaned and cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", cleaned):
        return None
    value = float(cleaned)
    return value if math.isfinite(value) else None


def parse_dependency(text: str, keys: Mapping[str, object]) -> tuple[str, DependencyKind, int] | None:
    """One ``depends_on`` entry as (predecessor key, kind, lag), or None when it is not in the syntax.
    ``keys`` are the known item keys (a token that is a whole key is never read as key plus lag)."""
    token = text.strip()
    if token in keys:
        return token, DependencyKind.FINISH_TO_START, 0
    match = _DEPENDENCY.match(token)
    if match is None or _BAD_KEY.search(match["key"].strip()):
        return None
    kind = (
        DependencyKind.START_TO_START
        if (match["kind"] or "").upper() == "SS"
        else DependencyKind.FINISH_TO_START
    )
    lag = int(match["lag"].replace(" ", "")) if match["lag"] else 0
    return match["key"].strip(), kind, lag


def parse_roadmap_rows(
    rows: Sequence[Mapping[str, str]],
    start: date,
    resolve: Callable[[str], ParticipantId | None],
    *,
    title: str = "",
    first_row: int = 2,
) -> tuple[Roadmap | None, list[RowProblem]]:
    """The roadmap in ``rows`` (header -> cell text, the first at spreadsheet row ``first_row``) and every
    problem; the roadmap is None when there is any. ``resolve`` maps a participant's text to its id (None
    = unknown). Blank rows are skipped."""
    problems: list[RowProblem] = []
    header = list(dict.fromkeys(column for row in rows for column in row))
    known = set(ROADMAP_COLUMNS) | set(PLAN_COLUMNS)
    for column in header:
        if column not in known:
            problems.append(
                RowProblem(
                    1,
                    column,
                    "unknown_column",
                    {"column": column},
                    f"unknown column {column!r} (expected {', '.join(ROADMAP_COLUMNS)})",
                )
            )
    if rows:
        for column in REQUIRED_COLUMNS:
            if column not in header:
                problems.append(
                    RowProblem(
                        1, column, "missing_column", {"column": column}, f"the column {column!r} is missing"
                    )
                )
    if problems:
        return None, problems

    numbered = [
        (first_row + index, row)
        for index, row in enumerate(rows)
        if any((v or "").strip() for v in row.values())
    ]
    # First pass: the keys, so dependencies may name items further down.
    keys: dict[str, int] = {}
    for number, cells in numbered:
        key = (cells.get("key") or "").strip()
        if not key:
            problems.append(RowProblem(number, "key", "required", {}, "the key is empty"))
        elif _BAD_KEY.search(key):
            problems.append(
                RowProblem(number, "key", "bad_key", {"key": key}, f"the key {key!r} holds a space or ';'")
            )
        elif key in keys:
            problems.append(
                RowProblem(
                    number,
                    "key",
                    "duplicate_key",
                    {"key": key, "first_row": keys[key]},
                    f"the key {key!r} is already used in row {keys[key]}",
                )
            )
        else:
            keys[key] = number

    people: dict[ParticipantId, str] = {}
    cache: dict[str, ParticipantId | None] = {}

    def participant(row: _Row, column: str, text: str) -> ParticipantId | None:
        name = text.strip()
        if name not in cache:
            cache[name] = resolve(name)
        pid = cache[name]
        if pid is None:
            row.fail(column, "unknown_participant", f"no participant {name!r}", participant=name)
            return None
        people.setdefault(pid, name)
        return pid

    items: list[Item] = []
    dependencies: list[Dependency] = []
    tracks: dict[str, None] = {}
    for number, cells in numbered:
        row = _Row(number, cells, problems)
        key = row.text("key")
        kind_text = row.text("kind").lower()
        kind: ItemKind | None = None
        if kind_text:
            try:
                kind = ItemKind(kind_text)
            except ValueError:
                row.fail("kind", "unknown_kind", f"unknown kind {kind_text!r}", value=kind_text)
        phase: Phase | None = None
        phase_text = row.text("phase").lower()
        if phase_text:
            try:
                phase = Phase(phase_text)
            except ValueError:
                row.fail("phase", "unknown_phase", f"unknown phase {phase_text!r}", value=phase_text)
        trl_from = row.integer("trl_from", low=TRL_MIN, high=TRL_MAX)
        trl_to = row.integer("trl_to", low=TRL_MIN, high=TRL_MAX)
        if trl_from is not None and trl_to is not None and trl_from > trl_to:
            row.fail(
                "trl_to", "trl_order", f"TRL {trl_to} is below TRL from {trl_from}", low=trl_from, high=trl_to
            )
        duration = row.integer("duration_days", low=0)
        if kind is None:
            kind = ItemKind.MILESTONE if not duration else ItemKind.ACTIVITY
        if kind is ItemKind.MILESTONE and duration:
            row.fail("duration_days", "milestone_duration", "a milestone lasts 0 days", value=duration)
        owner = participant(row, "owner", row.text("owner")) if row.text("owner") else None
        contributors: list[ParticipantId] = []
        for part in row.text("contributors").split(";"):
            if part.strip():
                pid = participant(row, "contributors", part)
                if pid is not None and pid not in contributors:
                    contributors.append(pid)
        efforts: list[Effort] = []
        for part in row.text("effort").split(";"):
            if not part.strip():
                continue
            who, colon, amount = part.rpartition(":")
            value = _parse_number(amount) if colon else None
            if not who.strip() or value is None or value < 0:
                row.fail(
                    "effort", "bad_effort", f"{part.strip()!r} is not participant:person-months", value=part
                )
                continue
            pid = participant(row, "effort", who)
            if pid is not None:
                efforts.append(Effort(pid, value))
        for part in row.text("depends_on").split(";"):
            if not part.strip():
                continue
            parsed = parse_dependency(part, keys)
            if parsed is None:
                row.fail(
                    "depends_on",
                    "bad_dependency",
                    f"{part.strip()!r} is not KEY [FS|SS][+/-days]",
                    value=part,
                )
                continue
            pred, dep_kind, lag = parsed
            if pred not in keys:
                row.fail("depends_on", "unknown_dependency", f"no item with key {pred!r}", key=pred)
            elif pred == key:
                row.fail("depends_on", "self_dependency", "an item cannot depend on itself", key=pred)
            else:
                dependencies.append(Dependency(pred, key, dep_kind, lag))
        planned = row.date("start")
        budget = row.number("budget")
        funding = row.number("funding_secured")
        percent = row.number("percent_complete", high=100.0)
        actual_start = row.date("actual_start")
        actual_finish = row.date("actual_finish")
        if actual_start and actual_finish and actual_finish < actual_start:
            row.fail("actual_finish", "finish_before_start", "the actual finish is before the actual start")
        row.date("plan_start")  # read-only columns: checked to be dates or empty, then ignored
        row.date("plan_finish")
        track = row.text("track") or None
        if track is not None:
            tracks.setdefault(track, None)
        if row.ok and key in keys and keys[key] == number:
            items.append(
                Item(
                    key=key,
                    title=row.text("title"),
                    kind=kind,
                    track=track,
                    phase=phase,
                    trl_from=trl_from,
                    trl_to=trl_to,
                    owner=owner,
                    contributors=tuple(contributors),
                    duration_days=duration or 0,
                    planned_start=planned,
                    efforts=tuple(efforts),
                    budget=budget,
                    funding_secured=funding,
                    actual_start=actual_start,
                    actual_finish=actual_finish,
                    percent_complete=percent,
                )
            )
    if problems:
        return None, problems
    roadmap = Roadmap(
        start=start,
        items=tuple(items),
        dependencies=tuple(dependencies),
        participants=tuple(Participant(pid, name) for pid, name in people.items()),
        tracks=tuple(Track(key) for key in tracks),
        title=title,
    )
    return roadmap, []
