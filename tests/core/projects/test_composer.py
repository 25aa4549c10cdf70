"""Unit: the consortium composer. A flagship draft of two companies gets a knowledge institution and a
government suggested for the helix mix, each closing explained; a city host is suggested as such; the
affinity of the recommender adds to a score; and, whatever the draft and the candidates (hypothesis), no
member is suggested, each suggestion takes its best role and breaks no rule, and the order does not depend
on the candidates' order."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helix.core.projects.composer import (
    SUGGESTED_ROLES,
    Affinity,
    Gap,
    ProjectNeeds,
    Suggestion,
    Weights,
    compose,
)
from helix.core.projects.consortium import Member, Organisation, OrganisationKind, Role, check_consortium
from helix.core.projects.problems import Reason
from helix.core.projects.types import project_type, project_types

from .helpers import OTHER, company, coordinator, drafts, government, knowledge, partner, pools

pytestmark = pytest.mark.unit

FLAGSHIP = project_type("flagship")
TRAJECTORY = project_type("innovation_trajectory")

DRAFT = [coordinator(company(1, country="LU")), partner(company(2, sme=False, country="LU"))]
NEEDS = ProjectNeeds(
    competences=frozenset({"Digital twins", "hydrogen"}),
    sectors=frozenset({"62"}),
    value_chain=frozenset({"integrator"}),
)
CANDIDATES = [
    company(12, country="LU", sectors=frozenset({"62.01"})),
    government(13, country="BE"),
    knowledge(10, country="LU", competences=frozenset({"digital twins"})),
    Organisation(14, OTHER, country="LU", value_chain=frozenset({"Integrator"})),
    government(11, country="LU"),
    company(1, country="LU", competences=frozenset({"hydrogen"})),  # a member: never suggested
    company(15, country="LU"),  # closes nothing
]


def _ppp(kind: str, side: str = "public") -> Reason:
    return Reason(
        "composer.closes.public_private",
        {"rule": "public_private", "severity": "advisory", "closed": True, "made_up": 1, "shortfall": 1,
         "kind": kind, "side": side},
        f"As a {kind.replace('_', ' ').replace('government', 'government body')}, it is the {side} partner a "
        "public-private partnership needs.",
    )  # fmt: skip


def _helix(kind: str) -> Reason:
    return Reason(
        "composer.closes.helix_mix",
        {
            "rule": "helix_mix",
            "severity": "advisory",
            "closed": False,
            "made_up": 1,
            "shortfall": 2,
            "kind": kind,
        },
        f"As a {kind.replace('_', ' ').replace('government', 'government body')}, it adds a kind the mix "
        "misses (1 still missing).",
    )


def test_a_flagship_of_two_companies_gets_a_knowledge_institution_and_a_government_suggested() -> None:
    composition = compose(FLAGSHIP, DRAFT, CANDIDATES, NEEDS)
    assert composition.suggestions == (
        Suggestion(
            10,
            Role.PARTNER,
            3.0,
            (
                _ppp("knowledge_institution"),
                _helix("knowledge_institution"),
                Reason(
                    "composer.covers.competence",
                    {"competence": "Digital twins"},
                    "It covers the competence Digital twins, which no member covers.",
                ),
            ),
            3.0,
        ),
        Suggestion(11, Role.PARTNER, 2.0, (_ppp("government"), _helix("government")), 2.0),
        Suggestion(13, Role.PARTNER, 2.0, (_ppp("government"), _helix("government")), 2.0),
        Suggestion(
            12,
            Role.PARTNER,
            1.0,
            (
                Reason(
                    "composer.covers.sector",
                    {"sector": "62"},
                    "It covers the sector 62, which no member covers.",
                ),
            ),
            1.0,
        ),
        Suggestion(
            14,
            Role.PARTNER,
            1.0,
            (
                Reason(
                    "composer.covers.value_chain",
                    {"value_chain": "integrator"},
                    "It covers the value-chain position integrator, which no member covers.",
                ),
            ),
            1.0,
        ),
    )


def test_the_gaps_of_a_flagship_of_two_companies() -> None:
    composition = compose(FLAGSHIP, DRAFT, CANDIDATES, NEEDS)
    ppp, helix = composition.check.advice
    assert composition.gaps == (
        Gap(ppp.code, ppp.params, ppp.text, "advisory", 1.0, ppp),
        Gap(helix.code, helix.params, helix.text, "advisory", 1.0, helix),
        Gap("composer.competence_uncovered", {"competence": "Digital twins"},
            "No member covers the competence Digital twins.", "need", 1.0),
        Gap("composer.competence_uncovered", {"competence": "hydrogen"},
            "No member covers the competence hydrogen.", "need", 1.0),
        Gap("composer.sector_uncovered", {"sector": "62"}, "No member covers the sector 62.", "need", 1.0),
        Gap("composer.value_chain_uncovered", {"value_chain": "integrator"},
            "No member covers the value-chain position integrator.", "need", 1.0),
    )  # fmt: skip
    assert [o.code for o in composition.check.advice] == [
        "consortium.not_public_private",
        "consortium.helix_kinds_missing",
    ]
    assert composition.missing_kinds == (OrganisationKind.KNOWLEDGE_INSTITUTION, OrganisationKind.GOVERNMENT)


def test_a_need_a_member_covers_is_no_gap() -> None:
    draft = [coordinator(company(1, competences=frozenset({"HYDROGEN "}), sectors=frozenset({"62.01"})))]
    needs = ProjectNeeds(competences=frozenset({"hydrogen"}), sectors=frozenset({"62.0", "35"}))
    gaps = compose(FLAGSHIP, draft, [], needs).gaps
    assert [(g.code, g.params) for g in gaps if g.severity == "need"] == [
        ("composer.sector_uncovered", {"sector": "35"})
    ]


def test_a_domain_no_member_works_in_is_a_gap_a_candidate_closes() -> None:
    needs = ProjectNeeds(domains=frozenset({"green heat", "public lighting"}))
    draft = [coordinator(company(1, country="LU", domains=frozenset({"public lighting"})))]
    candidates = [
        company(2, country="LU", domains=frozenset({"Green heat"})),
        company(3, domains=frozenset({"green heat"})),
    ]
    composition = compose(FLAGSHIP, draft, candidates, needs)
    assert [(g.code, g.params) for g in composition.gaps if g.severity == "need"] == [
        ("composer.domain_uncovered", {"domain": "green heat"})
    ]
    assert composition.suggestions[0].closes[-1] == Reason(
        "composer.covers.domain",
        {"domain": "green heat"},
        "It covers the domain green heat, which no member covers.",
    )
    assert [s.organisation for s in composition.suggestions] == [3, 2]  # domains are compared as they are


def test_a_government_is_suggested_as_city_host_where_one_is_expected() -> None:
    draft = [coordinator(company(1))]
    candidates = [government(20), knowledge(21), company(22)]
    suggestions = compose(TRAJECTORY, draft, candidates).suggestions
    assert [(s.organisation, s.role, s.score, [r.code for r in s.closes]) for s in suggestions] == [
        (20, Role.CITY_HOST, 4.0, ["composer.closes.role_present", "composer.closes.helix_mix"]),
        (21, Role.KNOWLEDGE_PARTNER, 1.0, ["composer.closes.role_present"]),
    ]
    assert suggestions[0].closes[0] == Reason(
        "composer.closes.role_present",
        {
            "rule": "role_present",
            "severity": "hard",
            "closed": True,
            "made_up": 1,
            "shortfall": 1,
            "role": "city_host",
        },
        "It takes the role of city host, which the project expects.",
    )


def test_smes_countries_and_organisations_closings_are_explained() -> None:
    horizon = project_type("horizon_collaborative")
    draft = [coordinator(company(1, country="NO"))]
    reasons = compose(horizon, draft, [company(2, country="FR")]).suggestions[0].closes
    assert [(r.code, r.params.get("country"), r.text) for r in reasons] == [
        ("composer.closes.min_organisations", None,
         "It adds an independent organisation to the consortium (1 still missing)."),
        ("composer.closes.min_countries", "FR",
         "Established in FR, it adds a country the rule asks for (1 still missing)."),
        ("composer.closes.country_in", "FR", "Established in FR, it adds a country the rule asks for."),
    ]  # fmt: skip
    business = project_type("transformation_business")
    sme = compose(business, [coordinator(company(1, sme=False))], [company(2, sme=True)]).suggestions[0]
    assert [r.text for r in sme.closes] == [
        "It adds an independent organisation to the consortium.",
        "As an SME, it adds to the SMEs the consortium needs.",
    ]


def test_a_company_completing_a_partnership_is_its_private_side() -> None:
    closes = (
        compose(FLAGSHIP, [coordinator(knowledge(1, country="LU"))], [company(2, country="LU")])
        .suggestions[0]
        .closes
    )
    assert closes[1] == Reason(
        "composer.closes.public_private",
        {"rule": "public_private", "severity": "advisory", "closed": True, "made_up": 1, "shortfall": 1,
         "kind": "company", "side": "private"},
        "As a company, it is the private partner a public-private partnership needs.",
    )  # fmt: skip


def test_hard_gaps_weigh_more_than_advice() -> None:
    # A lone LU company: a second organisation is hard (2), a public partner and the mix advisory (1 each).
    draft = [coordinator(company(1, country="LU"))]
    suggestions = compose(
        FLAGSHIP, draft, [company(2, country="BE"), government(3, country="BE")]
    ).suggestions
    assert [(s.organisation, s.score) for s in suggestions] == [(3, 4.0), (2, 2.0)]
    heavy = compose(
        FLAGSHIP, draft, [company(2, country="BE"), government(3, country="BE")], weights=Weights(hard=5)
    )
    assert [(s.organisation, s.score) for s in heavy.suggestions] == [(3, 7.0), (2, 5.0)]


def test_the_affinity_adds_to_the_score_and_brings_in_candidates_that_close_nothing() -> None:
    co_participation = Reason(
        "consortia.co_participation", {"projects": 3}, "Worked with your partners in 3 projects."
    )
    affinity = {
        12: Affinity(1.5, (co_participation,)),
        15: Affinity(0.5),
        1: Affinity(9.0),
        13: Affinity(0.0),
    }
    suggestions = compose(FLAGSHIP, DRAFT, CANDIDATES, NEEDS, affinity).suggestions
    assert [(s.organisation, s.score, s.gap_score, s.affinity) for s in suggestions] == [
        (10, 3.0, 3.0, 0.0),
        (12, 2.5, 1.0, 1.5),
        (11, 2.0, 2.0, 0.0),
        (13, 2.0, 2.0, 0.0),
        (14, 1.0, 1.0, 0.0),
        (15, 0.5, 0.0, 0.5),
    ]
    assert suggestions[1].affinity_reasons == (co_participation,)
    weighted = compose(FLAGSHIP, DRAFT, CANDIDATES, NEEDS, affinity, Weights(affinity=2.0)).suggestions
    assert [(s.organisation, s.score) for s in weighted][:2] == [(12, 4.0), (10, 3.0)]


def test_the_best_come_first_and_top_cuts() -> None:
    assert [s.organisation for s in compose(FLAGSHIP, DRAFT, CANDIDATES, NEEDS, top=2).suggestions] == [
        10,
        11,
    ]


def test_a_candidate_listed_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="candidate 3 is listed twice"):
        compose(FLAGSHIP, DRAFT, [government(3), knowledge(3)])


def test_a_candidate_that_would_break_a_rule_in_every_role_it_may_take_is_left_out() -> None:
    # A working table that only has city hosts besides its coordinator: a company may not be a city host.
    hosts_only = dataclasses.replace(
        project_type("working_table"), roles=frozenset({Role.COORDINATOR, Role.CITY_HOST})
    )
    draft = [coordinator(government(1))]
    composition = compose(hosts_only, draft, [company(2), government(3)])
    assert [(s.organisation, s.role, [r.code for r in s.closes]) for s in composition.suggestions] == [
        (3, Role.CITY_HOST, ["composer.closes.min_organisations"])
    ]


def test_an_empty_draft_misses_its_coordinator_which_no_candidate_closes() -> None:
    composition = compose(FLAGSHIP, [], [company(1, country="LU")])
    assert composition.gaps[0].code == "consortium.no_coordinator"
    assert [r.code for r in composition.suggestions[0].closes] == [
        "composer.closes.min_organisations",
        "composer.closes.public_private",
        "composer.closes.helix_mix",
        "composer.closes.country_in",
    ]


# -- whatever the draft and the candidates -----------------------------------------------------------------


def _score(t, draft: list[Member], candidate: Organisation, role: Role, weights: Weights) -> float | None:
    """The rules' part of a candidate's score in ``role``, recomputed; None when it breaks a rule."""
    before = check_consortium(draft, t.rules).outcomes
    after = check_consortium([*draft, Member(candidate, role)], t.rules).outcomes
    if any(b.passed and not a.passed for b, a in zip(before, after, strict=True)):
        return None
    return sum(
        (weights.hard if b.severity.value == "hard" else weights.advisory) * (b.shortfall - a.shortfall)
        for b, a in zip(before, after, strict=True)
    )


@st.composite
def cases(draw: st.DrawFn):
    pool = draw(pools())
    draft = draw(drafts(pool))
    ids = [o.id for o in pool]
    scored = draw(st.lists(st.sampled_from(ids), unique=True)) if ids else []
    affinity = {i: Affinity(draw(st.sampled_from([0.0, 0.25, 1.0]))) for i in scored}
    needs = ProjectNeeds(
        competences=frozenset(
            draw(st.lists(st.sampled_from(["heat pumps", "Hydrogen", "robots"]), max_size=2))
        ),
        sectors=frozenset(draw(st.lists(st.sampled_from(["62", "35.1", "13.96"]), max_size=2))),
        value_chain=frozenset(draw(st.lists(st.sampled_from(["supplier", "user"]), max_size=1))),
        domains=frozenset(draw(st.lists(st.sampled_from(["green heat", "e-mobility hubs"]), max_size=1))),
    )
    t = draw(st.sampled_from(list(project_types().values())))
    return t, draft, pool, needs, affinity


@settings(max_examples=200, deadline=None)
@given(cases(), st.randoms(use_true_random=False))
def test_suggestions_are_never_members_take_their_best_role_and_do_not_depend_on_order(case, random) -> None:
    t, draft, pool, needs, affinity = case
    weights = Weights()
    composition = compose(t, draft, pool, needs, affinity)
    members = {m.id for m in draft}
    suggested = [s.organisation for s in composition.suggestions]

    assert not members & set(suggested)
    assert len(suggested) == len(set(suggested))
    assert composition.check == check_consortium(draft, t.rules)

    shuffled = list(pool)
    random.shuffle(shuffled)
    assert compose(t, draft, shuffled, needs, affinity) == composition

    by_id = {o.id: o for o in pool}
    need_gaps = [g for g in composition.gaps if g.severity == "need"]
    keys = [(-s.score, -len(s.closes), s.organisation) for s in composition.suggestions]
    assert keys == sorted(keys)
    for s in composition.suggestions:
        candidate = by_id[s.organisation]
        assert s.role in t.roles
        assert s.role is not Role.COORDINATOR
        roles = [r for r in SUGGESTED_ROLES if r in t.roles]
        scores = [x for x in (_score(t, draft, candidate, r, weights) for r in roles) if x is not None]
        rules_part = _score(t, draft, candidate, s.role, weights)
        assert rules_part == max(scores)
        needs_part = sum(1.0 for r in s.closes if r.code.startswith("composer.covers."))
        assert s.gap_score == rules_part + needs_part
        assert s.score == s.gap_score + s.affinity
        assert s.closes or s.affinity > 0
    for candidate in pool:  # whoever is left out closes nothing in any role, or breaks a rule in each
        if candidate.id in members or candidate.id in suggested:
            continue
        scores = [_score(t, draft, candidate, r, weights) for r in SUGGESTED_ROLES if r in t.roles]
        if any(x is not None for x in scores):
            assert max(x for x in scores if x is not None) == 0
            assert not any(_covers(candidate, g) for g in need_gaps)
            assert affinity.get(candidate.id, Affinity(0.0)).score == 0


def _covers(candidate: Organisation, gap: Gap) -> bool:
    ((kind, value),) = gap.params.items()
    if kind == "sector":
        return any(code.startswith(str(value)) for code in candidate.sectors)
    if kind == "domain":
        return value in candidate.domains
    held = candidate.competences if kind == "competence" else candidate.value_chain
    return str(value).casefold() in {h.casefold() for h in held}
