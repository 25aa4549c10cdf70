"""``helix calls``: calls for proposals from the command line.

Reading shows what the given user may see (``--as USERNAME``; without it, what the public sees).
Changing acts as a user with exactly that user's permissions, through the same services and permission
tables as the pages and the API; a refusal is said as they say it (helix.calls.explain).
``check-definition`` reads a call definition file with nothing from the database, and ``close-due`` is
the clock the worker also runs: it closes every open call whose last deadline has passed.

    helix calls list [--cluster SLUG] [--status STATUS] [--as USER]
    helix calls show KEY [--lang nl] [--as USER]
    helix calls check-definition FILE.json
    helix calls create --cluster SLUG (--seed NAME | --definition FILE.json) [--key KEY]
                       [--instrument KEY] [--visibility public|members|staff] --as USER
    helix calls open|close KEY --as USER
    helix calls applications KEY [--status STATUS] [--format table|csv|json] --as USER
    helix calls judge KEY [--application ID] [--on YYYY-MM-DD] --as USER
    helix calls close-due
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import click

from helix.cli import setup_django
from helix.cli.listings import AS_OPTION, load_user, require_user
from helix.core.calls import lifecycle
from helix.core.calls.lifecycle import ApplicationStatus, CallStatus

# The lifecycles' states (helix.core.calls.lifecycle), named here so that --help needs no Django.
CALL_STATUSES = tuple(s.value for s in CallStatus)
APPLICATION_STATUSES = tuple(s.value for s in ApplicationStatus)
APPLICATION_COLUMNS = (
    "id", "title", "lead", "co_applicants", "status", "requested_eur", "submitted_at", "receipt",
)  # fmt: skip


@click.group()
def calls() -> None:
    """Calls for proposals: list, show, check a definition, create, open, close, applications, judge;
    the review and the decision: reviewers, assign, ranking, decide, award, letter."""


def _user(username: str | None) -> Any:
    from django.contrib.auth.models import AnonymousUser

    return load_user(username) if username else AnonymousUser()


def _visible_call(user: Any, key: str) -> Any:
    from helix.calls.models import Call
    from helix.registry.permissions import scope

    call = scope(user, "view", Call.objects.select_related("cluster")).filter(key=key).first()
    if call is None:
        raise click.ClickException(f"no call {key!r} that you may see")
    return call


def _refused(error: Any) -> click.ClickException:
    from helix.calls.explain import refusal_text

    return click.ClickException(refusal_text(error))


def _deadline(stage: Any) -> str:
    if stage.deadline is None:
        return "no deadline"
    d = stage.deadline
    return f"{d.local.isoformat(timespec='minutes')} {d.zone} ({d.instant.strftime('%Y-%m-%d %H:%M')} UTC)"


def _print_table(headings: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False)
    for heading in headings:
        table.add_column(heading, justify="right" if heading == "id" else "left", overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))  # user text, never markup
    Console(highlight=False, width=200).print(table)


# --- reading --------------------------------------------------------------------------------------------


@calls.command("list")
@AS_OPTION
@click.option("--cluster", help="Only this cluster's calls (its slug).")
@click.option("--status", type=click.Choice(CALL_STATUSES), help="Only calls in this status.")
def list_command(username: str | None, cluster: str | None, status: str | None) -> None:
    """The calls you may see: key, cluster, status, visibility, last deadline, title."""
    setup_django()
    from helix.calls import convert
    from helix.calls.models import Call
    from helix.registry.permissions import scope

    rows = scope(_user(username), "view", Call.objects.select_related("cluster"))
    if cluster:
        rows = rows.filter(cluster__slug=cluster)
    if status:
        rows = rows.filter(status=status)
    for call in rows.order_by("cluster__slug", "key"):
        closes = _deadline(convert.definition(call).stages[-1])
        click.echo(
            f"{call.key}\t{call.cluster.slug}\t{call.status}\t{call.visibility}\t{closes}\t{call.title}"
        )


@calls.command("show")
@AS_OPTION
@click.argument("key")
@click.option("--lang", type=click.Choice(["en", "nl", "fr", "de"]), default="en", show_default=True)
def show_command(username: str | None, key: str, lang: str) -> None:
    """A call: its stages with their deadlines (local time, zone, UTC), forms and eligibility rules."""
    setup_django()
    from helix.calls import convert
    from helix.core.specs import translated

    call = _visible_call(_user(username), key)
    definition = convert.definition(call)
    budget = f"EUR {call.budget_eur:,.2f}" if call.budget_eur is not None else "no budget given"
    click.echo(f"{call.key}: {translated(definition.title, lang)}")
    click.echo(f"  cluster {call.cluster.slug}, {call.status}, visible to {call.visibility}, {budget}")
    if definition.programme:
        click.echo(f"  programme: {definition.programme}")
    instrument = definition.instrument
    click.echo(
        f"  instrument: {instrument.id} ({instrument.kind}{', de minimis' if instrument.de_minimis else ''})"
    )
    for stage in definition.stages:
        click.echo(f"stage {stage.name}: {translated(stage.label, lang)}, deadline {_deadline(stage)}")
        for section in stage.form.sections:
            click.echo(f"  {translated(section.label, lang)}")
            for f in section.fields:
                required = "required" if f.required else "optional"
                click.echo(f"    {f.name} ({f.type}, {required}): {f.label_in(lang)}")
    click.echo("eligibility rules:")
    for index, spec in enumerate(definition.rules):
        params = json.dumps(spec.rule.params(), default=str, ensure_ascii=False)
        click.echo(f"  {index}. {spec.kind} {params}")


@calls.command("check-definition")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check_definition_command(file: Path) -> None:
    """Check a call definition (JSON) with nothing from the database: every problem with its JSON path
    ($ is the file's top); exit code 1 when there is any."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise click.ClickException(f"{file}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise click.ClickException(
            f"{file}: not JSON: line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    setup_django()  # the texts of the problems; the database is not opened
    from helix.calls import explain
    from helix.calls.validation import call_problems
    from helix.core.calls.definition import load_call

    key = str(data.get("id", "")) if isinstance(data, dict) else ""
    problems = [
        p for found in call_problems(SimpleNamespace(definition=data, key=key), "$").values() for p in found
    ]
    for problem in problems:
        path, text = str(problem.params.get("path", "$")), explain.spec_text(problem)
        click.echo(text if path in text else f"{path}: {text}")
    if problems:
        click.echo(f"{file}: {len(problems)} problem(s)", err=True)
        sys.exit(1)
    definition = load_call(data, "$")
    click.echo(
        f"{file}: call {definition.id!r} is well defined: {len(definition.stages)} stage(s), "
        f"{len(definition.rules)} eligibility rule(s)"
    )


# --- changing -------------------------------------------------------------------------------------------


def _seed(name: str) -> dict[str, Any]:
    """The definition of a seed call, named by its id or its file (with or without .json)."""
    from importlib import resources

    from helix.core.calls import definition as core

    folder = resources.files(core.__package__) / "data"
    for file in core.SEED_FILES:
        data: dict[str, Any] = json.loads((folder / file).read_text(encoding="utf-8"))
        if name in (data.get("id"), file, file.removesuffix(".json")):
            return data
    names = ", ".join(f.removesuffix(".json") for f in core.SEED_FILES)
    raise click.BadParameter(f"no seed call {name!r}; one of: {names}", param_hint="--seed")


@calls.command("create")
@AS_OPTION
@click.option("--cluster", "cluster_slug", required=True, help="The cluster (its slug).")
@click.option("--seed", help="A seed call (luxembourg_bpf_2024, sme_portfolio, ... or its id).")
@click.option(
    "--definition",
    "definition_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A call definition file (JSON).",
)
@click.option("--key", help="The call's key (default: the definition's id).")
@click.option("--instrument", "instrument_key", help="The funds instrument it commits from (its key).")
@click.option(
    "--visibility", type=click.Choice(["public", "members", "staff"]), default="public", show_default=True
)
def create_command(
    username: str | None,
    cluster_slug: str,
    seed: str | None,
    definition_file: Path | None,
    key: str | None,
    instrument_key: str | None,
    visibility: str,
) -> None:
    """Create a call (a draft) of a cluster from a seed call or a definition file."""
    if (seed is None) == (definition_file is None):
        raise click.UsageError("give either --seed NAME or --definition FILE.json")
    setup_django()
    from django.core.exceptions import PermissionDenied, ValidationError

    from helix.calls import services
    from helix.funds.models import Instrument
    from helix.registry.models import Cluster

    user = require_user(username, "helix calls create")
    if definition_file is not None:
        try:
            definition = json.loads(definition_file.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise click.ClickException(f"{definition_file}: not JSON: {exc}") from None
        if not isinstance(definition, dict):
            raise click.ClickException(f"{definition_file}: a call definition is a JSON object")
    else:
        definition = _seed(str(seed))
    if key:
        definition["id"] = key
    cluster = Cluster.objects.filter(slug=cluster_slug).first()
    if cluster is None:
        raise click.ClickException(f"no cluster {cluster_slug!r}")
    instrument = None
    if instrument_key:
        instrument = Instrument.objects.filter(key=instrument_key).first()
        if instrument is None:
            raise click.ClickException(f"no instrument {instrument_key!r}")
    try:
        call = services.create_call(user, cluster, definition, instrument=instrument, visibility=visibility)
    except PermissionDenied:
        raise click.ClickException(f"{username} may not create a call of {cluster_slug}") from None
    except ValidationError as exc:
        lines = [m for messages in exc.message_dict.values() for m in messages]
        raise click.ClickException("the call cannot be created:\n  " + "\n  ".join(lines)) from None
    click.echo(f"Created call {call.key}: {call.title} ({call.cluster.slug}, {call.status}).")


def _move(username: str | None, key: str, target: str, note: str, command: str) -> None:
    setup_django()
    from django.core.exceptions import PermissionDenied

    from helix.calls import services

    user = require_user(username, command)
    call = _visible_call(user, key)
    try:
        call = services.move_call(user, call, target, note)
    except services.CallRefused as refused:
        raise _refused(refused) from None
    except PermissionDenied:
        raise click.ClickException(f"{username} may not move call {key}") from None
    click.echo(f"Call {key} is now {call.status}.")


@calls.command("open")
@AS_OPTION
@click.argument("key")
@click.option("--note", default="", help="Why (kept in the call's history).")
def open_command(username: str | None, key: str, note: str) -> None:
    """Open a call for applications (a draft, or a closed one whose deadline was extended)."""
    _move(username, key, "open", note, "helix calls open")


@calls.command("close")
@AS_OPTION
@click.argument("key")
@click.option("--note", default="", help="Why (kept in the call's history).")
def close_command(username: str | None, key: str, note: str) -> None:
    """Close an open call: no more applications are started or submitted."""
    _move(username, key, "closed", note, "helix calls close")


@calls.command("applications")
@AS_OPTION
@click.argument("key")
@click.option("--status", type=click.Choice(APPLICATION_STATUSES), help="Only applications in this status.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True
)
def applications_command(username: str | None, key: str, status: str | None, fmt: str) -> None:
    """The applications to a call that you may see (the cluster's staff: all): lead, co-applicants,
    status, amount requested, when submitted and the receipt."""
    setup_django()
    from django.db.models import Prefetch

    from helix.calls.models import Applicant, Application
    from helix.registry.permissions import scope

    user = require_user(username, "helix calls applications")
    call = _visible_call(user, key)
    rows = scope(user, "view", Application.objects.filter(call=call)).prefetch_related(
        Prefetch("applicants", queryset=Applicant.objects.select_related("organisation")), "submissions"
    )
    if status:
        rows = rows.filter(status=status)
    found = [_application_row(a) for a in rows.order_by("title", "pk")]
    if fmt == "json":
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        from helix.spreadsheets import write_csv

        write_csv(sys.stdout, APPLICATION_COLUMNS, ([row[c] for c in APPLICATION_COLUMNS] for row in found))
    else:
        _print_table(
            APPLICATION_COLUMNS,
            [tuple("" if row[c] is None else str(row[c]) for c in APPLICATION_COLUMNS) for row in found],
        )
    click.echo(f"{len(found)} application(s)", err=True)


def _application_row(application: Any) -> dict[str, Any]:
    applicants = list(application.applicants.all())
    submissions = list(application.submissions.all())
    last = submissions[-1] if submissions else None
    return {
        "id": application.pk,
        "title": application.title,
        "lead": next((a.organisation.slug for a in applicants if a.lead), ""),
        "co_applicants": ";".join(a.organisation.slug for a in applicants if not a.lead),
        "status": application.status,
        "requested_eur": None if application.requested_eur is None else f"{application.requested_eur:.2f}",
        "submitted_at": last.submitted_at.isoformat() if last else None,
        "receipt": last.receipt if last else "",
    }


@calls.command("judge")
@AS_OPTION
@click.argument("key")
@click.option("--application", "application_id", type=int, help="Only this application (its id).")
@click.option(
    "--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), help="Judge as on this date (default: today)."
)
def judge_command(username: str | None, key: str, application_id: int | None, on: dt.datetime | None) -> None:
    """Judge the eligibility of the call's submitted applications (or one of them) by its rules, as the
    cluster's staff: each becomes eligible or not eligible, with each rule's reason."""
    setup_django()
    from django.core.exceptions import PermissionDenied

    from helix.calls import explain, services
    from helix.calls.models import Application, ApplicationStatus
    from helix.calls.permissions import call_roles
    from helix.registry.permissions import scope

    user = require_user(username, "helix calls judge")
    call = _visible_call(user, key)
    if lifecycle.STAFF not in call_roles(user, call):  # the lifecycle gives judging to the staff
        raise click.ClickException(f"{username} may not judge the applications to {key}")
    visible = scope(user, "view", Application.objects.filter(call=call))
    if application_id is not None:
        chosen = list(visible.filter(pk=application_id))
        if not chosen:
            raise click.ClickException(f"no application {application_id} to call {key} that you may see")
    else:
        chosen = list(visible.filter(status=ApplicationStatus.SUBMITTED).order_by("title", "pk"))
    judged_on = on.date() if on else None
    eligible = failed = 0
    for application in chosen:
        try:
            judged = services.judge_eligibility(user, application, on=judged_on)
        except services.CallRefused as refused:
            if application_id is not None:
                raise _refused(refused) from None
            click.echo(f"{application.pk} {application.title}: {explain.refusal_text(refused)}", err=True)
            failed += 1
            continue
        except PermissionDenied:
            raise click.ClickException(f"{username} may not judge the applications to {key}") from None
        eligible += judged.eligible
        click.echo(
            f"{application.pk} {application.title}: {'eligible' if judged.eligible else 'not eligible'}"
        )
        names = {str(a.organisation_id): a.organisation.name for a in application.applicants.all()}
        for outcome in judged.outcomes:
            mark = "ok  " if outcome.passed else "FAIL"
            reason = explain.outcome_text(outcome, names)
            click.echo(f"  {mark} {outcome.kind}: {reason}")
    click.echo(
        f"Judged {len(chosen) - failed} application(s) to {key}: {eligible} eligible, "
        f"{len(chosen) - failed - eligible} not eligible" + (f", {failed} refused" if failed else "") + ".",
        err=True,
    )


@calls.command("close-due")
def close_due_command() -> None:
    """Close every open call whose last deadline has passed (the worker does this too, every minute)."""
    setup_django()
    from helix.calls import services

    closed = services.close_due_calls()
    for call in closed:
        click.echo(f"Closed {call.key}: {call.title}")
    click.echo(f"{len(closed)} call(s) closed.", err=True)
