"""Integration: the synergy workflow (helix.symbiosis.synergy_workflow) moves through its states with roles,
reasons and history; realised synergies report quantities in compatible units and finite numbers only,
and the dashboard sums them over time."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from helix.symbiosis import matching, synergy_workflow
from helix.symbiosis.models import Synergy, SynergyEvent
from tests.symbiosis.helpers import realised, world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_the_workflow_with_roles_reasons_and_history() -> None:
    w = world()
    matching.run_matching()
    s = Synergy.objects.get(have=w.slag, want=w.slag_want)
    with pytest.raises(PermissionDenied):
        synergy_workflow.move(w.outsider_user, s, "dropped", "no")
    with pytest.raises(ValidationError, match="both_parties"):
        synergy_workflow.move(w.steel_user, s, "contacted")  # one party cannot make contact alone
    synergy_workflow.accept_contact(w.steel_user, s)
    s.refresh_from_db()
    assert s.state == "proposed"
    assert s.have_accepted
    assert not s.want_accepted
    synergy_workflow.accept_contact(w.cement_user, s)
    s.refresh_from_db()
    assert s.state == "contacted"
    with pytest.raises(ValidationError, match="no transition from 'contacted' to 'realised'"):
        synergy_workflow.move(w.steel_user, s, "realised")
    synergy_workflow.move(w.steel_user, s, "under_study")
    synergy_workflow.move(w.cement_user, s, "agreed")
    with pytest.raises(ValidationError, match="Say why"):
        synergy_workflow.move(w.cement_user, s, "dropped", "  ")
    synergy_workflow.move(w.cement_user, s, "realised")
    history = list(SynergyEvent.objects.filter(synergy=s).values_list("from_state", "to_state"))
    assert history == [
        ("proposed", "contacted"),
        ("contacted", "under_study"),
        ("under_study", "agreed"),
        ("agreed", "realised"),
    ]


def test_dropping_needs_a_reason_and_staff_can_reopen() -> None:
    w = world()
    matching.run_matching()
    s = Synergy.objects.get(have=w.slag, want=w.slag_want)
    synergy_workflow.move(w.cement_user, s, "dropped", "quality too variable")
    s.refresh_from_db()
    assert (s.state, s.dropped_reason) == ("dropped", "quality too variable")
    with pytest.raises(ValidationError):
        synergy_workflow.move(w.cement_user, s, "proposed")
    synergy_workflow.move(w.staff, s, "proposed")
    s.refresh_from_db()
    assert s.state == "proposed"
    assert s.dropped_reason == ""


def test_reports_convert_units_and_refuse_other_dimensions() -> None:
    w = world()
    s = realised(w)
    end = dt.date(2026, 3, 31)
    r = synergy_workflow.report(w.cement_user, s, period_end=end, quantity=700_000, unit="kg")
    assert (r.quantity, r.unit) == (pytest.approx(700), "t")
    assert r.money_saved_eur == pytest.approx(s.impact["money_saved_eur"] * 700 / s.quantity)
    with pytest.raises(ValidationError, match=r"cannot convert MWh \(energy\) to t \(mass\)"):
        synergy_workflow.report(w.cement_user, s, period_end=dt.date(2026, 3, 31), quantity=5, unit="MWh")
    with pytest.raises(PermissionDenied):
        synergy_workflow.report(w.outsider_user, s, period_end=dt.date(2026, 3, 31), quantity=5, unit="t")


def test_only_realised_synergies_report() -> None:
    w = world()
    matching.run_matching()
    s = Synergy.objects.get(have=w.slag, want=w.slag_want)
    with pytest.raises(ValidationError, match="Only a realised synergy"):
        synergy_workflow.report(w.cement_user, s, period_end=dt.date(2026, 3, 31), quantity=5, unit="t")


def test_totals_over_time_on_the_dashboard() -> None:
    w = world()
    s = realised(w)
    synergy_workflow.report(
        w.cement_user, s, period_end=dt.date(2026, 2, 28), quantity=200, unit="t", co2e_avoided_t=80
    )
    synergy_workflow.report(
        w.cement_user, s, period_end=dt.date(2026, 3, 31), quantity=300, unit="t", co2e_avoided_t=120
    )
    synergy_workflow.report(
        w.cement_user, s, period_end=dt.date(2026, 5, 31), quantity=250, unit="t", co2e_avoided_t=100
    )
    rows = synergy_workflow.totals(w.staff)
    assert [(r["period_end"], r["quantity"], r["cumulative_quantity"]) for r in rows] == [
        (dt.date(2026, 3, 31), 500, 500),
        (dt.date(2026, 6, 30), 250, 750),
    ]
    assert rows[-1]["cumulative_co2e_t"] == 300
    assert synergy_workflow.totals(w.outsider_user) == []
    c = Client()
    c.force_login(w.staff)
    page = c.get("/symbiosis/dashboard/").content.decode()
    assert "<td>30 June 2026</td>" in page  # English as read in Belgium: day first


REPORT_CASES = [
    ({"quantity": math.nan}, {"quantity": ["Give a number from 0 to 1e+15."]}),
    ({"quantity": -3.0}, {"quantity": ["Give a number from 0 to 1e+15."]}),
    (
        {"quantity": 5.0, "co2e_avoided_t": math.inf},
        {"co2e_avoided_t": ["Give a number from -1e+15 to 1e+15."]},
    ),
    (
        {"quantity": 5.0, "money_saved_eur": 1e300},
        {"money_saved_eur": ["Give a number from -1e+15 to 1e+15."]},
    ),
]


def test_a_report_with_a_number_that_is_not_one_is_refused():
    import datetime as dt

    w = world()
    matching.run_matching()
    synergy = Synergy.objects.get(have=w.slag, want=w.slag_want)
    Synergy.objects.filter(pk=synergy.pk).update(state="realised")
    synergy.refresh_from_db()

    for numbers, errors in REPORT_CASES:
        with pytest.raises(ValidationError) as refused:
            synergy_workflow.report(w.staff, synergy, period_end=dt.date(2025, 3, 31), unit="t", **numbers)
        assert refused.value.message_dict == errors
    assert synergy.reports.count() == 0
    synergy_workflow.report(w.staff, synergy, period_end=dt.date(2025, 3, 31), unit="t", quantity=5.0)
    assert synergy.reports.count() == 1
