"""docs/security.md carries the rule table as the declarations say it, and `helix permissions` answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from helix.cli import main
from helix.cli.permissions import END, START, rule_table, with_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"


@pytest.mark.integration
def test_the_rule_table_in_docs_security_is_the_declared_one():
    text = DOC.read_text(encoding="utf-8")
    written = text.split(START, 1)[1].split(END, 1)[0].strip("\n") + "\n"
    assert written == rule_table(), "run: helix permissions table --write docs/security.md"


@pytest.mark.integration
def test_every_declared_policy_is_in_the_table():
    from helix.registry.permissions import policies

    table = rule_table()
    assert {p.label for p in policies()} == {line.split("|")[1].strip() for line in table.splitlines()[2:]}


@pytest.mark.unit
def test_with_table_replaces_only_the_text_between_the_markers():
    document = f"intro\n{START}\nold\n{END}\noutro\n"
    assert with_table(document, "| new |\n") == f"intro\n{START}\n| new |\n{END}\noutro\n"


@pytest.mark.integration
@pytest.mark.django_db
def test_permissions_check_says_what_a_user_may_do_and_why():
    from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, staff_user

    ours, theirs = ClusterFactory(slug="ours"), ClusterFactory(slug="theirs")
    hidden = OrganisationFactory(name="Hidden NV", is_published=False)
    MembershipFactory(organisation=hidden, cluster=theirs)
    staff_user(ours, "clara")
    runner = CliRunner()
    answer = runner.invoke(
        main, ["permissions", "check", "clara", "view", "registry.organisation", str(hidden.pk)]
    )
    assert answer.exit_code == 0, answer.output
    assert answer.output.startswith("clara may not view Hidden NV (roles: any_staff, anyone, user;")
    staff_user(theirs, "theo")
    answer = runner.invoke(
        main, ["permissions", "check", "theo", "view", "registry.organisation", str(hidden.pk)]
    )
    assert answer.output.startswith("theo may view Hidden NV (roles: any_staff, anyone, staff, user;")
    wrong = runner.invoke(
        main, ["permissions", "check", "theo", "fly", "registry.organisation", str(hidden.pk)]
    )
    assert wrong.exit_code == 1
    assert "has no action 'fly'" in wrong.output
