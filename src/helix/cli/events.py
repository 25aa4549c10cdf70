"""``helix events``: list events, schedule one from the database (in this process, with its progress
printed), publish a schedule and write a participant's agenda."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from helix.cli import setup_django
from helix.cli.listings import AS_OPTION, require_user


def _event(event_id: int) -> Any:
    from helix.events.models import Event

    event = Event.objects.select_related("cluster").filter(pk=event_id).first()
    if event is None:
        raise click.ClickException(f"no event {event_id}")
    return event


@click.group()
def events() -> None:
    """Matchmaking events: list, schedule, publish, agendas."""


@events.command("list")
def list_events() -> None:
    """Every event with its slots, participants and accepted requests."""
    setup_django()
    from helix.events.models import Event, RequestStatus

    for event in Event.objects.select_related("cluster").order_by("pk"):
        accepted = event.requests.filter(status=RequestStatus.ACCEPTED).count()
        click.echo(
            f"{event.pk:5d}  {event.title}  [{event.cluster.slug}, {event.format}, {event.status}]  "
            f"{event.slots.count()} slots, {event.registrations.count()} participants, "
            f"{accepted} accepted requests"
        )


@events.command("schedule")
@click.argument("event_id", type=int)
@click.option("--mode", type=click.Choice(["all", "max"]), default="max", show_default=True)
@click.option("--fairness", "-d", type=click.IntRange(min=0), default=None)
@click.option("--time-limit", type=click.FloatRange(min=1, max=3600), default=30.0, show_default=True)
@click.option("--publish", is_flag=True, help="Publish the schedule when the run succeeds.")
@AS_OPTION
def schedule(
    event_id: int, mode: str, fairness: int | None, time_limit: float, publish: bool, username: str | None
) -> None:
    """Optimise EVENT_ID's schedule now (as the organiser) and print its figures; a failed run leaves the
    published schedule as it was."""
    setup_django()
    from django.core.exceptions import PermissionDenied, ValidationError

    from helix.events import convert, schedules, services
    from helix.events.models import Schedule

    user = require_user(username, "helix events schedule")
    event = _event(event_id)
    if not services.is_organiser(user, event):
        raise click.ClickException(f"{username} does not organise {event}")
    try:
        convert.build_problem(event)
    except ValidationError as exc:
        raise click.ClickException("; ".join(exc.messages)) from None
    run = Schedule.objects.create(
        event=event, mode=mode, fairness=fairness, time_limit=time_limit, created_by=user
    )

    def progress(done: int, total: int, message: str) -> None:
        click.echo(f"  {done:4d}/{total}s  {message}", err=True)

    outcome = schedules.run_schedule(run.pk, progress)
    run.refresh_from_db()
    click.echo(
        f"schedule {run.pk}: {run.status}; solver {run.solver_status or '-'}; "
        f"held {run.held}/{run.requested}; "
        f"breaks {run.total_breaks}; moved {run.moved if run.moved is not None else '-'}; "
        f"{(run.seconds or 0):.1f} s"
    )
    if outcome.get("status") != "succeeded":
        click.echo(run.message)
        sys.exit(1)
    if publish:
        from helix.core.workflow import TransitionNotAllowed

        try:
            schedules.publish_schedule(user, run)
        except (ValidationError, PermissionDenied, TransitionNotAllowed) as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"published (sequence {run.sequence})")


@events.command("agenda")
@click.argument("registration_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["ics", "pdf"]), default="ics", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True)
def agenda(registration_id: int, fmt: str, output: Path) -> None:
    """Write a participant's published agenda as iCalendar or PDF."""
    setup_django()
    from helix.events.agenda import agenda_ics
    from helix.events.models import Registration
    from helix.events.pdf import agenda_pdf

    registration = (
        Registration.objects.select_related("event", "person", "organisation")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        raise click.ClickException(f"no registration {registration_id}")
    output.write_bytes(agenda_ics(registration) if fmt == "ics" else agenda_pdf(registration))
    click.echo(f"wrote {output}")
