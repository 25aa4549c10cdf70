"""Rate limits for what django-axes does not cover: a count of attempts per key in a time window.

django-axes limits failed log-ins (site, admin, and any API call that checks a password through
``django.contrib.auth.authenticate`` with the request). It counts *failures* that
``authenticate`` signals; a password-reset request is no failure, so it is counted here, in Django's
cache (``CACHES``: the server's memory, or a folder shared by several processes, ``HELIX_CACHE_DIR``).
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The visitor's address: the last address of ``HELIX_CLIENT_IP_HEADER`` (the one our reverse proxy
    added; those before it are whatever the client claimed) when set, else the connection's address."""
    header = settings.HELIX_CLIENT_IP_HEADER
    if header:
        forwarded = request.headers.get(header, "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            return addresses[-1]
    return str(request.META.get("REMOTE_ADDR", ""))


def over_limit(scope: str, *parts: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt for ``scope`` and ``parts`` (e.g. an address and an e-mail); True when it is
    beyond ``limit`` attempts in the window that began with the first counted one.

    The count is read and written without a lock, so two attempts at the very same moment may both be
    let through: a limit on repeated attempts, not an exact quota.
    """
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()
    key = f"helix-ratelimit:{scope}:{digest}"
    now = time.time()
    count, window_ends = cache.get(key, (0, now + window_seconds))
    if window_ends <= now:
        count, window_ends = 0, now + window_seconds
    count += 1
    cache.set(key, (count, window_ends), timeout=max(1, math.ceil(window_ends - now)))
    return bool(count > limit)
