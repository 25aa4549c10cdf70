"""Integration: the synergy page (helix.symbiosis.views.synergies) explains the proposal and offers the
moves."""

from __future__ import annotations

import pytest
from django.test import Client

from helix.symbiosis import matching
from helix.symbiosis.models import Synergy
from tests.factories import member_user
from tests.symbiosis.helpers import world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_synergy_page_explains_and_acts() -> None:
    w = world()
    matching.run_matching()
    s = Synergy.objects.get(have=w.slag, want=w.slag_want)
    c = Client()
    c.force_login(w.steel_user)
    page = c.get(f"/symbiosis/synergies/{s.pk}/").content.decode()
    assert "the same waste code 10 02 02" in page
    assert "Diverted from landfill" in page
    assert 'id="accept-contact"' in page
    c.post(f"/symbiosis/synergies/{s.pk}/accept/")
    s.refresh_from_db()
    assert s.have_accepted
    c.post(f"/symbiosis/synergies/{s.pk}/move/", {"target": "dropped", "note": ""})
    s.refresh_from_db()
    assert s.state == "proposed"  # refused: no reason
    outsider = Client()
    outsider.force_login(member_user(w.outsider, "other"))
    assert outsider.get(f"/symbiosis/synergies/{s.pk}/").status_code == 404
