"""Who acts, for the audit trail, and through which door.

django-auditlog's middleware records the logged-in user of a web request (and its address). Everything
else goes through ``acting_as``: a token-authenticated API call (``attach_request_actor``, called by the
API's token check), a CLI command (``helix ... --as USERNAME``, or nobody), a background task (the
creator of its job). Every log entry written inside gets that actor and ``additional_data["via"]``
(``web``, ``api``, ``cli``, ``task``), so an entry without a user still says where it came from.

This module imports no models at import time: the CLI sets its context before Django is set up.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

WEB, API, CLI, TASK = "web", "api", "cli", "task"


@dataclass(frozen=True)
class Acting:
    actor: Any  # a user, or None for the system
    via: str
    remote_addr: str | None = None  # of a web or API request


_acting: ContextVar[Acting | None] = ContextVar("helix_audit_acting", default=None)


def _user_or_none(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


@contextlib.contextmanager
def acting_as(user: Any, via: str, remote_addr: str | None = None) -> Iterator[None]:
    """Log every change made inside as done by ``user`` (None: the system) through ``via``."""
    token = _acting.set(Acting(_user_or_none(user), via, remote_addr))
    try:
        yield
    finally:
        _acting.reset(token)


def current() -> Acting | None:
    """The acting context, if any (None in a request of the logged-in web user: the middleware knows)."""
    return _acting.get()


def attach_request_actor(user: Any) -> None:
    """Record ``user`` as the actor of the rest of this request: an API call authenticated by a token,
    whose user the session middleware never sees. Lives until the request's ``acting_as`` ends (set by
    ``AuditMiddleware``); outside a request it does nothing, so it never leaks into later work."""
    acting = _acting.get()
    if acting is not None and acting.via in (WEB, API):
        _acting.set(Acting(_user_or_none(user), API, acting.remote_addr))


def set_cli_actor(user: Any) -> None:
    """The CLI's ``--as`` user acts for the rest of the command (inside the ``acting_as`` that the
    ``helix`` group opens, which ends with the command); outside it this does nothing."""
    acting = _acting.get()
    if acting is not None and acting.via == CLI:
        _acting.set(Acting(_user_or_none(user), CLI))


def job_actor(job_id: int | None) -> Any:
    """The user who created job ``job_id`` (None when there is no such job or it has no creator)."""
    if job_id is None:
        return None
    from helix.jobs.models import Job

    job = Job.objects.filter(pk=job_id).select_related("created_by").first()
    return job.created_by if job else None
