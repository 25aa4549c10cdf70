"""Unit: application forms as data: each field type's checks, drafts and submission, completeness,
translations and malformed form specs (helix.core.calls.forms)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from helix.core.calls.forms import (
    FieldProblem,
    FieldType,
    Form,
    FormField,
    Option,
    Section,
    check_answers,
    check_value,
    is_filled,
    load_form,
)
from helix.core.specs import SpecError

pytestmark = pytest.mark.unit

SPEC = {
    "name": "proposal",
    "label": {"en": "Proposal", "nl": "Voorstel", "fr": "Proposition", "de": "Antrag"},
    "sections": [
        {
            "name": "idea",
            "label": "The idea",
            "fields": [
                {
                    "name": "title",
                    "type": "text",
                    "required": True,
                    "max_chars": 20,
                    "label": {"en": "Title", "nl": "Titel"},
                },
                {
                    "name": "summary",
                    "type": "long_text",
                    "required": True,
                    "max_words": 5,
                    "max_chars": 40,
                    "label": "Summary",
                },
                {
                    "name": "months",
                    "type": "number",
                    "minimum": 3,
                    "maximum": 24,
                    "whole": True,
                    "label": "Months",
                },
                {
                    "name": "requested",
                    "type": "money",
                    "required": True,
                    "maximum": 200000,
                    "label": "Requested",
                },
                {
                    "name": "start",
                    "type": "date",
                    "earliest": "2024-05-01",
                    "latest": "2024-12-31",
                    "label": "Start",
                },
            ],
        },
        {
            "name": "more",
            "label": "More",
            "fields": [
                {
                    "name": "zone",
                    "type": "choice",
                    "label": "Zone",
                    "options": [
                        {"value": "heat", "label": "Heat"},
                        {"value": "grid", "label": {"en": "Grid", "fr": "Réseau"}},
                    ],
                },
                {
                    "name": "sectors",
                    "type": "multi_choice",
                    "min_choices": 1,
                    "max_choices": 2,
                    "label": "Sectors",
                    "options": [
                        {"value": "a", "label": "A"},
                        {"value": "b", "label": "B"},
                        {"value": "c", "label": "C"},
                    ],
                },
                {"name": "living_lab", "type": "yes_no", "required": True, "label": "Living lab"},
                {
                    "name": "budget",
                    "type": "file",
                    "required": True,
                    "file_types": ["pdf", ".XLSX"],
                    "max_bytes": 1000,
                    "label": "Budget",
                },
                {
                    "name": "partners",
                    "type": "organisations",
                    "min_items": 2,
                    "max_items": 3,
                    "label": "Partners",
                },
            ],
        },
    ],
}
FORM = load_form(SPEC)
COMPLETE = {
    "title": "Heat pumps",
    "summary": "A study of heat pumps.",
    "months": 12,
    "requested": "150000.50",
    "start": "2024-06-01",
    "zone": "heat",
    "sectors": ["a", "c"],
    "living_lab": False,
    "budget": {"name": "budget.xlsx", "size": 900, "content_type": "application/vnd.ms-excel"},
    "partners": ["acme", "uni"],
}


def field(name: str) -> FormField:
    found = FORM.field(name)
    assert found is not None
    return found


def test_the_form_reads_from_data_with_sections_types_and_translations():
    assert [s.name for s in FORM.sections] == ["idea", "more"]
    assert [f.type for f in FORM.fields] == list(FieldType)
    assert field("title") == FormField(
        "title", FieldType.TEXT, {"en": "Title", "nl": "Titel"}, required=True, max_chars=20
    )
    assert (field("title").label_in("nl"), field("title").label_in("de")) == ("Titel", "Title")
    assert field("zone").options == (
        Option("heat", {"en": "Heat"}),
        Option("grid", {"en": "Grid", "fr": "Réseau"}),
    )
    assert field("budget").file_types == ("pdf", "xlsx")
    assert field("requested").maximum == Decimal(200000)
    assert field("start").earliest == dt.date(2024, 5, 1)


def test_a_complete_answer_submits_without_problems():
    check = check_answers(FORM, COMPLETE, submit=True)
    assert (check.problems, check.completeness, check.ok) == ((), Fraction(1), True)


def test_a_draft_may_be_partial_but_submission_needs_every_required_field():
    draft = {"title": "Heat pumps", "living_lab": False, "zone": ""}
    as_draft = check_answers(FORM, draft, submit=False)
    assert (as_draft.problems, as_draft.required_filled, as_draft.required_total) == ((), 2, 5)
    assert as_draft.completeness == Fraction(2, 5)
    submitted = check_answers(FORM, draft, submit=True)
    assert submitted.problems == (
        FieldProblem("summary", "form.required", {}, "summary: required"),
        FieldProblem("requested", "form.required", {}, "requested: required"),
        FieldProblem("budget", "form.required", {}, "budget: required"),
    )


def test_a_draft_still_shows_the_problems_of_the_values_given():
    check = check_answers(FORM, {"months": 30, "colour": "red"}, submit=False)
    assert check.by_field() == {
        "colour": [FieldProblem("colour", "form.unknown_field", {}, "colour: not a field of proposal")],
        "months": [
            FieldProblem(
                "months",
                "form.out_of_range",
                {"minimum": "3", "maximum": "24", "value": "30"},
                "months: 30 is outside 3..24",
            )
        ],
    }


@pytest.mark.parametrize(
    ("name", "value", "codes"),
    [
        ("title", "x" * 20, []),
        ("title", "x" * 21, ["form.too_long"]),
        ("title", "two\nlines", ["form.one_line"]),
        ("title", 42, ["form.wrong_type"]),
        ("summary", "one two three four five", []),
        ("summary", "one two three four five six", ["form.too_many_words"]),
        ("summary", "x" * 41, ["form.too_long"]),
        ("months", 3, []),
        ("months", "24", []),
        ("months", 2, ["form.out_of_range"]),
        ("months", 12.5, ["form.not_whole"]),
        ("months", True, ["form.wrong_type"]),
        ("months", "twelve", ["form.wrong_type"]),
        ("months", "NaN", ["form.wrong_type"]),
        ("requested", 0, []),
        ("requested", "-1", ["form.out_of_range"]),  # money is never negative unless a minimum says so
        ("requested", "200000.01", ["form.out_of_range"]),
        ("requested", "10.005", ["form.cents"]),
        ("requested", "10.50", []),
        ("requested", "12.3400", []),
        ("requested", "1E+3", []),
        ("requested", "1e30", ["form.out_of_range"]),  # any magnitude is checked, none raises
        ("requested", 10**40, ["form.out_of_range"]),
        ("requested", "1e-30", ["form.cents"]),
        ("start", dt.date(2024, 5, 1), []),
        ("start", "2024-04-30", ["form.out_of_range"]),
        ("start", "2025-01-01", ["form.out_of_range"]),
        ("start", "30/04/2024", ["form.wrong_type"]),
        ("start", dt.datetime(2024, 6, 1, 12, 0), ["form.wrong_type"]),
        ("zone", "grid", []),
        ("zone", "wind", ["form.unknown_choice"]),
        ("zone", ["heat"], ["form.wrong_type"]),
        ("sectors", ["a", "b"], []),
        ("sectors", ["a", "b", "c"], ["form.too_many_choices"]),
        ("sectors", ["a", "z"], ["form.unknown_choice"]),
        ("sectors", ["a", "a"], ["form.duplicate"]),
        ("sectors", "a", ["form.wrong_type"]),
        ("living_lab", True, []),
        ("living_lab", "yes", ["form.wrong_type"]),
        ("budget", {"name": "b.PDF", "size": 1000}, []),
        ("budget", {"name": "b.exe", "size": 10}, ["form.file_type"]),
        ("budget", {"name": "b.pdf", "size": 1001}, ["form.file_too_large"]),
        ("budget", {"name": "b", "size": 2000}, ["form.file_type", "form.file_too_large"]),
        ("budget", {"name": "b.pdf"}, ["form.wrong_type"]),
        ("budget", "b.pdf", ["form.wrong_type"]),
        ("partners", ["a", "b", "c"], []),
        ("partners", ["a"], ["form.too_few_items"]),
        ("partners", ["a", "b", "c", "d"], ["form.too_many_items"]),
        ("partners", ["a", "a"], ["form.duplicate"]),
        ("partners", ["a", ""], ["form.wrong_type"]),
    ],
)
def test_each_field_type_checks_its_value(name, value, codes):
    assert [p.code for p in check_value(field(name), value)] == codes


def test_problems_carry_their_limits():
    assert check_value(field("summary"), "a b c d e f") == [
        FieldProblem(
            "summary", "form.too_many_words", {"max_words": 5, "words": 6}, "summary: 6 words, at most 5"
        )
    ]
    assert check_value(field("budget"), {"name": "b.exe", "size": 1}) == [
        FieldProblem(
            "budget",
            "form.file_type",
            {"allowed": ["pdf", "xlsx"], "type": "exe"},
            "budget: .exe is not one of pdf, xlsx",
        )
    ]
    assert check_value(field("zone"), "wind") == [
        FieldProblem(
            "zone",
            "form.unknown_choice",
            {"values": ["wind"], "allowed": ["heat", "grid"]},
            "zone: no option ['wind']",
        )
    ]
    assert check_value(field("sectors"), []) == [
        FieldProblem(
            "sectors", "form.too_few_choices", {"minimum": 1, "count": 0}, "sectors: 0 choices, at least 1"
        )
    ]


def test_what_counts_as_filled():
    assert [is_filled(v) for v in (None, "", "  ", [], "x", 0, False, ["a"])] == [
        False,
        False,
        False,
        False,
        True,
        True,
        True,
        True,
    ]


def test_a_form_without_required_fields_is_complete():
    form = Form(
        "f", {"en": "F"}, (Section("s", {"en": "S"}, (FormField("note", FieldType.TEXT, {"en": "Note"}),)),)
    )
    assert check_answers(form, {}, submit=True).completeness == Fraction(1)


@pytest.mark.parametrize(
    ("change", "problems"),
    [
        (lambda s: s.pop("sections"), [("spec.missing_field", "form.sections")]),
        (lambda s: s.update(label={"nl": "Voorstel"}), [("spec.missing_translation", "form.label")]),
        (lambda s: s.update(label={"en": "P", "es": "Propuesta"}), [("spec.bad_value", "form.label")]),
        (
            lambda s: s["sections"][0]["fields"][0].update(type="string"),
            [("spec.bad_value", "form.sections[0].fields[0].type")],
        ),
        (
            lambda s: s["sections"][0]["fields"][0].update(max_words=3),
            [("spec.unknown_field", "form.sections[0].fields[0].max_words")],
        ),
        (
            lambda s: s["sections"][0]["fields"][2].update(minimum=30),
            [("spec.bad_value", "form.sections[0].fields[2].maximum")],
        ),
        (
            lambda s: s["sections"][0]["fields"][4].update(latest="soon"),
            [("spec.wrong_type", "form.sections[0].fields[4].latest")],
        ),
        (
            lambda s: s["sections"][1]["fields"][0]["options"].append({"value": "heat", "label": "Again"}),
            [("spec.bad_value", "form.sections[1].fields[0].options")],
        ),
        (
            lambda s: s["sections"][1]["fields"][0]["options"].append({"label": "No value"}),
            [("spec.missing_field", "form.sections[1].fields[0].options[2].value")],
        ),
        (
            lambda s: s["sections"][1]["fields"][3].update(max_bytes=0),
            [("spec.bad_value", "form.sections[1].fields[3].max_bytes")],
        ),
        (
            lambda s: s["sections"][1]["fields"][4].update(name="title"),
            [("spec.duplicate_field", "form.sections")],
        ),
        (
            lambda s: s["sections"][1]["fields"].append("partners"),
            [("spec.not_an_object", "form.sections[1].fields[5]")],
        ),
        (lambda s: s["sections"][0].update(fields={}), [("spec.wrong_type", "form.sections[0].fields")]),
    ],
)
def test_a_malformed_form_names_the_path_of_each_problem(change, problems):
    import copy

    spec = copy.deepcopy(SPEC)
    change(spec)
    with pytest.raises(SpecError) as caught:
        load_form(spec)
    assert [(p.code, p.params["path"]) for p in caught.value.problems] == problems
