"""Who may do what with needs, offers, feedback and meeting requests, as data (helix.core.access).

A listing's reach is its visibility: public to anyone, "members of our clusters" to the audience (a
person of an organisation that is a member of a cluster the listing's organisation is a member of, by
the registry's audience rule) and to the staff of those clusters, "cluster staff only" to those staff.
Only an active listing (published, not expired) reaches anyone beyond its own organisation and its
clusters' staff, who follow drafts and expired listings too.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from helix.core.access import (
    ANY_STAFF,
    OWNER,
    OWNER_OR_STAFF,
    REACH_CONDITIONS,
    SIGNED_IN,
    STAFF,
    Grant,
    Policy,
    reach,
)
from helix.market.models import Feedback, Listing, MeetingRequest, Status, Visibility
from helix.registry.permissions import Fact, Subject, field_is, register

LISTING = Policy(
    subject="market.listing",
    label="Need or offer",
    actions={
        "view": "see the listing and find it in lists and matches",
        "edit": "change it",
        "transition": "move it through its lifecycle (publish, fulfil, withdraw)",
        "match": "see the suggestions for it",
        "feedback": "say whether a suggestion with it fits (both listings of the pair)",
        "request_meeting": "ask that the owners of a pair with it meet (both listings of the pair)",
        "pair": "see who should meet whom across a cluster, export the pairs, learn weights, re-index",
    },
    conditions=REACH_CONDITIONS,
    grants=(
        *reach("view"),
        Grant("edit", OWNER_OR_STAFF),
        Grant("transition", OWNER_OR_STAFF),
        Grant("match", OWNER_OR_STAFF),
        # Judging a pair or asking for a meeting: whoever sees the listing, signed in.
        *reach("feedback", public=SIGNED_IN),
        *reach("request_meeting", public=SIGNED_IN),
        Grant("pair", ANY_STAFF, note="each pair only of listings they may view"),
    ),
)

MEETING_REQUEST = Policy(
    subject="market.meetingrequest",
    label="Meeting request (needs and offers)",
    actions={
        "view": "see the request",
        "answer": "accept, decline or withdraw it (the lifecycle says which side may do what)",
    },
    grants=(Grant("view", OWNER_OR_STAFF), Grant("answer", OWNER)),
)

FEEDBACK = Policy(
    subject="market.feedback",
    label="Match feedback",
    actions={"view": "see the verdict given on a suggestion"},
    grants=(Grant("view", STAFF),),
)


def _active(listing: Listing) -> bool:
    return bool(listing.is_active)


register(
    Subject(
        LISTING,
        Listing,
        organisations=("organisation_id",),
        facts={
            "active": Fact(
                _active, lambda: Q(status=Status.PUBLISHED, expires_on__gte=timezone.localdate())
            ),
            "public": field_is("visibility", Visibility.PUBLIC),
            "members": field_is("visibility", Visibility.MEMBERS),
            "staff": field_is("visibility", Visibility.STAFF),
        },
    ),
    Subject(
        MEETING_REQUEST, MeetingRequest, organisations=("from_organisation_id", "to_organisation_id")
    ),
    Subject(FEEDBACK, Feedback, organisations=("need__organisation_id", "offer__organisation_id")),
)

__all__ = ["FEEDBACK", "LISTING", "MEETING_REQUEST", "OWNER"]
