"""django-auditlog's middleware (actor of the session, remote address, correlation id), which also opens
the acting context of the request: so that an API token's user can be recorded (``attach_request_actor``),
entries written in bulk (helix.audit.bulk) get the actor too, and every entry says whether it came from a
page or the API."""

from __future__ import annotations

import ipaddress
from typing import Any

from auditlog.middleware import AuditlogMiddleware
from django.http import HttpRequest

from helix.audit.context import API, WEB, acting_as
from helix.ratelimit import client_ip


class AuditMiddleware(AuditlogMiddleware):
    def __call__(self, request: HttpRequest) -> Any:
        via = API if request.path_info.startswith("/api/") else WEB
        with acting_as(self._get_actor(request), via, self._get_remote_addr(request)):
            return super().__call__(request)

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        """The address the rate limits use (HELIX_CLIENT_IP_HEADER from our proxy, else the connection),
        not auditlog's first X-Forwarded-For entry, which any client writes as it likes (and which, not
        being an address, would make every change fail on PostgreSQL)."""
        try:
            return str(ipaddress.ip_address(client_ip(request)))
        except ValueError:
            return None
