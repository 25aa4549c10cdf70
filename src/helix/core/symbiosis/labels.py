"""Placing map labels so that no two overlap.

A greedy placement in the manner of cartographers' point-feature labelling (Imhof's order of
preferred positions; Christensen, Marks and Shieber, "An empirical study of algorithms for point-
feature label placement", ACM TOG 14(3), 1995, for the greedy baseline): labels are taken by priority,
most important first; each tries the positions around its point in a fixed order (right, upper right,
lower right, left, upper left, lower left, above, below), then the same positions farther out,
joined to the point by a leader line. The first position whose box stays inside the drawing, touches
no label placed before and covers no point (an obstacle) wins. A label with no free position is left
out: the point keeps its tooltip. Placed boxes therefore never intersect, whatever the input.

Text widths are estimated from the number of characters (no font metrics here): ``char_width`` times
the length, which holds for the map's sans-serif at the sizes used.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def intersects(self, other: Box) -> bool:
        """Overlap of positive area (boxes that only touch do not intersect)."""
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def inside(self, bounds: Box) -> bool:
        return self.x0 >= bounds.x0 and self.y0 >= bounds.y0 and self.x1 <= bounds.x1 and self.y1 <= bounds.y1


@dataclass(frozen=True)
class LabelRequest:
    key: str
    text: str
    x: float  # the point labelled
    y: float
    priority: float = 0.0  # higher first


@dataclass(frozen=True)
class PlacedLabel:
    key: str
    text: str
    box: Box
    text_x: float  # where the text starts (SVG text-anchor "start")
    baseline_y: float
    leader: tuple[float, float, float, float] | None  # (x1, y1, x2, y2): point to box, where moved away


# Directions in order of preference: (dx, dy) of the box relative to the point, -1, 0 or 1.
DIRECTIONS: tuple[tuple[int, int], ...] = (
    (1, 0),
    (1, -1),
    (1, 1),
    (-1, 0),
    (-1, -1),
    (-1, 1),
    (0, -1),
    (0, 1),
)


def label_size(text: str, font_size: float = 11.0, char_width: float = 0.6) -> tuple[float, float]:
    """Estimated (width, height) of a label's box, with a pixel of margin on every side."""
    return len(text) * font_size * char_width + 2.0, font_size * 1.25 + 2.0


def _start(at: float, size: float, direction: int, gap: float) -> float:
    """Where a label of ``size`` starts along one axis, placed in ``direction`` (-1, 0 or 1) at ``gap`` from
    the point ``at``: after it, before it, or centred on it."""
    if direction > 0:
        return at + gap
    if direction < 0:
        return at - gap - size
    return at - size / 2


def _candidate(
    x: float, y: float, w: float, h: float, dx: int, dy: int, gap: float
) -> tuple[Box, tuple[float, float]]:
    """The box of a label of size ``w`` x ``h`` placed in direction (dx, dy) at ``gap`` from (x, y), and
    the point of the box nearest to (x, y) (where a leader line ends)."""
    x0, y0 = _start(x, w, dx, gap), _start(y, h, dy, gap)
    box = Box(x0, y0, x0 + w, y0 + h)
    return box, (min(max(x, box.x0), box.x1), min(max(y, box.y0), box.y1))


def place_labels(
    requests: Iterable[LabelRequest],
    bounds: Box,
    *,
    obstacles: Sequence[Box] = (),
    font_size: float = 11.0,
    gap: float = 7.0,
    leader_gaps: Sequence[float] = (16.0, 28.0, 42.0),
) -> list[PlacedLabel]:
    """The labels that fit, in priority order (see the module). Lower-priority labels are dropped
    first: a label is only ever placed where it overlaps nothing placed before it."""
    placed: list[PlacedLabel] = []
    boxes: list[Box] = []
    ordered = sorted(requests, key=lambda r: (-r.priority, r.key))
    for request in ordered:
        w, h = label_size(request.text, font_size)
        for distance in (gap, *leader_gaps):
            found = None
            for dx, dy in DIRECTIONS:
                box, end = _candidate(request.x, request.y, w, h, dx, dy, distance)
                if not box.inside(bounds):
                    continue
                if any(box.intersects(b) for b in boxes) or any(box.intersects(o) for o in obstacles):
                    continue
                found = (box, end)
                break
            if found is not None:
                box, end = found
                leader = None if distance == gap else (request.x, request.y, end[0], end[1])
                placed.append(
                    PlacedLabel(
                        request.key,
                        request.text,
                        box,
                        text_x=box.x0 + 1.0,
                        baseline_y=box.y1 - 1.0 - font_size * 0.25,
                        leader=leader,
                    )
                )
                boxes.append(box)
                break
    return placed


def point_box(x: float, y: float, radius: float) -> Box:
    """The square around a drawn point, as an obstacle labels must not cover."""
    return Box(x - radius, y - radius, x + radius, y + radius)


__all__ = ["DIRECTIONS", "Box", "LabelRequest", "PlacedLabel", "label_size", "place_labels", "point_box"]
