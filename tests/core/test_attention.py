"""Unit: what counts as a task on the home page (helix.core.attention)."""

from __future__ import annotations

import datetime as dt

import pytest

from helix.core import attention

pytestmark = pytest.mark.unit

TODAY = dt.date(2025, 6, 16)


def test_a_listing_lapsing_within_two_weeks_or_lapsed_needs_renewing():
    assert attention.expires_soon(TODAY + dt.timedelta(days=14), TODAY) is True
    assert attention.expires_soon(TODAY - dt.timedelta(days=3), TODAY) is True
    assert attention.expires_soon(TODAY + dt.timedelta(days=15), TODAY) is False


def test_a_match_is_new_while_its_counterpart_is_recent_and_unjudged():
    recent, old = TODAY - dt.timedelta(days=14), TODAY - dt.timedelta(days=15)
    assert attention.is_new_match(recent, judged=False, today=TODAY) is True
    assert attention.is_new_match(recent, judged=True, today=TODAY) is False
    assert attention.is_new_match(old, judged=False, today=TODAY) is False
    assert attention.is_new_match(None, judged=False, today=TODAY) is False


def test_a_synergy_needs_follow_up_when_it_sits_too_long_proposed_or_agreed():
    assert attention.needs_follow_up("proposed", TODAY - dt.timedelta(days=31), TODAY) is True
    assert attention.needs_follow_up("proposed", TODAY - dt.timedelta(days=30), TODAY) is False
    assert attention.needs_follow_up("agreed", TODAY - dt.timedelta(days=61), TODAY) is True
    assert attention.needs_follow_up("agreed", TODAY - dt.timedelta(days=59), TODAY) is False
    assert attention.needs_follow_up("realised", TODAY - dt.timedelta(days=999), TODAY) is False
    assert attention.quiet_since("contacted", TODAY) is None


def test_an_open_event_with_requests_and_no_published_schedule_needs_scheduling():
    assert attention.needs_schedule("open", 3, has_published_schedule=False) is True
    assert attention.needs_schedule("open", 0, has_published_schedule=False) is False
    assert attention.needs_schedule("open", 3, has_published_schedule=True) is False
    assert attention.needs_schedule("closed", 3, has_published_schedule=False) is False
    assert attention.needs_schedule("draft", 3, has_published_schedule=False) is False
