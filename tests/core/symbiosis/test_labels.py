"""Map labels (helix.core.symbiosis.labels) never overlap each other nor the sites, however crowded the
map; the most important are placed first, moved out on a leader line when their place is taken, and left
out when nothing fits."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helix.core.symbiosis.labels import Box, LabelRequest, label_size, place_labels, point_box

pytestmark = pytest.mark.unit


BOUNDS = Box(0, 0, 900, 620)


def assert_no_overlap(placed, obstacles=()) -> None:  # type: ignore[no-untyped-def]
    for a, b in itertools.combinations(placed, 2):
        assert not a.box.intersects(b.box), (a, b)
    for label in placed:
        assert label.box.inside(BOUNDS), label
        for obstacle in obstacles:
            assert not label.box.intersects(obstacle), (label, obstacle)


def test_a_lone_label_sits_right_of_its_point() -> None:
    [label] = place_labels([LabelRequest("gent", "Gent", 100, 100)], BOUNDS)
    width, height = label_size("Gent")
    assert label.box == Box(107, 100 - height / 2, 107 + width, 100 + height / 2)
    assert label.leader is None


def test_forty_labels_on_one_spot_never_overlap_and_the_busiest_wins() -> None:
    requests = [
        LabelRequest(f"p{i}", f"Place number {i}", 450 + i % 3, 300 + i % 2, priority=i) for i in range(40)
    ]
    placed = place_labels(requests, BOUNDS)
    assert_no_overlap(placed)
    assert placed[0].key == "p39"
    assert placed[0].leader is None
    assert any(label.leader is not None for label in placed)  # later ones moved out on a leader line
    assert len(placed) < 40  # and the rest left out: nothing fitted


def test_labels_avoid_the_sites_and_the_drawing_edges() -> None:
    rng = random.Random(12)
    points = [(rng.uniform(0, 900), rng.uniform(0, 620)) for _ in range(150)]
    obstacles = [point_box(x, y, 6) for x, y in points]
    requests = [
        LabelRequest(f"s{i}", f"Site {i}", x, y, priority=rng.random()) for i, (x, y) in enumerate(points)
    ]
    placed = place_labels(requests, BOUNDS, obstacles=obstacles)
    assert placed
    assert_no_overlap(placed, obstacles)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0, 900),
            st.floats(0, 620),
            st.text("abcdefghij ", min_size=1, max_size=24),
            st.floats(0, 10),
        ),
        max_size=60,
    )
)
def test_whatever_the_input_no_two_placed_labels_intersect(items) -> None:  # type: ignore[no-untyped-def]
    requests = [LabelRequest(str(i), text, x, y, priority=p) for i, (x, y, text, p) in enumerate(items)]
    obstacles = [point_box(x, y, 5) for x, y, _t, _p in items]
    assert_no_overlap(place_labels(requests, BOUNDS, obstacles=obstacles), obstacles)
