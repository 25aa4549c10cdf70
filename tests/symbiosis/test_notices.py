"""The organisations of a synergy hear of a new proposal (once), of the other party accepting contact,
and of each move, each with their own flow's title; the person who moved it is not told."""

from __future__ import annotations

import pytest

from helix.notifications.models import Notification
from helix.symbiosis import matching, synergy_workflow
from helix.symbiosis.models import Synergy
from tests.symbiosis.helpers import world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def told(user):  # type: ignore[no-untyped-def]
    return [(n.message, n.params) for n in Notification.objects.filter(recipient=user).order_by("pk")]


def test_proposals_contact_and_moves_are_told_to_the_parties():
    w = world()
    matching.run_matching()
    slag = Synergy.objects.get(have=w.slag, want=w.slag_want)
    assert ("symbiosis.proposed", {"flow": "Blast furnace slag"}) in told(w.steel_user)
    assert ("symbiosis.proposed", {"flow": "Slag for clinker"}) in told(w.cement_user)
    assert told(w.outsider_user) == []
    before = Notification.objects.count()
    matching.run_matching()  # nothing new: nobody told again
    assert Notification.objects.count() == before

    Notification.objects.all().delete()
    synergy_workflow.accept_contact(w.steel_user, slag)
    assert told(w.steel_user) == []
    assert told(w.cement_user) == [("symbiosis.contact_accepted", {"flow": "Slag for clinker"})]
    synergy_workflow.accept_contact(w.cement_user, slag)
    contacted = {"flow": "Blast furnace slag", "state": {"choice": "synergy_state", "value": "contacted"}}
    assert told(w.steel_user) == [("symbiosis.moved", contacted)]

    Notification.objects.all().delete()
    synergy_workflow.move(w.steel_user, slag, "under_study")
    assert told(w.steel_user) == []
    (note,) = Notification.objects.filter(recipient=w.cement_user)
    from helix.notifications.messages import render

    assert render(note.message, note.params, "en").title == "Exchange for “Slag for clinker”: Under study"
