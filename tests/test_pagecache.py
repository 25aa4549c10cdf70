"""Integration: pages an anonymous visitor gets are kept and served again, never a signed-in user's,
with each visitor's own CSRF token, and never after the data changed."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from helix import pagecache
from helix.registry import services
from helix.registry.models import Organisation
from tests.factories import OrganisationFactory, UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

DIRECTORY = reverse("registry:directory")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _org(name: str) -> Organisation:
    org = OrganisationFactory(name=name)
    services.refresh_search_text(org)
    return org


def test_an_anonymous_page_is_kept_and_served_again_with_a_token_of_its_own():
    _org("Kept Coatings")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    a = first.get(DIRECTORY, {"q": "kept"})
    b = second.get(DIRECTORY, {"q": "kept"})
    assert (a["X-Helix-Page-Cache"], b["X-Helix-Page-Cache"]) == ("miss", "hit")
    assert "Kept Coatings" in b.content.decode()
    token_a, token_b = TOKEN.search(a.content.decode())[1], TOKEN.search(b.content.decode())[1]
    assert token_a != token_b
    assert pagecache.PLACEHOLDER not in b.content.decode()
    # The token in the kept page works for the second visitor: the language form posts with it.
    posted = second.post(reverse("set_language"), {"language": "nl", "csrfmiddlewaretoken": token_b})
    assert posted.status_code == 302
    stranger = Client(enforce_csrf_checks=True)
    stranger.get(reverse("login"))
    refused = stranger.post(reverse("set_language"), {"language": "nl", "csrfmiddlewaretoken": token_a})
    assert refused.status_code == 403


def test_a_change_ends_the_kept_pages():
    client = Client()
    assert "Later Labs" not in client.get(DIRECTORY, {"q": "labs"}).content.decode()
    _org("Later Labs")
    again = client.get(DIRECTORY, {"q": "labs"})
    assert again["X-Helix-Page-Cache"] == "miss"
    assert "Later Labs" in again.content.decode()


def test_a_signed_in_user_never_gets_a_kept_page(client):
    _org("Private View")
    Client().get(DIRECTORY)  # kept for anonymous visitors
    user = UserFactory(username="someone")
    client.force_login(user)
    response = client.get(DIRECTORY)
    assert "X-Helix-Page-Cache" not in response
    assert "Log out" in response.content.decode()


def test_a_visitor_with_a_session_or_messages_is_served_fresh(client):
    Client().get(DIRECTORY)
    client.cookies["sessionid"] = "whatever"
    assert "X-Helix-Page-Cache" not in client.get(DIRECTORY)
    other = Client()
    other.cookies["messages"] = "x"
    assert "X-Helix-Page-Cache" not in other.get(DIRECTORY)


def test_anonymous_api_lists_are_kept_but_not_for_a_token(settings):
    _org("Api Kept")
    url = "/api/registry/organisations"
    assert Client().get(url)["X-Helix-Page-Cache"] == "miss"
    assert Client().get(url)["X-Helix-Page-Cache"] == "hit"
    with_token = Client().get(url, HTTP_AUTHORIZATION="Bearer nonsense")
    assert "X-Helix-Page-Cache" not in with_token


def test_no_page_cache_when_switched_off(settings):
    settings.HELIX_PAGE_CACHE_SECONDS = 0
    Client().get(DIRECTORY)
    assert "X-Helix-Page-Cache" not in Client().get(DIRECTORY)


def test_each_language_has_its_own_kept_page():
    english = Client().get(DIRECTORY)
    dutch = Client(HTTP_ACCEPT_LANGUAGE="nl").get(DIRECTORY)
    assert dutch["X-Helix-Page-Cache"] == "miss"
    assert english.content != dutch.content


def test_the_shared_file_cache_culls_only_every_so_many_writes(tmp_path, monkeypatch):
    from helix import filecache

    monkeypatch.setattr(filecache, "CHECK_EVERY", 10)
    cache = filecache.SharedFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 20, "CULL_FREQUENCY": 2}})
    listed = []
    real = cache._list_cache_files

    def counting():  # type: ignore[no-untyped-def]
        listed.append(1)
        return real()

    monkeypatch.setattr(cache, "_list_cache_files", counting)
    for n in range(35):
        cache.set(f"k{n}", n)
    assert len(listed) == 3  # writes 10, 20 and 30 counted the files, the other 32 did not
    assert len(list(tmp_path.glob("*.djcache"))) < 35  # and culled
    assert cache.get("k34") == 34
