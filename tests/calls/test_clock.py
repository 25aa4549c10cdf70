"""Integration: the calls' clock in the worker's housekeeping round closes the open calls whose last
deadline has passed (helix.calls.clock), at most once a minute, and leaves the others open."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from helix.calls import clock, services
from helix.calls.models import Call, CallStatus
from helix.jobs.worker import housekeeping_round
from helix.notifications.services import Sweep
from tests.factories.calls import seed_definition
from tests.factories.registry import ClusterFactory, staff_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def calls():  # type: ignore[no-untyped-def]
    cluster = ClusterFactory(slug="lux")
    staff = staff_user(cluster)
    for key, seed in (
        ("lux-2024", "luxembourg_bpf_2024.json"),
        ("fotf", "factory_of_the_future_precluster.json"),
    ):
        services.move_call(
            staff, services.create_call(staff, cluster, seed_definition(seed, key=key)), "open"
        )


def statuses() -> dict[str, str]:
    return dict(Call.objects.values_list("key", "status"))


def test_a_call_closes_once_its_last_deadline_has_passed_in_its_time_zone(calls):  # type: ignore[no-untyped-def]
    # 30 April 2024, 23:59 in Luxembourg is 21:59 UTC
    assert clock.close_due(dt.datetime(2024, 4, 30, 21, 59, tzinfo=dt.UTC), force=True) == []
    closed = clock.close_due(dt.datetime(2024, 4, 30, 22, 0, tzinfo=dt.UTC), force=True)
    assert [c.key for c in closed] == ["lux-2024"]
    assert statuses() == {"lux-2024": "closed", "fotf": "open"}  # the precluster call has no deadline
    change = Call.objects.get(key="lux-2024").changes.last()
    assert (change.from_status, change.to_status, change.changed_by, change.note) == (
        "open", "closed", None, "deadline passed",
    )  # fmt: skip


def test_the_worker_housekeeping_round_runs_the_clock_once_a_minute_at_most(calls, monkeypatch):  # type: ignore[no-untyped-def]
    assert "helix.calls.clock.close_due" in settings.HELIX_HOUSEKEEPING
    monkeypatch.setattr(clock, "_sweep", Sweep(clock.SWEEP_EVERY))  # as if this process had not looked yet
    housekeeping_round()
    assert statuses() == {"lux-2024": "closed", "fotf": "open"}
    lux = Call.objects.get(key="lux-2024")
    services.move_call(lux.created_by, lux, "open")  # reopened (say, the deadline is to be extended)
    housekeeping_round()  # within the minute: not looked for again
    assert statuses()["lux-2024"] == CallStatus.OPEN
