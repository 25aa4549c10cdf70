"""A roadmap to and from MS Project XML (MSPDI, namespace ``http://schemas.microsoft.com/project``).

MSPDI is the XML exchange format MS Project, ProjectLibre, GanttProject and most planning tools read and
write. :func:`write_mspdi` writes a roadmap as one; :func:`read_mspdi` (and :func:`parse_mspdi`, which
also returns the warnings) reads one written by Helix or by those tools.

The mapping:

- **Tracks** are summary tasks at outline level 1; **items** are tasks at level 2 under their track (level
  1 without one). Items are written grouped by track (the roadmap's track order), so a file read back
  lists them in that order. A foreign file's deeper summary tasks are flattened: their tasks join the
  track of their level-1 summary (warning ``mspdi_nested_summary``).
- **Durations are elapsed (calendar) days**, as the roadmap counts them: ``Duration`` is ``PT{24·d}H0M0S``
  with ``DurationFormat`` 8 (elapsed days, "30 edays" in MS Project), so Project shows the same dates
  whatever its working calendar. A foreign file's working-time durations become the calendar days between
  its Start and Finish (or hours / 8 × 7 / 5 without them), reported as ``mspdi_duration_working``.
- **Milestones** carry ``Milestone`` 1 and duration 0.
- A **planned start** is a "start no earlier than" constraint (``ConstraintType`` 4, ``ConstraintDate``);
  an item without one is "as soon as possible" (0). ``Start``/``Finish`` are the plan's dates when given,
  else the roadmap's own (:func:`~helix.core.roadmaps.dates.own_starts`). Reading, a "must start on"
  constraint also counts; a file with no constraints at all (a minimal export) gives a planned start to a
  task without predecessors that does not start with the project, and to manually scheduled tasks.
- **Dependencies** are ``PredecessorLink`` (``Type`` 1 = FS, 3 = SS) with ``LinkLag`` in tenths of a
  minute, written as elapsed days (``LagFormat`` 8: 14,400 per day). Reading, working-day lags (4,800 per
  day) become calendar days × 7 / 5, rounded (``mspdi_lag_working``); finish-to-finish and
  start-to-finish links are converted exactly, since durations are fixed: FF+lag becomes FS with lag − the
  successor's duration, SF+lag becomes SS likewise (``mspdi_link_converted``). Links to or from summary
  tasks are dropped (``mspdi_summary_link``).
- **Participants** are resources (``Code`` = the participant id, ``Group`` = its helix, ``MaxUnits`` = its
  capacity in person-months per month); an item's owner, contributors and effort are assignments, the
  owner's first, ``Work`` = effort at 1720 / 12 hours per person-month (kept to the second). A foreign
  file's first assigned resource is the owner and the others contributors. A Code that reads as an
  integer comes back as an int (the registry's ids); a resource without a Code is known by its name.
- Helix's own fields travel as task custom fields (declared with an alias in ``ExtendedAttributes``):
  Text1 the key (else the WBS code, else ``T{UID}``), Text2 the kind, Text3 the phase, Text4 the roles
  of the assigned resources in order (``UID:flags``: o owner, c contributor, e effort), Number1 and
  Number2 the TRL range, Number3 the funding secured. The budget is ``FixedCost`` (in cents, as MSPDI
  stores currency), progress ``PercentComplete`` (a whole number), actual dates ``ActualStart`` and
  ``ActualFinish``.
- Not carried: project links, calls, KPIs, a participant's role and commitment.

Reading is safe against XML attacks: the file is parsed with expat, refused beyond ``max_bytes``, and any
DOCTYPE (hence any entity, internal or external) is refused (``mspdi_doctype``). Bad input raises
:class:`MspdiError` holding coded :class:`~helix.core.roadmaps.model.Problem` rows whose params name the
task UID and the line.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from xml.parsers import expat

from helix.core.roadmaps.dates import finish_of, own_starts
from helix.core.roadmaps.model import (
    Dependency,
    DependencyKind,
    Effort,
    Item,
    ItemKind,
    Participant,
    ParticipantId,
    Phase,
    Problem,
    Roadmap,
    Track,
)
from helix.core.roadmaps.svg import xml_text

NS = "http://schemas.microsoft.com/project"
SECONDS_PER_PERSON_MONTH = 1720 * 3600 // 12  # 516,000 s: 143 h 20 min, the EU's 1,720 hours a year
TENTHS_PER_ELAPSED_DAY = 24 * 60 * 10
TENTHS_PER_WORKING_DAY = 8 * 60 * 10
MAX_BYTES = 20 * 1024 * 1024
WORK_START = time(8, 0)
WORK_END = time(17, 0)

# MSPDI duration and lag formats: elapsed ones (em, eh, ed, ew, emo, e%, and their estimated "?" forms).
ELAPSED_FORMATS = frozenset({4, 6, 8, 10, 12, 20, 36, 38, 40, 42, 44, 52})
PERCENT_FORMATS = frozenset({19, 20, 51, 52})
FORMAT_ELAPSED_DAYS = 8

# Link types in MSPDI.
LINK_FF, LINK_FS, LINK_SF, LINK_SS = 0, 1, 2, 3

# Constraint types: as soon as possible, must start on, start no earlier than.
ASAP, MUST_START_ON, START_NO_EARLIER_THAN = 0, 2, 4

# Task custom fields (MS Project field ids) and the aliases Helix declares for them.
FIELDS: dict[str, tuple[int, str, str]] = {
    "key": (188743731, "Text1", "Helix key"),
    "kind": (188743734, "Text2", "Helix kind"),
    "phase": (188743737, "Text3", "Helix phase"),
    "roles": (188743740, "Text4", "Helix roles"),
    "trl_from": (188743767, "Number1", "Helix TRL from"),
    "trl_to": (188743768, "Number2", "Helix TRL to"),
    "funding": (188743769, "Number3", "Helix funding secured"),
}


class MspdiError(ValueError):
    """An MSPDI file that cannot be read: the coded problems (each names the task UID and line it can)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.text for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class MspdiRead:
    """A roadmap read from MSPDI and the warnings (what was approximated or dropped)."""

    roadmap: Roadmap
    warnings: tuple[Problem, ...] = ()


# ---- writing ----


def _duration(seconds: int) -> str:
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    return f"{sign}PT{seconds // 3600}H{seconds % 3600 // 60}M{seconds % 60}S"


def _stamp(day: date, at: time = WORK_START) -> str:
    return datetime.combine(day, at).isoformat()


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _sub(parent: ET.Element, tag: str, text: object) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = xml_text(text)
    return element


def _pid_text(pid: ParticipantId) -> str:
    return str(pid)


def write_mspdi(roadmap: Roadmap, *, starts: Mapping[str, date] | None = None) -> bytes:
    """``roadmap`` as an MSPDI document (UTF-8 bytes with an XML declaration).

    ``starts`` are the plan's start dates by item key (a computed schedule); items it does not name take
    the roadmap's own dates. Planned starts are written as constraints, so the file keeps the roadmap's
    intent whatever the dates shown."""
    own = own_starts(roadmap)
    begin = {it.key: (starts or {}).get(it.key) or own[it.key] for it in roadmap.items}
    project = ET.Element("Project", {"xmlns": NS})
    _sub(project, "SaveVersion", 14)
    _sub(project, "Name", roadmap.title or "Roadmap")
    _sub(project, "Title", roadmap.title)
    _sub(project, "ScheduleFromStart", 1)
    _sub(project, "StartDate", _stamp(roadmap.start))
    last = max((finish_of(it, begin[it.key]) for it in roadmap.items), default=roadmap.start)
    _sub(project, "FinishDate", _stamp(last))
    _sub(project, "CalendarUID", 1)
    _sub(project, "DefaultStartTime", "08:00:00")
    _sub(project, "MinutesPerDay", 480)
    _sub(project, "MinutesPerWeek", 2400)
    _sub(project, "DaysPerMonth", 20)
    _sub(project, "DurationFormat", FORMAT_ELAPSED_DAYS)
    attributes = ET.SubElement(project, "ExtendedAttributes")
    for field_id, name, alias in FIELDS.values():
        definition = ET.SubElement(attributes, "ExtendedAttribute")
        _sub(definition, "FieldID", field_id)
        _sub(definition, "FieldName", name)
        _sub(definition, "Alias", alias)
    calendars = ET.SubElement(project, "Calendars")
    calendar = ET.SubElement(calendars, "Calendar")
    _sub(calendar, "UID", 1)
    _sub(calendar, "Name", "Standard")
    _sub(calendar, "IsBaseCalendar", 1)

    # Resources: the participants listed, then anyone else an item names.
    resource_uid: dict[ParticipantId, int] = {}
    people: list[Participant] = list(roadmap.participants)
    known = {p.id for p in people}
    for item in roadmap.items:
        for pid in item.participants:
            if pid not in known:
                known.add(pid)
                people.append(Participant(pid))
    for index, person in enumerate(people, start=1):
        resource_uid[person.id] = index

    # Tasks: each track as a summary, its items below; items without a track at level 1.
    tracks = list(roadmap.tracks)
    listed = {t.key for t in tracks}
    for item in roadmap.items:
        if item.track is not None and item.track not in listed:
            listed.add(item.track)
            tracks.append(Track(item.track))
    by_track: dict[str | None, list[Item]] = {t.key: [] for t in tracks}
    by_track[None] = []
    for item in roadmap.items:
        by_track[item.track].append(item)
    task_uid: dict[str, int] = {}
    outline: list[tuple[Track | None, Item | None]] = []
    for track in tracks:
        outline.append((track, None))
        outline.extend((track, it) for it in by_track[track.key])
    outline.extend((None, it) for it in by_track[None])
    for position, (_, member) in enumerate(outline, start=1):
        if member is not None:
            task_uid[member.key] = position
    predecessors: dict[str, list[Dependency]] = {}
    for dep in roadmap.dependencies:
        if dep.predecessor in task_uid and dep.successor in task_uid:
            predecessors.setdefault(dep.successor, []).append(dep)

    tasks = ET.SubElement(project, "Tasks")
    assignments = ET.SubElement(project, "Assignments")
    assignment_uid = 0
    number = 0
    top_number = child_number = 0
    for owner_track, it in outline:
        number += 1
        task = ET.SubElement(tasks, "Task")
        _sub(task, "UID", number)
        _sub(task, "ID", number)
        if it is None:
            assert owner_track is not None
            track = owner_track
            top_number += 1
            child_number = 0
            members = by_track[track.key]
            first = min((begin[m.key] for m in members), default=roadmap.start)
            end = max((finish_of(m, begin[m.key]) for m in members), default=first)
            _sub(task, "Name", track.title or track.key)
            _sub(task, "WBS", track.key)
            _sub(task, "OutlineNumber", top_number)
            _sub(task, "OutlineLevel", 1)
            _sub(task, "Start", _stamp(first))
            _sub(task, "Finish", _stamp(end))
            _sub(task, "Duration", _duration((end - first).days * 86400))
            _sub(task, "DurationFormat", FORMAT_ELAPSED_DAYS)
            _sub(task, "Milestone", 0)
            _sub(task, "Summary", 1)
            _extended(task, {"key": track.key})
            continue
        start = begin[it.key]
        _sub(task, "Name", it.title)
        _sub(task, "WBS", it.key)
        if owner_track is not None:
            child_number += 1
            _sub(task, "OutlineNumber", f"{top_number}.{child_number}")
            _sub(task, "OutlineLevel", 2)
        else:
            top_number += 1
            _sub(task, "OutlineNumber", top_number)
            _sub(task, "OutlineLevel", 1)
        _sub(task, "Start", _stamp(start))
        _sub(task, "Finish", _stamp(finish_of(it, start)))
        _sub(task, "Duration", _duration(it.duration_days * 86400))
        _sub(task, "DurationFormat", FORMAT_ELAPSED_DAYS)
        _sub(task, "Milestone", 1 if it.kind is ItemKind.MILESTONE else 0)
        _sub(task, "Summary", 0)
        _sub(task, "FixedCost", round(it.budget * 100))
        _sub(task, "PercentComplete", round(min(100.0, max(0.0, it.percent_complete))))
        if it.actual_start is not None:
            _sub(task, "ActualStart", _stamp(it.actual_start))
        if it.actual_finish is not None:
            _sub(task, "ActualFinish", _stamp(it.actual_finish, WORK_END))
        if it.planned_start is not None:
            _sub(task, "ConstraintType", START_NO_EARLIER_THAN)
            _sub(task, "ConstraintDate", _stamp(it.planned_start))
        else:
            _sub(task, "ConstraintType", ASAP)
        for dep in predecessors.get(it.key, ()):
            link = ET.SubElement(task, "PredecessorLink")
            _sub(link, "PredecessorUID", task_uid[dep.predecessor])
            _sub(link, "Type", LINK_SS if dep.kind is DependencyKind.START_TO_START else LINK_FS)
            _sub(link, "CrossProject", 0)
            _sub(link, "LinkLag", dep.lag_days * TENTHS_PER_ELAPSED_DAY)
            _sub(link, "LagFormat", FORMAT_ELAPSED_DAYS)
        work: dict[ParticipantId, float] = {}
        for effort in it.efforts:
            work[effort.participant] = work.get(effort.participant, 0.0) + effort.person_months
        # The roles in order (owner, each contributor, each effort), so the lists come back in order.
        roles = [f"{resource_uid[it.owner]}:o"] if it.owner is not None else []
        roles += [f"{resource_uid[pid]}:c" for pid in it.contributors]
        roles += [f"{resource_uid[pid]}:e" for pid in work]
        for pid in it.participants:
            assignment_uid += 1
            assignment = ET.SubElement(assignments, "Assignment")
            _sub(assignment, "UID", assignment_uid)
            _sub(assignment, "TaskUID", number)
            _sub(assignment, "ResourceUID", resource_uid[pid])
            _sub(assignment, "Work", _duration(round(work.get(pid, 0.0) * SECONDS_PER_PERSON_MONTH)))
        values = {"key": it.key, "kind": it.kind.value}
        if it.phase is not None:
            values["phase"] = it.phase.value
        if roles:
            values["roles"] = ";".join(roles)
        if it.trl_from is not None:
            values["trl_from"] = str(it.trl_from)
        if it.trl_to is not None:
            values["trl_to"] = str(it.trl_to)
        if it.funding_secured:
            values["funding"] = _number(it.funding_secured)
        _extended(task, values)

    resources = ET.SubElement(project, "Resources")
    for person in people:
        resource = ET.SubElement(resources, "Resource")
        _sub(resource, "UID", resource_uid[person.id])
        _sub(resource, "ID", resource_uid[person.id])
        _sub(resource, "Name", person.name or _pid_text(person.id))
        _sub(resource, "Type", 1)
        _sub(resource, "Code", _pid_text(person.id))
        if person.helix:
            _sub(resource, "Group", person.helix)
        if person.capacity_pm_per_month is not None:
            _sub(resource, "MaxUnits", _number(person.capacity_pm_per_month))
    # The schema orders Resources before Assignments.
    project.remove(assignments)
    project.append(assignments)
    ET.indent(project)
    document: bytes = ET.tostring(project, encoding="utf-8", xml_declaration=True)
    return document


def _extended(task: ET.Element, values: Mapping[str, str]) -> None:
    for name, value in values.items():
        attribute = ET.SubElement(task, "ExtendedAttribute")
        _sub(attribute, "FieldID", FIELDS[name][0])
        _sub(attribute, "Value", value)


# ---- reading: a small, safe tree ----


@dataclass
class _Node:
    tag: str
    line: int
    children: list[_Node] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts).strip()

    def child(self, tag: str) -> _Node | None:
        for node in self.children:
            if node.tag == tag:
                return node
        return None

    def all(self, tag: str) -> Iterator[_Node]:
        return (node for node in self.children if node.tag == tag)

    def value(self, tag: str) -> str | None:
        node = self.child(tag)
        return node.text if node is not None else None


class _Refused(Exception):
    pass


def _problem(code: str, text: str, **params: object) -> Problem:
    return Problem(code=code, params=dict(params), text=text)


def _parse_xml(data: bytes, max_bytes: int) -> _Node:
    if len(data) > max_bytes:
        raise MspdiError(
            [
                _problem(
                    "mspdi_too_large",
                    f"the file has {len(data):,} bytes; at most {max_bytes:,} are read",
                    size=len(data),
                    limit=max_bytes,
                )
            ]
        )
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    root: list[_Node] = []
    stack: list[_Node] = []

    def refuse_doctype(*_args: object) -> None:
        raise _Refused("doctype")

    def refuse_entity(*_args: object) -> None:
        raise _Refused("entity")

    def refuse_external(*_args: object) -> int:
        raise _Refused("external entity")

    def start(name: str, _attrs: dict[str, str]) -> None:
        node = _Node(name.rsplit("}", 1)[-1], parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(node)
        else:
            root.append(node)
        stack.append(node)

    def end(_name: str) -> None:
        stack.pop()

    def chars(text: str) -> None:
        if stack:
            stack[-1].parts.append(text)

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_external
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        parser.Parse(data, True)
    except _Refused:
        line = parser.CurrentLineNumber
        raise MspdiError(
            [
                _problem(
                    "mspdi_doctype",
                    f"line {line}: a DOCTYPE or entity declaration is refused (MSPDI needs none)",
                    line=line,
                )
            ]
        ) from None
    except expat.ExpatError as exc:
        raise MspdiError(
            [_problem("mspdi_not_xml", f"line {exc.lineno}: not well-formed XML ({exc})", line=exc.lineno)]
        ) from None
    if not root or root[0].tag != "Project":
        found = root[0].tag if root else ""
        raise MspdiError(
            [_problem("mspdi_not_project", f"the root element is <{found}>, not <Project>", element=found)]
        )
    return root[0]


# ---- reading: the roadmap ----

_DURATION = re.compile(
    r"^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


def _seconds(text: str) -> float | None:
    """An xsd:duration (``PT8H0M0S``) in seconds; None when it is not one (years and months refused)."""
    match = _DURATION.match(text.strip())
    if match is None or match.group(2) or match.group(3):
        return None
    days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups()[3:])
    total = ((days * 24 + hours) * 60 + minutes) * 60 + seconds
    return -total if match.group(1) else total


def _pid(code: str) -> ParticipantId:
    """A participant id: an int when the text is a canonical integer (the registry's ids)."""
    return int(code) if re.fullmatch(r"-?[1-9]\d{0,17}|0", code) else code


@dataclass
class _Task:
    node: _Node
    uid: int
    level: int
    summary: bool
    name: str
    fields: dict[str, str]
    start: datetime | None
    finish: datetime | None
    track: str | None = None
    key: str = ""


class _Reader:
    def __init__(self, root: _Node) -> None:
        self.root = root
        self.errors: list[Problem] = []
        self.warnings: dict[str, list[object]] = {}
        aliases = {}
        for definition in (root.child("ExtendedAttributes") or _Node("", 0)).all("ExtendedAttribute"):
            alias, field_id = definition.value("Alias") or "", definition.value("FieldID") or ""
            aliases[alias] = field_id
        self.field_ids = {name: aliases.get(alias, str(fid)) for name, (fid, _, alias) in FIELDS.items()}

    def error(self, code: str, text: str, node: _Node, uid: int | None = None, **params: object) -> None:
        where = f"task {uid}, line {node.line}" if uid is not None else f"line {node.line}"
        self.errors.append(_problem(code, f"{where}: {text}", uid=uid, line=node.line, **params))

    def warn(self, code: str, what: object) -> None:
        self.warnings.setdefault(code, []).append(what)

    def integer(self, node: _Node, tag: str, uid: int | None, default: int | None = None) -> int | None:
        text = node.value(tag)
        if text is None or text == "":
            return default
        if re.fullmatch(r"-?\d+(\.0*)?", text):
            return int(text.split(".")[0])
        where = node.child(tag) or node
        self.error("mspdi_bad_number", f"<{tag}> is not a whole number: {text!r}", where, uid, field=tag)
        return default

    def number(self, text: str, node: _Node, uid: int | None, tag: str) -> float | None:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            where = node.child(tag) or node
            self.error("mspdi_bad_number", f"<{tag}> is not a number: {text!r}", where, uid, field=tag)
            return None
        return value

    def stamp(self, node: _Node, tag: str, uid: int | None) -> datetime | None:
        text = node.value(tag)
        if not text or text.upper() == "NA":
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            where = node.child(tag) or node
            self.error("mspdi_bad_date", f"<{tag}> is not a date and time: {text!r}", where, uid, field=tag)
            return None
        return moment.replace(tzinfo=None)

    def read(self) -> MspdiRead:
        root = self.root
        title = root.value("Title")
        if title is None:
            title = root.value("Name") or ""
        project_start = self.stamp(root, "StartDate", None)
        tasks = self.tasks()
        people, by_resource = self.resources()
        starts = [t.start for t in tasks if t.start is not None and t.level > 0]
        if project_start is None and starts:
            project_start = min(starts)
        if project_start is None:
            if not self.errors:
                self.error("mspdi_no_start", "the project has no <StartDate> and no task a start", root)
            raise MspdiError(self.errors)
        start = project_start.date()

        by_uid = {t.uid: t for t in tasks}
        tracks: list[Track] = []
        track_keys: set[str] = set()
        current: str | None = None
        keys: set[str] = set()
        items_tasks: list[_Task] = []
        for task in tasks:
            if task.level <= 0:
                continue
            if task.level == 1:
                current = None
            if task.summary:
                if task.level == 1:
                    key = task.fields.get("key") or task.node.value("WBS") or f"T{task.uid}"
                    if key in track_keys:
                        key = f"T{task.uid}"
                    track_keys.add(key)
                    tracks.append(Track(key, task.name if task.name != key else ""))
                    current = key
                else:
                    self.warn("mspdi_nested_summary", task.uid)
                continue
            task.track = current
            key = task.fields.get("key") or ""
            if key and key in keys:
                self.error(
                    "mspdi_duplicate_key", f"the key {key!r} is used twice", task.node, task.uid, key=key
                )
            if not key:
                wbs = task.node.value("WBS") or ""
                key = wbs if wbs and wbs not in keys else f"T{task.uid}"
            keys.add(key)
            task.key = key
            items_tasks.append(task)

        assignments = self.assignments(by_uid, by_resource)
        items: list[Item] = []
        durations: dict[int, int] = {}
        for task in items_tasks:
            durations[task.uid] = self.duration(task)
        dependencies: list[Dependency] = []
        has_links: set[int] = set()
        for task in items_tasks:
            for link in task.node.all("PredecessorLink"):
                dep = self.link(task, link, by_uid, durations)
                if dep is not None:
                    dependencies.append(dep)
                    has_links.add(task.uid)
        any_constraint = any(t.node.child("ConstraintType") is not None for t in items_tasks)
        for task in items_tasks:
            items.append(self.item(task, durations[task.uid], start, assignments, any_constraint, has_links))
        if self.errors:
            raise MspdiError(self.errors)
        roadmap = Roadmap(
            start=start,
            items=tuple(items),
            dependencies=tuple(dependencies),
            participants=tuple(people),
            tracks=tuple(tracks),
            title=title,
        )
        return MspdiRead(roadmap, self.warning_problems())

    def tasks(self) -> list[_Task]:
        out: list[_Task] = []
        seen: set[int] = set()
        container = self.root.child("Tasks")
        for node in container.all("Task") if container is not None else ():
            uid = self.integer(node, "UID", None)
            if uid is None:
                self.error("mspdi_no_uid", "a task without a <UID>", node)
                continue
            if uid in seen:
                self.error("mspdi_duplicate_uid", f"the UID {uid} is used twice", node, uid)
                continue
            seen.add(uid)
            if node.value("IsNull") == "1":
                continue
            fields: dict[str, str] = {}
            ids = {fid: name for name, fid in self.field_ids.items()}
            for attribute in node.all("ExtendedAttribute"):
                name = ids.get(attribute.value("FieldID") or "")
                if name is not None:
                    fields[name] = attribute.value("Value") or ""
            level = self.integer(node, "OutlineLevel", uid, 1)
            out.append(
                _Task(
                    node=node,
                    uid=uid,
                    level=1 if level is None else level,
                    summary=node.value("Summary") == "1",
                    name=node.value("Name") or "",
                    fields=fields,
                    start=self.stamp(node, "Start", uid),
                    finish=self.stamp(node, "Finish", uid),
                )
            )
        return out

    def resources(self) -> tuple[list[Participant], dict[int, ParticipantId]]:
        people: list[Participant] = []
        by_uid: dict[int, ParticipantId] = {}
        seen: set[ParticipantId] = set()
        container = self.root.child("Resources")
        for node in container.all("Resource") if container is not None else ():
            uid = self.integer(node, "UID", None)
            name = node.value("Name") or ""
            code = node.value("Code") or ""
            if uid is None or node.value("IsNull") == "1" or (not name and not code):
                continue  # MS Project's unnamed resource 0 and blank rows
            pid: ParticipantId = _pid(code) if code else name
            by_uid[uid] = pid
            if pid in seen:
                continue
            seen.add(pid)
            units = node.value("MaxUnits")
            capacity = self.number(units, node, None, "MaxUnits") if units else None
            people.append(
                Participant(
                    id=pid,
                    name=name if name != str(pid) else "",
                    helix=node.value("Group") or "",
                    capacity_pm_per_month=capacity,
                )
            )
        return people, by_uid

    def assignments(
        self, tasks: Mapping[int, _Task], resources: Mapping[int, ParticipantId]
    ) -> dict[int, list[tuple[int, ParticipantId, float]]]:
        """Task UID -> [(resource UID, participant, person-months)] in file order."""
        out: dict[int, list[tuple[int, ParticipantId, float]]] = {}
        container = self.root.child("Assignments")
        for node in container.all("Assignment") if container is not None else ():
            task_uid = self.integer(node, "TaskUID", None)
            resource_uid = self.integer(node, "ResourceUID", task_uid)
            if task_uid is None or resource_uid is None or resource_uid not in resources:
                continue  # unassigned (-65535) or a resource left out
            if task_uid not in tasks:
                self.error("mspdi_unknown_task", f"an assignment to unknown task {task_uid}", node, task_uid)
                continue
            work_text = node.value("Work") or "PT0H0M0S"
            seconds = _seconds(work_text)
            if seconds is None:
                where = node.child("Work") or node
                self.error("mspdi_bad_duration", f"<Work> is not a duration: {work_text!r}", where, task_uid)
                continue
            out.setdefault(task_uid, []).append(
                (resource_uid, resources[resource_uid], seconds / SECONDS_PER_PERSON_MONTH)
            )
        return out

    def duration(self, task: _Task) -> int:
        node, uid = task.node, task.uid
        if node.value("Milestone") == "1":
            return 0
        text = node.value("Duration")
        if text is None:
            if task.start is not None and task.finish is not None:
                return max(0, (task.finish.date() - task.start.date()).days)
            return 0
        seconds = _seconds(text)
        if seconds is None or seconds < 0:
            where = node.child("Duration") or node
            self.error("mspdi_bad_duration", f"<Duration> is not a duration: {text!r}", where, uid)
            return 0
        form = self.integer(node, "DurationFormat", uid, 7)
        if form in ELAPSED_FORMATS:
            days = seconds / 86400
            if not days.is_integer():
                self.warn("mspdi_duration_rounded", uid)
            return max(0, round(days))
        if seconds == 0:
            return 0
        self.warn("mspdi_duration_working", uid)
        if task.start is not None and task.finish is not None and task.finish > task.start:
            extra = 1 if task.finish.time() != time(0) else 0
            return max(1, (task.finish.date() - task.start.date()).days + extra)
        return max(1, math.ceil(seconds / 3600 / 8 * 7 / 5))

    def link(
        self, task: _Task, link: _Node, by_uid: Mapping[int, _Task], durations: Mapping[int, int]
    ) -> Dependency | None:
        uid = task.uid
        pred_uid = self.integer(link, "PredecessorUID", uid)
        if pred_uid is None or pred_uid not in by_uid:
            self.error(
                "mspdi_unknown_predecessor",
                f"a link to unknown predecessor task {pred_uid}",
                link,
                uid,
                predecessor=pred_uid,
            )
            return None
        pred = by_uid[pred_uid]
        if pred.summary or pred.level <= 0:
            self.warn("mspdi_summary_link", uid)
            return None
        kind = self.integer(link, "Type", uid, LINK_FS)
        lag_tenths = self.integer(link, "LinkLag", uid, 0) or 0
        form = self.integer(link, "LagFormat", uid, 7)
        if form in PERCENT_FORMATS:
            # The lag is a percentage of the predecessor's duration (LinkLag in tenths of a percent).
            lag = round(durations.get(pred_uid, 0) * lag_tenths / 1000)
            self.warn("mspdi_lag_percent", uid)
        elif form in ELAPSED_FORMATS:
            lag = round(lag_tenths / TENTHS_PER_ELAPSED_DAY)
        else:
            working = lag_tenths / TENTHS_PER_WORKING_DAY
            lag = round(working * 7 / 5)
            if lag_tenths:
                self.warn("mspdi_lag_working", uid)
        successor_days = durations.get(uid, 0)
        if kind == LINK_FS:
            return Dependency(pred.key, task.key, DependencyKind.FINISH_TO_START, lag)
        if kind == LINK_SS:
            return Dependency(pred.key, task.key, DependencyKind.START_TO_START, lag)
        if kind == LINK_FF:
            self.warn("mspdi_link_converted", uid)
            return Dependency(pred.key, task.key, DependencyKind.FINISH_TO_START, lag - successor_days)
        if kind == LINK_SF:
            self.warn("mspdi_link_converted", uid)
            return Dependency(pred.key, task.key, DependencyKind.START_TO_START, lag - successor_days)
        self.error("mspdi_link_type", f"unknown link <Type> {kind}", link, uid, type=kind)
        return None

    def item(
        self,
        task: _Task,
        days: int,
        start: date,
        assignments: Mapping[int, list[tuple[int, ParticipantId, float]]],
        any_constraint: bool,
        has_links: set[int],
    ) -> Item:
        node, uid, fields = task.node, task.uid, task.fields
        milestone = node.value("Milestone") == "1"
        kind_text = fields.get("kind", "")
        kind = ItemKind.MILESTONE if milestone else ItemKind.ACTIVITY
        if not milestone and kind_text == ItemKind.DELIVERABLE.value:
            kind = ItemKind.DELIVERABLE
        phase = None
        if fields.get("phase"):
            try:
                phase = Phase(fields["phase"])
            except ValueError:
                self.warn("mspdi_unknown_phase", uid)
        trl = {}
        for name in ("trl_from", "trl_to"):
            if fields.get(name):
                value = self.number(fields[name], node, uid, name)
                if value is not None and value.is_integer() and 1 <= value <= 9:
                    trl[name] = int(value)
                elif value is not None:
                    self.warn("mspdi_bad_trl", uid)
        funding = self.number(fields["funding"], node, uid, "funding") if fields.get("funding") else None
        cost_text = node.value("FixedCost")
        cost = self.number(cost_text, node, uid, "FixedCost") if cost_text else None
        percent = self.number(node.value("PercentComplete") or "0", node, uid, "PercentComplete") or 0.0
        actual_start = self.stamp(node, "ActualStart", uid)
        actual_finish = self.stamp(node, "ActualFinish", uid)

        planned: date | None = None
        constraint = self.integer(node, "ConstraintType", uid, None)
        if constraint in (MUST_START_ON, START_NO_EARLIER_THAN):
            moment = self.stamp(node, "ConstraintDate", uid)
            planned = moment.date() if moment else None
        elif constraint not in (None, ASAP):
            self.warn("mspdi_constraint_ignored", uid)
        if planned is None and task.start is not None and constraint in (None, ASAP):
            manual = node.value("Manual") == "1"
            loose = not any_constraint and uid not in has_links and task.start.date() != start
            if manual or loose:
                planned = task.start.date()

        owner: ParticipantId | None = None
        contributors: list[ParticipantId] = []
        efforts: list[Effort] = []
        rows = assignments.get(uid, [])
        roles = _roles(fields.get("roles"))
        if roles is not None:
            assigned = {resource_uid: (pid, pm) for resource_uid, pid, pm in rows}
            for resource_uid, flags in roles:
                if resource_uid not in assigned:
                    continue  # the assignment was removed in the planning tool
                pid, pm = assigned[resource_uid]
                if "o" in flags and owner is None:
                    owner = pid
                if "c" in flags and pid not in contributors:
                    contributors.append(pid)
                if "e" in flags:
                    efforts.append(Effort(pid, pm))
        else:
            for index, (_, pid, pm) in enumerate(rows):
                if index == 0:
                    owner = pid
                elif pid != owner and pid not in contributors:
                    contributors.append(pid)
                if pm > 0:
                    efforts.append(Effort(pid, pm))
        return Item(
            key=task.key,
            title=task.name,
            kind=kind,
            track=task.track,
            phase=phase,
            trl_from=trl.get("trl_from"),
            trl_to=trl.get("trl_to"),
            owner=owner,
            contributors=tuple(contributors),
            duration_days=days,
            planned_start=planned,
            efforts=tuple(efforts),
            budget=cost / 100 if cost else 0.0,
            funding_secured=funding or 0.0,
            actual_start=actual_start.date() if actual_start else None,
            actual_finish=actual_finish.date() if actual_finish else None,
            percent_complete=min(100.0, max(0.0, percent)),
        )

    def warning_problems(self) -> tuple[Problem, ...]:
        texts = {
            "mspdi_nested_summary": "summary tasks below level 1 were flattened into their track",
            "mspdi_duration_working": "working-time durations were turned into calendar days",
            "mspdi_duration_rounded": "elapsed durations were rounded to whole days",
            "mspdi_lag_working": "working-day lags were turned into calendar days (× 7 / 5)",
            "mspdi_lag_percent": "percentage lags were turned into days of the predecessor's duration",
            "mspdi_link_converted": "finish-to-finish and start-to-finish links were converted to FS and SS",
            "mspdi_summary_link": "links to summary tasks were dropped",
            "mspdi_constraint_ignored": "constraints other than 'start no earlier than' were ignored",
            "mspdi_unknown_phase": "unknown phases were left out",
            "mspdi_bad_trl": "TRL values outside 1-9 were left out",
        }
        return tuple(
            Problem(
                code=code,
                params={"tasks": tasks, "count": len(tasks)},
                text=f"{texts[code]} (tasks {', '.join(str(t) for t in tasks[:10])}"
                + (", …)" if len(tasks) > 10 else ")"),
                severity="warning",
            )
            for code, tasks in self.warnings.items()
        )


def _roles(text: str | None) -> list[tuple[int, str]] | None:
    """Helix's roles field: ``UID:flags`` entries in order (o owner, c contributor, e effort)."""
    if not text:
        return None
    roles: list[tuple[int, str]] = []
    for part in text.split(";"):
        uid, _, flags = part.partition(":")
        if uid.strip().isdigit():
            roles.append((int(uid), flags.strip()))
    return roles


def parse_mspdi(data: bytes, *, max_bytes: int = MAX_BYTES) -> MspdiRead:
    """The roadmap in an MSPDI document and the warnings about what was approximated or dropped.

    Raises :class:`MspdiError` (coded problems naming task UID and line) when the file is too large, not
    XML, has a DOCTYPE, is not a project, or holds bad values."""
    return _Reader(_parse_xml(data, max_bytes)).read()


def read_mspdi(data: bytes, *, max_bytes: int = MAX_BYTES) -> Roadmap:
    """The roadmap in an MSPDI document (see :func:`parse_mspdi` for the warnings)."""
    return parse_mspdi(data, max_bytes=max_bytes).roadmap
