"""Needs and offers of the market that are resource flows: each matching run reads the listings
changed since the last reading into provisional flows of their organisation
(helix.core.symbiosis.listings.read_listing says which listings are resources)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from helix.core.symbiosis.listings import ListingResource, read_listing
from helix.market.models import Listing
from helix.pagecache import data_changed_on_commit
from helix.registry.models import Site
from helix.symbiosis.models import FlowStatus, MarketReading, ResourceFlow


def _listing_site(listing: Listing) -> Site | None:
    """Where a listing's resource is: its site, else its organisation's first site with coordinates."""
    if listing.site is not None and listing.site.latitude is not None and listing.site.longitude is not None:
        return listing.site
    return (
        Site.objects.filter(
            organisation_id=listing.organisation_id, latitude__isnull=False, longitude__isnull=False
        )
        .order_by("pk")
        .first()
    )


_LISTING_FIGURES = ("supply_temperature_c", "power_mw", "quantity", "unit", "period")


def _read_listing_into(flow: ResourceFlow, listing: Listing, resource: ListingResource, site: Site) -> bool:
    """Set ``flow`` from the listing: what it says (title, description, audience) always, the figures
    it states only where the flow has none (its owner may have completed them). False where even the
    listing's words make no valid flow."""
    flow.organisation_id = listing.organisation_id
    flow.site = site
    flow.direction = resource.direction.value
    flow.kind = resource.kind.value
    flow.title = listing.title[:200]
    flow.description = listing.description
    flow.confidentiality = listing.visibility
    flow.status = FlowStatus.ACTIVE
    stated = {
        "supply_temperature_c": resource.supply_temperature_c,
        "power_mw": resource.power_mw,
        "quantity": resource.quantity,
        "unit": resource.unit,
        "period": resource.period,
    }
    if flow.quantity is None and flow.power_mw is None and flow.supply_temperature_c is None:
        for name in _LISTING_FIGURES:
            if stated[name] not in (None, ""):
                setattr(flow, name, stated[name])
    try:
        flow.full_clean(exclude=["organisation", "created_by", "listing"])
        return True
    except ValidationError:
        for name in _LISTING_FIGURES:  # figures the words gave that do not hold together: left out
            setattr(flow, name, "year" if name == "period" else "" if name == "unit" else None)
    try:
        flow.full_clean(exclude=["organisation", "created_by", "listing"])
        return True
    except ValidationError:
        return False


def read_market(now: Any = None) -> dict[str, int]:
    """Needs and offers of the market that are resource flows (:func:`helix.core.symbiosis.listings.
    read_listing`) become provisional flows of their organisation, seen by the same audience, so that
    matching pairs them like any other (a city's heat need posted under Needs & offers meets a
    company's residual heat). Only listings changed since the last reading are read; a listing that is
    no longer published, or no longer reads as a resource, closes its flow. Matching runs call this."""
    now = now or timezone.now()
    created = updated = closed = 0
    with transaction.atomic():
        reading = MarketReading.objects.select_for_update().order_by("pk").first()
        if reading is None:
            reading = MarketReading.objects.create()
        changed = Listing.objects.select_related("site", "organisation")
        if reading.read_until is not None:
            changed = changed.filter(updated_at__gt=reading.read_until)
        for listing in changed.order_by("pk").iterator(chunk_size=500):
            flow = ResourceFlow.objects.filter(listing=listing).first()
            resource = None
            if listing.is_active:
                resource = read_listing(listing.side, listing.category, listing.title, listing.description)
            site = _listing_site(listing) if resource is not None else None
            if resource is None or site is None:
                if flow is not None and flow.status == FlowStatus.ACTIVE:
                    flow.status = FlowStatus.CLOSED
                    flow.save(update_fields=["status", "updated_at"])
                    closed += 1
                continue
            is_new = flow is None
            if flow is None:
                flow = ResourceFlow(listing=listing, created_by=listing.created_by)
            if not _read_listing_into(flow, listing, resource, site):
                continue
            flow.listing_read_at = now
            flow.save()
            created += is_new
            updated += not is_new
        # listings expire without being saved: their flows close all the same
        expired = ResourceFlow.objects.filter(listing__isnull=False, status=FlowStatus.ACTIVE).exclude(
            listing__in=Listing.objects.active()
        )
        closed += expired.update(status=FlowStatus.CLOSED)
        reading.read_until = now
        reading.save(update_fields=["read_until"])
    if created or updated or closed:
        data_changed_on_commit()
    return {"created": created, "updated": updated, "closed": closed}
