"""Integration: matching (helix.symbiosis.matching) proposes synergies with reasons and impact, withdraws
the open proposals of a closed flow, and never pairs tonnes with heat."""

from __future__ import annotations

import pytest

from helix.symbiosis import matching, synergy_workflow
from helix.symbiosis.models import Synergy
from tests.symbiosis.helpers import flow, world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_matching_proposes_with_reasons_and_impact() -> None:
    w = world()
    summary = matching.run_matching()
    assert summary["created"] >= 2
    slag = Synergy.objects.get(have=w.slag, want=w.slag_want)
    assert slag.quantity == pytest.approx(3000)  # 250 t/month against 4,000 t/year
    assert slag.unit == "t"
    assert any("the same waste code 10 02 02" in r for r in slag.reasons)
    assert slag.impact["tonnes_diverted"] == pytest.approx(3000)
    assert slag.impact["money_saved_eur"] > 0
    heat = Synergy.objects.get(have=w.heat, want=w.heat_want)
    assert heat.heat["fit"] == "direct"
    assert heat.unit == "MWh"
    assert not Synergy.objects.filter(have=w.secret).exists()  # hazardous: nobody accepts it
    # running again changes nothing and keeps the proposals
    again = matching.run_matching()
    assert again["created"] == 0
    assert again["removed"] == 0


def test_a_flow_closed_withdraws_its_open_proposals_but_not_ongoing_ones() -> None:
    w = world()
    matching.run_matching()
    heat = Synergy.objects.get(have=w.heat, want=w.heat_want)
    synergy_workflow.move(w.staff, heat, "contacted")
    w.slag.status = "closed"
    w.slag.save()
    w.heat.status = "closed"
    w.heat.save()
    result = matching.run_matching()
    assert result["removed"] == 1
    assert not Synergy.objects.filter(have=w.slag).exists()
    assert Synergy.objects.filter(pk=heat.pk, state="contacted").exists()


def test_a_new_want_in_tonnes_is_not_matched_with_heat() -> None:
    w = world()
    flow(
        w.grower, direction="want", kind="material", title="Compost", ewc_code="190503", quantity=50, unit="t"
    )
    matching.run_matching()
    assert not Synergy.objects.filter(have=w.heat, want__title="Compost").exists()
