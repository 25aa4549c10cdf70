"""Integration: a person's export names their work on projects, calls and funds, and not another
person's (helix.privacy.export_work)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from helix.calls import services as calls
from helix.calls.models import DeclaredConflict, Review, ReviewAssignment, Reviewer
from helix.funds import services as funds
from helix.privacy.export import export_person
from helix.projects import services as projects
from tests.factories.calls import seed_definition
from tests.factories.projects import InstrumentFactory
from tests.factories.registry import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    member_user,
    staff_user,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_the_export_lists_projects_applications_reviews_and_bookings_of_the_person_only():
    cluster = ClusterFactory(slug="lux")
    org, other = OrganisationFactory(slug="org"), OrganisationFactory(slug="other")
    for o in (org, other):
        MembershipFactory(organisation=o, cluster=cluster, level="member")
    user, someone = member_user(org, "mia"), member_user(other, "otto")
    staff = staff_user(cluster, "sam")
    project = projects.start_project(user, cluster=cluster, coordinator=org, kind="flagship", title="Mine")
    projects.start_project(someone, cluster=cluster, coordinator=other, kind="flagship", title="Not mine")
    call = calls.create_call(staff, cluster, seed_definition("luxembourg_bpf_2024.json", key="lux-x"))
    call = calls.move_call(staff, call, "open")
    application = calls.start_application(user, call, org, "Solar cooling")
    calls.attach(user, application, "budget_sheet", SimpleUploadedFile("budget.pdf", b"%PDF-1.4"))
    reviewer = Reviewer.objects.create(call=call, person=someone.person, expertise="solar")
    assignment = ReviewAssignment.objects.create(reviewer=reviewer, application=application)
    Review.objects.create(assignment=assignment, scores={"impact": 4}, comment="Clear plan")
    DeclaredConflict.objects.create(reviewer=reviewer, application=application, note="neighbour")
    instrument = InstrumentFactory(cluster=cluster, key="lux-fund")
    funds.commit(staff, instrument, org, Decimal("1000"), dt.date(2026, 5, 1), note="first tranche")

    mine = export_person(user.person)
    assert [p["title"] for p in mine["projects_started"]] == ["Mine"]
    assert [(c["from"], c["to"]) for c in mine["project_steps"]] == [("", "idea")]
    assert [(a["title"], a["started_by_you"]) for a in mine["applications"]] == [("Solar cooling", True)]
    assert [a["name"] for a in mine["attachments_uploaded"]] == ["budget.pdf"]
    assert mine["review_roles"] == []
    assert mine["ledger_entries_booked"] == []

    theirs = export_person(someone.person)
    assert [p["title"] for p in theirs["projects_started"]] == ["Not mine"]
    assert theirs["applications"] == []
    role = theirs["review_roles"][0]
    assert (role["call"], role["reviews"][0]["comment"], role["declared_conflicts"][0]["note"]) == (
        "lux-x",
        "Clear plan",
        "neighbour",
    )
    booked = export_person(PersonFactory(organisation=other, user=staff))
    assert [(e["instrument"], e["amount_eur"], e["note"]) for e in booked["ledger_entries_booked"]] == [
        ("lux-fund", "1000.00", "first tranche")
    ]
    assert [c["key"] for c in booked["calls_created"]] == ["lux-x"]
    assert mine["projects_started"][0]["id"] == project.pk
