"""The cluster staff's "who should meet whom": every need in scope with its best offers, its download
(CSV, XLSX), and the jobs that learn the ranker's weights and re-index the listings.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from helix.core.matching.weights import FEATURES, Weights
from helix.jobs.services import create_job
from helix.market import tasks
from helix.market.engine import current_weights
from helix.market.explain import FACTOR_LABELS, reasons_for, score_ceiling, score_percent, shown_terms
from helix.market.forms import WhoMeetsWhomFilter
from helix.market.models import Feedback, Listing, Verdict
from helix.market.suggestions import (
    Suggestion,
    who_should_meet_whom,
)
from helix.registry import permissions
from helix.registry.models import Cluster
from helix.spreadsheets import write_csv, write_workbook

# The columns of the pairs download, named in the reader's language (a people's file, not an import format).
EXPORT_COLUMNS = (
    gettext_lazy("Need ID"),
    gettext_lazy("Need: organisation"),
    gettext_lazy("Need: title"),
    gettext_lazy("Need: language"),
    gettext_lazy("Offer ID"),
    gettext_lazy("Offer: organisation"),
    gettext_lazy("Offer: title"),
    gettext_lazy("Offer: language"),
    gettext_lazy("Score"),
    gettext_lazy("Reasons"),
)


# Staff: who should meet whom ---------------------------------------------------------------------


def _staff_clusters(user: Any) -> QuerySet[Cluster]:
    return permissions.scope(user, "manage", Cluster.objects.all())


def _require_cluster_staff(user: Any) -> None:
    if not permissions.may(user, "pair", Listing):
        raise PermissionDenied


def pair_row(suggestion: Suggestion, weights: Weights, ceiling: float) -> dict[str, Any]:
    return {
        "need": suggestion.need,
        "offer": suggestion.offer,
        "score": suggestion.match.score,
        "percent": score_percent(suggestion.match.score, ceiling),
        "terms": shown_terms(suggestion.match),
        "reasons": reasons_for(suggestion.match, weights, shown=3),
    }


def _export_values(row: dict[str, Any]) -> list[Any]:
    need, offer = row["need"], row["offer"]
    reasons = [str(r) for r in row["reasons"]]
    if row["terms"]:
        reasons.insert(0, _("shared words: %(words)s") % {"words": ", ".join(row["terms"][:8])})
    return [
        need.pk,
        need.organisation.name,
        need.title,
        need.language,
        offer.pk,
        offer.organisation.name,
        offer.title,
        offer.language,
        round(row["score"], 4),
        " | ".join(reasons),
    ]


def _csv_response(rows: list[dict[str, Any]]) -> HttpResponse:
    buffer = io.StringIO()
    write_csv(buffer, EXPORT_COLUMNS, (_export_values(row) for row in rows))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="who-should-meet-whom.csv"'
    return response


def _xlsx_response(rows: list[dict[str, Any]]) -> HttpResponse:
    buffer = io.BytesIO()
    write_workbook(buffer, {"pairs": (EXPORT_COLUMNS, (_export_values(row) for row in rows))})
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="who-should-meet-whom.xlsx"'
    return response


@login_required
def who_meets_whom(request: HttpRequest) -> HttpResponse:
    """Staff: for every active need in scope its best offers, one pair per two organisations; export."""
    _require_cluster_staff(request.user)
    form = WhoMeetsWhomFilter(request.GET or None, clusters=_staff_clusters(request.user))
    suggestions = who_should_meet_whom(request.user, **form.values())
    weights = current_weights()
    ceiling = score_ceiling(weights)
    rows = [pair_row(s, weights, ceiling) for s in suggestions]
    export = request.GET.get("format", "")
    if export == "csv":
        return _csv_response(rows)
    if export == "xlsx":
        return _xlsx_response(rows)
    counts = dict(Feedback.objects.values_list("verdict").annotate(n=Count("pk")).values_list("verdict", "n"))
    context = {
        "form": form,
        "rows": rows,
        "feedback_counts": [(label, counts.get(value, 0)) for value, label in Verdict.choices],
        "feedback_total": sum(counts.values()),
        "weights": weights,
        "weight_rows": [(FACTOR_LABELS[f], weights.get(f)) for f in FEATURES],
    }
    return render(request, "market/who_meets_whom.html", context)


@login_required
@require_POST
def learn_weights(request: HttpRequest) -> HttpResponse:
    _require_cluster_staff(request.user)
    job = create_job("market.learn_weights", _("Learn ranker weights from feedback"), request.user)
    tasks.learn_ranker_weights.enqueue(job.pk)
    return redirect("jobs:detail", job.pk)


@login_required
@require_POST
def reindex(request: HttpRequest) -> HttpResponse:
    _require_cluster_staff(request.user)
    job = create_job("market.reindex", _("Re-index all needs and offers"), request.user)
    tasks.reindex_listings.enqueue(job.pk)
    return redirect("jobs:detail", job.pk)
