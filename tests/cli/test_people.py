"""Integration: `helix people invite` as a user, one person or a file; `helix people invitations`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from helix.cli import main
from helix.people.models import Invitation
from tests.people.helpers import Ecosystem, ecosystem

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def eco(db) -> Ecosystem:  # type: ignore[no-untyped-def]
    """The people tests' ecosystem: staff of alpha, a member user of Enervalis."""
    return ecosystem()


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["people", *args])


def test_staff_invite_one_person_from_the_command_line(eco):
    result = run(
        "invite", "--as", "staff", "--email", "ann@example.org", "--first-name", "Ann",
        "--last-name", "Peeters", "--organisation", "enervalis", "--language", "fr",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.startswith("invited ann@example.org to Enervalis; the link works until ")
    invitation = Invitation.objects.get()
    assert (invitation.organisation, invitation.language, invitation.invited_by) == (
        eco.enervalis,
        "fr",
        eco.staff,
    )
    listed = run("invitations", "--as", "staff", "--state", "pending")
    assert "ann@example.org" in listed.output
    assert listed.output.strip().endswith("1 invitation(s)")


def test_the_command_line_keeps_the_permissions_of_the_user(eco):
    refused = run(
        "invite", "--as", "staff", "--email", "x@example.org", "--first-name", "X", "--last-name", "Y",
        "--organisation", "niko",
    )  # fmt: skip
    assert refused.exit_code == 1
    assert "no organisation you may invite to is 'niko'" in refused.output
    anonymous = run("invite", "--email", "x@example.org", "--first-name", "X", "--last-name", "Y")
    assert anonymous.exit_code == 2
    assert "--as USERNAME" in anonymous.output
    # A member invites a colleague of its own organisation.
    colleague = run(
        "invite", "--as", "mia", "--email", "col@example.org", "--first-name", "C", "--last-name", "L",
        "--organisation", "enervalis",
    )  # fmt: skip
    assert colleague.exit_code == 0, colleague.output
    assert Invitation.objects.get().kind == "colleague"


def test_a_file_is_all_or_nothing(eco, tmp_path):
    good = tmp_path / "people.csv"
    good.write_text(
        "email,first_name,last_name,organisation\nann@example.org,Ann,P,enervalis\nbo@example.org,Bo,M,Enervalis\n"
    )
    dry = run("invite", "--as", "staff", "--file", str(good), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "2 people would be invited" in dry.output
    assert Invitation.objects.count() == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "email,first_name,last_name,organisation\nann@example.org,Ann,P,enervalis\nbo@,Bo,M,niko\n"
    )
    refused = run("invite", "--as", "staff", "--file", str(bad))
    assert refused.exit_code == 1
    assert "bad.csv, row 3, column email: 'bo@' is not an e-mail address" in refused.output
    assert Invitation.objects.count() == 0
    sent = run("invite", "--as", "staff", "--file", str(good))
    assert sent.exit_code == 0, sent.output
    assert "2 invitations queued" in sent.output
    assert sorted(Invitation.objects.values_list("email", flat=True)) == ["ann@example.org", "bo@example.org"]


def test_the_invitations_command_filters_on_the_state_as_the_page_does(eco):
    from helix.people import invitations

    kept = invitations.invite(
        by=eco.staff, email="new@example.org", first_name="N", last_name="W", organisation=eco.enervalis
    )
    lapsed = invitations.invite(
        by=eco.staff, email="old@example.org", first_name="O", last_name="L", organisation=eco.enervalis
    )
    Invitation.objects.filter(pk=lapsed.pk).update(expires_at=lapsed.sent_at)  # pending, past its date
    expired = run("invitations", "--as", "staff", "--state", "expired")
    assert expired.exit_code == 0, expired.output
    assert expired.output.splitlines()[0].split()[:2] == ["expired", "old@example.org"]
    assert expired.output.strip().endswith("1 invitation(s)")
    pending = run("invitations", "--as", "staff", "--state", "pending").output
    assert (kept.email in pending, lapsed.email in pending) == (True, False)
