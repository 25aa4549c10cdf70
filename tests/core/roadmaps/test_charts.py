"""The TRL ladder and the interplay graph: well-formed SVG, one mark per row or edge, colours by owner and
funding and by helix, who depends on whom counted from the roadmap, hostile labels escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from helix.core.roadmaps.charts import (
    HELIX_COLOURS,
    NEITHER,
    READY,
    InterplayEdge,
    InterplayLabels,
    InterplayNode,
    TrlLabels,
    TrlRow,
    interplay,
    interplay_svg,
    trl_ladder_svg,
    trl_rows,
)
from helix.core.roadmaps.model import Dependency, Item, ItemKind, Participant, Phase, Roadmap
from tests.core.roadmaps.view_samples import START, sample_roadmap

pytestmark = pytest.mark.unit

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>x</script> & \"q\" 'a'"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def test_trl_rows_from_a_roadmap() -> None:
    rows = {r.key: r for r in trl_rows(sample_roadmap())}
    assert rows["A1"] == TrlRow("A1", "Feasibility study", 2, 4, True, True, "research")
    assert (rows["D1"].trl_from, rows["D1"].trl_to) == (4, 6)  # the phase's default range
    assert rows["D1"].has_owner
    assert not rows["D1"].funded  # budget 80,000.50, nothing secured
    assert not rows["M2"].has_owner
    bare = Roadmap(START, items=(Item("X"),))
    assert trl_rows(bare) == []  # no range, no phase: not on the ladder


def test_trl_ladder_places_every_row_with_its_status() -> None:
    rows = [
        TrlRow("a", "Ready", 2, 3, True, True),
        TrlRow("b", "In the valley, no money", 5, 6, True, False),
        TrlRow("c", "Orphan", 8, 9, False, True),
        TrlRow("d", HOSTILE, 4, 4, False, False),
    ]
    svg = trl_ladder_svg(rows, labels=TrlLabels(title="Ladder"))
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Ladder"
    bars = by_class(root, "trl-bar")
    assert len(bars) == 4
    assert [b.get("class", "").split()[1] for b in bars] == ["ready", "no_funding", "no_owner", "neither"]
    assert bars[0].get("fill") == READY
    assert bars[3].get("fill") == NEITHER
    # The bars span their levels: TRL 2-3 is two columns wide, TRL 4 one.
    assert float(bars[0].get("width", 0)) > 1.9 * float(bars[3].get("width", 0))
    # Items in the valley without owner and funding are marked at risk; TRL 8-9 is past the valley.
    assert [g.find(f"{SVG}title").text for g in by_class(root, "at-risk")] == [  # type: ignore[union-attr]
        "In the valley, no money: TRL 5–6, Owner, no funding",
        f"{HOSTILE}: TRL 4–4, No owner, no funding",
    ]
    assert len(by_class(root, "phase")) == 6
    assert len(by_class(root, "valley")) == 1
    assert "<script>" not in svg
    assert trl_ladder_svg(rows, labels=TrlLabels(title="Ladder")) == svg


def test_interplay_counts_who_depends_on_whom() -> None:
    roadmap = Roadmap(
        START,
        participants=(Participant(1, "Acme", helix="company"), Participant(2, "Uni", helix="knowledge")),
        items=(
            Item("a", kind=ItemKind.ACTIVITY, owner=1, duration_days=5),
            Item("b", kind=ItemKind.ACTIVITY, owner=2, contributors=(3,), duration_days=5),
            Item("c", owner=2),
            Item("d", owner=1),
            Item("e"),
        ),
        dependencies=(
            Dependency("a", "b"),  # Uni depends on Acme
            Dependency("a", "c"),  # again
            Dependency("b", "c"),  # Uni on itself: no edge
            Dependency("c", "d"),  # Acme depends on Uni
            Dependency("d", "e"),  # no owner: no edge
        ),
    )
    nodes, edges = interplay(roadmap)
    assert nodes == [
        InterplayNode("1", "Acme", "company", 2),
        InterplayNode("2", "Uni", "knowledge", 2),
        InterplayNode("3", "3", "", 1),  # a contributor not listed
    ]
    assert edges == [InterplayEdge("1", "2", 1), InterplayEdge("2", "1", 2)]


def test_interplay_svg_draws_nodes_and_weighted_edges() -> None:
    nodes = [
        InterplayNode("1", "Acme", "company", 8),
        InterplayNode("2", HOSTILE, "knowledge", 2),
        InterplayNode("3", "City", "government", 0),
        InterplayNode("4", "NGO", "", 1),
    ]
    edges = [InterplayEdge("1", "2", 1), InterplayEdge("2", "1", 5), InterplayEdge("3", "9", 2)]
    svg = interplay_svg(nodes, edges, labels=InterplayLabels(title="Interplay"))
    root = parse(svg)
    assert root.get("aria-label") == "Interplay"
    circles = [g.find(f"{SVG}circle") for g in by_class(root, "node")]
    assert len(circles) == 4
    radii = [float(c.get("r", 0)) for c in circles]  # type: ignore[union-attr]
    assert radii[0] > radii[1] > radii[2]
    assert circles[0].get("fill") == HELIX_COLOURS["company"]  # type: ignore[union-attr]
    drawn = by_class(root, "edge")
    assert len(drawn) == 2  # the edge to an unknown node is skipped
    widths = [float(e.get("stroke-width", 0)) for e in drawn]
    assert widths[1] > widths[0]
    assert drawn[1].find(f"{SVG}title").text == f"{HOSTILE} depends on Acme (5 links)"  # type: ignore[union-attr]
    assert "<script>" not in svg
    assert interplay_svg(nodes, edges, labels=InterplayLabels(title="Interplay")) == svg


def test_interplay_of_the_sample_roadmap_and_of_nobody() -> None:
    nodes, edges = interplay(sample_roadmap())
    assert [n.key for n in nodes] == ["1", "2", "city"]
    assert edges == [InterplayEdge("1", "2", 1), InterplayEdge("city", "1", 1)]
    assert len(by_class(parse(interplay_svg(nodes, edges)), "node")) == 3
    empty = parse(interplay_svg([], []))
    assert by_class(empty, "node") == []


def test_phases_are_labelled_in_the_readers_language() -> None:
    labels = TrlLabels(phases={p.value: f"«{p.value}»" for p in Phase})
    texts = [t.text for t in parse(trl_ladder_svg([], labels=labels)).iter(f"{SVG}text")]
    assert "«concept»" in texts
