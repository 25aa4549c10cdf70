"""Who may do what with calls, applications and reviews, as data (helix.core.access).

A **call** belongs to its cluster. Once opened (past its draft) it reaches as far as its visibility
says, as a need or a project does: anyone when public, the cluster's audience when for members, and
always the cluster's staff, who create, edit and move it through its lifecycle, name its reviewers and
decide. Anyone signed in may start an application to an open call it can see (for an organisation the
person may edit: the service asks).

An **application** belongs to the organisations applying (the lead and its co-applicants: ``owner``)
and to the call's cluster (``staff``). Its applicants see and edit the draft together; the lifecycle
table (helix.core.calls.lifecycle) gives submitting and withdrawing to the lead's people and the
decisions to the staff. Reviewers never see the application through it: they see what their
**assignment** shows (``self``: the assignment's reviewer is the person signed in), and nothing of
an application they declared a conflict with. Reviews are seen by their reviewer and the staff; the
applicants read the comments (never the reviewers' names) once the call is decided.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from helix.calls.models import (
    Applicant,
    Application,
    ApplicationChange,
    ApplicationStatus,
    Attachment,
    Award,
    Call,
    CallChange,
    CallStatus,
    DeclaredConflict,
    Review,
    ReviewAssignment,
    Reviewer,
    Submission,
)
from helix.core.access import (
    AUDIENCE,
    OWNER,
    OWNER_OR_STAFF,
    REACH_CONDITIONS,
    SELF,
    SIGNED_IN,
    STAFF,
    Grant,
    Policy,
    Role,
    reach,
)
from helix.core.calls import lifecycle
from helix.market.models import Visibility
from helix.registry.permissions import Fact, Subject, actor_for, field_is, register, subject_for

CALL = Policy(
    subject="calls.call",
    label="Call for proposals",
    actions={
        "view": "see the call: its title, stages, deadlines, form, rules and budget",
        "apply": "start an application to it (for an organisation one may edit)",
        "create": "open a call of the cluster (a draft)",
        "edit": "change its description, definition and reviewers",
        "transition": "move it through its lifecycle: open, close, start the review, decide, archive",
        "view_applications": "see every application to it, their eligibility, reviews and ranking",
        "decide": "select applications and award funding",
    },
    conditions={
        **REACH_CONDITIONS,
        "active": "opened: past its draft",
        "open": "open for applications",
    },
    grants=(
        *reach("view"),
        Grant("apply", SIGNED_IN, frozenset({"open", "public"})),
        Grant("apply", AUDIENCE | STAFF, frozenset({"open", "members"})),
        Grant("apply", STAFF, frozenset({"open"})),
        Grant("create", STAFF, note="asked of the new call, with its cluster"),
        Grant("edit", STAFF),
        Grant("transition", STAFF),
        Grant("view_applications", STAFF),
        Grant("decide", STAFF),
    ),
)

APPLICATION = Policy(
    subject="calls.application",
    label="Application to a call",
    actions={
        "view": "see the application: its answers, applicants, attachments, receipts and status",
        "edit": "change its answers and attachments (the lifecycle says in which states)",
        "transition": "move it through its lifecycle (the lifecycle table says which moves who makes)",
        "view_reviews": "read the reviewers' comments and scores (without their names for applicants)",
        "view_letter": "read the decision letter",
    },
    conditions={"decided": "its call is decided or archived"},
    grants=(
        Grant("view", OWNER_OR_STAFF),
        Grant("edit", OWNER),
        Grant("transition", OWNER_OR_STAFF),
        Grant("view_reviews", STAFF),
        Grant("view_reviews", OWNER, frozenset({"decided"})),
        Grant("view_letter", STAFF),
        Grant("view_letter", OWNER, frozenset({"decided"})),
    ),
)


def _part(subject: str, label: str, what: str) -> Policy:
    return Policy(
        subject=subject, label=label, actions={"view": what}, grants=(Grant("view", OWNER_OR_STAFF),)
    )


REVIEWER = Policy(
    subject="calls.reviewer",
    label="Reviewer of a call",
    actions={
        "view": "see the reviewer: the person, expertise and load",
        "edit": "change the expertise and load, or remove the reviewer",
    },
    grants=(Grant("view", SELF | STAFF), Grant("edit", STAFF)),
)

ASSIGNMENT = Policy(
    subject="calls.reviewassignment",
    label="Review assignment",
    actions={
        "view": "see the assignment and the application it shows its reviewer",
        "review": "score the application and write the review",
        "declare_conflict": "declare a conflict of interest with the application (it is then withdrawn)",
    },
    conditions={
        "in_review": "the application is in review",
        "no_conflict": "no conflict of interest is declared for it",
    },
    grants=(
        Grant("view", SELF, frozenset({"no_conflict"})),
        Grant("view", STAFF),
        Grant("review", SELF, frozenset({"in_review", "no_conflict"})),
        Grant("declare_conflict", SELF, frozenset({"no_conflict"})),
    ),
)

REVIEW = Policy(
    subject="calls.review",
    label="Review",
    actions={"view": "see the scores and comments", "edit": "change them until submitted"},
    conditions={"draft": "not yet submitted"},
    grants=(Grant("view", SELF | STAFF), Grant("edit", SELF, frozenset({"draft"}))),
)

DECLARED_CONFLICT = Policy(
    subject="calls.declaredconflict",
    label="Declared conflict of interest",
    actions={"view": "see that the reviewer declared a conflict with the application, and why"},
    grants=(Grant("view", SELF | STAFF),),
)

CALL_CHANGE = Policy(
    subject="calls.callchange",
    label="Call history step",
    actions={"view": "see who moved the call and when"},
    grants=(Grant("view", STAFF),),
)


def _decided() -> Fact:
    states = (CallStatus.DECIDED, CallStatus.ARCHIVED)
    return Fact(lambda a: a.call.status in states, lambda: Q(call__status__in=states))


def _no_conflict() -> Fact:
    def test(a: Any) -> bool:
        return not DeclaredConflict.objects.filter(
            reviewer_id=a.reviewer_id, application_id=a.application_id
        ).exists()

    def q() -> Q:
        return ~Q(
            Exists(
                DeclaredConflict.objects.filter(
                    reviewer_id=OuterRef("reviewer_id"), application_id=OuterRef("application_id")
                )
            )
        )

    return Fact(test, q, reads_database=True)


register(
    Subject(
        CALL,
        Call,
        cluster="cluster_id",
        facts={
            "active": Fact(lambda c: c.status != CallStatus.DRAFT, lambda: ~Q(status=CallStatus.DRAFT)),
            "open": field_is("status", CallStatus.OPEN),
            "public": field_is("visibility", Visibility.PUBLIC),
            "members": field_is("visibility", Visibility.MEMBERS),
            "staff": field_is("visibility", Visibility.STAFF),
        },
    ),
    Subject(CALL_CHANGE, CallChange, cluster="call__cluster_id"),
    Subject(
        APPLICATION,
        Application,
        cluster="call__cluster_id",
        member_organisations="applicants__organisation_id",
        facts={"decided": _decided()},
    ),
    *(
        Subject(
            _part(f"calls.{model.__name__.lower()}", label, what),
            model,
            cluster="application__call__cluster_id",
            member_organisations="application__applicants__organisation_id",
        )
        for model, label, what in (
            (Applicant, "Applicant", "see that the organisation applies, as lead or co-applicant"),
            (ApplicationChange, "Application history step", "see the application's dated history"),
            (Attachment, "Application attachment", "download the file"),
            (Submission, "Submission receipt", "see the receipt and the answers as submitted"),
            (Award, "Award", "see the amount awarded and the decision"),
        )
    ),
    Subject(REVIEWER, Reviewer, cluster="call__cluster_id", person="person_id"),
    Subject(
        ASSIGNMENT,
        ReviewAssignment,
        cluster="application__call__cluster_id",
        person="reviewer__person_id",
        facts={
            "in_review": Fact(
                lambda a: a.application.status == ApplicationStatus.IN_REVIEW,
                lambda: Q(application__status=ApplicationStatus.IN_REVIEW),
            ),
            "no_conflict": _no_conflict(),
        },
    ),
    Subject(
        REVIEW,
        Review,
        cluster="assignment__application__call__cluster_id",
        person="assignment__reviewer__person_id",
        facts={"draft": Fact(lambda r: r.submitted_at is None, lambda: Q(submitted_at__isnull=True))},
    ),
    Subject(
        DECLARED_CONFLICT,
        DeclaredConflict,
        cluster="application__call__cluster_id",
        person="reviewer__person_id",
    ),
)


def application_roles(user: Any, application: Application) -> set[str]:
    """The lifecycle's roles (helix.core.calls.lifecycle) ``user`` holds on ``application``: ``staff``
    for the call's cluster's staff (and the superuser); ``applicant`` for a person of the lead
    organisation, ``co_applicant`` for a person of another applying organisation. Reads the applicants
    through ``application.applicants`` (prefetch it for lists)."""
    actor = actor_for(user)
    held = subject_for(application).roles(actor, application)
    roles: set[str] = set()
    if actor.is_superuser or Role.STAFF in held:
        roles.add(lifecycle.STAFF)
    if Role.OWNER in held:
        lead = any(a.lead and a.organisation_id == actor.organisation for a in application.applicants.all())
        roles.add(lifecycle.APPLICANT if lead else lifecycle.CO_APPLICANT)
    return roles


def may_edit_answers(user: Any, application: Application) -> bool:
    """May ``user`` change the answers now? One who may ``edit`` the application (its applicants'
    people) and holds a role the lifecycle lets edit in its present state (EDITABLE_BY: the draft)."""
    from helix.registry.permissions import can

    if not can(user, "edit", application):
        return False
    allowed = lifecycle.EDITABLE_BY.get(lifecycle.ApplicationStatus(application.status), frozenset())
    return bool(application_roles(user, application) & allowed)


def may_apply_for(user: Any, organisation: Any) -> bool:
    """May ``user`` apply (lead or join) in the name of ``organisation``? Whoever may edit it: its people
    and its editors."""
    from helix.registry.permissions import can

    return can(user, "edit", organisation)


def call_roles(user: Any, call: Call) -> set[str]:
    """``staff`` when ``user`` may move ``call`` through its lifecycle."""
    from helix.registry.permissions import can

    return {lifecycle.STAFF} if can(user, "transition", call) else set()


__all__ = [
    "APPLICATION",
    "ASSIGNMENT",
    "CALL",
    "REVIEW",
    "REVIEWER",
    "application_roles",
    "call_roles",
    "may_apply_for",
    "may_edit_answers",
]
