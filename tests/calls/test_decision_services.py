"""Integration: the funding decision and the awards (helix.calls.decision_services): a selection by rank or
optimal under the budget, confirmed with dated history; an award that books the ledger, creates the
project with its consortium and approves it, or is refused whole with every reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from helix.calls import award_services, decision_services, explain
from helix.calls.models import ApplicationChange, ApplicationStatus, Award, CallStatus
from helix.calls.services import CallRefused
from helix.funds.models import LedgerEntry
from helix.projects.models import Project
from tests.calls.review_world import build
from tests.factories import ReviewAssignmentFactory, ReviewFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def reviewed(world, scores):  # type: ignore[no-untyped-def]
    """Two submitted reviews of each application, both giving it ``scores[i]`` on every criterion."""
    for application, value in zip(world.applications, scores, strict=True):
        for who in ("hugo", "tess"):
            assignment = ReviewAssignmentFactory(reviewer=world.reviewers[who], application=application)
            ReviewFactory(
                assignment=assignment,
                scores={"excellence": value, "impact": value, "implementation": value},
                comment=f"{who} on {application.title}",
                submitted_at=timezone.now(),
            )


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    w = build()  # six applications of EUR 30,000; budget EUR 100,000
    reviewed(w, [4.8, 4.6, 4.4, 4.2, 4.0, 3.8])
    return w


def titles(world, ids):  # type: ignore[no-untyped-def]
    by_id = {a.pk: a.title for a in world.applications}
    return [by_id[i] for i in ids]


def test_by_rank_the_budget_funds_the_best_three_and_says_why_not_the_others(world):
    preview = decision_services.preview_decision(world.staff, world.call, method="rank")
    apps = world.applications
    assert preview.selected_ids == [a.pk for a in apps[:3]]
    assert (preview.selection.spent, preview.selection.remaining) == (90000.0, 10000.0)
    assert {int(p): r.code for p, r in preview.selection.reasons.items()} == {
        a.pk: "budget_exhausted" for a in apps[3:]
    }
    assert explain.problem_text(preview.selection.reasons[str(apps[3].pk)]) == (
        "Asks EUR 30,000.00; EUR 10,000.00 is left."
    )


def test_the_decision_moves_the_applications_and_the_call_with_dated_history(world):
    decision_services.confirm_decision(
        world.staff,
        world.call,
        method="rank",
        budget=None,
        severity=False,
        selected=[a.pk for a in world.applications[:3]],
    )
    statuses = [a.status for a in (a.__class__.objects.get(pk=a.pk) for a in world.applications)]
    assert statuses == ["selected"] * 3 + ["rejected"] * 3
    change = ApplicationChange.objects.filter(application=world.applications[0]).latest("pk")
    assert (change.from_status, change.to_status, change.changed_by, change.note) == (
        "in_review",
        "selected",
        world.staff,
        "rank-skip; budget 100000.00 EUR",
    )
    world.call.refresh_from_db()
    assert world.call.status == CallStatus.DECIDED
    assert world.call.changes.latest("pk").to_status == "decided"


def test_the_optimal_selection_beats_the_ranking_when_the_first_is_large(world):
    apps = world.applications
    for application, amount in zip(apps, ["60000", "50000", "50000", "90000", "90000", "90000"], strict=True):
        application.requested_eur = Decimal(amount)
        application.save()
    by_rank = decision_services.preview_decision(world.staff, world.call, method="rank")
    optimal = decision_services.preview_decision(world.staff, world.call, method="optimal")
    assert titles(world, by_rank.selected_ids) == [apps[0].title]
    assert titles(world, optimal.selected_ids) == [apps[1].title, apps[2].title]
    assert (optimal.selection.optimal, optimal.selection.total_score) == (True, pytest.approx(9.0))
    stop = decision_services.preview_decision(world.staff, world.call, method="rank-stop", budget="110000")
    assert titles(world, stop.selected_ids) == [apps[0].title, apps[1].title]


def test_the_decision_is_refused_when_it_changed_since_the_preview_or_is_not_ready(world):
    apps = world.applications
    args = {"method": "rank", "budget": None, "severity": False}
    with pytest.raises(CallRefused) as changed:
        decision_services.confirm_decision(world.staff, world.call, selected=[apps[5].pk], **args)
    assert changed.value.code == "decision.changed"
    ReviewFactory(assignment=ReviewAssignmentFactory(reviewer=world.reviewers["cole"], application=apps[0]))
    apps[0].assignments.get(reviewer=world.reviewers["hugo"]).review.delete()  # one review short now
    with pytest.raises(CallRefused) as unranked:
        decision_services.confirm_decision(world.staff, world.call, selected=[], **args)
    assert (unranked.value.code, unranked.value.params) == (
        "decision.unranked",
        {"applications": [apps[0].title]},
    )
    with pytest.raises(CallRefused) as budget:
        decision_services.preview_decision(world.staff, world.call, budget="lots")
    assert budget.value.code == "decision.bad_budget"
    with pytest.raises(PermissionDenied):
        decision_services.preview_decision(world.users["lead0"], world.call)


@pytest.fixture
def selected(world):  # type: ignore[no-untyped-def]
    decision_services.confirm_decision(
        world.staff,
        world.call,
        method="rank",
        budget=None,
        severity=False,
        selected=[a.pk for a in world.applications[:3]],
    )
    application = world.applications[0]
    application.refresh_from_db()
    return application


def test_an_award_books_the_ledger_creates_the_project_with_its_consortium_and_funds_it(world, selected):
    made = award_services.award(world.staff, selected, months="24", starts_on="2027-01-01")
    selected.refresh_from_db()
    entry = LedgerEntry.objects.get()
    assert (
        entry.instrument,
        entry.beneficiary,
        entry.kind,
        entry.amount_eur,
        entry.project_ref,
        entry.on,
    ) == (
        world.instrument,
        world.leads[0],
        "committed",
        Decimal("30000.00"),
        f"application-{selected.pk}",
        timezone.localdate(),
    )
    assert (made.amount_eur, made.method, list(made.ledger_entries.all())) == (
        Decimal("30000"),
        "rank",
        [entry],
    )
    project = selected.project
    assert (project.kind, project.title, project.status, project.months, project.starts_on) == (
        "precluster",
        selected.title,
        "approved",
        24,
        dt.date(2027, 1, 1),
    )
    assert sorted((m.organisation.name, m.role) for m in project.members.all()) == [
        ("Lead 0", "coordinator"),
        ("University 0", "partner"),
    ]
    history = list(project.changes.order_by("pk").values_list("from_status", "to_status", "changed_by"))
    lead_user = world.users["lead0"].pk
    assert history == [
        ("", "idea", world.staff.pk),
        ("idea", "consortium_forming", world.staff.pk),
        ("consortium_forming", "submitted", lead_user),  # the lead submitted the application
        ("submitted", "approved", world.staff.pk),
    ]
    assert selected.status == ApplicationStatus.FUNDED
    assert selected.changes.latest("pk").to_status == "funded"


def test_the_applicants_shares_are_committed_to_each(world, selected):
    selected.applicants.filter(lead=True).update(requested_eur=Decimal("10000"))
    selected.applicants.filter(lead=False).update(requested_eur=Decimal("20000"))
    award_services.award(world.staff, selected, months=24)
    assert sorted((e.beneficiary.name, e.amount_eur) for e in LedgerEntry.objects.all()) == [
        ("Lead 0", Decimal("10000.00")),
        ("University 0", Decimal("20000.00")),
    ]
    selected.applicants.filter(lead=False).update(requested_eur=Decimal("5000"))
    other = world.applications[1]
    other.applicants.update(requested_eur=Decimal("5000"))
    with pytest.raises(CallRefused) as differ:
        award_services.award(world.staff, other, months=24)
    assert differ.value.code == "award.shares_differ"


def nothing_written(world, application):  # type: ignore[no-untyped-def]
    application.refresh_from_db()
    assert (LedgerEntry.objects.count(), Project.objects.count(), Award.objects.count()) == (0, 0, 0)
    assert (application.status, application.project) == (ApplicationStatus.SELECTED, None)


def test_an_award_over_a_cap_is_refused_whole_with_the_caps_reasons(world, selected):
    world.instrument.caps = [
        {"id": "per-beneficiary", "kind": "per_beneficiary_per_year", "limit_eur": 15000,
         "instruments": [world.instrument.key]}
    ]  # fmt: skip
    world.instrument.save()
    selected.applicants.filter(lead=True).update(requested_eur=Decimal("10000"))
    selected.applicants.filter(lead=False).update(requested_eur=Decimal("20000"))
    with pytest.raises(CallRefused) as refused:
        award_services.award(world.staff, selected, months=24)
    assert refused.value.code == "award.refused"
    assert [p.code for p in refused.value.problems] == ["cap.per_beneficiary_per_year.exceeded"]
    assert explain.refusal_text(refused.value).startswith(
        "EUR 30,000.00 cannot be committed; nothing was booked: "
    )
    nothing_written(world, selected)


def test_shares_that_pass_alone_but_cross_the_budget_together_are_refused_whole(world, selected):
    world.instrument.budget_eur = Decimal("25000")
    world.instrument.save()
    selected.applicants.filter(lead=True).update(requested_eur=Decimal("10000"))
    selected.applicants.filter(lead=False).update(requested_eur=Decimal("20000"))
    with pytest.raises(CallRefused) as refused:
        award_services.award(world.staff, selected, months=24)
    assert [p.code for p in refused.value.problems] == ["funds.over_cap", "cap.instrument_budget.exceeded"]
    nothing_written(world, selected)


def test_an_award_whose_project_breaks_its_rules_is_refused_whole(world, selected):
    with pytest.raises(CallRefused) as refused:
        award_services.award(world.staff, selected)
    assert refused.value.code == "award.project_not_ready"
    assert [p.code for p in refused.value.problems] == ["project.duration_missing"]
    assert explain.refusal_text(refused.value) == (
        "The project does not meet the rules of its kind; nothing was booked: The project needs a duration "
        "(from 12 to 36 months)."
    )
    nothing_written(world, selected)


def test_only_a_selected_application_is_awarded_and_only_by_the_staff(world, selected):
    with pytest.raises(PermissionDenied):
        award_services.award(world.users["lead0"], selected, months=24)
    rejected = world.applications[5]
    with pytest.raises(CallRefused) as not_selected:
        award_services.award(world.staff, rejected, months=24)
    assert not_selected.value.code == "award.not_selected"
    award_services.award(world.staff, selected, months=24)
    with pytest.raises(CallRefused):
        award_services.award(world.staff, selected, months=24)
