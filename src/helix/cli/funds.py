"""``helix funds``: the funding instruments, their balances, and booking on their ledgers.

Every command acts as a user (``--as USERNAME``) with exactly that user's permissions, through the same
services as the pages: ``list`` shows the instruments the user may see (anyone signed in; without
``--as``, an anonymous caller sees none); ``balance`` the whole ledger to those who may see it (the
instrument's staff), a beneficiary's own entries to its people; ``commit``, ``disburse``, ``repay`` and
``leverage`` book for those who may book on the instrument. A refusal is said as the pages say it
(helix.funds.explain), and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import click

from helix.cli import setup_django
from helix.cli.listings import AS_OPTION, require_user


@click.group()
def funds() -> None:
    """Funding instruments and their ledgers: list, balances, commit, pay out, repayments, leverage."""


def _instrument(user: Any, key: str) -> Any:
    from helix.funds.models import Instrument
    from helix.registry.permissions import scope

    found = scope(user, "view", Instrument.objects.select_related("cluster")).filter(key=key).first()
    if found is None:
        raise click.ClickException(f"no instrument {key!r} that you may see")
    return found


def _organisation(user: Any, slug: str) -> Any:
    from helix.registry.models import Organisation
    from helix.registry.permissions import scope

    found = scope(user, "view", Organisation.objects.all()).filter(slug=slug).first()
    if found is None:
        raise click.ClickException(f"no organisation {slug!r} that you may see")
    return found


def _cents(value: Any) -> str:
    from decimal import Decimal

    return str(Decimal(value).quantize(Decimal("0.01")))


@funds.command("list")
@AS_OPTION
def list_command(username: str | None) -> None:
    """The instruments you may see: key, cluster (or programme-wide), kind, budget, de minimis, name."""
    setup_django()
    from django.contrib.auth.models import AnonymousUser

    from helix.cli.listings import load_user
    from helix.funds.models import Instrument
    from helix.registry.permissions import scope

    user = load_user(username) if username else AnonymousUser()
    rows = scope(user, "view", Instrument.objects.select_related("cluster")).order_by("name", "key")
    shown = 0
    for i in rows:
        where = i.cluster.slug if i.cluster_id is not None else "programme-wide"
        budget = _cents(i.budget_eur) if i.budget_eur is not None else "-"
        minimis = "de minimis" if i.de_minimis else "-"
        click.echo(f"{i.key}\t{where}\t{i.kind}\t{budget}\t{minimis}\t{i.name}")
        shown += 1
    if not shown and not username:
        click.echo("No instrument: instruments are for signed-in users; add --as USERNAME.", err=True)


@funds.command("balance")
@AS_OPTION
@click.argument("key")
@click.option("--beneficiary", "slug", help="One beneficiary only (its slug).")
def balance_command(username: str | None, key: str, slug: str | None) -> None:
    """KEY's balances per beneficiary and in all (committed, disbursed, repaid, leveraged): the whole
    ledger for its staff, your organisation's own entries otherwise."""
    setup_django()
    from django.db.models import Q

    from helix.funds import services
    from helix.funds.models import LedgerEntry
    from helix.registry.models import Organisation
    from helix.registry.permissions import can, scope

    user = require_user(username, "helix funds balance")
    instrument = _instrument(user, key)
    whole = can(user, "view_ledger", instrument)
    visible = scope(user, "view", LedgerEntry.objects.filter(instrument=instrument))
    selected = Q() if whole else Q(pk__in=visible.values("pk"))
    if slug:
        selected &= Q(beneficiary=_organisation(user, slug))
    summed = services.summary(instrument, among=None if whole and not slug else selected)
    if not whole and not summed.by_beneficiary:
        raise click.ClickException(f"{username} may not see the ledger of {key}, and has no entry on it")
    slugs = dict(Organisation.objects.filter(pk__in=list(summed.by_beneficiary)).values_list("pk", "slug"))

    def row(name: str, b: Any) -> str:
        return "\t".join([name, *(_cents(v) for v in (b.committed, b.disbursed, b.repaid, b.leveraged))])

    click.echo("beneficiary\tcommitted\tdisbursed\trepaid\tleveraged")
    for pk in sorted(summed.by_beneficiary, key=lambda pk: slugs[pk]):
        click.echo(row(slugs[pk], summed.by_beneficiary[pk]))
    click.echo(row("total", summed.total))
    if summed.budget_headroom is not None:
        click.echo(f"Left in the budget: {_cents(summed.budget_headroom)}")


def _booking_command(name: str, verb: str, help_text: str, commitment: bool = False) -> Callable[..., Any]:
    @funds.command(name, help=help_text)
    @AS_OPTION
    @click.argument("key")
    @click.option("--beneficiary", "slug", required=True, help="The beneficiary organisation (its slug).")
    @click.option("--amount", required=True, help="Euros and cents, e.g. 15000.00.")
    @click.option(
        "--on", "on", required=True, type=click.DateTime(["%Y-%m-%d"]), help="The day (YYYY-MM-DD)."
    )
    @click.option("--project", "project_ref", default="", help="The project the money is for.")
    @click.option("--note", default="", help="Kept with the entry.")
    @click.option(
        "--equivalent",
        default=None,
        hidden=not commitment,
        help="Its gross grant equivalent in euros (a de minimis loan or equity needs it).",
    )
    def command(
        username: str | None,
        key: str,
        slug: str,
        amount: str,
        on: dt.datetime,
        project_ref: str,
        note: str,
        equivalent: str | None,
    ) -> None:
        setup_django()
        from django.core.exceptions import PermissionDenied

        from helix.funds import explain, services

        user = require_user(username, f"helix funds {name}")
        instrument = _instrument(user, key)
        beneficiary = _organisation(user, slug)
        write = {
            "commit": services.commit,
            "disburse": services.disburse,
            "repay": services.repay,
            "leverage": services.record_leverage,
        }[name]
        extra: dict[str, Any] = {}
        if commitment:
            extra["gross_grant_equivalent"] = equivalent
        elif equivalent is not None:
            raise click.UsageError("only a commitment has a gross grant equivalent")
        try:
            entry = write(
                user, instrument, beneficiary, amount, on.date(), project_ref=project_ref, note=note, **extra
            )
        except services.FundsRefused as refused:
            raise click.ClickException(explain.refusal_text(refused)) from None
        except PermissionDenied:
            raise click.ClickException(f"{username} may not book on {key}") from None
        click.echo(
            f"{verb} {_cents(entry.amount_eur)} EUR of {key} for {slug} on {entry.on.isoformat()} "
            f"(entry {entry.pk})."
        )

    return command


commit_command = _booking_command(
    "commit",
    "Committed",
    "Commit money of instrument KEY to a beneficiary (every cap passed, or refused).",
    True,
)
disburse_command = _booking_command(
    "disburse", "Paid out", "Pay out what was committed of KEY to a beneficiary."
)
repay_command = _booking_command("repay", "Repaid", "Record a repayment of loan KEY by a beneficiary.")
leverage_command = _booking_command(
    "leverage", "Leveraged", "Record private money KEY's aid brought in for a beneficiary."
)
