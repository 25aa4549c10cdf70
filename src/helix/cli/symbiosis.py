"""``helix symbiosis``: rank receiving industries from documented exchanges (no database), import
documented exchanges, match a region's flows, allocate a region, and search the European List of Waste."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from helix.cli import setup_django
from helix.cli.listings import AS_OPTION, require_user


def _encoder(name: str) -> Any:
    from helix.core.matching.embedding import HashingEncoder, default_encoder

    if name == "none":
        return None
    if name == "hashing":
        return HashingEncoder()
    return default_encoder()


@click.group()
def symbiosis() -> None:
    """Industrial symbiosis: resource flows, proposed exchanges, network allocation, waste codes."""


@symbiosis.command("rank-receivers")
@click.option(
    "--learn-from",
    "learn_from",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Documented exchanges in the MAESTRI column layout (with receiving industries).",
)
@click.option(
    "--queries",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Wastes to rank receivers for, same layout (receiving columns ignored if present).",
)
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="CSV file; stdout if absent."
)
@click.option(
    "--encoder",
    type=click.Choice(["use", "hashing", "none"]),
    default="use",
    show_default=True,
    help="Text similarity, for a model with a text part: the multilingual sentence encoder shipped with "
    "Helix, a hashing one, or none. The model chosen now has none (docs/decisions/0005).",
)
def rank_receivers(learn_from: Path, queries: Path, top: int, output: Path | None, encoder: str) -> None:
    """For each query row, rank the NACE codes of receiving industries, learning only from LEARN_FROM.

    The model is the one nested leave-one-case-out chose on the shared MAESTRI file (smoothed counts
    backing off from the EWC entry to its chapter, with the receivers the literature names for each
    waste family); where the file has no evidence for a waste, it falls back to those receivers and to
    how many cases each receiver appears in. Output columns: query_index (0 for the first data row of
    QUERIES), rank (1 = best), nace_code (as written in LEARN_FROM; a receiver only the literature names
    is written as its NACE class), score (the model's probability).
    """
    from helix.core.symbiosis.exchanges import ExchangeFileError, read_exchange_file
    from helix.core.symbiosis.receiver_selection import PRODUCT_SETTINGS, learn_receiver_ranking

    skipped: list[int] = []
    try:
        learned = read_exchange_file(str(learn_from), unlabelled=skipped)
        asked = read_exchange_file(str(queries), require_receiver=False)
    except ExchangeFileError as exc:
        raise click.ClickException(str(exc)) from None
    if skipped:
        lines = ", ".join(map(str, skipped[:10])) + (" ..." if len(skipped) > 10 else "")
        click.echo(
            f"{learn_from}: {len(skipped)} rows without a receiving industry or a waste left out "
            f"(lines {lines})",
            err=True,
        )
    if not learned:
        raise click.ClickException(f"{learn_from}: no exchanges to learn from")
    click.echo(
        f"learning from {len(learned)} exchanges in {len({e.case for e in learned})} cases "
        f"({PRODUCT_SETTINGS.describe()}) ...",
        err=True,
    )
    model = learn_receiver_ranking(
        learned, encoder=_encoder(encoder) if PRODUCT_SETTINGS.text_weight else None
    )
    from helix.spreadsheets import write_csv

    out = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout  # noqa: SIM115
    try:
        table = (
            [index, rank, r.nace_code, round(r.score, 6)]
            for index, query in enumerate(asked)
            for rank, r in enumerate(model.rank(query.waste, top=top), start=1)
        )
        write_csv(out, ["query_index", "rank", "nace_code", "score"], table)  # formulas escaped
    finally:
        if output:
            out.close()
    click.echo(
        f"ranked {len(asked)} queries, top {top}" + (f", written to {output}" if output else ""), err=True
    )


@symbiosis.command("import-exchanges")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--source", help="A name for this file's rows (default: the file name); re-importing replaces them."
)
def import_exchanges(path: Path, source: str | None) -> None:
    """Load documented exchanges (MAESTRI layout) that the receiver ranking learns from; all or nothing."""
    setup_django()
    from django.core.exceptions import ValidationError

    from helix.symbiosis.receivers import import_exchanges as run

    try:
        n = run(path.read_text(encoding="utf-8-sig"), source or path.name)
    except ValidationError as exc:
        raise click.ClickException(" ".join(exc.messages)) from None
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    click.echo(f"{n} documented exchanges imported from {path.name}")


def _region_option(f: Any) -> Any:
    return click.option(
        "--region", default="", help="A site region (e.g. oost-vlaanderen); all regions if absent."
    )(f)


def _progress(done: int, total: int, message: str = "") -> None:
    click.echo(f"  {done}/{total} {message}", err=True)


@symbiosis.command("match")
@_region_option
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Also write the proposals as CSV."
)
@AS_OPTION
def match_command(region: str, output: Path | None, username: str | None) -> None:
    """Propose exchanges between the region's haves and wants (stored as proposed synergies)."""
    setup_django()
    from django.core.exceptions import PermissionDenied

    from helix.symbiosis import matching, synergy_workflow, visibility

    user = require_user(username, "helix symbiosis match")
    try:
        summary = matching.match_now(user, region, _progress)
    except PermissionDenied as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"{summary['flows']} flows, {summary['proposals']} proposals: {summary['created']} new, "
        f"{summary['updated']} updated, {summary['removed']} withdrawn"
    )
    if output:
        rows = synergy_workflow.visible_synergies(user).order_by("-score")
        if region:
            rows = rows.filter(have__site__region=region)
        synergies = list(rows)
        # each flow as far as the user may view it, the reasons only where both are
        ids = {pk for s in synergies for pk in (s.have_id, s.want_id)}
        viewable = visibility.viewable_flow_ids(user, ids)
        sides = {s.pk: visibility.synergy_sides(user, s, viewable) for s in synergies}
        columns = [
            "synergy",
            "state",
            "have",
            "have_owner",
            "want",
            "want_owner",
            "score",
            "compatibility",
            "quantity",
            "unit",
            "road_km",
            "money_saved_eur",
            "co2e_avoided_t",
            "reasons",
        ]
        table = (
            [
                s.pk,
                s.state,
                sides[s.pk][0]["title"],
                sides[s.pk][0]["owner"],
                sides[s.pk][1]["title"],
                sides[s.pk][1]["owner"],
                round(s.score, 4),
                round(s.compatibility, 3),
                round(s.quantity, 1),
                s.unit,
                round(s.road_km, 1),
                round(s.impact.get("money_saved_eur", 0)),
                round(s.impact.get("co2e_avoided_t", 0), 1),
                "" if sides[s.pk][0]["withheld"] or sides[s.pk][1]["withheld"] else " | ".join(s.reasons),
            ]
            for s in synergies
        )
        from helix.spreadsheets import write_csv

        with open(output, "w", encoding="utf-8", newline="") as fh:
            write_csv(fh, columns, table)  # text that would run as a formula is escaped
        click.echo(f"written to {output}")


@symbiosis.command("allocate")
@_region_option
@click.option(
    "--fixed-cost",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="EUR a year per exchange link (makes it a mixed-integer programme).",
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the assignments as CSV."
)
@AS_OPTION
@click.pass_obj
def allocate_command(
    obj: dict[str, Any] | None, region: str, fixed_cost: float, output: Path | None, username: str | None
) -> None:
    """Allocate the region's haves to its wants at least total cost; compare with greedy nearest-match."""
    # A caller may put a solver in click's context object (``{"solve": ...}``, as tests pass a fake one to
    # the service); the command line has none and uses the optimal solver.
    solve = (obj or {}).get("solve")
    setup_django()
    from django.core.exceptions import PermissionDenied

    from helix.core.symbiosis import AllocationError
    from helix.symbiosis import allocation, visibility
    from helix.symbiosis.models import ResourceFlow

    user = require_user(username, "helix symbiosis allocate")
    try:
        result = allocation.allocate_now(user, region, fixed_cost, _progress, solve).result
    except PermissionDenied as exc:
        raise click.ClickException(str(exc)) from None
    except AllocationError as exc:
        raise click.ClickException(f"{exc}; earlier allocations are unchanged") from None
    best, greedy = result["optimal"], result["greedy"]
    bound = best["bound_eur"]
    click.echo(f"{result['flows']} flows, {result['proposals']} proposals")
    click.echo(
        f"optimal ({best['status']}): net cost EUR {best['cost_eur']:,.0f} a year "
        f"({len(best['assignments'])} exchanges)"
        + (f", proven bound EUR {bound:,.0f}" if bound is not None else "")
    )
    click.echo(
        f"greedy nearest-match:      net cost EUR {greedy['cost_eur']:,.0f} a year "
        f"({len(greedy['assignments'])} exchanges); saves {result['greedy_share']:.1%} "
        "of the optimum's savings"
    )
    i = best["impact"]
    click.echo(
        f"impact: {i['tonnes_diverted']:,.0f} t diverted, {i['co2e_avoided_t']:,.0f} t CO2e avoided, "
        f"EUR {i['money_saved_eur']:,.0f} saved, {i['energy_mwh']:,.0f} MWh heat"
    )
    if output:
        ids = {a[side] for a in best["assignments"] for side in ("have", "want")}
        viewable = visibility.viewable_flow_ids(user, ids)  # a region may hold other clusters' flows
        flows = {
            f.pk: visibility.flow_shown(user, f, viewable)
            for f in ResourceFlow.objects.filter(pk__in=ids).select_related("organisation", "site")
        }
        columns = ["have", "have_owner", "want", "want_owner", "quantity", "cost_eur", "co2e_avoided_t"]
        table = (
            [
                flows[a["have"]]["title"],
                flows[a["have"]]["owner"],
                flows[a["want"]]["title"],
                flows[a["want"]]["owner"],
                round(a["quantity"], 2),
                round(a["cost_eur"]),
                round(a["impact"]["co2e_avoided_t"], 2),
            ]
            for a in best["assignments"]
        )
        from helix.spreadsheets import write_csv

        with open(output, "w", encoding="utf-8", newline="") as fh:
            write_csv(fh, columns, table)  # text that would run as a formula is escaped
        click.echo(f"written to {output}")


@symbiosis.group("ewc")
def ewc() -> None:
    """The European List of Waste."""


@ewc.command("search")
@click.argument("text", nargs=-1, required=True)
@click.option("--top", type=click.IntRange(min=1, max=50), default=5, show_default=True)
def ewc_search(text: tuple[str, ...], top: int) -> None:
    """Codes that fit a description (Dutch, French, German or English)."""
    from helix.core.symbiosis import waste_list

    found = waste_list().suggest(" ".join(text), top=top)
    if not found:
        raise click.ClickException("no code fits these words")
    for s in found:
        click.echo(f"{s.entry.printed:10s} {s.score:5.2f}  {s.entry.title}")


@ewc.command("show")
@click.argument("code")
def ewc_show(code: str) -> None:
    """A code with its chapter and sub-chapter, or a chapter's children."""
    from helix.core.symbiosis import waste_list
    from helix.core.symbiosis.ewc import UnknownWasteCode

    wl = waste_list()
    try:
        path = wl.path(code)
    except UnknownWasteCode as exc:
        raise click.ClickException(str(exc)) from None
    for depth, e in enumerate(path):
        click.echo(f"{'  ' * depth}{e.printed} {e.title}")
    for child in wl.children(path[-1].code):
        click.echo(f"{'  ' * len(path)}{child.printed} {child.title}")
