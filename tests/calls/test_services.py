"""Integration: a call opened by staff, applied to by a consortium that edits one draft together,
submitted with a receipt, judged eligible with reasons (helix.calls.services)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from helix.calls import services
from helix.calls.models import ApplicationChange, ApplicationStatus, CallStatus, Submission
from helix.calls.services import CallRefused
from tests.factories.calls import seed_definition
from tests.factories.projects import InstrumentFactory
from tests.factories.registry import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    SiteFactory,
    member_user,
    staff_user,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    cluster = ClusterFactory(slug="fotf", name="Factory of the Future")
    orgs = {}
    for key, kind, size, country in (
        ("robo", "company", "sme", "BE"),
        ("steel", "company", "large", "BE"),
        ("uni", "knowledge_institution", "", "BE"),
        ("city", "government", "", "BE"),
    ):
        orgs[key] = OrganisationFactory(name=key.title(), slug=key, kind=kind, size_class=size)
        SiteFactory(organisation=orgs[key], country=country, is_headquarters=True)
        MembershipFactory(organisation=orgs[key], cluster=cluster, level="member")
    staff = staff_user(cluster)
    call = services.create_call(staff, cluster, seed_definition(key="fotf-2027"))
    call = services.move_call(staff, call, CallStatus.OPEN)
    users = {key: member_user(org, f"{key}_person") for key, org in orgs.items()}
    return cluster, orgs, staff, call, users


def _apply(world):  # type: ignore[no-untyped-def]
    _cluster, orgs, _staff, call, users = world
    application = services.start_application(users["robo"], call, orgs["robo"], "Cobots for welding")
    services.add_co_applicant(users["robo"], application, orgs["steel"])
    services.add_co_applicant(users["robo"], application, orgs["uni"])
    application.refresh_from_db()
    return application


def _fill(application, user):  # type: ignore[no-untyped-def]
    return services.save_answers(
        user,
        application,
        {
            "sectors": ["manufacturing", "digital"],
            "synergies": "Shared welding cells.",
            "requested": "150000",
        },
    )


def test_staff_create_a_call_from_its_definition_and_open_it_with_dated_history(world):  # type: ignore[no-untyped-def]
    _cluster, _orgs, _staff, call, _users = world
    assert (call.status, call.title) == ("open", seed_definition()["title"]["en"])
    assert list(call.changes.values_list("from_status", "to_status")) == [("", "draft"), ("draft", "open")]


def test_a_member_may_not_create_or_open_a_call(world):  # type: ignore[no-untyped-def]
    cluster, _orgs, _staff, call, users = world
    with pytest.raises(PermissionDenied):
        services.create_call(users["robo"], cluster, seed_definition(key="other"))
    with pytest.raises(PermissionDenied):
        services.move_call(users["robo"], call, CallStatus.CLOSED)


def test_a_broken_definition_is_refused_with_every_problem_named(world):  # type: ignore[no-untyped-def]
    cluster, _orgs, staff, _call, _users = world
    broken = seed_definition(key="broken")
    broken["stages"][0]["form"]["sections"][0]["fields"][0]["type"] = "essay"
    del broken["rubric"]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.create_call(staff, cluster, broken)
    text = str(caught.value)
    assert "definition.stages[0].form.sections[0].fields[0].type" in text
    assert "rubric" in text


def test_co_applicants_edit_one_draft_and_a_stale_save_is_refused_not_overwritten(world):  # type: ignore[no-untyped-def]
    _cluster, _orgs, _staff, _call, users = world
    application = _apply(world)
    seen_by_steel = application.revision
    application, _ = services.save_answers(
        users["uni"], application, {"synergies": "Uni's text"}, revision=seen_by_steel
    )
    with pytest.raises(CallRefused) as caught:
        services.save_answers(
            users["steel"], application, {"synergies": "Steel's text"}, revision=seen_by_steel
        )
    assert caught.value.code == "application.stale"
    application.refresh_from_db()
    assert application.answers["proposal"]["synergies"] == "Uni's text"
    # a save of other fields on the current revision keeps the partner's text
    application, _ = services.save_answers(
        users["steel"], application, {"requested": "90000"}, revision=application.revision
    )
    assert application.answers["proposal"]["synergies"] == "Uni's text"
    assert application.requested_eur == Decimal("90000")


def test_an_outsider_may_not_edit_and_a_co_applicant_may_not_submit(world):  # type: ignore[no-untyped-def]
    _cluster, _orgs, _staff, _call, users = world
    application = _apply(world)
    with pytest.raises(PermissionDenied):
        services.save_answers(users["city"], application, {"synergies": "x"})
    _fill(application, users["steel"])
    with pytest.raises(CallRefused) as caught:
        services.submit(users["steel"], application)
    assert caught.value.code == "application.move_not_allowed"


def test_an_incomplete_application_is_refused_with_each_fields_problem(world):  # type: ignore[no-untyped-def]
    _cluster, _orgs, _staff, _call, users = world
    application = services.start_application(users["robo"], world[3], world[1]["robo"], "Alone")
    with pytest.raises(CallRefused) as caught:
        services.submit(users["robo"], application)
    fields = {p.name: p.code for p in caught.value.problems}
    # the partners field is the consortium: one organisation where three are needed
    assert fields == {
        "sectors": "form.required",
        "synergies": "form.required",
        "requested": "form.required",
        "partners": "form.too_few_items",
    }
    assert application.status == ApplicationStatus.DRAFT


def test_submitting_keeps_the_answers_as_sent_with_a_receipt_and_locks_the_draft(world):  # type: ignore[no-untyped-def]
    _cluster, _orgs, _staff, _call, users = world
    application = _apply(world)
    _fill(application, users["uni"])
    submission = services.submit(users["robo"], application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert submission.receipt.startswith("FOTF2027-")
    assert submission.answers["synergies"] == "Shared welding cells."
    assert len(submission.answers["partners"]) == 3
    assert len(submission.digest) == 64
    with pytest.raises(CallRefused) as caught:
        services.save_answers(users["uni"], application, {"synergies": "later"})
    assert caught.value.code == "application.not_editable"
    steps = list(
        ApplicationChange.objects.filter(application=application).values_list("to_status", flat=True)
    )
    assert steps == ["draft", "submitted"]


def test_a_submission_after_the_deadline_in_its_time_zone_is_late(world):  # type: ignore[no-untyped-def]
    cluster, orgs, staff, _call, users = world
    lux = seed_definition("luxembourg_bpf_2024.json", key="lux-2024")
    call = services.create_call(staff, cluster, lux)
    call = services.move_call(staff, call, CallStatus.OPEN)
    application = services.start_application(users["robo"], call, orgs["robo"], "Partnership")
    services.add_co_applicant(users["robo"], application, orgs["uni"])
    application, _ = services.save_answers(
        users["robo"],
        application,
        {
            "partner_country": "Cabo Verde",
            "description": "Solar cooling for fish.",
            "total_cost": "300000",
            "requested": "150000",
            "start": "2024-06-01",
        },
    )
    services.attach(
        users["robo"], application, "budget_sheet", SimpleUploadedFile("budget.pdf", b"%PDF-1.4 budget")
    )
    # 30 April 2024 23:59 in Luxembourg is 21:59 UTC (summer time): 22:30 UTC is late
    late = dt.datetime(2024, 4, 30, 22, 30, tzinfo=dt.UTC)
    with pytest.raises(CallRefused) as caught:
        services.submit(users["robo"], application, now=late)
    assert caught.value.code == "application.late"
    in_time = dt.datetime(2024, 4, 30, 21, 59, tzinfo=dt.UTC)
    submission = services.submit(users["robo"], application, now=in_time)
    assert submission.attachments[0]["name"] == "budget.pdf"
    assert Submission.objects.count() == 1


def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_stored(world):  # type: ignore[no-untyped-def]
    cluster, orgs, staff, _call, users = world
    call = services.create_call(staff, cluster, seed_definition("luxembourg_bpf_2024.json", key="lux-b"))
    call = services.move_call(staff, call, CallStatus.OPEN)
    application = services.start_application(users["robo"], call, orgs["robo"], "Partnership")
    with pytest.raises(CallRefused) as caught:
        services.attach(users["robo"], application, "budget_sheet", SimpleUploadedFile("budget.exe", b"MZ"))
    assert [p.code for p in caught.value.problems] == ["form.file_type"]
    assert application.attachments.count() == 0


def test_eligibility_is_judged_with_a_reason_per_rule(world):  # type: ignore[no-untyped-def]
    _cluster, _orgs, staff, call, users = world
    instrument = InstrumentFactory(cluster=call.cluster, key="fof-precluster", de_minimis=True)
    call.instrument = instrument
    call.save()
    application = _apply(world)
    _fill(application, users["robo"])
    services.submit(users["robo"], application)
    judged = services.judge_eligibility(staff, application, on=dt.date(2027, 3, 1))
    application.refresh_from_db()
    assert judged.eligible, [o.text for o in judged.failed]
    assert application.status == ApplicationStatus.ELIGIBLE
    assert [o["kind"] for o in application.eligibility] == [
        "applicant_kind",
        "consortium_size",
        "sme_status",
        "applicant_country",
        "de_minimis_headroom",
    ]


def test_a_consortium_without_an_sme_and_with_a_city_is_ineligible_with_reasons(world):  # type: ignore[no-untyped-def]
    _cluster, orgs, staff, call, users = world
    application = services.start_application(users["steel"], call, orgs["steel"], "Big steel")
    services.add_co_applicant(users["steel"], application, orgs["uni"])
    services.add_co_applicant(users["steel"], application, orgs["city"])
    _fill(application, users["steel"])
    services.submit(users["steel"], application)
    judged = services.judge_eligibility(staff, application, on=dt.date(2027, 3, 1))
    assert not judged.eligible
    assert {o.kind.value for o in judged.failed} >= {"applicant_kind", "sme_status"}
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INELIGIBLE


def test_a_selected_concept_note_is_invited_to_the_full_proposal_with_its_answers_carried(world):  # type: ignore[no-untyped-def]
    cluster, orgs, staff, _call, users = world
    for org in orgs.values():  # Flux50's call asks for a letter of intent at least: they are members
        assert org.memberships.get().level == "member"
    instrument = InstrumentFactory(cluster=cluster, key="flux50-feasibility", de_minimis=True)
    call = services.create_call(
        staff, cluster, seed_definition("flux50_feasibility_2017.json", key="flux-x"), instrument=instrument
    )
    call = services.move_call(staff, call, CallStatus.OPEN)
    application = services.start_application(users["robo"], call, orgs["robo"], "Cobots that save energy")
    services.add_co_applicant(users["robo"], application, orgs["uni"])
    application, _ = services.save_answers(
        users["robo"], application, {"innovator_zone": "industrial-energy-efficiency", "summary": "Short."}
    )
    services.submit(users["robo"], application)
    assert services.judge_eligibility(staff, application, on=dt.date(2027, 1, 1)).eligible
    for target in (ApplicationStatus.IN_REVIEW, ApplicationStatus.SELECTED):
        services.move_application(staff, application, target)
    services.move_application(staff, application, ApplicationStatus.DRAFT, "Write the full proposal")
    application.refresh_from_db()
    assert (application.status, application.stage) == ("draft", "full_proposal")
    assert application.answers["concept_note"]["summary"] == "Short."
    with pytest.raises(CallRefused) as caught:
        services.submit(users["robo"], application)
    assert {p.name for p in caught.value.problems} >= {"work_plan", "budget_sheet", "requested"}


def test_a_proposal_at_the_calls_last_stage_is_not_invited_further_and_the_move_is_not_offered(world):  # type: ignore[no-untyped-def]
    _cluster, _orgs, staff, call, users = world
    call.instrument = InstrumentFactory(cluster=call.cluster, key="fof-precluster", de_minimis=True)
    call.save()
    application = _apply(world)
    _fill(application, users["robo"])
    services.submit(users["robo"], application)
    assert services.judge_eligibility(staff, application, on=dt.date(2027, 3, 1)).eligible
    for target in (ApplicationStatus.IN_REVIEW, ApplicationStatus.SELECTED):
        services.move_application(staff, application, target)
    application.refresh_from_db()
    assert ApplicationStatus.DRAFT not in [m.target for m in services.application_moves(staff, application)]
    with pytest.raises(CallRefused) as caught:
        services.move_application(staff, application, ApplicationStatus.DRAFT)
    assert caught.value.code == "application.last_stage"


def test_an_amount_too_large_to_keep_is_refused_naming_its_field_and_nothing_is_saved(world):  # type: ignore[no-untyped-def]
    _cluster, _orgs, _staff, _call, users = world
    application = _apply(world)
    with pytest.raises(CallRefused) as caught:
        services.save_answers(users["robo"], application, {"requested": "1000000000000000", "synergies": "x"})
    assert (caught.value.code, caught.value.params["field"]) == ("application.amount_too_large", "requested")
    application.refresh_from_db()
    assert "synergies" not in application.answers.get("proposal", {})


def test_a_vouchers_amount_is_the_amount_asked(world):  # type: ignore[no-untyped-def]
    cluster, orgs, staff, _call, users = world
    call = services.create_call(staff, cluster, seed_definition("sme_portfolio.json", key="portfolio-x"))
    call = services.move_call(staff, call, CallStatus.OPEN)
    application = services.start_application(users["robo"], call, orgs["robo"], "Digital plan")
    application, _ = services.save_answers(users["robo"], application, {"amount": "12000"})
    assert application.requested_eur == Decimal("12000")
