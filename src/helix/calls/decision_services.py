"""The funding decision on a call: the staff preview a selection of the ranked applications in review
(helix.calls.review_scoring) under a budget (the call's, unless another is given) by one of three methods
of the core (helix.core.review.selection): down the ranking, skipping one the money left does not cover
(``rank``) or stopping there (``rank-stop``), or the selection of the largest total score (``optimal``,
proven by HiGHS). Each application not selected has one coded reason. Confirming the decision recomputes
it and refuses when it differs from the preview (a review or an amount changed meanwhile) or when an
application in review is not ranked yet; then, in one transaction, the selected applications move to
``selected`` and the others in review to ``rejected``, each with its dated history row naming the
method, and the call to ``decided``. The awards that follow are helix.calls.award_services.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from helix.calls import services
from helix.calls.models import (
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
)
from helix.calls.review_scoring import CallScoring, score_call
from helix.calls.services import CallRefused
from helix.core.review.selection import Candidate, Rules, Selection, select_by_rank, select_optimal
from helix.params import typed_decimal
from helix.registry.permissions import can

METHODS = ("rank", "rank-stop", "optimal")


@dataclass(frozen=True)
class Preview:
    method: str
    budget: Decimal
    severity: bool
    scoring: CallScoring
    candidates: tuple[Candidate, ...]  # the ranked applications in review, in rank order
    selection: Selection
    unranked: tuple[Application, ...]  # in review but not ranked yet

    @property
    def selected_ids(self) -> list[int]:
        return [int(p) for p in self.selection.selected]


def parse_budget(value: Any, call: Call) -> Decimal:
    """The budget given (euros and cents, not negative), else the call's; refused when neither is."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if call.budget_eur is None:
            raise CallRefused("decision.no_budget", {})
        return call.budget_eur
    try:
        budget = Decimal(typed_decimal(str(value)))
    except InvalidOperation:
        budget = Decimal("NaN")
    if not budget.is_finite() or budget < 0 or budget != budget.quantize(Decimal("0.01")):
        raise CallRefused("decision.bad_budget", {"value": str(value)[:30]})
    return budget


def preview_decision(
    user: Any, call: Call, *, method: str = "rank", budget: Any = None, severity: bool = False
) -> Preview:
    """The selection ``method`` would make now under ``budget`` (no write): what the decision page shows."""
    if not can(user, "decide", call):
        raise PermissionDenied
    if method not in METHODS:
        raise CallRefused("decision.bad_method", {"method": str(method)[:30]})
    amount_budget = parse_budget(budget, call)
    scoring = score_call(call, severity=severity)
    in_review = [row for row in scoring.rows if row.application.status == ApplicationStatus.IN_REVIEW]
    missing = [row.application.title for row in in_review if row.application.requested_eur is None]
    if missing:
        raise CallRefused("decision.amount_missing", {"applications": missing})
    candidates = tuple(
        Candidate(
            str(row.application.pk),
            float(row.application.requested_eur or 0),
            row.score.score,
            row.score.passes,
        )
        for row in in_review
        if row.score is not None
    )
    rules = Rules(budget=float(amount_budget))
    if method == "optimal":
        selection = select_optimal(candidates, rules)
    else:
        selection = select_by_rank(candidates, rules, on_overflow="stop" if method == "rank-stop" else "skip")
    unranked = tuple(row.application for row in in_review if row.score is None)
    return Preview(method, amount_budget, severity, scoring, candidates, selection, unranked)


@transaction.atomic
def confirm_decision(
    user: Any,
    call: Call,
    *,
    method: str,
    budget: Any,
    severity: bool,
    selected: Collection[int],
) -> Preview:
    """Record the decision previewed (``selected``: the application ids the preview showed selected)."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    preview = preview_decision(user, call, method=method, budget=budget, severity=severity)
    if call.status != CallStatus.REVIEWING:
        raise CallRefused("decision.call_not_reviewing", {"status": call.status})
    if preview.unranked:
        raise CallRefused("decision.unranked", {"applications": [a.title for a in preview.unranked]})
    if not preview.candidates:
        raise CallRefused("decision.nothing_to_decide", {})
    if sorted(set(selected)) != sorted(preview.selected_ids):
        raise CallRefused("decision.changed", {})
    note = f"{preview.selection.method}; budget {preview.budget} EUR" + (
        "; severity corrected" if severity else ""
    )
    chosen = set(preview.selected_ids)
    for candidate in preview.candidates:
        application = Application.objects.get(pk=int(candidate.proposal))
        target = ApplicationStatus.SELECTED if application.pk in chosen else ApplicationStatus.REJECTED
        services.move_application(user, application, target, note)
    services.move_call(user, call, CallStatus.DECIDED, note)
    return preview


__all__ = ["METHODS", "Preview", "confirm_decision", "parse_budget", "preview_decision"]
