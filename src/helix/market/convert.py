"""ORM rows of the market as the plain dataclasses of helix.core.matching, in one place.

The match engine, the services and the notices hand the core a :class:`~helix.core.matching.fit.Listing`
(:func:`core_listing`), a :class:`~helix.core.matching.fit.Viewer` (:func:`viewer_for`), the ranker's
:class:`~helix.core.matching.weights.Weights` (:func:`core_weights`) and feedback as
:class:`~helix.core.matching.weights.Sample` (:func:`feedback_sample`); :func:`with_match_relations`
loads everything :func:`core_listing` reads in a fixed number of queries.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from helix.core.matching import fit
from helix.core.matching.weights import Sample, Weights
from helix.market.models import Feedback, Listing, RankerWeights
from helix.registry.models import Membership, Site
from helix.registry.permissions import AUDIENCE_LEVELS, actor_for


def with_match_relations(qs: QuerySet[Listing]) -> QuerySet[Listing]:
    """``qs`` with every relation :func:`core_listing` and the stored vectors read, prefetched."""
    return qs.select_related("organisation", "site", "vector").prefetch_related(
        "domains",
        "sectors",
        "keywords",
        "organisation__sectors",
        Prefetch(
            "organisation__sites", queryset=Site.objects.only("organisation_id", "latitude", "longitude")
        ),
        Prefetch(
            "organisation__memberships",
            queryset=Membership.objects.only("organisation_id", "cluster_id", "level"),
        ),
    )


def core_listing(listing: Listing) -> fit.Listing:
    """The matcher's plain-data view of a listing (uses prefetched relations when present)."""
    organisation = listing.organisation
    if listing.site is not None and listing.site.latitude is not None and listing.site.longitude is not None:
        locations: tuple[tuple[float, float], ...] = ((listing.site.latitude, listing.site.longitude),)
    else:
        locations = tuple(
            (site.latitude, site.longitude)
            for site in organisation.sites.all()
            if site.latitude is not None and site.longitude is not None
        )
    domains = list(listing.domains.all())
    return fit.Listing(
        key=listing.pk,
        side=listing.side,  # type: ignore[arg-type]
        owner=organisation.pk,
        owner_kind=organisation.kind,
        category=listing.category,
        title=listing.title,
        description=listing.description,
        language=listing.language or "en",
        domains=frozenset(d.pk for d in domains),
        sectors=frozenset(s.code for s in listing.sectors.all()),
        owner_sectors=frozenset(s.code for s in organisation.sectors.all()),
        keywords=frozenset(k.name.lower() for k in listing.keywords.all()),
        trl=listing.trl,
        locations=locations,
        budget_min=float(listing.budget_min) if listing.budget_min is not None else None,
        budget_max=float(listing.budget_max) if listing.budget_max is not None else None,
        visibility=listing.visibility,  # type: ignore[arg-type]
        clusters=frozenset(
            m.cluster_id for m in organisation.memberships.all() if m.level in AUDIENCE_LEVELS
        ),
        owner_name=organisation.name,
        domain_names={d.pk: d.name for d in domains},
    )


def viewer_for(user: Any) -> fit.Viewer:
    """The matcher's view of a user (anonymous visitors see public listings only): the permission
    engine's actor, so matching and lists read the same memberships (registry.permissions)."""
    actor = actor_for(user)
    return fit.Viewer(
        organisation=actor.organisation,
        member_of=actor.member_of,
        staff_of=actor.staff_of,
        is_superuser=actor.is_superuser,
    )


def core_weights(row: RankerWeights | None) -> Weights:
    """The ranker's weights stored in ``row``; the core's defaults when none were learned yet."""
    if row is None:
        return Weights()
    return Weights(row.values, row.trained_on, row.note)


def feedback_sample(feedback: Feedback) -> Sample:
    """One verdict as the weight learner reads it: the pair's features when it was judged."""
    return Sample(feedback.features, feedback.verdict)
