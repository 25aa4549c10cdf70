"""Event services for bringing people in and showing who comes.

- **Who comes**: the registrations a viewer may see (``events.registration: view``), whose people they
  may name, and what each organisation offers and seeks (its own lines for the event, and its active
  needs and offers the viewer may see: the market's rules).
- **Sign-ups**: a visitor with no person record in Helix asks to take part; the organisers confirm it
  (the person and organisation are found or created, then registered) or decline it
  (``SIGNUP_WORKFLOW``).
- **Staff register participants** one by one: a person of the registry, or a new person of an
  organisation they may edit.
- **Profiles**: what a participant says it offers and seeks at the event, and its online meeting link.

Views call these with the acting user; who may do what is asked of ``helix.events.permissions``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from helix.core.matchmaking import workflows as flow
from helix.events.models import (
    Event,
    EventMeetingRequest,
    EventSignup,
    Registration,
    RequestStatus,
    Role,
    SignupStatus,
)
from helix.events.services import permitted_move, register
from helix.registry.models import Organisation, OrganisationKind, Person
from helix.registry.permissions import can, can_create, scope

OPEN_REQUEST = (RequestStatus.REQUESTED, RequestStatus.ACCEPTED)


# -- who comes ---------------------------------------------------------------------------------------------


@dataclass
class Attendee:
    """A registration as a viewer sees it: the person named only where they may read the name."""

    registration: Registration
    show_person: bool
    offers: list[Any] = field(default_factory=list)  # active offers of the organisation the viewer sees
    needs: list[Any] = field(default_factory=list)
    request: EventMeetingRequest | None = None  # an open or accepted request between it and the viewer


def own_registrations(user: Any, event: Event) -> list[Registration]:
    """The registrations of ``event`` the user acts for as a participant (their own, their
    organisation's); none for its organisers, who act for every participant from their own tables."""
    if not getattr(user, "is_authenticated", False) or can(user, "manage_requests", event):
        return []
    found = event.registrations.select_related("event", "person", "organisation").prefetch_related(
        "unavailable"
    )
    return list(scope(user, "act_for", found))


def visible_registrations(user: Any, event: Event) -> Any:
    """The registrations of ``event`` the user may see: all for the organisers, every one for a signed-in
    user of a published event, those of published organisations for a visitor."""
    return scope(
        user, "view", event.registrations.select_related("event", "person", "organisation")
    ).order_by("organisation__name", "person__last_name", "pk")


def named_people(user: Any, event: Event, registrations: list[Registration]) -> set[int]:
    """Ids of the people among ``registrations`` whose names the user may read: all of them for the
    organisers and the event's own participants (they meet each other); otherwise those the registry's
    rule for people lets them see (the person agreed to appear publicly, or is of their organisation)."""
    ids = {r.person_id for r in registrations}
    if can(user, "register_others", event) or own_registrations(user, event):
        return ids
    return set(scope(user, "view", Person.objects.filter(pk__in=ids)).values_list("pk", flat=True))


def listings_by_organisation(user: Any, organisation_ids: set[int]) -> dict[int, dict[str, list[Any]]]:
    """The active needs and offers of these organisations that the user may see, by organisation and
    side, newest first (one query)."""
    from helix.market.models import Listing

    found: dict[int, dict[str, list[Any]]] = defaultdict(lambda: {"need": [], "offer": []})
    listings = scope(user, "view", Listing.objects.active().filter(organisation_id__in=organisation_ids))
    for listing in listings.order_by("-published_on", "-pk"):
        found[listing.organisation_id][listing.side].append(listing)
    return found


def open_requests_with(user: Any, mine: list[Registration]) -> dict[int, EventMeetingRequest]:
    """For each other participant, the open or accepted request between it and one of ``mine``."""
    if not mine:
        return {}
    ids = [r.pk for r in mine]
    found: dict[int, EventMeetingRequest] = {}
    requests = EventMeetingRequest.objects.filter(status__in=OPEN_REQUEST).filter(
        Q(requester_id__in=ids) | Q(requested_id__in=ids)
    )
    for req in requests.order_by("created_at", "pk"):
        other = req.requested_id if req.requester_id in ids else req.requester_id
        found[other] = req
    return found


def who_comes(user: Any, event: Event) -> list[Attendee]:
    """The registrations the user may see, each with what its organisation offers and seeks and the
    viewer's open request with it."""
    registrations = list(visible_registrations(user, event))
    named = named_people(user, event, registrations)
    listings = listings_by_organisation(user, {r.organisation_id for r in registrations})
    requests = open_requests_with(user, own_registrations(user, event))
    return [
        Attendee(
            registration=r,
            show_person=r.person_id in named,
            offers=listings[r.organisation_id]["offer"] if r.organisation_id in listings else [],
            needs=listings[r.organisation_id]["need"] if r.organisation_id in listings else [],
            request=requests.get(r.pk),
        )
        for r in registrations
    ]


def attendee(user: Any, registration: Registration) -> Attendee:
    """One registration as ``user`` sees it (its page): the caller has checked ``view``."""
    event = registration.event
    listings = listings_by_organisation(user, {registration.organisation_id})
    requests = open_requests_with(user, own_registrations(user, event))
    sides = listings.get(registration.organisation_id, {"need": [], "offer": []})
    return Attendee(
        registration=registration,
        show_person=registration.person_id in named_people(user, event, [registration]),
        offers=sides["offer"],
        needs=sides["need"],
        request=requests.get(registration.pk),
    )


def requests_with(user: Any, registration: Registration) -> list[EventMeetingRequest]:
    """The meeting requests between ``registration`` and the user's own registrations at its event (all
    of its requests for the organisers)."""
    event = registration.event
    both = Q(requester=registration) | Q(requested=registration)
    requests = EventMeetingRequest.objects.filter(both).select_related(
        "requester__organisation", "requester__person", "requested__organisation", "requested__person"
    )
    if not can(user, "manage_requests", event):
        ids = [r.pk for r in own_registrations(user, event) if r.pk != registration.pk]
        requests = requests.filter(Q(requester_id__in=ids) | Q(requested_id__in=ids))
    return list(requests.order_by("-created_at", "-pk"))


def update_profile(
    user: Any,
    registration: Registration,
    *,
    offers: str,
    seeks: str,
    online: bool,
    online_link: str,
) -> Registration:
    """The participant (or the organiser) says what it offers and seeks at the event, and whether and
    where it meets online."""
    if not can(user, "act_for", registration):
        raise PermissionDenied("not your registration")
    online_link = online_link.strip()
    if online_link:
        try:
            URLValidator(schemes=["https"])(online_link)
        except ValidationError:
            raise ValidationError(
                {"online_link": _("The online meeting link must be a web address starting with https://.")}
            ) from None
    registration.offers = offers.strip()
    registration.seeks = seeks.strip()
    registration.online = online
    registration.online_link = online_link
    registration.save(update_fields=["offers", "seeks", "online", "online_link"])
    return registration


# -- a visitor signs up; the organisers confirm ------------------------------------------------------------


def _text(value: str, field_name: str, label: str, *, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field_name: _("%(field)s: this field is required.") % {"field": label}})
    if len(value) > limit:
        message = _("%(field)s: at most %(n)d characters.") % {"field": label, "n": limit}
        raise ValidationError({field_name: message})
    return value


def _email(value: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if not value and not required:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError({"email": _("E-mail: enter a valid e-mail address.")}) from None
    return value


def sign_up(
    user: Any,
    event: Event,
    *,
    first_name: str,
    last_name: str,
    email: str,
    organisation_name: str,
    message: str = "",
) -> EventSignup:
    """A visitor asks to take part while registration is open. Someone with a person record registers
    directly instead; the same e-mail waits only once per event."""
    if not can(user, "sign_up", event):
        raise PermissionDenied("registration for this event is not open")
    signed_in = getattr(user, "is_authenticated", False)
    if signed_in and Person.objects.filter(user_id=user.pk).exists():
        raise ValidationError({"email": _("You have an account with an organisation: register directly.")})
    values = {
        "first_name": _text(first_name, "first_name", _("First name"), limit=100),
        "last_name": _text(last_name, "last_name", _("Last name"), limit=100),
        "email": _email(email),
        "organisation_name": _text(organisation_name, "organisation_name", _("Organisation"), limit=200),
        "message": (message or "").strip()[:2000],
    }
    if event.signups.filter(status=SignupStatus.PENDING, email__iexact=values["email"]).exists():
        raise ValidationError(
            {"email": _("A sign-up with this e-mail is already waiting for the organisers.")}
        )
    if event.registrations.filter(person__email__iexact=values["email"]).exists():
        raise ValidationError({"email": _("Someone with this e-mail is already registered.")})
    return EventSignup.objects.create(event=event, user=user if signed_in else None, **values)


def pending_signups(user: Any, event: Event) -> list[EventSignup]:
    return list(
        scope(user, "view", event.signups.filter(status=SignupStatus.PENDING).select_related("event"))
    )


def _name_words(name: str) -> set[str]:
    """The words of an organisation's name that tell it apart (legal forms and short words left out)."""
    return {w for w in re.findall(r"\w+", name.lower()) if len(w) > 3}


def organisation_suggestions(
    user: Any, names: Iterable[str], *, limit: int = 8
) -> dict[str, list[Organisation]]:
    """For each name (a sign-up's organisation), the organisations the user may add people to whose name
    is like it: the same name first, then those sharing the most words of it. One query for all names."""
    wanted = {name: name.strip().lower() for name in names if name.strip()}
    if not wanted:
        return {}
    words = {name: _name_words(lower) for name, lower in wanted.items()}
    asked = {name: sorted(words[name])[:6] for name in wanted}  # the words a name is looked up by
    query = Q(pk__in=[])
    for name in wanted:
        query |= Q(name__iexact=name.strip())
        for word in asked[name]:
            query |= Q(name__icontains=word)
    candidates = list(
        scope(user, "edit", Organisation.objects.filter(query))
        .only("pk", "name")
        .order_by("name")[: 50 * len(wanted)]
    )
    found: dict[str, list[Organisation]] = {}
    for name, lower in wanted.items():
        like = [
            o for o in candidates if o.name.lower() == lower or any(w in o.name.lower() for w in asked[name])
        ]

        def score(organisation: Organisation, lower: str = lower, own: set[str] = words[name]) -> Any:
            shared = own & set(re.findall(r"\w+", organisation.name.lower()))
            return (organisation.name.lower() != lower, -len(shared), organisation.name)

        found[name] = sorted(like[:50], key=score)[:limit]
    return found


def find_person(organisation: Organisation, *, first_name: str, last_name: str, email: str) -> Person | None:
    """The person of ``organisation`` with this e-mail (any case), or with no e-mail given, this first and
    last name; None when there is none."""
    if email:
        return organisation.people.filter(email__iexact=email).first()
    if first_name and last_name:
        return organisation.people.filter(first_name__iexact=first_name, last_name__iexact=last_name).first()
    return None


def person_in(
    user: Any, organisation: Organisation, *, first_name: str, last_name: str, email: str
) -> tuple[Person, bool]:
    """The person of ``organisation`` with this e-mail (or, with no e-mail, this name), or a new one if
    the user may add people to the organisation. Returns (person, created)."""
    found = find_person(organisation, first_name=first_name, last_name=last_name, email=email)
    if found is not None:
        return found, False
    if not can(user, "edit", organisation):
        raise ValidationError(
            {
                "organisation": _(
                    "You may not add people to %(organisation)s: only its cluster's staff and its own "
                    "people may. The person can sign up on the public event page instead."
                )
                % {"organisation": organisation.name}
            }
        )
    person = Person.objects.create(
        organisation=organisation, first_name=first_name, last_name=last_name, email=email
    )
    return person, True


def _new_organisation(user: Any, name: str) -> Organisation:
    from helix.registry.services import refresh_search_text, unique_slug

    if not can_create(user, Organisation):
        raise PermissionDenied("only cluster staff add organisations")
    organisation = Organisation.objects.create(
        name=name, slug=unique_slug(name), kind=OrganisationKind.COMPANY, is_published=False
    )
    refresh_search_text(organisation)
    return organisation


@transaction.atomic
def decide_signup(
    user: Any, signup: EventSignup, *, confirm: bool, organisation: Organisation | None = None
) -> EventSignup:
    """Confirm (register the visitor: their person of ``organisation`` found by e-mail or created, the
    organisation created unpublished from the name they gave when ``organisation`` is None) or decline.
    A visitor who signed up with an account and gets a new person record is linked to it (they then act
    for their registration)."""
    locked = EventSignup.objects.select_for_update(of=("self",)).select_related("event").get(pk=signup.pk)
    if not can(user, "decide", locked):
        raise PermissionDenied("only the event's organisers decide on sign-ups")
    target = flow.CONFIRMED if confirm else flow.DECLINED
    roles = {flow.ORGANISER} if can(user, "register_others", locked.event) else set()
    permitted_move(flow.SIGNUP_WORKFLOW, locked.status, target, roles)
    if confirm:
        if organisation is None:
            organisation = _new_organisation(user, locked.organisation_name)
        person, created = person_in(
            user,
            organisation,
            first_name=locked.first_name,
            last_name=locked.last_name,
            email=locked.email,
        )
        if (
            created
            and locked.user_id is not None
            and not Person.objects.filter(user_id=locked.user_id).exists()
        ):
            person.user_id = locked.user_id
            person.save(update_fields=["user"])
        existing = locked.event.registrations.filter(person=person).first()
        locked.registration = existing or register(user, locked.event, person=person)
    locked.status = target
    locked.decided_at = timezone.now()
    locked.decided_by = user if getattr(user, "pk", None) else None
    locked.save(update_fields=["status", "registration", "decided_at", "decided_by"])
    signup.status, signup.registration = locked.status, locked.registration
    return locked


# -- staff register participants ---------------------------------------------------------------------------


def organisation_choices(user: Any) -> Any:
    """Organisations whose people the user may register: those they may see (registering an existing
    person), ordered by name."""
    return scope(user, "view", Organisation.objects.all()).order_by("name")


def person_choices(user: Any, organisation: Organisation | None) -> Any:
    if organisation is None:
        return Person.objects.none()
    return scope(user, "view", organisation.people.all()).order_by("last_name", "first_name")


def register_participant(
    user: Any,
    event: Event,
    *,
    organisation: Organisation,
    person: Person | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    role: str = Role.PARTICIPANT,
    online: bool = False,
    online_link: str = "",
) -> Registration:
    """The organiser registers a person of the registry, or a new person (name and e-mail) of an
    organisation they may add people to (an existing person of it with that e-mail is taken instead)."""
    if not can(user, "register_others", event):
        raise PermissionDenied("only the organiser registers others")
    if not can(user, "view", organisation):
        raise ValidationError({"organisation": _("Choose an organisation from the list.")})
    with transaction.atomic():
        if person is None:
            person, _created = person_in(
                user,
                organisation,
                first_name=_text(first_name, "first_name", _("First name"), limit=100),
                last_name=_text(last_name, "last_name", _("Last name"), limit=100),
                email=_email(email),
            )
        elif person.organisation_id != organisation.pk or not can(user, "view", person):
            raise ValidationError({"person": _("Choose a person of the organisation chosen.")})
        return register(user, event, person=person, role=role, online=online, online_link=online_link)
