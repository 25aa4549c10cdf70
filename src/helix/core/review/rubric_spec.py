"""A rubric declared as data, with its criteria's labels in languages::

    {"criteria": [{"id", "label": {"en", ...}, "help"?: {...}, "weight", "minimum"?, "maximum"?,
                   "threshold"?}], "threshold"?, "minimum"?, "maximum"?}

:func:`read_rubric` reads one into a :class:`RubricSpec` (the :class:`Rubric` the scoring uses, and the
labels the pages show); the rubric's own checks (:func:`rubric_problems`) are reported as spec problems
under the rubric's path, so a call file names every mistake in one go.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from helix.core.specs import SpecError, SpecProblem, SpecReader, translated

from .scoring import Criterion, Rubric, rubric_problems


@dataclass(frozen=True)
class RubricSpec:
    rubric: Rubric
    labels: Mapping[str, Mapping[str, str]]  # criterion id -> language -> text
    help: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def label(self, criterion: str, language: str) -> str:
        return translated(self.labels.get(criterion, {"en": criterion}), language)

    def help_in(self, criterion: str, language: str) -> str:
        return translated(self.help.get(criterion, {}), language)


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def read_rubric(r: SpecReader) -> RubricSpec | None:
    criteria: list[Criterion] = []
    labels: dict[str, dict[str, str]] = {}
    helps: dict[str, dict[str, str]] = {}
    for i, item in enumerate(r.objects("criteria")):
        c = SpecReader(item, f"{r.path}.criteria[{i}]", r.problems, {**r.context, "criterion": i})
        if not c.ok:
            continue
        cid = c.text("id")
        label = c.translations("label")
        help_ = c.translations("help", required=False)
        weight = c.number("weight")
        low = c.number("minimum", required=False)
        high = c.number("maximum", required=False)
        threshold = c.number("threshold", required=False)
        c.done()
        if cid and weight is not None:
            criteria.append(
                Criterion(
                    cid,
                    float(weight),
                    float(low) if low is not None else 0.0,
                    float(high) if high is not None else 5.0,
                    _float(threshold),
                )
            )
            labels[cid] = label
            if help_:
                helps[cid] = help_
    threshold = r.number("threshold", required=False)
    low = r.number("minimum", required=False)
    high = r.number("maximum", required=False)
    r.done()
    rubric = Rubric(tuple(criteria), _float(threshold), _float(low), _float(high))
    before = len(r.problems)
    if criteria or not r.problems:
        for p in rubric_problems(rubric):
            r.problem(f"review.{p.code}", "criteria" if p.subject else "", p.text, **p.params)
    if len(r.problems) > before:
        return None
    return RubricSpec(rubric, labels, helps)


def load_rubric(data: object, path: str = "rubric") -> RubricSpec:
    problems: list[SpecProblem] = []
    spec = read_rubric(SpecReader(data, path, problems))
    if problems or spec is None:
        raise SpecError(problems)
    return spec
