"""Integration: the roadmap pages as their users use them: the roadmap's page (items per track with their
forecast dates, the critical path, what is at risk and why, the problems for its editors only), what-if,
the drawings, the files and their way back in through the import page, and the staff's pages that shape
a roadmap; a participant accepting its milestone on the page.

The roadmap (tests/roadmaps/conftest.py) started 30 days ago and nothing has started: the study and the
permits are overdue, so the forecast starts them today and the chain moves with the study."""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from icalendar import Calendar
from openpyxl import load_workbook

from helix.roadmaps import services
from helix.roadmaps.models import Dependency, Item, Participant, Roadmap, Track
from tests.factories import ParticipantFactory, RoadmapFactory
from tests.roadmaps.conftest import CHAIN, build_roadmap, move_through

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

SVG = "{http://www.w3.org/2000/svg}"
TITLES = {
    "a-study": "Electrolyser study",
    "m-go": "Go for the pilot",
    "d-pilot": "Pilot plant",
    "m-market": "First hydrogen sold",
    "a-permits": "Permits",
}


@pytest.fixture
def roadmap(rw) -> Roadmap:  # type: ignore[no-untyped-def]
    built = build_roadmap(rw, starts_on=timezone.localdate() - dt.timedelta(days=30))
    return move_through(rw, built, "consultation")


def section(html: str, element_id: str) -> str:
    """The HTML of the section with ``element_id`` ("" when the page has none)."""
    found = re.search(rf'<section[^>]*id="{element_id}".*?</section>', html, re.S)
    return found.group(0) if found else ""


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def row(html: str, key: str) -> str:
    found = re.search(rf'<tr id="item-{key}".*?</tr>', html, re.S)
    assert found, key
    return found.group(0)


def short(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def page(rw, who: str, url: str) -> str:  # type: ignore[no-untyped-def]
    response = rw.client(who).get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


# -- the roadmap's page -----------------------------------------------------------------------------------


def test_the_page_shows_the_items_per_track_with_their_forecast_dates(rw, roadmap):  # type: ignore[no-untyped-def]
    today = timezone.localdate()

    html = page(rw, "acme", roadmap.get_absolute_url())

    lanes = re.findall(r'<h2 id="lane-\d+">(.*?)</h2>.*?</section>', html, re.S)
    assert lanes == ["Hydrogen production", "Hydrogen use"]
    blocks = re.findall(r'<h2 id="lane-\d+">.*?</section>', html, re.S)
    assert re.findall(r'<tr id="item-([\w-]+)"', blocks[0]) == ["a-study", "m-go"]
    assert re.findall(r'<tr id="item-([\w-]+)"', blocks[1]) == ["d-pilot", "m-market", "a-permits"]
    forecast = {  # key: (start, finish) in days from today
        "a-study": (0, 90),
        "m-go": (90, 90),
        "d-pilot": (104, 164),
        "m-market": (164, 164),
        "a-permits": (0, 30),
    }
    for key, (start, finish) in forecast.items():
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row(html, key), re.S)
        assert TITLES[key] in cells[0]
        assert (cells[4], cells[5].split(" <")[0]) == (
            short(today + dt.timedelta(days=start)),
            short(today + dt.timedelta(days=finish)),
        ), key
    assert "Acme Electrolysers" in row(html, "d-pilot")
    assert "with University of Ghent, City of Ghent" in text(row(html, "d-pilot"))
    end = today + dt.timedelta(days=164)
    assert text(re.search(r'<dd id="roadmap-end">.*?</dd>', html, re.S).group(0)).startswith(  # type: ignore[union-attr]
        date_format(end, "DATE_FORMAT")
    )


def test_the_page_shows_the_critical_path_and_the_items_at_risk_with_their_reasons(rw, roadmap):  # type: ignore[no-untyped-def]
    planned = roadmap.starts_on

    html = page(rw, "acme", roadmap.get_absolute_url())

    critical = re.search(r'<p id="critical-path">.*?</p>', html, re.S).group(0)  # type: ignore[union-attr]
    assert text(critical) == "Critical path: " + " → ".join(TITLES[k] for k in CHAIN)
    assert re.findall(r'<tr id="item-([\w-]+)" class="is-critical"', html) == list(CHAIN)
    at_risk = section(html, "at-risk")
    assert re.findall(r'<li class="card"><a href="#item-([\w-]+)"', at_risk) == [*CHAIN, "a-permits"]
    permits = re.search(r'<a href="#item-a-permits">.*?</ul>', at_risk, re.S).group(0)  # type: ignore[union-attr]
    assert "City of Ghent" in permits
    assert "At risk" in permits
    day = date_format(planned, "DATE_FORMAT")
    assert f"Should have started on {day} and has not." in text(permits)


def test_the_problems_are_shown_to_the_editors_only(rw, roadmap):  # type: ignore[no-untyped-def]
    staff = page(rw, "staff", roadmap.get_absolute_url())
    participant = page(rw, "acme", roadmap.get_absolute_url())

    problems = section(staff, "roadmap-problems")
    assert "0 problems block its adoption" in problems
    assert "“First hydrogen sold” (TRL 7–7) crosses the valley of death" in problems
    assert section(participant, "roadmap-problems") == ""
    assert 'id="roadmap-moves"' in staff
    assert 'id="roadmap-moves"' not in participant


def test_what_if_shows_what_moves_and_the_new_end(rw, roadmap):  # type: ignore[no-untyped-def]
    today = timezone.localdate()

    html = page(rw, "uni", reverse("roadmaps:whatif", kwargs={"key": roadmap.key}) + "?item=m-go&days=10")

    impact = section(html, "impact")
    assert "If “Go for the pilot” finishes 10 days late" in text(impact)
    old_end, new_end = today + dt.timedelta(days=164), today + dt.timedelta(days=174)
    assert text(re.search(r'<p id="impact-end">.*?</p>', impact, re.S).group(0)) == (  # type: ignore[union-attr]
        f"The roadmap ends on {date_format(new_end, 'DATE_FORMAT')} instead of "
        f"{date_format(old_end, 'DATE_FORMAT')}: 10 days later."
    )
    moved = [text(r) for r in re.findall(r"<tbody>.*?</tbody>", impact, re.S)[0].split("</tr>")[:-1]]
    assert [m.split(" ")[0:2] for m in moved] == [["Go", "for"], ["Pilot", "plant"], ["First", "hydrogen"]]
    assert all(m.endswith(" 10") for m in moved)


def test_a_slip_within_the_slack_keeps_the_end(rw, roadmap):  # type: ignore[no-untyped-def]
    html = page(
        rw, "uni", reverse("roadmaps:whatif", kwargs={"key": roadmap.key}) + "?item=a-permits&days=30"
    )

    end = date_format(timezone.localdate() + dt.timedelta(days=164), "DATE_FORMAT")
    assert f"The roadmap still ends on {end}: the slack absorbs it." in text(section(html, "impact"))


# -- drawings and files -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["gantt", "trl", "interplay"])
def test_the_drawings_are_well_formed_svg(rw, roadmap, name):  # type: ignore[no-untyped-def]
    response = rw.client("acme").get(reverse(f"roadmaps:{name}", kwargs={"key": roadmap.key}))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert root.tag == f"{SVG}svg"
    words = " ".join(t for t in root.itertext())
    if name != "interplay":  # the interplay graph draws the participants, not the items
        for title in TITLES.values():
            assert title in words, (name, title)
    else:
        for org in ("Acme Electrolysers", "University of Ghent", "City of Ghent"):
            assert org in words


def test_the_gantt_chart_draws_a_bar_per_item_and_an_arrow_per_link(rw, roadmap):  # type: ignore[no-untyped-def]
    response = rw.client("acme").get(reverse("roadmaps:gantt", kwargs={"key": roadmap.key}))

    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    drawn = [(e.get("class") or "").split() for e in root.iter()]
    assert sum(1 for c in drawn if "bar" in c) == 3  # the study, the pilot, the permits
    assert sum(1 for c in drawn if "milestone" in c) == 2  # the go and the first sale, as diamonds
    assert sum(1 for c in drawn if "link" in c) == 3


def _export(rw, roadmap: Roadmap, fmt: str) -> bytes:  # type: ignore[no-untyped-def]
    response = rw.client("staff").get(reverse("roadmaps:export", kwargs={"key": roadmap.key, "fmt": fmt}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(f'attachment; filename="{roadmap.key}-')
    return response.content


def _import(rw, roadmap: Roadmap, name: str, data: bytes):  # type: ignore[no-untyped-def]
    return rw.client("staff").post(
        reverse("roadmaps:import", kwargs={"key": roadmap.key}), {"file": SimpleUploadedFile(name, data)}
    )


def _content(roadmap: Roadmap) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    items = Item.objects.filter(roadmap=roadmap).order_by("order")
    links = Dependency.objects.filter(successor__roadmap=roadmap).order_by(
        "predecessor__key", "successor__key"
    )
    return (
        list(
            items.values_list(
                "key", "title", "kind", "track__key", "owner__organisation__slug", "duration_days"
            )
        ),
        list(links.values_list("predecessor__key", "successor__key", "kind", "lag_days")),
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "xml"])
def test_an_exported_file_has_a_row_per_item_and_imports_back_to_the_same_items(rw, roadmap, fmt):  # type: ignore[no-untyped-def]
    before = _content(roadmap)
    data = _export(rw, roadmap, fmt)
    if fmt == "csv":
        lines = data.decode("utf-8-sig").strip().splitlines()
        assert [line.split(",")[0] for line in lines[1:]] == list(TITLES)
    elif fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(data)).worksheets[0]
        assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == list(TITLES)
    move_through(rw, roadmap, "draft")
    Item.objects.filter(roadmap=roadmap).delete()

    response = _import(rw, roadmap, f"roadmap.{fmt}", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert _content(roadmap) == before


def test_the_calendar_has_one_event_per_milestone_and_deliverable(rw, roadmap):  # type: ignore[no-untyped-def]
    events = list(Calendar.from_ical(_export(rw, roadmap, "ics")).walk("VEVENT"))

    assert sorted(str(e["summary"]).split(" (")[0] for e in events) == sorted(
        ["Go for the pilot", "Pilot plant", "First hydrogen sold"]
    )


def test_the_pdf_is_a_pdf(rw, roadmap):  # type: ignore[no-untyped-def]
    assert _export(rw, roadmap, "pdf").startswith(b"%PDF")


def test_a_bad_csv_shows_its_problems_by_row_and_column_and_writes_nothing(rw, roadmap):  # type: ignore[no-untyped-def]
    move_through(rw, roadmap, "draft")
    before = _content(roadmap)
    data = (
        b"key,title,kind,owner,duration_days,trl_from\n"
        b"x1,Fine,milestone,Acme Electrolysers,0,3\n"
        b"x2,Bad,milestone,Nobody Known,zero,12\n"
    )

    response = _import(rw, roadmap, "bad.csv", data)

    assert response.status_code == 200
    problems = section(response.content.decode(), "import-problems")
    places = re.findall(r"<strong>(.*?)</strong>", problems)
    assert set(places) == {"row 3, column owner", "row 3, column duration_days", "row 3, column trl_from"}
    assert _content(roadmap) == before


# -- shaping a roadmap ------------------------------------------------------------------------------------


def test_the_staff_start_a_roadmap_on_the_new_roadmap_page(rw):  # type: ignore[no-untyped-def]
    client = rw.client("staff")
    form = client.get(reverse("roadmaps:new"))
    assert form.status_code == 200

    response = client.post(
        reverse("roadmaps:new"),
        {
            "cluster": rw.cluster.pk,
            "title": "Hydrogen 2030",
            "key": "h2-2030",
            "starts_on": "2027-01-01",
            "visibility": "members",
            "summary": "Where the valley goes.",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("roadmaps:participants", kwargs={"key": "h2-2030"})
    made = Roadmap.objects.get(key="h2-2030")
    assert (made.cluster, made.title, made.status, made.starts_on, made.created_by) == (
        rw.cluster,
        "Hydrogen 2030",
        "draft",
        dt.date(2027, 1, 1),
        rw.users["staff"],
    )
    assert rw.client("acme").get(reverse("roadmaps:new")).status_code == 403


def test_the_staff_add_a_participant_a_track_an_item_and_a_dependency_on_their_pages(rw):  # type: ignore[no-untyped-def]
    client = rw.client("staff")
    roadmap = build_roadmap(rw, starts_on=dt.date(2027, 1, 1))
    Participant.objects.filter(roadmap=roadmap, organisation=rw.orgs["city"]).update(role="")
    participants = reverse("roadmaps:participants", kwargs={"key": roadmap.key})
    newcomer = rw.orgs["far"].memberships.first()
    newcomer.cluster = rw.cluster  # Far Away joins the valley
    newcomer.save()

    joined = client.post(
        participants,
        {"form": "participant", "organisation": rw.orgs["far"].pk, "role": "supplier", "capacity": "2"},
    )
    tracked = client.post(participants, {"form": "track", "title": "Hydrogen storage"})
    added = client.post(
        reverse("roadmaps:item_new", kwargs={"key": roadmap.key}),
        {
            "revision": Roadmap.objects.get(pk=roadmap.pk).revision,
            "key": "m-tank",
            "title": "Storage tank",
            "kind": "milestone",
            "track": Track.objects.get(roadmap=roadmap, key="hydrogen-storage").pk,
            "owner": Participant.objects.get(roadmap=roadmap, organisation=rw.orgs["far"]).pk,
            "duration_days": "0",
            "budget": "0",
            "funding_secured": "0",
        },
    )
    linked = client.post(
        reverse("roadmaps:dependencies", kwargs={"key": roadmap.key}),
        {
            "predecessor": Item.objects.get(roadmap=roadmap, key="m-go").pk,
            "successor": Item.objects.get(roadmap=roadmap, key="m-tank").pk,
            "kind": "FS",
            "lag_days": "7",
        },
    )

    assert [r.status_code for r in (joined, tracked, added, linked)] == [302, 302, 302, 302]
    far = Participant.objects.get(roadmap=roadmap, organisation=rw.orgs["far"])
    assert (far.role, far.capacity_pm_per_month, far.committed) == ("supplier", 2, False)
    assert list(Track.objects.filter(roadmap=roadmap).values_list("key", "title")) == [
        ("production", "Hydrogen production"),
        ("use", "Hydrogen use"),
        ("hydrogen-storage", "Hydrogen storage"),
    ]
    tank = Item.objects.get(roadmap=roadmap, key="m-tank")
    assert (tank.title, tank.track.key, tank.owner) == ("Storage tank", "hydrogen-storage", far)
    assert Dependency.objects.filter(predecessor__key="m-go", successor=tank, lag_days=7).exists()


def test_a_dependency_closing_a_cycle_is_refused_on_the_page_naming_it(rw):  # type: ignore[no-untyped-def]
    roadmap = build_roadmap(rw, starts_on=dt.date(2027, 1, 1))

    response = rw.client("staff").post(
        reverse("roadmaps:dependencies", kwargs={"key": roadmap.key}),
        {
            "predecessor": Item.objects.get(roadmap=roadmap, key="m-market").pk,
            "successor": Item.objects.get(roadmap=roadmap, key="a-study").pk,
            "kind": "FS",
            "lag_days": "0",
        },
    )

    assert response.status_code == 200
    said = text(response.content.decode())
    cycle = " → ".join(TITLES[k] for k in (*CHAIN, "a-study"))
    assert f"The dependencies go round in a circle: {cycle}." in said
    assert Dependency.objects.filter(successor__roadmap=roadmap).count() == 3


def test_a_participant_accepts_its_milestone_on_the_page(rw, roadmap):  # type: ignore[no-untyped-def]
    client = rw.client("acme")
    before = client.get(roadmap.get_absolute_url()).content.decode()
    assert 'name="accept"' in row(before, "m-go")
    assert 'name="accept"' not in row(before, "m-market")  # the city's

    response = client.post(
        reverse("roadmaps:accept", kwargs={"key": roadmap.key, "item": "m-go"}), follow=True
    )

    assert response.redirect_chain == [(f"{roadmap.get_absolute_url()}#item-m-go", 302)]
    html = response.content.decode()
    assert "You accepted “Go for the pilot”." in html.replace("&ldquo;", "“").replace("&rdquo;", "”")
    assert "accepted" in row(html, "m-go")
    assert 'name="accept"' not in row(html, "m-go")
    assert Item.objects.get(roadmap=roadmap, key="m-go").accepted_by == rw.users["acme"]


def test_the_staff_move_the_roadmap_on_its_page_and_a_refused_adoption_says_why(rw, roadmap):  # type: ignore[no-untyped-def]
    client = rw.client("staff")
    move = reverse("roadmaps:move", kwargs={"key": roadmap.key})
    assert client.post(move, {"target": "draft"}).status_code == 302
    services.save_item(rw.users["staff"], roadmap, key="m-orphan", fields={"title": "Orphan milestone"})
    assert client.post(move, {"target": "consultation"}).status_code == 302

    response = client.post(move, {"target": "adopted"}, follow=True)

    html = response.content.decode()
    said = [text(m) for m in re.findall(r'<li class="message message--error">(.*?)</li>', html, re.S)]
    assert said == [
        "The roadmap is not ready to be “Adopted” yet: "
        "“Orphan milestone” has no owner: say which participant must achieve it."
    ]
    assert "“Orphan milestone” has no owner" in section(html, "roadmap-problems")
    assert Roadmap.objects.get(pk=roadmap.pk).status == "consultation"


def test_an_edit_over_a_newer_one_is_refused_on_the_page_and_the_other_change_kept(rw):  # type: ignore[no-untyped-def]
    roadmap = build_roadmap(rw, starts_on=dt.date(2027, 1, 1))
    url = reverse("roadmaps:item_edit", kwargs={"key": roadmap.key, "item": "m-go"})
    first, second = rw.client("staff"), rw.client("staff")
    form = first.get(url).context["form"]
    assert second.get(url).status_code == 200
    data = {
        name: ("" if value is None else getattr(value, "pk", value))
        for name, value in form.initial.items()
        if name != "contributors"
    }

    saved = first.post(url, {**data, "title": "Go, said the first"})
    refused = second.post(url, {**data, "title": "Go, said the second"})

    assert saved.status_code == 302
    assert refused.status_code == 200
    assert "The roadmap changed since you opened it" in refused.content.decode()
    assert Item.objects.get(roadmap=roadmap, key="m-go").title == "Go, said the first"


def test_a_milestone_with_a_duration_is_refused_by_the_item_form(rw):  # type: ignore[no-untyped-def]
    roadmap = build_roadmap(rw, starts_on=dt.date(2027, 1, 1))

    response = rw.client("staff").post(
        reverse("roadmaps:item_new", kwargs={"key": roadmap.key}),
        {
            "key": "m-long",
            "title": "Long",
            "kind": "milestone",
            "duration_days": "5",
            "budget": "0",
            "funding_secured": "0",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["duration_days"] == [
        "A milestone is a moment: its duration is 0 days."
    ]
    assert not Item.objects.filter(roadmap=roadmap, key="m-long").exists()


def test_the_list_shows_each_visitor_the_roadmaps_it_may_see_and_filters_by_status(rw, client):  # type: ignore[no-untyped-def]
    for key, visibility, status in (
        ("open", "public", "adopted"),
        ("members", "members", "consultation"),
        ("office", "staff", "adopted"),
        ("sketch", "public", "draft"),
    ):
        made = RoadmapFactory(
            cluster=rw.cluster, key=key, title=f"Roadmap {key}", visibility=visibility, status=status
        )
        if key == "sketch":
            ParticipantFactory(roadmap=made, organisation=rw.orgs["acme"])  # named in the draft

    def listed(who: str | None, query: str = "") -> list[str]:
        visitor = rw.client(who) if who else client
        html = visitor.get(reverse("roadmaps:list") + query).content.decode()
        return re.findall(r'<a href="/roadmaps/([\w-]+)/">', html)

    assert listed(None) == ["open"]
    assert listed("far") == ["open"]  # of another cluster
    assert listed("uni") == ["members", "open"]
    assert listed("acme") == ["members", "open", "sketch"]
    assert listed("staff") == ["members", "office", "open", "sketch"]
    assert listed("staff", "?status=adopted") == ["office", "open"]
    assert 'id="new-roadmap"' in rw.client("staff").get(reverse("roadmaps:list")).content.decode()
    assert 'id="new-roadmap"' not in rw.client("acme").get(reverse("roadmaps:list")).content.decode()
