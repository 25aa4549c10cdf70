"""Integration: every code the calls core and app can give is said in one place (helix.calls.explain):
a form's problems, every eligibility rule's verdicts, the deadlines', a definition's and the services'
refusals; each text renders in Dutch, French and German (English until the catalogues are filled)."""

from __future__ import annotations

import ast
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

import helix.core.calls as core_calls
import helix.core.specs as core_specs
from helix.calls import explain, services, validation
from helix.core.calls.eligibility import evaluate, load_rules
from helix.core.calls.eligibility_facts import ApplicantFacts, ApplicationFacts, RuleKind
from helix.core.calls.form_answers import check_value
from helix.core.calls.form_fields import FieldType, FormField, Option
from helix.core.funding.ledger import Instrument, InstrumentKind, Ledger
from helix.core.funding.sme import SizeClass
from helix.funds import explain as funds_explain

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

CORE = Path(core_calls.__file__).parent


def _codes_in(path: Path, pattern: str) -> set[str]:
    return set(re.findall(pattern, path.read_text(encoding="utf-8")))


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name.removesuffix("Rule")).lower()


def _verdict_codes(path: Path) -> dict[str, set[str]]:
    """Per rule class of ``path`` (its kind, from its name), the verdict codes its ``judge`` can give:
    every ``Verdict(passed, "code", ...)`` in it and in the module's functions it calls, transitively."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}

    def codes(node: ast.AST, seen: set[str]) -> set[str]:
        found: set[str] = set()
        for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
            name = call.func.id if isinstance(call.func, ast.Name) else ""
            if name == "Verdict":
                code = call.args[1] if len(call.args) > 1 else None
                if isinstance(code, ast.Attribute) and code.attr == "code":
                    continue  # passes on the code of a verdict made by a function it calls
                assert isinstance(code, ast.Constant), f"{path.name}: a Verdict's code is a literal"
                found.add(code.value)
            elif name in functions and name not in seen:
                found |= codes(functions[name], seen | {name})
        return found

    return {
        _snake(node.name): codes(
            next(f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == "judge"), set()
        )
        for node in tree.body
        if isinstance(node, ast.ClassDef)
        and any(isinstance(f, ast.FunctionDef) and f.name == "judge" for f in node.body)
    }


def test_every_code_the_forms_the_rules_the_deadlines_and_the_services_give_is_said():
    answers = CORE / "form_answers.py"
    form = _codes_in(answers, r'"(form\.[a-z_]+)"')
    assert 'f"form.{code}"' not in answers.read_text()
    assert 'f"form.too_few_{what}"' in answers.read_text()
    assert 'f"form.too_many_{what}"' in answers.read_text()
    counted = _codes_in(answers, r'_count_problems\([^\n]*"([a-z]+)"\)')
    form |= {f"form.too_{how}_{what}" for how in ("few", "many") for what in counted}

    rules = _verdict_codes(CORE / "eligibility_rules.py") | _verdict_codes(CORE / "eligibility_caps.py")
    assert set(rules) == {k.value for k in RuleKind}  # every kind of rule is a class of those modules
    assert 'f"eligibility.{spec.kind}.{verdict.code}"' in (CORE / "eligibility.py").read_text()
    eligibility = {f"eligibility.{kind}.{code}" for kind, found in rules.items() for code in found}

    deadlines = _codes_in(CORE / "lifecycle.py", r'"(deadline\.[a-z_]+)"')
    specs = (
        _codes_in(Path(core_specs.__file__), r'problem\(\s*"(spec\.[a-z_]+)"')
        | _codes_in(CORE / "forms.py", r'"(spec\.[a-z_]+)"')
        | _codes_in(CORE / "definition.py", r'"(spec\.[a-z_]+)"')
        | _codes_in(CORE / "eligibility.py", r'"(spec\.[a-z_]+)"')
    )
    app = _codes_in(Path(services.__file__), r'CallRefused\(\s*"([a-z_]+\.[a-z_]+)"') | _codes_in(
        Path(validation.__file__), r'"(call\.[a-z_]+)"'
    )
    assert (len(form), len(eligibility), len(deadlines), len(app)) == (17, 36, 3, 22)  # the scan finds them
    said = explain.TRANSLATED | funds_explain.TRANSLATED  # spec.* are said as for an instrument's caps
    assert (form | eligibility | deadlines | specs | app) - said == set()


SAMPLE = {
    "path": "definition.stages[0].deadline",
    "field": "zone",
    "zone": "Europe/Luxembourg",
    "local": "2024-04-30T23:59:00",
    "deadline": "2024-04-30T23:59:00",
    "value": ["title"],
    "key": "fotf",
    "id": "fotf-2027",
    "from": "draft",
    "to": "submitted",
    "status": "closed",
    "organisation": "Robo Welding",
    "fields": ["essay"],
    "limit": 1_000_000,
    "problems": 2,
    "yours": 3,
    "current": 4,
    "stage": "proposal",
    "expected": "money",
    "got": "str",
    "max_chars": 150,
    "chars": 160,
    "max_words": 1000,
    "words": 1010,
    "minimum": "1",
    "maximum": "200000",
    "count": 1,
    "values": {"1": "government"},
    "allowed": ["pdf", "xlsx"],
    "type": "exe",
    "max_bytes": 10_485_760,
    "size": 20_000_000,
    "who": "every",
    "failing": ["1"],
    "unknown": ["1"],
    "kinds": ["company"],
    "classes": ["micro", "small"],
    "at_least": "member",
    "cluster": "fotf",
    "countries": ["BE"],
    "min": 3,
    "max": 5,
    "missing": "total_cost_eur",
    "instrument": "fof",
    "limit_eur": "300000",
    "instruments": ["fof"],
    "year": 2027,
    "years": 3,
    "requested_eur": "150000",
    "max_rate": "0.5",
    "total_cost_eur": "200000",
    "checks": [
        {
            "code": "cap.per_beneficiary_per_year.exceeded",
            "beneficiary": "1",
            "limit_eur": "15000",
            "used_eur": "9000",
            "amount_eur": "7000",
            "headroom_eur": "6000",
            "year": 2027,
        },
    ],
    "names": {"1": "City of Genk"},
}


@pytest.mark.parametrize("language", ["en", "nl", "fr", "de"])
def test_every_text_renders_in_each_language(language):
    with translation.override(language):
        for code in sorted(explain.TRANSLATED):
            assert explain.say(code, SAMPLE), code
            assert explain.say(code, {"names": {}}), code  # and with parameters missing: never an error


def _facts(*applicants: ApplicantFacts, **more: object) -> ApplicationFacts:
    return ApplicationFacts(on=dt.date(2027, 3, 1), applicants=applicants, cluster="fotf", **more)  # type: ignore[arg-type]


def test_eligibility_outcomes_say_the_rule_and_who_does_not_meet_it():
    rules = load_rules(
        [
            {"kind": "applicant_kind", "kinds": ["company"]},
            {"kind": "sme_status", "classes": ["micro", "small", "medium"], "who": "any"},
            {"kind": "membership_level", "at_least": "member", "who": "lead"},
            {"kind": "consortium_size", "min": 3},
            {"kind": "cluster_has_roadmap"},
            {"kind": "co_financing_cap", "limit_eur": 200000, "max_rate": 0.5},
        ]
    )
    facts = _facts(
        ApplicantFacts(
            "1",
            "company",
            SizeClass.UNKNOWN,
            {"fotf": "member"},
            "BE",
            lead=True,
            requested_eur=Decimal(150000),
        ),
        ApplicantFacts("2", "government", SizeClass.LARGE, {}, "BE"),
        instrument="lux",
        project="application-7",
        total_cost_eur=Decimal(200000),
        ledger=Ledger({"lux": Instrument("lux", InstrumentKind.SUBSIDY)}, ()),
    )
    names = {"1": "Robo Welding", "2": "City of Genk"}
    said = [explain.outcome_text(o, names) for o in evaluate(rules, facts).outcomes]
    assert said == [
        "Every applicant must be of one of these kinds: Company. Not met by: City of Genk (Government body).",
        "At least one applicant must be of one of these sizes: micro enterprise, small enterprise, "
        "medium-sized enterprise. Not known for Robo Welding: the directory records no size for it.",
        "The lead applicant must be at least “Member” in fotf. Met.",
        "At least 3 organisations apply together. Not met: 2 organisations apply.",
        "The call's cluster must have adopted a cluster roadmap. Not known whether fotf has a roadmap.",
        "The call pays at most EUR 200,000.00 per project, and at most 50% of its total cost. "
        "EUR 150,000.00 is more than 50% of the total cost of EUR 200,000.00.",
    ]
    for language in ("nl", "fr", "de"):
        with translation.override(language):
            assert all(explain.outcome_text(o, names) for o in evaluate(rules, facts).outcomes)


def test_a_cap_outcome_names_the_beneficiary_and_the_funds_figures():
    rules = load_rules([{"kind": "per_beneficiary_cap", "limit_eur": 15000}])
    from helix.core.funding.ledger import Entry, EntryKind

    ledger = Ledger(
        {"p": Instrument("p", InstrumentKind.VOUCHER)},
        (Entry("p", EntryKind.COMMITTED, Decimal(9000), dt.date(2027, 1, 5), "1", "fotf", "other"),),
    )
    facts = _facts(
        ApplicantFacts("1", "company", SizeClass.SMALL, lead=True, requested_eur=Decimal(7000)),
        instrument="p",
        ledger=ledger,
    )
    (outcome,) = evaluate(rules, facts).outcomes
    assert explain.outcome_text(outcome, {"1": "Robo Welding"}) == (
        "Each beneficiary receives at most EUR 15,000.00 a year from this call's instrument. Not met. "
        "Robo Welding: At most EUR 15,000.00 a year per beneficiary: EUR 9,000.00 is committed in 2027 "
        "already, so EUR 7,000.00 is over the EUR 6,000.00 left."
    )


def test_a_forms_problems_are_said_with_their_figures():
    money = FormField("requested", FieldType.MONEY, {"en": "Requested"}, maximum=Decimal(200000))
    text = FormField("summary", FieldType.LONG_TEXT, {"en": "Summary"}, max_words=3)
    start = FormField("start", FieldType.DATE, {"en": "Start"}, earliest=dt.date(2024, 5, 1))
    sectors = FormField(
        "sectors",
        FieldType.MULTI_CHOICE,
        {"en": "Sectors"},
        options=(Option("a", {"en": "A"}),),
        min_choices=2,
    )
    budget = FormField("budget", FieldType.FILE, {"en": "Budget"}, file_types=("pdf",), max_bytes=1024)
    problems = [
        *check_value(money, "250000.5"),
        *check_value(text, "one two three four"),
        *check_value(start, "2024-04-30"),
        *check_value(sectors, ["a"]),
        *check_value(budget, {"name": "b.exe", "size": 4096}),
    ]
    assert [explain.problem_text(p) for p in problems] == [
        "250,000.5 is not between 0 and 200,000.",  # an amount is at least 0
        "4 words; at most 3 words are allowed.",
        "30 April 2024 is less than 1 May 2024, the least allowed.",
        "Choose at least 2 options.",
        "A file of the type .exe is not accepted here; send .pdf.",
        "The file has 4.0\xa0KB; at most 1.0\xa0KB is accepted.",
    ]


def test_a_code_not_said_here_falls_back_to_the_core_english_text():
    assert (
        explain.say("review.weights_sum", {}, "rubric: weights must sum to 1")
        == "rubric: weights must sum to 1"
    )
