"""The organiser's tables on the day and after: many requests or registrations at once, checking in,
recording whether a meeting was held, a side rating its meeting, and the event's statistics."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helix.actions import act
from helix.events import attendance, schedules
from helix.events.models import (
    Registration,
)
from helix.events.views.shared import (
    act_on_event,
    back_or,
    meetings_in_order,
    visible_event,
    visible_request,
)
from helix.params import object_id, object_ids
from helix.registry.permissions import can, scope


@login_required
@require_POST
def bulk_requests(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    action = request.POST.get("action", "")
    ids = object_ids(request.POST.getlist("ids"))

    def move() -> object:
        result = attendance.move_requests(request.user, event, ids, action)
        if result.done:
            messages.success(request, _("%(n)d requests changed.") % {"n": result.done})
        if result.refused:
            messages.warning(
                request,
                _("%(n)d requests were left as they were: not possible from their present state.")
                % {"n": result.refused},
            )
        return result

    return act(
        request,
        move,
        redirect(f"{reverse('events:detail', args=[event.pk])}#requests"),
        denied=_("Only the organiser."),
    )


@login_required
@require_POST
def bulk_registrations(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    action = request.POST.get("action", "")
    ids = object_ids(request.POST.getlist("ids"))

    def check() -> object:
        changed = attendance.check_in_many(request.user, event, ids, action)
        messages.success(request, _("%(n)d participants changed.") % {"n": changed})
        return changed

    return act(
        request,
        check,
        redirect(f"{reverse('events:detail', args=[event.pk])}#participants"),
        denied=_("Only the organiser."),
    )


@login_required
@require_POST
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """Check a participant in (or undo it); htmx gets the table row back."""
    registration = get_object_or_404(
        scope(request.user, "view", Registration.objects.select_related("event", "person", "organisation")),
        pk=pk,
    )
    present = request.POST.get("present", "yes") != "no"
    response = act_on_event(
        request,
        registration.event_id,
        lambda: attendance.check_in(request.user, registration, present=present),
        denied=_("Only the organiser."),
    )
    if request.htmx and can(request.user, "check_in", registration):
        notices = list(messages.get_messages(request))
        return render(
            request,
            "events/_registration_row.html",
            {"reg": registration, "event": registration.event, "notices": notices},
        )
    return response


@login_required
@require_POST
def record_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that a meeting was held, missed, or take the record back; htmx gets the row back."""
    req = visible_request(request, pk)
    outcome = request.POST.get("outcome", "")
    response = act_on_event(
        request,
        req.event_id,
        lambda: attendance.record_outcome(request.user, req, outcome),
        denied=_("Only the organiser."),
    )
    if request.htmx and can(request.user, "record_outcome", req):
        schedule = schedules.published_schedule(req.event)
        meeting = meetings_in_order(schedule).filter(request=req).first()
        if meeting is not None:
            notices = list(messages.get_messages(request))
            context = {"meeting": meeting, "event": req.event, "notices": notices}
            return render(request, "events/_meeting_row.html", context)
    return response


@login_required
@require_POST
def rate_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """A side says whether the meeting was useful and whether a follow-up is planned."""
    req = visible_request(request, pk)
    registration = Registration.objects.filter(
        pk=object_id(request.POST.get("registration")), event_id=req.event_id
    ).first()

    def rate() -> object:
        if registration is None:
            raise ValidationError({"registration": _("Only the two sides of a meeting rate it.")})
        return attendance.rate_meeting(
            request.user,
            req,
            registration,
            useful=request.POST.get("useful") == "yes",
            follow_up=request.POST.get("follow_up") == "yes",
        )

    return act(
        request,
        rate,
        back_or(request, redirect("events:detail", pk=req.event_id)),
        done=_("Thank you for your rating."),
        denied=_("Only the two sides of a meeting rate it."),
    )


@login_required
def statistics(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    figures = attendance.event_statistics(request.user, event)  # PermissionDenied (403) but to organisers
    return render(request, "events/statistics.html", {"event": event, "figures": figures, "app": "events"})
