"""Who may invite whom, and who sees and decides sign-up requests.

An invitation belongs to the organisation it invites to and, for one to a new organisation, to the cluster
that organisation will join: ``staff`` are the staff of that cluster, or of the organisation's clusters.
``owner`` is a person of the organisation: a member user invites colleagues of their own organisation,
nobody else's, and only as a colleague's invitation (``colleague``: the daily limit applies). ``self`` is
the user who sent it. A sign-up request belongs to the cluster it names, or else to the clusters of the
organisation picked from the directory; one that reaches no cluster (``unrouted``) is open to the staff of
any cluster.

The pages, the CLI and the services ask here (``helix.registry.permissions.can`` / ``scope`` / ``may``).
"""

from __future__ import annotations

from django.db.models import Q

from helix.core.access import ANY_STAFF, ANYONE, OWNER, SELF, STAFF, Grant, Policy
from helix.people.models import Invitation, InvitationKind, SignupRequest
from helix.registry.models import Cluster, Membership
from helix.registry.permissions import Fact, Subject, field_is, register

INVITATION = Policy(
    subject="people.invitation",
    label="Invitation",
    actions={
        "create": "invite someone by e-mail to join the organisation (or a new one in the cluster)",
        "list": "open the list of invitations (each row is then checked for view)",
        "view": "see the invitation, its status and who sent it",
        "resend": "send it again with a new link and a new expiry date (the old link stops working)",
        "revoke": "withdraw it: the link stops working",
    },
    conditions={"colleague": "a colleague's invitation (a few a day), not one sent as cluster staff"},
    grants=(
        Grant("create", STAFF),
        Grant("create", OWNER, frozenset({"colleague"}), note="a colleague of their own organisation"),
        Grant("list", ANY_STAFF),
        Grant("view", STAFF | SELF),
        Grant("resend", STAFF | SELF),
        Grant("revoke", STAFF | SELF),
    ),
)

SIGNUP_REQUEST = Policy(
    subject="people.signuprequest",
    label="Sign-up request",
    actions={
        "create": "ask for an account on the public sign-up form",
        "list": "open the list of sign-up requests (each row is then checked for view)",
        "view": "see the request: the person, their organisation and message",
        "decide": "approve it (create the account, attach it to an organisation) or reject it",
    },
    conditions={"unrouted": "it names no cluster, and its organisation (if any) is in none"},
    grants=(
        Grant("create", ANYONE),
        Grant("list", ANY_STAFF),
        Grant("view", STAFF),
        Grant("view", ANY_STAFF, frozenset({"unrouted"})),
        Grant("decide", STAFF),
        Grant("decide", ANY_STAFF, frozenset({"unrouted"})),
    ),
)


def _in_a_cluster() -> Q:
    return Q(organisation_id__in=Membership.objects.values("organisation_id")) | Q(
        organisation_id__in=Cluster.objects.values("operator_id")
    )


def _unrouted(request: SignupRequest) -> bool:
    if request.cluster_id is not None:
        return False
    if request.organisation_id is None:
        return True
    return not (
        Membership.objects.filter(organisation_id=request.organisation_id).exists()
        or Cluster.objects.filter(operator_id=request.organisation_id).exists()
    )


register(
    Subject(
        INVITATION,
        Invitation,
        organisations=("organisation_id",),
        cluster="cluster_id",
        account="invited_by_id",
        facts={"colleague": field_is("kind", InvitationKind.COLLEAGUE)},
    ),
    Subject(
        SIGNUP_REQUEST,
        SignupRequest,
        organisations=("organisation_id",),
        cluster="cluster_id",
        facts={
            "unrouted": Fact(
                _unrouted,
                lambda: Q(cluster__isnull=True) & (Q(organisation__isnull=True) | ~_in_a_cluster()),
                reads_database=True,
            )
        },
    ),
)
