"""``helix insights``: a cluster's indicators for a period, as the staff pages show them.

``indicators`` computes every indicator (helix.core.insights) for a cluster, optionally one of its
domains, and writes code, label, value, unit, period, how many records it was computed from, and why a
value is missing; to a .json or .csv file, or as a table on the screen. The indicators are the
cluster staff's (helix.insights.permissions), so the command acts as a user (``--as USERNAME``).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import click

from helix.cli import setup_django
from helix.cli.listings import AS_OPTION

FIELDS = ("code", "label", "value", "unit", "period_start", "period_end", "records", "missing", "source")


@click.group()
def insights() -> None:
    """A cluster's indicators: what cluster-excellence labels look at, computed from live data."""


def _explain(error: Any) -> str:
    from helix.insights.explain import explain

    return explain(error)


@insights.command("indicators")
@click.option("--cluster", "cluster_slug", required=True, metavar="SLUG", help="The cluster.")
@click.option("--domain", "domain_slug", metavar="SLUG", help="Only this domain of the cluster.")
@click.option("--from", "start", metavar="YYYY-MM-DD", help="First day (default: 1 January this year).")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="Last day (default: today).")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this .json or .csv file instead of the screen.",
)
@click.option(
    "--language", default="en", type=click.Choice(["en", "nl", "fr", "de"]), help="Labels in this language."
)
@AS_OPTION
def indicators_command(
    cluster_slug: str,
    domain_slug: str | None,
    start: str | None,
    end: str | None,
    output: Path | None,
    language: str,
    username: str | None,
) -> None:
    """Every indicator of a cluster for a period: code, label, value, unit, period, records, missing."""
    if output is not None and output.suffix.lower() not in (".json", ".csv"):
        raise click.BadParameter("write to a .json or a .csv file", param_hint="--output")
    setup_django()
    from django.utils import translation

    from helix.cli.listings import load_user
    from helix.core.insights import indicator
    from helix.insights import labels
    from helix.insights.services import InsightsError, indicator_values, parse_period
    from helix.registry.models import Cluster, Domain

    if not username:
        raise click.UsageError(
            "a cluster's indicators are for its staff, so the command acts as a user: add --as USERNAME "
            "(it gets exactly that user's permissions)."
        )
    user = load_user(username)
    cluster = Cluster.objects.filter(slug=cluster_slug).first()
    if cluster is None:
        raise click.BadParameter(f"no cluster {cluster_slug!r}", param_hint="--cluster")
    domain = None
    if domain_slug:
        domain = Domain.objects.filter(cluster=cluster, slug=domain_slug).first()
        if domain is None:
            raise click.BadParameter(f"no domain {domain_slug!r} in {cluster_slug}", param_hint="--domain")
    try:
        period = parse_period(start, end)
        values = indicator_values(user, cluster, period, domain)
    except InsightsError as error:
        if error.field:
            raise click.BadParameter(_explain(error), param_hint=f"--{error.field}") from None
        raise click.ClickException(_explain(error)) from None
    with translation.override(language):
        rows = []
        for value in values:
            ind = indicator(value.code)
            rows.append(
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
    if output is None:
        width = max(len(r["label"]) for r in rows)
        for r in rows:
            shown = r["value"] if r["value"] is not None else f"– ({r['missing']})"
            click.echo(
                f"{r['label']:<{width}}  {shown} {r['unit'] if r['value'] is not None else ''}".rstrip()
            )
        return
    tmp = output.with_name(output.name + ".part")
    if output.suffix.lower() == ".json":
        document = {
            "cluster": cluster.slug,
            "domain": domain.slug if domain else None,
            "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
            "indicators": rows,
        }
        tmp.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    else:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=FIELDS)
            writer.writeheader()
            for r in rows:
                writer.writerow({k: "" if r[k] is None else r[k] for k in FIELDS})
    tmp.replace(output)
    click.echo(f"{len(rows)} indicators of {cluster.slug} for {period} written to {output}")
