"""Integration: printable and spreadsheet outputs of a published schedule — agenda PDF, table cards PDF,
grid CSV/XLSX — and who may fetch them."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.test import TestCase

from helix.events import meeting_requests, schedules
from helix.events.models import Event, Registration, Room, TimeSlot
from tests.factories import ClusterFactory, OrganisationFactory, member_user, staff_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def published(db):  # type: ignore[no-untyped-def]
    cluster = ClusterFactory(name="Smart Energy Cities")
    organiser = staff_user(cluster, "organiser")
    # Open: participants act only in a published event (in a draft, only its organisers do).
    event = Event.objects.create(cluster=cluster, title="Journée d'affaires", venue="Liège", status="open")
    start = datetime(2026, 12, 3, 9, 0, tzinfo=ZoneInfo("Europe/Brussels"))
    for k in range(3):
        TimeSlot.objects.create(
            event=event, start=start + timedelta(minutes=30 * k), end=start + timedelta(minutes=30 * k + 25)
        )
    Room.objects.create(event=event, name="Hall", tables=2)
    orgs = [OrganisationFactory(name=name) for name in ("Ville de Liège", "Chaleur Sàrl", "Énergie Plus")]
    users = [member_user(org, f"u{k}") for k, org in enumerate(orgs)]
    regs = [
        Registration.objects.create(event=event, person=u.person, organisation=o)
        for u, o in zip(users, orgs, strict=True)
    ]
    for a, b in [(1, 0), (2, 0)]:
        req = meeting_requests.request_meeting(users[a], regs[a], regs[b])
        meeting_requests.answer_request(users[b], req, accept=True)
    with TestCase.captureOnCommitCallbacks(execute=True):
        schedule = schedules.start_schedule(organiser, event, mode="all", time_limit=5)
    schedule.refresh_from_db()
    schedules.publish_schedule(organiser, schedule)
    return event, organiser, regs, users, schedule


def test_agenda_pdf_and_table_cards(client, published):
    event, organiser, regs, users, _schedule = published
    client.force_login(users[0])
    response = client.get(f"/events/registrations/{regs[0].pk}/agenda.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 1000
    assert client.get(f"/events/{event.pk}/table-cards.pdf").status_code == 403
    client.force_login(organiser)
    cards = client.get(f"/events/{event.pk}/table-cards.pdf")
    assert cards.content.startswith(b"%PDF")
    assert cards.content.count(b"/Type /Page\n") + cards.content.count(b"/Type /Page ") >= 1


def test_grid_exports_list_every_meeting(client, published):
    event, organiser, _regs, _users, _schedule = published
    client.force_login(organiser)
    text = client.get(f"/events/{event.pk}/grid.csv").content.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 2
    assert {r["Asked organisation"] for r in rows} == {"Ville de Liège"}
    by_start = {r["Start"] for r in rows}  # ISO 8601 in the event's time zone, with its offset
    assert by_start <= {f"2026-12-03 {h}+01:00" for h in ("09:00", "09:30", "10:00")}
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/events/{event.pk}/grid.xlsx").content))
    sheet = book["meetings"]
    assert sheet.max_row == 3
    assert client.get(f"/events/{event.pk}/grid.pdf").status_code == 404
