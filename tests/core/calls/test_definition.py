"""Unit: whole calls read from data, and the seed documents' calls shipped in helix/core/calls/data:
each loads, and its rules, caps, forms and deadline evaluate (helix.core.calls.definition)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from datetime import date
from decimal import Decimal
from importlib import resources

import pytest

from helix.core.calls.definition import SEED_FILES, load_call, seed_calls
from helix.core.calls.eligibility import ApplicantFacts, ApplicationFacts, evaluate
from helix.core.calls.forms import check_answers
from helix.core.funding.caps import CapKind, commit
from helix.core.funding.ledger import Entry, EntryKind, Ledger
from helix.core.funding.sme import SizeClass
from helix.core.specs import SpecError

pytestmark = pytest.mark.unit

CALLS = seed_calls()


def ledger_for(call, *entries):
    return Ledger({call.instrument.id: call.instrument}, tuple(entries))


def failed_codes(call, application):
    return [o.code for o in evaluate(call.rules, application).failed]


def test_every_seed_file_loads():
    folder = resources.files("helix.core.calls") / "data"
    assert sorted(SEED_FILES) == sorted(p.name for p in folder.iterdir() if p.name.endswith(".json"))
    assert sorted(CALLS) == [
        "factory-of-the-future-precluster",
        "flux50-feasibility-2017",
        "luxembourg-bpf-2024",
        "sme-portfolio",
        "tina-fund",
    ]
    for call in CALLS.values():
        assert set(call.title) == {"en", "nl", "fr", "de"}
        assert call.sources
        for stage in call.stages:
            assert set(stage.label) == {"en", "nl", "fr", "de"}
            for f in stage.form.fields:
                assert set(f.label) == {"en", "nl", "fr", "de"}, (call.id, f.name)


def test_flux50_feasibility_call():
    call = CALLS["flux50-feasibility-2017"]
    assert [s.name for s in call.stages] == ["concept_note", "full_proposal"]
    assert call.next_stage("concept_note") is call.stages[1]
    assert call.next_stage("full_proposal") is None
    acme = ApplicantFacts(
        "acme", "company", SizeClass.SMALL, {"flux50": "loi_signed"}, "BE", True, Decimal(80_000)
    )
    uni = ApplicantFacts(
        "uni", "knowledge_institution", SizeClass.LARGE, {"flux50": "member"}, "BE", False, Decimal(40_000)
    )
    on = date(2017, 9, 1)
    book = ledger_for(call)
    ok = ApplicationFacts(
        on, (acme, uni), "flux50", instrument=call.instrument.id, project="fs-1", ledger=book
    )
    assert failed_codes(call, ok) == []
    outsider = ApplicantFacts(
        "newco", "company", SizeClass.MICRO, {"flux50": "interested"}, "BE", False, Decimal(10)
    )
    alone = ApplicationFacts(
        on, (outsider,), "flux50", instrument=call.instrument.id, project="fs-2", ledger=book
    )
    assert failed_codes(call, alone) == [
        "eligibility.membership_level.failed",
        "eligibility.consortium_size.too_few",
    ]
    concept = {
        "title": "Heat network feasibility",
        "innovator_zone": "multi-energy-districts",
        "summary": "Can the harbour's residual heat feed a district?",
        "partners": ["acme", "uni"],
    }
    assert check_answers(call.stages[0].form, concept, submit=True).ok


def test_factory_of_the_future_precluster_call():
    call = CALLS["factory-of-the-future-precluster"]
    on = date(2018, 3, 1)
    textile = ApplicantFacts(
        "tex", "company", SizeClass.SMALL, country="BE", lead=True, requested_eur=Decimal(60_000)
    )
    maritime = ApplicantFacts("sea", "company", SizeClass.LARGE, country="BE", requested_eur=Decimal(60_000))
    lab = ApplicantFacts(
        "lab", "knowledge_institution", SizeClass.LARGE, country="FR", requested_eur=Decimal(30_000)
    )
    book = ledger_for(call)
    ok = ApplicationFacts(
        on, (textile, maritime, lab), instrument=call.instrument.id, project="zeetex", ledger=book
    )
    assert failed_codes(call, ok) == []
    # No one marked lead: the first, the French lab, leads.
    no_sme = ApplicationFacts(on, (lab, maritime), instrument=call.instrument.id, project="z2", ledger=book)
    assert failed_codes(call, no_sme) == [
        "eligibility.consortium_size.too_few",
        "eligibility.sme_status.failed",
        "eligibility.applicant_country.failed",
    ]


def test_luxembourg_co_financing_call_with_its_deadline():
    call = CALLS["luxembourg-bpf-2024"]
    (stage,) = call.stages
    assert stage.deadline is not None
    assert stage.deadline.instant == dt.datetime(2024, 4, 30, 21, 59, tzinfo=dt.UTC)
    assert not stage.deadline.in_time(dt.datetime(2024, 4, 30, 22, 30, tzinfo=dt.UTC))
    lead = ApplicantFacts(
        "lux-co", "company", SizeClass.SMALL, country="LU", lead=True, requested_eur=Decimal(150_000)
    )
    partner = ApplicantFacts(
        "partner", "company", SizeClass.MICRO, country="SN", requested_eur=Decimal(50_000)
    )
    on = date(2024, 4, 15)
    book = ledger_for(call)
    ok = ApplicationFacts(on, (lead, partner), instrument="lux-bpf", project="bpf-1", ledger=book)
    assert failed_codes(call, ok) == []
    greedy = ApplicantFacts(
        "partner", "company", SizeClass.MICRO, country="SN", requested_eur=Decimal(50_001)
    )
    assert failed_codes(
        call, ApplicationFacts(on, (lead, greedy), instrument="lux-bpf", project="bpf-1", ledger=book)
    ) == ["eligibility.co_financing_cap.failed"]
    # The call's own caps say the same when the commitment is booked.
    (cap,) = call.caps
    assert cap.kind is CapKind.PER_PROJECT
    entry = Entry("lux-bpf", EntryKind.COMMITTED, Decimal(200_001), on, "lux-co", project="bpf-1")
    assert not commit(book, entry, call.caps).allowed
    answers = {"requested": "200000.01"}
    assert [p.code for p in check_answers(stage.form, answers, submit=False).problems] == [
        "form.out_of_range"
    ]


def test_sme_portfolio():
    call = CALLS["sme-portfolio"]
    on = date(2024, 9, 1)
    sme = ApplicantFacts("acme", "company", SizeClass.MICRO, requested_eur=Decimal(6_000))
    book = ledger_for(
        call, Entry("sme-portfolio", EntryKind.COMMITTED, Decimal(9_000), date(2024, 2, 1), "acme")
    )
    assert failed_codes(call, ApplicationFacts(on, (sme,), instrument="sme-portfolio", ledger=book)) == []
    more = ApplicantFacts("acme", "company", SizeClass.MICRO, requested_eur=Decimal(6_001))
    assert failed_codes(call, ApplicationFacts(on, (more,), instrument="sme-portfolio", ledger=book)) == [
        "eligibility.per_beneficiary_cap.failed"
    ]
    large = ApplicantFacts("big", "company", SizeClass.LARGE, requested_eur=Decimal(1_000))
    unknown = ApplicantFacts("new", "company", requested_eur=Decimal(1_000))
    assert failed_codes(
        call, ApplicationFacts(on, (large, unknown), instrument="sme-portfolio", ledger=book)
    ) == [
        "eligibility.sme_status.failed",
        "eligibility.consortium_size.too_many",
    ]
    # The call's caps: 15,000 a year, and de minimis over three years across instruments.
    assert [c.kind for c in call.caps] == [CapKind.PER_BENEFICIARY_PER_YEAR, CapKind.DE_MINIMIS]
    refused = commit(book, Entry("sme-portfolio", EntryKind.COMMITTED, Decimal(6_001), on, "acme"), call.caps)
    assert [p.code for p in refused.caps.problems] == ["cap.per_beneficiary_per_year.exceeded"]


def test_tina_fund():
    call = CALLS["tina-fund"]
    assert call.budget_eur == Decimal(200_000_000)
    on = date(2019, 6, 1)
    lead = ApplicantFacts(
        "plant",
        "company",
        SizeClass.LARGE,
        {"catalisti": "member"},
        lead=True,
        requested_eur=Decimal(20_000_000),
    )
    book = ledger_for(
        call, Entry("tina", EntryKind.COMMITTED, Decimal(170_000_000), date(2018, 1, 1), "x", project="old")
    )
    with_roadmap = ApplicationFacts(on, (lead,), "catalisti", True, "tina", "p", ledger=book)
    assert failed_codes(call, with_roadmap) == []
    no_roadmap = ApplicationFacts(on, (lead,), "catalisti", False, "tina", "p", ledger=book)
    assert failed_codes(call, no_roadmap) == ["eligibility.cluster_has_roadmap.failed"]
    too_much = ApplicantFacts(
        "plant",
        "company",
        SizeClass.LARGE,
        {"catalisti": "member"},
        lead=True,
        requested_eur=Decimal(30_000_001),
    )
    over = ApplicationFacts(on, (too_much,), "catalisti", None, "tina", "p", ledger=book)
    assert failed_codes(call, over) == [
        "eligibility.cluster_has_roadmap.unknown",
        "eligibility.budget_headroom.failed",
    ]


def raw(name):
    folder = resources.files("helix.core.calls") / "data"
    return json.loads((folder / name).read_text(encoding="utf-8"))


def test_a_malformed_call_names_every_bad_part_by_its_path():
    spec = copy.deepcopy(raw("luxembourg_bpf_2024.json"))
    spec["rules"][2]["min"] = "two"
    spec["caps"][0]["kind"] = "per_programme"
    spec["stages"][0]["deadline"]["zone"] = "Europe/Luxemburg"
    spec["stages"][0]["form"]["sections"][1]["fields"][1]["maximum"] = "many"
    spec["instrument"]["kind"] = "gift"
    spec["budget"] = 5
    with pytest.raises(SpecError) as caught:
        load_call(spec, "lux")
    assert [(p.code, p.params["path"]) for p in caught.value.problems] == [
        ("spec.bad_value", "lux.instrument.kind"),
        ("spec.bad_value", "lux.caps[0].kind"),
        ("spec.wrong_type", "lux.rules[2].min"),
        ("deadline.unknown_zone", "lux.stages[0].deadline.zone"),
        ("spec.wrong_type", "lux.stages[0].form.sections[1].fields[1].maximum"),
        ("spec.unknown_field", "lux.budget"),
    ]


def test_each_seed_names_the_kind_of_project_an_award_becomes_and_an_unknown_kind_is_refused():
    assert {key: call.project_type for key, call in CALLS.items()} == {
        "factory-of-the-future-precluster": "precluster",
        "flux50-feasibility-2017": "feasibility_study",
        "luxembourg-bpf-2024": "flagship",
        "sme-portfolio": "feasibility_study",
        "tina-fund": "transformation_business",
    }
    spec = copy.deepcopy(raw("tina_fund.json"))
    del spec["project_type"]
    assert load_call(spec, "tina").project_type == ""
    spec["project_type"] = "garden_party"
    with pytest.raises(SpecError) as caught:
        load_call(spec, "tina")
    assert [(p.code, p.params["path"]) for p in caught.value.problems] == [
        ("spec.bad_value", "tina.project_type")
    ]
