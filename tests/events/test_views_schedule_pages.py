"""Integration: printable and spreadsheet outputs of a published schedule — agenda PDF, table cards PDF,
grid CSV/XLSX — and who may fetch them."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from helix.events import meeting_requests, schedules
from tests.events.helpers import run, small_event

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def published(db):  # type: ignore[no-untyped-def]
    setup = small_event(
        ["Ville de Liège", "Chaleur Sàrl", "Énergie Plus"], title="Journée d'affaires", venue="Liège"
    )
    regs, users = setup.registrations, setup.users
    for a, b in [(1, 0), (2, 0)]:
        req = meeting_requests.request_meeting(users[a], regs[a], regs[b])
        meeting_requests.answer_request(users[b], req, accept=True)
    schedule = run(setup.organiser, setup.event, mode="all", time_limit=5)
    schedules.publish_schedule(setup.organiser, schedule)
    return setup.event, setup.organiser, regs, users, schedule


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
