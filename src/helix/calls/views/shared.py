"""What the calls pages share: the call or application a visitor may see (else a 404, as for an object
that does not exist), the reader's language for a definition's texts, and deadlines said in the call's
time zone and in the visitor's.

The visitor's time zone is the one they chose (``?tz=Europe/Lisbon``, kept in the ``helix_tz`` cookie;
helix.js proposes the browser's), else the site's (TIME_ZONE).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.timesince import timeuntil

from helix.calls import convert
from helix.calls.models import Application, Call
from helix.core.calls.lifecycle import Deadline
from helix.core.specs import translated
from helix.registry.permissions import scope

ZONE_COOKIE = "helix_tz"
# The time zones of the clusters Helix serves first, their neighbours', and UTC; any other IANA name is
# accepted as well (the browser's, proposed by helix.js).
COMMON_ZONES = (
    "Europe/Brussels",
    "Europe/Luxembourg",
    "Europe/Amsterdam",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/London",
    "Europe/Lisbon",
    "Europe/Helsinki",
    "America/New_York",
    "Asia/Tokyo",
    "UTC",
)


def visible_call(request: HttpRequest, pk: int) -> Call:
    call = (
        scope(request.user, "view", Call.objects.select_related("cluster", "instrument"))
        .filter(pk=pk)
        .first()
    )
    if call is None:
        raise Http404
    return call


def visible_application(request: HttpRequest, pk: int) -> Application:
    application = (
        scope(request.user, "view", Application.objects.select_related("call", "call__cluster"))
        .prefetch_related("applicants__organisation")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    return application


def language() -> str:
    """The reader's language among those a definition is written in (English otherwise)."""
    code = (translation.get_language() or "en")[:2]
    return code if code in dict(settings.LANGUAGES) else "en"


def text_in(texts: Mapping[str, str]) -> str:
    return translated(texts, language())


# -- time zones -------------------------------------------------------------------------------------------


def _zone(name: str) -> str | None:
    name = name.strip()
    if not name or len(name) > 60 or name not in available_timezones():
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def visitor_zone(request: HttpRequest) -> tuple[str, bool]:
    """The visitor's time zone, and whether it was chosen now (to keep in the cookie)."""
    chosen = _zone(request.GET.get("tz", ""))
    if chosen:
        return chosen, True
    return _zone(request.COOKIES.get(ZONE_COOKIE, "")) or timezone.get_default_timezone_name(), False


def keep_zone(response: HttpResponse, zone: str, chosen: bool) -> HttpResponse:
    if chosen:
        response.set_cookie(
            ZONE_COOKIE, zone, max_age=365 * 24 * 3600, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE
        )
    return response


def zone_choices(zone: str) -> list[str]:
    return list(COMMON_ZONES) if zone in COMMON_ZONES else [zone, *COMMON_ZONES]


def moment(at: dt.datetime, zone: str) -> str:
    """``at`` as the clock in ``zone`` reads it, in the reader's format, with the zone's abbreviation."""
    local = at.astimezone(ZoneInfo(zone))
    return f"{date_format(local, 'DATETIME_FORMAT')} ({local.tzname()})"


def deadline_view(
    deadline: Deadline | None, zone: str, now: dt.datetime | None = None
) -> dict[str, Any] | None:
    """A stage's deadline for a page: in the call's time zone, in the visitor's, and the time left."""
    if deadline is None:
        return None
    now = now or timezone.now()
    instant = deadline.instant
    passed = instant < now
    in_call_zone, in_visitor_zone = moment(instant, deadline.zone), moment(instant, zone)
    return {
        "instant": instant,
        "call_zone": deadline.zone,
        "in_call_zone": in_call_zone,
        "visitor_zone": zone,
        "in_visitor_zone": in_visitor_zone,
        "same_zone": in_call_zone == in_visitor_zone,
        "passed": passed,
        "left": "" if passed else timeuntil(instant, now),
    }


def stages_view(call: Call, zone: str, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Each stage of ``call`` with its label in the reader's language and its deadline."""
    return [
        {"name": s.name, "label": text_in(s.label), "deadline": deadline_view(s.deadline, zone, now)}
        for s in convert.definition(call).stages
    ]


def object_id(value: object) -> int | None:
    """A posted object id, or None for anything that is not one (never a 500)."""
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 19 else None
