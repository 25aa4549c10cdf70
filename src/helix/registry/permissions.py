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

The engine's parts live in helix.registry.access (the actor, subjects and their register); this module is
the public API every app imports (``__all__``).
"""

from __future__ import annotations

from typing import Any

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
from helix.registry.access.actor import AUDIENCE_LEVELS, Actor, actor_for, member_cluster_ids
from helix.registry.access.subjects import Fact, Subject, field_is, policies, register, subject_for, subjects
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

__all__ = [
    "ADVISORY_GROUP",
    "ADVISORY_SEAT",
    "AUDIENCE_LEVELS",
    "CLUSTER",
    "DOMAIN",
    "INTERACTION",
    "LETTER_OF_INTENT",
    "MEMBERSHIP",
    "ORGANISATION",
    "PERSON",
    "SITE",
    "Actor",
    "Fact",
    "Subject",
    "actor_for",
    "can",
    "can_create",
    "can_create_organisation",
    "can_edit_organisation",
    "can_manage_cluster",
    "can_see_contact_data",
    "can_view_organisation",
    "field_is",
    "is_cluster_staff",
    "is_responsible_staff",
    "may",
    "member_cluster_ids",
    "own_organisation_id",
    "policies",
    "register",
    "scope",
    "scope_key",
    "staff_cluster_ids",
    "subject_for",
    "subjects",
    "visible_organisations",
]


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
