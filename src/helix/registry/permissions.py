"""Who may see and edit what in the registry. Pages, the API and the CLI all ask these functions.

Roles:
- superuser: everything;
- cluster staff (a StaffAssignment): edit everything about organisations that have a membership in
  one of their clusters, and the clusters themselves;
- member user (a Person linked to a user account): edit its own organisation only;
- anonymous public: read published profiles only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from helix.registry.models import Cluster, Organisation


def staff_cluster_ids(user: Any) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_helix_staff_clusters", None)
    if cached is None:
        cached = set(user.staff_assignments.values_list("cluster_id", flat=True))
        user._helix_staff_clusters = cached
    return set(cached)


def is_cluster_staff(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or bool(staff_cluster_ids(user))


def own_organisation_id(user: Any) -> int | None:
    if not getattr(user, "is_authenticated", False):
        return None
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    return person.organisation_id if person else None


def visible_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations ``user`` may see: staff see all; others see published ones and their own."""
    qs = Organisation.objects.all()
    if is_cluster_staff(user):
        return qs
    own = own_organisation_id(user)
    if own:
        return qs.filter(Q(is_published=True) | Q(pk=own))
    return qs.filter(is_published=True)


def can_view_organisation(user: Any, organisation: Organisation) -> bool:
    return organisation.is_published or is_cluster_staff(user) or own_organisation_id(user) == organisation.pk


def can_edit_organisation(user: Any, organisation: Organisation) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if own_organisation_id(user) == organisation.pk:
        return True
    clusters = staff_cluster_ids(user)
    if not clusters:
        return False
    # Staff also edit organisations that are in no cluster yet, so they can onboard them.
    memberships = organisation.memberships
    return memberships.filter(cluster_id__in=clusters).exists() or not memberships.exists()


def can_manage_cluster(user: Any, cluster: Cluster) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser) or cluster.pk in staff_cluster_ids(user)


def can_create_organisation(user: Any) -> bool:
    return is_cluster_staff(user)


def is_responsible_staff(user: Any, organisation: Organisation) -> bool:
    """Staff responsible for ``organisation``: it is in one of their clusters (or they are superuser)."""
    return is_cluster_staff(user) and can_edit_organisation(user, organisation)


def can_see_contact_data(user: Any, organisation: Organisation) -> bool:
    """E-mail, phone and consents of an organisation's people: its responsible staff and its own people."""
    return is_responsible_staff(user, organisation) or own_organisation_id(user) == organisation.pk
