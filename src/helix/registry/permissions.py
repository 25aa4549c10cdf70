"""Who may do what: the registry's rules, and the one engine every app's ``permissions.py`` uses.

The rules are data (``helix.core.access``): a :class:`~helix.core.access.Policy` per kind of object. This
module turns them into answers about Django objects:

- :func:`actor_for` says what a user is: their organisation, the clusters it is a member of (the audience
  rule, "members of our clusters": a letter of intent signed or more, :data:`AUDIENCE_LEVELS`), the
  clusters they are staff of, superuser or not;
- a :class:`Subject` ties a policy to a model and says, as ORM paths, who the object's owner
  organisation(s), person and cluster are, and what each condition means (in Python and in SQL);
- :func:`can` answers for one object, :func:`scope` narrows a queryset to the objects the user may take an
  action on; both read the same table, so lists and single objects never disagree.

Pages, API, CLI, exports, job downloads, admin querysets, form choices and matching ask here.
"""

from __future__ import annotations

import functools
import importlib
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Model, Q, QuerySet

from helix.core.access import (
    ANY_STAFF,
    ANYONE,
    OWNER,
    OWNER_OR_STAFF,
    SELF,
    STAFF,
    Grant,
    Policy,
    Role,
)
from helix.core.registry.ladder import EngagementLevel
from helix.pagecache import remember
from helix.registry.models import (
    AdvisoryGroup,
    AdvisorySeat,
    Cluster,
    Domain,
    Interaction,
    LetterOfIntent,
    Membership,
    Organisation,
    Person,
    Site,
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


# -- subjects: a policy tied to a model ------------------------------------------------------------------


def _follow(obj: Any, path: str) -> Any:
    for part in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


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
    belongs to the user who started it).
    """

    policy: Policy
    model: type[Model]
    organisations: tuple[str, ...] = ()
    cluster: str | None = None
    person: str | None = None
    account: str | None = None
    facts: Mapping[str, Fact] = field(default_factory=dict)

    def __post_init__(self) -> None:
        missing = set(self.policy.conditions) - set(self.facts)
        if missing:
            raise ValueError(f"{self.policy.subject}: conditions without a fact: {sorted(missing)}")

    # one object --------------------------------------------------------------------------------------

    def owner_ids(self, obj: Any) -> set[int]:
        return {v for path in self.organisations if (v := _follow(obj, path)) is not None}

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
            if actor.organisation is None or not self.organisations:
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


def can(user: Any, action: str, obj: Any) -> bool:
    """May ``user`` take ``action`` on ``obj``? The one question every surface asks."""
    return subject_for(obj).allows(actor_for(user), action, obj)


def scope(user: Any, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """``queryset`` narrowed to the objects on which ``user`` may take ``action``."""
    return subject_for(queryset.model).scope(actor_for(user), action, queryset)


def scope_key(user: Any, action: str, model: type[Model]) -> tuple[Any, ...]:
    """A key equal for two users exactly when ``scope(user, action, ...)`` is bound to be the same."""
    return subject_for(model).scope_key(actor_for(user), action)


def may(user: Any, action: str, model: type[Model]) -> bool:
    """May ``user`` take ``action`` where there is no object yet (create one, open a staff page, start a
    run, import)? Only the roles that need no object count: anyone, signed in, staff of any cluster; a
    grant with conditions about the object does not."""
    actor = actor_for(user)
    policy = subject_for(model).policy
    if actor.is_superuser:
        policy.grants_for(action)  # an unknown action is still an error
        return True
    held = {Role.ANYONE}
    if actor.signed_in:
        held.add(Role.USER)
    if actor.staff_of:
        held.add(Role.ANY_STAFF)
    return policy.allows(action, held)


def can_create(user: Any, model: type[Model]) -> bool:
    return may(user, "create", model)


# -- the registry's rules ---------------------------------------------------------------------------------

_PUBLISHED = Fact(lambda o: bool(o.is_published), lambda: Q(is_published=True))
_UNAFFILIATED = Fact(
    lambda o: not o.memberships.exists() and not o.operated_clusters.exists(),
    lambda: (
        ~Q(pk__in=Membership.objects.values("organisation_id"))
        & ~Q(pk__in=Cluster.objects.values("operator_id"))
    ),
    reads_database=True,
)

ORGANISATION = Policy(
    subject="registry.organisation",
    label="Organisation",
    actions={
        "view": "see the profile",
        "create": "add an organisation",
        "edit": "change the profile, its sites and people",
        "view_contacts": "see people's e-mail, phone and consents",
        "log_interaction": "log a meeting, call or visit under one of the staff member's clusters",
        "export": "download it in the registry export",
        "import": "change it through a registry import",
        "transfer": "open the registry import and export (each row is then checked for import or export)",
    },
    conditions={
        "published": "the profile is published",
        "unaffiliated": "it is in no cluster yet, as member or operator (being onboarded)",
    },
    grants=(
        Grant("view", ANYONE, frozenset({"published"})),
        Grant("view", OWNER_OR_STAFF),
        Grant("view", ANY_STAFF, frozenset({"unaffiliated"})),
        Grant("create", ANY_STAFF),
        Grant("edit", OWNER_OR_STAFF),
        Grant("edit", ANY_STAFF, frozenset({"unaffiliated"})),
        Grant("view_contacts", OWNER_OR_STAFF),
        Grant("log_interaction", STAFF),
        Grant("export", STAFF),
        Grant("import", STAFF),
        Grant("import", ANY_STAFF, frozenset({"unaffiliated"})),
        Grant("transfer", ANY_STAFF),
    ),
)

PERSON = Policy(
    subject="registry.person",
    label="Person",
    actions={
        "view": "see the name and job title",
        "view_contacts": "see e-mail, phone and consents",
        "edit": "change the person",
        "view_personal_data": "see the person's privacy page: their data, consents and consent history",
        "change_consents": "record that the person gives or withdraws a consent",
        "export_data": "download everything Helix holds about the person",
        "erase": "erase the person (anonymise)",
    },
    conditions={
        "public": "the person agreed to appear on the published profile of their organisation",
    },
    grants=(
        Grant("view", ANYONE, frozenset({"public"})),
        Grant("view", OWNER_OR_STAFF | SELF),
        Grant("view_contacts", OWNER_OR_STAFF | SELF),
        Grant("edit", OWNER_OR_STAFF | SELF),
        # Not colleagues: they see the contact data on the profile, not the consent history or erasure.
        Grant("view_personal_data", SELF | STAFF),
        Grant("change_consents", SELF | STAFF),
        Grant("export_data", SELF | STAFF),
        Grant("erase", SELF | STAFF),
    ),
)

SITE = Policy(
    subject="registry.site",
    label="Site",
    actions={"view": "see the address", "edit": "change the site"},
    conditions={"published": "its organisation's profile is published"},
    grants=(
        Grant("view", ANYONE, frozenset({"published"})),
        Grant("view", OWNER_OR_STAFF),
        Grant("edit", OWNER_OR_STAFF),
    ),
)

CLUSTER = Policy(
    subject="registry.cluster",
    label="Cluster",
    actions={"view": "see the cluster page", "manage": "change the cluster, its domains and groups"},
    grants=(Grant("view", ANYONE), Grant("manage", STAFF)),
)

MEMBERSHIP = Policy(
    subject="registry.membership",
    label="Membership",
    actions={
        "view": "see that the organisation is a member, at which level",
        "edit": "change the level, domains and relationship manager",
    },
    conditions={"published": "the member's profile is published"},
    grants=(
        Grant("view", ANYONE, frozenset({"published"})),
        Grant("view", OWNER_OR_STAFF),
        Grant("edit", STAFF),
    ),
)

LETTER_OF_INTENT = Policy(
    subject="registry.letterofintent",
    label="Letter of intent",
    actions={"view": "see the letter", "download": "download the signed document", "edit": "change it"},
    grants=(
        Grant("view", OWNER_OR_STAFF),
        Grant("download", OWNER_OR_STAFF),
        Grant("edit", STAFF),
    ),
)

INTERACTION = Policy(
    subject="registry.interaction",
    label="Interaction note",
    actions={"view": "read the note", "edit": "log or change a note"},
    grants=(Grant("view", STAFF), Grant("edit", STAFF)),
)

DOMAIN = Policy(
    subject="registry.domain",
    label="Cluster domain",
    actions={"view": "see the domain", "edit": "change the domain"},
    grants=(Grant("view", ANYONE), Grant("edit", STAFF)),
)

ADVISORY_GROUP = Policy(
    subject="registry.advisorygroup",
    label="Advisory group",
    actions={"view": "see the group and its balance", "edit": "change the group and its seats"},
    grants=(Grant("view", ANYONE), Grant("edit", STAFF)),
)

ADVISORY_SEAT = Policy(
    subject="registry.advisoryseat",
    label="Advisory seat",
    actions={"view": "see who holds the seat", "edit": "change the seat"},
    conditions={"public": "the person agreed to appear publicly and their organisation is published"},
    grants=(
        Grant("view", ANYONE, frozenset({"public"})),
        Grant("view", STAFF | OWNER),
        Grant("edit", STAFF),
    ),
)


register(
    Subject(
        ORGANISATION,
        Organisation,
        organisations=("pk",),
        facts={"published": _PUBLISHED, "unaffiliated": _UNAFFILIATED},
    ),
    Subject(
        PERSON,
        Person,
        organisations=("organisation_id",),
        person="pk",
        facts={
            "public": Fact(
                lambda o: bool(o.consent_public and o.organisation.is_published),
                lambda: Q(consent_public=True, organisation__is_published=True),
            )
        },
    ),
    Subject(
        SITE,
        Site,
        organisations=("organisation_id",),
        facts={
            "published": Fact(
                lambda o: bool(o.organisation.is_published), lambda: Q(organisation__is_published=True)
            )
        },
    ),
    Subject(CLUSTER, Cluster, cluster="pk"),
    Subject(
        MEMBERSHIP,
        Membership,
        organisations=("organisation_id",),
        cluster="cluster_id",
        facts={
            "published": Fact(
                lambda o: bool(o.organisation.is_published), lambda: Q(organisation__is_published=True)
            )
        },
    ),
    Subject(DOMAIN, Domain, cluster="cluster_id"),
    Subject(ADVISORY_GROUP, AdvisoryGroup, cluster="cluster_id"),
    Subject(LETTER_OF_INTENT, LetterOfIntent, organisations=("organisation_id",), cluster="cluster_id"),
    # A note filed under no cluster is read by the staff of any of the organisation's clusters.
    Subject(INTERACTION, Interaction, organisations=("organisation_id",), cluster="cluster_id"),
    Subject(
        ADVISORY_SEAT,
        AdvisorySeat,
        organisations=("person__organisation_id",),
        cluster="group__cluster_id",
        person="person_id",
        facts={
            "public": Fact(
                lambda o: bool(o.person.consent_public and o.person.organisation.is_published),
                lambda: Q(person__consent_public=True, person__organisation__is_published=True),
            )
        },
    ),
)


# -- the registry's questions, as the pages, API and CLI ask them -------------------------------------------


def staff_cluster_ids(user: Any) -> set[int]:
    return set(actor_for(user).staff_of)


def is_cluster_staff(user: Any) -> bool:
    actor = actor_for(user)
    return actor.is_superuser or bool(actor.staff_of)


def own_organisation_id(user: Any) -> int | None:
    return actor_for(user).organisation


def visible_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations ``user`` may see: published ones, their own, their clusters' (staff)."""
    return scope(user, "view", Organisation.objects.all())


def can_view_organisation(user: Any, organisation: Organisation) -> bool:
    return can(user, "view", organisation)


def can_edit_organisation(user: Any, organisation: Organisation) -> bool:
    return can(user, "edit", organisation)


def can_manage_cluster(user: Any, cluster: Cluster) -> bool:
    return can(user, "manage", cluster)


def can_create_organisation(user: Any) -> bool:
    return can_create(user, Organisation)


def is_responsible_staff(user: Any, organisation: Organisation) -> bool:
    """Staff responsible for ``organisation``: it is in one of their clusters (or they are superuser)."""
    actor = actor_for(user)
    if actor.is_superuser:
        return True
    return Role.STAFF in subject_for(Organisation).roles(actor, organisation)


def can_see_contact_data(user: Any, organisation: Organisation) -> bool:
    """E-mail, phone and consents of an organisation's people: its responsible staff and its own people."""
    return can(user, "view_contacts", organisation)
