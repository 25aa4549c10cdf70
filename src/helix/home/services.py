"""What the home page shows each visitor, read through the permission tables.

Three blocks, each built from what the visitor may see (``helix.registry.permissions.scope``), never from a
raw filter:

- the overview, for everyone: the clusters (name, description, domains, how many members the visitor
  may see), the upcoming published events and the latest needs and offers the visitor may see;
- a person's tasks (a user with a person record): meeting requests to answer, new matches for the
  organisation's needs and offers, the events they are registered in, listings about to lapse, and the
  roadmap milestones the organisation owns that are due soon, late or still to accept;
- cluster staff's tasks (every cluster for the superuser): sign-up requests, follow-ups due,
  organisations awaited for a letter of intent, events to schedule, synergies gone quiet, listings about
  to lapse.

Which objects count as a task today is ``helix.core.attention``. Each block costs a fixed number of
queries, however many objects there are (tests/home/test_views.py counts them).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from helix.core import attention
from helix.core.matchmaking.workflows import OPEN, PUBLISHED_EVENT, REQUESTED
from helix.core.registry.ladder import EngagementLevel
from helix.core.symbiosis.synergy import AGREED, PROPOSED
from helix.events.models import Event, EventMeetingRequest, Registration, Schedule
from helix.market.models import Feedback, Listing, MeetingRequest, Status
from helix.people.signups import pending_signups
from helix.registry.models import (
    Cluster,
    ClusterName,
    Domain,
    Interaction,
    Membership,
    Organisation,
    Person,
)
from helix.registry.permissions import actor_for, scope
from helix.roadmaps.upcoming import Upcoming, upcoming_for
from helix.symbiosis.models import Synergy, SynergyEvent

CLUSTER_DOMAINS_SHOWN = 5
EVENTS_SHOWN = 5
LISTINGS_SHOWN = 5
TASKS_SHOWN = 5


def _cluster_names(path: str = "names") -> Prefetch:
    """A cluster's names, oldest first (``Cluster.current_name`` reads them), along ``path``."""
    return Prefetch(path, queryset=ClusterName.objects.order_by("valid_from"))


# -- the overview -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClusterCard:
    cluster: Cluster
    name: str
    description: str
    domains: list[str]
    more_domains: int
    member_count: int


@dataclass(frozen=True)
class Overview:
    clusters: list[ClusterCard]
    events: list[Event]
    listings: list[Listing]


def cluster_cards(user: Any) -> list[ClusterCard]:
    """Every cluster the visitor may see, with its domains and the members the visitor may see (an
    unpublished member counts only for those who may see it), by name."""
    members = scope(user, "view", Membership.objects.exclude(level=EngagementLevel.LEFT)).values("pk")
    clusters = (
        scope(user, "view", Cluster.objects.all())
        .prefetch_related(
            _cluster_names(),
            Prefetch("domains", queryset=scope(user, "view", Domain.objects.order_by("kind", "name"))),
        )
        .annotate(member_count=Count("memberships", filter=Q(memberships__in=members), distinct=True))
    )
    cards = []
    for cluster in clusters:
        domains = [d.name for d in cluster.domains.all()]
        cards.append(
            ClusterCard(
                cluster=cluster,
                name=cluster.current_name,
                description=cluster.description,
                domains=domains[:CLUSTER_DOMAINS_SHOWN],
                more_domains=max(0, len(domains) - CLUSTER_DOMAINS_SHOWN),
                member_count=cluster.member_count,
            )
        )
    return sorted(cards, key=lambda card: card.name.casefold())


def _with_span(events: QuerySet[Event]) -> QuerySet[Event]:
    """First and last slot in the same query, for each event's date (``Event.span``)."""
    return events.annotate(first_start=Min("slots__start"), last_end=Max("slots__end"))


def upcoming_events(user: Any, now: dt.datetime, limit: int = EVENTS_SHOWN) -> list[Event]:
    """Published events the visitor may find, not over yet, soonest first (those without slots last)."""
    events = _with_span(
        scope(user, "list", Event.objects.filter(status__in=sorted(PUBLISHED_EVENT)))
        .select_related("cluster")
        .prefetch_related(_cluster_names("cluster__names"))
    )
    events = events.filter(Q(last_end__gte=now) | Q(last_end__isnull=True))
    return list(events.order_by(F("first_start").asc(nulls_last=True), "pk")[:limit])


def latest_listings(user: Any, limit: int = LISTINGS_SHOWN) -> list[Listing]:
    """The newest open needs and offers the visitor may see; ``organisation_visible`` says whether the
    owner's profile may be linked."""
    listings = list(
        scope(user, "view", Listing.objects.active())
        .select_related("organisation")
        .order_by(F("published_on").desc(nulls_last=True), "-pk")[:limit]
    )
    owners = {listing.organisation_id for listing in listings}
    visible = set(
        scope(user, "view", Organisation.objects.filter(pk__in=owners)).values_list("pk", flat=True)
    )
    for listing in listings:
        listing.organisation_visible = listing.organisation_id in visible  # type: ignore[attr-defined]
    return listings


def overview(user: Any, now: dt.datetime) -> Overview:
    return Overview(cluster_cards(user), upcoming_events(user, now), latest_listings(user))


# -- a person's tasks -------------------------------------------------------------------------------------


@dataclass
class MemberTasks:
    person: Person
    organisation: Organisation
    requests: list[EventMeetingRequest] = field(default_factory=list)
    request_count: int = 0
    market_request_count: int = 0
    new_matches: int = 0
    registrations: list[Registration] = field(default_factory=list)
    expiring: list[Listing] = field(default_factory=list)
    milestones: list[Upcoming] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.milestones
            or self.request_count
            or self.market_request_count
            or self.new_matches
            or self.registrations
            or self.expiring
        )


def event_requests_to_answer(
    user: Any, organisation_id: int, now: dt.datetime
) -> QuerySet[EventMeetingRequest]:
    """Meeting requests at events addressed to the organisation's registrations, still to answer (and
    not expired: the event's answer deadline has not passed)."""
    open_requests = EventMeetingRequest.objects.filter(
        status=REQUESTED, requested__organisation_id=organisation_id
    ).filter(Q(event__request_deadline__isnull=True) | Q(event__request_deadline__gt=now))
    return scope(user, "answer", open_requests)


def new_match_count(user: Any, organisation: Organisation, today: dt.date) -> int:
    """Suggested pairs for the organisation's open needs and offers (what its matches page shows) whose
    counterpart is new and that the user has not judged yet."""
    from helix.market import suggestions as market

    found = market.organisation_suggestions(organisation, user)
    pairs = {(s.need.pk, s.offer.pk): s.listing for item in found for s in item["suggestions"]}
    if not pairs:
        return 0
    needs, offers = {need for need, _ in pairs}, {offer for _, offer in pairs}
    judged = set(
        Feedback.objects.filter(user=user, need_id__in=needs, offer_id__in=offers).values_list(
            "need_id", "offer_id"
        )
    )
    return sum(
        attention.is_new_match(other.published_on, pair in judged, today) for pair, other in pairs.items()
    )


def registered_events(user: Any, person_id: int, now: dt.datetime) -> list[Registration]:
    """The person's registrations at published events that are not over, soonest first, each with the
    event's first and last slot (for its date)."""
    registrations = (
        scope(user, "view_agenda", Registration.objects.filter(person_id=person_id))
        .select_related("event__cluster")
        .prefetch_related(_cluster_names("event__cluster__names"))
        .annotate(first_start=Min("event__slots__start"), last_end=Max("event__slots__end"))
        .filter(Q(last_end__gte=now) | Q(last_end__isnull=True))
        .order_by(F("first_start").asc(nulls_last=True), "pk")
    )
    found = list(registrations[:TASKS_SHOWN])
    for registration in found:
        registration.event.first_start = registration.first_start  # type: ignore[attr-defined]
        registration.event.last_end = registration.last_end  # type: ignore[attr-defined]
    return found


def expiring_listings(user: Any, listings: QuerySet[Listing], today: dt.date) -> QuerySet[Listing]:
    """Published listings, among ``listings``, that ``user`` may renew and that lapse soon or lapsed."""
    soon = listings.filter(status=Status.PUBLISHED, expires_on__lte=attention.expiry_horizon(today))
    return scope(user, "transition", soon).order_by("expires_on", "pk")


def member_tasks(user: Any, now: dt.datetime) -> MemberTasks | None:
    """What waits for the user's organisation, or None if the user has no person record."""
    actor = actor_for(user)
    if actor.person is None:
        return None
    person = Person.objects.select_related("organisation").get(pk=actor.person)
    organisation = person.organisation
    today = timezone.localdate(now)
    tasks = MemberTasks(person, organisation)
    requests = event_requests_to_answer(user, organisation.pk, now).select_related(
        "event", "requester__organisation", "requester__person"
    )
    tasks.requests = list(requests.order_by("created_at", "pk")[:TASKS_SHOWN])
    tasks.request_count = len(tasks.requests) if len(tasks.requests) < TASKS_SHOWN else requests.count()
    tasks.market_request_count = scope(
        user,
        "answer",
        MeetingRequest.objects.filter(to_organisation_id=organisation.pk, status=REQUESTED),
    ).count()
    tasks.new_matches = new_match_count(user, organisation, today)
    tasks.registrations = registered_events(user, person.pk, now)
    tasks.expiring = list(
        expiring_listings(user, Listing.objects.filter(organisation_id=organisation.pk), today)[:TASKS_SHOWN]
    )
    tasks.milestones = upcoming_for(user, organisation.pk, today, TASKS_SHOWN)
    return tasks


# -- cluster staff's tasks --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClusterWork:
    cluster: Cluster
    name: str
    interested: int  # organisations that showed interest: a letter of intent is awaited
    follow_ups: int  # logged interactions whose follow-up is overdue or due within the horizon


@dataclass
class StaffTasks:
    clusters: list[ClusterWork]
    sign_ups: int
    sign_ups_url: str
    events: list[Event]
    synergies: dict[str, int]
    expiring: list[Listing]
    expiring_count: int

    @property
    def empty(self) -> bool:
        return not (
            self.sign_ups
            or any(c.interested or c.follow_ups for c in self.clusters)
            or self.events
            or any(self.synergies.values())
            or self.expiring_count
        )


def pending_sign_ups(user: Any) -> tuple[int, str]:
    """How many confirmed sign-up requests wait for ``user``'s decision (those of their clusters, and
    those routed to no cluster: ``helix.people``'s permission table), and where they are decided."""
    try:
        url = reverse("people:signups")
    except NoReverseMatch:  # the people pages are not mounted: the count still shows
        url = ""
    return pending_signups(user).count(), url


def _follow_ups_by_cluster(user: Any, cluster_ids: set[int], today: dt.date) -> Counter[int]:
    """Due follow-ups the user may read, per managed cluster: a note filed under a cluster counts there, a
    note filed under none counts in each managed cluster its organisation is in (as on the pipeline)."""
    due = list(
        scope(
            user,
            "view",
            Interaction.objects.filter(
                follow_up_done=False,
                follow_up_on__lte=today + dt.timedelta(days=attention.FOLLOW_UP_DAYS),
            ),
        ).values_list("pk", "cluster_id", "organisation_id")
    )
    counts: Counter[int] = Counter(cluster for _pk, cluster, _org in due if cluster in cluster_ids)
    loose = {org for _pk, cluster, org in due if cluster is None}
    if loose:
        clusters_of: dict[int, set[int]] = {}
        for org, cluster in Membership.objects.filter(
            organisation_id__in=loose, cluster_id__in=cluster_ids
        ).values_list("organisation_id", "cluster_id"):
            clusters_of.setdefault(org, set()).add(cluster)
        for _pk, cluster, org in due:
            if cluster is None:
                counts.update(clusters_of.get(org, set()))
    return counts


def cluster_work(user: Any, today: dt.date) -> list[ClusterWork]:
    """Each cluster the user manages (every cluster for the superuser), with its pipeline's tasks."""
    clusters = list(
        scope(user, "manage", Cluster.objects.all())
        .prefetch_related(_cluster_names())
        .annotate(interested=Count("memberships", filter=Q(memberships__level=EngagementLevel.INTERESTED)))
    )
    follow_ups = _follow_ups_by_cluster(user, {c.pk for c in clusters}, today)
    work = [ClusterWork(c, c.current_name, c.interested, follow_ups[c.pk]) for c in clusters]
    return sorted(work, key=lambda w: w.name.casefold())


def events_to_schedule(user: Any) -> list[Event]:
    """Events the user may schedule that are open for registration, have meeting requests and no
    published schedule (``helix.core.attention.needs_schedule``), oldest first; ``request_count`` on
    each."""
    events = (
        scope(user, "schedule", Event.objects.filter(status=OPEN))
        .annotate(
            request_count=Count(
                "requests",
                filter=Q(requests__status__in=sorted(attention.SCHEDULED_REQUEST_STATES)),
                distinct=True,
            ),
            published=Exists(Schedule.objects.filter(event=OuterRef("pk"), published=True)),
        )
        .select_related("cluster")
        .prefetch_related(_cluster_names("cluster__names"))
        .order_by("created_at", "pk")
    )
    return [e for e in events if attention.needs_schedule(e.status, e.request_count, e.published)]


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def quiet_synergies(user: Any, today: dt.date) -> dict[str, int]:
    """Synergies the user may move that sit too long as proposed or agreed (no move since the state's
    cutoff), per state."""
    counts: dict[str, Any] = {}
    for state in (PROPOSED, AGREED):
        cutoff = attention.quiet_since(state, today)
        assert cutoff is not None
        since = _start_of(cutoff)
        moved = SynergyEvent.objects.filter(synergy=OuterRef("pk"), at__gte=since)
        counts[state] = Count("pk", filter=Q(state=state, proposed_at__lt=since) & ~Exists(moved))
    synergies = scope(user, "transition", Synergy.objects.filter(state__in=(PROPOSED, AGREED)))
    return {state: int(number) for state, number in synergies.aggregate(**counts).items()}


def staff_tasks(user: Any, now: dt.datetime) -> StaffTasks | None:
    """What waits for cluster staff in their clusters (all clusters for the superuser), or None."""
    actor = actor_for(user)
    if not (actor.staff_of or actor.is_superuser):
        return None
    today = timezone.localdate(now)
    sign_ups = pending_sign_ups(user)
    expiring = expiring_listings(user, Listing.objects.all(), today).select_related("organisation")
    shown = list(expiring[:TASKS_SHOWN])
    return StaffTasks(
        clusters=cluster_work(user, today),
        sign_ups=sign_ups[0],
        sign_ups_url=sign_ups[1],
        events=events_to_schedule(user),
        synergies=quiet_synergies(user, today),
        expiring=shown,
        expiring_count=len(shown) if len(shown) < TASKS_SHOWN else expiring.count(),
    )
