"""Integration: who sees an instrument and its ledger, and who books on it (helix.funds.permissions), in
the two-cluster permission world (tests/permissions/world.py, tests/funds/world_things.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from helix.funds.models import Instrument, LedgerEntry
from helix.registry import permissions
from tests.permissions.world import build_world

pytestmark = pytest.mark.integration


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    return build_world()


def _entries(world, user):  # type: ignore[no-untyped-def]
    listed = permissions.scope(world.users[user], "view", LedgerEntry.objects.all())
    return sorted(
        f"{e.instrument.key}:{e.beneficiary.slug}:{e.kind}"
        for e in listed.select_related("instrument", "beneficiary")
    )


def _instruments(world, user, action):  # type: ignore[no-untyped-def]
    listed = permissions.scope(world.users[user], action, Instrument.objects.all())
    return sorted(listed.values_list("key", flat=True))


def test_a_beneficiary_sees_its_own_entries_and_nothing_else_of_the_ledger(world):  # type: ignore[no-untyped-def]
    # ab is a beneficiary of alpha's subsidy and of beta's loan: it sees those two entries only
    assert _entries(world, "member_ab") == [
        "alpha-subsidy:org-ab:committed",
        "beta-loan:org-ab:committed",
    ]
    # a1 is a member of alpha too, but another organisation's entries on alpha's subsidy stay hidden
    assert _entries(world, "member_a1") == ["alpha-subsidy:org-a1:committed"]
    alpha = world.things["instrument:alpha"].obj
    for user in ("member_a1", "member_ab"):
        assert permissions.can(world.users[user], "view_ledger", alpha) is False


def test_a_clusters_staff_see_its_instruments_ledger_and_every_programme_wide_entry(world):  # type: ignore[no-untyped-def]
    assert _entries(world, "staff_a") == [
        "alpha-subsidy:org-a1:committed",
        "alpha-subsidy:org-ab:committed",
        "sme-portfolio:org-a2:committed",
        "sme-portfolio:org-b2:committed",
        "sme-portfolio:org-loose:committed",
    ]
    assert _entries(world, "staff_b") == [
        "beta-loan:org-ab:committed",
        "beta-loan:org-b1:committed",
        "beta-loan:org-b1:disbursed",
        "sme-portfolio:org-a2:committed",
        "sme-portfolio:org-b2:committed",
        "sme-portfolio:org-loose:committed",
    ]


def test_only_staff_book_a_cluster_books_its_own_and_any_staff_the_programme_wide(world):  # type: ignore[no-untyped-def]
    assert _instruments(world, "staff_a", "book") == ["alpha-subsidy", "sme-portfolio"]
    assert _instruments(world, "staff_b", "view_ledger") == ["beta-loan", "sme-portfolio"]
    for user in ("plain", "member_a1", "member_ab", "member_b1"):
        assert _instruments(world, user, "book") == []
    assert _instruments(world, "root", "book") == ["alpha-subsidy", "beta-loan", "sme-portfolio"]


def test_an_instruments_terms_are_for_anyone_signed_in_not_for_anonymous_visitors(world):  # type: ignore[no-untyped-def]
    every = ["alpha-subsidy", "beta-loan", "sme-portfolio"]
    assert _instruments(world, "plain", "view") == every
    assert _instruments(world, "member_b2", "view") == every
    portfolio = world.things["instrument:programme"].obj
    assert permissions.can(AnonymousUser(), "view", portfolio) is False


def test_a_programme_wide_instrument_is_changed_by_the_superuser_only(world):  # type: ignore[no-untyped-def]
    assert _instruments(world, "staff_a", "edit") == ["alpha-subsidy"]
    assert _instruments(world, "staff_b", "edit") == ["beta-loan"]
    portfolio = world.things["instrument:programme"].obj
    assert permissions.can(world.users["root"], "edit", portfolio) is True
