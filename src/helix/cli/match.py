"""``helix match``: rank texts outside the database, with the product's own text ranker."""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

import click


class InputError(click.ClickException):
    """A problem with an input file, naming the file and row."""


def read_id_text(path: Path) -> list[tuple[str, str]]:
    """Rows of a UTF-8 CSV with the columns id,text (a BOM is fine)."""
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
    header = next(reader, None)
    if header is None:
        raise InputError(f"{path.name}: the file is empty")
    names = [h.strip().lower() for h in header]
    if "id" not in names or "text" not in names:
        raise InputError(f"{path.name}, row 1: the header must name the columns id and text (found {header})")
    id_at, text_at = names.index("id"), names.index("text")
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for number, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(id_at, text_at):
            raise InputError(
                f"{path.name}, row {number}: expected columns id and text, found {len(row)} cell(s)"
            )
        row_id, row_text = row[id_at].strip(), row[text_at].strip()
        if not row_id:
            raise InputError(f"{path.name}, row {number}, column id: empty")
        if row_id in seen:
            raise InputError(f"{path.name}, row {number}, column id: {row_id!r} occurs more than once")
        seen.add(row_id)
        rows.append((row_id, row_text))
    return rows


@click.group()
def match() -> None:
    """Match needs and offers."""


@match.command("rank")
@click.option("--corpus", "corpus_path", required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--queries", "queries_path", required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1))
@click.option("--output", "output_path", required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--lexical-weight",
    default=0.3,
    show_default=True,
    type=float,
    help="Weight of BM25 beside the embedding.",
)
def rank(corpus_path: Path, queries_path: Path, top: int, output_path: Path, lexical_weight: float) -> None:
    """Rank CORPUS rows for each QUERIES row (both CSV with columns id,text) into OUTPUT
    (query_id,rank,corpus_id,score), with the product's dense + lexical ranker."""
    from helix.core.matching.embedding import default_encoder
    from helix.core.matching.ranker import HybridTextRanker

    started = time.perf_counter()
    corpus = read_id_text(corpus_path)
    queries = read_id_text(queries_path)
    ranker = HybridTextRanker(default_encoder(), lexical_weight=lexical_weight).fit(corpus)
    ranked = ranker.rank(queries, top)
    with output_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["query_id", "rank", "corpus_id", "score"])
        writer.writerows((r.query_id, r.rank, r.corpus_id, f"{r.score:.6f}") for r in ranked)
    seconds = time.perf_counter() - started
    click.echo(
        f"Ranked {len(corpus):,} corpus texts for {len(queries):,} queries (top {top}) in {seconds:.1f} s "
        f"-> {output_path}",
        file=sys.stderr,
    )
