"""The rules of a call's fields at the app's edge: its definition is read by the core
(:func:`helix.core.calls.definition.load_call`): stages, deadlines, forms, rules, caps and rubric, every
mistake named by its path. ``Call.clean`` and ``Call.save`` call :func:`validate_call`; this module
imports no service and no model of the app."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from helix.calls import explain
from helix.core.calls.definition import load_call
from helix.core.specs import SpecError, SpecProblem


def call_problems(call: Any, path: str = "definition") -> dict[str, list[SpecProblem]]:
    """Every problem of ``call`` (its ``definition`` and ``key``) by the field it is about, each naming
    the JSON path of the bad value under ``path``."""
    problems: dict[str, list[SpecProblem]] = {}
    no_rubric = SpecProblem(
        "call.no_rubric", {"path": f"{path}.rubric"}, f"{path}.rubric: a call needs a rubric"
    )
    try:
        definition = load_call(call.definition, path)
    except SpecError as exc:
        problems["definition"] = list(exc.problems)
        if isinstance(call.definition, dict) and "rubric" not in call.definition:
            problems["definition"].append(no_rubric)
        return problems
    if definition.id != call.key:
        problems.setdefault("key", []).append(
            SpecProblem(
                "call.key_differs",
                {"key": call.key, "id": definition.id},
                f"the key {call.key!r} differs from the definition's id {definition.id!r}",
            )
        )
    if definition.rubric is None:
        problems.setdefault("definition", []).append(no_rubric)
    return problems


def validate_call(call: Any) -> None:
    problems = call_problems(call)
    if problems:
        raise ValidationError(
            {
                name: [ValidationError(explain.spec_text(p), code=p.code) for p in found]
                for name, found in problems.items()
            }
        )
