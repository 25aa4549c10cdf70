"""The permission engine answers exactly what the declared tables say, for one object and for lists.

For every object of the two-cluster world, every role and every declared action, the expected answer
is worked out from the table and the relations the world was built with (tests/permissions/world.py);
the engine's ``can`` must give it, and ``scope`` must list exactly the objects ``can`` allows.
"""

from __future__ import annotations

import pytest

from helix.core.access import Grant, Policy, Role, describe
from helix.registry import permissions
from tests.permissions.world import ROLES, build_world

pytestmark = pytest.mark.integration


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    return build_world()


def _user(world, role):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    if role == "anonymous":
        return AnonymousUser()
    user = type(world.users[role]).objects.get(pk=world.users[role].pk)  # no cached actor
    return user


def test_every_world_object_has_declared_rules(world):  # type: ignore[no-untyped-def]
    for thing in world.things.values():
        assert permissions.subject_for(thing.obj).model is type(thing.obj)


def test_can_gives_the_declared_answer_for_every_object_and_action(world):  # type: ignore[no-untyped-def]
    wrong = []
    for role in ROLES:
        wrong += _wrong_answers(world, role)
    assert wrong == []


def _wrong_answers(world, role):  # type: ignore[no-untyped-def]
    user = _user(world, role)
    wrong = []
    for key, thing in world.things.items():
        policy = permissions.subject_for(thing.obj).policy
        for action in policy.actions:
            if action == "create":
                continue
            got = permissions.can(user, action, thing.obj)
            if got != world.expected(policy, action, role, key):
                wrong.append((role, key, action, got))
    return wrong


def test_scope_lists_exactly_what_the_table_allows(world):  # type: ignore[no-untyped-def]
    wrong = []
    for role in ROLES:
        wrong += _wrong_lists(world, role)
    assert wrong == []


def _wrong_lists(world, role):  # type: ignore[no-untyped-def]
    user = _user(world, role)
    wrong = []
    by_model: dict[type, list[str]] = {}
    for key, thing in world.things.items():
        by_model.setdefault(type(thing.obj), []).append(key)
    for model, keys in by_model.items():
        policy = permissions.subject_for(model).policy
        ids = [world.things[k].obj.pk for k in keys]
        for action in policy.actions:
            if action == "create":
                continue
            listed = set(
                permissions.scope(user, action, model.objects.filter(pk__in=ids)).values_list("pk", flat=True)
            )
            expected = {world.things[k].obj.pk for k in keys if world.expected(policy, action, role, k)}
            if listed != expected:
                wrong.append((role, model.__name__, action, sorted(listed ^ expected)))
    return wrong


def test_the_worlds_cases_reach_every_role_and_both_answers(world):  # type: ignore[no-untyped-def]
    """The world is rich enough to mean something: each role is held somewhere, and the organisation
    'view' rule answers yes and no."""
    held = set()
    for role in ROLES:
        for thing in world.things.values():
            held |= world.roles(role, thing)
    assert held == set(Role) - {Role.SUPERUSER}
    policy = permissions.ORGANISATION
    answers = {world.expected(policy, "view", r, "org:a2") for r in ROLES}
    assert answers == {True, False}


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("plain", False),
        ("member_a1", False),
        ("member_ab", False),
        ("staff_b", True),
        ("staff_a", True),
        ("root", True),
    ],
)
def test_create_an_organisation_needs_staff_of_some_cluster(db, role, allowed):  # type: ignore[no-untyped-def]
    from helix.registry.models import Organisation

    world = build_world()
    assert permissions.can_create(_user(world, role), Organisation) is allowed


# -- the declarations themselves (no database) -------------------------------------------------------


@pytest.mark.unit
def test_a_grant_naming_an_undeclared_action_or_condition_is_refused():
    with pytest.raises(ValueError, match="undeclared action"):
        Policy("x.y", "Y", {"view": ""}, (Grant("edit", frozenset({Role.STAFF})),))
    with pytest.raises(ValueError, match="undeclared conditions"):
        Policy("x.y", "Y", {"view": ""}, (Grant("view", frozenset({Role.ANYONE}), frozenset({"public"})),))
    with pytest.raises(ValueError, match="superuser is implied"):
        Grant("view", frozenset({Role.SUPERUSER}))


@pytest.mark.unit
def test_an_unknown_action_is_an_error_not_a_no():
    policy = Policy("x.y", "Y", {"view": ""}, (Grant("view", frozenset({Role.ANYONE})),))
    with pytest.raises(KeyError):
        policy.allows("edit", {Role.STAFF})
    with pytest.raises(KeyError):
        policy.allows("edit", set(), superuser=True)


@pytest.mark.unit
def test_every_condition_of_a_grant_must_hold():
    policy = Policy(
        "x.y",
        "Y",
        {"view": ""},
        (Grant("view", frozenset({Role.AUDIENCE}), frozenset({"active", "members"})),),
        conditions={"active": "", "members": ""},
    )
    assert policy.allows("view", {Role.AUDIENCE}, {"active", "members"}) is True
    assert policy.allows("view", {Role.AUDIENCE}, {"members"}) is False
    assert policy.allows("view", {Role.STAFF}, {"active", "members"}) is False


@pytest.mark.unit
def test_the_rule_table_is_generated_from_the_declarations():
    policy = Policy(
        "x.y",
        "Thing",
        {"view": "", "purge": ""},
        (
            Grant("view", frozenset({Role.ANYONE}), frozenset({"public"})),
            Grant("view", frozenset({Role.STAFF})),
        ),
        conditions={"public": ""},
    )
    assert describe([policy]) == (
        "| object | action | who | when |\n|---|---|---|---|\n"
        "| Thing | view | anyone | public |\n"
        "| Thing | view | staff | always |\n"
        "| Thing | purge | superuser only | always |\n"
    )


def test_callers_with_the_same_scope_key_get_the_same_lists(world):  # type: ignore[no-untyped-def]
    """``scope_key`` is what results are kept under (directory facets, suggestions): two callers with the
    same key must get the same scope for every model and action, and callers whose scopes differ must
    have different keys. Twins of a member and of a staff user share every right with them."""
    from tests.factories import PersonFactory, UserFactory

    twin_member = UserFactory(username="twin_member")
    PersonFactory(organisation=world.orgs["a1"], user=twin_member)
    twin_staff = UserFactory(username="twin_staff")
    twin_staff.staff_assignments.create(cluster=world.clusters["alpha"])
    callers = {role: _user(world, role) for role in ROLES} | {
        "twin_member": twin_member,
        "twin_staff": twin_staff,
    }
    models = {type(thing.obj) for thing in world.things.values()}
    same_key_pairs = 0
    for model in models:
        policy = permissions.subject_for(model).policy
        for action in policy.actions:
            if action == "create":
                continue
            keys = {name: permissions.scope_key(user, action, model) for name, user in callers.items()}
            lists = {
                name: frozenset(
                    permissions.scope(user, action, model.objects.all()).values_list("pk", flat=True)
                )
                for name, user in callers.items()
            }
            for a in callers:
                for b in callers:
                    if a < b and keys[a] == keys[b]:
                        same_key_pairs += 1
                        assert lists[a] == lists[b], (model.__name__, action, a, b)
                    if lists[a] != lists[b]:
                        assert keys[a] != keys[b], (model.__name__, action, a, b)
            personal = any(Role.SELF in grant.roles for grant in policy.grants_for(action))
            if not personal:  # a right of one's own person or account is not shared with a colleague
                assert keys["twin_member"] == keys["member_a1"], (model.__name__, action)
                assert keys["twin_staff"] == keys["staff_a"], (model.__name__, action)
    assert same_key_pairs > 50  # the keys are shared where rights are, not one per user
