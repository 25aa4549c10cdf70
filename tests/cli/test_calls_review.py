"""Integration: the staff's review and decision from the command line (helix.cli.calls_review), as a
user, through the services and the permission tables: reviewers listed, added and removed; the
assignment run as a job (at once with the immediate backend, or queued and waited for) with its fits,
the solver against greedy and the gap, or why none is possible; the ranking in three formats; the
decision previewed and confirmed; an award refused whole with its reasons, then made; the decision
letter written as PDF. A member of the cluster is refused each, with exit code 1.

The assignment's tests run outside the per-test transaction: the run is queued when the transaction
that starts it commits (as on a real server), and the immediate task backend then runs it at once."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from click.testing import CliRunner
from django.core.management import call_command
from django.utils import timezone

from helix.calls import decision_services, review_assignment
from helix.calls.models import Application, ApplicationStatus, Award, CallStatus, ReviewAssignment, Reviewer
from helix.cli import calls_review, main
from helix.funds.models import LedgerEntry
from helix.projects.models import Project
from tests.calls.review_world import build, score_all
from tests.factories import (
    DeclaredConflictFactory,
    MembershipFactory,
    OrganisationFactory,
    ReviewAssignmentFactory,
    ReviewFactory,
    UserFactory,
)
from tests.factories.registry import PersonFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]
OUTSIDE_THE_TEST_TRANSACTION = pytest.mark.django_db(transaction=True, serialized_rollback=True)
KEY = "fotf-2027"


def run(*args: str) -> Any:
    return CliRunner().invoke(main, ["calls", *args])


def staff(*args: str) -> Any:
    return run(*args[:1], "--as", "staff", KEY, *args[1:])


def refused(result: Any, text: str) -> None:
    assert (result.exit_code, result.output) == (1, f"Error: {text}\n")


def submitted(reviewer: Reviewer, application: Application, value: float) -> None:
    """The reviewer's submitted review of the application, giving ``value`` on each criterion."""
    ReviewFactory(
        assignment=ReviewAssignmentFactory(reviewer=reviewer, application=application),
        scores={"excellence": value, "impact": value, "implementation": value},
        comment=f"On {application.title}",
        submitted_at=timezone.now(),
    )


def reviewed(world: Any, scores: list[float]) -> None:
    """Two submitted reviews of each application (hugo's and tess's), both giving it ``scores[i]``."""
    for application, value in zip(world.applications, scores, strict=True):
        for who in ("hugo", "tess"):
            submitted(world.reviewers[who], application, value)


def members(world: Any) -> None:
    """The reviewers' consultancies join the cluster: its staff see their people then (Rita's is Lead 0)."""
    for name in ("hugo", "tess", "cole"):
        MembershipFactory(organisation=world.reviewers[name].person.organisation, cluster=world.cluster)


# --- reviewers --------------------------------------------------------------------------------------------


def test_staff_list_add_and_remove_reviewers_and_a_member_is_refused():
    world = build()
    members(world)
    DeclaredConflictFactory(
        reviewer=world.reviewers["tess"], application=world.applications[2], note="my brother"
    )
    listed = staff("reviewers")
    assert listed.exit_code == 0
    lines = listed.stdout.splitlines()
    assert lines[0].split() == [*calls_review.REVIEWER_COLUMNS[:-1], "declared", "conflicts"]
    tess = next(line for line in lines if line.split()[0] == str(world.reviewers["tess"].pk))
    assert "Textile, composites, maritime, sensors" in tess
    assert "Smart textiles for ships (my brother)" in tess
    assert listed.stderr == f"4 reviewer(s) of {KEY}\n"

    nina = OrganisationFactory(name="Nina Labs", slug="nina-labs")
    MembershipFactory(organisation=nina, cluster=world.cluster, level="member")
    PersonFactory(
        organisation=nina,
        user=UserFactory(username="nina"),
        first_name="Nina",
        last_name="New",
        email="nina@example.org",
    )
    added = staff(
        "reviewers", "--add", "NINA@example.org", "--expertise", "Welding; welding ,lasers", "--max", "2"
    )
    assert added.exit_code == 0, added.output
    assert added.stdout.startswith(f"Nina New reviews {KEY}.\n")
    made = Reviewer.objects.get(person__first_name="Nina")
    assert (made.expertise, made.max_reviews) == ("Welding, lasers", 2)
    refused(staff("reviewers", "--add", "nina@example.org"), "Nina New already reviews this call.")
    bad_load = staff("reviewers", "--add", str(world.users["lead1"].person.pk), "--max", "lots")
    refused(bad_load, "The most reviews must be a whole number from 0 to 1,000.")
    ambiguous = staff("reviewers", "--add", "reviewer@example.org")  # the four reviewers share it
    assert ambiguous.exit_code == 1
    assert "reviewer@example.org names 4 people; give the id of one: " in ambiguous.output
    refused(
        staff("reviewers", "--add", "nobody@example.org"),
        "no person 'nobody@example.org' with a login that you may see",
    )

    hugo = world.reviewers["hugo"]
    submitted(hugo, world.applications[1], 4)
    refused(
        staff("reviewers", "--remove", str(hugo.pk)),
        "Hugo Reviewer submitted 1 review: a reviewer whose reviews count cannot be removed.",
    )
    removed = staff("reviewers", "--remove", str(made.pk))
    assert removed.stdout.startswith(f"Nina New no longer reviews {KEY}.\n")
    assert not Reviewer.objects.filter(pk=made.pk).exists()
    refused(staff("reviewers", "--remove", "999999"), f"no reviewer 999999 of call {KEY}")

    refused(run("reviewers", "--as", "lead0", KEY), f"lead0 may not manage the reviewers of call {KEY}")
    assert run("reviewers", KEY).exit_code == 2  # a usage error: it acts as a user
    assert staff("reviewers", "--expertise", "x").exit_code == 2  # --expertise goes with --add


# --- the assignment ---------------------------------------------------------------------------------------


@OUTSIDE_THE_TEST_TRANSACTION
def test_the_assignment_runs_at_once_with_its_fits_and_an_infeasible_one_says_why():
    world = build()
    assigned = staff("assign")
    assert assigned.exit_code == 0, assigned.output
    lines = assigned.stdout.splitlines()
    apps = sorted(world.applications, key=lambda a: a.title)
    assert [line.split(":")[0] for line in lines[:6]] == [f"{a.pk} {a.title}" for a in apps]
    for line in lines[:6]:
        assert line.count("(fit ") == 2  # two reviews each
    rita_first = next(line for line in lines if line.startswith(f"{world.applications[0].pk} "))
    assert "Rita Reviewer" not in rita_first  # she works for its lead
    assert lines[6].startswith("Total fit ")
    assert "(solver) against " in lines[6]
    assert lines[6].endswith("gap 0, proven optimal.")
    assert ReviewAssignment.objects.count() == 12
    assert "12 assignment(s) new, 0 removed, 0 kept with a submitted review" in assigned.stderr

    before = sorted(ReviewAssignment.objects.values_list("pk", flat=True))
    Reviewer.objects.update(max_reviews=1)
    infeasible = staff("assign")
    assert infeasible.exit_code == 1
    assert "No assignment was made (job " in infeasible.output
    assert infeasible.output.endswith(
        "; the previous one stays:\n  - The applications need 12 more reviews; the reviewers' loads allow 4. "
        "Add reviewers or raise their loads.\n"
    )
    assert sorted(ReviewAssignment.objects.values_list("pk", flat=True)) == before

    refused(run("assign", "--as", "lead0", KEY), f"lead0 may not assign the reviewers of call {KEY}")
    Reviewer.objects.all().delete()
    refused(staff("assign"), "The call has no reviewers yet.")


@OUTSIDE_THE_TEST_TRANSACTION
def test_a_run_that_fails_is_said_with_its_error(monkeypatch):
    build()

    def broken(call, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("the registry is unreachable")

    monkeypatch.setattr(review_assignment, "instance_of", broken)
    failed = staff("assign")
    assert failed.exit_code == 1
    said = failed.output.splitlines()[-1]  # after the task backend's log of the traceback
    assert said.startswith("Error: the assignment job ")
    assert said.endswith(" failed: The job stopped with an error. RuntimeError: the registry is unreachable")
    assert ReviewAssignment.objects.count() == 0


@OUTSIDE_THE_TEST_TRANSACTION
def test_a_queued_assignment_is_waited_for_while_the_worker_runs_it(settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    build()
    queued = staff("assign")
    assert queued.exit_code == 0
    assert queued.stdout.startswith(f"The assignment of {KEY} is queued as job ")
    assert ReviewAssignment.objects.count() == 0
    refused(staff("assign"), "An assignment of this call is already queued or running.")
    worked = []

    def worker(seconds: float) -> None:  # the worker runs the job while the command waits
        worked.append(seconds)
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    monkeypatch.setattr(calls_review, "sleep", worker)
    waited = staff("assign", "--wait")
    assert waited.exit_code == 0, waited.output
    assert f"An assignment of {KEY} is under way: waiting for it" in waited.stderr
    assert "Total fit " in waited.stdout
    assert worked == [calls_review.POLL_SECONDS]
    assert ReviewAssignment.objects.count() == 12


# --- the ranking ------------------------------------------------------------------------------------------


def test_the_ranking_in_three_formats_with_outliers_flags_the_unranked_and_a_member_refused():
    world = build()
    apps = world.applications
    reviewed(world, [4.8, 4.6, 4.4, 4.2, 2.0, 3.8])
    apps[5].assignments.get(reviewer=world.reviewers["hugo"]).review.delete()  # one review short now
    submitted(world.reviewers["cole"], apps[0], 2)  # far from the others' 4.8: an outlier
    table = staff("ranking")
    assert table.exit_code == 0, table.output
    rows = [line.split() for line in table.stdout.splitlines()]
    assert rows[0] == list(calls_review.RANKING_COLUMNS)
    assert [row[:2] for row in rows[1:6]] == [
        [str(n), str(apps[i].pk)] for n, i in enumerate([1, 2, 3, 0, 4], 1)
    ]
    assert table.stderr == "5 ranked, 1 not ranked yet\n"

    found = {r["title"]: r for r in json.loads(staff("ranking", "--format", "json").stdout)}
    assert [r["rank"] for r in found.values()] == [1, 2, 3, 4, 5, None]
    first, split, low = found[apps[1].title], found[apps[0].title], found[apps[4].title]
    assert [first[k] for k in ("score", "mean", "std", "range", "reviews")] == [4.6, 4.6, 0, 0, 2]
    assert (first["passes"], first["flags"], first["outliers"]) == (True, [], [])
    assert (split["mean"], split["range"], split["reviews"]) == (pytest.approx(3.8667), 2.8, 3)
    assert split["outliers"] == ["Cole Reviewer (2.00)"]
    assert split["flags"] == ["The reviews differ by 2.8 points (more than 1.5)."]
    assert (low["passes"], low["flags"][-1]) == (False, "Scores 2, below the threshold 3.")
    assert found[apps[5].title]["flags"] == ["1 review submitted; 2 are needed before it is ranked."]

    parsed = list(csv.DictReader(io.StringIO(staff("ranking", "--format", "csv").stdout)))
    assert [r["rank"] for r in parsed] == ["1", "2", "3", "4", "5", ""]
    assert [parsed[0]["score"], parsed[0]["passes"]] == ["4.60", "yes"]
    assert parsed[3]["outliers"] == "Cole Reviewer (2.00)"
    assert parsed[4]["flags"].endswith(" Scores 2, below the threshold 3.")  # the flags, one after the other
    corrected = staff("ranking", "--severity", "--format", "csv")
    assert corrected.stderr == "5 ranked, 1 not ranked yet (severity corrected)\n"

    refused(run("ranking", "--as", "lead0", KEY), f"lead0 may not read the ranking of call {KEY}")


# --- the decision, the award, the letter ------------------------------------------------------------------


def test_the_decision_is_previewed_then_confirmed_and_refused_when_not_ready():
    world = build()
    reviewed(world, [4.8, 4.6, 4.4, 4.2, 4.0, 3.8])
    apps = world.applications
    preview = staff("decide", "--method", "rank")
    assert preview.exit_code == 0, preview.output
    left = "Asks EUR 30,000.00; EUR 10,000.00 is left."
    assert preview.stdout.splitlines() == [
        f"{KEY} by rank-skip, budget EUR 100,000.00",
        "selected (3):",
        f"  1. {apps[0].pk} {apps[0].title}: score 4.80, EUR 30,000.00",
        f"  2. {apps[1].pk} {apps[1].title}: score 4.60, EUR 30,000.00",
        f"  3. {apps[2].pk} {apps[2].title}: score 4.40, EUR 30,000.00",
        "not selected (3):",
        *(f"  {rank}. {a.pk} {a.title}: {left}" for rank, a in enumerate(apps[3:], start=4)),
        "spent EUR 90,000.00, left EUR 10,000.00, total score 13.80; not proven optimal (down the ranking)",
    ]
    assert "A preview: nothing is recorded." in preview.stderr
    assert Application.objects.filter(status=ApplicationStatus.IN_REVIEW).count() == 6

    optimal = staff("decide", "--method", "optimal", "--budget", "60000")
    assert optimal.stdout.splitlines()[-1] == (
        "spent EUR 60,000.00, left EUR 0.00, total score 9.40; proven optimal"
    )
    refused(
        staff("decide", "--method", "rank", "--budget", "lots"),
        "The budget must be an amount in euros and cents, not negative.",
    )
    refused(
        run("decide", "--as", "lead0", KEY, "--method", "rank"),
        f"lead0 may not decide on the applications of call {KEY}",
    )
    assert staff("decide").exit_code == 2  # --method is required
    assert calls_review.METHODS == decision_services.METHODS  # named for --help without Django

    confirmed = staff("decide", "--method", "rank", "--confirm")
    assert confirmed.stdout.splitlines()[-1] == (
        f"The decision is recorded: 3 selected, 3 not selected; call {KEY} is now decided."
    )
    statuses = [Application.objects.get(pk=a.pk).status for a in apps]
    assert statuses == ["selected"] * 3 + ["rejected"] * 3
    world.call.refresh_from_db()
    assert world.call.status == CallStatus.DECIDED
    again = staff("decide", "--method", "rank", "--confirm")
    assert again.exit_code == 1
    assert again.output.endswith("Error: The decision is taken when the call is in review.\n")


def test_an_award_is_refused_whole_with_each_reason_then_made():
    world = build()
    reviewed(world, [4.8, 4.6, 4.4, 4.2, 4.0, 3.8])
    assert staff("decide", "--method", "rank", "--confirm").exit_code == 0
    first = world.applications[0]

    no_duration = staff("award", "--application", str(first.pk))
    refused(
        no_duration,
        "The project does not meet the rules of its kind; nothing was booked:\n"
        "  - The project needs a duration (from 12 to 36 months).",
    )
    world.instrument.caps = [
        {
            "id": "per-beneficiary",
            "kind": "per_beneficiary_per_year",
            "limit_eur": 15000,
            "instruments": [world.instrument.key],
        }
    ]
    world.instrument.save()
    over_cap = staff("award", "--application", str(first.pk), "--months", "24")
    assert over_cap.exit_code == 1
    assert over_cap.output.startswith("Error: EUR 30,000.00 cannot be committed; nothing was booked:\n  - ")
    assert (LedgerEntry.objects.count(), Project.objects.count(), Award.objects.count()) == (0, 0, 0)
    first.refresh_from_db()
    assert first.status == ApplicationStatus.SELECTED

    world.instrument.caps = []
    world.instrument.save()
    refused(
        run("award", "--as", "lead0", KEY, "--application", str(first.pk), "--months", "24"),
        f"lead0 may not award the applications of call {KEY}",
    )
    refused(
        staff("award", "--application", str(world.applications[5].pk), "--months", "24"),
        "Only a selected application is awarded.",
    )
    refused(staff("award", "--application", "999999"), f"no application 999999 to call {KEY}")
    made = staff("award", "--application", str(first.pk), "--months", "24", "--start", "2027-01-01")
    assert made.exit_code == 0, made.output
    project = Project.objects.get()
    assert made.stdout.splitlines() == [
        f"{first.pk} Cobots for welding cells is funded: EUR 30,000.00.",
        "  committed EUR 30,000.00 to Lead 0 on fof-precluster",
        f"  project {project.pk}: Cobots for welding cells (precluster, approved, 24 months from 2027-01-01)",
    ]
    first.refresh_from_db()
    assert (first.status, first.project) == (ApplicationStatus.FUNDED, project)


def test_the_letter_is_written_for_the_staff_and_the_applicant_but_not_another_member(tmp_path):
    world = build()
    reviewed(world, [4.8, 4.6, 4.4, 4.2, 4.0, 3.8])
    first = world.applications[0]
    refused(
        run("letter", "--as", "staff", str(first.pk), "--output", str(tmp_path / "early.pdf")),
        "There is no decision letter before the decision.",
    )
    assert not list(tmp_path.iterdir())
    assert staff("decide", "--method", "rank", "--confirm").exit_code == 0
    out = tmp_path / "letter.pdf"
    written = run("letter", "--as", "staff", str(first.pk), "--output", str(out))
    assert (written.exit_code, written.stdout) == (
        0,
        f"Wrote the decision letter of {first.pk} (en) to {out}.\n",
    )
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["letter.pdf"]  # no temporary file left
    mine = run("letter", "--as", "lead0", str(first.pk), "--output", str(tmp_path / "mine.pdf"))
    assert mine.exit_code == 0, mine.output
    refused(
        run("letter", "--as", "lead1", str(first.pk), "--output", str(tmp_path / "theirs.pdf")),
        f"no application {first.pk} whose letter lead1 may read",
    )
    missing = run("letter", "--as", "staff", str(first.pk), "--output", str(tmp_path / "no" / "such.pdf"))
    assert missing.exit_code == 1
    assert "No such file or directory" in missing.output


# --- the whole review, from the command line --------------------------------------------------------------


@OUTSIDE_THE_TEST_TRANSACTION
def test_the_whole_review_from_reviewers_to_the_decision_letter(tmp_path):
    world = build()
    members(world)
    people = {name: r.person for name, r in world.reviewers.items()}
    expertise = {name: r.expertise for name, r in world.reviewers.items()}
    Reviewer.objects.all().delete()
    for name, person in people.items():
        added = staff("reviewers", "--add", str(person.pk), "--expertise", expertise[name])
        assert added.exit_code == 0, added.output
    assert world.call.reviewers.count() == 4

    assigned = staff("assign", "--wait")
    assert assigned.exit_code == 0, assigned.output
    assert "gap 0, proven optimal." in assigned.stdout

    scores = {
        a.title: {"excellence": v, "impact": v, "implementation": v}
        for a, v in zip(world.applications, [4.0, 4.9, 3.5, 4.5, 4.2, 3.9], strict=True)
    }
    score_all(world, scores)

    ranking = json.loads(staff("ranking", "--format", "json").stdout)
    assert [r["title"] for r in ranking[:3]] == [
        "Green hydrogen for the chemical park",
        "Heat pumps in the factory",
        "Sensors woven in",
    ]
    decided = staff("decide", "--method", "optimal", "--confirm")
    assert decided.exit_code == 0, decided.output
    assert "; proven optimal\n" in decided.stdout
    best = Application.objects.get(title="Green hydrogen for the chemical park")
    assert best.status == ApplicationStatus.SELECTED

    awarded = staff("award", "--application", str(best.pk), "--months", "24", "--start", "2027-01-01")
    assert awarded.exit_code == 0, awarded.output
    best.refresh_from_db()
    assert best.status == ApplicationStatus.FUNDED
    assert LedgerEntry.objects.get().amount_eur == Decimal("30000.00")

    letter = tmp_path / "decision.pdf"
    written = run("letter", "--as", "staff", str(best.pk), "--output", str(letter))
    assert written.exit_code == 0, written.output
    assert letter.exists()
    assert letter.read_bytes().startswith(b"%PDF")
