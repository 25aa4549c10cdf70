"""What each notification says, written when it is read, in the reader's language.

A notification stores a message key and its parameters (names, titles, counts, moments), never its text:
:func:`render` writes the title and the text under the reader's language. A moment is stored as
``{"at": ISO datetime, "tz": time zone}`` and shown in the reader's locale in that time zone (an event's
time zone); a day as ``{"date": ISO date}``; a value with a label (a synergy's state) as
``{"choice": name, "value": value}``, labelled from :data:`CHOICES`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from helix.notifications.models import Kind


@dataclass(frozen=True)
class Message:
    kind: str
    title: str | Promise
    text: str | Promise
    # an e-mail template of its own (``<name>_subject.txt``, ``<name>.txt``); else the generic one
    mail_template: str = ""


MESSAGES: dict[str, Message] = {
    # new matches (helix.market.notices)
    "market.new_matches": Message(
        Kind.MATCH,
        _("New matches for “%(listing)s”"),
        ngettext_lazy(
            "%(count)d new counterpart matches your listing “%(listing)s”: %(titles)s.",
            "%(count)d new counterparts match your listing “%(listing)s”: %(titles)s.",
            "count",
        ),
    ),
    "market.matched_by_new": Message(
        Kind.MATCH,
        _("A new listing matches “%(listing)s”"),
        _("%(organisation)s posted “%(other)s”, which matches your listing “%(listing)s”."),
    ),
    "market.listing_expiring": Message(
        Kind.DEADLINE,
        _("“%(listing)s” expires on %(date)s"),
        _("Your listing “%(listing)s” expires on %(date)s. Renew it to keep it visible and matched."),
    ),
    "market.request_received": Message(
        Kind.MEETING_REQUEST,
        _("Meeting request from %(organisation)s"),
        _("%(organisation)s asks to meet you about “%(need)s” and “%(offer)s”."),
    ),
    "market.request_accepted": Message(
        Kind.MEETING_ANSWER,
        _("%(organisation)s accepted your meeting request"),
        _("%(organisation)s accepts to meet you about “%(need)s” and “%(offer)s”."),
    ),
    "market.request_declined": Message(
        Kind.MEETING_ANSWER,
        _("%(organisation)s declined your meeting request"),
        _("%(organisation)s declines to meet you about “%(need)s” and “%(offer)s”."),
    ),
    # events (helix.events.notices)
    "events.request_received": Message(
        Kind.MEETING_REQUEST,
        _("Meeting request from %(organisation)s"),
        _("%(person)s of %(organisation)s asks to meet you at %(event)s."),
        mail_template="events/mail/request_received",
    ),
    "events.request_accepted": Message(
        Kind.MEETING_ANSWER,
        _("%(organisation)s accepted your meeting request"),
        _("%(person)s of %(organisation)s accepts to meet you at %(event)s."),
    ),
    "events.request_declined": Message(
        Kind.MEETING_ANSWER,
        _("%(organisation)s declined your meeting request"),
        _("%(person)s of %(organisation)s declines to meet you at %(event)s."),
    ),
    "events.agenda_published": Message(
        Kind.AGENDA,
        _("Your agenda for %(event)s"),
        ngettext_lazy(
            "The schedule of %(event)s is published: you have %(count)d meeting.",
            "The schedule of %(event)s is published: you have %(count)d meetings.",
            "count",
        ),
        mail_template="events/mail/agenda",
    ),
    "events.agenda_changed": Message(
        Kind.AGENDA,
        _("Your agenda for %(event)s changed"),
        ngettext_lazy(
            "The schedule of %(event)s was published again and your agenda changed: you have %(count)d "
            "meeting.",
            "The schedule of %(event)s was published again and your agenda changed: you have %(count)d "
            "meetings.",
            "count",
        ),
        mail_template="events/mail/agenda",
    ),
    "events.meeting_cancelled": Message(
        Kind.AGENDA,
        _("Meeting cancelled: %(event)s"),
        _(
            "Your meeting with %(organisation)s at %(event)s on %(at)s is cancelled: the participant "
            "withdrew. The rest of your agenda is unchanged; the schedule was published again."
        ),
    ),
    "events.request_deadline": Message(
        Kind.DEADLINE,
        _("Meeting requests for %(event)s close soon"),
        _(
            "Meeting requests for %(event)s close on %(at)s. Requests not answered by then expire and "
            "take no slot."
        ),
    ),
    # symbiosis (helix.symbiosis.notices)
    "symbiosis.proposed": Message(
        Kind.SYNERGY,
        _("A possible exchange for “%(flow)s”"),
        _(
            "Helix proposes an exchange for your resource flow “%(flow)s”. Open it to see why, and "
            "accept contact if you want to meet the other party."
        ),
    ),
    "symbiosis.contact_accepted": Message(
        Kind.SYNERGY,
        _("Contact accepted on the exchange for “%(flow)s”"),
        _(
            "The other party of the exchange for your resource flow “%(flow)s” accepts contact. Accept "
            "too and you see each other's names."
        ),
    ),
    "symbiosis.moved": Message(
        Kind.SYNERGY,
        _("Exchange for “%(flow)s”: %(state)s"),
        _("The exchange for your resource flow “%(flow)s” is now “%(state)s”."),
    ),
    # roadmaps (helix.roadmaps.notices)
    "roadmaps.consultation": Message(
        Kind.ROADMAP,
        _("Consultation: %(roadmap)s"),
        ngettext_lazy(
            "The roadmap “%(roadmap)s” of %(cluster)s is open for consultation. %(organisation)s owns "
            "%(count)d milestone in it: read it and accept it.",
            "The roadmap “%(roadmap)s” of %(cluster)s is open for consultation. %(organisation)s owns "
            "%(count)d milestones in it: read them and accept them.",
            "count",
        ),
    ),
    "roadmaps.adopted": Message(
        Kind.ROADMAP,
        _("Roadmap adopted: %(roadmap)s"),
        _(
            "%(cluster)s adopted version %(version)s of the roadmap “%(roadmap)s”, which names "
            "%(organisation)s."
        ),
    ),
    "roadmaps.moved": Message(
        Kind.ROADMAP,
        _("Your milestones moved: %(roadmap)s"),
        ngettext_lazy(
            "A change to the roadmap “%(roadmap)s” moves %(count)d item of %(organisation)s: %(items)s.",
            "A change to the roadmap “%(roadmap)s” moves %(count)d items of %(organisation)s: %(items)s.",
            "count",
        ),
    ),
    "roadmaps.due": Message(
        Kind.DEADLINE,
        _("“%(item)s” is due on %(date)s"),
        _("The milestone “%(item)s” of %(organisation)s in the roadmap “%(roadmap)s” is due on %(date)s."),
    ),
    # invitations (helix.people calls notify for people who have an account)
    "people.invitation": Message(
        Kind.INVITATION,
        _("Invitation: %(what)s"),
        _("%(inviter)s invites you to %(what)s."),
    ),
}


def _state_label(value: str) -> str:
    from helix.symbiosis.models import SynergyState

    try:
        return str(SynergyState(value).label)
    except ValueError:
        return value


CHOICES: Mapping[str, Callable[[str], str]] = {"synergy_state": _state_label}


def moment(at: dt.datetime, tz: str) -> dict[str, str]:
    """A parameter for a date and time shown in ``tz`` (an event's time zone)."""
    return {"at": at.isoformat(), "tz": tz}


def day(value: dt.date) -> dict[str, str]:
    return {"date": value.isoformat()}


def choice(name: str, value: str) -> dict[str, str]:
    return {"choice": name, "value": value}


def display(value: Any) -> Any:
    """One parameter as the reader sees it, in the active language."""
    if isinstance(value, dict):
        if "at" in value:
            at = dt.datetime.fromisoformat(value["at"]).astimezone(ZoneInfo(value.get("tz") or "UTC"))
            return date_format(at, "DATETIME_FORMAT")
        if "date" in value:
            return date_format(dt.date.fromisoformat(value["date"]), "DATE_FORMAT")
        if "choice" in value:
            return CHOICES.get(value["choice"], str)(value.get("value", ""))
    if isinstance(value, list):
        return ", ".join(str(display(item)) for item in value)
    return value


@dataclass(frozen=True)
class Rendered:
    title: str
    text: str


def render(message: str, params: Mapping[str, Any], language: str | None = None) -> Rendered:
    """The title and text of ``message`` with ``params``, in ``language`` (else the active one). A key
    no longer known (an old row) shows as itself rather than failing the inbox."""
    found = MESSAGES.get(message)
    with translation.override(language) if language else nullcontext():
        shown = {key: display(value) for key, value in params.items()}
        if found is None:
            return Rendered(message, "")
        try:
            # ``%`` on the lazy text itself: a plural (ngettext_lazy) picks its form from ``count``
            return Rendered(str(found.title % shown), str(found.text % shown))
        except (KeyError, TypeError, ValueError):  # a parameter missing from an old row
            return Rendered(str(found.title), "")
