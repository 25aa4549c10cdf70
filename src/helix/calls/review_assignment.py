"""Who reviews which application: the instance the solver reads, built from the registry, and the
background job that runs it and writes the assignment.

The instance (:func:`instance_of`) holds the call's applications in review and its reviewers, and

- the **conflicts** (helix.core.review.find_conflicts): a reviewer's organisation among an application's
  applicants; a project (helix.projects) that an organisation of the reviewer and one of the applicants
  both took part in within the last three years (a participation runs from the project's start, or the
  day the organisation joined, to the year it was closed or rejected; it still runs otherwise); a
  conflict the reviewer declared;
- the **expertise fit** (helix.core.review.expertise_fit): the share of an application's topics the
  reviewer's expertise keywords cover. An application's topics are its applicants' keywords and sector
  names, the options chosen in its choice answers (in English), and each expertise keyword of the
  call's reviewers that its text answers mention;
- the reviews already **submitted**, kept whatever the solver chooses (they count towards the call's
  ``reviews_per_application`` and the reviewer's load);
- a **cap** per reviewer: their ``max_reviews``, else the balanced cap (the mean load, rounded up).

:func:`start_assignment` queues the job (helix.calls.review_tasks); :func:`run_assignment` runs it:
reads the instance, solves it (HiGHS, with greedy beside it), and writes the assignment in one
transaction: pairs the solution drops go (with their draft reviews), new pairs come, kept pairs keep
their reviews. An infeasible call, a solver failure, or inputs that changed while it solved (a review
submitted, a conflict declared, a reviewer added) leave the assignment as it was; the job's result says
why with the core's problem codes. The result also records the solver's total fit against greedy's and
the proven gap; the staff's assignments page shows the last run's.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from helix.calls import convert
from helix.calls.models import (
    Applicant,
    Application,
    ApplicationStatus,
    Call,
    DeclaredConflict,
    Review,
    ReviewAssignment,
    Reviewer,
)
from helix.calls.review_services import expertise_terms
from helix.calls.services import CallRefused
from helix.core.calls.form_fields import FieldType
from helix.core.review.assignment import (
    AssignmentOutcome,
    Conflict,
    Pair,
    Participation,
    assign_reviewers,
    balanced_cap,
    expertise_fit,
    find_conflicts,
)
from helix.jobs.models import Job, JobStatus
from helix.jobs.progress import Progress, no_progress
from helix.projects.models import ProjectChange, ProjectMember, ProjectStatus
from helix.registry.models import Organisation
from helix.registry.permissions import can

JOB_KIND = "calls-assign"  # the job of call 12 is "calls-assign:12" (helix.jobs.links matches the prefix)
WINDOW_YEARS = 3

Solve = Callable[..., AssignmentOutcome]  # assign_reviewers; tests pass one that fails


@dataclass(frozen=True)
class Instance:
    """What the solver reads about a call, by id: applications (proposals) and reviewers as strings."""

    call: Call
    applications: list[Application]
    reviewers: list[Reviewer]
    fit: npt.NDArray[np.float64]  # (applications, reviewers)
    conflicts: dict[Pair, tuple[Conflict, ...]]  # (reviewer id, application id) -> reasons
    fixed: frozenset[Pair]  # (reviewer id, application id) with a submitted review
    declared: frozenset[Pair]
    caps: dict[str, int]

    @property
    def proposals(self) -> list[str]:
        return [str(a.pk) for a in self.applications]

    @property
    def reviewer_ids(self) -> list[str]:
        return [str(r.pk) for r in self.reviewers]

    @property
    def k(self) -> int:
        return self.call.reviews_per_application

    @cached_property
    def _index(self) -> tuple[dict[int, int], dict[int, int]]:
        return (
            {a.pk: i for i, a in enumerate(self.applications)},
            {r.pk: j for j, r in enumerate(self.reviewers)},
        )

    def fit_of(self, reviewer_id: int, application_id: int) -> float:
        rows, columns = self._index
        return float(self.fit[rows[application_id], columns[reviewer_id]])

    def fingerprint(self) -> tuple[object, ...]:
        """What must not change between reading the instance and writing the assignment."""
        return (tuple(self.proposals), tuple(self.reviewer_ids), self.fixed, self.declared)


def _fingerprint(call: Call) -> tuple[object, ...]:
    """:meth:`Instance.fingerprint` of the call as it is now, without computing the rest."""
    in_review = call.applications.filter(status=ApplicationStatus.IN_REVIEW)
    applications = list(in_review.order_by("pk").values_list("pk", flat=True))
    reviewers = list(call.reviewers.order_by("pk").values_list("pk", flat=True))
    return (
        tuple(map(str, applications)),
        tuple(map(str, reviewers)),
        _submitted(in_review),
        _declared(call),
    )


def _submitted(applications: QuerySet[Application]) -> frozenset[Pair]:
    """(reviewer id, application id) of every submitted review of ``applications``."""
    return frozenset(
        (str(r), str(a))
        for r, a in Review.objects.filter(
            assignment__application__in=applications, submitted_at__isnull=False
        ).values_list("assignment__reviewer_id", "assignment__application_id")
    )


def _declared(call: Call) -> frozenset[Pair]:
    return frozenset(
        (str(r), str(a))
        for r, a in DeclaredConflict.objects.filter(reviewer__call=call).values_list(
            "reviewer_id", "application_id"
        )
    )


# -- the instance ------------------------------------------------------------------------------------------


def _mentions(text: str, term: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(term.casefold())}(?!\w)", text) is not None


def declared_topics(applications: QuerySet[Application]) -> dict[int, set[str]]:
    """Per application id: its applicants' keywords and sector names (two queries, whatever the number)."""
    found: dict[int, set[str]] = {}
    applicants = Applicant.objects.filter(application__in=applications)
    keywords = Organisation.keywords.through.objects.filter(organisation__applications__in=applicants)
    for application_id, name in keywords.values_list(
        "organisation__applications__application_id", "keyword__name"
    ):
        found.setdefault(application_id, set()).add(name)
    sectors = Organisation.sectors.through.objects.filter(organisation__applications__in=applicants)
    for application_id, label in sectors.values_list(
        "organisation__applications__application_id", "sector__label"
    ):
        found.setdefault(application_id, set()).add(label)
    return found


def topics_of(
    application: Application, vocabulary: Iterable[str], declared: set[str] | None = None
) -> set[str]:
    """An application's topics (see the module's doc); ``vocabulary``: the reviewers' expertise terms;
    ``declared``: its applicants' keywords and sectors (read here when not given)."""
    if declared is None:
        declared = declared_topics(Application.objects.filter(pk=application.pk)).get(application.pk, set())
    topics = set(declared)
    stage = convert.stage_of(application.call, application.stage)
    answers = application.answers.get(stage.name, {})
    texts = []
    for f in stage.form.fields:
        value = answers.get(f.name)
        if f.type in (FieldType.CHOICE, FieldType.MULTI_CHOICE):
            chosen = value if isinstance(value, list) else [value]
            labels = {o.value: o.label.get("en", o.value) for o in f.options}
            topics |= {labels.get(str(v), str(v)) for v in chosen if v not in (None, "")}
        elif f.type in (FieldType.TEXT, FieldType.LONG_TEXT) and isinstance(value, str):
            texts.append(value)
    text = " ".join(texts).casefold()
    topics |= {term for term in vocabulary if _mentions(text, term)}
    return {" ".join(t.casefold().split()) for t in topics if t.strip()}


def _participations(call: Call, applications: QuerySet[Application], year: int) -> list[Participation]:
    """Every participation in a project that an applicant of ``applications`` or one of the call's
    reviewers' organisations took part in (their partners' too: the shared projects are among them)."""
    involved = ProjectMember.objects.filter(
        Q(organisation__applications__application__in=applications)
        | Q(organisation__people__review_roles__call=call)
    ).values("project_id")
    ended = {
        row["project_id"]: row["last"].year
        for row in ProjectChange.objects.filter(
            project_id__in=involved, to_status__in=[ProjectStatus.CLOSED, ProjectStatus.REJECTED]
        )
        .values("project_id")
        .annotate(last=Max("changed_on"))
    }
    found = []
    for m in ProjectMember.objects.filter(project_id__in=involved).select_related("project").order_by("pk"):
        project = m.project
        start = (project.starts_on or m.joined_on).year
        done = project.status in (ProjectStatus.CLOSED, ProjectStatus.REJECTED)
        found.append(
            Participation(
                str(project.pk),
                str(m.organisation_id),
                min(start, year),
                ended.get(project.pk, year) if done else None,
            )
        )
    return found


def instance_of(call: Call, *, year: int | None = None) -> Instance:
    """The call's assignment instance as the registry holds it now: a fixed number of queries, none
    with a list of ids (a call of thousands of applications stays within any database's limits)."""
    year = year or timezone.localdate().year
    in_review = call.applications.filter(status=ApplicationStatus.IN_REVIEW)
    applications = list(in_review.select_related("call").order_by("pk"))
    reviewers = list(call.reviewers.select_related("person").order_by("pk"))
    proposals = [str(a.pk) for a in applications]
    reviewer_ids = [str(r.pk) for r in reviewers]
    expertise = {str(r.pk): expertise_terms(r.expertise) for r in reviewers}
    vocabulary = sorted({t for terms in expertise.values() for t in terms})
    declared_by = declared_topics(in_review)
    topics = {str(a.pk): topics_of(a, vocabulary, declared_by.get(a.pk, set())) for a in applications}
    fit = expertise_fit(proposals, reviewer_ids, topics, expertise)

    declared = _declared(call)
    conflicts = conflicts_of(call, proposals, reviewers, declared, year=year)
    fixed = _submitted(in_review)
    return Instance(call, applications, reviewers, fit, conflicts, fixed, declared, caps_of(call, reviewers))


def caps_of(call: Call, reviewers: list[Reviewer]) -> dict[str, int]:
    """Each reviewer's cap: their ``max_reviews``, else the balanced cap."""
    count = call.applications.filter(status=ApplicationStatus.IN_REVIEW).count()
    default = balanced_cap(count, len(reviewers), call.reviews_per_application)
    return {str(r.pk): default if r.max_reviews is None else r.max_reviews for r in reviewers}


def conflicts_of(
    call: Call,
    proposals: list[str],
    reviewers: list[Reviewer],
    declared: frozenset[Pair] | None = None,
    *,
    year: int | None = None,
) -> dict[Pair, tuple[Conflict, ...]]:
    """The conflicts between ``reviewers`` (with their people) and the call's applications in review
    (``proposals``: their ids), each with its reasons; without the fit (the staff's page shows them)."""
    year = year or timezone.localdate().year
    in_review = call.applications.filter(status=ApplicationStatus.IN_REVIEW)
    applicants: dict[str, list[str]] = {p: [] for p in proposals}
    for application_id, organisation_id in Applicant.objects.filter(application__in=in_review).values_list(
        "application_id", "organisation_id"
    ):
        applicants.setdefault(str(application_id), []).append(str(organisation_id))
    reviewer_orgs = {str(r.pk): [str(r.person.organisation_id)] for r in reviewers}
    return find_conflicts(
        reviewer_orgs,
        applicants,
        _participations(call, in_review, year),
        _declared(call) if declared is None else declared,
        year=year,
        window_years=WINDOW_YEARS,
    )


# -- starting and running the job ---------------------------------------------------------------------------


def job_kind(call: Call) -> str:
    return f"{JOB_KIND}:{call.pk}"


def last_run(call: Call) -> Job | None:
    """The call's latest assignment job (queued, running or finished), or None."""
    return Job.objects.filter(kind=job_kind(call)).order_by("-created_at", "-pk").first()


def start_assignment(user: Any, call: Call) -> Job:
    """Queue the assignment of ``call``'s applications in review to its reviewers (staff)."""
    from helix.calls.review_tasks import assign_call_reviewers
    from helix.jobs.services import create_job

    if not can(user, "edit", call):
        raise PermissionDenied
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if not call.applications.filter(status=ApplicationStatus.IN_REVIEW).exists():
            raise CallRefused("assignment.nothing_in_review", {})
        if not call.reviewers.exists():
            raise CallRefused("assignment.no_reviewers", {})
        if Job.objects.filter(kind=job_kind(call), status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).exists():
            raise CallRefused("assignment.running", {})
        job = create_job(job_kind(call), _("Assign reviewers: %(call)s") % {"call": call.title}, user)
        transaction.on_commit(lambda: assign_call_reviewers.enqueue(job.pk, call.pk))
    return job


def assignment_result_link(job: Any) -> Any:
    """The job page of an assignment run ends on the call's assignments (helix.jobs.links)."""
    from django.urls import reverse

    from helix.jobs.links import ResultLink

    call = (
        Call.objects.filter(pk=int(job.kind.split(":", 1)[1])).only("key").first()
        if ":" in job.kind
        else None
    )
    if call is None:
        return None
    ok = bool((job.result or {}).get("ok"))
    label = _("See the assignments") if ok else _("See why no assignment was made")
    return ResultLink(reverse("calls:assignments", kwargs={"key": call.key}), label)


def _problem(p: Any) -> dict[str, Any]:
    return {"code": p.code, "subject": p.subject, "params": p.params, "text": p.text}


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def run_assignment(
    call_id: int, progress: Progress = no_progress, solve: Solve = assign_reviewers
) -> dict[str, Any]:
    """Read, solve and write the assignment of call ``call_id`` (see the module's doc); the job's result."""
    progress(0, 3, _("Reading the applications, the reviewers and their conflicts"))
    call = Call.objects.get(pk=call_id)
    inst = instance_of(call)
    facts: dict[str, Any] = {
        "applications": len(inst.applications),
        "reviewers": len(inst.reviewers),
        "k": inst.k,
        "kept": len(inst.fixed),
        "conflicts": len(inst.conflicts),
    }
    progress(1, 3, _("Solving the assignment"))
    outcome = solve(
        inst.proposals,
        inst.reviewer_ids,
        inst.fit,
        k=inst.k,
        conflicts=inst.conflicts,
        cap=inst.caps,
        fixed=inst.fixed,
    )
    greedy = outcome.greedy
    facts["greedy"] = (
        None
        if greedy is None
        else {
            "total_fit": greedy.total_fit,
            "complete": greedy.complete,
            "missing": sum(greedy.missing.values()),
        }
    )
    if not outcome.ok or outcome.assignment is None:
        return {**facts, "ok": False, "problems": [_problem(p) for p in outcome.problems]}
    result = outcome.assignment
    facts |= {
        "total_fit": result.total_fit,
        "bound": result.bound,
        "gap": _finite(result.gap),
        "optimal": result.optimal,
        "seconds": round(result.seconds, 3),
        "fit_vs_greedy": _finite(outcome.fit_vs_greedy),
        "max_load": result.max_load,
        "min_load": result.min_load,
    }
    progress(2, 3, _("Writing the assignment"))
    wanted = {(r, p) for p, reviewers in result.reviews.items() for r in reviewers}
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call_id)
        existing = {
            (str(a.reviewer_id), str(a.application_id)): a
            for a in ReviewAssignment.objects.select_for_update().filter(
                application__call=call, application__status=ApplicationStatus.IN_REVIEW
            )
        }
        if _fingerprint(call) != inst.fingerprint():
            problem = {"code": "assignment.changed", "subject": "", "params": {}, "text": ""}
            return {**facts, "ok": False, "problems": [problem]}
        gone = [a.pk for pair, a in existing.items() if pair not in wanted]
        ReviewAssignment.objects.filter(pk__in=gone).delete()
        now = timezone.now()
        ReviewAssignment.objects.bulk_create(
            ReviewAssignment(
                reviewer_id=int(r), application_id=int(p), fit=inst.fit_of(int(r), int(p)), assigned_at=now
            )
            for r, p in sorted(wanted - set(existing))
        )
        kept = [a for pair, a in existing.items() if pair in wanted]
        for a in kept:
            a.fit = inst.fit_of(a.reviewer_id, a.application_id)
        ReviewAssignment.objects.bulk_update(kept, ["fit"])
    progress(3, 3, _("Done"))
    return {**facts, "ok": True, "problems": [], "created": len(wanted - set(existing)), "removed": len(gone)}


__all__ = [
    "Instance",
    "assignment_result_link",
    "instance_of",
    "last_run",
    "run_assignment",
    "start_assignment",
    "topics_of",
]
