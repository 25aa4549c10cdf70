"""A roadmap's documents: one all-day event per milestone and deliverable with stable UIDs, a valid PDF
with the Gantt chart and the milestone table, and workbook and CSV files that import back."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from reportlab.graphics.shapes import Drawing

from helix.core.roadmaps.gantt import links_from_roadmap, rows_from_roadmap, span
from helix.core.roadmaps.model import ParticipantId
from helix.core.roadmaps.table import ROADMAP_COLUMNS, parse_roadmap_rows
from helix.roadmaps import documents
from helix.roadmaps.documents import (
    gantt_labels,
    item_uid,
    milestones_ical,
    read_csv_rows,
    roadmap_csv,
    roadmap_pdf,
    roadmap_workbook,
)
from tests.core.roadmaps.view_samples import START, sample_roadmap

pytestmark = pytest.mark.unit

STAMP = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
NAMES: dict[str, ParticipantId] = {"Acme Electrolysers": 1, "University of Ghent": 2, "City of Ghent": "city"}


def events(data: bytes) -> list[object]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def test_one_all_day_event_per_milestone_and_deliverable() -> None:
    roadmap = sample_roadmap()
    data = milestones_ical(
        roadmap,
        roadmap_key=7,
        calendar_name="Hydrogen valley",
        url_for_item=lambda key: f"https://helix.example/roadmaps/7/items/{key}/",
        stamp=STAMP,
    )
    calendar = Calendar.from_ical(data)
    assert str(calendar["x-wr-calname"]) == "Hydrogen valley"
    found = {str(e["uid"]): e for e in events(data)}  # type: ignore[index]
    assert set(found) == {item_uid(7, "M1"), item_uid(7, "D1"), item_uid(7, "M2")}  # not the activities
    m1 = found[item_uid(7, "M1")]
    assert m1["dtstart"].dt == START + timedelta(days=90)  # type: ignore[index]
    assert m1["dtend"].dt == START + timedelta(days=91)  # type: ignore[index]
    assert not isinstance(m1["dtstart"].dt, datetime)  # type: ignore[index]  # an all-day event
    assert str(m1["summary"]).startswith("Go / no-go")  # type: ignore[index]
    assert "Acme Electrolysers" in str(m1["description"])  # type: ignore[index]
    assert str(m1["url"]) == "https://helix.example/roadmaps/7/items/M1/"  # type: ignore[index]
    d1 = found[item_uid(7, "D1")]
    assert d1["dtstart"].dt == START + timedelta(days=90 + 14 + 60)  # type: ignore[index]  # its due date


def test_uids_are_stable_and_dates_follow_the_plan() -> None:
    roadmap = sample_roadmap()
    first = milestones_ical(roadmap, roadmap_key="r 1", calendar_name="x", stamp=STAMP)
    again = milestones_ical(roadmap, roadmap_key="r 1", calendar_name="x", stamp=STAMP)
    assert first == again
    moved = milestones_ical(
        roadmap, {"M1": date(2026, 9, 1)}, roadmap_key="r 1", calendar_name="x", stamp=STAMP
    )
    by_uid = {str(e["uid"]): e for e in events(moved)}  # type: ignore[index]
    assert set(by_uid) == {str(e["uid"]) for e in events(first)}  # type: ignore[index]
    assert by_uid[item_uid("r 1", "M1")]["dtstart"].dt == date(2026, 9, 1)  # type: ignore[index]
    assert item_uid("r 1", "M/1").startswith("roadmap-r%201-item-M%2F1@")


def pdf_pages(data: bytes) -> int:
    return data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + data.count(b"/Type /Page>")


def test_the_pdf_is_a_valid_document_with_the_title() -> None:
    roadmap = sample_roadmap()
    rows = rows_from_roadmap(roadmap, critical={"A1", "M1"})
    first, last = span(rows)
    data = roadmap_pdf(
        "Hydrogen valley roadmap",
        rows,
        links_from_roadmap(roadmap),
        start=first,
        finish=last,
        today=date(2026, 5, 1),
        labels=gantt_labels({"h2": "Hydrogen", "grid": "Grid"}),
        invariant=True,
    )
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert b"Hydrogen valley roadmap" in data  # the document's title
    assert len(data) > 5_000
    assert pdf_pages(data) == 1
    again = roadmap_pdf(
        "Hydrogen valley roadmap",
        rows,
        links_from_roadmap(roadmap),
        start=first,
        finish=last,
        today=date(2026, 5, 1),
        labels=gantt_labels({"h2": "Hydrogen", "grid": "Grid"}),
        invariant=True,
    )
    assert again == data


def test_a_long_roadmap_runs_over_pages_and_a3_holds_more() -> None:
    roadmap = sample_roadmap()
    base = rows_from_roadmap(roadmap)
    rows = [r.__class__(**{**r.__dict__, "key": f"{r.key}-{i}"}) for i in range(40) for r in base]
    first, last = span(rows)
    a4 = roadmap_pdf("Long", rows, start=first, finish=last, invariant=True)
    a3 = roadmap_pdf("Long", rows, start=first, finish=last, page="A3", invariant=True)
    assert pdf_pages(a4) > pdf_pages(a3) >= 2


def test_the_gantt_page_draws_a_shape_per_row(monkeypatch: pytest.MonkeyPatch) -> None:
    roadmap = sample_roadmap()
    rows = rows_from_roadmap(roadmap)
    first, last = span(rows)
    drawn: list[Drawing] = []
    original = documents._GanttPage.draw

    def spy(self: documents._GanttPage, *args: object) -> Drawing:
        drawing = original(self, *args)  # type: ignore[arg-type]
        drawn.append(drawing)
        return drawing

    monkeypatch.setattr(documents._GanttPage, "draw", spy)
    roadmap_pdf("T", rows, links_from_roadmap(roadmap), start=first, finish=last)
    texts = [getattr(s, "text", "") for d in drawn for s in d.contents]
    assert {r.label for r in rows} <= set(texts)
    polygons = [s for d in drawn for s in d.contents if s.__class__.__name__ == "Polygon"]
    assert len(polygons) == 2 + 4  # two milestone diamonds, four arrow heads


def test_workbook_and_csv_import_back() -> None:
    roadmap = sample_roadmap()
    data = roadmap_workbook(roadmap, sheet="Roadmap")
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ROADMAP_COLUMNS
    assert values[1][:3] == ("A1", "Feasibility study", "activity")
    assert len(values) == 1 + len(roadmap.items)

    csv_data = roadmap_csv(roadmap, {"A1": START})
    assert csv_data.startswith("\ufeff".encode())
    rows = read_csv_rows(csv_data)
    assert rows[0]["plan_start"] == START.isoformat()
    back, problems = parse_roadmap_rows(rows, START, NAMES.get)
    assert problems == []
    assert back is not None
    assert back.items == roadmap.items
    assert back.dependencies == roadmap.dependencies


def test_formula_like_text_is_escaped_and_read_back() -> None:
    roadmap = sample_roadmap()
    item = roadmap.items[0]
    hostile = roadmap.__class__(
        start=roadmap.start,
        items=(item.__class__(**{**item.__dict__, "title": '=HYPERLINK("http://x")'}),),
        participants=roadmap.participants,
    )
    data = roadmap_csv(hostile)
    assert b"'=HYPERLINK" in data
    back, problems = parse_roadmap_rows(read_csv_rows(data), START, NAMES.get)
    assert problems == []
    assert back is not None
    assert back.items[0].title == '=HYPERLINK("http://x")'
