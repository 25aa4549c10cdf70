"""The admin permission matrix: every ModelAdmin of the site × every role × the objects of the world.

Every admin registered in ``django.contrib.admin.site`` is either scoped by its model's permission table
(``ClusterScopedAdmin``, with ``edit_action`` an action the table declares) or for superusers only; a
handful of admins with a rule of their own are named below with the reason. A new admin that is neither
fails the first test.

For each scoped admin whose model has objects in the world, and for each role, the expected answers come
from the declared table read with the world's relations (never from the engine):
- the changelist lists exactly the world's objects the table lets the role take ``edit_action`` on;
- each object's change page answers 200 when the table allows it, and refuses otherwise (a redirect to
  the admin index or to the login, a 403 or a 404);
- the add form's choices for every foreign key and many-to-many field to a model with a permission table
  (its inlines' too) are the objects the role may take the related admin's action on: equal to
  ``scope(...)`` of that model, and, for the world's objects, what the table says.
Cluster staff reach the admin through ``services.assign_cluster_staff`` (the world does this); member
users and plain accounts are sent to the admin login.
"""

from __future__ import annotations

from typing import Any

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.forms import ModelChoiceField
from django.test import Client, RequestFactory
from django.urls import reverse

from helix.registry import models as registry
from helix.registry import permissions
from helix.registry.admin import ClusterScopedAdmin, choice_action
from tests.permissions.world import ROLES, World, build_world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

# Admins with a rule of their own, neither scoped by a table nor for superusers only.
OWN_RULE = {
    registry.Sector: "the NACE table: one reference vocabulary for every cluster, read by staff (no rows "
    "of anyone's), written by data migrations",
    registry.Keyword: "free keywords shared by every cluster; staff read and add them, nothing private",
    LogEntry: "the audit trail: entries_visible_to (the entries of the viewer's clusters), tested in "
    "tests/audit/test_admin.py",
}

NOT_STAFF = (
    "anonymous",
    "plain",
    "member_a1",
    "member_a2",
    "member_a3",
    "member_ab",
    "member_b1",
    "member_b2",
)


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return build_world()


def registered() -> list[tuple[type[Any], admin.ModelAdmin]]:  # type: ignore[type-arg]
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def scoped_models() -> list[str]:
    return [m._meta.label for m, a in registered() if isinstance(a, ClusterScopedAdmin)]


def request_as(world: World, role: str, path: str = "/admin/") -> Any:
    request = RequestFactory().get(path)
    request.user = (
        AnonymousUser()
        if role == "anonymous"
        else type(world.users[role]).objects.get(pk=world.users[role].pk)
    )
    return request


def test_every_admin_is_scoped_by_its_table_or_for_superusers_only(world):
    loose = []
    for model, model_admin in registered():
        label = model._meta.label
        if isinstance(model_admin, ClusterScopedAdmin):
            policy = permissions.subject_for(model).policy  # LookupError: a scoped admin needs a table
            assert model_admin.edit_action in policy.actions, (label, model_admin.edit_action)
            continue
        if model in OWN_RULE:
            continue
        for role in ROLES:
            if role == "root":
                continue
            request = request_as(world, role)
            answers = (
                model_admin.has_module_permission(request),
                model_admin.has_view_permission(request),
                model_admin.has_add_permission(request),
                model_admin.has_change_permission(request),
                model_admin.has_delete_permission(request),
            )
            if any(answers):
                loose.append(f"{label} ({type(model_admin).__name__}) opens to {role}: {answers}")
    assert loose == [], "\n".join(loose)


def test_the_superuser_only_admins_are_open_to_the_superuser(world):
    request = request_as(world, "root")
    for model, model_admin in registered():
        assert model_admin.has_module_permission(request), model._meta.label
        assert model_admin.has_view_permission(request), model._meta.label


def _world_keys(world: World, model: type[Any]) -> list[str]:
    return sorted(k for k, thing in world.things.items() if type(thing.obj) is model)


def _url(model: type[Any], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _client(world: World, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def _refused(response: Any) -> bool:
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and response["Location"].split("?")[0] in ("/admin/", "/admin/login/")


@pytest.mark.parametrize("label", scoped_models())
def test_each_scoped_admin_lists_and_opens_what_the_table_allows(world, label):
    model = next(m for m, _a in registered() if m._meta.label == label)
    model_admin = admin.site._registry[model]
    keys = _world_keys(world, model)
    if not keys:
        pytest.skip(f"the world holds no {label}")
    policy = permissions.subject_for(model).policy
    action = model_admin.edit_action
    ours = {world.things[k].obj.pk: k for k in keys}
    wrong: list[str] = []
    for role in ROLES:
        client = _client(world, role)
        expected = {k for k in keys if world.expected(policy, action, role, k)}
        changelist = client.get(_url(model, "changelist"))
        if role in NOT_STAFF:
            if not (changelist.status_code == 302 and changelist["Location"].startswith("/admin/login/")):
                wrong.append(f"{role}: changelist answers {changelist.status_code}, not the admin login")
        elif changelist.status_code != 200:
            wrong.append(f"{role}: changelist answers {changelist.status_code}")
        else:
            listed = {
                ours[pk]
                for pk in changelist.context["cl"].queryset.values_list("pk", flat=True)
                if pk in ours
            }
            if listed != expected:
                wrong.append(f"{role}: changelist lists {sorted(listed ^ expected)} wrongly")
        for key in keys:
            response = client.get(_url(model, "change", world.things[key].obj.pk))
            allowed = key in expected and role not in NOT_STAFF
            if (response.status_code == 200) != allowed or (not allowed and not _refused(response)):
                wrong.append(f"{role}: {key} change page {response.status_code}, table says {allowed}")
    assert wrong == [], f"{label} ({action}):\n" + "\n".join(wrong)


def _choice_fields(model_admin: Any, request: Any) -> dict[str, Any]:
    """Every model choice field of the add form and of its inlines' forms, by a readable name."""
    fields = {
        name: field
        for name, field in model_admin.get_form(request)().fields.items()
        if isinstance(field, ModelChoiceField)
    }
    for inline in model_admin.get_inline_instances(request):
        formset = inline.get_formset(request)
        for name, field in formset.form.base_fields.items():
            if isinstance(field, ModelChoiceField) and name != formset.fk.name:
                fields[f"{inline.model._meta.model_name}.{name}"] = field
    return fields


@pytest.mark.parametrize("label", scoped_models())
def test_each_scoped_admin_form_offers_what_the_table_allows(world, label):
    model = next(m for m, _a in registered() if m._meta.label == label)
    model_admin = admin.site._registry[model]
    wrong: list[str] = []
    for role in ("staff_a", "staff_b", "root"):
        request = request_as(world, role, _url(model, "add"))
        if not model_admin.has_add_permission(request):
            continue
        for name, field in _choice_fields(model_admin, request).items():
            related = field.queryset.model
            try:
                subject = permissions.subject_for(related)
            except LookupError:
                continue  # a vocabulary (sectors, keywords) or an account: not cluster data
            action = choice_action(related)
            offered = set(field.queryset.values_list("pk", flat=True))
            scoped = set(
                permissions.scope(request.user, action, related._default_manager.all()).values_list(
                    "pk", flat=True
                )
            )
            if offered != scoped:
                wrong.append(f"{role}: {name} offers {sorted(offered ^ scoped)} beyond scope({action})")
            for key in _world_keys(world, related):
                allowed = world.expected(subject.policy, action, role, key)
                if (world.things[key].obj.pk in offered) != allowed:
                    wrong.append(f"{role}: {name} {'lacks' if allowed else 'offers'} {key}")
    assert wrong == [], f"{label}:\n" + "\n".join(wrong)


def test_the_form_matrix_covers_the_foreign_keys_that_leaked(world):
    """Issue 11 (3): staff of alpha could add a membership, person or letter of intent in beta, or pick
    a listing's organisation there. Those fields are among the ones checked above."""
    request = request_as(world, "staff_a")
    for model, name in (
        (registry.Membership, "cluster"),
        (registry.Membership, "organisation"),
        (registry.Person, "organisation"),
        (registry.LetterOfIntent, "cluster"),
    ):
        offered = set(_choice_fields(admin.site._registry[model], request)[name].queryset)
        assert world.clusters["beta"] not in offered, (model, name)
        assert world.orgs["b1"] not in offered, (model, name)
    from helix.market.models import Listing

    offered = set(_choice_fields(admin.site._registry[Listing], request)["organisation"].queryset)
    assert offered == {world.orgs[k] for k in ("office", "a1", "a2", "a3", "ab", "loose")}


def _autocomplete_fields() -> list[tuple[str, str]]:
    found = []
    for model, model_admin in registered():
        if not isinstance(model_admin, ClusterScopedAdmin):
            continue
        for name in model_admin.autocomplete_fields:
            related = model._meta.get_field(name).related_model
            try:
                permissions.subject_for(related)
            except LookupError:
                continue
            found.append((model._meta.label, name))
    return found


@pytest.mark.parametrize(("label", "name"), _autocomplete_fields())
def test_each_autocomplete_offers_what_the_table_allows(world, label, name):
    """An autocomplete field's choices come from the endpoint, through the related model's admin."""
    model = next(m for m, _a in registered() if m._meta.label == label)
    related = model._meta.get_field(name).related_model
    subject = permissions.subject_for(related)
    action = choice_action(related)
    wrong = []
    for role in ("staff_a", "staff_b", "root", "member_a1"):
        response = _client(world, role).get(
            "/admin/autocomplete/",
            {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": name},
        )
        if role == "member_a1":
            assert response.status_code == 302, response.status_code  # to the admin login
            continue
        assert response.status_code == 200, (role, response.status_code)
        offered = {int(item["id"]) for item in response.json()["results"]}
        user = world.users[role]
        scoped = set(
            permissions.scope(user, action, related._default_manager.all()).values_list("pk", flat=True)
        )
        if offered != scoped:
            wrong.append(f"{role}: offers {sorted(offered ^ scoped)} beyond scope({action})")
        for key in _world_keys(world, related):
            if (world.things[key].obj.pk in offered) != world.expected(subject.policy, action, role, key):
                wrong.append(f"{role}: {key}")
    assert wrong == [], f"{label}.{name}:\n" + "\n".join(wrong)
