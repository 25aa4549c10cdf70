"""Documented exchanges in the MAESTRI column layout, written for tests: a CSV text of given rows, and a
small corpus of six parks whose receivers a model can learn (core, app and command-line tests read it)."""

from __future__ import annotations

import csv
import io

from helix.core.symbiosis.exchanges import COLUMNS

HEADER = [
    COLUMNS[k]
    for k in ("case", "provider_nace", "waste_description", "ewc", "receiver_nace", "receiver_name")
]


def csv_text(rows: list[list[str]], header: list[str] = HEADER) -> str:
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
