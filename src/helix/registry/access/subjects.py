"""A policy tied to a model (:class:`Subject`): who an object's owners, person and cluster are, as ORM
paths, and what each condition means in Python and in SQL (:class:`Fact`); then the register of every
app's subjects, filled by importing each app's ``permissions`` module.
"""

from __future__ import annotations

import functools
import importlib
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Model, Q, QuerySet

from helix.core.access import (
    Policy,
    Role,
)
from helix.registry.access.actor import AUDIENCE_LEVELS, Actor, audience_organisations
from helix.registry.models import (
    Cluster,
    Membership,
)


def _follow(obj: Any, path: str) -> Any:
    for part in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def _follow_all(obj: Any, path: str) -> set[Any]:
    """The values ``path`` reaches, fanning out over to-many relations (their ``.all()``, which uses a
    prefetch where the caller made one)."""
    found: list[Any] = [obj]
    for part in path.split("__"):
        step: list[Any] = []
        for item in found:
            value = getattr(item, part, None) if item is not None else None
            if value is None:
                continue
            if hasattr(value, "all") and callable(value.all):
                step.extend(value.all())
            else:
                step.append(value)
        found = step
    return set(found)


@dataclass(frozen=True)
class Fact:
    """A condition of the policy: ``test`` on an object, ``q`` the same in SQL.

    ``reads_database``: ``test`` queries (not just the object's fields); its answer is then kept on the
    object for the request, as a page asks several actions of one object."""

    test: Callable[[Any], bool]
    q: Callable[[], Q]
    reads_database: bool = False

    def holds(self, obj: Any) -> bool:
        if not self.reads_database:
            return self.test(obj)
        state = getattr(obj, "__dict__", None)
        if state is None:
            return self.test(obj)
        memo: dict[int, bool] = state.setdefault("_helix_facts", {})
        if id(self) not in memo:
            memo[id(self)] = self.test(obj)
        return memo[id(self)]


def field_is(name: str, value: str) -> Fact:
    """The condition "``name`` is ``value``" (a visibility, a confidentiality), in Python and in SQL."""
    return Fact(lambda o: getattr(o, name) == value, lambda: Q(**{name: value}))


@dataclass(frozen=True)
class Subject:
    """How the rules of ``policy`` read objects of ``model``.

    ``organisations``: ORM paths to the owner organisation id(s) (a synergy has two owners);
    ``cluster``: ORM path to the object's own cluster id (an event, a membership); without it, or
    where it is empty (a note filed under no cluster), the object's clusters are those its owner
    organisation(s) have a membership in (for staff: at any level; for the audience: a letter of
    intent signed or more);
    ``person``: ORM path to the person the object is about (the ``self`` role);
    ``account``: ORM path to the user account the object belongs to (also the ``self`` role: a job
    belongs to the user who started it);
    ``member_organisations``: an ORM path through a to-many relation to more owner organisation ids,
    ``"<relation>__<field>"`` (a project's consortium: ``"members__organisation_id"``); every
    organisation it reaches is an owner, as those of ``organisations`` are.
    """

    policy: Policy
    model: type[Model]
    organisations: tuple[str, ...] = ()
    cluster: str | None = None
    person: str | None = None
    account: str | None = None
    member_organisations: str | None = None
    facts: Mapping[str, Fact] = field(default_factory=dict)

    def __post_init__(self) -> None:
        missing = set(self.policy.conditions) - set(self.facts)
        if missing:
            raise ValueError(f"{self.policy.subject}: conditions without a fact: {sorted(missing)}")

    # one object --------------------------------------------------------------------------------------

    def owner_ids(self, obj: Any) -> set[int]:
        owners = {v for path in self.organisations if (v := _follow(obj, path)) is not None}
        if self.member_organisations and getattr(obj, "pk", None) is not None:
            owners |= _follow_all(obj, self.member_organisations)
        return owners

    def roles(self, actor: Actor, obj: Any) -> set[Role]:
        held = {Role.ANYONE}
        if not actor.signed_in:
            return held
        held.add(Role.USER)
        if actor.staff_of:
            held.add(Role.ANY_STAFF)
        owners = self.owner_ids(obj)
        if actor.organisation is not None and actor.organisation in owners:
            held.add(Role.OWNER)
        if self.person and actor.person is not None and _follow(obj, self.person) == actor.person:
            held.add(Role.SELF)
        if self.account and _follow(obj, self.account) == actor.user_id:
            held.add(Role.SELF)
        cluster_id = _follow(obj, self.cluster) if self.cluster else None
        if cluster_id is not None:
            if cluster_id in actor.staff_of:
                held.add(Role.STAFF)
            if cluster_id in actor.member_of:
                held.add(Role.AUDIENCE)
        elif owners:
            held |= self._roles_through_owners(actor, obj, owners)
        return held

    def _roles_through_owners(self, actor: Actor, obj: Any, owners: set[int]) -> set[Role]:
        """STAFF and AUDIENCE held through the owners' memberships (database reads). A page asks several
        actions of one object; the answer is kept on the object for the same actor and owners."""
        state = getattr(obj, "__dict__", None)
        memo: dict[tuple[Any, ...], set[Role]] = (
            {} if state is None else state.setdefault("_helix_owner_roles", {})
        )
        key = (actor, frozenset(owners))
        if key in memo:
            return memo[key]
        held: set[Role] = set()
        if actor.staff_of and (
            Membership.objects.filter(organisation_id__in=owners, cluster_id__in=actor.staff_of).exists()
            or Cluster.objects.filter(pk__in=actor.staff_of, operator_id__in=owners).exists()
        ):
            held.add(Role.STAFF)
        if (
            actor.member_of
            and Membership.objects.filter(
                organisation_id__in=owners, cluster_id__in=actor.member_of, level__in=AUDIENCE_LEVELS
            ).exists()
        ):
            held.add(Role.AUDIENCE)
        memo[key] = held
        return held

    def true_facts(self, obj: Any) -> set[str]:
        return {name for name, fact in self.facts.items() if fact.holds(obj)}

    def allows(self, actor: Actor, action: str, obj: Any) -> bool:
        if actor.is_superuser:
            self.policy.grants_for(action)  # an unknown action is still an error
            return True
        grants = self.policy.grants_for(action)
        if not grants:
            return False
        # Policy.allows over the held roles and the true facts, reading only the facts a grant the actor
        # holds a role for names (a fact may read the database).
        held = self.roles(actor, obj) | {Role.ANYONE}
        return any(
            grant.roles & held and all(self.facts[name].holds(obj) for name in sorted(grant.when))
            for grant in grants
        )

    # many objects ------------------------------------------------------------------------------------

    def _owned_by(self, organisation_ids: Any) -> Q:
        q = Q(pk__in=[])
        for path in self.organisations:
            q |= Q(**{f"{path}__in": organisation_ids})
        if self.member_organisations:
            # a subquery, not a join: an object with several owning members stays one row
            owned = {f"{self.member_organisations}__in": organisation_ids}
            q |= Q(pk__in=self.model._default_manager.filter(**owned).values("pk"))
        return q

    def role_q(self, actor: Actor, role: Role) -> Q | None:
        """The objects on which ``actor`` holds ``role``, as a Q; None where it holds it on none."""
        if role is Role.ANYONE:
            return Q()
        if not actor.signed_in:
            return None
        if role is Role.USER:
            return Q()
        if role is Role.ANY_STAFF:
            return Q() if actor.staff_of else None
        if role is Role.OWNER:
            if actor.organisation is None or not (self.organisations or self.member_organisations):
                return None
            return self._owned_by([actor.organisation])
        if role is Role.SELF:
            mine: list[Q] = []
            if self.account:
                mine.append(Q(**{self.account: actor.user_id}))
            if self.person and actor.person is not None:
                mine.append(Q(**{self.person: actor.person}))
            return functools.reduce(operator.or_, mine) if mine else None
        if role is Role.STAFF:
            if not actor.staff_of:
                return None
            by_owner = self._owned_by(
                Membership.objects.filter(cluster_id__in=actor.staff_of).values("organisation_id")
            ) | self._owned_by(Cluster.objects.filter(pk__in=actor.staff_of).values("operator_id"))
            if self.cluster:
                return Q(**{f"{self.cluster}__in": actor.staff_of}) | (
                    Q(**{f"{self.cluster}__isnull": True}) & by_owner
                )
            return by_owner
        if role is Role.AUDIENCE:
            if not actor.member_of:
                return None
            by_owner = self._owned_by(audience_organisations(actor.member_of))
            if self.cluster:
                return Q(**{f"{self.cluster}__in": actor.member_of}) | (
                    Q(**{f"{self.cluster}__isnull": True}) & by_owner
                )
            return by_owner
        return None

    def scope_key(self, actor: Actor, action: str) -> tuple[Any, ...]:
        """What of ``actor`` the ``action`` scope depends on: two actors with the same key get the same
        scope, so a result computed over it (facet counts, a count) can be kept for the key."""
        if actor.is_superuser:
            return ("superuser",)
        roles: set[Role] = set()
        for grant in self.policy.grants_for(action):
            roles |= grant.roles
        key: list[Any] = [self.policy.subject, action, actor.signed_in]
        if Role.OWNER in roles:
            key.append(("owner", actor.organisation))
        if Role.SELF in roles:
            key.append(("self", actor.user_id, actor.person))
        if roles & {Role.STAFF, Role.ANY_STAFF}:
            key.append(("staff", tuple(sorted(actor.staff_of))))
        if Role.AUDIENCE in roles:
            key.append(("audience", tuple(sorted(actor.member_of))))
        return tuple(key)

    def scope(self, actor: Actor, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        grants = self.policy.grants_for(action)
        if actor.is_superuser:
            return queryset
        condition: Q | None = None
        for grant in grants:
            who: Q | None = None
            for role in sorted(grant.roles):
                q = self.role_q(actor, role)
                if q is not None:
                    who = q if who is None else who | q
            if who is None:
                continue
            for name in sorted(grant.when):
                who &= self.facts[name].q()
            condition = who if condition is None else condition | who
        if condition is None:
            return queryset.none()
        # Paths go through foreign keys and membership subqueries (``__in``), so rows never repeat.
        return queryset.filter(condition)


# -- the register of subjects ---------------------------------------------------------------------------

_SUBJECTS: dict[type[Model], Subject] = {}
_discovered = False


def register(*subjects: Subject) -> None:
    for subject in subjects:
        _SUBJECTS[subject.model] = subject


def _discover() -> None:
    """Import every app's ``permissions`` module so that its subjects are registered."""
    global _discovered
    if _discovered:
        return
    for config in apps.get_app_configs():
        if config.name.startswith("helix."):
            try:
                importlib.import_module(f"{config.name}.permissions")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.permissions":
                    raise
    _discovered = True


def subject_for(model_or_obj: Any) -> Subject:
    _discover()
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    if model in _SUBJECTS:  # a proxy with rules of its own (the cluster seen through its indicators)
        return _SUBJECTS[model]
    model = getattr(model._meta, "concrete_model", model)
    try:
        return _SUBJECTS[model]
    except KeyError:
        raise LookupError(f"no permission rules are declared for {model.__name__}") from None


def subjects() -> list[Subject]:
    _discover()
    return sorted(_SUBJECTS.values(), key=lambda s: s.policy.subject)


def policies() -> list[Policy]:
    return [s.policy for s in subjects()]
