"""What the event pages share: the event, request or registration a caller may see (404 otherwise, as in
the API), running a service call for a POST and going back to the event, the published meetings in time
and table order, and each request's 'must follow' choices."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from helix.actions import act
from helix.events.models import (
    Event,
    EventMeetingRequest,
    Registration,
    Schedule,
    ScheduledMeeting,
)
from helix.registry.permissions import can, scope

MAX_MEETINGS = 32767  # what the small integer columns (most meetings, fairness) hold


def act_on_event(
    request: HttpRequest, event_id: int, call: Callable[[], object], *, done: str = "", denied: str = ""
) -> HttpResponse:
    """Run a service call for a POST, turn its refusals into messages and go back to the event."""
    return act(request, call, redirect("events:detail", pk=event_id), done=done, denied=denied)


def visible_event(request: HttpRequest, pk: int) -> Event:
    """The event, if the caller may see it (404 otherwise, as in the API)."""
    return get_object_or_404(scope(request.user, "view", Event.objects.select_related("cluster")), pk=pk)


def visible_request(request: HttpRequest, pk: int) -> EventMeetingRequest:
    return get_object_or_404(
        scope(request.user, "view", EventMeetingRequest.objects.select_related("event")), pk=pk
    )


def registration_for(request: HttpRequest, pk: int, action: str) -> Registration:
    registration = get_object_or_404(
        Registration.objects.select_related("event", "person", "organisation"), pk=pk
    )
    if not can(request.user, action, registration):
        raise PermissionDenied
    return registration


def back_or(request: HttpRequest, default: HttpResponse) -> HttpResponse:
    """Back to the page the form was on (``next``, on this site only), else ``default``."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return default


def meetings_in_order(schedule: Schedule | None) -> Any:
    """The meetings of ``schedule`` in time and table order, with both sides (none without a schedule)."""
    if schedule is None:
        return ScheduledMeeting.objects.none()
    return schedule.meetings.select_related(
        "slot",
        "request__requester__organisation",
        "request__requester__person",
        "request__requested__organisation",
        "request__requested__person",
    ).order_by("slot__start", "table")


def set_after_choices(requests: list[EventMeetingRequest]) -> None:
    """Each request's 'must follow' choices: the other requests that share a participant with it (a
    meeting follows another of the same participant), set as ``after_choices``."""
    by_registration: dict[int, list[EventMeetingRequest]] = {}
    for req in requests:
        by_registration.setdefault(req.requester_id, []).append(req)
        by_registration.setdefault(req.requested_id, []).append(req)
    for req in requests:
        related = by_registration[req.requester_id] + by_registration[req.requested_id]
        seen: dict[int, EventMeetingRequest] = {r.pk: r for r in related if r.pk != req.pk}
        req.after_choices = sorted(seen.values(), key=lambda r: r.pk)  # type: ignore[attr-defined]
