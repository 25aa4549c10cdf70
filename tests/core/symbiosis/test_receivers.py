"""Documented exchanges in the MAESTRI layout, and the receiver ranking learned from them."""

from __future__ import annotations

import numpy as np
import pytest

from helix.core.matching.embedding import HashingEncoder
from helix.core.symbiosis.exchanges import (
    COLUMNS,
    ExchangeFileError,
    WasteQuery,
    read_exchange_file,
    read_exchanges,
    receiver_key,
    split_codes,
)
from helix.core.symbiosis.receivers import (
    ReceiverModel,
    chapter_count_baseline,
    evaluate_leave_one_case_out,
    model_ranking,
)
from tests.core.scheduling.shared_data import maestri_exchanges

pytestmark = pytest.mark.unit

HEADER = [
    COLUMNS[k]
    for k in ("case", "provider_nace", "waste_description", "ewc", "receiver_nace", "receiver_name")
]


def csv_text(rows: list[list[str]], header: list[str] = HEADER) -> str:
    import csv
    import io

    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue()


def corpus() -> str:
    """Six parks: steel slag goes to cement, organic waste to biogas, fuel gas to power, whey to farms.
    Each park words its wastes differently, as real ones do; the codes are what carries over."""
    slag = [
        "blast furnace slag",
        "BOF slag",
        "ladle residue",
        "granulated slag",
        "steelworks by-product",
        "slag",
    ]
    organic = ["offal", "animal tissue", "abattoir residues", "meat waste", "organic sludge", "carcass parts"]
    fuel = ["fuel gas", "off-gas", "refinery gas", "tail gas", "flare gas", "process gas"]
    rows = []
    for case in range(1, 7):
        c, i = str(case), case - 1
        rows += [
            [c, "2410", slag[i], "100202", "2351", "Manufacture of cement"],
            [c, "2410*", slag[(i + 1) % 6], "100202#", "2351", "Manufacture of cement"],
            [c, "1011", organic[i], "020202", "3521", "Manufacture of gas"],
            [c, "1920", fuel[i], "050799", "3511", "Production of electricity"],
        ]
        if case % 2:
            rows.append([c, "1051", "whey from cheese making", "020501", "0150", "Mixed farming"])
    rows.append(["7", "2410", "slag fines", "100202", "4211", "Construction of roads"])
    return csv_text(rows)


def test_codes_lose_their_markers_and_keep_their_order() -> None:
    assert split_codes("200108;200125*") == ("200108", "200125")
    assert split_codes(" 3811* ") == ("3811",)
    assert split_codes("") == ()
    assert receiver_key("011;012") == "011;012"


def test_reading_a_file_in_the_maestri_layout() -> None:
    exchanges = read_exchanges(corpus())
    assert len(exchanges) == 28
    first = exchanges[0]
    assert first.case == "1"
    assert first.waste.provider_nace == ("2410",)
    assert first.waste.ewc == ("100202",)
    assert first.receiver == "2351"
    assert first.line == 2


def test_semicolon_separated_files_are_read_too() -> None:
    text = corpus().replace(",", ";").replace('"', "")
    assert len(read_exchanges(text)) == 28


def test_a_missing_column_is_named() -> None:
    header = [h for h in HEADER if h != COLUMNS["ewc"]]
    with pytest.raises(ExchangeFileError, match="column\\(s\\) missing: 'EWC code'"):
        read_exchanges(csv_text([["1", "2410", "slag", "2351", "x"]], header))


def test_a_row_without_receiver_names_its_line() -> None:
    text = csv_text([["1", "2410", "slag", "100202", "2351", "x"], ["1", "2410", "slag", "100202", "", "x"]])
    with pytest.raises(ExchangeFileError, match="line 3: 'NACE code - Receiving industry' is empty"):
        read_exchanges(text)
    # a query file may leave the receiver out
    assert len(read_exchanges(text, require_receiver=False)) == 2


def test_an_empty_file_and_a_non_utf8_file(tmp_path) -> None:
    with pytest.raises(ExchangeFileError, match="empty"):
        read_exchanges("")
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(corpus().replace("slag", "sl\u00e4g").encode("latin-1"))
    with pytest.raises(ExchangeFileError, match="not UTF-8"):
        read_exchange_file(str(bad))


@pytest.mark.parametrize("encoder", [None, HashingEncoder()])
def test_the_model_learns_who_takes_what(encoder) -> None:
    model = ReceiverModel.learn(read_exchanges(corpus()), encoder=encoder)
    slag = model.rank(WasteQuery(provider_nace=("2410",), ewc=("100202",), description="slag"), top=3)
    assert slag[0].key == "2351"
    assert slag[0].name == "Manufacture of cement"
    fuel = model.rank(WasteQuery(provider_nace=("1920",), ewc=("050799",), description="fuel gas"))
    assert fuel[0].key == "3511"
    assert sum(r.score for r in fuel) == pytest.approx(1.0)
    # a waste the model has seen only through its EWC chapter still ranks by that evidence
    organic = model.rank(WasteQuery(ewc=("020202",), description="chicken feathers"), top=2)
    assert organic[0].key == "3521"


def test_the_spelling_written_in_the_file_is_returned() -> None:
    rows = [[str(c), "2410", "slag", "100202", "3811*", "Waste collection"] for c in range(1, 4)]
    rows += [[str(c), "1011", "offal", "020202", "3521", "Gas"] for c in range(1, 4)]
    model = ReceiverModel.learn(read_exchanges(csv_text(rows)))
    top = model.rank(WasteQuery(provider_nace=("2410",), ewc=("100202",)), top=1)[0]
    assert (top.key, top.nace_code) == ("3811", "3811*")


def test_explanations_name_the_documented_evidence() -> None:
    model = ReceiverModel.learn(read_exchanges(corpus()), encoder=HashingEncoder())
    q = WasteQuery(provider_nace=("2410",), ewc=("100202",), description="blast furnace slag")
    lines = model.explain(q, "2351", limit=10)
    assert any("the same EWC entry (100202) went to 2351" in line for line in lines)
    assert any("closest documented waste: 'blast furnace slag'" in line for line in lines)
    assert model.explain(q, "9999") == []


def test_score_of_matches_classes_and_divisions() -> None:
    model = ReceiverModel.learn(read_exchanges(corpus()))
    q = WasteQuery(provider_nace=("2410",), ewc=("100202",))
    p, label = model.score_of(q, ["2351"])
    assert label == "2351"
    assert p == pytest.approx(float(model.scores(q)[model.labels.index("2351")]))
    assert model.score_of(q, ["23"])[1] == "2351"  # a division covers its classes
    assert model.score_of(q, ["9999"]) == (0.0, None)


def test_learning_needs_receivers() -> None:
    with pytest.raises(ValueError, match="no exchange names a receiving industry"):
        ReceiverModel.learn(
            read_exchanges(corpus().split("\n")[0] + "\n1,2410,slag,100202,,x\n", require_receiver=False)
        )


def test_leave_one_case_out_never_sees_the_held_out_case() -> None:
    # case 7 holds the only road-construction receiver: with case 7 held out it cannot be ranked.
    exchanges = read_exchanges(corpus())
    seen: list[set[str]] = []

    def spy(train, test):
        seen.append({e.case for e in train} & {e.case for e in test})
        return [[] for _ in test]

    result = evaluate_leave_one_case_out(exchanges, spy)
    assert all(not overlap for overlap in seen)
    assert result["hr@10"] == 0
    assert result["queries"] == 28
    assert result["cases"] == 7


@pytest.mark.skipif(
    maestri_exchanges() is None, reason="the shared MAESTRI file (../shared/data/symbiosis) is absent"
)
def test_on_the_shared_maestri_file_the_model_beats_the_chapter_count_baseline() -> None:
    exchanges = read_exchange_file(str(maestri_exchanges()))
    baseline = evaluate_leave_one_case_out(exchanges, chapter_count_baseline)
    learned = evaluate_leave_one_case_out(exchanges, model_ranking(HashingEncoder()))
    assert baseline["hr@10"] == pytest.approx(0.441, abs=0.03)  # the README's "about 46%"
    assert learned["hr@10"] > baseline["hr@10"] + 0.02
    assert learned["hr@5"] > baseline["hr@5"] + 0.04
    assert learned["mrr"] > baseline["mrr"]


def test_weights_are_finite_and_fitted() -> None:
    model = ReceiverModel.learn(read_exchanges(corpus()))
    assert np.all(np.isfinite(model.weights))
    assert np.any(model.weights != 0)


def test_a_large_file_is_thinned_for_the_fit_but_counted_whole() -> None:
    exchanges = read_exchanges(corpus())
    full = ReceiverModel.learn(exchanges)
    thin = ReceiverModel.learn(exchanges, max_fit_cells=1)  # every row skipped but one per stride
    assert np.array_equal(full._counts, thin._counts)  # the evidence is always all of it
    slag = WasteQuery(provider_nace=("2410",), ewc=("100202",), description="slag")
    assert thin.rank(slag, top=1)[0].key == "2351"


def test_headers_are_matched_forgiving_case_and_spacing() -> None:
    text = (
        "case number,NACE CODE - Providing industry ,waste description,EWC Code,"
        "Nace code -  Receiving industry\n1,2410,slag,100202,2351\n"
    )
    [e] = read_exchanges(text)
    assert (e.case, e.waste.provider_nace, e.waste.ewc, e.receiver) == ("1", ("2410",), ("100202",), "2351")
