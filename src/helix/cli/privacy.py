"""``helix privacy export|erase|consents``: a person's data, its erasure and their consent history.

The command line is a trusted caller (whoever runs it runs the server): it acts as nobody in particular,
and the records say so (how: command line, by: nobody).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from helix.cli import setup_django


@click.group()
def privacy() -> None:
    """A person's data: export it, erase it, show their consent history."""


def _person(who: str) -> Any:
    """The person with this id, or the one person with this e-mail address."""
    from helix.registry.models import Person

    people = Person.objects.select_related("organisation")
    if who.isdigit():
        found = list(people.filter(pk=int(who)))
    else:
        found = list(people.filter(email__iexact=who.strip()))
    if not found:
        raise click.ClickException(f"no person {who!r}")
    if len(found) > 1:
        ids = ", ".join(f"{p.pk} ({p.organisation.name})" for p in found)
        raise click.ClickException(f"{len(found)} people use {who}: give the id of one of {ids}")
    return found[0]


@privacy.command("export")
@click.argument("who")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the JSON to this file (default: standard output).",
)
def export_command(who: str, output: Path | None) -> None:
    """Everything Helix holds about a person (WHO: their id or e-mail address), as JSON."""
    setup_django()
    from helix.privacy.export import export_person

    text = json.dumps(export_person(_person(who)), ensure_ascii=False, indent=2)
    if output is None:
        sys.stdout.write(text + "\n")
        return
    output.write_text(text + "\n", encoding="utf-8")
    click.echo(f"wrote {output}", err=True)


@privacy.command("erase")
@click.argument("who")
@click.option(
    "--reschedule",
    is_flag=True,
    help="If the person has meetings in a published schedule: publish it again without them and e-mail "
    "the other participants (without this, such an erasure is refused).",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_command(who: str, reschedule: bool, yes: bool) -> None:
    """Anonymise a person (WHO: their id or e-mail address) and print what was removed."""
    setup_django()
    from django.core.exceptions import ValidationError

    from helix.privacy.erasure import erase_person, erasure_plan, kept_lines, removal_label
    from helix.privacy.models import Channel

    person = _person(who)
    plan = erasure_plan(person)
    if not yes:
        click.echo(f"Erasing person #{person.pk} removes:")
        for item in plan.removed:
            click.echo(f"  - {removal_label(item, person.pk)}")
        click.confirm("Erase?", abort=True)
    try:
        record = erase_person(person, None, how=Channel.CLI, reschedule=reschedule)
    except ValidationError as exc:
        message = " ".join(exc.messages)
        hint = " (use --reschedule)" if exc.code == "published_schedule" else ""
        raise click.ClickException(f"refused [{exc.code}]: {message}{hint}") from None
    click.echo(f"Person #{record.person_number} erased. Removed:")
    for item in record.removed:
        click.echo(f"  - {removal_label(item, record.person_number)}")
    kept = kept_lines(record.kept)
    if kept:
        click.echo("Kept for the counts, anonymised:")
        for line in kept:
            click.echo(f"  - {line}")


@privacy.command("consents")
@click.argument("who")
def consents_command(who: str) -> None:
    """A person's consent history, newest first: when, which, given or withdrawn, by whom, how."""
    setup_django()
    from helix.privacy.models import ConsentRecord

    person = _person(who)
    records = ConsentRecord.objects.filter(person=person).select_related("by").order_by("-at", "-pk")
    for r in records:
        verb = "given" if r.given else "withdrawn"
        by = r.by.get_username() if r.by else "-"
        click.echo(f"{r.at:%Y-%m-%d %H:%M}  {r.consent:<10}  {verb:<9}  {by:<20}  {r.how}  {r.note}".rstrip())
    if not records:
        click.echo("no consent change recorded")
