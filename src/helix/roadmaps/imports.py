"""A roadmap's content from a file: a spreadsheet (XLSX or CSV, one row per item, the columns of
helix.core.roadmaps.table) or MS Project XML (helix.core.roadmaps.mspdi). Participants are named in the
file by the registry id Helix writes, or by the organisation's name; both are resolved among the
cluster's organisations. Every problem names its row and column (a spreadsheet) or its task and line (XML);
nothing is written unless the whole file is right (helix.roadmaps.services.replace_content)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from helix.core.roadmaps import model as core
from helix.core.roadmaps.mspdi import MspdiError, parse_mspdi
from helix.core.roadmaps.table import parse_roadmap_rows
from helix.registry.models import Membership, Organisation
from helix.roadmaps.models import Roadmap
from helix.spreadsheets import read_table

MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ImportProblem:
    """Where a problem is (``place``: "row 4, column owner" or "task 12, line 80") and what it is."""

    place: str
    text: str


@dataclass(frozen=True)
class Parsed:
    content: core.Roadmap | None
    problems: tuple[ImportProblem, ...]
    warnings: tuple[str, ...] = ()


def resolver(roadmap: Roadmap) -> Any:
    """A function from a participant's text in a file to an organisation id of the roadmap's cluster
    (members at any level, the operator and the roadmap's participants): its id, slug or exact name
    (case and spaces ignored); None when no or several organisations answer to it."""
    known = Organisation.objects.filter(
        Q(pk__in=Membership.objects.filter(cluster=roadmap.cluster).values("organisation_id"))
        | Q(pk__in=roadmap.participants.values("organisation_id"))
        | Q(pk=roadmap.cluster.operator_id)
    ).values_list("pk", "slug", "name")
    by_text: dict[str, set[int]] = {}
    for pk, slug, name in known:
        for text in (str(pk), slug, " ".join(name.split()).casefold()):
            by_text.setdefault(text.casefold(), set()).add(pk)

    def resolve(text: str | int) -> int | None:
        found = by_text.get(" ".join(str(text).split()).casefold(), set())
        return next(iter(found)) if len(found) == 1 else None

    return resolve


def parse_upload(roadmap: Roadmap, name: str, data: bytes) -> Parsed:
    """The content of an uploaded file, or its problems."""
    if len(data) > MAX_BYTES:
        return Parsed(None, (ImportProblem(name, _("The file is larger than 20 MB.")),))
    if name.lower().endswith(".xml"):
        return _mspdi(roadmap, data)
    suffix = Path(name).suffix.lower() or ".csv"
    if suffix not in {".csv", ".xlsx", ".xlsm"}:
        return Parsed(None, (ImportProblem(name, _("Send a spreadsheet (XLSX or CSV) or MS Project XML.")),))
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        handle.write(data)
        handle.flush()
        table, errors = read_table(Path(handle.name))
    if table is None:
        return Parsed(None, tuple(ImportProblem(_place(e.row, e.column), e.message) for e in errors))
    rows: list[dict[str, str]] = []
    first = table.rows[0][0] if table.rows else 2
    for number, cells in table.rows:
        while first + len(rows) < number:  # keep the spreadsheet's row numbers: a skipped row is blank
            rows.append({})
        rows.append(dict(zip(table.header, cells, strict=False)))
    content, problems = parse_roadmap_rows(
        rows, roadmap.starts_on, resolver(roadmap), title=roadmap.title, first_row=first
    )
    return Parsed(content, tuple(ImportProblem(_place(p.row, p.column), p.text) for p in problems))


def _place(row: int | None, column: str | None) -> str:
    if row is not None and column:
        return _("row %(row)d, column %(column)s") % {"row": row, "column": column}
    if row is not None:
        return _("row %(row)d") % {"row": row}
    return column or ""


def _mspdi(roadmap: Roadmap, data: bytes) -> Parsed:
    try:
        read = parse_mspdi(data)
    except MspdiError as error:
        return Parsed(
            None,
            tuple(
                ImportProblem(
                    _task_place(p.params),
                    p.text,
                )
                for p in error.problems
            ),
        )
    resolve = resolver(roadmap)
    found: dict[core.ParticipantId, int] = {}
    problems = []
    for participant in read.roadmap.participants:
        pk = resolve(participant.id) or resolve(participant.name)
        if pk is None:
            problems.append(
                ImportProblem(
                    _("resource %(name)s") % {"name": participant.name or participant.id},
                    _("No organisation of the cluster answers to this name."),
                )
            )
        else:
            found[participant.id] = pk
    if problems:
        return Parsed(None, tuple(problems))
    return Parsed(remap(read.roadmap, found), (), tuple(w.text for w in read.warnings))


def _task_place(params: Any) -> str:
    uid, line = params.get("uid"), params.get("line")
    if uid is not None and line is not None:
        return _("task %(uid)s, line %(line)s") % {"uid": uid, "line": line}
    if line is not None:
        return _("line %(line)s") % {"line": line}
    return ""


def remap(content: core.Roadmap, ids: dict[core.ParticipantId, int]) -> core.Roadmap:
    """``content`` with its participants' ids replaced by ``ids`` (those not in it kept)."""

    def pid(value: core.ParticipantId | None) -> core.ParticipantId | None:
        return ids.get(value, value) if value is not None else None

    return replace(
        content,
        participants=tuple(replace(p, id=ids.get(p.id, p.id)) for p in content.participants),
        items=tuple(
            replace(
                it,
                owner=pid(it.owner),
                contributors=tuple(ids.get(c, c) for c in it.contributors),
                efforts=tuple(
                    replace(e, participant=ids.get(e.participant, e.participant)) for e in it.efforts
                ),
            )
            for it in content.items
        ),
    )
