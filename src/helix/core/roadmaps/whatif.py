"""What moves if an item slips: the items whose dates change, the new end, and whose commitments move.

:func:`slip` delays one item, :func:`replan` any number at once (a :class:`Delay` per key), and both
compare the roadmap's plan before and after (:func:`helix.core.roadmaps.schedule.plan`, with the same
``today`` and progress) in a :class:`SlipImpact`:

- ``moves``: every item whose early start or finish changes, with the old and new dates and the shift in
  days, in roadmap order. Items with slack absorb part of a slip: an item that does not move is not
  listed, however close the slip came (``slack_used`` lists those whose total slack went down instead);
- the old and new end of the roadmap and its shift;
- ``participants``: for every participant of a moved item (its owner, contributors and effort holders,
  :attr:`~helix.core.roadmaps.model.Item.participants`), the moves of its items, the participants in the
  roadmap's order, then any others in the order they first appear.

A finish slip of ``d`` days makes the item ``d`` days longer (it starts as planned and finishes ``d``
days later: the usual "this deliverable will be three months late"); a start slip of ``d`` days makes it
start no earlier than ``d`` days after its planned early start, keeping its duration. An item that has
started cannot start later: a start slip of it delays its finish instead. Slips are never negative (a
pull-in is a different question: what the plan could gain, not what it risks). Since the schedule is a
maximum of sums, no item moves earlier and none moves by more than the largest slip.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .model import Item, ParticipantId, Roadmap
from .schedule import Constraints, Network, Plan, plan_from

# Three months in days, the slip a roadmap meeting asks about most ("what if the pilot is a quarter late?").
THREE_MONTHS = 91


class SlipAt(StrEnum):
    FINISH = "finish"  # the item takes longer: it finishes later
    START = "start"  # the item starts later: it keeps its length


@dataclass(frozen=True)
class Delay:
    """How one item slips in :func:`replan`: days late at its start, and days longer."""

    start_days: int = 0
    finish_days: int = 0


@dataclass(frozen=True)
class Move:
    """An item whose dates change: before and after, and the shift in days (positive = later)."""

    key: str
    old_start: date
    old_finish: date
    new_start: date
    new_finish: date

    @property
    def start_shift(self) -> int:
        return (self.new_start - self.old_start).days

    @property
    def finish_shift(self) -> int:
        return (self.new_finish - self.old_finish).days


@dataclass(frozen=True)
class SlackUse:
    """An item that did not move but has less slack: it absorbed (part of) the slip."""

    key: str
    old_slack: int
    new_slack: int


@dataclass(frozen=True)
class ParticipantImpact:
    """The moved items of one participant, in roadmap order, and which of them it owns."""

    participant: ParticipantId
    moves: tuple[Move, ...]
    owned: tuple[str, ...]


@dataclass(frozen=True)
class SlipImpact:
    delays: Mapping[str, Delay]  # what was slipped
    old_end: date
    new_end: date
    moves: tuple[Move, ...]
    slack_used: tuple[SlackUse, ...]
    participants: tuple[ParticipantImpact, ...]
    before: Plan
    after: Plan

    @property
    def end_shift(self) -> int:
        return (self.new_end - self.old_end).days

    @property
    def moved(self) -> tuple[str, ...]:
        return tuple(m.key for m in self.moves)


def slip(
    roadmap: Roadmap,
    item_key: str,
    days: int,
    *,
    at: SlipAt = SlipAt.FINISH,
    today: date | None = None,
    progress: bool = True,
) -> SlipImpact:
    """What moves if ``item_key`` finishes (or starts, ``at=SlipAt.START``) ``days`` days late."""
    delay = Delay(start_days=days) if at is SlipAt.START else Delay(finish_days=days)
    return replan(roadmap, {item_key: delay}, today=today, progress=progress)


def replan(
    roadmap: Roadmap,
    delays: Mapping[str, Delay],
    *,
    today: date | None = None,
    progress: bool = True,
) -> SlipImpact:
    """The roadmap's plan with every item in ``delays`` slipped, compared with its plan as it stands.

    Raises ``KeyError`` for a key the roadmap does not have, ``ValueError`` for a negative delay, and
    :class:`~helix.core.roadmaps.schedule.RoadmapError` for a roadmap that cannot be planned."""
    network = Network.of(roadmap)
    constraints = Constraints.of(roadmap, network, today=today, progress=progress)
    before = plan_from(roadmap.start, network, constraints)
    lower = list(constraints.lower)
    duration = list(constraints.duration)
    fixed_finish = list(constraints.fixed_finish)
    for key, delay in delays.items():
        if delay.start_days < 0 or delay.finish_days < 0:
            raise ValueError(f"a slip is never negative: {key} by {delay}")
        i = network.index[key]
        if constraints.fixed_start[i] is not None:  # its start is a fact: any slip delays its finish
            finish = fixed_finish[i]
            assert finish is not None
            fixed_finish[i] = finish + delay.start_days + delay.finish_days
            continue
        lower[i] = max(lower[i], before.times[key].early_start + delay.start_days)
        duration[i] += delay.finish_days
    after = plan_from(
        roadmap.start, network, Constraints(lower, duration, list(constraints.fixed_start), fixed_finish)
    )
    moves: list[Move] = []
    slack_used: list[SlackUse] = []
    for key, old in before.times.items():
        new = after.times[key]
        if (new.early_start, new.early_finish) != (old.early_start, old.early_finish):
            moves.append(
                Move(
                    key,
                    before.day(old.early_start),
                    before.day(old.early_finish),
                    after.day(new.early_start),
                    after.day(new.early_finish),
                )
            )
        elif new.total_slack < old.total_slack:
            slack_used.append(SlackUse(key, old.total_slack, new.total_slack))
    return SlipImpact(
        dict(delays),
        before.end_date,
        after.end_date,
        tuple(moves),
        tuple(slack_used),
        _by_participant(roadmap, moves),
        before,
        after,
    )


def _by_participant(roadmap: Roadmap, moves: list[Move]) -> tuple[ParticipantImpact, ...]:
    """The moves grouped by the participants of the moved items (roadmap's participants first)."""
    items: dict[str, Item] = {}
    for it in roadmap.items:
        items.setdefault(it.key, it)
    found: dict[ParticipantId, list[Move]] = {}
    owned: dict[ParticipantId, list[str]] = {}
    for move in moves:
        it = items[move.key]
        for pid in it.participants:
            found.setdefault(pid, []).append(move)
        if it.owner is not None:
            owned.setdefault(it.owner, []).append(move.key)
    ordered = list(dict.fromkeys([*(p.id for p in roadmap.participants if p.id in found), *found]))
    return tuple(ParticipantImpact(pid, tuple(found[pid]), tuple(owned.get(pid, ()))) for pid in ordered)
