"""Bringing people in and a participant's page: a visitor's sign-up and the organiser's decision,
the organiser registering one person or a file of them, and a participant's page and profile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helix.actions import act
from helix.events import registrations
from helix.events.models import (
    Event,
    Registration,
)
from helix.events.views.shared import (
    act_on_event,
    registration_for,
    visible_event,
)
from helix.params import object_id
from helix.registry.permissions import can, scope

SIGNUPS_PER_HOUR = 10  # sign-ups one address may send in an hour, over every event


@require_POST
def signup(request: HttpRequest, pk: int) -> HttpResponse:
    """A visitor asks to take part (name, e-mail, organisation); the organisers confirm."""
    from helix.events.forms import SignupForm
    from helix.ratelimit import client_ip, over_limit

    event = visible_event(request, pk)
    if not can(request.user, "sign_up", event):
        messages.error(request, _("Registration for this event is not open."))
        return redirect("events:detail", pk=event.pk)
    form = SignupForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect(f"{reverse('events:detail', args=[event.pk])}#register")
    if over_limit("event-signup", client_ip(request), limit=SIGNUPS_PER_HOUR, window_seconds=3600):
        messages.error(request, _("Too many sign-ups from your address; try again in an hour."))
        return redirect("events:detail", pk=event.pk)
    return act(
        request,
        lambda: registrations.sign_up(request.user, event, **form.cleaned_data),
        redirect(f"{reverse('events:detail', args=[event.pk])}#register"),
        done=_("Thank you: the organisers will confirm your registration."),
        denied=_("Registration for this event is not open."),
    )


@login_required
@require_POST
def decide_signup(request: HttpRequest, pk: int) -> HttpResponse:
    """The organiser confirms a sign-up (into a chosen organisation, or a new one) or declines it."""
    from helix.events.models import EventSignup

    signups = EventSignup.objects.select_related("event")
    signup = get_object_or_404(scope(request.user, "view", signups), pk=pk)
    decision = request.POST.get("decision", "")
    choice = request.POST.get("organisation", "new")
    organisation = None
    if choice != "new":
        organisation = registrations.organisation_choices(request.user).filter(pk=object_id(choice)).first()

    def decide() -> object:
        if decision not in ("confirm", "decline"):
            raise ValidationError({"decision": _("Confirm or decline the sign-up.")})
        if choice != "new" and organisation is None:
            raise ValidationError({"organisation": _("Choose an organisation from the list.")})
        return registrations.decide_signup(
            request.user, signup, confirm=decision == "confirm", organisation=organisation
        )

    done = (
        _("%(name)s is registered.") if decision == "confirm" else _("The sign-up of %(name)s is declined.")
    ) % {"name": signup.full_name}
    return act_on_event(request, signup.event_id, decide, done=done, denied=_("Only the organiser."))


def _add_participant_form(request: HttpRequest, event: Event, data: object = None) -> object:
    from helix.events.forms import AddParticipantForm

    organisations = registrations.organisation_choices(request.user)
    chosen = request.POST.get("organisation") if request.method == "POST" else request.GET.get("organisation")
    organisation = organisations.filter(pk=object_id(chosen)).first() if chosen else None
    form = AddParticipantForm(
        data,
        organisations=organisations,
        people=registrations.person_choices(request.user, organisation),
        initial={"organisation": organisation},
    )
    return form


@login_required
def add_participant(request: HttpRequest, pk: int) -> HttpResponse:
    """The organiser registers one person: an organisation, then one of its people or a new one. Choosing
    the organisation fills the people (htmx; without JavaScript, the page comes back with them)."""
    event = visible_event(request, pk)
    if not can(request.user, "register_others", event):
        raise PermissionDenied
    form = _add_participant_form(request, event, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():  # type: ignore[attr-defined]
        data = form.cleaned_data  # type: ignore[attr-defined]
        try:
            registration = registrations.register_participant(
                request.user,
                event,
                organisation=data["organisation"],
                person=data["person"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=data["role"],
                online=data["online"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)  # type: ignore[attr-defined]
        else:
            messages.success(
                request,
                _("%(person)s (%(organisation)s) is registered.")
                % {"person": registration.person, "organisation": registration.organisation.name},
            )
            return redirect(f"{reverse('events:detail', args=[event.pk])}#participants")
    return render(request, "events/add_participant.html", {"event": event, "add_form": form, "app": "events"})


@login_required
def import_participants(request: HttpRequest, pk: int) -> HttpResponse:
    """The organiser registers the people of a CSV or XLSX file: all rows or none, the errors naming the
    row and the column."""
    import tempfile
    from pathlib import Path

    from django.utils.text import get_valid_filename

    from helix.events.forms import ImportParticipantsForm
    from helix.events.transfer import ImportRefused
    from helix.events.transfer import import_participants as run_import

    event = visible_event(request, pk)
    if not can(request.user, "register_others", event):
        raise PermissionDenied
    form = ImportParticipantsForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory(prefix="participants-") as folder:
            target = Path(folder) / (get_valid_filename(Path(upload.name).name) or "participants.csv")
            with target.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            try:
                result = run_import(request.user, event, target)
            except ImportRefused as exc:
                errors = exc.errors
            else:
                messages.success(
                    request,
                    _(
                        "%(file)s: %(registered)d registered (%(new)d new people), %(already)d already "
                        "registered."
                    )
                    % {
                        "file": target.name,
                        "registered": result.registered,
                        "new": result.new_people,
                        "already": result.already,
                    },
                )
                return redirect(f"{reverse('events:detail', args=[event.pk])}#participants")
    return render(
        request,
        "events/import_participants.html",
        {"event": event, "import_form": form, "errors": errors, "app": "events"},
    )


def participant(request: HttpRequest, pk: int) -> HttpResponse:
    """A participant as the viewer may see it: its organisation, what it offers and seeks at the event
    and in needs and offers, the meeting requests between it and the viewer."""
    from helix.events.forms import ProfileForm

    found = Registration.objects.select_related("event__cluster", "person", "organisation")
    registration = get_object_or_404(scope(request.user, "view", found), pk=pk)
    event = registration.event
    user = request.user
    mine = registrations.own_registrations(user, event)
    can_edit = can(user, "act_for", registration)
    context = {
        "event": event,
        "attendee": registrations.attendee(user, registration),
        "registration": registration,
        "requests": registrations.requests_with(user, registration) if user.is_authenticated else [],
        "mine": [r for r in mine if r.organisation_id != registration.organisation_id],
        "can_view_organisation": can(user, "view", registration.organisation),
        "can_edit": can_edit,
        "profile_form": ProfileForm(
            initial={
                "offers": registration.offers,
                "seeks": registration.seeks,
                "online": registration.online,
                "online_link": registration.online_link,
            }
        )
        if can_edit
        else None,
        "app": "events",
    }
    return render(request, "events/participant.html", context)


@login_required
@require_POST
def participant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    from helix.events.forms import ProfileForm

    registration = registration_for(request, pk, "act_for")
    form = ProfileForm(request.POST)
    back = redirect("events:participant", pk=registration.pk)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label}: {error}")
        return back
    return act(
        request,
        lambda: registrations.update_profile(request.user, registration, **form.cleaned_data),
        back,
        done=_("Your profile for this event is saved."),
    )
