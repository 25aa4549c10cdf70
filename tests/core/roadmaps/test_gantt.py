"""The Gantt chart: well-formed standalone SVG, one bar or diamond per row and one arrow per link,
lanes by track or participant swimlanes, hostile text escaped, the axis adapting to the span."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from helix.core.roadmaps.dates import own_starts
from helix.core.roadmaps.gantt import (
    GanttLabels,
    GanttLink,
    GanttRow,
    gantt_svg,
    links_from_roadmap,
    rows_from_roadmap,
    span,
)
from tests.core.roadmaps.view_samples import START, sample_roadmap

pytestmark = pytest.mark.unit

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def row(key: str, lane: str = "t", start: int = 0, days: int = 10, **kw: object) -> GanttRow:
    begin = START + timedelta(days=start)
    return GanttRow(key, kw.pop("label", key), lane, begin, begin + timedelta(days=days), **kw)  # type: ignore[arg-type]


def draw(rows: list[GanttRow], links: list[GanttLink] = (), **kw: object) -> ET.Element:  # type: ignore[assignment]
    first, last = span(rows)
    return parse(gantt_svg(rows, links, start=first, finish=last, **kw))  # type: ignore[arg-type]


def test_sample_is_well_formed_accessible_and_self_contained() -> None:
    roadmap = sample_roadmap()
    rows = rows_from_roadmap(roadmap)
    first, last = span(rows)
    labels = GanttLabels(title=roadmap.title, lanes={"h2": "Hydrogen", "grid": "Grid"})
    svg = gantt_svg(rows, links_from_roadmap(roadmap), start=first, finish=last, labels=labels)
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == roadmap.title
    assert root.get("viewBox", "").startswith("0 0 1200 ")
    assert "sans-serif" in root.get("font-family", "")
    assert root.find(f"{SVG}title").text == roadmap.title  # type: ignore[union-attr]
    assert not [e for e in root.iter() if e.tag in (f"{SVG}script", f"{SVG}image", f"{SVG}foreignObject")]
    assert "href" not in svg
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    # Deterministic: the same input gives the same bytes.
    assert gantt_svg(rows, links_from_roadmap(roadmap), start=first, finish=last, labels=labels) == svg


def test_one_bar_per_row_milestones_as_diamonds_one_arrow_per_link() -> None:
    roadmap = sample_roadmap()
    rows = rows_from_roadmap(roadmap)
    links = links_from_roadmap(roadmap)
    root = draw(rows, links)
    milestones = [r for r in rows if r.is_milestone]
    assert len(by_class(root, "bar")) == len(rows) - len(milestones)
    diamonds = by_class(root, "milestone")
    assert len(diamonds) == len(milestones) == 2
    assert all(d.tag == f"{SVG}path" and d.get("d", "").endswith("z") for d in diamonds)
    assert len(by_class(root, "link")) == len(links) == 4
    assert len(by_class(root, "link-ss")) == 1
    assert len(by_class(root, "due")) == 1  # the deliverable's due mark


def test_every_item_has_a_title_with_its_name_and_dates() -> None:
    rows = [
        row("A", label="Pilot plant", start=0, days=31, percent_complete=25),
        row("M", is_milestone=True, days=0),
    ]
    root = draw(rows)
    titles = [g.find(f"{SVG}title").text for g in by_class(root, "item")]  # type: ignore[union-attr]
    assert titles == ["Pilot plant: 2026-01-05 – 2026-02-05, 25% done", "M: 2026-01-05"]
    formatted = GanttLabels(date_text=lambda d: d.strftime("%d/%m/%Y"))
    root = draw(rows, labels=formatted)
    assert "05/01/2026 – 05/02/2026" in by_class(root, "item")[0].find(f"{SVG}title").text  # type: ignore[union-attr,operator]


def test_hostile_labels_are_escaped() -> None:
    hostile = "<script>alert(\"x\")</script> & 'q' \x00\x07"
    rows = [row("A", lane="<lane>", label=hostile)]
    svg = gantt_svg(
        rows,
        start=START,
        finish=START + timedelta(days=60),
        labels=GanttLabels(title=hostile, lanes={"<lane>": "R&D <b>"}),
    )
    root = parse(svg)
    assert "<script>" not in svg
    assert not [e for e in root.iter() if e.tag.endswith("script") or e.tag.endswith("b")]
    assert root.get("aria-label") == "<script>alert(\"x\")</script> & 'q' "
    texts = [e.text for e in root.iter(f"{SVG}text")]
    assert "R&D <b>" in texts
    assert "&apos;" in svg
    assert "&quot;" in svg


def test_swimlanes_repeat_a_shared_item_in_each_participants_lane() -> None:
    rows = [
        row("A", participants=("1", "2")),
        row("B", participants=("2",)),
        row("C"),  # no participant: the lane of the others
    ]
    labels = GanttLabels(lanes={"2": "Uni", "1": "Acme"}, no_lane="Nobody")
    root = draw(rows, [GanttLink("A", "B")], group_by="participant", labels=labels)
    assert len(by_class(root, "bar")) == 4
    lanes = [g.find(f"{SVG}text").text for g in by_class(root, "lane")]  # type: ignore[union-attr]
    assert lanes == ["Uni", "Acme", "Nobody"]  # the labels' order, then rows without a lane
    assert [t.text for t in by_class(root, "label")] == ["A", "B", "A", "C"]
    assert len(by_class(root, "link")) == 1  # one arrow per link, whatever the repeats
    by_track = draw(rows, group_by="track")
    assert len(by_class(by_track, "bar")) == 3


def test_links_to_unknown_items_are_skipped() -> None:
    root = draw(
        [row("A"), row("B", start=20)], [GanttLink("A", "B"), GanttLink("A", "Z"), GanttLink("B", "A", "SS")]
    )
    assert len(by_class(root, "link")) == 2


def test_critical_progress_baseline_and_today() -> None:
    rows = [
        row(
            "A",
            critical=True,
            percent_complete=50,
            baseline_start=START,
            baseline_finish=START + timedelta(days=5),
        ),
        row("B", start=10),
    ]
    today = START + timedelta(days=3)
    root = draw(rows, [GanttLink("A", "B")], today=today)
    assert len(by_class(root, "critical")) == 1
    progress = by_class(root, "progress")
    bar = by_class(root, "bar")[0]
    assert len(progress) == 1
    assert float(progress[0].get("width", 0)) == pytest.approx(float(bar.get("width", 0)) / 2, abs=0.1)
    assert len(by_class(root, "baseline")) == 1
    assert len(by_class(root, "today")) == 1
    outside = draw(rows, today=START - timedelta(days=400))
    assert by_class(outside, "today") == []


def test_the_axis_chooses_months_quarters_or_years_by_span() -> None:
    def axis_texts(days: int) -> list[str]:
        rows = [row("A", days=days)]
        root = parse(gantt_svg(rows, start=START, finish=START + timedelta(days=days)))
        return [t.text or "" for g in by_class(root, "axis") for t in g.iter(f"{SVG}text")]

    short = axis_texts(300)
    assert "Mar" in short
    assert "2026" in short
    medium = axis_texts(4 * 365)
    assert "Q2" in medium
    assert "Mar" not in medium
    long = axis_texts(15 * 365)
    assert "2030" in long
    assert not [t for t in long if t.startswith("Q") or t == "Mar"]


def test_rows_from_roadmap_use_the_plan_or_the_roadmaps_own_dates() -> None:
    roadmap = sample_roadmap()
    own = own_starts(roadmap)
    assert own["M1"] == START + timedelta(days=90)
    assert own["D1"] == own["M1"] + timedelta(days=14)
    assert own["A2"] == date(2026, 6, 1)  # its planned start is later than D1's start + 30
    assert own["M2"] == own["A2"] + timedelta(days=190)
    plan = {**own, "A1": START + timedelta(days=7)}
    rows = {r.key: r for r in rows_from_roadmap(roadmap, plan, critical={"A1"})}
    assert rows["A1"].start == START + timedelta(days=7)
    assert rows["A1"].finish == START + timedelta(days=97)
    assert rows["A1"].critical
    assert rows["A1"].participants == ("2", "1")
    assert rows["A1"].owner == "University of Ghent"
    assert rows["M2"].lane == ""


def test_a_thousand_rows_draw_quickly_and_completely() -> None:
    rows = [
        row(f"K{i}", lane=f"t{i % 7}", start=i % 700, days=i % 90, is_milestone=i % 90 == 0)
        for i in range(3000)
    ]
    links = [GanttLink(f"K{i}", f"K{i + 1}", "SS" if i % 3 else "FS") for i in range(2999)]
    begin = time.perf_counter()
    svg = gantt_svg(rows, links, start=START, finish=START + timedelta(days=800), today=START)
    elapsed = time.perf_counter() - begin
    root = parse(svg)
    assert len(by_class(root, "bar")) + len(by_class(root, "milestone")) == 3000
    assert len(by_class(root, "link")) == 2999
    assert elapsed < 2.0
