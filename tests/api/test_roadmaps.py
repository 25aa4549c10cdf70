"""Integration: the roadmaps API answers as the roadmap pages do (helix.api.roadmaps): the roadmaps each
caller may see, a roadmap's items with the core's forecast, what a slip moves, lifecycle moves refused
with the validation problems that block them, acceptance by the item's owner only, progress reports and
their refusals, and a fixed number of queries whatever the roadmap's size.

The roadmaps start two months after today, so that the forecast (which never starts unstarted work
before today) is the plan itself and every date is a known number of days after the start.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from helix.registry.models import LetterOfIntent, Organisation
from helix.roadmaps import services
from helix.roadmaps.models import Item, Kpi, Participant, Roadmap, RoadmapStatus, RoadmapVersion
from tests.api.conftest import Registry
from tests.factories import MembershipFactory, OrganisationFactory, member_user, staff_user
from tests.helpers.clients import api_client, page_client
from tests.helpers.queries import counted_at_sizes

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

JSON = "application/json"


def post(client: Client, url: str, body: dict[str, Any] | None = None, **extra: Any) -> Any:
    return client.post(url, body or {}, content_type=JSON, **extra)


@dataclass
class Hydrogen:
    """The tech cluster's members-only roadmap ``h2`` (a draft): Acme leads (committed by its letter of
    intent), the Lab is a knowledge partner. a1 (30 days, Acme's, the Lab contributes) is followed by the
    milestone m1 (Acme's) and, 5 days later, by the deliverable d1 (10 days, the Lab's)."""

    registry: Registry
    roadmap: Roadmap
    start: dt.date
    lab: Organisation
    lab_user: Any
    acme: Participant
    labp: Participant

    def day(self, days: int) -> str:
        return (self.start + dt.timedelta(days=days)).isoformat()


@pytest.fixture
def h2(registry: Registry) -> Hydrogen:
    staff = registry.staff
    start = timezone.localdate() + dt.timedelta(days=60)
    lab = OrganisationFactory(name="Lab", slug="lab")
    MembershipFactory(organisation=lab, cluster=registry.tech, level="member")
    LetterOfIntent.objects.create(
        organisation=registry.acme, cluster=registry.tech, signed_on=dt.date(2026, 1, 15)
    )
    roadmap = services.create_roadmap(
        staff, cluster=registry.tech, key="h2", title="Hydrogen valley", starts_on=start, summary="H2."
    )
    acme = services.add_participant(staff, roadmap, registry.acme, role="lead")
    labp = services.add_participant(staff, roadmap, lab, role="knowledge_partner", capacity=Decimal("1.5"))
    track = services.add_track(staff, roadmap, key="electrolysis", title="Electrolysis")
    a1 = services.save_item(
        staff,
        roadmap,
        key="a1",
        fields={
            "title": "Electrolyser pilot",
            "kind": "activity",
            "track": track,
            "phase": "development",
            "trl_from": 4,
            "trl_to": 6,
            "owner": acme,
            "duration_days": 30,
            "budget": Decimal("100000"),
            "funding_secured": Decimal("40000"),
        },
        contributors=[labp],
    )
    m1 = services.save_item(staff, roadmap, key="m1", fields={"title": "Go or no-go", "owner": acme})
    d1 = services.save_item(
        staff,
        roadmap,
        key="d1",
        fields={"title": "Pilot report", "kind": "deliverable", "owner": labp, "duration_days": 10},
    )
    services.add_dependency(staff, roadmap, a1, m1)
    services.add_dependency(staff, roadmap, a1, d1, lag_days=5)
    kpi = Kpi.objects.create(roadmap=roadmap, key="mw", title="Electrolysis", unit="MW", target=Decimal(10))
    kpi.items.add(a1)
    return Hydrogen(registry, roadmap, start, lab, member_user(lab, "lab-user"), acme, labp)


def to_consultation(h2: Hydrogen) -> None:
    services.move(h2.registry.staff, h2.roadmap, "consultation")


# --- which roadmaps -----------------------------------------------------------------------------------


def test_each_caller_lists_the_roadmaps_its_role_may_see(registry: Registry) -> None:
    food_staff = staff_user(registry.food, "food-staff")
    cases = [
        ("tech", "t-public-adopted", "public", "adopted", ()),
        ("tech", "t-members-consultation", "members", "consultation", ()),
        ("tech", "t-staff-consultation", "staff", "consultation", ()),
        ("tech", "t-public-draft", "public", "draft", ()),
        ("food", "f-public-consultation", "public", "consultation", ()),
        ("food", "f-members-adopted", "members", "adopted", ()),
        ("food", "f-staff-draft", "staff", "draft", (registry.acme,)),  # Acme takes part
    ]
    for cluster, key, visibility, status, participants in cases:
        roadmap = Roadmap.objects.create(
            cluster=getattr(registry, cluster), key=key, title=key, visibility=visibility, status=status,
            starts_on=dt.date(2027, 1, 1),
        )  # fmt: skip
        for organisation in participants:
            Participant.objects.create(roadmap=roadmap, organisation=organisation)

    def listed(user: Any, **query: str) -> list[str]:
        answer = api_client(user).get("/api/roadmaps/", query)
        assert answer.status_code == 200
        assert answer.json()["count"] == len(answer.json()["items"])
        return [r["key"] for r in answer.json()["items"]]

    # by cluster, then title
    assert listed(None) == ["f-public-consultation", "t-public-adopted"]
    assert listed(registry.acme_user) == [
        "f-public-consultation",
        "f-staff-draft",  # its participant sees it, draft and staff-only as it is
        "t-members-consultation",
        "t-public-adopted",
    ]
    assert listed(registry.bakery_user) == ["f-members-adopted", "f-public-consultation", "t-public-adopted"]
    assert listed(registry.staff) == [
        "f-public-consultation",
        "t-members-consultation",
        "t-public-adopted",
        "t-public-draft",
        "t-staff-consultation",
    ]
    assert listed(food_staff) == [
        "f-members-adopted",
        "f-public-consultation",
        "f-staff-draft",
        "t-public-adopted",
    ]
    assert listed(registry.staff, cluster="food") == ["f-public-consultation"]
    assert listed(registry.acme_user, status="consultation") == [
        "f-public-consultation",
        "t-members-consultation",
    ]
    assert api_client().get("/api/roadmaps/", {"status": "closed"}).status_code == 422


def test_a_listed_roadmap_says_its_state_and_the_moves_of_the_caller(registry: Registry) -> None:
    Roadmap.objects.create(
        cluster=registry.tech, key="t1", title="Tech roadmap", visibility="public", status="consultation",
        starts_on=dt.date(2027, 1, 1),
    )  # fmt: skip
    summary = {
        "key": "t1",
        "title": "Tech roadmap",
        "cluster": "tech",
        "project": None,
        "status": "consultation",
        "status_label": "In consultation",
        "visibility": "public",
        "starts_on": "2027-01-01",
        "revision": 1,
    }
    assert api_client().get("/api/roadmaps/").json()["items"] == [{**summary, "moves": []}]
    assert api_client(registry.staff).get("/api/roadmaps/").json()["items"] == [
        {
            **summary,
            "moves": [
                {"target": "draft", "label": "Back to draft"},
                {"target": "adopted", "label": "Adopt"},
            ],
        }
    ]
    dutch = api_client(registry.staff).get("/api/roadmaps/", {"lang": "nl"}).json()["items"]
    assert dutch[0]["moves"][0] == {"target": "draft", "label": "Terug naar concept"}


# --- one roadmap --------------------------------------------------------------------------------------


def test_the_roadmap_shows_its_content_and_the_cores_forecast_of_each_item(h2: Hydrogen) -> None:
    answer = api_client(h2.registry.staff).get("/api/roadmaps/h2")
    assert answer.status_code == 200
    body = answer.json()
    acme, lab = h2.registry.acme.pk, h2.lab.pk
    assert {k: body[k] for k in ("key", "title", "cluster", "status", "visibility", "summary")} == {
        "key": "h2",
        "title": "Hydrogen valley",
        "cluster": "tech",
        "status": "draft",
        "visibility": "members",
        "summary": "H2.",
    }
    assert (body["language"], body["may_edit"], body["editable"]) == ("en", True, True)
    assert body["starts_on"] == h2.day(0)
    assert body["moves"] == [{"target": "consultation", "label": "Open the consultation"}]
    assert body["participants"] == [
        {
            "organisation": acme,
            "name": "Acme",
            "role": "lead",
            "committed": True,  # its letter of intent to the cluster
            "letter_of_intent": "2026-01-15",
            "capacity_pm_per_month": None,
        },
        {
            "organisation": lab,
            "name": "Lab",
            "role": "knowledge_partner",
            "committed": False,
            "letter_of_intent": None,
            "capacity_pm_per_month": "1.50",
        },
    ]
    assert body["tracks"] == [{"key": "electrolysis", "title": "Electrolysis"}]
    assert body["dependencies"] == [
        {"predecessor": "a1", "successor": "m1", "kind": "FS", "lag_days": 0},
        {"predecessor": "a1", "successor": "d1", "kind": "FS", "lag_days": 5},
    ]
    assert body["kpis"] == [
        {
            "key": "mw",
            "title": "Electrolysis",
            "unit": "MW",
            "baseline": None,
            "target": "10.00",
            "target_on": None,
            "current": None,
            "items": ["a1"],
        }
    ]
    a1, m1, d1 = body["items"]
    assert a1 == {
        "key": "a1",
        "title": "Electrolyser pilot",
        "description": "",
        "kind": "activity",
        "track": "electrolysis",
        "phase": "development",
        "trl_from": 4,
        "trl_to": 6,
        "owner": acme,
        "contributors": [lab],
        "planned_start": None,
        "duration_days": 30,
        "budget": "100000.00",
        "funding_secured": "40000.00",
        "actual_start": None,
        "actual_finish": None,
        "percent_complete": 0,
        "accepted_on": None,
        "forecast": {
            "start": h2.day(0),
            "finish": h2.day(30),
            "planned_finish": h2.day(30),
            "slack_days": 0,
            "critical": True,
            "status": "not_started",
            "status_label": "Not started",
            "reasons": [],
        },
        "may_accept": False,  # a draft: nothing to accept yet
        "may_report_progress": False,
    }
    # the milestone follows a1 at once and has 15 days of slack; d1 starts 5 days after a1 and ends it all
    assert [(i["key"], i["owner"], i["forecast"]) for i in (m1, d1)] == [
        (
            "m1",
            acme,
            {
                "start": h2.day(30),
                "finish": h2.day(30),
                "planned_finish": h2.day(30),
                "slack_days": 15,
                "critical": False,
                "status": "not_started",
                "status_label": "Not started",
                "reasons": [],
            },
        ),
        (
            "d1",
            lab,
            {
                "start": h2.day(35),
                "finish": h2.day(45),
                "planned_finish": h2.day(45),
                "slack_days": 0,
                "critical": True,
                "status": "not_started",
                "status_label": "Not started",
                "reasons": [],
            },
        ),
    ]
    assert (body["forecast_end"], body["planned_end"], body["baseline_end"]) == (h2.day(45), h2.day(45), None)
    assert (body["versions"], body["problems"]) == ([], [])


def test_validation_problems_are_shown_to_its_editors_only(h2: Hydrogen) -> None:
    services.save_item(h2.registry.staff, h2.roadmap, key="x1", fields={"title": "Nobody's"})
    problems = api_client(h2.registry.staff).get("/api/roadmaps/h2").json()["problems"]
    assert problems == [
        {
            "code": "roadmap.owner_missing",
            "params": {},
            "text": "“Nobody's” has no owner: say which participant must achieve it.",
            "item": "x1",
            "severity": "error",
        }
    ]
    # a participant sees the roadmap (a draft it is named in) but not what its editors must fix, nor
    # another organisation's letter of intent (the registry shows it to its organisation and the staff)
    letters = {
        who: [p["letter_of_intent"] for p in api_client(user).get("/api/roadmaps/h2").json()["participants"]]
        for who, user in (("acme", h2.registry.acme_user), ("lab", h2.lab_user))
    }
    assert letters == {"acme": ["2026-01-15", None], "lab": [None, None]}
    seen = api_client(h2.registry.acme_user).get("/api/roadmaps/h2").json()
    assert (seen["problems"], seen["may_edit"], seen["moves"]) == (None, False, [])


def test_a_roadmap_one_may_not_see_is_404(h2: Hydrogen) -> None:
    for user in (None, h2.registry.bakery_user):  # a draft of another cluster's members
        assert api_client(user).get("/api/roadmaps/h2").status_code == 404
        assert api_client(user).get("/api/roadmaps/h2/what-if", {"item": "a1", "days": 3}).status_code == 404
    assert api_client(h2.registry.staff).get("/api/roadmaps/nowhere").status_code == 404


def test_late_items_say_why_with_codes(h2: Hydrogen) -> None:
    """A roadmap that started 40 days ago with a1 (30 days) not started: a1 is late, with the core's
    reasons, coded."""
    Roadmap.objects.filter(pk=h2.roadmap.pk).update(starts_on=timezone.localdate() - dt.timedelta(days=40))
    items = api_client(h2.registry.staff).get("/api/roadmaps/h2").json()["items"]
    a1 = items[0]["forecast"]
    assert (a1["status"], a1["status_label"]) == ("late", "Late")
    due = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    assert [(r["code"], r["params"]) for r in a1["reasons"]][:2] == [
        ("progress.late", {"planned_finish": due, "days": 10}),
        ("progress.start_overdue", {"planned_start": h2_start(h2), "days": 40}),
    ]
    assert all(r["text"] for r in a1["reasons"])
    # the unstarted work cannot start before today: the forecast moves it
    assert a1["start"] == timezone.localdate().isoformat()


def h2_start(h2: Hydrogen) -> str:
    return Roadmap.objects.get(pk=h2.roadmap.pk).starts_on.isoformat()


# --- what if ------------------------------------------------------------------------------------------


def test_what_if_says_what_moves_and_whose_commitments_change(h2: Hydrogen) -> None:
    client = api_client(h2.registry.acme_user)
    answer = client.get("/api/roadmaps/h2/what-if", {"item": "a1", "days": 10})
    assert answer.status_code == 200
    assert answer.json() == {
        "item": "a1",
        "title": "Electrolyser pilot",
        "days": 10,
        "old_end": h2.day(45),
        "new_end": h2.day(55),
        "end_shift": 10,
        "moves": [
            {
                "key": "a1",
                "title": "Electrolyser pilot",
                "old_start": h2.day(0),
                "old_finish": h2.day(30),
                "new_start": h2.day(0),
                "new_finish": h2.day(40),
                "shift": 10,
            },
            {
                "key": "m1",
                "title": "Go or no-go",
                "old_start": h2.day(30),
                "old_finish": h2.day(30),
                "new_start": h2.day(40),
                "new_finish": h2.day(40),
                "shift": 10,
            },
            {
                "key": "d1",
                "title": "Pilot report",
                "old_start": h2.day(35),
                "old_finish": h2.day(45),
                "new_start": h2.day(45),
                "new_finish": h2.day(55),
                "shift": 10,
            },
        ],
        "participants": [
            {
                "organisation": h2.registry.acme.pk,
                "name": "Acme",
                "items": ["a1", "m1"],
                "owned": ["a1", "m1"],
            },
            {"organisation": h2.lab.pk, "name": "Lab", "items": ["a1", "d1"], "owned": ["d1"]},
        ],
    }
    # the milestone's 15 days of slack absorb a slip of 10: nothing else moves
    absorbed = client.get("/api/roadmaps/h2/what-if", {"item": "m1", "months": 0}).json()
    assert (absorbed["days"], absorbed["moves"], absorbed["end_shift"]) == (0, [], 0)
    months = client.get("/api/roadmaps/h2/what-if", {"item": "m1", "months": 1}).json()
    assert (months["days"], months["end_shift"], [m["key"] for m in months["moves"]]) == (30, 15, ["m1"])


def test_what_if_refuses_an_unknown_item_and_a_slip_not_given(h2: Hydrogen) -> None:
    client = api_client(h2.registry.staff)
    unknown = client.get("/api/roadmaps/h2/what-if", {"item": "zz", "days": 3})
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["query", "item"]
    assert client.get("/api/roadmaps/h2/what-if", {"item": "a1"}).status_code == 422
    assert client.get("/api/roadmaps/h2/what-if", {"item": "a1", "days": -3}).status_code == 422


def test_a_negative_slip_is_refused_by_the_api_and_by_the_page_alike(h2: Hydrogen) -> None:
    """The core never slips an item backwards; the what-if page's form took negative numbers and failed
    (500) on them: both doors now refuse them."""
    h2.roadmap.visibility = "public"
    h2.roadmap.save(update_fields=["visibility"])
    services.move(h2.registry.staff, h2.roadmap, "consultation")
    assert api_client().get("/api/roadmaps/h2/what-if", {"item": "a1", "months": -1}).status_code == 422
    page = page_client().get("/roadmaps/h2/what-if/", {"item": "a1", "months": -1})
    assert page.status_code == 200
    assert set(page.context["form"].errors) == {"months"}
    assert page.context["impact"] is None


# --- lifecycle ----------------------------------------------------------------------------------------


def test_staff_move_the_roadmap_and_adoption_is_refused_with_what_blocks_it(h2: Hydrogen) -> None:
    staff = api_client(h2.registry.staff)
    services.save_item(h2.registry.staff, h2.roadmap, key="x1", fields={"title": "Nobody's"})
    opened = post(staff, "/api/roadmaps/h2/transitions", {"target": "consultation", "note": "Comments?"})
    assert opened.status_code == 200
    assert (opened.json()["status"], [m["target"] for m in opened.json()["moves"]]) == (
        "consultation",
        ["draft", "adopted"],
    )
    refused = post(staff, "/api/roadmaps/h2/transitions", {"target": "adopted"})
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "The roadmap is not ready to be “Adopted” yet:",
        "code": "lifecycle.requirements_unmet",
        "params": {"from": "consultation", "to": "adopted"},
        "problems": [
            {
                "code": "roadmap.owner_missing",
                "params": {},
                "text": "“Nobody's” has no owner: say which participant must achieve it.",
                "item": "x1",
                "severity": "error",
            }
        ],
    }
    assert Roadmap.objects.get(pk=h2.roadmap.pk).status == RoadmapStatus.CONSULTATION
    # not a move from its state
    wrong = post(staff, "/api/roadmaps/h2/transitions", {"target": "revised"})
    assert (wrong.status_code, wrong.json()["code"]) == (409, "lifecycle.not_from_state")
    assert post(staff, "/api/roadmaps/h2/transitions", {"target": "closed"}).status_code == 422
    # back to draft, give the item an owner, and adopt: version 1, the baseline
    assert post(staff, "/api/roadmaps/h2/transitions", {"target": "draft"}).status_code == 200
    x1 = Item.objects.get(roadmap=h2.roadmap, key="x1")
    services.save_item(h2.registry.staff, h2.roadmap, key="x1", fields={"owner": h2.acme}, item=x1)
    assert post(staff, "/api/roadmaps/h2/transitions", {"target": "consultation"}).status_code == 200
    adopted = post(staff, "/api/roadmaps/h2/transitions", {"target": "adopted", "note": "Board, 3 May"})
    assert adopted.status_code == 200
    body = adopted.json()
    assert (body["status"], body["editable"], body["moves"]) == (
        "adopted",
        False,
        [{"target": "revised", "label": "Revise"}],
    )
    assert body["versions"] == [
        {"number": 1, "adopted_on": timezone.localdate().isoformat(), "note": "Board, 3 May"}
    ]
    assert body["baseline_end"] == h2.day(45)
    assert RoadmapVersion.objects.filter(roadmap=h2.roadmap).count() == 1


def test_only_the_clusters_staff_move_a_roadmap(h2: Hydrogen) -> None:
    to_consultation(h2)
    body = {"target": "draft"}
    assert post(api_client(), "/api/roadmaps/h2/transitions", body).status_code == 401
    assert post(api_client(h2.registry.acme_user), "/api/roadmaps/h2/transitions", body).status_code == 403
    assert post(api_client(h2.registry.bakery_user), "/api/roadmaps/h2/transitions", body).status_code == 404
    assert Roadmap.objects.get(pk=h2.roadmap.pk).status == RoadmapStatus.CONSULTATION


# --- the owners' part ---------------------------------------------------------------------------------


def test_the_owners_people_accept_their_milestone_and_no_one_else(h2: Hydrogen) -> None:
    url = "/api/roadmaps/h2/items/m1/accept"
    # in draft, even the owner may not accept yet
    assert post(api_client(h2.registry.acme_user), url).status_code == 403
    to_consultation(h2)
    assert post(api_client(), url).status_code == 401
    assert post(api_client(h2.registry.bakery_user), url).status_code == 404  # may not see the roadmap
    assert post(api_client(h2.lab_user), url).status_code == 403  # a participant, not the owner
    assert post(api_client(h2.registry.staff), url).status_code == 403  # staff do not accept for others
    assert Item.objects.get(roadmap=h2.roadmap, key="m1").accepted_on is None
    before = api_client(h2.registry.acme_user).get("/api/roadmaps/h2").json()["items"][1]
    assert (before["key"], before["may_accept"]) == ("m1", True)
    accepted = post(api_client(h2.registry.acme_user), url)
    assert accepted.status_code == 200
    today = timezone.localdate().isoformat()
    assert {k: accepted.json()[k] for k in ("key", "accepted_on", "may_accept")} == {
        "key": "m1",
        "accepted_on": today,
        "may_accept": False,
    }
    assert accepted.json()["forecast"]["finish"] == h2.day(30)
    assert Item.objects.get(roadmap=h2.roadmap, key="m1").accepted_by == h2.registry.acme_user
    assert post(api_client(h2.registry.acme_user), "/api/roadmaps/h2/items/zz/accept").status_code == 404


def test_progress_is_reported_by_the_owner_or_staff_and_checked(h2: Hydrogen) -> None:
    url = "/api/roadmaps/h2/items/a1/progress"
    today = timezone.localdate()
    started = {"actual_start": today.isoformat(), "percent_complete": 20}
    to_consultation(h2)
    assert post(api_client(), url, started).status_code == 401
    assert post(api_client(h2.registry.bakery_user), url, started).status_code == 404
    assert post(api_client(h2.lab_user), url, started).status_code == 403  # contributes, does not own
    reported = post(api_client(h2.registry.acme_user), url, started)
    assert reported.status_code == 200
    a1 = reported.json()
    # started today at 20 %: 24 of its 30 days remain, from today
    assert (a1["actual_start"], a1["percent_complete"], a1["forecast"]["finish"]) == (
        today.isoformat(),
        20,
        (today + dt.timedelta(days=24)).isoformat(),
    )
    backwards = post(
        api_client(h2.registry.staff),
        url,
        {"actual_start": today.isoformat(), "actual_finish": (today - dt.timedelta(days=2)).isoformat(),
         "percent_complete": 100},
    )  # fmt: skip
    assert backwards.status_code == 409
    assert (backwards.json()["code"], backwards.json()["params"]) == (
        "progress.finish_before_start",
        {"start": today.isoformat(), "finish": (today - dt.timedelta(days=2)).isoformat()},
    )
    assert backwards.json()["detail"].startswith("It cannot finish (")
    no_start = post(
        api_client(h2.registry.staff), url, {"actual_start": None, "actual_finish": today.isoformat(),
                                              "percent_complete": 100}
    )  # fmt: skip
    assert (no_start.status_code, no_start.json()["code"]) == (409, "progress.finish_without_start")
    out_of_range = post(api_client(h2.registry.staff), url, {"percent_complete": 101})
    assert out_of_range.status_code == 422
    assert out_of_range.json()["detail"][0]["loc"][-1] == "percent_complete"
    assert Item.objects.get(roadmap=h2.roadmap, key="a1").percent_complete == 20  # nothing refused was kept
    finished = post(
        api_client(h2.registry.staff), url,
        {"actual_start": today.isoformat(), "actual_finish": today.isoformat(), "percent_complete": 50},
    )  # fmt: skip
    assert finished.status_code == 200
    assert (finished.json()["percent_complete"], finished.json()["forecast"]["status"]) == (100, "done")


# --- content ------------------------------------------------------------------------------------------


def test_staff_add_and_change_items_with_the_revision_they_read(h2: Hydrogen) -> None:
    staff = api_client(h2.registry.staff)
    revision = api_client(h2.registry.staff).get("/api/roadmaps/h2").json()["revision"]
    created = post(
        staff,
        "/api/roadmaps/h2/items",
        {
            "key": "m2",
            "title": "Hydrogen on the grid",
            "track": "electrolysis",
            "phase": "demonstration",
            "owner": h2.lab.pk,
            "contributors": [h2.registry.acme.pk],
            "planned_start": h2.day(50),
            "budget": "2500.50",
            "revision": revision,
        },
    )
    assert created.status_code == 201
    body = created.json()
    assert body["revision"] == revision + 1
    m2 = body["items"][-1]
    assert {k: m2[k] for k in ("key", "kind", "track", "phase", "owner", "contributors", "budget")} == {
        "key": "m2",
        "kind": "milestone",
        "track": "electrolysis",
        "phase": "demonstration",
        "owner": h2.lab.pk,
        "contributors": [h2.registry.acme.pk],
        "budget": "2500.50",
    }
    assert (m2["forecast"]["start"], body["forecast_end"]) == (h2.day(50), h2.day(50))
    # a demonstration (TRL 6 to 8 by its phase) with no funding: its editors are warned
    assert [(p["code"], p["item"], p["severity"], p["params"]) for p in body["problems"]] == [
        ("roadmap.valley_unfunded", "m2", "warning", {"trl_from": 6, "trl_to": 8, "valley": [4, 7]})
    ]
    # a change over the revision read: a second change with the same revision is refused
    x = {"title": "Grid injection", "owner": h2.lab.pk, "revision": body["revision"]}
    changed = staff.put("/api/roadmaps/h2/items/m2", x, content_type=JSON)
    assert changed.status_code == 200
    m2 = changed.json()["items"][-1]
    assert (m2["title"], m2["track"], m2["contributors"], m2["planned_start"]) == (
        "Grid injection",
        None,  # left out: back to its default
        [],
        None,
    )
    stale = staff.put("/api/roadmaps/h2/items/m2", {**x, "title": "Lost"}, content_type=JSON)
    assert stale.status_code == 409
    assert stale.json() == {
        "detail": (
            "The roadmap changed since you opened it: here it is as it is now; enter your change again."
        ),
        "code": "roadmap.stale",
        "params": {"revision": body["revision"], "now": body["revision"] + 1},
        "problems": [],
    }
    taken = post(staff, "/api/roadmaps/h2/items", {"key": "m2", "title": "Again"})
    assert (taken.status_code, taken.json()["code"]) == (409, "roadmap.item_twice")
    assert Item.objects.get(roadmap=h2.roadmap, key="m2").title == "Grid injection"


def test_an_items_references_must_be_the_roadmaps(h2: Hydrogen) -> None:
    staff = api_client(h2.registry.staff)
    bad = post(
        staff,
        "/api/roadmaps/h2/items",
        {"key": "m3", "title": "M3", "track": "nowhere", "owner": h2.registry.bakery.pk,
         "contributors": [h2.lab.pk, h2.registry.bakery.pk], "trl_from": 12},
    )  # fmt: skip
    assert bad.status_code == 422
    assert [e["loc"] for e in bad.json()["detail"]] == [["body", "payload", "trl_from"]]
    bad = post(
        staff,
        "/api/roadmaps/h2/items",
        {"key": "m3", "title": "M3", "track": "nowhere", "owner": h2.registry.bakery.pk,
         "contributors": [h2.lab.pk, h2.registry.bakery.pk]},
    )  # fmt: skip
    assert bad.status_code == 422
    assert [e["loc"] for e in bad.json()["detail"]] == [
        ["body", "payload", "track"],
        ["body", "payload", "owner"],
        ["body", "payload", "contributors", 1],
    ]
    assert post(staff, "/api/roadmaps/h2/items", {"key": "no spaces", "title": "M3"}).status_code == 422
    assert not Item.objects.filter(roadmap=h2.roadmap, key="m3").exists()


def test_only_staff_change_items_and_only_while_the_roadmap_may_change(h2: Hydrogen) -> None:
    body = {"key": "m3", "title": "M3"}
    assert post(api_client(), "/api/roadmaps/h2/items", body).status_code == 401
    assert post(api_client(h2.registry.bakery_user), "/api/roadmaps/h2/items", body).status_code == 404
    # a participant sees the roadmap but may not change it, whatever it sends
    assert (
        post(api_client(h2.registry.acme_user), "/api/roadmaps/h2/items", {**body, "owner": 0}).status_code
        == 403
    )
    change = {"title": "Mine", "revision": 1}
    assert (
        api_client(h2.registry.acme_user)
        .put("/api/roadmaps/h2/items/m1", change, content_type=JSON)
        .status_code
        == 403
    )
    to_consultation(h2)
    closed = post(api_client(h2.registry.staff), "/api/roadmaps/h2/items", body)
    assert closed.status_code == 409
    assert closed.json()["code"] == "roadmap.not_editable"
    assert closed.json()["detail"] == (
        "A roadmap that is “In consultation” cannot be changed: take it back to draft, or revise it, first."
    )
    missing = api_client(h2.registry.staff).put("/api/roadmaps/h2/items/zz", change, content_type=JSON)
    assert missing.status_code == 404


# --- queries ------------------------------------------------------------------------------------------


def grow_roadmaps(cluster: Any, organisation: Organisation, start: int, stop: int) -> None:
    """Public roadmaps in consultation, each with a participant and an item."""
    for n in range(start, stop):
        roadmap = Roadmap.objects.create(
            cluster=cluster, key=f"r{n}", title=f"Roadmap {n}", visibility="public", status="consultation",
            starts_on=dt.date(2027, 1, 1),
        )  # fmt: skip
        owner = Participant.objects.create(roadmap=roadmap, organisation=organisation, role="lead")
        Item.objects.create(roadmap=roadmap, key="m1", title="M", owner=owner)


@pytest.mark.parametrize("who", ["staff", "acme_user", "anonymous"])
def test_the_list_asks_as_many_queries_for_3_roadmaps_as_for_12(registry: Registry, who: str) -> None:
    client = api_client(None if who == "anonymous" else getattr(registry, who))
    (small, few), (large, many) = counted_at_sizes(
        client,
        "/api/roadmaps/",
        lambda start, stop: grow_roadmaps(registry.tech, registry.acme, start, stop),
        (3, 12),
        {"page_size": 50},
    )
    assert (len(few.json()["items"]), len(many.json()["items"])) == (3, 12)
    assert large == small


def grow_items(h2: Hydrogen, start: int, stop: int) -> None:
    """A chain of activities after d1, alternately the Lab's and Acme's, each with a contributor, effort,
    a KPI and an adopted version every fourth."""
    previous = Item.objects.get(roadmap=h2.roadmap, key="d1")
    if start:
        previous = Item.objects.get(roadmap=h2.roadmap, key=f"g{start - 1}")
    for n in range(start, stop):
        owner, other = (h2.labp, h2.acme) if n % 2 else (h2.acme, h2.labp)
        item = Item.objects.create(
            roadmap=h2.roadmap, key=f"g{n}", title=f"Step {n}", kind="activity", owner=owner,
            duration_days=7, order=10 + n,
        )  # fmt: skip
        item.contributors.add(other)
        item.efforts.create(participant=owner, person_months=Decimal(1))
        previous.successor_links.create(successor=item, lag_days=1)
        Kpi.objects.create(roadmap=h2.roadmap, key=f"k{n}", title=f"K {n}", target=Decimal(n)).items.add(item)
        if n % 4 == 0:
            RoadmapVersion.objects.create(
                roadmap=h2.roadmap, number=n + 1, adopted_on=dt.date(2026, 1, 1),
                content={"start": "2027-01-01", "participants": [], "tracks": [], "items": [],
                         "dependencies": []},
            )  # fmt: skip
        previous = item


@pytest.mark.parametrize("who", ["staff", "acme_user"])
def test_the_roadmap_asks_as_many_queries_for_3_more_items_as_for_12(h2: Hydrogen, who: str) -> None:
    to_consultation(h2)  # participants may accept and report: asked per item
    client = api_client(getattr(h2.registry, who))
    (small, few), (large, many) = counted_at_sizes(
        client, "/api/roadmaps/h2", lambda start, stop: grow_items(h2, start, stop), (3, 12)
    )
    assert (len(few.json()["items"]), len(many.json()["items"])) == (6, 15)
    assert many.json()["items"][-1]["forecast"]["finish"] == h2.day(45 + 12 * 8)
    assert large == small


# --- the schema ---------------------------------------------------------------------------------------


def test_the_openapi_schema_describes_the_roadmap_operations() -> None:
    schema = Client().get("/api/openapi.json").json()
    paths = schema["paths"]
    assert {
        (method, path) for path in paths if path.startswith("/api/roadmaps/") for method in paths[path]
    } == {
        ("get", "/api/roadmaps/"),
        ("get", "/api/roadmaps/{key}"),
        ("get", "/api/roadmaps/{key}/what-if"),
        ("post", "/api/roadmaps/{key}/transitions"),
        ("post", "/api/roadmaps/{key}/items"),
        ("put", "/api/roadmaps/{key}/items/{item}"),
        ("post", "/api/roadmaps/{key}/items/{item}/accept"),
        ("post", "/api/roadmaps/{key}/items/{item}/progress"),
    }
    refusal = paths["/api/roadmaps/{key}/transitions"]["post"]["responses"]["409"]
    assert refusal["content"][JSON]["schema"]["$ref"] == "#/components/schemas/RoadmapRefusal"
    item = schema["components"]["schemas"]["RoadmapItemOut"]["properties"]
    assert {"forecast", "owner", "contributors", "accepted_on", "may_accept"} <= set(item)
    forecast = schema["components"]["schemas"]["RoadmapForecastOut"]["properties"]
    assert {"start", "finish", "slack_days", "critical", "status", "reasons"} <= set(forecast)
