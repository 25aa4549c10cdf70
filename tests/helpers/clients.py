"""Test clients that act as a user: on the pages (logged in) or through the API (with a new token of
theirs); without a user, an anonymous visitor or caller. And the messages a page shows."""

from __future__ import annotations

from typing import Any

from django.test import Client

from helix.api.models import ApiToken


def page_client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api_client(user: Any = None) -> Client:
    if user is None:
        return Client()
    _token, secret = ApiToken.objects.issue(user, name="tests")
    return Client(headers={"Authorization": f"Bearer {secret}"})


def messages_of(response: Any) -> list[str]:
    """The messages (django.contrib.messages) a page's response shows."""
    return [str(m) for m in response.context["messages"]]
