"""The public showcase and agenda: what a cluster shows the world. Success stories, good practices and
news that are published and approved by every organisation they feature, the realised synergies such a
story tells of, the flagship projects, living labs, trajectories and working tables whose consortium made
them public, links to partner initiatives;
the agenda of published events; an Atom feed of each and the agenda as iCalendar.

Every list here is what an anonymous visitor may see (the permission tables, asked for an anonymous
caller), so the pages are the same for everyone and a signed-in member sees no more here than in public.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import Max, Min, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helix.insights.models import PartnerLink, Story, StoryKind
from helix.registry.models import Cluster, Domain
from helix.registry.permissions import can, scope

SHOWCASE_PROJECT_KINDS = ("flagship", "living_lab", "innovation_trajectory", "working_table")
SHOWCASE_PROJECT_STATUSES = ("approved", "running", "closed")
PAGE = 30


def _public_stories() -> QuerySet[Story]:
    return scope(AnonymousUser(), "view", Story.objects.select_related("cluster").prefetch_related("domains"))


def _public_events() -> QuerySet[Any]:
    from helix.events.models import Event

    return scope(AnonymousUser(), "view", Event.objects.select_related("cluster")).annotate(
        first_start=Min("slots__start"), last_end=Max("slots__end")
    )


def index(request: HttpRequest) -> HttpResponse:
    from helix.projects.explain import type_name
    from helix.projects.models import Project

    q = request.GET.get("q", "").strip()
    cluster = Cluster.objects.filter(slug=request.GET.get("cluster", "")).first()
    domain = (
        Domain.objects.filter(slug=request.GET.get("domain", "")).first()
        if request.GET.get("domain")
        else None
    )
    kind = request.GET.get("kind", "")
    stories = _public_stories()
    projects = scope(AnonymousUser(), "view", Project.objects.select_related("cluster")).filter(
        kind__in=SHOWCASE_PROJECT_KINDS, status__in=SHOWCASE_PROJECT_STATUSES
    )
    if q:
        stories = stories.filter(Q(title__icontains=q) | Q(summary__icontains=q) | Q(body__icontains=q))
        projects = projects.filter(Q(title__icontains=q) | Q(summary__icontains=q) | Q(acronym__icontains=q))
    if cluster is not None:
        stories = stories.filter(cluster=cluster)
        projects = projects.filter(cluster=cluster)
    if domain is not None:
        stories = stories.filter(domains=domain)
        projects = projects.filter(domains=domain)
    if kind in StoryKind.values:
        stories = stories.filter(kind=kind)
        projects = projects.none()
    context = {
        "stories": list(stories.order_by("-published_on", "-pk")[:PAGE]),
        "synergies": _realised_synergies(stories) if kind in ("", StoryKind.SUCCESS_STORY) else [],
        "projects": [{"project": p, "kind": type_name(p.kind)} for p in projects.order_by("title")[:PAGE]],
        "partners": _distinct(
            PartnerLink.objects.filter(cluster=cluster)
            if cluster
            else PartnerLink.objects.order_by("name", "pk")
        ),
        "clusters": Cluster.objects.prefetch_related("names").order_by("slug"),
        "domains": Domain.objects.filter(cluster=cluster).order_by("name") if cluster else [],
        "kinds": StoryKind.choices,
        "chosen": {
            "q": q,
            "cluster": cluster.slug if cluster else "",
            "domain": domain.slug if domain else "",
            "kind": kind,
        },
        "app": "showcase",
    }
    return render(request, "insights/showcase.html", context)


def _realised_synergies(stories: QuerySet[Story]) -> list[dict[str, Any]]:
    """Realised synergies as the showcase shows them: only through a public story about one, so both
    organisations approved showing it (they are the story's featured organisations), with what was
    exchanged per year and the CO2e avoided that its reports state. Neither flow's own record is shown:
    its confidentiality is the flow's owner's."""
    from django.db.models import Sum

    from helix.core.symbiosis.synergy import REALISED

    rows = (
        stories.filter(synergy__state=REALISED)
        .select_related("synergy")
        .annotate(co2e=Sum("synergy__reports__co2e_avoided_t"))
        .order_by("-published_on", "-pk")[:PAGE]
    )
    return [
        {
            "story": story,
            "quantity": story.synergy.quantity,
            "unit": story.synergy.unit,
            "co2e": story.co2e or 0,
        }
        for story in rows
        if story.synergy is not None
    ]


def _distinct(links: Any) -> list[PartnerLink]:
    """One link per address: clusters often point to the same initiative."""
    seen: set[str] = set()
    out = []
    for link in links:
        if link.url not in seen:
            seen.add(link.url)
            out.append(link)
    return out


def story(request: HttpRequest, pk: int) -> HttpResponse:
    """A story as the showcase shows it: to anyone once it is public; to its staff and the people of the
    organisations it features before that (a preview of the public page)."""
    found = (
        Story.objects.select_related("cluster")
        .prefetch_related("featured__organisation", "domains")
        .filter(pk=pk)
        .first()
    )
    if found is None or not can(request.user, "view", found):
        raise Http404
    return render(request, "insights/showcase_story.html", {"story": found, "app": "showcase"})


class StoryFeed(Feed):  # type: ignore[type-arg]
    """The showcase's stories and news, newest first, as Atom."""

    feed_type = Atom1Feed
    title = gettext_lazy("Helix showcase: stories and news")
    subtitle = gettext_lazy("Success stories, good practices and news of the clusters.")

    def link(self) -> str:
        return reverse("showcase:index")

    def items(self) -> list[Story]:
        return list(_public_stories().order_by("-published_on", "-pk")[:PAGE])

    def item_title(self, item: Story) -> str:
        return item.title

    def item_description(self, item: Story) -> str:
        return item.summary

    def item_link(self, item: Story) -> str:
        return reverse("showcase:story", args=[item.pk])

    def item_pubdate(self, item: Story) -> dt.datetime | None:
        if item.published_on is None:
            return None
        return dt.datetime.combine(item.published_on, dt.time(9), tzinfo=dt.UTC)

    def item_categories(self, item: Story) -> list[str]:
        return [str(item.get_kind_display()), str(item.cluster)]


def _upcoming() -> list[Any]:
    today = timezone.now() - dt.timedelta(days=1)
    return list(_public_events().filter(first_start__gte=today).order_by("first_start", "pk")[:100])


def agenda(request: HttpRequest) -> HttpResponse:
    return render(request, "insights/agenda.html", {"events": _upcoming(), "app": "showcase"})


class AgendaFeed(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed
    title = gettext_lazy("Helix agenda: events and workshops")
    subtitle = gettext_lazy("The coming events of the clusters.")

    def link(self) -> str:
        return reverse("showcase:agenda")

    def items(self) -> list[Any]:
        return _upcoming()

    def item_title(self, item: Any) -> str:
        return f"{item.title} ({item.first_start.date().isoformat()})"

    def item_description(self, item: Any) -> str:
        return item.description or item.venue

    def item_link(self, item: Any) -> str:
        return reverse("events:detail", args=[item.pk])

    def item_pubdate(self, item: Any) -> dt.datetime:
        return item.created_at  # type: ignore[no-any-return]


def agenda_ics(request: HttpRequest) -> HttpResponse:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Helix//agenda//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Helix agenda"))
    host = request.get_host()
    for item in _upcoming():
        event = Event()
        event.add("uid", f"event-{item.pk}@{host}")
        event.add("summary", item.title)
        event.add("dtstart", item.first_start)
        event.add("dtend", item.last_end)
        event.add("dtstamp", item.created_at)
        if item.venue:
            event.add("location", item.venue)
        event.add("url", request.build_absolute_uri(reverse("events:detail", args=[item.pk])))
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="helix-agenda.ics"'
    return response
