"""Integration: `helix events list|schedule|agenda` against the database."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from helix.cli import main
from helix.events import meeting_requests
from tests.events.helpers import small_event

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_schedule_publish_and_write_the_agenda(tmp_path):
    setup = small_event(["HeatCo", "City of Genk"], slots=2, tables=1)
    event = setup.event
    ra, rb = setup.registrations
    ua, ub = setup.users
    meeting_requests.answer_request(ub, meeting_requests.request_meeting(ua, ra, rb), accept=True)
    runner = CliRunner()
    listed = runner.invoke(main, ["events", "list"])
    assert "Brokerage day" in listed.output
    assert "2 slots, 2 participants, 1 accepted requests" in listed.output
    refused = runner.invoke(main, ["events", "schedule", str(event.pk)])
    assert refused.exit_code != 0
    assert "--as USERNAME" in refused.output
    assert runner.invoke(main, ["events", "schedule", str(event.pk), "--as", "u0"]).exit_code != 0
    result = runner.invoke(
        main,
        [
            "events",
            "schedule",
            str(event.pk),
            "--mode",
            "all",
            "--time-limit",
            "5",
            "--publish",
            "--as",
            "organiser",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "succeeded" in result.output
    assert "held 1/1" in result.output
    assert "published (sequence 0)" in result.output
    out = tmp_path / "agenda.ics"
    assert runner.invoke(main, ["events", "agenda", str(ra.pk), "-o", str(out)]).exit_code == 0
    (vevent,) = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert "City of Genk" in str(vevent["summary"])
    pdf = tmp_path / "agenda.pdf"
    runner.invoke(main, ["events", "agenda", str(ra.pk), "--format", "pdf", "-o", str(pdf)])
    assert pdf.read_bytes().startswith(b"%PDF")
