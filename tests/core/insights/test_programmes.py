"""Programme cycles in the core: the cycle's workflow and each phase's exit rule with its code, what a
phase may link, work domains proposed from the open needs (figures written out), and outputs reused by
other cities across languages."""

from __future__ import annotations

from datetime import date

import pytest

from helix.core.insights import programmes as p

pytestmark = pytest.mark.unit

STAFF = {p.STAFF}


def codes(refusals):
    return [r.code for r in refusals]


def test_the_cycle_moves_through_its_four_phases_in_order_and_closes():
    assert p.STATES == (
        "planned",
        "needs_inventory",
        "deepening",
        "trajectories",
        "dissemination",
        "closed",
    )
    assert [p.next_state(s) for s in p.STATES] == [*p.STATES[1:], None]


def test_only_the_next_phase_and_only_staff():
    full = p.PhaseHoldings(needs=1, events=1, projects=1, project_kinds=frozenset({"working_table"}))
    assert codes(p.move_refusals("needs_inventory", "trajectories", full, 2, STAFF)) == ["cycle_move_unknown"]
    assert codes(p.move_refusals("deepening", "needs_inventory", full, 2, STAFF)) == ["cycle_move_unknown"]
    assert codes(p.move_refusals("needs_inventory", "deepening", full, 2, {"member"})) == [
        "cycle_move_not_yours"
    ]
    assert p.move_refusals("planned", "needs_inventory", p.PhaseHoldings(), 0, STAFF) == []


def test_the_needs_inventory_is_left_with_needs_and_work_domains():
    refusals = p.move_refusals("needs_inventory", "deepening", p.PhaseHoldings(), 0, STAFF)
    assert codes(refusals) == ["cycle_needs_missing", "cycle_domains_missing"]
    assert {r.phase for r in refusals} == {"needs_inventory"}
    assert codes(p.move_refusals("needs_inventory", "deepening", p.PhaseHoldings(needs=3), 0, STAFF)) == [
        "cycle_domains_missing"
    ]
    assert p.move_refusals("needs_inventory", "deepening", p.PhaseHoldings(needs=3), 4, STAFF) == []


def test_deepening_needs_a_workshop_or_an_individual_track():
    assert codes(p.move_refusals("deepening", "trajectories", p.PhaseHoldings(needs=5), 4, STAFF)) == [
        "cycle_event_missing"
    ]
    assert p.move_refusals("deepening", "trajectories", p.PhaseHoldings(events=1), 4, STAFF) == []
    assert p.move_refusals("deepening", "trajectories", p.PhaseHoldings(projects=1), 4, STAFF) == []


def test_trajectories_need_a_trajectory_working_table_or_living_lab():
    flagship = p.PhaseHoldings(projects=1, project_kinds=frozenset({"flagship"}))
    assert codes(p.move_refusals("trajectories", "dissemination", flagship, 4, STAFF)) == [
        "cycle_trajectory_missing"
    ]
    for kind in ("innovation_trajectory", "working_table", "living_lab"):
        held = p.PhaseHoldings(projects=1, project_kinds=frozenset({kind}))
        assert p.move_refusals("trajectories", "dissemination", held, 4, STAFF) == []


def test_dissemination_closes_only_with_a_public_output():
    staff_only = p.PhaseHoldings(outputs=2, public_outputs=0)
    assert codes(p.move_refusals("dissemination", "closed", staff_only, 4, STAFF)) == ["cycle_output_missing"]
    assert (
        p.move_refusals("dissemination", "closed", p.PhaseHoldings(outputs=1, public_outputs=1), 4, STAFF)
        == []
    )


@pytest.mark.parametrize(
    ("state", "phase", "kind", "code"),
    [
        ("needs_inventory", "needs_inventory", "need", None),
        ("needs_inventory", "needs_inventory", "output", "cycle_link_kind"),
        ("needs_inventory", "deepening", "event", "cycle_phase_not_started"),
        ("planned", "needs_inventory", "need", "cycle_phase_not_started"),
        ("trajectories", "needs_inventory", "need", None),  # a need found late is still the inventory's
        ("trajectories", "trajectories", "project", None),
        ("dissemination", "dissemination", "need", "cycle_link_kind"),
        ("closed", "dissemination", "output", "cycle_closed"),
        ("deepening", "nowhere", "need", "cycle_phase_unknown"),
    ],
)
def test_a_phase_links_what_it_declares_once_reached(state, phase, kind, code):
    refusal = p.link_refusal(state, phase, kind)
    assert (refusal.code if refusal else None) == code


def test_work_domains_follow_the_open_needs_cities_counting_double_and_recent_needs_more():
    today = date(2026, 9, 1)
    needs = [
        # domain 1: two cities with needs of today -> 2 + 2 = 4
        p.NeedSignal(1, organisation=10, public_body=True, published_on=today, domains=frozenset({1})),
        p.NeedSignal(2, organisation=11, public_body=True, published_on=today, domains=frozenset({1, 2})),
        # domain 2: city 11 (2) and three companies of a year ago (0.5 each) -> 3.5
        p.NeedSignal(
            3, organisation=20, public_body=False, published_on=date(2025, 9, 1), domains=frozenset({2})
        ),
        p.NeedSignal(
            4, organisation=21, public_body=False, published_on=date(2025, 9, 1), domains=frozenset({2})
        ),
        p.NeedSignal(
            5, organisation=22, public_body=False, published_on=date(2025, 9, 1), domains=frozenset({2})
        ),
        # domain 3: one company asking three times today counts once -> 1
        *(
            p.NeedSignal(
                6 + i, organisation=30, public_body=False, published_on=today, domains=frozenset({3})
            )
            for i in range(3)
        ),
        # domain 9 is not the cluster's
        p.NeedSignal(9, organisation=40, public_body=True, published_on=today, domains=frozenset({9})),
    ]
    found = p.propose_work_domains(needs, domains=[1, 2, 3, 4], today=today, previous=[2], count=3)
    assert [(f.domain, f.score) for f in found] == [(1, 4.0), (2, 3.5), (3, 1.0)]
    assert found[0].needs == (1, 2)
    assert found[0].organisations == 2
    assert found[0].public_bodies == 2
    assert found[1].needs == (2, 3, 4, 5)
    assert found[1].public_bodies == 1
    assert [f.previous for f in found] == [False, True, False]
    assert found[2].organisations == 1
    assert found[2].needs == (6, 7, 8)
    # domain 4, which nobody asks for, is never proposed
    assert [f.domain for f in p.propose_work_domains(needs, [1, 2, 3, 4], today, count=10)] == [1, 2, 3]


def test_an_output_answers_a_city_need_in_another_language_but_not_its_makers_own():
    need = p.NeedRecord(
        1,
        "Collectieve renovatie van appartementsgebouwen: een aanbestedingsmodel voor renovatie",
        frozenset({5}),
        organisation=100,
    )
    french = p.OutputRecord(
        10, "Modèle de cahier des charges pour la rénovation collective", frozenset(), frozenset({200})
    )
    lighting = p.OutputRecord(11, "Telemanagement of public lighting", frozenset({6}), frozenset({300}))
    same_domain = p.OutputRecord(12, "Financing guide", frozenset({5}), frozenset({300}))
    own = p.OutputRecord(
        13, "Collectieve renovatie: ons aanbestedingsmodel", frozenset({5}), frozenset({100, 300})
    )
    found = p.reusable_outputs(need, [lighting, french, same_domain, own])
    # the need's terms: colle(ctief), renov(eer), appar(tementsgebouw), aanbe(stedingsmodel); the French
    # output carries two of the four (0.5), the financing guide shares the domain (0.5): a tie, lower id
    assert [(r.output, r.score) for r in found] == [(10, 0.5), (12, 0.5)]
    assert found[0].shared_terms == ("colle", "renov")
    assert found[0].shared_domains == ()
    assert found[1].shared_terms == ()
    assert found[1].shared_domains == (5,)
    # the other way round: the needs an output answers, scored alike
    back = p.needs_for_output(french, [need])
    assert [(r.need, r.score) for r in back] == [(1, 0.5)]
    assert p.needs_for_output(own, [need]) == []
