"""MS Project XML: a roadmap written and read back is the same roadmap (by hand and on random ones), the
file says what MS Project expects, a file in ProjectLibre's and MS Project's style is read with its
approximations reported, and bad or hostile XML is refused with a coded error naming task and line."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings

from helix.core.roadmaps.model import Dependency, DependencyKind, Effort, ItemKind, Roadmap, Track
from helix.core.roadmaps.mspdi import MspdiError, parse_mspdi, read_mspdi, write_mspdi
from tests.core.roadmaps.view_samples import roadmaps, sample_roadmap

pytestmark = pytest.mark.unit

NS = "{http://schemas.microsoft.com/project}"
SETTINGS = settings(
    max_examples=int(os.environ.get("HELIX_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def same(a: Roadmap, b: Roadmap) -> None:
    """Equal roadmaps, items compared by key (MSPDI lists them grouped by track)."""
    assert {it.key: it for it in b.items} == {it.key: it for it in a.items}
    assert set(b.dependencies) == set(a.dependencies)
    assert len(b.dependencies) == len(a.dependencies)
    assert b.participants == a.participants
    assert b.tracks == a.tracks
    assert (b.start, b.title) == (a.start, a.title)


def test_round_trip_of_the_sample() -> None:
    roadmap = sample_roadmap()
    result = parse_mspdi(write_mspdi(roadmap))
    same(roadmap, result.roadmap)
    assert result.warnings == ()
    assert [it.key for it in result.roadmap.items] == ["A1", "M1", "D1", "A2", "M2"]  # grouped by track


@SETTINGS
@given(roadmaps())
def test_round_trip_of_random_roadmaps(roadmap: Roadmap) -> None:
    same(roadmap, read_mspdi(write_mspdi(roadmap)))


def test_the_file_speaks_mspdi() -> None:
    roadmap = sample_roadmap()
    plan = {"A1": date(2026, 1, 12)}
    root = ET.fromstring(write_mspdi(roadmap, starts=plan))  # noqa: S314 - our own output
    assert root.tag == f"{NS}Project"
    tasks = {t.findtext(f"{NS}WBS"): t for t in root.iter(f"{NS}Task")}
    h2 = tasks["h2"]
    assert (h2.findtext(f"{NS}Summary"), h2.findtext(f"{NS}OutlineLevel")) == ("1", "1")
    a1 = tasks["A1"]
    assert a1.findtext(f"{NS}OutlineLevel") == "2"
    assert a1.findtext(f"{NS}OutlineNumber") == "1.1"
    assert a1.findtext(f"{NS}Start") == "2026-01-12T08:00:00"  # the plan's date
    assert a1.findtext(f"{NS}Finish") == "2026-04-12T08:00:00"
    assert a1.findtext(f"{NS}Duration") == "PT2160H0M0S"  # 90 elapsed days
    assert a1.findtext(f"{NS}DurationFormat") == "8"
    assert a1.findtext(f"{NS}ConstraintType") == "0"
    assert tasks["M1"].findtext(f"{NS}Milestone") == "1"
    assert tasks["M1"].findtext(f"{NS}Duration") == "PT0H0M0S"
    assert tasks["M2"].findtext(f"{NS}OutlineLevel") == "1"  # no track
    a2 = tasks["A2"]
    assert (a2.findtext(f"{NS}ConstraintType"), a2.findtext(f"{NS}ConstraintDate")) == (
        "4",
        "2026-06-01T08:00:00",
    )
    link = a2.find(f"{NS}PredecessorLink")
    assert link is not None
    assert link.findtext(f"{NS}PredecessorUID") == tasks["D1"].findtext(f"{NS}UID")
    assert link.findtext(f"{NS}Type") == "3"  # SS
    assert link.findtext(f"{NS}LinkLag") == str(30 * 24 * 60 * 10)
    assert link.findtext(f"{NS}LagFormat") == "8"
    assert tasks["D1"].find(f"{NS}PredecessorLink").findtext(f"{NS}Type") == "1"  # type: ignore[union-attr]
    resources = [r.findtext(f"{NS}Name") for r in root.iter(f"{NS}Resource")]
    assert resources == ["Acme Electrolysers", "University of Ghent", "City of Ghent"]
    works = {
        (a.findtext(f"{NS}TaskUID"), a.findtext(f"{NS}ResourceUID")): a.findtext(f"{NS}Work")
        for a in root.iter(f"{NS}Assignment")
    }
    a1_uid = a1.findtext(f"{NS}UID")
    assert works[(a1_uid, "2")] == "PT860H0M0S"  # 6 person-months at 143 h 20 min
    assert works[(a1_uid, "1")] == "PT215H0M0S"
    children = [c.tag for c in root]
    assert (
        children.index(f"{NS}Tasks") < children.index(f"{NS}Resources") < children.index(f"{NS}Assignments")
    )


def test_hostile_text_is_written_as_text() -> None:
    roadmap = sample_roadmap()
    data = write_mspdi(roadmap)
    assert b"Hydrogen valley &lt;2026&gt; &amp; beyond" in data
    assert read_mspdi(data).title == roadmap.title


# A file in the style MS Project and ProjectLibre write: a project summary task (UID 0), working-time
# durations, nested summaries, a blank resource 0, working-day and elapsed lags, an FF link.
FOREIGN = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Project xmlns="http://schemas.microsoft.com/project">
  <SaveVersion>14</SaveVersion>
  <Name>hydrogen.xml</Name>
  <Title>Hydrogen valley</Title>
  <StartDate>2026-01-05T08:00:00</StartDate>
  <MinutesPerDay>480</MinutesPerDay>
  <Tasks>
    <Task><UID>0</UID><ID>0</ID><Name>Hydrogen valley</Name><OutlineLevel>0</OutlineLevel><Summary>1</Summary>
      <Start>2026-01-05T08:00:00</Start><Finish>2026-06-30T17:00:00</Finish></Task>
    <Task><UID>1</UID><ID>1</ID><Name>Research</Name><WBS>1</WBS><OutlineLevel>1</OutlineLevel><Summary>1</Summary>
      <Start>2026-01-05T08:00:00</Start><Finish>2026-02-13T17:00:00</Finish><Duration>PT240H0M0S</Duration>
      <DurationFormat>7</DurationFormat></Task>
    <Task><UID>2</UID><ID>2</ID><Name>Literature survey</Name><WBS>1.1</WBS><OutlineLevel>2</OutlineLevel>
      <Summary>0</Summary><Milestone>0</Milestone><Start>2026-01-05T08:00:00</Start>
      <Finish>2026-01-16T17:00:00</Finish><Duration>PT80H0M0S</Duration><DurationFormat>7</DurationFormat>
      <ConstraintType>0</ConstraintType><PercentComplete>50</PercentComplete><FixedCost>1500000</FixedCost></Task>
    <Task><UID>3</UID><ID>3</ID><Name>Lab work</Name><WBS>1.2</WBS><OutlineLevel>2</OutlineLevel>
      <Summary>1</Summary>
      <Start>2026-01-19T08:00:00</Start><Finish>2026-02-13T17:00:00</Finish></Task>
    <Task><UID>4</UID><ID>4</ID><Name>Electrolyser tests</Name><WBS>1.2.1</WBS><OutlineLevel>3</OutlineLevel>
      <Summary>0</Summary><Milestone>0</Milestone><Start>2026-01-21T08:00:00</Start>
      <Finish>2026-02-13T17:00:00</Finish><Duration>PT144H0M0S</Duration><DurationFormat>7</DurationFormat>
      <ConstraintType>0</ConstraintType>
      <PredecessorLink><PredecessorUID>2</PredecessorUID><Type>1</Type><CrossProject>0</CrossProject>
        <LinkLag>9600</LinkLag><LagFormat>7</LagFormat></PredecessorLink></Task>
    <Task><UID>5</UID><ID>5</ID><Name>Results ready</Name><WBS>1.3</WBS><OutlineLevel>2</OutlineLevel>
      <Summary>0</Summary><Milestone>1</Milestone><Start>2026-02-13T17:00:00</Start>
      <Finish>2026-02-13T17:00:00</Finish><Duration>PT0H0M0S</Duration><DurationFormat>7</DurationFormat>
      <ConstraintType>0</ConstraintType>
      <PredecessorLink><PredecessorUID>4</PredecessorUID><Type>0</Type><LinkLag>0</LinkLag>
        <LagFormat>7</LagFormat></PredecessorLink></Task>
    <Task><UID>6</UID><ID>6</ID><Name>Pilot</Name><WBS>2</WBS><OutlineLevel>1</OutlineLevel><Summary>0</Summary>
      <Milestone>0</Milestone><Start>2026-03-02T08:00:00</Start><Finish>2026-06-30T17:00:00</Finish>
      <Duration>PT960H0M0S</Duration><DurationFormat>8</DurationFormat>
      <ConstraintType>4</ConstraintType><ConstraintDate>2026-03-02T08:00:00</ConstraintDate>
      <PredecessorLink><PredecessorUID>2</PredecessorUID><Type>3</Type><LinkLag>144000</LinkLag>
        <LagFormat>8</LagFormat></PredecessorLink>
      <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type></PredecessorLink></Task>
  </Tasks>
  <Resources>
    <Resource><UID>0</UID><ID>0</ID><Type>1</Type><IsNull>0</IsNull></Resource>
    <Resource><UID>1</UID><ID>1</ID><Name>Ghent University</Name><Type>1</Type>
      <MaxUnits>1.00</MaxUnits></Resource>
    <Resource><UID>2</UID><ID>2</ID><Name>Acme</Name><Type>1</Type><Group>company</Group>
      <MaxUnits>2.00</MaxUnits></Resource>
  </Resources>
  <Assignments>
    <Assignment><UID>1</UID><TaskUID>2</TaskUID><ResourceUID>1</ResourceUID><Work>PT80H0M0S</Work></Assignment>
    <Assignment><UID>2</UID><TaskUID>4</TaskUID><ResourceUID>2</ResourceUID><Work>PT516H0M0S</Work></Assignment>
    <Assignment><UID>3</UID><TaskUID>4</TaskUID><ResourceUID>1</ResourceUID><Work>PT0H0M0S</Work></Assignment>
    <Assignment><UID>4</UID><TaskUID>6</TaskUID><ResourceUID>-65535</ResourceUID><Work>PT0H0M0S</Work></Assignment>
  </Assignments>
</Project>
"""


def test_reading_a_file_from_ms_project_or_projectlibre() -> None:
    result = parse_mspdi(FOREIGN)
    roadmap = result.roadmap
    assert roadmap.start == date(2026, 1, 5)
    assert roadmap.title == "Hydrogen valley"
    assert roadmap.tracks == (Track("1", "Research"),)
    items = {it.key: it for it in roadmap.items}
    assert list(items) == ["1.1", "1.2.1", "1.3", "2"]  # WBS codes as keys; summary tasks are not items
    survey = items["1.1"]
    assert survey.title == "Literature survey"
    assert survey.track == "1"
    assert survey.kind is ItemKind.ACTIVITY
    assert survey.duration_days == 12  # 10 working days, Monday to the second Friday: 12 calendar days
    assert survey.planned_start is None
    assert survey.percent_complete == 50.0
    assert survey.budget == 15_000.0
    assert survey.owner == "Ghent University"
    assert survey.efforts == (Effort("Ghent University", 80 / (1720 / 12)),)
    tests = items["1.2.1"]
    assert tests.track == "1"  # the nested summary "Lab work" is flattened into its track
    assert tests.owner == "Acme"  # the first resource assigned
    assert tests.contributors == ("Ghent University",)
    assert tests.efforts == (Effort("Acme", 3.6),)  # zero work is no effort
    milestone = items["1.3"]
    assert milestone.kind is ItemKind.MILESTONE
    assert milestone.duration_days == 0
    pilot = items["2"]
    assert pilot.track is None
    assert pilot.duration_days == 40
    assert pilot.planned_start == date(2026, 3, 2)
    assert pilot.owner is None  # the unassigned resource -65535
    assert set(roadmap.dependencies) == {
        Dependency("1.1", "1.2.1", DependencyKind.FINISH_TO_START, 3),  # 2 working days: 3 calendar days
        Dependency("1.2.1", "1.3", DependencyKind.FINISH_TO_START, 0),  # FF+0 = FS-0 for a milestone
        Dependency("1.1", "2", DependencyKind.START_TO_START, 10),  # 10 elapsed days
    }  # the link from the summary task "Research" is dropped
    assert [(p.id, p.name, p.helix, p.capacity_pm_per_month) for p in roadmap.participants] == [
        ("Ghent University", "", "", 1.0),
        ("Acme", "", "company", 2.0),
    ]
    codes = {w.code for w in result.warnings}
    assert codes == {
        "mspdi_nested_summary",
        "mspdi_duration_working",
        "mspdi_lag_working",
        "mspdi_link_converted",
        "mspdi_summary_link",
    }
    assert all(w.severity == "warning" for w in result.warnings)
    converted = next(w for w in result.warnings if w.code == "mspdi_link_converted")
    assert converted.params["tasks"] == [5]


def test_a_finish_to_finish_link_keeps_its_meaning() -> None:
    data = FOREIGN.replace(b"<Type>0</Type><LinkLag>0</LinkLag>", b"<Type>0</Type><LinkLag>48000</LinkLag>")
    data = data.replace(b"<Milestone>1</Milestone>", b"<Milestone>0</Milestone>", 1)
    data = data.replace(
        b"<Duration>PT0H0M0S</Duration><DurationFormat>7",
        b"<Duration>PT48H0M0S</Duration><DurationFormat>8",
        1,
    )
    deps = {(d.predecessor, d.successor): d for d in read_mspdi(data).dependencies}
    # Finish 14 calendar days (10 working) after the tests finish, lasting 2 days: start 12 days after.
    assert deps[("1.2.1", "1.3")] == Dependency("1.2.1", "1.3", DependencyKind.FINISH_TO_START, 12)


def refused(data: bytes) -> MspdiError:
    with pytest.raises(MspdiError) as caught:
        read_mspdi(data)
    return caught.value


def test_bad_xml_is_refused_with_its_line() -> None:
    error = refused(b"<?xml version='1.0'?>\n<Project>\n<Tasks>\n</Project>")
    assert [p.code for p in error.problems] == ["mspdi_not_xml"]
    assert error.problems[0].params["line"] == 4


def test_doctype_and_entities_are_refused() -> None:
    laughs = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Project><Name>&lol2;</Name></Project>"""
    assert [p.code for p in refused(laughs).problems] == ["mspdi_doctype"]
    external = b"""<?xml version="1.0"?>
<!DOCTYPE Project SYSTEM "file:///etc/passwd"><Project><Name>x</Name></Project>"""
    assert [p.code for p in refused(external).problems] == ["mspdi_doctype"]


def test_other_documents_and_oversized_files_are_refused() -> None:
    assert refused(b"<svg xmlns='http://www.w3.org/2000/svg'/>").problems[0].code == "mspdi_not_project"
    with pytest.raises(MspdiError) as caught:
        read_mspdi(FOREIGN, max_bytes=100)
    assert caught.value.problems[0].code == "mspdi_too_large"
    assert refused(b"<Project/>").problems[0].code == "mspdi_no_start"


def test_bad_values_name_the_task_and_the_line() -> None:
    data = FOREIGN.replace(b"<Finish>2026-01-16T17:00:00</Finish>", b"<Finish>16/01/2026</Finish>")
    data = data.replace(b"<PredecessorUID>4</PredecessorUID>", b"<PredecessorUID>44</PredecessorUID>")
    problems = refused(data).problems
    assert [p.code for p in problems] == ["mspdi_bad_date", "mspdi_unknown_predecessor"]
    assert problems[0].params["uid"] == 2
    assert problems[0].params["line"] == FOREIGN[: FOREIGN.index(b"16T17:00:00</Finish>")].count(b"\n") + 1
    assert problems[0].text.startswith("task 2, line ")
    assert problems[1].params == {"uid": 5, "line": problems[1].params["line"], "predecessor": 44}


def test_duplicate_uids_are_refused() -> None:
    data = FOREIGN.replace(b"<UID>6</UID><ID>6</ID>", b"<UID>5</UID><ID>6</ID>")
    problems = refused(data).problems
    assert [p.code for p in problems] == ["mspdi_duplicate_uid"]
    assert problems[0].params["uid"] == 5
