"""Documented exchanges in the MAESTRI layout (helix.core.symbiosis.exchanges): codes, columns, separators
and the errors that name their line."""

from __future__ import annotations

import pytest

from helix.core.symbiosis.exchanges import (
    COLUMNS,
    ExchangeFileError,
    read_exchange_file,
    read_exchanges,
    receiver_key,
    split_codes,
)
from tests.helpers.exchanges import HEADER, corpus, csv_text

pytestmark = pytest.mark.unit


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


def test_headers_are_matched_forgiving_case_and_spacing() -> None:
    text = (
        "case number,NACE CODE - Providing industry ,waste description,EWC Code,"
        "Nace code -  Receiving industry\n1,2410,slag,100202,2351\n"
    )
    [e] = read_exchanges(text)
    assert (e.case, e.waste.provider_nace, e.waste.ewc, e.receiver) == ("1", ("2410",), ("100202",), "2351")
