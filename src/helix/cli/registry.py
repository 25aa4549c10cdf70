"""``helix registry import`` and ``helix registry export``: the registry as CSV or XLSX files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from helix.cli import setup_django
from helix.core.registry.records import RecordKind

PREVIEW_ROWS = 50


@click.group()
def registry() -> None:
    """Import and export organisations, people, sites and memberships."""


@registry.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change; write nothing.")
@click.option(
    "--kind",
    type=click.Choice([k.value for k in RecordKind]),
    help="What a CSV file holds, when its header does not make that clear.",
)
def import_command(path: Path, dry_run: bool, kind: str | None) -> None:
    """Import a CSV file, an XLSX workbook or a folder of CSV files.

    A folder holds organisations.csv, sites.csv, people.csv and/or memberships.csv. Every row is
    checked first; if any has an error, each error is printed and nothing is written.
    """
    setup_django()
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from helix.registry.transfer import import_file

    console = Console(highlight=False)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("reading", total=None)

        def progress(done: int, total: int, message: str) -> None:
            bar.update(task, completed=done, total=total or None, description=message)

        report = import_file(path, dry_run=dry_run, kind=kind, progress=progress)
    if report.ok:
        console.print(_counts_table(report))
    if report.ok and dry_run:
        console.print(_preview_table(report))
    for error in report.errors:
        click.echo(str(error), err=True)
    click.echo(report.summary())
    if not report.ok:
        raise SystemExit(1)


@registry.command("export")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "csv"]),
    default=None,
    help="xlsx: one workbook with four sheets; csv: a folder with one file per kind. "
    "Default: from PATH (.xlsx, else csv).",
)
def export_command(path: Path, fmt: str | None) -> None:
    """Export the whole registry, in the layout that the import reads."""
    setup_django()
    from helix.registry.transfer import export_registry

    fmt = fmt or ("xlsx" if path.suffix.lower() == ".xlsx" else "csv")
    report = export_registry(path, fmt=fmt)
    click.echo(report.summary())


def _counts_table(report: Any) -> Any:
    from rich.table import Table

    table = Table()
    table.add_column("rows")
    verbs = (
        ("would create", "would update", "unchanged")
        if report.dry_run
        else ("created", "updated", "unchanged")
    )
    for heading in verbs:
        table.add_column(heading, justify="right")
    for kind in RecordKind:
        counts = [getattr(report, name).get(kind.value, 0) for name in ("created", "updated", "unchanged")]
        if any(counts):
            table.add_row(kind.value, *(str(n) for n in counts))
    return table


def _preview_table(report: Any) -> Any:
    from rich.table import Table
    from rich.text import Text

    changing = [row for row in report.rows if row.action != "unchanged"]
    table = Table(title="Preview", title_justify="left")
    for heading in ("file", "row", "record", "action", "fields"):
        table.add_column(heading, justify="right" if heading == "row" else "left")
    for row in changing[:PREVIEW_ROWS]:
        cells = (row.file, str(row.row), row.key, row.action, ", ".join(row.changes))
        table.add_row(*(Text(cell) for cell in cells))  # file contents, never markup
    if len(changing) > PREVIEW_ROWS:
        table.caption = f"… and {len(changing) - PREVIEW_ROWS} more rows that change"
    if not changing:
        table.caption = "no row changes anything"
    return table
