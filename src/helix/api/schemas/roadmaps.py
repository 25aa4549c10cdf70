"""Request and response bodies of the roadmaps API (``/api/roadmaps/``): cluster roadmaps with their
participants, tracks, items and the core's forecast of each, what a slip would move, and the lifecycle
moves, acceptances and progress reports that change them.

A roadmap is named by its key, an item by its key within the roadmap, an organisation by its id. Texts
(status labels, move labels, reasons, problems, refusals) are in the reader's language: ``?lang=`` or the
Accept-Language header. Money and capacities are decimal texts (``"150000.00"``), exact.

The ``*_out`` functions build an answer from the rows and from what helix.roadmaps.analysis computed of
them; the router gives them the caller. They compute nothing themselves: the forecast, the slack, the
status and its reasons and the validation problems are the core's, read through the analysis.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from helix.api.schemas.base import Input
from helix.core.roadmaps import lifecycle
from helix.core.roadmaps.validation import validate
from helix.registry.permissions import can
from helix.roadmaps import explain, services
from helix.roadmaps.analysis import Impact, Row, Seen
from helix.roadmaps.models import ItemKind, Kpi, Participant, Phase, Roadmap, RoadmapStatus

Language = Literal["en", "nl", "fr", "de"]


def decimal_text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


# --- requests -----------------------------------------------------------------------------------------


class RoadmapLanguageQuery(Input):
    lang: Language | None = Field(None, description="The language of the texts (else Accept-Language)")


class RoadmapFilters(RoadmapLanguageQuery):
    cluster: str = Field("", max_length=80, description="A cluster's slug: its roadmaps only")
    status: RoadmapStatus | None = Field(None, description="One status only (draft, consultation, ...)")


class WhatIfQuery(RoadmapLanguageQuery):
    item: str = Field(max_length=80, description="The key of the item that slips")
    days: int | None = Field(None, ge=0, le=3650, description="It finishes this many days late")
    months: int | None = Field(
        None, ge=0, le=120, description="Or this many months late (30.44 days each); ``days`` wins"
    )


class RoadmapTransitionIn(Input):
    target: RoadmapStatus = Field(description="The status to move the roadmap to")
    note: str = Field("", max_length=300, description="Why (kept in the roadmap's history and version)")


Key = Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Trl = Annotated[int, Field(ge=1, le=9)]
Euros = Annotated[Decimal, Field(max_digits=14, decimal_places=2)]


class RoadmapItemFields(Input):
    """An item's content as its editors give it; every field it leaves out takes its default (none,
    empty, zero). Organisations are named by their id and must take part in the roadmap; the track by
    its key."""

    title: Title
    description: str = Field("", max_length=10_000)
    kind: ItemKind = ItemKind.MILESTONE
    track: Key | None = Field(None, description="The key of one of the roadmap's tracks")
    phase: Phase | None = None
    trl_from: Trl | None = None
    trl_to: Trl | None = None
    owner: int | None = Field(None, description="The owner organisation's id (a participant)")
    contributors: list[int] = Field([], max_length=200, description="Contributing organisations' ids")
    planned_start: dt.date | None = Field(None, description="None: as soon as its dependencies allow")
    duration_days: int = Field(0, ge=0, le=36_500, description="0 for a milestone")
    budget: Euros = Decimal(0)
    funding_secured: Euros = Decimal(0)


class RoadmapItemIn(RoadmapItemFields):
    key: Key = Field(description="Its key, unique in the roadmap")
    revision: int | None = Field(
        None, description="The roadmap's revision you read (a newer one refuses the change: 409)"
    )


class RoadmapItemChangeIn(RoadmapItemFields):
    revision: int = Field(description="The roadmap's revision you read (a newer one refuses the change: 409)")


class ProgressIn(Input):
    actual_start: dt.date | None = Field(None, description="When the work started (none: not yet)")
    actual_finish: dt.date | None = Field(None, description="When it finished (then it is 100 % complete)")
    percent_complete: int = Field(ge=0, le=100)


# --- answers ------------------------------------------------------------------------------------------


class RoadmapMoveOut(Schema):
    target: RoadmapStatus
    label: str = Field(description="The move in the reader's language, e.g. Adopt")


class RoadmapSummaryOut(Schema):
    key: str
    title: str
    cluster: str = Field(description="The cluster's slug")
    project: int | None = Field(description="For a precluster's roadmap: its precluster project's id")
    status: RoadmapStatus
    status_label: str
    visibility: str = Field(description="public, members or staff")
    starts_on: dt.date
    revision: int = Field(description="Raised by every change of content or status")
    moves: list[RoadmapMoveOut] = Field(description="The lifecycle moves you may make now (ready or not)")


class RoadmapParticipantOut(Schema):
    organisation: int = Field(description="The organisation's id")
    name: str
    role: str = Field(description="lead, partner, knowledge_partner, city, supplier, end_user, funder or ''")
    committed: bool
    letter_of_intent: dt.date | None = Field(
        description="When its letter of intent to the cluster, which backs the commitment, was signed: "
        "for those who may see the letter (its organisation's people, the cluster's staff), else null"
    )
    capacity_pm_per_month: str | None = Field(description="Person-months a month it can put in")


class RoadmapTrackOut(Schema):
    key: str
    title: str


class RoadmapReasonOut(Schema):
    """A coded reason, said in the reader's language (the core's English text for a code not translated)."""

    code: str
    params: dict[str, Any]
    text: str


class RoadmapForecastOut(Schema):
    """The item in the core's forecast plan (from the progress reported up to today) and where it stands
    against the adopted baseline (or the roadmap's own plan before the first adoption)."""

    start: dt.date
    finish: dt.date
    planned_finish: dt.date | None = Field(description="By the baseline")
    slack_days: int = Field(description="Days it can slip without moving the roadmap's end")
    critical: bool = Field(description="On the critical path")
    status: str = Field(description="done, on_track, at_risk, late or not_started")
    status_label: str
    reasons: list[RoadmapReasonOut] = Field(description="Why it is late or at risk")


class RoadmapItemOut(Schema):
    key: str
    title: str
    description: str
    kind: str = Field(description="milestone, deliverable or activity")
    track: str | None = Field(description="The track's key")
    phase: str = Field(description="concept, research, development, demonstration, market, recycling or ''")
    trl_from: int | None
    trl_to: int | None
    owner: int | None = Field(description="The owner organisation's id (a participant)")
    contributors: list[int] = Field(description="The contributing organisations' ids")
    planned_start: dt.date | None
    duration_days: int
    budget: str
    funding_secured: str
    actual_start: dt.date | None
    actual_finish: dt.date | None
    percent_complete: int
    accepted_on: dt.date | None = Field(description="When its owner accepted the commitment")
    forecast: RoadmapForecastOut | None = Field(description="None: the roadmap has no schedule (a cycle)")
    may_accept: bool = Field(description="Whether you may accept it now (its owner's people, not yet)")
    may_report_progress: bool


class RoadmapDependencyOut(Schema):
    predecessor: str
    successor: str
    kind: str = Field(description="FS (finish to start) or SS (start to start)")
    lag_days: int


class RoadmapKpiOut(Schema):
    key: str
    title: str
    unit: str
    baseline: str | None
    target: str
    target_on: dt.date | None
    current: str | None
    items: list[str] = Field(description="The keys of the items that move it")


class RoadmapVersionOut(Schema):
    number: int
    adopted_on: dt.date
    note: str


class RoadmapProblemOut(Schema):
    """What the core's validation finds: an ``error`` blocks adoption, a ``warning`` does not."""

    code: str
    params: dict[str, Any]
    text: str
    item: str | None = Field(description="The key of the item it is about (none: the roadmap)")
    severity: str = Field(description="error or warning")


class RoadmapOut(RoadmapSummaryOut):
    language: Language = Field(description="The language of the texts")
    summary: str
    may_edit: bool = Field(description="Whether you may change its content (its cluster's staff)")
    editable: bool = Field(description="Whether its state lets its content change (draft, being revised)")
    participants: list[RoadmapParticipantOut]
    tracks: list[RoadmapTrackOut]
    items: list[RoadmapItemOut]
    dependencies: list[RoadmapDependencyOut]
    kpis: list[RoadmapKpiOut]
    versions: list[RoadmapVersionOut] = Field(description="The adopted versions, the latest first")
    forecast_end: dt.date | None = Field(description="The roadmap's end as forecast from its progress")
    planned_end: dt.date | None = Field(
        description="Its end as planned: by the latest adopted version, else by its own plan"
    )
    baseline_end: dt.date | None = Field(description="Its end by the latest adopted version (none yet: null)")
    problems: list[RoadmapProblemOut] | None = Field(
        description="What validation finds, for those who may edit it (others: null)"
    )


class WhatIfMoveOut(Schema):
    key: str
    title: str
    old_start: dt.date
    old_finish: dt.date
    new_start: dt.date
    new_finish: dt.date
    shift: int = Field(description="Days its finish moves")


class WhatIfParticipantOut(Schema):
    organisation: int = Field(description="The organisation's id")
    name: str
    items: list[str] = Field(description="The keys of its items that move")
    owned: list[str] = Field(description="Those of them it owns")


class WhatIfOut(Schema):
    item: str = Field(description="The key of the item that slips")
    title: str
    days: int = Field(description="The slip in days")
    old_end: dt.date
    new_end: dt.date
    end_shift: int = Field(description="Days the roadmap's end moves")
    moves: list[WhatIfMoveOut] = Field(description="Every item whose dates change, in roadmap order")
    participants: list[WhatIfParticipantOut] = Field(description="Whose commitments move")


class RoadmapRefusal(Schema):
    """409: a rule of the roadmap or of its lifecycle said no, with its code, its parameters and, for an
    adoption, the validation errors that block it."""

    detail: str = Field(description="The refusal in the reader's language")
    code: str = Field(
        description="e.g. lifecycle.not_from_state, lifecycle.requirements_unmet, "
        "progress.finish_before_start, progress.finish_without_start, roadmap.no_schedule "
        "(helix.roadmaps.explain)"
    )
    params: dict[str, Any]
    problems: list[RoadmapProblemOut]


# --- builders -----------------------------------------------------------------------------------------


def moves_out(user: Any, roadmap: Roadmap) -> list[dict[str, Any]]:
    return [
        {"target": m.target, "label": explain.move_label(m.target)}
        for m in services.available_moves(user, roadmap)
    ]


def summary_out(roadmap: Roadmap, user: Any) -> dict[str, Any]:
    return {
        "key": roadmap.key,
        "title": roadmap.title,
        "cluster": roadmap.cluster.slug,
        "project": roadmap.project_id,
        "status": roadmap.status,
        "status_label": explain.state_label(roadmap.status),
        "visibility": roadmap.visibility,
        "starts_on": roadmap.starts_on,
        "revision": roadmap.revision,
        "moves": moves_out(user, roadmap),
    }


def participant_out(p: Participant, user: Any) -> dict[str, Any]:
    """A participant; its letter of intent only for those the registry lets see the letter."""
    letter = p.letter_of_intent
    return {
        "organisation": p.organisation_id,
        "name": p.organisation.name,
        "role": p.role,
        "committed": p.committed,
        "letter_of_intent": letter.signed_on if letter is not None and can(user, "view", letter) else None,
        "capacity_pm_per_month": decimal_text(p.capacity_pm_per_month),
    }


def reason_out(problem: Any, seen: Seen) -> dict[str, Any]:
    return {
        "code": problem.code,
        "params": dict(problem.params),
        "text": explain.problem_text(problem, seen.titles, seen.names),
    }


def problem_out(problem: Any, titles: dict[str, str], names: dict[Any, str]) -> dict[str, Any]:
    return {
        "code": problem.code,
        "params": dict(problem.params),
        "text": explain.problem_text(problem, titles, names),
        "item": problem.item,
        "severity": problem.severity,
    }


def forecast_out(row: Row, seen: Seen) -> dict[str, Any] | None:
    if seen.report is None or row.start is None or row.finish is None:
        return None
    state = seen.report[row.item.key]
    return {
        "start": row.start,
        "finish": row.finish,
        "planned_finish": row.planned_finish,
        "slack_days": row.slack,
        "critical": row.critical,
        "status": row.status,
        "status_label": row.status_label,
        "reasons": [reason_out(r, seen) for r in state.reasons],
    }


def item_out(row: Row, core_item: Any, seen: Seen) -> dict[str, Any]:
    """An item's row with its forecast; owner and contributors as the core reads them (organisation ids)."""
    item = row.item
    return {
        "key": item.key,
        "title": item.title,
        "description": item.description,
        "kind": item.kind,
        "track": core_item.track,
        "phase": item.phase,
        "trl_from": item.trl_from,
        "trl_to": item.trl_to,
        "owner": core_item.owner,
        "contributors": list(core_item.contributors),
        "planned_start": item.planned_start,
        "duration_days": item.duration_days,
        "budget": decimal_text(item.budget),
        "funding_secured": decimal_text(item.funding_secured),
        "actual_start": item.actual_start,
        "actual_finish": item.actual_finish,
        "percent_complete": item.percent_complete,
        "accepted_on": item.accepted_on,
        "forecast": forecast_out(row, seen),
        "may_accept": row.may_accept,
        "may_report_progress": row.may_report,
    }


def items_out(seen: Seen) -> list[dict[str, Any]]:
    return [item_out(row, it, seen) for row, it in zip(seen.rows, seen.content.items, strict=True)]


def kpi_out(kpi: Kpi) -> dict[str, Any]:
    return {
        "key": kpi.key,
        "title": kpi.title,
        "unit": kpi.unit,
        "baseline": decimal_text(kpi.baseline),
        "target": decimal_text(kpi.target),
        "target_on": kpi.target_on,
        "current": decimal_text(kpi.current),
        "items": [i.key for i in kpi.items.all()],
    }


def roadmap_out(seen: Seen, user: Any, language: str) -> dict[str, Any]:
    """The roadmap as ``user`` sees it, from its analysis: validation problems only for its editors."""
    roadmap = seen.roadmap
    may_edit = can(user, "edit", roadmap)
    participants = roadmap.participants.select_related("organisation", "letter_of_intent").order_by(
        "organisation__name", "pk"
    )
    baseline_end = seen.planned_end if seen.baseline is not None else None
    problems = None
    if may_edit:
        problems = [problem_out(p, seen.titles, seen.names) for p in validate(seen.content, today=seen.today)]
    return {
        **summary_out(roadmap, user),
        "language": language,
        "summary": roadmap.summary,
        "may_edit": may_edit,
        "editable": lifecycle.is_editable(roadmap.status),
        "participants": [participant_out(p, user) for p in participants],
        "tracks": [{"key": t.key, "title": t.title} for t in seen.content.tracks],
        "items": items_out(seen),
        "dependencies": [
            {
                "predecessor": d.predecessor,
                "successor": d.successor,
                "kind": d.kind.value,
                "lag_days": d.lag_days,
            }
            for d in seen.content.dependencies
        ],
        "kpis": [kpi_out(k) for k in roadmap.kpis.prefetch_related("items").order_by("pk")],
        "versions": list(roadmap.versions.order_by("-number").values("number", "adopted_on", "note")),
        "forecast_end": seen.end,
        "planned_end": seen.planned_end,
        "baseline_end": baseline_end,
        "problems": problems,
    }


def whatif_out(impact: Impact, key: str, seen: Seen) -> dict[str, Any]:
    result = impact.result
    return {
        "item": key,
        "title": impact.item,
        "days": impact.days,
        "old_end": result.old_end,
        "new_end": result.new_end,
        "end_shift": result.end_shift,
        "moves": impact.moves,
        "participants": [
            {
                "organisation": p.participant,
                "name": seen.names.get(p.participant, str(p.participant)),
                "items": [m.key for m in p.moves],
                "owned": list(p.owned),
            }
            for p in result.participants
        ],
    }


def refusal_out(
    refused: services.RoadmapRefused, titles: dict[str, str], names: dict[Any, str]
) -> dict[str, Any]:
    return {
        "detail": explain.say(refused.code, refused.params),
        "code": refused.code,
        "params": refused.params,
        "problems": [problem_out(p, titles, names) for p in refused.problems],
    }
