"""``helix insights``: a cluster's indicators for a period, as the staff pages show them.

``indicators`` computes every indicator (helix.core.insights) for a cluster, optionally one of its
domains, and writes code, label, value, unit, period, how many records it was computed from, and why a
value is missing; to a .json or .csv file, or as a table on the screen. The indicators are the
cluster staff's (helix.insights.permissions), so the command acts as a user (``--as USERNAME``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from helix.cli import setup_django
from helix.cli.listings import AS_OPTION


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
    from helix.insights import exports
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
        table = exports.rows(values, period)
    if output is None:
        width = max(len(r["label"]) for r in table)
        for r in table:
            shown = f"{r['value']} {r['unit']}" if r["value"] is not None else f"– ({r['missing']})"
            click.echo(f"{r['label']:<{width}}  {shown}")
        return
    tmp = output.with_name(output.name + ".part")
    if output.suffix.lower() == ".json":
        text = exports.as_json(cluster.slug, domain.slug if domain else None, period, table)
    else:
        text = exports.as_csv(table)
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(output)
    click.echo(f"{len(table)} indicators of {cluster.slug} for {period} written to {output}")


@insights.command("report")
@click.option("--cluster", "cluster_slug", required=True, metavar="SLUG", help="The cluster.")
@click.option("--year", type=int, help="The calendar year (default: last year).")
@click.option("--from", "start", metavar="YYYY-MM-DD", help="First day, instead of a year.")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="Last day, instead of a year.")
@click.option(
    "--cycle",
    "cycle_id",
    type=int,
    metavar="ID",
    help="The report of a programme cycle of the cluster (its id, as in /programmes/cycles/ID/), over "
    "the cycle's period, instead of a year.",
)
@click.option(
    "--language", default="en", type=click.Choice(["en", "nl", "fr", "de"]), help="The report's language."
)
@click.option(
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this .pdf or .html file.",
)
@AS_OPTION
def report_command(
    cluster_slug: str,
    year: int | None,
    start: str | None,
    end: str | None,
    cycle_id: int | None,
    language: str,
    output: Path,
    username: str | None,
) -> None:
    """A cluster's report for a year (or a period, or one programme cycle), as PDF or HTML, built from
    its indicators."""
    if output.suffix.lower() not in (".pdf", ".html"):
        raise click.BadParameter("write to a .pdf or an .html file", param_hint="--output")
    if sum(x is not None for x in (year, start or end or None, cycle_id)) > 1:
        raise click.UsageError("give one of --year, --from/--to or --cycle")
    setup_django()
    import datetime as dt

    from helix.cli.listings import load_user
    from helix.insights import reports
    from helix.insights.services import InsightsError, allowed, parse_period, year_period
    from helix.registry.models import Cluster

    if not username:
        raise click.UsageError(
            "a cluster's report is made by its staff, so the command acts as a user: add --as USERNAME "
            "(it gets exactly that user's permissions)."
        )
    user = load_user(username)
    cluster = Cluster.objects.filter(slug=cluster_slug).first()
    if cluster is None:
        raise click.BadParameter(f"no cluster {cluster_slug!r}", param_hint="--cluster")
    if not allowed(user, "report", cluster):
        raise click.ClickException(_explain(InsightsError("not_allowed")))
    if cycle_id is not None:
        from helix.core.insights import Period
        from helix.insights.models import Cycle
        from helix.registry.permissions import can

        cycle = Cycle.objects.filter(pk=cycle_id, programme__cluster=cluster).first()
        if cycle is None or not can(user, "report", cycle):
            raise click.BadParameter(
                f"no cycle {cycle_id} of {cluster.slug} you may report on", param_hint="--cycle"
            )
        period = Period(cycle.starts_on, min(cycle.ends_on, max(cycle.starts_on, dt.date.today())))
    elif start or end:
        try:
            period = parse_period(start, end)
        except InsightsError as error:
            raise click.BadParameter(_explain(error), param_hint=f"--{error.field}") from None
    else:
        try:
            period = year_period(year or dt.date.today().year - 1)
        except InsightsError as error:
            raise click.BadParameter(_explain(error), param_hint="--year") from None

    def progress(done: int, total: int, message: str = "") -> None:
        click.echo(f"[{done}/{total}] {message}", err=True)

    report = reports.build(cluster, period, language, progress=progress, cycle_id=cycle_id)
    tmp = output.with_name(output.name + ".part")
    if output.suffix.lower() == ".pdf":
        tmp.write_bytes(reports.as_pdf(report))
    else:
        tmp.write_text(reports.as_html(report), encoding="utf-8")
    tmp.replace(output)
    click.echo(f"{report.title} written to {output}")
