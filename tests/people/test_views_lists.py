"""Integration: the staff's lists of invitations and sign-up requests ask the same number of queries for
few and many rows, and page through long lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from helix.people import signup_views
from helix.people.models import Invitation, SignupRequest
from tests.helpers.queries import counted_get

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def add_invitations(eco, start: int, count: int) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    for n in range(start, start + count):
        common = {
            "first_name": "P",
            "last_name": str(n),
            "invited_by": eco.staff,
            "expires_at": now + dt.timedelta(days=3 - n % 2 * 5),  # pending and expired ones
        }
        Invitation.objects.create(
            email=f"new{n}@example.org", organisation_name=f"Newco {n}", cluster=eco.alpha,
            token_hash=f"new{n}", **common,
        )  # fmt: skip
        Invitation.objects.create(
            email=f"old{n}@example.org", organisation=eco.enervalis, token_hash=f"old{n}", **common
        )


def add_signups(eco, start: int, count: int) -> None:  # type: ignore[no-untyped-def]
    for n in range(start, start + count):
        SignupRequest.objects.create(
            first_name="S", last_name=str(n), email=f"s{n}@example.org", organisation_name=f"Newco {n}",
            cluster=eco.alpha, status="pending",
        )  # fmt: skip
        SignupRequest.objects.create(
            first_name="T", last_name=str(n), email=f"t{n}@example.org", organisation=eco.enervalis,
            status="pending",
        )  # fmt: skip


def queries(client, url: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    client.get(url)  # the first request of a session also loads what the next ones keep
    queries, response = counted_get(client, url)
    return queries, len(response.context["page_obj"].object_list)


def test_the_invitations_page_asks_as_many_queries_for_few_and_many_rows(client, eco):
    client.force_login(eco.staff)
    add_invitations(eco, 0, 2)
    few, few_rows = queries(client, "/people/invitations/")
    add_invitations(eco, 2, 6)
    many, many_rows = queries(client, "/people/invitations/")
    assert (few_rows, many_rows, many) == (4, 16, few)


def test_the_sign_ups_page_asks_as_many_queries_for_few_and_many_rows(client, eco):
    client.force_login(eco.staff)
    add_signups(eco, 0, 2)
    few, few_rows = queries(client, "/people/sign-ups/")
    add_signups(eco, 2, 6)
    many, many_rows = queries(client, "/people/sign-ups/")
    assert (few_rows, many_rows, many) == (4, 16, few)


def test_a_long_list_is_paged_and_the_links_keep_the_filter(client, eco, monkeypatch):
    monkeypatch.setattr(signup_views, "PAGE_SIZE", 3)
    add_signups(eco, 0, 2)
    client.force_login(eco.staff)
    first = client.get("/people/sign-ups/?state=pending").content.decode()
    assert '<a href="?state=pending&amp;page=2" rel="next">' in first
    second = client.get("/people/sign-ups/?state=pending&page=2").content.decode()
    assert '<a href="?state=pending&amp;page=1" rel="prev">' in second
    assert 'rel="next"' not in second
