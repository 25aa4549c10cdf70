"""Integration: `helix projects` as a user: start a project, add a member, move it; refusals said as the
pages say them; `list` shows only what the user may see."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from helix.cli import main
from helix.projects.models import Project
from tests.factories.registry import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    member_user,
    staff_user,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["projects", *args])


@pytest.fixture
def lux(db):  # type: ignore[no-untyped-def]
    cluster = ClusterFactory(slug="lu-materials", name="Materials")
    for slug, kind in (("steel", "company"), ("coat", "company")):
        org = OrganisationFactory(name=slug.title(), slug=slug, kind=kind)
        MembershipFactory(organisation=org, cluster=cluster, level="member")
        member_user(org, f"{slug}_person")
    staff_user(cluster, "lux_staff")
    return cluster


def test_a_member_starts_a_flagship_shapes_it_and_staff_approve_it(lux):  # type: ignore[no-untyped-def]
    started = run(
        "start", "--as", "steel_person", "--cluster", "lu-materials", "--coordinator", "steel",
        "--type", "flagship", "--title", "Green steel", "--months", "24",
    )  # fmt: skip
    assert started.exit_code == 0, started.output
    project = Project.objects.get()
    assert started.output == f"Started project {project.pk}: Green steel (flagship, idea).\n"
    pk = str(project.pk)
    assert run("move", "--as", "steel_person", pk, "consortium_forming").exit_code == 0

    early = run("move", "--as", "steel_person", pk, "submitted")
    assert early.exit_code == 1
    assert early.output == (
        "Error: The project is not ready to go to “Submitted” yet: "
        "At least 2 independent organisations are needed; the consortium has 1.\n"
    )

    added = run("add-member", "--as", "steel_person", pk, "--organisation", "coat")
    assert added.output == f"coat joined project {pk} as partner.\n"
    assert run("move", "--as", "steel_person", pk, "submitted", "--note", "ready").exit_code == 0
    not_theirs = run("move", "--as", "steel_person", pk, "approved")
    assert not_theirs.output == (
        "Error: Moving the project from “Submitted” to “Approved” is not yours to do.\n"
    )
    approved = run("move", "--as", "lux_staff", pk, "approved")
    assert approved.output == f"Project {pk} is now approved.\n"


def test_changing_data_needs_a_user_and_list_shows_only_what_one_may_see(lux):  # type: ignore[no-untyped-def]
    no_user = run("start", "--cluster", "lu-materials", "--coordinator", "steel", "--type", "flagship",
                  "--title", "x")  # fmt: skip
    assert no_user.exit_code == 2
    assert "acts as a user: add --as USERNAME" in no_user.output
    run("start", "--as", "steel_person", "--cluster", "lu-materials", "--coordinator", "steel",
        "--type", "flagship", "--title", "Green steel")  # fmt: skip
    # an idea (members-only by default) is seen by its consortium and the cluster's staff only
    assert run("list").output == ""
    assert run("list", "--as", "coat_person").output == ""
    pk = Project.objects.get().pk
    assert run("list", "--as", "lux_staff").output == (
        f"{pk}\tlu-materials\tflagship\tidea\tGreen steel\tsteel (coordinator)\n"
    )


def test_an_unknown_type_is_refused_in_words(lux):  # type: ignore[no-untyped-def]
    result = run("start", "--as", "lux_staff", "--cluster", "lu-materials", "--coordinator", "steel",
                 "--type", "moonshot", "--title", "x")  # fmt: skip
    assert (result.exit_code, result.output) == (1, "Error: There is no project type “moonshot”.\n")
