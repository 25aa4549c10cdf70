"""Meeting request pages: asking for a meeting (directly or from a match suggestion), answering,
cancelling, the organiser's inline changes of a request (htmx gets the table row back), and a
participant's availability."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helix.actions import act
from helix.events import meeting_requests, services
from helix.events.models import (
    EventMeetingRequest,
    Registration,
    TimeSlot,
)
from helix.events.views.shared import (
    MAX_MEETINGS,
    act_on_event,
    back_or,
    registration_for,
    set_after_choices,
    visible_event,
    visible_request,
)
from helix.params import NotANumber, object_id, object_ids, whole_number
from helix.registry.permissions import can


@login_required
@require_POST
def request_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    requester = get_object_or_404(Registration, pk=object_id(request.POST.get("requester")), event=event)
    requested = get_object_or_404(Registration, pk=object_id(request.POST.get("requested")), event=event)
    return act(
        request,
        lambda: meeting_requests.request_meeting(
            request.user, requester, requested, priority=whole_number(request.POST.get("priority"), default=1)
        ),
        back_or(request, redirect("events:detail", pk=event.pk)),
        done=_("Meeting requested."),
        denied=_("You do not act for this participant."),
    )


@login_required
@require_POST
def request_from_match(request: HttpRequest, pk: int) -> HttpResponse:
    from helix.market.models import MeetingRequest

    event = visible_event(request, pk)
    market_request = get_object_or_404(MeetingRequest, pk=object_id(request.POST.get("market_request")))
    return act_on_event(
        request,
        event.pk,
        lambda: meeting_requests.request_from_match(request.user, event, market_request),
        done=_("Meeting requested."),
    )


def _request_row(request: HttpRequest, req: EventMeetingRequest) -> HttpResponse:
    """The organiser's table row of ``req`` (an htmx answer to an inline change), with what the change
    said (done, or why not) in the row: the messages are taken here, not shown again on the next page."""
    req = EventMeetingRequest.objects.select_related(*services.REQUEST_SIDES).get(pk=req.pk)
    req.moves = [t.target for t in services.request_moves(request.user, req)]  # type: ignore[attr-defined]
    related = list(
        EventMeetingRequest.objects.filter(event=req.event_id)
        .filter(
            Q(requester_id__in=[req.requester_id, req.requested_id])
            | Q(requested_id__in=[req.requester_id, req.requested_id])
        )
        .select_related("requester__organisation", "requested__organisation")
    )
    set_after_choices(related)
    req.after_choices = next(r.after_choices for r in related if r.pk == req.pk)  # type: ignore[attr-defined]
    notices = list(messages.get_messages(request))
    context = {"req": req, "event": req.event, "slots": req.event.slots.all(), "notices": notices}
    return render(request, "events/_request_row.html", context)


def _request_action(
    request: HttpRequest,
    req: EventMeetingRequest,
    call: Callable[[], object],
    *,
    done: str = "",
    denied: str = "",
) -> HttpResponse:
    """Run a change of ``req``: the organiser's inline change (htmx) gets its table row back, any other
    caller the event page."""
    response = act_on_event(request, req.event_id, call, done=done, denied=denied)
    if request.htmx and can(request.user, "edit", req):
        return _request_row(request, req)
    return response


@login_required
@require_POST
def answer_request(request: HttpRequest, pk: int) -> HttpResponse:
    req = visible_request(request, pk)
    accept = request.POST.get("answer") == "accept"
    return _request_action(
        request,
        req,
        lambda: meeting_requests.answer_request(request.user, req, accept=accept),
        done=_("Meeting request accepted.") if accept else _("Meeting request declined."),
        denied=_("Only the participant asked may answer."),
    )


@login_required
@require_POST
def cancel_request(request: HttpRequest, pk: int) -> HttpResponse:
    req = visible_request(request, pk)
    return _request_action(
        request,
        req,
        lambda: meeting_requests.cancel_request(request.user, req),
        done=_("Meeting request cancelled."),
        denied=_("Only the two participants (or the organiser) cancel a meeting."),
    )


@login_required
@require_POST
def update_request(request: HttpRequest, pk: int) -> HttpResponse:
    req = visible_request(request, pk)
    slot = TimeSlot.objects.filter(pk=object_id(request.POST.get("fixed_slot")), event=req.event).first()
    after = EventMeetingRequest.objects.filter(
        pk=object_id(request.POST.get("after")), event=req.event
    ).first()
    return _request_action(
        request,
        req,
        lambda: meeting_requests.update_request(
            request.user,
            req,
            priority=whole_number(request.POST.get("priority"), default=req.priority),
            fixed_slot=slot,
            after=after,
        ),
        done=_("Saved."),
        denied=_("Only the organiser."),
    )


@login_required
@require_POST
def availability(request: HttpRequest, pk: int) -> HttpResponse:
    registration = registration_for(request, pk, "act_for")
    slots = list(
        TimeSlot.objects.filter(
            event=registration.event, pk__in=object_ids(request.POST.getlist("unavailable"))
        )
    )
    try:
        limit = whole_number(request.POST.get("max_meetings"), low=0, high=MAX_MEETINGS)
    except NotANumber as exc:
        messages.error(request, exc.text)
        return redirect("events:detail", pk=registration.event_id)
    services.set_availability(request.user, registration, unavailable=slots, max_meetings=limit)
    messages.success(request, _("Availability saved."))
    return redirect("events:detail", pk=registration.event_id)
