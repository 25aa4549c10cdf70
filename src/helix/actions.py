"""The one way a page's POST runs a service call: its refusals become messages, then a redirect.

Services say no with ValidationError (a rule, with its message), PermissionDenied (not yours to do) or
TransitionNotAllowed (a workflow move the table has not, or not for this actor); a parameter that had to
be a number says so with helix.params.NotANumber. The page shows that and goes back where it came from.
Any other ValueError is a bug, not a refusal: it is raised, never shown as "a number was expected".
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from helix.core.workflow import TransitionNotAllowed
from helix.params import NotANumber


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
    except NotANumber as exc:
        messages.error(request, exc.text)
    except TransitionNotAllowed:
        messages.error(request, _("This change is not possible from the present state."))
    return then
