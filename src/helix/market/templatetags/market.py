"""Template tags of needs and offers, for pages of other apps (the organisation profile, the menu)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from helix.registry.models import Organisation
from helix.registry.permissions import is_cluster_staff

register = template.Library()

PROFILE_LISTINGS = 5


@register.simple_tag(takes_context=True)
def organisation_market(context: template.Context, organisation: Organisation) -> dict[str, Any]:
    """The organisation's active needs and offers the visitor may see (five at most), and its links."""
    from helix.market.services import can_create_listing_for, visible_listings

    user = context.get("user")
    found = list(
        visible_listings(user)
        .active()
        .filter(organisation=organisation)
        .order_by("-published_on", "-pk")[: PROFILE_LISTINGS + 1]
    )
    return {
        "listings": found[:PROFILE_LISTINGS],
        "more": len(found) > PROFILE_LISTINGS,
        "matches_url": reverse("market:organisation_matches", args=[organisation.slug]),
        "may_post": can_create_listing_for(user, organisation),
    }


@register.simple_tag
def user_is_cluster_staff(user: Any) -> bool:
    return is_cluster_staff(user)
