"""Counting the database queries of one request: the one helper behind every query-count test.

A list page or API list must ask the same number of queries whatever its length; the tests build the
world at two sizes and compare ``count_queries`` (or ``counted_get`` when they read the response too).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def counted_get(client: Any, url: str, data: Any = None, *, status: int = 200) -> tuple[int, Any]:
    """GET ``url`` (with query ``data``) and return the number of queries it asked and the response,
    after checking its status."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data)
    assert response.status_code == status, (url, response.status_code)
    return len(captured.captured_queries), response


def count_queries(client: Any, url: str, **params: Any) -> int:
    """The number of queries a successful GET of ``url`` with query ``params`` asks."""
    return counted_get(client, url, params or None)[0]


def counted_at_sizes(
    client: Any, url: str, grow: Callable[[int, int], None], sizes: Sequence[int], data: Any = None
) -> list[tuple[int, Any]]:
    """Grow the world to each of ``sizes`` in turn (``grow(start, stop)`` adds rows start..stop-1), then
    GET ``url`` twice: the first request warms what a session, a new API token or a changed registry
    reads once, the second is counted. One (queries, response) per size."""
    counted, done = [], 0
    for size in sizes:
        grow(done, size)
        done = size
        client.get(url, data)
        counted.append(counted_get(client, url, data))
    return counted
