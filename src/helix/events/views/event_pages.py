"""The event list, creating an event, an event's page (what, when and where, its programme, who comes,
a participant's requests, the organiser's tables), registering in one click and the event's status. Thin:
every change goes through services; who may see what is asked of helix.events.permissions (can/scope),
so the pages answer as the API does: an event the caller may not see is 404, a published one is
public."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from helix.events import attendance, meeting_requests, registrations, schedules, services
from helix.events.models import (
    Event,
    EventMeetingRequest,
    Registration,
    Schedule,
)
from helix.events.views.shared import (
    act_on_event,
    meetings_in_order,
    set_after_choices,
    visible_event,
)
from helix.pagecache import cache_anonymous
from helix.registry.models import Person
from helix.registry.permissions import can, can_create, scope

# The event workflow's move labels (helix.core.matchmaking.workflows), so that makemessages finds them.
TRANSITION_LABELS = (
    gettext_noop("Open for registration"),
    gettext_noop("Close registration"),
    gettext_noop("Reopen registration"),
)


@cache_anonymous
def event_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "events/event_list.html",
        {
            # First and last slot in the same query, for each event's date (Event.span); the clusters'
            # names (their name changes over time) in one more.
            "events": services.visible_events(request.user)
            .annotate(first_start=Min("slots__start"), last_end=Max("slots__end"))
            .prefetch_related("cluster__names"),
            "app": "events",
            "can_create": can_create(request.user, Event),
        },
    )


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    from helix.events.forms import EventForm
    from helix.registry.models import Cluster

    clusters = scope(request.user, "manage", Cluster.objects.all())
    if not (can_create(request.user, Event) and clusters.exists()):
        raise PermissionDenied
    form = EventForm(request.POST or None, clusters=clusters)
    if request.method == "POST" and form.is_valid():
        event = services.create_event(request.user, **form.cleaned_data)
        messages.success(request, _("Event created with its slots; participants can now register."))
        return redirect("events:detail", pk=event.pk)
    return render(request, "events/event_form.html", {"form": form, "app": "events"})


@login_required
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    return act_on_event(
        request,
        event.pk,
        lambda: services.register(request.user, event),
        done=_("You are registered."),
        denied=_("Registration for this event is not open."),
    )


@cache_anonymous
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The event's page: what, when and where, its programme, who comes and what they offer and seek,
    registering (in one click with an account of an organisation, else a sign-up the organisers
    confirm); a participant's agenda, availability and requests; the organisers' tables below."""
    from helix.events.forms import AddParticipantForm, ImportParticipantsForm, SignupForm

    event = visible_event(request, pk)
    user = request.user
    organiser = services.is_organiser(user, event)
    mine = registrations.own_registrations(user, event)
    requests = list(services.visible_requests(user, event))
    for req in requests:
        req.moves = [t.target for t in services.request_moves(user, req)]  # type: ignore[attr-defined]
    person = getattr(user, "person", None) if user.is_authenticated else None
    registered = person is not None and event.registrations.filter(person=person).exists()
    published = schedules.published_schedule(event)
    context: dict[str, object] = {
        "event": event,
        "app": "events",
        "organiser": organiser,
        "event_moves": services.event_moves(user, event),
        "programme": services.programme(event),
        "mine": mine,
        "own_ids": [r.pk for r in mine],
        "registered": registered,
        "can_register": person is not None and not registered and can(user, "register", event),
        "can_sign_up": person is None and not organiser and can(user, "sign_up", event),
        "signup_form": SignupForm(),
        "from_matches": meeting_requests.match_requests(user, event) if mine else [],
        "requests": requests,
        "slots": event.slots.all(),
        "published": published,
    }
    if organiser:
        context.update(_organiser_context(request, event, requests, published))
        context["add_form"] = AddParticipantForm(
            organisations=registrations.organisation_choices(user), people=Person.objects.none()
        )
        context["import_form"] = ImportParticipantsForm()
    else:
        context["attendees"] = registrations.who_comes(user, event)
        _meeting_links(requests, mine)
    return render(request, "events/event_detail.html", context)


def _meeting_links(requests: list[EventMeetingRequest], mine: list[Registration]) -> None:
    """Set ``online_link`` on each request: the link of the meeting where it is accepted, one of its
    sides is the participant's and the meeting is online; empty otherwise."""
    own = {r.pk: r for r in mine}
    for req in requests:
        side = own.get(req.requester_id) or own.get(req.requested_id)
        link = ""
        if side is not None and req.status == "accepted":
            other = req.other_side(side)
            link = side.meeting_link(other)
        req.online_link = link  # type: ignore[attr-defined]


def _organiser_context(
    request: HttpRequest, event: Event, requests: list[EventMeetingRequest], published: Schedule | None
) -> dict[str, object]:
    user = request.user
    set_after_choices(requests)
    schedules = list(event.schedules.select_related("job")[:10])
    for schedule in schedules:
        schedule.moves = [t.target for t in services.schedule_moves(user, schedule)]  # type: ignore[attr-defined]
    signups = registrations.pending_signups(user, event)
    suggestions = registrations.organisation_suggestions(user, {s.organisation_name for s in signups})
    for signup in signups:
        signup.suggestions = suggestions.get(signup.organisation_name, [])  # type: ignore[attr-defined]
    return {
        "registration_rows": list(registrations.visible_registrations(user, event)),
        "signups": signups,
        "schedules": schedules,
        "meetings": list(meetings_in_order(published)),
        "bulk_moves": attendance.BULK_MOVES,
    }


@login_required
@require_POST
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    target = request.POST.get("status", "")
    return act_on_event(
        request,
        event.pk,
        lambda: services.change_status(request.user, event, target),
        done=_("Event status changed."),
        denied=_("Only the organiser."),
    )
