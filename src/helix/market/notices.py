"""What owners of needs and offers are told: new strong matches, meeting requests and their answers, and
listings about to expire. Everything goes through helix.notifications (the inbox and each person's
e-mail preferences).

New matches are looked for after a listing is indexed (the ``index_listing`` task, never in the request
that saved it): its best counterparts scoring at least :data:`STRONG_SCORE` are new matches, each pair
(need, offer) told once ever (a listing edited ten times does not tell the same counterpart ten times).
Its owners hear of the counterparts they may see; each counterpart's owners hear of it if they may see
it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.urls import reverse
from django.utils import timezone

from helix.market.models import Listing, MeetingRequest, MeetingStatus, Side, Status
from helix.notifications.messages import day
from helix.notifications.services import Sweep, notify, notify_organisation, once, untold, users_of
from helix.registry.permissions import can

logger = logging.getLogger(__name__)

STRONG_SCORE = 0.5  # a counterpart scoring this or more is worth telling (the score of the suggestions)
MOST_MATCHES = 5  # counterparts looked at per indexed listing
EXPIRY_NOTICE = dt.timedelta(days=7)
SWEEP_EVERY = 600.0  # seconds between two looks for expiring listings in the housekeeping round
_sweep = Sweep(SWEEP_EVERY)


def listing_indexed(listing_id: int) -> int:
    """Tell the owners of a listing just indexed, and of its counterparts, of strong matches not told
    before. Returns how many notifications were written."""
    from helix.core.matching.fit import Viewer
    from helix.market.convert import core_listing
    from helix.market.engine import get_engine

    listing = Listing.objects.active().select_related("organisation").filter(pk=listing_id).first()
    if listing is None:
        return 0
    engine = get_engine()
    if listing.pk not in engine:
        return 0
    found = engine.matches(core_listing(listing), Viewer(is_superuser=True), limit=MOST_MATCHES)
    strong = [m for m in found if m.score >= STRONG_SCORE]
    if not strong:
        return 0
    others = Listing.objects.active().select_related("organisation").in_bulk([m.candidate for m in strong])
    fresh = [
        others[m.candidate]
        for m in strong
        if m.candidate in others and once(f"market.match:{m.need}:{m.offer}")
    ]
    written = 0
    for user in users_of([listing.organisation_id]):
        seen = [other for other in fresh if can(user, "view", other)]
        if seen:
            note = notify(
                user,
                "market.new_matches",
                {"listing": listing.title, "count": len(seen), "titles": [o.title for o in seen]},
                listing.get_absolute_url(),
            )
            written += note is not None
    for other in fresh:
        written += notify_organisation(
            other.organisation_id,
            "market.matched_by_new",
            {"organisation": listing.organisation.name, "other": listing.title, "listing": other.title},
            other.get_absolute_url(),
            about=listing,
        )
    return written


def _pair(meeting: MeetingRequest) -> dict[str, str]:
    return {"need": meeting.need.title, "offer": meeting.offer.title}


def meeting_requested(meeting: MeetingRequest) -> None:
    """The people of the organisation asked hear of the request."""
    params = {"organisation": meeting.from_organisation.name, **_pair(meeting)}
    notify_organisation(
        meeting.to_organisation_id, "market.request_received", params, reverse("market:meetings")
    )


def meeting_answered(meeting: MeetingRequest) -> None:
    """The person who asked (else the people of the asking organisation) hear the answer."""
    message = (
        "market.request_accepted" if meeting.status == MeetingStatus.ACCEPTED else "market.request_declined"
    )
    params = {"organisation": meeting.to_organisation.name, **_pair(meeting)}
    asker = meeting.requested_by
    recipients = (
        [asker] if asker is not None and asker.is_active else list(users_of([meeting.from_organisation_id]))
    )
    for user in recipients:
        notify(user, message, params, reverse("market:meetings"))


def _expiry_key(listing_id: int, expires_on: dt.date) -> str:
    return f"market.expiry:{listing_id}:{expires_on.isoformat()}"


def remind_expiring_listings(now: dt.datetime | None = None, *, force: bool = False) -> int:
    """A week before a published listing expires, tell its organisation's people once (per expiry date:
    a renewed listing is reminded again before its new date). Looks every :data:`SWEEP_EVERY` seconds
    at most (the worker's housekeeping round calls it every few seconds)."""
    if not _sweep.due(force=force):
        return 0
    today = timezone.localdate(now or timezone.now())
    # side__in: the (side, status, expires_on) index serves the search instead of a scan of every listing
    expiring = Listing.objects.filter(
        side__in=Side.values,
        status=Status.PUBLISHED,
        expires_on__gte=today,
        expires_on__lte=today + EXPIRY_NOTICE,
    ).order_by()
    keys = {_expiry_key(pk, expires_on): pk for pk, expires_on in expiring.values_list("pk", "expires_on")}
    due = Listing.objects.filter(pk__in=[keys[key] for key in untold(keys)])
    told = 0
    for listing in due.select_related("organisation", "created_by").order_by("pk"):
        if not once(_expiry_key(listing.pk, listing.expires_on)):
            continue
        recipients = list(users_of([listing.organisation_id]))
        if not recipients and listing.created_by is not None and listing.created_by.is_active:
            recipients = [listing.created_by]
        for user in recipients:
            note = notify(
                user,
                "market.listing_expiring",
                {"listing": listing.title, "date": day(listing.expires_on)},
                listing.get_absolute_url(),
            )
            told += note is not None
    return told
