"""Template context: whether the visitor has a person record (the "My data" link in every page)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from helix.registry.permissions import actor_for


def my_data(request: HttpRequest) -> dict[str, Any]:
    """``has_person``: read from the permission engine's actor (kept between requests), not a query per
    page."""
    user = getattr(request, "user", None)
    return {"has_person": SimpleLazyObject(lambda: actor_for(user).person is not None)}
