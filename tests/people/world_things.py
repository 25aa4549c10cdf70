"""Invitations and sign-up requests of every kind for the permission test world (tests/permissions)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from helix.core.people.lifecycle import invitation_expiry


def add_people(w: Any) -> None:
    """Invitations: by staff_a to a1 (in alpha), by staff_b to a new organisation in beta, by member_b1 to
    its own b1, by member_ab to ab (in alpha and beta). Confirmed sign-ups: a new organisation in alpha,
    one naming b1 (no cluster), one naming the loose organisation (in no cluster: unrouted)."""
    from helix.people.models import Invitation, InvitationKind, SignupRequest, new_token
    from tests.permissions.world import Thing

    now = timezone.now()

    def invitation(key: str, by: str, **fields: Any) -> Invitation:
        _token, digest = new_token()
        return Invitation.objects.create(
            email=f"{key}@example.org",
            first_name="Ines",
            last_name=key.title(),
            invited_by=w.users[by],
            token_hash=digest,
            sent_at=now,
            expires_at=invitation_expiry(now),
            **fields,
        )

    w.things["invitation:a1"] = w.org_thing("a1", obj=invitation("a1", "staff_a", organisation=w.orgs["a1"]))
    new = invitation("newco", "staff_b", organisation_name="Newco", cluster=w.clusters["beta"])
    w.things["invitation:new-beta"] = Thing(new, clusters=frozenset({"beta"}), audience=frozenset({"beta"}))
    for org in ("b1", "ab"):
        by = f"member_{org}"
        made = invitation(f"colleague-{org}", by, organisation=w.orgs[org], kind=InvitationKind.COLLEAGUE)
        w.things[f"invitation:colleague-{org}"] = w.org_thing(org, obj=made, person=by)

    def signup(key: str, **fields: Any) -> SignupRequest:
        return SignupRequest.objects.create(
            first_name="Sam",
            last_name=key.title(),
            email=f"signup-{key}@example.org",
            status="pending",
            **fields,
        )

    made = signup("alpha-new", organisation_name="Startco", cluster=w.clusters["alpha"])
    w.things["signuprequest:alpha-new"] = Thing(
        made, clusters=frozenset({"alpha"}), audience=frozenset({"alpha"})
    )
    made = signup("b1", organisation=w.orgs["b1"], organisation_name=w.orgs["b1"].name)
    w.things["signuprequest:b1"] = w.org_thing("b1", obj=made)
    made = signup("loose", organisation=w.orgs["loose"], organisation_name=w.orgs["loose"].name)
    w.things["signuprequest:loose"] = w.org_thing("loose", obj=made, facts=frozenset({"unrouted"}))
