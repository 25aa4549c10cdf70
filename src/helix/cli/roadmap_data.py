"""``helix roadmap list|show|validate|whatif|export|import|move``: the cluster roadmaps in the database.

Reading shows what the given user may see (anonymous: public roadmaps out of draft). Changing acts as a
user (``--as USERNAME``) with exactly that user's permissions, through the same services as the pages; a
refusal is said as the pages say it (helix.roadmaps.explain). The levelling of a PSPLIB instance and its
check need no database (helix.cli.roadmap_level).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from helix.cli import setup_django
from helix.cli.listings import AS_OPTION, require_user
from helix.cli.roadmap import roadmap

FORMATS = ("csv", "xlsx", "xml", "ics", "pdf")  # helix.roadmaps.drawings.FORMATS (loaded with Django)


def _user(username: str | None) -> Any:
    from django.contrib.auth.models import AnonymousUser

    from helix.cli.listings import load_user

    return load_user(username) if username else AnonymousUser()


def _visible(user: Any, key: str, action: str = "view") -> Any:
    from helix.registry.permissions import can, scope
    from helix.roadmaps.models import Roadmap

    found = scope(user, "view", Roadmap.objects.select_related("cluster")).filter(key=key).first()
    if found is None:
        raise click.ClickException(f"no roadmap {key!r} that you may see")
    if action != "view" and not can(user, action, found):
        raise click.ClickException(f"you may not {action} the roadmap {key!r}")
    return found


def _refused(error: Any) -> click.ClickException:
    from helix.roadmaps.explain import refusal_text

    return click.ClickException(refusal_text(error))


@roadmap.command("list")
@AS_OPTION
@click.option("--cluster", help="Only this cluster's roadmaps (its slug).")
def list_command(username: str | None, cluster: str | None) -> None:
    """The roadmaps you may see: key, cluster, status, start, title."""
    setup_django()
    from helix.registry.permissions import scope
    from helix.roadmaps.models import Roadmap

    rows = scope(_user(username), "view", Roadmap.objects.select_related("cluster"))
    if cluster:
        rows = rows.filter(cluster__slug=cluster)
    for r in rows.order_by("cluster__slug", "title"):
        click.echo(f"{r.key}\t{r.cluster.slug}\t{r.status}\t{r.starts_on.isoformat()}\t{r.title}")


@roadmap.command("show")
@AS_OPTION
@click.argument("key")
def show_command(username: str | None, key: str) -> None:
    """A roadmap's items with their forecast dates, slack, status, and its critical path."""
    setup_django()
    from helix.roadmaps.analysis import analyse

    user = _user(username)
    seen = analyse(_visible(user, key), user)
    click.echo(f"{seen.roadmap.title} ({seen.roadmap.status}); ends {seen.end or '?'}")
    for r in seen.rows:
        dates = f"{r.start}..{r.finish}" if r.start else "no plan"
        flag = "*" if r.critical else " "
        status = r.status or "-"
        click.echo(f"{flag} {r.item.key}\t{dates}\tslack {r.slack}\t{status}\t{r.owner}\t{r.item.title}")
    click.echo(f"critical path: {' -> '.join(r.item.key for r in seen.critical) or '-'}")


@roadmap.command("validate")
@AS_OPTION
@click.argument("key")
def validate_command(username: str | None, key: str) -> None:
    """What the roadmap still needs before adoption; exits with 1 when anything blocks it."""
    setup_django()
    from helix.roadmaps.analysis import analyse

    user = _user(username)
    seen = analyse(_visible(user, key, "edit"), user)
    for p in seen.problems:
        click.echo(f"{p['severity']}\t{p['item'] or '-'}\t{p['code']}\t{p['text']}")
    click.echo(f"{seen.errors} error(s), {len(seen.problems) - seen.errors} warning(s)")
    if seen.errors:
        raise SystemExit(1)


@roadmap.command("whatif")
@AS_OPTION
@click.argument("key")
@click.argument("item")
@click.option("--days", type=int, default=None, help="Days it slips (default: --months).")
@click.option("--months", type=int, default=3, show_default=True, help="Months it slips (30.44 days each).")
def whatif_command(username: str | None, key: str, item: str, days: int | None, months: int) -> None:
    """What moves if ITEM finishes late: each item that moves, the new end, whose commitments change."""
    setup_django()
    from helix.roadmaps.analysis import analyse, slip

    user = _user(username)
    found = _visible(user, key)
    seen = analyse(found, user)
    impact = slip(found, seen, item, days if days is not None else round(months * 30.44))
    if impact is None:
        raise click.ClickException(f"no item {item!r} in {key!r}, or the roadmap has no schedule (a cycle)")
    click.echo(f"end: {impact.result.old_end} -> {impact.result.new_end} (+{impact.result.end_shift} days)")
    for m in impact.moves:
        click.echo(f"{m['key']}\t{m['old_finish']} -> {m['new_finish']}\t+{m['shift']}\t{m['title']}")
    for p in impact.participants:
        click.echo(f"commitments of {p['name']}: {', '.join(p['items'])}")


@roadmap.command("export")
@AS_OPTION
@click.argument("key")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="xlsx", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True)
def export_command(username: str | None, key: str, fmt: str, output: Path) -> None:
    """Write the roadmap as CSV/XLSX (the import's columns), MS Project XML, iCalendar or PDF."""
    setup_django()
    from helix.roadmaps import drawings
    from helix.roadmaps.analysis import analyse

    user = _user(username)
    found = _visible(user, key, "export")
    seen = analyse(found, user)
    body = drawings.export_file(seen, fmt)
    partial = output.with_name(output.name + ".partial")
    partial.write_bytes(body)
    partial.replace(output)  # never half a file under the name asked for
    click.echo(f"{output}: {len(seen.rows)} items, {len(body):,} bytes")


@roadmap.command("import")
@AS_OPTION
@click.argument("key")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(username: str | None, key: str, path: Path) -> None:
    """Replace the roadmap's items by a file's (XLSX, CSV or MS Project XML): every problem is listed with
    its row and column (or task and line), and nothing is written unless the whole file is right."""
    setup_django()
    from django.core.exceptions import PermissionDenied

    from helix.roadmaps import imports, services

    user = require_user(username, "helix roadmap import")
    found = _visible(user, key, "edit")
    parsed = imports.parse_upload(found, path.name, path.read_bytes())
    if parsed.problems or parsed.content is None:
        for p in parsed.problems:
            click.echo(f"{path.name}: {p.place}: {p.text}" if p.place else f"{path.name}: {p.text}", err=True)
        raise click.ClickException(f"{len(parsed.problems)} problem(s): nothing was imported")
    try:
        count = services.replace_content(user, found, parsed.content)
    except services.RoadmapRefused as refused:
        raise _refused(refused) from None
    except PermissionDenied:
        raise click.ClickException(f"you may not change the roadmap {key!r}") from None
    for warning in parsed.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"{key}: {count} items imported")


@roadmap.command("move")
@AS_OPTION
@click.argument("key")
@click.argument("target", type=click.Choice(["draft", "consultation", "adopted", "revised"]))
@click.option("--note", default="", help="Why (kept in the roadmap's history).")
def move_command(username: str | None, key: str, target: str, note: str) -> None:
    """Move the roadmap through its lifecycle (consultation, adoption, revision)."""
    setup_django()
    from django.core.exceptions import PermissionDenied

    from helix.roadmaps import services

    user = require_user(username, "helix roadmap move")
    found = _visible(user, key)
    try:
        services.move(user, found, target, note[:300])
    except services.RoadmapRefused as refused:
        raise _refused(refused) from None
    except PermissionDenied:
        raise click.ClickException(f"you may not move the roadmap {key!r}") from None
    click.echo(f"{key}: {target}")
