"""``helix calls reviewers|assign|ranking|decide|award|letter``: the staff's review and decision from the
command line, added to the ``calls`` group (helix.cli.calls). Each acts ``--as`` a user with exactly that
user's permissions, through the services and permission tables of the staff's pages (helix.calls
review_services, review_assignment, review_scoring, decision_services, award_services, letters); a
refusal is said as the pages say it (helix.calls.explain), each reason on a line, with exit code 1."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from time import sleep
from typing import Any

import click

from helix.cli import setup_django
from helix.cli.calls import _print_table, _visible_call, calls
from helix.cli.listings import AS_OPTION, require_user

METHODS = ("rank", "rank-stop", "optimal")  # helix.calls.decision_services.METHODS, named without Django
REVIEWER_COLUMNS = (
    "id", "reviewer", "organisation", "expertise", "max", "load", "submitted", "declared conflicts",
)  # fmt: skip
RANKING_COLUMNS = (
    "rank", "id", "title", "status", "reviews", "score", "mean", "std", "range", "outliers", "passes",
    "flags",
)  # fmt: skip
FORMATS = ("table", "csv", "json")
POLL_SECONDS = 1.0


@contextmanager
def _refusals(denied: str) -> Iterator[None]:
    """A service's refusal as the pages say it (the refusal, then each reason on a line of its own); a
    permission refused as ``denied``."""
    from django.core.exceptions import PermissionDenied

    from helix.calls import explain
    from helix.calls.services import CallRefused

    try:
        yield
    except CallRefused as refused:
        lines = [explain.say(refused.code, refused.params)]
        lines += [f"  - {explain.problem_text(p)}" for p in refused.problems]
        raise click.ClickException("\n".join(lines)) from None
    except PermissionDenied:
        raise click.ClickException(denied) from None


def _staff_call(username: str | None, key: str, action: str, doing: str) -> tuple[Any, Any]:
    """The user and the call, when the permission tables give the user ``action`` on it."""
    from helix.registry.permissions import can

    user = require_user(username, f"helix calls {click.get_current_context().info_name}")
    call = _visible_call(user, key)
    if not can(user, action, call):
        raise click.ClickException(f"{username} may not {doing} of call {key}")
    return user, call


def _eur(value: Any) -> str:
    from helix.calls.explain import eur

    return f"EUR {eur(value)}"


# --- reviewers --------------------------------------------------------------------------------------------


def _person(user: Any, given: str) -> Any:
    """The person with a login (as the page offers) named by id among those the user may see, or by
    e-mail among those whose contact data the user may see."""
    from helix.registry.models import Person
    from helix.registry.permissions import scope

    people = Person.objects.filter(user__isnull=False).select_related("organisation")
    if given.isdigit():
        found = list(scope(user, "view", people).filter(pk=int(given)))
    else:
        found = list(scope(user, "view_contacts", people).filter(email__iexact=given))
    if not found:
        raise click.ClickException(f"no person {given!r} with a login that you may see")
    if len(found) > 1:
        named = ", ".join(f"{p.pk} ({p}, {p.organisation.name})" for p in found)
        raise click.ClickException(f"{given} names {len(found)} people; give the id of one: {named}")
    return found[0]


@calls.command("reviewers")
@AS_OPTION
@click.argument("key")
@click.option("--add", metavar="PERSON_ID_OR_EMAIL", help="Name this person (with a login) a reviewer.")
@click.option("--expertise", default="", help="Their expertise: keywords, separated by commas.")
@click.option("--max", "most", metavar="N", help="The most reviews they take (default: balanced).")
@click.option("--remove", type=int, metavar="ID", help="Remove this reviewer (by its id).")
def reviewers_command(
    username: str | None, key: str, add: str | None, expertise: str, most: str | None, remove: int | None
) -> None:
    """The call's reviewers with their expertise, load (reviews assigned, submitted) and declared
    conflicts; add or remove one first. A reviewer who submitted a review cannot be removed."""
    if (expertise or most is not None) and not add:
        raise click.UsageError("--expertise and --max go with --add")
    setup_django()
    from django.db.models import Count, Q

    from helix.calls import review_services

    user, call = _staff_call(username, key, "edit", "manage the reviewers")
    with _refusals(f"{username} may not manage the reviewers of call {key}"):
        if remove is not None:
            reviewer = call.reviewers.select_related("person").filter(pk=remove).first()
            if reviewer is None:
                raise click.ClickException(f"no reviewer {remove} of call {key}")
            review_services.remove_reviewer(user, reviewer)
            click.echo(f"{reviewer.person} no longer reviews {key}.")
        if add:
            person = _person(user, add)
            review_services.add_reviewer(user, call, person, expertise=expertise, max_reviews=most)
            click.echo(f"{person} reviews {key}.")
    submitted = Q(assignments__review__submitted_at__isnull=False)
    found = (
        call.reviewers.select_related("person__organisation")
        .prefetch_related("declared_conflicts__application")
        .annotate(
            load=Count("assignments", distinct=True),
            submitted=Count("assignments__review", filter=submitted, distinct=True),
        )
        .order_by("person__last_name", "person__first_name", "pk")
    )
    rows = [
        (
            str(r.pk), str(r.person), r.person.organisation.name, r.expertise,
            "balanced" if r.max_reviews is None else str(r.max_reviews), str(r.load), str(r.submitted),
            "; ".join(f"{c.application.title} ({c.note})" if c.note else c.application.title
                      for c in r.declared_conflicts.all()),
        )
        for r in found
    ]  # fmt: skip
    _print_table(REVIEWER_COLUMNS, rows)
    click.echo(f"{len(rows)} reviewer(s) of {key}", err=True)


# --- the assignment ---------------------------------------------------------------------------------------


@calls.command("assign")
@AS_OPTION
@click.argument("key")
@click.option("--wait", is_flag=True, help="Wait for the worker to finish the run (or the one under way).")
def assign_command(username: str | None, key: str, wait: bool) -> None:
    """Assign the reviewers to the applications in review (a background job): each application's
    reviewers with their fit, the solver's total fit against the greedy baseline and the proven gap;
    when no assignment is possible, why (the previous assignment stays)."""
    setup_django()
    from helix.calls import review_assignment
    from helix.calls.services import CallRefused

    user, call = _staff_call(username, key, "edit", "assign the reviewers")
    with _refusals(f"{username} may not assign the reviewers of call {key}"):
        try:
            job = review_assignment.start_assignment(user, call)
        except CallRefused as refused:  # with --wait, a run under way is waited for
            job = review_assignment.last_run(call) if refused.code == "assignment.running" else None
            if not wait or job is None:
                raise
            click.echo(f"An assignment of {key} is under way: waiting for it (job {job.pk}).", err=True)
    job.refresh_from_db()
    if wait and not job.finished:
        click.echo(f"Waiting for the worker to run job {job.pk} (Ctrl-C stops the wait).", err=True)
    while wait and not job.finished:
        sleep(POLL_SECONDS)
        job.refresh_from_db()
    if not job.finished:
        click.echo(f"The assignment of {key} is queued as job {job.pk}; the worker runs it (--wait waits).")
    else:
        _say_run(call, job)


def _say_run(call: Any, job: Any) -> None:
    from helix.calls import explain
    from helix.calls.models import ApplicationStatus, ReviewAssignment
    from helix.jobs.models import JobStatus

    if job.status == JobStatus.FAILED:
        last = (job.error.strip().splitlines() or [""])[-1]
        raise click.ClickException(f"the assignment job {job.pk} failed: {job.get_failure_display()} {last}")
    result = job.result or {}
    in_review = list(call.applications.filter(status=ApplicationStatus.IN_REVIEW).order_by("title", "pk"))
    if not result.get("ok"):
        titles = {str(a.pk): a.title for a in in_review}
        lines = [f"No assignment was made (job {job.pk}); the previous one stays:"]
        for p in result.get("problems", []):
            text = explain.say(p["code"], p.get("params") or {}, p.get("text", ""))
            subject = titles.get(str(p.get("subject", "")))
            lines.append(f"  - {subject}: {text}" if subject else f"  - {text}")
        raise click.ClickException("\n".join(lines))
    assigned: dict[int, list[Any]] = {}
    for a in ReviewAssignment.objects.filter(application__in=in_review).select_related("reviewer__person"):
        assigned.setdefault(a.application_id, []).append(a)
    for application in in_review:
        found = sorted(assigned.get(application.pk, []), key=lambda a: (-a.fit, str(a.reviewer.person)))
        names = ", ".join(f"{a.reviewer.person} (fit {a.fit:.2f})" for a in found) or "no reviewer"
        missing = max(0, call.reviews_per_application - len(found))
        more = f"; {missing} more needed" if missing else ""
        click.echo(f"{application.pk} {application.title}: {names}{more}")
    greedy = result.get("greedy") or {}
    baseline = f"{greedy['total_fit']:.3f} (greedy)" if greedy else "no greedy assignment"
    if greedy and not greedy.get("complete"):
        baseline += f", {greedy.get('missing')} review(s) short"
    ratio = f", {result['fit_vs_greedy']:.3f} times greedy's" if result.get("fit_vs_greedy") else ""
    bound, gap = (_cell(result.get(k), "gap") or "unknown" for k in ("bound", "gap"))
    gap = "0, proven optimal" if result.get("optimal") else f"{gap}, not proven optimal"
    click.echo(
        f"Total fit {result['total_fit']:.3f} (solver) against {baseline}{ratio}; "
        f"proven bound {bound}, gap {gap}."
    )
    click.echo(
        f"Job {job.pk}: {result.get('created', 0)} assignment(s) new, {result.get('removed', 0)} removed, "
        f"{result.get('kept', 0)} kept with a submitted review; loads from {result.get('min_load')} to "
        f"{result.get('max_load')}; {result.get('seconds')} s.",
        err=True,
    )


# --- the ranking ------------------------------------------------------------------------------------------


@calls.command("ranking")
@AS_OPTION
@click.argument("key")
@click.option("--severity", is_flag=True, help="Correct each reviewer's severity (harsh or lenient).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def ranking_command(username: str | None, key: str, severity: bool, fmt: str) -> None:
    """The ranking of the call's reviewed applications from their submitted reviews: rank, title, score,
    mean, spread (standard deviation, range), the outlier reviews, whether it passes the thresholds and
    the flags; those not ranked yet last, with why."""
    setup_django()
    from helix.calls.review_explain import review_problem_text
    from helix.calls.review_scoring import score_call

    user, call = _staff_call(username, key, "view_applications", "read the ranking")
    with _refusals(f"{username} may not read the ranking of call {key}"):
        scoring = score_call(call, severity=severity, user=user)
    people = scoring.reviewers
    found = []
    for row in scoring.rows:
        s = row.score
        found.append(
            {
                "rank": s.rank if s else None,
                "id": row.application.pk,
                "title": row.application.title,
                "status": row.application.status,
                "reviews": row.submitted,
                **{
                    f: None if s is None else round(getattr(s, f), 4)
                    for f in ("score", "mean", "std", "range")
                },
                "outliers": [
                    f"{people[r.reviewer].person if r.reviewer in people else r.reviewer} ({r.total:.2f})"
                    for r in (s.reviews if s else ())
                    if r.outlier
                ],
                "passes": s.passes if s else None,
                "flags": [review_problem_text(f) for f in (s.flags if s else row.problems)],
            }
        )
    if fmt == "json":
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        from helix.spreadsheets import write_csv

        write_csv(sys.stdout, RANKING_COLUMNS, ([_cell(row[c], c) for c in RANKING_COLUMNS] for row in found))
    else:
        _print_table(RANKING_COLUMNS, [tuple(_cell(row[c], c) for c in RANKING_COLUMNS) for row in found])
    ranked = sum(1 for row in found if row["rank"] is not None)
    corrected = " (severity corrected)" if severity else ""
    click.echo(f"{ranked} ranked, {len(found) - ranked} not ranked yet{corrected}", err=True)


def _cell(value: Any, column: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}" if column == "gap" else f"{value:.2f}"
    if isinstance(value, list):  # the flags are sentences; the outliers, names
        return (" " if column == "flags" else "; ").join(map(str, value))
    return str(value)


# --- the decision and the awards --------------------------------------------------------------------------


@calls.command("decide")
@AS_OPTION
@click.argument("key")
@click.option("--method", type=click.Choice(METHODS), required=True, help="How to select (see the guide).")
@click.option("--budget", metavar="EUR", help="The budget (default: the call's).")
@click.option("--severity", is_flag=True, help="Rank with each reviewer's severity corrected.")
@click.option("--confirm", is_flag=True, help="Record the decision (without it: a preview, nothing written).")
def decide_command(
    username: str | None, key: str, method: str, budget: str | None, severity: bool, confirm: bool
) -> None:
    """Preview the selection among the ranked applications in review under the budget: selected, spent,
    left, total score, proven optimal or not, and why each other is not selected. --confirm records it:
    the selected move to selected, the others to rejected, the call to decided."""
    setup_django()
    from helix.calls import decision_services, explain

    user, call = _staff_call(username, key, "decide", "decide on the applications")
    denied = f"{username} may not decide on the applications of call {key}"
    asked = {"method": method, "budget": budget, "severity": severity}
    with _refusals(denied):
        preview = decision_services.preview_decision(user, call, **asked)
    rows = {str(r.application.pk): r for r in preview.scoring.rows}
    chosen = preview.selection
    corrected = ", severity corrected" if severity else ""
    click.echo(f"{key} by {chosen.method}, budget {_eur(preview.budget)}{corrected}")
    click.echo(f"selected ({len(chosen.selected)}):")
    for c in (c for c in preview.candidates if c.proposal in chosen.selected):
        row, amount = rows[c.proposal], _eur(c.amount)
        click.echo(f"  {row.score.rank}. {c.proposal} {row.application.title}: score {c.score:.2f}, {amount}")
    click.echo(f"not selected ({len(chosen.reasons)}):")
    for c in (c for c in preview.candidates if c.proposal in chosen.reasons):
        row, why = rows[c.proposal], explain.problem_text(chosen.reasons[c.proposal])
        click.echo(f"  {row.score.rank}. {c.proposal} {row.application.title}: {why}")
    for application in preview.unranked:
        why = " ".join(explain.problem_text(p) for p in rows[str(application.pk)].problems)
        click.echo(f"not ranked yet: {application.pk} {application.title}: {why}")
    if chosen.optimal:
        proven = "proven optimal"
    elif method == "optimal":
        proven = "not proven optimal" + (f" (bound {chosen.bound:.2f})" if chosen.bound is not None else "")
    else:
        proven = "not proven optimal (down the ranking)"
    spent, left = _eur(chosen.spent), _eur(chosen.remaining)
    click.echo(f"spent {spent}, left {left}, total score {chosen.total_score:.2f}; {proven}")
    if not confirm:
        click.echo("A preview: nothing is recorded. Add --confirm to record the decision.", err=True)
        return
    with _refusals(denied):
        done = decision_services.confirm_decision(user, call, selected=preview.selected_ids, **asked)
    picked = len(done.selection.selected)
    click.echo(
        f"The decision is recorded: {picked} selected, {len(done.candidates) - picked} not selected; "
        f"call {key} is now decided."
    )


@calls.command("award")
@AS_OPTION
@click.argument("key")
@click.option("--application", "application_id", type=int, required=True, help="The application's id.")
@click.option("--months", type=int, help="The project's duration (default: the application's answer).")
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), help="The project's start (default: its answer).")
def award_command(
    username: str | None, key: str, application_id: int, months: int | None, start: dt.datetime | None
) -> None:
    """Award a selected application: commit its amount on the call's instrument and create its project,
    approved. A refusal (a cap, the project's rules) is said with each reason, and nothing is written."""
    setup_django()
    from helix.calls import award_services

    user, call = _staff_call(username, key, "decide", "award the applications")
    application = call.applications.filter(pk=application_id).first()
    if application is None:
        raise click.ClickException(f"no application {application_id} to call {key}")
    with _refusals(f"{username} may not award the applications of call {key}"):
        made = award_services.award(user, application, months=months, starts_on=start and start.date())
    project = made.application.project
    click.echo(f"{application.pk} {application.title} is funded: {_eur(made.amount_eur)}.")
    for entry in made.ledger_entries.select_related("beneficiary", "instrument").order_by("pk"):
        amount, whom = _eur(entry.amount_eur), entry.beneficiary.name
        click.echo(f"  committed {amount} to {whom} on {entry.instrument.key}")
    when = f", {project.months} months" if project.months else ""
    when += f" from {project.starts_on.isoformat()}" if project.starts_on else ""
    click.echo(f"  project {project.pk}: {project.title} ({project.kind}, {project.status}{when})")


# --- the letters ------------------------------------------------------------------------------------------


@calls.command("letter")
@AS_OPTION
@click.argument("application_id", type=int)
@click.option("--output", metavar="FILE.pdf", type=click.Path(dir_okay=False, path_type=Path), required=True)
def letter_command(username: str | None, application_id: int, output: Path) -> None:
    """Write the decision letter of an application (PDF, in its language of correspondence): for its
    call's staff, and for its applicants once it is decided. The file appears only when complete."""
    setup_django()
    from helix.calls import letters
    from helix.calls.models import Application
    from helix.registry.permissions import scope

    user = require_user(username, "helix calls letter")
    readable = scope(user, "view_letter", Application.objects.select_related("call__cluster", "project"))
    application = readable.filter(pk=application_id).first()
    if application is None:
        raise click.ClickException(f"no application {application_id} whose letter {username} may read")
    with _refusals(f"{username} may not read the decision letter of application {application_id}"):
        pdf = letters.letter_pdf(application)
    try:
        descriptor, temporary = tempfile.mkstemp(dir=output.resolve().parent, prefix=f".{output.name}.")
    except OSError as exc:
        raise click.ClickException(f"{output}: {exc.strerror}") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pdf)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    click.echo(f"Wrote the decision letter of {application_id} ({application.language}) to {output}.")
