"""The match engine's promises: owner excluded, visibility respected, real shared terms, determinism,
reciprocity, and an index that follows changes."""

from __future__ import annotations

import re

import numpy as np
import pytest

from helix.core.matching.embedding import HashingEncoder
from helix.core.matching.engine import MatchEngine, UnknownListing
from helix.core.matching.fit import FACTORS, Listing, Viewer
from helix.core.matching.lexical import tokenize
from helix.core.matching.weights import Weights

pytestmark = pytest.mark.unit

ENCODER = HashingEncoder(128)
ANYONE = Viewer()


def listing(key: int, side: str, owner: int, title: str, description: str = "", **kw: object) -> Listing:
    return Listing(
        key=key,
        side=side,  # type: ignore[arg-type]
        owner=owner,
        owner_kind=str(kw.pop("owner_kind", "company")),
        category=str(kw.pop("category", "solution")),
        title=title,
        description=description,
        **kw,  # type: ignore[arg-type]
    )


NEED = listing(
    1,
    "need",
    100,
    "Collective renovation of row houses",
    "Insulation and heat pumps for 400 homes",
    owner_kind="government",
)
OFFERS = [
    listing(10, "offer", 200, "Prefab facade renovation", "Insulated facade elements for row houses"),
    listing(11, "offer", 201, "Heat pumps for homes", "Air-water heat pumps installed in one day"),
    listing(12, "offer", 202, "Street lighting", "LED lanterns with dimming for cities"),
    listing(
        13, "offer", 100, "Renovation advice by the city itself", "Row houses insulation desk"
    ),  # same owner
    listing(
        14,
        "offer",
        203,
        "Renovation of row houses for members",
        "Insulation packages",
        visibility="members",
        clusters=frozenset({7}),
    ),
    listing(
        15,
        "offer",
        204,
        "Renovation of row houses, staff only",
        "Insulation heat pumps",
        visibility="staff",
        clusters=frozenset({7}),
    ),
]


@pytest.fixture
def engine() -> MatchEngine:
    e = MatchEngine(ENCODER)
    e.load([NEED, *OFFERS])
    return e


def test_owner_is_never_suggested_to_itself(engine: MatchEngine) -> None:
    found = engine.matches(NEED, Viewer(is_superuser=True), limit=10)
    assert found
    assert 13 not in {m.candidate for m in found}
    assert all(engine.get(m.candidate).owner != NEED.owner for m in found)


def test_visibility_is_respected(engine: MatchEngine) -> None:
    def candidates(viewer: Viewer) -> set[int]:
        return {m.candidate for m in engine.matches(NEED, viewer, limit=10)}

    assert candidates(ANYONE) == {10, 11, 12}
    assert candidates(Viewer(organisation=999, member_of=frozenset({7}))) == {10, 11, 12, 14}
    assert candidates(Viewer(staff_of=frozenset({7}))) == {10, 11, 12, 14, 15}
    assert candidates(Viewer(organisation=999, member_of=frozenset({8}))) == {10, 11, 12}


def test_explanation_names_words_both_texts_share(engine: MatchEngine) -> None:
    found = engine.matches(NEED, ANYONE, limit=3)
    assert sum(1 for m in found if m.terms) >= 2
    for match in found:
        candidate = engine.get(match.candidate)
        need_terms = set(tokenize(NEED.text, "en"))
        for word in match.terms:
            assert re.search(rf"\b{re.escape(word)}\b", candidate.text), word
            assert tokenize(word, "en")[0] in need_terms, word
        assert match.contributions(engine.weights)[0][1] >= match.contributions(engine.weights)[-1][1]


def test_best_offer_first_and_scores_deterministic(engine: MatchEngine) -> None:
    first = engine.matches(NEED, ANYONE, limit=3)
    assert first[0].candidate in {10, 11}
    assert first[-1].candidate == 12
    again = MatchEngine(ENCODER)
    again.load([*reversed(OFFERS), NEED])
    assert [(m.candidate, m.score) for m in again.matches(NEED, ANYONE, limit=3)] == [
        (m.candidate, m.score) for m in first
    ]
    assert first == engine.matches(NEED, ANYONE, limit=3)


def test_matching_is_reciprocal(engine: MatchEngine) -> None:
    from_need = {m.offer: m.score for m in engine.matches(NEED, Viewer(is_superuser=True), limit=10)}
    offer = engine.get(10)
    from_offer = {m.need: m.score for m in engine.matches(offer, Viewer(is_superuser=True), limit=10)}
    # Same pair, same dense and structured parts; only the lexical part is normalised by the asking
    # listing's best BM25 hit, so the two directions differ by at most the lexical weight.
    assert set(from_offer) == {1}
    assert abs(from_offer[1] - from_need[10]) <= engine.lexical_weight * engine.weights.get("text") + 1e-9
    pair = engine.pair(1, 10)
    assert pair.need == 1
    assert pair.offer == 10


def test_unindexed_query_is_embedded_on_the_fly(engine: MatchEngine) -> None:
    draft = listing(99, "need", 300, "Street lighting with LED lanterns", "Dimming at night")
    assert draft.key not in engine
    assert engine.matches(draft, ANYONE, limit=1)[0].candidate == 12


def test_upsert_and_remove_follow_changes(engine: MatchEngine) -> None:
    engine.remove(12)
    assert 12 not in {m.candidate for m in engine.matches(NEED, ANYONE, limit=10)}
    changed = listing(
        11, "offer", 201, "Collective renovation of row houses", "Insulation and heat pumps for homes"
    )
    engine.upsert(changed)
    assert engine.matches(NEED, ANYONE, limit=1)[0].candidate == 11
    moved = listing(11, "need", 201, "We need street lighting")
    engine.upsert(moved)
    assert 11 not in {m.candidate for m in engine.matches(NEED, ANYONE, limit=10)}
    with pytest.raises(UnknownListing):
        engine.pair(1, 12)


def test_weights_change_the_order(engine: MatchEngine) -> None:
    near = listing(
        20,
        "offer",
        205,
        "Street lighting",
        "LED lanterns with dimming for cities",
        locations=((51.05, 3.72),),
    )
    need = listing(
        2, "need", 101, "Street lighting", "LED lanterns", locations=((51.05, 3.72),), owner_kind="government"
    )
    engine.upsert(near)
    text_only = Weights({"text": 1.0})
    engine.weights = text_only
    tie = {m.candidate: m.score for m in engine.matches(need, ANYONE, limit=5)}
    assert tie[20] == pytest.approx(tie[12], abs=1e-6)
    engine.weights = Weights({"text": 1.0, "distance": 1.0})
    assert engine.matches(need, ANYONE, limit=1)[0].candidate == 20


def test_organisation_matches_group_by_owner(engine: MatchEngine) -> None:
    found = engine.organisation_matches([NEED], ANYONE, limit=5)
    owners = [om.organisation for om in found]
    assert 100 not in owners
    assert len(owners) == len(set(owners)) == 3
    assert all(om.score == om.matches[0].score for om in found)


def test_pairs_for_staff(engine: MatchEngine) -> None:
    pairs = engine.pairs([1, 404], Viewer(staff_of=frozenset({7})), per_need=2)
    assert len(pairs) == 2
    assert all(p.need == 1 for p in pairs)
    assert pairs[0].score >= pairs[1].score


def test_load_checks_vector_shape() -> None:
    e = MatchEngine(ENCODER)
    with pytest.raises(ValueError, match="shape"):
        e.load([NEED], np.zeros((2, ENCODER.dim), dtype=np.float32))


def _random_market(seed: int) -> list[Listing]:
    import random

    rng = random.Random(seed)
    words = [
        "heat",
        "pump",
        "facade",
        "insulation",
        "solar",
        "panel",
        "sensor",
        "network",
        "hydrogen",
        "storage",
        "recycling",
        "steel",
    ]
    kinds = ["company", "government", "knowledge_institution"]
    out = []
    for key in range(1, 161):
        side = "need" if key % 3 == 0 else "offer"
        out.append(
            listing(
                key,
                side,
                rng.randint(1, 40),
                " ".join(rng.sample(words, 3)),
                " ".join(rng.sample(words, 5)),
                owner_kind=rng.choice(kinds),
                category=rng.choice(["solution", "research", "service"]),
                trl=rng.choice([None, *range(1, 10)]),
                keywords=frozenset(rng.sample(words, rng.randint(0, 3))),
                domains=frozenset(rng.sample(range(5), rng.randint(0, 2))),
                visibility=rng.choice(["public", "public", "members"]),
                clusters=frozenset({rng.randint(1, 2)}),
                locations=((50.8 + rng.random(), 4.0 + rng.random()),) if rng.random() < 0.7 else (),
            )
        )
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_best_are_the_same_when_hopeless_candidates_are_not_scored(seed: int) -> None:
    """matches() stops scoring when no candidate left can reach the best; the result must be what
    scoring every candidate gives, for every query, viewer, limit and weights (learned ones too)."""
    import random

    rng = random.Random(seed)
    market = _random_market(seed)
    engine = MatchEngine(ENCODER, dense_candidates=60, lexical_candidates=30)
    engine.load(market)
    viewers = [ANYONE, Viewer(organisation=3, member_of=frozenset({1})), Viewer(is_superuser=True)]
    weight_sets = [Weights(), Weights({name: rng.random() for name in ("text", *FACTORS)})]
    stopped_early = 0
    for weights in weight_sets:
        engine.weights = weights
        for query in market[::4]:
            for viewer in viewers:
                for limit in (1, 5, 10):
                    everything = engine._scored(query, viewer, limit)  # every candidate scored
                    best = engine._scored(query, viewer, limit, best=limit)
                    assert [(m.candidate, m.score) for m in best[:limit]] == [
                        (m.candidate, m.score) for m in everything[:limit]
                    ]
                    stopped_early += len(best) < len(everything)
    assert stopped_early > 0  # the bound does cut candidates


def test_every_structured_factor_lies_between_0_and_1() -> None:
    """What the bound of matches() relies on (engine.FACTOR_MAX)."""
    from helix.core.matching.engine import FACTOR_MAX
    from helix.core.matching.fit import structured_factors

    market = _random_market(9)
    needs = [x for x in market if x.side == "need"]
    offers = [x for x in market if x.side == "offer"]
    values = [f.value for n in needs for o in offers for f in structured_factors(n, o)]
    assert min(values) >= 0.0
    assert max(values) <= FACTOR_MAX
