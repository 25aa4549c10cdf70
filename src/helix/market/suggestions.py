"""Suggestions: the counterparts of a listing, the organisations that complement one another, and the
staff's "who should meet whom", each pair checked against what its viewer may see now.

The match engine (helix.market.engine) ranks; these functions ask it and attach the listings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from helix.core.matching.engine import Match
from helix.market.convert import core_listing, viewer_for, with_match_relations
from helix.market.engine import get_engine
from helix.market.models import Listing, Side, Status
from helix.market.services import filter_listings, visible_listings
from helix.registry.models import Organisation
from helix.registry.permissions import is_cluster_staff


@dataclass(frozen=True)
class Suggestion:
    """A match with the listing it suggests, ready for a page or the API."""

    match: Match
    listing: Listing  # the suggested counterpart
    need: Listing
    offer: Listing


def suggestions_for(listing: Listing, user: Any, *, limit: int = 10) -> list[Suggestion]:
    """The counterparts ``user`` may see for ``listing``, best first, with explanations."""
    engine = get_engine()
    matches = engine.matches(core_listing(listing), viewer_for(user), limit=limit)
    return _attach(matches, listing, user)


def _attach(matches: Sequence[Match], query: Listing | None, user: Any) -> list[Suggestion]:
    """The engine's matches as suggestions, keeping only pairs whose two listings ``user`` may see now.

    The engine filters by what it indexed; the database says what holds now (a listing expired since, an
    owner who left the cluster, a write that bypassed the services), so both sides are asked again here,
    in the same query that loads them: no page, API or export shows a pair with a listing its viewer may
    not see. ``query`` (the listing asked about) was checked by the caller.
    """
    keys = {m.candidate for m in matches} | {m.need for m in matches} | {m.offer for m in matches}
    rows = {
        row.pk: row
        for row in visible_listings(user)
        .filter(pk__in=keys)
        .select_related("organisation", "site")
        .prefetch_related("domains")
    }
    if query is not None:
        rows[query.pk] = query
    out = []
    for m in matches:
        if m.candidate in rows and m.need in rows and m.offer in rows:
            out.append(Suggestion(m, rows[m.candidate], rows[m.need], rows[m.offer]))
    return out


def organisation_suggestions(organisation: Organisation, user: Any, *, limit: int = 10) -> list[Any]:
    """Organisations complementing ``organisation``: whose offers meet its needs or whose needs its offers
    meet. Without listings of its own, nothing is suggested (the page says to publish one)."""
    # Only the organisation's listings this user may see stand in for it: a members-only or staff-only
    # need must not show through the pairs it produces. Their relations are read in a fixed number of
    # queries, however many listings (core_listing reads sectors, keywords, sites and memberships).
    own = list(
        with_match_relations(
            visible_listings(user).filter(
                organisation=organisation, status=Status.PUBLISHED, expires_on__gte=timezone.localdate()
            )
        )
    )
    if not own:
        return []
    engine = get_engine()
    found = engine.organisation_matches([core_listing(x) for x in own], viewer_for(user), limit=limit)
    orgs = Organisation.objects.in_bulk([om.organisation for om in found])
    pairs = _attach([m for om in found for m in om.matches], None, user)
    by_pair = {(s.match.need, s.match.offer): s for s in pairs}
    out = []
    for om in found:
        shown = [by_pair[(m.need, m.offer)] for m in om.matches if (m.need, m.offer) in by_pair]
        if om.organisation in orgs and shown:  # an organisation only through pairs the user may see
            out.append({"organisation": orgs[om.organisation], "score": om.score, "suggestions": shown})
    return out


def who_should_meet_whom(
    user: Any,
    *,
    cluster: Any = None,
    domain: Any = None,
    region: str = "",
    kind: str = "",
    per_need: int = 3,
    min_score: float | None = None,
    limit: int = 500,
) -> list[Suggestion]:
    """Staff view: for every active need in scope, its best offers; pairs best first, one per org pair."""
    if not is_cluster_staff(user):
        raise PermissionDenied("cluster staff only")
    needs = visible_listings(user).filter(
        side=Side.NEED, status=Status.PUBLISHED, expires_on__gte=timezone.localdate()
    )
    needs = filter_listings(
        needs,
        cluster=None if domain is not None else cluster,
        domains=[domain] if domain is not None else (),
        regions=[region] if region else (),
        kinds=[kind] if kind else (),
    )
    engine = get_engine()
    matches = engine.pairs(
        sorted(set(needs.values_list("pk", flat=True))),
        viewer_for(user),
        per_need=per_need,
        min_score=min_score,
    )
    seen: set[tuple[int, int]] = set()
    chosen = []
    for m in matches:
        need_owner = engine.get(m.need).owner
        offer_owner = engine.get(m.offer).owner
        if (need_owner, offer_owner) in seen:
            continue
        seen.add((need_owner, offer_owner))
        chosen.append(m)
        if len(chosen) >= limit:
            break
    return _attach(chosen, None, user)
