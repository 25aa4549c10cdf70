"""The roadmaps API: the cluster roadmaps the caller may see, one roadmap with its items and their
forecast, what a slip would move, and the lifecycle moves, acceptances and progress reports.

Handlers parse input, ask the permission tables (helix.roadmaps.permissions through ``can``/``scope``) as
the pages do, and call helix.roadmaps.services and helix.roadmaps.analysis: a roadmap the caller may not
see is 404 (no hint that it exists), an action on one they see but may not take is 403. A rule that says
no (a move the lifecycle does not have, an adoption with validation errors, progress that finishes
before it starts) is 409 with its code, its parameters, the text in the reader's language
(helix.roadmaps.explain) and the problems behind it.

Texts are in the language of ``?lang=`` or else of the Accept-Language header.

No ``from __future__ import annotations`` here: ninja's pagination reads the list's query annotation at
run time.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate

from helix.api.auth import READ, WRITE_AUTH, acting_user
from helix.api.errors import ITEM_ERRORS, READ_ERRORS, WRITE_ERRORS, invalid, query_error
from helix.api.pagination import HelixPagination
from helix.api.schemas.base import PlainText
from helix.api.schemas.roadmaps import (
    ProgressIn,
    RoadmapFilters,
    RoadmapItemChangeIn,
    RoadmapItemFields,
    RoadmapItemIn,
    RoadmapItemOut,
    RoadmapLanguageQuery,
    RoadmapOut,
    RoadmapRefusal,
    RoadmapSummaryOut,
    RoadmapTransitionIn,
    WhatIfOut,
    WhatIfQuery,
    item_out,
    refusal_out,
    roadmap_out,
    summary_out,
    whatif_out,
)
from helix.registry.permissions import can, scope
from helix.roadmaps import analysis, services
from helix.roadmaps.models import Item, Participant, Roadmap

router = Router()
TAGS = ["roadmaps"]

REFUSED: dict[int, Any] = {**WRITE_ERRORS, 409: RoadmapRefusal}
# 30.44 days a month, as the what-if page counts them (helix.roadmaps.forms.WhatIfForm)
DAYS_A_MONTH = 30.44


# --- the reader's language ----------------------------------------------------------------------------


def language_of(lang: str | None) -> str:
    """The language of the answer: ``lang`` when given, else the request's (Accept-Language)."""
    language = lang or (translation.get_language() or "en")[:2]
    return language if language in ("en", "nl", "fr", "de") else "en"


@contextmanager
def reading_in(lang: str | None) -> Iterator[str]:
    """The answer's language (:func:`language_of`), active while helix.roadmaps.explain says its texts."""
    language = language_of(lang)
    with translation.override(language):
        yield language


# --- loading ------------------------------------------------------------------------------------------


class Shown:
    """Rows seen through ``show``: a page is sliced from the query, then each row shown as the answer
    says (HelixPagination asks ``[a:b]`` and ``count()``)."""

    def __init__(self, rows: QuerySet[Any], show: Callable[[Any], dict[str, Any]]) -> None:
        self.rows, self.show = rows, show

    def __getitem__(self, part: slice) -> list[dict[str, Any]]:
        return [self.show(row) for row in self.rows[part]]

    def count(self) -> int:
        return self.rows.count()


def with_participants(roadmaps: QuerySet[Roadmap]) -> QuerySet[Roadmap]:
    """The roadmaps with their participants read at once: who takes part decides what each caller may do
    with the roadmap and with each of its items (the permission tables read them through the prefetch),
    so that a list or a roadmap of any size asks a fixed number of queries."""
    return roadmaps.select_related("cluster").prefetch_related("participants")


def visible_roadmaps(user: Any) -> QuerySet[Roadmap]:
    return with_participants(scope(user, "view", Roadmap.objects.all()))


def visible_roadmap(user: Any, key: str) -> Roadmap:
    """The roadmap, or 404 when ``user`` may not see it (as the pages answer)."""
    return get_object_or_404(visible_roadmaps(user), key=key)


def item_of(roadmap: Roadmap, key: str) -> Item:
    return get_object_or_404(Item.objects.select_related("roadmap", "owner"), roadmap=roadmap, key=key)


def refused(exc: services.RoadmapRefused, roadmap: Roadmap) -> Status:
    """409 with the refusal; its problems name the roadmap's items by their titles, its participants by
    their names."""
    titles = dict(roadmap.items.values_list("key", "title"))
    names: dict[Any, str] = dict(roadmap.participants.values_list("organisation_id", "organisation__name"))
    return Status(409, refusal_out(exc, titles, names))


def item_answer(user: Any, roadmap: Roadmap, key: str) -> dict[str, Any]:
    """One item as the roadmap's answer shows it, with its forecast."""
    seen = analysis.analyse(with_participants(Roadmap.objects.all()).get(pk=roadmap.pk), user)
    for row, core_item in zip(seen.rows, seen.content.items, strict=True):
        if row.item.key == key:
            return item_out(row, core_item, seen)
    raise LookupError(key)  # the item was just read: it is there


# --- reads --------------------------------------------------------------------------------------------


@router.get("/", response={200: list[RoadmapSummaryOut], **READ_ERRORS}, tags=TAGS, **READ)
@paginate(HelixPagination)
def list_roadmaps(request: HttpRequest, filters: Query[RoadmapFilters]) -> Any:
    """The roadmaps you may see (public ones for anyone; members-only ones for the cluster's members;
    drafts and staff-only ones for the cluster's staff and the roadmap's participants), by cluster and
    title; ``cluster`` (a slug) and ``status`` narrow them."""
    user = acting_user(request)
    roadmaps = visible_roadmaps(user)
    if filters.cluster:
        roadmaps = roadmaps.filter(cluster__slug=filters.cluster)
    if filters.status:
        roadmaps = roadmaps.filter(status=filters.status)
    language = language_of(filters.lang)

    def show(roadmap: Roadmap) -> dict[str, Any]:
        with translation.override(language):
            return summary_out(roadmap, user)

    return Shown(roadmaps.order_by("cluster__slug", "title", "pk"), show)


@router.get("/{key}", response={200: RoadmapOut, **ITEM_ERRORS}, tags=TAGS, **READ)
def get_roadmap(request: HttpRequest, key: PlainText, query: Query[RoadmapLanguageQuery]) -> Any:
    """A roadmap: its participants and their commitments, tracks, items with the core's forecast (start,
    finish, slack, critical path, status and its reasons), dependencies, KPIs, adopted versions, its
    forecast and baseline end, the moves you may make, and for its editors what validation finds."""
    user = acting_user(request)
    roadmap = visible_roadmap(user, key)
    with reading_in(query.lang) as language:
        return roadmap_out(analysis.analyse(roadmap, user), user, language)


@router.get(
    "/{key}/what-if",
    response={200: WhatIfOut, 409: RoadmapRefusal, **ITEM_ERRORS},
    tags=TAGS,
    **READ,
)
def what_if(request: HttpRequest, key: PlainText, query: Query[WhatIfQuery]) -> Any:
    """What moves if ``item`` finishes ``days`` (or ``months``) late: each item whose dates change, the
    roadmap's new end, and whose commitments change. Nothing is saved. 422 for an item the roadmap does
    not have; 409 ``roadmap.no_schedule`` when its dependencies go round in a circle."""
    user = acting_user(request)
    roadmap = visible_roadmap(user, key)
    if query.days is None and query.months is None:
        raise ValidationError([query_error("days", _("Say how late it is: in days or in months."))])
    days = query.days if query.days is not None else round(query.months * DAYS_A_MONTH)  # type: ignore[operator]
    with reading_in(query.lang):
        seen = analysis.analyse(roadmap, user)
        if query.item not in seen.titles:
            raise ValidationError([query_error("item", _("The roadmap has no item with this key."))])
        impact = analysis.slip(roadmap, seen, query.item, days)
        if impact is None:
            return Status(
                409,
                {
                    "detail": _("The roadmap has no schedule: its dependencies go round in a circle."),
                    "code": "roadmap.no_schedule",
                    "params": {},
                    "problems": [],
                },
            )
        return whatif_out(impact, query.item, seen)


# --- writes -------------------------------------------------------------------------------------------


def editable_roadmap(user: Any, key: str) -> Roadmap:
    """The roadmap for a change of content: 404 when ``user`` may not see it, 403 when they may not edit
    it (before the body's references are looked at)."""
    roadmap = visible_roadmap(user, key)
    if not can(user, "edit", roadmap):
        raise PermissionDenied
    return roadmap


def item_fields(roadmap: Roadmap, payload: RoadmapItemFields) -> tuple[dict[str, Any], list[Participant]]:
    """The body's fields for services.save_item, its track and organisations read as the roadmap's track
    and participants; 422 naming each reference the roadmap does not have."""
    participants = {p.organisation_id: p for p in roadmap.participants.all()}
    errors: list[dict[str, Any]] = []
    track = None
    if payload.track is not None:
        track = roadmap.tracks.filter(key=payload.track).first()
        if track is None:
            errors.append(invalid("track", _("The roadmap has no track with this key.")))
    owner = None
    if payload.owner is not None:
        owner = participants.get(payload.owner)
        if owner is None:
            errors.append(invalid("owner", _("This organisation does not take part in the roadmap.")))
    contributors: list[Participant] = []
    for index, organisation in enumerate(payload.contributors):
        found = participants.get(organisation)
        if found is None:
            message = _("This organisation does not take part in the roadmap.")
            errors.append(invalid("contributors", message, at=(index,)))
        elif found not in contributors:
            contributors.append(found)
    if errors:
        raise ValidationError(errors)
    fields = {
        "title": payload.title,
        "description": payload.description,
        "kind": payload.kind,
        "track": track,
        "phase": payload.phase or "",
        "trl_from": payload.trl_from,
        "trl_to": payload.trl_to,
        "owner": owner,
        "planned_start": payload.planned_start,
        "duration_days": payload.duration_days,
        "budget": payload.budget,
        "funding_secured": payload.funding_secured,
    }
    return fields, contributors


@router.post("/{key}/items", response={201: RoadmapOut, **REFUSED}, tags=TAGS, auth=WRITE_AUTH)
def create_item(
    request: HttpRequest, key: PlainText, payload: RoadmapItemIn, query: Query[RoadmapLanguageQuery]
) -> Any:
    """Add a milestone, deliverable or activity (the cluster's staff, while the roadmap is a draft or
    being revised): the roadmap as it is then, with what validation finds. 409 when its state allows no
    change, its key is taken, or ``revision`` is older than the roadmap's."""
    user = acting_user(request)
    roadmap = editable_roadmap(user, key)
    fields, contributors = item_fields(roadmap, payload)
    with reading_in(query.lang) as language:
        try:
            services.save_item(
                user,
                roadmap,
                key=payload.key,
                fields=fields,
                contributors=contributors,
                revision=payload.revision,
            )
        except services.RoadmapRefused as exc:
            return refused(exc, roadmap)
        return Status(201, roadmap_out(analysis.analyse(visible_roadmap(user, key), user), user, language))


@router.put("/{key}/items/{item}", response={200: RoadmapOut, **REFUSED}, tags=TAGS, auth=WRITE_AUTH)
def change_item(
    request: HttpRequest,
    key: PlainText,
    item: PlainText,
    payload: RoadmapItemChangeIn,
    query: Query[RoadmapLanguageQuery],
) -> Any:
    """Replace an item's content (the cluster's staff, while the roadmap is a draft or being revised):
    the fields left out take their defaults; its effort stays. Give the ``revision`` you read: 409
    ``roadmap.stale`` with the current one when someone changed the roadmap since."""
    user = acting_user(request)
    roadmap = editable_roadmap(user, key)
    found = item_of(roadmap, item)
    fields, contributors = item_fields(roadmap, payload)
    with reading_in(query.lang) as language:
        try:
            services.save_item(
                user,
                roadmap,
                key=found.key,
                fields=fields,
                contributors=contributors,
                revision=payload.revision,
                item=found,
            )
        except services.RoadmapRefused as exc:
            return refused(exc, roadmap)
        return roadmap_out(analysis.analyse(visible_roadmap(user, key), user), user, language)


@router.post("/{key}/transitions", response={200: RoadmapOut, **REFUSED}, tags=TAGS, auth=WRITE_AUTH)
def move_roadmap(
    request: HttpRequest, key: PlainText, payload: RoadmapTransitionIn, query: Query[RoadmapLanguageQuery]
) -> Any:
    """Move the roadmap through its lifecycle (the cluster's staff): open the consultation, take it back
    to draft, adopt it (a new version, the baseline), revise it. 409 when the lifecycle has no such move
    from its state, or, for an adoption, with the validation errors that block it."""
    user = acting_user(request)
    roadmap = visible_roadmap(user, key)
    with reading_in(query.lang) as language:
        try:
            services.move(user, roadmap, payload.target, payload.note)
        except services.RoadmapRefused as exc:
            return refused(exc, roadmap)
        moved = visible_roadmap(user, key)
        return roadmap_out(analysis.analyse(moved, user), user, language)


@router.post(
    "/{key}/items/{item}/accept", response={200: RoadmapItemOut, **REFUSED}, tags=TAGS, auth=WRITE_AUTH
)
def accept_item(
    request: HttpRequest, key: PlainText, item: PlainText, query: Query[RoadmapLanguageQuery]
) -> Any:
    """Accept the commitment an item asks of your organisation (the people of its owner organisation,
    once the roadmap is out of draft); accepting twice keeps the first date. 403 for anyone else."""
    user = acting_user(request)
    roadmap = visible_roadmap(user, key)
    found = item_of(roadmap, item)
    with reading_in(query.lang):
        services.accept_item(user, found)
        return item_answer(user, roadmap, found.key)


@router.post(
    "/{key}/items/{item}/progress", response={200: RoadmapItemOut, **REFUSED}, tags=TAGS, auth=WRITE_AUTH
)
def report_progress(
    request: HttpRequest,
    key: PlainText,
    item: PlainText,
    payload: ProgressIn,
    query: Query[RoadmapLanguageQuery],
) -> Any:
    """Report where an item stands: its actual start and finish and how far it is (the people of its
    owner organisation, or the cluster's staff, once the roadmap is out of draft). A finish makes it
    100 % complete. 409 for a finish before the start, or a finish without a start."""
    user = acting_user(request)
    roadmap = visible_roadmap(user, key)
    found = item_of(roadmap, item)
    with reading_in(query.lang):
        try:
            services.report_progress(
                user,
                found,
                actual_start=payload.actual_start,
                actual_finish=payload.actual_finish,
                percent_complete=payload.percent_complete,
            )
        except services.RoadmapRefused as exc:
            return refused(exc, roadmap)
        return item_answer(user, roadmap, found.key)
