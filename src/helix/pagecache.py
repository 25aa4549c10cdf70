"""The anonymous page cache: a page a visitor who is not logged in gets is kept and served again.

Most traffic of a public cluster platform is anonymous (a newsletter linking to the directory, search
engines, a city's page linking to a profile), and what an anonymous visitor sees does not depend on who
asks: it is what the permission tables grant to ``anyone``. So the rendered page is kept per address,
language, host and htmx request (Django's cache framework, the ``pages`` cache: each process's memory)
and served again to the next anonymous visitor. Never for a logged-in user, a visitor with a session
(a flash message, a form in progress) or anything but a GET answered 200.

Two things make it safe:

* **The CSRF token.** Every page carries a form token (log-out, language switch, htmx headers). The
  token rendered into the kept page is replaced by a placeholder, and each visitor gets their own token
  in its place (and the CSRF cookie that goes with it), exactly as if the page had been rendered for them.
* **Changes.** Every save or delete of registry, needs-and-offers, events or symbiosis data (the web
  server, the API, the CLI, imports and the background worker alike) moves a version number kept in the
  shared ``default`` cache (a folder shared by every process of ``helix serve``); kept pages belong to the
  version they were rendered at, so the next visitor after a change gets a fresh page. Bulk updates that
  bypass model signals are bounded by ``HELIX_PAGE_CACHE_SECONDS``.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

PAGES = "pages"
VERSION_KEY = "helix:page-cache-version"
PLACEHOLDER = "\x00helix-csrf-token\x00"
# The apps whose data the cached pages show; a save in any of them ends every kept page. Not funds: no
# page an anonymous visitor gets shows an instrument or a ledger entry (instruments are for signed-in
# users, ledgers for staff and beneficiaries), so a booking need not end them; add it with the first
# public page that does.
WATCHED_APPS = frozenset({"registry", "market", "events", "symbiosis", "projects"})
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary")


# --- the version -------------------------------------------------------------------------------------------


def version() -> int:
    """The current version of the data the pages show (shared by every process)."""
    value = caches["default"].get(VERSION_KEY)
    if value is None:
        # First use, or the entry was lost: start from the clock, so a number never comes back and a page
        # kept under an older version is never taken for current.
        value = time.time_ns()
        caches["default"].add(VERSION_KEY, value, timeout=None)
        value = caches["default"].get(VERSION_KEY, value)
    return int(value)


def data_changed(**_: Any) -> None:
    """Move the version on: every kept page is now old."""
    cache = caches["default"]
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or lost): any new number is newer than those kept
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def data_changed_on_commit() -> None:
    """Move the version on now (this process sees its own writes at once) and again when the current
    transaction commits: another process that read the old data under the first move must not keep it.
    One move at commit per transaction, however many rows."""
    data_changed()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        func is data_changed for _, func, _ in connection.run_on_commit
    ):
        transaction.on_commit(data_changed)


def _on_model_change(sender: Any, **kwargs: Any) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is not None and meta.app_label in WATCHED_APPS:
        data_changed_on_commit()


def connect_signals() -> None:
    """Called once at start-up (helix.registry's AppConfig.ready)."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_model_change, dispatch_uid=f"helix.pagecache.{id(signal)}")


# --- results kept per scope ---------------------------------------------------------------------------------


def remember(parts: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    """``compute()``, kept in the page cache under ``parts`` and the data version.

    For results that depend on who asks only through what they may see: ``parts`` must then hold the
    permission engine's ``scope_key`` (and the language when the result holds translated labels)."""
    seconds = _seconds()
    if seconds <= 0:
        return compute()
    key = "result:" + hashlib.sha256(repr((version(), parts)).encode()).hexdigest()
    pages = caches[PAGES]
    value = pages.get(key)
    if value is None:
        value = compute()
        pages.set(key, value, timeout=seconds)
    return value


# --- the CSRF token ----------------------------------------------------------------------------------------


def csrf(request: HttpRequest) -> dict[str, Any]:
    """Django's ``csrf`` context processor, remembering the token it rendered so the cache can find it."""

    def token() -> str:
        value = get_token(request)
        request._helix_csrf_token = value  # type: ignore[attr-defined]
        return value

    return {"csrf_token": SimpleLazyObject(token)}


# --- the decorator -----------------------------------------------------------------------------------------


def _seconds() -> int:
    return int(getattr(settings, "HELIX_PAGE_CACHE_SECONDS", 0))


def _cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or _seconds() <= 0:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False  # a session may hold messages, a form in progress, a log-in
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _key(request: HttpRequest) -> str:
    parts = (
        str(version()),
        get_language() or settings.LANGUAGE_CODE,
        request.scheme or "",
        request.get_host(),
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-History-Restore-Request", ""),
        request.headers.get("HX-Target", ""),
    )
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page:{digest}"


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    return not (response.has_header("Cache-Control") and "private" in response["Cache-Control"])


def cache_anonymous(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve ``view``'s page to anonymous visitors from the page cache (see the module's docstring).

    Put it under any ``vary_on_headers`` decorator, so those headers are added to kept pages too."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        pages = caches[PAGES]
        key = _key(request)
        kept = pages.get(key)
        if kept is not None:
            headers, body = kept
            if PLACEHOLDER.encode() in body:
                body = body.replace(PLACEHOLDER.encode(), get_token(request).encode())
            response = HttpResponse(body)
            for name, value in headers:
                response[name] = value
            response["X-Helix-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if not _storable(request, response):
            return response
        if hasattr(response, "render") and callable(response.render):
            response.render()
        body = response.content
        token = getattr(request, "_helix_csrf_token", None)
        if token:
            body = body.replace(token.encode(), PLACEHOLDER.encode())
        headers = [(name, response[name]) for name in KEPT_HEADERS if response.has_header(name)]
        pages.set(key, (headers, body), timeout=_seconds())
        response["X-Helix-Page-Cache"] = "miss"
        return response

    return wrapped
