"""Calls, applications and reviews for the permission test world (tests/permissions).

In each cluster: a public open call, a members-only open call, a staff-only open call and a draft;
alpha also has a decided call. Applications: a1 leads one with ab as co-applicant (to alpha's public
call), a2 alone (alpha's members call), b1 alone (beta's public call), and one to alpha's decided call
(a1 with b1). Reviewers: member_b1 and member_a2 review alpha's public call; member_b1 is assigned to
a1's application and declared a conflict with none, member_a2 is assigned to it and declared a
conflict. One part of each kind (applicant, history step, attachment, submission, award)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any


def add_calls(w: Any) -> None:
    from django.core.files.base import ContentFile

    from helix.calls.models import (
        Applicant,
        Application,
        ApplicationChange,
        Attachment,
        Award,
        Call,
        CallChange,
        DeclaredConflict,
        Review,
        ReviewAssignment,
        Reviewer,
        Submission,
    )
    from tests.factories.calls import seed_definition
    from tests.permissions.world import Thing

    calls: dict[str, Any] = {}
    cases = [
        ("alpha", "public", "open"),
        ("alpha", "members", "open"),
        ("alpha", "staff", "open"),
        ("alpha", "public", "draft"),
        ("alpha", "public", "decided"),
        ("beta", "public", "open"),
        ("beta", "members", "open"),
        ("beta", "staff", "open"),
        ("beta", "public", "draft"),
    ]
    for cluster, visibility, status in cases:
        key = f"{cluster}-{visibility}-{status}"
        call = Call.objects.create(
            cluster=w.clusters[cluster],
            key=key,
            title=f"{visibility} {status} call of {cluster}",
            definition=seed_definition(key=key),
            visibility=visibility,
            status=status,
        )
        calls[key] = call
        facts = {visibility}
        if status != "draft":
            facts.add("active")
        if status == "open":
            facts.add("open")
        w.things[f"call:{key}"] = Thing(
            call, clusters=frozenset({cluster}), audience=frozenset({cluster}), facts=frozenset(facts)
        )
    change = CallChange.objects.create(call=calls["alpha-public-open"], from_status="draft", to_status="open")
    w.things["call-change:alpha-public-open"] = Thing(
        change, clusters=frozenset({"alpha"}), audience=frozenset({"alpha"})
    )

    applications = [
        ("a1-public", "alpha-public-open", ("a1", "ab"), "in_review"),
        ("a2-members", "alpha-members-open", ("a2",), "draft"),
        ("b1-public", "beta-public-open", ("b1",), "submitted"),
        ("a1-decided", "alpha-public-decided", ("a1", "b1"), "funded"),
    ]
    made: dict[str, Any] = {}
    for name, call_key, applicants, status in applications:
        call = calls[call_key]
        application = Application.objects.create(
            call=call, stage="proposal", title=f"Application {name}", status=status
        )
        for i, org in enumerate(applicants):
            Applicant.objects.create(application=application, organisation=w.orgs[org], lead=i == 0)
        made[name] = application
        cluster = call_key.split("-")[0]
        w.things[f"application:{name}"] = Thing(
            application,
            owners=frozenset(applicants),
            clusters=frozenset({cluster}),
            audience=frozenset({cluster}),
            facts=frozenset({"decided"} if call.status == "decided" else set()),
        )

    application = made["a1-public"]
    parts = {
        "applicant": application.applicants.get(lead=True),
        "change": ApplicationChange.objects.create(application=application, to_status="submitted"),
        "attachment": Attachment.objects.create(
            application=application,
            stage="proposal",
            field="budget_sheet",
            file=ContentFile(b"%PDF-1.4\n", name="budget.pdf"),
            name="budget.pdf",
            size=9,
            sha256="0" * 64,
        ),
        "submission": Submission.objects.create(
            application=application,
            stage="proposal",
            receipt="ALPHAPUBLI-00001-1-ABCDEF",
            answers={"title": "Application a1-public"},
            attachments=[{"field": "budget_sheet", "name": "budget.pdf", "size": 9, "sha256": "0" * 64}],
            digest="0" * 64,
        ),
    }
    for name, obj in parts.items():
        w.things[f"application-{name}:a1-public"] = Thing(
            obj, owners=frozenset({"a1", "ab"}), clusters=frozenset({"alpha"}), audience=frozenset({"alpha"})
        )
    award = Award.objects.create(
        application=made["a1-decided"],
        amount_eur=Decimal("40000"),
        decided_at=dt.datetime(2026, 6, 1, tzinfo=dt.UTC),
    )
    w.things["application-award:a1-decided"] = Thing(
        award, owners=frozenset({"a1", "b1"}), clusters=frozenset({"alpha"}), audience=frozenset({"alpha"})
    )

    call = calls["alpha-public-open"]
    for person, conflicted in (("member_b1", False), ("member_a2", True)):
        reviewer = Reviewer.objects.create(call=call, person=w.people[person], expertise="robotics")
        w.things[f"reviewer:{person}"] = Thing(
            reviewer, clusters=frozenset({"alpha"}), audience=frozenset({"alpha"}), person=person
        )
        assignment = ReviewAssignment.objects.create(reviewer=reviewer, application=application, fit=0.5)
        facts = {"in_review"}
        if conflicted:
            conflict = DeclaredConflict.objects.create(
                reviewer=reviewer, application=application, note="former employer"
            )
            w.things[f"conflict:{person}"] = Thing(
                conflict, clusters=frozenset({"alpha"}), audience=frozenset({"alpha"}), person=person
            )
        else:
            facts.add("no_conflict")
        w.things[f"assignment:{person}"] = Thing(
            assignment,
            clusters=frozenset({"alpha"}),
            audience=frozenset({"alpha"}),
            person=person,
            facts=frozenset(facts),
        )
        review = Review.objects.create(assignment=assignment, scores={"excellence": 4})
        w.things[f"review:{person}"] = Thing(
            review,
            clusters=frozenset({"alpha"}),
            audience=frozenset({"alpha"}),
            person=person,
            facts=frozenset({"draft"}),
        )
