"""Integration: human-facing dates and times follow the reader's locale; machine-readable files do not.

PDFs, the organiser's grid and flash messages write dates and times with the reader's formats
(``TIME_FORMAT``, ``DATE_FORMAT``: a 12-hour English stands in for a locale that differs from Helix's
24-hour ones). CSV and XLSX downloads write ISO 8601 whatever the language, and name their columns in the
reader's language.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.utils.formats import reset_format_cache

from helix.symbiosis.models import ResourceFlow
from tests.events.helpers import pdf_text
from tests.events.test_views_schedule_pages import published  # noqa: F401 (a fixture)
from tests.factories import make_listing

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def twelve_hours(settings):  # type: ignore[no-untyped-def]
    """English read with a 12-hour clock and the month first."""
    settings.FORMAT_MODULE_PATH = ["tests.helpers.formats12h"]
    reset_format_cache()
    yield
    reset_format_cache()


def test_agenda_and_table_cards_pdf_write_times_in_the_readers_format(client, published, twelve_hours):  # noqa: F811
    event, organiser, regs, users, _schedule = published
    client.force_login(users[0])
    agenda = pdf_text(client.get(f"/events/registrations/{regs[0].pk}/agenda.pdf").content)
    assert "9:00 AM" in agenda or "9:30 AM" in agenda
    assert "09:00" not in agenda
    client.force_login(organiser)
    cards = pdf_text(client.get(f"/events/{event.pk}/table-cards.pdf").content)
    assert "AM" in cards
    assert "09:" not in cards


def test_table_cards_name_each_table_through_the_catalogue(client, published):  # noqa: F811
    event, organiser, _regs, _users, _schedule = published
    client.force_login(organiser)
    cards = pdf_text(client.get(f"/events/{event.pk}/table-cards.pdf").content)
    # "Table %(table)s" is a message of the catalogue (tests/test_translations checks each language has it).
    assert "(Table 1)" in cards or "(Table 2)" in cards


def test_grid_page_and_slot_labels_use_the_readers_time_format(client, published, twelve_hours):  # noqa: F811
    event, organiser, _regs, _users, _schedule = published
    client.force_login(organiser)
    grid = client.get(f"/events/{event.pk}/grid/").content.decode()
    assert "<th>9:00 AM</th>" in grid
    assert str(event.slots.order_by("start").first()) == "9:00 AM–9:25 AM"


def test_grid_download_names_its_columns_in_the_readers_language_and_keeps_iso_times(client, published):  # noqa: F811
    event, organiser, _regs, _users, _schedule = published
    client.force_login(organiser)
    english = list(csv.reader(io.StringIO(client.get(f"/events/{event.pk}/grid.csv").content.decode())))
    dutch_text = client.get(
        f"/events/{event.pk}/grid.csv", headers={"accept-language": "nl"}
    ).content.decode()
    dutch = list(csv.reader(io.StringIO(dutch_text)))
    assert english[0][:3] == ["Start", "End", "Table"]
    assert dutch[0][:3] == ["Begin", "Einde", "Tafel"]
    assert dutch[1][:2] == english[1][:2]  # the values do not depend on the language
    start, end = (dt.datetime.fromisoformat(value) for value in english[1][:2])
    assert (start.utcoffset(), end - start) == (dt.timedelta(hours=1), dt.timedelta(minutes=25))
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/events/{event.pk}/grid.xlsx", headers={"accept-language": "nl"}).content)
    )
    header = [cell.value for cell in next(book["meetings"].iter_rows(max_row=1))]
    assert header[:3] == ["Begin", "Einde", "Tafel"]


def test_flows_download_names_its_columns_in_the_readers_language_and_keeps_iso_dates(client):
    from tests.symbiosis.helpers import world

    w = world()
    ResourceFlow.objects.filter(pk=w.slag.pk).update(available_from=dt.date(2026, 3, 1))
    client.force_login(w.staff)
    dutch = client.get("/symbiosis/flows.csv", headers={"accept-language": "nl"}).content.decode()
    rows = {r["ID"]: r for r in csv.DictReader(io.StringIO(dutch))}
    slag = rows[str(w.slag.pk)]
    assert (slag["Titel"], slag["Hoeveelheid"], slag["Beschikbaar vanaf"]) == (
        w.slag.title,
        "4000.0",
        "2026-03-01",
    )


def test_a_renewed_listing_says_until_when_in_the_readers_date_format(client, twelve_hours):
    from tests.factories import OrganisationFactory, member_user

    organisation = OrganisationFactory()
    user = member_user(organisation)
    listing = make_listing(organisation, expires_on=dt.date(2026, 1, 10))
    client.force_login(user)
    response = client.post(f"/needs-offers/{listing.pk}/status/", {"action": "renew"}, follow=True)
    listing.refresh_from_db()
    said = [str(m) for m in response.context["messages"]]
    assert said == [
        f"Renewed until {listing.expires_on:%B} {listing.expires_on.day}, {listing.expires_on.year}."
    ]
