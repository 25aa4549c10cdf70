"""The one way a page's POST runs a service call: its refusals become messages, then a redirect.

Services say no with ValidationError (a rule, with its message), PermissionDenied (not yours to do)
or ValueError (a number that is not one); the page shows that and goes back where it came from.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _


def error_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def act(
    request: HttpRequest, call: Callable[[], object], then: HttpResponse, *, done: str = "", denied: str = ""
) -> HttpResponse:
    """Run ``call``; say ``done`` or why not; answer ``then`` (a redirect)."""
    try:
        call()
        if done:
            messages.success(request, done)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    except PermissionDenied:
        messages.error(request, denied or _("You may not do this."))
    except ValueError:
        messages.error(request, _("A number was expected."))
    return then
