"""What the organisations of a synergy are told: a new proposal, the other party accepting contact, and
each move of its workflow (contacted, under study, agreed, realised, dropped). Each party's people hear
of it with their own flow's title (an anonymous counterpart stays unnamed). Everything goes through
helix.notifications (the inbox and each person's e-mail preferences)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from helix.notifications.messages import choice
from helix.notifications.services import notify_organisation, once
from helix.symbiosis.models import Synergy


def _sides(synergy: Synergy) -> list[tuple[int, str]]:
    """(organisation, title of that organisation's own flow) for each party."""
    return [
        (synergy.have.organisation_id, synergy.have.title),
        (synergy.want.organisation_id, synergy.want.title),
    ]


def _tell(
    synergy: Synergy, message: str, extra: dict[str, Any], *, skip: Any = None, only: int | None = None
) -> int:
    url = reverse("symbiosis:synergy", args=[synergy.pk])
    return sum(
        notify_organisation(organisation, message, {"flow": title, **extra}, url, skip=skip)
        for organisation, title in _sides(synergy)
        if only is None or organisation == only
    )


def proposed(synergies: Iterable[Synergy]) -> int:
    """New proposals from a matching run: both parties, once per pair of flows ever (a proposal removed
    and proposed again is not told twice)."""
    told = 0
    for synergy in synergies:
        if once(f"symbiosis.proposed:{synergy.have_id}:{synergy.want_id}"):
            told += _tell(synergy, "symbiosis.proposed", {})
    return told


def contact_accepted(synergy: Synergy, by_organisation: int | None) -> int:
    """One party accepted contact: the other party hears it (until both have, nobody is named)."""
    other = next((org for org, _title in _sides(synergy) if org != by_organisation), None)
    if other is None:
        return 0
    return _tell(synergy, "symbiosis.contact_accepted", {}, only=other)


def moved(synergy: Synergy, state: str, actor: Any = None) -> int:
    """The synergy moved to ``state``: both parties, except the person who moved it."""
    return _tell(synergy, "symbiosis.moved", {"state": choice("synergy_state", state)}, skip=actor)
