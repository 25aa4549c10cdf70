"""Mail follows the language a person last used on the site, until they choose one on the preferences page.

Written only when the page language differs from the one remembered in the session: one write when a
person switches language, none on the other requests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

SESSION_KEY = "helix_reader_language"


class ReaderLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(request, "LANGUAGE_CODE", "")
        session = getattr(request, "session", None)
        if (
            language
            and session is not None
            and user is not None
            and user.is_authenticated
            and session.get(SESSION_KEY) != language
        ):
            from helix.notifications.services import remember_language

            remember_language(user, language)
            session[SESSION_KEY] = language
        return self.get_response(request)


def remember_at_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """On log-in, remember the page language for mail and note it in the new session, so the
    session's first page costs no write (``user_logged_in``)."""
    from django.utils import translation

    from helix.notifications.services import remember_language

    session = getattr(request, "session", None)
    language = getattr(request, "LANGUAGE_CODE", "") or translation.get_language() or ""
    if not language or session is None:
        return
    remember_language(user, language)
    session[SESSION_KEY] = language
