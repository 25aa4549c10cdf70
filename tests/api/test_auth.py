"""Integration: who the API takes the caller to be (bearer token, session with CSRF, anonymous)."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from helix.api.models import ApiToken
from tests.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

RENAME = {"description_en": "Renamed by the API."}


def patch(client: Client, slug: str, body: dict, **headers: str):
    return client.patch(
        f"/api/registry/organisations/{slug}", body, content_type="application/json", headers=headers
    )


def test_a_valid_token_acts_as_its_user(registry):
    _token, secret = ApiToken.objects.issue(registry.acme_user, name="crm")
    response = patch(Client(), "acme", RENAME, Authorization=f"Bearer {secret}")
    assert response.status_code == 200
    registry.acme.refresh_from_db()
    assert registry.acme.description_en == "Renamed by the API."


def test_a_revoked_token_is_refused_on_writes_and_reads(registry):
    token, secret = ApiToken.objects.issue(registry.acme_user)
    token.revoked = True
    token.save()
    header = {"Authorization": f"Bearer {secret}"}
    write = patch(Client(), "acme", RENAME, **header)
    read = Client().get("/api/registry/organisations", headers=header)
    assert (write.status_code, write.json()) == (401, {"detail": "Invalid or revoked API token."})
    assert (read.status_code, read.json()) == (401, {"detail": "Invalid or revoked API token."})
    assert write["WWW-Authenticate"] == 'Bearer realm="helix"'


def test_a_wrong_token_is_refused(registry):
    ApiToken.objects.issue(registry.acme_user)
    response = patch(Client(), "acme", RENAME, Authorization="Bearer hx_not-a-real-token")
    assert (response.status_code, response.json()) == (401, {"detail": "Invalid or revoked API token."})


def test_the_token_of_an_inactive_user_is_refused(registry):
    _token, secret = ApiToken.objects.issue(registry.acme_user)
    registry.acme_user.is_active = False
    registry.acme_user.save()
    response = patch(Client(), "acme", RENAME, Authorization=f"Bearer {secret}")
    assert response.status_code == 401


def test_writes_without_credentials_are_refused(registry):
    response = patch(Client(), "acme", RENAME)
    assert (response.status_code, response.json()) == (401, {"detail": "Unauthorized"})


def test_reads_without_credentials_are_anonymous(registry):
    response = Client().get("/api/registry/organisations/acme")
    assert (response.status_code, response.json()["slug"]) == (200, "acme")


def test_only_the_hash_and_a_prefix_of_a_token_are_stored():
    user = UserFactory(username="robot")
    token, secret = ApiToken.objects.issue(user, name="sync")
    stored = ApiToken.objects.values().get(pk=token.pk)
    assert secret.startswith("hx_")
    assert len(secret) > 40
    assert stored["token_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert stored["prefix"] == secret[:11]
    assert [key for key, value in stored.items() if isinstance(value, str) and secret in value] == []


def test_using_a_token_records_when(registry):
    token, secret = ApiToken.objects.issue(registry.acme_user)
    assert token.last_used_at is None
    Client().get("/api/registry/organisations", headers={"Authorization": f"Bearer {secret}"})
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_session_writes_need_the_csrf_token(registry):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(registry.acme_user)
    browser.cookies["csrftoken"] = "a" * 32
    refused = patch(browser, "acme", RENAME)
    accepted = patch(browser, "acme", RENAME, **{"X-CSRFToken": "a" * 32})
    assert (refused.status_code, refused.json()) == (403, {"detail": "CSRF check Failed"})
    assert accepted.status_code == 200


def test_session_reads_see_what_the_user_may_see(registry):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(registry.staff)
    response = browser.get("/api/registry/organisations/hidden-works")
    assert (response.status_code, response.json()["slug"]) == (200, "hidden-works")
