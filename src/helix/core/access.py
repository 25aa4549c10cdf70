"""Who may do what, declared as data.

Each Django app writes, in its ``permissions.py``, one :class:`Policy` per kind of object: the actions
on it (view, list, edit, export, reveal, transition, download ...) and, for each action, which roles may
take it and under which conditions of the object (its visibility, its status). Pages, API, CLI, exports,
admin querysets and matching all ask these tables through ``helix.registry.permissions``; nothing else
decides.

A role is a relation between an actor and one object, never a global title:

- ``anyone``: every caller, anonymous visitors included;
- ``user``: any signed-in account;
- ``audience``: a signed-in person whose organisation is a member (letter of intent signed or more) of a
  cluster in which the object's organisation is a member too: "members of our clusters";
- ``owner``: a person of the organisation the object belongs to (for a person: that person);
- ``staff``: staff of one of the object's clusters;
- ``any_staff``: staff of any cluster (onboarding an organisation that is in no cluster yet);
- ``self``: the person the object is about (their own record, their own data export);
- ``superuser``: may do everything; it is implied and never written in a table.

A condition names a fact about the object ("public", "published", "draft" ...). A grant holds only when
every condition it names is true of the object. The same table answers for one object (``allows``) and,
through the app's translation of roles and conditions into SQL, for a list (``grants_for``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    ANYONE = "anyone"
    USER = "user"
    AUDIENCE = "audience"
    OWNER = "owner"
    STAFF = "staff"
    ANY_STAFF = "any_staff"
    SELF = "self"
    SUPERUSER = "superuser"


ANYONE = frozenset({Role.ANYONE})
SIGNED_IN = frozenset({Role.USER})
AUDIENCE = frozenset({Role.AUDIENCE})
OWNER = frozenset({Role.OWNER})
STAFF = frozenset({Role.STAFF})
OWNER_OR_STAFF = OWNER | STAFF
ANY_STAFF = frozenset({Role.ANY_STAFF})
SELF = frozenset({Role.SELF})
NOBODY: frozenset[Role] = frozenset()  # only a superuser


class UnknownAction(KeyError):
    """A caller asked about an action the policy does not declare: a programming error, never a 'no'."""


@dataclass(frozen=True)
class Grant:
    """``roles`` may take ``action`` on an object for which every condition in ``when`` holds."""

    action: str
    roles: frozenset[Role]
    when: frozenset[str] = frozenset()
    note: str = ""

    def __post_init__(self) -> None:
        if Role.SUPERUSER in self.roles:
            raise ValueError(f"{self.action}: the superuser is implied; do not list it")


@dataclass(frozen=True)
class Policy:
    """Every action on one kind of object and who may take it.

    ``conditions`` lists the facts the grants may name; ``actions`` the actions, each with a help line.
    An action with no grant is allowed to the superuser only (and says so in the rule table).
    """

    subject: str
    label: str
    actions: Mapping[str, str]
    grants: tuple[Grant, ...]
    conditions: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for grant in self.grants:
            if grant.action not in self.actions:
                raise ValueError(f"{self.subject}: grant for undeclared action {grant.action!r}")
            unknown = grant.when - set(self.conditions)
            if unknown:
                raise ValueError(f"{self.subject}.{grant.action}: undeclared conditions {sorted(unknown)}")

    def grants_for(self, action: str) -> tuple[Grant, ...]:
        if action not in self.actions:
            raise UnknownAction(f"{self.subject} declares no action {action!r}")
        return tuple(g for g in self.grants if g.action == action)

    def allows(
        self, action: str, roles: Iterable[Role], facts: Iterable[str] = (), *, superuser: bool = False
    ) -> bool:
        """May an actor holding ``roles`` on an object of which ``facts`` are true take ``action``?"""
        grants = self.grants_for(action)
        if superuser:
            return True
        held = set(roles) | {Role.ANYONE}
        true = set(facts)
        return any(g.roles & held and g.when <= true for g in grants)

    def rows(self) -> list[tuple[str, str, str]]:
        """(action, who, when) rows for the rule table in docs/security.md."""
        out: list[tuple[str, str, str]] = []
        for action in self.actions:
            grants = self.grants_for(action)
            if not grants:
                out.append((action, "superuser only", ""))
            for g in grants:
                who = ", ".join(sorted(r.value for r in g.roles)) or "superuser only"
                out.append((action, who, ", ".join(sorted(g.when))))
        return out


REACH_CONDITIONS: Mapping[str, str] = {
    "active": "open: published (a listing, not expired) or active (a flow)",
    "public": "visible to anyone",
    "members": "visible to members of our clusters",
    "staff": "visible to cluster staff only",
}


def reach(action: str, *, public: frozenset[Role] = ANYONE) -> tuple[Grant, ...]:
    """The reach of a need, an offer or a resource flow, for ``action``: ``public`` roles when it is
    active and public, the audience and staff when active and for members, and always its own
    organisation and its clusters' staff (who follow drafts and closed ones too)."""
    return (
        Grant(action, public, frozenset({"active", "public"})),
        Grant(action, AUDIENCE | STAFF, frozenset({"active", "members"})),
        Grant(action, OWNER_OR_STAFF),
    )


def describe(policies: Iterable[Policy]) -> str:
    """The rule table as Markdown, generated from the declarations (docs/security.md embeds it)."""
    lines = ["| object | action | who | when |", "|---|---|---|---|"]
    for policy in policies:
        for action, who, when in policy.rows():
            lines.append(f"| {policy.label} | {action} | {who} | {when or 'always'} |")
    return "\n".join(lines) + "\n"
