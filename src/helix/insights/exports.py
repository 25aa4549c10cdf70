"""The indicators as rows and documents for CSV and JSON (the staff's download and ``helix insights
indicators``): code, label in the active language, value, unit, period, records, why it is missing."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from helix.core.insights import Period, Value, indicator
from helix.insights import labels

FIELDS = ("code", "label", "value", "unit", "period_start", "period_end", "records", "missing", "source")


def rows(values: Iterable[Value], period: Period) -> list[dict[str, Any]]:
    out = []
    for value in values:
        ind = indicator(value.code)
        out.append(
            {
                "code": value.code,
                "label": labels.label(ind),
                "value": None if value.value is None else str(value.value),
                "unit": ind.unit.value,
                "period_start": period.start.isoformat(),
                "period_end": period.end.isoformat(),
                "records": len(value.records),
                "missing": value.missing,
                "source": value.source,
            }
        )
    return out


def as_json(cluster: str, domain: str | None, period: Period, table: list[dict[str, Any]]) -> str:
    document = {
        "cluster": cluster,
        "domain": domain,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "indicators": table,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def as_csv(table: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in table:
        writer.writerow({k: "" if row[k] is None else row[k] for k in FIELDS})
    return buffer.getvalue()
