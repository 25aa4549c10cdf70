"""Unit: eligibility rules as data: each rule passing and failing with its coded reason, the cap rules
over the ledger, and malformed specs named by index and field (helix.core.calls.eligibility)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from helix.core.calls.eligibility import (
    ApplicantFacts,
    ApplicantKindRule,
    ApplicationFacts,
    ConsortiumSizeRule,
    Eligibility,
    RuleKind,
    RuleOutcome,
    RuleSpec,
    evaluate,
    load_rules,
)
from helix.core.funding.ledger import Entry, EntryKind, Instrument, InstrumentKind, Ledger
from helix.core.funding.sme import SizeClass
from helix.core.specs import SpecError

pytestmark = pytest.mark.unit

ON = date(2024, 4, 1)
ACME = ApplicantFacts(
    "acme",
    "company",
    SizeClass.SMALL,
    {"flux50": "member"},
    "BE",
    lead=True,
    requested_eur=Decimal(100_000),
)
UNI = ApplicantFacts(
    "uni",
    "knowledge_institution",
    SizeClass.LARGE,
    {"flux50": "loi_signed"},
    "BE",
    requested_eur=Decimal(50_000),
)
BIG = ApplicantFacts(
    "big", "company", SizeClass.LARGE, {"flux50": "interested"}, "LU", requested_eur=Decimal(0)
)
INSTRUMENTS = {
    "feas": Instrument("feas", InstrumentKind.SUBSIDY, de_minimis=True),
    "portfolio": Instrument("portfolio", InstrumentKind.VOUCHER, de_minimis=True),
    "lux": Instrument("lux", InstrumentKind.SUBSIDY),
    "tina": Instrument("tina", InstrumentKind.EQUITY),
}
EMPTY = Ledger(INSTRUMENTS)


def facts(*applicants, **kw):
    values = {
        "on": ON,
        "applicants": applicants,
        "cluster": "flux50",
        "instrument": "feas",
        "project": "p1",
        "ledger": EMPTY,
    }
    return ApplicationFacts(**(values | kw))


def judge(spec, application):
    (outcome,) = evaluate(load_rules([spec]), application).outcomes
    return outcome


def test_applicant_kind_every_lead_and_any():
    spec = {"kind": "applicant_kind", "kinds": ["company"]}
    assert judge(spec, facts(ACME, UNI)) == RuleOutcome(
        0,
        RuleKind.APPLICANT_KIND,
        False,
        "eligibility.applicant_kind.failed",
        {
            "kinds": ["company"],
            "who": "every",
            "values": {"acme": "company", "uni": "knowledge_institution"},
            "failing": ["uni"],
        },
        "Not every applicant asked is a company: uni",
    )
    assert judge(spec | {"who": "lead"}, facts(UNI, ACME)) == RuleOutcome(
        0,
        RuleKind.APPLICANT_KIND,
        True,
        "eligibility.applicant_kind.passed",
        {"kinds": ["company"], "who": "lead", "values": {"acme": "company"}},
        "The lead applicant is a company",
    )
    assert judge(spec | {"who": "any"}, facts(UNI, ACME)).code == "eligibility.applicant_kind.passed"
    assert judge(spec | {"who": "any"}, facts(UNI)).code == "eligibility.applicant_kind.failed"
    assert judge(spec, facts()).code == "eligibility.applicant_kind.no_applicant"


def test_the_lead_is_the_one_marked_else_the_first():
    first = ApplicantFacts("first", "government")
    assert facts(first, ACME).lead == ACME
    assert facts(first, UNI).lead == first


def test_sme_status_passes_fails_and_says_when_unknown():
    spec = {"kind": "sme_status", "classes": ["micro", "small", "medium"]}
    assert judge(spec, facts(ACME)).passed
    failed = judge(spec, facts(ACME, BIG))
    assert (failed.code, failed.params["failing"], failed.params["values"]) == (
        "eligibility.sme_status.failed",
        ["big"],
        {"acme": "small", "big": "large"},
    )
    unknown = ApplicantFacts("new", "company")
    assert judge(spec, facts(ACME, unknown)) == RuleOutcome(
        0,
        RuleKind.SME_STATUS,
        False,
        "eligibility.sme_status.unknown",
        {
            "classes": ["micro", "small", "medium"],
            "who": "every",
            "values": {"acme": "small", "new": "unknown"},
            "unknown": ["new"],
        },
        "Not known for new",
    )
    # "At least one SME": one known SME is enough, whatever the others.
    assert judge(spec | {"who": "any"}, facts(BIG, unknown, ACME)).passed
    assert judge(spec | {"who": "any"}, facts(BIG, unknown)).code == "eligibility.sme_status.unknown"


def test_membership_level_in_the_calls_cluster():
    spec = {"kind": "membership_level", "at_least": "loi_signed"}
    assert judge(spec, facts(ACME, UNI)) == RuleOutcome(
        0,
        RuleKind.MEMBERSHIP_LEVEL,
        True,
        "eligibility.membership_level.passed",
        {
            "at_least": "loi_signed",
            "who": "every",
            "cluster": "flux50",
            "values": {"acme": "member", "uni": "loi_signed"},
        },
        "Every applicant is at least loi_signed of flux50",
    )
    failed = judge(spec, facts(ACME, BIG))
    assert (failed.passed, failed.params["failing"]) == (False, ["big"])
    assert not judge({"kind": "membership_level", "at_least": "member"}, facts(UNI)).passed
    # Another cluster named in the rule; an organisation that is not on its ladder fails.
    assert judge(spec | {"cluster": "blue"}, facts(ACME)).params["values"] == {"acme": ""}
    assert not judge(spec | {"cluster": "blue"}, facts(ACME)).passed
    assert judge(spec, facts(ACME, cluster="")).code == "eligibility.membership_level.unknown"


def test_cluster_has_roadmap_for_the_fund():
    spec = {"kind": "cluster_has_roadmap"}
    assert judge(spec, facts(ACME, cluster_has_roadmap=True)) == RuleOutcome(
        0,
        RuleKind.CLUSTER_HAS_ROADMAP,
        True,
        "eligibility.cluster_has_roadmap.passed",
        {"cluster": "flux50"},
        "flux50 has a cluster roadmap",
    )
    assert (
        judge(spec, facts(ACME, cluster_has_roadmap=False)).code == "eligibility.cluster_has_roadmap.failed"
    )
    assert judge(spec, facts(ACME)).code == "eligibility.cluster_has_roadmap.unknown"


@pytest.mark.parametrize(
    ("applicants", "code", "passed"),
    [
        ((ACME,), "eligibility.consortium_size.too_few", False),
        ((ACME, UNI), "eligibility.consortium_size.passed", True),
        ((ACME, UNI, BIG), "eligibility.consortium_size.passed", True),
        ((ACME, UNI, BIG, ApplicantFacts("d", "government")), "eligibility.consortium_size.too_many", False),
        ((ACME, ACME), "eligibility.consortium_size.duplicate", False),
    ],
)
def test_consortium_size(applicants, code, passed):
    outcome = judge({"kind": "consortium_size", "min": 2, "max": 3}, facts(*applicants))
    assert (outcome.code, outcome.passed, outcome.params["size"]) == (
        code,
        passed,
        len({a.organisation for a in applicants}),
    )


def test_applicant_country():
    spec = {"kind": "applicant_country", "countries": ["LU"], "who": "lead"}
    assert judge(spec, facts(BIG, ACME)).params == {
        "countries": ["LU"],
        "who": "lead",
        "values": {"acme": "BE"},
        "failing": ["acme"],
    }
    assert judge(spec, facts(BIG)).passed
    assert judge(spec, facts(ApplicantFacts("x", "company"))).code == "eligibility.applicant_country.unknown"


def portfolio_facts(requested, *, ledger=EMPTY, who="acme"):
    applicant = ApplicantFacts(who, "company", SizeClass.MICRO, requested_eur=Decimal(requested))
    return facts(applicant, instrument="portfolio", ledger=ledger)


def booked(*entries):
    return Ledger(INSTRUMENTS, tuple(entries))


def commitment(instrument, amount, on, who, project=""):
    return Entry(instrument, EntryKind.COMMITTED, Decimal(amount), date.fromisoformat(on), who, "", project)


def test_per_beneficiary_cap_counts_this_years_portfolio():
    spec = {"kind": "per_beneficiary_cap", "limit_eur": 15000}
    ledger = booked(
        commitment("portfolio", 12_000, "2024-01-20", "acme"),
        commitment("portfolio", 15_000, "2023-05-01", "acme"),
    )
    assert judge(spec, portfolio_facts(3_000, ledger=ledger)) == RuleOutcome(
        0,
        RuleKind.PER_BENEFICIARY_CAP,
        True,
        "eligibility.per_beneficiary_cap.passed",
        {
            "limit_eur": "15000",
            "instruments": [],
            "year": 2024,
            "checks": [
                {
                    "code": "cap.per_beneficiary_per_year.within",
                    "cap": "per_beneficiary",
                    "limit_eur": "15000",
                    "used_eur": "12000",
                    "amount_eur": "3000",
                    "headroom_eur": "3000",
                    "beneficiary": "acme",
                    "year": 2024,
                }
            ],
        },
        "per_beneficiary: 12000 of 15000 used by acme in 2024 (beneficiary acme, year 2024); "
        "3000 fits in the 3000 left",
    )
    failed = judge(spec, portfolio_facts(3_001, ledger=ledger))
    assert (failed.code, failed.params["checks"][0]["headroom_eur"]) == (
        "eligibility.per_beneficiary_cap.failed",
        "3000",
    )
    assert judge(spec, portfolio_facts(15_000, ledger=ledger, who="beta")).passed


def test_co_financing_cap_per_project_and_rate():
    spec = {"kind": "co_financing_cap", "limit_eur": 200000}
    lux = {"instrument": "lux", "project": "bpf-1"}
    assert judge(spec, facts(ACME, UNI, **lux)).passed  # 150,000
    big = ApplicantFacts("acme", "company", lead=True, requested_eur=Decimal(200_001))
    failed = judge(spec, facts(big, **lux))
    assert (failed.code, failed.params["requested_eur"], failed.params["checks"][0]["headroom_eur"]) == (
        "eligibility.co_financing_cap.failed",
        "200001",
        "200000",
    )
    already = booked(commitment("lux", 100_000, "2024-03-01", "bpf-1", project="bpf-1"))
    assert not judge(spec, facts(ACME, UNI, ledger=already, **lux)).passed
    rate = spec | {"max_rate": 0.5}
    assert judge(rate, facts(ACME, UNI, total_cost_eur=Decimal(300_000), **lux)).passed
    over_rate = judge(rate, facts(ACME, UNI, total_cost_eur=Decimal(299_999), **lux))
    assert (over_rate.code, over_rate.text) == (
        "eligibility.co_financing_cap.over_rate",
        "150000 is more than 0.5 of the 299999 total cost",
    )
    assert judge(rate, facts(ACME, UNI, **lux)).code == "eligibility.co_financing_cap.unknown"
    assert (
        judge(spec, facts(ACME, instrument="lux", project="")).code == "eligibility.co_financing_cap.unknown"
    )


def test_de_minimis_headroom_across_instruments_and_an_undertaking():
    spec = {"kind": "de_minimis_headroom"}
    ledger = booked(
        commitment("portfolio", 15_000, "2023-01-01", "acme"),
        commitment("feas", 120_000, "2022-06-01", "sister"),
        commitment("lux", 200_000, "2023-06-01", "acme", project="x"),  # not de minimis
    )
    groups = {"acme": "group", "sister": "group"}
    # 135,000 used by the group; acme asks 100,000, uni (on its own) 50,000.
    ok = judge(spec, facts(ACME, UNI, ledger=ledger, undertaking_of=groups))
    assert (ok.passed, [c["used_eur"] for c in ok.params["checks"]]) == (True, ["135000", "0"])
    greedy = ApplicantFacts("acme", "company", lead=True, requested_eur=Decimal(165_001))
    failed = judge(spec, facts(greedy, ledger=ledger, undertaking_of=groups))
    assert (
        failed.code,
        failed.params["checks"][0]["headroom_eur"],
        failed.params["checks"][0]["members"],
    ) == (
        "eligibility.de_minimis_headroom.failed",
        "165000",
        ["acme", "sister"],
    )
    # Two applicants of one undertaking add up.
    sister = ApplicantFacts("sister", "company", requested_eur=Decimal(70_000))
    both = judge(spec, facts(ACME, sister, ledger=ledger, undertaking_of=groups))
    assert [(c["used_eur"], c["code"]) for c in both.params["checks"]] == [
        ("135000", "cap.de_minimis.within"),
        ("235000", "cap.de_minimis.exceeded"),
    ]


def test_budget_headroom_of_the_fund():
    spec = {"kind": "budget_headroom", "limit_eur": 200_000_000}
    ledger = booked(commitment("tina", 199_900_000, "2020-01-01", "x", project="q"))
    asks = ApplicantFacts("acme", "company", requested_eur=Decimal(100_000))
    assert judge(spec, facts(asks, instrument="tina", ledger=ledger)).passed
    more = ApplicantFacts("acme", "company", requested_eur=Decimal(100_001))
    assert (
        judge(spec, facts(more, instrument="tina", ledger=ledger)).code
        == "eligibility.budget_headroom.failed"
    )


def test_cap_rules_without_a_ledger_or_instrument_are_unknown():
    for kind in ("per_beneficiary_cap", "co_financing_cap", "budget_headroom"):
        outcome = judge({"kind": kind, "limit_eur": 1}, facts(ACME, ledger=None))
        assert (outcome.code, outcome.params["missing"]) == (f"eligibility.{kind}.unknown", "ledger")
    outcome = judge({"kind": "de_minimis_headroom"}, facts(ACME, instrument="other"))
    assert (outcome.code, outcome.params["missing"]) == (
        "eligibility.de_minimis_headroom.unknown",
        "instrument",
    )


def test_evaluate_gives_one_outcome_per_rule_and_eligible_only_when_all_pass():
    rules = load_rules(
        [
            {"kind": "applicant_kind", "kinds": ["company", "knowledge_institution"]},
            {"kind": "consortium_size", "min": 3},
        ]
    )
    assert rules == (
        RuleSpec(RuleKind.APPLICANT_KIND, ApplicantKindRule(("company", "knowledge_institution"))),
        RuleSpec(RuleKind.CONSORTIUM_SIZE, ConsortiumSizeRule(3, None)),
    )
    result = evaluate(rules, facts(ACME, UNI))
    assert isinstance(result, Eligibility)
    assert (result.eligible, [o.passed for o in result.outcomes], [o.index for o in result.failed]) == (
        False,
        [True, False],
        [1],
    )
    assert evaluate(rules, facts(ACME, UNI, BIG)).eligible
    assert evaluate((), facts()).eligible


@pytest.mark.parametrize(
    ("specs", "problems"),
    [
        ({"kind": "applicant_kind"}, [("spec.not_a_list", "rules", None)]),
        ([["applicant_kind"]], [("spec.not_an_object", "rules[0]", "")]),
        ([{"kinds": ["company"]}], [("spec.missing_field", "rules[0].kind", "kind")]),
        ([{"kind": "sme"}], [("spec.bad_value", "rules[0].kind", "kind")]),
        (
            [
                {"kind": "consortium_size", "min": 2},
                {"kind": "applicant_kind", "kinds": ["startup"], "who": "all"},
            ],
            [("spec.bad_value", "rules[1].kinds", "kinds"), ("spec.bad_value", "rules[1].who", "who")],
        ),
        ([{"kind": "sme_status", "classes": []}], [("spec.wrong_type", "rules[0].classes", "classes")]),
        (
            [{"kind": "sme_status", "classes": ["small", "small"]}],
            [("spec.bad_value", "rules[0].classes", "classes")],
        ),
        (
            [{"kind": "membership_level", "at_least": "gold"}],
            [("spec.bad_value", "rules[0].at_least", "at_least")],
        ),
        ([{"kind": "consortium_size"}], [("spec.missing_field", "rules[0].min", "min")]),
        ([{"kind": "consortium_size", "min": 3, "max": 2}], [("spec.bad_value", "rules[0].max", "max")]),
        ([{"kind": "consortium_size", "min": "2"}], [("spec.wrong_type", "rules[0].min", "min")]),
        (
            [{"kind": "co_financing_cap", "limit_eur": "lots"}],
            [("spec.wrong_type", "rules[0].limit_eur", "limit_eur")],
        ),
        (
            [{"kind": "co_financing_cap", "limit_eur": 1, "max_rate": 1.5}],
            [("spec.bad_value", "rules[0].max_rate", "max_rate")],
        ),
        ([{"kind": "per_beneficiary_cap"}], [("spec.missing_field", "rules[0].limit_eur", "limit_eur")]),
        ([{"kind": "de_minimis_headroom", "years": 0}], [("spec.bad_value", "rules[0].years", "years")]),
        (
            [{"kind": "cluster_has_roadmap", "strict": True}],
            [("spec.unknown_field", "rules[0].strict", "strict")],
        ),
        (
            [{"kind": "budget_headroom", "limit_eur": -5}],
            [("spec.bad_value", "rules[0].limit_eur", "limit_eur")],
        ),
    ],
)
def test_a_malformed_spec_names_the_rule_index_and_field(specs, problems):
    with pytest.raises(SpecError) as caught:
        load_rules(specs)
    assert [(p.code, p.params["path"], p.params.get("field")) for p in caught.value.problems] == problems
    for p in caught.value.problems:
        if isinstance(specs, list):
            assert p.params["index"] == int(p.params["path"].split("[")[1].split("]")[0])
