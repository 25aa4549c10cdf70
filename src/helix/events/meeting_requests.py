"""Meeting requests at an event: making one (directly or from a market match suggestion), answering it
(logged in, or from the signed link of its e-mail), cancelling it, the organiser's settings of a request
(priority, fixed slot, must-follow), and expiry at the request deadline. Which moves a request may make is
the core's ``EVENT_REQUEST_WORKFLOW``; who acts for which side is asked of helix.events.services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from helix.audit.bulk import update_logged
from helix.core.matchmaking import workflows as flow
from helix.events import notices
from helix.events.models import (
    Event,
    EventFormat,
    EventMeetingRequest,
    Registration,
    RequestStatus,
    Role,
    TimeSlot,
)
from helix.events.services import permitted_move, request_roles
from helix.registry.permissions import can, scope


def accepted_count(registration: Registration) -> int:
    return EventMeetingRequest.objects.filter(
        Q(requester=registration) | Q(requested=registration), status=RequestStatus.ACCEPTED
    ).count()


def _check_limits(*sides: Registration, field: str) -> None:
    """Refuse one more meeting for a participant who already has the most it accepts."""
    for side in sides:
        if side.max_meetings is not None and accepted_count(side) >= side.max_meetings:
            message = _("%(name)s already has the most meetings they accept (%(n)d).")
            raise ValidationError({field: message % {"name": side.person, "n": side.max_meetings}})


def request_meeting(
    user: Any, requester: Registration, requested: Registration, *, priority: int = 1, message: str = ""
) -> EventMeetingRequest:
    event = requester.event
    if requested.event_id != event.pk:
        raise ValidationError({"requested": _("Both participants must be registered for the same event.")})
    if not can(user, "act_for", requester):
        raise PermissionDenied("you do not act for this participant")
    if requester.pk == requested.pk or requester.organisation_id == requested.organisation_id:
        raise ValidationError({"requested": _("A meeting is between two different organisations.")})
    if event.request_deadline and timezone.now() > event.request_deadline:
        raise ValidationError({"event": _("The deadline for meeting requests has passed.")})
    if not 1 <= priority <= 3:
        raise ValidationError({"priority": _("Priority is 1 (normal) to 3 (high).")})
    if event.format == EventFormat.SPEED_DATING and {requester.role, requested.role} != {
        Role.HOST,
        Role.VISITOR,
    }:
        raise ValidationError({"requested": _("In speed-dating, visitors meet host tables.")})
    open_pair = EventMeetingRequest.objects.filter(
        event=event, status__in=[RequestStatus.REQUESTED, RequestStatus.ACCEPTED]
    ).filter(Q(requester=requester, requested=requested) | Q(requester=requested, requested=requester))
    if open_pair.exists():
        raise ValidationError({"requested": _("These two already have an open or accepted request.")})
    _check_limits(requester, requested, field="requested")
    request = EventMeetingRequest.objects.create(
        event=event, requester=requester, requested=requested, priority=priority, message=message
    )
    notices.request_made(request)  # the person asked, with links that answer without logging in
    return request


def match_requests(user: Any, event: Event) -> list[tuple[Any, Registration, Registration]]:
    """Meeting requests made from match suggestions (the market's) between the user's organisation and an
    organisation registered at ``event`` that the event does not have yet: (market request, own
    registration, counterpart's registration)."""
    from helix.market.models import MeetingRequest, MeetingStatus

    if can(user, "manage_requests", event):
        return []  # the organisers bring nobody's matches
    own = list(scope(user, "act_for", event.registrations.select_related("organisation")))
    if not own:
        return []
    by_org: dict[int, Registration] = {}
    for reg in event.registrations.order_by("pk"):
        by_org.setdefault(reg.organisation_id, reg)
    own_orgs = {r.organisation_id: r for r in own}
    linked = set(event.requests.exclude(market_request=None).values_list("market_request_id", flat=True))
    out = []
    for mr in MeetingRequest.objects.filter(
        Q(from_organisation_id__in=own_orgs) | Q(to_organisation_id__in=own_orgs),
        status__in=[MeetingStatus.REQUESTED, MeetingStatus.ACCEPTED],
    ).select_related("from_organisation", "to_organisation", "need", "offer"):
        mine, other = (
            (mr.from_organisation_id, mr.to_organisation_id)
            if mr.from_organisation_id in own_orgs
            else (mr.to_organisation_id, mr.from_organisation_id)
        )
        if mr.pk not in linked and other in by_org:
            out.append((mr, own_orgs[mine], by_org[other]))
    return out


def request_from_match(user: Any, event: Event, market_request: Any) -> EventMeetingRequest:
    """Bring a meeting requested from a match suggestion to this event. Already accepted there (both
    sides agreed to meet), it is accepted here too; otherwise the other side answers as usual."""
    from helix.market.models import MeetingStatus

    for mr, own, other in match_requests(user, event):
        if mr.pk == market_request.pk:
            req = request_meeting(user, own, other, message=mr.message)
            req.market_request = mr
            if mr.status == MeetingStatus.ACCEPTED:
                _check_limits(own, other, field="status")
                req.status = flow.EVENT_REQUEST_WORKFLOW.check(
                    req.status, RequestStatus.ACCEPTED, {flow.BOTH_AGREED}
                ).target
                req.responded_at = timezone.now()
            req.save(update_fields=["market_request", "status", "responded_at"])
            return req
    raise ValidationError(
        {"market_request": _("This match is not between you and a participant of this event.")}
    )


def answer_request(user: Any, request: EventMeetingRequest, accept: bool) -> EventMeetingRequest:
    """Accept or decline: the participant asked (or the organiser), while the request is open."""
    if not can(user, "answer", request):
        raise PermissionDenied("only the requested participant (or the organiser) answers")
    return _answer(request, accept, request_roles(user, request))


def answer_request_by_link(request: EventMeetingRequest, accept: bool) -> EventMeetingRequest:
    """The participant asked answers from the signed link of their e-mail, without an account or a
    log-in: the link (helix.events.notices.read_answer_token) names this request and the registration
    asked, so its holder moves as the side asked, as the workflow allows that side."""
    return _answer(request, accept, {flow.ASKED})


def _answer(request: EventMeetingRequest, accept: bool, roles: set[str]) -> EventMeetingRequest:
    # Expiry is kept even when the answer is then refused (an expired request stays expired).
    expire_requests(request.event)
    return _answer_now(request, accept, roles)


@transaction.atomic
def _answer_now(request: EventMeetingRequest, accept: bool, roles: set[str]) -> EventMeetingRequest:
    request.refresh_from_db()
    target = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    permitted_move(flow.EVENT_REQUEST_WORKFLOW, request.status, target, roles)
    if accept:
        _check_limits(request.requester, request.requested, field="status")
    request.status = target
    request.responded_at = timezone.now()
    request.save(update_fields=["status", "responded_at"])
    notices.request_answered(request)  # the requester hears the answer
    return request


def cancel_request(user: Any, request: EventMeetingRequest) -> EventMeetingRequest:
    """Withdraw an open request (the requester) or cancel an accepted meeting (either side)."""
    if not can(user, "cancel", request):
        raise PermissionDenied("not your meeting")
    request.refresh_from_db()
    roles = request_roles(user, request)
    permitted_move(flow.EVENT_REQUEST_WORKFLOW, request.status, RequestStatus.CANCELLED, roles)
    request.status = RequestStatus.CANCELLED
    request.save(update_fields=["status"])
    return request


def update_request(
    user: Any,
    request: EventMeetingRequest,
    *,
    priority: int | None = None,
    fixed_slot: TimeSlot | None = None,
    after: EventMeetingRequest | None = None,
) -> EventMeetingRequest:
    """The organiser sets a request's priority, fixes its slot, or says it must follow another meeting."""
    if not can(user, "edit", request):
        raise PermissionDenied("only the organiser")
    if priority is not None and not 1 <= priority <= 3:
        raise ValidationError({"priority": _("Priority is 1 (normal) to 3 (high).")})
    if fixed_slot is not None and fixed_slot.event_id != request.event_id:
        raise ValidationError({"fixed_slot": _("That slot belongs to another event.")})
    if after is not None:
        if after.event_id != request.event_id or after.pk == request.pk:
            raise ValidationError(
                {"after": _("A meeting can only follow another meeting of the same event.")}
            )
        seen, node = {request.pk}, after
        while node is not None:  # no cycle: walking 'must follow' from `after` never reaches this request
            if node.pk in seen:
                raise ValidationError({"after": _("These meetings would each have to follow the other.")})
            seen.add(node.pk)
            node = node.after
    if priority is not None:
        request.priority = priority
    request.fixed_slot = fixed_slot
    request.after = after
    request.save(update_fields=["priority", "fixed_slot", "after"])
    return request


def expire_requests(event: Event, now: Any = None) -> int:
    """Unanswered requests expire at the organiser's deadline; returns how many expired now."""
    now = now or timezone.now()
    if not event.request_deadline or now <= event.request_deadline:
        return 0
    move = flow.EVENT_REQUEST_WORKFLOW.check(RequestStatus.REQUESTED, RequestStatus.EXPIRED, {flow.DEADLINE})
    unanswered = EventMeetingRequest.objects.filter(event=event, status=move.source)
    return update_logged(unanswered, status=move.target)
