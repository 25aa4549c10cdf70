"""Integration: `helix calls` as a user: staff create a call from a seed or a file, open and close it, list
its applications in three formats and judge them with each rule's reason; `check-definition` names
every problem of a broken file by its JSON path without the database; `close-due` is the clock."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model

from helix.calls import services
from helix.calls.models import Application, Call, CallStatus
from helix.cli import main
from helix.registry.models import Cluster
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


def run(*args: str) -> Any:
    return CliRunner().invoke(main, ["calls", *args])


@pytest.fixture
def fotf(db):  # type: ignore[no-untyped-def]
    cluster = ClusterFactory(slug="fotf", name="Factory of the Future")
    orgs = {}
    for slug, kind, size in (
        ("robo", "company", "sme"),
        ("steel", "company", "large"),
        ("uni", "knowledge_institution", ""),
        ("city", "government", ""),
    ):
        orgs[slug] = OrganisationFactory(name=slug.title(), slug=slug, kind=kind, size_class=size)
        SiteFactory(organisation=orgs[slug], country="BE", is_headquarters=True)
        MembershipFactory(organisation=orgs[slug], cluster=cluster, level="member")
        member_user(orgs[slug], f"{slug}_person")
    staff_user(cluster, "fotf_staff")
    return orgs


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _open_call(key: str = "fotf-2027", seed: str = "factory_of_the_future_precluster.json") -> Call:
    staff = _user("fotf_staff")
    call = services.create_call(staff, Cluster.objects.get(slug="fotf"), seed_definition(seed, key=key))
    return services.move_call(staff, call, CallStatus.OPEN)


def _submitted(
    orgs: dict[str, Any], call: Call, title: str, partners: tuple[str, ...], lead_slug: str = "robo"
) -> Application:
    lead = _user(f"{lead_slug}_person")
    application = services.start_application(lead, call, orgs[lead_slug], title)
    for partner in partners:
        services.add_co_applicant(lead, application, orgs[partner])
    application.refresh_from_db()
    services.save_answers(
        lead,
        application,
        {"sectors": ["manufacturing", "digital"], "synergies": "Shared cells.", "requested": "150000"},
    )
    services.submit(lead, application)
    application.refresh_from_db()
    return application


def test_staff_create_a_call_from_a_seed_open_and_close_it(fotf):  # type: ignore[no-untyped-def]
    created = run("create", "--as", "fotf_staff", "--cluster", "fotf",
                  "--seed", "factory_of_the_future_precluster", "--key", "fotf-2027")  # fmt: skip
    assert (created.exit_code, created.output) == (
        0,
        "Created call fotf-2027: The Factory of the Future: precluster projects (fotf, draft).\n",
    )
    assert run("list").output == ""  # a draft is seen by its cluster's staff only
    assert run("list", "--as", "fotf_staff").output == (
        "fotf-2027\tfotf\tdraft\tpublic\tno deadline\tThe Factory of the Future: precluster projects\n"
    )
    by_member = run("open", "--as", "robo_person", "fotf-2027")
    assert (by_member.exit_code, by_member.output) == (1, "Error: no call 'fotf-2027' that you may see\n")
    assert run("open", "--as", "fotf_staff", "fotf-2027").output == "Call fotf-2027 is now open.\n"
    assert run("list", "--status", "open").output.startswith("fotf-2027\tfotf\topen\t")
    member_close = run("close", "--as", "robo_person", "fotf-2027")
    assert (member_close.exit_code, member_close.output) == (
        1,
        "Error: robo_person may not move call fotf-2027\n",
    )
    twice = run("open", "--as", "fotf_staff", "fotf-2027")
    assert (twice.exit_code, twice.output) == (1, "Error: This call cannot move from “Open” to “Open”.\n")
    closed = run("close", "--as", "fotf_staff", "fotf-2027", "--note", "budget spent")
    assert closed.output == "Call fotf-2027 is now closed.\n"
    assert list(Call.objects.get().changes.values_list("to_status", "note")) == [
        ("draft", ""), ("open", ""), ("closed", "budget spent"),
    ]  # fmt: skip


def test_a_call_is_created_from_a_definition_file_and_a_broken_one_is_refused_with_its_paths(fotf, tmp_path):  # type: ignore[no-untyped-def]
    good = tmp_path / "lux.json"
    good.write_text(json.dumps(seed_definition("luxembourg_bpf_2024.json")), encoding="utf-8")
    created = run(
        "create",
        "--as",
        "fotf_staff",
        "--cluster",
        "fotf",
        "--definition",
        str(good),
        "--visibility",
        "members",
    )
    assert (
        created.output
        == "Created call luxembourg-bpf-2024: Business Partnership Facility, 11th edition (fotf, draft).\n"
    )
    assert Call.objects.get().visibility == "members"

    broken = seed_definition(key="broken")
    del broken["rubric"]
    bad = tmp_path / "broken.json"
    bad.write_text(json.dumps(broken), encoding="utf-8")
    refused = run("create", "--as", "fotf_staff", "--cluster", "fotf", "--definition", str(bad))
    assert (refused.exit_code, refused.output) == (
        1,
        "Error: the call cannot be created:\n  A call needs a rubric: the criteria its reviewers score.\n",
    )
    both = run(
        "create",
        "--as",
        "fotf_staff",
        "--cluster",
        "fotf",
        "--definition",
        str(good),
        "--seed",
        "sme_portfolio",
    )
    assert (both.exit_code, "give either --seed NAME or --definition FILE.json" in both.output) == (2, True)
    unknown = run("create", "--as", "fotf_staff", "--cluster", "fotf", "--seed", "moonshot")
    assert unknown.exit_code == 2
    assert (
        "no seed call 'moonshot'; one of: flux50_feasibility_2017, factory_of_the_future_precluster"
        in unknown.output
    )
    by_member = run("create", "--as", "robo_person", "--cluster", "fotf", "--seed", "sme_portfolio")
    assert (by_member.exit_code, by_member.output) == (
        1,
        "Error: robo_person may not create a call of fotf\n",
    )
    no_user = run("create", "--cluster", "fotf", "--seed", "sme_portfolio")
    assert (no_user.exit_code, "acts as a user: add --as USERNAME" in no_user.output) == (2, True)
    assert Call.objects.count() == 1


def test_check_definition_names_every_problem_by_its_json_path_without_the_database(
    tmp_path: Path, django_assert_num_queries: Any
) -> None:
    broken = seed_definition(key="broken")
    broken["stages"][0]["form"]["sections"][0]["fields"][1]["type"] = "essay"
    broken["stages"][0]["deadline"] = {"local": "2027-03-28T02:30", "zone": "Europe/Brussels"}
    broken["rules"][1]["min"] = 0
    broken["colour"] = "blue"
    del broken["rubric"]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with django_assert_num_queries(0):
        result = CliRunner().invoke(main, ["calls", "check-definition", str(path)])
    assert result.exit_code == 1
    # the clocks go forward at 02:00 on the last Sunday of March in Brussels: 02:30 does not exist
    assert result.stdout == (
        "$.rules[1].min must be at least 1.\n"
        "$.stages[0].deadline.local: 2027-03-28T02:30:00 does not exist in Europe/Brussels: the clocks skip "
        "it when summer time starts.\n"
        "$.stages[0].form.sections[0].fields[1].type must be one of: choice, date, file, long_text, money, "
        "multi_choice, number, organisations, text, yes_no.\n"
        "$.colour is not a field here.\n"
        "$.rubric: A call needs a rubric: the criteria its reviewers score.\n"
    )
    assert result.stderr == f"{path}: 5 problem(s)\n"


def test_check_definition_accepts_a_seed_call_and_refuses_what_is_not_json(tmp_path: Path) -> None:
    good = tmp_path / "lux.json"
    good.write_text(json.dumps(seed_definition("luxembourg_bpf_2024.json")), encoding="utf-8")
    accepted = run("check-definition", str(good))
    assert (accepted.exit_code, accepted.output) == (
        0,
        f"{good}: call 'luxembourg-bpf-2024' is well defined: 1 stage(s), 4 eligibility rule(s)\n",
    )
    not_json = tmp_path / "bad.json"
    not_json.write_text('{"id": "x",\n}', encoding="utf-8")
    refused = run("check-definition", str(not_json))
    assert (refused.exit_code, refused.output) == (
        1,
        f"Error: {not_json}: not JSON: line 2 column 1: Expecting property name enclosed in double quotes\n",
    )


def test_show_prints_the_stages_with_their_deadline_in_three_forms_the_fields_and_the_rules(fotf):  # type: ignore[no-untyped-def]
    _open_call("lux-2024", "luxembourg_bpf_2024.json")
    shown = run("show", "lux-2024", "--lang", "fr")
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    assert lines[:5] == [
        "lux-2024: Business Partnership Facility, 11e édition",
        "  cluster fotf, open, visible to public, no budget given",
        "  programme: Luxembourg Cooperation",
        "  instrument: lux-bpf (subsidy)",
        "stage proposal: Proposition de projet, "
        "deadline 2024-04-30T23:59 Europe/Luxembourg (2024-04-30 21:59 UTC)",
    ]
    assert "    requested (money, required): Cofinancement demandé (EUR)" in lines
    assert lines[-5:] == [
        "eligibility rules:",
        '  0. applicant_kind {"kinds": ["company"], "who": "lead"}',
        '  1. applicant_country {"countries": ["LU"], "who": "lead"}',
        '  2. consortium_size {"min": 2, "max": null}',
        '  3. co_financing_cap {"limit_eur": "200000", "max_rate": null}',
    ]
    assert run("show", "nothing").output == "Error: no call 'nothing' that you may see\n"


def test_applications_are_listed_with_lead_co_applicants_amount_and_receipt_in_three_formats(fotf):  # type: ignore[no-untyped-def]
    call = _open_call()
    submitted = _submitted(fotf, call, "Cobots", ("steel", "uni"))
    draft = services.start_application(_user("steel_person"), call, fotf["steel"], "Alone")
    receipt = submitted.submissions.get()
    as_json = run("applications", "fotf-2027", "--as", "fotf_staff", "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout) == [
        {
            "id": draft.pk, "title": "Alone", "lead": "steel", "co_applicants": "", "status": "draft",
            "requested_eur": None, "submitted_at": None, "receipt": "",
        },
        {
            "id": submitted.pk, "title": "Cobots", "lead": "robo", "co_applicants": "steel;uni",
            "status": "submitted", "requested_eur": "150000.00",
            "submitted_at": receipt.submitted_at.isoformat(), "receipt": receipt.receipt,
        },
    ]  # fmt: skip
    assert as_json.stderr == "2 application(s)\n"
    as_csv = run(
        "applications", "fotf-2027", "--as", "fotf_staff", "--format", "csv", "--status", "submitted"
    )
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [(r["id"], r["lead"], r["co_applicants"], r["requested_eur"], r["receipt"]) for r in rows] == [
        (str(submitted.pk), "robo", "steel;uni", "150000.00", receipt.receipt)
    ]
    table = run("applications", "fotf-2027", "--as", "fotf_staff").stdout.splitlines()
    assert table[0].split() == [
        "id",
        "title",
        "lead",
        "co_applicants",
        "status",
        "requested_eur",
        "submitted_at",
        "receipt",
    ]
    assert table[2].split()[:6] == [
        str(submitted.pk),
        "Cobots",
        "robo",
        "steel;uni",
        "submitted",
        "150000.00",
    ]
    # an applicant sees only the applications of its organisation
    mine = run("applications", "fotf-2027", "--as", "uni_person", "--format", "json")
    assert [a["title"] for a in json.loads(mine.stdout)] == ["Cobots"]


def test_judge_gives_each_submitted_application_a_verdict_with_each_rules_reason(fotf):  # type: ignore[no-untyped-def]
    call = _open_call()
    call.instrument = InstrumentFactory(cluster=call.cluster, key="fof-precluster", de_minimis=True)
    call.save()
    good = _submitted(fotf, call, "Cobots", ("steel", "uni"))
    city = _submitted(fotf, call, "Smart city", ("uni", "city"), lead_slug="steel")
    not_staff = run("judge", "fotf-2027", "--as", "robo_person")
    assert (not_staff.exit_code, not_staff.output) == (
        1,
        "Error: robo_person may not judge the applications to fotf-2027\n",
    )

    judged = run("judge", "fotf-2027", "--as", "fotf_staff", "--on", "2027-03-01")
    assert judged.exit_code == 0, judged.output
    lines = judged.stdout.splitlines()
    assert lines[:6] == [
        f"{good.pk} Cobots: eligible",
        "  ok   applicant_kind: Every applicant must be of one of these kinds: Company, Knowledge "
        "institution, Federation or association, Cluster organisation. Met.",
        "  ok   consortium_size: At least 3 organisations apply together. Met: 3 organisations apply.",
        "  ok   sme_status: At least one applicant must be of one of these sizes: micro enterprise, small "
        "enterprise, medium-sized enterprise. Met.",
        "  ok   applicant_country: The lead applicant must be established in one of these countries: BE. "
        "Met.",
        "  ok   de_minimis_headroom: De minimis aid: at most EUR 300,000.00 per single undertaking over 3 "
        "years, from every instrument together. Met. Robo: De minimis aid, at most EUR 300,000.00 per single "
        "undertaking over 3 years: EUR 0.00 from 2 March 2024 to 1 March 2027; EUR 150,000.00 fits in the "
        "EUR 300,000.00 left.",
    ]
    assert [line.split(":")[0] for line in lines[6:]] == [
        f"{city.pk} Smart city",
        "  FAIL applicant_kind",
        "  ok   consortium_size",
        "  FAIL sme_status",
        "  ok   applicant_country",
        "  ok   de_minimis_headroom",
    ]
    # the reasons name the organisations that fail a rule, and why
    assert lines[7].endswith("Not met by: City (Government body).")
    assert judged.stderr == "Judged 2 application(s) to fotf-2027: 1 eligible, 1 not eligible.\n"
    assert dict(Application.objects.values_list("title", "status")) == {
        "Cobots": "eligible",
        "Smart city": "ineligible",
    }

    again = run("judge", "fotf-2027", "--as", "fotf_staff", "--application", str(good.pk))
    assert (again.exit_code, again.output) == (
        1,
        "Error: The application cannot move from “Eligible” to “Eligible”.\n",
    )
    nothing = run("judge", "fotf-2027", "--as", "fotf_staff")
    assert nothing.stderr == "Judged 0 application(s) to fotf-2027: 0 eligible, 0 not eligible.\n"


def test_close_due_closes_the_open_calls_past_their_deadline(fotf):  # type: ignore[no-untyped-def]
    _open_call("lux-2024", "luxembourg_bpf_2024.json")  # its deadline: 30 April 2024
    _open_call()  # no deadline
    closed = run("close-due")
    assert (closed.exit_code, closed.stdout, closed.stderr) == (
        0,
        "Closed lux-2024: Business Partnership Facility, 11th edition\n",
        "1 call(s) closed.\n",
    )
    assert dict(Call.objects.values_list("key", "status")) == {"lux-2024": "closed", "fotf-2027": "open"}
    assert run("close-due").stderr == "0 call(s) closed.\n"
