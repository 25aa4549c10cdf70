"""Integration: a listing's status moves only as its lifecycle (helix.core.matching.lifecycle) allows, on
every surface: the page's buttons and form, the API, the CLI and the import ask one service
(``services.move_listing`` / ``check_status_change``), and show only the moves the actor may make."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from helix.cli import main
from helix.core.matching.lifecycle import ListingMoveRefused
from helix.market import services
from helix.market.models import Listing, Status
from helix.market.transfer import import_listings
from helix.registry import services as registry_services
from tests.factories import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    make_listing,
    member_user,
)
from tests.helpers.clients import api_client

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    tech, food = ClusterFactory(slug="tech"), ClusterFactory(slug="food")
    acme = OrganisationFactory(name="Acme", slug="acme")
    beta = OrganisationFactory(name="Beta", slug="beta")
    MembershipFactory(organisation=acme, cluster=tech)
    MembershipFactory(organisation=beta, cluster=tech)
    staff, stranger_staff = UserFactory(username="staff"), UserFactory(username="food-staff")
    registry_services.assign_cluster_staff(staff, tech)
    registry_services.assign_cluster_staff(stranger_staff, food)
    return SimpleNamespace(
        acme=acme,
        owner=member_user(acme, "acme-user"),
        other=member_user(beta, "beta-user"),
        staff=staff,
        stranger_staff=stranger_staff,
        draft=make_listing(acme, "need", title="Heat pumps wanted", status="draft"),
        published=make_listing(acme, "offer", title="Thermal modelling", visibility="public"),
    )


def move(user, listing, action):  # type: ignore[no-untyped-def]
    return api_client(user).post(
        f"/api/market/listings/{listing.pk}/status", {"action": action}, content_type="application/json"
    )


# -- the API ------------------------------------------------------------------------------------------------


def test_the_api_refuses_to_fulfil_a_draft_with_409_and_a_code(world):
    response = move(world.owner, world.draft, "fulfil")

    assert (response.status_code, response.json()) == (
        409,
        {"detail": "listing: fulfil from draft: no such move from this state", "code": "not_from_state"},
    )
    world.draft.refresh_from_db()
    assert world.draft.status == Status.DRAFT


def test_the_api_names_the_moves_each_caller_may_make(world):
    path = f"/api/market/listings/{world.published.pk}"
    assert api_client(world.owner).get(path).json()["moves"] == ["renew", "fulfil", "withdraw", "draft"]
    assert api_client(world.staff).get(path).json()["moves"] == ["renew", "fulfil", "withdraw", "draft"]
    assert api_client(world.other).get(path).json()["moves"] == []  # sees the public offer, may not move it
    assert api_client(world.stranger_staff).get(path).json()["moves"] == []
    assert Client().get(path).json()["moves"] == []


def test_the_api_refuses_a_move_to_those_who_may_not_make_it(world):
    assert move(world.other, world.published, "withdraw").status_code == 403
    assert move(world.stranger_staff, world.published, "withdraw").status_code == 403
    assert move(world.owner, world.published, "draft").json()["status"] == "draft"


def test_the_api_walks_the_lifecycle_and_refuses_what_is_not_open(world):
    answers = [
        (action, move(world.owner, world.draft, action).status_code)
        for action in ("fulfil", "publish", "publish", "fulfil", "fulfil", "withdraw", "publish", "withdraw")
    ]
    assert answers == [
        ("fulfil", 409),
        ("publish", 200),
        ("publish", 409),  # published already
        ("fulfil", 200),
        ("fulfil", 409),
        ("withdraw", 409),  # a fulfilled listing is taken back to draft or published again, not withdrawn
        ("publish", 200),
        ("withdraw", 200),
    ]


# -- the services -------------------------------------------------------------------------------------------


def test_publishing_an_expired_listing_gives_it_a_new_lifetime_and_is_no_renewal(world):
    Listing.objects.filter(pk=world.published.pk).update(
        expires_on=timezone.localdate() - dt.timedelta(days=2)
    )
    world.published.refresh_from_db()
    assert services.listing_state(world.published) == "expired"

    services.move_listing(world.published, "publish", user=world.owner)

    assert (world.published.expires_on, world.published.renewals, world.published.is_active) == (
        timezone.localdate() + dt.timedelta(days=180),
        0,
        True,
    )


def test_a_move_not_yours_is_permission_denied_and_one_not_open_is_refused(world):
    with pytest.raises(PermissionDenied):
        services.move_listing(world.draft, "publish", user=world.other)
    with pytest.raises(ListingMoveRefused):
        services.move_listing(world.draft, "renew", user=world.owner)
    assert Listing.objects.get(pk=world.draft.pk).status == Status.DRAFT


def test_a_status_set_directly_must_be_a_move_of_the_lifecycle(world):
    world.draft.status = Status.FULFILLED
    with pytest.raises(ValidationError) as refused:
        services.save_listing(world.draft, user=world.owner)
    assert refused.value.message_dict == {"status": ["A listing cannot go from “draft” to “fulfilled”."]}
    new = Listing(organisation=world.acme, side="need", category="research", title="T", description="D")
    new.status = Status.WITHDRAWN
    with pytest.raises(ValidationError) as refused:
        services.save_listing(new, user=world.owner)
    assert refused.value.message_dict == {"status": ["A new listing is a draft or published."]}


# -- the page -----------------------------------------------------------------------------------------------


def test_the_page_shows_only_the_moves_open_now_and_its_form_only_their_statuses(world, client):
    client.force_login(world.owner)
    page = client.get(world.draft.get_absolute_url()).content.decode()
    shown = [a for a in ("publish", "renew", "fulfil", "withdraw", "draft") if f'value="{a}"' in page]
    assert shown == ["publish", "withdraw"]
    form = client.get(reverse("market:listing_edit", args=[world.draft.pk])).context["form"]
    assert [value for value, _label in form.fields["status"].choices] == ["draft", "published", "withdrawn"]

    response = client.post(reverse("market:listing_status", args=[world.draft.pk]), {"action": "fulfil"})

    assert response.status_code == 302
    world.draft.refresh_from_db()
    assert world.draft.status == Status.DRAFT


# -- the CLI and the import ----------------------------------------------------------------------------------


def test_the_cli_refuses_to_fulfil_a_draft(world):
    result = CliRunner().invoke(main, ["listings", "fulfil", str(world.draft.pk), "--as", "acme-user"])

    assert (result.exit_code, result.stderr) == (
        1,
        "Error: a listing that is draft cannot be told to fulfil\n",
    )
    published = CliRunner().invoke(main, ["listings", "publish", str(world.draft.pk), "--as", "acme-user"])
    assert published.exit_code == 0, published.output
    assert Listing.objects.get(pk=world.draft.pk).status == Status.PUBLISHED


def test_the_import_refuses_a_row_that_fulfils_a_draft(world, tmp_path):
    path = tmp_path / "listings.csv"
    path.write_text(
        "id,organisation,side,category,title,description,status\n"
        f"{world.draft.pk},acme,need,solution,Heat pumps wanted,A description.,fulfilled\n",
        encoding="utf-8",
    )

    report = import_listings(path, world.owner)

    assert [str(e) for e in report.errors] == [
        "listings.csv, row 2, column status: A listing cannot go from “draft” to “fulfilled”."
    ]
    assert Listing.objects.get(pk=world.draft.pk).status == Status.DRAFT


def test_the_admin_form_refuses_a_status_the_lifecycle_does_not_allow(world, rf):
    from django.contrib import admin

    listing_admin = admin.site._registry[Listing]
    request = rf.get("/admin/")
    request.user = world.staff
    form_class = listing_admin.get_form(request, world.draft, change=True)
    data = {}
    for name, value in (
        (name, form_class(instance=world.draft)[name].value()) for name in form_class.base_fields
    ):
        if value is not None:
            data[name] = value
    data["status"] = "fulfilled"

    form = form_class(data, instance=world.draft)

    assert not form.is_valid()
    assert form.errors == {"status": ["A listing cannot go from “draft” to “fulfilled”."]}
    data["status"] = "published"
    assert form_class(data, instance=Listing.objects.get(pk=world.draft.pk)).is_valid()


def test_lifecycle_roles_read_in_bulk_agree_with_the_permission_engine():
    from django.contrib.auth.models import AnonymousUser

    from helix.core.access import Role
    from helix.registry.permissions import actor_for, can, subject_for
    from tests.permissions.world import ROLES, build_world

    w = build_world()
    subject = subject_for(Listing)
    listings = [t.obj for k, t in w.things.items() if k.startswith("listing:")]
    for role in ROLES:
        user = AnonymousUser() if role == "anonymous" else w.users[role]
        reader = services.lifecycle_roles(user)
        for listing in listings:
            held = subject.roles(actor_for(user), listing)
            names = {"owner"} if Role.OWNER in held else set()
            names |= {"staff"} if Role.STAFF in held else set()
            if user.is_superuser:
                names = {"owner", "staff"}
            expected = frozenset(names) if can(user, "transition", listing) else frozenset()
            assert reader(listing) == expected, (role, listing.title)
