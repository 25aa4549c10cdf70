"""Integration: the reminder of due milestones (helix.roadmaps.notices.remind_due_milestones): the people of
a milestone's or deliverable's owner are told once per item and due date when it falls due within two
weeks; not for what is done, not for activities, not for drafts, not for others."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from helix.notifications.models import Notification
from helix.roadmaps.models import Item, Roadmap
from helix.roadmaps.notices import remind_due_milestones
from tests.roadmaps.conftest import build_roadmap, move_through

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _due_in_ten_days(rw, *targets: str) -> Roadmap:  # type: ignore[no-untyped-def]
    """The roadmap whose go decision (day 90 of the plan) falls ten days from today."""
    roadmap = build_roadmap(rw, starts_on=timezone.localdate() - dt.timedelta(days=80))
    return move_through(rw, roadmap, *targets)


def reminders() -> list[tuple[str, str, str]]:
    return list(
        Notification.objects.filter(message="roadmaps.due")
        .order_by("pk")
        .values_list("recipient__username", "params__item", "params__date__date")
    )


def test_the_owner_is_reminded_once_per_item_and_due_date(rw):  # type: ignore[no-untyped-def]
    roadmap = _due_in_ten_days(rw, "consultation", "adopted")
    due = timezone.localdate() + dt.timedelta(days=10)

    assert remind_due_milestones(force=True) == 1
    assert remind_due_milestones(force=True) == 0  # told already

    assert reminders() == [("acme_person", "Go for the pilot", due.isoformat())]
    told = Notification.objects.get(message="roadmaps.due")
    assert told.params == {
        "item": "Go for the pilot",
        "roadmap": "Hydrogen roadmap",
        "organisation": "Acme Electrolysers",
        "date": {"date": due.isoformat()},
    }
    assert told.url == "/roadmaps/h2-roadmap/#item-m-go"
    # the decision moves two days earlier: a new due date, a new reminder
    Roadmap.objects.filter(pk=roadmap.pk).update(starts_on=roadmap.starts_on - dt.timedelta(days=2))
    assert remind_due_milestones(force=True) == 1
    assert reminders()[-1] == ("acme_person", "Go for the pilot", (due - dt.timedelta(days=2)).isoformat())


def test_a_done_milestone_is_not_reminded(rw):  # type: ignore[no-untyped-def]
    roadmap = _due_in_ten_days(rw, "consultation")
    Item.objects.filter(roadmap=roadmap, key="m-go").update(
        actual_start=timezone.localdate(), actual_finish=timezone.localdate(), percent_complete=100
    )

    assert remind_due_milestones(force=True) == 0
    assert reminders() == []


def test_a_draft_is_not_reminded(rw):  # type: ignore[no-untyped-def]
    _due_in_ten_days(rw)

    assert remind_due_milestones(force=True) == 0
    assert reminders() == []


def test_an_activity_ending_soon_is_not_reminded_and_a_deliverable_is(rw):  # type: ignore[no-untyped-def]
    roadmap = build_roadmap(rw, starts_on=timezone.localdate() - dt.timedelta(days=25))  # permits end in 5
    move_through(rw, roadmap, "consultation")
    assert remind_due_milestones(force=True) == 0  # the permits are an activity

    Item.objects.filter(roadmap=roadmap, key="a-permits").update(kind="deliverable")

    assert remind_due_milestones(force=True) == 1

    assert reminders() == [
        ("city_person", "Permits", (timezone.localdate() + dt.timedelta(days=5)).isoformat())
    ]
