"""Unit: English is written as read in Belgium and Luxembourg, day first and 24 h (issue 12, found item 7);
Dutch, French and German keep Django's formats."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django import forms
from django.template import Context, Template
from django.utils import formats, translation

pytestmark = pytest.mark.unit

TENTH_OF_MAY = date(2017, 5, 10)
AFTERNOON = time(14, 30)


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_english_dates_put_the_day_first():
    with translation.override("en"):
        assert formats.date_format(TENTH_OF_MAY) == "10 May 2017"
        assert formats.date_format(TENTH_OF_MAY, "SHORT_DATE_FORMAT") == "10/05/2017"
        assert (
            render("{{ d }} · {{ d|date:'SHORT_DATE_FORMAT' }}", d=TENTH_OF_MAY) == "10 May 2017 · 10/05/2017"
        )


def test_english_times_are_24_hours():
    moment = datetime.combine(TENTH_OF_MAY, AFTERNOON)
    with translation.override("en"):
        assert formats.time_format(AFTERNOON) == "14:30"
        assert render("{{ t }}", t=AFTERNOON) == "14:30"
        assert formats.date_format(moment, "DATETIME_FORMAT") == "10 May 2017, 14:30"
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "10/05/2017 14:30"


class DayForm(forms.Form):
    day = forms.DateField()
    at = forms.DateTimeField()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("10/05/2017", TENTH_OF_MAY), ("2017-05-10", TENTH_OF_MAY), ("10/05/17", TENTH_OF_MAY)],
)
def test_an_english_date_input_reads_the_day_first(typed, expected):
    with translation.override("en"):
        form = DayForm({"day": typed, "at": "10/05/2017 14:30"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == expected
    assert form.cleaned_data["at"].replace(tzinfo=None) == datetime.combine(TENTH_OF_MAY, AFTERNOON)


def test_an_english_date_input_refuses_a_month_first_date():
    with translation.override("en"):
        form = DayForm({"day": "05/25/2017", "at": "2017-05-25 14:30"})
        assert not form.is_valid()
    assert list(form.errors) == ["day"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "10 mei 2017 · 10-5-2017 · 14:30"),
        ("fr", "10 mai 2017 · 10/05/2017 · 14:30"),
        ("de", "10. Mai 2017 · 10.05.2017 · 14:30"),
    ],
)
def test_other_languages_keep_djangos_formats(language, expected):
    with translation.override(language):
        assert (
            render("{{ d }} · {{ d|date:'SHORT_DATE_FORMAT' }} · {{ t }}", d=TENTH_OF_MAY, t=AFTERNOON)
            == expected
        )
