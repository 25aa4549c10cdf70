"""The receiver ranking by smoothed counts backing off along the codes' hierarchies
(helix.core.symbiosis.receiver_counts)."""

from __future__ import annotations

import pytest

from helix.core.matching.embedding import HashingEncoder
from helix.core.symbiosis.exchanges import WasteQuery, read_exchanges
from helix.core.symbiosis.receiver_counts import (
    CountReceiverModel,
    CountSettings,
    provider_chain,
    waste_chain,
)
from tests.helpers.exchanges import csv_text

pytestmark = pytest.mark.unit

CEMENT, STEEL, FEED = "Manufacture of cement", "Manufacture of basic iron and steel", "Manufacture of feeds"


def three_parks() -> str:
    """Slag goes to cement in parks 1 and 2 (twice in park 1), mill scale to steel and blood to feed in 3."""
    return csv_text(
        [
            ["1", "2410", "slag", "100202", "2351", CEMENT],
            ["1", "2410", "granulated slag", "100202", "2351", CEMENT],
            ["2", "2410", "slag", "100202", "2351", CEMENT],
            ["3", "2410", "mill scale", "100210", "2410", STEEL],
            ["3", "1011", "blood", "020202", "1091", FEED],
        ]
    )


def test_the_waste_code_backs_off_from_entry_to_chapter_by_witten_bell() -> None:
    model = CountReceiverModel.learn(read_exchanges(three_parks()))
    p = model.scores(WasteQuery(ewc=("100202",)))
    # base: cases per receiver (1, 2, 1)/4; chapter 10 and sub-chapter 1002: 2351 in 2 cases, 2410 in 1
    # (weight 3/5 each); entry 100202: 2351 in 2 cases (weight 2/3). Park 1's second row adds nothing.
    assert model.labels == ["1091", "2351", "2410"]
    assert list(p) == pytest.approx([0.04 / 3, 0.88, 0.32 / 3])


def test_a_waste_the_file_never_coded_falls_back_to_how_many_cases_each_receiver_is_in() -> None:
    model = CountReceiverModel.learn(read_exchanges(three_parks()))
    assert list(model.scores(WasteQuery(ewc=("170101",)))) == pytest.approx([0.25, 0.5, 0.25])
    assert [r.key for r in model.rank(WasteQuery())] == ["2351", "1091", "2410"]  # ties by code


def test_the_provider_industry_backs_off_from_class_to_section() -> None:
    model = CountReceiverModel.learn(read_exchanges(three_parks()), CountSettings(provider_weight=0.5))
    p = model.scores(WasteQuery(provider_nace=("1011",), ewc=("200101",)))
    # waste part: the base; provider part: section C (no change), then 10, 101, 1011 each halve the rest
    assert list(p) == pytest.approx([0.578125, 0.28125, 0.140625])


def test_without_a_provider_the_list_of_waste_names_the_source_industry() -> None:
    assert provider_chain(WasteQuery(ewc=("020202",))) == [
        [("ps", "C"), ("p2", "10"), ("p3", "101")],
        [("ps", "C"), ("p2", "10"), ("p3", "102")],
    ]
    assert provider_chain(WasteQuery(provider_nace=("171",), ewc=("020202",))) == [
        [("ps", "C"), ("p2", "17"), ("p3", "171")]
    ]
    assert waste_chain(WasteQuery(ewc=("100202", "10"))) == [
        [("e2", "10"), ("e4", "1002"), ("e6", "100202")],
        [("e2", "10")],
    ]


def test_the_literature_prior_proposes_receivers_no_exchange_names() -> None:
    exchanges = read_exchanges(three_parks())
    plain = CountReceiverModel.learn(exchanges)
    prior = CountReceiverModel.learn(exchanges, CountSettings(prior_weight=0.3))
    slag = WasteQuery(ewc=("100202",))
    assert "4211" not in plain.labels
    ranked = prior.rank(slag, top=4)
    assert [r.key for r in ranked[:2]] == ["2351", "2410"]
    roads = next(r for r in prior.rank(slag) if r.key == "4211")
    assert (roads.nace_code, roads.name) == ("4211", "Construction of roads and motorways")
    # the family 10 02 lists six receivers: 0.3 / 6 of the base each, left over by the three levels
    assert roads.score == pytest.approx(0.3 / 6 * (1 - 3 / 5) * (1 - 3 / 5) * (1 - 2 / 3))
    assert prior.scores(slag)[prior.labels.index("1712")] == 0.0  # listed, but for paper, not slag
    assert sum(prior.scores(slag)) == pytest.approx(1.0)
    assert prior.explain(slag, "4211") == ["the literature names 4211 as a receiver of this family of wastes"]


def test_text_votes_for_the_receiver_of_the_closest_documented_waste() -> None:
    rows = [
        ["1", "1011", "blood meal", "020202", "1091", FEED],
        ["2", "1011", "offal for biogas digestion", "020202", "3521", "Manufacture of gas"],
    ]
    exchanges = read_exchanges(csv_text(rows))
    query = WasteQuery(ewc=("020202",), description="offal to biogas digester")
    codes_only = CountReceiverModel.learn(exchanges, CountSettings(text_weight=0.3))  # no encoder: no text
    with_text = CountReceiverModel.learn(exchanges, CountSettings(text_weight=0.3), encoder=HashingEncoder())
    assert codes_only.encoder is None
    assert [r.key for r in codes_only.rank(query)] == ["1091", "3521"]  # a tie, broken by code
    assert [r.key for r in with_text.rank(query)] == ["3521", "1091"]


def test_explanations_name_the_most_specific_evidence() -> None:
    model = CountReceiverModel.learn(read_exchanges(three_parks()), CountSettings(provider_weight=0.25))
    q = WasteQuery(provider_nace=("2410",), ewc=("100202",))
    assert model.explain(q, "2351") == [
        "in 2 of 2 documented cases, a waste with the same EWC entry (100202) went to 2351",
        "in 2 of 3 documented cases, a waste with the same provider industry (2410) went to 2351",
    ]
    assert model.explain(q, "9999") == []


def test_score_of_matches_classes_and_divisions() -> None:
    model = CountReceiverModel.learn(read_exchanges(three_parks()))
    q = WasteQuery(ewc=("100202",))
    assert model.score_of(q, ["23"]) == (pytest.approx(0.88), "2351")
    assert model.score_of(q, ["9999"]) == (0.0, None)


def test_learning_needs_receivers() -> None:
    rows = read_exchanges(csv_text([["1", "2410", "slag", "100202", "", ""]]), require_receiver=False)
    with pytest.raises(ValueError, match="no exchange names a receiving industry"):
        CountReceiverModel.learn(rows)
