"""The synergy workflow as data, and totals over time (helix.core.symbiosis.synergy)."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from helix.core.symbiosis.synergy import (
    AGREED,
    BOTH_PARTIES,
    CONTACTED,
    DROPPED,
    HAVE_SIDE,
    PARTY,
    PROPOSED,
    REALISED,
    STAFF,
    STAFF_FOR_HIDDEN,
    SYNERGY_WORKFLOW,
    UNDER_STUDY,
    WANT_SIDE,
    Report,
    contact_roles,
    totals_over_time,
)
from helix.core.workflow import TransitionNotAllowed

pytestmark = pytest.mark.unit


def test_the_happy_path_is_a_chain_of_allowed_moves() -> None:
    path = [PROPOSED, CONTACTED, UNDER_STUDY, AGREED, REALISED]
    roles = [{STAFF_FOR_HIDDEN}, {PARTY}, {PARTY}, {PARTY}]
    for (source, target), held in zip(itertools.pairwise(path), roles, strict=True):
        assert SYNERGY_WORKFLOW.check(source, target, held).target == target


def test_contact_is_not_made_by_one_party_alone() -> None:
    needs = "needs one of the roles \\['both_parties', 'staff_for_every_hidden_side'\\]"
    with pytest.raises(TransitionNotAllowed, match=needs):
        SYNERGY_WORKFLOW.check(PROPOSED, CONTACTED, {PARTY})
    assert SYNERGY_WORKFLOW.check(PROPOSED, CONTACTED, {BOTH_PARTIES}).target == CONTACTED


def test_staff_of_one_side_cannot_make_contact_for_the_others_hidden_owner() -> None:
    """Making contact reveals anonymous owners: staff do it only for the hidden sides they answer for."""
    with pytest.raises(TransitionNotAllowed):
        SYNERGY_WORKFLOW.check(PROPOSED, CONTACTED, {STAFF, PARTY})  # plain staff of either side: no
    assert contact_roles({HAVE_SIDE}, {WANT_SIDE}) == frozenset()
    assert contact_roles({HAVE_SIDE}, {HAVE_SIDE}) == {STAFF_FOR_HIDDEN}
    assert contact_roles({HAVE_SIDE}, ()) == {STAFF_FOR_HIDDEN}
    assert contact_roles({HAVE_SIDE, WANT_SIDE}, {HAVE_SIDE, WANT_SIDE}) == {STAFF_FOR_HIDDEN}
    assert contact_roles((), ()) == frozenset()


@pytest.mark.parametrize("source", [PROPOSED, CONTACTED, UNDER_STUDY, AGREED])
def test_any_open_synergy_can_be_dropped(source: str) -> None:
    assert SYNERGY_WORKFLOW.check(source, DROPPED, {PARTY}).label == "Drop"


def test_realised_is_final_and_steps_cannot_be_skipped() -> None:
    with pytest.raises(TransitionNotAllowed, match="no transition from 'realised'"):
        SYNERGY_WORKFLOW.check(REALISED, DROPPED, {STAFF})
    with pytest.raises(TransitionNotAllowed):
        SYNERGY_WORKFLOW.check(PROPOSED, AGREED, {STAFF})
    with pytest.raises(TransitionNotAllowed):
        SYNERGY_WORKFLOW.check(DROPPED, PROPOSED, {PARTY})
    assert SYNERGY_WORKFLOW.check(DROPPED, PROPOSED, {STAFF}).label == "Reopen"


def test_totals_over_time_per_quarter_and_unit() -> None:
    reports = [
        Report("s1", date(2026, 2, 10), 100, "t", 40, 9000),
        Report("s2", date(2026, 3, 31), 50, "t", 20, 4000),
        Report("s1", date(2026, 5, 1), 120, "t", 48, 10000),
        Report("s3", date(2026, 5, 1), 900, "MWh", 180, 30000),
    ]
    rows = totals_over_time(reports)
    assert [(r.period_end, r.unit, r.quantity, r.cumulative_quantity, r.synergies) for r in rows] == [
        (date(2026, 3, 31), "t", 150, 150, 2),
        (date(2026, 6, 30), "MWh", 900, 900, 1),
        (date(2026, 6, 30), "t", 120, 270, 1),
    ]
    assert rows[-1].cumulative_co2e_t == 108
    assert rows[-1].cumulative_money_eur == 23000
    yearly = totals_over_time(reports, "year")
    assert [(r.unit, r.quantity) for r in yearly] == [("MWh", 900), ("t", 270)]
    assert totals_over_time(reports, "month")[0].period_end == date(2026, 2, 28)
    with pytest.raises(ValueError, match="period must be"):
        totals_over_time(reports, "week")
