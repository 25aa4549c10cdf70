"""Integration: the calls API (helix.api.calls): calls with their stages, deadlines, forms and rules in the
reader's language; applications drafted together, a stale save refused with the current revision,
attachments, submission with a receipt, eligibility with a reason per rule, and the staff's moves;
what one may not see is 404, refusals are 409 with their code, parameters, text and each field's
problem."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from helix.calls import explain, services
from helix.calls.models import Application, Call, CallStatus
from helix.registry.models import Cluster, Organisation
from tests.factories.calls import seed_definition
from tests.factories.registry import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    SiteFactory,
    member_user,
    staff_user,
)
from tests.helpers.clients import api_client

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

JSON = "application/json"


@dataclass
class World:
    cluster: Cluster
    orgs: dict[str, Organisation]
    users: dict[str, Any]  # a person of each organisation, and "staff"
    call: Call  # the Factory of the Future precluster call, open, no deadline


@pytest.fixture
def world() -> World:
    cluster = ClusterFactory(slug="fotf", name="Factory of the Future")
    orgs = {}
    for key, kind, size in (
        ("robo", "company", "sme"),
        ("steel", "company", "large"),
        ("uni", "knowledge_institution", ""),
        ("city", "government", ""),
    ):
        orgs[key] = OrganisationFactory(name=key.title(), slug=key, kind=kind, size_class=size)
        SiteFactory(organisation=orgs[key], country="BE", is_headquarters=True)
        MembershipFactory(organisation=orgs[key], cluster=cluster, level="member")
    users = {key: member_user(org, f"{key}_person") for key, org in orgs.items()}
    users["staff"] = staff_user(cluster)
    call = services.create_call(users["staff"], cluster, seed_definition(key="fotf-2027"))
    services.move_call(users["staff"], call, CallStatus.OPEN)
    return World(cluster, orgs, users, call)


def _start(client: Client, call: str = "fotf-2027", **extra: Any) -> Any:
    return client.post(
        "/api/calls/applications", {"call": call, "title": "Cobots", **extra}, content_type=JSON
    )


def _consortium(w: World) -> int:
    """robo's application with steel and uni as co-applicants; its id."""
    robo = api_client(w.users["robo"])
    pk = _start(robo).json()["id"]
    for partner in ("steel", "uni"):
        added = robo.post(
            f"/api/calls/applications/{pk}/co-applicants",
            {"organisation": w.orgs[partner].pk},
            content_type=JSON,
        )
        assert added.status_code == 201, added.json()
    return pk


def _patch(client: Client, pk: int, revision: int, answers: dict[str, Any], **headers: str) -> Any:
    return client.patch(
        f"/api/calls/applications/{pk}/answers",
        {"revision": revision, "answers": answers},
        content_type=JSON,
        headers=headers,
    )


def _complete(client: Client, pk: int) -> Any:
    revision = client.get(f"/api/calls/applications/{pk}").json()["revision"]
    answers = {
        "sectors": ["manufacturing", "digital"],
        "synergies": "Shared welding cells.",
        "requested": 150000,
    }
    return _patch(client, pk, revision, answers)


# --- calls --------------------------------------------------------------------------------------------


def test_visitors_list_the_open_calls_and_staff_also_their_drafts_with_the_moves_they_may_make(world):  # type: ignore[no-untyped-def]
    services.create_call(
        world.users["staff"], world.cluster, seed_definition("sme_portfolio.json", key="sme")
    )
    anonymous = api_client().get("/api/calls/calls").json()
    assert anonymous["count"] == 1
    assert anonymous["items"] == [
        {
            "key": "fotf-2027",
            "title": "The Factory of the Future: precluster projects",
            "cluster": "fotf",
            "programme": "Flemish New Industrial Policy",
            "status": "open",
            "visibility": "public",
            "budget_eur": None,
            "stages": [{"name": "proposal", "label": "Project proposal", "deadline": None}],
            "may_apply": False,
            "moves": [],
        }
    ]
    staff = api_client(world.users["staff"])
    listed = staff.get("/api/calls/calls").json()["items"]
    assert [(c["key"], c["status"], c["moves"]) for c in listed] == [
        ("fotf-2027", "open", ["closed"]),
        ("sme", "draft", ["open"]),
    ]
    assert [c["key"] for c in staff.get("/api/calls/calls?status=draft").json()["items"]] == ["sme"]
    assert staff.get("/api/calls/calls?cluster=elsewhere").json()["items"] == []
    member = api_client(world.users["robo"]).get("/api/calls/calls").json()["items"]
    assert [(c["key"], c["may_apply"]) for c in member] == [("fotf-2027", True)]


def test_a_call_shows_its_deadlines_form_and_rules_in_the_readers_language(world):  # type: ignore[no-untyped-def]
    staff = world.users["staff"]
    lux = services.create_call(
        staff, world.cluster, seed_definition("luxembourg_bpf_2024.json", key="lux-2024")
    )
    services.move_call(staff, lux, CallStatus.OPEN)
    french = api_client().get("/api/calls/calls/lux-2024?lang=fr").json()
    [stage] = french["stages"]
    # 30 April 2024, 23:59 in Luxembourg is 21:59 UTC (summer time)
    assert (stage["label"], stage["deadline"]) == (
        "Proposition de projet",
        {
            "local": "2024-04-30T23:59",
            "zone": "Europe/Luxembourg",
            "utc": "2024-04-30T21:59:00Z",
            "passed": True,
        },
    )
    fields = {f["name"]: f for s in stage["form"]["sections"] for f in s["fields"]}
    assert fields["requested"] == {
        "name": "requested",
        "type": "money",
        "label": "Cofinancement demandé (EUR)",
        "help": "Au plus 200 000 euros par projet.",
        "required": True,
        "max_chars": None,
        "max_words": None,
        "minimum": None,
        "maximum": "200000",
        "whole": False,
        "earliest": None,
        "latest": None,
        "options": [],
        "min_choices": None,
        "max_choices": None,
        "file_types": [],
        "max_bytes": None,
        "min_items": None,
        "max_items": None,
    }
    assert (fields["budget_sheet"]["file_types"], fields["budget_sheet"]["max_bytes"]) == (
        ["xlsx", "pdf"],
        10485760,
    )
    assert fields["start"]["earliest"] == "2024-05-01"
    assert french["rules"] == [
        {"index": 0, "kind": "applicant_kind", "params": {"kinds": ["company"], "who": "lead"}},
        {"index": 1, "kind": "applicant_country", "params": {"countries": ["LU"], "who": "lead"}},
        {"index": 2, "kind": "consortium_size", "params": {"min": 2, "max": None}},
        {"index": 3, "kind": "co_financing_cap", "params": {"limit_eur": "200000", "max_rate": None}},
    ]
    assert (french["language"], french["title"], french["instrument"]) == (
        "fr",
        "Business Partnership Facility, 11e édition",
        {"id": "lux-bpf", "kind": "subsidy", "name": "Business Partnership Facility", "de_minimis": False},
    )
    german = api_client().get("/api/calls/calls/lux-2024", headers={"Accept-Language": "de"}).json()
    assert (german["language"], german["stages"][0]["label"]) == ("de", "Projektantrag")


def test_a_call_one_may_not_see_is_404_and_only_its_staff_move_it(world):  # type: ignore[no-untyped-def]
    staff = world.users["staff"]
    services.create_call(staff, world.cluster, seed_definition("sme_portfolio.json", key="sme"))
    assert api_client(world.users["robo"]).get("/api/calls/calls/sme").status_code == 404
    assert api_client().get("/api/calls/calls/nothing").status_code == 404

    member = api_client(world.users["robo"]).post(
        "/api/calls/calls/fotf-2027/move", {"status": "closed"}, content_type=JSON
    )
    assert member.status_code == 403
    wrong = api_client(staff).post(
        "/api/calls/calls/fotf-2027/move", {"status": "archived"}, content_type=JSON
    )
    assert (wrong.status_code, wrong.json()) == (
        409,
        {
            "detail": "This call cannot move from “Open” to “Archived”.",
            "code": "call.move_not_allowed",
            "params": {"from": "open", "to": "archived"},
            "problems": [],
            "revision": None,
        },
    )
    closed = api_client(staff).post(
        "/api/calls/calls/fotf-2027/move", {"status": "closed", "note": "early"}, content_type=JSON
    )
    assert (closed.status_code, closed.json()["status"], closed.json()["moves"]) == (
        200,
        "closed",
        ["open", "reviewing"],
    )
    assert list(world.call.changes.values_list("to_status", "note")) == [
        ("draft", ""),
        ("open", ""),
        ("closed", "early"),
    ]


# --- applications -------------------------------------------------------------------------------------


def test_an_application_starts_led_by_the_callers_organisation_at_the_first_stage(world):  # type: ignore[no-untyped-def]
    started = _start(api_client(world.users["robo"]), language="nl")
    assert started.status_code == 201
    body = started.json()
    assert {
        k: body[k] for k in ("call", "title", "stage", "status", "language", "revision", "applicants")
    } == {
        "call": "fotf-2027",
        "title": "Cobots",
        "stage": "proposal",
        "status": "draft",
        "language": "nl",
        "revision": 1,
        "applicants": [{"organisation": world.orgs["robo"].pk, "slug": "robo", "name": "Robo", "lead": True}],
    }
    assert (body["answers"], body["editable"], body["moves"]) == (
        {"proposal": {"title": "Cobots"}},
        True,
        ["submitted", "withdrawn"],
    )
    # required: title, sectors, synergies, partners (three organisations), requested
    assert body["completeness"] == {"filled": 2, "required": 5, "ratio": 0.4}
    assert [(p["field"], p["code"]) for p in body["problems"]] == [
        ("sectors", "form.required"),
        ("synergies", "form.required"),
        ("partners", "form.too_few_items"),
        ("requested", "form.required"),
    ]


def test_starting_is_refused_for_a_closed_call_an_organisation_not_ones_own_or_none(world):  # type: ignore[no-untyped-def]
    robo = api_client(world.users["robo"])
    not_mine = _start(robo, lead=world.orgs["steel"].pk)
    assert not_mine.status_code == 403
    unknown = _start(robo, lead=999_999)
    assert (unknown.status_code, unknown.json()["detail"][0]["loc"]) == (422, ["body", "payload", "lead"])
    nobody = _start(api_client(world.users["staff"]))  # staff of no organisation
    assert (nobody.status_code, nobody.json()["detail"][0]["loc"]) == (422, ["body", "payload", "lead"])
    blank = _start(robo, title="   ")
    assert blank.status_code == 422
    services.move_call(world.users["staff"], world.call, CallStatus.CLOSED)
    closed = _start(robo)
    assert (closed.status_code, closed.json()["code"], closed.json()["params"]) == (
        409,
        "call.not_open",
        {"status": "closed"},
    )
    assert _start(robo, call="no-such-call").status_code == 404
    assert Application.objects.count() == 0


def test_co_applicants_edit_one_draft_and_a_stale_save_is_409_with_the_current_revision(world):  # type: ignore[no-untyped-def]
    pk = _consortium(world)
    steel, uni = api_client(world.users["steel"]), api_client(world.users["uni"])
    seen = steel.get(f"/api/calls/applications/{pk}").json()
    assert [a["slug"] for a in seen["applicants"]] == ["robo", "steel", "uni"]
    saved = _patch(uni, pk, seen["revision"], {"synergies": "Uni's text"})
    assert (saved.status_code, saved.json()["revision"]) == (200, seen["revision"] + 1)

    stale = _patch(steel, pk, seen["revision"], {"synergies": "Steel's text"})
    assert (stale.status_code, stale.json()) == (
        409,
        {
            "detail": explain.say("application.stale", {}),
            "code": "application.stale",
            "params": {"yours": seen["revision"], "current": seen["revision"] + 1},
            "problems": [],
            "revision": seen["revision"] + 1,
        },
    )
    # saved again on the current revision, only the field sent changes: the partner's text stays
    again = _patch(steel, pk, stale.json()["revision"], {"requested": "90000"})
    assert again.status_code == 200
    assert (again.json()["answers"]["proposal"]["synergies"], again.json()["requested_eur"]) == (
        "Uni's text",
        "90000.00",
    )


def test_answers_with_problems_are_kept_and_each_field_names_its_problem(world):  # type: ignore[no-untyped-def]
    robo = api_client(world.users["robo"])
    pk = _start(robo).json()["id"]
    saved = _patch(robo, pk, 1, {"requested": "12.345", "sectors": ["manufacturing", "space"]})
    assert saved.status_code == 200
    body = saved.json()
    assert body["answers"]["proposal"] == {
        "title": "Cobots",
        "requested": "12.345",
        "sectors": ["manufacturing", "space"],
    }
    problems = {p["field"]: (p["code"], p["params"]) for p in body["problems"]}
    assert problems["requested"] == ("form.cents", {"value": "12.345"})
    assert problems["sectors"] == (
        "form.unknown_choice",
        {
            "values": ["space"],
            "allowed": ["manufacturing", "chemicals", "textile", "maritime", "energy", "digital"],
        },
    )
    unknown = _patch(robo, pk, body["revision"], {"colour": "blue"})
    assert (unknown.status_code, unknown.json()["code"], unknown.json()["params"]) == (
        409,
        "application.unknown_fields",
        {"fields": ["colour"]},
    )
    not_a_value = _patch(robo, pk, body["revision"], {"synergies": {"nested": "object"}})
    assert not_a_value.status_code == 422
    not_finite = robo.patch(
        f"/api/calls/applications/{pk}/answers",
        '{"revision": REVISION, "answers": {"requested": NaN}}'.replace("REVISION", str(body["revision"])),
        content_type=JSON,
    )
    assert not_finite.status_code == 422


def test_an_incomplete_submission_is_409_with_each_fields_problem(world):  # type: ignore[no-untyped-def]
    robo = api_client(world.users["robo"])
    pk = _start(robo).json()["id"]
    refused = robo.post(f"/api/calls/applications/{pk}/submit")
    assert refused.status_code == 409
    body = refused.json()
    assert (body["code"], body["params"], body["detail"]) == (
        "application.incomplete",
        {"problems": 4},
        explain.say("application.incomplete", {}),
    )
    assert [(p["field"], p["code"]) for p in body["problems"]] == [
        ("sectors", "form.required"),
        ("synergies", "form.required"),
        ("partners", "form.too_few_items"),
        ("requested", "form.required"),
    ]
    assert body["problems"][2]["params"] == {"minimum": 3, "count": 1}


def test_the_lead_submits_and_gets_the_receipt_which_the_application_then_shows(world):  # type: ignore[no-untyped-def]
    pk = _consortium(world)
    robo, uni = api_client(world.users["robo"]), api_client(world.users["uni"])
    assert _complete(uni, pk).status_code == 200
    co_applicant = uni.post(f"/api/calls/applications/{pk}/submit")
    assert (co_applicant.status_code, co_applicant.json()["code"]) == (409, "application.move_not_allowed")

    submitted = robo.post(f"/api/calls/applications/{pk}/submit")
    assert submitted.status_code == 200
    receipt = submitted.json()
    assert receipt["receipt"].startswith("FOTF2027-")
    assert (receipt["stage"], len(receipt["digest"]), receipt["attachments"]) == ("proposal", 64, [])

    shown = robo.get(f"/api/calls/applications/{pk}").json()
    assert (shown["status"], shown["receipt"], shown["submitted_at"]) == (
        "submitted",
        receipt["receipt"],
        receipt["submitted_at"],
    )
    assert shown["submissions"] == [receipt]
    assert (shown["editable"], shown["moves"], shown["problems"]) == (False, ["withdrawn"], [])
    assert shown["completeness"] == {"filled": 5, "required": 5, "ratio": 1.0}
    late_edit = _patch(uni, pk, shown["revision"], {"synergies": "later"})
    assert (late_edit.status_code, late_edit.json()["code"]) == (409, "application.not_editable")


def test_attachments_are_checked_by_the_form_and_listed_with_their_digest(world):  # type: ignore[no-untyped-def]
    staff = world.users["staff"]
    lux = services.create_call(
        staff, world.cluster, seed_definition("luxembourg_bpf_2024.json", key="lux-2024")
    )
    services.move_call(staff, lux, CallStatus.OPEN)
    robo = api_client(world.users["robo"])
    pk = _start(robo, call="lux-2024").json()["id"]
    url = f"/api/calls/applications/{pk}/attachments/budget_sheet"

    wrong = robo.post(url, {"file": SimpleUploadedFile("budget.exe", b"MZ")})
    assert wrong.status_code == 409
    assert (wrong.json()["code"], wrong.json()["problems"]) == (
        "application.bad_file",
        [
            {
                "field": "budget_sheet",
                "code": "form.file_type",
                "params": {"allowed": ["xlsx", "pdf"], "type": "exe"},
                "text": "A file of the type .exe is not accepted here; send .xlsx, .pdf.",
            }
        ],
    )
    assert robo.post(url).status_code == 422  # no file
    not_a_file_field = robo.post(
        f"/api/calls/applications/{pk}/attachments/title", {"file": SimpleUploadedFile("a.pdf", b"%PDF")}
    )
    assert (not_a_file_field.status_code, not_a_file_field.json()["code"]) == (
        409,
        "application.unknown_fields",
    )
    outsider = api_client(world.users["city"]).post(url, {"file": SimpleUploadedFile("budget.pdf", b"%PDF")})
    assert outsider.status_code == 404

    first = robo.post(url, {"file": SimpleUploadedFile("budget.pdf", b"%PDF-1.4 v1")})
    second = robo.post(url, {"file": SimpleUploadedFile("budget-v2.pdf", b"%PDF-1.4 v2")})
    assert (first.status_code, second.status_code) == (201, 201)
    assert {k: second.json()[k] for k in ("stage", "field", "name", "size", "current")} == {
        "stage": "proposal",
        "field": "budget_sheet",
        "name": "budget-v2.pdf",
        "size": 11,
        "current": True,
    }
    shown = robo.get(f"/api/calls/applications/{pk}").json()
    assert [(a["name"], a["current"]) for a in shown["attachments"]] == [
        ("budget-v2.pdf", True),
        ("budget.pdf", False),
    ]
    assert shown["answers"]["proposal"]["budget_sheet"]["name"] == "budget-v2.pdf"
    assert len(shown["attachments"][0]["sha256"]) == 64


def test_co_applicants_are_added_and_removed_by_the_lead_and_the_lead_stays(world):  # type: ignore[no-untyped-def]
    pk = _consortium(world)
    robo, steel = api_client(world.users["robo"]), api_client(world.users["steel"])
    by_partner = steel.post(
        f"/api/calls/applications/{pk}/co-applicants",
        {"organisation": world.orgs["city"].pk},
        content_type=JSON,
    )
    assert (by_partner.status_code, by_partner.json()["code"]) == (409, "application.lead_only")
    twice = robo.post(
        f"/api/calls/applications/{pk}/co-applicants",
        {"organisation": world.orgs["uni"].pk},
        content_type=JSON,
    )
    assert (twice.status_code, twice.json()["code"]) == (409, "application.applicant_twice")

    lead = robo.delete(f"/api/calls/applications/{pk}/co-applicants/{world.orgs['robo'].pk}")
    assert (lead.status_code, lead.json()["code"]) == (409, "application.lead_stays")
    removed = robo.delete(f"/api/calls/applications/{pk}/co-applicants/{world.orgs['uni'].pk}")
    assert [a["slug"] for a in removed.json()["applicants"]] == ["robo", "steel"]
    itself = steel.delete(f"/api/calls/applications/{pk}/co-applicants/{world.orgs['steel'].pk}")
    assert [a["slug"] for a in itself.json()["applicants"]] == ["robo"]
    # steel no longer applies: it no longer sees the application
    assert steel.get(f"/api/calls/applications/{pk}").status_code == 404


def test_an_application_is_seen_by_its_applicants_and_the_clusters_staff_only(world):  # type: ignore[no-untyped-def]
    pk = _consortium(world)
    api_client(world.users["city"]).post(
        "/api/calls/applications", {"call": "fotf-2027", "title": "Smart city"}, content_type=JSON
    )
    assert api_client().get(f"/api/calls/applications/{pk}").status_code == 401
    assert api_client(world.users["city"]).get(f"/api/calls/applications/{pk}").status_code == 404
    assert api_client(world.users["city"]).get(f"/api/calls/applications/{pk}/eligibility").status_code == 404
    assert api_client(world.users["steel"]).get(f"/api/calls/applications/{pk}").status_code == 200

    def titles(user: Any, query: str = "") -> list[str]:
        return [a["title"] for a in api_client(user).get(f"/api/calls/applications{query}").json()["items"]]

    assert titles(world.users["uni"]) == ["Cobots"]
    assert titles(world.users["city"]) == ["Smart city"]
    assert titles(world.users["staff"]) == ["Cobots", "Smart city"]
    assert titles(world.users["staff"], "?status=submitted") == []
    assert titles(world.users["staff"], "?call=other") == []
    summary = api_client(world.users["uni"]).get("/api/calls/applications").json()["items"][0]
    assert set(summary) == {
        "id", "call", "title", "stage", "status", "language", "revision", "requested_eur", "applicants",
        "updated_at", "submitted_at", "receipt",
    }  # fmt: skip


def test_eligibility_is_previewed_with_a_reason_per_rule_and_judged_by_the_staff(world):  # type: ignore[no-untyped-def]
    pk = _consortium(world)
    robo, staff = api_client(world.users["robo"]), api_client(world.users["staff"])
    preview = robo.get(f"/api/calls/applications/{pk}/eligibility?on=2027-03-01").json()
    assert (preview["application"], preview["status"], preview["on"]) == (pk, "draft", "2027-03-01")
    assert [(o["kind"], o["passed"], o["code"]) for o in preview["outcomes"]] == [
        ("applicant_kind", True, "eligibility.applicant_kind.passed"),
        ("consortium_size", True, "eligibility.consortium_size.passed"),
        ("sme_status", True, "eligibility.sme_status.passed"),
        ("applicant_country", True, "eligibility.applicant_country.passed"),
        ("de_minimis_headroom", False, "eligibility.de_minimis_headroom.unknown"),
    ]
    assert preview["eligible"] is False
    assert preview["outcomes"][3]["text"] == (
        "The lead applicant must be established in one of these countries: BE. Met."
    )

    not_submitted = staff.post(f"/api/calls/applications/{pk}/judge")
    assert (not_submitted.status_code, not_submitted.json()["code"]) == (409, "application.move_not_allowed")
    _complete(robo, pk)
    robo.post(f"/api/calls/applications/{pk}/submit")
    by_applicant = robo.post(f"/api/calls/applications/{pk}/judge")
    assert (by_applicant.status_code, by_applicant.json()["code"]) == (409, "application.move_not_allowed")

    judged = staff.post(f"/api/calls/applications/{pk}/judge")
    assert judged.status_code == 200
    # the call funds from no instrument: the de minimis headroom is not known, so not eligible
    assert (judged.json()["status"], judged.json()["eligible"]) == ("ineligible", False)
    shown = robo.get(f"/api/calls/applications/{pk}").json()
    assert shown["status"] == "ineligible"
    assert [o["kind"] for o in shown["eligibility"] if not o["passed"]] == ["de_minimis_headroom"]


def test_the_staff_move_an_application_and_the_lead_withdraws_it(world):  # type: ignore[no-untyped-def]
    pk = _consortium(world)
    robo, staff = api_client(world.users["robo"]), api_client(world.users["staff"])
    _complete(robo, pk)
    robo.post(f"/api/calls/applications/{pk}/submit")
    not_theirs = robo.post(f"/api/calls/applications/{pk}/move", {"status": "selected"}, content_type=JSON)
    assert (not_theirs.status_code, not_theirs.json()["params"]) == (
        409,
        {"from": "submitted", "to": "selected"},
    )
    use_submit = staff.post(f"/api/calls/applications/{pk}/move", {"status": "submitted"}, content_type=JSON)
    assert (use_submit.status_code, use_submit.json()["code"]) == (409, "application.use_submit")
    reopened = staff.post(
        f"/api/calls/applications/{pk}/move", {"status": "draft", "note": "add the annex"}, content_type=JSON
    )
    assert (reopened.status_code, reopened.json()["status"]) == (200, "draft")
    assert robo.get(f"/api/calls/applications/{pk}").json()["editable"] is True

    by_partner = api_client(world.users["steel"]).post(f"/api/calls/applications/{pk}/withdraw")
    assert (by_partner.status_code, by_partner.json()["code"]) == (409, "application.move_not_allowed")
    withdrawn = robo.post(f"/api/calls/applications/{pk}/withdraw")
    assert (withdrawn.status_code, withdrawn.json()["status"], withdrawn.json()["moves"]) == (
        200,
        "withdrawn",
        [],
    )
    history = Application.objects.get(pk=pk).changes.values_list("to_status", "note")
    assert list(history) == [("draft", ""), ("submitted", ""), ("draft", "add the annex"), ("withdrawn", "")]


def test_refusals_are_said_in_the_readers_language(world):  # type: ignore[no-untyped-def]
    robo = api_client(world.users["robo"])
    pk = _start(robo).json()["id"]
    refused = robo.post(
        f"/api/calls/applications/{pk}/move?lang=fr", {"status": "selected"}, content_type=JSON
    )
    with translation.override("fr"):
        expected = explain.say("application.move_not_allowed", {"from": "draft", "to": "selected"})
    assert refused.json()["detail"] == expected
    dutch = robo.post(f"/api/calls/applications/{pk}/submit", headers={"Accept-Language": "nl"})
    with translation.override("nl"):
        assert dutch.json()["detail"] == explain.say("application.incomplete", {})


def test_the_schema_describes_the_upload_as_multipart_with_one_file(world):  # type: ignore[no-untyped-def]
    schema = json.loads(Client().get("/api/openapi.json").content)
    body = schema["paths"]["/api/calls/applications/{application_id}/attachments/{field}"]["post"][
        "requestBody"
    ]
    form = body["content"]["multipart/form-data"]["schema"]
    assert (list(form["properties"]), form["properties"]["file"]["format"]) == (["file"], "binary")


def test_a_judgement_date_in_the_query_is_a_date(world):  # type: ignore[no-untyped-def]
    pk = _start(api_client(world.users["robo"])).json()["id"]
    wrong = api_client(world.users["robo"]).get(f"/api/calls/applications/{pk}/eligibility?on=soon")
    assert (wrong.status_code, wrong.json()["detail"][0]["loc"]) == (422, ["query", "on"])
