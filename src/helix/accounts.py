"""Log-in and password-reset limits: the lock-out page, the django-axes backend and the limited reset.

Log-ins (``/accounts/login/``, the admin's log-in, any API call that checks a password) are counted by
django-axes: after ``HELIX_LOGIN_FAILURE_LIMIT`` failures for one user name from one address, further
attempts are refused, even with the right password, until ``HELIX_RATE_LIMIT_MINUTES`` pass without a
failure. A password-reset request is no failed log-in, so ``PasswordResetView`` counts it with
``helix.ratelimit``. Both answer 429 with the same translated page.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from helix.ratelimit import client_ip, over_limit

TOO_MANY_REQUESTS = 429


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check before the password backends: a locked-out user name and address is refused.

    Every web log-in path passes the request to ``authenticate`` (Django's log-in form and the admin
    do), and only those can be counted per address. A call without a request is no web log-in (a script,
    a management command, a test) and is let through to the password backends unchecked, where axes'
    own backend would raise an error.
    """

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)  # type: ignore[no-any-return]


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """What a locked-out log-in gets (``AXES_LOCKOUT_CALLABLE``): a page, or JSON for the API."""
    return refusal(request, "login")


def refusal(request: HttpRequest, reason: str) -> HttpResponse:
    minutes = settings.HELIX_RATE_LIMIT_MINUTES
    if request.path.startswith("/api/"):
        message = ngettext(
            "Too many failed attempts. Try again in %(minutes)d minute.",
            "Too many failed attempts. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        return JsonResponse({"detail": message}, status=TOO_MANY_REQUESTS)
    return render(
        request,
        "registration/locked_out.html",
        {"reason": reason, "minutes": minutes},
        status=TOO_MANY_REQUESTS,
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, refused beyond ``HELIX_PASSWORD_RESET_LIMIT`` requests for one e-mail
    address from one address within the window (whether or not an account has that address, so the
    answer reveals nothing)."""

    def form_valid(self, form: Any) -> HttpResponse:
        email = form.cleaned_data["email"].strip().lower()
        if over_limit(
            "password-reset",
            client_ip(self.request),
            email,
            limit=settings.HELIX_PASSWORD_RESET_LIMIT,
            window_seconds=60 * settings.HELIX_RATE_LIMIT_MINUTES,
        ):
            return refusal(self.request, "password_reset")
        return super().form_valid(form)
