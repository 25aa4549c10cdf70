"""Consortia: who would complete a draft consortium, learned from past participations, and how well
that ranking finds hidden partners (hit rate, reciprocal rank, bootstrap intervals)."""

from .evaluate import Evaluation, Figure, bootstrap_ci, bootstrap_ratio, evaluate, summarise
from .features import FEATURES, QueryFeatures, query_features
from .participations import (
    ORGANISATION_TYPES,
    Consortium,
    Participation,
    ParticipationGraph,
    Query,
    consortia,
    organisation_type_of_kind,
)
from .recommend import (
    DEFAULT_BLEND,
    LearnOptions,
    LinearModel,
    Reason,
    Recommender,
    Scorer,
    Suggestion,
    coparticipation_baseline,
    learn,
    popularity_baseline,
)
from .splits import Case, YearSplit, hidden_partner_cases, split_by_year

__all__ = [
    "DEFAULT_BLEND",
    "FEATURES",
    "ORGANISATION_TYPES",
    "Case",
    "Consortium",
    "Evaluation",
    "Figure",
    "LearnOptions",
    "LinearModel",
    "Participation",
    "ParticipationGraph",
    "Query",
    "QueryFeatures",
    "Reason",
    "Recommender",
    "Scorer",
    "Suggestion",
    "YearSplit",
    "bootstrap_ci",
    "bootstrap_ratio",
    "consortia",
    "coparticipation_baseline",
    "evaluate",
    "hidden_partner_cases",
    "learn",
    "organisation_type_of_kind",
    "popularity_baseline",
    "query_features",
    "split_by_year",
    "summarise",
]
