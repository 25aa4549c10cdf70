"""Integration: the levelled plan of a roadmap as a background job: two activities of one participant
beyond its capacity run one after the other, the unlevelled plan's overload is counted, the run is
refused without capacities or for a participant, and the page shows the last run's result."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from helix.jobs.services import create_job, run_job
from helix.roadmaps import levelling, services
from helix.roadmaps.models import Participant
from tests.roadmaps.conftest import RoadmapsWorld

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

START = dt.date(2030, 1, 7)  # a Monday, after today: nothing has started


def _roadmap(rw: RoadmapsWorld, capacity: Decimal | None):  # type: ignore[no-untyped-def]
    staff = rw.users["staff"]
    roadmap = services.create_roadmap(staff, cluster=rw.cluster, key="lvl", title="Levelled", starts_on=START)
    uni = services.add_participant(
        staff, roadmap, rw.orgs["uni"], role="knowledge_partner", capacity=capacity
    )
    for key in ("first", "second"):  # four weeks each, 0.8 person-month of the lab each
        services.save_item(
            staff,
            roadmap,
            key=key,
            fields={"title": key.title(), "kind": "activity", "owner": uni, "duration_days": 28},
            efforts={uni: Decimal("0.8")},
        )
    return roadmap


def test_two_activities_beyond_the_participants_capacity_are_levelled_one_after_the_other(rw):  # type: ignore[no-untyped-def]
    roadmap = _roadmap(rw, Decimal("1.0"))  # 0.22 a week; the two together ask 0.4 a week

    result = levelling.run_levelling(roadmap.pk, lambda done, total, message="": None, time_limit=5)

    assert result["status"] == "optimal"
    assert sorted(result["starts"].values()) == [
        START.isoformat(),
        (START + dt.timedelta(days=28)).isoformat(),
    ]
    assert result["end"] == (START + dt.timedelta(days=56)).isoformat()
    assert result["bound"] == result["end"]
    assert result["unlevelled_end"] == (START + dt.timedelta(days=28)).isoformat()
    assert result["overloaded_periods"] == 4
    assert result["stretched"] == []


def test_levelling_is_refused_without_capacities_and_to_a_participant(rw):  # type: ignore[no-untyped-def]
    roadmap = _roadmap(rw, None)
    with pytest.raises(services.RoadmapRefused) as refused:
        levelling.start(rw.users["staff"], roadmap)
    assert refused.value.code == "level.no_capacity"
    Participant.objects.filter(roadmap=roadmap).update(capacity_pm_per_month=Decimal("1"))
    services.move(rw.users["staff"], roadmap, "consultation")
    with pytest.raises(PermissionDenied):
        levelling.start(rw.users["uni"], roadmap)


def test_the_page_shows_the_last_runs_levelled_dates_beside_the_forecast(rw):  # type: ignore[no-untyped-def]
    roadmap = _roadmap(rw, Decimal("1.0"))
    job = create_job(levelling.job_kind(roadmap), "Level", rw.users["staff"])
    run_job(job.pk, lambda progress: levelling.run_levelling(roadmap.pk, progress, time_limit=5))

    html = rw.client("staff").get(reverse("roadmaps:level", kwargs={"key": roadmap.key})).content.decode()

    assert 'id="levelled-end"' in html
    assert html.count("<tr><td") == 2  # one row per levelled item
    assert "optimal" in html
