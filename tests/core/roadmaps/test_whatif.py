"""Unit: what-if slips on a hand-made roadmap: what moves and by how much, what slack absorbs, the new end,
and whose commitments move."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from helix.core.roadmaps.model import Dependency, Effort, Item, ItemKind, Participant, Roadmap
from helix.core.roadmaps.whatif import (
    THREE_MONTHS,
    Delay,
    Move,
    ParticipantImpact,
    SlackUse,
    SlipAt,
    replan,
    slip,
)

pytestmark = pytest.mark.unit

START = date(2025, 1, 1)


def day(n: int) -> date:
    return START + timedelta(days=n)


def cluster_roadmap(**b_fields: object) -> Roadmap:
    """a (5 days, acme) and b (3 days, uni with sme) feed c (2 days, city, effort by uni), which feeds
    acme's milestone d a day later: the critical path is a-c-d, b has 2 days of slack."""
    return Roadmap(
        START,
        items=(
            Item("a", kind=ItemKind.ACTIVITY, duration_days=5, owner="acme"),
            Item(
                "b", kind=ItemKind.ACTIVITY, duration_days=3, owner="uni", contributors=("sme",), **b_fields
            ),  # type: ignore[arg-type]
            Item(
                "c", kind=ItemKind.DELIVERABLE, duration_days=2, owner="city", efforts=(Effort("uni", 2.0),)
            ),
            Item("d", owner="acme"),
        ),
        dependencies=(Dependency("a", "c"), Dependency("b", "c"), Dependency("c", "d", lag_days=1)),
        participants=tuple(Participant(pid) for pid in ("acme", "uni", "city", "sme")),
    )


def test_a_slip_within_the_items_free_slack_moves_only_the_item_itself():
    impact = slip(cluster_roadmap(), "b", 1)

    assert impact.moves == (Move("b", day(0), day(3), day(0), day(4)),)
    assert impact.participants == (
        ParticipantImpact("uni", impact.moves, ("b",)),
        ParticipantImpact("sme", impact.moves, ()),
    )
    assert (impact.old_end, impact.new_end, impact.end_shift) == (day(8), day(8), 0)


def test_an_item_that_does_not_move_but_absorbs_the_slip_in_its_slack_is_listed_apart():
    # x (1 day) feeds y (2 days), which feeds the milestone z; w (10 days) alone sets the end
    rm = Roadmap(
        START,
        items=(
            Item("x", duration_days=1),
            Item("y", duration_days=2),
            Item("z"),
            Item("w", duration_days=10),
        ),
        dependencies=(Dependency("x", "y"), Dependency("y", "z")),
    )

    impact = slip(rm, "y", 3)

    assert impact.moved == ("y", "z")
    assert impact.slack_used == (SlackUse("x", 7, 4),)
    assert impact.end_shift == 0


def test_a_slip_beyond_the_slack_moves_the_successors_by_what_the_slack_cannot_absorb():
    impact = slip(cluster_roadmap(), "b", 5)

    assert impact.moves == (
        Move("b", day(0), day(3), day(0), day(8)),
        Move("c", day(5), day(7), day(8), day(10)),
        Move("d", day(8), day(8), day(11), day(11)),
    )
    assert [(m.start_shift, m.finish_shift) for m in impact.moves] == [(0, 5), (3, 3), (3, 3)]
    assert (impact.old_end, impact.new_end, impact.end_shift) == (day(8), day(11), 3)


def test_every_participant_of_a_moved_item_sees_its_moves_and_what_it_owns():
    impact = slip(cluster_roadmap(), "b", 5)
    b, c, d = impact.moves

    assert impact.participants == (
        ParticipantImpact("acme", (d,), ("d",)),
        ParticipantImpact("uni", (b, c), ("b",)),
        ParticipantImpact("city", (c,), ("c",)),
        ParticipantImpact("sme", (b,), ()),
    )


def test_a_late_start_of_three_months_moves_the_whole_critical_chain_by_three_months():
    impact = slip(cluster_roadmap(), "a", THREE_MONTHS, at=SlipAt.START)

    assert impact.moves == (
        Move("a", day(0), day(5), day(91), day(96)),
        Move("c", day(5), day(7), day(96), day(98)),
        Move("d", day(8), day(8), day(99), day(99)),
    )
    assert impact.end_shift == THREE_MONTHS
    # b did not move, but c now waits for a, so b has far more slack: nothing is reported for it
    assert impact.slack_used == ()


def test_an_item_that_has_started_cannot_start_later_so_a_start_slip_delays_its_finish():
    rm = cluster_roadmap(actual_start=day(0))

    impact = slip(rm, "b", 10, at=SlipAt.START)

    assert impact.moves[0] == Move("b", day(0), day(3), day(0), day(13))


def test_several_slips_at_once_combine_in_one_replan():
    impact = replan(cluster_roadmap(), {"a": Delay(finish_days=2), "b": Delay(start_days=6)})

    assert [(m.key, m.start_shift, m.finish_shift) for m in impact.moves] == [
        ("a", 0, 2),
        ("b", 6, 6),
        ("c", 4, 4),
        ("d", 4, 4),
    ]
    assert impact.delays == {"a": Delay(finish_days=2), "b": Delay(start_days=6)}


def test_a_participant_outside_the_roadmap_is_listed_after_its_participants():
    rm = cluster_roadmap()
    rm = Roadmap(rm.start, (*rm.items[:3], Item("d", owner="outsider")), rm.dependencies, rm.participants)

    impact = slip(rm, "c", 1)

    assert [p.participant for p in impact.participants] == ["uni", "city", "outsider"]


def test_a_negative_slip_is_refused():
    with pytest.raises(ValueError, match="never negative"):
        slip(cluster_roadmap(), "b", -3)


def test_a_slip_of_an_unknown_item_is_refused():
    with pytest.raises(KeyError):
        slip(cluster_roadmap(), "nope", 3)
