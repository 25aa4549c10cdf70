"""The permission matrix: every page route × every role × the objects of the two-cluster world.

The routes come from the URL configuration; each must have an entry in tests/permissions/routes.py. The
expected answer for each cell comes from the declared permission table of the object's app, read with
the relations the world was built with (never from the engine): allowed is a 200 (or the entry's own
answers, for a POST); refused is a 404 or 403, or for an anonymous visitor a redirect to the login.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from helix.registry import permissions
from tests.permissions.routes import ROUTES, Exempt, Gate
from tests.permissions.world import ROLES, World, build_world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

SEPARATE = ("admin/", "api/", "static/", "media/")  # the admin and the API have matrices of their own


def page_routes() -> dict[str, str]:
    """URL name -> pattern of every named page route."""
    found: dict[str, str] = {}

    def walk(patterns: list[Any], prefix: str, namespace: str | None) -> None:
        for item in patterns:
            if isinstance(item, URLResolver):
                inner = ":".join(x for x in (namespace, item.namespace) if x) or None
                walk(item.url_patterns, prefix + str(item.pattern), inner)
            elif isinstance(item, URLPattern) and item.name:
                route = prefix + str(item.pattern)
                if not route.startswith(SEPARATE):
                    found[f"{namespace}:{item.name}" if namespace else item.name] = route

    walk(get_resolver().url_patterns, "", None)
    return found


def test_every_page_route_has_an_entry_in_the_matrix():
    missing = sorted(set(page_routes()) - set(ROUTES))
    assert missing == []
    stale = sorted(set(ROUTES) - set(page_routes()))
    assert stale == []


def _client(world: World, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def _refused(response: Any, role: str) -> bool:
    """403 or 404; a redirect to the login for a visitor; or, for a page's POST on an object the caller
    may see, a redirect back with the refusal as an error message (helix.actions.act)."""
    if response.status_code in (403, 404):
        return True
    if response.status_code != 302:
        return False
    if role == "anonymous":
        return "/accounts/login/" in response["Location"]
    said = [m for m in get_messages(response.wsgi_request) if m.level == messages.ERROR]
    return response.wsgi_request.method == "POST" and bool(said)


def _call(client: Client, method: str, url: str) -> Any:
    return client.post(url, {}) if method == "POST" else client.get(url)


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return build_world()


APPS = sorted({name.split(":")[0] for name in ROUTES if ":" in name} | {"accounts"})


@pytest.mark.parametrize("app", APPS)
def test_each_route_answers_each_role_as_the_table_says(world, app):  # type: ignore[no-untyped-def]
    wrong: list[tuple[str, str, str, int, str]] = []
    clients = {role: _client(world, role) for role in ROLES}
    for name, entry in sorted(ROUTES.items()):
        if isinstance(entry, Exempt) or (name.split(":")[0] if ":" in name else "accounts") != app:
            continue
        if isinstance(entry, Gate):
            url = reverse(name, kwargs=dict(entry.kwargs))
            for role in ROLES:
                held = world.roles(role, _NOTHING)
                allowed = role == "root" or bool(held & entry.roles)
                wrong += _check(clients[role], entry.method, url, role, allowed, entry.ok, name, "-")
            continue
        keys = [k for k in world.things if k.split(":")[0] == entry.things and k in (entry.only or (k,))]
        assert keys, f"{name}: the world holds no {entry.things!r}"
        for key in keys:
            thing = world.things[key]
            policy = permissions.subject_for(thing.obj).policy
            url = reverse(name, kwargs=dict(entry.kwargs(thing.obj)))
            for role in ROLES:
                allowed = world.expected(policy, entry.action, role, key)
                wrong += _check(clients[role], entry.method, url, role, allowed, entry.ok, name, key)
    assert wrong == [], "\n".join(" ".join(map(str, row)) for row in wrong)


class _Nothing:
    owners: frozenset[str] = frozenset()
    clusters: frozenset[str] = frozenset()
    audience: frozenset[str] = frozenset()
    person = None
    facts: frozenset[str] = frozenset()


_NOTHING: Any = _Nothing()


def _check(
    client: Client, method: str, url: str, role: str, allowed: bool, ok: frozenset[int], name: str, key: str
) -> list[tuple[str, str, str, int, str]]:
    response = _call(client, method, url)
    if allowed:
        good = response.status_code in ok and not (
            response.status_code == 302 and "/accounts/login/" in response.get("Location", "")
        )
    else:
        good = _refused(response, role)
    if good:
        return []
    return [(name, key, role, response.status_code, "should be allowed" if allowed else "should be refused")]
