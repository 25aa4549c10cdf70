"""Who is calling: a bearer token, the Django session (with CSRF) or, for reads, the anonymous public.

Operations that change data use ``WRITE_AUTH``; reads use ``READ_AUTH``, which falls back to the anonymous
user, who sees what the public pages show. A request that presents a token which is wrong or revoked
gets 401 even on a read: it never silently turns into an anonymous request.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from helix.api.models import ApiToken
from helix.audit.context import attach_request_actor


class ApiTokenAuth(HttpBearer):
    openapi_description = (
        "A Helix API token: `Authorization: Bearer <token>` (`helix api token create USERNAME`)."
    )

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = ApiToken.objects.authenticate(token)
        if user is None:
            raise AuthenticationError(message="Invalid or revoked API token.")
        attach_request_actor(user)  # the audit trail records the token's user as the actor
        return user


class SessionCookieAuth(SessionAuth):
    """Django's session, for same-site browser use; unsafe methods must carry the CSRF token."""

    openapi_description = "The Django session cookie of a logged-in user; writes need the X-CSRFToken header."

    def __call__(self, request: HttpRequest) -> Any | None:
        # Without a logged-in session there is nothing to protect: let the caller get 401, not a CSRF 403.
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


def anonymous_public(request: HttpRequest) -> AnonymousUser | None:
    """The anonymous public, unless the request claimed some identity that the schemes before rejected."""
    if "Authorization" in request.headers:
        return None
    return AnonymousUser()


token_auth = ApiTokenAuth()
session_auth = SessionCookieAuth(csrf=True)

WRITE_AUTH = [token_auth, session_auth]
READ_AUTH = [token_auth, session_auth, anonymous_public]
# In the schema, an empty requirement next to the two schemes says that reads work without credentials.
READ_SECURITY = {"security": [{}]}
# Keyword arguments of every read operation: anonymous visitors allowed, shown as such in the schema.
READ = {"auth": READ_AUTH, "openapi_extra": READ_SECURITY}


def acting_user(request: HttpRequest) -> Any:
    """The user an operation acts for (AnonymousUser on anonymous reads)."""
    return getattr(request, "auth", None) or AnonymousUser()
