"""Who may do what with resource flows, synergies, their reports, impact factors, allocation runs and
documented exchanges, as data (helix.core.access).

A flow's reach is its confidentiality, as a need's or an offer's in the market: public to anyone,
"members of our clusters" to the audience (a person of an organisation that is a member of a cluster
the flow's organisation is a member of, by the registry's audience rule) and to the staff of those
clusters, "cluster staff only" to those staff. Only an active flow reaches anyone beyond its own
organisation and its clusters' staff.

An anonymous flow shows its owner (name, site, exact position: ``see_owner``) to its own people and its
clusters' staff; everyone else who may view it sees "an organisation in <region>", until a synergy on
it is "contacted" or later: from then on the counterpart sees who it deals with (the synergy's
``reveal``). The synergy workflow (helix.core.symbiosis.synergy) makes sure that "contacted" is reached
only when every anonymous owner accepted contact or its own cluster's staff made it.

Matching and allocation pair a have and a want only where each side's organisation may take ``match``
on the other's flow (:class:`Pairing`). A synergy shows each of its flows to a party only as far as the
party may ``view`` that flow; the rest is withheld.

Impact factors are one table for every cluster's estimates, so only a superuser changes them: one
cluster's staff do not change the figures of all. Allocation and matching runs cover a region, not a
cluster: staff of any cluster start and read them, and every flow in a run's result is shown to them
only as far as they may view it.

Pages, the API, the CLI, the CSV export, the map, matching and allocation ask here (through
``helix.registry.permissions.can`` / ``scope``); nothing else decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import Q, QuerySet

from helix.core.access import (
    ANY_STAFF,
    ANYONE,
    AUDIENCE,
    OWNER,
    OWNER_OR_STAFF,
    REACH_CONDITIONS,
    SIGNED_IN,
    Grant,
    Policy,
    Role,
    reach,
)
from helix.core.symbiosis import Flow
from helix.core.symbiosis.synergy import REVEALS_OWNERS
from helix.registry.models import Membership, Organisation
from helix.registry.permissions import (
    AUDIENCE_LEVELS,
    Fact,
    Subject,
    actor_for,
    field_is,
    may,
    register,
    subject_for,
)
from helix.symbiosis.models import (
    AllocationRun,
    Confidentiality,
    DocumentedExchange,
    FlowStatus,
    ImpactFactorSetting,
    ResourceFlow,
    Synergy,
    SynergyReport,
)

_ACTIVE = "active"
_PUBLIC_ACTIVE = frozenset({_ACTIVE, "public"})
_MEMBERS_ACTIVE = frozenset({_ACTIVE, "members"})

FLOW = Policy(
    subject="symbiosis.resourceflow",
    label="Resource flow (have or want)",
    actions={
        "view": "see the flow and find it in lists, the map and proposed exchanges",
        "create": "describe a flow for an organisation: one's own, or (staff) one of their clusters'",
        "edit": "change or close the flow",
        "see_owner": "see who owns it: the name, site and exact position of an anonymous flow's owner",
        "export": "download it in the flows CSV",
        "match": "have it paired with a flow of one's own organisation by the matching and allocation",
    },
    conditions={**REACH_CONDITIONS, "named": "not anonymous: the owner shows its name"},
    grants=(
        *reach("view"),
        # Staff describe flows on behalf of the companies of their clusters (issue 12).
        Grant("create", OWNER_OR_STAFF, note="asked of a new flow of that organisation"),
        Grant("edit", OWNER_OR_STAFF),
        Grant("see_owner", ANYONE, frozenset({"named"})),
        Grant("see_owner", OWNER_OR_STAFF, note="and the counterpart of a revealed synergy"),
        *reach("export", public=SIGNED_IN),
        Grant("match", ANYONE, _PUBLIC_ACTIVE),
        Grant("match", AUDIENCE, _MEMBERS_ACTIVE),
    ),
)

SYNERGY = Policy(
    subject="symbiosis.synergy",
    label="Synergy (proposed exchange)",
    actions={
        "view": "see the exchange; each flow is shown only as far as its own 'view' allows",
        "accept": "accept contact for one's own side",
        "transition": "move it through its workflow (the workflow says which moves parties and staff make)",
        "report": "report the realised quantities",
        "reveal": "see the owners of both flows, anonymous ones too",
        "propose": "run the matching that refreshes a region's proposals",
    },
    conditions={"revealed": "contacted or later: both parties accepted contact, or their staff made it"},
    grants=(
        Grant("view", OWNER_OR_STAFF),
        Grant("accept", OWNER),
        Grant("transition", OWNER_OR_STAFF),
        Grant("report", OWNER_OR_STAFF),
        Grant("reveal", OWNER, frozenset({"revealed"})),
        Grant("propose", ANY_STAFF),
    ),
)

SYNERGY_REPORT = Policy(
    subject="symbiosis.synergyreport",
    label="Synergy report (realised quantities)",
    actions={"view": "see the quantities and count them in the totals over time"},
    grants=(Grant("view", OWNER_OR_STAFF),),
)

IMPACT_FACTOR = Policy(
    subject="symbiosis.impactfactorsetting",
    label="Impact factor",
    actions={
        "view": "see the factor behind every impact estimate, with its source",
        "edit": "change a factor: every cluster's estimates use it, so the superuser only",
    },
    grants=(Grant("view", ANYONE),),
)

ALLOCATION_RUN = Policy(
    subject="symbiosis.allocationrun",
    label="Allocation run",
    actions={
        "view": "see the run's result (each flow in it only as far as its own 'view' allows)",
        "start": "allocate a region's haves to its wants",
    },
    grants=(Grant("view", ANY_STAFF), Grant("start", ANY_STAFF)),
)

DOCUMENTED_EXCHANGE = Policy(
    subject="symbiosis.documentedexchange",
    label="Documented exchange",
    actions={
        "view": "see the exchanges the receiver ranking learns from",
        "import": "import a MAESTRI-layout file of documented exchanges",
    },
    grants=(Grant("view", ANY_STAFF), Grant("import", ANY_STAFF)),
)


register(
    Subject(
        FLOW,
        ResourceFlow,
        organisations=("organisation_id",),
        facts={
            _ACTIVE: Fact(lambda o: o.status == FlowStatus.ACTIVE, lambda: Q(status=FlowStatus.ACTIVE)),
            "public": field_is("confidentiality", Confidentiality.PUBLIC),
            "members": field_is("confidentiality", Confidentiality.MEMBERS),
            "staff": field_is("confidentiality", Confidentiality.STAFF),
            "named": Fact(lambda o: not o.anonymous, lambda: Q(anonymous=False)),
        },
    ),
    Subject(
        SYNERGY,
        Synergy,
        organisations=("have__organisation_id", "want__organisation_id"),
        facts={
            "revealed": Fact(lambda o: o.state in REVEALS_OWNERS, lambda: Q(state__in=sorted(REVEALS_OWNERS)))
        },
    ),
    Subject(
        SYNERGY_REPORT,
        SynergyReport,
        organisations=("synergy__have__organisation_id", "synergy__want__organisation_id"),
    ),
    Subject(IMPACT_FACTOR, ImpactFactorSetting),
    Subject(ALLOCATION_RUN, AllocationRun),
    Subject(DOCUMENTED_EXCHANGE, DocumentedExchange),
)


# -- questions about no object yet ------------------------------------------------------------------------


def staff_sides(user: Any, synergy: Synergy) -> set[str]:
    """The sides ("have", "want") whose organisation is in one of ``user``'s clusters (superuser: both)."""
    actor = actor_for(user)
    if actor.is_superuser:
        return {"have", "want"}
    flows = subject_for(ResourceFlow)
    return {
        side
        for side, flow in (("have", synergy.have), ("want", synergy.want))
        if actor.staff_of and Role.STAFF in flows.roles(actor, flow)
    }


def flow_owner_choices(user: Any) -> QuerySet[Organisation]:
    """The organisations ``user`` may describe flows for: those on which they hold a role that
    :data:`FLOW`'s "create" grants (a flow's roles come from its organisation), in one query."""
    organisations = Organisation.objects.order_by("name")
    actor = actor_for(user)
    if actor.is_superuser:
        return organisations
    subject = subject_for(Organisation)
    condition: Q | None = None
    for grant in FLOW.grants_for("create"):
        for role in sorted(grant.roles):
            q = subject.role_q(actor, role)
            if q is not None:
                condition = q if condition is None else condition | q
    return organisations.filter(condition) if condition is not None else organisations.none()


def new_flow(organisation: Organisation) -> ResourceFlow:
    """A flow not saved yet of ``organisation``: what "create" is asked of."""
    return ResourceFlow(organisation=organisation)


# -- pairing: matching and allocation ----------------------------------------------------------------------


class Pairing:
    """Which of ``flows`` may be paired: the have's organisation may take ``match`` on the want and the
    want's organisation on the have (:data:`FLOW`'s grants, read for a person of the other organisation:
    anyone, signed in, and the audience where the two organisations share a cluster as members).

    Built once per run from one query (the organisations' memberships); answers a have against all the
    wants of a kind at once, for :func:`helix.core.symbiosis.match`. ``assume_active``: judge by
    confidentiality alone, as if every flow were active (for proposals on flows closed since).
    """

    def __init__(self, flows: Iterable[ResourceFlow], *, assume_active: bool = False) -> None:
        flows = list(flows)
        owners = {f.organisation_id for f in flows}
        clusters: dict[int, set[int]] = {o: set() for o in owners}
        for organisation_id, cluster_id in Membership.objects.filter(
            organisation_id__in=owners, level__in=AUDIENCE_LEVELS
        ).values_list("organisation_id", "cluster_id"):
            clusters[organisation_id].add(cluster_id)
        bit = {c: i for i, c in enumerate(sorted(set().union(*clusters.values())))}
        words = max(1, (len(bit) + 63) // 64)
        self._bits: dict[int, npt.NDArray[np.uint64]] = {}
        for organisation_id, member_of in clusters.items():
            row = np.zeros(words, dtype=np.uint64)
            for c in member_of:
                row[bit[c] // 64] |= np.uint64(1 << (bit[c] % 64))
            self._bits[organisation_id] = row
        self._empty = np.zeros(words, dtype=np.uint64)
        subject = subject_for(ResourceFlow)
        outsider = {Role.ANYONE, Role.USER}
        self._to_all: dict[str, bool] = {}
        self._to_audience: dict[str, bool] = {}
        self._owner: dict[str, int] = {}
        for f in flows:
            facts = subject.true_facts(f) | ({_ACTIVE} if assume_active else set())
            key = str(f.pk)
            self._to_all[key] = FLOW.allows("match", outsider, facts)
            self._to_audience[key] = FLOW.allows("match", outsider | {Role.AUDIENCE}, facts)
            self._owner[key] = f.organisation_id
        self._columns: dict[int, tuple[Sequence[Flow], Any, Any, Any]] = {}

    def _share(self, a: int, b: int) -> bool:
        return bool((self._bits.get(a, self._empty) & self._bits.get(b, self._empty)).any())

    def _reaches(self, flow_id: str, share: bool) -> bool:
        """Does the flow reach a person of another organisation (sharing a cluster with its owner or not)?"""
        return self._to_all.get(flow_id, False) or (share and self._to_audience.get(flow_id, False))

    def allows(self, have_id: int, want_id: int) -> bool:
        """May the flows with these ids be paired (both must be among the flows given)?"""
        h, w = str(have_id), str(want_id)
        if h not in self._owner or w not in self._owner:
            return False
        a, b = self._owner[h], self._owner[w]
        share = self._share(a, b)
        return self._reaches(h, share) and self._reaches(w, share)

    def __call__(self, have: Flow, wants: Sequence[Flow]) -> npt.NDArray[np.bool_]:
        cached = self._columns.get(id(wants))
        if cached is None or cached[0] is not wants:
            bits = np.stack([self._bits.get(self._owner.get(w.id, -1), self._empty) for w in wants])
            to_all = np.array([self._to_all.get(w.id, False) for w in wants])
            to_audience = np.array([self._to_audience.get(w.id, False) for w in wants])
            cached = (wants, bits, to_all, to_audience)
            self._columns[id(wants)] = cached
        _wants, bits, to_all, to_audience = cached
        owner = self._owner.get(have.id)
        if owner is None:
            return np.zeros(len(wants), dtype=bool)
        share = (bits & self._bits.get(owner, self._empty)).any(axis=1)
        have_seen = self._to_all[have.id] | (share & self._to_audience[have.id])
        want_seen = to_all | (share & to_audience)
        return np.asarray(have_seen & want_seen, dtype=bool)


__all__ = [
    "ALLOCATION_RUN",
    "DOCUMENTED_EXCHANGE",
    "FLOW",
    "IMPACT_FACTOR",
    "SYNERGY",
    "SYNERGY_REPORT",
    "Pairing",
    "flow_owner_choices",
    "may",
    "new_flow",
    "staff_sides",
]
