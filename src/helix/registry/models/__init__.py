"""Registry data model. Models hold data and small invariants; rules live in helix.core.registry and
the work of changing several objects at once lives in services.py.

The models are grouped by subject in the modules of this package (organisations, people, clusters,
memberships, interactions, advisory, staff); every name is imported from here, as
``from helix.registry.models import Organisation``.
"""

from __future__ import annotations

# isort: off
# The modules in the order their models were always declared: Django registers models in import order,
# and that order is the one apps.get_models() (dumpdata, flush, checks) goes through.
from helix.registry.models.organisations import (
    HELIX_OF_KIND,
    LANGUAGE_CODES,
    LANGUAGES,
    GovernmentLevel,
    Helix,
    IdentifierScheme,
    Keyword,
    Organisation,
    OrganisationKind,
    Region,
    Sector,
    Site,
    SizeClass,
    normalise_search_text,
)
from helix.registry.models.people import Person
from helix.registry.models.clusters import Cluster, ClusterName, Domain, DomainKind
from helix.registry.models.memberships import (
    ENGAGEMENT_LABELS,
    LetterOfIntent,
    Membership,
    MembershipChange,
    engagement_label,
)
from helix.registry.models.interactions import Interaction, InteractionKind
from helix.registry.models.advisory import AdvisoryGroup, AdvisorySeat
from helix.registry.models.staff import StaffAssignment

# isort: on

__all__ = [
    "ENGAGEMENT_LABELS",
    "HELIX_OF_KIND",
    "LANGUAGES",
    "LANGUAGE_CODES",
    "AdvisoryGroup",
    "AdvisorySeat",
    "Cluster",
    "ClusterName",
    "Domain",
    "DomainKind",
    "GovernmentLevel",
    "Helix",
    "IdentifierScheme",
    "Interaction",
    "InteractionKind",
    "Keyword",
    "LetterOfIntent",
    "Membership",
    "MembershipChange",
    "Organisation",
    "OrganisationKind",
    "Person",
    "Region",
    "Sector",
    "Site",
    "SizeClass",
    "StaffAssignment",
    "engagement_label",
    "normalise_search_text",
]
