"""Integration: log-in, admin log-in and password reset are refused after too many attempts (issue 11).

django-axes counts failed log-ins per user name and address; helix.ratelimit counts reset requests.
"""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from helix import accounts, ratelimit
from tests.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

RIGHT = "correct horse battery staple"
LOCKED = "Too many attempts"


def log_in(client, url, username, password, **extra):  # type: ignore[no-untyped-def]
    return client.post(url, {"username": username, "password": password}, **extra)


def logged_in(client) -> bool:  # type: ignore[no-untyped-def]
    return "_auth_user_id" in client.session


def test_login_refuses_the_right_password_after_five_wrong_ones_in_a_row(client):
    UserFactory(username="an")
    answers = [log_in(client, reverse("login"), "an", f"wrong {n}").status_code for n in range(5)]
    assert answers == [200, 200, 200, 200, 429]

    sixth = log_in(client, reverse("login"), "an", RIGHT)

    assert sixth.status_code == 429
    assert LOCKED in sixth.content.decode()
    assert "15 minutes after the last attempt" in sixth.content.decode()
    assert not logged_in(client)


def test_four_wrong_passwords_then_the_right_one_logs_in_and_starts_the_count_again(client):
    UserFactory(username="an")
    for n in range(4):
        log_in(client, reverse("login"), "an", f"wrong {n}")
    assert log_in(client, reverse("login"), "an", RIGHT).status_code == 302
    client.logout()
    answers = [log_in(client, reverse("login"), "an", f"again {n}").status_code for n in range(4)]
    assert answers == [200, 200, 200, 200]  # the success reset the count
    assert log_in(client, reverse("login"), "an", RIGHT).status_code == 302


def test_lockout_holds_one_user_name_from_one_address_only(client):
    UserFactory(username="an")
    UserFactory(username="bo")
    for n in range(5):
        log_in(client, reverse("login"), "an", f"wrong {n}")

    assert log_in(client, reverse("login"), "bo", RIGHT).status_code == 302  # a colleague, same address
    client.logout()
    assert log_in(client, reverse("login"), "an", RIGHT, REMOTE_ADDR="10.9.8.7").status_code == 302


def test_lockout_ends_when_the_window_has_passed_since_the_last_failure(client):
    UserFactory(username="an")
    for n in range(5):
        log_in(client, reverse("login"), "an", f"wrong {n}")
    assert log_in(client, reverse("login"), "an", RIGHT).status_code == 429

    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))

    assert log_in(client, reverse("login"), "an", RIGHT).status_code == 302


def test_the_failure_limit_and_window_are_settings(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(username="an")
    answers = [log_in(client, reverse("login"), "an", f"wrong {n}").status_code for n in range(2)]
    assert answers == [200, 429]
    assert log_in(client, reverse("login"), "an", RIGHT).status_code == 429

    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=2))
    assert log_in(client, reverse("login"), "an", RIGHT).status_code == 302


def test_admin_login_refuses_the_right_password_after_five_wrong_ones(client):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    answers = [log_in(client, url, "root", f"wrong {n}").status_code for n in range(5)]
    assert answers == [200, 200, 200, 200, 429]

    sixth = log_in(client, url, "root", RIGHT)

    assert sixth.status_code == 429
    assert LOCKED in sixth.content.decode()
    assert not logged_in(client)
    assert client.get("/admin/").status_code == 302  # still sent to the log-in


def test_admin_and_site_login_share_one_count(client):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    for n in range(3):
        log_in(client, reverse("admin:login"), "root", f"wrong {n}")
    for n in range(2):
        log_in(client, reverse("login"), "root", f"wrong {n}")
    assert log_in(client, reverse("admin:login"), "root", RIGHT).status_code == 429


def test_password_reset_refuses_the_sixth_request_for_one_address(client):
    UserFactory(username="an", email="an@example.org")
    url = reverse("password_reset")
    answers = [client.post(url, {"email": "an@example.org"}).status_code for _ in range(5)]
    assert answers == [302] * 5
    assert len(mail.outbox) == 5

    sixth = client.post(url, {"email": "AN@example.org"})  # the same address, written otherwise

    assert sixth.status_code == 429
    assert LOCKED in sixth.content.decode()
    assert "please wait 15 minutes before asking again" in sixth.content.decode()
    assert len(mail.outbox) == 5
    assert client.post(url, {"email": "an@example.org"}, REMOTE_ADDR="10.9.8.7").status_code == 302
    assert client.post(url, {"email": "bo@example.org"}).status_code == 302


def test_password_reset_limit_counts_unknown_addresses_too(client):
    url = reverse("password_reset")
    answers = [client.post(url, {"email": "nobody@example.org"}).status_code for _ in range(6)]
    assert answers == [302] * 5 + [429]


def test_password_reset_limit_and_window_are_settings(client, settings, monkeypatch):
    settings.HELIX_PASSWORD_RESET_LIMIT = 1
    url = reverse("password_reset")
    assert [client.post(url, {"email": "an@example.org"}).status_code for _ in range(2)] == [302, 429]

    later = ratelimit.time.time() + 15 * 60 + 1
    monkeypatch.setattr(ratelimit.time, "time", lambda: later)

    assert client.post(url, {"email": "an@example.org"}).status_code == 302


def test_over_limit_counts_per_key_in_a_fixed_window(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    hits = [ratelimit.over_limit("t", "1.2.3.4", "a", limit=2, window_seconds=60) for _ in range(3)]
    other = ratelimit.over_limit("t", "1.2.3.4", "b", limit=2, window_seconds=60)
    now[0] += 59
    still = ratelimit.over_limit("t", "1.2.3.4", "a", limit=2, window_seconds=60)
    now[0] += 1
    fresh = ratelimit.over_limit("t", "1.2.3.4", "a", limit=2, window_seconds=60)
    assert (hits, other, still, fresh) == ([False, False, True], False, True, False)


def test_client_ip_is_the_address_the_proxy_added_when_configured(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.7")
    assert ratelimit.client_ip(request) == "10.0.0.1"
    settings.HELIX_CLIENT_IP_HEADER = "X-Forwarded-For"
    assert ratelimit.client_ip(request) == "192.0.2.7"
    assert ratelimit.client_ip(RequestFactory().get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"


def test_lockout_counts_the_forwarded_address_behind_a_proxy(client, settings):
    settings.HELIX_CLIENT_IP_HEADER = "X-Forwarded-For"
    UserFactory(username="an")
    for n in range(5):
        log_in(client, reverse("login"), "an", f"wrong {n}", HTTP_X_FORWARDED_FOR="192.0.2.7")
    assert log_in(client, reverse("login"), "an", RIGHT, HTTP_X_FORWARDED_FOR="192.0.2.7").status_code == 429
    # Another visitor behind the same proxy (same REMOTE_ADDR) is not locked out.
    assert log_in(client, reverse("login"), "an", RIGHT, HTTP_X_FORWARDED_FOR="192.0.2.8").status_code == 302


def test_api_paths_get_the_refusal_as_json():
    request = RequestFactory().post("/api/auth/token")
    response = accounts.lockout_response(request)
    assert (response.status_code, response["Content-Type"]) == (429, "application/json")
    assert response.content == b'{"detail": "Too many failed attempts. Try again in 15 minutes."}'


def test_authenticate_without_a_request_is_no_web_login_and_is_not_counted():
    UserFactory(username="an")
    assert authenticate(username="an", password="wrong") is None
    assert authenticate(username="an", password=RIGHT).username == "an"
    assert AccessAttempt.objects.count() == 0
