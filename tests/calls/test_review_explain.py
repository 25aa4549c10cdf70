"""Unit: every code the review can give is said in the reader's language (helix.calls.review_explain via
helix.calls.explain). The codes are read from the source: the problems of helix.core.review (said as
``review.<code>``) and the refusals of the app's review and decision modules; and every code said there
is one the source gives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

import helix
from helix.calls import explain, review_explain
from helix.core.review.problems import ReviewProblem

pytestmark = pytest.mark.unit

SRC = Path(helix.__file__).resolve().parent
CORE = sorted((SRC / "core" / "review").glob("*.py"))
APP = [
    SRC / "calls" / f"{name}.py"
    for name in (
        "review_services",
        "review_assignment",
        "review_scoring",
        "decision_services",
        "award_services",
        "letters",
        "review_views",
        "review_staff_views",
        "decision_views",
    )
]


def core_codes() -> set[str]:
    found: set[str] = set()
    for path in CORE:
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'problem\(\s*"([a-z_]+)"', text))
        found |= set(re.findall(r'"(conflict_[a-z_]+)"', text))
    return found


def app_codes() -> set[str]:
    found: set[str] = set()
    for path in APP:
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'CallRefused\(\s*"([a-z_.]+)"', text))
        found |= set(re.findall(r'explain\.say\(\s*"([a-z_.]+)"', text))
        found |= set(re.findall(r'"code": "([a-z_.]+)"', text))
    return found


def test_the_source_gives_codes_of_both_families():
    assert {
        "too_few_reviewers",
        "fixed_in_conflict",
        "score_out_of_range",
        "no_gain",
        "conflict_declared",
    } <= (core_codes())
    assert {"reviewer.twice", "award.refused", "assignment.changed", "conflict.confirm"} <= app_codes()


def test_every_problem_of_the_core_review_is_said():
    assert (
        sorted(f"review.{code}" for code in core_codes() if f"review.{code}" not in explain.TRANSLATED) == []
    )


def test_every_refusal_of_the_review_and_the_decision_is_said():
    assert sorted(code for code in app_codes() if code not in explain.TRANSLATED) == []


def test_every_code_said_is_one_the_source_gives():
    given = {f"review.{code}" for code in core_codes()} | app_codes()
    assert sorted(set(review_explain.MESSAGES) - given) == []


def test_a_core_problem_is_said_by_its_code_without_the_prefix_in_the_readers_language():
    problem = ReviewProblem(
        "too_few_reviewers",
        "12",
        {"proposal": "12", "available": 1, "needed": 3, "in_conflict": 2},
        "English",
    )
    assert explain.problem_text(problem) == (
        "Only 1 reviewer is free of conflict and has room; 3 are needed (2 in conflict)."
    )
    budget = ReviewProblem("budget_exhausted", "3", {"amount": 30000.0, "remaining": 10000.5})
    with translation.override("de"):  # in German, with German amounts
        assert review_explain.review_problem_text(budget) == (
            "Beantragt 30.000,00 EUR; 10.000,50 EUR sind noch übrig."
        )
