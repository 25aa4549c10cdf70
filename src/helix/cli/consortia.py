"""``helix consortia``: who would complete a consortium, learned from participation files (no database).

``helix consortia recommend --learn-from participations.csv --queries queries.csv --top 50 --output
ranks.csv`` learns the partner recommender of :mod:`helix.core.consortia` from the participations and
ranks, for each query, the organisations that would complete it. Bad input stops with the file, line
and column (exit code 2) and writes nothing; the output is written to a temporary file and moved into
place only when complete.
"""

from __future__ import annotations

import csv
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from helix.core.consortia import Participation, Query

PARTICIPATION_COLUMNS = (
    "project_id",
    "organisation_id",
    "role",
    "organisation_type",
    "country",
    "programme_part",
    "start_year",
)
QUERY_COLUMNS = ("query_id", "programme_part", "partners")
OUTPUT_COLUMNS = ("query_id", "rank", "organisation_id", "score")
MIN_YEAR, MAX_YEAR = 1900, 2200


class InputError(click.ClickException):
    """A problem with an input file, naming the file, line and column; exit code 2."""

    exit_code = 2


def _records(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {column: stripped cell}) for each non-blank row of a UTF-8 CSV file whose header
    names at least ``columns`` (in any order, any case; a BOM is fine)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"{path.name}, line {line}: not UTF-8 (byte {exc.start})") from None
    reader = csv.reader(text.splitlines())
    try:
        header = next(reader, None)
        if header is None:
            raise InputError(f"{path.name}: the file is empty (expected the columns {', '.join(columns)})")
        names = [h.strip().lower() for h in header]
        missing = [c for c in columns if c not in names]
        if missing:
            raise InputError(
                f"{path.name}, line 1: missing column(s) {', '.join(missing)} "
                f"(expected {', '.join(columns)}; found {', '.join(header)})"
            )
        at = {c: names.index(c) for c in columns}
        for row in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < len(names):
                absent = [c for c in columns if at[c] >= len(row)]
                if absent:
                    raise InputError(
                        f"{path.name}, line {number}, column {absent[0]}: missing "
                        f"({len(row)} cell(s), the header has {len(names)})"
                    )
            yield number, {c: row[at[c]].strip() for c in columns}
    except csv.Error as exc:
        raise InputError(f"{path.name}, line {reader.line_num}: {exc}") from None


def _required(path: Path, number: int, record: dict[str, str], column: str) -> str:
    value = record[column]
    if not value:
        raise InputError(f"{path.name}, line {number}, column {column}: empty")
    return value


def _parts(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.strip() for p in value.split(";") if p.strip()))


def read_participations(path: Path) -> list[Participation]:
    """The rows of a participations file (columns :data:`PARTICIPATION_COLUMNS`; programme_part may
    name several parts separated by ``;``)."""
    from helix.core.consortia import ORGANISATION_TYPES, Participation

    rows = []
    for number, record in _records(path, PARTICIPATION_COLUMNS):
        project = _required(path, number, record, "project_id")
        organisation = _required(path, number, record, "organisation_id")
        kind = record["organisation_type"].upper()
        if kind not in ORGANISATION_TYPES:
            raise InputError(
                f"{path.name}, line {number}, column organisation_type: {record['organisation_type']!r} "
                f"is not one of {', '.join(ORGANISATION_TYPES)}"
            )
        year_text = _required(path, number, record, "start_year")
        try:
            year = int(year_text)
        except ValueError:
            year = 0
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise InputError(f"{path.name}, line {number}, column start_year: {year_text!r} is not a year")
        rows.append(
            Participation(
                project,
                organisation,
                record["role"],
                kind,
                record["country"].upper(),
                _parts(record["programme_part"]),
                year,
            )
        )
    if not rows:
        raise InputError(f"{path.name}: no participations (only a header)")
    return rows


def read_queries(path: Path) -> list[Query]:
    """The queries of a queries file (columns :data:`QUERY_COLUMNS`; partners separated by ``;``)."""
    from helix.core.consortia import Query

    queries = []
    seen: set[str] = set()
    for number, record in _records(path, QUERY_COLUMNS):
        query_id = _required(path, number, record, "query_id")
        if query_id in seen:
            raise InputError(
                f"{path.name}, line {number}, column query_id: {query_id!r} occurs more than once"
            )
        seen.add(query_id)
        partners = _parts(record["partners"])
        if not partners:
            raise InputError(
                f"{path.name}, line {number}, column partners: empty (give organisation ids separated by ;)"
            )
        queries.append(Query(query_id, _parts(record["programme_part"]), partners))
    if not queries:
        raise InputError(f"{path.name}: no queries (only a header)")
    return queries


def write_atomically(path: Path, columns: tuple[str, ...], rows: Iterator[tuple[object, ...]]) -> None:
    """Write the CSV to a temporary file beside ``path`` and move it into place when complete."""
    from helix.spreadsheets import write_csv

    directory = path.resolve().parent
    try:
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror}") from None
    try:
        with os.fdopen(descriptor, "w", newline="", encoding="utf-8") as handle:
            write_csv(handle, columns, rows)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@click.group()
def consortia() -> None:
    """Consortia: rank the organisations that would complete a consortium, learned from participations."""


@consortia.command("recommend")
@click.option(
    "--learn-from",
    "learn_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="participations.csv: project_id,organisation_id,role,organisation_type,country,"
    "programme_part,start_year",
)
@click.option(
    "--queries",
    "queries_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="queries.csv: query_id,programme_part,partners (organisation ids separated by ;)",
)
@click.option("--top", default=50, show_default=True, type=click.IntRange(min=1))
@click.option(
    "--output",
    "output_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="ranks.csv: query_id,rank,organisation_id,score",
)
def recommend(learn_path: Path, queries_path: Path, top: int, output_path: Path) -> None:
    """Learn from LEARN-FROM and write, for each query, the TOP organisations that would complete its
    consortium (never one of its partners), best first, into OUTPUT."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from helix.core.consortia import learn

    started = time.perf_counter()
    rows = read_participations(learn_path)
    queries = read_queries(queries_path)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    console = Console(stderr=True)
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("learning", total=None)

        def progress(done: int, total: int, message: str) -> None:
            bar.update(task, completed=done, total=total or None, description=message)

        recommender = learn(rows, progress=progress)
        ranked = recommender.recommend_many(queries, top, progress)
    table = (
        (query.query_id, rank, suggestion.organisation_id, round(suggestion.score, 6))
        for query, suggestions in zip(queries, ranked, strict=True)
        for rank, suggestion in enumerate(suggestions, start=1)
    )
    write_atomically(output_path, OUTPUT_COLUMNS, table)
    unknown = sum(1 for q in queries if not any(p in recommender.graph.index for p in q.partners))
    seconds = time.perf_counter() - started
    note = f"; {unknown:,} with no partner in the participations" if unknown else ""
    click.echo(
        f"Ranked {recommender.graph.n:,} organisations for {len(queries):,} queries (top {top}{note}) in "
        f"{seconds:.1f} s, {recommender.model.note} -> {output_path}",
        file=sys.stderr,
    )


@consortia.command("fit")
@click.option(
    "--enqueue",
    is_flag=True,
    help="Run it in the background worker as a job (visible on the jobs page) instead of here.",
)
def fit_command(enqueue: bool) -> None:
    """Learn the partner recommender's weights from every consortium and accepted meeting in the
    database; the consortium composer ranks with them from then on. With too few past consortia to
    learn from it says so and the composer keeps its hand-set blend."""
    from helix.cli import setup_django

    setup_django()
    if enqueue:
        from helix.jobs.services import create_job
        from helix.projects.tasks import fit_partner_recommender

        job = create_job("fit_partner_recommender", "Learn the partner recommender")
        fit_partner_recommender.enqueue(job.pk)
        click.echo(f"Job {job.pk} queued: the worker learns the weights.")
        return
    from helix.projects.recommender import fit

    started = time.perf_counter()
    result = fit()
    seconds = time.perf_counter() - started
    if result["learned"]:
        click.echo(
            f"Learned in {seconds:.1f} s from {result['participations']:,} participations: {result['note']}"
        )
    else:
        click.echo(f"Kept the hand-set blend ({result['participations']:,} participations): {result['note']}")
