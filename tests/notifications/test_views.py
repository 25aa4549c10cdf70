"""The inbox page, the unread badge, marking read, the preferences page and the API: each person's own."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helix.api.models import ApiToken
from helix.notifications.models import Delivery, Kind, Notification, NotificationSettings
from helix.notifications.services import notify
from tests.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

PARAMS = {"organisation": "HeatCo", "need": "Waste heat", "offer": "Heat pumps"}


def tell(user, n: int = 1):  # type: ignore[no-untyped-def]
    return [notify(user, "market.request_received", PARAMS, "/meetings/") for _ in range(n)]


@pytest.fixture
def an(client):  # type: ignore[no-untyped-def]
    user = UserFactory(username="an")
    client.force_login(user)
    return user


def test_the_badge_counts_unread_and_the_inbox_lists_them(client, an):
    tell(an, 2)
    page = client.get(reverse("market:browse")).content.decode()
    assert 'id="unread-badge">2<' in page

    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert inbox.count("Meeting request from HeatCo") == 2
    assert "HeatCo asks to meet you about “Waste heat” and “Heat pumps”." in inbox


def test_no_badge_without_unread(client, an):
    assert "unread-badge" not in client.get(reverse("notifications:inbox")).content.decode()


def test_opening_marks_read_and_follows_the_link(client, an):
    (note,) = tell(an)
    response = client.get(reverse("notifications:open", args=[note.pk]))
    assert (response.status_code, response["Location"]) == (302, "/meetings/")
    note.refresh_from_db()
    assert note.read_at is not None


def test_an_outside_link_is_never_followed(client, an):
    note = notify(an, "market.request_received", PARAMS, "https://evil.example.org/")
    response = client.get(reverse("notifications:open", args=[note.pk]))
    assert response["Location"] == reverse("notifications:inbox")


def test_mark_one_and_mark_all_read(client, an):
    first, second, third = tell(an, 3)
    client.post(reverse("notifications:read", args=[first.pk]))
    assert set(Notification.objects.filter(read_at=None).values_list("pk", flat=True)) == {
        second.pk,
        third.pk,
    }
    response = client.post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert Notification.objects.filter(read_at=None).count() == 0


def test_another_persons_notification_is_not_found(client, an):
    (theirs,) = tell(UserFactory(username="bo"))
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    client.post(reverse("notifications:read_all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "HeatCo" not in client.get(reverse("notifications:inbox")).content.decode()


def test_the_inbox_needs_a_login(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("count", [3, 20])
def test_the_inbox_queries_do_not_grow_with_its_length(client, an, count):
    tell(an, count)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("notifications:inbox")).status_code == 200
    assert len(queries) <= 12, [q["sql"] for q in queries]
    if count == 3:
        test_the_inbox_queries_do_not_grow_with_its_length.small = len(queries)  # type: ignore[attr-defined]
    else:
        assert len(queries) == test_the_inbox_queries_do_not_grow_with_its_length.small  # type: ignore[attr-defined]


def test_the_preferences_page_saves_language_and_choices(client, an):
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="meeting_request" value="immediately"' in page
    data = {"language": "fr", **{kind.value: Delivery.IMMEDIATELY for kind in Kind}}
    data[Kind.MATCH] = Delivery.OFF
    data[Kind.SYNERGY] = Delivery.DIGEST
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    chosen = NotificationSettings.objects.get(user=an)
    assert (chosen.language, chosen.language_chosen) == ("fr", True)
    assert chosen.delivery(Kind.MATCH) == Delivery.OFF
    assert chosen.delivery(Kind.SYNERGY) == Delivery.DIGEST
    assert chosen.delivery(Kind.AGENDA) == Delivery.IMMEDIATELY


def test_the_preferences_page_refuses_an_unknown_choice(client, an):
    data = {"language": "xx", **{kind.value: "sometimes" for kind in Kind}}
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 200
    assert "field--error" in response.content.decode()
    assert not NotificationSettings.objects.filter(user=an, language_chosen=True).exists()


# -- the API --------------------------------------------------------------------------------------------


def bearer(user):  # type: ignore[no-untyped-def]
    _token, raw = ApiToken.objects.issue(user, "test")
    return {"Authorization": f"Bearer {raw}"}


def test_the_api_lists_and_marks_only_ones_own(client):
    an, bo = UserFactory(username="an"), UserFactory(username="bo")
    first, second = tell(an, 2)
    (theirs,) = tell(bo)
    headers = bearer(an)

    listed = client.get("/api/me/notifications", headers=headers).json()
    assert listed["count"] == 2
    assert {item["id"] for item in listed["items"]} == {first.pk, second.pk}
    item = listed["items"][0]
    assert (item["title"], item["kind"], item["url"], item["read_at"]) == (
        "Meeting request from HeatCo",
        "meeting_request",
        "/meetings/",
        None,
    )
    assert client.post(f"/api/me/notifications/{theirs.pk}/read", headers=headers).status_code == 404
    marked = client.post(f"/api/me/notifications/{first.pk}/read", headers=headers)
    assert marked.status_code == 200
    assert marked.json()["read_at"] is not None
    unread = client.get("/api/me/notifications?unread=true", headers=headers).json()
    assert [item["id"] for item in unread["items"]] == [second.pk]
    assert client.post("/api/me/notifications/read-all", headers=headers).json() == {"marked": 1}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_api_needs_credentials(client):
    assert client.get("/api/me/notifications").status_code == 401


def test_the_api_answers_404_for_an_id_beyond_any_row(client):
    headers = bearer(UserFactory(username="an"))
    for pk in (0, -1, 2**63, 10**30):
        response = client.post(f"/api/me/notifications/{pk}/read", headers=headers)
        assert response.status_code in (404, 422), (pk, response.status_code)


def test_a_page_id_beyond_any_row_is_not_found(client, an):
    assert client.get(f"/notifications/{10**30}/open/").status_code == 404
    assert client.post(f"/notifications/{10**30}/read/").status_code == 404


def test_the_inbox_counts_the_unread_once(client, an):
    tell(an, 2)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("notifications:inbox")).content.decode()
    assert 'id="unread-badge">2<' in page
    assert ">2 unread<" in page
    counted = [q["sql"] for q in queries if "COUNT(" in q["sql"] and '"read_at" IS NULL' in q["sql"]]
    assert len(counted) == 1, counted  # the menu's badge and the page share one count
