"""``helix listings``: needs and offers from the command line, one at a time or from a CSV/XLSX file.

Commands that write act as a user, named with ``--as USERNAME``, with exactly that user's permissions
(their own organisation; cluster staff: the organisations of their clusters); without ``--as`` they
refuse. Reads without ``--as`` show every listing: whoever runs the command holds the database anyway.

The import file (CSV, UTF-8, ``,`` or ``;``; or the first sheet of an XLSX workbook) has a header row
naming its columns, in any order; ``*`` marks required ones::

    id, organisation*, side*, category*, title*, description*, domains, sectors, keywords, trl,
    budget_min, budget_max, deadline, visibility, status

``organisation`` is a slug; ``domains`` are ``cluster/slug`` and, like ``sectors`` (NACE codes) and
``keywords``, separated by ``;``; ``deadline`` is YYYY-MM-DD; ``status`` draft (default) or published
for a new listing, and for an existing one any status its lifecycle's moves lead to (a draft is never
fulfilled: helix.core.matching.lifecycle); ``visibility`` public (default), members or staff. A row with
an ``id`` updates that listing (``helix listings list --format csv`` writes this layout); a row without
creates one. Every row is checked first and every error is printed with its row and column; if there is
any, nothing is written. Text a spreadsheet would run as a formula (starting with = + - @) needs a
leading apostrophe.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import click

from helix.cli import setup_django
from helix.market.transfer import (
    COLUMNS,
    MAX_EUROS,
    import_listings,
)

# --- who acts -------------------------------------------------------------------------------------


def load_user(username: str) -> Any:
    """The active user called ``username`` (Django must be set up)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    if not user.is_active:
        raise click.ClickException(f"user {username!r} is not active")
    from helix.audit.context import set_cli_actor

    set_cli_actor(user)  # the audit trail records the command's changes as this user's
    return user


def require_user(username: str | None, command: str) -> Any:
    if not username:
        raise click.UsageError(
            f"{command} changes data, so it acts as a user: add --as USERNAME "
            "(it gets exactly that user's permissions)."
        )
    return load_user(username)


AS_OPTION = click.option("--as", "username", metavar="USERNAME", help="Act with this user's permissions.")


# --- showing listings -----------------------------------------------------------------------------


def with_relations(listings: Any) -> Any:
    from django.db.models import Prefetch

    from helix.registry.models import Domain

    return listings.select_related("organisation", "site").prefetch_related(
        Prefetch(
            "domains", queryset=Domain.objects.select_related("cluster").order_by("cluster__slug", "slug")
        ),
        "sectors",
        "keywords",
    )


def listing_row(listing: Any) -> dict[str, Any]:
    """A listing in the import layout (lists joined by ``;``), so a listed file can be imported back."""
    return {
        "id": listing.pk,
        "organisation": listing.organisation.slug,
        "side": listing.side,
        "category": listing.category,
        "title": listing.title,
        "description": listing.description,
        "domains": "; ".join(f"{d.cluster.slug}/{d.slug}" for d in listing.domains.all()),
        "sectors": "; ".join(sorted(s.code for s in listing.sectors.all())),
        "keywords": "; ".join(sorted(k.name for k in listing.keywords.all())),
        "trl": listing.trl,
        "budget_min": listing.budget_min,
        "budget_max": listing.budget_max,
        "deadline": listing.deadline.isoformat() if listing.deadline else None,
        "visibility": listing.visibility,
        "status": listing.status,
    }


def listing_details(listing: Any) -> dict[str, Any]:
    """Everything about a listing, as JSON-ready data."""
    row = listing_row(listing)
    return {
        **row,
        "organisation_name": listing.organisation.name,
        "language": listing.language,
        "domains": [f"{d.cluster.slug}/{d.slug}" for d in listing.domains.all()],
        "sectors": sorted(s.code for s in listing.sectors.all()),
        "keywords": sorted(k.name for k in listing.keywords.all()),
        "site": listing.site.name if listing.site else None,
        "is_active": listing.is_active,
        "published_on": listing.published_on.isoformat() if listing.published_on else None,
        "expires_on": listing.expires_on.isoformat(),
        "renewals": listing.renewals,
        "revision": listing.revision,
    }


def readable_rows(username: str | None) -> Any:
    from helix.market import services
    from helix.market.models import Listing

    if username:
        return services.visible_listings(load_user(username))
    return Listing.objects.all()


@click.group()
def listings() -> None:
    """Needs and offers: list, show, create, import, publish, renew, fulfil and withdraw them."""


@listings.command("list")
@click.option("--side", type=click.Choice(["need", "offer"]), help="Only needs or only offers.")
@click.option("--organisation", metavar="SLUG", help="Only the listings of this organisation.")
@click.option(
    "--status", "statuses", multiple=True, metavar="STATUS", help="draft, published, fulfilled, withdrawn."
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True
)
@AS_OPTION
def list_command(
    side: str | None, organisation: str | None, statuses: tuple[str, ...], fmt: str, username: str | None
) -> None:
    """List needs and offers, most recently changed first. csv writes the layout that import reads."""
    setup_django()
    from helix.market.models import Status

    unknown = [s for s in statuses if s not in Status.values]
    if unknown:
        raise click.BadParameter(
            f"{unknown[0]!r} is not one of {', '.join(Status.values)}", param_hint="--status"
        )
    rows = readable_rows(username)
    if side:
        rows = rows.filter(side=side)
    if organisation:
        rows = rows.filter(organisation__slug=organisation)
    if statuses:
        rows = rows.filter(status__in=statuses)
    found = list(with_relations(rows).order_by("-updated_at", "-pk"))
    if fmt == "json":
        click.echo(json.dumps([listing_details(x) for x in found], indent=2, ensure_ascii=False))
    elif fmt == "csv":
        write_csv(sys.stdout, COLUMNS, (listing_row(x) for x in found))
    else:
        print_table(found)
    click.echo(f"{len(found)} listing(s)", err=True)


def print_table(found: Sequence[Any]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False)
    for heading in ("id", "side", "category", "status", "lang", "expires", "organisation", "title"):
        table.add_column(heading, justify="right" if heading == "id" else "left", overflow="fold")
    for x in found:
        cells = (
            str(x.pk),
            x.side,
            x.category,
            x.status,
            x.language,
            x.expires_on.isoformat(),
            x.organisation.slug,
            x.title,
        )
        table.add_row(*(Text(cell) for cell in cells))  # user text, never markup
    Console(highlight=False, width=200).print(table)


def write_csv(handle: Any, columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> None:
    from helix.spreadsheets import write_csv as write_table

    write_table(handle, columns, ([row[c] for c in columns] for row in rows))


@listings.command("show")
@click.argument("listing_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@AS_OPTION
def show_command(listing_id: int, fmt: str, username: str | None) -> None:
    """Show one listing with all its fields."""
    setup_django()
    listing = with_relations(readable_rows(username)).filter(pk=listing_id).first()
    if listing is None:
        raise click.ClickException(
            f"no listing {listing_id}" + (f" that {username} may see" if username else "")
        )
    details = listing_details(listing)
    if fmt == "json":
        click.echo(json.dumps(details, indent=2, ensure_ascii=False))
        return
    click.echo(f"{listing.get_side_display()} #{listing.pk}: {listing.title}")
    for name, value in details.items():
        if name in ("id", "title", "description"):
            continue
        if isinstance(value, list):
            value = ", ".join(value)
        click.echo(f"  {name + ':':<18} {'' if value is None else value}".rstrip())
    click.echo("")
    click.echo(listing.description)


# --- writing one listing --------------------------------------------------------------------------


def field_messages(exc: Any, names: dict[str, str] | None = None) -> list[str]:
    """A service's ValidationError as lines ``field: message``, fields renamed through ``names``."""
    from django.core.exceptions import NON_FIELD_ERRORS

    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    names = names or {}
    return [
        message if key == NON_FIELD_ERRORS else f"{names.get(key, key)}: {message}"
        for key, messages in exc.message_dict.items()
        for message in messages
    ]


def editable(listing_id: int, user: Any) -> Any:
    from helix.market import services
    from helix.market.models import Listing

    listing = Listing.objects.select_related("organisation").filter(pk=listing_id).first()
    if listing is None or not services.can_view_listing(user, listing):
        raise click.ClickException(f"no listing {listing_id} that {user.get_username()} may see")
    if not services.can_edit_listing(user, listing):
        raise click.ClickException(
            f"{user.get_username()} may not change the listings of {listing.organisation.name}"
        )
    return listing


@listings.command("create")
@click.option("--organisation", required=True, metavar="SLUG")
@click.option("--side", required=True, type=click.Choice(["need", "offer"]))
@click.option(
    "--category",
    required=True,
    help="Need: solution, research, partner, infrastructure. "
    "Offer: solution, competence, infrastructure, test_facility.",
)
@click.option("--title", required=True)
@click.option("--description", required=True)
@click.option("--domain", "domains", multiple=True, metavar="CLUSTER/SLUG", help="Repeat for several.")
@click.option("--sector", "sectors", multiple=True, metavar="CODE", help="NACE code; repeat for several.")
@click.option("--keyword", "keywords", multiple=True, help="Repeat for several.")
@click.option("--trl", type=click.IntRange(1, 9), help="Technology readiness level 1-9.")
@click.option("--budget-min", type=click.IntRange(0, MAX_EUROS), help="Budget or price from, in euro.")
@click.option("--budget-max", type=click.IntRange(0, MAX_EUROS), help="Budget or price up to, in euro.")
@click.option("--deadline", type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD.")
@click.option("--visibility", default="public", show_default=True, help="public, members or staff.")
@click.option("--publish", is_flag=True, help="Publish at once (default: a draft).")
@AS_OPTION
def create_command(
    organisation: str,
    side: str,
    category: str,
    title: str,
    description: str,
    domains: tuple[str, ...],
    sectors: tuple[str, ...],
    keywords: tuple[str, ...],
    trl: int | None,
    budget_min: int | None,
    budget_max: int | None,
    deadline: dt.datetime | None,
    visibility: str,
    publish: bool,
    username: str | None,
) -> None:
    """Create a need or an offer for an organisation. Its language is detected from the text."""
    setup_django()
    user = require_user(username, "create")
    from django.core.exceptions import ValidationError

    from helix.market import services
    from helix.market.models import Listing, Status, Visibility
    from helix.registry.models import Organisation

    owner = Organisation.objects.filter(slug=organisation).first()
    if owner is None:
        raise click.BadParameter(f"no organisation {organisation!r}", param_hint="--organisation")
    if not services.can_create_listing_for(user, owner):
        raise click.ClickException(f"{user.get_username()} may not post needs or offers for {owner.name}")
    if visibility not in Visibility.values:
        raise click.BadParameter(
            f"{visibility!r} is not one of {', '.join(Visibility.values)}", param_hint="--visibility"
        )
    problems: list[str] = []
    domain_rows = resolve_domains(domains, problems)
    sector_rows = resolve_sectors(sectors, problems)
    listing = Listing(
        organisation=owner,
        side=side,
        category=category,
        title=title.strip(),
        description=description.strip(),
        trl=trl,
        budget_min=budget_min,
        budget_max=budget_max,
        deadline=deadline.date() if deadline else None,
        visibility=visibility,
        status=Status.PUBLISHED if publish else Status.DRAFT,
    )
    options = {"budget_max": "--budget-max", "budget_min": "--budget-min"}
    try:
        services.check_listing(listing)
    except ValidationError as exc:
        problems += field_messages(exc, {k: options.get(k, f"--{k}") for k in exc.message_dict})
    if problems:
        raise click.ClickException("the listing was not created:\n  " + "\n  ".join(problems))
    services.save_listing(listing, user=user, domains=domain_rows, sectors=sector_rows, keywords=keywords)
    click.echo(
        f"Created {listing.side} #{listing.pk} for {owner.name}: {listing.title} "
        f"({listing.status}, language {listing.language}, expires {listing.expires_on.isoformat()})"
    )


def resolve_domains(keys: Sequence[str], problems: list[str]) -> list[Any]:
    from django.db.models import Q

    from helix.registry.models import Domain

    pairs = []
    for key in keys:
        cluster, _, slug = key.strip().partition("/")
        if not cluster or not slug:
            problems.append(f"--domain: {key!r} is not CLUSTER/SLUG")
        else:
            pairs.append((cluster, slug))
    if not pairs:
        return []
    wanted = Q()
    for cluster, slug in pairs:
        wanted |= Q(cluster__slug=cluster, slug=slug)
    found = {(d.cluster.slug, d.slug): d for d in Domain.objects.select_related("cluster").filter(wanted)}
    for cluster, slug in pairs:
        if (cluster, slug) not in found:
            problems.append(f"--domain: no domain {slug!r} in cluster {cluster!r}")
    return [found[p] for p in dict.fromkeys(pairs) if p in found]


def resolve_sectors(codes: Sequence[str], problems: list[str]) -> list[Any]:
    from helix.core.registry.nace import UnknownNaceCode, normalise_nace
    from helix.registry.models import Sector

    normalised = []
    for code in codes:
        try:
            normalised.append(normalise_nace(code))
        except UnknownNaceCode as exc:
            problems.append(f"--sector: {exc}")
    found = {s.code: s for s in Sector.objects.filter(code__in=normalised)}
    for code in normalised:
        if code not in found:
            problems.append(f"--sector: {code!r} is not in the sector table")
    return [found[c] for c in dict.fromkeys(normalised) if c in found]


def move(listing_id: int, action: str, username: str | None) -> Any:
    """Make the lifecycle move ``action`` as ``--as`` (services.move_listing); a move the listing's state
    or the user's role does not allow is an error naming why."""
    setup_django()
    user = require_user(username, action)
    from django.core.exceptions import PermissionDenied

    from helix.core.matching.lifecycle import ListingMoveRefused
    from helix.market import services

    listing = editable(listing_id, user)
    try:
        return services.move_listing(listing, action, user=user)
    except ListingMoveRefused:
        state = services.listing_state(listing)
        raise click.ClickException(f"a listing that is {state} cannot be told to {action}") from None
    except PermissionDenied:
        raise click.ClickException(f"{user.get_username()} may not {action} this listing") from None


@listings.command("renew")
@click.argument("listing_id", type=int)
@AS_OPTION
def renew_command(listing_id: int, username: str | None) -> None:
    """Keep a listing another 180 days (from today, or from its expiry if that is later)."""
    listing = move(listing_id, "renew", username)
    click.echo(
        f"Renewed {listing.side} #{listing.pk} until {listing.expires_on.isoformat()}: {listing.title}"
    )


@listings.command("withdraw")
@click.argument("listing_id", type=int)
@AS_OPTION
def withdraw_command(listing_id: int, username: str | None) -> None:
    """Withdraw a listing: it is no longer shown to others nor matched."""
    listing = move(listing_id, "withdraw", username)
    click.echo(f"Withdrew {listing.side} #{listing.pk}: {listing.title}")


@listings.command("publish")
@click.argument("listing_id", type=int)
@AS_OPTION
def publish_command(listing_id: int, username: str | None) -> None:
    """Publish a draft, withdrawn, fulfilled or expired listing (past its expiry: another 180 days)."""
    listing = move(listing_id, "publish", username)
    click.echo(
        f"Published {listing.side} #{listing.pk} until {listing.expires_on.isoformat()}: {listing.title}"
    )


@listings.command("fulfil")
@click.argument("listing_id", type=int)
@AS_OPTION
def fulfil_command(listing_id: int, username: str | None) -> None:
    """Mark a published listing fulfilled: it found what it sought (a draft cannot be fulfilled)."""
    listing = move(listing_id, "fulfil", username)
    click.echo(f"Fulfilled {listing.side} #{listing.pk}: {listing.title}")


@listings.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and say what would change; write nothing.")
@AS_OPTION
def import_command(path: Path, dry_run: bool, username: str | None) -> None:
    """Import needs and offers from a CSV file or an XLSX workbook (the first sheet).

    Columns: id, organisation*, side*, category*, title*, description*, domains (cluster/slug;…),
    sectors (NACE;…), keywords (;…), trl, budget_min, budget_max, deadline (YYYY-MM-DD), visibility,
    status. A row with an id updates that listing; one without creates a listing. Every row is
    checked first; if any has an error, each error is printed with its row and column and nothing is
    written.
    """
    setup_django()
    user = require_user(username, "import")
    report = import_listings(path, user, dry_run=dry_run)
    for error in report.errors:
        click.echo(str(error), err=True)
    if not report.errors:
        for row in report.rows:
            if row.action != "unchanged":
                verb = f"would {row.action}" if dry_run else f"{row.action}d"
                click.echo(f"row {row.row}: {verb} {row.listing.side} {row.listing.title!r}")
    click.echo(report.summary())
    if report.errors:
        raise SystemExit(1)
