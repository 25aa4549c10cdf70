"""Needs-and-offers pages of matches: a listing with its suggested counterparts and the feedback on them,
and an organisation's complementary organisations.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helix.market import services
from helix.market.engine import current_weights
from helix.market.explain import reasons_for, score_ceiling, score_percent, shown_terms
from helix.market.feedback import record_feedback
from helix.market.models import Feedback, Listing, MeetingRequest, Side, Verdict
from helix.market.suggestions import (
    organisation_suggestions,
    suggestions_for,
)
from helix.market.views.listings import status_actions, visible_listing, wants_fragment
from helix.pagecache import cache_anonymous, remember
from helix.params import object_id
from helix.registry import permissions
from helix.registry.models import Organisation

# A listing and its matches ---------------------------------------------------------------------------


def _pair_key(need_id: int, offer_id: int) -> str:
    return f"{need_id}-{offer_id}"


def _feedback_given(user: Any, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], set[str]]:
    given: dict[tuple[int, int], set[str]] = defaultdict(set)
    if not pairs or not getattr(user, "is_authenticated", False):
        return given
    condition = Q()
    for need_id, offer_id in pairs:
        condition |= Q(need_id=need_id, offer_id=offer_id)
    for need_id, offer_id, verdict in Feedback.objects.filter(condition, user=user).values_list(
        "need_id", "offer_id", "verdict"
    ):
        given[(need_id, offer_id)].add(verdict)
    return given


def _meetings_of(
    pairs: list[tuple[int, int]], organisation_ids: set[int]
) -> dict[tuple[int, int], MeetingRequest]:
    """The latest meeting request per pair that involves one of ``organisation_ids``."""
    if not pairs or not organisation_ids:
        return {}
    condition = Q()
    for need_id, offer_id in pairs:
        condition |= Q(need_id=need_id, offer_id=offer_id)
    involved = Q(from_organisation_id__in=organisation_ids) | Q(to_organisation_id__in=organisation_ids)
    found: dict[tuple[int, int], MeetingRequest] = {}
    for meeting in MeetingRequest.objects.filter(condition, involved).select_related("to_organisation"):
        found.setdefault((meeting.need_id, meeting.offer_id), meeting)  # newest first (model ordering)
    return found


def feedback_context(
    listing_id: int, need_id: int, offer_id: int, given: set[str], notice: str = ""
) -> dict[str, Any]:
    return {
        "listing_id": listing_id,
        "need_id": need_id,
        "offer_id": offer_id,
        "key": _pair_key(need_id, offer_id),
        "verdicts": [(value, label, value in given) for value, label in Verdict.choices],
        "notice": notice,
    }


@cache_anonymous
def listing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    listing = visible_listing(user, pk)
    can_edit = services.can_edit_listing(user, listing)
    own = permissions.own_organisation_id(user)
    # Kept for everyone who may see the same listings, until the data change (a listing linked from a
    # newsletter is opened by many).
    suggestions = remember(
        ("suggestions", listing.pk, permissions.scope_key(user, "view", Listing)),
        lambda: suggestions_for(listing, user, limit=10),
    )
    weights = current_weights()
    ceiling = score_ceiling(weights)
    pairs = [(s.need.pk, s.offer.pk) for s in suggestions]
    given = _feedback_given(user, pairs)
    acting = ({listing.organisation_id} if can_edit else set()) | ({own} if own else set())
    meetings = _meetings_of(pairs, acting)
    rows = [
        {
            "suggestion": s,
            "other": s.listing,
            "percent": score_percent(s.match.score, ceiling),
            "terms": shown_terms(s.match),
            "reasons": reasons_for(s.match, weights),
            "feedback": feedback_context(listing.pk, s.need.pk, s.offer.pk, given[(s.need.pk, s.offer.pk)]),
            "may_request": user.is_authenticated and (can_edit or s.listing.organisation_id == own),
            "meeting": meetings.get((s.need.pk, s.offer.pk)),
        }
        for s in suggestions
    ]
    context = {
        "listing": listing,
        "can_edit": can_edit,
        "rows": rows,
        "organisation_visible": permissions.can_view_organisation(user, listing.organisation),
        "status_actions": status_actions(user, listing) if can_edit else [],
    }
    return render(request, "market/listing_detail.html", context)


def posted_pair(request: HttpRequest, listing: Listing) -> tuple[Listing, Listing] | None:
    """The (need, offer) named by the POST, both visible to the user and one of them ``listing``."""
    need_id, offer_id = object_id(request.POST.get("need")), object_id(request.POST.get("offer"))
    if need_id is None or offer_id is None:
        return None
    if listing.pk not in (need_id, offer_id):
        return None
    found = {
        x.pk: x
        for x in services.visible_listings(request.user)
        .select_related("organisation")
        .filter(pk__in=[need_id, offer_id])
    }
    if need_id not in found or offer_id not in found:
        raise Http404
    need, offer = found[need_id], found[offer_id]
    if need.side != Side.NEED or offer.side != Side.OFFER:
        return None
    return need, offer


@login_required
@require_POST
def listing_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a verdict on a suggested pair; htmx swaps in just that pair's feedback buttons."""
    listing = visible_listing(request.user, pk)
    pair = posted_pair(request, listing)
    verdict = request.POST.get("verdict", "")
    if pair is None or verdict not in Verdict.values:
        return HttpResponseBadRequest(_("Choose a need, an offer and a verdict."))
    need, offer = pair
    record_feedback(request.user, need, offer, verdict)
    other = offer if listing.pk == need.pk else need
    notice = _("Thank you: “%(verdict)s” recorded.") % {"verdict": Verdict(verdict).label}
    if wants_fragment(request):
        given = _feedback_given(request.user, [(need.pk, offer.pk)])[(need.pk, offer.pk)]
        return render(
            request, "market/_feedback.html", feedback_context(listing.pk, need.pk, offer.pk, given, notice)
        )
    messages.success(request, notice)
    return redirect(f"{listing.get_absolute_url()}#match-{other.pk}")


# Organisations that complement one another ---------------------------------------------------------


def organisation_matches(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_view_organisation(user, organisation):
        raise Http404
    own_active = list(
        services.visible_listings(user).active().filter(organisation=organisation).order_by("side", "title")
    )
    # Every pair's two listings are ones the visitor may see (the service asks the database for both).
    found = organisation_suggestions(organisation, user) if own_active else []
    weights = current_weights()
    ceiling = score_ceiling(weights)
    # Which matched organisations' pages the visitor may open: one query for all, not one per match.
    visible_ids = set(
        permissions.scope(
            user, "view", Organisation.objects.filter(pk__in=[item["organisation"].pk for item in found])
        ).values_list("pk", flat=True)
    )
    matches = []
    for item in found:
        pairs = [
            {
                "suggestion": s,
                "terms": shown_terms(s.match),
                "reasons": reasons_for(s.match, weights, shown=3),
            }
            for s in item["suggestions"]
        ]
        if pairs:
            matches.append(
                {
                    "organisation": item["organisation"],
                    "organisation_visible": item["organisation"].pk in visible_ids,
                    "percent": score_percent(item["score"], ceiling),
                    "score": item["score"],
                    "pairs": pairs,
                }
            )
    context = {
        "organisation": organisation,
        "own_active": own_active,
        "matches": matches,
        "may_post": services.can_create_listing_for(user, organisation),
    }
    return render(request, "market/organisation_matches.html", context)
