"""The API permission matrix: every operation of the OpenAPI schema × every role × the world's objects.

Callers use API tokens (anonymous: none). The expected answer comes from the declared tables read with
the world's relations. Lists must hold exactly what the table allows; an operation missing from
tests/permissions/api_routes.py fails the test.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from helix.api.models import ApiToken
from helix.api.urls import api
from helix.registry import permissions
from tests.permissions.api_routes import API_ROUTES, Exempt, Gate, Listed
from tests.permissions.world import ROLES, World, build_world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

NOTHING: Any = type(
    "Nothing",
    (),
    {
        "owners": frozenset(),
        "clusters": frozenset(),
        "audience": frozenset(),
        "person": None,
        "facts": frozenset(),
    },
)()


def operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}


def test_every_api_operation_has_an_entry_in_the_matrix():
    assert sorted(operations() - set(API_ROUTES)) == []
    assert sorted(set(API_ROUTES) - operations()) == []


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return build_world()


def _client(world: World, role: str) -> Client:
    if role == "anonymous":
        return Client()
    _token, secret = ApiToken.objects.issue(world.users[role], name="matrix")
    return Client(headers={"Authorization": f"Bearer {secret}"})


def _call(client: Client, method: str, url: str, query: Any = None, body: Any = None) -> Any:
    if method == "GET":
        return client.get(url, query or {})
    return client.generic(method, url, json.dumps(body or {}), content_type="application/json")


def _fill(path: str, values: Any) -> str:
    for name, value in values.items():
        path = path.replace("{" + name + "}", str(value))
    return path


APPS = sorted({path.split("/")[2] for _method, path in API_ROUTES})


@pytest.mark.parametrize("app", APPS)
def test_each_operation_answers_each_role_as_the_table_says(world, app):  # type: ignore[no-untyped-def]
    clients = {role: _client(world, role) for role in ROLES}
    wrong: list[str] = []
    for (method, path), entry in sorted(API_ROUTES.items()):
        if isinstance(entry, Exempt) or path.split("/")[2] != app:
            continue
        if isinstance(entry, Gate):
            url = _fill(path, entry.path)
            for role in ROLES:
                allowed = role == "root" or bool(world.roles(role, NOTHING) & entry.roles)
                status = _call(clients[role], method, url, body=entry.body).status_code
                if (status in entry.ok) != allowed or (not allowed and status not in (401, 403, 404)):
                    wrong.append(f"{method} {url} {role} {status} {'allowed' if allowed else 'refused'}")
            continue
        keys = [k for k in world.things if k.split(":")[0] == entry.things]
        assert keys, f"{path}: the world holds no {entry.things!r}"
        if isinstance(entry, Listed):
            for role in ROLES:
                answer = _call(clients[role], method, path, entry.query)
                ours = {entry.of(world.things[k].obj): k for k in keys}
                if answer.status_code == 401 and role == "anonymous":  # a list for signed-in callers
                    listed: set[str] = set()
                else:
                    assert answer.status_code == 200, (path, role, answer.status_code)
                    body = answer.json()
                    items = body["items"] if isinstance(body, dict) and "items" in body else body
                    listed = {ours[x] for x in {entry.key(item) for item in items} if x in ours}
                expected = {
                    k
                    for k in keys
                    if world.expected(
                        permissions.subject_for(world.things[k].obj).policy, entry.action, role, k
                    )
                }
                if listed != expected:
                    wrong.append(f"{method} {path} {role} lists {sorted(listed ^ expected)} wrongly")
            continue
        for key in keys:
            thing = world.things[key]
            policy = permissions.subject_for(thing.obj).policy
            url = _fill(path, entry.path(thing.obj))
            for role in ROLES:
                allowed = world.expected(policy, entry.action, role, key)
                status = _call(
                    clients[role], method, url, entry.query(thing.obj), body=entry.body(thing.obj)
                ).status_code
                good = status in entry.ok if allowed else status in entry.refused
                if not good:
                    wrong.append(
                        f"{method} {url} {key} {role} {status} {'allowed' if allowed else 'refused'}"
                    )
    assert wrong == [], "\n".join(wrong)
