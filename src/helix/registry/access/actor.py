"""Who the caller is, as the permission rules need it: their organisation and person, the clusters
their organisation is a member of (the audience rule, :data:`AUDIENCE_LEVELS`), the clusters they are
staff of; read once per request and kept until the registry changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from helix.core.registry.ladder import EngagementLevel
from helix.pagecache import remember
from helix.registry.models import (
    Membership,
    Person,
)

AUDIENCE_LEVELS = (EngagementLevel.LOI_SIGNED, EngagementLevel.MEMBER, EngagementLevel.STRATEGIC_PARTNER)


# -- the actor ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """What the permission rules need to know about a caller, read once per request."""

    user_id: int | None = None
    organisation: int | None = None
    person: int | None = None
    member_of: frozenset[int] = frozenset()
    staff_of: frozenset[int] = frozenset()
    is_superuser: bool = False

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None


ANONYMOUS = Actor()


def member_cluster_ids(organisation_id: int | None) -> set[int]:
    """Clusters in which the organisation counts as a member (letter of intent signed or higher)."""
    if organisation_id is None:
        return set()
    return set(
        Membership.objects.filter(organisation_id=organisation_id, level__in=AUDIENCE_LEVELS).values_list(
            "cluster_id", flat=True
        )
    )


def audience_organisations(cluster_ids: Iterable[int]) -> QuerySet[Membership]:
    """Organisation ids (as a subquery) that are members of any of ``cluster_ids``."""
    return Membership.objects.filter(level__in=AUDIENCE_LEVELS, cluster_id__in=list(cluster_ids)).values(
        "organisation_id"
    )


def actor_for(user: Any) -> Actor:
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_helix_actor", None)
    if cached is None:
        # Read once per request, and kept between requests until the registry changes (a person, a
        # membership or a staff assignment saved or deleted moves the data version).
        cached = remember(("actor", user.pk, bool(user.is_superuser)), lambda: _read_actor(user))
        user._helix_actor = cached
    return cached


def _read_actor(user: Any) -> Actor:
    person = Person.objects.filter(user_id=user.pk).values_list("pk", "organisation_id").first()
    organisation = person[1] if person else None
    return Actor(
        user_id=user.pk,
        organisation=organisation,
        person=person[0] if person else None,
        member_of=frozenset(member_cluster_ids(organisation)),
        staff_of=frozenset(user.staff_assignments.values_list("cluster_id", flat=True)),
        is_superuser=bool(user.is_superuser),
    )
