"""Integration, PostgreSQL: a progress report and an edit of the same roadmap take their row locks in one
order (the roadmap, then the item), so they wait for each other instead of deadlocking.

An edit (helix.roadmaps.services.save_item) locks the roadmap, then the item it changes; here one
transaction does that with a pause between the two, while a participant reports the item's progress in
another thread. Taking the item first and the roadmap second, the report would hold the item the edit
waits for while waiting for the roadmap the edit holds: PostgreSQL would abort one of them.

SQLite has no row locks, so this skips there (as tests/funds/test_services_concurrency.py does)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import pytest
from django.db import connection, connections, transaction

from helix.roadmaps import services
from helix.roadmaps.models import Item, Roadmap
from tests.roadmaps.conftest import build_roadmap, move_through

pytestmark = [
    pytest.mark.integration,
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL: SQLite has no SELECT ... FOR UPDATE; CI runs this on PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _in_thread(work: Any, outcome: dict[str, Any]) -> threading.Thread:
    def run() -> None:
        try:
            outcome["result"] = work()
        except Exception as error:
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_a_progress_report_during_an_edit_waits_for_it_and_neither_deadlocks(rw):  # type: ignore[no-untyped-def]
    roadmap = move_through(
        rw, build_roadmap(rw, starts_on=dt.date(2026, 1, 1)), "consultation", "adopted", "revised"
    )
    item = Item.objects.get(roadmap=roadmap, key="m-go")
    locked = threading.Event()

    def edit() -> None:
        with transaction.atomic():
            Roadmap.objects.select_for_update().get(pk=roadmap.pk)  # as save_item: the roadmap first
            locked.set()
            time.sleep(0.5)  # the report starts meanwhile
            changed = Item.objects.select_for_update().get(pk=item.pk)  # then the item
            changed.title = "Go for the pilot, revised"
            changed.save(update_fields=["title"])

    edited: dict[str, Any] = {}
    editor = _in_thread(edit, edited)
    assert locked.wait(10)
    reported: dict[str, Any] = {}
    reporter = _in_thread(
        lambda: services.report_progress(
            rw.users["acme"], item, actual_start=None, actual_finish=None, percent_complete=40
        ),
        reported,
    )
    editor.join(15)
    reporter.join(15)

    assert ("error" not in edited, "error" not in reported) == (True, True), (edited, reported)
    saved = Item.objects.get(pk=item.pk)
    assert (saved.title, saved.percent_complete) == ("Go for the pilot, revised", 40)
