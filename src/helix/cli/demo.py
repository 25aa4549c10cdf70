"""``helix demo``: load the demo ecosystem, or generate a synthetic one at scale."""

from __future__ import annotations

import click

from helix.cli import setup_django


@click.group()
def demo() -> None:
    """Load the demo ecosystem or generate a synthetic one at scale."""


def _login_hint(port: int | None) -> str:
    """Where to log in as staff: the address only when the port the server will use is known."""
    from django.urls import reverse

    from helix.registry.demo.seeds import DEMO_PASSWORD

    path = reverse("login")
    if port is None:
        return (
            f"Start the server with `helix serve`, open the address it prints and log in at {path} "
            f"as staff / {DEMO_PASSWORD}"
        )
    return f"Log in at http://127.0.0.1:{port}{path} as staff / {DEMO_PASSWORD}"


@demo.command("load")
@click.option(
    "--port",
    type=click.IntRange(min=1, max=65535),
    default=None,
    help="The port `helix serve` will use, only to print the login address (make demo passes it).",
)
def load(port: int | None) -> None:
    """Load the demo ecosystem (Flux50, the Luxembourg clusters, Smart Energy Cities) and demo logins.

    Idempotent: running it again changes nothing.
    """
    setup_django()
    from helix.demo import load_demo
    from helix.registry.demo.seeds import DEMO_PASSWORD

    report = load_demo()
    for username, what in report.logins:
        click.echo(f"  {username:<14} {DEMO_PASSWORD}   {what}")
    click.echo(report.summary())
    listings = report.listings
    click.echo(
        f"Needs and offers: {listings['needs']} needs and {listings['offers']} offers "
        f"({listings['created']} created, {listings['updated']} updated; "
        f"{listings['embedded']} vectors stored)."
    )
    symbiosis = report.symbiosis
    matching = symbiosis.get("matching", {})
    click.echo(
        f"Industrial symbiosis: {symbiosis.get('created', 0)} flows created, "
        f"{symbiosis.get('updated', 0)} updated, "
        f"{symbiosis.get('exchanges', 0)} documented exchanges imported; "
        f"{matching.get('proposals', 0)} exchanges proposed."
    )
    projects = report.projects
    click.echo(f"Projects: {projects.get('projects', 0)} ({projects.get('created', 0)} created).")
    calls = report.calls
    click.echo(
        f"Calls for proposals: {calls.get('calls', 0)} with {calls.get('applications', 0)} applications "
        f"({calls.get('created', 0)} calls created)."
    )
    roadmaps = report.roadmaps
    click.echo(f"Cluster roadmaps: {roadmaps.get('roadmaps', 0)} ({roadmaps.get('created', 0)} created).")
    insights = report.insights
    click.echo(
        f"Showcase stories: {insights.get('stories', 0)} ({insights.get('created', 0)} demo items created)."
    )
    click.echo(_login_hint(port))


@demo.command("generate")
@click.option(
    "--organisations",
    "-n",
    "count",
    type=click.IntRange(min=1),
    required=True,
    help="How many organisations to add.",
)
@click.option(
    "--seed", type=int, default=1, show_default=True, help="The same seed gives the same ecosystem."
)
@click.option(
    "--clusters",
    type=click.IntRange(min=1),
    default=None,
    help="Spread memberships over this many clusters (demo clusters first; more are invented). "
    "Default: every existing cluster.",
)
@click.option("--replace", is_flag=True, help="Delete the organisations an earlier run generated first.")
def generate(count: int, seed: int, clusters: int | None, replace: bool) -> None:
    """Add a synthetic ecosystem (all sample data): organisations, sites, people and memberships."""
    setup_django()
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from helix.demo import generate_into_database

    with Progress(
        TextColumn("{task.description:<12}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
        console=Console(stderr=True),
    ) as bar:
        tasks = {
            "generate": bar.add_task("Generating", total=count),
            "write": bar.add_task("Writing", total=count),
        }

        def progress(phase: str, done: int, total: int) -> None:
            bar.update(tasks[phase], completed=done, total=total)

        report = generate_into_database(
            count, seed=seed, clusters=clusters, replace=replace, progress=progress
        )
    click.echo(report.summary())
    if report.demo_loaded:
        click.echo(_login_hint(None))
